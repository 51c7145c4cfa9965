"""The refresh pipeline: download feeds concurrently, parse the bodies as they arrive (on
worker processes when there are many, and in this process too), and store each feed's
outcome as it is parsed.

``Library.refresh`` picks the feeds and hands them to ``RefreshPipeline.run``; a failed
or odd feed is recorded in the store, never raised. ``parse_job`` is what a parse worker
runs: it gives back a typed value (``ParsedFeed`` or ``ParseFailure``), never an
exception, so a hostile body cannot take the pipeline down.
"""

from __future__ import annotations

import os
import queue
import threading
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from ..config import Settings
from ..errors import FeedError, NotAFeedError
from ..language import release_model
from ..models import (
    FeedResult,
    ParsedEntry,
    ParsedFeed,
    ParseFailure,
    ParseOutcome,
    Progress,
    RefreshStatus,
    StorySketch,
)
from ..times import from_iso

if TYPE_CHECKING:
    from ..store import Store
    from .fetch import FetchRequest, FetchResult

# a refresh of at least this many feeds parses on worker processes
_POOL_THRESHOLD = 8
# downloaded bodies waiting to be parsed and stored, per parser (each worker and this
# process); each holds its body and then its parsed entries in this process's memory
_BODIES_PER_WORKER = 2
# bodies handed to the parse workers and not yet back, per worker: one being parsed, one
# waiting; a body that arrives while they are all taken is parsed in this process
_QUEUED_PER_WORKER = 2
_SLOT_WAIT = 1.0  # seconds a download waits for a slot before it goes on without one
# story sketches kept for grouping (about 2.3 kB each as Python objects); beyond, grouping
# makes its own
_SKETCHES_KEPT = 50_000
# with ``group_batch`` set, the kept sketches are handed to grouping every this many new
# articles: a big refresh (a first one of many feeds) holds ~5 MB of them, not ~115 MB
_SKETCH_BATCH = 2_000


