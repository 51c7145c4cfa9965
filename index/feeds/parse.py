"""Feed documents (RSS, Atom, JSON Feed) to ParsedFeed values; feed autodiscovery."""

from __future__ import annotations

import calendar
import hashlib
import json
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urljoin

from ..errors import FeedError, NotAFeedError
from ..language import feed_languages, normalise
from ..models import Enclosure, ParsedEntry, ParsedFeed
from ..reading.article import feed_text
from ..text import html_to_text, one_line, safe_text, sanitize_html

FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/feed+json",
    "application/json",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
)
_MAX_FUTURE = timedelta(days=2)
MAX_TITLE = 1000  # characters; longer titles are cut (and the feed gets a warning)
# feedparser flags these but reads the document correctly: not worth a warning.
_BENIGN_BOZO = frozenset({"CharacterEncodingOverride", "NonXMLContentType"})


def parse_feed(
    data: bytes, url: str, content_type: str | None = None, *, languages: bool = True
) -> ParsedFeed:
    """Parse a downloaded document. Raises NotAFeedError (with any feed links it found).

    ``languages=False``: each entry's language is only what it (or its feed) declares, to be
    checked against the text by ``with_languages`` later — a parse worker leaves it to the
    process that stores, so that only one process maps the detector's model (~70 MB)."""
    feed = _parse_document(data, url, content_type)
    return with_languages(feed) if languages else feed


def _parse_document(data: bytes, url: str, content_type: str | None) -> ParsedFeed:
    if _looks_like_json(data, content_type):
        return parse_json_feed(data, url)
    fast = _parse_fast(data, url, content_type)
    if fast is not None:
        return fast
    import feedparser

    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    parsed = feedparser.parse(
        data,
        response_headers=headers,
        sanitize_html=False,
        resolve_relative_uris=False,
    )
    if not parsed.get("version") and not parsed.entries:
        candidates = discover_feeds(data, url)
        if candidates:
            raise NotAFeedError(f"{url} is a web page, not a feed; it links to a feed", candidates)
        raise NotAFeedError(f"{url} is not a feed")
    warnings = []
    exc = parsed.get("bozo_exception")
    if parsed.get("bozo") and type(exc).__name__ not in _BENIGN_BOZO:
        reason = one_line(str(exc)) if exc else "malformed document"
        warnings.append(f"feed has errors, read what could be read: {reason[:200]}")
    elif parsed.get("bozo") and _misdeclared_encoding(str(exc)):
        warnings.append(f"the feed is not in the encoding it declares ({one_line(str(exc))})")
    feed = parsed.get("feed", {})
    entries, raw = _read_each(parsed.entries, lambda e: _entry(e, url, feed.get("language")))
    return _checked(
        ParsedFeed(
            title=_title(feed.get("title")) or None,
            site_link=_http_link(feed.get("link"), url),
            entries=entries,
            warning=None,
        ),
        raw,
        warnings + _unread(parsed.entries, raw),
    )


def _read_each(
    raw: list[Any], read: Callable[[Any], ParsedEntry]
) -> tuple[list[ParsedEntry], list[Any]]:
    """Each raw entry read on its own: one that cannot be read (a fault of ours on content
    nobody foresaw) is left out, and the rest of the feed is still stored. Returns the
    entries and the raw entries they came from, in order."""
    entries: list[ParsedEntry] = []
    kept: list[Any] = []
    for e in raw:
        try:
            entries.append(read(e))
        except Exception:  # any failure of one entry spares the others
            continue
        kept.append(e)
    return entries, kept


def _unread(raw: list[Any], kept: list[Any]) -> list[str]:
    lost = len(raw) - len(kept)
    if not lost:
        return []
    one = lost == 1
    return [
        f"{lost} entr{'y' if one else 'ies'} could not be read and {'was' if one else 'were'} skipped"
    ]


def _misdeclared_encoding(message: str) -> bool:
    """feedparser's CharacterEncodingOverride is benign when the only "declaration" was
    HTTP's default for text/* (us-ascii); any other mismatch is worth telling."""
    low = message.lower()
    return "declared as" in low and "declared as us-ascii" not in low


