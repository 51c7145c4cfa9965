"""Writing the search index: documents into new segments, on every core for a big batch.

A batch is written as new segments, committed in one table of contents, with no merge on
that path (``segments.py`` merges small segments afterwards, and never everything at once).
A batch of at least ``PARALLEL_MIN`` documents whose documents can be loaded in another
process is split into one contiguous share per worker process; each worker loads its share
itself (from the store, read-only: only article ids cross the pipe), analyses it with the
index's own schema and writes one complete Whoosh segment into the index directory. The
parent holds the index's write lock all along, deletes the old versions of the documents
meanwhile, and commits the workers' segments once all are written. A smaller batch is written
in this process the same way, into one segment.

Memory is bounded per writer: each one's posting buffer is ``POOL_MB`` (Whoosh spills a full
buffer to a sorted run on disk and merges the runs when the segment is finished), so a write
of any size costs the same memory; the figure is chosen so that the whole process tree of a
100k-article ingest stays under 250 MB (see bench/NOTES.md).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ..models import IndexDoc
from . import hitrecord
from .analysis import DEFAULT_LANGUAGE, VALUE_SEPARATOR
from .hitrecord import HIT_FIELD
from .schema import ENTITY_FIELDS, with_language
from .suggest import words_of

# ids -> their documents; must be picklable (a module-level function or a dataclass) for the
# parallel path, since each worker process calls it for its own share
DocLoader = Callable[[Sequence[str]], Iterable[IndexDoc]]

PARALLEL_MIN = 2000  # below this, starting worker processes costs more than it saves
POOL_MB = 10  # posting buffer of each worker (its real memory is about 2.5x the estimate)
SERIAL_POOL_MB = 48  # posting buffer of a write in this process (no workers beside it)


@dataclass(slots=True)
class WriteStats:
    """What one write did: documents written, segments added, and their words for did-you-mean."""

    written: int = 0
    segments: int = 0
    words: Counter[str] = field(default_factory=Counter)


def worker_count() -> int:
    """Worker processes for a big write: one per core, at most four."""
    return max(1, min(os.cpu_count() or 1, 4))


def _utc_naive(dt: datetime | None) -> datetime | None:
    if dt is None:
        return None
    if dt.tzinfo is not None:
        dt = dt.astimezone(UTC).replace(tzinfo=None)
    return dt


def dup_key(title: str, body: str) -> str:
    """Same title and body (ignoring case and spacing) -> same key: exact duplicates."""
    norm = " ".join((title + "\n" + body).lower().split())
    return hashlib.blake2b(norm.encode("utf-8"), digest_size=8).hexdigest()


def doc_fields(d: IndexDoc) -> dict[str, Any]:
    """The Whoosh fields of one article (what ``make_schema`` indexes and keeps).

    What a hit shows goes into one record (``hitrecord``); Whoosh's stored fields keep only
    the id, the duplicate key and the entities.
    """
    # the language the prose is stemmed as: an article whose language is unknown (too little
    # text to tell) is stemmed as English, the most common language of feeds
    lang = d.language or DEFAULT_LANGUAGE
    pub = _utc_naive(d.published)
    fields: dict[str, Any] = {
        "id": d.id,
        "feed_id": int(d.feed_id),
        # prose is marked with its language for the analyser; the record keeps it plain
        "feed": with_language(d.feed or "", lang),
        "title": with_language(d.title or "", lang),
        "body": with_language(d.body or "", lang),
        "lang": lang,
        HIT_FIELD: hitrecord.encode(
            id=d.id,
            title=d.title or "",
            feed=d.feed or "",
            feed_id=int(d.feed_id),
            link=d.link or "",
            published=pub,
            lang=lang,
            author=d.author or "",
            body=d.body or "",
            bookmarked=bool(d.bookmarked),
            read=bool(d.read),
        ),
        "bookmarked": bool(d.bookmarked),
        "read": bool(d.read),
        "hidden": bool(d.hidden),
        "dup": dup_key(d.title or "", d.body or ""),
    }
    if d.folder:
        parts = d.folder.replace(",", " ").split("/")
        fields["folder"] = ",".join("/".join(parts[: n + 1]) for n in range(len(parts)))
    if d.author:
        fields["author"] = d.author
    tags = [t.replace("|", " ").strip() for t in d.tags if t.strip()]
    if tags:
        fields["tags"] = VALUE_SEPARATOR.join(tags)
    if pub is not None:
        fields["published"] = pub
    ents = {}
    for name in ENTITY_FIELDS:
        values = [v.replace("|", " ") for v in getattr(d, name) if v and v.strip()]
        if values:
            fields[name] = VALUE_SEPARATOR.join(values)
            ents[name] = values
    if ents:
        fields["ents"] = ents
    return fields


def add_docs(writer: Any, docs: Iterable[IndexDoc], words: Counter[str]) -> int:
    """Add ``docs`` to a Whoosh writer (one version per id) and count their words."""
    seen: set[str] = set()
    add = writer.add_document
    for d in docs:
        if d.id in seen:
            continue
        seen.add(d.id)
        add(**doc_fields(d))
        words.update(words_of(d.title or ""))
        words.update(words_of(d.body or ""))
    return len(seen)


def delete_ids(writer: Any, ids: Iterable[str]) -> int:
    """Mark the committed documents with these ids deleted (one searcher for all of them)."""
    count = 0
    with writer.searcher() as s:
        for aid in ids:
            count += writer.delete_by_term("id", aid, searcher=s)
    return count


def new_segment_writer(ix: Any, *, limitmb: int, lock: bool) -> Any:
    """A Whoosh segment writer; ``lock`` False for a worker (its parent holds the lock)."""
    from whoosh.util import random_name
    from whoosh.writing import SegmentWriter

    from ._whoosh_codec import news_codec

    writer = SegmentWriter(ix, _lk=lock, limitmb=limitmb, timeout=5.0, codec=news_codec())
    # Whoosh gives every writer of an index the same temporary directory (its column writers
    # keep their files there too) and removes it when any writer finishes: writers working
    # side by side each get their own for their spilled runs, and that one is removed instead
    temp = ix.storage.temp_storage(f"{ix.indexname}.{random_name(12)}.tmp")
    writer._tempstorage = writer.pool.tempstore = temp
    return writer


def cancel_writer(writer: Any) -> None:
    """Cancel ``writer`` whatever state a failed write left it in: its temporary directory
    (spilled runs) removed and its lock released even when closing its segment fails again
    (a full disk fails the flush of what was buffered, and Whoosh's ``cancel`` stops there,
    leaving the directory behind on the disk that has no room)."""
    if writer.is_closed:
        return
    try:
        writer.cancel()
    except Exception:
        with contextlib.suppress(Exception):
            writer._tempstorage.destroy()
        with contextlib.suppress(Exception):
            if writer.writelock:
                writer.writelock.release()
        writer.is_closed = True


def commit_segments(writer: Any, added: Sequence[Any]) -> None:
    """Commit ``writer``: the existing segments (with its deletions), ``added``, and its own
    segment if it holds documents. No merging: that is ``segments.merge_segments``' job."""
    final = list(writer.segments)
    final += added
    if writer._added:
        final.append(writer._finalize_segment())
    else:
        writer._close_segment()
    writer._commit_toc(final)
    writer._finish()


