"""What reading needs beyond the feed's text: enclosures, fetched full text, per-feed choice."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from ..errors import NotFoundError
from ..models import Article, Enclosure, ParsedEntry
from ..times import to_iso, utcnow
from ._base import StoreBase, _chunks


class ReadingMixin(StoreBase):
    """Enclosures per article, the full text beside the feed's, and feeds that fetch it."""

    def _write_enclosures(
        self, conn: sqlite3.Connection, entries: Sequence[tuple[str, ParsedEntry]]
    ) -> None:
        """Replace the enclosures of each (article id, entry) (inside the caller's write)."""
        for aid, entry in entries:
            conn.execute("DELETE FROM enclosures WHERE article_id = ?", (aid,))
            conn.executemany(
                "INSERT INTO enclosures (article_id, position, url, type, length)"
                " VALUES (?, ?, ?, ?, ?)",
                [(aid, i, e.url, e.type, e.length) for i, e in enumerate(entry.enclosures)],
            )

    def _with_enclosures(self, articles: list[Article]) -> list[Article]:
        """``articles`` with their enclosures filled in (one query per 500)."""
        found: dict[str, list[Enclosure]] = {}
        for chunk in _chunks([a.id for a in articles], 500):
            marks = ",".join("?" * len(chunk))
            for aid, url, kind, length in self._read(
                "SELECT article_id, url, type, length FROM enclosures"
                f" WHERE article_id IN ({marks}) ORDER BY article_id, position",
                chunk,
            ):
                found.setdefault(aid, []).append(Enclosure(url, kind, length))
        return [replace(a, enclosures=tuple(found[a.id])) if a.id in found else a for a in articles]

    def save_full_text(self, article_id: str, full_html: str, text: str) -> datetime:
        """Keep an article's fetched page (sanitised) and make its text the page's, so the
        index and entity extraction pick it up again."""
        now = utcnow()
        with self.transaction() as conn:
            cur = conn.execute(
                "UPDATE articles SET full_html = ?, full_fetched = ?, text = ?, indexed = 0,"
                " entities_version = 0 WHERE id = ?",
                (full_html, to_iso(now), text, article_id),
            )
            if cur.rowcount == 0:
                raise NotFoundError(f"no article with id {article_id}")
        return now

    def set_feed_full_text(self, feed_id: int, on: bool) -> None:
        with self.transaction() as conn:
            cur = conn.execute("UPDATE feeds SET full_text = ? WHERE id = ?", (int(on), feed_id))
            if cur.rowcount == 0:
                raise NotFoundError(f"no feed with id {feed_id}")

    def articles_wanting_full_text(self, feed_ids: Sequence[int], limit: int) -> list[str]:
        """Articles of ``feed_ids`` (feeds that fetch full text) not fetched yet, newest first."""
        if not feed_ids:
            return []
        marks = ",".join("?" * len(feed_ids))
        rows = self._read(
            "SELECT id FROM articles WHERE full_fetched IS NULL AND link IS NOT NULL"
            f" AND feed_id IN ({marks}) ORDER BY date DESC LIMIT ?",
            [*feed_ids, limit],
        )
        return [r[0] for r in rows]

    def mark_full_text_tried(self, article_id: str) -> None:
        """A page that could not be fetched is not tried again on every refresh."""
        with self.transaction() as conn:
            conn.execute(
                "UPDATE articles SET full_fetched = ? WHERE id = ? AND full_fetched IS NULL",
                (to_iso(utcnow()), article_id),
            )
