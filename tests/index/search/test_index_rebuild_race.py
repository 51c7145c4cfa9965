"""Another process rebuilding the index under an open library: reopen, never a crash."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from newsreader.index.config import Settings
from newsreader.index.errors import SearchIndexError
from newsreader.index.library import Library
from newsreader.index.models import ParsedEntry
from newsreader.index.search import consistency as consistency_module


def _fill(lib: Library) -> None:
    feed = lib.store.add_feed("https://example.org/race.xml", "Race")
    entries = [
        ParsedEntry(
            key=f"k{i}",
            guid=f"g{i}",
            link=f"https://example.org/{i}",
            title=f"Harbour crane number {i}",
            author=None,
            published=None,
            updated=None,
            summary_html="",
            content_html="",
            text=f"The harbour crane {i} was repaired overnight.",
        )
        for i in range(30)
    ]
    lib.store.store_entries(feed.id, entries)


def test_search_survives_another_library_replacing_the_index(data_dir: Path) -> None:
    settings = Settings()
    reader = Library.open(data_dir, settings=settings)
    _fill(reader)
    assert reader.search("harbour crane", limit=50).total == 30
    # another process: throws the index directory away and builds a new one
    other = Library.open(data_dir, settings=settings)
    shutil.rmtree(data_dir / "index")
    other.reindex()
    other.close()
    shutil.rmtree(data_dir / "index")  # and once more, leaving nothing behind
    try:
        results = reader.search("harbour crane", limit=50)
    finally:
        reader.close()
    assert results.total == 30


def test_a_second_reindex_waits_for_the_first_then_says_busy(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import fcntl

    lib = Library.open(data_dir, settings=Settings())
    _fill(lib)
    monkeypatch.setattr(consistency_module, "_REBUILD_WAIT", 0.3)
    with open(data_dir / "reindex.lock", "a+b") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)  # as another process's reindex would
        with pytest.raises(SearchIndexError, match="busy"):
            lib.reindex()
        fcntl.flock(held.fileno(), fcntl.LOCK_UN)
    assert lib.reindex() == 30
    assert lib.search("crane", limit=50).total == 30
    lib.close()
