"""Background enrichment: extract the entities of stored articles that lack current ones.

Work goes in batches, each saved in one transaction, so a crash loses at most the batch
in flight and the next run picks up where this one stopped (articles are chosen by their
stored ``entities_version``, which a saved batch stamps).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from .entities import ENTITY_VERSION, Extractor, load_extractor

if TYPE_CHECKING:
    from .store import Store


def enrich_pending(
    store: Store,
    extractor: Extractor | None = None,
    *,
    batch_size: int = 64,
    progress: Callable[[int, int], None] | None = None,
    limit: int | None = None,
) -> int:
    """Extract and save entities of articles missing them or older than ENTITY_VERSION.

    ``progress(done, total)`` is called after each saved batch; ``limit`` caps how many
    articles this call handles. Returns how many articles were done.
    """
    total = store.count_needing_entities(ENTITY_VERSION)
    if limit is not None:
        total = min(total, limit)
    if total == 0:
        return 0
    if extractor is None:
        extractor = load_extractor()
    done = 0
    if progress is not None:
        progress(0, total)
    while done < total:
        rows = store.articles_needing_entities(ENTITY_VERSION, min(batch_size, total - done))
        if not rows:
            break
        results = extractor.extract_batch([(title, text) for _, title, text in rows])
        store.save_entities(
            [
                (aid, title_m, text_m)
                for (aid, _, _), (title_m, text_m) in zip(rows, results, strict=True)
            ],
            ENTITY_VERSION,
        )
        done += len(rows)
        if progress is not None:
            progress(done, total)
    return done
