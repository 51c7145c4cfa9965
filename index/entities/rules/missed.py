"""Phase 5, mentions the model missed: other occurrences of the strings an article's
entities go by (their surnames, an organisation's acronym, a storm's name)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence

from .names import initials, storm_name, surnames
from .spans import DATE, EVENT, ORG, PERSON, Document, Span


def _word_bounded(source: str, start: int, end: int) -> bool:
    if start > 0 and source[start - 1].isalnum():
        return False
    if start > 1 and source[start - 1] == "-" and source[start - 2].islower():
        return False
    return not (end < len(source) and source[end].isalnum())


def _occurrences(source: str, surface: str) -> Iterator[int]:
    """Where ``surface`` starts in ``source``, left to right, occurrences not overlapping (a
    plain search: a regex per surface and article overflowed re's cache)."""
    start = source.find(surface)
    while start != -1:
        yield start
        start = source.find(surface, start + len(surface))


def known_forms(doc: Document, spans: list[Span]) -> dict[str, set[str]]:
    """The strings each label's entities go by: their texts, a person's surnames, an
    organisation's acronym used without being defined ("IS", "PMU"), a storm's name."""
    forms: dict[str, set[str]] = defaultdict(set)
    for s in spans:
        text = doc.text_of(s)
        if s.label != DATE:
            forms[s.label].add(text)
        if s.label == PERSON:
            forms[PERSON].update(surnames(text))
        elif s.label == ORG and len(text.split()) > 1:
            forms[ORG].add(initials(text, skip=True))
        elif s.label == EVENT and (name := storm_name(text)):
            forms[EVENT].add(name)
    return forms


def add_missed(fields: Sequence[str], spans: list[Span], forms: dict[str, set[str]]) -> list[Span]:
    """Add occurrences of known entity strings the model missed; a longer known entity
    replaces shorter mentions inside it ("Islamic" inside "Islamic State")."""
    surfaces: list[tuple[str, str]] = []  # (surface, label)
    for label, texts in forms.items():
        surfaces.extend((t, label) for t in texts)
    surfaces.sort(key=lambda x: -len(x[0]))
    by_field: dict[int, list[Span]] = defaultdict(list)
    # How many mentions of each field have exactly these bounds: most occurrences found are
    # the mentions themselves, which this tells without reading the field's mentions.
    bounds: dict[int, Counter[tuple[int, int]]] = defaultdict(Counter)
    for s in spans:
        by_field[s.field].append(s)
        bounds[s.field][s.start, s.end] += 1
    for surface, label in surfaces:
        if len(surface) < 2:
            continue
        for field, source in enumerate(fields):
            for start in _occurrences(source, surface):
                end = start + len(surface)
                if bounds[field][start, end] or not _word_bounded(source, start, end):
                    continue  # a mention already (the checks below would say so too)
                inside = [s for s in by_field[field] if s.start < end and start < s.end]
                if any(s.start < start or s.end > end for s in inside):
                    continue  # overlaps partly, or lies inside a longer mention
                if any(s.start == start and s.end == end for s in inside):
                    continue
                for s in inside:
                    by_field[field].remove(s)
                    bounds[field][s.start, s.end] -= 1
                by_field[field].append(Span(field, start, end, label, label, 1, added=True))
                bounds[field][start, end] += 1
    return [s for f in sorted(by_field) for s in by_field[f]]
