"""Generated feeds — random titles, bodies, dates, ids, formats and encodings — through
parse → store → index → search: nothing crashes, nothing is stored twice, and every stored
article is found by a word of its stored title."""

from __future__ import annotations

import itertools
import json
import random
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from newsreader.index.config import Settings
from newsreader.index.library import Library
from newsreader.index.search.analysis import WORD_RE, index_form

PROPERTY_SETTINGS = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Characters XML 1.0 can carry at all (feedparser would switch to its forgiving mode on
# the others, which is tested with the hostile fixtures, not here).
XML_CHARS = st.characters(
    blacklist_categories=("Cs",),
    blacklist_characters="\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x10\x11\x12"
    "\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f\ufffe\uffff",
)
LATIN1_CHARS = st.characters(min_codepoint=0x20, max_codepoint=0xFF, blacklist_characters="\x7f")
ANY_CHARS = st.characters()  # JSON carries anything, lone surrogates included
WORD = st.from_regex(r"[a-z]{4,10}", fullmatch=True)
IDS = st.from_regex(r"[A-Za-z0-9_:-]{1,24}", fullmatch=True)
DATES = st.none() | st.datetimes(
    min_value=datetime(1800, 1, 1), max_value=datetime(9999, 12, 31), timezones=st.just(UTC)
)
TAGS = st.sampled_from(["<p>", "</p>", "<b>", "</b>", "<br>", "<script>x()</script>", "&amp;", "<"])


@st.composite
def feeds(draw: st.DrawFn) -> dict[str, object]:
    kind = draw(st.sampled_from(["rss", "atom", "json"]))
    encoding = "utf-8" if kind == "json" else draw(st.sampled_from(["utf-8", "utf-16", "latin-1"]))
    chars = {"json": ANY_CHARS, "latin-1": LATIN1_CHARS}.get(
        kind if kind == "json" else encoding, XML_CHARS
    )
    junk = st.text(chars, max_size=30)
    n = draw(st.integers(min_value=1, max_value=8))
    ids = draw(st.lists(IDS, min_size=n, max_size=n, unique=True))
    entries = []
    for i, ident in enumerate(ids):
        title = f"{draw(junk)} {draw(WORD)} {draw(junk)}"
        body = "".join(draw(st.lists(junk | TAGS, max_size=6)))
        entries.append({"id": ident, "title": title, "body": body, "date": draw(DATES), "n": i})
    repeat = draw(st.booleans())
    if repeat:  # the same id again, with other text: the first copy is the one kept
        entries.append({**entries[0], "title": "a later copy " + draw(WORD), "n": n})
    return {"kind": kind, "encoding": encoding, "entries": entries, "distinct": n}


def render(feed: dict[str, object]) -> tuple[bytes, str]:
    kind, encoding, entries = feed["kind"], str(feed["encoding"]), feed["entries"]
    assert isinstance(entries, list)
    if kind == "json":
        items = [
            {
                "id": e["id"],
                "title": e["title"],
                "content_html": e["body"],
                **({"date_published": e["date"].isoformat()} if e["date"] else {}),
            }
            for e in entries
        ]
        doc = {"version": "https://jsonfeed.org/version/1.1", "title": "Generated", "items": items}
        return json.dumps(doc).encode(), ".json"
    parts = [f'<?xml version="1.0" encoding="{encoding}"?>']
    if kind == "rss":
        parts.append('<rss version="2.0"><channel><title>Generated</title>')
        for e in entries:
            date = f"<pubDate>{format_datetime(e['date'])}</pubDate>" if e["date"] else ""
            parts.append(
                f'<item><guid isPermaLink="false">{escape(e["id"])}</guid>'
                f"<title>{escape(e['title'])}</title>{date}"
                f"<description>{escape(e['body'])}</description></item>"
            )
        parts.append("</channel></rss>")
    else:
        parts.append('<feed xmlns="http://www.w3.org/2005/Atom"><title>Generated</title>')
        parts.append("<id>urn:generated</id><updated>2026-01-01T00:00:00Z</updated>")
        for e in entries:
            date = e["date"].strftime("%Y-%m-%dT%H:%M:%SZ") if e["date"] else None
            parts.append(
                f"<entry><id>urn:x:{escape(e['id'])}</id><title>{escape(e['title'])}</title>"
                + (f"<updated>{date}</updated>" if date else "")
                + f"<content type={quoteattr('html')}>{escape(e['body'])}</content></entry>"
            )
        parts.append("</feed>")
    return "".join(parts).encode(encoding), ".xml"


def searchable_words(title: str) -> list[str]:
    """Words of the stored title that the index keeps as exactly one term of their own."""
    out = []
    for w in WORD_RE.findall(title):
        if w.isalpha() and index_form(w) is not None:
            out.append(w)
    return out


@pytest.fixture(scope="module")
def shared_lib(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Library, Path]]:
    """One library for all examples (each adds its own feed): much cheaper than one each."""
    root = tmp_path_factory.mktemp("props")
    with Library.open(root / "data", settings=Settings()) as library:
        yield library, root


_feed_numbers = itertools.count()


@PROPERTY_SETTINGS
@given(feed=feeds())
def test_generated_feeds_store_once_and_are_found(
    feed: dict[str, object], shared_lib: tuple[Library, Path]
) -> None:
    # Hypothesis seeds the global random module alike for every example, and Whoosh names
    # new index segments from it: examples sharing one index would reuse segment names
    # (which no real process does). Fresh entropy for those names only.
    random.seed()
    lib, root = shared_lib
    check(lib, feed, root / f"feed{next(_feed_numbers)}")


def check(lib: Library, feed: dict[str, object], root: Path) -> None:
    body, suffix = render(feed)
    path = root.with_suffix(suffix)
    path.write_bytes(body)
    added, result = lib.add_feed(str(path))
    assert result is not None and result.status in ("new", "not-modified")
    rows = lib.list_articles(feed_id=added.id, limit=1000)
    # exactly once: one article per distinct id, the repeated id not a second time
    assert len(rows) == feed["distinct"]
    assert len({r.id for r in rows}) == len(rows)
    # a second pass over the same document changes nothing
    again = lib.refresh([added.id])
    assert again.new == 0 and lib.count_articles(feed_id=added.id) == len(rows)
    for row in rows:
        art = lib.article(row.id)
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]", art.title + art.text)
        words = searchable_words(art.title)
        assert words, f"no searchable word left in {art.title!r}"
        hits = lib.search(f'title:"{words[0]}"', limit=1000).hits
        # examples share one library, and may repeat a guid in another feed: that copy is
        # the same story, and a search shows a story once (through any of its copies)
        story = lib.story(row.id)
        found_as = {m.article_id for m in story.members} if story else {row.id}
        assert found_as & {h.id for h in hits}, (words[0], art.title)
        assert len(hits) == len({h.id for h in hits})
