"""Feeds in the store: subscriptions, their titles and fetch bookkeeping (validators, errors,
Retry-After and backoff, permanent moves)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from ..errors import NotFoundError, StoreError
from ..models import Feed
from ..times import from_iso, to_iso, utcnow
from ._base import StoreBase

_FEED_COLUMNS = (
    "f.id, f.url, COALESCE(f.user_title, f.title, f.url), f.site_link, f.etag, f.last_modified,"
    " f.last_fetched, f.last_error, f.warning, f.gone, f.retry_after"
)


BACKOFF_BASE = timedelta(minutes=5)
BACKOFF_MAX = timedelta(hours=12)


def backoff_delay(failures: int) -> timedelta:
    """How long to leave a feed alone after its ``failures``-th failure in a row."""
    return min(BACKOFF_BASE * 2 ** min(max(failures - 1, 0), 16), BACKOFF_MAX)


class FeedsMixin(StoreBase):
    """Subscribing, listing and recording how each fetch went."""

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
        article_count=int(row[11] or 0),
        unread_count=int(row[12] or 0),
    )
