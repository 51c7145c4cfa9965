"""What grouping needs of one article's text, worked out before the store is touched.

``sketch`` gives an entry's copy keys (canonical URL, guid) and its MinHash signature.
It is the costly part of grouping (folding and cutting the words,
hashing the shingles) and needs nothing from the store, so the parse workers do it
(``with_sketches``, called by ``feeds.refresh.parse_job``) and the refresh's own process
only looks the keys up. A sketch carries a checksum of the link, guid and text it was made
from; grouping makes a new one for an article whose stored text is no longer that.
"""

from __future__ import annotations

import zlib
from dataclasses import replace

from ..models import ParsedFeed, StorySketch
from . import minhash
from .shingles import MIN_SHINGLES, shingle_values
from .urls import canonical_url, guid_key


def check_of(link: str | None, guid: str | None, text: str) -> int:
    """A checksum of what a sketch is made from (crc32: cheap, and the same in any process)."""
    check = zlib.crc32(text.encode("utf-8", "surrogatepass"))
    check = zlib.crc32((link or "").encode("utf-8", "surrogatepass"), check)
    return zlib.crc32((guid or "").encode("utf-8", "surrogatepass"), check)


def text_signature(text: str) -> bytes | None:
    """The MinHash signature of a text, or None when it is too short to compare."""
    values = shingle_values(text)
    if values.size < MIN_SHINGLES:
        return None
    signature, distinct = minhash.signature_and_count(values)
    return signature if distinct >= MIN_SHINGLES else None


def sketch(link: str | None, guid: str | None, text: str) -> StorySketch:
    """Copy keys and signature of one article."""
    return StorySketch(
        canonical_url(link), guid_key(guid), text_signature(text), check_of(link, guid, text)
    )


def with_sketches(feed: ParsedFeed) -> ParsedFeed:
    """The feed with every entry sketched (what a parse worker hands back)."""
    entries = [replace(e, sketch=sketch(e.link, e.guid, e.text)) for e in feed.entries]
    return replace(feed, entries=entries)
