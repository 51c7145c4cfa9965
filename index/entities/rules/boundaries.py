"""Phase 2, span boundaries: split spans the model ran together (two names, a list of places
in a "title", "X in <known place>", nationality lists), extend the ones it cut short (a
surname takes the known given name before it, an event name its capitalised words, a law
its year), and add the dateline place and agency, bracketed acronyms, quoted titles and
well-known places the model missed."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..gazetteer import Gazetteer, PlaceKind
from .lexicon import (
    BRACKETED,
    DEMONYM,
    EVENT_HEADS,
    HONORIFIC_BEFORE,
    ISO_DATELINE,
    LAW_HEADS,
    ORG_HEADS,
    PERSON_NOUNS,
    PLACE_PREFIXES,
    QUALIFIED_NOUN,
)
from .names import acronym_of, is_acronym, is_title_case, title_cased_line, title_marked
from .spans import (
    DATE,
    EVENT,
    GROUP,
    LAW,
    ORG,
    PERSON,
    PLACE,
    WORK,
    Span,
    at_sentence_start,
    dedupe,
)

# Awards are none of our types: "Vistula Prize", "Golden Globe Award".
_AWARD_HEADS = {"prize", "prizes", "award", "awards", "medal", "trophy"}

# Lowercase words that never sit inside a name: a span across one holds two names.
_SPLIT_WORDS = re.compile(
    r"\s+(?:as|with|from|after|before|while|where|says|said|told|versus|vs\.?)\s+"
)

_INNER_POSSESSIVE = re.compile(r"(?<=\w)['’]s\s+(?=[A-Z])")

# Matched at the mention's end (``match(source, end)``: no copy of the rest of the text).
_JOB_AFTER = re.compile(r"\s+(?:Minister|Secretary|Ministry|Department)\b")

_YEAR_AFTER = re.compile(r"^,?\s+(?:of\s+)?(\d{4})\b")

# "LONDON —", "MOPTI, Mali, March 4 (Agency) —": the opening place of a news text.
_DATELINE = re.compile(r"^[A-Z][A-Z'’.-]+(?: [A-Z][A-Z'’.-]+)*(?=(?:,[^\n]{0,60})?\s[—–-]\s)")

# A wire dateline is looked for in the text's first lines (a byline may come first).
_DATELINE_LINES = 3
_DATELINE_AGENCY = re.compile(r"[^\n()—–]{0,60}?\(([A-Z][^()\n]{1,40}?)\)\s*[—–-]\s")

# A maximal run of capitalised words (not inside a longer capitalised name).
_CAPITAL_RUN = re.compile(r"(?<![\w'’.-])[A-Z][a-z]+(?: [A-Z][a-z]+){0,2}(?![\w'’-])")

_WORD_AFTER = re.compile(r" (\w)")
_NEAR_IN_BEFORE = re.compile(r"\b(?:in|near)\s+$")
_LIST_SEPARATOR = re.compile(r",\s+(?:and\s+)?|\s+and\s+")

# A quoted phrase in title case ("Night Shift", "The Salt Years"): a title.
_QUOTED = re.compile(r"(?<![\w'’])[\"“‘']([A-Z][^\"“”‘’\n]{1,60}?)[,.]?[\"”’'](?![\w])")

# How the model runs a list or a phrase into one "title": "X and Y", "X, Y", "People in X".
_WORK_LIST_JOIN = re.compile(r",\s+(?:and\s+|or\s+)?|\s+(?:and|or|&)\s+|\s+(?:in|at|from)\s+")

_NOT_NAME_WORDS = {
    "The",
    "A",
    "An",
    "In",
    "On",
    "At",
    "For",
    "From",
    "By",
    "With",
    "As",
    "After",
    "Before",
    "During",
    "Since",
    "Until",
    "When",
    "While",
    "This",
    "That",
    "These",
    "Last",
    "Next",
    "And",
    "But",
    "Or",
    "Of",
    "Its",
    "His",
    "Her",
    "Their",
    "Our",
    "Every",
    "Each",
    "To",
    "If",
}

# "the 2008 financial crisis", "the Covid-19 pandemic": a named crisis, war or epidemic
# (the pattern is tried only on a text that holds one of the nouns).
_EVENT_PHRASE_NOUNS = ("crisis", "pandemic", "epidemic", "war", "uprising", "revolution")
_EVENT_PHRASE = re.compile(
    r"\b[Tt]he\s+((?:\d{4}|[A-Z][\w'’]*(?:-\w+)*)(?:\s+(?:\d{4}|[A-Z][\w'’]*(?:-\w+)*))*"
    r"(?:\s+[a-z]+)?\s+(?:" + "|".join(_EVENT_PHRASE_NOUNS) + r"))\b"
)


_NON_SPACE = re.compile(r"\S+")


def split_group_lists(fields: Sequence[str], spans: list[Span]) -> list[Span]:
    """Split "Kurdish Syrian" into two Group mentions when every word is a demonym."""
    known = {fields[s.field][s.start : s.end] for s in spans if s.label == GROUP}
    out: list[Span] = []
    for s in spans:
        if s.label != GROUP:
            out.append(s)
            continue
        text = fields[s.field][s.start : s.end]
        words = list(_NON_SPACE.finditer(text))
        if len(words) > 1 and all(DEMONYM.match(w.group()) or w.group() in known for w in words):
            out.extend(
                Span(s.field, s.start + w.start(), s.start + w.end(), GROUP, GROUP) for w in words
            )
        else:
            out.append(s)
    return out


_CAP_WORDS = re.compile(r"(?: [A-Z][\w'’-]*)+")


def extend_group_fragments(fields: Sequence[str], spans: list[Span]) -> list[Span]:
    """A Group adjective directly followed by capitalised words ending in an organisation
    noun ("Islamic" + "State", "Democratic" + "Party") is the start of that organisation."""
    starts = {(s.field, s.start) for s in spans}
    out: list[Span] = []
    for s in spans:
        if s.label == GROUP:
            source = fields[s.field]
            m = _CAP_WORDS.match(source, s.end)
            if m:
                words = m.group().split()
                # Stop before a word that starts another mention.
                end = s.end
                taken = 0
                for w in words:
                    pos = source.index(w, end)
                    if (s.field, pos) in starts:
                        break
                    end = pos + len(w)
                    taken += 1
                if taken and words[taken - 1].lower() in ORG_HEADS:
                    out.append(Span(s.field, s.start, end, ORG, ORG))
                    continue
        out.append(s)
    return out


def known_places(fields: Sequence[str], spans: list[Span], gazetteer: Gazetteer) -> list[Span]:
    """Add what the model missed of the places no one mistakes: a run of capitalised words
    that is a country or a major city ("Tuvalu", "Genoa"), not at a sentence start, and no
    given name ("Jordan", "Georgia")."""
    # Which characters of each field a mention already covers (1), to skip runs inside one.
    taken = [bytearray(len(source)) for source in fields]
    for s in spans:
        taken[s.field][s.start : s.end] = b"\x01" * (s.end - s.start)
    added: list[Span] = []
    places: list[list[tuple[int, int]]] = [[] for _ in fields]
    for s in spans:
        if s.label == PLACE:
            places[s.field].append((s.start, s.end))
    for field, source in enumerate(fields):
        if title_cased_line(source):
            continue
        for m in _CAPITAL_RUN.finditer(source):
            start, end = m.span()
            name = m.group()
            if taken[field].find(1, start, end) != -1:
                continue
            kind = gazetteer.kind(name)
            if kind is None and not gazetteer.is_major_city(name):
                continue  # no place the gazetteer knows: nothing below would add it
            # Only a whole run of capitalised words: not "Vinh" of "Trà Vinh".
            prev = _WORD_BEFORE.search(source, max(0, start - 40), start)
            if (
                prev
                and prev.group(1)[:1].isupper()
                and prev.group(1)[-1] not in ",;"  # "Alessandria, Asti": a list's items
                and not at_sentence_start(source, start)
            ):
                continue
            nxt = _WORD_AFTER.match(source, end)
            if nxt and nxt.group(1).isupper():
                continue
            if at_sentence_start(source, start) or any(
                gazetteer.is_given_name(w) for w in name.split()
            ):
                continue
            if kind == PlaceKind.COUNTRY or gazetteer.is_major_city(name):
                added.append(Span(field, start, end, PLACE, PLACE))
            elif kind is not None and (
                _NEAR_IN_BEFORE.search(source, max(0, start - 8), start)
                or _listed_with_place(source, start, end, places[field])
            ):
                # A smaller known town where the text says place: "villages near Asti",
                # "Turin, Alessandria, Asti and Genoa".
                added.append(Span(field, start, end, PLACE, PLACE))
    return spans + added if added else spans


def _listed_with_place(source: str, start: int, end: int, places: list[tuple[int, int]]) -> bool:
    """Whether a name is an item of a list ("A, B and C") another item of which is a place."""
    for a, b in places:
        if (b <= start and _LIST_SEPARATOR.fullmatch(source, b, start)) or (
            end <= a and _LIST_SEPARATOR.fullmatch(source, end, a)
        ):
            return True
    return False


def split_joined(fields: Sequence[str], spans: list[Span]) -> list[Span]:
    """Split a span the model ran across two names ("Florence as Lindqvist"); drop a word
    that only qualifies a job title ("Transport" of "Transport Minister")."""
    out: list[Span] = []
    for s in spans:
        source = fields[s.field]
        text = source[s.start : s.end]
        if s.label in (PERSON, ORG) and " " not in text and _JOB_AFTER.match(source, s.end):
            continue
        if len(text.split()) > 1 and text.split()[-1].casefold() in _AWARD_HEADS:
            continue
        owner = _INNER_POSSESSIVE.search(text) if s.label in (PERSON, ORG, PLACE) else None
        if owner:
            # "Boğaziçi University's Kandilli Observatory" is two names; "the writer Bence
            # Fekete's Low Water" a person and what the person has, which is not kept.
            out.append(Span(s.field, s.start, s.start + owner.start(), s.label, s.label))
            before = source[max(0, s.start - 30) : s.start]
            if s.label != PERSON and not (
                PERSON_NOUNS.search(before) or HONORIFIC_BEFORE.search(before)
            ):
                out.append(Span(s.field, s.start + owner.end(), s.end, s.label, s.label))
            continue
        cuts = list(_SPLIT_WORDS.finditer(text)) if s.label in (PERSON, ORG, PLACE) else []
        if not cuts:
            out.append(s)
            continue
        pos = 0
        for piece_end, next_start in [(c.start(), c.end()) for c in cuts] + [(len(text), 0)]:
            piece = text[pos:piece_end]
            if piece[:1].isupper():
                out.append(Span(s.field, s.start + pos, s.start + piece_end, s.label, s.label))
            pos = next_start
    return out


def split_work_lists(
    fields: Sequence[str], spans: list[Span], gazetteer: Gazetteer | None
) -> list[Span]:
    """A "title" that nothing marks as one and that is a list or a phrase of capitalised
    names ("Alicante and Castellón", "People in Búzi") is split: known places, names listed
    with one, and names after "in", "at" or "from" are places; the rest (languages, a
    capitalised first word) is dropped."""
    out: list[Span] = []
    for s in spans:
        source = fields[s.field]
        text = source[s.start : s.end]
        cuts = list(_WORK_LIST_JOIN.finditer(text)) if s.label == WORK else []
        if not cuts or title_marked(source, s.start, s.end):
            out.append(s)
            continue
        pieces: list[tuple[int, int, bool]] = []  # (start, end, after a preposition)
        pos, located = 0, False
        for cut in [*cuts, None]:
            end = cut.start() if cut is not None else len(text)
            pieces.append((pos, end, located))
            if cut is not None:
                pos = cut.end()
                if cut.group().strip() in ("in", "at", "from"):
                    pieces, located = [], True
        if not all(w[:1].isupper() for a, b, _ in pieces for w in text[a:b].split()):
            out.append(s)
            continue
        if gazetteer is not None and any(gazetteer.is_language(text[a:b]) for a, b, _ in pieces):
            continue  # one language in the list makes it a list of languages: none of our types
        known = [
            gazetteer is not None and gazetteer.kind(text[a:b]) is not None for a, b, _ in pieces
        ]
        for (a, b, after_prep), is_known in zip(pieces, known, strict=True):
            if is_known or after_prep or any(known):
                out.append(Span(s.field, s.start + a, s.start + b, PLACE, PLACE))
    return out


_WORD_BEFORE = re.compile(r"(\S+)[ \t]+$")

_EVENT_HEAD_WORD = re.compile(
    r"\b(?:Festival|Summit|Games|Olympics|Championships?|Cup|Expo|Marathon|Tournament|Open"
    r"|Finals|Prix|Regatta|Biennale)\b"
)


def _name_start(source: str, start: int) -> int:
    """Where the run of capitalised words (joined by "and", "of", "&") that ends right
    before ``start`` begins; ``start`` itself when there is none."""
    pos = best = start
    while (m := _WORD_BEFORE.search(source, max(0, pos - 40), pos)) is not None:
        word = m.group(1)
        if word in ("and", "of", "&"):
            pos = m.start(1)
            continue
        plain = word.replace("-", "").replace("'", "").replace("’", "")
        if not (word[:1].isupper() and plain.isalpha()) or word in _NOT_NAME_WORDS:
            break
        pos = best = m.start(1)
    return best


def event_names(fields: Sequence[str], spans: list[Span]) -> list[Span]:
    """Named events: a name ending in an event noun runs over the capitalised words before
    it ("Eko Book and Art Festival" where the model took "Art Festival", or nothing); "the
    2008 financial crisis" and "the Covid-19 pandemic" are events; a one-word "event" before
    a noun is an adjective ("a former Olympic swimmer") and is dropped."""
    out: list[Span] = []
    for s in spans:
        source = fields[s.field]
        words = source[s.start : s.end].split()
        if s.label == EVENT and len(words) == 1 and QUALIFIED_NOUN.match(source, s.end):
            continue
        if (
            s.label not in (DATE, LAW)
            and words[-1].casefold() in EVENT_HEADS
            and not (s.label == WORK and title_marked(source, s.start, s.end))
        ):
            start = _name_start(source, s.start)
            if start < s.start or s.label == WORK:
                out.append(Span(s.field, start, s.end, EVENT, EVENT))
                continue
        out.append(s)
    for field, source in enumerate(fields):
        if title_cased_line(source):
            continue  # "Shops Open Late": every word is capitalised, no name stands out
        for m in _EVENT_HEAD_WORD.finditer(source):
            start = _name_start(source, m.start())
            if start < m.start():
                out.append(Span(field, start, m.end(), EVENT, EVENT))
        if any(noun in source for noun in _EVENT_PHRASE_NOUNS):
            for m in _EVENT_PHRASE.finditer(source):
                out.append(Span(field, m.start(1), m.end(1), EVENT, EVENT))
    return out


def quoted_titles(
    fields: Sequence[str], spans: list[Span], unnamed: Sequence[tuple[int, int, int]]
) -> list[Span]:
    """A quoted phrase in title case is a title ("Night Shift", which the model missed, or
    "The Salt Years", which it cut in two): one Work over the whole phrase, replacing the
    mentions inside it; not a quoted theme or slogan, nor a phrase that holds a longer name."""
    out = spans
    for field, source in enumerate(fields):
        for m in _QUOTED.finditer(source):
            start, end = m.span(1)
            text = m.group(1)
            if not is_title_case(text) or any(f == field and a <= start < b for f, a, b in unnamed):
                continue
            inside = [s for s in out if s.field == field and s.start < end and start < s.end]
            if any(s.start < start or s.end > end for s in inside):
                continue
            if any(s.start == start and s.end == end and s.label != WORK for s in inside):
                continue  # the model named the whole phrase: its label and the votes decide
            out = [s for s in out if not any(s is i for i in inside)]
            out.append(Span(field, start, end, WORK, WORK))
    return out


_LOCATED_IN = re.compile(r"\s+(?:in|at)\s+")


def split_located(
    fields: Sequence[str], spans: list[Span], gazetteer: Gazetteer | None
) -> list[Span]:
    """Split "Museum of Fine Arts in Ghent" when what follows "in"/"at" is a known place:
    an organisation or a place, and where it is."""
    if gazetteer is None:
        return spans
    out: list[Span] = []
    for s in spans:
        source = fields[s.field]
        text = source[s.start : s.end]
        cut = _LOCATED_IN.search(text) if s.label in (ORG, PLACE) else None
        bracket = BRACKETED.match(source, s.end) if cut else None
        if bracket and acronym_of(bracket.group(1), text):
            cut = None  # "… Cooperation in Europe (OSCE)": the place is part of the name
        if cut and cut.start() > 0 and gazetteer.kind(text[cut.end() :]) is not None:
            out.append(Span(s.field, s.start, s.start + cut.start(), s.label, s.label))
            out.append(Span(s.field, s.start + cut.end(), s.end, PLACE, PLACE))
        else:
            out.append(s)
    return out


def split_nationality(
    fields: Sequence[str], spans: list[Span], gazetteer: Gazetteer | None
) -> list[Span]:
    """A nationality the model ran into the name after it ("Chilean Marcelo Oyarzun",
    "German Lars Brenner"): a Group, then the person, when a known given name follows it."""
    if gazetteer is None:
        return spans
    out: list[Span] = []
    for s in spans:
        words = fields[s.field][s.start : s.end].split(" ")
        if (
            s.label != DATE
            and len(words) >= 3
            and DEMONYM.match(words[0])
            and gazetteer.kind(words[0]) is None
            and gazetteer.is_given_name(words[1])
        ):
            cut = s.start + len(words[0])
            out.append(Span(s.field, s.start, cut, GROUP, GROUP))
            out.append(Span(s.field, cut + 1, s.end, PERSON, PERSON))
        else:
            out.append(s)
    return out


def extend_given_names(
    fields: Sequence[str],
    spans: list[Span],
    gazetteer: Gazetteer | None,
    not_given: frozenset[str] = frozenset(),
) -> list[Span]:
    """A one-word name right after a known given name is that person's surname: the model
    took "Wrona" of "Tomasz Wrona"; the span takes the given name and becomes a person.
    ``not_given``: words of the article's language that are never a given name there
    (French "Le", "Les", given names in English)."""
    if gazetteer is None:
        return spans
    starts = {(s.field, s.end) for s in spans}
    out: list[Span] = []
    for s in spans:
        source = fields[s.field]
        text = source[s.start : s.end]
        # The word before is read only for one-word names after one space (the cheap tests
        # first; the span is kept the same whichever fails).
        prev = (
            _WORD_BEFORE.search(source, max(0, s.start - 30), s.start)
            if s.label in (PERSON, ORG, PLACE)
            and source[s.start - 1 : s.start] == " "
            and " " not in text
            and not is_acronym(text)
            else None
        )
        if (
            prev is not None
            and source[prev.end(1) : s.start] == " "
            and prev.group(1)[:1].isupper()
            and gazetteer.is_given_name(prev.group(1))
            and prev.group(1) not in _NOT_NAME_WORDS
            and prev.group(1) not in not_given
            and prev.group(1).casefold() not in PLACE_PREFIXES
            and not gazetteer.is_given_name(text)
            and (s.field, prev.end(1)) not in starts
        ):
            out.append(Span(s.field, prev.start(1), s.end, PERSON, PERSON))
        else:
            out.append(s)
    return out


def extend_laws_by_year(fields: Sequence[str], spans: list[Span]) -> list[Span]:
    """A law's year belongs to its name ("Building Societies Act 1986")."""
    out: list[Span] = []
    for s in spans:
        source = fields[s.field]
        words = source[s.start : s.end].split()
        m = _YEAR_AFTER.match(source[s.end : s.end + 12])
        if m and len(words) > 1 and words[-1].casefold() in LAW_HEADS:
            out.append(Span(s.field, s.start, s.end + m.end(), LAW, LAW))
        else:
            out.append(s)
    return out


