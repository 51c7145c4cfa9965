"""The benchmark's corpus and feed server: deterministic feeds that newsreader reads whole,
and conditional GET answered with 304 — the warm-refresh figures depend on both."""

from __future__ import annotations

import sys
from pathlib import Path

import httpx
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from newsreader.index.feeds.parse import parse_feed

from bench.corpus import Corpus
from bench.feedserver import FeedServer
from bench.run import visible


def test_corpus_is_deterministic_and_varied() -> None:
    a, b = Corpus(3, 4, seed=5), Corpus(3, 4, seed=5)
    assert a.feed_xml(1) == b.feed_xml(1)
    assert Corpus(3, 4, seed=6).feed_xml(1) != a.feed_xml(1)
    items = [a.item(f, i) for f in range(3) for i in range(4)]
    assert len({it.guid for it in items}) == len(items)
    assert all(150 <= it.words <= 700 for it in items)
    assert len({it.title for it in items}) > len(items) // 2


@pytest.mark.parametrize("feed", [0, 1])
def test_feeds_parse_into_every_item(feed: int) -> None:
    corpus = Corpus(2, 6)
    parsed = parse_feed(corpus.feed_xml(feed), f"http://127.0.0.1/{feed}")
    expected = {it.guid for it in corpus.feed_items(feed)}
    assert {e.guid for e in parsed.entries} == expected
    item = corpus.item(feed, 2)
    entry = next(e for e in parsed.entries if e.guid == item.guid)
    assert entry.title == item.title
    assert entry.published == item.published
    assert item.paragraphs[0] in entry.text


def test_server_answers_conditional_requests_with_304() -> None:
    with FeedServer(Corpus(2, 3), latency=0.0) as server:
        url = server.urls()[1]
        first = httpx.get(url)
        assert first.status_code == 200
        assert first.headers["content-type"].startswith("application/atom+xml")
        etag, modified = first.headers["etag"], first.headers["last-modified"]
        assert httpx.get(url, headers={"If-None-Match": etag}).status_code == 304
        assert httpx.get(url, headers={"If-Modified-Since": modified}).status_code == 304
        # a stale tag wins over a fresh date: If-None-Match decides when both are sent
        stale = {"If-None-Match": '"other"', "If-Modified-Since": modified}
        assert httpx.get(url, headers=stale).status_code == 200
        assert httpx.get(server.base_url + "/feeds/99.xml").status_code == 404
        assert server.stats() == {"200": 2, "304": 2, "404": 1}


def test_visible_drops_escape_sequences() -> None:
    raw = b"\x1b[?1049h\x1b[1;1H\x1b[38;2;1;2;3mQuit\x1b[0m\x1b]22;default\x07 now"
    assert visible(raw) == b"Quit now"
