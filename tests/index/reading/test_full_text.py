"""Full text: an article's page fetched like a feed, its main text kept, the rest left out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from newsreader.index.feeds.article_page import PageError, is_private_host, may_fetch
from newsreader.index.library import Library
from pytest_httpserver import HTTPServer

PAGES = Path(__file__).parents[2] / "fixtures" / "reading" / "pages"
JUNK = [
    "ADVERTISEMENT",
    "Sponsored",
    "harbourfan22",
    "Nobody asked us",
    "Related stories",
    "Subscribe now",
    "Cookie settings",
    "Weather",
]


def _feed(server: HTTPServer) -> bytes:
    link = server.url_for("/news/harbour-night-shipping")
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Velden'
        " Courier</title><link>https://velden.example/</link><item><title>Harbour authority"
        f" approves night shipping</title><link>{link}</link><guid>n1</guid>"
        "<pubDate>Wed, 04 Nov 2026 18:15:00 +0000</pubDate><description>The Port of Velden"
        " will take container ships overnight from January.</description></item>"
        "</channel></rss>"
    ).encode()


def _serve(server: HTTPServer) -> None:
    server.expect_request("/feed.xml").respond_with_data(
        _feed(server), content_type="application/rss+xml"
    )
    server.expect_request("/news/harbour-night-shipping").respond_with_data(
        (PAGES / "news.html").read_bytes(), content_type="text/html; charset=utf-8"
    )


def test_show_full_keeps_only_the_article(cli, httpserver: HTTPServer) -> None:  # type: ignore[no-untyped-def]
    _serve(httpserver)
    assert cli("add", httpserver.url_for("/feed.xml")).code == 0
    hit = json.loads(cli("search", "--json").out)["results"][0]
    before = cli("show", hit["id"]).out
    assert "ending a ban on night arrivals" not in before  # the feed sends a summary only
    res = cli("show", hit["id"], "--full")
    assert res.code == 0, res.err
    out = res.out
    assert "ending a ban on night arrivals that has stood since 1987" in out
    assert "│ We listened to the residents" in out
    assert "• A noise ceiling of 55 decibels at the nearest houses" in out
    assert "Skerry Star is due from Rotterdam" in out
    for junk in JUNK:
        assert junk not in out, junk
    # kept beside the feed's text, searchable at once, and shown again without --full
    shown = json.loads(cli("show", hit["id"], "--json").out)
    assert shown["full_text"] is True and "1987" in shown["text"]
    assert "The Port of Velden" in shown["summary_html"] + shown["content_html"]
    found = json.loads(cli("search", "Rotterdam", "--json").out)
    assert [h["id"] for h in found["results"]] == [hit["id"]]


def test_feed_full_text_on_fetches_new_articles_during_refresh(
    lib: Library, httpserver: HTTPServer
) -> None:
    _serve(httpserver)
    feed = lib.store.add_feed(httpserver.url_for("/feed.xml"))
    assert lib.set_feed_full_text(feed.id, True).full_text
    lib.refresh()
    (row,) = lib.list_articles()
    article = lib.article(row.id)
    assert article.full_html and "1987" in article.text
    assert [h.id for h in lib.search("Rotterdam").hits] == [row.id]


def test_a_public_feed_may_not_send_us_to_a_private_address(lib: Library) -> None:
    assert is_private_host("127.0.0.1") and is_private_host("10.1.2.3")
    assert is_private_host("localhost") and is_private_host("[::1]")
    assert not is_private_host("93.184.215.14")
    assert may_fetch("http://127.0.0.1:8000/page", "https://93.184.215.14/feed.xml")
    assert may_fetch("http://127.0.0.1:8000/page", "http://127.0.0.1:8000/feed.xml") is None
    assert may_fetch("file:///etc/passwd", "http://127.0.0.1/feed.xml")
    feed = lib.store.add_feed("https://93.184.215.14/feed.xml")
    from newsreader.index.models import ParsedEntry

    entry = ParsedEntry(
        key="k",
        guid="k",
        link="http://127.0.0.1:9/secret",
        title="T",
        author=None,
        published=None,
        updated=None,
        summary_html="",
        content_html="<p>x</p>",
        text="x",
    )
    lib.store.store_entries(feed.id, [entry])
    (row,) = lib.list_articles()
    with pytest.raises(PageError, match="loopback or private"):
        lib.fetch_full_text(row.id)
    assert lib.article(row.id).text == "x"  # nothing lost
