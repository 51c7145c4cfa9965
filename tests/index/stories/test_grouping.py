"""Stories across feeds: three feeds carrying one story show it once, read once."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
import storyfeeds
from feedmaker import Item
from newsreader.index.library import Library
from storyfeeds import WHEN, feed_file, html, wire


@pytest.fixture
def three_feeds(lib: Library, tmp_path: Path) -> dict[str, str]:
    return storyfeeds.three_feeds(lib, tmp_path)


def test_three_feeds_one_story_listed_once(lib: Library, three_feeds: dict[str, str]) -> None:
    rows = lib.list_articles("all")
    assert [r.id for r in rows] == [three_feeds["lead"], three_feeds["other"]] or [
        r.id for r in rows
    ] == [three_feeds["other"], three_feeds["lead"]]
    by_id = {r.id: r for r in rows}
    assert by_id[three_feeds["lead"]].sources == 3
    assert by_id[three_feeds["other"]].sources == 1
    assert lib.count_articles("all") == 2
    assert lib.count_articles("unread") == 2
    # a feed's own list still shows its own copy
    assert [r.id for r in lib.list_articles("all", lib.find_feed("Paper").id)] == [
        three_feeds["paper"]
    ]


def test_story_names_every_source(lib: Library, three_feeds: dict[str, str]) -> None:
    story = lib.story(three_feeds["paper"])
    assert story is not None
    assert story.sources == 3
    assert [m.feed_title for m in story.members] == ["Top", "World", "Paper"]
    assert [m.kind for m in story.members] == ["lead", "copy", "near"]
    assert lib.story(three_feeds["other"]) is None


def test_reading_any_copy_reads_the_story(lib: Library, three_feeds: dict[str, str]) -> None:
    lib.mark_read(three_feeds["world"])
    for key in ("lead", "world", "paper"):
        assert lib.article(three_feeds[key]).read
    assert not lib.article(three_feeds["other"]).read
    assert lib.count_articles("unread") == 1
    lib.mark_read(three_feeds["paper"], False)
    assert not any(lib.article(three_feeds[k]).read for k in ("lead", "world", "paper"))


def test_marking_a_feed_read_reads_its_stories_elsewhere(
    lib: Library, three_feeds: dict[str, str]
) -> None:
    lib.mark_all_read(lib.find_feed("Paper").id)
    assert lib.article(three_feeds["lead"]).read and lib.article(three_feeds["world"]).read
    assert not lib.article(three_feeds["other"]).read


def test_bookmarking_acts_on_every_copy(lib: Library, three_feeds: dict[str, str]) -> None:
    lib.bookmark(three_feeds["paper"])
    assert all(lib.article(three_feeds[k]).bookmarked for k in ("lead", "world", "paper"))
    assert [r.id for r in lib.list_articles("bookmarks")] == [three_feeds["lead"]]
    lib.unbookmark(three_feeds["lead"])
    assert not any(lib.article(three_feeds[k]).bookmarked for k in ("lead", "world", "paper"))


def test_search_shows_the_story_once(lib: Library, three_feeds: dict[str, str]) -> None:
    title = lib.article(three_feeds["lead"]).title
    word = max(title.split(), key=len).strip(":,'")
    res = lib.search(word)
    ids = [h.id for h in res.hits]
    story_ids = {three_feeds[k] for k in ("lead", "world", "paper")}
    assert len(story_ids & set(ids)) == 1
    hit = next(h for h in res.hits if h.id in story_ids)
    assert hit.sources == 3


def test_removing_a_feed_keeps_the_other_copies(lib: Library, three_feeds: dict[str, str]) -> None:
    lib.remove_feed("Top")
    rows = lib.list_articles("all")
    assert [r.id for r in rows] == [three_feeds["world"]]
    assert rows[0].sources == 2
    story = lib.story(three_feeds["paper"])
    assert story is not None and story.lead.article_id == three_feeds["world"]


def test_a_copy_arriving_after_reading_is_read(
    lib: Library, three_feeds: dict[str, str], tmp_path: Path
) -> None:
    lib.mark_read(three_feeds["lead"])
    lead = lib.article(three_feeds["lead"])
    late = [Item("late-1", "Late copy", html(lead.text), f"{lead.link}&fbclid=xyz", published=WHEN)]
    feed, _ = lib.add_feed(feed_file(tmp_path, "Late", late), fetch=False)
    lib.refresh([feed.id])
    late_row = lib.list_articles("all", feed.id)[0]
    assert lib.article(late_row.id).read
    assert lib.count_articles("unread") == 1


def test_reindex_rebuilds_the_same_stories(lib: Library, three_feeds: dict[str, str]) -> None:
    before = lib.story(three_feeds["lead"])
    lib.store.conn.execute("DELETE FROM story_members")
    assert lib.story(three_feeds["lead"]) is None
    lib.reindex()
    after = lib.story(three_feeds["lead"])
    assert before is not None and after is not None
    assert [m.article_id for m in after.members] == [m.article_id for m in before.members]


def test_stories_lists_multi_source_stories(lib: Library, three_feeds: dict[str, str]) -> None:
    stories = lib.stories()
    assert len(stories) == 1
    assert {m.article_id for m in stories[0].members} == {
        three_feeds[k] for k in ("lead", "world", "paper")
    }
    assert lib.stories(since=WHEN + timedelta(days=30)) == []


def test_short_summaries_are_grouped_only_by_url(lib: Library, tmp_path: Path) -> None:
    one = [Item("s-1", "Storm", "<p>The storm passed.</p>", "https://a.example/1", published=WHEN)]
    two = [Item("s-2", "Storm", "<p>The storm passed.</p>", "https://b.example/2", published=WHEN)]
    lib.add_feed(feed_file(tmp_path, "One", one), fetch=False)
    lib.add_feed(feed_file(tmp_path, "Two", two), fetch=False)
    lib.refresh()
    assert lib.count_articles("all") == 2


def test_same_text_far_apart_in_time_is_not_one_story(lib: Library, tmp_path: Path) -> None:
    title, paras = wire(5)
    old = [Item("o-1", title, html(paras), "https://a.example/1", published=WHEN)]
    new = [
        Item("n-1", title, html(paras), "https://b.example/1", published=WHEN + timedelta(days=60))
    ]
    lib.add_feed(feed_file(tmp_path, "Old", old), fetch=False)
    lib.add_feed(feed_file(tmp_path, "New", new), fetch=False)
    lib.refresh()
    assert lib.count_articles("all") == 2
