"""SQLite, the store of record: feeds, articles, read and bookmark marks, entities, the index
queue, saved searches, filters.

This package is the only place that speaks SQL. ``Store`` is put together from one part
per domain (as lemon24/reader's ``_storage`` is): ``_base`` (connection, transactions,
errors, meta), ``_schema`` (migrations), ``_feeds``, ``_articles``, ``_entities``,
``_index_queue`` (what the search index still has to catch up with), ``_searches``
(saved searches, search history), ``_filters``, ``_reading`` (enclosures, fetched
full text) and ``_stories`` (which articles are one story).
The search index is derived from what is here and can always be rebuilt from it.
"""

from __future__ import annotations

from ..times import from_iso, to_iso, utcnow
from ._articles import ArticlesMixin, article_id, content_hash
from ._base import StoreBase
from ._entities import EntitiesMixin
from ._feeds import FeedsMixin, backoff_delay
from ._filters import FiltersMixin
from ._index_queue import IndexQueueMixin
from ._schema import MIGRATIONS
from ._searches import SearchesMixin
from ._stories import StoriesMixin


class Store(
    FeedsMixin,
    ArticlesMixin,
    EntitiesMixin,
    IndexQueueMixin,
    SearchesMixin,
    FiltersMixin,
    StoriesMixin,
    StoreBase,
):
    """One SQLite connection to a library's store, with every domain's methods."""


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
