"""What grouping needs of one article's text, worked out before the store is touched.

``sketch`` gives an entry's copy keys (canonical URL, guid) and its MinHash signature.
It is the costly part of grouping (folding and cutting the words,
hashing the shingles) and needs nothing from the store, so the parse workers do it
(``with_sketches``, called by ``feeds.refresh.parse_job``) and the refresh's own process
only looks the keys up. A sketch carries a checksum of the link, guid and title of the
entry it was made from. Grouping trusts it for an article the store queued when it
inserted it and has not changed since (its link, guid and text as inserted), whose stored
link, guid and title give the same checksum (so not another entry of the same key);
any other article is sketched again from its stored text.
"""

from __future__ import annotations

import zlib
from dataclasses import replace

from ..models import ParsedFeed, StorySketch
from . import minhash
from .shingles import MIN_SHINGLES, shingle_values
from .urls import canonical_url, guid_key, key_hash


def check_of(link: str | None, guid: str | None, title: str) -> int:
    """A checksum of the entry a sketch is made from (crc32: cheap, and the same in any
    process); the columns it covers are read without the article's text."""
    check = zlib.crc32(title.encode("utf-8", "surrogatepass"))
    check = zlib.crc32(b"\x00" + (link or "").encode("utf-8", "surrogatepass"), check)
    return zlib.crc32(b"\x00" + (guid or "").encode("utf-8", "surrogatepass"), check)


def text_signature(text: str) -> bytes | None:
    """The MinHash signature of a text, or None when it is too short to compare."""
    values = shingle_values(text)
    if values.size < MIN_SHINGLES:
        return None
    signature, distinct = minhash.signature_and_count(values)
    return signature if distinct >= MIN_SHINGLES else None


def sketch(link: str | None, guid: str | None, title: str, text: str) -> StorySketch:
    """Copy keys and signature of one article."""
    url, guid_of = canonical_url(link), guid_key(guid)
    return StorySketch(
        url,
        guid_of,
        text_signature(text),
        check_of(link, guid, title),
        key_hash(url) if url else None,
        key_hash(guid_of) if guid_of else None,
    )


def with_sketches(feed: ParsedFeed) -> ParsedFeed:
    """The feed with every entry sketched (what a parse worker hands back)."""
    entries = [replace(e, sketch=sketch(e.link, e.guid, e.title, e.text)) for e in feed.entries]
    return replace(feed, entries=entries)
