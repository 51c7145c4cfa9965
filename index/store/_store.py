"""SQLite, the store of record: feeds, articles, read and bookmark state, entities.

This is the only module that speaks SQL. The search index is derived from what is
here; ``articles.indexed`` says which rows the index still has to catch up with, and
``index_deletions`` which ids it still has to drop, so a crash at any point leaves
the two reconcilable.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from ..entities.fields import SEARCH_FIELDS
from ..errors import NotFoundError, StoreDamagedError, StoreError
from ..models import (
    Article,
    ArticleRow,
    Feed,
    IndexDoc,
    Mention,
    ParsedEntry,
    SavedSearch,
)

# Each step moves the schema one version up; never edit a step once released.
MIGRATIONS: list[str] = [
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE feeds (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        url TEXT NOT NULL UNIQUE,
        title TEXT,
        user_title TEXT,
        site_link TEXT,
        etag TEXT,
        last_modified TEXT,
        last_fetched TEXT,
        last_error TEXT,
        warning TEXT,
        error_count INTEGER NOT NULL DEFAULT 0,
        gone INTEGER NOT NULL DEFAULT 0,
        retry_after TEXT,
        added_at TEXT NOT NULL
    );
    CREATE TABLE articles (
        id TEXT PRIMARY KEY,
        feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        guid TEXT,
        link TEXT,
        title TEXT NOT NULL,
        author TEXT,
        published TEXT,
        updated TEXT,
        date TEXT NOT NULL,
        summary_html TEXT NOT NULL DEFAULT '',
        content_html TEXT NOT NULL DEFAULT '',
        text TEXT NOT NULL DEFAULT '',
        tags TEXT NOT NULL DEFAULT '[]',
        content_hash TEXT NOT NULL,
        first_seen TEXT NOT NULL,
        read INTEGER NOT NULL DEFAULT 0,
        read_at TEXT,
        bookmarked_at TEXT,
        indexed INTEGER NOT NULL DEFAULT 0,
        entities_version INTEGER NOT NULL DEFAULT 0,
        UNIQUE (feed_id, key)
    );
    CREATE INDEX articles_date ON articles (date DESC);
    CREATE INDEX articles_feed_date ON articles (feed_id, date DESC);
    CREATE INDEX articles_unread ON articles (read, date DESC);
    CREATE INDEX articles_unindexed ON articles (indexed) WHERE indexed = 0;
    CREATE INDEX articles_bookmarked ON articles (bookmarked_at) WHERE bookmarked_at IS NOT NULL;
    CREATE INDEX articles_entities_version ON articles (entities_version);
    CREATE TABLE index_deletions (id TEXT PRIMARY KEY);
    CREATE TRIGGER articles_deleted AFTER DELETE ON articles BEGIN
        INSERT OR IGNORE INTO index_deletions (id) VALUES (old.id);
    END;
    CREATE TABLE entities (
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        field TEXT NOT NULL,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        text TEXT NOT NULL,
        label TEXT NOT NULL,
        canonical TEXT NOT NULL
    );
    CREATE INDEX entities_article ON entities (article_id);
    CREATE INDEX entities_canonical ON entities (canonical, label);
    CREATE TABLE saved_searches (
        name TEXT PRIMARY KEY,
        query TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE TABLE ui_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    """,
]

_ARTICLE_COLUMNS = (
    "a.id, a.feed_id, COALESCE(f.user_title, f.title, f.url), a.guid, a.link, a.title, a.author,"
    " a.published, a.updated, a.summary_html, a.content_html, a.text, a.tags, a.read,"
    " a.bookmarked_at"
)
_ROW_COLUMNS = (
    "a.id, a.feed_id, COALESCE(f.user_title, f.title, f.url), a.title, a.date, a.read,"
    " a.bookmarked_at IS NOT NULL, a.link"
)
_FEED_COLUMNS = (
    "f.id, f.url, COALESCE(f.user_title, f.title, f.url), f.site_link, f.etag, f.last_modified,"
    " f.last_fetched, f.last_error, f.warning, f.gone, f.retry_after"
)


BACKOFF_BASE = timedelta(minutes=5)
BACKOFF_MAX = timedelta(hours=12)


def backoff_delay(failures: int) -> timedelta:
    """How long to leave a feed alone after its ``failures``-th failure in a row."""
    return min(BACKOFF_BASE * 2 ** min(max(failures - 1, 0), 16), BACKOFF_MAX)


