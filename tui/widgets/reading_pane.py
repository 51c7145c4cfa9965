"""ReadingPane: the open article, with its title, source, link, entity legend and clean text.

Everything shown comes from the feed and is untrusted, so it reaches the screen only as
``Text`` built by ``tui.render`` (never a string Textual would read as markup).
"""

from __future__ import annotations

from collections.abc import Sequence

from newsreader.index.models import Article, Mention
from newsreader.index.reading import Layout
from newsreader.index.reading.article import article_layout
from newsreader.tui import render
from newsreader.tui.article_text import MATCH_STYLE, ArticleBody, styled_body
from newsreader.tui.keys import bindings
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

EMPTY_MESSAGE = "Choose an article (Enter) to read it here."
FOUND_STYLE = "reverse"


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
    ReadingPane #reader-media {
        color: $accent;
    }
    ReadingPane #reader-body {
        margin-top: 1;
        margin-bottom: 1;
    }
    ReadingPane.-empty #reader-title,
    ReadingPane.-empty #reader-meta,
    ReadingPane.-empty #reader-link,
    ReadingPane.-empty #reader-media,
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
        self._mentions: list[Mention] = []
        self._terms: list[str] = []
        self.matches: list[tuple[int, int]] = []  # words found with find(), text offsets
        self.match = -1  # the current one

    def compose(self) -> ComposeResult:
        yield Static(id="reader-title")
        yield Static(id="reader-meta")
        yield Static(id="reader-link")
        yield Static(id="reader-media")
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
        media = self.query_one("#reader-media", Static)
        media.update(render.media_lines(article.enclosures))
        media.display = bool(article.enclosures)
        labels = {m.label for m in (*title_mentions, *body_mentions)}
        legend = self.query_one("#reader-legend", Static)
        legend.update(render.legend(labels))
        legend.display = bool(labels)
        self._mentions, self._terms = body_mentions, list(terms)
        self.matches, self.match = [], -1
        if article.text.strip():
            self.article_layout = article_layout(article)
            self._draw_body()
        else:
            self.query_one("#reader-body", Static).update(
                Text("(This article has no text; press o to open its link.)", style="dim")
            )
        self.scroll_home(animate=False)

    def _draw_body(self) -> None:
        lay = self.article_layout
        if lay is None:
            return
        extra: list[render.StyledSpan] = [(s, e, FOUND_STYLE) for s, e in self.matches]
        if 0 <= self.match < len(self.matches):
            extra.append((*self.matches[self.match], MATCH_STYLE))
        body = ArticleBody(styled_body(lay, self._mentions, self._terms, extra), lay.placed)
        self.query_one("#reader-body", Static).update(body)

    # -- finding words in the article --------------------------------------------------

    def find(self, words: str) -> int:
        """Mark every place ``words`` occur (any case) and go to the first; the count."""
        lay = self.article_layout
        self.matches, self.match = [], -1
        needle = words.strip().casefold()
        if lay is not None and needle:
            hay = lay.text.casefold()
            if len(hay) == len(lay.text):  # (casefold can lengthen text: "ß" -> "ss")
                at = hay.find(needle)
                while at >= 0:
                    self.matches.append((at, at + len(needle)))
                    at = hay.find(needle, at + len(needle))
        if self.matches:
            self.match = 0
        self._draw_body()
        self.call_after_refresh(self._scroll_to_match)
        return len(self.matches)

    def step_match(self, step: int) -> int:
        """Go to the next (1) or previous (-1) match, round the end; its 1-based number."""
        if not self.matches:
            return 0
        self.match = (self.match + step) % len(self.matches)
        self._draw_body()
        self.call_after_refresh(self._scroll_to_match)
        return self.match + 1

    def _scroll_to_match(self) -> None:
        lay = self.article_layout
        if lay is None or not 0 <= self.match < len(self.matches):
            return
        body = self.query_one("#reader-body", Static)
        content = body.content
        if not isinstance(content, ArticleBody):
            return
        start = self.matches[self.match][0]
        lines = content.lines(body.content_region.width or body.size.width, self.app.console)
        row = max((i for i, line in enumerate(lines) if line.offset <= start), default=0)
        top = body.virtual_region.y + row
        self.scroll_to(y=max(top - self.size.height // 3, 0), animate=False)

    def clear(self, message: str = "") -> None:
        """Show no article, only ``message`` (or the default hint)."""
        self.article_id = None
        self.article_layout = None
        self.add_class("-empty")
        self.query_one("#reader-body", Static).update(render.plain(message or EMPTY_MESSAGE))
        self.scroll_home(animate=False)
