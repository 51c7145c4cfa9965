"""``python -m newsreader.tui.cli``: the same command as ``newsreader``."""

from __future__ import annotations

import sys

from . import main

sys.exit(main())
