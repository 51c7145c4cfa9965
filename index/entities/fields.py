"""Which search field holds which entity type: the one map that the store (what it hands
the index), the query parser (``person:``, ``org:``) and the entity panel (the search it
runs for an entity) all read. Imports nothing, so the app can read it at start-up."""

from __future__ import annotations

# Entity type -> the search field its names are indexed in. Types not here (dates, events,
# works, laws) have no field of their own: they are found as phrases in the text.
SEARCH_FIELDS: dict[str, str] = {
    "Person": "person",
    "Organization": "org",
    "Place": "place",
    "Group": "group",
}
ENTITY_FIELDS: tuple[str, ...] = tuple(SEARCH_FIELDS.values())
# Other names a query may use for an entity field ("organisation:unicef").
FIELD_ALIASES: dict[str, str] = {
    "organization": "org",
    "organisation": "org",
    "people": "person",
}


def search_field(label: str) -> str | None:
    """The search field of an entity type (``"Person"`` -> ``"person"``), None if it has none."""
    return SEARCH_FIELDS.get(label)


def entity_query(label: str, name: str) -> str:
    """The search that finds articles naming this entity: ``person:"…"``, or the name as a
    phrase for a type without a field. Quotes inside the name become spaces."""
    phrase = '"' + " ".join(name.replace('"', " ").split()) + '"'
    field = search_field(label)
    return f"{field}:{phrase}" if field else phrase