def utcnow() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def to_iso(value: datetime | None) -> str | None:
    """ISO 8601 in UTC with a ``Z``: sorts as text in time order."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def from_iso(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def article_id(feed_id: int, key: str) -> str:
    """A stable id: the feed's row id and the entry's identity key, hashed."""
    return hashlib.sha1(f"{feed_id}\x00{key}".encode()).hexdigest()[:16]


def content_hash(entry: ParsedEntry) -> str:
    parts = [
        entry.title,
        entry.link or "",
        entry.author or "",
        to_iso(entry.published) or "",
        to_iso(entry.updated) or "",
        entry.summary_html,
        entry.content_html,
        "\x1f".join(entry.tags),
    ]
    return hashlib.sha1("\x00".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


class Store:
    """One SQLite connection with the schema migrated to the newest version."""

    def __init__(self, conn: sqlite3.Connection, path: Path | None) -> None:
        self.conn = conn
        self.path = path
        # The app calls from worker threads; one connection, used by one thread at a time.
        self.lock = threading.RLock()

    # -- opening -------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path | str, *, readonly: bool = False) -> Store:
        path = Path(path)
        if not readonly:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot create {path.parent}: {exc.strerror}") from exc
        try:
            if readonly:
                conn = sqlite3.connect(
                    f"file:{path}?mode=ro",
                    uri=True,
                    timeout=10,
                    isolation_level=None,
                    check_same_thread=False,
                )
            else:
                conn = sqlite3.connect(
                    path, timeout=10, isolation_level=None, check_same_thread=False
                )
            conn.execute("PRAGMA busy_timeout = 10000")
            conn.execute("PRAGMA foreign_keys = ON")
            if not readonly:
                mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()
                if mode and str(mode[0]).lower() != "wal":
                    raise StoreError(f"{path}: the database cannot use write-ahead logging")
                conn.execute("PRAGMA synchronous = NORMAL")
            store = cls(conn, path)
            store._migrate(readonly)
        except sqlite3.DatabaseError as exc:
            raise _store_error(path, exc) from exc
        return store

    @classmethod
    def memory(cls) -> Store:
        conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA foreign_keys = ON")
        store = cls(conn, None)
        store._migrate(False)
        return store

    def close(self) -> None:
        self.conn.close()

    def _migrate(self, readonly: bool) -> None:
        version = int(self.conn.execute("PRAGMA user_version").fetchone()[0])
        if version > len(MIGRATIONS):
            raise StoreError(
                f"{self.path} was written by a newer newsreader (schema {version});"
                " upgrade newsreader"
            )
        if version == len(MIGRATIONS):
            return
        if readonly:
            raise StoreError(f"{self.path} needs an upgrade but is read-only")
        for step in range(version, len(MIGRATIONS)):
            try:
                self.conn.executescript(
                    "BEGIN IMMEDIATE;"
                    + MIGRATIONS[step]
                    + f";PRAGMA user_version = {step + 1}; COMMIT;"
                )
            except sqlite3.DatabaseError:
                if self.conn.in_transaction:
                    self.conn.rollback()
                raise

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic unit of work; a database error becomes a StoreError."""
        conn = self.conn
        with self.lock:
            try:
                if not conn.in_transaction:
                    conn.execute("BEGIN IMMEDIATE")
                yield conn
                conn.commit()
            except sqlite3.DatabaseError as exc:
                conn.rollback()
                raise _store_error(self.path, exc) from exc
            except BaseException:
                conn.rollback()
                raise

    def _read(self, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        try:
            with self.lock:
                return self.conn.execute(sql, params).fetchall()
        except sqlite3.DatabaseError as exc:
            raise _store_error(self.path, exc) from exc

    # -- meta and ui state -----------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        rows = self._read("SELECT value FROM meta WHERE key = ?", (key,))
        return rows[0][0] if rows else None

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?)"
                " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def get_state(self) -> dict[str, str]:
        return {k: v for k, v in self._read("SELECT key, value FROM ui_state")}

    def set_state(self, values: dict[str, str]) -> None:
        with self.transaction() as conn:
            conn.executemany(
                "INSERT INTO ui_state (key, value) VALUES (?, ?)"
                " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                list(values.items()),
            )

    # -- feeds ---------------------------------------------------------------------

    def add_feed(self, url: str, title: str | None = None) -> Feed:
        with self.transaction() as conn:
            try:
                conn.execute(
                    "INSERT INTO feeds (url, user_title, added_at) VALUES (?, ?, ?)",
                    (url, title, to_iso(utcnow())),
                )
            except sqlite3.IntegrityError as exc:
                raise StoreError(f"already subscribed to {url}") from exc
        return self.feed_by_url(url)

    def feed_by_url(self, url: str) -> Feed:
        rows = self._read(f"SELECT {_FEED_COLUMNS}, 0, 0 FROM feeds f WHERE f.url = ?", (url,))
        if not rows:
            raise NotFoundError(f"no feed with URL {url}")
        return _feed(rows[0])

    def feed(self, feed_id: int) -> Feed:
        rows = self._read(f"SELECT {_FEED_COLUMNS}, 0, 0 FROM feeds f WHERE f.id = ?", (feed_id,))
        if not rows:
            raise NotFoundError(f"no feed with id {feed_id}")
        return _feed(rows[0])

    def feeds(self) -> list[Feed]:
        """All feeds with article and unread counts, in title order."""
        rows = self._read(
            f"SELECT {_FEED_COLUMNS}, COUNT(a.id), COALESCE(SUM(a.read = 0), 0)"
            " FROM feeds f LEFT JOIN articles a ON a.feed_id = f.id"
            " GROUP BY f.id ORDER BY lower(COALESCE(f.user_title, f.title, f.url))"
        )
        return [_feed(r) for r in rows]

    def feed_urls(self) -> list[tuple[int, str]]:
        """(id, URL) of every feed in ``feeds()`` order, without counting articles."""
        rows = self._read(
            "SELECT f.id, f.url FROM feeds f"
            " ORDER BY lower(COALESCE(f.user_title, f.title, f.url)), f.id"
        )
        return [(int(r[0]), str(r[1])) for r in rows]

    def feed_count(self) -> int:
        return int(self._read("SELECT COUNT(*) FROM feeds")[0][0])

    def remove_feed(self, feed_id: int) -> int:
        """Delete a feed and its articles; returns how many bookmarks went with it."""
        with self.transaction() as conn:
            lost = conn.execute(
                "SELECT COUNT(*) FROM articles WHERE feed_id = ? AND bookmarked_at IS NOT NULL",
                (feed_id,),
            ).fetchone()[0]
            conn.execute("DELETE FROM feeds WHERE id = ?", (feed_id,))
        return int(lost)

    def rename_feed(self, feed_id: int, title: str | None) -> None:
        with self.transaction() as conn:
            conn.execute("UPDATE feeds SET user_title = ? WHERE id = ?", (title, feed_id))
            conn.execute("UPDATE articles SET indexed = 0 WHERE feed_id = ?", (feed_id,))

    def fetch_states(self) -> dict[int, tuple[str | None, str | None, str | None, bool]]:
        """``fetch_state`` of every feed, in one query."""
        rows = self._read("SELECT id, etag, last_modified, retry_after, gone FROM feeds")
        return {int(r[0]): (r[1], r[2], r[3], bool(r[4])) for r in rows}

    def fetch_state(self, feed_id: int) -> tuple[str | None, str | None, str | None, bool]:
        """(etag, last_modified, retry_after, gone) for a conditional GET."""
        rows = self._read(
            "SELECT etag, last_modified, retry_after, gone FROM feeds WHERE id = ?", (feed_id,)
        )
        if not rows:
            raise NotFoundError(f"no feed with id {feed_id}")
        etag, modified, retry_after, gone = rows[0]
        return etag, modified, retry_after, bool(gone)

    def record_fetch(
        self,
        feed_id: int,
        *,
        error: str | None = None,
        warning: str | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
        keep_validators: bool = False,
        title: str | None = None,
        site_link: str | None = None,
        new_url: str | None = None,
        gone: bool = False,
        retry_after: datetime | None = None,
        backoff: bool = False,
    ) -> None:
        """Remember how a fetch went; errors count up until a fetch succeeds.

        ``backoff`` (a server fault without Retry-After) delays the next refresh of the
        feed, twice as long after each further failure (see ``backoff_delay``).
        """
        now_dt = utcnow()
        now = to_iso(now_dt)
        with self.transaction() as conn:
            if error is not None and backoff and retry_after is None:
                row = conn.execute(
                    "SELECT error_count FROM feeds WHERE id = ?", (feed_id,)
                ).fetchone()
                failures = int(row[0]) + 1 if row else 1
                retry_after = now_dt + backoff_delay(failures)
            if error is None:
                conn.execute(
                    "UPDATE feeds SET last_fetched = ?, last_error = NULL, warning = ?,"
                    " error_count = 0, gone = 0, retry_after = NULL,"
                    " title = COALESCE(?, title), site_link = COALESCE(?, site_link)"
                    " WHERE id = ?",
                    (now, warning, title, site_link, feed_id),
                )
                if not keep_validators:
                    conn.execute(
                        "UPDATE feeds SET etag = ?, last_modified = ? WHERE id = ?",
                        (etag, last_modified, feed_id),
                    )
            else:
                conn.execute(
                    "UPDATE feeds SET last_fetched = ?, last_error = ?, error_count = error_count + 1,"
                    " gone = ?, retry_after = ? WHERE id = ?",
                    (now, error, int(gone), to_iso(retry_after), feed_id),
                )
            if new_url:
                _follow_move(conn, feed_id, new_url)

    def record_not_modified(self, feeds: Sequence[tuple[int, str | None]]) -> None:
        """Record many "304 Not Modified" answers, (feed id, new URL or None), in one commit.

        The same as ``record_fetch(feed_id, keep_validators=True, new_url=...)`` for each; a
        warm refresh gets one per feed, and a transaction each cost more than the rest of
        its bookkeeping.
        """
        if not feeds:
            return
        now = to_iso(utcnow())
        with self.transaction() as conn:
            conn.executemany(
                "UPDATE feeds SET last_fetched = ?, last_error = NULL, warning = NULL,"
                " error_count = 0, gone = 0, retry_after = NULL WHERE id = ?",
                [(now, feed_id) for feed_id, _ in feeds],
            )
            for feed_id, new_url in feeds:
                if new_url:
                    _follow_move(conn, feed_id, new_url)

    # -- articles: writing -------------------------------------------------------------

    def store_entries(self, feed_id: int, entries: Sequence[ParsedEntry]) -> tuple[int, int]:
        """Insert new entries and update changed ones; returns (new, updated).

        An entry is the same article when its identity key is; it is changed when
        its content hash differs. Read and bookmark state are never touched.
        """
        now_dt = utcnow()
        now = to_iso(now_dt)
        new = updated = 0
        with self.transaction() as conn:
            known = dict(
                conn.execute(
                    "SELECT key, content_hash FROM articles WHERE feed_id = ?", (feed_id,)
                ).fetchall()
            )
            inserts: list[tuple[object, ...]] = []
            updates: list[tuple[object, ...]] = []
            seen: set[str] = set()
            for entry in entries:
                if entry.key in seen:
                    continue  # the same id twice in one feed document: the first wins
                seen.add(entry.key)
                digest = content_hash(entry)
                old = known.get(entry.key)
                if old == digest:
                    continue
                fields = (
                    entry.guid,
                    entry.link,
                    entry.title,
                    entry.author,
                    to_iso(entry.published),
                    to_iso(entry.updated),
                    to_iso(entry.published or entry.updated or now_dt),
                    entry.summary_html,
                    entry.content_html,
                    entry.text,
                    json.dumps(list(entry.tags), ensure_ascii=False),
                    digest,
                )
                if old is None:
                    inserts.append(
                        (article_id(feed_id, entry.key), feed_id, entry.key, *fields, now)
                    )
                else:
                    updates.append((*fields, feed_id, entry.key))
            if inserts:
                conn.executemany(
                    "INSERT INTO articles (id, feed_id, key, guid, link, title, author, published,"
                    " updated, date, summary_html, content_html, text, tags, content_hash,"
                    " first_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    inserts,
                )
                new = len(inserts)
            if updates:
                conn.executemany(
                    "UPDATE articles SET guid = ?, link = ?, title = ?, author = ?, published = ?,"
                    " updated = ?, date = ?, summary_html = ?, content_html = ?, text = ?,"
                    " tags = ?, content_hash = ?, indexed = 0, entities_version = 0"
                    " WHERE feed_id = ? AND key = ?",
                    updates,
                )
                updated = len(updates)
        return new, updated

    def set_read(self, ids: Iterable[str], read: bool = True) -> int:
        ids = list(ids)
        now = to_iso(utcnow()) if read else None
        with self.transaction() as conn:
            cur = conn.executemany(
                "UPDATE articles SET read = ?, read_at = ?, indexed = 0 WHERE id = ? AND read != ?",
                [(int(read), now, i, int(read)) for i in ids],
            )
        return cur.rowcount

    def mark_feed_read(self, feed_id: int | None) -> int:
        with self.transaction() as conn:
            now = to_iso(utcnow())
            if feed_id is None:
                cur = conn.execute(
                    "UPDATE articles SET read = 1, read_at = ?, indexed = 0 WHERE read = 0", (now,)
                )
            else:
                cur = conn.execute(
                    "UPDATE articles SET read = 1, read_at = ?, indexed = 0"
                    " WHERE read = 0 AND feed_id = ?",
                    (now, feed_id),
                )
        return cur.rowcount

    def set_bookmark(self, article_id: str, on: bool) -> datetime | None:
        """Bookmark (keeping the first time it was bookmarked) or unbookmark."""
        self.article_exists(article_id)
        with self.transaction() as conn:
            if on:
                conn.execute(
                    "UPDATE articles SET bookmarked_at = COALESCE(bookmarked_at, ?), indexed = 0"
                    " WHERE id = ?",
                    (to_iso(utcnow()), article_id),
                )
            else:
                conn.execute(
                    "UPDATE articles SET bookmarked_at = NULL, indexed = 0 WHERE id = ?",
                    (article_id,),
                )
            row = conn.execute(
                "SELECT bookmarked_at FROM articles WHERE id = ?", (article_id,)
            ).fetchone()
        return from_iso(row[0]) if row else None

    # -- articles: reading --------------------------------------------------------------

    def article_exists(self, article_id: str) -> None:
        if not self._read("SELECT 1 FROM articles WHERE id = ?", (article_id,)):
            raise NotFoundError(f"no article with id {article_id}")

    def resolve_article_id(self, prefix: str) -> str:
        """Accept a full id or an unambiguous prefix of at least 6 characters."""
        prefix = prefix.strip().lower()
        if self._read("SELECT 1 FROM articles WHERE id = ?", (prefix,)):
            return prefix
        if len(prefix) >= 6:
            rows = self._read(
                "SELECT id FROM articles WHERE id >= ? AND id < ? LIMIT 2",
                (prefix, prefix + "\uffff"),
            )
            if len(rows) == 1:
                return str(rows[0][0])
            if len(rows) > 1:
                raise NotFoundError(f"article id {prefix} is ambiguous")
        raise NotFoundError(f"no article with id {prefix}")

    def article(self, article_id: str) -> Article:
        rows = self._read(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles a JOIN feeds f ON f.id = a.feed_id"
            " WHERE a.id = ?",
            (article_id,),
        )
        if not rows:
            raise NotFoundError(f"no article with id {article_id}")
        return _article(rows[0])

    def articles(self, ids: Sequence[str]) -> dict[str, Article]:
        out: dict[str, Article] = {}
        for chunk in _chunks(list(ids), 500):
            marks = ",".join("?" * len(chunk))
            for row in self._read(
                f"SELECT {_ARTICLE_COLUMNS} FROM articles a JOIN feeds f ON f.id = a.feed_id"
                f" WHERE a.id IN ({marks})",
                chunk,
            ):
                art = _article(row)
                out[art.id] = art
        return out

    def rows(self, ids: Sequence[str]) -> dict[str, ArticleRow]:
        out: dict[str, ArticleRow] = {}
        for chunk in _chunks(list(ids), 500):
            marks = ",".join("?" * len(chunk))
            for row in self._read(
                f"SELECT {_ROW_COLUMNS} FROM articles a JOIN feeds f ON f.id = a.feed_id"
                f" WHERE a.id IN ({marks})",
                chunk,
            ):
                out[row[0]] = _row(row)
        return out

    def _view_where(self, view: str, feed_id: int | None) -> tuple[str, list[object]]:
        clauses: list[str] = []
        params: list[object] = []
        if view == "unread":
            clauses.append("a.read = 0")
        elif view == "bookmarks":
            clauses.append("a.bookmarked_at IS NOT NULL")
        elif view != "all":
            raise ValueError(f"unknown view {view!r}")
        if feed_id is not None:
            clauses.append("a.feed_id = ?")
            params.append(feed_id)
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params

    def list_articles(
        self,
        view: str = "all",
        feed_id: int | None = None,
        *,
        limit: int = 100,
        offset: int = 0,
        reverse: bool = False,
    ) -> list[ArticleRow]:
        """A page of article rows, newest first (bookmarks: most recently bookmarked first).

        ``reverse`` counts ``offset`` from the other end and lists oldest first: the end of
        a long list costs what its start costs (SQLite walks OFFSET rows one by one).
        """
        where, params = self._view_where(view, feed_id)
        if view == "bookmarks":
            order = "a.bookmarked_at, a.id DESC" if reverse else "a.bookmarked_at DESC, a.id"
        else:
            order = "a.date, a.id DESC" if reverse else "a.date DESC, a.id"
        rows = self._read(
            f"SELECT {_ROW_COLUMNS} FROM articles a JOIN feeds f ON f.id = a.feed_id"
            f"{where} ORDER BY {order} LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        return [_row(r) for r in rows]

    def count_articles(self, view: str = "all", feed_id: int | None = None) -> int:
        where, params = self._view_where(view, feed_id)
        return int(self._read(f"SELECT COUNT(*) FROM articles a{where}", params)[0][0])

    def bookmarks(self) -> list[tuple[Article, datetime]]:
        rows = self._read(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles a JOIN feeds f ON f.id = a.feed_id"
            " WHERE a.bookmarked_at IS NOT NULL ORDER BY a.bookmarked_at DESC, a.id"
        )
        out = []
        for row in rows:
            art = _article(row)
            assert art.bookmarked_at is not None
            out.append((art, art.bookmarked_at))
        return out

    def unread_ids(self, ids: Sequence[str]) -> set[str]:
        out: set[str] = set()
        for chunk in _chunks(list(ids), 500):
            marks = ",".join("?" * len(chunk))
            out.update(
                r[0]
                for r in self._read(
                    f"SELECT id FROM articles WHERE read = 0 AND id IN ({marks})", chunk
                )
            )
        return out

    def article_count(self) -> int:
        return int(self._read("SELECT COUNT(*) FROM articles")[0][0])

    # -- the index's view of the store ------------------------------------------------------

    def index_docs(self, ids: Sequence[str] | None = None) -> Iterator[IndexDoc]:
        """IndexDocs for the given ids, or for every article when ids is None (streamed)."""
        sql = (
            "SELECT a.id, a.feed_id, COALESCE(f.user_title, f.title, f.url), a.title, a.text,"
            " a.author, a.link, a.tags, a.date, a.bookmarked_at IS NOT NULL, a.read, a.rowid"
            " FROM articles a JOIN feeds f ON f.id = a.feed_id"
        )
        if ids is None:
            last = -1
            while batch := self._read(
                f"{sql} WHERE a.rowid > ? ORDER BY a.rowid LIMIT 1000", (last,)
            ):
                last = batch[-1][11]
                yield from self._docs_with_entities(batch)
            return
        for chunk in _chunks(list(ids), 500):
            marks = ",".join("?" * len(chunk))
            yield from self._docs_with_entities(self._read(f"{sql} WHERE a.id IN ({marks})", chunk))

    def _docs_with_entities(self, rows: list[tuple[Any, ...]]) -> Iterator[IndexDoc]:
        ids = [r[0] for r in rows]
        ents: dict[str, dict[str, set[str]]] = {}
        for chunk in _chunks(ids, 500):
            marks = ",".join("?" * len(chunk))
            for aid, label, text, canonical in self._read(
                f"SELECT DISTINCT article_id, label, text, canonical FROM entities"
                f" WHERE article_id IN ({marks})",
                chunk,
            ):
                slot = ents.setdefault(aid, {}).setdefault(label, set())
                slot.add(canonical)
                slot.add(text)
        for r in rows:
            e = ents.get(r[0], {})
            yield IndexDoc(
                id=r[0],
                feed_id=r[1],
                feed=r[2],
                title=r[3],
                body=r[4],
                author=r[5] or "",
                link=r[6] or "",
                tags=tuple(json.loads(r[7] or "[]")),
                published=from_iso(r[8]),
                bookmarked=bool(r[9]),
                read=bool(r[10]),
                **{
                    field: tuple(sorted(e.get(label, ()))) for label, field in SEARCH_FIELDS.items()
                },
            )

    def pending_index(self, limit: int | None = None) -> tuple[list[str], list[str]]:
        """(ids to (re)write, ids to delete) that the index has not caught up with."""
        sql = "SELECT id FROM articles WHERE indexed = 0"
        params: list[object] = []
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        write = [r[0] for r in self._read(sql, params)]
        delete = [r[0] for r in self._read("SELECT id FROM index_deletions")]
        return write, delete

    def mark_indexed(self, written: Sequence[str], deleted: Sequence[str]) -> None:
        with self.transaction() as conn:
            conn.executemany(
                "UPDATE articles SET indexed = 1 WHERE id = ?", [(i,) for i in written]
            )
            conn.executemany("DELETE FROM index_deletions WHERE id = ?", [(i,) for i in deleted])

    def mark_all_unindexed(self) -> None:
        with self.transaction() as conn:
            conn.execute("UPDATE articles SET indexed = 0 WHERE indexed != 0")
            conn.execute("DELETE FROM index_deletions")

    # -- entities -----------------------------------------------------------------------

    def articles_needing_entities(self, version: int, limit: int) -> list[tuple[str, str, str]]:
        return [
            (r[0], r[1], r[2])
            for r in self._read(
                "SELECT id, title, text FROM articles WHERE entities_version != ?"
                " ORDER BY date DESC LIMIT ?",
                (version, limit),
            )
        ]

    def count_needing_entities(self, version: int) -> int:
        return int(
            self._read("SELECT COUNT(*) FROM articles WHERE entities_version != ?", (version,))[0][
                0
            ]
        )

    def save_entities(
        self, batch: Sequence[tuple[str, Sequence[Mention], Sequence[Mention]]], version: int
    ) -> None:
        """Replace the entities of each article in one transaction and stamp the version."""
        with self.transaction() as conn:
            for aid, title_mentions, text_mentions in batch:
                conn.execute("DELETE FROM entities WHERE article_id = ?", (aid,))
                conn.executemany(
                    'INSERT INTO entities (article_id, field, start, "end", text, label, canonical)'
                    " VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [
                        (aid, fld, m.start, m.end, m.text, m.label, m.canonical)
                        for fld, mentions in (("title", title_mentions), ("text", text_mentions))
                        for m in mentions
                    ],
                )
                conn.execute(
                    "UPDATE articles SET entities_version = ?, indexed = 0 WHERE id = ?",
                    (version, aid),
                )

    def article_entities(self, article_id: str) -> list[tuple[str, Mention]]:
        rows = self._read(
            'SELECT field, text, label, start, "end", canonical FROM entities'
            " WHERE article_id = ? ORDER BY field, start",
            (article_id,),
        )
        return [
            (r[0], Mention(text=r[1], label=r[2], start=r[3], end=r[4], canonical=r[5]))
            for r in rows
        ]

    def top_entities(self, n: int, since: datetime | None) -> list[tuple[str, str, int, int]]:
        params: list[object] = []
        where = ""
        if since is not None:
            where = " WHERE a.date >= ?"
            params.append(to_iso(since))
        rows = self._read(
            "SELECT e.canonical, e.label, COUNT(DISTINCT e.article_id), COUNT(*)"
            " FROM entities e JOIN articles a ON a.id = e.article_id"
            f"{where} GROUP BY e.canonical, e.label"
            " ORDER BY COUNT(DISTINCT e.article_id) DESC, COUNT(*) DESC, e.canonical LIMIT ?",
            [*params, n],
        )
        return [(r[0], r[1], int(r[2]), int(r[3])) for r in rows]

    # -- saved searches ---------------------------------------------------------------------

    def saved_searches(self) -> list[SavedSearch]:
        return [
            SavedSearch(name=r[0], query=r[1])
            for r in self._read("SELECT name, query FROM saved_searches ORDER BY lower(name)")
        ]

    def save_search(self, name: str, query: str) -> None:
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO saved_searches (name, query, created_at) VALUES (?, ?, ?)"
                " ON CONFLICT(name) DO UPDATE SET query = excluded.query",
                (name, query, to_iso(utcnow())),
            )

    def delete_search(self, name: str) -> None:
        with self.transaction() as conn:
            cur = conn.execute("DELETE FROM saved_searches WHERE name = ?", (name,))
        if cur.rowcount == 0:
            raise NotFoundError(f"no saved search named {name!r}")


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _follow_move(conn: sqlite3.Connection, feed_id: int, new_url: str) -> None:
    """A feed that moved permanently takes its new URL, unless another feed already has it."""
    clash = conn.execute(
        "SELECT id FROM feeds WHERE url = ? AND id != ?", (new_url, feed_id)
    ).fetchone()
    if clash is None:
        conn.execute("UPDATE feeds SET url = ? WHERE id = ?", (new_url, feed_id))


