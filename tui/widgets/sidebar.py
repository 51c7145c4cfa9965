"""Sidebar: the views, saved searches, folders and feeds, each with its unread count.

Feeds are grouped by folder (``News/Deutsch`` nests Deutsch in News); a folder is a list
of its own (every feed in it and below it) and folds away with Space or Left."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from newsreader.index.folders import folder_tree
from newsreader.index.models import Feed, Folder, SavedSearch
from newsreader.index.text import one_line
from newsreader.tui.keys import bindings
from newsreader.tui.messages import FoldersFolded, SourceChosen
from newsreader.tui.sources import VIEW_LABELS, ListSource, short_feed_names
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import OptionList
from textual.widgets.option_list import Option

ERROR_MARK = "!"
OPEN_MARK = "▾ "
FOLDED_MARK = "▸ "
INDENT = 2  # cells per folder level
MAX_INDENT = 6


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
        self.folders: dict[str, Folder] = {}
        self.searches: dict[str, SavedSearch] = {}
        self.folded: set[str] = set()  # folder paths shown folded
        self.feed_order: list[int] = []  # feed ids in the order the tree lists them
        self._filled: tuple[dict[str, int], Sequence[SavedSearch], Sequence[Feed]] | None = None
        self._filled_width = 0

    def _label_width(self) -> int:
        width = self.scrollable_content_region.width
        if width <= 8:  # not laid out yet: the styled width less a border and a scrollbar
            styled = self.styles.width
            if (styled is None or not styled.is_cells) and self.parent is not None:
                styled = self.parent.styles.width  # the sidebar column's
            width = int(styled.value) - 3 if styled is not None and styled.is_cells else 25
        return width - 1

    def on_resize(self) -> None:
        self._fit_labels()

    def watch_show_vertical_scrollbar(self) -> None:
        # the scrollbar comes when the feeds outgrow the height and takes its cells from
        # the labels without a resize: without a refit their counts were cut off
        self.call_after_refresh(self._fit_labels)

    def _fit_labels(self) -> None:
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
        options.extend(self._tree_options(feeds, width))
        self.set_options(options)
        self.select_key(keep or "view:all")

    def _tree_options(self, feeds: Sequence[Feed], width: int) -> list[Option | None]:
        """Folders (each followed by its subfolders, then its own feeds), then the feeds in
        no folder. A folded folder hides everything below it; its count still sums it."""
        tree = folder_tree(feeds)
        self.folders = {f.path: f for f in tree}
        names = short_feed_names({f.id: f.display_name or f.title or f.url for f in feeds})
        children: dict[str | None, list[Folder]] = {}
        for folder in tree:
            children.setdefault(folder.parent, []).append(folder)
        options: list[Option | None] = []

        def feed_option(feed: Feed, depth: int) -> Option:
            label = _label(
                names[feed.id],
                feed.unread_count,
                width,
                prefix=" " * min(MAX_INDENT, depth * INDENT),
                error=bool(feed.last_error or feed.gone),
            )
            return Option(label, id=f"feed:{feed.id}")

        def add(folder: Folder) -> None:
            folded = folder.path in self.folded
            indent = " " * min(MAX_INDENT, folder.depth * INDENT)
            mark = FOLDED_MARK if folded else OPEN_MARK
            label = _label(folder.name, folder.unread_count, width, prefix=indent + mark)
            options.append(Option(label, id=f"folder:{folder.path}"))
            if folded:
                return
            for sub in children.get(folder.path, []):
                add(sub)
            for fid in folder.feed_ids:
                if fid in self.feeds:
                    options.append(feed_option(self.feeds[fid], folder.depth + 1))

        for top in children.get(None, []):
            add(top)
        for feed in feeds:
            if not feed.folder:
                options.append(feed_option(feed, 0))
        # n/p go on through the feeds in the order the tree lists them, folded ones too
        self.feed_order = []

        def walk(folder: Folder) -> None:
            for sub in children.get(folder.path, []):
                walk(sub)
            self.feed_order.extend(fid for fid in folder.feed_ids if fid in self.feeds)

        for top in children.get(None, []):
            walk(top)
        self.feed_order.extend(f.id for f in feeds if not f.folder)
        return options

    def set_searches(self, searches: Sequence[SavedSearch]) -> None:
        """New saved-search counts, the rest as last filled."""
        if self._filled is not None:
            counts, _, feeds = self._filled
            self.fill(counts, searches, feeds)

    def _highlighted_id(self) -> str:
        option = self.highlighted_option
        return option.id if option is not None and option.id else ""

    def highlighted_folder(self) -> str | None:
        """The path of the highlighted folder row, None when it is not a folder."""
        key = self._highlighted_id()
        return key[7:] if key.startswith("folder:") else None

    def _refill(self) -> None:
        if self._filled is not None:
            self.fill(*self._filled)

    def fold(self, path: str, folded: bool) -> None:
        """Fold (or unfold) a folder, keeping the highlight on its row."""
        if (path in self.folded) == folded:
            return
        if folded:
            self.folded.add(path)
        else:
            self.folded.discard(path)
        self._refill()
        self.select_key(f"folder:{path}")
        self.post_message(FoldersFolded(frozenset(self.folded)))

    def action_toggle_folder(self) -> None:
        path = self.highlighted_folder()
        if path is not None:
            self.fold(path, path not in self.folded)

    def action_collapse_folder(self) -> None:
        """Left: fold the highlighted folder; on a folded one or a feed, go to the folder
        it is in."""
        path = self.highlighted_folder()
        if path is not None and path not in self.folded:
            self.fold(path, True)
            return
        if path is not None:
            parent = self.folders[path].parent if path in self.folders else None
        else:
            feed_id = self.highlighted_feed_id()
            feed = self.feeds.get(feed_id) if feed_id is not None else None
            parent = feed.folder if feed is not None else None
        if parent:
            self.select_key(f"folder:{parent}")

    def action_expand_folder(self) -> None:
        path = self.highlighted_folder()
        if path is not None:
            self.fold(path, False)

    def highlighted_feed_id(self) -> int | None:
        """The feed of the highlighted row, None when a view or a search is highlighted."""
        key = self._highlighted_id()
        if key.startswith("feed:") and key[5:].isdigit():
            return int(key[5:])
        return None

    def select_key(self, key: str) -> bool:
        """Highlight the option with this id (no message); False if there is none. A feed
        in a folded folder highlights the (visible) folder it is in."""
        try:
            index = self.get_option_index(key)
        except Exception:
            folder = self._visible_folder_of(key)
            if folder is None:
                return False
            index = self.get_option_index(folder)
        with self.prevent(OptionList.OptionHighlighted):
            self.highlighted = index
        return True

    def _visible_folder_of(self, key: str) -> str | None:
        """The option id of the outermost folded folder hiding a feed or folder row."""
        kind, _, value = key.partition(":")
        if kind == "feed" and value.isdigit() and int(value) in self.feeds:
            path = self.feeds[int(value)].folder or ""
        elif kind == "folder":
            path = value
        else:
            return None
        parts = path.split("/") if path else []
        for n in range(1, len(parts) + 1):
            prefix = "/".join(parts[:n])
            if prefix in self.folded:
                return f"folder:{prefix}"
        return None

    def source_for(self, key: str) -> ListSource | None:
        kind, _, value = key.partition(":")
        if kind == "view" and value in VIEW_LABELS:
            return ListSource.of_view(value)
        if kind == "feed" and value.isdigit() and int(value) in self.feeds:
            feed = self.feeds[int(value)]
            return ListSource.of_feed(
                feed.id, one_line(feed.display_name or feed.title) or feed.url
            )
        if kind == "folder" and value in self.folders:
            return ListSource.of_folder(value)
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
