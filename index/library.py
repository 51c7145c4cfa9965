"""Library: the one facade the CLI and the app call for everything they do.

Each method hands off in a few lines: the store (``store/``) holds the state, the refresh
pipeline (``feeds/refresh.py``) fetches and stores feeds, ``search/consistency.py`` keeps
the search index in step with the store, ``exports.py`` writes bookmarks out.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from .config import Paths, Settings, load_settings, resolve_paths
from .entities.groups import group_mentions
from .entities.languages import enrich_languages, installed_languages
from .entities.status import entity_status
from .errors import NewsreaderError, NotAFeedError, NotFoundError, StoreDamagedError, StoreError
from .feeds.refresh import RefreshPipeline, download_and_parse
from .models import (
    Article,
    ArticleRow,
    Coverage,
    EntityGroup,
    EntityStatus,
    EntityTrend,
    Feed,
    FeedResult,
    Filter,
    FilterRun,
    Folder,
    MarkResult,
    Mention,
    ParseFailure,
    Progress,
    RefreshReport,
    SavedSearch,
    SearchHit,
    SearchResults,
    Story,
    StorySketch,
    View,
)
from .search.consistency import ConsistentIndex
from .store import Store
from .stories.collapse import collapsed_page, one_hit_per_story, with_sources
from .times import to_iso, utcnow

if TYPE_CHECKING:
    from .search.index import SearchIndex


TREND_DAYS = 30  # the days a trend covers unless told (the entity panel's sparkline)


class Library:
    """Feeds, articles, bookmarks, search and entities of one data directory."""

    def __init__(self, paths: Paths, settings: Settings, store: Store) -> None:
        self.paths = paths
        self.settings = settings
        self.store = store
        self.notices: list[str] = []  # things the user should be told once (rebuilt index, …)
        self._search = ConsistentIndex(store, paths.index_dir, paths.data_dir, self.notices)
        self._rising: tuple[object, list[EntityTrend]] | None = None

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
        self._search.close()
        self.store.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- feeds ---------------------------------------------------------------------------

    def feeds(self) -> list[Feed]:
        return self.store.feeds()

    def feed_count(self) -> int:
        """How many feeds there are (cheap: ``feeds()`` counts every feed's articles too)."""
        return self.store.feed_count()

    def find_feed(self, ref: str | int) -> Feed:
        """A feed by id, URL, display name or title (case-insensitive, unique prefix
        accepted)."""
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
        named = [f for f in feeds if f.display_name.lower() == low and f.display_name != f.title]
        if len(named) == 1:  # "Newsroom (example.org)", as `feeds` shows same-titled feeds
            return named[0]
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
        res, outcome = download_and_parse(url, self.settings)
        if isinstance(outcome, ParseFailure):
            if not outcome.candidates:
                raise NotAFeedError(outcome.message, url=url)
            url = outcome.candidates[0]
            self.notices.append(
                f"{res.url} is a web page; subscribed to the feed it links to: {url}"
            )
            res, outcome = download_and_parse(url, self.settings)
            if isinstance(outcome, ParseFailure):
                raise NotAFeedError(outcome.message, url=url)
        feed = self.store.add_feed(res.new_url or url, title)
        try:
            pipeline = RefreshPipeline(self.store, self.settings)
            result = pipeline.ingest(feed.id, replace(res, feed_id=feed.id), outcome)
        except NewsreaderError:
            # e.g. a full disk: leave no half-added feed behind, so the same `add` works later
            with contextlib.suppress(NewsreaderError):
                self.store.remove_feed(feed.id)
            raise
        self._try_group_stories(pipeline.sketches)
        if index:
            self._search.try_sync()
        return self.store.feed(feed.id), result

    def remove_feed(self, ref: str | int) -> tuple[Feed, int]:
        """Unsubscribe; returns the feed and how many of its bookmarks went with it.

        An int is a feed id and nothing else (the app deletes the row it highlights); text
        is resolved as ``find_feed`` does."""
        feed = self.store.feed(ref) if isinstance(ref, int) else self.find_feed(ref)
        lost = self.store.remove_feed(feed.id)
        self._search.try_sync()
        return feed, lost

    def rename_feed(self, ref: str | int, title: str | None) -> Feed:
        feed = self.find_feed(ref)
        self.store.rename_feed(feed.id, title)
        return self.store.feed(feed.id)

    def update_feed(
        self,
        ref: str | int,
        *,
        folder: str | None = None,
        title: str | None = None,
        tags: Sequence[str] | None = None,
    ) -> Feed:
        """Move, rename and tag a feed; None leaves that part as it is. ``folder=""`` moves
        it to the top, ``title=""`` gives it back the title its feed document has."""
        from .folders import clean_folder
        from .text import one_line

        feed = self.store.feed(ref) if isinstance(ref, int) else self.find_feed(ref)
        if title is not None:
            self.store.rename_feed(feed.id, one_line(title).strip() or None)
        if folder is not None or tags is not None:
            self.store.update_feed(
                feed.id,
                folder=clean_folder(folder),
                set_folder=folder is not None,
                tags=[one_line(t) for t in tags] if tags is not None else None,
            )
        return self.feed_details(feed.id)

    def feed_details(self, ref: str | int) -> Feed:
        """One feed with everything known of it: counts, folder, tags, last success, last
        error, next attempt (``Feed.status()`` sums it up)."""
        feed_id = ref if isinstance(ref, int) else self.find_feed(ref).id
        for feed in self.store.feeds():
            if feed.id == feed_id:
                return feed
        raise NotFoundError(f"no feed with id {feed_id}")

    def folders(self) -> list[Folder]:
        """The folder tree, parents before children, with article and unread counts."""
        from .folders import folder_tree

        return folder_tree(self.store.feeds())

    def import_opml(self, path: str | Path) -> tuple[list[Feed], list[str]]:
        """Subscribe to every feed of an OPML file (no fetching); returns (added, skipped).

        Each feed keeps its folder (the outlines it is nested in, as ``News/Deutsch``) and
        tags (its ``category`` attribute). A file that is not OPML is a NotOpmlError and
        nothing is imported. An outline whose address cannot be used (``javascript:``, an unknown scheme, a
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
            added.append(
                self.store.add_feed(
                    url,
                    outline.title,
                    folder=outline.folder,
                    tags=outline.tags,
                    site_link=outline.site_link,
                )
            )
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
        """Fetch feeds concurrently, store each as it arrives, index them in one batch, then
        apply the filters to the new articles.

        Named feeds are always fetched; in a refresh of all feeds, feeds marked gone
        (HTTP 410), feeds asked to wait (Retry-After) and feeds backing off after
        server errors are skipped.
        """
        if refs:
            targets = [(f.id, f.url) for f in (self.find_feed(r) for r in refs)]
        else:
            targets = self.store.feed_urls()  # ids and URLs only: feeds() counts articles too
        pipeline = RefreshPipeline(self.store, self.settings)
        pipeline.group_batch = self._try_group_stories  # a big refresh groups as it goes
        results = pipeline.run(targets, explicit=bool(refs), progress=progress)
        self._try_group_stories(pipeline.sketches)
        if not index:  # filters need the index: `newsreader filter apply` does them later
            return RefreshReport(results=results)
        if pipeline.new_ids:
            self._full_texts_of_new(pipeline.new_ids)
        # a refresh that stored nothing new leaves an index not open yet unopened
        indexed = self._search.try_sync(when_pending=True)
        filtered = self.apply_filters(only=pipeline.new_ids) if pipeline.new_ids else []
        return RefreshReport(results=results, indexed=indexed, filtered=filtered)

    # -- full text from the article's page ---------------------------------------------

    def fetch_full_text(self, article_id: str) -> Article:
        """Fetch the article's page, keep its main text beside the feed's, re-index it (its
        entities are found again by the next enrichment); a PageError says why not."""
        from .feeds.article_page import PageError, fetch_full_texts

        article = self.article(article_id)
        if not article.link:
            raise PageError("this article has no link to fetch")
        problems = fetch_full_texts(self.store, self.settings, [article.id])
        if problems:
            raise PageError(problems[0].split(": ", 1)[-1])
        self._search.try_sync()
        return self.article(article.id)

    def set_feed_full_text(self, ref: str | int, on: bool) -> Feed:
        """Fetch (or stop fetching) every new article's page when the feed is refreshed."""
        feed = self.find_feed(ref)
        self.store.set_feed_full_text(feed.id, on)
        return self.store.feed(feed.id)

    def _full_texts_of_new(self, new_ids: Sequence[str]) -> None:
        """The pages of new articles of feeds that want full text, a few at a time; a page
        that fails leaves the feed's text and is noted once, not retried every refresh."""
        from .feeds.article_page import fetch_full_texts

        wanting = [f.id for f in self.store.feeds() if f.full_text]
        if not wanting:
            return
        wanted = set(self.store.articles_wanting_full_text(wanting, limit=200))
        ids = [i for i in new_ids if i in wanted]
        if ids:
            problems = fetch_full_texts(self.store, self.settings, ids)
            if problems:
                self.notices.append(f"full text: {len(problems)} page(s) failed ({problems[0]})")

    # -- the search index ----------------------------------------------------------------

    @property
    def index(self) -> SearchIndex:
        """The search index, opened on first use; rebuilt (and the user told) if broken."""
        return self._search.index

    def sync_index(self, progress: Progress | None = None) -> int:
        """Bring the index up to date with the store: one writer, one commit per batch."""
        return self._search.sync(progress)

    def reindex(self, progress: Progress | None = None) -> int:
        """Rebuild the whole index from the store (one process at a time); first read
        again the text of articles an older version read short (``reread_texts``)."""
        self.reread_texts()
        self.rebuild_stories()
        return self._search.reindex(progress)

    def reread_texts(self) -> int:
        """Read again, from their stored HTML, the articles whose text may have lost the
        words before the HTML's first tag (fixed 6 Dec); returns how many changed."""
        from .reading.article import feed_text

        changed = 0
        after = ""
        while rows := self.store.texts_to_reread(after):
            after = rows[-1][0]
            texts = []
            for aid, summary_html, content_html, text in rows:
                new_text = feed_text(summary_html, content_html)[1]
                if new_text != text:
                    texts.append((aid, new_text))
            if texts:
                self.store.replace_texts(texts)
                changed += len(texts)
        return changed

    def search(
        self,
        query: str,
        *,
        limit: int = 20,
        offset: int = 0,
        sort: str | None = None,
        facets: bool = False,
        catch_up: bool = True,
    ) -> SearchResults:
        """Search; ``catch_up`` first brings the index up to date (the CLI). The app passes
        False, searches what is indexed already, and reads ``pending`` (articles not yet
        searchable) to say so while its background job catches up."""
        if catch_up:
            self._search.try_sync()

        def fetch(at: int, count: int, first: bool) -> SearchResults:
            found = self._search.use(
                lambda idx: idx.search(
                    query, limit=count, offset=at, sort=sort, facets=facets and first
                )
            )
            return self._with_store_state(found, query)

        # a story once, at its best hit, whatever the page (index/stories/collapse.py)
        found = collapsed_page(self.store, fetch, offset, limit)
        return replace(found, pending=self.pending_index())

    def pending_index(self) -> int:
        """Articles stored but not searchable yet (being indexed, or still to be)."""
        return self._search.pending()

    def _with_store_state(self, results: SearchResults, query: str = "") -> SearchResults:
        """Read and bookmark marks come from the store, the source of truth; so does
        hiding: hidden articles are left out unless the query asks for ``is:hidden``."""
        rows = self.store.rows([h.id for h in results.hits])
        hidden = self.store.hidden_ids(list(rows))
        wants_hidden = _asks_for_hidden(query)
        hits = [
            replace(h, read=rows[h.id].read, bookmarked=rows[h.id].bookmarked)
            for h in results.hits
            if h.id in rows and (h.id in hidden) == wants_hidden
        ]
        return replace(results, hits=hits)

    def _matching_ids(self, query: str) -> list[str]:
        """Every article the query matches (hidden ones only for ``is:hidden``)."""
        self._search.try_sync()
        total = self._search.use(lambda idx: idx.count(query))
        if not total:
            return []
        found = self._search.use(lambda idx: idx.search(query, limit=total, sort="date"))
        return [h.id for h in self._with_store_state(found, query).hits]

    def related(self, ref: str, *, limit: int = 10) -> list[SearchHit]:
        article_id = self.store.resolve_article_id(ref)
        self._search.try_sync()
        hits = self._search.use(lambda idx: idx.related(article_id, limit=limit))
        # the article's own copies are its story, not related coverage
        own = set(self.store.story_article_ids([article_id]))
        hits = [h for h in hits if h.id not in own]
        found = self._with_store_state(SearchResults(total=len(hits), hits=hits))
        return one_hit_per_story(self.store, found).hits

    # -- articles --------------------------------------------------------------------------

    def article(self, ref: str) -> Article:
        return self.store.article(self.store.resolve_article_id(ref))

    def list_articles(
        self,
        view: str = "all",
        feed_id: int | None = None,
        *,
        folder: str | None = None,
        limit: int = 100,
        offset: int = 0,
        reverse: bool = False,
    ) -> list[ArticleRow]:
        """A page of rows, newest first; ``reverse``: oldest first (cheap pages at the end).

        ``view`` "unread" with a feed or folder is "only unread" in that list; hidden
        articles are in the "hidden" view only. ``folder`` includes its subfolders."""
        rows = self.store.list_articles(
            view, feed_id, folder=folder, limit=limit, offset=offset, reverse=reverse
        )
        return with_sources(self.store, rows)

    def library_size_hint(self) -> int:
        """At least the number of articles stored, without counting them (cheap at any size)."""
        return self.store.article_rows_hint()

    def count_articles(
        self, view: str = "all", feed_id: int | None = None, *, folder: str | None = None
    ) -> int:
        """Rows of a view: across feeds a story counts once."""
        return self.store.count_articles(view, feed_id, folder=folder)

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

    def mark_all(
        self,
        read: bool = True,
        *,
        feed: str | int | None = None,
        folder: str | None = None,
        query: str | None = None,
        view: View | None = None,
        before: datetime | None = None,
    ) -> MarkResult:
        """Mark every article of a list read (or unread): a feed, a folder (with its
        subfolders), a view, a search's results, or all of them when none is given; only
        articles dated before ``before`` when it is given. The result holds the ids that
        changed, for ``undo_mark``."""
        feed_id = None
        if feed is not None:
            feed_id = feed if isinstance(feed, int) else self.find_feed(feed).id
        ids = self.store.select_ids(
            view or "all", feed_id, folder=folder, before=before, read=not read
        )
        if query is not None and query.strip():
            matched = set(self._matching_ids(query))
            ids = [i for i in ids if i in matched]
        ids = self.store.story_article_ids(ids)  # a story is read in every feed that has it
        return MarkResult(read=read, ids=tuple(self.store.set_read_changed(ids, read)))

    def mark_articles(self, ids: Sequence[str], read: bool = True) -> MarkResult:
        """Mark the given articles (with their stories' other copies) read or unread; the
        result can be undone."""
        ids = self.store.story_article_ids(ids)
        return MarkResult(read=read, ids=tuple(self.store.set_read_changed(ids, read)))

    def undo_mark(self, result: MarkResult) -> int:
        """Put back what ``mark_all``/``mark_articles`` changed; how many changed back."""
        return len(self.store.set_read_changed(result.ids, not result.read))

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

    def group_stories(
        self,
        progress: Callable[[int, int], None] | None = None,
        sketches: Mapping[str, StorySketch] | None = None,
    ) -> int:
        """Group the articles that arrived or changed since the last time (refresh does it,
        with the ``sketches`` its parse workers made)."""
        from .stories.grouping import group_pending

        return group_pending(self.store, progress=progress, sketches=sketches)

    def rebuild_stories(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Forget every story and group the whole library again (reindex does it)."""
        from .stories.grouping import rebuild

        return rebuild(self.store, progress=progress)

    def other_coverage(self, ref: str, *, limit: int = 5) -> list[Coverage]:
        """Other articles on the same event, written differently: shared entities and
        similar words within a few days (index/stories/coverage.py); not the article's own
        story (its copies), and empty until entities are extracted."""
        from .stories.coverage import other_coverage

        article_id = self.store.resolve_article_id(ref)
        mentions = [m for _, m in self.store.article_entities(article_id)]
        return other_coverage(self.store, article_id, mentions, limit=limit)

    def entity_trends(
        self,
        *,
        since: date | None = None,
        until: date | None = None,
        entities: Sequence[tuple[str, str]] | None = None,
        limit: int | None = None,
    ) -> list[EntityTrend]:
        """Articles per entity per day from ``since`` (30 days before ``until``, today by
        default), the most mentioned entities first."""
        from .stories.trends import entity_trends

        last = until or utcnow().date()
        first = since or last - timedelta(days=TREND_DAYS - 1)
        found = entity_trends(self.store, since=first, until=last, entities=entities)
        return found[:limit] if limit is not None else found

    def article_trends(self, ref: str, *, days: int = TREND_DAYS) -> list[EntityTrend]:
        """The daily trend of each entity the article names, over the last ``days``."""
        article_id = self.store.resolve_article_id(ref)
        named = sorted({(m.canonical, m.label) for _, m in self.store.article_entities(article_id)})
        if not named:
            return []
        last = utcnow().date()
        return self.entity_trends(since=last - timedelta(days=days - 1), until=last, entities=named)

    def rising_entities(self, *, limit: int = 10) -> list[EntityTrend]:
        """What is rising this week against the weeks before; kept until the library or
        the day changes (the entity panel asks for it with every article)."""
        from .stories.trends import rising_this_week

        today = utcnow().date()
        key = (today, self.store.trend_version())
        if self._rising is None or self._rising[0] != key:
            self._rising = (key, rising_this_week(self.store, today=today, limit=limit))
        return self._rising[1][:limit]

    def _try_group_stories(self, sketches: Mapping[str, StorySketch] | None = None) -> int:
        """Group at refresh; a busy store only delays it (the queue keeps what is left)."""
        try:
            return self.group_stories(sketches=sketches)
        except StoreDamagedError:
            raise
        except NewsreaderError as exc:
            self.notices.append(f"stories not grouped yet ({exc}); they are next time")
            return 0

    def bookmarks(self) -> list[tuple[Article, datetime]]:
        return self.store.bookmarks()

    def export_bookmarks(self, fmt: str = "json") -> str:
        """Bookmarks (and saved searches) as JSON, Markdown or an HTML bookmarks file."""
        from .exports import export_bookmarks

        return export_bookmarks(self.store.bookmarks(), self.saved_searches(), fmt)

    # -- saved searches ------------------------------------------------------------------------

    def saved_searches(self, *, with_counts: bool = False) -> list[SavedSearch]:
        searches = self.store.saved_searches()
        if not with_counts:
            return searches
        out = []
        for s in searches:
            try:
                unread = s.query + " is:unread"
                res = self._search.use(lambda idx: idx.search(unread, limit=1))  # noqa: B023
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

    # -- filters ---------------------------------------------------------------------------

    def filters(self) -> list[Filter]:
        return self.store.filters()

    def add_filter(self, name: str, query: str, action: str) -> Filter:
        """Add (or replace) a filter; a bad action, name or query is a NewsreaderError."""
        from .filters import check_filter

        rule = check_filter(name, query, action)
        self.store.save_filter(rule.name, rule.query, rule.action)
        return rule

    def delete_filter(self, name: str) -> None:
        self.store.delete_filter(name)

    def apply_filters(
        self, names: Sequence[str] | None = None, *, only: Sequence[str] | None = None
    ) -> list[FilterRun]:
        """Apply filters (all, or those named) to every article, or to the ids in ``only``
        (refresh passes the new ones); then bring the index up to date with what changed."""
        from .filters import run_filter

        rules = self.store.filters()
        if names is not None:
            known = {r.name for r in rules}
            missing = [n for n in names if n not in known]
            if missing:
                raise NotFoundError(
                    f"no filter named {missing[0]!r} (see `newsreader filter list`)"
                )
            rules = [r for r in rules if r.name in set(names)]
        if not rules:
            return []
        scope = set(only) if only is not None else None
        runs = []
        for rule in rules:
            matched = self._matching_ids(rule.query)
            if scope is not None:
                matched = [i for i in matched if i in scope]
            runs.append(run_filter(self.store, rule, matched))
        if any(r.changed for r in runs):
            self._search.try_sync()
        return runs

    # -- search history ----------------------------------------------------------------------

    def search_history(self, limit: int = 50) -> list[str]:
        """Earlier queries, the most recent first, each once (kept across restarts)."""
        return self.store.search_history(limit)

    def remember_search(self, query: str) -> None:
        """Put a query at the top of the search history (blank ones are not kept)."""
        query = query.strip()
        if query:
            self.store.remember_search(query)

    # -- entities --------------------------------------------------------------------------------

    def entities_available(self) -> bool:
        """Whether some language's entity model is installed (cheap, imports nothing)."""
        return bool(installed_languages())

    def enrich(
        self, *, progress: Callable[[int, int], None] | None = None, limit: int | None = None
    ) -> int:
        """Extract entities of articles that lack them, each with its language's model
        (resumable), then update the index."""
        from .entities.enrich import enrich_pending

        cleared = self.store.clear_entities_outside(enrich_languages())
        done = enrich_pending(self.store, progress=progress, limit=limit)
        if done or cleared:
            self._search.try_sync()
        return done

    def pending_enrichment(self) -> int:
        """How many articles wait for an installed model (their language's)."""
        from .entities.enrich import pending_count

        return pending_count(self.store)

    def entity_status(self, ref: str) -> EntityStatus:
        """Where the article stands with its entities, and what to say when it has none:
        not extracted yet, or no (installed) entity model for its language."""
        aid = self.store.resolve_article_id(ref)
        version, language = self.store.entity_state(aid)
        return entity_status(version, language)

    def article_entities(self, ref: str) -> list[tuple[str, Mention]]:
        return self.store.article_entities(self.store.resolve_article_id(ref))

    def entity_groups(self, ref: str) -> list[EntityGroup]:
        """The article's entities by type, with counts, other forms and their searches."""
        return group_mentions(m for _, m in self.article_entities(ref))

    def top_entities(
        self, n: int = 20, since: datetime | None = None
    ) -> list[tuple[str, str, int, int]]:
        return self.store.top_entities(n, since)

    # -- app state ---------------------------------------------------------------------------------

    def ui_state(self) -> dict[str, str]:
        return self.store.get_state()

    def save_ui_state(self, values: dict[str, str]) -> None:
        self.store.set_state(values)


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


def _asks_for_hidden(query: str) -> bool:
    """Whether a query asks for hidden articles (``is:hidden``, not negated)."""
    return re.search(r"(?<![\w:.-])(?<!NOT )is:hidden\b", query, re.IGNORECASE) is not None