def dateline(fields: Sequence[str], spans: list[Span]) -> list[Span]:
    """The capitalised opening words of a news text before a comma or dash: a place; or a
    wire dateline line in its first lines, a place in capitals before an ISO date."""
    if len(fields) < 2:
        return spans
    m = _DATELINE.match(fields[1])
    if not m:
        return _iso_dateline(fields, spans)
    start, end = m.span()
    kept = [s for s in spans if not (s.field == 1 and s.start < end and start < s.end)]
    kept.append(Span(1, start, end, PLACE, PLACE))
    # "LONDON (Agency) —": the name in brackets before the dash is the news agency.
    agency = _DATELINE_AGENCY.match(fields[1], end)
    if agency:
        a, b = agency.span(1)
        kept = [s for s in kept if not (s.field == 1 and s.start < b and a < s.end)]
        kept.append(Span(1, a, b, ORG, ORG))
    return kept


def _iso_dateline(fields: Sequence[str], spans: list[Span]) -> list[Span]:
    offset = 0
    for line in fields[1].split("\n", _DATELINE_LINES)[:_DATELINE_LINES]:
        m = ISO_DATELINE.match(line)
        if m is not None:
            names = [m.span(g) for g in ("place", "country") if m.group(g)]
            kept = [
                s
                for s in spans
                if not (
                    s.field == 1
                    and any(s.start < offset + b and offset + a < s.end for a, b in names)
                )
            ]
            return kept + [
                Span(1, offset + a, offset + b, PLACE, PLACE, fixed=True) for a, b in names
            ]
        offset += len(line) + 1
    return spans


def bracketed_acronyms(fields: Sequence[str], spans: list[Span]) -> list[Span]:
    """Add an acronym the model missed in brackets right after the name it abbreviates."""
    taken = {(s.field, s.start) for s in spans}
    added: list[Span] = []
    for s in spans:
        if s.label == DATE:
            continue
        source = fields[s.field]
        m = BRACKETED.match(source, s.end)
        if not m or (s.field, m.start(1)) in taken:
            continue
        inner = m.group(1)
        name = source[s.start : s.end]
        last = inner.split()[-1]
        shared_start = len(inner.split()) > 1 and inner.split()[0] == name.split()[0]
        if acronym_of(inner, name) or (shared_start and is_acronym(last)):
            added.append(Span(s.field, m.start(1), m.end(1), s.label, s.label))
    return dedupe(spans + added) if added else spans
