"""Writing the index: parallel segment writers, merging segments, reclaiming deletions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from newsreader.index.models import IndexDoc
from newsreader.index.search import index as index_module
from newsreader.index.search.index import SearchIndex
from newsreader.index.search.segments import (
    MERGE_FACTOR,
    SegmentInfo,
    plan_merges,
    tier,
)
from newsreader.index.search.writer import _shares

START = datetime(2025, 3, 1, tzinfo=UTC)
QUERIES = ("pilot", "harbour", '"harbour pilot"', "lighthouse", "ship", "title:ship", "tides")


def make_doc(i: int, *, read: bool = False) -> IndexDoc:
    body = f"A pilot spoke at the harbour about ship {i}." + " Tides and cranes." * (i % 4)
    if i % 7 == 0:
        body += " The harbour pilot met lighthouse keepers."
    return IndexDoc(
        id=f"doc{i:05d}",
        feed_id=1 + i % 3,
        feed="Port Wire",
        title=f"Ship {i} arrives",
        body=body,
        author="Ana Costa" if i % 2 else "",
        link=f"https://news.example/{i}",
        tags=("shipping",),
        published=START + timedelta(hours=i),
        bookmarked=False,
        read=read,
    )


@dataclass(frozen=True)
class FromTable:
    """A picklable loader over documents made on the fly (as StoreDocs loads from a store)."""

    read: bool = False

    def __call__(self, ids: Sequence[str]) -> list[IndexDoc]:
        return [make_doc(int(i[3:]), read=self.read) for i in ids]


def ids(n: int, start: int = 0) -> list[str]:
    return [f"doc{i:05d}" for i in range(start, start + n)]


def totals(idx: SearchIndex) -> dict[str, int]:
    return {q: idx.count(q) for q in QUERIES}


@pytest.fixture
def parallel_from_ten(monkeypatch: pytest.MonkeyPatch) -> None:
    """Use worker processes for any write of ten documents or more."""
    monkeypatch.setattr(index_module, "PARALLEL_MIN", 10)


def test_shares_split_ids_into_contiguous_near_equal_parts() -> None:
    parts = _shares([str(i) for i in range(11)], 3)
    assert [len(p) for p in parts] == [4, 4, 3]
    assert [i for p in parts for i in p] == [str(i) for i in range(11)]
    assert _shares(["a"], 4) == [["a"]]


def test_a_parallel_write_finds_what_a_serial_write_finds(
    tmp_path: Path, parallel_from_ten: None
) -> None:
    serial = SearchIndex.open(tmp_path / "serial")
    assert serial.write_ids(ids(300), load=FromTable(), procs=1) == 300
    parallel = SearchIndex.open(tmp_path / "parallel")
    assert parallel.write_ids(ids(300), load=FromTable(), procs=2) == 300
    assert len(parallel.segment_stats()) == 2  # one segment per worker, committed together
    assert len(serial.segment_stats()) == 1
    assert parallel.doc_count() == serial.doc_count() == 300
    want = totals(serial)
    assert want["lighthouse"] == 43 and want["pilot"] == 300
    assert totals(parallel) == want
    hits = parallel.search("lighthouse", limit=100, sort="date")
    assert [h.id for h in hits.hits] == [
        h.id for h in serial.search("lighthouse", limit=100, sort="date").hits
    ]
    # did-you-mean learns the words that the workers saw
    assert parallel.search("lighthuose").suggestion == "lighthouse"
    serial.close()
    parallel.close()


def test_a_parallel_write_replaces_older_versions(tmp_path: Path, parallel_from_ten: None) -> None:
    idx = SearchIndex.open(tmp_path / "ix")
    idx.write_ids(ids(100), load=FromTable(), procs=2)
    assert idx.count("is:read") == 0
    # the same articles again, now read, plus 50 new ones: replaced, not doubled
    idx.write_ids(ids(150), load=FromTable(read=True), procs=2, merge_docs=0)
    assert idx.doc_count() == 150
    assert idx.count("is:read") == 150
    assert idx.count("pilot") == 150
    idx.close()


def test_a_failing_worker_leaves_the_index_as_it_was(
    tmp_path: Path, parallel_from_ten: None
) -> None:
    idx = SearchIndex.open(tmp_path / "ix")
    idx.write_ids(ids(40), load=FromTable(), procs=2)
    from newsreader.index.errors import SearchIndexError

    with pytest.raises(SearchIndexError):
        idx.write_ids(ids(40, start=40), load=_broken_loader, procs=2)
    assert idx.doc_count() == 40
    # and the write lock was released: the next write works
    assert idx.write_ids(ids(40, start=40), load=FromTable(), procs=2) == 40
    assert idx.doc_count() == 80
    idx.close()


def _broken_loader(ids: Sequence[str]) -> list[IndexDoc]:
    raise RuntimeError("the store went away")


def test_deletes_apply_to_every_segment(tmp_path: Path, parallel_from_ten: None) -> None:
    idx = SearchIndex.open(tmp_path / "ix")
    idx.write_ids(ids(60), load=FromTable(), procs=2)
    idx.write_ids([], delete_ids=["doc00000", "doc00059"], load=FromTable())
    assert idx.doc_count() == 58
    assert idx.count("pilot") == 58
    idx.close()


def test_tiers_are_powers_of_ten_from_a_thousand() -> None:
    assert [tier(n) for n in (0, 999, 1000, 9999, 10_000, 250_000)] == [0, 0, 1, 1, 2, 3]


def seg(name: str, docs: int, deleted: int = 0) -> SegmentInfo:
    return SegmentInfo(name, docs, deleted)


def test_plan_merges_a_full_tier_and_leaves_big_segments_alone() -> None:
    small = [seg(f"s{i}", 200 + i) for i in range(MERGE_FACTOR)]
    big = [seg("big", 50_000), seg("mid", 5_000)]
    assert plan_merges(small[:-1] + big) == []  # one short of a full tier: nothing to do
    groups = plan_merges(small + big)
    assert groups == [[s.name for s in small]]


def test_plan_merges_reclaims_a_segment_with_many_deletions() -> None:
    segments = [seg("big", 50_000, deleted=20_000), seg("clean", 40_000, deleted=100)]
    assert plan_merges(segments) == [["big"]]


def test_plan_merges_keeps_to_its_budget() -> None:
    small = [seg(f"s{i}", 500) for i in range(MERGE_FACTOR)]
    heavy = seg("big", 50_000, deleted=30_000)
    assert plan_merges([*small, heavy], max_docs=10_000) == [[s.name for s in small]]
    assert plan_merges([*small, heavy], max_docs=1_000) == []
    assert len(plan_merges([*small, heavy])) == 2


def test_small_writes_are_merged_and_deletions_reclaimed(tmp_path: Path) -> None:
    idx = SearchIndex.open(tmp_path / "ix")
    for batch in range(MERGE_FACTOR - 1):
        idx.write_ids(ids(10, start=batch * 10), load=FromTable())
    assert len(idx.segment_stats()) == MERGE_FACTOR - 1  # one segment per write so far
    idx.write_ids(ids(10, start=70), load=FromTable())  # the tier is full: merged
    stats = idx.segment_stats()
    assert len(stats) == 1 and stats[0].docs == 80
    want = totals(idx)
    # re-index half of them (marked read): the old versions are deleted, then reclaimed
    idx.write_ids(ids(40), load=FromTable(read=True), merge_docs=0)
    assert sum(s.deleted for s in idx.segment_stats()) == 40
    assert idx.merge_segments() >= 1
    stats = idx.segment_stats()
    assert sum(s.deleted for s in stats) == 0
    assert sum(s.docs for s in stats) == 80
    assert totals(idx) == want
    assert idx.count("is:read") == 40
    idx.close()


def test_a_rebuild_from_ids_replaces_everything(tmp_path: Path, parallel_from_ten: None) -> None:
    idx = SearchIndex.open(tmp_path / "ix")
    idx.write_ids(ids(30), load=FromTable())
    assert idx.rebuild_ids(ids(20, start=100), load=FromTable(), procs=2) == 20
    assert idx.doc_count() == 20
    assert idx.search("ship 105").total >= 1
    assert idx.count("ship") == 20
    idx.close()


def test_a_write_from_memory_still_works(tmp_path: Path) -> None:
    idx = SearchIndex.open(tmp_path / "ix")
    docs = [make_doc(i) for i in range(5)]
    assert idx.write(docs) == 5
    assert idx.write([replace(docs[0], title="Renamed vessel")]) == 1
    assert idx.doc_count() == 5
    assert idx.count("renamed") == 1
    idx.close()


def test_a_write_leaves_the_searcher_to_the_next_search(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A commit does not open a searcher on it (that copies the segments' term index and
    postings into memory: the 100k ingest's index step peaked there); the next search opens
    one and finds what was written, and a merge's removed segments leave no tables behind."""
    idx = SearchIndex.open(tmp_path / "ix")
    idx.write([make_doc(i) for i in range(20)])
    assert idx.count("pilot") == 20
    opened = 0
    searcher = idx._ix.searcher

    def counted(**kwargs: object) -> object:
        nonlocal opened
        opened += 1
        return searcher(**kwargs)

    monkeypatch.setattr(idx._ix, "searcher", counted)
    for start in range(20, 20 + 20 * MERGE_FACTOR, 20):  # enough segments for a merge
        idx.write([make_doc(i) for i in range(start, start + 20)])
    idx.merge_segments()
    assert opened == 0
    assert idx.count("pilot") == 20 * (MERGE_FACTOR + 1)
    assert opened == 1
    live = {s.segment_id() for s in idx._ix._segments()}
    assert all(key[0] in live for key in idx._shared)
    idx.close()
