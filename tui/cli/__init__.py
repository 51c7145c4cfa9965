"""The ``newsreader`` command: the app with no arguments, a headless command otherwise."""

from __future__ import annotations

from .commands import main

__all__ = ["main"]
