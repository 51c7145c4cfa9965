"""newsreader's headless core: feeds, store, search index and entities.

Open a library with :func:`open_library` and work through the :class:`Library` facade
it returns; the typed values it hands back are in :mod:`.models`, its errors in
:mod:`.errors`. Importing this package imports nothing else: the facade is loaded on
first use, and nothing heavy (httpx, Whoosh writers, spaCy) before an operation needs it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from .version import __version__

if TYPE_CHECKING:
    from .config import Settings
    from .library import Library


def open_library(
    data_dir: str | Path | None = None,
    *,
    settings: Settings | None = None,
    readonly: bool = False,
) -> Library:
    """Open (creating if needed) the library in ``data_dir``, else ``$NEWSREADER_HOME``,
    else the platform's data directory."""
    from .library import Library

    return Library.open(data_dir, settings=settings, readonly=readonly)


def __getattr__(name: str) -> Any:
    """``newsreader.index.Library`` without importing the facade with the package."""
    if name == "Library":
        from .library import Library

        return Library
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["Library", "__version__", "open_library"]
