"""The README's key table is the one tui/keys.py generates, and its screenshot exists."""

from __future__ import annotations

import re
from pathlib import Path

from newsreader.tui.keys import ACTIONS, markdown_table

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_key_table_matches_actions() -> None:
    found = re.search(r"<!-- keys:start -->\n(.*?)<!-- keys:end -->", README, re.S)
    assert found, "README.md has no <!-- keys:start --> … <!-- keys:end --> block"
    assert found.group(1) == markdown_table(), (
        "README key table is out of date: paste the output of "
        "`.venv/bin/python -m newsreader.tui.keys` between the markers"
    )
    for action in ACTIONS:
        assert f"`{action.action}`" in found.group(1)


def test_readme_shows_the_screenshot() -> None:
    assert "(docs/screenshot.svg)" in README
    svg = (ROOT / "docs" / "screenshot.svg").read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<svg") and "newsreader" in svg
