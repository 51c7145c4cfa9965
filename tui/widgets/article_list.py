"""ArticleList: the middle column, a Line API list that draws only the rows on screen.

Rows come from a :class:`~newsreader.tui.sources.PagedRows`, which pages them in from the
store or the index as they are first drawn, so 100k articles cost one page at a time.
"""

from __future__ import annotations

from typing import ClassVar

from newsreader.tui.keys import bindings
from newsreader.tui.messages import ArticleOpened, RowHighlighted
from newsreader.tui.sources import ListRow, PagedRows, feed_column_width, fit_feed_names
from rich.segment import Segment
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

DATE_WIDTH = 10
UNREAD_MARK = "●"
BOOKMARK_MARK = "★"


def _empty_rows() -> PagedRows:
    return PagedRows(0, lambda offset, limit: [])


class ArticleList(ScrollView, can_focus=True):
    """Date, feed, title and read/bookmark marks of each article; a cursor row."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *bindings("list"),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "article-list--cursor",
        "article-list--unread",
        "article-list--read",
        "article-list--meta",
        "article-list--mark",
        "article-list--highlight",
        "article-list--empty",
    }

    DEFAULT_CSS = """
    ArticleList {
        background: $surface;
    }
    ArticleList > .article-list--cursor { background: $block-cursor-blurred-background; }
    ArticleList:focus > .article-list--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: $block-cursor-text-style;
    }
    ArticleList > .article-list--unread { text-style: bold; }
    ArticleList > .article-list--read { color: $text-muted; }
    ArticleList > .article-list--meta { color: $text-muted; }
    ArticleList > .article-list--mark { color: $warning; }
    ArticleList > .article-list--highlight { text-style: bold reverse; }
    ArticleList > .article-list--empty { color: $text-muted; text-style: italic; }
    """

    cursor: reactive[int] = reactive(0, always_update=True, init=False)

    class StoryRequested(Message):
        """The "N sources" count of a row was clicked: show that row's story."""

        def __init__(self, row: ListRow) -> None:
            super().__init__()
            self.row = row

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: PagedRows = _empty_rows()
        self.empty_message = "No articles."
        self.row_height = 1
        self.show_feed = True
        self._feed_names: dict[int, str] = {}
        self._fitted: tuple[int, int, dict[int, str]] | None = None  # (list width, column, names)
        self.sources_cells = (0, 0)  # the cells of the last row's "N sources" count

    @property
    def feed_names(self) -> dict[int, str]:
        """Feed id -> the name the feed column shows (``distinct_feed_names``), uncut."""
        return self._feed_names

    @feed_names.setter
    def feed_names(self, names: dict[int, str]) -> None:
        self._feed_names = names
        self._fitted = None

    def feed_column(self, width: int) -> tuple[int, dict[int, str]]:
        """The feed column's width for a list ``width`` cells wide (0: no column) and the
        names cut to it, worked out once per width."""
        if width < 40 or not self.show_feed:
            return 0, {}
        if self._fitted is None or self._fitted[0] != width:
            column = feed_column_width(self._feed_names, width)
            self._fitted = (width, column, fit_feed_names(self._feed_names, column))
        return self._fitted[1], self._fitted[2]

    # -- content ----------------------------------------------------------------------

    def show_rows(
        self,
        rows: PagedRows,
        cursor: int = 0,
        empty_message: str = "",
        *,
        snippets: bool = False,
        show_feed: bool = True,
    ) -> None:
        """Replace what the list shows; the cursor starts on ``cursor``.

        ``snippets``: each row takes two lines, the second the highlighted search snippet.
        """
        self.rows = rows
        self.empty_message = empty_message or "No articles."
        self.row_height = 2 if snippets else 1
        self.show_feed = show_feed
        self.virtual_size = Size(self.size.width, rows.total * self.row_height)
        self.scroll_to(0, 0, animate=False, immediate=True)
        self._clamp_and_set(cursor)
        self.refresh()

    @property
    def row_count(self) -> int:
        return self.rows.total

    @property
    def current(self) -> ListRow | None:
        return self.rows.get(self.cursor)

    def update_row(self, article_id: str, **changes: object) -> None:
        self.rows.update(article_id, **changes)
        self.refresh()

    def go_to(self, index: int) -> None:
        self._clamp_and_set(index)

    def _clamp_and_set(self, index: int) -> None:
        total = self.rows.total
        self.cursor = max(0, min(index, total - 1)) if total else 0

    def watch_cursor(self, old: int, new: int) -> None:
        if self.rows.total:
            height = self.row_height
            self.scroll_to_region(
                Region(0, new * height, max(1, self.size.width), height),
                animate=False,
                immediate=True,
            )
        self.refresh()
        self.post_message(RowHighlighted(self.current))

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(event.size.width, self.rows.total * self.row_height)

    # -- drawing ----------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index, part = divmod(round(self.scroll_offset.y) + y, self.row_height)
        if self.rows.total == 0:
            if y == 0:
                style = self.get_component_rich_style("article-list--empty")
                return Strip([Segment(" " + self.empty_message, style)]).adjust_cell_length(
                    width, self.rich_style
                )
            return Strip.blank(width, self.rich_style)
        row = self.rows.get(index)
        if row is None:
            return Strip.blank(width, self.rich_style)
        line = self.row_text(row, width) if part == 0 else self.snippet_text(row, width)
        if index == self.cursor:
            line.stylize(self.get_component_rich_style("article-list--cursor"))
        segments = list(line.render(self.app.console))
        return Strip(segments).adjust_cell_length(width, self.rich_style).simplify()

    def row_text(self, row: ListRow, width: int) -> Text:
        """One row: marks, date, feed, how many feeds carry the story, and title, cut to
        ``width`` cells."""
        meta = self.get_component_rich_style("article-list--meta")
        mark = self.get_component_rich_style("article-list--mark")
        base = self.get_component_rich_style(
            "article-list--read" if row.read else "article-list--unread"
        )
        line = Text(no_wrap=True, overflow="ellipsis", end="")
        line.append(UNREAD_MARK if not row.read else " ", mark)
        line.append(BOOKMARK_MARK if row.bookmarked else " ", mark)
        line.append(" ")
        if width >= 50:
            day = row.published.strftime("%Y-%m-%d") if row.published else ""
            line.append(f"{day:<{DATE_WIDTH}} ", meta)
        feed_width, names = self.feed_column(width)
        if feed_width:
            feed = names.get(row.feed_id) or row.feed
            feed = feed if len(feed) <= feed_width else feed[: feed_width - 1] + "…"
            line.append(f"{feed:<{feed_width}} ", meta)
        if row.sources > 1:  # one story from several feeds (index/stories)
            start = len(line)
            line.append(f"{row.sources} sources " if width >= 60 else f"×{row.sources} ", meta)
            self.sources_cells = (start, len(line) - 1)  # where a click opens the story view
        title = Text(row.title, style=base, no_wrap=True, end="")
        highlight = self.get_component_rich_style("article-list--highlight")
        for start, end in row.title_highlights:
            title.stylize(highlight, start, end)
        line.append_text(title)
        line.truncate(width, overflow="ellipsis", pad=True)
        return line

    def snippet_text(self, row: ListRow, width: int) -> Text:
        """A search hit's second line: the snippet, matched words highlighted."""
        meta = self.get_component_rich_style("article-list--meta")
        highlight = self.get_component_rich_style("article-list--highlight")
        line = Text("   ", no_wrap=True, overflow="ellipsis", end="")
        snippet = Text(row.snippet, style=meta, no_wrap=True, end="")
        for start, end in row.snippet_highlights:
            snippet.stylize(highlight, start, end)
        first = min((s for s, _ in row.snippet_highlights), default=0)
        room = width - 4
        if first > room // 2:  # keep the first match in view
            cut = first - room // 3
            if not row.snippet[cut - 1].isspace():  # start on a whole word
                space = row.snippet.find(" ", cut, first)
                if space != -1:
                    cut = space + 1
            snippet = Text("…", style=meta, end="") + snippet[cut:]
        line.append_text(snippet)
        line.truncate(width, overflow="ellipsis", pad=True)
        return line

    # -- keys and mouse -------------------------------------------------------------------

    def action_cursor_down(self) -> None:
        self._clamp_and_set(self.cursor + 1)

    def action_cursor_up(self) -> None:
        self._clamp_and_set(self.cursor - 1)

    def action_cursor_top(self) -> None:
        self._clamp_and_set(0)

    def action_cursor_bottom(self) -> None:
        self._clamp_and_set(self.rows.total - 1)

    def action_page_down(self) -> None:
        self._clamp_and_set(self.cursor + self._page_rows())

    def action_page_up(self) -> None:
        self._clamp_and_set(self.cursor - self._page_rows())

    def _page_rows(self) -> int:
        return max(1, self.scrollable_content_region.height // self.row_height - 1)

    def action_open_article(self) -> None:
        row = self.current
        if row is not None:
            self.post_message(ArticleOpened(row))

    def on_click(self, event: events.Click) -> None:
        index = (round(self.scroll_offset.y) + event.y) // self.row_height
        if 0 <= index < self.rows.total:
            self._clamp_and_set(index)
            row = self.current
            start, end = self.sources_cells
            if row is not None and row.sources > 1 and start <= event.x < end:
                self.post_message(self.StoryRequested(row))  # the "N sources" count
                return
            self.action_open_article()
