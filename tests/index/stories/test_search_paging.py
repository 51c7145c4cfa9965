"""Search pages of collapsed stories: each story once across all pages, no gaps, and the
total is the number of stories once every hit has been read (never fewer before)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from feedmaker import Item
from newsreader.index.library import Library
from storyfeeds import WHEN, feed_file

STORIES = 6
SINGLES = 4
PAPERS = ("North", "South", "East")


@pytest.fixture
def harbour(lib: Library, tmp_path: Path) -> set[str]:
    """Six harbour stories each in three papers (one page under tracking links), dated so
    that by date the copies of a story fall on different pages, and four single reports."""
    for p, paper in enumerate(PAPERS):
        items = [
            Item(
                f"{paper}-{n}",
                f"Harbour report {n} ({paper})",
                f"<p>The harbour authority published report number {n}.</p>",
                f"https://wire.example/harbour/{n}?utm_source={paper.lower()}",
                published=WHEN + timedelta(hours=10 * p + n),
            )
            for n in range(STORIES)
        ]
        if p == 0:
            items += [
                Item(
                    f"single-{n}",
                    f"Harbour notice {n}",
                    f"<p>A harbour notice about berth {n}.</p>",
                    f"https://north.example/notice/{n}",
                    published=WHEN + timedelta(hours=5 + n),
                )
                for n in range(SINGLES)
            ]
        lib.add_feed(feed_file(tmp_path, paper, items), fetch=False)
    lib.refresh()
    return {r.id for r in lib.list_articles("all")}


@pytest.mark.parametrize("sort", ["date", "relevance"])
@pytest.mark.parametrize("size", [1, 3, 4])
def test_each_story_once_across_pages(
    lib: Library, harbour: set[str], sort: str, size: int
) -> None:
    seen: list[str] = []
    stories: list[str] = []
    offset = 0
    while True:
        page = lib.search("harbour", limit=size, offset=offset, sort=sort)
        if not page.hits:
            break
        assert len(page.hits) <= size
        seen.extend(h.id for h in page.hits)
        for h in page.hits:
            story = lib.story(h.id)
            stories.append(story.id if story else h.id)
        offset += size
    assert len(stories) == len(set(stories)) == STORIES + SINGLES  # none twice, none lost
    # the page past the end has read every hit: its total is the number of stories
    past = lib.search("harbour", limit=size, offset=offset, sort=sort)
    assert past.hits == [] and past.total == STORIES + SINGLES
    # earlier pages can only overcount (by copies not read yet), never undercount
    first = lib.search("harbour", limit=size, sort=sort)
    assert STORIES + SINGLES <= first.total <= STORIES * len(PAPERS) + SINGLES


def test_one_page_with_everything_is_exact(lib: Library, harbour: set[str]) -> None:
    res = lib.search("harbour", limit=50)
    assert res.total == len(res.hits) == STORIES + SINGLES
    assert {h.sources for h in res.hits} == {1, 3}
