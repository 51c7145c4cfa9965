"""Entity fields in search, end to end: stored articles, the real model, then person:/org:/…"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from feedmaker import Item, rss
from newsreader.index.entities.extract import model_available
from newsreader.index.library import Library

pytestmark = pytest.mark.skipif(not model_available(), reason="no spaCy model installed")

STORIES = [
    Item(
        guid="port",
        title="Dock workers extend their strike",
        body=(
            "<p>Adaeze Okafor, who leads the dock workers' union in Lagos, said on Monday that"
            " the strike would go on.</p>"
            "<p>The Nigerian Ports Authority (NPA) has refused to meet the union. Okafor said"
            " the NPA was stalling while Yoruba traders lost money.</p>"
        ),
    ),
    Item(
        guid="rail",
        title="New rail line opens in Kenya",
        body=(
            "<p>Passengers boarded the first train from Nairobi to Mombasa on Tuesday.</p>"
            "<p>Kenya Railways said the line would carry freight from the port by March.</p>"
        ),
    ),
]


@pytest.fixture(scope="module")
def enriched(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    root = tmp_path_factory.mktemp("entity-search")
    feed = root / "feed.xml"
    feed.write_bytes(rss("Wire", STORIES))
    lib = Library.open(root / "data")
    lib.add_feed(str(feed))
    assert lib.enrich() == 2
    yield lib
    lib.close()


def titles(lib: Library, query: str) -> set[str]:
    return {h.title for h in lib.search(query).hits}


PORT = {"Dock workers extend their strike"}
RAIL = {"New rail line opens in Kenya"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('person:"adaeze okafor"', PORT),
        ("person:okafor", PORT),
        ('org:"nigerian ports authority"', PORT),
        ("org:npa", PORT),  # the acronym defined in brackets is an alias
        ("place:lagos", PORT),
        ("place:nairobi", RAIL),
        ("group:yoruba", PORT),
        ('org:"kenya railways"', RAIL),
        ("place:mombasa OR place:lagos", PORT | RAIL),
    ],
)
def test_entity_fields_find_their_articles(
    enriched: Library, query: str, expected: set[str]
) -> None:
    assert titles(enriched, query) == expected


@pytest.mark.parametrize("query", ["person:lagos", "place:okafor", "org:nairobi", "group:npa"])
def test_an_entity_is_found_only_under_its_own_type(enriched: Library, query: str) -> None:
    assert titles(enriched, query) == set()


def test_entity_fields_combine_with_words(enriched: Library) -> None:
    assert titles(enriched, "person:okafor strike") == PORT
    assert titles(enriched, "person:okafor train") == set()


def test_the_short_forms_share_the_full_entity(enriched: Library) -> None:
    article = next(iter(enriched.search("person:okafor").hits))
    canon = {m.text: m.canonical for _, m in enriched.article_entities(article.id)}
    assert canon["Okafor"] == "Adaeze Okafor"
    assert canon["NPA"] == "Nigerian Ports Authority"


def test_entities_survive_a_rebuilt_index(enriched: Library, tmp_path: Path) -> None:
    enriched.reindex()
    assert titles(enriched, "org:npa") == PORT
