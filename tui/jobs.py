"""Library jobs that take longer than a keystroke (refreshing, adding and importing feeds,
rebuilding the index, finding entities), and the one runner that runs them.

A :class:`Job` is a label and a function of the library that returns a
:class:`~newsreader.tui.messages.JobResult`. :class:`JobRunner` runs it in a thread worker;
the thread only posts messages (``JobStarted``, ``JobProgress``, then ``JobDone`` or
``JobFailed``) to the progress row, from where they bubble up to the main screen, which
tells the user and reloads what changed. Errors are caught here, once: a
``NewsreaderError`` is its own one line, anything else "<job> failed: <type>: <error>".
The notices the library adds while a job runs travel with its last message.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from newsreader.index.errors import NewsreaderError
from newsreader.index.library import Library
from newsreader.index.text import one_line
from newsreader.tui.messages import JobDone, JobFailed, JobProgress, JobResult, JobStarted
from textual.dom import DOMNode
from textual.message import Message
from textual.message_pump import MessagePump
from textual.worker import Worker


class JobReport:
    """What a job's function calls to say it has begun and how far it is (from its thread)."""

    def __init__(self, post: Callable[[Message], object], label: str) -> None:
        """``label`` may be changed by the job before it starts (it names what it found)."""
        self._post = post
        self.label = label
        self.started = False

    def start(self) -> None:
        if not self.started:
            self.started = True
            self._post(JobStarted(self.label))

    def progress(self, done: int, total: int, *_: object) -> None:
        """Library-style progress callback (``done, total[, what]``); starts the job's row."""
        self.start()
        self._post(JobProgress(self.label, done, total))


@dataclass(frozen=True)
class Job:
    """One library job. ``kind`` names its worker group (and what ``JobDone`` is about);
    ``exclusive`` cancels a running job of the same kind; ``announce`` shows the job in the
    progress row at once (else when it first calls ``report.start`` or ``report.progress``)."""

    kind: str
    label: str
    work: Callable[[Library, JobReport], JobResult]
    exclusive: bool = False
    announce: bool = True


def take_notices(library: Library) -> tuple[str, ...]:
    """The library's notices so far, removed from it (each is told once)."""
    taken: list[str] = []
    while library.notices:
        try:
            taken.append(library.notices.pop(0))
        except IndexError:  # another thread took the last one
            break
    return tuple(taken)


class JobRunner:
    """Runs jobs in thread workers owned by ``owner``, reporting to ``report_to`` (the
    progress row; its messages bubble on to the screen and the app)."""

    def __init__(self, library: Library, owner: DOMNode, report_to: MessagePump) -> None:
        self.library = library
        self.owner = owner
        self.report_to = report_to
        self._running: dict[int, str] = {}  # worker thread id -> label
        self._lock = threading.Lock()

    def start(self, job: Job) -> Worker[None]:
        return self.owner.run_worker(
            partial(self._run, job),
            name=job.label,
            group=job.kind,
            thread=True,
            exclusive=job.exclusive,
            exit_on_error=False,
        )

    def running(self) -> list[str]:
        """Labels of the jobs running now (shown when the app quits while busy)."""
        with self._lock:
            return sorted(set(self._running.values()))

    def _run(self, job: Job) -> None:
        me = threading.get_ident()
        with self._lock:
            self._running[me] = job.label
        post = self.report_to.post_message
        report = JobReport(post, job.label)
        try:
            if job.announce:
                report.start()
            try:
                result = job.work(self.library, report)
            except NewsreaderError as exc:
                post(JobFailed(job.kind, report.label, str(exc), take_notices(self.library)))
            except Exception as exc:  # a bug in a job is a notification, not a crash
                error = f"{job.kind} failed: {type(exc).__name__}: {exc}"
                post(JobFailed(job.kind, report.label, error, take_notices(self.library)))
            else:
                post(JobDone(job.kind, report.label, result, take_notices(self.library)))
        finally:
            with self._lock:
                self._running.pop(me, None)


# -- the jobs --------------------------------------------------------------------------------


REFRESH_ALL_LABEL = "Refreshing all feeds"


