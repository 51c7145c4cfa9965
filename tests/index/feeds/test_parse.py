"""Parsing: JSON Feed mapping, identity, clean text, untrusted text."""

from __future__ import annotations

import json

import pytest
from newsreader.index.errors import NotAFeedError
from newsreader.index.feeds.parse import discover_feeds, parse_feed
from newsreader.index.text import html_to_text, is_openable_url, safe_text


def test_json_feed_items_are_mapped() -> None:
    doc = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Jay's Feed",
        "home_page_url": "https://example.org/",
        "authors": [{"name": "Feed Author"}],
        "items": [
            {
                "id": "1",
                "url": "https://example.org/1",
                "title": "First",
                "content_html": "<p>One.</p><p>Two.</p>",
                "date_published": "2026-02-01T10:00:00+01:00",
                "tags": ["a", "b"],
            },
            {
                "id": 2,
                "content_text": "Only text here.\n\nSecond paragraph.",
                "authors": [{"name": "Ann"}],
            },
        ],
    }
    parsed = parse_feed(json.dumps(doc).encode(), "https://example.org/feed.json")
    assert parsed.title == "Jay's Feed"
    first, second = parsed.entries
    assert first.text == "One.\n\nTwo."
    assert first.published is not None and first.published.hour == 9
    assert first.author == "Feed Author" and first.tags == ("a", "b")
    assert second.key == "id:2" and second.author == "Ann"
    assert second.text == "Only text here.\n\nSecond paragraph."
    assert second.title.startswith("Only text here")


def test_html_page_is_not_a_feed_but_links_are_found() -> None:
    page = b'<html><head><link rel="alternate" type="application/rss+xml" href="rss.xml"></head></html>'
    with pytest.raises(NotAFeedError) as info:
        parse_feed(page, "https://example.org/blog/")
    assert info.value.candidates == ["https://example.org/blog/rss.xml"]
    assert discover_feeds(b"<html></html>", "https://x.org/") == []


def test_html_to_text_keeps_paragraphs_and_drops_scripts() -> None:
    html = "<div><p>Hello <b>world</b></p><script>alert(1)</script><ul><li>a</li><li>b</li></ul>tail</div>"
    assert html_to_text(html) == "Hello world\n\na\n\nb\n\ntail"


def test_safe_text_strips_escapes_controls_and_bidi() -> None:
    nasty = "A\x1b[31mred\x1b[0m \x1b]0;title\x07B\x9b2J\u202eC\x00D\x07"
    assert safe_text(nasty) == "Ared BCD"


def test_only_http_links_open() -> None:
    assert is_openable_url("https://example.org/x")
    assert is_openable_url("http://example.org")
    for bad in (
        "javascript:alert(1)",
        "file:///etc/passwd",
        "data:text/html,hi",
        "ftp://x.org",
        "",
        None,
    ):
        assert not is_openable_url(bad)