class RefreshPipeline:
    """One refresh: the downloads, the parse pool and the store writes of a set of feeds."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.settings = settings
        self.new_ids: list[str] = []  # the articles this refresh stored for the first time
        # the parse workers' story sketches of the new articles, for grouping (by id)
        self.sketches: dict[str, StorySketch] = {}
        # groups the new articles stored so far, with their sketches: called every
        # _SKETCH_BATCH of them during the run (what is left after it is the caller's)
        self.group_batch: Callable[[dict[str, StorySketch]], object] | None = None

    def run(
        self, targets: Sequence[tuple[int, str]], *, explicit: bool, progress: Progress | None
    ) -> list[FeedResult]:
        """Refresh ``targets`` (feed id, URL); ``explicit``: named by the user, so fetched
        even when gone or waiting."""
        skip_httpx_cli()
        from .fetch import fetch_all

        results, requests = self._plan(targets, explicit)
        total = len(requests)
        if progress:
            progress(0, total, "")
        # Downloads run on a thread; bodies are parsed as they arrive and stored here, one
        # feed at a time. With many feeds, parse workers take bodies while they have room
        # (_QUEUED_PER_WORKER each); the others wait in ``backlog``, from which the workers
        # are topped up first, and this process parses one of them itself whenever it has
        # nothing to store: on two cores one worker and this process share the parsing, and
        # the machine holds one worker's memory, not two.
        events: queue.Queue[tuple[str, Any]] = queue.Queue()
        # parse workers are started with the first body to parse (a warm refresh has none)
        use_pool = len(requests) >= _POOL_THRESHOLD
        pool: Any = None
        # Downloads outrun parsing when the network is fast: bodies waiting to be parsed and
        # stored are bounded, the download thread waiting for a slot when all are taken. It
        # waits at most _SLOT_WAIT seconds per body (then goes on without one), so a stalled
        # store can slow downloads but never make them time out.
        slots = threading.BoundedSemaphore(_body_slots())

        def fetched(r: FetchResult) -> None:
            took = r.status == "ok" and slots.acquire(timeout=_SLOT_WAIT)
            events.put(("fetched", (r, took)))

        def download() -> None:
            try:
                fetch_all(requests, self.settings, fetched)
            finally:
                events.put(("downloads-done", None))

        worker = threading.Thread(target=download, name="newsreader-fetch", daemon=True)
        worker.start()
        done = 0
        pending = 0
        room = _QUEUED_PER_WORKER * _parse_workers()
        backlog: deque[tuple[FetchResult, bool]] = deque()  # bodies no worker has room for
        downloading = True
        # 304 answers are recorded together at the end: one transaction, not one per feed
        not_modified: list[tuple[int, str | None]] = []

        def to_worker(res: FetchResult, took: bool) -> None:
            fut = pool.submit(parse_job, res.body, res.new_url or res.url, res.content_type, False)
            fut.add_done_callback(lambda f, r=res, t=took: events.put(("parsed", (r, t, f))))

        kind: str
        payload: Any
        try:
            while downloading or pending or backlog:
                if backlog and events.empty():
                    kind, payload = "parse-here", backlog.popleft()
                else:
                    kind, payload = events.get()
                if kind == "downloads-done":
                    downloading = False
                    continue
                if kind == "fetched" and use_pool and pool is None and payload[0].status == "ok":
                    pool = _parse_pool()
                    use_pool = pool is not None
                if kind == "fetched" and pool is not None and payload[0].status == "ok":
                    if pending < room:
                        to_worker(*payload)
                        pending += 1
                    else:
                        backlog.append(payload)
                    continue
                if kind == "parsed":
                    pending -= 1
                    while backlog and pending < room:  # keep the workers busy first
                        to_worker(*backlog.popleft())
                        pending += 1
                    res, took, fut = payload
                    try:
                        outcome = fut.result()
                        if isinstance(outcome, ParsedFeed):  # the worker left languages to us
                            from .parse import with_languages

                            outcome = with_languages(outcome)
                    except Exception as exc:  # a crashed worker: parse here instead
                        outcome = parse_job(res.body, res.new_url or res.url, res.content_type)
                        if isinstance(outcome, ParseFailure):
                            outcome = replace(
                                outcome, message=f"{outcome.message} ({type(exc).__name__})"
                            )
                    results.append(self.ingest(res.feed_id, res, outcome))
                elif payload[0].status == "not-modified":
                    res, took = payload
                    not_modified.append((res.feed_id, res.new_url))
                    results.append(FeedResult(res.feed_id, res.url, "not-modified"))
                else:
                    res, took = payload
                    results.append(self.ingest(res.feed_id, res))
                if took:
                    slots.release()  # this body is stored: the next download may come in
                done += 1
                if progress:
                    progress(done, total, res.url)
        finally:
            if pool is not None:
                pool.shutdown(wait=False, cancel_futures=True)
            release_model()  # what follows (indexing, grouping) needs none of its ~70 MB
        worker.join()
        self.store.record_not_modified(not_modified)
        return results

    def _plan(
        self, targets: Sequence[tuple[int, str]], explicit: bool
    ) -> tuple[list[FeedResult], list[FetchRequest]]:
        """(results of feeds left out, requests for the rest) with each feed's validators."""
        from .fetch import FetchRequest

        now = datetime.now(UTC)
        skipped: list[FeedResult] = []
        requests: list[FetchRequest] = []
        states = self.store.fetch_states()
        for feed_id, url in targets:
            state = states.get(feed_id)
            etag, modified, retry_after, gone = state or self.store.fetch_state(feed_id)
            if not explicit and gone:
                skipped.append(FeedResult(feed_id, url, "skipped", error="feed is gone"))
                continue
            wait_until = from_iso(retry_after)
            if not explicit and wait_until and wait_until > now:
                skipped.append(
                    FeedResult(
                        feed_id,
                        url,
                        "skipped",
                        error=f"not tried again before {retry_after} (Retry-After or server errors)",
                    )
                )
                continue
            requests.append(FetchRequest(feed_id, url, etag, modified))
        return skipped, requests

    def ingest(
        self, feed_id: int, res: FetchResult, outcome: ParseOutcome | None = None
    ) -> FeedResult:
        """Store one download's outcome; a bad feed is recorded, never raised."""
        store = self.store
        if res.status == "not-modified":
            store.record_fetch(feed_id, keep_validators=True, new_url=res.new_url)
            return FeedResult(feed_id, res.url, "not-modified")
        if res.status in ("error", "gone"):
            store.record_fetch(
                feed_id,
                error=res.error,
                gone=res.status == "gone",
                retry_after=res.retry_after,
                backoff=res.backoff,
            )
            return FeedResult(feed_id, res.url, res.status, error=res.error)
        if outcome is None:
            outcome = parse_job(res.body, res.new_url or res.url, res.content_type)
        if isinstance(outcome, ParseFailure):
            message = outcome.message
            if outcome.candidates:
                message += f" (try: newsreader add {outcome.candidates[0]})"
            store.record_fetch(feed_id, error=message)
            return FeedResult(feed_id, res.url, "error", error=message)
        first_new = len(self.new_ids)
        new, updated = store.store_entries(feed_id, outcome.entries, self.new_ids)
        if new and len(self.sketches) < _SKETCHES_KEPT:
            self._keep_sketches(feed_id, outcome.entries, self.new_ids[first_new:])
            if self.group_batch is not None and len(self.sketches) >= _SKETCH_BATCH:
                batch, self.sketches = self.sketches, {}
                self.group_batch(batch)
        store.record_fetch(
            feed_id,
            warning=outcome.warning,
            etag=res.etag,
            last_modified=res.last_modified,
            title=outcome.title,
            site_link=outcome.site_link,
            new_url=res.new_url,
        )
        status: RefreshStatus = "new" if new else ("updated" if updated else "not-modified")
        return FeedResult(feed_id, res.url, status, new, updated, warning=outcome.warning)

    def _keep_sketches(
        self, feed_id: int, entries: Sequence[ParsedEntry], new_ids: Sequence[str]
    ) -> None:
        from ..store import article_id

        wanted = set(new_ids)
        for entry in entries:
            if entry.sketch is not None:
                aid = article_id(feed_id, entry.key)
                if aid in wanted:
                    self.sketches[aid] = entry.sketch