def _checked(feed: ParsedFeed, raw: list[Any], warnings: list[str]) -> ParsedFeed:
    """The feed with one warning naming everything odd about its entries."""
    if not feed.entries:
        warnings.append("the feed has no entries")
    keys = [e.key for e in feed.entries]
    repeats = len(keys) - len(set(keys))
    if repeats:
        warnings.append(
            f"{repeats} entr{'y' if repeats == 1 else 'ies'} repeated an id already in the feed"
            " (the first was kept)"
        )
    bad_dates = sum(
        1
        for e, entry in zip(raw, feed.entries, strict=True)
        if _has_raw_date(e) and entry.published is None and entry.updated is None
    )
    if bad_dates:
        warnings.append(
            f"{bad_dates} entr{'y' if bad_dates == 1 else 'ies'} had a date that could not be"
            " read or lay in the future (dated when first seen instead)"
        )
    anonymous = sum(1 for e in feed.entries if e.key.startswith("hash:"))
    if anonymous:
        warnings.append(
            f"{anonymous} entr{'y' if anonymous == 1 else 'ies'} had neither id nor link"
            " (told apart by title and date)"
        )
    long_titles = sum(1 for e in raw if len(_raw_title(e)) > MAX_TITLE)
    if long_titles:
        warnings.append(f"{long_titles} title(s) longer than {MAX_TITLE} characters were cut")
    if not warnings:
        return feed
    warning = "; ".join(
        w for w in dict.fromkeys([*(feed.warning or "").split("; "), *warnings]) if w
    )
    return ParsedFeed(feed.title, feed.site_link, feed.entries, warning)


def _has_raw_date(e: Any) -> bool:
    if not isinstance(e, dict):
        return False
    values = [dict.get(e, k) for k in ("published", "updated", "date_published", "date_modified")]
    return any(isinstance(v, str) and v.strip() for v in values)


def _raw_title(e: Any) -> str:
    value = dict.get(e, "title") if isinstance(e, dict) else None
    return value if isinstance(value, str) else ""


def _title(value: object) -> str:
    """A title on one line, cut to MAX_TITLE characters."""
    text = one_line(value if isinstance(value, str) else None)
    return text if len(text) <= MAX_TITLE else text[: MAX_TITLE - 1].rstrip() + "…"


def _parse_fast(data: bytes, url: str, content_type: str | None) -> ParsedFeed | None:
    """Plain well-formed RSS 2.0 and Atom 1.0 through lxml (see fastfeed), else None."""
    from .rss_atom import read_entries

    read = read_entries(data, url, content_type)
    if read is None:
        return None
    feed, raw = read
    entries, kept = _read_each(raw, lambda e: _entry(e, url, feed.get("language")))
    return _checked(
        ParsedFeed(
            title=_title(feed.get("title")) or None,
            site_link=_http_link(feed.get("link"), url),
            entries=entries,
            warning=None,
        ),
        kept,
        _unread(raw, kept),
    )


def _looks_like_json(data: bytes, content_type: str | None) -> bool:
    if content_type and "json" in content_type.lower():
        return True
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    return head == b"{"


def _entry(e: Any, base: str, feed_language: object = None) -> ParsedEntry:
    raw_title = e.get("title", "") or ""
    # feedparser says whether a title is HTML (Atom's type, its guess for RSS): plain text
    # such as "Vector<T> in Rust" or "a <? b" keeps its angle brackets
    detail = dict.get(e, "title_detail")
    kind = detail.get("type") if isinstance(detail, dict) else None
    is_html = kind in ("text/html", "application/xhtml+xml") or (kind is None and "<" in raw_title)
    if is_html and ("<" in raw_title or "&" in raw_title):
        raw_title = html_to_text(raw_title)
    title = _title(raw_title)
    link = _http_link(e.get("link"), base)
    guid = safe_text(e.get("id")).strip() or None
    # dict.get skips feedparser's fallback from updated_* to published_* (and its warning)
    published = _struct_dt(dict.get(e, "published_parsed"))
    updated = _struct_dt(dict.get(e, "updated_parsed"))
    summary = e.get("summary", "") or ""
    contents = e.get("content") or []
    content = max((c.get("value", "") or "" for c in contents), key=len, default="")
    content_base = _base(contents[0] if contents else None, base)
    content_html = sanitize_html(content, content_base)
    summary_base = _base(e.get("summary_detail"), base)
    # Atom entries with content only get it as their summary too (feedparser copies it):
    # the same HTML against the same base is sanitised once
    same = summary == content and summary_base == content_base
    summary_html = content_html if same else sanitize_html(summary, summary_base)
    summary_html, text = feed_text(summary_html, content_html)
    tags = clean_tags(t.get("term") or t.get("label") for t in e.get("tags") or [])
    enclosures = clean_enclosures(
        ((x.get("href"), x.get("type"), x.get("length")) for x in e.get("enclosures") or []),
        base,
    )
    author = one_line(e.get("author")) or None
    if not title:
        title = _fallback_title(text)
    return ParsedEntry(
        key=entry_key(guid, link, title, published or updated),
        guid=guid,
        link=link,
        title=title,
        author=author,
        published=published,
        updated=updated,
        summary_html=summary_html,
        content_html=content_html,
        text=text,
        tags=tags,
        # what it declares; checked against its text, feed by feed, in with_languages
        language=normalise(_declared_language(e, contents) or feed_language),
        enclosures=enclosures,
    )


