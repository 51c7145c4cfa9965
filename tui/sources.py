"""What the article list shows: a source (a view, a feed or a search) and its rows, paged.

The list never holds every article: ``PagedRows`` asks the library for one page at a time,
when a row of that page is first drawn, and keeps a bounded number of pages.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Literal

from newsreader.index.errors import NewsreaderError
from newsreader.index.library import Library
from newsreader.index.models import ArticleRow, SearchHit, SearchResults
from newsreader.index.text import one_line

PAGE_SIZE = 100
MAX_PAGES = 64

SourceKind = Literal["view", "feed", "folder", "search"]
VIEW_LABELS = {"all": "All articles", "unread": "Unread", "bookmarks": "Bookmarks"}


@dataclass(frozen=True, slots=True)
class ListSource:
    """One thing the article list can show; ``saved`` names a saved search, ``folder`` is a
    folder's path (``News/Deutsch``); ``only_unread`` leaves read articles out of it."""

    kind: SourceKind = "view"
    view: str = "all"
    feed_id: int | None = None
    query: str = ""
    label: str = "All articles"
    saved: str | None = None
    folder: str = ""
    only_unread: bool = False

    @classmethod
    def of_view(cls, view: str) -> ListSource:
        return cls("view", view=view, label=VIEW_LABELS.get(view, view))

    @classmethod
    def of_feed(cls, feed_id: int, title: str) -> ListSource:
        return cls("feed", feed_id=feed_id, label=title)

    @classmethod
    def of_folder(cls, path: str) -> ListSource:
        return cls("folder", folder=path, label=path)

    @classmethod
    def of_search(cls, query: str, saved: str | None = None) -> ListSource:
        return cls("search", query=query, label=saved or query, saved=saved)

    def with_only_unread(self, only_unread: bool) -> ListSource:
        """The same list with or without its read articles (the Unread view is unread
        already; bookmarks are listed read or not)."""
        if self.kind == "view" and self.view in ("unread", "bookmarks"):
            return replace(self, only_unread=False)
        return replace(self, only_unread=only_unread)

    @property
    def search_query(self) -> str:
        """The query a search runs: the user's, narrowed to unread articles when asked."""
        return f"({self.query}) is:unread" if self.only_unread else self.query

    @property
    def key(self) -> str:
        """The sidebar option id of this source ('' for an ad-hoc search)."""
        if self.kind == "view":
            return f"view:{self.view}"
        if self.kind == "feed":
            return f"feed:{self.feed_id}"
        if self.kind == "folder":
            return f"folder:{self.folder}"
        return f"search:{self.saved}" if self.saved else ""


@dataclass(frozen=True, slots=True)
class ListRow:
    """One line of the article list: untrusted titles already flattened to one line."""

    id: str
    feed_id: int
    feed: str
    title: str
    published: datetime | None
    read: bool
    bookmarked: bool
    link: str | None = None
    title_highlights: tuple[tuple[int, int], ...] = ()
    snippet: str = ""
    snippet_highlights: tuple[tuple[int, int], ...] = ()
    sources: int = 1  # feeds carrying this story (the list shows "N sources")

    @classmethod
    def from_article_row(cls, row: ArticleRow) -> ListRow:
        return cls(
            id=row.id,
            feed_id=row.feed_id,
            feed=one_line(row.feed_title),
            title=one_line(row.title) or "(untitled)",
            published=row.published,
            read=row.read,
            bookmarked=row.bookmarked,
            link=row.link,
            sources=row.sources,
        )

    @classmethod
    def from_hit(cls, hit: SearchHit) -> ListRow:
        title = one_line(hit.title)
        # one_line only trims and joins whitespace; offsets stay valid when the title had none
        spans = tuple(hit.title_highlights) if title == hit.title else ()
        snippet = one_line(hit.snippet)
        snippet_spans = tuple(hit.highlights) if snippet == hit.snippet else ()
        return cls(
            id=hit.id,
            feed_id=hit.feed_id,
            feed=one_line(hit.feed),
            title=title or "(untitled)",
            published=hit.published,
            read=hit.read,
            bookmarked=hit.bookmarked,
            link=hit.link,
            title_highlights=spans,
            snippet=snippet,
            snippet_highlights=snippet_spans,
            sources=hit.sources,
        )


