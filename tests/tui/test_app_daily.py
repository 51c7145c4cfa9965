"""The daily loop in the app (issue 16): delete-feed acts on the highlighted sidebar row,
Esc from the reading pane goes back to the results before leaving the search, and the
palette lists Quit once."""

from __future__ import annotations

from app_store import FEEDS, PER_FEED, build, run
from newsreader.index.library import Library
from newsreader.tui.app import NewsreaderApp
from newsreader.tui.screens.prompt import ConfirmScreen
from newsreader.tui.widgets.article_list import ArticleList
from newsreader.tui.widgets.reading_pane import ReadingPane


def test_delete_feed_acts_on_the_highlighted_sidebar_row(lib: Library) -> None:
    ids = build(lib)

    async def drive() -> None:
        app = NewsreaderApp(lib, restore=False)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            # the open article belongs to the first feed ...
            first = app.main.sidebar.source_for(f"feed:{ids[0]}")
            assert first is not None
            app.main.show_source(first)
            await pilot.pause()
            await pilot.press("enter")
            await pilot.pause()
            assert app.main.open_article_data is not None
            assert app.main.open_article_data.feed_id == ids[0]
            # ... while the sidebar highlights the second
            app.main.sidebar.select_key(f"feed:{ids[1]}")
            await app.run_action("delete_feed", app.main)
            await pilot.pause()
            assert isinstance(app.screen, ConfirmScreen)
            assert FEEDS[1] in str(app.screen.question)
            await pilot.press("y")
            await pilot.pause()
            remaining = {f.id for f in lib.feeds()}
            assert ids[1] not in remaining and ids[0] in remaining
            assert lib.count_articles("all") == PER_FEED * (len(FEEDS) - 1)

    run(drive)


def test_delete_feed_with_a_view_highlighted_deletes_nothing(lib: Library) -> None:
    build(lib)

    async def drive() -> None:
        app = NewsreaderApp(lib, restore=False)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await pilot.press("enter")  # an article of some feed is open
            await pilot.pause()
            app.main.sidebar.select_key("view:all")
            await app.run_action("delete_feed", app.main)
            await pilot.pause()
            assert not isinstance(app.screen, ConfirmScreen)
            assert len(lib.feeds()) == len(FEEDS)

    run(drive)


def test_escape_from_the_reading_pane_returns_to_the_results_then_leaves(lib: Library) -> None:
    build(lib)

    async def drive() -> None:
        app = NewsreaderApp(lib, restore=False)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await pilot.press("slash", *"bridge", "enter")
            await pilot.pause()
            assert app.main.source.kind == "search"
            app.main.focus_now(app.query_one(ReadingPane))
            await pilot.press("escape")
            await pilot.pause()
            assert app.main.source.kind == "search"  # still on the results
            assert isinstance(app.focused, ArticleList)
            await pilot.press("escape")
            await pilot.pause()
            assert app.main.source.kind == "view"

    run(drive)


def test_the_palette_lists_quit_once(lib: Library) -> None:
    build(lib)

    async def drive() -> None:
        app = NewsreaderApp(lib, restore=False)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            system = [c.title for c in app.get_system_commands(app.screen)]
            assert "Quit" not in system and system  # Textual's others stay
            from newsreader.tui.commands import NewsreaderCommands

            provider = NewsreaderCommands(app.screen)
            ours = [a.description for a in provider._available()]
            assert ours.count("Quit") == 1

    run(drive)
