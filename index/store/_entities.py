"""Named-entity mentions in the store, stamped with the extractor version that found them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from ..models import Mention
from ..times import to_iso
from ._base import StoreBase


class EntitiesMixin(StoreBase):
    """Saving, reading and counting mentions."""

    @staticmethod
    def _language_filter(languages: Sequence[str] | None, unknown: bool) -> tuple[str, list[str]]:
        """SQL (and parameters) keeping articles in ``languages`` (None: any), and those
        of unknown language when ``unknown``."""
        if languages is None:
            return "", []
        parts = [f"language IN ({', '.join('?' * len(languages))})"] if languages else []
        if unknown:
            parts.append("language IS NULL")
        return f" AND ({' OR '.join(parts) or '0'})", list(languages)

    def articles_needing_entities(
        self,
        version: int,
        limit: int,
        languages: Sequence[str] | None = None,
        *,
        unknown: bool = True,
    ) -> list[tuple[str, str, str, str | None]]:
        """(id, title, text, language) of articles whose entities are missing or older than
        ``version``, newest first; only those in ``languages`` (and of unknown language
        when ``unknown``) unless ``languages`` is None."""
        where, params = self._language_filter(languages, unknown)
        return [
            (r[0], r[1], r[2], r[3])
            for r in self._read(
                "SELECT id, title, text, language FROM articles WHERE entities_version != ?"
                f"{where} ORDER BY date DESC LIMIT ?",
                (version, *params, limit),
            )
        ]

    def count_needing_entities(
        self, version: int, languages: Sequence[str] | None = None, *, unknown: bool = True
    ) -> int:
        where, params = self._language_filter(languages, unknown)
        sql = f"SELECT COUNT(*) FROM articles WHERE entities_version != ?{where}"
        return int(self._read(sql, (version, *params))[0][0])

    def entity_state(self, article_id: str) -> tuple[int, str | None]:
        """(entities_version, language) of one article."""
        rows = self._read(
            "SELECT entities_version, language FROM articles WHERE id = ?", (article_id,)
        )
        return (int(rows[0][0] or 0), rows[0][1]) if rows else (0, None)

    def clear_entities_outside(self, languages: Sequence[str]) -> int:
        """Remove the mentions of articles in a language other than ``languages`` (found by a
        model of another language, as the English model once read every article); they go
        back to unenriched and the index is told. Returns how many articles were reset."""
        marks = ", ".join("?" * len(languages)) or "''"
        # Only enriched articles (version != 0) can hold mentions: a cheap first test.
        sub = (
            "SELECT a.id FROM articles a WHERE a.entities_version != 0"
            f" AND a.language IS NOT NULL AND a.language NOT IN ({marks})"
        )
        ids = [r[0] for r in self._read(sub, tuple(languages))]
        if not ids:
            return 0
        with self.transaction() as conn:
            for aid in ids:
                conn.execute("DELETE FROM entities WHERE article_id = ?", (aid,))
                conn.execute(
                    "UPDATE articles SET entities_version = 0, indexed = 0 WHERE id = ?", (aid,)
                )
        return len(ids)

    def set_languages(self, found: Sequence[tuple[str, str]]) -> None:
        """Store detected languages, ``(language, article_id)``, of articles that had none."""
        with self.transaction() as conn:
            conn.executemany(
                "UPDATE articles SET language = ? WHERE id = ? AND language IS NULL", found
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