def _store_error(path: Path | None, exc: sqlite3.DatabaseError) -> StoreError:
    message = _describe(path, exc)
    if _code(exc) in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
        return StoreDamagedError(message)
    return StoreError(message)


_SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_READONLY, _SQLITE_IOERR = 5, 6, 8, 10
_SQLITE_CORRUPT, _SQLITE_FULL, _SQLITE_CANTOPEN, _SQLITE_NOTADB = 11, 13, 14, 26


def _code(exc: sqlite3.DatabaseError) -> int | None:
    """The primary SQLite result code of an error (from the message when Python lacks it)."""
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF
    text = str(exc)
    for needle, value in (
        ("not a database", _SQLITE_NOTADB),
        ("malformed", _SQLITE_CORRUPT),
        ("readonly", _SQLITE_READONLY),
        ("read-only", _SQLITE_READONLY),
        ("disk is full", _SQLITE_FULL),
        ("disk I/O error", _SQLITE_IOERR),
        ("locked", _SQLITE_BUSY),
        ("busy", _SQLITE_BUSY),
        ("unable to open", _SQLITE_CANTOPEN),
    ):
        if needle in text:
            return value
    return None


def _describe(path: Path | None, exc: sqlite3.DatabaseError) -> str:
    text = str(exc)
    where = str(path) if path else "the database"
    code = _code(exc)
    if code in (_SQLITE_NOTADB, _SQLITE_CORRUPT):
        return f"{where} is damaged or not a newsreader database ({text}); it was left untouched"
    if code == _SQLITE_READONLY:
        folder = path.parent if path else None
        if folder is not None and not os.access(folder, os.W_OK):
            return (
                f"{where} cannot be written: its folder {folder} is read-only"
                " (newsreader keeps a write-ahead log beside the database)"
            )
        return f"{where} is read-only: {text}"
    if code == _SQLITE_FULL:
        return f"the disk holding {where} is full: nothing was lost, free some space and retry"
    if code == _SQLITE_IOERR:
        return (
            f"could not write {where} ({text}): the disk may be full, over quota or failing;"
            " what was stored before is intact"
        )
    if code in (_SQLITE_BUSY, _SQLITE_LOCKED):
        return f"{where} is busy (another newsreader is writing); try again in a moment"
    if code == _SQLITE_CANTOPEN:
        return f"cannot open {where}: check that the directory exists and is writable"
    return f"database error in {where}: {text}"


