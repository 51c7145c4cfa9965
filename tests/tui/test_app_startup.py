"""Start-up stays light: no spaCy, no search index, no network client, one page of rows."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from app_store import FEEDS, PER_FEED, build
from newsreader.index.library import Library

PROBE = """
import asyncio, json, sys
from newsreader.index.library import Library
from newsreader.tui.app import NewsreaderApp

async def main():
    lib = Library.open(sys.argv[1])
    app = NewsreaderApp(lib)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        out = {
            "rows": app.main.article_list.row_count,
            "pages": len(app.main.article_list.rows.pages),
            "first": app.main.article_list.current.id,
            "loaded": sorted(
                m for m in sys.modules
                if m.split(".")[0] in ("spacy", "thinc", "whoosh", "httpx", "feedparser")
            ),
        }
        await pilot.press("q")
    lib.close()
    print(json.dumps(out))

asyncio.run(main())
"""


def probe(data_dir: Path) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(data_dir)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_the_first_screen_imports_no_spacy_index_or_network_and_reads_one_page(
    lib: Library, data_dir: Path
) -> None:
    build(lib)
    newest = lib.list_articles(limit=1)[0]
    lib.close()
    found = probe(data_dir)
    assert found["rows"] == PER_FEED * len(FEEDS)
    assert found["pages"] == 1
    assert found["first"] == newest.id
    assert found["loaded"] == []


def test_restoring_an_open_article_still_imports_no_spacy(lib: Library, data_dir: Path) -> None:
    build(lib)
    article = lib.list_articles(limit=3)[2]
    lib.save_ui_state({"view": "all", "article": article.id})
    lib.close()
    found = probe(data_dir)
    loaded = found["loaded"]
    assert isinstance(loaded, list)
    assert not [m for m in loaded if m.split(".")[0] in ("spacy", "thinc", "httpx")]