_SEPARATORS = (": ", " - ", " – ", " — ", " | ", " · ")


def short_feed_names(titles: dict[int, str]) -> dict[int, str]:
    """Feed titles without the part they all share ("Example News: World" -> "World").

    Only a shared prefix that ends at a separator (": ", " - ", " | ", …) is dropped, and
    only when every feed keeps a name.
    """
    names = {k: one_line(v) for k, v in titles.items()}
    if len(names) < 2:
        return names
    values = list(names.values())
    common = values[0]
    for v in values[1:]:
        while not v.startswith(common):
            common = common[:-1]
    cut = max((common.rfind(sep) + len(sep) for sep in _SEPARATORS if sep in common), default=0)
    if cut <= 0 or any(len(v) <= cut for v in values):
        return names
    return {k: v[cut:] for k, v in names.items()}


def distinct_feed_names(titles: dict[int, str]) -> dict[int, str]:
    """Each feed's name less the leading part it shares with some other feed's name, when
    that part ends at a separator: "Newsreader Demo: World" beside "Newsreader Demo:
    Science" is "World", while "Harbour Times" stays whole. A name that would become empty
    or the same as another's is kept whole. Neighbours in sorted order share the longest
    prefixes, so this is O(n log n) for any number of feeds."""
    names = {k: one_line(v) for k, v in titles.items()}
    ordered = sorted(set(names.values()))
    cut_of: dict[str, int] = {}
    for i, name in enumerate(ordered):
        best = 0
        for j in (i - 1, i + 1):
            if 0 <= j < len(ordered):
                common = _common_prefix(name, ordered[j])
                cut = max(
                    (common.rfind(sep) + len(sep) for sep in _SEPARATORS if sep in common),
                    default=0,
                )
                best = max(best, cut)
        cut_of[name] = best if name[best:].strip() else 0
    short = {k: v[cut_of[v] :] for k, v in names.items()}
    taken: dict[str, int] = {}
    for v in short.values():
        taken[v] = taken.get(v, 0) + 1
    return {k: v if taken[v] == 1 else names[k] for k, v in short.items()}


def _common_prefix(a: str, b: str) -> str:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return a[:n]


FEED_COLUMN_MIN = 6
FEED_COLUMN_MAX = 24


