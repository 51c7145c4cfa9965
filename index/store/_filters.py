"""Filter rules in the store: a query in the search language and what to do with its hits."""

from __future__ import annotations

from ..errors import NotFoundError
from ..models import Filter
from ..times import to_iso, utcnow
from ._base import StoreBase


class FiltersMixin(StoreBase):
    """Filters by name, in the order they were made (the order they are applied in)."""

    def filters(self) -> list[Filter]:
        return [
            Filter(name=r[0], query=r[1], action=r[2])
            for r in self._read(
                "SELECT name, query, action FROM filters ORDER BY created_at, rowid"
            )
        ]

    def save_filter(self, name: str, query: str, action: str) -> None:
        """Add a filter, or change the query and action of the one with that name."""
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO filters (name, query, action, created_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT(name) DO UPDATE SET query = excluded.query,"
                " action = excluded.action",
                (name, query, action, to_iso(utcnow())),
            )

    def delete_filter(self, name: str) -> None:
        with self.transaction() as conn:
            cur = conn.execute("DELETE FROM filters WHERE name = ?", (name,))
        if cur.rowcount == 0:
            raise NotFoundError(f"no filter named {name!r} (see `newsreader filter list`)")