def write_parallel(
    writer: Any,
    index_dir: str,
    ids: Sequence[str],
    load: DocLoader,
    *,
    procs: int,
    before_commit: Callable[[], object] | None = None,
) -> WriteStats:
    """Write ``ids`` as one segment per worker process, then commit them with ``writer``.

    ``writer`` is the parent's locked writer (deletions already made or made by
    ``before_commit``, which runs while the workers work). Raises whatever a worker raised;
    the caller cancels ``writer`` then, and the next commit removes the orphaned files.
    """
    from ..worker_pool import WorkerPool

    shares = _shares(list(ids), procs)
    stats = WriteStats()
    # a failure here ends the workers at once (a worker still writing its share is killed;
    # the files it left are orphans, removed by the next commit)
    with WorkerPool(len(shares), thread_name="newsreader-index") as pool:
        futures = [pool.submit(write_share, index_dir, load, share, POOL_MB) for share in shares]
        if before_commit is not None:
            before_commit()
        segments = []
        for fut in futures:
            seg, words, n = fut.result()
            if seg is not None:
                segments.append(seg)
            stats.words.update(words)
            stats.written += n
    commit_segments(writer, segments)
    stats.segments = len(segments)
    return stats


def _shares(ids: list[str], procs: int) -> list[list[str]]:
    """``ids`` in ``procs`` contiguous shares of (nearly) equal size."""
    procs = max(1, min(procs, len(ids)))
    size, extra = divmod(len(ids), procs)
    out = []
    start = 0
    for i in range(procs):
        end = start + size + (1 if i < extra else 0)
        out.append(ids[start:end])
        start = end
    return out


def write_share(
    index_dir: str, load: DocLoader, ids: Sequence[str], limitmb: int
) -> tuple[Any, Counter[str], int]:
    """In a worker: write the documents of ``ids`` as one new segment (not committed).

    Returns (the segment, or None if no document was found; the words; documents written).
    """
    from whoosh import index as whoosh_index

    from . import _whoosh_patches

    _whoosh_patches.install()  # as SearchIndex.open does in the parent
    ix = whoosh_index.open_dir(index_dir)
    writer = new_segment_writer(ix, limitmb=limitmb, lock=False)
    words: Counter[str] = Counter()
    try:
        n = add_docs(writer, load(ids), words)
        segment = writer._finalize_segment() if n else None
    except BaseException:
        cancel_writer(writer)
        raise
    if n:
        writer._finish()
    else:
        writer.cancel()
    return segment, words, n
