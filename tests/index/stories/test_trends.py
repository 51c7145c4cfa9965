"""Entity trends: articles per entity per day from the stored mentions, and what rises."""

from __future__ import annotations

from datetime import timedelta

import pytest
from coverage_fixtures import trend_library
from newsreader.index.models import EntityTrend
from newsreader.index.store import Store
from newsreader.index.stories.grouping import group_pending
from newsreader.index.stories.trends import entity_trends, rising, rising_this_week
from newsreader.index.times import utcnow

NOW = utcnow()
TODAY = NOW.date()


@pytest.fixture
def store() -> Store:
    store = Store.memory()
    trend_library(store, NOW)
    group_pending(store)
    return store


def _by_name(trends: list[EntityTrend]) -> dict[str, EntityTrend]:
    return {t.name: t for t in trends}


def test_articles_per_entity_per_day(store: Store) -> None:
    trends = _by_name(entity_trends(store, since=TODAY - timedelta(days=6), until=TODAY))
    izmir = trends["Izmir"]
    assert izmir.label == "Place"
    assert [d for d, _ in izmir.days] == [
        (TODAY - timedelta(days=6 - n)).isoformat() for n in range(7)
    ]
    day = dict(izmir.days)
    two_days_ago = (TODAY - timedelta(days=2)).isoformat()
    # the wire report, the Herald's and the metro line; the wire report's copy in a
    # fourth paper is the same story and counts once
    assert day[two_days_ago] == 3
    assert day[(TODAY - timedelta(days=1)).isoformat()] == 1
    assert izmir.total == 4 == izmir.this_week
    # most mentioned first
    assert next(iter(trends)) == "Turkey"


def test_since_bounds_the_days(store: Store) -> None:
    week = entity_trends(store, since=TODAY - timedelta(days=6), until=TODAY)
    month = entity_trends(store, since=TODAY - timedelta(days=34), until=TODAY)
    assert _by_name(month)["Iran"].total == 12 + 1
    assert _by_name(week)["Iran"].total == 1
    assert len(_by_name(month)["Iran"].days) == 35
    assert entity_trends(store, since=TODAY + timedelta(days=1), until=TODAY) == []


def test_only_the_given_entities(store: Store) -> None:
    found = entity_trends(
        store, since=TODAY - timedelta(days=6), until=TODAY, entities=[("AFAD", "Organization")]
    )
    assert [t.name for t in found] == ["AFAD"]
    assert entity_trends(store, since=TODAY, until=TODAY, entities=[]) == []


def test_rising_this_week(store: Store) -> None:
    up = [t.name for t in rising_this_week(store, today=TODAY)]
    assert set(up) == {"AFAD", "Izmir", "Bayrakli"}
    assert "Turkey" not in up and "Suleyman Soylu" not in up


def test_rising_needs_a_few_articles() -> None:
    days = tuple((f"2026-03-{d:02d}", 0) for d in range(1, 29))
    once = EntityTrend("Once", "Person", days, this_week=1, before=0.0)
    often = EntityTrend("Often", "Person", days, this_week=6, before=1.0)
    steady = EntityTrend("Steady", "Person", days, this_week=6, before=5.0)
    assert rising([once, often, steady]) == [often]
