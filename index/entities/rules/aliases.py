"""Phase 3, alias linking: which mentions name one entity (a surname or given name and the
full name, an acronym and its long form, "X (Y)" definitions and translations, an
organisation's first word, a storm's name), and the one display form of each entity."""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence

from ..gazetteer import PlaceKind
from .names import (
    acronym_forms,
    acronym_letters,
    acronym_of,
    is_acronym,
    looks_like_full_name,
    name_words,
    spells,
    storm_name,
)
from .spans import (
    DATE,
    EVENT,
    GROUP,
    ORG,
    PERSON,
    PLACE,
    Aliases,
    Document,
    Span,
    majority,
    normalise,
)

_OPEN_BETWEEN = re.compile(r"\s*\(\s*")

_CLOSE_AFTER = re.compile(r"\s*\)")


def link_aliases(doc: Document, spans: list[Span], keys: Sequence[str] | None = None) -> Aliases:
    """Which entity keys name one entity; ``keys`` are the spans' keys if known already."""
    aliases = Aliases()
    if keys is None:
        keys = [doc.key_of(s) for s in spans]
    by_key = doc.entities(spans, keys=keys)
    labels = {k: majority(v) for k, v in by_key.items()}
    model_labels = {k: _most_common_model_label(v) for k, v in by_key.items()}
    texts = {k: doc.text_of(v[0]) for k, v in by_key.items()}
    names = [k for k in by_key if not k.startswith("d:")]

    # Acronyms: "PMU" for "Popular Mobilization Units" anywhere in the document.
    several_words = [k for k in names if len(texts[k].split()) > 1]
    for short in names:
        if not is_acronym(texts[short]):
            continue
        letters = acronym_letters(texts[short])  # acronym_of, its short side read once
        matches = [
            long
            for long in several_words
            if long != short and spells(letters, acronym_forms(texts[long]))
        ]
        if len(matches) == 1:
            aliases.union(short, matches[0])

    # "X (Y)": a parenthesised name right after another defines one as the other.
    ordered = sorted(zip(spans, keys, strict=True), key=lambda sk: (sk[0].field, sk[0].start))
    for (a, ka), (b, kb) in itertools.pairwise(ordered):
        if a.field != b.field or a.label == DATE or b.label == DATE:
            continue
        source = doc.fields[a.field]
        if source.find("(", a.end, b.start) == -1:
            continue
        if not _OPEN_BETWEEN.fullmatch(source, a.end, b.start) or not _CLOSE_AFTER.match(
            source, b.end
        ):
            continue
        ta, tb = texts[ka], texts[kb]
        acronym = acronym_of(tb, ta) or acronym_of(ta, tb)
        if not acronym and PLACE not in (labels[ka], labels[kb]) and len(ta.split()) > 1:
            acronym = is_acronym(tb.split()[-1])
        # Two multi-word names, one an organisation: a translation ("Al-Hashd al-Shaabi
        # (Popular Mobilization Units)"); a place in brackets is a location, not an alias.
        pair = (model_labels[ka], model_labels[kb])
        translation = (
            PLACE not in pair and ORG in pair and len(ta.split()) > 1 and len(tb.split()) > 1
        )
        if acronym or translation:
            aliases.union(ka, kb)
        if translation and not acronym:
            aliases.organisations.update((ka, kb))

    # Named storms: "Imani" alone is "Cyclone Imani".
    storms = {k: name for k in names if labels[k] == EVENT and (name := storm_name(texts[k]))}
    for short in names if storms else ():
        matches = [k for k, name in storms.items() if name and name == texts[short]]
        if len(matches) == 1 and matches[0] != short:
            aliases.union(short, matches[0])

    # People: a surname or given name alone refers to the one full name that has it.
    words_of = {k: name_words(doc, texts[k]) for k in names}
    people = [k for k in names if labels[k] == PERSON and len(words_of[k]) > 1]
    by_last: dict[str, list[str]] = {}
    by_first: dict[str, list[str]] = {}
    for k in people:
        by_last.setdefault(words_of[k][-1], []).append(k)
        by_first.setdefault(words_of[k][0], []).append(k)
    is_person = set(people)
    for short in names:
        words = words_of[short]
        if len(words) != 1 or short in is_person:
            continue
        last = by_last.get(words[0], [])
        first = by_first.get(words[0], [])
        if not last and labels[short] == PERSON:
            # A surname the model knows for a person makes its full name a person's too,
            # whatever the model called that ("Adaeze Okafor" a place, "Okafor" a person).
            last = [
                k
                for k in names
                if labels[k] in (PLACE, ORG)
                and len(words_of[k]) > 1
                and words_of[k][-1] == words[0]
                and looks_like_full_name(texts[k], doc.gazetteer)
            ]
        # A surname the model called a place, unless it is a region, a country or a large
        # city ("Jack London" … "London" stays a place).
        minor_place = labels[short] == PLACE and (
            doc.gazetteer is None
            or (
                (doc.gazetteer.kind(texts[short]) or 0) < PlaceKind.REGION
                and not doc.gazetteer.is_major_city(texts[short])
            )
        )
        if len(last) == 1 and (labels[short] in (PERSON, ORG, GROUP) or minor_place):
            aliases.union(short, last[0])
        elif not last and len(first) == 1 and labels[short] == PERSON:
            aliases.union(short, first[0])

    # Organisations: the first word alone, after the full name ("Northgate Bank" ...
    # "Northgate"), unless the model took the word for a place or it is a known place
    # ("Tokyo" is not "Tokyo Electron", the "Danube" not the "Danube River Alliance").
    # First occurrence in the text; the title, a summary, comes after the whole text.
    org_heads: dict[str, list[str]] = {}
    for k in names:
        if labels[k] == ORG and len(words := texts[k].split()) > 1:
            org_heads.setdefault(words[0], []).append(k)
    first_seen: dict[str, tuple[int, int]] = {}
    for s, key in ordered if org_heads else ():
        where = (0 if s.field == 1 else 1, s.start)
        first_seen[key] = min(first_seen.get(key, where), where)
    for short in names if org_heads else ():
        text = texts[short]
        if " " in text or is_acronym(text) or model_labels[short] not in (ORG, PERSON):
            continue
        if aliases.find(short) != short or (doc.gazetteer is not None and doc.gazetteer.kind(text)):
            continue
        heads = org_heads.get(text, [])
        if len(heads) == 1 and first_seen[heads[0]] < first_seen[short]:
            aliases.union(short, heads[0])
    return aliases


