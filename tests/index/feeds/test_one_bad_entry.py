"""One entry our reading code cannot read costs that entry, not its feed."""

from __future__ import annotations

import json

import pytest
from newsreader.index.feeds import parse as parse_module
from newsreader.index.feeds.parse import parse_feed


def _rss(bodies: list[str], well_formed: bool = True) -> bytes:
    items = "".join(
        f"<item><title>T{n}</title><link>https://ex.org/{n}</link>"
        f"<description>{body}</description></item>"
        for n, body in enumerate(bodies)
    )
    tail = "</channel></rss>" if well_formed else "</channel>"  # the feedparser path
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>F</title>{items}{tail}'.encode()
    )


@pytest.fixture
def boom(monkeypatch: pytest.MonkeyPatch) -> None:
    real = parse_module.feed_text

    def feed_text(summary_html: str, content_html: str) -> tuple[str, str]:
        if "BOOM" in summary_html + content_html:
            raise RecursionError("what an unforeseen article did to us")
        return real(summary_html, content_html)

    monkeypatch.setattr(parse_module, "feed_text", feed_text)


@pytest.mark.usefixtures("boom")
@pytest.mark.parametrize("well_formed", [True, False])
def test_the_other_entries_of_an_rss_feed_are_kept(well_formed: bool) -> None:
    body = _rss(["first words", "BOOM here", "third words"], well_formed)
    feed = parse_feed(body, "https://ex.org/feed", "application/rss+xml")
    assert [e.title for e in feed.entries] == ["T0", "T2"]
    assert feed.warning is not None and "1 entry could not be read" in feed.warning


@pytest.mark.usefixtures("boom")
def test_the_other_items_of_a_json_feed_are_kept() -> None:
    doc = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "J",
        "items": [
            {"id": "1", "title": "A", "content_html": "<p>fine</p>"},
            {"id": "2", "title": "B", "content_html": "<p>BOOM</p>"},
            {"id": "3", "title": "C", "content_text": "also fine"},
        ],
    }
    feed = parse_feed(json.dumps(doc).encode(), "https://ex.org/feed.json", "application/json")
    assert [e.title for e in feed.entries] == ["A", "C"]
    assert feed.warning is not None and "1 entry could not be read" in feed.warning
