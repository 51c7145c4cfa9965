"""A corrupt store, a read-only data directory and a full disk: one clear line, exit 1,
and nothing that was stored is overwritten or lost."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from feedmaker import Item, rss
from newsreader.index.library import Library
from nrproc import (
    assert_clean_failure,
    file_size_limit,
    integrity,
    query,
    run,
    without_dac_override,
    word,
)

COMMANDS = [["feeds"], ["search", "harbour"], ["bookmarks", "--json"], ["refresh"], ["show", "ID"]]


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A data directory with one local feed of 30 articles, one bookmarked and indexed."""
    root = tmp_path_factory.mktemp("disk")
    feed = root / "feed.rss"
    feed.write_bytes(
        rss(
            "Harbour Wire",
            [
                Item(guid=f"h{i}", title=f"Harbour {word(i)} story", body="<p>quay</p>")
                for i in range(30)
            ],
        )
    )
    data = root / "data"
    with Library.open(data) as lib:
        lib.add_feed(str(feed))
        aid = lib.list_articles()[0].id
        lib.bookmark(aid)
        lib.mark_read(aid)
    return data, aid


def copy_of(base: tuple[Path, str], tmp_path: Path) -> Path:
    target = tmp_path / "copy"
    shutil.copytree(base[0], target)
    return target


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def damage_garbage(db: Path) -> None:
    db.write_bytes(os.urandom(64 * 1024))


def damage_pages(db: Path) -> None:
    data = bytearray(db.read_bytes())
    # every other page after the schema, near its start and near its end: a page that is not
    # full keeps its cells at the end, so damage near the start alone may hit only free
    # space (which pages those are moves with the schema)
    for off in range(4096 * 2, len(data), 4096 * 2):
        data[off + 64 : off + 1024] = b"\xa5" * 960
        data[off + 3072 : off + 4032] = b"\xa5" * 960
    db.write_bytes(bytes(data))


def damage_truncate(db: Path) -> None:
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 2])


@pytest.mark.parametrize("damage", [damage_garbage, damage_pages, damage_truncate])
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_corrupt_store_is_reported_and_left_untouched(
    damage: object, command: list[str], base: tuple[Path, str], tmp_path: Path
) -> None:
    data = copy_of(base, tmp_path)
    db = data / "newsreader.sqlite3"
    assert callable(damage)
    damage(db)
    before = db.read_bytes()
    done = run(data, *[base[1] if a == "ID" else a for a in command])
    assert_clean_failure(done)
    assert "is damaged or not a newsreader database" in done.err
    assert db.read_bytes() == before


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_read_only_data_dir(command: list[str], base: tuple[Path, str], tmp_path: Path) -> None:
    data = copy_of(base, tmp_path)
    before = snapshot(data)
    for p in [data, *data.rglob("*")]:
        p.chmod(0o555 if p.is_dir() else 0o444)
    try:
        done = run(
            data, *[base[1] if a == "ID" else a for a in command], preexec=without_dac_override
        )
    finally:
        for p in [data, *data.rglob("*")]:
            p.chmod(0o755 if p.is_dir() else 0o644)
    assert_clean_failure(done)
    assert "read-only" in done.err
    assert snapshot(data) == before


def test_read_only_database_file_still_reads(base: tuple[Path, str], tmp_path: Path) -> None:
    data = copy_of(base, tmp_path)
    db = data / "newsreader.sqlite3"
    before = db.read_bytes()
    db.chmod(0o444)
    try:
        listed = run(data, "feeds", preexec=without_dac_override)
        marked = run(data, "bookmark", base[1], preexec=without_dac_override)
    finally:
        db.chmod(0o644)
    assert listed.code == 0 and "Harbour Wire" in listed.out
    assert_clean_failure(marked)
    assert "read-only" in marked.err
    assert db.read_bytes() == before


