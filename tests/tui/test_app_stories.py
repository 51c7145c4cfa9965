"""The app shows a story carried by three feeds once, with "3 sources"; S lists them;
reading it leaves none of its copies unread."""

from __future__ import annotations

from pathlib import Path

import storyfeeds
from app_store import run
from newsreader.index.library import Library
from newsreader.tui.app import NewsreaderApp
from newsreader.tui.screens.story import StoryScreen
from newsreader.tui.widgets.article_list import ArticleList
from textual.widgets import OptionList


def test_story_row_sources_and_view(lib: Library, tmp_path: Path) -> None:
    lib.store.set_meta("demo_seeded", "tests")
    ids = storyfeeds.three_feeds(lib, tmp_path)
    copies = [ids["lead"], ids["world"], ids["paper"]]

    async def drive() -> None:
        app = NewsreaderApp(lib)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            articles = app.query_one(ArticleList)
            assert articles.row_count == 2
            rows = [articles.rows.get(i) for i in range(2)]
            story_row = next(r for r in rows if r is not None and r.id == ids["lead"])
            assert story_row.sources == 3
            index = rows.index(story_row)
            assert "3 sources" in articles.row_text(story_row, 110).plain
            articles.go_to(index)
            await pilot.press("S")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, StoryScreen)
            options = screen.query_one(OptionList)
            assert options.option_count == 3
            lines = [str(options.get_option_at_index(i).prompt) for i in range(3)]
            assert "Top" in lines[0] and "World" in lines[1] and "Paper" in lines[2]
            await pilot.press("down", "down", "enter")
            await pilot.pause()
            assert not isinstance(app.screen, StoryScreen)
            assert app.open_id == ids["paper"]
            assert all(lib.article(i).read for i in copies)
            assert not lib.article(ids["other"]).read

    run(drive)


def test_show_story_on_a_single_source_says_so(lib: Library, tmp_path: Path) -> None:
    lib.store.set_meta("demo_seeded", "tests")
    ids = storyfeeds.three_feeds(lib, tmp_path)
    said: list[str] = []

    async def drive() -> None:
        app = NewsreaderApp(lib)
        async with app.run_test(size=(120, 40)) as pilot:
            app.notify = lambda message, **kw: said.append(str(message))  # type: ignore[method-assign]
            await pilot.pause()
            articles = app.query_one(ArticleList)
            rows = [articles.rows.get(i) for i in range(articles.row_count)]
            articles.go_to(next(i for i, r in enumerate(rows) if r and r.id == ids["other"]))
            await pilot.press("S")
            await pilot.pause()
            assert not isinstance(app.screen, StoryScreen)
            assert "no other feed carries this story" in said

    run(drive)
