"""One row per story in what lists and searches return, with how many feeds carry it.

The store's list queries already leave out the articles that are not their story's lead;
search hits come from the index, which holds every copy, so they are collapsed here: the
best-ranked article of each story stays, the others go, and every kept row or hit says
how many feeds carry its story (``sources``).
"""

from __future__ import annotations

from dataclasses import replace

from ..models import ArticleRow, SearchResults
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
