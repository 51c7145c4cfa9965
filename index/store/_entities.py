"""Named-entity mentions in the store, stamped with the extractor version that found them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from ..models import Mention
from ..times import to_iso
from ._base import StoreBase


class EntitiesMixin(StoreBase):
    """Saving, reading and counting mentions."""

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
