"""The SQLite store of record: feeds, articles, read and bookmark marks, entities, the index queue."""

from __future__ import annotations

from ._store import (
    MIGRATIONS,
    Store,
    article_id,
    backoff_delay,
    content_hash,
    from_iso,
    to_iso,
    utcnow,
)

__all__ = [
    "MIGRATIONS",
    "Store",
    "article_id",
    "backoff_delay",
    "content_hash",
    "from_iso",
    "to_iso",
    "utcnow",
]
