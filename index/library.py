"""Library: the one facade the CLI and the app call for everything they do."""

from __future__ import annotations

import contextlib
import json
import os
import queue
import secrets
import shutil
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from .config import Paths, Settings, load_settings, resolve_paths
from .errors import (
    FeedError,
    IndexError_,
    NewsreaderError,
    NotAFeedError,
    NotFoundError,
    StoreDamagedError,
    StoreError,
)
from .models import (
    Article,
    ArticleRow,
    Feed,
    FeedResult,
    Mention,
    ParsedFeed,
    RefreshReport,
    SavedSearch,
    SearchHit,
    SearchResults,
    Story,
)
from .store import Store, to_iso

if TYPE_CHECKING:
    from .feeds.fetch import FetchRequest, FetchResult
    from .search.index import SearchIndex

# progress(done, total, label)
Progress = Callable[[int, int, str], None]

_INDEX_TOKEN_FILE = "newsreader-token"
_REBUILD_LOCK_FILE = "reindex.lock"  # beside the index, not in it: a rebuild removes the index
_REBUILD_WAIT = 60.0  # seconds a reindex waits for another process's reindex to finish
_T = TypeVar("_T")


class Library:
    """Feeds, articles, bookmarks, search and entities of one data directory."""

    def __init__(self, paths: Paths, settings: Settings, store: Store) -> None:
        self.paths = paths
        self.settings = settings
        self.store = store
        self._index: SearchIndex | None = None
        self._index_lock = threading.RLock()
        self._resyncing = False  # _on_index is catching up a reopened index
        self.notices: list[str] = []  # things the user should be told once (rebuilt index, …)

    # -- opening and closing -------------------------------------------------------------

    @classmethod
    def open(
        cls,
        data_dir: str | Path | None = None,
        *,
        settings: Settings | None = None,
        readonly: bool = False,
    ) -> Library:
        paths = resolve_paths(data_dir)
        if settings is None:
            settings = load_settings(paths)
        if not readonly and paths.data_dir.exists() and not paths.data_dir.is_dir():
            raise StoreError(f"{paths.data_dir} is not a directory")
        store = Store.open(paths.db_file, readonly=readonly)
        return cls(paths, settings, store)

    def close(self) -> None:
        with self._index_lock:
            if self._index is not None:
                self._index.close()
                self._index = None
        self.store.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- feeds ---------------------------------------------------------------------------

    def feeds(self) -> list[Feed]:
        return self.store.feeds()

    def find_feed(self, ref: str | int) -> Feed:
        """A feed by id, URL, or title (case-insensitive, unique prefix accepted)."""
        text = str(ref).strip()
        if text.isdigit():
            try:
                return self.store.feed(int(text))
            except NotFoundError:
                pass
        feeds = self.store.feeds()
        for feed in feeds:
            if feed.url == text:
                return feed
        low = text.lower()
        exact = [f for f in feeds if f.title.lower() == low]
        if len(exact) == 1:
            return exact[0]
        prefix = [f for f in feeds if f.title.lower().startswith(low)]
        if len(prefix) == 1:
            return prefix[0]
        if len(prefix) > 1:
            names = ", ".join(f"{f.id}: {f.title}" for f in prefix[:5])
            raise NotFoundError(f"{text!r} matches several feeds ({names}); use the id")
        raise NotFoundError(f"no feed matches {text!r} (see `newsreader feeds`)")

    def add_feed(
        self, url: str, title: str | None = None, *, fetch: bool = True, index: bool = True
    ) -> tuple[Feed, FeedResult | None]:
        """Subscribe to a URL; an HTML page that links to a feed subscribes to that feed."""
        url = _normalise_url(url)
        if not fetch:
            return self.store.add_feed(url, title), None
        res, outcome = self._download_and_parse(url)
        if isinstance(outcome, tuple):
            _kind, message, candidates = outcome
            if not candidates:
                raise NotAFeedError(message)
            url = candidates[0]
            self.notices.append(
                f"{res.url} is a web page; subscribed to the feed it links to: {url}"
            )
            res, outcome = self._download_and_parse(url)
            if isinstance(outcome, tuple):
                raise NotAFeedError(outcome[1])
        feed = self.store.add_feed(res.new_url or url, title)
        try:
            result = self._ingest(feed.id, replace(res, feed_id=feed.id), outcome)
        except NewsreaderError:
            # e.g. a full disk: leave no half-added feed behind, so the same `add` works later
            with contextlib.suppress(NewsreaderError):
                self.store.remove_feed(feed.id)
            raise
        self._try_group_stories()
        if index:
            self._try_sync_index()
        return self.store.feed(feed.id), result

    def _download_and_parse(self, url: str) -> tuple[FetchResult, ParseOutcome]:
        """Fetch one URL for ``add``; a failed download is a FeedError."""
        _skip_httpx_cli()
        from .feeds.fetch import FetchRequest, fetch_all

        res = fetch_all([FetchRequest(0, url)], self.settings)[0]
        if res.status != "ok":
            raise FeedError(f"cannot add {url}: {res.error or res.status}")
        return res, parse_job(res.body, res.new_url or url, res.content_type)

    def remove_feed(self, ref: str | int) -> tuple[Feed, int]:
        """Unsubscribe; returns the feed and how many of its bookmarks went with it."""
        feed = self.find_feed(ref)
        lost = self.store.remove_feed(feed.id)
        self._try_sync_index()
        return feed, lost

    def rename_feed(self, ref: str | int, title: str | None) -> Feed:
        feed = self.find_feed(ref)
        self.store.rename_feed(feed.id, title)
        return self.store.feed(feed.id)

    def import_opml(self, path: str | Path) -> tuple[list[Feed], list[str]]:
        """Subscribe to every feed of an OPML file (no fetching); returns (added, skipped).

        An outline whose address cannot be used (``javascript:``, an unknown scheme, a
        missing file) is left out with a notice; the rest are imported."""
        from .feeds.opml import read_opml
        from .text import one_line

        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise NewsreaderError(f"cannot read {path}: {exc.strerror}") from exc
        added: list[Feed] = []
        skipped: list[str] = []
        known = {f.url for f in self.store.feeds()}
        refused = []
        for outline in read_opml(data, str(path)):
            try:
                url = _normalise_url(outline.url)
            except NewsreaderError:
                refused.append(one_line(outline.url)[:80])
                continue
            if url in known:
                skipped.append(url)
                continue
            known.add(url)
            added.append(self.store.add_feed(url, outline.title))
        if refused:
            shown = ", ".join(refused[:5]) + (" …" if len(refused) > 5 else "")
            self.notices.append(
                f"left out {len(refused)} outline(s) without a usable feed address: {shown}"
            )
        return added, skipped

    def export_opml(self) -> str:
        from .feeds.opml import write_opml

        return write_opml(self.store.feeds())

    def seed_demo_feeds(self, *, force: bool = False) -> list[Feed]:
        """Subscribe to the bundled offline demo feeds once, on an empty library."""
        if not force and (self.store.get_meta("demo_seeded") or self.store.feed_count()):
            return []
        from importlib import resources

        folder = resources.files("newsreader.index.demo")
        known = {f.url for f in self.store.feeds()}
        added = []
        for name in sorted(p.name for p in folder.iterdir()):
            if not name.endswith((".xml", ".atom", ".json")):
                continue
            url = Path(str(folder.joinpath(name))).resolve().as_uri()
            if url not in known:
                added.append(self.store.add_feed(url))
        self.store.set_meta("demo_seeded", to_iso(datetime.now(UTC)) or "yes")
        if added:
            self.refresh([f.id for f in added])
        return added

    # -- refreshing ----------------------------------------------------------------------

    def refresh(
        self,
        refs: Sequence[str | int] | None = None,
        *,
        progress: Progress | None = None,
        index: bool = True,
    ) -> RefreshReport:
        """Fetch feeds concurrently, store each as it arrives, then index in one batch.

        Named feeds are always fetched; in a refresh of all feeds, feeds marked gone
        (HTTP 410), feeds asked to wait (Retry-After) and feeds backing off after
        server errors are skipped.
        """
        _skip_httpx_cli()
        from .feeds.fetch import FetchRequest, fetch_all

        if refs:
            targets = [(f.id, f.url) for f in (self.find_feed(r) for r in refs)]
            explicit = True
        else:
            # ids and URLs only: Store.feeds() also counts every feed's articles
            targets = self.store.feed_urls()
            explicit = False
        now = datetime.now(UTC)
        results: list[FeedResult] = []
        requests: list[FetchRequest] = []
        states = self.store.fetch_states()
        for feed_id, url in targets:
            state = states.get(feed_id)
            etag, modified, retry_after, gone = state or self.store.fetch_state(feed_id)
            if not explicit and gone:
                results.append(FeedResult(feed_id, url, "skipped", error="feed is gone"))
                continue
            wait_until = _parse_time(retry_after)
            if not explicit and wait_until and wait_until > now:
                results.append(
                    FeedResult(
                        feed_id,
                        url,
                        "skipped",
                        error=f"not tried again before {retry_after} (Retry-After or server errors)",
                    )
                )
                continue
            requests.append(FetchRequest(feed_id, url, etag, modified))
        total = len(requests)
        if progress:
            progress(0, total, "")
        # Downloads run on a thread; bodies are parsed as they arrive (on worker processes
        # when there are many, so both cores work) and stored here, one feed at a time.
        events: queue.Queue[tuple[str, Any]] = queue.Queue()
        # parse workers are started with the first body to parse (a warm refresh has none)
        use_pool = len(requests) >= _POOL_THRESHOLD
        pool: Any = None
        # Downloads outrun parsing when the network is fast: bodies waiting to be parsed and
        # stored are bounded, the download thread waiting for a slot when all are taken. It
        # waits at most _SLOT_WAIT seconds per body (then goes on without one), so a stalled
        # store can slow downloads but never make them time out.
        slots = threading.BoundedSemaphore(_BODIES_PER_WORKER * max(_parse_workers(), 2))

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
        downloading = True
        # 304 answers are recorded together at the end: one transaction, not one per feed
        not_modified: list[tuple[int, str | None]] = []
        try:
            while downloading or pending:
                kind, payload = events.get()
                if kind == "downloads-done":
                    downloading = False
                    continue
                if kind == "fetched" and use_pool and pool is None and payload[0].status == "ok":
                    pool = _parse_pool()
                    use_pool = pool is not None
                if kind == "fetched" and pool is not None and payload[0].status == "ok":
                    res, took = payload
                    fut = pool.submit(parse_job, res.body, res.new_url or res.url, res.content_type)
                    fut.add_done_callback(
                        lambda f, r=res, t=took: events.put(("parsed", (r, t, f)))
                    )
                    pending += 1
                    continue
                if kind == "parsed":
                    pending -= 1
                    res, took, fut = payload
                    try:
                        outcome = fut.result()
                    except Exception as exc:  # a crashed worker: parse here instead
                        outcome = parse_job(res.body, res.new_url or res.url, res.content_type)
                        if isinstance(outcome, tuple):
                            outcome = (
                                outcome[0],
                                f"{outcome[1]} ({type(exc).__name__})",
                                outcome[2],
                            )
                    results.append(self._ingest(res.feed_id, res, outcome))
                elif payload[0].status == "not-modified":
                    res, took = payload
                    not_modified.append((res.feed_id, res.new_url))
                    results.append(FeedResult(res.feed_id, res.url, "not-modified"))
                else:
                    res, took = payload
                    results.append(self._ingest(res.feed_id, res))
                if took:
                    slots.release()  # this body is stored: the next download may come in
                done += 1
                if progress:
                    progress(done, total, res.url)
        finally:
            if pool is not None:
                pool.shutdown(wait=False, cancel_futures=True)
        worker.join()
        self.store.record_not_modified(not_modified)
        self._try_group_stories()
        indexed = self._try_sync_index() if index else 0
        return RefreshReport(results=results, indexed=indexed)

    def _ingest(
        self, feed_id: int, res: FetchResult, outcome: ParseOutcome | None = None
    ) -> FeedResult:
        """Store one download's outcome; a bad feed is recorded, never raised."""
        if res.status == "not-modified":
            self.store.record_fetch(feed_id, keep_validators=True, new_url=res.new_url)
            return FeedResult(feed_id, res.url, "not-modified")
        if res.status in ("error", "gone"):
            self.store.record_fetch(
                feed_id,
                error=res.error,
                gone=res.status == "gone",
                retry_after=res.retry_after,
                backoff=res.backoff,
            )
            return FeedResult(feed_id, res.url, res.status, error=res.error)
        if outcome is None:
            outcome = parse_job(res.body, res.new_url or res.url, res.content_type)
        if isinstance(outcome, tuple):
            _kind, message, candidates = outcome
            if candidates:
                message += f" (try: newsreader add {candidates[0]})"
            self.store.record_fetch(feed_id, error=message)
            return FeedResult(feed_id, res.url, "error", error=message)
        parsed = outcome
        new, updated = self.store.store_entries(feed_id, parsed.entries)
        self.store.record_fetch(
            feed_id,
            warning=parsed.warning,
            etag=res.etag,
            last_modified=res.last_modified,
            title=parsed.title,
            site_link=parsed.site_link,
            new_url=res.new_url,
        )
        status = "new" if new else ("updated" if updated else "not-modified")
        return FeedResult(feed_id, res.url, status, new, updated, warning=parsed.warning)

    # -- the search index ----------------------------------------------------------------

    @property
    def index(self) -> SearchIndex:
        """The search index, opened on first use; rebuilt (and the user told) if broken."""
        with self._index_lock:
            if self._index is None:
                self._index = self._open_index()
            return self._index

    def _open_index(self, *, announce: bool = True) -> SearchIndex:
        from .search.index import SearchIndex

        path = self.paths.index_dir
        token_file = path / _INDEX_TOKEN_FILE
        try:
            idx = SearchIndex.open(path)
        except IndexError_ as exc:
            self.notices.append(
                f"the search index was unreadable ({exc}); rebuilt it from the store"
            )
            shutil.rmtree(path, ignore_errors=True)
            idx = SearchIndex.open(path)
            self._stamp_new_index(token_file)
            return idx
        token = self.store.get_meta("index_token")
        on_disk, on_disk_generation = _read_token(token_file)
        if idx.is_new():
            if announce and self.store.article_count() and token is not None:
                self.notices.append("the search index was missing; rebuilt it from the store")
            self._stamp_new_index(token_file)
            return idx
        generation = self._store_generation()
        problem = None
        if token is None or on_disk != token:
            problem = "the search index did not match the store; rebuilding it"
        elif not _generations_agree(on_disk_generation, generation):
            problem = (
                f"the search index is out of step with the store (index generation"
                f" {on_disk_generation}, store {generation}); rebuilding it"
            )
        if problem is not None:
            if self.store.article_count():
                self.notices.append(problem)
            # start from empty: documents the store no longer has must not linger
            idx.close()
            shutil.rmtree(path, ignore_errors=True)
            idx = SearchIndex.open(path)
            self._stamp_new_index(token_file)
        return idx

    def _store_generation(self) -> int | None:
        value = self.store.get_meta("index_generation")
        return int(value) if value and value.isdigit() else None

    def _stamp_new_index(self, token_file: Path) -> None:
        token = secrets.token_hex(8)
        self.store.mark_all_unindexed()
        _write_token(token_file, token, 0)
        self.store.set_meta("index_token", token)
        self.store.set_meta("index_generation", "0")

    def sync_index(self, progress: Progress | None = None) -> int:
        """Bring the index up to date with the store: one writer, one commit per batch."""
        with self._index_lock:
            _ = self.index  # opened first: a rebuilt index marks every article unindexed
            write, delete = self.store.pending_index()
            if not write and not delete:
                return 0
            if progress:
                progress(0, len(write), "indexing")
            count = self._on_index(
                lambda idx: idx.write(self.store.index_docs(write), delete_ids=delete)
            )
            # Each committed batch moves the generation on, first in the index's token file,
            # then in the store: a crash between the two leaves the index one ahead (allowed:
            # its batch is simply written again); anything else is divergence (_open_index).
            generation = (self._store_generation() or 0) + 1
            token = self.store.get_meta("index_token")
            if token is not None:
                _write_token(self.paths.index_dir / _INDEX_TOKEN_FILE, token, generation)
            self.store.mark_indexed(write, delete)
            self.store.set_meta("index_generation", str(generation))
            if progress:
                progress(len(write), len(write), "indexing")
            return count

    def _try_sync_index(self) -> int:
        """Sync, but a busy or broken index only delays search: the store already has it all."""
        try:
            return self.sync_index()
        except StoreDamagedError:
            raise  # not a delay: the store itself is unusable
        except NewsreaderError as exc:
            self.notices.append(f"search index not updated yet ({exc}); it catches up next time")
            return 0

    def reindex(self, progress: Progress | None = None) -> int:
        """Rebuild the whole index from the store (one process at a time)."""
        with self._index_lock, _rebuild_lock(self.paths.data_dir):
            if self._index is not None:
                self._index.close()
                self._index = None
            shutil.rmtree(self.paths.index_dir, ignore_errors=True)
            self._index = self._open_index(announce=False)
            self.rebuild_stories()
            return self.sync_index(progress)

    def search(
        self,
        query: str,
        *,
        limit: int = 20,
        offset: int = 0,
        sort: str | None = None,
        facets: bool = False,
    ) -> SearchResults:
        self._try_sync_index()
        results = self._on_index(
            lambda idx: idx.search(query, limit=limit, offset=offset, sort=sort, facets=facets)
        )
        return self._one_hit_per_story(self._with_store_state(results))

    def _on_index(self, use: Callable[[SearchIndex], _T]) -> _T:
        """Run ``use`` on the index, reopening it once if another process rebuilt it meanwhile.

        A `reindex` in another process replaces the index directory; this process's open
        searcher then finds its files gone (Whoosh's EmptyIndexError, FileNotFoundError).
        That is a moment's business, not damage: reopen and try again, else say it is busy.
        """
        from whoosh.index import IndexError as WhooshIndexError

        for attempt in range(3):
            idx = self.index
            try:
                return use(idx)
            except (OSError, WhooshIndexError) as exc:
                with self._index_lock:
                    if self._index is idx:
                        with contextlib.suppress(Exception):
                            idx.close()
                        self._index = None
                if attempt == 2:
                    raise IndexError_(
                        "the search index is busy: another process is rebuilding it "
                        f"({type(exc).__name__}); try again in a moment"
                    ) from exc
                time.sleep(0.2 * (attempt + 1))
                if not self._resyncing:  # the reopened index may be new: fill it first
                    self._resyncing = True
                    try:
                        self._try_sync_index()
                    finally:
                        self._resyncing = False
        raise AssertionError("unreachable")

    def _with_store_state(self, results: SearchResults) -> SearchResults:
        """Read and bookmark marks come from the store, the source of truth."""
        rows = self.store.rows([h.id for h in results.hits])
        hits = [
            replace(h, read=rows[h.id].read, bookmarked=rows[h.id].bookmarked)
            for h in results.hits
            if h.id in rows
        ]
        return replace(results, hits=hits)

    def related(self, ref: str, *, limit: int = 10) -> list[SearchHit]:
        article_id = self.store.resolve_article_id(ref)
        self._try_sync_index()
        hits = self._on_index(lambda idx: idx.related(article_id, limit=limit))
        # the article's own copies are its story, not related coverage
        own = set(self.store.story_article_ids([article_id]))
        hits = [h for h in hits if h.id not in own]
        found = self._with_store_state(SearchResults(total=len(hits), hits=hits))
        return self._one_hit_per_story(found).hits

    # -- articles --------------------------------------------------------------------------

    def article(self, ref: str) -> Article:
        return self.store.article(self.store.resolve_article_id(ref))

    def list_articles(
        self,
        view: str = "all",
        feed_id: int | None = None,
        *,
        limit: int = 100,
        offset: int = 0,
        reverse: bool = False,
    ) -> list[ArticleRow]:
        """A page of rows, newest first; ``reverse``: oldest first (cheap pages at the end)."""
        rows = self.store.list_articles(view, feed_id, limit=limit, offset=offset, reverse=reverse)
        return self._with_sources(rows)

    def count_articles(self, view: str = "all", feed_id: int | None = None) -> int:
        """Rows of a view: across feeds a story counts once."""
        return self.store.count_articles(view, feed_id)

    def mark_read(self, ref: str, read: bool = True) -> None:
        """Mark an article and every copy and source of its story read (or unread)."""
        article_id = self.store.resolve_article_id(ref)
        self.store.set_read(self.store.story_article_ids([article_id]), read)

    def mark_all_read(self, feed_id: int | None = None) -> int:
        """Mark a feed (or everything) read; the other sources of its stories go with it."""
        count = self.store.mark_feed_read(feed_id)
        if feed_id is not None:
            self.store.set_read(self.store.story_partners_of_feed(feed_id), True)
        return count

    def bookmark(self, ref: str) -> datetime:
        """Bookmark an article with every copy and source of its story; returns when."""
        article_id = self.store.resolve_article_id(ref)
        when = self.store.set_bookmark(article_id, True)
        assert when is not None
        for other in self.store.story_article_ids([article_id]):
            if other != article_id:
                self.store.set_bookmark(other, True)
        return when

    def unbookmark(self, ref: str) -> None:
        for article_id in self.store.story_article_ids([self.store.resolve_article_id(ref)]):
            self.store.set_bookmark(article_id, False)

    # -- stories across feeds ------------------------------------------------------------

    def story(self, ref: str) -> Story | None:
        """The story an article belongs to, when another feed (or article) carries it too."""
        article_id = self.store.resolve_article_id(ref)
        found = self.store.story_ids([article_id]).get(article_id)
        if found is None:
            return None
        members = self.store.story_members(found[0])
        return Story(found[0], members) if len(members) > 1 else None

    def stories(self, *, since: datetime | None = None, limit: int = 50) -> list[Story]:
        """Stories carried by two or more articles, newest first."""
        return [
            Story(story_id, members)
            for story_id, members in self.store.multi_source_stories(since, limit)
        ]

    def group_stories(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Group the articles that arrived or changed since the last time (refresh does it)."""
        from .stories.grouping import group_pending

        return group_pending(self.store, progress=progress)

    def rebuild_stories(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Forget every story and group the whole library again (reindex does it)."""
        from .stories.grouping import rebuild

        return rebuild(self.store, progress=progress)

    def _try_group_stories(self) -> int:
        """Group at refresh; a busy store only delays it (the queue keeps what is left)."""
        try:
            return self.group_stories()
        except StoreDamagedError:
            raise
        except NewsreaderError as exc:
            self.notices.append(f"stories not grouped yet ({exc}); they are next time")
            return 0

    def _with_sources(self, rows: list[ArticleRow]) -> list[ArticleRow]:
        sources = self.store.story_sources([r.id for r in rows])
        return [replace(r, sources=sources[r.id]) if r.id in sources else r for r in rows]

    def _one_hit_per_story(self, results: SearchResults) -> SearchResults:
        """One hit per story (its best-ranked article), with how many feeds carry it."""
        ids = [h.id for h in results.hits]
        stories = self.store.story_ids(ids)
        sources = self.store.story_sources(ids)
        seen: set[str] = set()
        hits = []
        for hit in results.hits:
            story = stories.get(hit.id, (hit.id, True))[0]
            if story in seen:
                continue
            seen.add(story)
            hits.append(replace(hit, sources=sources.get(hit.id, 1)))
        dropped = len(results.hits) - len(hits)
        return replace(results, hits=hits, total=max(results.total - dropped, len(hits)))

    def bookmarks(self) -> list[tuple[Article, datetime]]:
        return self.store.bookmarks()

    def export_bookmarks(self, fmt: str = "json") -> str:
        """Bookmarks (and saved searches) as JSON, Markdown or an HTML bookmarks file."""
        marks = self.store.bookmarks()
        if fmt == "json":
            doc = {
                "exported_at": to_iso(datetime.now(UTC)),
                "bookmarks": [bookmark_json(a, when) for a, when in marks],
                "saved_searches": [
                    {"name": s.name, "query": s.query} for s in self.saved_searches()
                ],
            }
            return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
        if fmt in ("md", "markdown"):
            lines = ["# Bookmarks", ""]
            for art, when in marks:
                title = art.title.replace("[", "(").replace("]", ")")
                target = f"[{title}]({art.link})" if art.link else title
                lines.append(f"- {target} — {art.feed_title}, bookmarked {to_iso(when)}")
            searches = self.saved_searches()
            if searches:
                lines += ["", "# Saved searches", ""]
                lines += [f"- **{s.name}**: `{s.query}`" for s in searches]
            return "\n".join(lines) + "\n"
        if fmt == "html":
            from html import escape

            items = [
                f'<DT><A HREF="{escape(a.link or "")}" ADD_DATE="{int(when.timestamp())}">'
                f"{escape(a.title)}</A>"
                for a, when in marks
            ]
            return (
                "<!DOCTYPE NETSCAPE-Bookmark-file-1>\n<TITLE>Bookmarks</TITLE>\n<H1>Bookmarks</H1>\n"
                "<DL><p>\n" + "\n".join(items) + "\n</DL><p>\n"
            )
        raise NewsreaderError(f"unknown export format {fmt!r} (json, md or html)")

    # -- saved searches ------------------------------------------------------------------------

    def saved_searches(self, *, with_counts: bool = False) -> list[SavedSearch]:
        searches = self.store.saved_searches()
        if not with_counts:
            return searches
        out = []
        for s in searches:
            try:
                unread = s.query + " is:unread"
                res = self._on_index(lambda idx: idx.search(unread, limit=1))  # noqa: B023
                count = res.total
            except NewsreaderError:
                count = 0
            out.append(replace(s, unread_count=count))
        return out

    def save_search(self, name: str, query: str) -> None:
        name = name.strip()
        if not name:
            raise NewsreaderError("a saved search needs a name")
        self.store.save_search(name, query)

    def delete_search(self, name: str) -> None:
        self.store.delete_search(name)

    # -- entities --------------------------------------------------------------------------------

    def entities_available(self) -> bool:
        from .entities.extract import model_available

        return model_available()

    def enrich(
        self, *, progress: Callable[[int, int], None] | None = None, limit: int | None = None
    ) -> int:
        """Extract entities of articles that lack them (resumable), then update the index."""
        from .entities.enrich import enrich_pending

        done = enrich_pending(self.store, progress=progress, limit=limit)
        if done:
            self._try_sync_index()
        return done

    def pending_enrichment(self) -> int:
        from .entities.extract import ENTITY_VERSION

        return self.store.count_needing_entities(ENTITY_VERSION)

    def article_entities(self, ref: str) -> list[tuple[str, Mention]]:
        return self.store.article_entities(self.store.resolve_article_id(ref))

    def top_entities(
        self, n: int = 20, since: datetime | None = None
    ) -> list[tuple[str, str, int, int]]:
        return self.store.top_entities(n, since)

    # -- app state ---------------------------------------------------------------------------------

    def ui_state(self) -> dict[str, str]:
        return self.store.get_state()

    def save_ui_state(self, values: dict[str, str]) -> None:
        self.store.set_state(values)


@contextlib.contextmanager
def _rebuild_lock(data_dir: Path) -> Iterator[None]:
    """Hold an exclusive lock on the data directory's reindex lock file (POSIX flock; where
    there is none, no lock), so two `reindex` runs never remove each other's index."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    try:
        handle = open(data_dir / _REBUILD_LOCK_FILE, "a+b")  # noqa: SIM115 - held across yield
    except OSError as exc:
        raise StoreError(f"cannot lock {data_dir} for a reindex: {exc.strerror}") from exc
    with handle:
        deadline = time.monotonic() + _REBUILD_WAIT
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise IndexError_(
                        "the search index is busy: another process is rebuilding it"
                    ) from None
                time.sleep(0.1)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _read_token(path: Path) -> tuple[str | None, int | None]:
    """(token, generation) from the index's token file; an old file holds only the token."""
    try:
        parts = path.read_text().split()
    except OSError:
        return None, None
    token = parts[0] if parts else None
    generation = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
    return token, generation


def _write_token(path: Path, token: str, generation: int) -> None:
    """Replace the token file in one step, so a crash never leaves half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(f"{token} {generation}\n")
    os.replace(tmp, path)


def _generations_agree(index: int | None, store: int | None) -> bool:
    """The index may be one batch ahead of the store (crash after its commit), never behind
    or further ahead; unknown generations (older versions) are trusted."""
    if index is None or store is None:
        return True
    return index in (store, store + 1)


# (kind, message, candidate feed URLs) when a body is not a usable feed
ParseOutcome = ParsedFeed | tuple[str, str, list[str]]
_POOL_THRESHOLD = 8
_BODIES_PER_WORKER = 4  # downloaded bodies waiting to be parsed and stored, per parse worker
_SLOT_WAIT = 1.0  # seconds a download waits for a slot before it goes on without one


def parse_job(body: bytes, url: str, content_type: str | None) -> ParseOutcome:
    """Parse one body; runs in a worker process, so failures come back as values."""
    from .feeds.parse import parse_feed

    try:
        return parse_feed(body, url, content_type)
    except NotAFeedError as exc:
        return ("not-a-feed", str(exc), exc.candidates)
    except FeedError as exc:
        return ("error", str(exc), [])
    except Exception as exc:  # feedparser or lxml choking on hostile input
        return ("error", f"{url}: the feed could not be parsed ({type(exc).__name__})", [])


def _skip_httpx_cli() -> None:
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
    return min(os.cpu_count() or 1, 4)


def _parse_pool() -> Any:
    """Worker processes for parsing, or None where they cannot be had (one core, no fork)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    workers = _parse_workers()
    if workers < 2:
        return None
    try:
        return ProcessPoolExecutor(
            workers,
            mp_context=multiprocessing.get_context("forkserver"),
            initializer=_exit_with,
            initargs=(os.getpid(),),
        )
    except (OSError, ValueError):
        return None


def _exit_with(parent: int) -> None:
    """In a parse worker: exit once the process that made the pool is gone.

    A worker holds both ends of its task queue and the forkserver's liveness pipe, so
    after a ``kill -9`` of the refresh nothing ever tells it (or the forkserver) to stop:
    without this they would wait for ever."""

    def watch() -> None:
        while True:
            time.sleep(1.0)
            try:
                os.kill(parent, 0)
            except ProcessLookupError:
                os._exit(0)
            except OSError:
                pass
            if _is_zombie(parent):
                os._exit(0)

    threading.Thread(target=watch, name="newsreader-parent-watch", daemon=True).start()


def _is_zombie(pid: int) -> bool:
    """True for a process that has died but not been reaped (Linux; elsewhere False)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            return fh.read().rsplit(b")", 1)[1].split()[0] in (b"Z", b"X")
    except (OSError, IndexError):
        return False


def bookmark_json(article: Article, when: datetime) -> dict[str, Any]:
    return {
        "id": article.id,
        "title": article.title,
        "link": article.link,
        "feed": article.feed_title,
        "published": to_iso(article.published),
        "bookmarked_at": to_iso(when),
    }


def _normalise_url(url: str) -> str:
    url = url.strip()
    if not url:
        raise NewsreaderError("an empty URL cannot be added")
    if "://" not in url:
        path = Path(url).expanduser()
        if path.exists():
            return path.resolve().as_uri()
        if "." in url.split("/")[0]:
            return "https://" + url
        raise NewsreaderError(f"{url} is neither a URL nor an existing file")
    scheme = url.split("://", 1)[0].lower()
    if scheme not in ("http", "https", "file"):
        raise NewsreaderError(f"unsupported URL scheme {scheme!r}: use http, https or file")
    return url


def _parse_time(value: str | None) -> datetime | None:
    from .store import from_iso

    return from_iso(value)
