"""What a name's own words say, whatever phase asks: acronyms and initials, a person's
name words and surnames, a storm's name, a title in title case, and the label a head word
demands ("... Festival" an event, "... Act" a law)."""

from __future__ import annotations

import re
from functools import lru_cache

from ..gazetteer import Gazetteer
from .lexicon import (
    CLOSE_QUOTES,
    DEMONYM,
    EVENT_HEADS,
    LAW_HEADS,
    NAME_PARTICLES,
    OPEN_QUOTES,
    ORG_HEADS,
    WORK_NOUNS,
)
from .spans import EVENT, LAW, ORG, PERSON, PLACE, WORK, Document

_ROMAN = {"II", "III", "IV", "VI", "VII", "VIII", "XI", "JR", "SR"}

_ACRONYM_SKIP = {"of", "the", "and", "for", "on", "in", "de", "du", "des", "la", "le", "&", "et"}

# Institutions named by one word after "the" ("the Senate", "the Treasury").
_INSTITUTIONS = {
    "senate",
    "court",
    "cabinet",
    "commission",
    "presidency",
    "treasury",
    "judiciary",
    "bundestag",
    "knesset",
    "duma",
    "kremlin",
    "pentagon",
    "vatican",
    "fed",
    "opposition",
    "junta",
    "regime",
    "taliban",
    "mafia",
    "military",
}

# Organisation nouns that also end place names ("Kano State", "Western Front").
_PLACE_LIKE_ORG_HEADS = {"state", "front", "command", "forces", "army", "navy", "guard", "guards"}

_PLACE_HEADS = {
    "airport",
    "station",
    "bridge",
    "highway",
    "motorway",
    "road",
    "street",
    "avenue",
    "square",
    "stadium",
    "river",
    "lake",
    "valley",
    "mountains",
    "mountain",
    "island",
    "islands",
    "peninsula",
    "desert",
    "sea",
    "ocean",
    "bay",
    "canal",
    "province",
    "county",
    "strait",
    "gulf",
    "delta",
    "basin",
    "plateau",
    "glacier",
    "park",
    "palace",
    "tower",
    "terminal",
    "cathedral",
    "mosque",
    "temple",
    "castle",
    "dam",
    "reservoir",
    "falls",
    "beach",
    "inlet",
    "archipelago",
    "pass",
    "channel",
    "expressway",
    "lagoon",
    "forest",
    "hills",
    "range",
}

# Named storms: "Hurricane Lorena", "Cyclone Imani".
_EVENT_PREFIXES = {"hurricane", "cyclone", "typhoon", "storm"}

# Capitalised words that end company names; a "person" named so is an organisation.
_COMPANY_WORDS = {
    "group",
    "holdings",
    "partners",
    "securities",
    "capital",
    "bank",
    "energy",
    "pictures",
    "media",
    "news",
    "times",
    "post",
    "electronics",
    "systems",
    "technologies",
    "technology",
    "labs",
    "motors",
    "insurance",
    "mutual",
    "trust",
    "foundation",
    "fund",
    "society",
    "club",
    "records",
    "studios",
    "crew",
    "band",
    "choir",
    "orchestra",
    "ensemble",
    "quartet",
    "collective",
    "films",
    "sports",
    "instruments",
    "industries",
    "international",
    "inc",
    "corp",
    "ltd",
    "plc",
    "llc",
    "co",
    "gmbh",
    "sa",
    "ag",
    "nv",
}

_WORD_BREAK = re.compile(r"[\s-]+")

_TITLE_SMALL_WORDS = {
    "a",
    "an",
    "the",
    "of",
    "and",
    "or",
    "in",
    "on",
    "at",
    "to",
    "for",
    "from",
    "with",
    "by",
    "de",
    "del",
    "la",
    "le",
    "du",
    "des",
    "y",
    "et",
    "und",
    "von",
    "van",
}


@lru_cache(maxsize=16384)
def is_acronym(text: str) -> bool:
    letters = text.replace(".", "").replace("&", "")
    return 2 <= len(letters) <= 7 and letters.isalpha() and letters.isupper()


def initials(text: str, skip: bool) -> str:
    words = _WORD_BREAK.split(text)
    return "".join(
        w[0].upper() for w in words if w and w[0].isalpha() and not (skip and w in _ACRONYM_SKIP)
    )


def acronym_of(short: str, long: str) -> bool:
    """Whether ``short`` abbreviates ``long``: initials in order, with or without the small
    words, or the same letters in another order (names translated from French, Spanish)."""
    if not is_acronym(short) or len(long.split()) < 2:
        return False
    return spells(acronym_letters(short), acronym_forms(long))


def acronym_letters(short: str) -> tuple[str, str]:
    """An acronym's letters, as written and sorted (what ``spells`` compares)."""
    letters = short.replace(".", "").replace("&", "").upper()
    return letters, "".join(sorted(letters))


def spells(letters: tuple[str, str], forms: frozenset[str]) -> bool:
    """Whether an acronym's letters (``acronym_letters``) spell a name's ``acronym_forms``."""
    return letters[0] in forms or letters[1] in forms


@lru_cache(maxsize=4096)
def acronym_forms(long: str) -> frozenset[str]:
    """A name of several words' initials, with and without the small words, each also sorted."""
    forms = (initials(long, True), initials(long, False))
    return frozenset(forms + tuple("".join(sorted(f)) for f in forms))


