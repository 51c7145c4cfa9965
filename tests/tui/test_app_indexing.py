"""Indexing in the background: articles listed at once, "Indexing N articles" while the
index catches up, and a search typed meanwhile saying that recent articles wait."""

from __future__ import annotations

import threading

from app_store import FEEDS, PER_FEED, build, entry, run
from newsreader.index.library import Library
from newsreader.tui.app import NewsreaderApp
from newsreader.tui.widgets.article_list import ArticleList
from textual.pilot import Pilot
from textual.widgets import Static

TOTAL = PER_FEED * len(FEEDS)


def status(app: NewsreaderApp) -> str:
    return str(app.query_one("#list-status", Static).render())


def progress_label(app: NewsreaderApp) -> str:
    return str(app.query_one("#progress-label", Static).render())


async def settle(app: NewsreaderApp, pilot: Pilot[None]) -> None:
    await pilot.pause(0.3)
    await app.workers.wait_for_complete()
    await pilot.pause()


def add_unindexed(lib: Library, count: int) -> None:
    """Articles stored as a `refresh --no-index` (or a refresh cut short) leaves them."""
    feed = lib.store.add_feed("http://127.0.0.1:9/late.xml", "Late Edition")
    lib.store.store_entries(feed.id, [entry(0, 500 + n) for n in range(count)])


def test_articles_left_unindexed_are_indexed_after_start_up(lib: Library) -> None:
    build(lib)
    add_unindexed(lib, 12)
    assert lib.pending_index() == 12

    async def drive() -> None:
        app = NewsreaderApp(lib, background_index=True)
        async with app.run_test(size=(120, 40)) as pilot:
            # listed before they are searchable
            assert app.query_one(ArticleList).row_count == TOTAL + 12
            await pilot.pause(1.0)  # the start-up delay, then the job
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert lib.pending_index() == 0
            assert not app.query_one("#progress-row").has_class("-busy")

    run(drive)
    assert lib.search("harbour report 505", catch_up=False).total >= 1


def test_a_search_while_indexing_says_recent_articles_wait(lib: Library) -> None:
    build(lib)
    add_unindexed(lib, 7)
    release = threading.Event()
    started = threading.Event()
    sync = lib.sync_index

    def slow_sync(progress=None):  # type: ignore[no-untyped-def]
        if progress:
            progress(0, 7, "indexing")
        started.set()
        release.wait(10)
        return sync(progress)

    lib.sync_index = slow_sync  # type: ignore[method-assign]

    async def drive() -> None:
        app = NewsreaderApp(lib, background_index=True)
        async with app.run_test(size=(120, 40)) as pilot:
            app.start_indexing()
            for _ in range(50):
                if started.is_set():
                    break
                await pilot.pause(0.05)
            await pilot.pause()
            assert progress_label(app).strip() == "Indexing 7 articles"
            assert app.query_one("#progress-row").has_class("-busy")
            await pilot.press("slash", *"harbour")
            await pilot.pause(0.5)
            # the search ran on what is indexed, without waiting for the job
            assert app.query_one(ArticleList).row_count == PER_FEED
            assert "7 recent articles are still being indexed" in status(app)
            release.set()
            await settle(app, pilot)
            # the job ended and ran the search again: the late articles are found too
            assert app.query_one(ArticleList).row_count == PER_FEED + 7
            assert "still being indexed" not in status(app)

    run(drive)
