"""The index catching up with the store: claims, changes made meanwhile, interrupted writes,
searching what is indexed while the rest waits, and big batches on every core."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from newsreader.index.config import Settings
from newsreader.index.library import Library
from newsreader.index.models import IndexDoc, ParsedEntry
from newsreader.index.search import consistency as consistency_module
from newsreader.index.search import index as index_module


def entry(i: int, word: str = "crane") -> ParsedEntry:
    return ParsedEntry(
        key=f"k{i}",
        guid=f"g{i}",
        link=f"https://example.org/{i}",
        title=f"Harbour {word} number {i}",
        author=None,
        published=None,
        updated=None,
        summary_html="",
        content_html="",
        text=f"The harbour {word} {i} was repaired overnight.",
    )


def fill(lib: Library, n: int, start: int = 0, word: str = "crane") -> int:
    feed = lib.store.add_feed(f"https://example.org/{word}.xml", word.title())
    lib.store.store_entries(feed.id, [entry(i, word) for i in range(start, start + n)])
    return feed.id


def ids_of(lib: Library) -> list[str]:
    return [r[0] for r in lib.store._read("SELECT id FROM articles ORDER BY rowid")]


def test_search_without_catching_up_says_how_many_wait(data_dir: Path) -> None:
    lib = Library.open(data_dir, settings=Settings())
    fill(lib, 12)
    assert lib.search("harbour crane").total == 12  # the CLI's way: catch up first
    fill(lib, 5, start=100, word="pilot")
    waiting = lib.search("harbour", catch_up=False)
    assert waiting.total == 12  # the new ones are stored, listed, not yet searchable
    assert waiting.pending == 5
    assert lib.pending_index() == 5
    assert lib.sync_index() == 5
    done = lib.search("harbour", catch_up=False)
    assert (done.total, done.pending) == (17, 0)
    lib.close()


def test_an_article_changed_while_its_batch_is_written_is_written_again(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lib = Library.open(data_dir, settings=Settings())
    fill(lib, 10)
    first = ids_of(lib)[0]
    load = lib.store.index_docs

    def load_then_change(ids: Sequence[str] | None = None) -> Iterator[IndexDoc]:
        docs = list(load(ids))
        lib.store.set_read([first], True)  # the user reads it while the index is written
        return iter(docs)

    monkeypatch.setattr(lib.store, "path", None)  # load in this process, through our hook
    monkeypatch.setattr(lib.store, "index_docs", load_then_change)
    assert lib.sync_index() == 10
    # the index holds the unread version; the store knows it must be written again
    assert lib.pending_index() == 1
    monkeypatch.setattr(lib.store, "index_docs", load)
    assert lib.sync_index() == 1
    assert lib.search("is:read").total == 1
    assert lib.pending_index() == 0
    lib.close()


def test_a_write_that_fails_puts_its_batch_back(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lib = Library.open(data_dir, settings=Settings())
    fill(lib, 8)
    from newsreader.index.search.index import SearchIndex

    def broken(self: SearchIndex, *args: object, **kwargs: object) -> int:
        raise OSError("disk full")

    monkeypatch.setattr(SearchIndex, "write_ids", broken)
    assert lib.search("harbour", catch_up=True).total == 0  # delayed, with a notice
    assert any("not updated yet" in n for n in lib.notices)
    assert lib.pending_index() == 8
    assert lib.store.index_claim() is None
    monkeypatch.undo()
    assert lib.search("harbour").total == 8
    lib.close()


def test_a_batch_claimed_by_a_killed_process_is_written_by_the_next(data_dir: Path) -> None:
    lib = Library.open(data_dir, settings=Settings())
    fill(lib, 6)
    assert lib.search("harbour").total == 6
    fill(lib, 4, start=50, word="pilot")
    pending, _ = lib.store.pending_index()
    # a process claims the batch and is killed before the index commits it
    lib.store.claim_for_index(pending, 2)
    lib.close()
    lib = Library.open(data_dir, settings=Settings())
    assert lib.search("pilot").total == 4
    assert lib.store.index_claim() is None
    assert not any("rebuil" in n for n in lib.notices)  # caught up, not rebuilt
    lib.close()


def test_a_batch_committed_but_not_confirmed_is_confirmed(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lib = Library.open(data_dir, settings=Settings())
    fill(lib, 6)

    def killed(*args: object) -> None:
        raise KeyboardInterrupt  # stands in for a kill between the commit and the store

    monkeypatch.setattr(lib.store, "finish_index_claim", killed)
    with pytest.raises(KeyboardInterrupt):
        lib.sync_index()
    monkeypatch.undo()
    lib.close()
    lib = Library.open(data_dir, settings=Settings())
    assert lib.search("harbour").total == 6
    assert lib.pending_index() == 0
    assert not any("rebuil" in n for n in lib.notices)
    lib.close()


def test_a_big_batch_is_written_by_worker_processes(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsreader.index.search import writer as writer_module

    monkeypatch.setattr(index_module, "PARALLEL_MIN", 20)
    monkeypatch.setattr(writer_module, "worker_count", lambda: 2)  # even on one core
    lib = Library.open(data_dir, settings=Settings())
    fill(lib, 60)
    used: list[object] = []
    write_ids = index_module.SearchIndex.write_ids

    def spy(self: index_module.SearchIndex, *args: object, **kwargs: object) -> int:
        used.append(kwargs.get("load"))
        return write_ids(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(index_module.SearchIndex, "write_ids", spy)
    assert lib.search("harbour crane").total == 60
    assert isinstance(used[0], consistency_module.StoreDocs)
    stats = lib.index.segment_stats()
    assert len(stats) == 2  # one segment per worker
    assert sum(s.docs for s in stats) == 60
    lib.close()


def test_the_cli_says_when_recent_articles_are_not_searchable_yet(
    data_dir: Path,
    cli,  # type: ignore[no-untyped-def]
) -> None:
    import json

    from whoosh import index as whoosh_index

    lib = Library.open(data_dir, settings=Settings())
    fill(lib, 4)
    assert lib.search("harbour").total == 4
    fill(lib, 2, start=100, word="pilot")
    lib.close()
    ix = whoosh_index.open_dir(str(data_dir / "index"))
    writer = ix.writer()  # another process writing: the CLI cannot catch up now
    try:
        done = cli("search", "harbour", "--json")
        plain = cli("search", "harbour")
    finally:
        writer.cancel()
        ix.close()
    assert done.code == 0
    doc = json.loads(done.out)
    assert (doc["total"], doc["pending"]) == (4, 2)
    assert "2 recent articles are not searchable yet" in plain.err
    assert cli("search", "harbour", "--json").out.count('"pending": 0') == 1
