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