def with_languages(feed: ParsedFeed) -> ParsedFeed:
    """The feed with its entries' languages checked against their texts, a feed at a time
    (``language.feed_languages``: a sample of the feed, all of it when the sample disagrees)."""
    entries = feed.entries
    found = feed_languages([(e.language, e.title, e.text) for e in entries])
    if all(lang == e.language for e, lang in zip(entries, found, strict=True)):
        return feed
    checked = [
        e if lang == e.language else replace(e, language=lang)
        for e, lang in zip(entries, found, strict=True)
    ]
    return replace(feed, entries=checked)


def _declared_language(e: Any, contents: list[Any]) -> object:
    """The language an entry declares for itself (Atom ``xml:lang``, ``dc:language``)."""
    own = dict.get(e, "language") if isinstance(e, dict) else None
    if own:
        return own
    for part in (*contents[:1], dict.get(e, "summary_detail"), dict.get(e, "title_detail")):
        if isinstance(part, dict) and part.get("language"):
            return part.get("language")
    return None


def _base(detail: Any, fallback: str) -> str:
    """The address relative links in a piece of content are relative to: its xml:base
    (feedparser records it per element), else the feed's."""
    value = detail.get("base") if isinstance(detail, dict) else None
    return value if isinstance(value, str) and value else fallback


MAX_ENCLOSURES = 20


def clean_enclosures(
    raw: Iterable[tuple[object, object, object]], base: str
) -> tuple[Enclosure, ...]:
    """Enclosures from (url, type, length) as feeds give them: http(s) addresses only, each
    once, a MIME type that looks like one, a length only when it is a positive number."""
    found: list[Enclosure] = []
    seen: set[str] = set()
    for url, kind, length in raw:
        href = _http_link(url, base)
        if not href or href in seen:
            continue
        seen.add(href)
        mime = one_line(str(kind or "")).lower()
        size: int | None = None
        try:
            size = int(str(length).strip()) if length not in (None, "") else None
        except ValueError:
            size = None
        found.append(
            Enclosure(
                url=href,
                type=mime if "/" in mime and len(mime) <= 100 else None,
                length=size if size and 0 < size < 1 << 50 else None,
            )
        )
        if len(found) == MAX_ENCLOSURES:
            break
    return tuple(found)


def clean_tags(values: Iterable[str | None]) -> tuple[str, ...]:
    """Tags on one line each, empty ones dropped, duplicates dropped in order."""
    return tuple(t for t in dict.fromkeys(one_line(v) for v in values) if t)


def entry_key(guid: str | None, link: str | None, title: str, date: datetime | None) -> str:
    """Identity of an entry: its id/guid, else its link, else a hash of title and date."""
    if guid:
        return "id:" + guid
    if link:
        return "link:" + link
    stamp = date.isoformat() if date else ""
    return "hash:" + hashlib.sha1(f"{title}\x00{stamp}".encode()).hexdigest()


def _fallback_title(text: str) -> str:
    words = text.split()
    if not words:
        return "(untitled)"
    head = " ".join(words[:12])
    return head + ("…" if len(words) > 12 else "")


def _struct_dt(value: time.struct_time | None) -> datetime | None:
    if not value:
        return None
    try:
        dt = datetime.fromtimestamp(calendar.timegm(value), UTC)
    except (OverflowError, ValueError, OSError):
        return None
    return _plausible(dt)


def _plausible(dt: datetime | None) -> datetime | None:
    """Drop dates that cannot be right (far future, before the web), so sorting stays sane."""
    if dt is None:
        return None
    if dt.year < 1990 or dt > datetime.now(UTC) + _MAX_FUTURE:
        return None
    return dt


def _http_link(value: object, base: str) -> str | None:
    """An http(s) link made absolute against ``base``; None for anything else
    (``javascript:``, ``data:``, ``file:``, or relative with no web address to go by)."""
    if not isinstance(value, str) or not value.strip():
        return None
    link = safe_text(value).strip()
    if base.startswith(("http://", "https://")):
        try:
            link = urljoin(base, link)
        except ValueError:
            return None
    if not link.lower().startswith(("http://", "https://")):
        return None
    return link


