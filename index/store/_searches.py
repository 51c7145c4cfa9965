"""Saved searches (virtual feeds) and the search history in the store."""

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

    # -- search history --------------------------------------------------------------

    def search_history(self, limit: int = 50) -> list[str]:
        """Queries searched before, the most recent first."""
        return [
            str(r[0])
            for r in self._read(
                "SELECT query FROM search_history ORDER BY used_at DESC, rowid DESC LIMIT ?",
                (limit,),
            )
        ]

    def remember_search(self, query: str, keep: int = 200) -> None:
        """Put ``query`` first in the history (once), keeping the ``keep`` most recent."""
        with self.transaction() as conn:
            conn.execute("DELETE FROM search_history WHERE query = ?", (query,))
            conn.execute(
                "INSERT INTO search_history (query, used_at) VALUES (?, ?)",
                (query, to_iso(utcnow())),
            )
            conn.execute(
                "DELETE FROM search_history WHERE rowid NOT IN"
                " (SELECT rowid FROM search_history ORDER BY used_at DESC, rowid DESC LIMIT ?)",
                (keep,),
            )
