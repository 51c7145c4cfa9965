"""One hierarchy of errors; each carries a message fit to show a user as one line."""

from __future__ import annotations


class NewsreaderError(Exception):
    """Base of every error the core raises on purpose."""


class ConfigError(NewsreaderError):
    """The config file or a data directory cannot be used."""


class StoreError(NewsreaderError):
    """The SQLite store cannot be opened, read or written."""


class StoreDamagedError(StoreError):
    """The SQLite file is corrupt or not ours: nothing may be written to it."""


class FeedError(NewsreaderError):
    """A feed could not be fetched or parsed."""


class NotAFeedError(FeedError):
    """The URL answered with something that is not a feed."""

    def __init__(self, message: str, candidates: list[str] | None = None) -> None:
        super().__init__(message)
        self.candidates = candidates or []


class NotFoundError(NewsreaderError):
    """A feed, article or saved search named by the user does not exist."""


class QueryError(NewsreaderError):
    """A search query could not be understood at all."""


class IndexError_(NewsreaderError):
    """The search index is missing, locked or corrupt."""


class ModelMissingError(NewsreaderError):
    """The spaCy model for entity extraction is not installed."""
