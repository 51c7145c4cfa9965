"""ReadingPane: the open article, with its title, source, link, entity legend and clean text.

Everything shown comes from the feed and is untrusted, so it reaches the screen only as
``Text`` built by ``tui.render`` (never a string Textual would read as markup).
"""

from __future__ import annotations

from collections.abc import Sequence

from newsreader.index.models import Article
from newsreader.index.reading import Layout
from newsreader.index.reading.article import article_layout
from newsreader.tui import render
from newsreader.tui.article_text import ArticleBody, styled_body
from newsreader.tui.keys import bindings
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

EMPTY_MESSAGE = "Choose an article (Enter) to read it here."


class ReadingPane(VerticalScroll):
    """Shows one article; ``j``/``k``, space and ``g``/``G`` scroll it when focused."""

    DEFAULT_CSS = """
    ReadingPane {
        padding: 0 1;
    }
    ReadingPane > Static {
        width: 100%;
    }
    ReadingPane #reader-title {
        text-style: bold;
    }
    ReadingPane #reader-meta, ReadingPane #reader-link {
        color: $text-muted;
    }
    ReadingPane #reader-body {
        margin-top: 1;
        margin-bottom: 1;
    }
    ReadingPane.-empty #reader-title,
    ReadingPane.-empty #reader-meta,
    ReadingPane.-empty #reader-link,
    ReadingPane.-empty #reader-legend {
        display: none;
    }
    ReadingPane.-empty #reader-body {
        color: $text-muted;
    }
    """
    BINDINGS = bindings("reader")

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.article_id: str | None = None
        self.article_layout: Layout | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="reader-title")
        yield Static(id="reader-meta")
        yield Static(id="reader-link")
        yield Static(id="reader-legend")
        yield Static(Text(EMPTY_MESSAGE), id="reader-body")

    def on_mount(self) -> None:
        self.add_class("-empty")

    def show_article(
        self,
        article: Article,
        mentions: Sequence[render.MentionLike] = (),
        terms: Sequence[str] = (),
    ) -> None:
        """Show ``article`` from its top, entities styled by type and ``terms`` marked.

        ``mentions`` may be plain Mentions (of the body) or ``(field, Mention)`` pairs as
        ``Library.article_entities`` gives them, so title mentions are styled too.
        """
        title_mentions, body_mentions = render.split_mentions(mentions)
        self.article_id = article.id
        self.article_layout = None
        self.remove_class("-empty")
        self.query_one("#reader-title", Static).update(
            render.article_title(article.title or "(untitled)", title_mentions, terms)
        )
        self.query_one("#reader-meta", Static).update(render.article_meta(article))
        link = self.query_one("#reader-link", Static)
        link.update(render.link_line(article.link))
        link.display = bool(article.link)
        labels = {m.label for m in (*title_mentions, *body_mentions)}
        legend = self.query_one("#reader-legend", Static)
        legend.update(render.legend(labels))
        legend.display = bool(labels)
        body: ArticleBody | Text
        if article.text.strip():
            lay = article_layout(article)
            self.article_layout = lay
            body = ArticleBody(styled_body(lay, body_mentions, terms), lay.placed)
        else:
            body = Text("(This article has no text; press o to open its link.)", style="dim")
        self.query_one("#reader-body", Static).update(body)
        self.scroll_home(animate=False)

    def clear(self, message: str = "") -> None:
        """Show no article, only ``message`` (or the default hint)."""
        self.article_id = None
        self.article_layout = None
        self.add_class("-empty")
        self.query_one("#reader-body", Static).update(render.plain(message or EMPTY_MESSAGE))
        self.scroll_home(animate=False)