# -- JSON Feed (https://jsonfeed.org/version/1.1) --------------------------------------


def parse_json_feed(data: bytes, url: str) -> ParsedFeed:
    try:
        doc = json.loads(data.decode("utf-8-sig", errors="replace"))
    except ValueError as exc:
        raise FeedError(f"{url}: JSON feed is not valid JSON ({exc})") from exc
    if not isinstance(doc, dict) or "items" not in doc or not isinstance(doc["items"], list):
        raise NotAFeedError(f"{url} is JSON but not a JSON Feed")
    version = str(doc.get("version", ""))
    warning = None if "jsonfeed.org" in version else "JSON feed without a jsonfeed.org version"
    feed_authors = _json_authors(doc)
    feed_language = doc.get("language")
    items = [item for item in doc["items"] if isinstance(item, dict)]
    skipped = len(doc["items"]) - len(items)
    if skipped:
        warning = f"{skipped} JSON Feed item(s) were not objects and were skipped"
    entries, raw = _read_each(items, lambda i: _json_entry(i, url, feed_authors, feed_language))
    return _checked(
        ParsedFeed(
            title=_title(_str(doc.get("title"))) or None,
            site_link=_http_link(doc.get("home_page_url"), url),
            entries=entries,
            warning=warning,
        ),
        raw,
        _unread(items, raw),
    )


def _str(value: object) -> str:
    return value if isinstance(value, str) else ""


def _json_authors(obj: dict[str, Any]) -> str | None:
    authors = obj.get("authors")
    if isinstance(authors, list):
        names = [one_line(_str(a.get("name"))) for a in authors if isinstance(a, dict)]
        names = [n for n in names if n]
        if names:
            return ", ".join(names)
    author = obj.get("author")  # JSON Feed 1.0
    if isinstance(author, dict):
        return one_line(_str(author.get("name"))) or None
    return None


def _json_date(value: object) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return _plausible(dt.astimezone(UTC))


def _json_entry(
    item: dict[str, Any], base: str, feed_author: str | None, feed_language: object = None
) -> ParsedEntry:
    raw_id = item.get("id")
    guid = safe_text(str(raw_id)).strip() if raw_id not in (None, "") else None
    link = _http_link(item.get("url"), base)
    content_html = sanitize_html(_str(item.get("content_html")), base)
    if not content_html and _str(item.get("content_text")):
        paragraphs = safe_text(_str(item.get("content_text"))).split("\n\n")
        content_html = "".join(f"<p>{_escape(p)}</p>" for p in paragraphs if p.strip())
    summary_html = sanitize_html(_escape(_str(item.get("summary"))))
    if content_html:
        summary_html, text = feed_text(summary_html, content_html)
    else:
        content_html, text = feed_text("", summary_html)
    title = _title(_str(item.get("title"))) or _fallback_title(text)
    published = _json_date(item.get("date_published"))
    updated = _json_date(item.get("date_modified"))
    tags = clean_tags(t for t in item.get("tags") or [] if isinstance(t, str))
    return ParsedEntry(
        key=entry_key(guid, link, title, published or updated),
        guid=guid,
        link=link,
        title=title,
        author=_json_authors(item) or feed_author,
        published=published,
        updated=updated,
        summary_html=summary_html,
        content_html=content_html,
        text=text,
        tags=tags,
        language=normalise(item.get("language") or feed_language),
        enclosures=clean_enclosures(
            (
                (a.get("url"), a.get("mime_type"), a.get("size_in_bytes"))
                for a in item.get("attachments") or []
                if isinstance(a, dict)
            ),
            base,
        ),
    )


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# -- autodiscovery ---------------------------------------------------------------------

_LINK_TAG = re.compile(rb"<link\b[^<>]*>", re.IGNORECASE)
_ATTR = re.compile(rb"""([a-zA-Z-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")


def discover_feeds(data: bytes, url: str) -> list[str]:
    """Feed URLs an HTML page advertises with ``<link rel="alternate" type=...>``."""
    found: list[str] = []
    for tag in _LINK_TAG.findall(data[:500_000]):
        attrs = {
            m.group(1).lower().decode(): (m.group(2) or m.group(3) or m.group(4) or b"")
            .decode("utf-8", "replace")
            .strip()
            for m in _ATTR.finditer(tag)
        }
        rels = attrs.get("rel", "").lower().split()
        kind = attrs.get("type", "").lower()
        href = attrs.get("href")
        if "alternate" in rels and href and kind in FEED_TYPES[:4]:
            link = urljoin(url, href)
            if link not in found:
                found.append(link)
    return found