def refresh_job(feed_ids: list[int] | None, *, index: bool = True, quiet: bool = False) -> Job:
    """Refresh the given feeds (None: all, leaving out gone and backing-off feeds);
    ``index`` False stores only (the lists show them; ``index_job`` makes them searchable);
    ``quiet`` (the auto-refresh): no notification, the status line tells."""
    label = REFRESH_ALL_LABEL if feed_ids is None else "Refreshing the feed"

    def work(library: Library, report: JobReport) -> JobResult:
        result = library.refresh(feed_ids, progress=report.progress, index=index)
        failed = result.errors
        summary = f"{result.new} new, {result.updated} updated"
        if failed:
            names = ", ".join(r.url for r in failed[:2])
            summary += f"; {len(failed)} feed(s) failed: {names}"
        return JobResult(
            "" if quiet else summary,
            "warning" if failed else "information",
            changed=True,
            count=result.new,
            failed=len(failed),
        )

    return Job("refresh", label, work, exclusive=True)


def add_feed_job(url: str) -> Job:
    def work(library: Library, report: JobReport) -> JobResult:
        feed, result = library.add_feed(url)
        new = result.new if result else 0
        title = one_line(feed.title) or feed.url
        return JobResult(f"Added {title} ({new} articles)", changed=True, feed_ids=(feed.id,))

    return Job("add-feed", "Adding a feed", work)


def import_job(path: str) -> Job:
    """Subscribe to an OPML file's feeds (the screen then refreshes the new ones)."""

    def work(library: Library, report: JobReport) -> JobResult:
        added, problems = library.import_opml(Path(path).expanduser())
        message = f"Imported {len(added)} feed(s)"
        if problems:
            message += f"; {len(problems)} skipped: {one_line(problems[0])}"
        return JobResult(
            message,
            "warning" if problems else "information",
            changed=True,
            feed_ids=tuple(f.id for f in added),
        )

    return Job("import", "Importing feeds", work)


def filter_job(name: str) -> Job:
    """Apply a new filter to the articles there are (refreshes apply it to new ones)."""

    def work(library: Library, report: JobReport) -> JobResult:
        runs = library.apply_filters([name])
        changed = sum(r.changed for r in runs)
        action = runs[0].action if runs else ""
        return JobResult(
            f"Filter {one_line(name)!r} ({action}): {changed} of "
            f"{sum(r.matched for r in runs)} matching articles changed; new ones follow.",
            changed=True,
            count=changed,
        )

    return Job("filter", "Applying the filter", work)


def index_job() -> Job:
    """Index what the store holds and the index not yet ("Indexing N articles"); nothing to
    do says nothing. A busy or broken index is a warning: the store has everything."""

    def work(library: Library, report: JobReport) -> JobResult:
        pending = library.pending_index()
        if not pending:
            return JobResult()
        report.label = f"Indexing {pending:,} articles"
        report.start()
        try:
            library.sync_index(progress=report.progress)
        except NewsreaderError as exc:
            return JobResult(f"search index not updated yet: {exc}", "warning")
        return JobResult(count=pending)

    return Job("index", "Indexing", work, announce=False)


def reindex_job() -> Job:
    def work(library: Library, report: JobReport) -> JobResult:
        count = library.reindex(progress=report.progress)
        return JobResult(f"Indexed {count:,} articles.", count=count)

    return Job("reindex", "Rebuilding the search index", work, exclusive=True)


ENRICH_LABEL = "Finding named entities"


def enrich_job(asked: bool, model_available: Callable[[], bool]) -> Job:
    """Find named entities of new articles; spaCy is imported in the job, never at start-up.
    Unasked (in the background), a missing model or nothing to do says nothing."""

    def work(library: Library, report: JobReport) -> JobResult:
        if not model_available():
            if not asked:
                return JobResult()
            from newsreader.index.entities.extract import missing_message

            return JobResult(missing_message(), "warning")
        pending = library.pending_enrichment()
        if not pending:
            return JobResult("Every article has its entities already." if asked else "")
        report.progress(0, pending)
        try:
            count = library.enrich(progress=report.progress)
        except NewsreaderError:
            raise
        except Exception as exc:  # the model itself failing must not take the app down
            raise NewsreaderError(f"entity extraction failed: {exc}") from exc
        found = f"Entities found in {count:,} articles." if count or asked else ""
        return JobResult(found, count=count)

    # one at a time: the main screen starts another pass when articles arrived meanwhile
    return Job("enrich", ENRICH_LABEL, work, announce=False)
