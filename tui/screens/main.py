"""MainScreen: the main layout (sidebar | article list | reading pane + entities, the
job progress row and the footer) and what happens in it: which list is shown, searching,
opening articles, the article and pane keys, and starting library jobs.

The screen only calls :class:`~newsreader.index.library.Library`. Anything that can take
longer than a keystroke runs in a thread worker: searches, counts and related articles
report back with ``call_from_thread``; library jobs (tui/jobs.py) post messages that the
progress row and this screen listen to. The article list pages rows in from the store or
the index as they are drawn.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar, Protocol, cast

from newsreader.index.errors import NewsreaderError
from newsreader.index.library import Library
from newsreader.index.models import Article, EntityGroup, Feed, MarkResult, Mention, SavedSearch
from newsreader.index.text import is_openable_url, one_line
from newsreader.tui.jobs import (
    ENRICH_LABEL,
    REFRESH_ALL_LABEL,
    Job,
    JobRunner,
    add_feed_job,
    enrich_job,
    filter_job,
    import_job,
    index_job,
    refresh_job,
    reindex_job,
    take_notices,
)
from newsreader.tui.keys import ACTIONS, display_keys, keys_in_effect, screen_bindings
from newsreader.tui.messages import (
    ArticleOpened,
    FoldersFolded,
    JobDone,
    JobFailed,
    JobProgress,
    SearchChanged,
    SearchSubmitted,
    SourceChosen,
)
from newsreader.tui.screens.feed_details import feed_summary, folder_summary, when
from newsreader.tui.sources import (
    ListSource,
    PagedRows,
    SearchOutcome,
    distinct_feed_names,
    rows_of,
    run_search,
)
from newsreader.tui.widgets.article_list import ArticleList
from newsreader.tui.widgets.entity_panel import (
    EntityPanel,
    ReadingExtras,
    TrendPanel,
    reading_extras,
)
from newsreader.tui.widgets.job_progress import JobProgressRow
from newsreader.tui.widgets.reading_pane import ReadingPane
from newsreader.tui.widgets.search_bar import SearchBar
from newsreader.tui.widgets.sidebar import Sidebar
from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Container, Horizontal, Vertical
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Footer, Input, OptionList, Static
from textual.worker import WorkerState, get_current_worker


class AppServices(Protocol):
    """What the main screen asks of its app (NewsreaderApp), named here so the screen does
    not import the app module (the app imports the screen)."""

    auto_enrich: bool
    background_index: bool

    def ask(
        self,
        title: str,
        then: Callable[[str | None], None],
        *,
        placeholder: str = "",
        value: str = "",
    ) -> None: ...

    def open_address(self, url: str) -> None: ...

    def first_screen_shown(self) -> None: ...


NARROW_WIDTH = 130  # below this the reading pane goes under the list
# The reading column's height (rows) below which the side panels show only when asked for
# (e): the entity panel takes 12 rows and the sparklines up to 7, and the article's header
# 4-6, so below these the article itself would get a handful of lines or none.
SHORT_READER = 30  # entity panel and sparklines
CRAMPED_READER = 40  # sparklines
READER_SHARE_NARROW = 0.55  # of the rows under the search bar, when the reader is under the list
SORTS = ("relevance", "date")
RESTORE_SCAN = 300  # rows searched for the restored article's place in the list
UNREAD_SCAN = 5000  # rows searched by n/p
BIG_LIBRARY = 20_000  # articles; above this the feeds' counts are read off the main thread
MARKS_INDEX_DELAY = 3.0  # seconds after the last read/bookmark mark before the index catches up
UNDO_SECONDS = 60.0  # how long a mark-all-read can be undone (u)
MINUTE = 60.0  # seconds in settings.refresh_minutes' unit (tests make it shorter)


@dataclass(frozen=True, slots=True)
class LastMark:
    """A mark-all-read that u can undo until ``until`` (time.monotonic)."""

    result: MarkResult
    label: str
    until: float


@dataclass(frozen=True, slots=True)
class LastRefresh:
    """The last refresh of all feeds in this run, for the status line."""

    at: datetime
    new: int
    failed: int = 0


def _key_of(action: str, app: object) -> str:
    """The key the running app binds to ``action``, for people ("u")."""
    found = next(a for a in ACTIONS if a.action == action)
    return display_keys(keys_in_effect(app, found))  # type: ignore[arg-type]


class MainScreen(Screen[None]):
    """The app's one full screen: reading, search as you type, bookmarks and entities."""

    BINDINGS: ClassVar[list[BindingType]] = screen_bindings()

    def __init__(self, library: Library, *, restore: bool = True) -> None:
        super().__init__()
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
        self.enrich_progress: tuple[int, int] | None = None
        self._model_available: bool | None = None
        self._counts_timer: Timer | None = None
        self._entity_note: str | None = None
        self.jobs: JobRunner | None = None  # made on mount, when the progress row exists
        self._enriching = False  # an enrichment job runs
        self._enrich_again = False  # articles arrived while it ran: another pass at its end
        self._indexing = False  # an indexing job runs
        self._index_again = False  # articles were stored while it ran: look again at its end
        self._index_timer: Timer | None = None  # a pending start_indexing after marks
        self.only_unread = False  # U: every list without its read articles
        self.last_mark: LastMark | None = None  # what u undoes
        self.last_refresh: LastRefresh | None = None
        self.refresh_timer: Timer | None = None  # the auto-refresh (settings.refresh_minutes)
        self._remembered = ""  # the last query put in the search history

    @property
    def newsreader(self) -> AppServices:
        """The app, as the services the screen uses (NewsreaderApp provides them)."""
        return cast("AppServices", self.app)

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
        self.app.notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def compose(self) -> ComposeResult:
        with Horizontal(id="main"):
            with Vertical(id="sidebar-column"):
                yield Sidebar(id="sidebar")
                yield Static(id="feed-summary", markup=False)
            with Container(id="content"):
                with Vertical(id="list-column"):
                    yield SearchBar(
                        id="search", on_submit=self.submit_search, history=self._history
                    )
                    yield Static(id="list-status", markup=False)
                    yield ArticleList(id="articles")
                with Vertical(id="reader-column"):
                    yield ReadingPane(id="reader")
                    yield EntityPanel(id="entities")
                    yield TrendPanel(id="entity-trends")  # issue 18 (stories)
        yield JobProgressRow(id="progress-row")
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
        self.jobs = JobRunner(self.library, self, self.query_one(JobProgressRow))
        state = self.library.ui_state() if self.restore else {}
        if state.get("sort") in SORTS:
            self.sort = state["sort"]
        self.only_unread = state.get("only_unread") == "1"
        self.sidebar.folded = {p for p in state.get("folded", "").split("\n") if p}
        self._fit_layout(self.app.size.width, self.app.size.height)
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
        self.tell_notices()
        if counts_later:  # after the first page is read: the worker holds the store a while
            self.sidebar_worker()
        if self.sidebar.searches:
            self.count_saved_searches()
        # a theme chosen anywhere (toggle_theme, or the palette's own theme picker) is kept
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.save_state())
        self.start_auto_refresh()
        self.newsreader.first_screen_shown()

    def tell_notices(self, notices: tuple[str, ...] | None = None) -> None:
        """Show the library's notices (taken from it unless given) as notifications."""
        for notice in take_notices(self.library) if notices is None else notices:
            self.notify(notice)

    def _restored_source(self, state: dict[str, str]) -> ListSource:
        view = state.get("view", "all")
        if view in ("all", "unread", "bookmarks"):
            return ListSource.of_view(view)
        if view == "feed":
            found = self.sidebar.source_for(f"feed:{state.get('feed', '')}")
            return found or ListSource.of_view("all")
        if view == "folder":
            found = self.sidebar.source_for(f"folder:{state.get('folder', '')}")
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
        narrow = width < NARROW_WIDTH
        rows = height - 2  # less the footer and the progress row
        reader = int(rows * READER_SHARE_NARROW) if narrow else rows
        self.set_class(narrow, "-narrow")
        self.set_class(reader < SHORT_READER, "-short")
        self.set_class(reader < CRAMPED_READER, "-cramped")
        self.set_class(width < 100, "-tight")

    # -- what the list shows -------------------------------------------------------------

    def show_source(self, source: ListSource, keep: str | None = None) -> None:
        """Show a view or feed from the store (searches go through ``start_search``)."""
        if source.kind == "search":
            self.start_search(source, keep=keep)
            return
        source = source.with_only_unread(self.only_unread)
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
        self.set_status(self._count_line(rows.total, source))
        self.show_feed_summary()
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

    def _count_line(self, total: int, source: ListSource) -> Text:
        noun = "article" if total == 1 else "articles"
        if source.only_unread:
            noun = "unread"
        line = Text(f"{one_line(source.label)} · {total:,} {noun}")
        if source.only_unread:
            line.append(f" (only unread: {_key_of('toggle_only_unread', self.app)})", style="dim")
        feed = self.sidebar.feeds.get(source.feed_id or -1) if source.kind == "feed" else None
        if feed is not None and feed.status() in ("error", "gone", "waiting") and feed.last_error:
            line.append(" · ")
            line.append("! " + one_line(feed.last_error), style="bold red")
            line.append(f" ({_key_of('feed_details', self.app)}: details)", style="dim")
        return line

    def _refresh_note(self) -> Text:
        """When every feed was last refreshed, and what arrived (the status line's end)."""
        last = self.last_refresh
        if last is None:
            minutes = self.settings.refresh_minutes
            return Text(f" · refreshes every {minutes} min" if minutes else "", style="dim")
        note = Text(f" · refreshed {when(last.at)}: {last.new:,} new", style="dim")
        if last.failed:
            note.append(f", {last.failed} failed", style="yellow")
        return note

    def set_status(self, text: Text | str) -> None:
        line = text.copy() if isinstance(text, Text) else Text(text)
        line.no_wrap = True
        line.overflow = "ellipsis"
        self._status_text = line
        shown = line.copy()
        shown.append_text(self._refresh_note())
        self.query_one("#list-status", Static).update(shown)

    def _redraw_status(self) -> None:
        text = getattr(self, "_status_text", None)
        if text is not None:
            self.set_status(text)

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
        feeds and every count follow (the views' counts alone took 0.7 s at a million).
        """
        try:
            big = self.library.library_size_hint() > BIG_LIBRARY
            counts = {} if big else self._view_counts()
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
            self.app.call_from_thread(self._fill_sidebar, *data)

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
        self.article_list.feed_names = distinct_feed_names(
            {f.id: f.display_name or f.title or f.url for f in feeds}
        )
        self.article_list.refresh()
        self.show_feed_summary()

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
            self.app.call_from_thread(self._apply_saved_counts, searches)

    def _apply_saved_counts(self, searches: list[SavedSearch]) -> None:
        self.sidebar.set_searches(searches)

    # -- the sidebar's folders and the highlighted feed's summary ------------------------------

    def on_folders_folded(self, message: FoldersFolded) -> None:
        self.save_state()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_list is self.sidebar:
            self.show_feed_summary()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        self.show_feed_summary()

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        self.show_feed_summary()

    def show_feed_summary(self) -> None:
        """Under the sidebar, while it has the focus: the highlighted feed's state (its
        error in words, last success, counts) or the highlighted folder's counts."""
        summary = self.query_one("#feed-summary", Static)
        text: Text | None = None
        if self.focused is self.sidebar:
            feed_id = self.sidebar.highlighted_feed_id()
            folder = self.sidebar.highlighted_folder()
            if feed_id is not None and feed_id in self.sidebar.feeds:
                text = feed_summary(self.sidebar.feeds[feed_id])
                text.append(f"\n{_key_of('feed_details', self.app)}: details", style="dim")
            elif folder is not None and folder in self.sidebar.folders:
                text = folder_summary(self.sidebar.folders[folder])
        summary.set_class(text is not None, "-shown")
        summary.update(text or Text())

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
        self.remember_search(query)
        if self.source.kind != "search" or self.source.query != query:
            # run it now, so keys pressed after Enter act on these results
            self.workers.cancel_group(self, "search")
            source = ListSource.of_search(query).with_only_unread(self.only_unread)
            try:
                outcome = run_search(self.library, source, self.sort)
            except NewsreaderError as exc:
                self.set_status(Text(str(exc), style="bold red"))
                return
            self.show_search(outcome)
        self.focus_now(self.article_list)
        row = self.article_list.current
        if row is not None:
            self.open_article(row.id)

    def remember_search(self, query: str) -> None:
        """Put a query in the search history (Up in the search bar), once per query: on
        Enter, and when an article is opened from its results."""
        query = query.strip()
        if not query or query == self._remembered:
            return
        self._remembered = query
        try:
            self.library.remember_search(query)
        except NewsreaderError as exc:
            self.notify(str(exc), severity="error")

    def _history(self) -> list[str]:
        try:
            return self.library.search_history()
        except NewsreaderError:
            return []

    def on_entity_panel_entity_chosen(self, message: EntityPanel.EntityChosen) -> None:
        self.search_bar.set_query(message.query)
        self.start_search(ListSource.of_search(message.query))
        self.focus_now(self.article_list)

    def on_entity_panel_related_chosen(self, message: EntityPanel.RelatedChosen) -> None:
        self.open_article(message.article_id)

    def on_entity_panel_story_chosen(self, message: EntityPanel.StoryChosen) -> None:
        self.action_show_story()

    def on_article_list_story_requested(self, message: ArticleList.StoryRequested) -> None:
        self.focus_now(self.article_list)  # the story of the clicked row, not the open one
        self.action_show_story()

    # -- searching ---------------------------------------------------------------------------

    def start_search(self, source: ListSource, keep: str | None = None) -> None:
        source = source.with_only_unread(self.only_unread)
        if self.source.kind != "search":
            self.before_search = self.source
        self.set_status(Text(f"Searching for {one_line(source.query)} …", style="italic"))
        self.search_worker(source, self.sort, keep)

    @work(thread=True, exit_on_error=False, exclusive=True, group="search")
    def search_worker(self, source: ListSource, sort: str, keep: str | None) -> None:
        try:
            outcome = run_search(
                self.library, source, sort, catch_up=not self.newsreader.background_index
            )
        except NewsreaderError as exc:
            if not get_current_worker().is_cancelled:
                self.app.call_from_thread(self.set_status, Text(str(exc), style="bold red"))
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.show_search, outcome, keep)

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
        about = "" if res.total_exact else "about "
        line = Text(f"{about}{res.total:,} {noun} · by {outcome.sort} (s)")
        if outcome.source.only_unread:
            line.append(" · only unread", style="dim")
        if res.pending:
            waiting = "article is" if res.pending == 1 else "articles are"
            line.append(" · ")
            line.append(f"{res.pending:,} recent {waiting} still being indexed", style="italic")
        if res.correction_notice:  # nothing matched; these are the correction's results
            line.append(" · ")
            line.append(one_line(res.correction_notice), style="bold")
        elif res.suggestion:
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
        if self.source.kind == "search" and not self.source.saved:
            self.remember_search(self.source.query)  # a search that found something to read
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
            extras = reading_extras(self.library, article_id, groups)
        except NewsreaderError:
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_related, article_id, groups, related, extras)

    def _show_related(
        self,
        article_id: str,
        groups: list[EntityGroup],
        related: list[Any],
        extras: ReadingExtras | None = None,
    ) -> None:
        if self.open_id == article_id:
            self._show_entities(groups, related, extras)

    def _show_entities(
        self, groups: list[EntityGroup], related: list[Any], extras: ReadingExtras | None = None
    ) -> None:
        if self._entity_note:
            self.entity_panel.show(groups, related, note=self._entity_note, extras=extras)
        else:
            self.entity_panel.show(groups, related, extras=extras)
        self.query_one(TrendPanel).show(extras)

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
        from newsreader.tui.screens.story import StoryScreen

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

        self.app.push_screen(StoryScreen(story), opened)

    def action_show_bookmarks(self) -> None:
        self.show_source(ListSource.of_view("bookmarks"))
        self.focus_now(self.article_list)

    def action_next_unread(self) -> None:
        self._jump_unread(+1)

    def action_prev_unread(self) -> None:
        self._jump_unread(-1)

    def _jump_unread(self, step: int) -> None:
        """n/p: the next (previous) unread article of the list; at its end, on into the
        next (previous) feed or folder of the sidebar that has unread articles."""
        if self._open_unread_from(self.article_list.cursor + step, step):
            return
        target = self._next_list_with_unread(step)
        if target is None:
            where = "" if self.source.kind in ("feed", "folder") else " in this list"
            self.notify(f"No more unread articles{where}.")
            return
        source, unread = target
        self.show_source(source)
        start = 0 if step > 0 else self.article_list.row_count - 1
        if self._open_unread_from(start, step):
            self.notify(f"{one_line(source.label)}: {unread:,} unread")

    def _open_unread_from(self, index: int, step: int) -> bool:
        articles = self.article_list
        for _ in range(UNREAD_SCAN):
            row = articles.rows.get(index)
            if row is None:
                return False
            if not row.read:
                articles.go_to(index)
                self.open_article(row.id)
                return True
            index += step
        return False

    def _next_list_with_unread(self, step: int) -> tuple[ListSource, int] | None:
        """The feed (in the sidebar's order, going round) after the one shown, or the folder
        after the one shown (not one inside it), with unread articles, and how many."""
        source = self.source
        if source.kind == "feed":
            keys = [f"feed:{fid}" for fid in self.sidebar.feed_order]
        elif source.kind == "folder":
            inside = source.folder + "/"
            keys = [
                f"folder:{path}"
                for path in self.sidebar.folders
                if path == source.folder or not path.startswith(inside)
            ]
        else:
            return None
        if source.key not in keys:
            return None
        at = keys.index(source.key)
        ordered = keys[at + 1 :] + keys[:at] if step > 0 else keys[:at][::-1] + keys[at + 1 :][::-1]
        for key in ordered:
            candidate = self.sidebar.source_for(key)
            if candidate is None:
                continue
            try:
                unread = self.library.count_articles(
                    "unread",
                    candidate.feed_id if candidate.kind == "feed" else None,
                    folder=candidate.folder if candidate.kind == "folder" else None,
                )
            except NewsreaderError:
                continue
            if unread:
                return candidate, unread
        return None

    # -- actions: whole lists ----------------------------------------------------------------

    def action_mark_list_read(self) -> None:
        """A: every article of the list on screen read (a feed, a folder, a view or a
        search's results); u undoes it for a minute."""
        source = self.source
        if source.kind == "view" and source.view == "unread" and not self.article_list.row_count:
            self.notify("Nothing unread here.")
            return
        self.mark_list_worker(source)

    @work(thread=True, exit_on_error=False, group="mark-list")
    def mark_list_worker(self, source: ListSource) -> None:
        try:
            if source.kind == "feed":
                result = self.library.mark_all(True, feed=source.feed_id)
            elif source.kind == "folder":
                result = self.library.mark_all(True, folder=source.folder)
            elif source.kind == "search":
                result = self.library.mark_all(True, query=source.search_query)
            else:
                view = source.view if source.view in ("all", "unread", "bookmarks") else "all"
                result = self.library.mark_all(True, view=view)  # type: ignore[arg-type]
        except NewsreaderError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error")
            return
        self.app.call_from_thread(self._list_marked, source, result)

    def _list_marked(self, source: ListSource, result: MarkResult) -> None:
        label = one_line(source.label)
        if not result.changed:
            self.notify(f"Every article of {label} was read already.")
            return
        self.last_mark = LastMark(result, label, time.monotonic() + UNDO_SECONDS)
        noun = "article" if result.changed == 1 else "articles"
        self.notify(
            f"Marked {result.changed:,} {noun} of {label} read. "
            f"{_key_of('undo_mark', self.app)} undoes it (for a minute).",
            title="Marked read",
            timeout=UNDO_SECONDS,
        )
        self._after_change()
        self.index_soon()

    def action_undo_mark(self) -> None:
        """u: put back the last mark-all-read, within a minute of it."""
        last = self.last_mark
        if last is None or time.monotonic() > last.until:
            self.last_mark = None
            self.notify(
                "Nothing to undo: a mark-all-read can be undone for a minute.",
                severity="warning",
            )
            return
        self.last_mark = None
        try:
            back = self.library.undo_mark(last.result)
        except NewsreaderError as exc:
            self.notify(str(exc), severity="error")
            return
        noun = "article" if back == 1 else "articles"
        self.notify(f"Undone: {back:,} {noun} of {last.label} unread again.")
        self._after_change()
        self.index_soon()

    def action_toggle_only_unread(self) -> None:
        """U: every list (feeds, folders, All, searches) without its read articles, or with
        them again. Kept for the next launch."""
        self.only_unread = not self.only_unread
        if self.only_unread:
            self.notify("Only unread articles in each list (U shows them all again).")
        else:
            self.notify("Read and unread articles in each list.")
        self.reload_list()
        self.save_state()

    def action_feed_details(self) -> None:
        """i: everything known of the highlighted sidebar feed (else the list's feed, else
        the feed of the article under the cursor)."""
        from newsreader.tui.screens.feed_details import FeedDetailsScreen

        feed_id = self.sidebar.highlighted_feed_id()
        if feed_id is None:
            feed_id = self._selected_feed_id()
        if feed_id is None:
            self.notify("Highlight a feed in the sidebar first.", severity="warning")
            return
        try:
            feed = self.library.feed_details(feed_id)
        except NewsreaderError as exc:
            self.notify(str(exc), severity="error")
            return
        self.app.push_screen(FeedDetailsScreen(feed))

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
        self.newsreader.open_address(link)

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

    def cycle_panes(self, step: int) -> None:
        """Tab and Shift+Tab: focus the next or previous pane (the search bar sits before
        the sidebar)."""
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
        self.cycle_panes(+1)

    def action_focus_previous_pane(self) -> None:
        self.cycle_panes(-1)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """``/`` is a priority key (so keys typed right after it reach the search box), so
        it is turned off where ``/`` must be typed: in any input (a modal screen on top
        has its own bindings, so this screen's do not apply there)."""
        if action == "focus_search":
            return self.app.screen is self and not isinstance(self.focused, Input)
        if action == "leave_search":  # (so the footer offers it only on search results)
            return self.source.kind == "search"
        return True

    def focus_now(self, widget: Widget) -> None:
        """Move focus before the next key is handled (``focus()`` waits a turn, so keys
        typed straight after ``/`` would still go to the list)."""
        widget.screen.set_focus(widget)

    def action_leave_search(self) -> None:
        """Esc on the results: back to the view shown before the search. From the reading
        pane (or the entity panel) it first goes back to the results; a second Esc leaves."""
        if self._focus_in_reader():
            self.focus_now(self.article_list)
            return
        self.end_search()
        self.focus_now(self.article_list)

    def action_focus_search(self) -> None:
        self.focus_now(self.search_bar)

    def action_focus_entities(self) -> None:
        panel = self.entity_panel
        panel.add_class("-shown")
        self.query_one("#entity-trends").add_class("-shown")
        self.focus_now(panel)

    # -- state --------------------------------------------------------------------------------

    def save_state(self) -> None:
        """Remember what is on screen so the next launch opens where this one left off."""
        source = self.source
        view = source.view if source.kind == "view" else source.kind
        state = {
            "view": view,
            "feed": str(source.feed_id) if source.kind == "feed" else "",
            "folder": source.folder if source.kind == "folder" else "",
            "folded": "\n".join(sorted(self.sidebar.folded)),
            "only_unread": "1" if self.only_unread else "",
            "search": source.saved or "",
            "query": source.query if source.kind == "search" else "",
            "article": self.open_id or "",
            "sort": self.sort,
            "theme": self.app.theme,
        }
        try:
            self.library.save_ui_state(state)
        except NewsreaderError as exc:
            self.notify(str(exc), severity="error")

    # -- library jobs (tui/jobs.py) and the palette's file commands ---------------------------

    def start_job(self, job: Job) -> None:
        assert self.jobs is not None, "jobs start once the screen is mounted"
        self.jobs.start(job)

    def on_job_progress(self, message: JobProgress) -> None:
        if message.label == ENRICH_LABEL:
            self.enrich_progress = (message.done, message.total)

    def on_job_done(self, message: JobDone) -> None:
        result = message.result
        if message.kind == "enrich":
            self._enrich_ended()
        if message.kind == "refresh" and message.label == REFRESH_ALL_LABEL:
            self.last_refresh = LastRefresh(datetime.now(UTC), result.count, result.failed)
            self._redraw_status()
        if result.message:
            self.notify(result.message, title=message.label, severity=result.severity)
        self.tell_notices(message.notices)
        if result.changed:
            self._after_change()
        if message.kind == "refresh" and self.newsreader.background_index:
            self.start_indexing()
        if message.kind == "index":
            self._indexing_ended(searchable=result.count > 0)
        if message.kind in ("refresh", "add-feed", "import") and self.newsreader.auto_enrich:
            self.start_enrich(asked=False)  # whichever way articles arrived
        if message.kind == "import" and result.feed_ids:
            self.start_job(
                refresh_job(list(result.feed_ids), index=not self.newsreader.background_index)
            )
        elif message.kind == "enrich" and result.count and self.open_id:
            self.open_article(self.open_id, mark=False)

    def on_job_failed(self, message: JobFailed) -> None:
        if message.kind == "enrich":
            self._enrich_ended()
        if message.kind == "index":
            self._indexing_ended(searchable=False)
        self.notify(message.error, title=message.label, severity="error")
        self.tell_notices(message.notices)

    def _after_change(self) -> None:
        self.sidebar_worker()
        self.reload_list()
        if self.sidebar.searches:
            self.count_saved_searches()

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
        self.start_job(refresh_job([feed_id], index=not self.newsreader.background_index))

    def action_refresh_all(self) -> None:
        self.start_job(refresh_job(None, index=not self.newsreader.background_index))

    def start_auto_refresh(self) -> None:
        """Refresh every feed each ``refresh_minutes`` (config.toml; 0: never) while the app
        is open. Feeds backing off or asked to wait are left out by the refresh itself."""
        minutes = self.settings.refresh_minutes
        if minutes > 0:
            self.refresh_timer = self.set_interval(minutes * MINUTE, self.refresh_on_timer)

    def refresh_on_timer(self) -> None:
        """The timer's refresh: in the background, quiet (the status line says when and how
        many arrived), and none while another refresh runs."""
        if any(
            w.group == "refresh" and w.state in (WorkerState.PENDING, WorkerState.RUNNING)
            for w in self.workers
        ):
            return
        self.start_job(refresh_job(None, index=not self.newsreader.background_index, quiet=True))

    def action_add_feed(self) -> None:
        self.newsreader.ask(
            "Add a feed", self._add_feed, placeholder="https://example.org/feed.xml"
        )

    def _add_feed(self, url: str | None) -> None:
        if url:
            self.start_job(add_feed_job(url))

    def action_import_opml(self) -> None:
        self.newsreader.ask(
            "Import feeds from an OPML file",
            self._import_opml,
            placeholder="path/to/subscriptions.opml",
        )

    def _import_opml(self, path: str | None) -> None:
        if path:
            self.start_job(import_job(path))

    def action_export_opml(self) -> None:
        self.newsreader.ask(
            "Export feeds to an OPML file",
            self._export_opml,
            value=str(Path.home() / "newsreader.opml"),
        )

    def _export_opml(self, path: str | None) -> None:
        if path:
            self._write_file(path, self.library.export_opml, "Feeds exported")

    def action_export_bookmarks(self) -> None:
        self.newsreader.ask(
            "Export bookmarks to (.md, .html or .json)",
            self._export_bookmarks,
            value=str(Path.home() / "newsreader-bookmarks.md"),
        )

    def _export_bookmarks(self, path: str | None) -> None:
        if not path:
            return
        from newsreader.index.exports import format_for_path

        try:
            fmt = format_for_path(path)
        except NewsreaderError:  # never a silent JSON file called .txt
            suffix = Path(path).suffix or "no extension"
            self.notify(
                f"Not exported: {suffix} is not a format; name the file .md, .html or .json.",
                severity="error",
            )
            return
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
        self.newsreader.ask("Save this search as", self._save_search, value=self.source.saved or "")

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

    def action_add_filter(self) -> None:
        """Make the search on screen a filter: its articles, those there now and those to
        come, are hidden, marked read, bookmarked or tagged (``newsreader filter`` lists and
        deletes filters; hidden articles are found with is:hidden)."""
        if self.source.kind != "search":
            self.notify("Search first (/), then make the search a filter.", severity="warning")
            return
        query = self.source.query
        self.newsreader.ask(
            "Filter this search's articles: hide, mark-read, bookmark or tag:NAME",
            lambda action: self._add_filter(query, action),
            value="hide",
        )

    def _add_filter(self, query: str, action: str | None) -> None:
        if not action:
            return
        name = one_line(query)[:60]
        try:
            self.library.add_filter(name, query, action.strip())
        except NewsreaderError as exc:
            self.notify(str(exc), severity="error")
            return
        self.start_job(filter_job(name))

    def action_delete_feed(self) -> None:
        """Delete the feed highlighted in the sidebar (never the open article's feed: what
        is deleted is what the sidebar shows)."""
        feed = self._highlighted_feed()
        if feed is None:
            return
        question = f"Delete the feed {one_line(feed.title) or feed.url} and its {feed.article_count} articles?"

        def answered(yes: bool | None) -> None:
            if yes:
                self._delete_feed(feed.id)

        from newsreader.tui.screens.prompt import ConfirmScreen

        self.app.push_screen(ConfirmScreen(question), answered)

    def _highlighted_feed(self) -> Feed | None:
        feed_id = self.sidebar.highlighted_feed_id()
        feed = self.sidebar.feeds.get(feed_id) if feed_id is not None else None
        if feed is None:
            self.notify("Highlight a feed in the sidebar first.", severity="warning")
        return feed

    def action_rename_feed(self) -> None:
        """Give the highlighted sidebar feed a title of our own (empty: its feed's own)."""
        feed = self._highlighted_feed()
        if feed is not None:
            self.newsreader.ask(
                "Rename the feed (empty: the feed's own title)",
                lambda title: self._update_feed(feed.id, title=title),
                value=one_line(feed.title),
            )

    def action_move_feed(self) -> None:
        """Put the highlighted sidebar feed in a folder (News/Deutsch nests; empty: top)."""
        feed = self._highlighted_feed()
        if feed is not None:
            self.newsreader.ask(
                "Move the feed to the folder (News/Deutsch nests; empty: no folder)",
                lambda folder: self._update_feed(feed.id, folder=folder),
                value=one_line(feed.folder or ""),
            )

    def _update_feed(
        self, feed_id: int, *, title: str | None = None, folder: str | None = None
    ) -> None:
        if title is None and folder is None:
            return  # the prompt was cancelled
        try:
            feed = self.library.update_feed(feed_id, title=title, folder=folder)
        except NewsreaderError as exc:
            self.notify(str(exc), severity="error")
            return
        where = f" in {one_line(feed.folder)}" if feed.folder else ""
        self.notify(f"{one_line(feed.display_name or feed.title)}{where}.")
        self.reload_sidebar()
        self.sidebar.select_key(f"feed:{feed_id}")
        self.reload_list()

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
            self.query_one(TrendPanel).show(None)
        self.reload_sidebar()
        self.reload_list()

    def start_indexing(self) -> None:
        """Make stored articles searchable in the background; the lists show them already.

        One indexing job at a time: a call while one runs only asks it to look again when it
        ends (articles stored meanwhile)."""
        if self._indexing:
            self._index_again = True
            return
        self._indexing = True
        self._index_again = False
        self.start_job(index_job())

    def index_soon(self) -> None:
        """Read or bookmark marks changed: catch the index up after a pause in the reading
        (one small write for a run of marks, not one per key press)."""
        if not self.newsreader.background_index:
            return
        if self._index_timer is not None:
            self._index_timer.stop()
        self._index_timer = self.set_timer(MARKS_INDEX_DELAY, self.start_indexing)

    def _indexing_ended(self, *, searchable: bool) -> None:
        self._indexing = False
        if searchable:  # a search on screen runs again, now that more articles are found
            if self.source.kind == "search":
                self.rerun_search()
            if self.sidebar.searches:
                self.count_saved_searches()
        if self._index_again:
            self.start_indexing()

    def action_reindex(self) -> None:
        self.start_job(reindex_job())

    def action_enrich(self) -> None:
        self.start_enrich(asked=True)

    def start_enrich(self, *, asked: bool) -> None:
        """Find named entities of new articles (``asked``: say so when there is nothing to do).

        One enrichment at a time: asked again while one runs (new articles stored), it goes
        round once more when it ends, so every new article is reached."""
        if self._enriching:
            self._enrich_again = True
            return
        self._enriching = True
        self._enrich_again = False
        self.start_job(enrich_job(asked, self.model_available))

    def _enrich_ended(self) -> None:
        self.enrich_progress = None
        self._enriching = False
        if self._enrich_again:
            self.start_enrich(asked=False)

    def model_available(self) -> bool:
        if self._model_available is None:
            self._model_available = self.library.entities_available()
        return self._model_available

    def entity_note(self, article_id: str) -> str | None:
        """What the entity panel says when this article has no entities (None: the default,
        "no named entities"): not extracted yet (and whether that is under way), or no
        entity model for its language."""
        if not self.model_available():
            from newsreader.index.entities.extract import missing_message

            return missing_message()
        try:
            status = self.library.entity_status(article_id)
        except NewsreaderError:
            return None
        if status.state == "extracted":
            return None
        if status.state != "pending":
            return status.message
        if self.enrich_progress is not None or self.newsreader.auto_enrich:
            return f"{status.message[:-1]}: finding them in the background."
        return f"{status.message[:-1]}: Ctrl+P, enrich."