def words_of_name(text: str) -> list[str]:
    """The words of a person's name, name particles split off ("al-Assad" → "Assad")."""
    out: list[str] = []
    for w in text.split():
        parts = w.split("-")
        while len(parts) > 1 and parts[0].lower() in NAME_PARTICLES:
            parts = parts[1:]
        word = "-".join(parts)
        if word.lower() not in NAME_PARTICLES:
            out.append(word.casefold())
    return out


def name_words(doc: Document, text: str) -> list[str]:
    """``words_of_name`` of a text of the article, worked out once per article (the list is
    shared: callers do not change it)."""
    words = doc.name_words.get(text)
    if words is None:
        words = doc.name_words[text] = words_of_name(text)
    return words


def head_vote(text: str, label: str) -> str | None:
    """The label a name's own words demand: "... Festival" is an event, "... Act" a law,
    "... Airport" a place, a "person" with an acronym or company word an organisation."""
    words = text.split()
    if len(words) > 1 and words[0].casefold() in _EVENT_PREFIXES:
        return EVENT
    last = words[-1].casefold().strip(".,")
    if len(words) > 1 and label in (ORG, PLACE, PERSON, EVENT, WORK):
        if last in LAW_HEADS:
            return LAW
        if last in EVENT_HEADS and label != WORK:
            return EVENT
        if last in _PLACE_HEADS and label in (ORG, PERSON):
            return PLACE
        if label == PLACE and last in ORG_HEADS and last not in _PLACE_LIKE_ORG_HEADS:
            return ORG
    if (
        len(words) > 1
        and label in (PERSON, PLACE)
        and any(w.casefold().strip(".") in _COMPANY_WORDS for w in words[1:])
    ):
        return ORG
    if label == PERSON:
        if any(is_acronym(w) and w not in _ROMAN for w in words):
            return ORG
        if words[-1].casefold() in ORG_HEADS:
            return ORG
    # "Museum of Fine Arts", "University of Mosul", "Bank of England".
    first = words[0].casefold()
    if (
        len(words) > 2
        and label in (PERSON, PLACE)
        and words[1] == "of"
        and first in ORG_HEADS
        and first not in _PLACE_LIKE_ORG_HEADS
    ):
        return ORG
    return None


def bare_name(text: str) -> bool:
    """One plain capitalised word that names no kind of organisation ("Limmat", not
    "Senate", "Transformers" or "IBM")."""
    return (
        " " not in text
        and text[:1].isupper()
        and text.isalpha()
        and not text.isupper()
        and not text.endswith("s")
        and text.casefold() not in ORG_HEADS
        and text.casefold() not in _COMPANY_WORDS
        and text.casefold() not in _INSTITUTIONS
    )


def not_demonym(text: str) -> bool:
    """Whether a Group name looks like no nationality adjective or people ("Apapa")."""
    return not DEMONYM.match(text) and not text.endswith("s") and " " not in text


def storm_name(text: str) -> str | None:
    """The name of a named storm ("Imani" of "Cyclone Imani"), else None."""
    words = text.split()
    if len(words) == 2 and words[0].casefold() in _EVENT_PREFIXES and words[1][:1].isupper():
        return words[1]
    return None


def surnames(name: str) -> list[str]:
    """The forms a full name's surname takes alone: "Bashar al-Assad" → al-Assad, Assad."""
    words = name.split()
    if len(words) < 2:
        return []
    last = words[-1]
    out = [last]
    parts = last.split("-")
    while len(parts) > 1 and parts[0].lower() in NAME_PARTICLES:
        parts = parts[1:]
        out.append("-".join(parts))
    return [w for w in out if len(w) > 2 and w[:1].isupper()]


def title_marked(source: str, start: int, end: int) -> bool:
    """Whether something says a span is a title: quotes around it, or "the novel" before."""
    if WORK_NOUNS.search(source[max(0, start - 30) : start]):
        return True
    return (
        start > 0
        and end < len(source)
        and source[start - 1] in OPEN_QUOTES
        and source[end] in CLOSE_QUOTES
    )


def title_cased_line(source: str) -> bool:
    """Whether a text is a headline in title case ("Floods Cut Off Towns As River Rises"),
    where capitals do not mark names."""
    if "\n" in source:
        return False  # before the split: a text of several lines is read at once
    words = [w for w in source.split() if w[:1].isalpha()]
    if len(words) < 4:
        return False
    return sum(w[:1].isupper() for w in words) >= 0.7 * len(words)


def is_title_case(text: str) -> bool:
    """Two to eight words, every one capitalised but the small ones, no sentence inside."""
    words = text.split()
    if not 2 <= len(words) <= 8 or any(c in text for c in ".!?;:,"):
        return False
    return all(w[:1].isupper() or w.casefold() in _TITLE_SMALL_WORDS for w in words) and any(
        w.casefold() not in _TITLE_SMALL_WORDS for w in words[1:]
    )


def looks_like_full_name(text: str, gazetteer: Gazetteer | None) -> bool:
    """Two to four capitalised words, none a known place, naming nothing but a person."""
    words = text.split()
    if not 2 <= len(words) <= 4 or not all(w[:1].isupper() for w in words):
        return False
    if head_vote(text, PERSON) is not None or any(
        w.casefold() in ORG_HEADS or w.casefold() in _PLACE_HEADS for w in words
    ):
        return False
    return gazetteer is None or gazetteer.kind(text) is None
