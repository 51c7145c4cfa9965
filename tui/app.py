"""NewsreaderApp: the Textual front end. Sidebar | article list | reading pane + entities.

The app only calls :class:`~newsreader.index.library.Library`. Anything that can take
longer than a keystroke (searching, refreshing, indexing, enrichment, related articles)
runs in a thread worker and reports back with ``call_from_thread``; the article list pages
rows in from the store or the index as they are drawn.

The feed, file and index jobs (r, R, a and the palette's commands) are in
:mod:`newsreader.tui.jobs` (``LibraryJobs``, this app's base class). ``run_app`` is the
``newsreader`` command: an unexpected error there is one line on stderr, exit status 1,
and its traceback in ``crash.log`` in the data directory.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import tempfile
import threading
import traceback
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from newsreader.index import open_library
from newsreader.index.errors import NewsreaderError
from newsreader.index.library import Library
from newsreader.index.models import Article, EntityGroup, Feed, Mention, SavedSearch
from newsreader.index.text import is_openable_url, one_line
from newsreader.tui.jobs import LibraryJobs
from newsreader.tui.keys import bindings, keymap, unknown_actions
from newsreader.tui.messages import (
    ArticleOpened,
    SearchChanged,
    SearchSubmitted,
    SourceChosen,
)
from newsreader.tui.reading_actions import ReadingActions
from newsreader.tui.sources import (
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
from textual.worker import WorkerFailed, get_current_worker

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
INDEX_DELAY = 0.5  # seconds after start-up before articles left unindexed are indexed
CRASH_LOG = "crash.log"  # in the data directory: tracebacks of unexpected errors


def _newsreader_commands() -> type[Provider]:
    """The palette's provider, imported when the palette first opens (start-up stays lean)."""
    from newsreader.tui.commands import NewsreaderCommands

    return NewsreaderCommands


