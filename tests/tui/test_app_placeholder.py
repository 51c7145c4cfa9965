"""The app opens on the store (demo feeds on a fresh library) and quits with q."""

from __future__ import annotations

import asyncio

from newsreader.index.library import Library
from newsreader.tui.app import NewsreaderApp
from textual.widgets import DataTable


def test_app_lists_demo_articles_and_quits_with_q(lib: Library) -> None:
    lib.seed_demo_feeds()

    async def drive() -> int:
        app = NewsreaderApp(lib)
        async with app.run_test(size=(100, 30)) as pilot:
            rows = app.query_one(DataTable).row_count
            await pilot.press("q")
            await pilot.pause()
            assert not app.is_running
            return rows

    assert asyncio.run(drive()) == lib.count_articles() >= 40
