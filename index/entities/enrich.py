"""Background enrichment: extract the entities of stored articles that lack current ones.

Each article goes through the pipeline of its own language (its stored ``language``; English
when unknown, after one try at detecting it): articles in a language without an installed
model are not pending at all, and mentions the English model once found in them are
removed. Work goes in batches, each saved in one transaction, so a crash loses at most the
batch in flight and the next run picks up where this one stopped (articles are chosen by
their stored ``entities_version``, which a saved batch stamps).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from ..models import Mention
from .languages import DEFAULT_LANGUAGE, enrich_languages
from .status import ENTITY_VERSION

if TYPE_CHECKING:
    from ..store import Store
    from .extract import Extractor

log = logging.getLogger(__name__)
Result = tuple[list[Mention], list[Mention]]


def load_extractor(language: str = DEFAULT_LANGUAGE) -> Extractor:
    """The language's shared extractor (spaCy is imported only now)."""
    from .extract import load_extractor as load

    return load(language)


def pending_count(store: Store, languages: Sequence[str] | None = None) -> int:
    """How many articles wait for the pipeline of one of ``languages`` (default: those
    enrichment reads, ``enrich_languages``); articles of unknown language count as English."""
    langs = enrich_languages() if languages is None else tuple(languages)
    return store.count_needing_entities(ENTITY_VERSION, langs, unknown=DEFAULT_LANGUAGE in langs)


def enrich_pending(
    store: Store,
    extractor: Extractor | None = None,
    *,
    batch_size: int = 64,
    progress: Callable[[int, int], None] | None = None,
    limit: int | None = None,
    languages: Sequence[str] | None = None,
) -> int:
    """Extract and save entities of articles missing them or older than ENTITY_VERSION.

    ``languages``: the pipelines to run (default: ``enrich_languages()``); ``extractor``
    stands in for all of them (tests). ``progress(done, total)`` is called after each
    saved batch; ``limit`` caps how many articles this call handles. Returns how many
    articles were done.
    """
    langs = enrich_languages() if languages is None else tuple(languages)
    if extractor is not None and languages is None:
        langs = (DEFAULT_LANGUAGE,)
    cleared = store.clear_entities_outside(langs)
    if cleared:
        log.info("removed entities of %d articles in languages without a model", cleared)
    unknown = DEFAULT_LANGUAGE in langs
    total = store.count_needing_entities(ENTITY_VERSION, langs, unknown=unknown)
    if limit is not None:
        total = min(total, limit)
    if total == 0:
        return 0
    extractors: dict[str, Extractor] = {}

    def extractor_for(language: str) -> Extractor:
        if extractor is not None:
            return extractor
        if language not in extractors:
            extractors[language] = load_extractor(language)
        return extractors[language]

    done = 0
    if progress is not None:
        progress(0, total)
    while done < total:
        rows = store.articles_needing_entities(
            ENTITY_VERSION, min(batch_size, total - done), langs, unknown=unknown
        )
        if not rows:
            break
        by_language = _languages(store, rows, langs)
        saved: list[tuple[str, list[Mention], list[Mention]]] = []
        for language, items in by_language.items():
            results = _extract(extractor_for(language), [(title, text) for _, title, text in items])
            saved.extend(
                (aid, title_m, text_m)
                for (aid, _, _), (title_m, text_m) in zip(items, results, strict=True)
            )
        if saved:
            store.save_entities(saved, ENTITY_VERSION)
        done += len(rows)
        if progress is not None:
            progress(min(done, total), total)
    return done


def _languages(
    store: Store, rows: Sequence[tuple[str, str, str, str | None]], langs: Sequence[str]
) -> dict[str, list[tuple[str, str, str]]]:
    """The batch's articles by the language whose pipeline reads them. An article of
    unknown language (stored before languages were) is detected once; one found to be in a
    language without a model gets that language stored and leaves the queue."""
    out: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    found: list[tuple[str, str]] = []
    for aid, title, text, language in rows:
        if language is None:
            from ..language import article_language

            language = article_language(None, title, text)
            if language is not None:
                found.append((language, aid))
        language = language or DEFAULT_LANGUAGE
        if language in langs:
            out[language].append((aid, title, text))
    if found:
        store.set_languages(found)
    return out


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