class NewsreaderApp(ReadingActions, LibraryJobs):
    """Keyboard-driven reading, search as you type, bookmarks and entities."""

    TITLE = "newsreader"
    CSS_PATH = "newsreader.tcss"
    BINDINGS: ClassVar[list[BindingType]] = list(bindings("app"))
    COMMANDS = App.COMMANDS | {_newsreader_commands}

    def __init__(
        self,
        library: Library,
        *,
        restore: bool = True,
        auto_enrich: bool | None = None,
        background_index: bool | None = None,
    ) -> None:
        """``auto_enrich``: find entities in the background after start-up and refreshes;
        ``background_index``: list refreshed articles at once, make them searchable in a
        background job, and search what is indexed meanwhile (saying how many wait), instead
        of indexing before a refresh ends and before a search. Both default to on in a real
        terminal, off in headless test runs (tests that want them say so)."""
        super().__init__()
        self._auto_enrich = auto_enrich
        self._background_index = background_index
        self.background_index = False
        self.auto_enrich = False
        self.enrich_progress: tuple[int, int] | None = None
        self._model_available: bool | None = None
        self._enrich_lock = threading.Lock()
        self._enriching = False
        self._enrich_again = False
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
        self._jobs: set[str] = set()
        self._indexing = False
        self._index_again = False
        self._index_timer: Timer | None = None
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
        self.background_index = (
            not self.is_headless if self._background_index is None else self._background_index
        )
        if self.background_index:
            # articles stored by a refresh that ended early (quit, crash) or by `newsreader
            # refresh --no-index`: searchable soon after the first screen is up
            self.set_timer(INDEX_DELAY, self.start_indexing)
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
            rows = rows_of(self.library, source)
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
            counts = self._view_counts()
            big = counts["all"] > BIG_LIBRARY
            feeds: list[Feed] = []
            if not big:
                feeds = self.library.feeds()
            elif state.get("view") == "feed" and state.get("feed", "").isdigit():
                with contextlib.suppress(NewsreaderError):  # a deleted feed: start on All
                    feeds = [self.library.find_feed(int(state["feed"]))]
            searches = self.library.saved_searches()
        except NewsreaderError as exc:
            self.notify(str(exc), severity="error")
            return False
        self._fill_sidebar(counts, searches, feeds)
        return big

    def reload_sidebar(self) -> None:
        """Counts and feeds from the store, read now (after a change; see first_sidebar)."""
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
        return self._view_counts(), self.library.saved_searches(), self.library.feeds()

    def _view_counts(self) -> dict[str, int]:
        """The article counts of the sidebar's views (All, Unread, Bookmarks)."""
        return {view: self.library.count_articles(view) for view in ("all", "unread", "bookmarks")}

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
            outcome = run_search(self.library, source, sort, catch_up=not self.background_index)
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

    def rerun_search(self) -> None:
        """Run the search on screen again (more articles became searchable)."""
        if self.source.kind == "search":
            self.search_worker(self.source, self.sort, self.open_id)

    def _search_line(self, outcome: SearchOutcome) -> Text:
        res = outcome.results
        noun = "result" if res.total == 1 else "results"
        line = Text(f"{res.total:,} {noun} · by {outcome.sort} (s)")
        if res.pending:
            waiting = "article is" if res.pending == 1 else "articles are"
            line.append(" · ")
            line.append(f"{res.pending:,} recent {waiting} still being indexed", style="italic")
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
            groups = self.library.entity_groups(article.id)
        except NewsreaderError as exc:
            if not quiet:
                self.notify(str(exc), severity="error")
            return
        self.open_id = article.id
        self.open_article_data = article
        self.open_mentions = entities
        self.reading_pane.show_article(article, entities, self.terms)
        self._entity_note = None if entities else self.entity_note(article.id)
        self._show_entities(groups, [])
        if mark and not article.read:
            try:
                self.library.mark_read(article.id)
            except NewsreaderError as exc:
                self.notify(str(exc), severity="error")
            else:
                self.article_list.update_row(article.id, read=True)
                self.schedule_sidebar_counts()
                self.index_soon()
        self.save_state()
        self.related_worker(article.id, groups)

    @work(thread=True, exit_on_error=False, exclusive=True, group="related")
    def related_worker(self, article_id: str, groups: list[EntityGroup]) -> None:
        try:
            related = self.library.related(article_id, limit=8)
        except NewsreaderError:
            return
        if not get_current_worker().is_cancelled:
            self.call_from_thread(self._show_related, article_id, groups, related)

    def _show_related(self, article_id: str, groups: list[EntityGroup], related: list[Any]) -> None:
        if self.open_id == article_id:
            self._show_entities(groups, related)

    def _show_entities(self, groups: list[EntityGroup], related: list[Any]) -> None:
        if self._entity_note:
            self.entity_panel.show(groups, related, note=self._entity_note)
        else:
            self.entity_panel.show(groups, related)

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
        self.index_soon()

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
        self.index_soon()

    def action_show_story(self) -> None:
        """The story view: each feed that carries the article's story (index/stories)."""
        from .screens.story import StoryScreen

        article_id = self.current_id()
        if article_id is None:
            return
        try:
            story = self.library.story(article_id)
        except NewsreaderError as exc:
            self.notify(str(exc), severity="error")
            return
        if story is None:
            self.notify("no other feed carries this story")
            return

        def opened(chosen: str | None) -> None:
            if chosen:
                self.open_article(chosen)

        self.push_screen(StoryScreen(story), opened)

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

    def open_in_browser(self, link: str) -> None:
        """Open ``link`` with the ``browser`` setting (else the system's browser)."""
        self.open_address(link)

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

    def action_toggle_theme(self) -> None:
        self.theme = LIGHT_THEME if self.current_theme.dark else DARK_THEME  # saved (on_mount)

    # -- state --------------------------------------------------------------------------------

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
    library = open_library(data_dir)
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