def _most_common_model_label(spans: list[Span]) -> str:
    """The model label most mentions have; a tie goes to the one seen first."""
    if len(spans) == 1:
        return spans[0].model_label
    counts: dict[str, int] = {}
    for s in spans:
        counts[s.model_label] = counts.get(s.model_label, 0) + 1
    return max(counts, key=counts.__getitem__)


def canonical_forms(
    doc: Document, entities: Mapping[str, Sequence[Span]]
) -> dict[tuple[int, int], str]:
    """One display form per entity (``Document.entities`` with the aliases): the fullest,
    most used, not all-caps spelling."""
    out: dict[tuple[int, int], str] = {}
    for members in entities.values():
        if len(members) == 1:
            out[members[0].start, members[0].field] = normalise(doc.text_of(members[0]))
            continue
        forms = [normalise(doc.text_of(m)) for m in members]
        counts: dict[str, int] = {}  # in the order first seen, as the ties need
        order: dict[str, int] = {}  # where each form is first seen
        for i, t in enumerate(forms):
            counts[t] = counts.get(t, 0) + 1
            order.setdefault(t, i)

        best = max(
            counts,
            key=lambda t, counts=counts, order=order: (  # type: ignore[misc]
                not is_acronym(t),
                not (t.isupper() and len(t) > 1),
                len(t.split()),
                counts[t],
                -order[t],
            ),
        )
        for m in members:
            out[m.start, m.field] = best
    return out
