"""Library.entity_groups' grouping and the one label <-> search field map."""

from __future__ import annotations

from functools import partial

from mentions import mention
from newsreader.index.entities.fields import ENTITY_FIELDS, SEARCH_FIELDS, entity_query
from newsreader.index.entities.groups import group_mentions
from newsreader.index.models import ENTITY_TYPES, Mention
from newsreader.index.search import query as search_query
from newsreader.index.search import schema

TEXT = "Bashar al-Assad spoke in Damascus on Monday. Assad said the Kurds and Reuters were wrong."


_m = partial(mention, TEXT)


MENTIONS = [
    _m("Bashar al-Assad", "Person"),
    _m("Assad", "Person", "Bashar al-Assad", nth=1),
    _m("Damascus", "Place"),
    _m("Monday", "Date"),
    _m("Kurds", "Group"),
    _m("Reuters", "Organization"),
]


def test_groups_by_type_with_counts() -> None:
    groups = group_mentions([MENTIONS[1], *MENTIONS])
    person = groups[0]
    assert person.label == "Person" and person.mentions == 3
    assert [(e.name, e.count) for e in person.entities] == [("Bashar al-Assad", 3)]
    assert person.entities[0].aliases == ("Assad",)
    assert [g.label for g in groups] == ["Person", "Organization", "Place", "Group", "Date"]


def test_most_mentioned_first_then_by_name_and_unknown_types_last() -> None:
    def m(text: str, label: str) -> Mention:
        return Mention(text, label, 0, len(text), text)

    places = [m("zeta", "Place"), m("Alpha", "Place"), m("beta", "Place"), m("beta", "Place")]
    groups = group_mentions([*places, m("Thing", "Product"), m("  spaced   name ", "Person")])
    assert [g.label for g in groups] == ["Person", "Place", "Product"]
    assert [e.name for e in groups[1].entities] == ["beta", "Alpha", "zeta"]
    assert groups[0].entities[0].name == "spaced name"
    assert groups[0].entities[0].aliases == ()


def test_each_entity_carries_its_search() -> None:
    groups = group_mentions(MENTIONS)
    queries = {e.name: e.query for g in groups for e in g.entities}
    assert queries["Bashar al-Assad"] == 'person:"Bashar al-Assad"'
    assert queries["Monday"] == '"Monday"'


def test_entity_queries() -> None:
    assert entity_query("Person", "Bashar al-Assad") == 'person:"Bashar al-Assad"'
    assert entity_query("Organization", "Islamic State") == 'org:"Islamic State"'
    assert entity_query("Place", "Mosul") == 'place:"Mosul"'
    assert entity_query("Group", "Kurds") == 'group:"Kurds"'
    assert entity_query("Event", 'the "Big" Storm') == '"the Big Storm"'


def test_one_map_for_store_search_and_panel() -> None:
    assert set(SEARCH_FIELDS) <= set(ENTITY_TYPES)
    assert schema.ENTITY_FIELDS == ENTITY_FIELDS
    assert set(ENTITY_FIELDS) <= set(schema.make_schema().names())
    for field in ENTITY_FIELDS:
        assert search_query.FIELD_NAMES[field] == field
    assert search_query.FIELD_NAMES["organisation"] == "org"
