"""SVG snapshots of what a person sees, at 80×24 and 160×48 (pytest-textual-snapshot).

The library is the fixed one of ``snapshot_store`` (fixed dates, entities saved directly, no
spaCy, no network), so the pictures do not depend on the clock. After a change that is meant
to alter the screen, look at the report and accept with ``pytest --snapshot-update``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pytest
import snapshot_store
from newsreader.index.library import Library
from newsreader.tui.app import NewsreaderApp
from textual.pilot import Pilot

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((160, 48), id="160x48")]
SETTLE_SECONDS = 0.4  # longer than the search debounce and the sidebar's count refresh


async def _settle(pilot: Pilot[Any]) -> None:
    """Wait until debounced searches, workers and deferred refreshes have all finished."""
    for _ in range(2):
        await pilot.pause(SETTLE_SECONDS)
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def _keys(*keys: str) -> Callable[[Pilot[Any]], Any]:
    """A run_before that presses ``keys`` (a string types its characters), settling after each."""

    async def run(pilot: Pilot[Any]) -> None:
        await _settle(pilot)
        for key in keys:
            if len(key) > 1 and key not in ("enter", "escape", "tab"):
                await pilot.press(*key)
            else:
                await pilot.press(key)
            await _settle(pilot)

    return run


@pytest.fixture
def app(lib: Library) -> NewsreaderApp:
    snapshot_store.build(lib)
    return NewsreaderApp(lib, restore=False)


def _check(
    snap_compare: Any, app: NewsreaderApp, size: tuple[int, int], keys: Sequence[str]
) -> None:
    assert snap_compare(app, terminal_size=size, run_before=_keys(*keys))


@pytest.mark.parametrize("size", SIZES)
def test_main_screen(snap_compare: Any, app: NewsreaderApp, size: tuple[int, int]) -> None:
    _check(snap_compare, app, size, [])


@pytest.mark.parametrize("size", SIZES)
def test_search_results_with_highlights(
    snap_compare: Any, app: NewsreaderApp, size: tuple[int, int]
) -> None:
    _check(snap_compare, app, size, ["/", "harbour", "enter"])


@pytest.mark.parametrize("size", SIZES)
def test_article_with_entities(
    snap_compare: Any, app: NewsreaderApp, size: tuple[int, int]
) -> None:
    _check(snap_compare, app, size, ["enter"])


@pytest.mark.parametrize("size", SIZES)
def test_bookmarks_view(snap_compare: Any, app: NewsreaderApp, size: tuple[int, int]) -> None:
    _check(snap_compare, app, size, ["B"])


@pytest.mark.parametrize("size", SIZES)
def test_help_screen(snap_compare: Any, app: NewsreaderApp, size: tuple[int, int]) -> None:
    _check(snap_compare, app, size, ["?"])


@pytest.fixture
def reading_app(lib: Library) -> NewsreaderApp:
    """The structured fixture feed: a code-heavy post, a podcast episode, a news summary."""
    from pathlib import Path

    from newsreader.index.feeds.parse import parse_feed

    fixture = Path(__file__).parents[1] / "fixtures" / "reading" / "structured.rss"
    feed = lib.store.add_feed("https://workbench.example/feed.xml", "Workbench Notes")
    lib.store.store_entries(feed.id, parse_feed(fixture.read_bytes(), feed.url).entries)
    lib.store.set_meta("demo_seeded", "snapshot tests")
    lib.sync_index()
    return NewsreaderApp(lib, restore=False)


@pytest.mark.parametrize("size", SIZES)
def test_structured_article(
    snap_compare: Any, reading_app: NewsreaderApp, size: tuple[int, int]
) -> None:
    """The code-heavy post open: code lines, bullets, numbers, quote bar, table, ², [n]."""
    _check(snap_compare, reading_app, size, ["j", "j", "enter"])


@pytest.mark.parametrize("size", SIZES)
def test_structured_article_full_screen(
    snap_compare: Any, reading_app: NewsreaderApp, size: tuple[int, int]
) -> None:
    """The same post read full screen (v)."""
    _check(snap_compare, reading_app, size, ["j", "j", "enter", "v"])


@pytest.mark.parametrize("size", SIZES)
def test_podcast_episode(
    snap_compare: Any, reading_app: NewsreaderApp, size: tuple[int, int]
) -> None:
    """The podcast episode: its audio listed with type and size under the link."""
    _check(snap_compare, reading_app, size, ["j", "enter"])
