"""The daily loop in the app (issue 16), pressed as a person would: A marks the list read and
u undoes it, folders in the sidebar, the feed column, the auto-refresh timer, U for only
unread, n/p on into the next feed, the search history, and a feed's details."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from app_store import FEEDS, PER_FEED, Notes, build, run
from newsreader.index.library import Library
from newsreader.tui import sources
from newsreader.tui.app import NewsreaderApp
from newsreader.tui.screens import main as main_screen
from newsreader.tui.screens.feed_details import FeedDetailsScreen
from newsreader.tui.sources import distinct_feed_names, feed_column_width, fit_feed_names
from newsreader.tui.widgets.article_list import ArticleList
from newsreader.tui.widgets.search_bar import SearchBar
from pytest_httpserver import HTTPServer
from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import Static


async def settle(app: NewsreaderApp, pilot: Pilot[None]) -> None:
    await pilot.pause(0.05)
    await app.workers.wait_for_complete()
    await pilot.pause()


def status(app: NewsreaderApp) -> str:
    rendered = app.main.query_one("#list-status", Static).render()
    return str(rendered) if not isinstance(rendered, Text) else rendered.plain


def sidebar_ids(app: NewsreaderApp) -> list[str]:
    return [o.id for o in app.main.sidebar._options if o.id]


def sidebar_label(app: NewsreaderApp, key: str) -> str:
    option = app.main.sidebar.get_option(key)
    return str(option.prompt)


async def show(app: NewsreaderApp, pilot: Pilot[None], key: str) -> None:
    source = app.main.sidebar.source_for(key)
    assert source is not None, key
    app.main.show_source(source)
    app.main.focus_now(app.main.article_list)
    await pilot.pause()


# -- A marks the list read, u undoes it --------------------------------------------------------


def test_A_marks_the_feed_read_and_u_undoes_only_that(lib: Library) -> None:
    ids = build(lib)
    already = lib.list_articles(feed_id=ids[0], limit=1)[0].id
    lib.mark_read(already)

    async def drive() -> None:
        app = NewsreaderApp(lib, restore=False)
        notes = Notes(app)
        async with app.run_test(size=(120, 40)) as pilot:
            await show(app, pilot, f"feed:{ids[0]}")
            await pilot.press("A")
            await settle(app, pilot)
            assert lib.count_articles("unread", ids[0]) == 0
            assert lib.count_articles("unread", ids[1]) == PER_FEED  # other feeds untouched
            assert f"Marked {PER_FEED - 1} articles of {FEEDS[0]} read" in notes.text()
            assert "u undoes it" in notes.text()
            assert app.main.article_list.current is not None
            assert app.main.article_list.current.read  # the list shows it at once
            await pilot.press("u")
            await settle(app, pilot)
            assert lib.count_articles("unread", ids[0]) == PER_FEED - 1
            assert lib.article(already).read  # read before the A: stays read
            assert f"{PER_FEED - 1} articles of {FEEDS[0]} unread again" in notes.text()
            await pilot.press("u")  # once only
            assert "Nothing to undo" in notes.text()

    run(drive)


def test_u_a_minute_later_undoes_nothing(lib: Library) -> None:
    ids = build(lib)

    async def drive() -> None:
        app = NewsreaderApp(lib, restore=False)
        notes = Notes(app)
        async with app.run_test(size=(120, 40)) as pilot:
            await show(app, pilot, f"feed:{ids[1]}")
            await pilot.press("A")
            await settle(app, pilot)
            last = app.main.last_mark
            assert last is not None
            app.main.last_mark = replace(last, until=last.until - main_screen.UNDO_SECONDS - 1)
            await pilot.press("u")
            await settle(app, pilot)
            assert lib.count_articles("unread", ids[1]) == 0
            assert "Nothing to undo" in notes.text()

    run(drive)


def test_A_on_search_results_marks_only_the_hits(lib: Library) -> None:
    build(lib)
    hits = lib.search("bridge", limit=500)
    assert 0 < hits.total < PER_FEED * len(FEEDS)

    async def drive() -> None:
        app = NewsreaderApp(lib, restore=False)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("slash", *"bridge", "enter")
            await settle(app, pilot)
            assert app.main.source.kind == "search"
            await pilot.press("A")
            await settle(app, pilot)
            assert all(lib.article(h.id).read for h in hits.hits)
            # the search opened its first hit (read); every other article is still unread
            assert lib.count_articles("unread") == PER_FEED * len(FEEDS) - hits.total

    run(drive)


# -- folders in the sidebar --------------------------------------------------------------------


def foldered(lib: Library) -> list[int]:
    ids = build(lib)
    lib.update_feed(ids[0], folder="News/Deutsch")
    lib.update_feed(ids[1], folder="News")
    return ids


def test_the_sidebar_groups_feeds_by_folder_with_unread_counts(lib: Library) -> None:
    ids = foldered(lib)

    async def drive() -> None:
        app = NewsreaderApp(lib, restore=False)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            order = [k for k in sidebar_ids(app) if k.startswith(("feed:", "folder:"))]
            assert order == [
                "folder:News",
                "folder:News/Deutsch",
                f"feed:{ids[0]}",
                f"feed:{ids[1]}",
                f"feed:{ids[2]}",
            ]
            assert sidebar_label(app, "folder:News").rstrip().endswith(str(2 * PER_FEED))
            assert sidebar_label(app, "folder:News/Deutsch").rstrip().endswith(str(PER_FEED))
            # Enter on a folder lists every feed in it and below it
            app.main.focus_now(app.main.sidebar)
            app.main.sidebar.select_key("folder:News")
            await pilot.press("enter")
            await pilot.pause()
            assert app.main.source.kind == "folder"
            assert app.main.article_list.row_count == 2 * PER_FEED

    run(drive)


def test_space_folds_a_folder_and_the_fold_is_kept(lib: Library) -> None:
    ids = foldered(lib)

    async def first() -> None:
        app = NewsreaderApp(lib)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            app.main.focus_now(app.main.sidebar)
            app.main.sidebar.select_key("folder:News")
            await pilot.press("space")
            await pilot.pause()
            assert "folder:News/Deutsch" not in sidebar_ids(app)
            assert f"feed:{ids[1]}" not in sidebar_ids(app)
            assert "▸" in sidebar_label(app, "folder:News")
            assert f"feed:{ids[2]}" in sidebar_ids(app)

    async def again() -> None:
        app = NewsreaderApp(lib)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            assert f"feed:{ids[1]}" not in sidebar_ids(app)  # still folded after a restart
            app.main.focus_now(app.main.sidebar)
            app.main.sidebar.select_key("folder:News")
            await pilot.press("right")
            await pilot.pause()
            assert f"feed:{ids[0]}" in sidebar_ids(app)
            app.main.sidebar.select_key(f"feed:{ids[0]}")
            await pilot.press("left")  # on a feed: up to its folder
            assert app.main.sidebar.highlighted_folder() == "News/Deutsch"

    run(first)
    run(again)


def test_same_titled_feeds_are_told_apart_in_the_sidebar(lib: Library) -> None:
    build(lib)
    lib.store.add_feed("http://a.example.org/feed.xml", "Newsroom")
    lib.store.add_feed("http://b.example.net/feed.xml", "Newsroom")

    async def drive() -> None:
        app = NewsreaderApp(lib, restore=False)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            labels = [
                sidebar_label(app, k).strip()
                for k in sidebar_ids(app)
                if "Newsroom" in sidebar_label(app, k)
            ]
            assert len(labels) == 2 and labels[0] != labels[1]

    run(drive)


# -- the feed column ---------------------------------------------------------------------------

DEMO_LIKE = {
    1: "Newsreader Demo: World",
    2: "Newsreader Demo: Science",
    3: "Newsreader Demo: Culture",
    4: "Harbour Times",
}


def test_feed_names_lose_only_what_they_share_with_another() -> None:
    names = distinct_feed_names(DEMO_LIKE)
    assert names == {1: "World", 2: "Science", 3: "Culture", 4: "Harbour Times"}
    # the same name twice keeps both whole; an empty rest keeps the name
    assert distinct_feed_names({1: "A: x", 2: "A: x"}) == {1: "A: x", 2: "A: x"}
    assert distinct_feed_names({1: "A: ", 2: "A: b"}) == {1: "A:", 2: "A: b"}


def test_cut_feed_names_stay_different() -> None:
    names = {1: "Tagesschau Nachrichten Inland", 2: "Tagesschau Nachrichten Ausland"}
    cut = fit_feed_names(names, 12)
    assert cut[1] != cut[2] and all(len(v) <= 12 for v in cut.values())
    assert feed_column_width(names, 58) == 14  # a quarter of the list
    assert feed_column_width({1: "BBC"}, 200) == sources.FEED_COLUMN_MIN


@pytest.mark.parametrize("size", [(80, 24), (100, 30), (120, 40), (200, 60)])
def test_the_feed_column_tells_the_feeds_apart_at_every_size(
    lib: Library, size: tuple[int, int]
) -> None:
    ids = build(lib)
    titles = ["Newsreader Demo: World", "Newsreader Demo: Science", "Newsreader Demo: Culture"]
    for feed_id, title in zip(ids, titles, strict=True):
        lib.update_feed(feed_id, title=title)
    lib.store.add_feed("http://127.0.0.1:9/other.xml", "Harbour Times")

    async def drive() -> None:
        app = NewsreaderApp(lib, restore=False)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            articles = app.query_one(ArticleList)
            width = articles.scrollable_content_region.width
            column, names = articles.feed_column(width)
            assert column > 0
            shown = {names[i] for i in ids}
            assert len(shown) == len(ids), shown  # three different names
            assert all("Newsreade" not in n for n in shown)
            # and the rows carry them
            rows = {articles.rows.get(n).feed_id: n for n in range(articles.row_count)}  # type: ignore[union-attr]
            for feed_id, index in rows.items():
                line = articles.row_text(articles.rows.get(index), width).plain  # type: ignore[arg-type]
                assert names[feed_id] in line

    run(drive)


# -- auto-refresh ------------------------------------------------------------------------------


def rss(title: str, items: int) -> str:
    entries = "".join(
        f"<item><title>item {n} of {title}</title><link>https://example.net/{n}</link>"
        f"<guid>g-{n}</guid><pubDate>Mon, 0{1 + n % 9} Jun 2026 10:00:00 GMT</pubDate>"
        f"<description>Text {n}.</description></item>"
        for n in range(items)
    )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel>'
        f"<title>{title}</title><link>https://example.net/</link>{entries}</channel></rss>"
    )


def test_the_timer_refreshes_all_feeds_and_the_status_line_says_so(
    data_dir: Any, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsreader.index.config import Settings

    monkeypatch.setattr(main_screen, "MINUTE", 0.2)  # one "minute" of the timer: 0.2 s
    fired: list[float] = []
    original = main_screen.MainScreen.refresh_on_timer

    def once(self: main_screen.MainScreen) -> None:
        fired.append(0.2)
        original(self)
        assert self.refresh_timer is not None
        self.refresh_timer.stop()  # one round is enough to look at

    monkeypatch.setattr(main_screen.MainScreen, "refresh_on_timer", once)
    lib = Library.open(
        data_dir, settings=Settings(timeout=10, connect_timeout=5, refresh_minutes=1)
    )
    try:
        lib.store.set_meta("demo_seeded", "tests")
        httpserver.expect_request("/timed.xml").respond_with_data(
            rss("Timed", 4), content_type="application/rss+xml"
        )
        lib.store.add_feed(httpserver.url_for("/timed.xml"), "Timed")

        async def drive() -> None:
            app = NewsreaderApp(lib, restore=False)
            async with app.run_test(size=(120, 40)) as pilot:
                await pilot.pause()
                assert app.main.refresh_timer is not None
                for _ in range(40):  # the timer fires on its own
                    await pilot.pause(0.1)
                    if app.main.last_refresh is not None:
                        break
                await settle(app, pilot)
                assert app.main.last_refresh is not None
                assert fired == [0.2]
                assert "refreshed" in status(app) and "4 new" in status(app)
                assert app.query_one(ArticleList).row_count == 4  # the list shows them

        run(drive)
        assert lib.count_articles() == 4
    finally:
        lib.close()


def test_no_timer_when_refresh_minutes_is_zero(data_dir: Any) -> None:
    from newsreader.index.config import Settings

    lib = Library.open(data_dir, settings=Settings(refresh_minutes=0))
    try:
        build(lib)

        async def drive() -> None:
            app = NewsreaderApp(lib, restore=False)
            async with app.run_test(size=(120, 40)) as pilot:
                await pilot.pause()
                assert app.main.refresh_timer is None
                assert "refresh" not in status(app)

        run(drive)
    finally:
        lib.close()


def test_the_timer_does_not_start_a_second_refresh_while_one_runs(
    lib: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(lib)
    started: list[Any] = []

    async def drive() -> None:
        app = NewsreaderApp(lib, restore=False)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            assert "refreshes every 30 min" in status(app)  # the default, until it first runs
            monkeypatch.setattr(app.main, "start_job", lambda job: started.append(job))
            app.main.refresh_on_timer()
            assert len(started) == 1 and started[0].kind == "refresh"
            # a refresh worker still running: the timer's turn is skipped
            worker = app.main.run_worker(
                lambda: __import__("time").sleep(0.5), group="refresh", thread=True
            )
            app.main.refresh_on_timer()
            assert len(started) == 1
            await worker.wait()

    run(drive)


# -- only unread, and n/p on into the next feed --------------------------------------------


def test_U_shows_only_the_unread_articles_of_the_list(lib: Library) -> None:
    ids = build(lib)
    for row in lib.list_articles(feed_id=ids[0], limit=10):
        lib.mark_read(row.id)

    async def drive() -> None:
        app = NewsreaderApp(lib, restore=False)
        async with app.run_test(size=(120, 40)) as pilot:
            await show(app, pilot, f"feed:{ids[0]}")
            assert app.main.article_list.row_count == PER_FEED
            await pilot.press("U")
            await pilot.pause()
            assert app.main.article_list.row_count == PER_FEED - 10
            assert "unread" in status(app)
            await show(app, pilot, f"feed:{ids[1]}")  # it stays on for the next list
            assert app.main.source.only_unread
            await pilot.press("U")
            await pilot.pause()
            assert not app.main.source.only_unread
            assert app.main.article_list.row_count == PER_FEED

    run(drive)


def test_n_at_the_end_of_a_feed_goes_on_to_the_next_feed_with_unread(lib: Library) -> None:
    ids = build(lib)
    lib.mark_all(True, feed=ids[1])  # the next feed has nothing unread: skipped

    async def drive() -> None:
        app = NewsreaderApp(lib, restore=False)
        notes = Notes(app)
        async with app.run_test(size=(120, 40)) as pilot:
            await show(app, pilot, f"feed:{ids[0]}")
            lib.mark_all(True, feed=ids[0])
            app.main.reload_list()
            await pilot.pause()
            await pilot.press("n")
            await pilot.pause()
            assert app.main.source.kind == "feed" and app.main.source.feed_id == ids[2]
            assert app.main.open_article_data is not None
            assert app.main.open_article_data.feed_id == ids[2]
            assert f"{FEEDS[2]}:" in notes.text()
            # p from the top goes back round to the first feed with unread (none but this)
            lib.mark_all(False, feed=ids[0])
            app.main.article_list.go_to(0)
            await pilot.press("p")
            await pilot.pause()
            assert app.main.source.feed_id == ids[0]
            current = app.main.article_list.current
            assert current is not None and app.main.article_list.cursor == PER_FEED - 1

    run(drive)


# -- search history ----------------------------------------------------------------------------


def test_up_and_down_in_the_search_bar_walk_earlier_queries_across_restarts(
    lib: Library,
) -> None:
    build(lib)

    async def first() -> None:
        app = NewsreaderApp(lib, restore=False)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("slash", *"bridge", "enter")
            await settle(app, pilot)
            await pilot.press("slash", "ctrl+u", *"museum", "enter")
            await settle(app, pilot)

    async def again() -> None:
        app = NewsreaderApp(lib, restore=False)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("slash", *"har")
            bar = app.query_one(SearchBar)
            await pilot.press("up")
            assert bar.value == "museum"
            await pilot.press("up")
            assert bar.value == "bridge"
            await pilot.press("down")
            assert bar.value == "museum"
            await pilot.press("down")
            assert bar.value == "har"  # what was typed before Up
            await pilot.press("up", "enter")
            await settle(app, pilot)
            assert app.main.source.kind == "search" and app.main.source.query == "museum"

    run(first)
    assert lib.search_history()[:2] == ["museum", "bridge"]
    run(again)


# -- feed details ------------------------------------------------------------------------------


def test_a_failing_feed_says_its_error_in_the_sidebar_and_i_shows_its_details(
    lib: Library,
) -> None:
    ids = build(lib)  # the third feed's last fetch failed with HTTP 500

    async def drive() -> None:
        app = NewsreaderApp(lib, restore=False)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            summary = app.main.query_one("#feed-summary", Static)
            assert not summary.display
            app.main.focus_now(app.main.sidebar)
            app.main.sidebar.select_key(f"feed:{ids[1]}")
            app.main.show_feed_summary()
            await pilot.pause()
            assert summary.display
            app.main.sidebar.select_key(f"feed:{ids[2]}")
            app.main.show_feed_summary()
            await pilot.pause()
            assert "HTTP 500 from server" in str(summary.render())
            await pilot.press("i")
            await pilot.pause()
            assert isinstance(app.screen, FeedDetailsScreen)
            text = str(app.screen.query_one("#feed-details-text", Static).render())
            assert "Last error" in text and "HTTP 500 from server" in text
            assert f"{PER_FEED} articles" in text
            await pilot.press("escape")
            await pilot.pause()
            # the failing feed's list says why it fails
            await show(app, pilot, f"feed:{ids[2]}")
            assert "HTTP 500 from server" in status(app)
            assert not summary.display  # the list has the focus

    run(drive)


# -- the rest of the list: export format, rename and move, filters ---------------------------


async def answer(pilot: Pilot[None], text: str) -> None:
    from newsreader.tui.screens.prompt import PromptScreen

    assert isinstance(pilot.app.screen, PromptScreen)
    await pilot.press("ctrl+u", *text, "enter")
    await pilot.pause()


def test_exporting_bookmarks_to_a_txt_file_is_refused(lib: Library, tmp_path: Any) -> None:
    build(lib)
    target = tmp_path / "marks.txt"

    async def drive() -> None:
        app = NewsreaderApp(lib, restore=False)
        notes = Notes(app)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("b")
            await app.run_action("export_bookmarks", app.main)
            await pilot.pause()
            await answer(pilot, str(target))
            assert "Not exported: .txt" in notes.text()
            await app.run_action("export_bookmarks", app.main)
            await pilot.pause()
            await answer(pilot, str(tmp_path / "marks.md"))

    run(drive)
    assert not target.exists()
    assert (tmp_path / "marks.md").read_text(encoding="utf-8").startswith("#")


def test_the_highlighted_feed_is_renamed_and_moved_from_the_palette(lib: Library) -> None:
    ids = build(lib)

    async def drive() -> None:
        app = NewsreaderApp(lib, restore=False)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            app.main.sidebar.select_key(f"feed:{ids[1]}")
            await app.run_action("rename_feed", app.main)
            await pilot.pause()
            await answer(pilot, "Courier")
            app.main.sidebar.select_key(f"feed:{ids[1]}")
            await app.run_action("move_feed", app.main)
            await pilot.pause()
            await answer(pilot, "Local/Valley")
            assert "folder:Local/Valley" in sidebar_ids(app)
            assert "Courier" in sidebar_label(app, f"feed:{ids[1]}")

    run(drive)
    feed = lib.feed_details(ids[1])
    assert feed.title == "Courier" and feed.folder == "Local/Valley"


def test_a_search_made_a_filter_hides_its_articles(lib: Library) -> None:
    build(lib)
    hits = lib.search("museum", limit=500).total
    assert hits

    async def drive() -> None:
        app = NewsreaderApp(lib, restore=False)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("slash", *"museum", "enter")
            await settle(app, pilot)
            await app.run_action("add_filter", app.main)
            await pilot.pause()
            await answer(pilot, "hide")
            await settle(app, pilot)
            await pilot.press("escape", "escape")
            await pilot.pause()
            assert app.main.source.kind == "view"
            assert app.main.article_list.row_count == PER_FEED * len(FEEDS) - hits

    run(drive)
    assert [f.action for f in lib.filters()] == ["hide"]
    assert lib.count_articles("hidden") == hits