def download_and_parse(url: str, settings: Settings) -> tuple[FetchResult, ParseOutcome]:
    """Fetch and parse one URL (for ``add``); a failed download is a FeedError."""
    skip_httpx_cli()
    from .fetch import FetchRequest, fetch_all

    res = fetch_all([FetchRequest(0, url)], settings)[0]
    if res.status != "ok":
        raise FeedError(f"cannot add {url}: {res.error or res.status}", url=url)
    return res, parse_job(res.body, res.new_url or url, res.content_type)


def parse_job(
    body: bytes, url: str, content_type: str | None, languages: bool = True
) -> ParseOutcome:
    """Parse one body; runs in a worker process, so failures come back as values.

    A worker is called with ``languages=False``: the language detector's model is mapped by
    the storing process alone (``with_languages`` there, on a sample of each feed), not by
    every worker (it was ~70 MB of resident pages in each)."""
    from ..stories.sketch import with_sketches
    from .parse import parse_feed

    try:
        parsed: ParsedFeed = parse_feed(body, url, content_type, languages=languages)
        # story grouping's text work, done here on the worker (issue 18, "stories")
        return with_sketches(parsed)
    except NotAFeedError as exc:
        return ParseFailure("not-a-feed", str(exc), tuple(exc.candidates))
    except FeedError as exc:
        return ParseFailure("error", str(exc))
    except Exception as exc:  # feedparser or lxml choking on hostile input
        return ParseFailure("error", f"{url}: the feed could not be parsed ({type(exc).__name__})")


def skip_httpx_cli() -> None:
    """Let ``import httpx`` skip its command-line module.

    httpx's package imports ``httpx._main`` (click, rich, pygments: about 30 ms, a third of
    its import time) only to offer ``httpx.main``, which newsreader never calls; a placeholder
    module in its place is taken instead. Does nothing once httpx is imported.
    """
    import sys

    if "httpx" in sys.modules or "httpx._main" in sys.modules:
        return
    import types

    def main(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("httpx's command line is not loaded in newsreader")

    stub = types.ModuleType("httpx._main")
    stub.main = main  # type: ignore[attr-defined]
    sys.modules["httpx._main"] = stub


def _parse_workers() -> int:
    """Parse worker processes beside this one (which parses too): one per other core, 1-3."""
    return max(1, min((os.cpu_count() or 1) - 1, 3))


def _body_slots() -> int:
    """Downloaded bodies that may wait to be parsed and stored at once."""
    return _BODIES_PER_WORKER * (_parse_workers() + 1)


def _parse_pool() -> Any:
    """Worker processes for parsing, or None where they cannot be had (one core, no
    processes to start)."""
    from ..worker_pool import WorkerPool

    workers = _parse_workers()
    if (os.cpu_count() or 1) < 2:
        return None
    try:
        return WorkerPool(workers, thread_name="newsreader-parse")
    except OSError:
        return None
