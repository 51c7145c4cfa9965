"""Other coverage: one event in different words is found; the same names in other news,
and the same text outside the time window, are not."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from coverage_fixtures import LATE, OTHER_NEWS, QUAKE, store_pieces
from newsreader.index.models import Coverage
from newsreader.index.store import Store
from newsreader.index.stories.coverage import content_words, cosine, other_coverage
from newsreader.index.stories.grouping import group_pending

START = datetime(2026, 3, 6, 8, tzinfo=UTC)


@pytest.fixture
def store() -> Store:
    store = Store.memory()
    store.ids = store_pieces(store, (*QUAKE, *OTHER_NEWS, LATE), START)  # type: ignore[attr-defined]
    group_pending(store)
    return store


def _coverage(store: Store, key: str) -> list[Coverage]:
    aid = store.ids[key]  # type: ignore[attr-defined]
    return other_coverage(store, aid, [m for _, m in store.article_entities(aid)], limit=10)


def _keys(store: Store, found: list[Coverage]) -> set[str]:
    by_id = {v: k for k, v in store.ids.items()}  # type: ignore[attr-defined]
    return {by_id[c.article_id] for c in found}


@pytest.mark.parametrize("key", [p.key for p in QUAKE])
def test_each_report_of_the_event_finds_the_other_two(store: Store, key: str) -> None:
    found = _coverage(store, key)
    assert _keys(store, found) == {p.key for p in QUAKE} - {key}
    for c in found:
        assert "AFAD" in c.shared and "Suleyman Soylu" in c.shared
        assert 0 < c.text_score <= 1 and 0 < c.entity_score <= 1


@pytest.mark.parametrize("key", [p.key for p in OTHER_NEWS])
def test_the_same_names_in_other_news_are_not_coverage(store: Store, key: str) -> None:
    assert _coverage(store, key) == []


def test_the_same_text_outside_the_window_is_not_coverage(store: Store) -> None:
    assert _coverage(store, LATE.key) == []
    assert LATE.key not in _keys(store, _coverage(store, QUAKE[1].key))


def test_a_copy_is_its_story_not_other_coverage() -> None:
    """The wire report again in another feed under a tracking link is the same story:
    grouped with the report, and neither lists the other as other coverage."""
    store = Store.memory()
    first = QUAKE[0]
    copy = replace(first, key="quake-mirror", feed="Mirror", link=f"{first.url}?utm_source=rss")
    ids = store_pieces(store, (*QUAKE, copy), START)
    group_pending(store)
    assert store.story_ids([ids[copy.key]])[ids[copy.key]][0] == ids[first.key]
    for key, other in ((first.key, copy.key), (copy.key, first.key)):
        aid = ids[key]
        found = other_coverage(store, aid, [m for _, m in store.article_entities(aid)])
        assert ids[other] not in {c.article_id for c in found}
        assert {c.article_id for c in found} == {ids[QUAKE[1].key], ids[QUAKE[2].key]}


def test_word_similarity_ignores_common_words() -> None:
    left = content_words("The minister said that the bridge would reopen.")
    right = content_words("They said that it would be months, the mayor told reporters.")
    assert cosine(left, right) == 0.0
    assert cosine(left, left) == pytest.approx(1.0)
