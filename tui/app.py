"""NewsreaderApp: the Textual front end. Sidebar | article list | reading pane + entities.

The app only calls :class:`~newsreader.index.library.Library`. Anything that can take
longer than a keystroke (searching, refreshing, indexing, enrichment, related articles)
runs in a thread worker and reports back with ``call_from_thread``; the article list pages
rows in from the store or the index as they are drawn.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import tempfile
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from newsreader.index.errors import NewsreaderError
from newsreader.index.library import Library
from newsreader.index.models import Article, Feed, Mention, SavedSearch
from newsreader.index.text import is_openable_url, one_line
from newsreader.tui.keys import bindings, keymap, unknown_actions
from newsreader.tui.messages import (
    ArticleOpened,
    SearchChanged,
    SearchSubmitted,
    SourceChosen,
)
from newsreader.tui.sources import (
    ListRow,
    ListSource,
    PagedRows,
    SearchOutcome,
    rows_of,
    run_search,
    short_feed_names,
)
from newsreader.tui.widgets.article_list import ArticleList
from newsreader.tui.widgets.entity_panel import EntityPanel
from newsreader.tui.widgets.reading_pane import ReadingPane
from newsreader.tui.widgets.search_bar import SearchBar
from newsreader.tui.widgets.sidebar import Sidebar
from rich.text import Text
from textual import events, work
from textual.app import App, AutopilotCallbackType, ComposeResult
from textual.binding import BindingType
from textual.containers import Container, Horizontal, Vertical
from textual.notifications import SeverityLevel
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Footer, Input, ProgressBar, Static
from textual.worker import Worker, WorkerFailed, WorkerState, get_current_worker

if TYPE_CHECKING:
    from textual.command import Provider

NARROW_WIDTH = 130  # below this the reading pane goes under the list
SHORT_HEIGHT = 32  # below this the entity panel shows only when asked for (e)
DARK_THEME = "textual-dark"
LIGHT_THEME = "textual-light"
SORTS = ("relevance", "date")
RESTORE_SCAN = 300  # rows searched for the restored article's place in the list
UNREAD_SCAN = 5000  # rows searched by n/p
BIG_LIBRARY = 20_000  # articles; above this the feeds' counts are read off the main thread
ENRICH_DELAY = 2.0  # seconds after start-up before background enrichment begins
CRASH_LOG = "crash.log"  # in the data directory: tracebacks of unexpected errors


def _newsreader_commands() -> type[Provider]:
    """The palette's provider, imported when the palette first opens (start-up stays lean)."""
    from newsreader.tui.commands import NewsreaderCommands

    return NewsreaderCommands


