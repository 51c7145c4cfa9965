"""Saved searches (virtual feeds) in the store."""

from __future__ import annotations

from ..errors import NotFoundError
from ..models import SavedSearch
from ..times import to_iso, utcnow
from ._base import StoreBase


class SearchesMixin(StoreBase):
    """Saved searches by name."""

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
