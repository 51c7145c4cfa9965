"""Entity panel wiring, state kept across launches, config keymap, enrichment after refresh."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from app_store import FEEDS, PER_FEED, add_entities, build, run
from newsreader.index.config import Settings
from newsreader.index.library import Library
from newsreader.tui.app import NewsreaderApp
from newsreader.tui.widgets.article_list import ArticleList
from newsreader.tui.widgets.entity_panel import EntityPanel
from newsreader.tui.widgets.search_bar import SearchBar
from pytest_httpserver import HTTPServer
from textual.pilot import Pilot

TOTAL = PER_FEED * len(FEEDS)


async def settle(app: NewsreaderApp, pilot: Pilot[None]) -> None:
    await pilot.pause(0.2)
    await app.workers.wait_for_complete()
    await pilot.pause(0.2)


def test_choosing_an_entity_searches_for_it(lib: Library) -> None:
    build(lib)
    first = lib.list_articles(limit=1)[0]
    add_entities(lib, first.id)

    async def drive() -> None:
        app = NewsreaderApp(lib)
        async with app.run_test(size=(160, 48)) as pilot:
            await pilot.press("enter")
            await settle(app, pilot)
            await pilot.press("e")
            panel = app.query_one(EntityPanel)
            assert app.focused is panel
            option = panel.highlighted_option
            assert option is not None and "Adaeze Okafor" in str(option.prompt)
            await pilot.press("enter")
            await settle(app, pilot)
            query = app.query_one(SearchBar).value
            assert query == 'person:"Adaeze Okafor"'
            assert app.main.source.kind == "search" and app.main.source.query == query
            found = lib.search(query)
            assert found.total == 1
            articles = app.query_one(ArticleList)
            assert articles.row_count == 1 and articles.current is not None
            assert articles.current.id == first.id
            assert app.focused is articles

    run(drive)


def test_choosing_a_related_article_opens_it(lib: Library) -> None:
    build(lib)
    first = lib.list_articles(limit=1)[0]
    related = lib.related(first.id, limit=8)
    assert related

    async def drive() -> None:
        app = NewsreaderApp(lib)
        async with app.run_test(size=(160, 48)) as pilot:
            await pilot.press("enter")
            await settle(app, pilot)
            panel = app.query_one(EntityPanel)
            await pilot.press("e")
            panel.highlighted = panel.get_option_index("related-0")
            await pilot.press("enter")
            await settle(app, pilot)
            assert app.main.open_id == related[0].id
            assert lib.article(related[0].id).read

    run(drive)


def test_view_article_sort_and_theme_come_back_on_the_next_launch(lib: Library) -> None:
    ids = build(lib)
    rows = lib.list_articles(feed_id=ids[1], limit=5)

    async def first_launch() -> None:
        app = NewsreaderApp(lib)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            source = app.main.sidebar.source_for(f"feed:{ids[1]}")
            assert source is not None
            app.main.show_source(source)
            await pilot.press("j", "j", "j", "enter", "s")
            await app.run_action("toggle_theme")
            await pilot.press("q")

    async def second_launch() -> None:
        app = NewsreaderApp(lib)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            assert app.main.source.kind == "feed" and app.main.source.feed_id == ids[1]
            articles = app.query_one(ArticleList)
            assert articles.row_count == PER_FEED
            assert articles.cursor == 3
            assert app.main.open_id == rows[3].id
            assert app.main.sort == "date"
            assert app.theme == "textual-light"
            assert app.main.sidebar.highlighted == app.main.sidebar.get_option_index(
                f"feed:{ids[1]}"
            )

    run(first_launch)
    run(second_launch)


def test_a_saved_search_comes_back_on_the_next_launch(lib: Library) -> None:
    build(lib)
    lib.save_search("rivers", "river")

    async def first_launch() -> None:
        app = NewsreaderApp(lib)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            source = app.main.sidebar.source_for("search:rivers")
            assert source is not None
            app.main.on_source_chosen(type("M", (), {"source": source})())  # type: ignore[arg-type]
            await settle(app, pilot)
            assert app.main.source.saved == "rivers"
            await pilot.press("q")

    async def second_launch() -> None:
        app = NewsreaderApp(lib)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            assert app.main.source.saved == "rivers"
            assert app.query_one(ArticleList).row_count == lib.search("river").total
            assert app.query_one(SearchBar).value == "river"

    run(first_launch)
    run(second_launch)


def test_config_keymap_rebinds_an_action(data_dir: Any) -> None:
    lib = Library.open(data_dir, settings=Settings(keys={"toggle_bookmark": "x", "nonsense": "z"}))
    try:
        build(lib)
        first = lib.list_articles(limit=1)[0]

        async def drive() -> None:
            app = NewsreaderApp(lib)
            async with app.run_test(size=(120, 40)) as pilot:
                warnings = [n.message for n in app._notifications if n.severity == "warning"]
                assert any("no action named nonsense" in m for m in warnings)
                await pilot.press("b")
                assert not lib.bookmarks()
                await pilot.press("x")
                assert [a.id for a, _ in lib.bookmarks()] == [first.id]

        run(drive)
    finally:
        lib.close()


def test_refresh_with_new_articles_enriches_them_in_the_background(
    lib: Library, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(lib)
    httpserver.expect_request("/more.xml").respond_with_data(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>More</title>'
        "<item><title>Extra story</title><guid>x1</guid><description>Text.</description></item>"
        "</channel></rss>",
        content_type="application/rss+xml",
    )
    lib.store.add_feed(httpserver.url_for("/more.xml"))
    calls: list[int] = []
    monkeypatch.setattr(Library, "entities_available", lambda self: True)

    def fake_enrich(self: Library, *, progress: Any = None, limit: Any = None) -> int:
        calls.append(self.count_articles())
        return 1

    monkeypatch.setattr(Library, "enrich", fake_enrich)
    monkeypatch.setattr("newsreader.tui.app.ENRICH_DELAY", 600.0)  # not the start-up run

    async def drive() -> None:
        app = NewsreaderApp(lib, auto_enrich=True)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("R")
            await settle(app, pilot)
            await settle(app, pilot)

    run(drive)
    assert calls == [TOTAL + 1]


def test_background_enrichment_starts_after_start_up_and_updates_the_open_article(
    lib: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(lib)
    first = lib.list_articles(limit=1)[0]
    monkeypatch.setattr(Library, "entities_available", lambda self: True)
    monkeypatch.setattr("newsreader.tui.app.ENRICH_DELAY", 0.5)
    started = threading.Event()
    finish = threading.Event()

    def fake_enrich(self: Library, *, progress: Any = None, limit: Any = None) -> int:
        progress(0, 2)
        started.set()
        finish.wait(10)
        add_entities(self, first.id)
        progress(2, 2)
        return 2

    monkeypatch.setattr(Library, "enrich", fake_enrich)

    async def drive() -> None:
        app = NewsreaderApp(lib, auto_enrich=True)
        async with app.run_test(size=(160, 48)) as pilot:
            await pilot.press("enter")
            await pilot.pause()
            panel = app.query_one(EntityPanel)
            note = str(panel.get_option_at_index(0).prompt)
            # about this article, not a count of the library's
            assert "this article" in note and "not extracted yet" in note
            for _ in range(50):
                if started.is_set():
                    break
                await pilot.pause(0.1)
            assert started.is_set()
            await pilot.press("j", "k", "enter")
            await pilot.pause()
            assert "finding them in the background" in str(panel.get_option_at_index(0).prompt)
            finish.set()
            await settle(app, pilot)
            prompts = [str(panel.get_option_at_index(i).prompt) for i in range(panel.option_count)]
            assert any("Adaeze Okafor" in p for p in prompts)

    run(drive)


def test_without_the_model_the_entity_panel_says_how_to_install_it(
    lib: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(lib)
    monkeypatch.setattr(Library, "entities_available", lambda self: False)

    async def drive() -> None:
        app = NewsreaderApp(lib, auto_enrich=True)
        async with app.run_test(size=(160, 48)) as pilot:
            await pilot.press("enter")
            await settle(app, pilot)
            note = str(app.query_one(EntityPanel).get_option_at_index(0).prompt)
            assert "spacy" in note.lower() and "install" in note.lower()

    run(drive)


def test_a_big_library_lists_its_feeds_after_the_first_screen(
    lib: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = build(lib)
    lib.save_ui_state({"view": "feed", "feed": str(ids[2])})
    monkeypatch.setattr("newsreader.tui.screens.main.BIG_LIBRARY", 10)

    async def drive() -> None:
        app = NewsreaderApp(lib)
        async with app.run_test(size=(120, 40)) as pilot:
            # the restored feed is there at once; the counts of every feed follow
            assert app.main.source.kind == "feed" and app.main.source.feed_id == ids[2]
            assert app.query_one(ArticleList).row_count == PER_FEED
            await settle(app, pilot)
            feeds = [
                o.id
                for o in (
                    app.main.sidebar.get_option_at_index(i)
                    for i in range(app.main.sidebar.option_count)
                )
                if o.id and o.id.startswith("feed:")
            ]
            assert feeds == [f"feed:{f.id}" for f in lib.feeds()]
            assert str(PER_FEED) in str(app.main.sidebar.get_option(f"feed:{ids[0]}").prompt)
            assert app.main.sidebar.highlighted == app.main.sidebar.get_option_index(
                f"feed:{ids[2]}"
            )

    run(drive)


def test_a_saved_state_naming_gone_things_starts_on_all_articles(lib: Library) -> None:
    build(lib)
    lib.save_ui_state({"view": "feed", "feed": "999", "article": "0123456789abcdef"})

    async def drive() -> None:
        app = NewsreaderApp(lib)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            assert app.main.source.kind == "view" and app.main.source.view == "all"
            assert app.query_one(ArticleList).row_count == TOTAL
            assert app.main.open_id is None
            assert not [n for n in app._notifications if n.severity == "error"]

    run(drive)


def test_a_theme_chosen_in_the_palettes_theme_picker_comes_back(lib: Library) -> None:
    build(lib)

    async def drive() -> None:
        app = NewsreaderApp(lib)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            app.theme = "nord"  # what Textual's own "Theme" palette command does
            await pilot.pause()

    run(drive)
    assert lib.ui_state()["theme"] == "nord"

    async def again() -> str:
        app = NewsreaderApp(lib)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            return app.theme

    assert run(again) == "nord"


def test_a_big_library_counts_nothing_on_the_main_thread_at_start(
    lib: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At a million articles the views' counts took 0.7 s: the first screen comes without
    them, and a worker fills them in."""
    build(lib)
    monkeypatch.setattr("newsreader.tui.screens.main.BIG_LIBRARY", 10)
    counted_on: list[tuple[str, threading.Thread]] = []
    count = Library.count_articles

    def recording(self: Library, view: str = "all", *args: Any, **kwargs: Any) -> int:
        counted_on.append((view, threading.current_thread()))
        return count(self, view, *args, **kwargs)

    monkeypatch.setattr(Library, "count_articles", recording)

    async def drive() -> None:
        app = NewsreaderApp(lib)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            assert str(TOTAL) in str(app.main.sidebar.get_option("view:all").prompt)

    run(drive)
    # the list being shown (All) is counted for its rows; the sidebar's other views are
    # counted by the worker only
    sidebar_views = [thread for view, thread in counted_on if view in ("unread", "bookmarks")]
    assert sidebar_views, "the counts were never read"
    assert threading.main_thread() not in sidebar_views
