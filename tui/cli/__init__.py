"""The ``newsreader`` command: the app with no arguments, a headless command otherwise.

``main`` (main.py) parses (parser.py, from the table in registry.py) and dispatches to the
``cmd_*`` handlers (commands.py); what they print, and every JSON shape, is in output.py.
"""

from __future__ import annotations

from .main import main

__all__ = ["main"]
