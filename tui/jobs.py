"""The app's library jobs and palette commands: refreshing feeds, adding, importing and
exporting, saving searches, deleting feeds, rebuilding the index, finding entities.

:class:`LibraryJobs` is a part of :class:`~newsreader.tui.app.NewsreaderApp` (its base
class), kept apart from the screen's layout, list and reading logic. Long jobs run in
thread workers, show the progress row while they run and end in a notification; an
unexpected error in one is a notification too (``on_worker_state_changed``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from newsreader.index.errors import NewsreaderError
from newsreader.index.library import Library
from newsreader.index.models import Article
from newsreader.index.text import one_line
from newsreader.tui.sources import ListSource
from rich.text import Text
from textual import work
from textual.app import App
from textual.notifications import SeverityLevel
from textual.timer import Timer
from textual.widgets import ProgressBar, Static
from textual.worker import Worker, WorkerState

MARKS_INDEX_DELAY = 3.0  # seconds after the last read/bookmark mark before the index catches up

if TYPE_CHECKING:
    from newsreader.tui.widgets.article_list import ArticleList
    from newsreader.tui.widgets.entity_panel import EntityPanel
    from newsreader.tui.widgets.reading_pane import ReadingPane
    from newsreader.tui.widgets.sidebar import Sidebar


class LibraryJobs(App[None]):
    """Feed, file and index actions of the app (the palette's commands and r R a)."""

    # set up by NewsreaderApp
    library: Library
    source: ListSource
    open_id: str | None
    open_article_data: Article | None
    auto_enrich: bool
    enrich_progress: tuple[int, int] | None
    _model_available: bool | None
    _enrich_lock: threading.Lock  # guards the two flags below
    _enriching: bool  # an enrichment worker is running
    _enrich_again: bool  # articles arrived meanwhile: the running worker goes round again
    _jobs: set[str]  # labels of the jobs running now
    background_index: bool  # refreshes and searches leave indexing to start_indexing
    _indexing: bool  # an indexing job runs
    _index_again: bool  # articles were stored while it ran: look again when it ends
    _index_timer: Timer | None  # a pending start_indexing after marks

    if TYPE_CHECKING:

        @property
        def article_list(self) -> ArticleList: ...
        @property
        def sidebar(self) -> Sidebar: ...
        @property
        def reading_pane(self) -> ReadingPane: ...
        @property
        def entity_panel(self) -> EntityPanel: ...
        def reload_list(self) -> None: ...
        def rerun_search(self) -> None: ...
        def reload_sidebar(self) -> None: ...
        def sidebar_worker(self) -> object: ...
        def count_saved_searches(self) -> object: ...
        def save_state(self) -> None: ...
        def open_article(
            self, article_id: str, *, mark: bool = True, quiet: bool = False
        ) -> None: ...

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
            # stored is enough to list them; the index catches up in its own job
            report = self.library.refresh(
                feed_ids, progress=self._progress_callback(label), index=not self.background_index
            )
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
        if self.background_index:
            self.call_from_thread(self.start_indexing)
        self._enrich_new()

    def _enrich_new(self) -> None:
        """After articles were stored (refresh, add, import): find their entities in the
        background, whichever way they arrived. From a worker thread."""
        if self.auto_enrich:
            self.call_from_thread(self.enrich_worker, False)

    def start_indexing(self) -> None:
        """Make stored articles searchable in the background; the lists show them already.

        One indexing job at a time: a call while one runs only asks it to look again when it
        ends (articles stored meanwhile)."""
        if self._indexing:
            self._index_again = True
            return
        self._indexing = True
        self._index_again = False
        self.index_worker()

    @work(thread=True, exit_on_error=False, group="index")
    def index_worker(self) -> None:
        """Index what the store holds and the index not yet, showing "Indexing N articles"."""
        try:
            pending = self.library.pending_index()
            if not pending:
                return
            label = f"Indexing {pending:,} articles"
            try:
                self.library.sync_index(progress=self._progress_callback(label))
            except NewsreaderError as exc:
                self.call_from_thread(
                    self._job_done, label, f"search index not updated yet: {exc}", "warning"
                )
                return
            self.call_from_thread(self._job_finished, label)
            self.call_from_thread(self._after_indexing)
        finally:
            self.call_from_thread(self._indexing_ended)

    def index_soon(self) -> None:
        """Read or bookmark marks changed: catch the index up after a pause in the reading
        (one small write for a run of marks, not one per key press)."""
        if not self.background_index:
            return
        if self._index_timer is not None:
            self._index_timer.stop()
        self._index_timer = self.set_timer(MARKS_INDEX_DELAY, self.start_indexing)

    def _indexing_ended(self) -> None:
        self._indexing = False
        if self._index_again:
            self.start_indexing()

    def _after_indexing(self) -> None:
        """A search on screen is run again, now that more articles are searchable."""
        if self.source.kind == "search":
            self.rerun_search()
        if self.sidebar.searches:
            self.count_saved_searches()

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
        self._jobs.add(label)
        self.query_one("#progress-label", Static).update(Text(label + " "))
        bar = self.query_one("#progress", ProgressBar)
        bar.update(total=None, progress=0)
        self.query_one("#progress-row").add_class("-busy")

    def _job_progress(self, label: str, done: int, total: int) -> None:
        self.query_one("#progress-label", Static).update(Text(label + " "))
        self.query_one("#progress", ProgressBar).update(total=max(total, 1), progress=done)

    def _job_done(self, label: str, message: str, severity: SeverityLevel = "information") -> None:
        self._job_finished(label)
        self.notify(message, title=label, severity=severity)

    def _job_finished(self, label: str) -> None:
        """A job ended with nothing to tell (the progress row goes when no job is left)."""
        self._jobs.discard(label)
        if not self._jobs:
            self.query_one("#progress-row").remove_class("-busy")
        else:
            self.query_one("#progress-label", Static).update(Text(sorted(self._jobs)[0] + " "))

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
        self._enrich_new()

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

    @work(thread=True, exit_on_error=False, group="enrich")
    def enrich_worker(self, asked: bool) -> None:
        """Find named entities of new articles; spaCy is imported here, never at start-up.

        One enrichment runs at a time: asked again while it runs (new articles stored), the
        running one goes round once more instead, so every new article is reached."""
        if not self.model_available():
            if asked:
                from newsreader.index.entities.extract import missing_message

                self.call_from_thread(self.notify, missing_message(), severity="warning")
            return
        with self._enrich_lock:
            if self._enriching:
                self._enrich_again = True
                return
            self._enriching = True
        total = 0
        try:
            while True:
                with self._enrich_lock:
                    self._enrich_again = False
                done = self._enrich_pass(asked and total == 0)
                if done is None:
                    return
                total += done
                with self._enrich_lock:
                    if not self._enrich_again:
                        self._enriching = False
                        break
        finally:
            with self._enrich_lock:
                self._enriching = False
            self.enrich_progress = None
        if total:
            label = "Finding named entities"
            self.call_from_thread(self._job_done, label, f"Entities found in {total:,} articles.")
            if self.open_id:
                self.call_from_thread(self.open_article, self.open_id, mark=False)

    def _enrich_pass(self, asked: bool) -> int | None:
        """Enrich what is pending now; how many articles, or None after an error."""
        label = "Finding named entities"
        try:
            pending = self.library.pending_enrichment()
            if not pending:
                if asked:
                    self.call_from_thread(self.notify, "Every article has its entities already.")
                return 0
            report = self._progress_callback(label)

            def progress(done: int, total: int) -> None:
                self.enrich_progress = (done, total)
                report(done, total)

            self.enrich_progress = (0, pending)
            return self.library.enrich(progress=progress)
        except NewsreaderError as exc:
            self.call_from_thread(self._job_done, label, str(exc), "error")
        except Exception as exc:  # the model itself failing must not take the app down
            self.call_from_thread(
                self._job_done, label, f"entity extraction failed: {exc}", "error"
            )
        return None

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
        if self.enrich_progress is not None or self.auto_enrich:
            return f"{status.message[:-1]}: finding them in the background."
        return f"{status.message[:-1]}: Ctrl+P, enrich."

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

    def unfinished_jobs(self) -> list[str]:
        """Refreshes, enrichment and other jobs still running (after the app has quit)."""
        return sorted(self._jobs)
