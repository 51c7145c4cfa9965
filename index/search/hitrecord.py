"""What a search hit shows, stored as one compact record per document.

Building a page reads each hit's id, title, feed, link, date, flags and body (for its
snippet); phrase checks and the exact-form reordering read the title, body and author. All of
it is one record in a column of its own (``HIT_FIELD``): a tuple of plain values, pickled and
compressed once, read with one column lookup and one ``zlib.decompress``. Whoosh's stored
fields (one pickled dict per document, compressed again as a whole) keep only what the
record does not: the id, the duplicate key and the entities (``related`` reads them), so a
page never unpickles the entity lists.

The record also holds the words of the title and the body's opening as they were typed
(``opening_forms``): the exact-form reordering of the best candidates asks whether those hold
the query's words, and cutting the opening into tokens again for every query was a fifth of a
two-word query's time at 10k articles. They are derived by the analysis code of the index's
schema version, like the index terms, so they change only with it.
"""

from __future__ import annotations

import pickle
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from .analysis import TOKEN_RE, query_word

HIT_FIELD = "hit"

_EPOCH = datetime(1970, 1, 1)
_NO_DATE = -(2**62)  # the record's published value for an article without a date
_LEVEL = 6  # zlib level: decompression costs the same at any level; 6 is zlib's default
OPENING_CHARS = 400  # characters of the body read for exact forms, after the title


def opening_forms(title: str, body: str) -> str:
    """The words of ``title`` and the start of ``body`` as a query types them (case-folded,
    whole tokens: "E-Mail" -> "email", "185.000" -> "185000"), each once, sorted, each on a
    line of its own with a newline before the first and after the last (one string to
    unpickle, searched whole: ``holds``). A token never holds whitespace."""
    tokens = set(TOKEN_RE.findall(f"{title}\n{body[:OPENING_CHARS]}"))
    # a plain word is its own query form; only joined, dotted or grouped tokens differ
    plain = set(filter(str.isalnum, tokens))
    held = set(map(str.casefold, plain))
    held.update(query_word(t).casefold() for t in tokens - plain)
    return "\n" + "".join(f"{w}\n" for w in sorted(held))


@dataclass(frozen=True, slots=True)
class HitRecord:
    """One document's display and text fields, as ``encode`` wrote them."""

    id: str
    title: str
    feed: str
    feed_id: int
    link: str
    published: datetime | None  # naive UTC, as the index keeps dates
    lang: str
    author: str
    body: str
    bookmarked: bool
    read: bool
    opening: str  # ``opening_forms(title, body)``

    def published_utc(self) -> datetime | None:
        """``published`` as an aware UTC datetime (what a hit shows)."""
        return self.published.replace(tzinfo=UTC) if self.published is not None else None

    def holds(self, word: str) -> bool:
        """True if the title or the body's opening holds ``word`` (case-folded) as typed."""
        return f"\n{word}\n" in self.opening

    def text(self, fieldname: str) -> str | None:
        """The plain text of ``fieldname`` ("title", "body", "feed", "author"); None for any
        other field."""
        if fieldname == "body":
            return self.body
        if fieldname == "title":
            return self.title
        if fieldname == "feed":
            return self.feed
        if fieldname == "author":
            return self.author
        return None


def encode(
    *,
    id: str,
    title: str,
    feed: str,
    feed_id: int,
    link: str,
    published: datetime | None,
    lang: str,
    author: str,
    body: str,
    bookmarked: bool,
    read: bool,
) -> bytes:
    """The record of one document (``published`` naive UTC or None)."""
    micros = _NO_DATE if published is None else (published - _EPOCH) // timedelta(microseconds=1)
    values = (
        id,
        title,
        feed,
        int(feed_id),
        link,
        micros,
        lang,
        author,
        body,
        bool(bookmarked),
        bool(read),
        opening_forms(title, body),
    )
    return zlib.compress(pickle.dumps(values, protocol=pickle.HIGHEST_PROTOCOL), _LEVEL)


def decode(raw: bytes) -> HitRecord:
    """The record ``encode`` wrote (ValueError for bytes that are not one)."""
    try:
        values = pickle.loads(zlib.decompress(raw))
        (id_, title, feed, feed_id, link, micros, lang, author, body, bookmarked, read, opening) = (
            values
        )
    except Exception as exc:  # zlib.error, UnpicklingError, a tuple of another length
        raise ValueError(f"not a hit record: {exc}") from exc
    published = None if micros == _NO_DATE else _EPOCH + timedelta(microseconds=micros)
    return HitRecord(
        id_, title, feed, feed_id, link, published, lang, author, body, bookmarked, read, opening
    )