def feed_column_width(names: dict[int, str], list_width: int) -> int:
    """How wide the article list's feed column is: as wide as the longest name (after
    ``distinct_feed_names``), within a quarter of the list (at least 8 cells), so the
    titles keep most of the row at every size."""
    need = max((len(v) for v in names.values()), default=0)
    cap = max(8, min(FEED_COLUMN_MAX, list_width // 4))
    return max(FEED_COLUMN_MIN, min(need, cap))


def fit_feed_names(names: dict[int, str], width: int) -> dict[int, str]:
    """The names cut to ``width`` cells so that different names stay different: a cut
    that would make two alike keeps the start and the end ("Harbo…Evening")."""
    cut = {k: v if len(v) <= width else v[: width - 1] + "…" for k, v in names.items()}
    seen: dict[str, set[str]] = {}
    for k, v in cut.items():
        seen.setdefault(v, set()).add(names[k])
    for k, v in cut.items():
        if len(seen[v]) > 1:
            full = names[k]
            head = max(1, (width - 1) // 3)
            tail = width - 1 - head
            cut[k] = full[:head] + "…" + full[-tail:]
    return cut


Fetch = Callable[[int, int], list[ListRow]]


@dataclass
class PagedRows:
    """``total`` rows, fetched ``page_size`` at a time through ``fetch(offset, limit)``."""

    total: int
    fetch: Fetch
    page_size: int = PAGE_SIZE
    pages: OrderedDict[int, list[ListRow]] = field(default_factory=OrderedDict)

    def seed(self, offset: int, rows: list[ListRow]) -> None:
        """Keep rows already fetched (the first page of a search) so they are not asked again."""
        if offset % self.page_size == 0 and len(rows) >= min(self.page_size, self.total - offset):
            self.pages[offset // self.page_size] = rows[: self.page_size]

    def get(self, index: int) -> ListRow | None:
        if index < 0 or index >= self.total:
            return None
        number, at = divmod(index, self.page_size)
        page = self.pages.get(number)
        if page is None:
            page = self.fetch(number * self.page_size, self.page_size)
            self.pages[number] = page
            while len(self.pages) > MAX_PAGES:
                self.pages.popitem(last=False)
        else:
            self.pages.move_to_end(number)
        return page[at] if at < len(page) else None

    def update(self, article_id: str, **changes: object) -> None:
        """Change a cached row in place (read and bookmark marks)."""
        for page in self.pages.values():
            for i, row in enumerate(page):
                if row.id == article_id:
                    page[i] = replace(row, **changes)  # type: ignore[arg-type]

    def index_of(self, article_id: str, limit: int = 2000) -> int | None:
        """The position of an article among the first ``limit`` rows, else None."""
        for i in range(min(self.total, limit)):
            row = self.get(i)
            if row is not None and row.id == article_id:
                return i
        return None


def rows_of(library: Library, source: ListSource) -> PagedRows:
    """Rows of a view, feed or folder, paged from the store (newest first)."""
    view = source.view if source.kind == "view" else "all"
    if source.only_unread:
        view = "unread"
    feed_id = source.feed_id if source.kind == "feed" else None
    folder = source.folder if source.kind == "folder" else None
    total = library.count_articles(view, feed_id, folder=folder)

    def fetch(offset: int, limit: int) -> list[ListRow]:
        try:
            if offset > total // 2:  # the far half is read from its own end
                end = min(offset + limit, total)
                found = library.list_articles(
                    view,
                    feed_id,
                    folder=folder,
                    limit=end - offset,
                    offset=total - end,
                    reverse=True,
                )
                found.reverse()
            else:
                found = library.list_articles(
                    view, feed_id, folder=folder, limit=limit, offset=offset
                )
        except NewsreaderError:  # a store error while scrolling: blank rows, not a crash
            return []
        return [ListRow.from_article_row(r) for r in found]

    rows = PagedRows(total, fetch)
    rows.get(0)  # the first page now, so the first paint never waits on the store
    return rows


@dataclass(frozen=True, slots=True)
class SearchOutcome:
    """A search's first page and what to tell the user about it."""

    source: ListSource
    sort: str
    results: SearchResults
    rows: PagedRows


def run_search(
    library: Library, source: ListSource, sort: str, *, catch_up: bool = True
) -> SearchOutcome:
    """Run a search (on a worker thread) and page its later results from the index.

    ``catch_up`` False searches what is indexed now (a background job indexes the rest;
    the results say how many articles wait)."""
    sort_arg = "date" if sort == "date" else "relevance"
    query = source.search_query
    first = library.search(query, limit=PAGE_SIZE, sort=sort_arg, catch_up=catch_up)

    def fetch(offset: int, limit: int) -> list[ListRow]:
        try:
            res = library.search(query, limit=limit, offset=offset, sort=sort_arg, catch_up=False)
        except NewsreaderError:
            return []
        return [ListRow.from_hit(h) for h in res.hits]

    rows = PagedRows(first.total, fetch)
    rows.seed(0, [ListRow.from_hit(h) for h in first.hits])
    return SearchOutcome(source, sort, first, rows)
