"""The store is the source of truth: bookmarks and state survive any index loss."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from feedmaker import Item, rss
from newsreader.index.library import Library
from newsreader.index.store import MIGRATIONS, Store


def corpus_feed(tmp_path: Path) -> str:
    stories = [
        Item(
            guid="1",
            title="Mosul's old market reopens",
            body="<p>Traders returned to the souk in Mosul.</p>",
        ),
        Item(
            guid="2",
            title="A café in Zürich",
            body="<p>The café on the Limmat serves strong coffee.</p>",
        ),
        Item(
            guid="3",
            title="Harbour cranes",
            body="<p>New cranes were unloaded at the harbour.</p>",
            tags=("shipping",),
        ),
    ]
    path = tmp_path / "corpus.xml"
    path.write_bytes(rss("Corpus", stories))
    return str(path)


def test_schema_is_versioned_and_wal(data_dir: Path) -> None:
    store = Store.open(data_dir / "db.sqlite3")
    assert store.conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    store.close()


def test_newer_schema_is_refused_not_overwritten(data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    db = data_dir / "db.sqlite3"
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 5}")
    conn.close()
    try:
        Store.open(db)
    except Exception as exc:
        assert "newer newsreader" in str(exc)
    else:
        raise AssertionError("a newer schema must be refused")


def test_search_finds_by_title_body_stem_and_accent(lib: Library, tmp_path: Path) -> None:
    lib.add_feed(corpus_feed(tmp_path))
    titles = lambda q: {h.title for h in lib.search(q).hits}  # noqa: E731
    assert titles("mosul") == {"Mosul's old market reopens"}
    assert titles("souk") == {"Mosul's old market reopens"}
    assert titles("cafe") == {"A café in Zürich"}
    assert titles("crane") == {"Harbour cranes"}


def test_bookmark_survives_reindex_and_index_deletion(
    lib: Library, data_dir: Path, tmp_path: Path
) -> None:
    lib.add_feed(corpus_feed(tmp_path))
    hit = lib.search("harbour").hits[0]
    lib.bookmark(hit.id)
    assert lib.reindex() == 3
    assert [a.id for a, _ in lib.bookmarks()] == [hit.id]
    lib.close()

    shutil.rmtree(data_dir / "index")
    again = Library.open(data_dir)
    try:
        assert [a.id for a, _ in again.bookmarks()] == [hit.id]
        res = again.search("harbour")
        assert [h.id for h in res.hits] == [hit.id]
        assert res.hits[0].bookmarked
        assert any("rebuilt" in n for n in again.notices)
    finally:
        again.close()


def test_corrupt_index_is_rebuilt_and_user_told(
    lib: Library, data_dir: Path, tmp_path: Path
) -> None:
    lib.add_feed(corpus_feed(tmp_path))
    lib.close()
    for f in (data_dir / "index").iterdir():
        if f.suffix in (".toc", ".seg") or f.name.startswith("_"):
            f.write_bytes(b"garbage")
    again = Library.open(data_dir)
    try:
        assert again.search("cranes").total == 1
        assert again.notices, "the user must be told the index was rebuilt"
    finally:
        again.close()


def test_removing_a_feed_removes_its_articles_from_search(lib: Library, tmp_path: Path) -> None:
    feed, _ = lib.add_feed(corpus_feed(tmp_path))
    assert lib.search("cranes").total == 1
    lib.remove_feed(str(feed.id))
    assert lib.search("cranes").total == 0
    assert lib.count_articles() == 0


def test_read_state_and_bookmark_flags_searchable(lib: Library, tmp_path: Path) -> None:
    lib.add_feed(corpus_feed(tmp_path))
    target = lib.search("cranes").hits[0].id
    lib.mark_read(target)
    lib.bookmark(target)
    assert [h.id for h in lib.search("is:bookmarked").hits] == [target]
    assert target not in {h.id for h in lib.search("is:unread").hits}
    assert lib.count_articles("unread") == 2


def test_saved_searches_and_bookmark_export(lib: Library, tmp_path: Path) -> None:
    lib.add_feed(corpus_feed(tmp_path))
    lib.save_search("coffee", "café")
    lib.bookmark(lib.search("café").hits[0].id)
    assert [(s.name, s.unread_count) for s in lib.saved_searches(with_counts=True)] == [
        ("coffee", 1)
    ]
    exported = lib.export_bookmarks("json")
    assert "A café in Zürich" in exported and '"coffee"' in exported
    md = lib.export_bookmarks("md")
    assert "# Saved searches" in md


def test_reindex_reads_again_a_text_stored_short(lib: Library, tmp_path: Path) -> None:
    # before 6 Dec the words before a fragment's first tag were lost: "Tom &amp; Jerry"
    # was stored as empty text; reindex reads such articles again from their stored HTML
    stories = [
        Item(guid="1", title="Cartoons", body="Tom &amp; Jerry meet in Paris"),
        Item(guid="2", title="Markets", body='Prices rose. <a href="https://ex.org/r">More</a>'),
        Item(guid="3", title="Cranes", body="<p>New cranes at the harbour.</p>"),
    ]
    path = tmp_path / "short.xml"
    path.write_bytes(rss("Short", stories))
    lib.add_feed(str(path))
    by_title = {a.title: a.id for a in lib.list_articles()}
    with lib.store.transaction() as conn:  # what the old code stored
        conn.execute("UPDATE articles SET text = '' WHERE id = ?", (by_title["Cartoons"],))
        conn.execute("UPDATE articles SET text = 'More[1]' WHERE id = ?", (by_title["Markets"],))
        conn.execute(
            "UPDATE articles SET text = ? WHERE id = ?",
            ("New cra\u00adnes at the harbour.", by_title["Cranes"]),
        )
    lib.reindex()
    assert lib.article(by_title["Cartoons"]).text == "Tom & Jerry meet in Paris"
    assert lib.article(by_title["Markets"]).text == "Prices rose. More[1]"
    assert lib.article(by_title["Cranes"]).text == "New cranes at the harbour."
    assert [h.title for h in lib.search("jerry").hits] == ["Cartoons"]
    assert [h.title for h in lib.search("prices").hits] == ["Markets"]


def test_a_soft_hyphen_does_not_cut_a_word(lib: Library, tmp_path: Path) -> None:
    # German headlines carry &shy; as break hints: the word is one word, shown without it
    stories = [
        Item(
            guid="1",
            title="Die Bundes\u00adregierung plant",
            body="<p>Die Bundes&shy;regierung will den Strom&shy;preis senken.</p>",
        ),
        Item(guid="2", title="Andere Nachricht", body="<p>Die Regierung tagt.</p>"),
    ]
    path = tmp_path / "shy.xml"
    path.write_bytes(rss("Shy", stories))
    lib.add_feed(str(path))
    (row,) = [a for a in lib.list_articles() if a.title.startswith("Die")]
    assert row.title == "Die Bundesregierung plant"
    assert lib.article(row.id).text == "Die Bundesregierung will den Strompreis senken."
    assert [h.title for h in lib.search("bundesregierung").hits] == [row.title]
    assert [h.title for h in lib.search("strompreis").hits] == [row.title]


def test_stored_dates_and_digest_are_the_entry_s_own(tmp_path: Path) -> None:
    """The store writes each date once formatted (the digest is made from the same
    strings): what it keeps is what ``to_iso`` and ``content_hash`` of the entry say."""
    from datetime import UTC, datetime, timedelta, timezone

    from newsreader.index.models import ParsedEntry
    from newsreader.index.store._articles import content_hash
    from newsreader.index.times import to_iso

    published = datetime(2026, 3, 1, 9, 30, tzinfo=timezone(timedelta(hours=2)))
    updated = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    entries = [
        ParsedEntry(
            key=k,
            guid=k,
            link=None,
            title=k,
            author=None,
            published=p,
            updated=u,
            summary_html="",
            content_html="",
            text=k,
        )
        for k, p, u in (("a", published, updated), ("b", None, updated), ("c", None, None))
    ]
    store = Store.open(tmp_path / "s.db")
    feed = store.add_feed("http://example.org/feed").id
    assert store.store_entries(feed, entries) == (3, 0)
    rows = store.conn.execute(
        "SELECT key, published, updated, date, content_hash, first_seen FROM articles ORDER BY key"
    ).fetchall()
    assert rows[0][1:5] == (
        "2026-03-01T07:30:00Z", "2026-03-02T10:00:00Z", "2026-03-01T07:30:00Z",
        content_hash(entries[0]),
    )  # fmt: skip
    assert rows[1][1:4] == (None, "2026-03-02T10:00:00Z", "2026-03-02T10:00:00Z")
    assert rows[2][3] == rows[2][5]  # undated: the time it was first seen
    assert [r[4] for r in rows] == [content_hash(e) for e in entries]
    assert content_hash(entries[0]) == content_hash(entries[0], to_iso(published), to_iso(updated))
    assert store.store_entries(feed, entries) == (0, 0)  # unchanged: neither new nor updated
