"""Canonical URLs and guids: when two links or ids name one article."""

from __future__ import annotations

import pytest
from newsreader.index.stories.urls import canonical_url, guid_key, is_tracking_param


@pytest.mark.parametrize(
    "left, right",
    [
        (
            "https://news.example/world/2026/port-strike?utm_source=rss&utm_medium=top",
            "https://news.example/world/2026/port-strike?utm_source=rss&utm_medium=world",
        ),
        ("https://news.example/a?fbclid=IwAR0x", "https://news.example/a"),
        ("https://news.example/a?gclid=abc&id=7", "https://news.example/a?id=7"),
        ("https://news.example/a?mc_cid=1&mc_eid=2", "https://news.example/a"),
        ("http://WWW.News.Example:80/a#comments", "https://news.example/a"),
        ("https://news.example:443/a/", "https://news.example/a"),
        ("https://news.example/a?b=2&a=1", "https://news.example/a?a=1&b=2"),
    ],
)
def test_tracking_and_noise_do_not_make_a_new_page(left: str, right: str) -> None:
    assert canonical_url(left) == canonical_url(right)


@pytest.mark.parametrize(
    "left, right",
    [
        ("https://news.example/a?id=7", "https://news.example/a?id=8"),
        ("https://news.example/A", "https://news.example/a"),
        ("https://news.example/a", "https://other.example/a"),
        ("https://news.example:8080/a", "https://news.example/a"),
    ],
)
def test_different_pages_stay_different(left: str, right: str) -> None:
    assert canonical_url(left) != canonical_url(right)


@pytest.mark.parametrize("url", [None, "", "file:///tmp/a.html", "mailto:a@b.c", "not a url"])
def test_only_web_links_have_a_canonical_form(url: str | None) -> None:
    assert canonical_url(url) is None


def test_tracking_parameter_list() -> None:
    for name in ("utm_source", "UTM_Campaign", "fbclid", "gclid", "mc_cid", "msclkid"):
        assert is_tracking_param(name)
    for name in ("id", "page", "article", "p"):
        assert not is_tracking_param(name)


def test_only_guids_unique_beyond_their_feed_count() -> None:
    assert guid_key("42") is None
    assert guid_key("  ") is None
    assert guid_key("tag:news.example,2026:story-1") == "id:tag:news.example,2026:story-1"
    assert guid_key("urn:x:7") is None
    assert guid_key("urn:uuid:0b2c44e1-77aa-4c1a") is not None
    assert guid_key("3f2a9c1d-0b4e-4c1a-9d2e-1234567890ab") is not None
    assert guid_key("https://news.example/a?utm_source=x") == guid_key("http://news.example/a")
