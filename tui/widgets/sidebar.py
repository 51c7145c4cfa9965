"""Sidebar: the views, saved searches and feeds, each with its unread count."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from newsreader.index.models import Feed, SavedSearch
from newsreader.index.text import one_line
from newsreader.tui.keys import bindings
from newsreader.tui.messages import SourceChosen
from newsreader.tui.sources import VIEW_LABELS, ListSource, short_feed_names
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import OptionList
from textual.widgets.option_list import Option

ERROR_MARK = "!"


class Sidebar(OptionList):
    """One option per source; option ids are ``ListSource.key`` values."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *bindings("sidebar"),
        Binding("g", "first", "Top", show=False),
        Binding("G", "last", "Bottom", show=False),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.feeds: dict[int, Feed] = {}
        self.searches: dict[str, SavedSearch] = {}
        self._filled: tuple[dict[str, int], Sequence[SavedSearch], Sequence[Feed]] | None = None
        self._filled_width = 0

    def _label_width(self) -> int:
        width = self.scrollable_content_region.width
        if width <= 8:  # not laid out yet: the styled width less a border and a scrollbar
            styled = self.styles.width
            width = int(styled.value) - 3 if styled is not None and styled.is_cells else 25
        return width - 1

    def on_resize(self) -> None:
        if self._filled is not None and self._label_width() != self._filled_width:
            self.fill(*self._filled)

    def fill(
        self,
        counts: dict[str, int],
        searches: Sequence[SavedSearch],
        feeds: Sequence[Feed],
        selected: str = "",
    ) -> None:
        """Rebuild the options, keeping ``selected`` (an option id) highlighted."""
        keep = selected or self._highlighted_id()
        self._filled = (counts, searches, feeds)
        width = self._filled_width = self._label_width()
        self.feeds = {f.id: f for f in feeds}
        self.searches = {s.name: s for s in searches}
        options: list[Option | None] = []
        for view, label in VIEW_LABELS.items():
            options.append(Option(_label(label, counts.get(view), width), id=f"view:{view}"))
        if searches:
            options.append(None)
            options.append(Option(Text("Saved searches", style="bold dim"), disabled=True))
            for s in searches:
                count = s.unread_count if s.unread_count else None
                options.append(Option(_label(s.name, count, width, "⌕ "), id=f"search:{s.name}"))
        options.append(None)
        options.append(Option(Text("Feeds", style="bold dim"), disabled=True))
        names = short_feed_names({f.id: f.title or f.url for f in feeds})
        for f in feeds:
            options.append(
                Option(
                    _label(
                        names[f.id],
                        f.unread_count,
                        width,
                        error=bool(f.last_error or f.gone),
                    ),
                    id=f"feed:{f.id}",
                )
            )
        self.set_options(options)
        self.select_key(keep or "view:all")

    def set_searches(self, searches: Sequence[SavedSearch]) -> None:
        """New saved-search counts, the rest as last filled."""
        if self._filled is not None:
            counts, _, feeds = self._filled
            self.fill(counts, searches, feeds)

    def _highlighted_id(self) -> str:
        option = self.highlighted_option
        return option.id if option is not None and option.id else ""

    def highlighted_feed_id(self) -> int | None:
        """The feed of the highlighted row, None when a view or a search is highlighted."""
        key = self._highlighted_id()
        if key.startswith("feed:") and key[5:].isdigit():
            return int(key[5:])
        return None

    def select_key(self, key: str) -> bool:
        """Highlight the option with this id (no message); False if there is none."""
        try:
            index = self.get_option_index(key)
        except Exception:
            return False
        with self.prevent(OptionList.OptionHighlighted):
            self.highlighted = index
        return True

    def source_for(self, key: str) -> ListSource | None:
        kind, _, value = key.partition(":")
        if kind == "view" and value in VIEW_LABELS:
            return ListSource.of_view(value)
        if kind == "feed" and value.isdigit() and int(value) in self.feeds:
            feed = self.feeds[int(value)]
            return ListSource.of_feed(feed.id, one_line(feed.title) or feed.url)
        if kind == "search" and value in self.searches:
            return ListSource.of_search(self.searches[value].query, saved=value)
        return None

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        source = self.source_for(event.option.id or "")
        if source is not None:
            self.post_message(SourceChosen(source))


def _label(name: str, count: int | None, width: int, prefix: str = "", error: bool = False) -> Text:
    """A sidebar line: the (untrusted) name as plain text, its count flush right."""
    text = Text(no_wrap=True, overflow="ellipsis", end="")
    if error:
        text.append(ERROR_MARK + " ", style="bold red")
    elif prefix:
        text.append(prefix, style="dim")
    number = f" {count:,}" if count else ""
    room = max(4, width - len(number) - text.cell_len)
    title = one_line(name)
    if len(title) > room:
        title = title[: room - 1] + "…"
    text.append(title)
    if number:
        text.append(" " * max(0, width - text.cell_len - len(number)))
        text.append(number, style="bold")
    return text
