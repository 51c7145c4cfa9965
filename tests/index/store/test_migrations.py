"""Schema upgrades: a library written by an older version opens with everything kept."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from newsreader.index.store import MIGRATIONS, Store


def _old_library(path: Path, version: int) -> None:
    """A store at schema ``version`` with one feed, two articles, marks and a saved search."""
    conn = sqlite3.connect(path, isolation_level=None)
    for step in MIGRATIONS[:version]:
        conn.executescript(step)
    conn.execute(f"PRAGMA user_version = {version}")
    conn.execute(
        "INSERT INTO feeds (id, url, title, last_fetched, added_at)"
        " VALUES (1, 'https://old.example/feed.xml', 'Old feed', '2026-01-02T03:04:05Z',"
        " '2026-01-01T00:00:00Z')"
    )
    for n, (read, mark) in enumerate([(1, "2026-01-03T00:00:00Z"), (0, None)]):
        conn.execute(
            "INSERT INTO articles (id, feed_id, key, title, date, content_hash, first_seen,"
            " read, bookmarked_at) VALUES (?, 1, ?, ?, ?, 'h', '2026-01-01T00:00:00Z', ?, ?)",
            (f"a{n}", f"k{n}", f"Article {n}", f"2026-01-0{n + 1}T00:00:00Z", read, mark),
        )
    conn.execute("INSERT INTO saved_searches VALUES ('ports', 'port', '2026-01-01T00:00:00Z')")
    conn.close()


def test_every_older_schema_upgrades_without_losing_anything(tmp_path: Path) -> None:
    for version in range(1, len(MIGRATIONS)):
        db = tmp_path / f"v{version}.sqlite3"
        _old_library(db, version)
        store = Store.open(db)
        try:
            assert store.conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
            (feed,) = store.feeds()
            assert feed.title == "Old feed" and feed.article_count == 2
            assert feed.unread_count == 1 and feed.folder is None and feed.tags == ()
            # a feed fetched without an error before folders came (schema 3) counts as a
            # success then; one written at 3 or later says for itself
            if version < 3:
                assert feed.last_success == feed.last_fetched
            assert [a.id for a, _ in store.bookmarks()] == ["a0"]
            assert [r.title for r in store.list_articles()] == ["Article 1", "Article 0"]
            assert [s.name for s in store.saved_searches()] == ["ports"]
            assert store.filters() == [] and store.search_history() == []
        finally:
            store.close()
