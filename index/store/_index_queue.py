"""What the search index still has to catch up with, and the documents it is built from.

``articles.indexed`` says which rows the index still has to (re)write, and
``index_deletions`` which ids it still has to drop, so a crash at any point leaves the
index and the store reconcilable.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

from ..entities.fields import SEARCH_FIELDS
from ..models import IndexDoc
from ..times import from_iso
from ._base import StoreBase, _chunks


class IndexQueueMixin(StoreBase):
    """The index's view of the store: pending ids and IndexDocs."""

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