def test_full_disk_while_adding_a_feed(base: tuple[Path, str], tmp_path: Path) -> None:
    data = copy_of(base, tmp_path)
    db = data / "newsreader.sqlite3"
    big = tmp_path / "big.rss"
    big.write_bytes(
        rss("Big", [Item(guid=f"b{i}", title=f"Big {i}", body="words " * 400) for i in range(300)])
    )
    limit = db.stat().st_size + 64 * 1024  # room for a little, not for 300 long articles
    done = run(data, "add", str(big), preexec=file_size_limit(limit))
    assert_clean_failure(done)
    assert "could not write" in done.err or "disk" in done.err
    assert integrity(db) == "ok"
    marks = query(db, "SELECT id, read FROM articles WHERE bookmarked_at IS NOT NULL")
    assert marks == [(base[1], 1)]
    assert query(db, "SELECT COUNT(*) FROM articles")[0][0] == 30
    assert query(db, "SELECT COUNT(*) FROM feeds")[0][0] == 1  # no half-added feed
    # with space again, the same command works and the feed comes in whole
    again = run(data, "add", str(big))
    assert again.code == 0, again.err
    assert query(db, "SELECT COUNT(*) FROM articles")[0][0] == 330
    assert "Traceback" not in again.err


def test_full_disk_while_writing_the_index(base: tuple[Path, str], tmp_path: Path) -> None:
    """The store has room but the index does not: search answers from what is indexed, says
    the index is behind, loses nothing, and the index catches up once there is space."""
    data = copy_of(base, tmp_path)
    db = data / "newsreader.sqlite3"
    more = tmp_path / "more.rss"
    # every article its own 2,000 words: 40,000 distinct terms and 20 stored texts of ~16 KB,
    # so the one new segment (term index, postings, stored fields) is well past the 256 KB
    # limit below, whichever file of it grows first (an index write spills and writes in
    # segments: words repeated across the articles made a segment that fitted)
    items = [
        Item(
            guid=f"m{i}",
            title=f"Pier {word(1000 + i)}",
            body=" ".join(word(5000 + 2000 * i + j) for j in range(2000)),
        )
        for i in range(20)
    ]
    more.write_bytes(rss("More", items))
    assert run(data, "add", str(more), "--no-fetch").code == 0
    # --no-enrich too: extracting entities writes the index as well
    assert run(data, "refresh", "--no-index", "--no-enrich").code == 0
    index_before = sorted(p.name for p in (data / "index").iterdir())
    done = run(data, "search", word(1005), "--json", preexec=file_size_limit(256 * 1024))
    assert done.code == 0, done
    assert "search index not updated yet" in done.err
    assert f"Pier {word(1005)}" not in done.out
    assert "Traceback" not in done.err
    # nothing lost: the store is whole, the 20 articles still wait to be indexed, and the
    # index has no segment from the failed write in its table of contents
    assert integrity(db) == "ok"
    assert query(db, "SELECT COUNT(*) FROM articles")[0][0] == 50
    assert query(db, "SELECT COUNT(*) FROM articles WHERE indexed = 0")[0][0] >= 20
    old = run(data, "search", "harbour", "--json", preexec=file_size_limit(256 * 1024))
    assert old.code == 0 and "Harbour" in old.out  # what was indexed still answers
    later = run(data, "search", word(1005), "--json")
    assert later.code == 0 and f"Pier {word(1005)}" in later.out
    assert "Traceback" not in later.err
    assert index_before  # the index existed before the failed write
    # the failed write left no temporary directory of spilled runs behind (Whoosh's own
    # MAIN.tmp stays; a writer's MAIN.<random>.tmp went with it)
    left = [p.name for p in (data / "index").iterdir() if p.name.endswith(".tmp")]
    assert left in ([], ["MAIN.tmp"]), left


def test_no_room_even_to_open(base: tuple[Path, str], tmp_path: Path) -> None:
    data = copy_of(base, tmp_path)
    before = (data / "newsreader.sqlite3").read_bytes()
    done = run(data, "bookmarks", preexec=file_size_limit(1024))
    assert_clean_failure(done)
    assert (data / "newsreader.sqlite3").read_bytes() == before
