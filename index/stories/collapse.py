"""One row per story in what lists and searches return, with how many feeds carry it.

The store's list queries already leave out the articles that are not their story's lead;
search hits come from the index, which holds every copy, so they are collapsed here: the
best-ranked article of each story stays, the others go, and every kept row or hit says
how many feeds carry its story (``sources``).

A page of search results is a slice of the collapsed list, not a collapsed slice of the
index's list: ``collapsed_page`` reads the index's results from the top in chunks of the
page's size (the index keeps recent results, so the next page reads the earlier chunks
from its cache) until it has the stories up to the page's end. So a story is on one page
only, at the place of its best hit, and the pages have no gaps. ``total`` is the index's
count less the copies among the hits read; it is exact once every hit has been read (a
short result list, or the last page), and until then it can only be too high.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from ..models import ArticleRow, SearchHit, SearchResults
from ..store import Store


def with_sources(store: Store, rows: list[ArticleRow]) -> list[ArticleRow]:
    """Rows with ``sources`` filled in for stories that more than one feed carries."""
    sources = store.story_sources([r.id for r in rows])
    return [replace(r, sources=sources[r.id]) if r.id in sources else r for r in rows]


def one_hit_per_story(store: Store, results: SearchResults) -> SearchResults:
    """Keep the best-ranked hit of each story; the total drops by the hits left out."""
    ids = [h.id for h in results.hits]
    stories = store.story_ids(ids)
    sources = store.story_sources(ids)
    seen: set[str] = set()
    hits = []
    for hit in results.hits:
        story = stories.get(hit.id, (hit.id, True))[0]
        if story in seen:
            continue
        seen.add(story)
        hits.append(replace(hit, sources=sources.get(hit.id, 1)))
    dropped = len(results.hits) - len(hits)
    return replace(results, hits=hits, total=max(results.total - dropped, len(hits)))


def collapsed_page(
    store: Store,
    fetch: Callable[[int, int, bool], SearchResults],
    offset: int,
    limit: int,
) -> SearchResults:
    """The page [offset, offset + limit) of the collapsed results; ``fetch(offset, limit,
    first)`` gives the index's hits (with the store's marks; ``first`` for the first
    call, which also carries facets and the like)."""
    if limit <= 0:  # a count: the index's, less the copies it can see
        return one_hit_per_story(store, fetch(offset, limit, True))
    chunk = limit
    first = fetch(0, chunk, True)
    seen: set[str] = set()
    kept: list[SearchHit] = []
    dropped = 0
    read = 0
    results = first
    while True:
        ids = [h.id for h in results.hits]
        stories = store.story_ids(ids)
        sources = store.story_sources(ids)
        for hit in results.hits:
            story = stories.get(hit.id, (hit.id, True))[0]
            if story in seen:
                dropped += 1
                continue
            seen.add(story)
            kept.append(replace(hit, sources=sources.get(hit.id, 1)))
        read += chunk
        if len(kept) >= offset + limit or read >= first.total or not results.hits:
            break
        results = fetch(read, chunk, False)
    total = max(first.total - dropped, len(kept))
    return replace(first, hits=kept[offset : offset + limit], total=total)
