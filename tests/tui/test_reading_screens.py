"""Reading an article in the app: full screen with find (n/N), the link list, media, the
browser and player settings — Pilot pressing real keys on the structured fixture feed."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from app_store import run
from newsreader.index.feeds.parse import parse_feed
from newsreader.index.library import Library
from newsreader.tui.app import NewsreaderApp
from newsreader.tui.screens.links import LinksScreen
from newsreader.tui.screens.reader import ReaderScreen
from newsreader.tui.widgets.reading_pane import ReadingPane
from pytest_httpserver import HTTPServer
from textual.pilot import Pilot

FIXTURE = Path(__file__).parents[1] / "fixtures" / "reading" / "structured.rss"


@pytest.fixture
def reading_lib(lib: Library) -> Library:
    feed = lib.store.add_feed("https://workbench.example/feed.xml", "Workbench Notes")
    lib.store.store_entries(feed.id, parse_feed(FIXTURE.read_bytes(), feed.url).entries)
    lib.store.set_meta("demo_seeded", "reading tests")
    lib.sync_index()
    return lib


async def _settle(app: NewsreaderApp, pilot: Pilot[Any]) -> None:
    await pilot.pause(0.1)
    await app.workers.wait_for_complete()
    await pilot.pause()


def _open(app: NewsreaderApp, title: str) -> list[str]:
    """Keys that move the list to the article called ``title`` (newest first) and open it."""
    rows = [r.title for r in app.library.list_articles()]
    return ["j"] * rows.index(title) + ["enter"]


def _notes(app: NewsreaderApp) -> list[str]:
    seen: list[str] = []
    original = app.notify

    def notify(message: str, **kwargs: Any) -> None:
        seen.append(str(message))
        original(message, **kwargs)

    app.notify = notify  # type: ignore[method-assign]
    return seen


def test_v_reads_full_screen_and_finds_words_with_n_and_N(reading_lib: Library) -> None:
    async def drive() -> None:
        app = NewsreaderApp(reading_lib, restore=False)
        async with app.run_test(size=(80, 24)) as pilot:
            await _settle(app, pilot)
            await pilot.press(*_open(app, "Building the parser with make"))
            await _settle(app, pilot)
            await pilot.press("v")
            await _settle(app, pilot)
            screen = app.screen
            assert isinstance(screen, ReaderScreen)
            pane = screen.query_one(ReadingPane)
            assert pane.size.width >= 76  # the whole terminal, no sidebar or list
            await pilot.press("slash", *"make")
            await _settle(app, pilot)
            assert isinstance(app.screen, ReaderScreen)  # "/" found, not the main search
            text = pane.article_layout.text if pane.article_layout else ""
            starts = [s for s, _ in pane.matches]
            assert len(starts) == text.lower().count("make") >= 4 and pane.match == 0
            await pilot.press("enter", "n", "n")
            assert pane.match == 2
            await pilot.press("N")
            assert pane.match == 1
            assert pane.scroll_y > 0 or pane.max_scroll_y == 0
            await pilot.press("escape")
            await _settle(app, pilot)
            assert not isinstance(app.screen, ReaderScreen)
            await pilot.press("v")
            await _settle(app, pilot)
            await pilot.press("q")  # q goes back too, it does not quit
            await _settle(app, pilot)
            assert not isinstance(app.screen, ReaderScreen) and app.is_running

    run(drive)


def test_l_lists_links_numbered_and_opens_copies_and_plays(
    reading_lib: Library, tmp_path: Path
) -> None:
    out = tmp_path / "launched.txt"
    record = f"{sys.executable} -c \"import sys; open({str(out)!r}, 'a').write(sys.argv[1] + chr(10))\" %u"

    async def drive() -> None:
        app = NewsreaderApp(reading_lib, restore=False)
        app.settings = replace(app.settings, browser=record, player=record)
        notes = _notes(app)
        copied: list[str] = []
        app.copy_to_clipboard = copied.append  # type: ignore[method-assign]
        async with app.run_test(size=(100, 30)) as pilot:
            await _settle(app, pilot)
            await pilot.press(*_open(app, "Building the parser with make"))
            await _settle(app, pilot)
            await pilot.press("l")
            await _settle(app, pilot)
            screen = app.screen
            assert isinstance(screen, LinksScreen)
            assert [(c.label, c.url) for c in screen.choices] == [
                ("article", "https://workbench.example/posts/make-parser"),
                ("[1]", "https://workbench.example/docs/build"),
                ("[2]", "https://workbench.example/contact"),
            ]
            await pilot.press("down", "enter")  # [1] in the browser setting's command
            await _settle(app, pilot)
            await pilot.press("down", "c")
            await _settle(app, pilot)
            assert copied == ["https://workbench.example/contact"]
            assert any("OSC 52" in n for n in notes)
            await pilot.press("escape")
            await _settle(app, pilot)
            assert not isinstance(app.screen, LinksScreen)
            await pilot.press("k", "enter", "P")  # the podcast episode: P plays its audio
            await _settle(app, pilot)
        for _ in range(50):
            if out.exists() and len(out.read_text().splitlines()) >= 2:
                break
            import time

            time.sleep(0.1)
        assert out.read_text().splitlines() == [
            "https://workbench.example/docs/build",
            "https://media.workbench.example/ep12.mp3",
        ]

    run(drive)


def test_no_player_set_says_how_and_the_episode_lists_its_audio(reading_lib: Library) -> None:
    async def drive() -> None:
        app = NewsreaderApp(reading_lib, restore=False)
        app.settings = replace(app.settings, player="")
        notes = _notes(app)
        async with app.run_test(size=(80, 24)) as pilot:
            await _settle(app, pilot)
            await pilot.press(*_open(app, "Episode 12: Terminals all the way down"))
            await _settle(app, pilot)
            media = app.query_one("#reader-media")
            assert "audio/mpeg, 46.0 MB" in str(media.render())
            await pilot.press("P")
            await _settle(app, pilot)
            assert any('player = "mpv %u"' in n for n in notes)

    run(drive)


def test_F_fetches_the_full_text_and_shows_it(lib: Library, httpserver: HTTPServer) -> None:
    pages = FIXTURE.parent / "pages"
    httpserver.expect_request("/news/1").respond_with_data(
        (pages / "news.html").read_bytes(), content_type="text/html"
    )
    feed = lib.store.add_feed(httpserver.url_for("/feed.xml"), "Velden Courier")
    entry = parse_feed(FIXTURE.read_bytes(), "https://workbench.example/feed.xml").entries[2]
    lib.store.store_entries(feed.id, [replace(entry, link=httpserver.url_for("/news/1"))])
    lib.store.set_meta("demo_seeded", "reading tests")
    lib.sync_index()

    async def drive() -> None:
        app = NewsreaderApp(lib, restore=False)
        async with app.run_test(size=(80, 24)) as pilot:
            await _settle(app, pilot)
            await pilot.press("enter")
            await _settle(app, pilot)
            pane = app.query_one("#reader", ReadingPane)
            assert pane.article_layout and "1987" not in pane.article_layout.text
            await pilot.press("F")
            for _ in range(50):
                await _settle(app, pilot)
                if pane.article_layout and "1987" in pane.article_layout.text:
                    break
            assert pane.article_layout and "1987" in pane.article_layout.text
            assert "Sponsored" not in pane.article_layout.text

    run(drive)
