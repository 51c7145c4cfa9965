"""A phrase of common words that rarely stand together: one page checks a bounded number of
candidates, and the total says when it is an estimate."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from newsreader.index.models import IndexDoc
from newsreader.index.search import index as index_module
from newsreader.index.search.engine import PhraseCheck, Ranker
from newsreader.index.search.index import SearchIndex

START = datetime(2025, 1, 1, tzinfo=UTC)
DOCS = 600
TOGETHER_EVERY = 150  # 4 of the 600 hold the phrase; every one holds both words


def _doc(i: int) -> IndexDoc:
    if i % TOGETHER_EVERY == 0:
        body = f"The harbour pilot guided ship {i} in."
    else:
        body = f"A pilot spoke at the harbour about ship {i}."
    return IndexDoc(
        id=f"d{i:04d}",
        feed_id=1,
        feed="Port Wire",
        title=f"Ship {i}",
        body=body + " Tides and cranes." * (i % 7),
        author="",
        link=f"https://example.org/{i}",
        published=START + timedelta(hours=i),
        tags=(),
        bookmarked=False,
        read=False,
    )


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchIndex]:
    idx = SearchIndex.open(tmp_path_factory.mktemp("phrase-bounds") / "index")
    idx.write(_doc(i) for i in range(DOCS))
    yield idx
    idx.close()


@pytest.fixture
def verified(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The number of documents each phrase verification was asked about."""
    sizes: list[int] = []
    plain = Ranker._verify

    def counting(self: Ranker, chk: PhraseCheck, docs: list[int]) -> Any:
        if chk.mode == "phrase":
            sizes.append(len(docs))
        return plain(self, chk, docs)

    monkeypatch.setattr(Ranker, "_verify", counting)
    return sizes


def test_one_page_of_a_rarely_held_phrase_checks_at_most_the_budget(
    index: SearchIndex, verified: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(index_module, "_CHECK_BUDGET", 100)
    index.drop_query_caches()
    res = index.search('"harbour pilot"', limit=10)
    # the old page checked every one of the 600 candidates looking for 10 that pass; the
    # budget bounds the page's checks, the estimate of the total adds a sample of the rest
    assert 0 < sum(verified) <= 100 + 2 * index_module._SAMPLE
    assert not res.total_exact
    assert len(res.hits) <= 10
    assert all("harbour pilot" in h.snippet.lower() for h in res.hits)


def test_the_exact_total_checks_every_candidate(
    index: SearchIndex, verified: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(index_module, "_CHECK_BUDGET", 100)
    index.drop_query_caches()
    res = index.search('"harbour pilot"', limit=10, exact_total=True)
    assert (res.total, res.total_exact) == (DOCS // TOGETHER_EVERY, True)
    assert {h.id for h in res.hits} == {f"d{i:04d}" for i in range(0, DOCS, TOGETHER_EVERY)}
    assert sum(verified) >= DOCS
    assert index.count('"harbour pilot"') == DOCS // TOGETHER_EVERY


def test_a_total_is_exact_when_every_candidate_was_checked(index: SearchIndex) -> None:
    index.drop_query_caches()
    res = index.search('"harbour pilot"', limit=10)  # the budget covers all 600
    assert (res.total, res.total_exact) == (DOCS // TOGETHER_EVERY, True)
    words = index.search("harbour pilot", limit=10)  # no phrase: always exact
    assert (words.total, words.total_exact) == (DOCS, True)


def test_a_page_full_of_passing_candidates_says_its_total_is_an_estimate(
    index: SearchIndex,
) -> None:
    index.drop_query_caches()
    res = index.search('"pilot spoke"', limit=5)
    assert len(res.hits) == 5
    assert not res.total_exact
    assert index.count('"pilot spoke"') == DOCS - DOCS // TOGETHER_EVERY


FERRY_DOCS = 400


def _ferry_doc(i: int) -> IndexDoc:
    """Every tenth article has the phrase in its title and body (the best candidates), every
    other tenth in its body only; the rest have both words apart."""
    if i % 10 == 0:
        title, body = f"River ferry {i}", f"The river ferry {i} left at dawn."
    elif i % 10 == 5:
        title, body = f"Crossing {i}", f"Later the river ferry {i} was late again."
    else:
        title, body = f"Crossing {i}", f"A ferry {i} crossed the wide river at dusk."
    return replace(_doc(i), id=f"f{i:04d}", title=title, body=body)


@pytest.fixture(scope="module")
def ferries(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchIndex]:
    idx = SearchIndex.open(tmp_path_factory.mktemp("phrase-estimate") / "index")
    idx.write(_ferry_doc(i) for i in range(FERRY_DOCS))
    yield idx
    idx.close()


def test_an_estimated_total_is_not_the_best_candidates_share(ferries: SearchIndex) -> None:
    ferries.drop_query_caches()
    assert ferries.count('"river ferry"') == 80
    res = ferries.search('"river ferry"', limit=10)
    assert not res.total_exact
    # every candidate checked for the page held the phrase (they have it in the title):
    # scaled to all 400 candidates that said 400; the rest hold it far less often
    assert 40 <= res.total <= 160


def test_a_rest_no_larger_than_the_sample_is_checked_whole(
    ferries: SearchIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(index_module, "_SAMPLE", FERRY_DOCS)
    ferries.drop_query_caches()
    res = ferries.search('"river ferry"', limit=10)
    assert (res.total, res.total_exact) == (80, True)
    assert len(res.hits) == 10


def test_a_page_the_budget_left_short_takes_what_the_whole_rest_holds(
    index: SearchIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(index_module, "_CHECK_BUDGET", 100)
    monkeypatch.setattr(index_module, "_SAMPLE", DOCS)
    index.drop_query_caches()
    res = index.search('"harbour pilot"', limit=10)
    assert (res.total, res.total_exact) == (DOCS // TOGETHER_EVERY, True)
    assert {h.id for h in res.hits} == {f"d{i:04d}" for i in range(0, DOCS, TOGETHER_EVERY)}
