"""One hierarchy of errors; each carries a message fit to show a user as one line.

Errors about a feed carry its ``url``, errors about a file or directory (the store, the
search index, the config file, an OPML file) its ``path``, so a caller can act on them
without parsing the message. Nothing here shadows a builtin's name.
"""

from __future__ import annotations

from pathlib import Path


class NewsreaderError(Exception):
    """Base of every error the core raises on purpose."""

    def __init__(
        self, message: str, *, url: str | None = None, path: Path | str | None = None
    ) -> None:
        super().__init__(message)
        self.url = url
        self.path = Path(path) if path is not None else None


class ConfigError(NewsreaderError):
    """The config file or a data directory cannot be used."""


class StoreError(NewsreaderError):
    """The SQLite store cannot be opened, read or written."""


class StoreDamagedError(StoreError):
    """The SQLite file is corrupt or not ours: nothing may be written to it."""


class FeedError(NewsreaderError):
    """A feed could not be fetched or parsed."""


class NotAFeedError(FeedError):
    """The URL answered with something that is not a feed; ``candidates`` are the feeds
    the page links to, if any."""

    def __init__(
        self, message: str, candidates: list[str] | None = None, *, url: str | None = None
    ) -> None:
        super().__init__(message, url=url)
        self.candidates = candidates or []


class NotOpmlError(NewsreaderError):
    """A file given to import is not an OPML subscription list."""


class NotFoundError(NewsreaderError):
    """A feed, article, saved search or filter named by the user does not exist."""


class QueryError(NewsreaderError):
    """A search query could not be understood at all."""


class SearchIndexError(NewsreaderError):
    """The search index is missing, locked or corrupt."""


class ModelMissingError(NewsreaderError):
    """The spaCy model for entity extraction is not installed."""