class NewsreaderApp(App[None]):
    """Keyboard-driven reading, search as you type, bookmarks and entities."""

    TITLE = "newsreader"
    CSS_PATH = "newsreader.tcss"
    BINDINGS: ClassVar[list[BindingType]] = list(bindings("app"))
    COMMANDS = App.COMMANDS | {_newsreader_commands}

    def __init__(
        self, library: Library, *, restore: bool = True, auto_enrich: bool | None = None
    ) -> None:
        """``auto_enrich``: find entities in the background after start-up and refreshes
        (default: only in a real terminal, not in headless test runs)."""
        super().__init__()
        self._auto_enrich = auto_enrich
        self.auto_enrich = False
        self.enrich_progress: tuple[int, int] | None = None
        self._model_available: bool | None = None
        self.library = library
        self.settings = library.settings
        self.restore = restore
        self.source = ListSource.of_view("all")
        self.before_search = self.source
        self.sort = "relevance"
        self.terms: list[str] = []
        self.open_id: str | None = None
        self.open_article_data: Article | None = None
        self.open_mentions: list[tuple[str, Mention]] = []
        self._counts_timer: Timer | None = None
        self._entity_note: str | None = None
        self._jobs: dict[str, str] = {}
        self.crash: str | None = None  # the traceback of an unexpected error that ended the app
        self.crash_line = ""  # the same error in one line for the user

    def _handle_exception(self, error: Exception) -> None:
        """An unexpected error ends the app without Textual's traceback over the terminal:
        the traceback is kept in ``crash`` (``run_app`` writes it to the crash log and tells
        the user one line). Pilot tests still see the error raised, as with Textual's own."""
        if self.crash is None:
            cause = error.error if isinstance(error, WorkerFailed) else error
            self.crash = "".join(traceback.format_exception(error))
            message = one_line(str(cause))
            if len(message) > 200:
                message = message[:199] + "…"
            self.crash_line = (
                f"{type(cause).__name__}: {message}" if message else type(cause).__name__
            )
            with contextlib.suppress(Exception):  # read/bookmark marks are saved already
                self.save_state()
        self._return_code = 1
        if self._exception is None:
            self._exception = error
            self._exception_event.set()
        self._close_messages_no_wait()

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Notifications carry feed titles, URLs and server errors: never parsed as markup."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    # -- layout -------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="main"):
            yield Sidebar(id="sidebar")
            with Container(id="content"):
                with Vertical(id="list-column"):
                    yield SearchBar(id="search", on_submit=self.submit_search)
                    yield Static(id="list-status", markup=False)
                    yield ArticleList(id="articles")
                with Vertical(id="reader-column"):
                    yield ReadingPane(id="reader")
                    yield EntityPanel(id="entities")
        with Horizontal(id="progress-row"):
            yield Static(id="progress-label", markup=False)
            yield ProgressBar(id="progress", show_eta=False)
        yield Footer()

    @property
    def article_list(self) -> ArticleList:
        return self.query_one("#articles", ArticleList)

    @property
    def sidebar(self) -> Sidebar:
        return self.query_one("#sidebar", Sidebar)

    @property
    def search_bar(self) -> SearchBar:
        return self.query_one("#search", SearchBar)

    @property
    def reading_pane(self) -> ReadingPane:
        return self.query_one("#reader", ReadingPane)

    @property
    def entity_panel(self) -> EntityPanel:
        return self.query_one("#entities", EntityPanel)

    def on_mount(self) -> None:
        if not self.is_headless:
            asyncio.get_running_loop().set_default_executor(
                _WorkerPool(max_workers=8, thread_name_prefix="newsreader-worker")
            )
        state = self.library.ui_state() if self.restore else {}
        theme = state.get("theme") or self.settings.theme
        self.theme = theme if theme in self.available_themes else DARK_THEME
        self.set_keymap(keymap(self.settings.keys))
        unknown = unknown_actions(self.settings.keys)
        if unknown:
            self.notify(
                f"config.toml [keys]: no action named {', '.join(unknown)} (see ? for names)",
                severity="warning",
            )
        if state.get("sort") in SORTS:
            self.sort = state["sort"]
        self._fit_layout(self.size.width, self.size.height)
        counts_later = self.first_sidebar(state)
        source = self._restored_source(state)
        self.entity_panel.clear()
        if source.kind == "search":
            self.search_bar.set_query(source.query)
            self.start_search(source, keep=state.get("article"))
        else:
            self.show_source(source, keep=state.get("article"))
        article = state.get("article")
        if article:
            self.open_article(article, mark=False, quiet=True)
        self.focus_now(self.article_list)
        for notice in self.library.notices:
            self.notify(notice)
        self.library.notices.clear()
        if counts_later:  # after the first page is read: the worker holds the store a while
            self.sidebar_worker()
        if self.sidebar.searches:
            self.count_saved_searches()
        # a theme chosen anywhere (toggle_theme, or the palette's own theme picker) is kept
        self.theme_changed_signal.subscribe(self, lambda _theme: self.save_state())
        self.auto_enrich = not self.is_headless if self._auto_enrich is None else self._auto_enrich
        if self.auto_enrich:
            # after the first screen is up, so start-up never waits for spaCy
            self.set_timer(ENRICH_DELAY, lambda: self.enrich_worker(False))

    def _restored_source(self, state: dict[str, str]) -> ListSource:
        view = state.get("view", "all")
        if view in ("all", "unread", "bookmarks"):
            return ListSource.of_view(view)
        if view == "feed":
            found = self.sidebar.source_for(f"feed:{state.get('feed', '')}")
            return found or ListSource.of_view("all")
        if view == "search":
            saved = state.get("search") or None
            if saved:
                found = self.sidebar.source_for(f"search:{saved}")
                if found is not None:
                    return found
            if state.get("query"):
                return ListSource.of_search(state["query"])
        return ListSource.of_view("all")

    def on_resize(self, event: events.Resize) -> None:
        self._fit_layout(event.size.width, event.size.height)

    def _fit_layout(self, width: int, height: int) -> None:
        self.screen.set_class(width < NARROW_WIDTH, "-narrow")
        self.screen.set_class(height < SHORT_HEIGHT, "-short")
        self.screen.set_class(width < 100, "-tight")

    # -- what the list shows -------------------------------------------------------------

    def show_source(self, source: ListSource, keep: str | None = None) -> None:
        """Show a view or feed from the store (searches go through ``start_search``)."""
        if source.kind == "search":
            self.start_search(source, keep=keep)
            return
        try:
            rows = rows_of(self.library, source, self.sort)
        except NewsreaderError as exc:
            self.notify(str(exc), severity="error")
            return
        self.workers.cancel_group(self, "search")
        self.source = self.before_search = source
        self.terms = []
        if self.search_bar.value:
            self.search_bar.set_query("")
        self._show_rows(rows, keep)
        self.refresh_bindings()  # the footer's Esc (leave_search) comes and goes
        self.sidebar.select_key(source.key)
        self.set_status(self._count_line(rows.total, source.label))
        self.save_state()

    def _show_rows(self, rows: PagedRows, keep: str | None) -> None:
        at = rows.index_of(keep, RESTORE_SCAN) if keep else None
        empty = "No articles here." if self.source.kind != "search" else "No results."
        self.article_list.show_rows(
            rows,
            at or 0,
            empty,
            snippets=self.source.kind == "search",
            show_feed=self.source.kind != "feed",
        )

    def _count_line(self, total: int, label: str) -> Text:
        noun = "article" if total == 1 else "articles"
        return Text(f"{one_line(label)} · {total:,} {noun}")

    def set_status(self, text: Text | str) -> None:
        self.query_one("#list-status", Static).update(
            text if isinstance(text, Text) else Text(text)
        )

    def reload_list(self) -> None:
        """Show the current source again (after a refresh or a change), keeping the cursor."""
        current = self.article_list.current
        keep = current.id if current else self.open_id
        if self.source.kind == "search":
            self.start_search(self.source, keep=keep)
        else:
            self.show_source(self.source, keep=keep)

    def first_sidebar(self, state: dict[str, str]) -> bool:
        """The sidebar at start-up; True when the feeds are still to be read (in a worker).

        Counting every feed's unread articles is a pass over the articles (about 0.2 s at
        100k), so on a big library the views and the restored feed come first and the
        feeds follow.
        """
        try:
            big = self.library.count_articles("all") > BIG_LIBRARY
            if not big:
                self.reload_sidebar()
                return False
            counts = {
                "all": self.library.count_articles("all"),
                "unread": self.library.count_articles("unread"),
                "bookmarks": self.library.count_articles("bookmarks"),
            }
            feeds = []
            if state.get("view") == "feed" and state.get("feed", "").isdigit():
                with contextlib.suppress(NewsreaderError):  # a deleted feed: start on All
                    feeds = [self.library.find_feed(int(state["feed"]))]
            self._fill_sidebar(counts, self.library.saved_searches(), feeds)
        except NewsreaderError as exc:
            self.notify(str(exc), severity="error")
            return False
        return True

    def reload_sidebar(self) -> None:
        """Counts and feeds from the store, read now (start-up and after a change)."""
        try:
            data = self._sidebar_data()
        except NewsreaderError as exc:
            self.notify(str(exc), severity="error")
            return
        self._fill_sidebar(*data)

    @work(thread=True, exit_on_error=False, exclusive=True, group="sidebar")
    def sidebar_worker(self) -> None:
        """The same, off the main thread: per-feed counts cost a pass over the articles."""
        try:
            data = self._sidebar_data()
        except NewsreaderError:
            return
        if not get_current_worker().is_cancelled:
            self.call_from_thread(self._fill_sidebar, *data)

    def _sidebar_data(self) -> tuple[dict[str, int], list[SavedSearch], list[Feed]]:
        counts = {
            "all": self.library.count_articles("all"),
            "unread": self.library.count_articles("unread"),
            "bookmarks": self.library.count_articles("bookmarks"),
        }
        return counts, self.library.saved_searches(), self.library.feeds()

    def _fill_sidebar(
        self, counts: dict[str, int], searches: list[SavedSearch], feeds: list[Feed]
    ) -> None:
        known = self.sidebar.searches
        kept = [
            known[s.name] if s.name in known and known[s.name].query == s.query else s
            for s in searches
        ]
        self.sidebar.fill(counts, kept, feeds, selected=self.source.key)
        self.article_list.feed_names = short_feed_names({f.id: f.title or f.url for f in feeds})
        self.article_list.refresh()

    def schedule_sidebar_counts(self) -> None:
        """Re-read the counts shortly after a burst of read/bookmark changes."""
        if self._counts_timer is not None:
            self._counts_timer.stop()
        self._counts_timer = self.set_timer(0.3, self.sidebar_worker)

    @work(thread=True, exit_on_error=False, exclusive=True, group="saved-counts")
    def count_saved_searches(self) -> None:
        try:
            searches = self.library.saved_searches(with_counts=True)
        except NewsreaderError:
            return
        if not get_current_worker().is_cancelled:
            self.call_from_thread(self._apply_saved_counts, searches)

    def _apply_saved_counts(self, searches: list[SavedSearch]) -> None:
        self.sidebar.set_searches(searches)

    # -- messages from the widgets --------------------------------------------------------

    def on_source_chosen(self, message: SourceChosen) -> None:
        if message.source.kind == "search":
            self.search_bar.set_query(message.source.query)
        self.show_source(message.source)
        self.focus_now(self.article_list)

    def on_article_opened(self, message: ArticleOpened) -> None:
        self.open_article(message.row.id)

    def on_search_changed(self, message: SearchChanged) -> None:
        if not message.query:
            self.end_search()
            return
        self.start_search(ListSource.of_search(message.query))

    def on_search_submitted(self, message: SearchSubmitted) -> None:
        self.submit_search(message.query)

    def submit_search(self, query: str) -> None:
        """Enter (or Esc: the empty query) in the search bar: run ``query`` now (the empty
        query ends the search), focus the list and open the first hit. The search bar calls
        this at once, so keys typed in the same burst go to the list (see SearchBar)."""
        if not query:
            self.end_search()
            self.focus_now(self.article_list)
            return
        if self.source.kind != "search" or self.source.query != query:
            # run it now, so keys pressed after Enter act on these results
            self.workers.cancel_group(self, "search")
            try:
                outcome = run_search(self.library, ListSource.of_search(query), self.sort)
            except NewsreaderError as exc:
                self.set_status(Text(str(exc), style="bold red"))
                return
            self.show_search(outcome)
        self.focus_now(self.article_list)
        row = self.article_list.current
        if row is not None:
            self.open_article(row.id)

    def on_entity_panel_entity_chosen(self, message: EntityPanel.EntityChosen) -> None:
        self.search_bar.set_query(message.query)
        self.start_search(ListSource.of_search(message.query))
        self.focus_now(self.article_list)

    def on_entity_panel_related_chosen(self, message: EntityPanel.RelatedChosen) -> None:
        self.open_article(message.article_id)

    # -- searching ---------------------------------------------------------------------------

    def start_search(self, source: ListSource, keep: str | None = None) -> None:
        if self.source.kind != "search":
            self.before_search = self.source
        self.set_status(Text(f"Searching for {one_line(source.query)} …", style="italic"))
        self.search_worker(source, self.sort, keep)

    @work(thread=True, exit_on_error=False, exclusive=True, group="search")
    def search_worker(self, source: ListSource, sort: str, keep: str | None) -> None:
        try:
            outcome = run_search(self.library, source, sort)
        except NewsreaderError as exc:
            if not get_current_worker().is_cancelled:
                self.call_from_thread(self.set_status, Text(str(exc), style="bold red"))
            return
        if not get_current_worker().is_cancelled:
            self.call_from_thread(self.show_search, outcome, keep)

    def show_search(self, outcome: SearchOutcome, keep: str | None = None) -> None:
        if self.search_bar.value.strip() != outcome.source.query and not outcome.source.saved:
            return  # typing moved on; a newer search is coming
        self.source = outcome.source
        self.sort = outcome.sort
        self.terms = list(outcome.results.terms)
        self._show_rows(outcome.rows, keep)
        self.refresh_bindings()
        self.sidebar.select_key(outcome.source.key)
        self.set_status(self._search_line(outcome))
        self.save_state()

    def _search_line(self, outcome: SearchOutcome) -> Text:
        res = outcome.results
        noun = "result" if res.total == 1 else "results"
        line = Text(f"{res.total:,} {noun} · by {outcome.sort} (s)")
        if res.suggestion:
            line.append(" · did you mean ")
            line.append(one_line(res.suggestion), style="bold")
            line.append("?")
        for warning in res.warnings:
            line.append(" · ")
            line.append(one_line(warning), style="yellow")
        return line

    def end_search(self) -> None:
        self.workers.cancel_group(self, "search")
        if self.source.kind == "search" or self.search_bar.value:
            back = self.before_search if self.before_search.kind != "search" else None
            self.show_source(back or ListSource.of_view("all"))

    # -- opening articles ---------------------------------------------------------------------

    def open_article(self, article_id: str, *, mark: bool = True, quiet: bool = False) -> None:
        """Show an article (and mark it read); ``quiet``: a missing one is no error (restore)."""
        try:
            article = self.library.article(article_id)
            entities = self.library.article_entities(article.id)
        except NewsreaderError as exc:
            if not quiet:
                self.notify(str(exc), severity="error")
            return
        self.open_id = article.id
        self.open_article_data = article
        self.open_mentions = entities
        self.reading_pane.show_article(article, entities, self.terms)
        self._entity_note = None if entities else self.entity_note()
        self._show_entities(entities, [])
        if mark and not article.read:
            try:
                self.library.mark_read(article.id)
            except NewsreaderError as exc:
                self.notify(str(exc), severity="error")
            else:
                self.article_list.update_row(article.id, read=True)
                self.schedule_sidebar_counts()
        self.save_state()
        self.related_worker(article.id, entities)

    @work(thread=True, exit_on_error=False, exclusive=True, group="related")
    def related_worker(self, article_id: str, mentions: list[tuple[str, Mention]]) -> None:
        try:
            related = self.library.related(article_id, limit=8)
        except NewsreaderError:
            return
        if not get_current_worker().is_cancelled:
            self.call_from_thread(self._show_related, article_id, mentions, related)

    def _show_related(
        self, article_id: str, mentions: list[tuple[str, Mention]], related: list[Any]
    ) -> None:
        if self.open_id == article_id:
            self._show_entities(mentions, related)

    def _show_entities(self, mentions: list[tuple[str, Mention]], related: list[Any]) -> None:
        if self._entity_note:
            self.entity_panel.show(mentions, related, note=self._entity_note)
        else:
            self.entity_panel.show(mentions, related)

    def _focus_in_reader(self) -> bool:
        focused = self.focused
        reader_column = self.query_one("#reader-column")
        return focused is not None and (
            focused is reader_column or reader_column in focused.ancestors
        )

    def current_id(self) -> str | None:
        """The article actions apply to: the open one when reading, else the cursor's."""
        if self.open_id and self._focus_in_reader():
            return self.open_id
        row = self.article_list.current
        if row is not None:
            return row.id
        return self.open_id

    def current_row(self) -> ListRow | None:
        article_id = self.current_id()
        row = self.article_list.current
        if row is not None and row.id == article_id:
            return row
        return None

    # -- actions: articles ------------------------------------------------------------------

    def action_toggle_bookmark(self) -> None:
        article_id = self.current_id()
        if article_id is None:
            self.notify("No article selected.", severity="warning")
            return
        try:
            article = self.library.article(article_id)
            if article.bookmarked:
                self.library.unbookmark(article_id)
                self.notify("Bookmark removed.")
            else:
                self.library.bookmark(article_id)
                self.notify("Bookmarked: " + one_line(article.title))
        except NewsreaderError as exc:
            self.notify(str(exc), severity="error")
            return
        self.article_list.update_row(article_id, bookmarked=not article.bookmarked)
        self.schedule_sidebar_counts()

    def action_toggle_read(self) -> None:
        article_id = self.current_id()
        if article_id is None:
            self.notify("No article selected.", severity="warning")
            return
        try:
            article = self.library.article(article_id)
            self.library.mark_read(article_id, not article.read)
        except NewsreaderError as exc:
            self.notify(str(exc), severity="error")
            return
        self.article_list.update_row(article_id, read=not article.read)
        self.schedule_sidebar_counts()

    def action_show_bookmarks(self) -> None:
        self.show_source(ListSource.of_view("bookmarks"))
        self.focus_now(self.article_list)

    def action_next_unread(self) -> None:
        self._jump_unread(+1)

    def action_prev_unread(self) -> None:
        self._jump_unread(-1)

    def _jump_unread(self, step: int) -> None:
        articles = self.article_list
        index = articles.cursor + step
        for _ in range(UNREAD_SCAN):
            row = articles.rows.get(index)
            if row is None:
                break
            if not row.read:
                articles.go_to(index)
                self.open_article(row.id)
                return
            index += step
        self.notify("No more unread articles in this list.")

    def action_open_link(self) -> None:
        article_id = self.current_id()
        if article_id is None:
            self.notify("No article selected.", severity="warning")
            return
        try:
            link = self.library.article(article_id).link
        except NewsreaderError as exc:
            self.notify(str(exc), severity="error")
            return
        if not link:
            self.notify("This article has no link.", severity="warning")
            return
        if not is_openable_url(link):
            self.notify("Not opened: only http and https links are opened.", severity="error")
            return
        self.open_in_browser(link)

    @work(thread=True, exit_on_error=False, group="browser")
    def open_in_browser(self, link: str) -> None:
        import webbrowser

        try:
            opened = webbrowser.open(link)
        except Exception as exc:  # a broken browser setup must not crash the app
            opened = False
            reason = str(exc)
        else:
            reason = "no browser found"
        if not opened:
            self.call_from_thread(
                self.notify, f"Could not open the link: {reason}", severity="error"
            )

    def action_toggle_sort(self) -> None:
        self.sort = "date" if self.sort == "relevance" else "relevance"
        self.save_state()
        if self.source.kind == "search":
            self.start_search(self.source, keep=self.current_id())
        else:
            self.notify(f"Searches sort by {self.sort}; lists are always newest first.")

    # -- actions: focus -------------------------------------------------------------------

    def _panes(self) -> list[Widget]:
        panes: list[Widget] = [self.sidebar, self.article_list, self.reading_pane]
        if self.entity_panel.display:
            panes.append(self.entity_panel)
        return panes

    def _cycle_panes(self, step: int) -> None:
        panes = self._panes()
        focused = self.focused
        at = 1
        for i, pane in enumerate(panes):
            if focused is pane or (focused is not None and pane in focused.ancestors):
                at = i
                break
        else:
            if focused is self.search_bar:
                at = 0 if step > 0 else 2
        self.focus_now(panes[(at + step) % len(panes)])

    def action_focus_next_pane(self) -> None:
        self._cycle_panes(+1)

    def action_focus_previous_pane(self) -> None:
        self._cycle_panes(-1)

    def action_focus_next(self) -> None:
        if self.screen is self.screen_stack[0]:
            self._cycle_panes(+1)
        else:
            super().action_focus_next()

    def action_focus_previous(self) -> None:
        if self.screen is self.screen_stack[0]:
            self._cycle_panes(-1)
        else:
            super().action_focus_previous()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """``/`` is a priority key (so keys typed right after it reach the search box), so
        it is turned off where ``/`` must be typed: in any input, and on modal screens."""
        if action == "focus_search":
            return self.screen is self.screen_stack[0] and not isinstance(self.focused, Input)
        if action == "leave_search":  # (so the footer offers it only on search results)
            return self.source.kind == "search"
        return True

    def focus_now(self, widget: Widget) -> None:
        """Move focus before the next key is handled (``focus()`` waits a turn, so keys
        typed straight after ``/`` would still go to the list)."""
        widget.screen.set_focus(widget)

    def action_leave_search(self) -> None:
        """Esc on the results: back to the view shown before the search."""
        self.end_search()
        self.focus_now(self.article_list)

    def action_focus_search(self) -> None:
        self.focus_now(self.search_bar)

    def action_focus_entities(self) -> None:
        panel = self.entity_panel
        panel.add_class("-shown")
        self.focus_now(panel)

    def action_help(self) -> None:
        from newsreader.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    async def action_quit(self) -> None:
        self.save_state()
        self.exit()

    # -- actions: feeds, refreshing and the palette -------------------------------------------

    def ask(
        self,
        title: str,
        then: Callable[[str | None], None],
        *,
        placeholder: str = "",
        value: str = "",
    ) -> None:
        """One line of text from the user (None when cancelled), handed to ``then``."""
        from newsreader.tui.screens.prompt import PromptScreen

        self.push_screen(PromptScreen(title, placeholder=placeholder, value=value), then)

    def _selected_feed_id(self) -> int | None:
        if self.source.kind == "feed":
            return self.source.feed_id
        row = self.article_list.current
        return row.feed_id if row is not None else None

    def action_refresh_feed(self) -> None:
        feed_id = self._selected_feed_id()
        if feed_id is None:
            self.notify("No feed selected.", severity="warning")
            return
        self.refresh_worker([feed_id])

    def action_refresh_all(self) -> None:
        self.refresh_worker(None)

    @work(thread=True, exit_on_error=False, exclusive=True, group="refresh")
    def refresh_worker(self, feed_ids: list[int] | None) -> None:
        label = "Refreshing all feeds" if feed_ids is None else "Refreshing the feed"
        try:
            report = self.library.refresh(feed_ids, progress=self._progress_callback(label))
        except NewsreaderError as exc:
            self.call_from_thread(self._job_done, label, str(exc), "error")
            return
        failed = report.errors
        summary = f"{report.new} new, {report.updated} updated"
        if failed:
            names = ", ".join(r.url for r in failed[:2])
            summary += f"; {len(failed)} feed(s) failed: {names}"
        self.call_from_thread(
            self._job_done, label, summary, "warning" if failed else "information"
        )
        self.call_from_thread(self._after_change)
        if report.new and self.auto_enrich:
            self.call_from_thread(self.enrich_worker, False)

    def _after_change(self) -> None:
        self.sidebar_worker()
        self.reload_list()
        if self.sidebar.searches:
            self.count_saved_searches()

    def _progress_callback(self, label: str) -> Callable[..., None]:
        self.call_from_thread(self._job_started, label)

        def progress(done: int, total: int, *_: object) -> None:
            self.call_from_thread(self._job_progress, label, done, total)

        return progress

    def _job_started(self, label: str) -> None:
        self._jobs[label] = label
        self.query_one("#progress-label", Static).update(Text(label + " "))
        bar = self.query_one("#progress", ProgressBar)
        bar.update(total=None, progress=0)
        self.query_one("#progress-row").add_class("-busy")

    def _job_progress(self, label: str, done: int, total: int) -> None:
        self.query_one("#progress-label", Static).update(Text(label + " "))
        self.query_one("#progress", ProgressBar).update(total=max(total, 1), progress=done)

    def _job_done(self, label: str, message: str, severity: SeverityLevel = "information") -> None:
        self._jobs.pop(label, None)
        if not self._jobs:
            self.query_one("#progress-row").remove_class("-busy")
        self.notify(message, title=label, severity=severity)

    def action_add_feed(self) -> None:
        self.ask("Add a feed", self._add_feed, placeholder="https://example.org/feed.xml")

    def _add_feed(self, url: str | None) -> None:
        if url:
            self.add_feed_worker(url)

    @work(thread=True, exit_on_error=False, group="add-feed")
    def add_feed_worker(self, url: str) -> None:
        label = "Adding a feed"
        self.call_from_thread(self._job_started, label)
        try:
            feed, result = self.library.add_feed(url)
        except NewsreaderError as exc:
            self.call_from_thread(self._job_done, label, str(exc), "error")
            return
        new = result.new if result else 0
        self.call_from_thread(
            self._job_done, label, f"Added {one_line(feed.title) or feed.url} ({new} articles)"
        )
        self.call_from_thread(self._after_change)

    def action_import_opml(self) -> None:
        self.ask(
            "Import feeds from an OPML file",
            self._import_opml,
            placeholder="path/to/subscriptions.opml",
        )

    def _import_opml(self, path: str | None) -> None:
        if path:
            self.import_worker(path)

    @work(thread=True, exit_on_error=False, group="import")
    def import_worker(self, path: str) -> None:
        label = "Importing feeds"
        self.call_from_thread(self._job_started, label)
        try:
            added, problems = self.library.import_opml(Path(path).expanduser())
        except NewsreaderError as exc:
            self.call_from_thread(self._job_done, label, str(exc), "error")
            return
        message = f"Imported {len(added)} feed(s)"
        if problems:
            message += f"; {len(problems)} skipped: {one_line(problems[0])}"
        self.call_from_thread(
            self._job_done, label, message, "warning" if problems else "information"
        )
        self.call_from_thread(self._after_change)
        if added:
            self.call_from_thread(self.refresh_worker, [f.id for f in added])

    def action_export_opml(self) -> None:
        self.ask(
            "Export feeds to an OPML file",
            self._export_opml,
            value=str(Path.home() / "newsreader.opml"),
        )

    def _export_opml(self, path: str | None) -> None:
        if path:
            self._write_file(path, self.library.export_opml, "Feeds exported")

    def action_export_bookmarks(self) -> None:
        self.ask(
            "Export bookmarks to (.md, .html or .json)",
            self._export_bookmarks,
            value=str(Path.home() / "newsreader-bookmarks.md"),
        )

    def _export_bookmarks(self, path: str | None) -> None:
        if not path:
            return
        suffix = Path(path).suffix.lower()
        fmt = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"}.get(suffix, "json")
        self._write_file(path, lambda: self.library.export_bookmarks(fmt), "Bookmarks exported")

    def _write_file(self, path: str, content: Callable[[], str], done: str) -> None:
        target = Path(path).expanduser()
        try:
            target.write_text(content(), encoding="utf-8")
        except NewsreaderError as exc:
            self.notify(str(exc), severity="error")
        except OSError as exc:
            self.notify(f"Cannot write {target}: {exc.strerror}", severity="error")
        else:
            self.notify(f"{done} to {target}")

    def action_save_search(self) -> None:
        if self.source.kind != "search":
            self.notify("Search first (/), then save the search.", severity="warning")
            return
        self.ask("Save this search as", self._save_search, value=self.source.saved or "")

    def _save_search(self, name: str | None) -> None:
        if not name:
            return
        query = self.source.query
        try:
            self.library.save_search(name, query)
        except NewsreaderError as exc:
            self.notify(str(exc), severity="error")
            return
        self.source = ListSource.of_search(query, saved=name.strip())
        self.reload_sidebar()
        self.sidebar.select_key(self.source.key)
        self.save_state()
        self.notify(f"Saved search {name.strip()!r}.")
        self.count_saved_searches()

    def action_delete_feed(self) -> None:
        feed_id = self._selected_feed_id()
        feed = self.sidebar.feeds.get(feed_id) if feed_id is not None else None
        if feed is None:
            self.notify("No feed selected.", severity="warning")
            return
        question = f"Delete the feed {one_line(feed.title) or feed.url} and its {feed.article_count} articles?"

        def answered(yes: bool | None) -> None:
            if yes:
                self._delete_feed(feed.id)

        from newsreader.tui.screens.prompt import ConfirmScreen

        self.push_screen(ConfirmScreen(question), answered)

    def _delete_feed(self, feed_id: int) -> None:
        try:
            feed, removed = self.library.remove_feed(feed_id)
        except NewsreaderError as exc:
            self.notify(str(exc), severity="error")
            return
        self.notify(f"Deleted {one_line(feed.title) or feed.url} ({removed} articles).")
        if self.source.kind == "feed" and self.source.feed_id == feed_id:
            self.source = ListSource.of_view("all")
        if self.open_article_data is not None and self.open_article_data.feed_id == feed_id:
            self.open_id = None
            self.open_article_data = None
            self.reading_pane.clear()
            self.entity_panel.clear()
        self.reload_sidebar()
        self.reload_list()

    def action_reindex(self) -> None:
        self.reindex_worker()

    @work(thread=True, exit_on_error=False, exclusive=True, group="reindex")
    def reindex_worker(self) -> None:
        label = "Rebuilding the search index"
        try:
            count = self.library.reindex(progress=self._progress_callback(label))
        except NewsreaderError as exc:
            self.call_from_thread(self._job_done, label, str(exc), "error")
            return
        self.call_from_thread(self._job_done, label, f"Indexed {count:,} articles.")

    def action_enrich(self) -> None:
        self.enrich_worker(True)

    @work(thread=True, exit_on_error=False, exclusive=True, group="enrich")
    def enrich_worker(self, asked: bool) -> None:
        """Find named entities of new articles; spaCy is imported here, never at start-up."""
        label = "Finding named entities"
        if not self.model_available():
            if asked:
                from newsreader.index.entities import missing_message

                self.call_from_thread(self.notify, missing_message(), severity="warning")
            return
        try:
            pending = self.library.pending_enrichment()
            if not pending:
                if asked:
                    self.call_from_thread(self.notify, "Every article has its entities already.")
                return
            report = self._progress_callback(label)

            def progress(done: int, total: int) -> None:
                self.enrich_progress = (done, total)
                report(done, total)

            self.enrich_progress = (0, pending)
            count = self.library.enrich(progress=progress)
        except NewsreaderError as exc:
            self.call_from_thread(self._job_done, label, str(exc), "error")
            return
        except Exception as exc:  # the model itself failing must not take the app down
            self.call_from_thread(
                self._job_done, label, f"entity extraction failed: {exc}", "error"
            )
            return
        finally:
            self.enrich_progress = None
        self.call_from_thread(self._job_done, label, f"Entities found in {count:,} articles.")
        if count and self.open_id:
            self.call_from_thread(self.open_article, self.open_id, mark=False)

    def model_available(self) -> bool:
        if self._model_available is None:
            self._model_available = self.library.entities_available()
        return self._model_available

    def entity_note(self) -> str | None:
        """What the entity panel says when the open article has no entities (None: default)."""
        if self.enrich_progress is not None:
            done, total = self.enrich_progress
            return f"Entities not extracted yet: finding them in the background ({done}/{total})."
        if not self.model_available():
            from newsreader.index.entities import missing_message

            return missing_message()
        try:
            pending = self.library.pending_enrichment()
        except NewsreaderError:
            return None
        if pending:
            return f"Entities not extracted yet ({pending:,} articles wait): Ctrl+P, enrich."
        return None

    def action_toggle_theme(self) -> None:
        self.theme = LIGHT_THEME if self.current_theme.dark else DARK_THEME  # saved (on_mount)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A bug in a job is one line for the user, never a traceback over the screen."""
        if event.state is WorkerState.ERROR:
            error = event.worker.error
            if not any(w.is_running for w in self.workers if w is not event.worker):
                self._jobs.clear()  # no job left to show progress for
                self.query_one("#progress-row").remove_class("-busy")
            self.notify(
                f"{event.worker.group or event.worker.name} failed: {type(error).__name__}: {error}",
                severity="error",
            )

    # -- state --------------------------------------------------------------------------------

    def unfinished_jobs(self) -> list[str]:
        """Refreshes, enrichment and other jobs still running (after the app has quit)."""
        return sorted(self._jobs)

    def save_state(self) -> None:
        """Remember what is on screen so the next launch opens where this one left off."""
        source = self.source
        view = source.view if source.kind == "view" else source.kind
        state = {
            "view": view,
            "feed": str(source.feed_id) if source.kind == "feed" else "",
            "search": source.saved or "",
            "query": source.query if source.kind == "search" else "",
            "article": self.open_id or "",
            "sort": self.sort,
            "theme": self.theme,
        }
        try:
            self.library.save_ui_state(state)
        except NewsreaderError as exc:
            self.notify(str(exc), severity="error")


