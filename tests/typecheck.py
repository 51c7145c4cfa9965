"""Run mypy over the package as it is installed (newsreader.index, newsreader.tui).

The source folders are mapped to package names by setuptools, which mypy cannot
follow, so we lay out a tree of symlinks with the installed names and check that.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    tree = ROOT / "typecheck-tree"
    pkg = tree / "newsreader"
    pkg.mkdir(parents=True, exist_ok=True)
    for name in ("index", "tui"):
        link = pkg / name
        if not link.is_symlink():
            link.symlink_to(ROOT / name, target_is_directory=True)
    cmd = [
        sys.executable,
        "-m",
        "mypy",
        "--config-file",
        str(ROOT / "pyproject.toml"),
        "-p",
        "newsreader",
    ]
    env = {**os.environ, "MYPYPATH": str(tree)}
    return subprocess.call(cmd, cwd=tree, env=env)


if __name__ == "__main__":
    sys.exit(main())
