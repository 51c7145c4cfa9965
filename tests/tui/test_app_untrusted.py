"""Feed text is shown as it is: markup-like titles stay literal, escapes are stripped, and
nothing a feed says can break a notification; mouse clicks open rows; NO_COLOR is honoured."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from app_store import build, run
from newsreader.index.library import Library
from newsreader.index.models import ParsedEntry
from newsreader.tui.app import NewsreaderApp
from newsreader.tui.widgets.article_list import ArticleList

HOSTILE_TITLE = "[bold red]Pwned[/] \x1b[31mred\x1b[0m [link=javascript:x]y"
HOSTILE_FEED = "[b]Feed[/b] \x1b]0;title\x07"


def add_hostile(lib: Library) -> str:
    feed = lib.store.add_feed("http://127.0.0.1:9/hostile.xml", HOSTILE_FEED)
    lib.store.store_entries(
        feed.id,
        [
            ParsedEntry(
                key="h1",
                guid="h1",
                link="https://example.org/h1",
                title=HOSTILE_TITLE,
                author="[i]me[/i]",
                published=datetime(2027, 1, 1, tzinfo=UTC),
                updated=None,
                summary_html="",
                content_html="",
                text="Body with [red]markup[/red] and \x1b[2Jescapes.",
            )
        ],
    )
    return lib.list_articles(limit=1)[0].id


def test_markup_in_feed_text_is_shown_literally_and_escapes_are_stripped(lib: Library) -> None:
    build(lib)
    article_id = add_hostile(lib)

    async def drive() -> None:
        app = NewsreaderApp(lib)
        messages: list[str] = []
        original = app.notify

        def notify(message: str, **kwargs: object) -> None:
            messages.append(message)
            original(message, **kwargs)  # type: ignore[arg-type]

        app.notify = notify  # type: ignore[method-assign]
        async with app.run_test(size=(160, 48)) as pilot:
            await pilot.pause()
            articles = app.query_one(ArticleList)
            row = articles.current
            assert row is not None and row.id == article_id
            line = articles.row_text(row, 150).plain
            assert "[bold red]Pwned[/]" in line and "[link=javascript:x]y" in line
            assert "\x1b" not in line
            option = app.main.sidebar.get_option(f"feed:{row.feed_id}")
            assert "[b]Feed[/b]" in str(option.prompt) and "\x1b" not in str(option.prompt)
            await pilot.press("enter", "b")
            await pilot.pause()
            assert app.is_running
            assert any("[bold red]Pwned[/]" in m for m in messages)
            screen_text = app.export_screenshot()
            assert "Pwned" in screen_text

    run(drive)


def test_clicking_a_row_opens_it(lib: Library) -> None:
    build(lib)
    third = lib.list_articles(limit=3)[2]

    async def drive() -> None:
        app = NewsreaderApp(lib)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await pilot.click(ArticleList, offset=(10, 2))
            await pilot.pause()
            assert app.query_one(ArticleList).cursor == 2
            assert app.main.open_id == third.id

    run(drive)


def test_no_color_is_honoured(lib: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    build(lib)
    monkeypatch.setenv("NO_COLOR", "1")

    async def drive() -> None:
        app = NewsreaderApp(lib)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert app.no_color
            # Textual turns colour off with a line filter on everything it draws
            assert any(type(f).__name__ in ("Monochrome", "NoColor") for f in app._filters)
            await pilot.press("q")

    run(drive)