class _WorkerPool(ThreadPoolExecutor):
    """The thread workers' pool. Quitting does not wait for a refresh or an enrichment in
    flight (asyncio would join every thread first, keeping the terminal for seconds)."""

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        super().shutdown(wait=False, cancel_futures=True)


def write_crash_log(data_dir: Path, report: str) -> Path:
    """Append an unexpected error's traceback to the crash log; its path (a temporary
    directory's when the data directory cannot be written)."""
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    entry = f"--- newsreader crashed at {stamp}\n{report}\n"
    for folder in (data_dir, Path(tempfile.gettempdir())):
        path = folder / CRASH_LOG
        try:
            with path.open("a", encoding="utf-8") as log:
                log.write(entry)
        except OSError:
            continue
        return path
    raise OSError("cannot write a crash log")


def run_app(
    data_dir: str | None = None,
    *,
    headless: bool = False,
    auto_pilot: AutopilotCallbackType | None = None,
) -> int:
    """The ``newsreader`` command: the app on the library in ``data_dir``. Its exit status;
    an unexpected error is one line on stderr and its traceback in the crash log.
    ``headless`` and ``auto_pilot`` are Textual's (tests drive the whole command so)."""
    library = Library.open(data_dir)
    try:
        library.seed_demo_feeds()
        app = NewsreaderApp(library)
        app.run(headless=headless, auto_pilot=auto_pilot)
    except BaseException:
        library.close()
        raise
    status = 0
    if app.crash is not None:
        status = 1
        try:
            where = f"the details are in {write_crash_log(library.paths.data_dir, app.crash)}"
        except OSError:
            where = "no crash log could be written"
        print(
            f"newsreader: unexpected error, the app stopped: {app.crash_line} ({where}; "
            "read and bookmark marks were saved)",
            file=sys.stderr,
            flush=True,
        )
    unfinished = app.unfinished_jobs()
    if unfinished:
        # A job thread still holds the store; SQLite (WAL) and the index recover from an
        # interrupted write, so leave now rather than wait for the network.
        print(
            f"newsreader: quit while busy ({', '.join(unfinished).lower()}); "
            "what was not finished is picked up next time",
            file=sys.stderr,
            flush=True,
        )
        sys.stdout.flush()
        os._exit(status)
    library.close()
    return status
