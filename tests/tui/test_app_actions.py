"""Every app key and palette command against a fixture store: b B m n p o r R a, ?, e, and
import/export OPML, export bookmarks, save search, delete feed, reindex, theme, enrich."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from app_store import FEEDS, PER_FEED, Notes, build, run
from newsreader.index.entities.status import ENTITY_VERSION
from newsreader.index.library import Library
from newsreader.tui.app import NewsreaderApp
from newsreader.tui.screens.help import HelpScreen
from newsreader.tui.screens.prompt import ConfirmScreen, PromptScreen
from newsreader.tui.widgets.article_list import ArticleList
from newsreader.tui.widgets.entity_panel import EntityPanel
from pytest_httpserver import HTTPServer
from textual.pilot import Pilot
from werkzeug import Request, Response

TOTAL = PER_FEED * len(FEEDS)


def rss(title: str, items: int, prefix: str = "item") -> str:
    entries = "".join(
        f"<item><title>{prefix} {n} of {title}</title><link>https://example.net/{prefix}/{n}</link>"
        f"<guid>{prefix}-{n}</guid><pubDate>Mon, 0{1 + n % 9} Jun 2026 10:00:00 GMT</pubDate>"
        f"<description>Text of {prefix} {n}.</description></item>"
        for n in range(items)
    )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel>'
        f"<title>{title}</title><link>https://example.net/</link>{entries}</channel></rss>"
    )


async def settle(app: NewsreaderApp, pilot: Pilot[None]) -> None:
    await pilot.pause(0.1)
    await app.workers.wait_for_complete()
    await pilot.pause(0.4)  # debounced sidebar counts


async def answer_prompt(pilot: Pilot[None], text: str) -> None:
    assert isinstance(pilot.app.screen, PromptScreen)
    await pilot.press("ctrl+u", *text, "enter")
    await pilot.pause()


def test_b_toggles_the_bookmark_and_B_lists_bookmarks(lib: Library) -> None:
    build(lib)
    first, second = lib.list_articles(limit=2)

    async def drive() -> None:
        app = NewsreaderApp(lib)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("b", "j", "b")
            articles = app.query_one(ArticleList)
            assert articles.current is not None and articles.current.bookmarked
            assert {a.id for a, _ in lib.bookmarks()} == {first.id, second.id}
            await pilot.press("b")
            assert articles.current is not None and not articles.current.bookmarked
            await pilot.press("B")
            await pilot.pause()
            assert app.main.source.view == "bookmarks"
            assert articles.row_count == 1
            assert articles.current is not None and articles.current.id == first.id
            await settle(app, pilot)
            assert "1" in str(app.main.sidebar.get_option("view:bookmarks").prompt)

    run(drive)
    assert [a.id for a, _ in lib.bookmarks()] == [first.id]


def test_m_toggles_read(lib: Library) -> None:
    build(lib)
    first = lib.list_articles(limit=1)[0]

    async def drive() -> None:
        app = NewsreaderApp(lib)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("m")
            assert lib.article(first.id).read
            row = app.query_one(ArticleList).current
            assert row is not None and row.read
            await pilot.press("m")
            assert not lib.article(first.id).read

    run(drive)


def test_n_and_p_jump_between_unread_articles(lib: Library) -> None:
    build(lib)
    rows = lib.list_articles(limit=6)
    for row in rows[1:4]:
        lib.mark_read(row.id)

    async def drive() -> None:
        app = NewsreaderApp(lib)
        async with app.run_test(size=(120, 40)) as pilot:
            articles = app.query_one(ArticleList)
            await pilot.press("n")
            assert articles.cursor == 4
            assert app.main.open_id == rows[4].id
            assert lib.article(rows[4].id).read
            await pilot.press("p")
            assert articles.cursor == 0
            assert app.main.open_id == rows[0].id

    run(drive)


def test_o_opens_http_links_only(lib: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    build(lib)
    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", lambda url, *a, **k: opened.append(url) or True)
    rows = lib.list_articles(limit=200)
    bad = next(i for i, r in enumerate(rows) if not (r.link or "").startswith("http"))

    async def drive() -> None:
        app = NewsreaderApp(lib)
        notes = Notes(app)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("o")
            await settle(app, pilot)
            assert opened == [rows[0].link]
            app.query_one(ArticleList).go_to(bad)
            await pilot.press("o")
            await settle(app, pilot)
            assert len(opened) == 1
            assert "only http and https" in notes.text()
            assert "error" in notes.severities()

    run(drive)


def test_R_refreshes_in_a_worker_with_a_progress_bar(lib: Library, httpserver: HTTPServer) -> None:
    build(lib)
    gate = threading.Event()

    def slow(request: Request) -> Response:
        gate.wait(10)
        return Response(rss("Slow News", 4, "slow"), content_type="application/rss+xml")

    httpserver.expect_request("/slow.xml").respond_with_handler(slow)
    httpserver.expect_request("/fast.xml").respond_with_data(
        rss("Fast News", 3, "fast"), content_type="application/rss+xml"
    )
    lib.store.add_feed(httpserver.url_for("/slow.xml"))
    lib.store.add_feed(httpserver.url_for("/fast.xml"))

    async def drive() -> None:
        app = NewsreaderApp(lib)
        notes = Notes(app)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("R")
            await pilot.pause(0.3)
            assert app.query_one("#progress-row").has_class("-busy")
            # the UI keeps answering keys while the refresh waits on the network
            await pilot.press("j")
            assert app.query_one(ArticleList).cursor == 1
            gate.set()
            await settle(app, pilot)
            assert not app.query_one("#progress-row").has_class("-busy")
            assert "7 new" in notes.text()
            titles = {o.id: str(o.prompt) for o in app.main.sidebar._options if o.id}
            assert any("Slow News" in t for t in titles.values())
            assert app.query_one(ArticleList).row_count == TOTAL + 7

    run(drive)
    assert lib.count_articles() == TOTAL + 7


def test_r_refreshes_the_selected_feed_and_failures_are_notified(
    lib: Library, httpserver: HTTPServer
) -> None:
    build(lib)
    httpserver.expect_request("/one.xml").respond_with_data(
        rss("One", 2, "one"), content_type="application/rss+xml"
    )
    httpserver.expect_request("/broken.xml").respond_with_data("nope", status=500)
    one = lib.store.add_feed(httpserver.url_for("/one.xml"))
    broken = lib.store.add_feed(httpserver.url_for("/broken.xml"))

    async def drive() -> None:
        app = NewsreaderApp(lib)
        notes = Notes(app)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            source = app.main.sidebar.source_for(f"feed:{one.id}")
            assert source is not None
            app.main.show_source(source)
            await pilot.press("r")
            await settle(app, pilot)
            assert "2 new" in notes.text()
            assert app.query_one(ArticleList).row_count == 2
            source = app.main.sidebar.source_for(f"feed:{broken.id}")
            assert source is not None
            app.main.show_source(source)
            await pilot.press("r")
            await settle(app, pilot)
            assert "failed" in notes.text() and "warning" in notes.severities()
            mark = str(app.main.sidebar.get_option(f"feed:{broken.id}").prompt)
            assert mark.startswith("!")

    run(drive)
    assert lib.count_articles(feed_id=one.id) == 2


def test_a_adds_a_feed_through_the_prompt(lib: Library, httpserver: HTTPServer) -> None:
    build(lib)
    httpserver.expect_request("/new.xml").respond_with_data(
        rss("Brand New", 5, "new"), content_type="application/rss+xml"
    )

    async def drive() -> None:
        app = NewsreaderApp(lib)
        notes = Notes(app)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("a")
            await answer_prompt(pilot, httpserver.url_for("/new.xml"))
            await settle(app, pilot)
            assert "Added Brand New" in notes.text()
            assert any("Brand New" in str(o.prompt) for o in app.main.sidebar._options)
            await pilot.press("a")
            await answer_prompt(pilot, "ftp://nowhere.invalid/feed")
            await settle(app, pilot)
            assert "error" in notes.severities()
            assert app.is_running

    run(drive)
    assert any(f.title == "Brand New" for f in lib.feeds())


def test_help_and_entity_focus_keys(lib: Library) -> None:
    build(lib)

    async def drive() -> None:
        app = NewsreaderApp(lib)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("question_mark")
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
            await pilot.press("escape")
            await pilot.pause()
            assert not isinstance(app.screen, HelpScreen)
            entities = app.query_one(EntityPanel)
            assert not entities.display or entities.region.height == 0  # short screen: hidden
            await pilot.press("e")
            await pilot.pause()
            assert app.focused is entities and entities.region.height > 0

    run(drive)


def test_palette_runs_commands(lib: Library, tmp_path: Path) -> None:
    build(lib)
    target = tmp_path / "feeds.opml"

    async def drive() -> None:
        app = NewsreaderApp(lib)
        notes = Notes(app)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("ctrl+p")
            await pilot.pause()
            await pilot.press(*"export feeds opml")
            await pilot.pause(0.5)
            await pilot.press("enter")
            await pilot.pause(0.3)
            await answer_prompt(pilot, str(target))
            assert "Feeds exported" in notes.text()

    run(drive)
    assert "127.0.0.1:9/feed-1.xml" in target.read_text()


def test_export_bookmarks_import_opml_and_reindex(
    lib: Library, tmp_path: Path, httpserver: HTTPServer
) -> None:
    build(lib)
    first = lib.list_articles(limit=1)[0]
    lib.bookmark(first.id)
    httpserver.expect_request("/opml-feed.xml").respond_with_data(
        rss("From OPML", 2, "opml"), content_type="application/rss+xml"
    )
    opml = tmp_path / "in.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><body>'
        f'<outline type="rss" text="From OPML" xmlUrl="{httpserver.url_for("/opml-feed.xml")}"/>'
        "</body></opml>"
    )
    marks = tmp_path / "marks.md"

    async def drive() -> None:
        app = NewsreaderApp(lib)
        notes = Notes(app)
        async with app.run_test(size=(120, 40)) as pilot:
            await app.run_action("export_bookmarks", app.main)
            await pilot.pause()
            await answer_prompt(pilot, str(marks))
            await app.run_action("import_opml", app.main)
            await pilot.pause()
            await answer_prompt(pilot, str(opml))
            await settle(app, pilot)
            await settle(app, pilot)
            await app.run_action("reindex", app.main)
            await settle(app, pilot)
            text = notes.text()
            assert "Bookmarks exported" in text
            assert "Imported 1 feed" in text
            assert "2 new" in text
            assert f"Indexed {TOTAL + 2:,} articles" in text

    run(drive)
    assert first.title in marks.read_text()
    assert lib.count_articles() == TOTAL + 2


def test_save_search_and_delete_feed(lib: Library) -> None:
    ids = build(lib)

    async def drive() -> None:
        app = NewsreaderApp(lib)
        notes = Notes(app)
        async with app.run_test(size=(120, 40)) as pilot:
            await app.run_action("save_search", app.main)
            assert "Search first" in notes.text()
            await pilot.press("slash", *"harvest", "enter")
            await app.run_action("save_search", app.main)
            await pilot.pause()
            await answer_prompt(pilot, "crops")
            await settle(app, pilot)
            assert app.main.source.saved == "crops"
            option = app.main.sidebar.get_option("search:crops")
            assert str(lib.search("harvest is:unread").total) in str(option.prompt)
            source = app.main.sidebar.source_for(f"feed:{ids[0]}")
            assert source is not None
            app.main.show_source(source)
            await app.run_action("delete_feed", app.main)
            await pilot.pause()
            assert isinstance(app.screen, ConfirmScreen)
            await pilot.press("y")
            await settle(app, pilot)
            assert app.main.source.kind == "view"
            assert app.query_one(ArticleList).row_count == TOTAL - PER_FEED

    run(drive)
    assert [s.name for s in lib.saved_searches()] == ["crops"]
    assert ids[0] not in {f.id for f in lib.feeds()}


def test_toggle_theme_and_enrich(lib: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    build(lib)

    async def drive(available: bool) -> list[tuple[str, str]]:
        monkeypatch.setattr(Library, "entities_available", lambda self: available)

        def fake_enrich(self: Library, *, progress: Any = None, limit: Any = None) -> int:
            if progress:
                progress(0, 3)
                progress(3, 3)
            return 3

        monkeypatch.setattr(Library, "enrich", fake_enrich)
        app = NewsreaderApp(lib)
        notes = Notes(app)
        async with app.run_test(size=(120, 40)) as pilot:
            assert app.current_theme.dark
            await app.run_action("toggle_theme")
            assert app.theme == "textual-light"
            await app.run_action("enrich", app.main)
            await settle(app, pilot)
        return notes.items

    items = run(lambda: drive(False))
    assert any("spaCy" in m and s == "warning" for m, s in items)
    assert lib.ui_state()["theme"] == "textual-light"
    lib.save_ui_state({"theme": "textual-dark"})
    items = run(lambda: drive(True))
    assert any("Entities found in 3 articles" in m for m, _ in items)


def test_an_unexpected_error_in_a_job_is_a_notification(
    lib: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(lib)

    def broken(self: Library, *args: Any, **kwargs: Any) -> int:
        if kwargs.get("progress"):
            kwargs["progress"](0, 10, "")
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(Library, "reindex", broken)

    async def drive() -> None:
        app = NewsreaderApp(lib)
        notes = Notes(app)
        async with app.run_test(size=(120, 40)) as pilot:
            await app.run_action("reindex", app.main)
            await settle(app, pilot)
            assert app.is_running
            assert "reindex failed: ZeroDivisionError" in notes.text()
            assert not app.query_one("#progress-row").has_class("-busy")
            await pilot.press("j")
            assert app.query_one(ArticleList).cursor == 1

    run(drive)


def test_a_feed_added_with_a_gets_its_entities_found(
    lib: Library, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Articles of a feed added with `a` are enriched in the background (they never were)."""
    build(lib)
    httpserver.expect_request("/added.xml").respond_with_data(
        rss("Added Later", 3, "later"), content_type="application/rss+xml"
    )
    monkeypatch.setattr(Library, "entities_available", lambda self: True)
    calls: list[int] = []

    def fake_enrich(self: Library, *, progress: Any = None, limit: Any = None) -> int:
        calls.append(self.pending_enrichment())
        self.store.save_entities(
            [(a.id, [], []) for a in self.list_articles(limit=1000)], ENTITY_VERSION
        )
        return calls[-1]

    monkeypatch.setattr(Library, "enrich", fake_enrich)
    monkeypatch.setattr("newsreader.tui.app.ENRICH_DELAY", 0.1)
    fake_enrich(lib)  # the articles there before have their entities
    calls.clear()

    async def drive() -> None:
        app = NewsreaderApp(lib, auto_enrich=True)
        notes = Notes(app)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause(0.3)  # start-up enrichment: nothing pending
            await pilot.press("a")
            await answer_prompt(pilot, httpserver.url_for("/added.xml"))
            await settle(app, pilot)
            for _ in range(50):
                if calls:
                    break
                await pilot.pause(0.1)
            assert "Added Added Later" in notes.text()

    run(drive)
    assert calls == [3]
    assert lib.pending_enrichment() == 0
