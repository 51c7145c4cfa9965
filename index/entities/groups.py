"""An article's mentions grouped into entities by type: the one grouping that the entity
panel and ``newsreader entities`` both show (``Library.entity_groups``)."""

from __future__ import annotations

from collections.abc import Iterable

from ..models import ENTITY_TYPES, EntityGroup, Mention, NamedEntity
from .fields import entity_query


def display_name(m: Mention) -> str:
    """The name a mention's entity is shown (and counted) by: its canonical form, spaces
    collapsed, or its own text when it has none."""
    return " ".join((m.canonical or m.text).split())


def group_mentions(mentions: Iterable[Mention]) -> list[EntityGroup]:
    """Groups in ENTITY_TYPES order (unknown types after, by name); in each, entities by
    mention count, then by name; each entity's other forms in the order they appear."""
    counts: dict[tuple[str, str], int] = {}
    aliases: dict[tuple[str, str], list[str]] = {}
    for m in mentions:
        name = display_name(m)
        if not name:
            continue
        key = (m.label, name)
        counts[key] = counts.get(key, 0) + 1
        forms = aliases.setdefault(key, [])
        text = " ".join(m.text.split())
        if text != name and text not in forms:
            forms.append(text)
    labels = {label for label, _ in counts}
    groups: list[EntityGroup] = []
    for label in (*ENTITY_TYPES, *sorted(labels - set(ENTITY_TYPES))):
        keys = [k for k in counts if k[0] == label]
        if not keys:
            continue
        keys.sort(key=lambda k: (-counts[k], k[1].casefold()))
        entities = tuple(
            NamedEntity(
                name=name,
                label=label,
                count=counts[label, name],
                aliases=tuple(aliases[label, name]),
                query=entity_query(label, name),
            )
            for _, name in keys
        )
        groups.append(EntityGroup(label, entities))
    return groups
