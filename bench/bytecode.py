"""Our modules compiled before anything is timed, as an installed newsreader has them.

``pip install`` writes bytecode for what it installs, and an editable install writes it the
first time each module is imported, unless ``PYTHONDONTWRITEBYTECODE`` is set, as it is on
the machines these benchmarks run on. Then every launch of ``newsreader`` (each refresh, app
start and CLI call the bench times) compiled our hundred-odd modules from source again:
~0.15 s a launch, a cost no user's install pays, measured into every figure. compileall
writes the bytecode regardless of that variable; Python reads it regardless too.
"""

from __future__ import annotations

import compileall
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("index", "tui")


def ensure_bytecode(root: Path = ROOT) -> bool:
    """Compile our packages' modules that have no up-to-date bytecode; True if all did."""
    ok = True
    for name in PACKAGES:
        folder = root / name
        if folder.is_dir():
            ok = bool(compileall.compile_dir(folder, quiet=1, workers=1)) and ok
    return ok
