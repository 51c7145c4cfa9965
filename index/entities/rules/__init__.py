"""Document-level rules that turn a model's raw entity spans into clean, consistent mentions.

Pure Python, no spaCy: ``resolve_document`` takes the fields of one article (title, text)
and the raw spans a model found in them (already mapped to our user-facing types) and runs
the phases in order, one module each:

1. ``cleanup``: each span alone (punctuation, articles, honorifics, descriptors; dates that
   are durations or amounts; languages; slogans and product names);
2. ``boundaries``: split what the model ran together, extend what it cut short, add the
   dateline, bracketed acronyms, quoted titles and well-known places; ``tables``: in
   English, what the shape of a sports table's line says (teams, players, countries);
3. ``aliases``: which mentions name one entity (surnames, acronyms, "X (Y)", first words);
4. ``votes``: one label per entity from the model, head words, context cues and the
   gazetteer;
5. ``missed``: other occurrences of the entities' names the model missed, then a second
   vote so they take their entity's label;
6. ``drops``: lone capitalised words at a sentence start, and diseases' names.

``spans`` holds the shapes all phases share, ``names`` what a name's own words say and
``lexicon`` the word lists several phases read.
"""

from __future__ import annotations

from collections.abc import Sequence

from ...models import Mention
from ..gazetteer import Gazetteer
from .aliases import canonical_forms
from .boundaries import (
    bracketed_acronyms,
    dateline,
    event_names,
    extend_given_names,
    extend_group_fragments,
    extend_laws_by_year,
    known_places,
    quoted_titles,
    split_group_lists,
    split_joined,
    split_located,
    split_nationality,
    split_work_lists,
)
from .cleanup import clean_span, drop_unnamed, is_calendar_date, language_span
from .drops import drop_diseases, drop_lone_given_names, drop_stray_capitals
from .french import french_spans
from .french_names import (
    FRENCH_ARTICLES,
    MISC,
    classify_misc,
    competition_spans,
    french_names,
    trim,
)
from .missed import add_missed, known_forms
from .names import acronym_of, head_vote
from .notnames import drop_not_names
from .spans import Document, RawSpan, Span, at_sentence_start, dedupe, entity_key, normalise
from .tables import headline_slug, table_names
from .votes import link_and_vote

__all__ = [
    "RawSpan",
    "acronym_of",
    "clean_span",
    "entity_key",
    "head_vote",
    "is_calendar_date",
    "normalise",
    "resolve_document",
]


def _without(entities: dict[str, list[Span]], kept: set[int]) -> dict[str, list[Span]]:
    """The entities with only the mentions kept (by id), none left empty: the same groups as
    ``Document.entities`` of the kept mentions gives (the order of the groups aside)."""
    out: dict[str, list[Span]] = {}
    for root, members in entities.items():
        if left := [m for m in members if id(m) in kept]:
            out[root] = left
    return out


def resolve_document(
    fields: Sequence[str],
    raw: Sequence[RawSpan],
    gazetteer: Gazetteer | None = None,
    *,
    language: str = "en",
    surfaces: Sequence[str] | None = None,
    layout: Sequence[str] | None = None,
) -> list[list[Mention]]:
    """Clean and reconcile one document's raw spans; returns mentions per field.

    ``language`` is the article's (ISO 639-1): rules that read English words run on
    English only; the others (punctuation, aliases, votes, missed mentions) on any.
    ``surfaces``: the fields as written when ``fields`` is a copy with the case restored
    (same lengths); the mentions quote them. ``layout``: the fields with their spacing as
    written when ``fields`` has wire punctuation closed up: the tables are read in it."""
    # 0. spans whose label only a cue decides (the French model's MISC): classified or gone
    raw = [r for r in raw if r.label != MISC] + (
        classify_misc(fields, [r for r in raw if r.label == MISC]) if language == "fr" else []
    )
    # 1. each span alone
    cleaned = [c for r in raw if (c := clean_span(fields[r.field], r)) is not None]
    cleaned = drop_not_names(fields, cleaned)
    if language == "fr":
        cleaned = [
            k
            for c in cleaned
            if (k := trim(fields[c.field], c, at_sentence_start(fields[c.field], c.start)))
            is not None
        ]
    if gazetteer is not None:
        cleaned = [k for c in cleaned if (k := language_span(fields, c, gazetteer)) is not None]
    cleaned, unnamed = drop_unnamed(fields, cleaned)
    # 2. boundaries
    spans = [Span(c.field, c.start, c.end, c.label, c.label) for c in cleaned]
    spans = split_joined(fields, spans)
    spans = split_work_lists(fields, spans, gazetteer)
    spans = split_located(fields, spans, gazetteer)
    if language == "en":
        spans = split_nationality(fields, spans, gazetteer)
    spans = extend_given_names(
        fields, spans, gazetteer, FRENCH_ARTICLES if language == "fr" else frozenset()
    )
    spans = event_names(fields, spans)
    spans = quoted_titles(fields, spans, unnamed)
    spans = split_group_lists(fields, spans)
    spans = extend_group_fragments(fields, spans)
    spans = extend_laws_by_year(fields, spans)
    spans = dateline(fields, spans)
    if language == "en":
        spans = table_names(layout or fields, spans, gazetteer)
        spans = headline_slug(fields, spans, gazetteer)
    if gazetteer is not None:
        spans = known_places(fields, spans, gazetteer)
    if language == "fr":
        spans = french_spans(fields, spans, competition_spans(fields))
        spans = french_names(fields, spans)
    spans = dedupe(spans)
    spans = bracketed_acronyms(fields, spans)
    # 3 and 4. aliases and votes
    doc = Document(fields, gazetteer, language)
    link_and_vote(doc, spans)
    # 5. what the model missed, then a second vote so added mentions take the entity's label
    spans = add_missed(fields, spans, known_forms(doc, spans))
    aliases = link_and_vote(doc, spans)
    # 6. last drops
    # (the entities are grouped once; each drop takes its mentions out of the groups)
    entities = doc.entities(spans, aliases)
    for drop in (drop_stray_capitals, drop_diseases, drop_lone_given_names):
        kept = drop(doc, spans, entities)
        if len(kept) != len(spans):
            entities = _without(entities, {id(s) for s in kept})
        spans = kept
    canon = canonical_forms(doc, entities)

    written = fields if surfaces is None else surfaces
    out: list[list[Mention]] = [[] for _ in fields]
    for s in sorted(spans, key=lambda s: (s.field, s.start)):
        out[s.field].append(
            Mention(
                text=written[s.field][s.start : s.end],
                label=s.label,
                start=s.start,
                end=s.end,
                canonical=canon[s.start, s.field],
            )
        )
    return out
