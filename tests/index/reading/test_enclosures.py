"""Enclosures: parsed from RSS, Atom and JSON Feed, stored, read back with the article."""

from __future__ import annotations

import json
from pathlib import Path

from newsreader.index.feeds.parse import parse_feed
from newsreader.index.library import Library
from newsreader.index.models import Enclosure

FIXTURE = Path(__file__).parents[2] / "fixtures" / "reading" / "structured.rss"
MP3 = Enclosure("https://media.workbench.example/ep12.mp3", "audio/mpeg", 48234112)


def test_rss_enclosure_is_parsed() -> None:
    feed = parse_feed(FIXTURE.read_bytes(), "https://workbench.example/feed.xml")
    assert [e.enclosures for e in feed.entries] == [(), (MP3,), ()]
    assert MP3.media


def test_atom_and_json_feed_enclosures() -> None:
    atom = (
        b'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        b"<title>T</title><id>urn:t</id><updated>2026-11-01T00:00:00Z</updated><entry>"
        b'<title>E</title><id>urn:e</id><updated>2026-11-01T00:00:00Z</updated><link href="/e"/>'
        b'<link rel="enclosure" href="/v.mp4" type="video/mp4" length="1000"/>'
        b'<link rel="enclosure" href="javascript:alert(1)" type="audio/mpeg"/>'
        b"<summary>s</summary></entry></feed>"
    )
    entry = parse_feed(atom, "https://a.example/feed").entries[0]
    assert entry.enclosures == (Enclosure("https://a.example/v.mp4", "video/mp4", 1000),)
    doc = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "J",
        "items": [
            {
                "id": "1",
                "url": "https://j.example/1",
                "content_text": "hi",
                "attachments": [
                    {
                        "url": "https://j.example/a.m4a",
                        "mime_type": "audio/x-m4a",
                        "size_in_bytes": 9,
                    },
                    {"url": "https://j.example/b.ogg", "size_in_bytes": "lots"},
                ],
            }
        ],
    }
    entry = parse_feed(json.dumps(doc).encode(), "https://j.example/f.json").entries[0]
    assert entry.enclosures == (
        Enclosure("https://j.example/a.m4a", "audio/x-m4a", 9),
        Enclosure("https://j.example/b.ogg", None, None),
    )


def test_enclosures_are_stored_and_replaced(lib: Library) -> None:
    feed = lib.store.add_feed("https://workbench.example/feed.xml")
    parsed = parse_feed(FIXTURE.read_bytes(), feed.url)
    lib.store.store_entries(feed.id, parsed.entries)
    episode = next(
        a for a in lib.store.articles([r.id for r in lib.list_articles()]).values() if a.enclosures
    )
    assert episode.enclosures == (MP3,)
    assert lib.store.article(episode.id).enclosures == (MP3,)
    lib.store.set_bookmark(episode.id, True)
    assert lib.store.bookmarks()[0][0].enclosures == (MP3,)
    moved = FIXTURE.read_bytes().replace(b"ep12.mp3", b"ep12-fixed.mp3")
    lib.store.store_entries(feed.id, parse_feed(moved, feed.url).entries)
    assert [e.url for e in lib.store.article(episode.id).enclosures] == [
        "https://media.workbench.example/ep12-fixed.mp3"
    ]
