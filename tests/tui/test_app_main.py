"""The main screen: sidebar, paged article list, reading pane; moving and opening with keys."""

from __future__ import annotations

from app_store import FEEDS, PER_FEED, build, entry, run
from newsreader.index.library import Library
from newsreader.tui.app import NewsreaderApp
from newsreader.tui.widgets.article_list import ArticleList
from newsreader.tui.widgets.reading_pane import ReadingPane
from newsreader.tui.widgets.sidebar import Sidebar
from rich.text import Text
from textual.widgets import Static

TOTAL = PER_FEED * len(FEEDS)


def test_first_screen_pages_newest_first_and_moves_with_keys(lib: Library) -> None:
    build(lib)
    newest = lib.list_articles(limit=1)[0]
    oldest = lib.list_articles(limit=1, offset=TOTAL - 1)[0]

    async def drive() -> None:
        app = NewsreaderApp(lib)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            articles = app.query_one(ArticleList)
            assert app.focused is articles
            assert articles.row_count == TOTAL
            assert articles.current is not None and articles.current.id == newest.id
            # only the pages drawn so far were read from the store
            assert len(articles.rows.pages) == 1
            await pilot.press("j", "j", "down")
            assert articles.cursor == 3
            await pilot.press("k")
            assert articles.cursor == 2
            await pilot.press("up")
            assert articles.cursor == 1
            await pilot.press("G")
            assert articles.cursor == TOTAL - 1
            assert articles.current is not None and articles.current.id == oldest.id
            assert len(articles.rows.pages) == 2  # the first page and the last one
            await pilot.press("g")
            assert articles.cursor == 0
            await pilot.press("end")
            assert articles.cursor == TOTAL - 1
            await pilot.press("home")
            assert articles.cursor == 0

    run(drive)


def test_enter_opens_the_article_and_marks_it_read(lib: Library) -> None:
    build(lib)
    second = lib.list_articles(limit=2)[1]
    assert not second.read

    async def drive() -> None:
        app = NewsreaderApp(lib)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("j", "enter")
            await pilot.pause()
            assert app.main.open_id == second.id
            pane = app.query_one(ReadingPane)
            assert pane.article_id == second.id
            title = pane.query_one("#reader-title", Static).render()
            assert second.title in str(title)
            row = app.query_one(ArticleList).current
            assert row is not None and row.read
            await pilot.pause(0.5)  # the sidebar counts are re-read shortly after
            await app.workers.wait_for_complete()
            await pilot.pause()
            unread = str(app.query_one(Sidebar).get_option("view:unread").prompt)
            assert str(TOTAL - 1) in unread

    run(drive)
    assert lib.article(second.id).read


def test_sidebar_lists_views_and_feeds_with_counts_and_error_marks(lib: Library) -> None:
    build(lib)

    async def drive() -> None:
        app = NewsreaderApp(lib)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            sidebar = app.query_one(Sidebar)
            prompts = {
                o.id: str(o.prompt)
                for o in (sidebar.get_option_at_index(i) for i in range(sidebar.option_count))
                if o.id
            }
            assert str(TOTAL) in prompts["view:all"]
            assert str(TOTAL) in prompts["view:unread"]
            feeds = [k for k in prompts if k.startswith("feed:")]
            assert len(feeds) == len(FEEDS)
            marked = [k for k in feeds if prompts[k].startswith("!")]
            assert len(marked) == 1 and FEEDS[2] in prompts[marked[0]]
            assert all(str(PER_FEED) in prompts[k] for k in feeds)

    run(drive)


def test_choosing_a_feed_in_the_sidebar_lists_only_its_articles(lib: Library) -> None:
    ids = build(lib)

    async def drive() -> None:
        app = NewsreaderApp(lib)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("shift+tab")
            sidebar = app.query_one(Sidebar)
            assert app.focused is sidebar
            # move down to the second feed: views (3), separator, heading, feeds
            target = sidebar.get_option_index(f"feed:{ids[1]}")
            while sidebar.highlighted != target:
                await pilot.press("j")
            await pilot.press("enter")
            await pilot.pause()
            articles = app.query_one(ArticleList)
            assert app.focused is articles
            assert articles.row_count == PER_FEED
            assert articles.current is not None and articles.current.feed_id == ids[1]
            assert app.main.source.kind == "feed" and app.main.source.feed_id == ids[1]

    run(drive)


def test_tab_cycles_the_panes(lib: Library) -> None:
    build(lib)

    async def drive() -> None:
        app = NewsreaderApp(lib)
        async with app.run_test(size=(160, 48)) as pilot:
            await pilot.pause()
            seen = []
            for _ in range(4):
                await pilot.press("tab")
                seen.append(app.focused.id if app.focused else None)
            assert seen == ["reader", "entities", "sidebar", "articles"]
            await pilot.press("shift+tab")
            assert app.focused is not None and app.focused.id == "sidebar"

    run(drive)


def test_q_quits(lib: Library) -> None:
    build(lib)

    async def drive() -> None:
        app = NewsreaderApp(lib)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("q")
            await pilot.pause()
            assert not app.is_running

    run(drive)


def test_narrow_terminal_puts_the_reading_pane_under_the_list(lib: Library) -> None:
    build(lib)

    async def drive() -> None:
        app = NewsreaderApp(lib)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            articles = app.query_one(ArticleList).region
            reader = app.query_one(ReadingPane).region
            assert reader.y > articles.y and reader.x <= articles.x
            assert articles.height >= 5
        app = NewsreaderApp(lib)
        async with app.run_test(size=(200, 50)) as pilot:
            await pilot.pause()
            articles = app.query_one(ArticleList).region
            reader = app.query_one(ReadingPane).region
            assert reader.x > articles.x and reader.y <= articles.y  # beside the list
            assert articles.height >= 40
            # and it follows the terminal when it is resized
            await pilot.resize_terminal(90, 30)
            await pilot.pause()
            articles = app.query_one(ArticleList).region
            reader = app.query_one(ReadingPane).region
            assert reader.y > articles.y and articles.width >= 60

    run(drive)


def test_sidebar_counts_stay_whole_when_its_scrollbar_comes(lib: Library) -> None:
    """More feeds than the sidebar's height: its scrollbar takes cells from the labels,
    which are fitted again, so each feed's unread count still shows in full."""
    build(lib)

    async def drive() -> None:
        app = NewsreaderApp(lib)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()
            sidebar = app.query_one(Sidebar)
            assert not sidebar.show_vertical_scrollbar
            # feeds come after the first fill (a big library shows its counts late)
            for n in range(40):
                url, title = f"http://127.0.0.1:9/more-{n}.xml", f"Extra feed number {n}"
                feed = lib.store.add_feed(url, title)
                lib.store.store_entries(feed.id, [entry(0, 100 + n * 10 + k) for k in range(3)])
            app.main.reload_sidebar()
            await pilot.pause(0.3)
            assert sidebar.show_vertical_scrollbar
            room = sidebar.scrollable_content_region.width
            extra = [
                sidebar.get_option_at_index(i)
                for i in range(sidebar.option_count)
                if (sidebar.get_option_at_index(i).id or "").startswith("feed:")
            ]
            assert len(extra) == len(FEEDS) + 40
            for option in extra:
                label = option.prompt
                assert isinstance(label, Text)
                assert label.cell_len <= room, (label.plain, room)
                assert label.plain.rstrip().endswith(("3", str(PER_FEED))), label.plain

    run(drive)
