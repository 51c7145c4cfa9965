"""ReadingPane and EntityPanel mounted in a small host app, driven with Pilot."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from functools import partial
from typing import Any

from mentions import mention
from newsreader.index.entities.groups import group_mentions
from newsreader.index.models import Article, Mention, SearchHit
from newsreader.tui import render
from newsreader.tui.article_text import ArticleBody
from newsreader.tui.widgets.entity_panel import EntityPanel
from newsreader.tui.widgets.reading_pane import ReadingPane
from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import Static

TEXT = (
    "Bashar al-Assad spoke in Damascus on Monday.\n\n"
    "Assad said the [b]Kurds[/b] and Reuters were wrong.\n\n" + "Filler paragraph.\n\n" * 40
)


_m = partial(mention, TEXT)


MENTIONS = [
    _m("Bashar al-Assad", "Person"),
    _m("Assad", "Person", "Bashar al-Assad", nth=1),
    _m("Damascus", "Place"),
    _m("Monday", "Date"),
    _m("Kurds", "Group"),
    _m("Reuters", "Organization"),
]
ARTICLE = Article(
    id="abc123def456",
    feed_id=1,
    feed_title="World",
    guid=None,
    link="https://example.org/assad",
    title="Assad [red]speaks[/red] in Damascus",
    author="A. Writer",
    published=datetime(2026, 11, 2, 9, 30, tzinfo=UTC),
    updated=None,
    summary_html="",
    content_html="",
    text=TEXT,
)
_AT = ARTICLE.title.index("Damascus")
TITLE_MENTION = Mention("Damascus", "Place", _AT, _AT + len("Damascus"), "Damascus")


def _hit(aid: str, title: str) -> SearchHit:
    return SearchHit(aid, title, "World", 1, None, None, 1.0, "")


class _Host(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.got: list[Any] = []

    def compose(self) -> ComposeResult:
        yield ReadingPane(id="reader")
        yield EntityPanel(id="entities")

    def on_entity_panel_entity_chosen(self, event: EntityPanel.EntityChosen) -> None:
        self.got.append(("entity", event.query))

    def on_entity_panel_related_chosen(self, event: EntityPanel.RelatedChosen) -> None:
        self.got.append(("related", event.article_id))


def _static_text(app: App[Any], selector: str) -> Text:
    content = app.query_one(selector, Static).content
    if isinstance(content, ArticleBody):  # the body: a styled Text wrapped to the pane
        content = content.body
    assert isinstance(content, Text)  # never a str that Textual would read as markup
    return content


def test_reading_pane_shows_header_legend_and_highlighted_body() -> None:
    async def drive() -> None:
        app = _Host()
        async with app.run_test(size=(100, 30)) as pilot:
            pane = app.query_one(ReadingPane)
            assert "Choose an article" in str(_static_text(app, "#reader-body"))
            pairs = [("title", TITLE_MENTION)]
            pairs += [("text", m) for m in MENTIONS]
            pane.show_article(ARTICLE, pairs, ["damascus"])
            await pilot.pause()
            assert pane.article_id == ARTICLE.id
            assert str(_static_text(app, "#reader-title")) == ARTICLE.title
            assert str(_static_text(app, "#reader-meta")) == "World · A. Writer · 2026-11-02 09:30"
            assert str(_static_text(app, "#reader-link")) == ARTICLE.link
            assert str(_static_text(app, "#reader-legend")).split() == [
                "Person",
                "Organization",
                "Place",
                "Group",
                "Date",
            ]
            screen = app.export_screenshot()
            assert "[red]speaks[/red]" in screen.replace("&#160;", " ")
            assert "the [b]Kurds[/b] and" in _static_text(app, "#reader-body").plain
            # j scrolls the long article, G goes to its end, g back to its top
            pane.focus()
            await pilot.press("j")
            await pilot.pause()
            assert pane.scroll_y > 0
            await pilot.press("G")
            await pilot.pause()
            assert pane.scroll_y == pane.max_scroll_y > 10
            await pilot.press("g")
            await pilot.pause()
            assert pane.scroll_y == 0
            pane.clear("Nothing here [b]now[/b]")
            await pilot.pause()
            assert pane.article_id is None
            assert str(_static_text(app, "#reader-body")) == "Nothing here [b]now[/b]"
            assert not app.query_one("#reader-title").display or "-empty" in pane.classes

    asyncio.run(drive())


def test_reading_pane_title_and_body_spans() -> None:
    async def drive() -> tuple[Text, Text]:
        app = _Host()
        async with app.run_test(size=(100, 30)) as pilot:
            app.query_one(ReadingPane).show_article(
                ARTICLE, [("title", TITLE_MENTION), *MENTIONS], ["damascus"]
            )
            await pilot.pause()
            return _static_text(app, "#reader-title"), _static_text(app, "#reader-body")

    title, body = asyncio.run(drive())
    styles = {(s.start, str(s.style)) for s in title.spans}
    at = TITLE_MENTION.start
    assert styles == {(at, render.ENTITY_STYLES["Place"]), (at, render.TERM_STYLE)}
    person = {str(s.style) for s in body.spans if s.start == 0}
    assert person == {render.ENTITY_STYLES["Person"]}


def test_choosing_an_entity_or_a_related_article_posts_a_message() -> None:
    async def drive() -> tuple[list[Any], str]:
        app = _Host()
        async with app.run_test(size=(100, 40)) as pilot:
            panel = app.query_one(EntityPanel)
            panel.show(group_mentions(MENTIONS), related=[_hit("rel1", "Other [i]story[/i]")])
            panel.focus()
            await pilot.pause()
            await pilot.press("enter")  # first entity: the person
            await pilot.press("j", "enter")  # next: the organization
            await pilot.press("end", "enter")  # last: the related article
            await pilot.pause()
            return app.got, app.export_screenshot().replace("&#160;", " ")

    got, screen = asyncio.run(drive())
    assert got == [
        ("entity", 'person:"Bashar al-Assad"'),
        ("entity", 'org:"Reuters"'),
        ("related", "rel1"),
    ]
    assert "Other [i]story[/i]" in screen
    assert "People" in screen and "×2" in screen and "2 mentions" in screen
    assert "1 mention<" in screen  # one group mention: no plural


def test_entity_panel_note_when_empty() -> None:
    async def drive() -> list[Any]:
        app = _Host()
        async with app.run_test() as pilot:
            panel = app.query_one(EntityPanel)
            panel.show([], note="Entities not extracted yet.")
            panel.focus()
            await pilot.press("enter")
            await pilot.pause()
            assert panel.option_count == 1
            assert "Entities not extracted yet." in str(panel.get_option_at_index(0).prompt)
            return app.got

    assert asyncio.run(drive()) == []
