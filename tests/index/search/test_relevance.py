"""The relevance suite as a quality gate: known-item queries on our fixture feeds (English,
German, Russian, Persian) must find their article in the top 3 (bench/relevance.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bench import relevance


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    articles = relevance.load_articles()
    queries = relevance.load_queries(articles)
    work: Path = tmp_path_factory.mktemp("relevance")
    return {
        "ours": relevance.score(relevance.newsreader_engine(articles, work), queries),
        "fts5": relevance.score(relevance.fts5_engine(articles, work), queries),
        "languages": {a.language for a in articles},
    }


def test_the_fixtures_cover_four_languages_one_right_to_left(results: dict[str, Any]) -> None:
    assert {"en", "de", "ru", "fa"} <= results["languages"]


def test_every_title_typed_as_words_finds_its_article_first(results: dict[str, Any]) -> None:
    titles = results["ours"]["classes"]["titles"]
    assert titles["n"] >= 60 and titles["mrr"] == 1.0


def test_every_class_reaches_its_hit_rate(results: dict[str, Any]) -> None:
    classes = results["ours"]["classes"]
    assert set(classes) >= {
        "stop words", "numbers", "identifiers", "inflections", "typos", "folding", "titles"
    }  # fmt: skip
    for cls, s in classes.items():
        assert s["hit@3"] >= 0.9, (cls, s, results["ours"]["misses"])
    assert results["ours"]["overall"]["hit@3"] >= 0.97, results["ours"]["misses"]


def test_at_least_fts5_on_every_class_and_ahead_where_it_cannot_follow(
    results: dict[str, Any],
) -> None:
    ours, fts = results["ours"]["classes"], results["fts5"]["classes"]
    for cls in ours:
        assert ours[cls]["hit@3"] >= fts[cls]["hit@3"], cls
    for cls in ("inflections", "typos", "folding"):
        assert ours[cls]["hit@3"] > fts[cls]["hit@3"] + 0.3, cls
