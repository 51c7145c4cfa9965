"""newsreader's headless core: feeds, store, search index and entities.

Import :func:`open_library` and work through the :class:`Library` facade; nothing
heavy (httpx, Whoosh writers, spaCy) is imported until it is used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from .library import Library


def open_library(data_dir: str | None = None, **kwargs: Any) -> Library:
    """Open (creating if needed) the library in ``data_dir`` or the default place."""
    from .library import Library

    return Library.open(data_dir, **kwargs)


__all__ = ["__version__", "open_library"]
