"""The bundled demo feeds: offline, three formats, enough real text to explore."""

from __future__ import annotations

from newsreader.index.library import Library


def test_demo_feeds_seed_once_and_can_be_removed(lib: Library) -> None:
    added = lib.seed_demo_feeds()
    assert len(added) == 3
    feeds = lib.feeds()
    assert all(f.last_error is None and f.warning is None for f in feeds), feeds
    assert {f.url.rsplit(".", 1)[-1] for f in feeds} == {"xml", "atom", "json"}
    assert lib.count_articles() >= 40
    for row in lib.list_articles(limit=100):
        words = len(lib.article(row.id).text.split())
        assert 150 <= words <= 650, (row.title, words)
    for feed in feeds:
        lib.remove_feed(str(feed.id))
    assert lib.seed_demo_feeds() == [], "a user who removed the demo feeds keeps them removed"
    assert lib.feeds() == []


def test_demo_articles_are_searchable(lib: Library) -> None:
    lib.seed_demo_feeds()
    res = lib.search("mosul")
    assert res.total >= 2
    assert len({h.feed for h in res.hits}) >= 2, "the demo stories link across feeds"
