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
from ..errors import StoreError
from ..language import article_language
from ..models import IndexDoc
from ..times import from_iso
from ._base import StoreBase, _chunks


class IndexQueueMixin(StoreBase):
    """The index's view of the store: pending ids and IndexDocs."""

    def index_docs(self, ids: Sequence[str] | None = None) -> Iterator[IndexDoc]:
        """IndexDocs for the given ids, or for every article when ids is None (streamed)."""
        sql = (
            "SELECT a.id, a.feed_id, COALESCE(f.user_title, f.title, f.url), a.title, a.text,"
            " a.author, a.link, a.tags, a.date, a.bookmarked_at IS NOT NULL, a.read, a.rowid,"
            " a.language, COALESCE(f.folder, ''), f.tags, a.filter_tags, a.hidden"
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
        languages = self._languages_of(rows)
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
                tags=_all_tags(r[7], r[14], r[15]),
                published=from_iso(r[8]),
                bookmarked=bool(r[9]),
                read=bool(r[10]),
                **{
                    field: tuple(sorted(e.get(label, ()))) for label, field in SEARCH_FIELDS.items()
                },
                language=languages.get(r[0]),
                folder=r[13],
                hidden=bool(r[16]),
            )

    def _languages_of(self, rows: list[tuple[Any, ...]]) -> dict[str, str | None]:
        """Each row's language; articles stored before languages were (NULL) are detected
        now and the result kept, so an upgraded library gets its languages as it reindexes."""
        out: dict[str, str | None] = {r[0]: r[12] for r in rows}
        found = []
        for r in rows:
            if r[12] is None:
                lang = article_language(None, r[3] or "", r[4] or "")
                if lang is not None:
                    out[r[0]] = lang
                    found.append((lang, r[0]))
        if found:
            try:
                with self.transaction() as conn:
                    conn.executemany(
                        "UPDATE articles SET language = ? WHERE id = ? AND language IS NULL", found
                    )
            except StoreError:
                pass  # a read-only store: the index still gets the detected languages
        return out

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

    def pending_index_count(self) -> int:
        """How many articles the index has still to (re)write (cheap: a partial index)."""
        return int(self._read("SELECT COUNT(*) FROM articles WHERE indexed = 0")[0][0])

    def claim_for_index(self, ids: Sequence[str], generation: int) -> None:
        """Mark ``ids`` indexed before the index writes them, and keep the claim.

        An article changed while its batch is being written is marked unindexed again (every
        change sets ``indexed = 0``) and so written again by the next batch, instead of being
        marked indexed afterwards with its old text in the index. The claim (the generation
        the index must reach, and the ids) stays in ``meta`` until the index has committed,
        so a process killed meanwhile leaves what the next one needs to put them back.
        """
        claim = json.dumps({"generation": generation, "ids": list(ids)})
        with self.transaction() as conn:
            conn.executemany("UPDATE articles SET indexed = 1 WHERE id = ?", [(i,) for i in ids])
            conn.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('index_claim', ?)", (claim,)
            )

    def index_claim(self) -> tuple[int, list[str]] | None:
        """(generation, ids) of a claimed batch whose commit was not confirmed, if any."""
        value = self.get_meta("index_claim")
        if not value:
            return None
        try:
            claim = json.loads(value)
            return int(claim["generation"]), [str(i) for i in claim["ids"]]
        except (ValueError, KeyError, TypeError):
            return 0, []  # unreadable: the caller cannot trust the batch was written

    def release_index_claim(self) -> None:
        """The claimed batch was not written: its articles are pending again."""
        claim = self.index_claim()
        with self.transaction() as conn:
            if claim is not None:
                conn.executemany(
                    "UPDATE articles SET indexed = 0 WHERE id = ?", [(i,) for i in claim[1]]
                )
            conn.execute("DELETE FROM meta WHERE key = 'index_claim'")

    def finish_index_claim(self, deleted: Sequence[str], generation: int) -> None:
        """The index committed the claimed batch (and these deletions) as ``generation``."""
        with self.transaction() as conn:
            conn.executemany("DELETE FROM index_deletions WHERE id = ?", [(i,) for i in deleted])
            conn.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('index_generation', ?)",
                (str(generation),),
            )
            conn.execute("DELETE FROM meta WHERE key = 'index_claim'")

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


def _all_tags(*stored: str | None) -> tuple[str, ...]:
    """An article's tags for the index: its own, its feed's, and those filters gave it
    (JSON lists), each once whatever its case, the first spelling kept."""
    seen: dict[str, str] = {}
    for text in stored:
        for tag in json.loads(text or "[]"):
            seen.setdefault(str(tag).casefold(), str(tag))
    return tuple(seen.values())
