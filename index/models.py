"""The typed values that cross module borders: feeds, folders, articles, hits, entities,
filters, refresh reports, and the statuses they carry (as Literals)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

# How refreshing one feed went: stored new or changed articles, nothing changed, failed,
# answered 410 (gone, left out of later refreshes), or not tried (gone, or waiting).
RefreshStatus = Literal["new", "updated", "not-modified", "error", "gone", "skipped"]
# The article lists the store keeps: every article, unread ones, bookmarked ones (hidden
# articles are in none of these), and the articles filters hid.
View = Literal["all", "unread", "bookmarks", "hidden"]
# How a feed is doing: never fetched, fine, fine but odd (a warning), failing, answered 410,
# or left alone until ``next_attempt`` (Retry-After, or backing off after server errors).
FeedStatus = Literal["new", "ok", "warning", "error", "gone", "waiting"]
# progress(done, total, label) of a long job (refresh, indexing)
Progress = Callable[[int, int, str], None]


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
    folder: str | None = None  # "News/Deutsch": a path of folder names, None at the top
    tags: tuple[str, ...] = ()  # the feed's own tags (OPML ``category``), on its articles too
    # the title, told apart from other feeds with the same one ("Title (example.org)")
    display_name: str = ""
    last_success: datetime | None = None
    error_count: int = 0  # failed fetches in a row
    hidden_count: int = 0  # articles hidden by filters (not in article_count/unread_count)
    full_text: bool = False  # fetch every new article's page during refresh

    @property
    def next_attempt(self) -> datetime | None:
        """When a refresh of all feeds tries this feed again (None: at the next one)."""
        return self.retry_after

    def status(self, now: datetime | None = None) -> FeedStatus:
        """How the feed is doing as of ``now`` (default: the current time)."""
        if self.gone:
            return "gone"
        if self.last_fetched is None:
            return "new"
        if self.retry_after is not None and self.retry_after > (now or datetime.now(UTC)):
            return "waiting"
        if self.last_error:
            return "error"
        return "warning" if self.warning else "ok"


@dataclass(frozen=True, slots=True)
class Folder:
    """A folder of feeds; counts include every folder below it."""

    path: str  # "News/Deutsch"
    feed_ids: tuple[int, ...]  # the feeds directly in it
    article_count: int = 0
    unread_count: int = 0

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]

    @property
    def depth(self) -> int:
        return self.path.count("/")

    @property
    def parent(self) -> str | None:
        return self.path.rsplit("/", 1)[0] if "/" in self.path else None


@dataclass(frozen=True, slots=True)
class MarkResult:
    """What a mark-read or mark-unread changed: enough to undo it (``Library.undo_mark``)."""

    read: bool  # the state the articles were set to
    ids: tuple[str, ...]  # the articles whose state changed (the rest already had it)

    @property
    def changed(self) -> int:
        return len(self.ids)


# A filter's action: hide, mark read, bookmark, or add a tag ("tag:NAME")
FILTER_ACTIONS = ("hide", "mark-read", "bookmark", "tag:NAME")


@dataclass(frozen=True, slots=True)
class Filter:
    """A rule: articles matching ``query`` (the search language) get ``action``."""

    name: str
    query: str
    action: str  # "hide", "mark-read", "bookmark" or "tag:NAME"


@dataclass(frozen=True, slots=True)
class FilterRun:
    """One filter applied: how many articles its query matched and how many it changed."""

    name: str
    action: str
    matched: int
    changed: int


@dataclass(frozen=True, slots=True)
class Enclosure:
    """A media file an entry carries (a podcast's audio): its address, MIME type and size."""

    url: str
    type: str | None = None
    length: int | None = None  # bytes, when the feed says

    @property
    def media(self) -> bool:
        """Audio or video, which the ``player`` setting plays."""
        return (self.type or "").split("/")[0] in ("audio", "video")


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
    language: str | None = None  # ISO 639-1 ("en", "de"); None when unknown (index/language.py)
    enclosures: tuple[Enclosure, ...] = ()
    # the article's page as fetched and extracted (sanitised HTML), read instead of the
    # feed's HTML when present; ``text`` is then its plain layout
    full_html: str = ""
    full_fetched: datetime | None = None
    hidden: bool = False  # hidden by a filter: kept, but left out of lists and searches

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
class StorySketch:
    """What grouping stories needs of an entry, worked out where the entry is parsed (on a
    worker process), so the refresh's own process only looks the keys up in the store.

    ``check`` is a checksum of the link, guid and title of the entry the sketch was made
    from: grouping uses the sketch only for an article stored from that entry and not
    changed since (one whose text was replaced by its fetched page is sketched again)."""

    url_key: str | None
    guid_key: str | None
    signature: bytes | None  # MinHash signature; None for a text too short to compare
    check: int
    # the copy keys' 64-bit hashes (``stories.urls.key_hash``), what the store keeps
    url_hash: int | None
    guid_hash: int | None


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
    language: str | None = None  # ISO 639-1, from the feed or detected (index/language.py)
    enclosures: tuple[Enclosure, ...] = ()
    # story grouping's look at the entry, made in the parse worker (index/stories/sketch.py)
    sketch: StorySketch | None = None


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    title: str | None
    site_link: str | None
    entries: list[ParsedEntry]
    warning: str | None = None


@dataclass(frozen=True, slots=True)
class ParseFailure:
    """A downloaded body that is not a usable feed: ``not-a-feed`` (with the feed links a
    web page offers, if any) or ``error`` (broken beyond what the parsers accept)."""

    kind: Literal["not-a-feed", "error"]
    message: str
    candidates: tuple[str, ...] = ()


# What parsing one body gives: a feed, or why it is none (a value, so it crosses processes)
ParseOutcome = ParsedFeed | ParseFailure


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
class NamedEntity:
    """One entity of an article: its display name, how many of the article's mentions are
    of it, the other forms it appears in ("Okafor" for "Adaeze Okafor") and the search that
    finds other articles naming it."""

    name: str
    label: str
    count: int
    aliases: tuple[str, ...] = ()
    query: str = ""


@dataclass(frozen=True, slots=True)
class EntityStatus:
    """Where one article stands with its entities (``Library.entity_status``): "extracted",
    "pending" (enrichment has not reached it), "not_installed" (its language's model is not
    installed) or "no_model" (no entity model exists for its language); ``language`` is the
    one whose pipeline reads it; ``message`` is what to tell a reader who sees none."""

    state: Literal["extracted", "pending", "not_installed", "no_model"]
    language: str
    message: str


@dataclass(frozen=True, slots=True)
class EntityGroup:
    """An article's entities of one type, most mentioned first (``Library.entity_groups``)."""

    label: str
    entities: tuple[NamedEntity, ...]

    @property
    def mentions(self) -> int:
        return sum(e.count for e in self.entities)


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
    language: str | None = None  # ISO 639-1: which stemmer analyses the prose fields
    folder: str = ""  # the feed's folder path ("News/Deutsch"), "" at the top
    hidden: bool = False  # hidden by a filter: left out of searches but ``is:hidden``


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
    pending: int = 0  # articles stored but not searchable yet (the index is catching up)
    # the query these results are for when the one typed found nothing and a correction did
    corrected: str | None = None
    # False when ``total`` is an estimate: a phrase's candidates were checked best first only
    # until the page was full (or a bound on the work was reached), not all of them
    total_exact: bool = True

    @property
    def correction_notice(self) -> str | None:
        """What to tell the user when the results are a correction's, else None."""
        if self.corrected is None:
            return None
        return f"showing results for {self.corrected}; search for {self.query} instead"


@dataclass(frozen=True, slots=True)
class FeedResult:
    """The outcome of refreshing one feed."""

    feed_id: int
    url: str
    status: RefreshStatus
    new: int = 0
    updated: int = 0
    error: str | None = None
    warning: str | None = None


@dataclass(frozen=True, slots=True)
class RefreshReport:
    results: list[FeedResult]
    indexed: int = 0
    filtered: list[FilterRun] = field(default_factory=list)  # filters on the new articles

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


@dataclass(frozen=True, slots=True)
class Coverage:
    """Another article on the same event, written differently (``Library.other_coverage``):
    not a copy, so not merged into the story, but worth reading beside it."""

    article_id: str
    title: str
    feed_title: str
    published: datetime | None
    shared: tuple[str, ...]  # the entities both articles name, most telling first
    entity_score: float  # the weight of the shared entities among the article's (0-1)
    text_score: float  # cosine similarity of the two texts' content words (0-1)

    @property
    def score(self) -> float:
        return (self.entity_score + self.text_score) / 2


@dataclass(frozen=True, slots=True)
class EntityTrend:
    """How many articles mentioned one entity on each day (``Library.entity_trends``)."""

    name: str  # the canonical name
    label: str
    days: tuple[tuple[str, int], ...]  # (YYYY-MM-DD, articles), every day of the range
    this_week: int  # articles of the range's last 7 days
    before: float  # articles per week in the weeks before those 7 days

    @property
    def total(self) -> int:
        return sum(n for _, n in self.days)

    @property
    def counts(self) -> list[int]:
        return [n for _, n in self.days]

    @property
    def rise(self) -> float:
        """This week against the weeks before (1.0: as usual); smoothed by one article."""
        return (self.this_week + 1) / (self.before + 1)
