"""Feeds in the store: subscriptions, their titles, folders and tags, and fetch bookkeeping
(validators, errors, last success, Retry-After and backoff, permanent moves)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

from ..errors import NotFoundError, StoreError
from ..models import Feed
from ..times import from_iso, to_iso, utcnow
from ._base import StoreBase

_FEED_COLUMNS = (
    "f.id, f.url, COALESCE(f.user_title, f.title, f.url), f.site_link, f.etag, f.last_modified,"
    " f.last_fetched, f.last_error, f.warning, f.gone, f.retry_after, f.folder, f.tags,"
    " f.last_success, f.error_count, f.full_text"
)
# article, unread and hidden counts of each feed (hidden articles count only as hidden)
_COUNTS = (
    "COALESCE(SUM(a.hidden = 0), 0), COALESCE(SUM(a.read = 0 AND a.hidden = 0), 0),"
    " COALESCE(SUM(a.hidden), 0)"
)


BACKOFF_BASE = timedelta(minutes=5)
BACKOFF_MAX = timedelta(hours=12)


def backoff_delay(failures: int) -> timedelta:
    """How long to leave a feed alone after its ``failures``-th failure in a row."""
    return min(BACKOFF_BASE * 2 ** min(max(failures - 1, 0), 16), BACKOFF_MAX)


class FeedsMixin(StoreBase):
    """Subscribing, listing and recording how each fetch went."""

    def add_feed(
        self,
        url: str,
        title: str | None = None,
        *,
        folder: str | None = None,
        tags: Sequence[str] = (),
        site_link: str | None = None,
    ) -> Feed:
        with self.transaction() as conn:
            try:
                conn.execute(
                    "INSERT INTO feeds (url, user_title, folder, tags, site_link, added_at)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    (url, title, folder or None, _tags_json(tags), site_link, to_iso(utcnow())),
                )
            except sqlite3.IntegrityError as exc:
                raise StoreError(f"already subscribed to {url}") from exc
        return self.feed_by_url(url)

    def feed_by_url(self, url: str) -> Feed:
        rows = self._read(f"SELECT {_FEED_COLUMNS}, 0, 0, 0 FROM feeds f WHERE f.url = ?", (url,))
        if not rows:
            raise NotFoundError(f"no feed with URL {url}")
        return _feed(rows[0])

    def feed(self, feed_id: int) -> Feed:
        rows = self._read(
            f"SELECT {_FEED_COLUMNS}, 0, 0, 0 FROM feeds f WHERE f.id = ?", (feed_id,)
        )
        if not rows:
            raise NotFoundError(f"no feed with id {feed_id}")
        return _feed(rows[0])

    def feeds(self) -> list[Feed]:
        """All feeds with article, unread and hidden counts, in title order; feeds that
        share a title get display names that tell them apart."""
        rows = self._read(
            f"SELECT {_FEED_COLUMNS}, {_COUNTS}"
            " FROM feeds f LEFT JOIN articles a ON a.feed_id = f.id"
            " GROUP BY f.id ORDER BY lower(COALESCE(f.user_title, f.title, f.url)), f.id"
        )
        return _told_apart([_feed(r) for r in rows])

    def update_feed(
        self,
        feed_id: int,
        *,
        folder: str | None = None,
        set_folder: bool = False,
        tags: Sequence[str] | None = None,
    ) -> None:
        """Move a feed to ``folder`` (when ``set_folder``; None: the top) and/or replace its
        tags; its articles are indexed again (the index holds both)."""
        self.feed(feed_id)  # NotFoundError for a feed that is not there
        with self.transaction() as conn:
            if set_folder:
                conn.execute("UPDATE feeds SET folder = ? WHERE id = ?", (folder or None, feed_id))
            if tags is not None:
                conn.execute("UPDATE feeds SET tags = ? WHERE id = ?", (_tags_json(tags), feed_id))
            conn.execute("UPDATE articles SET indexed = 0 WHERE feed_id = ?", (feed_id,))

    def folder_paths(self) -> list[str]:
        """Every folder path some feed is in, sorted."""
        rows = self._read("SELECT DISTINCT folder FROM feeds WHERE folder IS NOT NULL")
        return sorted(str(r[0]) for r in rows)

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
                    "UPDATE feeds SET last_fetched = ?, last_success = ?, last_error = NULL,"
                    " warning = ?, error_count = 0, gone = 0, retry_after = NULL,"
                    " title = COALESCE(?, title), site_link = COALESCE(?, site_link)"
                    " WHERE id = ?",
                    (now, now, warning, title, site_link, feed_id),
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
                "UPDATE feeds SET last_fetched = ?, last_success = ?, last_error = NULL,"
                " warning = NULL, error_count = 0, gone = 0, retry_after = NULL WHERE id = ?",
                [(now, now, feed_id) for feed_id, _ in feeds],
            )
            for feed_id, new_url in feeds:
                if new_url:
                    _follow_move(conn, feed_id, new_url)


def _follow_move(conn: sqlite3.Connection, feed_id: int, new_url: str) -> None:
    """A feed that moved permanently takes its new URL, unless another feed already has it."""
    clash = conn.execute(
        "SELECT id FROM feeds WHERE url = ? AND id != ?", (new_url, feed_id)
    ).fetchone()
    if clash is None:
        conn.execute("UPDATE feeds SET url = ? WHERE id = ?", (new_url, feed_id))


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
        folder=row[11] or None,
        tags=tuple(json.loads(row[12] or "[]")),
        display_name=row[2],
        last_success=from_iso(row[13]),
        error_count=int(row[14] or 0),
        full_text=bool(row[15]),
        article_count=int(row[16] or 0),
        unread_count=int(row[17] or 0),
        hidden_count=int(row[18] or 0),
    )


def _tags_json(tags: Sequence[str]) -> str:
    """Tags as stored: stripped, blanks dropped, the first spelling of each kept."""
    seen: dict[str, str] = {}
    for tag in tags:
        text = " ".join(str(tag).split())
        if text and text.lower() not in seen:
            seen[text.lower()] = text
    return json.dumps(list(seen.values()), ensure_ascii=False)


def _told_apart(feeds: list[Feed]) -> list[Feed]:
    """Give feeds that share a title a display name with where they come from: the host
    (or file name), and the id when even that is the same."""
    by_title: dict[str, list[int]] = {}
    for n, feed in enumerate(feeds):
        by_title.setdefault(feed.title.casefold(), []).append(n)
    out = list(feeds)
    for group in by_title.values():
        if len(group) < 2:
            continue
        names = {n: f"{feeds[n].title} ({_source_of(feeds[n].url)})" for n in group}
        counts: dict[str, int] = {}
        for name in names.values():
            counts[name.casefold()] = counts.get(name.casefold(), 0) + 1
        for n, name in names.items():
            if counts[name.casefold()] > 1:
                name = f"{feeds[n].title} ({_source_of(feeds[n].url)} #{feeds[n].id})"
            out[n] = replace(feeds[n], display_name=name)
    return out


def _source_of(url: str) -> str:
    """Where a feed comes from, in a word: its host without ``www.``, or its file's name."""
    parts = urlsplit(url)
    if parts.scheme == "file":
        return PurePosixPath(unquote(parts.path)).name or url
    host = parts.hostname or url
    return host.removeprefix("www.")
