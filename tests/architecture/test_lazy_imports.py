"""Which heavy modules each core operation may import (as lemon24/reader's
tests/test_lazy_imports.py pins them). The app's first screen is pinned in
tests/tui/test_app_startup.py; this file pins the Library and the CLI's light commands:
opening a library, listing articles and feeds, `feeds`, `folders`, `show` and
`mark-read --feed` import no spaCy, no httpx, no Whoosh (reader or writer), no
feedparser and no Textual. Each probe runs in a fresh interpreter."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from feedmaker import Item, rss
from newsreader.index.library import Library

HEAVY = ("spacy", "thinc", "httpx", "whoosh", "feedparser", "textual")

PROBE = """
import contextlib, io, json, sys
data, mode, *rest = sys.argv[1:-1]
if mode == "library":
    from newsreader.index import open_library
    with open_library(data) as lib:
        lib.feeds()
        lib.folders()
        lib.list_articles(limit=50)
        lib.list_articles("unread", folder="News")
        lib.count_articles("unread")
        lib.article(rest[0])
        lib.feed_details(1)
else:
    from newsreader.tui.cli import main
    with contextlib.redirect_stdout(io.StringIO()):
        code = main(["--data-dir", data, *rest])
    if code != 0:
        raise SystemExit(f"exit status {code}")
print(json.dumps(sorted({m.split(".")[0] for m in sys.modules} & set(sys.argv[-1].split(",")))))
"""


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    root = tmp_path_factory.mktemp("lazy")
    feed = root / "feed.xml"
    feed.write_bytes(rss("Harbour", [Item(guid="a", title="Quay", body="<p>ships</p>")]))
    data = root / "data"
    with Library.open(data) as lib:
        added, _ = lib.add_feed(str(feed))
        lib.update_feed(added.id, folder="News")
        article = lib.list_articles(limit=1)[0].id
    return data, article


def _loaded(data: Path, *args: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(data), *args, ",".join(HEAVY)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_the_probe_sees_a_heavy_import(library: tuple[Path, str]) -> None:
    """`search` does import Whoosh: the probe would catch a light command that did."""
    data, _ = library
    assert "whoosh" in _loaded(data, "cli", "search", "quay")


def test_opening_a_library_and_listing_imports_nothing_heavy(library: tuple[Path, str]) -> None:
    data, article = library
    assert _loaded(data, "library", article) == []


@pytest.mark.parametrize(
    "command",
    [
        ["feeds", "--json"],
        ["folders"],
        ["show", "ARTICLE"],
        ["show", "ARTICLE", "--json"],
        ["feed", "1"],
        ["mark-read", "--feed", "1"],
    ],
    ids=lambda c: " ".join(c),
)
def test_light_commands_import_nothing_heavy(library: tuple[Path, str], command: list[str]) -> None:
    data, article = library
    args = [article if word == "ARTICLE" else word for word in command]
    assert _loaded(data, "cli", *args) == []
