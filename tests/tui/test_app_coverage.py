"""The entity panel: other coverage under the article, the story's "N sources" line (Enter
opens the story view), and the trend panel's sparklines and "rising this week"; a click on
a row's "N sources" count opens the story view too."""

from __future__ import annotations

from pathlib import Path

import pytest
import storyfeeds
from app_store import run
from coverage_fixtures import QUAKE, trend_library
from newsreader.index.library import Library
from newsreader.index.times import utcnow
from newsreader.tui.app import NewsreaderApp
from newsreader.tui.screens.story import StoryScreen
from newsreader.tui.widgets.article_list import ArticleList
from newsreader.tui.widgets.entity_panel import EntityPanel, TrendPanel
from textual.widgets import Sparkline


def _prompts(panel: EntityPanel) -> list[str]:
    return [str(panel.get_option_at_index(i).prompt) for i in range(panel.option_count)]


def test_other_coverage_and_trends_beside_the_article(lib: Library) -> None:
    lib.store.set_meta("demo_seeded", "tests")
    ids = trend_library(lib.store, utcnow())
    lib.group_stories()

    async def drive() -> None:
        app = NewsreaderApp(lib)
        async with app.run_test(size=(160, 48)) as pilot:
            await pilot.pause()
            app.main.open_article(ids["quake-herald"])
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            prompts = _prompts(app.query_one(EntityPanel))
            at = prompts.index("Other coverage")
            assert QUAKE[0].title in prompts[at + 1] + prompts[at + 2]
            assert QUAKE[2].title in prompts[at + 1] + prompts[at + 2]
            assert not any(p.startswith("Soylu announces") for p in prompts[at:])
            trends = app.query_one(TrendPanel)
            assert trends.display
            lines = trends.query(Sparkline)
            assert len(lines) == 4
            assert {t.name for t in trends.trends} <= {
                "Bayrakli",
                "Turkey",
                "AFAD",
                "Athens",
                "Suleyman Soylu",
                "Izmir",
            }
            assert all(len(s.data or []) == 30 for s in lines)
            assert {t.name for t in trends.rising} == {"AFAD", "Izmir", "Bayrakli"}
            # choosing other coverage opens it
            panel = app.query_one(EntityPanel)
            panel.highlighted = at + 1
            panel.focus()
            await pilot.press("enter")
            await pilot.pause()
            assert app.main.open_id in {ids["quake-wire"], ids["quake-times"]}

    run(drive)


@pytest.mark.parametrize(
    ("size", "panels_shown", "trends_shown"),
    [
        ((80, 24), False, False),  # narrow and short
        ((120, 40), False, False),  # narrow: the reader under the list has ~20 rows
        ((160, 36), True, False),  # wide but not tall: the sparklines wait for e
        ((120, 80), True, True),  # narrow and tall
        ((160, 48), True, True),
    ],
)
def test_the_article_keeps_lines_beside_the_panels(
    lib: Library, size: tuple[int, int], panels_shown: bool, trends_shown: bool
) -> None:
    """The entity panel (12 rows) and the sparklines (up to 7) show by default only where
    the reading column has room for them and for the article; elsewhere e brings them, the
    sparklines in at most three rows."""
    lib.store.set_meta("demo_seeded", "tests")
    ids = trend_library(lib.store, utcnow())
    lib.group_stories()

    async def drive() -> None:
        app = NewsreaderApp(lib)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            app.main.open_article(ids["quake-herald"])
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            trends = app.query_one(TrendPanel)
            entities = app.query_one(EntityPanel)
            reader = app.query_one("#reader")
            assert trends.trends  # the article has sparklines to show
            assert (entities.region.height > 0) is panels_shown
            assert (trends.region.height > 0) is trends_shown
            assert reader.region.height >= 12
            await pilot.press("e")
            await pilot.pause()
            assert app.focused is entities and entities.region.height > 0
            assert 0 < trends.region.height <= (7 if trends_shown else 3)
            assert reader.region.height > 0

    run(drive)


def test_enter_on_the_sources_line_and_a_click_on_the_count(lib: Library, tmp_path: Path) -> None:
    lib.store.set_meta("demo_seeded", "tests")
    ids = storyfeeds.three_feeds(lib, tmp_path)

    async def drive() -> None:
        app = NewsreaderApp(lib)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            articles = app.query_one(ArticleList)
            rows = [articles.rows.get(i) for i in range(articles.row_count)]
            index = next(i for i, r in enumerate(rows) if r is not None and r.id == ids["lead"])
            articles.go_to(index)
            app.main.open_article(ids["lead"])
            await app.workers.wait_for_complete()
            await pilot.pause()
            panel = app.query_one(EntityPanel)
            assert _prompts(panel)[0].startswith("3 sources")
            await pilot.press("e")
            panel.highlighted = 0
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, StoryScreen)
            await pilot.press("escape")
            await pilot.pause()
            assert not isinstance(app.screen, StoryScreen)
            # a click on the count of the story's row
            articles.row_text(rows[index], articles.size.width)  # where the count is drawn
            start, end = articles.sources_cells
            assert end > start
            await pilot.click(
                ArticleList, offset=(start + 1, index - round(articles.scroll_offset.y))
            )
            await pilot.pause()
            assert isinstance(app.screen, StoryScreen)
            await pilot.press("escape")
            await pilot.pause()
            # a click elsewhere on the row opens the article, as before
            await pilot.click(ArticleList, offset=(end + 5, index))
            await pilot.pause()
            assert not isinstance(app.screen, StoryScreen)

    run(drive)