def _feed(row: tuple[Any, ...]) -> Feed:
    return Feed(
        id=row[0],
        url=row[1],
        title=row[2],
        site_link=row[3],
        etag=row[4],
        last_modified=row[5],
        last_fetched=from_iso(row[6]),
        last_error=row[7],
        warning=row[8],
        gone=bool(row[9]),
        retry_after=from_iso(row[10]),
        article_count=int(row[11] or 0),
        unread_count=int(row[12] or 0),
    )


def _article(row: tuple[Any, ...]) -> Article:
    return Article(
        id=row[0],
        feed_id=row[1],
        feed_title=row[2],
        guid=row[3],
        link=row[4],
        title=row[5],
        author=row[6],
        published=from_iso(row[7]),
        updated=from_iso(row[8]),
        summary_html=row[9],
        content_html=row[10],
        text=row[11],
        tags=tuple(json.loads(row[12] or "[]")),
        read=bool(row[13]),
        bookmarked_at=from_iso(row[14]),
    )


def _row(row: tuple[Any, ...]) -> ArticleRow:
    return ArticleRow(
        id=row[0],
        feed_id=row[1],
        feed_title=row[2],
        title=row[3],
        published=from_iso(row[4]),
        read=bool(row[5]),
        bookmarked=bool(row[6]),
        link=row[7],
    )
