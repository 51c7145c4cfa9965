"""newsreader's version, in a module of its own so that any module can name it (the
download User-Agent does) without importing the package's facade."""

from __future__ import annotations

__version__ = "0.1.0"
