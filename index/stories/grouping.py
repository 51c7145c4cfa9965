"""Put each new article in a story: a copy of a stored page, a near-duplicate, or its own.

An article joins a story when it is a copy (the same canonical URL or the same globally
unique guid as a stored article, in any feed) or a near-duplicate (its MinHash signature
agrees with a stored article's on at least ``NEAR_THRESHOLD`` of the slots, and the two
are dated within ``NEAR_WINDOW_DAYS`` of each other). Candidates for the second test come
only from the LSH buckets the new article falls into, so the work per article does not
grow with the library. Otherwise the article starts a story of its own, as its lead.

Grouping runs at refresh over the queue the store keeps (``story_queue``), in batches of
one transaction each; ``rebuild`` forgets every story and groups the whole library again.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass

from ..store import Store
from ..store._stories import StoryInput, StoryWriter
from . import minhash
from .shingles import MIN_SHINGLES, shingle_hashes
from .urls import canonical_url, guid_key

# Chosen on the labelled set of bench/story_pairs.py (wire-story variants against different
# stories on the same topic): wire variants estimate 0.50 and up, different stories 0.28 and
# below; 0.4 leaves both sides about two standard errors of a 128-slot estimate.
NEAR_THRESHOLD = 0.3
NEAR_WINDOW_DAYS = 7
BATCH = 500


@dataclass(frozen=True, slots=True)
class Sketch:
    """What grouping computes of one article before it looks at the store."""

    url_key: str | None
    guid_key: str | None
    day: int
    signature: bytes | None
    keys: list[int]


def sketch(item: StoryInput) -> Sketch:
    """Copy keys, day and (for texts long enough to compare) signature and bucket keys."""
    day = int(item.date.timestamp() // 86400) if item.date is not None else 0
    hashes = shingle_hashes(item.text)
    signature: bytes | None = None
    keys: list[int] = []
    if len(hashes) >= MIN_SHINGLES:
        signature = minhash.signature(hashes)
        keys = minhash.band_keys(signature)
    return Sketch(canonical_url(item.link), guid_key(item.guid), day, signature, keys)


def place(writer: StoryWriter, item: StoryInput) -> str:
    """Group one article; returns how it joined: "copy", "near" or "lead"."""
    sk = sketch(item)
    writer.forget(item.article_id)
    story = writer.copy_of(sk.url_key, sk.guid_key)
    kind = "copy"
    if story is None and sk.signature is not None:
        best = 0.0
        for cand in writer.candidates(sk.keys):
            if cand.article_id == item.article_id or abs(cand.day - sk.day) > NEAR_WINDOW_DAYS:
                continue
            score = minhash.similarity(sk.signature, cand.signature)
            if score >= NEAR_THRESHOLD and score > best:
                best, story = score, cand.story_id
        kind = "near"
    if story is None:
        story, kind = item.article_id, "lead"
        if writer.story_exists(story):  # it led a story before its text changed
            story = f"{item.article_id}.{secrets.token_hex(3)}"
    writer.add(
        item.article_id,
        story,
        kind=kind,
        url_key=sk.url_key,
        guid_key=sk.guid_key,
        day=sk.day,
        signature=sk.signature,
        keys=sk.keys,
    )
    if kind != "lead":
        writer.take_story_marks(item.article_id, story)
    writer.done(item.article_id)
    return kind


def group_pending(
    store: Store, *, progress: Callable[[int, int], None] | None = None, batch: int = BATCH
) -> int:
    """Group every queued article, oldest first, one transaction per batch; returns how many."""
    total = store.story_queue_size()
    done = 0
    while True:
        with store.story_writer() as writer:
            items = writer.pending(batch)
            for item in items:
                place(writer, item)
        done += len(items)
        if progress and total:
            progress(min(done, total), total)
        if len(items) < batch:
            return done


def rebuild(store: Store, *, progress: Callable[[int, int], None] | None = None) -> int:
    """Forget every story and group the whole library again."""
    store.reset_stories()
    return group_pending(store, progress=progress)
