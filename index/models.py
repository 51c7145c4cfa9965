"""The typed values that cross module borders: feeds, articles, hits, entities."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Feed:
    id: int
    url: str
    title: str
    site_link: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    last_fetched: datetime | None = None
    last_error: str | None = None
    warning: str | None = None
    gone: bool = False
    article_count: int = 0
    unread_count: int = 0
    # not refreshed with the others before this time (Retry-After, or backoff after errors)
    retry_after: datetime | None = None


@dataclass(frozen=True, slots=True)
class Article:
    """One stored article; ``text`` is clean plain text, paragraphs split by blank lines."""

    id: str
    feed_id: int
    feed_title: str
    guid: str | None
    link: str | None
    title: str
    author: str | None
    published: datetime | None
    updated: datetime | None
    summary_html: str
    content_html: str
    text: str
    tags: tuple[str, ...] = ()
    read: bool = False
    bookmarked_at: datetime | None = None

    @property
    def bookmarked(self) -> bool:
        return self.bookmarked_at is not None


@dataclass(frozen=True, slots=True)
class ArticleRow:
    """What an article list shows: no body, cheap to page through."""

    id: str
    feed_id: int
    feed_title: str
    title: str
    published: datetime | None
    read: bool
    bookmarked: bool
    link: str | None = None
    sources: int = 1  # feeds carrying this story (index/stories): the list shows "N sources"


@dataclass(frozen=True, slots=True)
class ParsedEntry:
    """A feed entry mapped to our fields, before it is stored."""

    key: str
    guid: str | None
    link: str | None
    title: str
    author: str | None
    published: datetime | None
    updated: datetime | None
    summary_html: str
    content_html: str
    text: str
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    title: str | None
    site_link: str | None
    entries: list[ParsedEntry]
    warning: str | None = None


@dataclass(frozen=True, slots=True)
class Mention:
    """One entity mention: ``start``/``end`` are offsets into the text it came from."""

    text: str
    label: str  # one of ENTITY_TYPES
    start: int
    end: int
    canonical: str


ENTITY_TYPES = ("Person", "Organization", "Place", "Group", "Date", "Event", "Work", "Law")


@dataclass(frozen=True, slots=True)
class IndexDoc:
    """Everything the search index holds of one article, built from the store."""

    id: str
    feed_id: int
    feed: str
    title: str
    body: str
    author: str
    link: str
    tags: tuple[str, ...]
    published: datetime | None
    bookmarked: bool
    read: bool
    person: tuple[str, ...] = ()
    org: tuple[str, ...] = ()
    place: tuple[str, ...] = ()
    group: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SearchHit:
    id: str
    title: str
    feed: str
    feed_id: int
    link: str | None
    published: datetime | None
    score: float
    snippet: str
    highlights: list[tuple[int, int]] = field(default_factory=list)
    title_highlights: list[tuple[int, int]] = field(default_factory=list)
    bookmarked: bool = False
    read: bool = False
    sources: int = 1  # feeds carrying this story (index/stories)


@dataclass(frozen=True, slots=True)
class SearchResults:
    total: int
    hits: list[SearchHit]
    query: str = ""
    suggestion: str | None = None
    warnings: list[str] = field(default_factory=list)
    facets: dict[str, dict[str, int]] | None = None
    terms: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class FeedResult:
    """The outcome of refreshing one feed."""

    feed_id: int
    url: str
    status: str  # "new", "updated", "not-modified", "error", "gone", "skipped"
    new: int = 0
    updated: int = 0
    error: str | None = None
    warning: str | None = None


@dataclass(frozen=True, slots=True)
class RefreshReport:
    results: list[FeedResult]
    indexed: int = 0

    @property
    def new(self) -> int:
        return sum(r.new for r in self.results)

    @property
    def updated(self) -> int:
        return sum(r.updated for r in self.results)

    @property
    def errors(self) -> list[FeedResult]:
        return [r for r in self.results if r.status in ("error", "gone")]


@dataclass(frozen=True, slots=True)
class SavedSearch:
    name: str
    query: str
    unread_count: int = 0


@dataclass(frozen=True, slots=True)
class StoryMember:
    """One source of a story: an article in one feed."""

    article_id: str
    feed_id: int
    feed_title: str
    title: str
    published: datetime | None
    read: bool
    kind: str  # "lead" (the row lists show), "copy" (same URL or guid), "near" (same text)


@dataclass(frozen=True, slots=True)
class Story:
    """Articles that are one story: copies of one page, or one wire text in several feeds.

    ``members`` are in the order they were found, the lead first."""

    id: str
    members: list[StoryMember]

    @property
    def lead(self) -> StoryMember:
        return self.members[0]

    @property
    def sources(self) -> int:
        """How many feeds carry the story."""
        return len({m.feed_id for m in self.members})
