"""Known place names (and optionally people's names) in articles of a language with no
entity model, from the gazetteer alone: no spaCy.

A language like German writes every noun with a capital, and many town names are nouns
too ("Essen" the meal, "Halle" the hall, "Wetter" the weather), so a capitalised word that
the gazetteer knows is not enough. A name is marked only when the text itself says it is
one: it has several words or parts ("New York", "Baden-Württemberg"), or it is a country
(in the article's language, from pycountry's translations), or a place preposition stands
right before it ("in Halle"), or it opens the text as a dateline, or it is listed with
such a place ("Chemnitz, Zwickau und Görlitz"), or it is a city of at least
MAJOR_CITY_MIN_POPULATION people. And never when the article uses the word as a noun
somewhere (an article or a determiner right before it: "das Essen", "in der Halle").
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from ..models import Mention
from .gazetteer import Gazetteer, PlaceKind, localized_countries

PLACE, PERSON = "Place", "Person"


# Per language: prepositions that put a place right after them, determiners (and
# preposition + article contractions) that make the next capitalised word a common noun,
# and capitalised function words that are never a person's given name. Languages missing
# here get no single-word places without a country or a dateline.
@dataclass(frozen=True, slots=True)
class LanguageCues:
    prepositions: frozenset[str]
    determiners: frozenset[str]
    # Capitalised nouns that say the next name is a place ("die Landkreise Rosenheim").
    place_nouns: frozenset[str] = frozenset()
    # Countries whose first-level regions are marked without a cue ("Sachsen" in German).
    home_countries: tuple[str, ...] = ()
    genitive_s: bool = False  # "Bayerns", "Hannovers": the place's name plus -s
    # Whether a determiner before a capitalised word makes it a common noun (German);
    # in Spanish it makes it a team or a name ("el Sevilla", "la Bolsa").
    capitalised_nouns: bool = True
    # Words that join a longer name's head to a place at its end ("Bolsa de Madrid").
    name_links: frozenset[str] = frozenset()
    # Articles that make a town's name a team's ("el Sevilla", "al Valencia"): towns take
    # none (those that do are matched whole: "El Cairo").
    team_articles: frozenset[str] = frozenset()


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


CUES: dict[str, LanguageCues] = {
    "de": LanguageCues(
        prepositions=_words("in aus nach bei nahe zwischen um ab via"),
        determiners=_words(
            "der die das den dem des ein eine einen einem einer eines kein keine keinen "
            "keinem keiner im am vom zum zur beim ins ans aufs diese dieser dieses diesen "
            "diesem jede jeder jedes jeden jedem sein seine seinen seinem seiner ihr ihre "
            "ihren ihrem ihrer unser unsere mein meine dein deine viel viele mehr"
        ),
        place_nouns=_words(
            "Stadt Städte Gemeinde Gemeinden Landkreis Landkreise Kreis Kreise Kreisstadt "
            "Region Regionen Bundesland Bundesländer Land Länder Hauptstadt Landeshauptstadt "
            "Bezirk Bezirke Kanton Kantone Provinz Provinzen Ort Orte Ortschaft"
        ),
        home_countries=("DE", "AT", "CH"),
        genitive_s=True,
    ),
    # Spanish writes common nouns in lowercase, so few capitalised words are nouns; "a" and
    # "de" are no cues (they stand before people too: "visitó a Pedro", "la casa de Rosario").
    "es": LanguageCues(
        prepositions=_words("en desde hacia"),
        determiners=_words("el la los las un una unos unas del al este esta ese esa su sus"),
        capitalised_nouns=False,
        name_links=_words("de del"),
        team_articles=_words("el del al"),
        home_countries=(
            "ES",
            "MX",
            "AR",
            "CO",
            "CL",
            "PE",
            "VE",
            "EC",
            "GT",
            "CU",
            "BO",
            "DO",
            "HN",
            "PY",
            "SV",
            "NI",
            "CR",
            "PA",
            "UY",
        ),
    ),
}

_TOKEN = re.compile(r"[^\W\d_](?:[\w’'-]*\w)?")
_JOIN = re.compile(r"\s*(?:,|\bund|\boder|\band|\bor|\bsowie)\s*")
_DATELINE = re.compile(r"\s*[–—-]|\s*,|\s*\(")
_MAX_WORDS = 4


def _capitalised(word: str) -> bool:
    return word[:1].isupper()


def _place_kind(gaz: Gazetteer, countries: frozenset[str], text: str) -> PlaceKind | None:
    if text.casefold() in countries:
        return PlaceKind.COUNTRY
    return gaz.kind(text)


def gazetteer_mentions(
    fields: Sequence[str],
    gazetteer: Gazetteer,
    language: str,
    *,
    persons: bool = False,
) -> list[list[Mention]]:
    """Known places (and, with ``persons``, full names that start with a known given name)
    in each field of an article, marked only where the text confirms them."""
    cues = CUES.get(language, LanguageCues(frozenset(), frozenset()))
    countries = localized_countries(language) | home_regions(cues.home_countries)
    tokens = [[(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(f)] for f in fields]
    # A word used as a noun anywhere in the article ("das Essen") is no place in it.
    nouns = {
        t[2].casefold()
        for field_tokens in tokens
        for prev, t in itertools.pairwise(field_tokens)
        if cues.capitalised_nouns and prev[2].casefold() in cues.determiners and _capitalised(t[2])
    }
    found: list[list[tuple[int, int, str, bool]]] = []  # (start, end, label, sure)
    for f, (source, toks) in enumerate(zip(fields, tokens, strict=True)):
        out: list[tuple[int, int, str, bool]] = []
        i = 0
        while i < len(toks):
            hit = _match(source, toks, i, gazetteer, countries, cues, nouns, f == 1)
            if hit is None:
                i += 1
                continue
            n, sure = hit
            out.append((toks[i][0], toks[i + n - 1][1], PLACE, sure))
            i += n
        found.append(out)
    # A name listed with a confirmed place is confirmed ("Duisburg und Bochum").
    for f, out in enumerate(found):
        changed = True
        while changed:
            changed = False
            for k, (start, end, label, sure) in enumerate(out):
                if sure:
                    continue
                neighbours = [o for o in out if o[3]]
                if any(
                    _JOIN.fullmatch(fields[f], o[1], start) or _JOIN.fullmatch(fields[f], end, o[0])
                    for o in neighbours
                ):
                    out[k] = (start, end, label, True)
                    changed = True
    places = [[(s, e, lab) for s, e, lab, sure in out if sure] for out in found]
    if persons:
        places = _add_persons(fields, tokens, places, gazetteer, cues, nouns)
    return [
        [
            Mention(text=source[s:e], label=lab, start=s, end=e, canonical=source[s:e])
            for s, e, lab in sorted(spans)
        ]
        for source, spans in zip(fields, places, strict=True)
    ]


def _match(
    source: str,
    toks: Sequence[tuple[int, int, str]],
    i: int,
    gaz: Gazetteer,
    countries: frozenset[str],
    cues: LanguageCues,
    nouns: set[str],
    is_text: bool,
) -> tuple[int, bool] | None:
    """The longest known place starting at token ``i``: (number of tokens, confirmed)."""
    if not _capitalised(toks[i][2]) or _inside_name(source, toks, i, gaz, cues):
        return None
    for n in range(min(_MAX_WORDS, len(toks) - i), 0, -1):
        last = toks[i + n - 1]
        if not _capitalised(last[2]):
            continue
        text = source[toks[i][0] : last[1]]
        if "\n" in text or any(c in text for c in ',.;:!?()«»„“"'):
            continue
        kind = _place_kind(gaz, countries, text)
        if kind is None and cues.genitive_s and text.endswith("s"):
            kind = _place_kind(gaz, countries, text[:-1])
            base = text[:-1]
        else:
            base = text
        if kind is None:
            continue
        if n > 1 or "-" in base:
            return n, True
        word = base.casefold()
        if kind != PlaceKind.COUNTRY and (word in nouns or text.casefold() in nouns):
            # Countries may take an article ("in der Schweiz", "die USA"); towns do not.
            return None
        prev = toks[i - 1][2] if i > 0 else ""
        between = source[toks[i - 1][1] : toks[i][0]] if i > 0 else ""
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        if (
            gaz.is_given_name(base)
            and nxt is not None
            and _capitalised(nxt[2])
            and source[toks[i][1] : nxt[0]] == " "
        ):
            return None  # "Kai Pflaume", "Paris Hilton": a person's given name
        if prev.casefold() in cues.team_articles and between == " " and kind < PlaceKind.COUNTRY:
            return None
        if kind == PlaceKind.COUNTRY:
            return 1, True
        if between.strip() == "" and (
            prev.casefold() in cues.prepositions or prev in cues.place_nouns
        ):
            return 1, True
        if is_text and i == 0 and text.isupper() and _DATELINE.match(source, toks[i][1]):
            return 1, True
        if gaz.is_major_city(base) and not (_capitalised(prev) and between == " "):
            # Not the last word of a longer name ("Technische Universität Dresden").
            return 1, True
        return 1, False
    return None


def _inside_name(
    source: str,
    toks: Sequence[tuple[int, int, str]],
    i: int,
    gaz: Gazetteer,
    cues: LanguageCues,
) -> bool:
    """Whether token ``i`` is inside a longer name: a title in quotes («Invierno en
    Soria»), a person's surname after a known given name ("Diego Falcón"), or the end of an
    organisation's or event's name after a link word ("Bolsa de Madrid", "Festival de
    San Sebastián"; not after a lowercase noun: "la ciudad de Madrid")."""
    start = toks[i][0]
    line_start = source.rfind("\n", 0, start) + 1
    before = source[line_start:start]
    if before.count("«") > before.count("»") or before.count("„") > before.count("“"):
        return True
    if i == 0 or source[toks[i - 1][1] : start] != " ":
        return False
    prev = toks[i - 1][2]
    if _capitalised(prev) and gaz.is_given_name(prev) and gaz.kind(prev) is None:
        return True
    if prev.casefold() in cues.name_links and i >= 2:
        head = toks[i - 2][2]
        return (
            _capitalised(head)
            and source[toks[i - 2][1] : toks[i - 1][0]] == " "
            and gaz.kind(head) is None
            and not _sentence_start(source, toks[i - 2][0])
        )
    return False


def _sentence_start(source: str, start: int) -> bool:
    return source[:start].rstrip()[-1:] in ("", ".", "!", "?", ":", "–", "—", "«", "\n")


@lru_cache(maxsize=16)
def home_regions(countries: tuple[str, ...]) -> frozenset[str]:
    """First-level regions of these countries (case-folded): "bayern", "tirol"."""
    try:
        import pycountry
    except ImportError:
        return frozenset()
    return frozenset(
        sub.name.casefold()
        for code in countries
        for sub in pycountry.subdivisions.get(country_code=code) or ()
        if getattr(sub, "parent_code", None) is None
    )


class GazetteerExtractor:
    """The extractor of a language with no model: the places the gazetteer knows, marked
    where the text confirms them (``gazetteer_mentions``); no people's names."""

    def __init__(self, gazetteer: Gazetteer, language: str) -> None:
        self.gazetteer = gazetteer
        self.language = language

    def extract_batch(
        self, docs: Sequence[tuple[str, str]]
    ) -> list[tuple[list[Mention], list[Mention]]]:
        out: list[tuple[list[Mention], list[Mention]]] = []
        for title, text in docs:
            title_mentions, text_mentions = gazetteer_mentions(
                (title, text), self.gazetteer, self.language
            )
            out.append((title_mentions, text_mentions))
        return out


def _add_persons(
    fields: Sequence[str],
    tokens: Sequence[Sequence[tuple[int, int, str]]],
    places: list[list[tuple[int, int, str]]],
    gaz: Gazetteer,
    cues: LanguageCues,
    nouns: set[str],
) -> list[list[tuple[int, int, str]]]:
    """A known given name followed by one or two capitalised words is a person's full
    name (not after a determiner, not a place's words); later mentions of the surname
    alone are that person."""
    out = [list(p) for p in places]
    surnames: set[str] = set()
    for f, toks in enumerate(tokens):
        taken = {(s, e) for s, e, _ in out[f]}
        i = 0
        while i < len(toks):
            word = toks[i][2]
            prev = toks[i - 1][2].casefold() if i > 0 else ""
            if (
                not _capitalised(word)
                or not gaz.is_given_name(word)
                or word.casefold() in nouns
                or prev in cues.determiners
                or any(s <= toks[i][0] < e for s, e in taken)
            ):
                i += 1
                continue
            j = i + 1
            while (
                j < len(toks)
                and j - i <= 2
                and _capitalised(toks[j][2])
                and fields[f][toks[j - 1][1] : toks[j][0]] == " "
                and gaz.kind(toks[j][2]) is None
            ):
                j += 1
            if j == i + 1:
                i += 1
                continue
            out[f].append((toks[i][0], toks[j - 1][1], PERSON))
            surnames.add(toks[j - 1][2])
            i = j
    for f, toks in enumerate(tokens):
        spans = [(s, e) for s, e, _ in out[f]]
        for s, e, word in toks:
            if word in surnames and not any(a <= s < b for a, b in spans):
                out[f].append((s, e, PERSON))
    return out
