"""Background enrichment: extract the entities of stored articles that lack current ones.

Work goes in batches, each saved in one transaction, so a crash loses at most the batch
in flight and the next run picks up where this one stopped (articles are chosen by their
stored ``entities_version``, which a saved batch stamps).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from ..models import Mention
from .extract import ENTITY_VERSION, Extractor, load_extractor

if TYPE_CHECKING:
    from ..store import Store

log = logging.getLogger(__name__)
Result = tuple[list[Mention], list[Mention]]


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
        results = _extract(extractor, [(title, text) for _, title, text in rows])
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


def _extract(extractor: Extractor, docs: Sequence[tuple[str, str]]) -> list[Result]:
    """The batch's results. If the batch fails, each article is tried alone, so one article
    the model chokes on is saved without entities instead of blocking enrichment for good;
    when every article fails the fault is not theirs, and the error is raised."""
    try:
        return extractor.extract_batch(docs)
    except Exception:
        if len(docs) == 1:
            raise
    results: list[Result] = []
    last_error: Exception | None = None
    for doc in docs:
        try:
            results.append(extractor.extract_batch([doc])[0])
        except Exception as exc:
            last_error = exc
            log.warning("entity extraction failed for %r: %s", doc[0][:80], exc)
            results.append(([], []))
    if last_error is not None and all(r == ([], []) for r in results):
        raise last_error
    return results
