"""Phase 6, last drops once every entity is known: a lone capitalised word at a sentence
start that nothing marks as a person ("Bring cash"), and a disease's name ("X virus")."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from .lexicon import HONORIFIC_BEFORE, PERSON_NOUNS
from .names import is_acronym, name_words
from .spans import DATE, PERSON, PLACE, Document, Span, at_sentence_start

# The article's entities, each with its mentions (``Document.entities`` with the aliases).
Entities = Mapping[str, Sequence[Span]]

_DISEASE_AFTER = re.compile(
    r"[\s-]+(?:virus|viruses|disease|diseases|fever|syndrome|flu|influenza|strain|variant)\b",
    re.IGNORECASE,
)


def drop_stray_capitals(doc: Document, spans: list[Span], entities: Entities) -> list[Span]:
    """A one-word "person" that starts a sentence, is mentioned nowhere else in the article
    and has nothing around it that marks a person is a capitalised common word ("Bring
    cash", "Turnout was low"): news names a person in full first."""
    stray: set[int] = set()
    # A word of another person's name ("Webb" of "Ann Webb" and "Tom Webb") is a name.
    person_words = {
        w
        for s in spans
        if s.label == PERSON
        for w in name_words(doc, doc.text_of(s))
        if " " in doc.text_of(s)
    }
    for members in entities.values():
        if len(members) != 1:
            continue
        s = members[0]
        text = doc.text_of(s)
        source = doc.fields[s.field]
        before = source[max(0, s.start - 30) : s.start]
        if (
            s.label == PERSON
            and not (s.added or s.person_cue)
            and " " not in text
            and not is_acronym(text)
            and text.casefold() not in person_words
            and at_sentence_start(source, s.start)
            and not (HONORIFIC_BEFORE.search(before) or PERSON_NOUNS.search(before))
        ):
            stray.add(id(s))
    return [s for s in spans if id(s) not in stray] if stray else spans


def drop_diseases(doc: Document, spans: list[Span], entities: Entities) -> list[Span]:
    """A name right before "virus", "disease", "fever" … names a disease ("Marburg virus
    disease", "Lassa fever"), none of our types: all its mentions go, unless one of them
    sits in a place context ("in X")."""
    sick: set[int] = set()
    for members in entities.values():
        if members[0].label == DATE or any(m.loc_cue for m in members):
            continue
        if any(_DISEASE_AFTER.match(doc.fields[m.field], m.end) for m in members):
            sick.update(id(m) for m in members)
    return [s for s in spans if id(s) not in sick] if sick else spans


def drop_lone_given_names(doc: Document, spans: list[Span], entities: Entities) -> list[Span]:
    """A given name alone ("Brad", "Lingard's mate Jesse") that the article never links to a
    full name is no one a reader can look up: all its mentions go, whether the model called
    it a person or a place. A known place ("Florence"), a place something marks as one
    ("in Karen"), a team ("Villa", an organisation) and another person's surname here stay."""
    gaz = doc.gazetteer
    if gaz is None:
        return spans
    surnames = {
        name_words(doc, doc.text_of(s))[-1]
        for s in spans
        if s.label == PERSON and " " in doc.text_of(s)
    }
    lone: set[int] = set()
    for members in entities.values():
        texts = {doc.text_of(m) for m in members}
        if any(" " in t or "-" in t for t in texts) or members[0].label not in (PERSON, PLACE):
            continue
        if any(m.loc_cue for m in members):
            continue  # "in Karen": a place something says is one
        text = next(iter(texts))
        if (
            gaz.is_given_name(text)
            and gaz.kind(text) is None
            and not is_acronym(text)
            and text.casefold() not in surnames
        ):
            lone.update(id(m) for m in members)
    return [s for s in spans if id(s) not in lone] if lone else spans
