"""Put each new article in a story: a copy of a stored page, a near-duplicate, or its own.

An article joins a story when it is a copy (the same canonical URL or the same globally
unique guid as a stored article, in any feed) or a near-duplicate (its MinHash signature
agrees with a stored article's on at least ``NEAR_THRESHOLD`` of the slots, and the two
are dated within ``NEAR_WINDOW_DAYS`` of each other). Candidates for the second test come
only from the LSH buckets the new article falls into, so the work per article does not
grow with the library. Otherwise the article starts a story of its own, as its lead.

Grouping runs at refresh over the queue the store keeps (``story_queue``), in batches of
one transaction each; ``rebuild`` forgets every story and groups the whole library again.
A batch is a handful of statements whatever its size (the copy keys and bucket keys of
all its articles are looked up at once, the members and bucket rows written with one
``executemany`` each); articles of the same batch find each other in memory. The text
work (``sketch``) is done by the parse workers when they can (``sketches``), so what is
left here is the lookups.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from ..models import StorySketch
from ..store import Store
from ..store._stories import Candidate, NewMember, StoryInput, StoryWriter
from . import minhash
from .sketch import check_of, sketch

# Chosen on the labelled set of bench/story_pairs.py (wire-story variants against different
# stories on the same topic): wire variants estimate 0.44 and up, different stories 0.12
# and below; 0.3 leaves both sides more than three standard errors of a 128-slot estimate.
NEAR_THRESHOLD = 0.3
NEAR_WINDOW_DAYS = 7
BATCH = 500


@dataclass
class _Batch:
    """What the articles grouped so far in this batch look like to the next ones."""

    by_url: dict[str, str] = field(default_factory=dict)
    by_guid: dict[str, str] = field(default_factory=dict)
    buckets: dict[int, list[Candidate]] = field(default_factory=dict)


def _sketch_of(item: StoryInput, given: Mapping[str, StorySketch] | None) -> StorySketch:
    """The worker's sketch when it was made from this text, else a new one."""
    found = given.get(item.article_id) if given else None
    if found is not None and found.check == check_of(item.link, item.guid, item.text):
        return found
    return sketch(item.link, item.guid, item.text)


def group_batch(
    writer: StoryWriter, items: list[StoryInput], given: Mapping[str, StorySketch] | None = None
) -> dict[str, str]:
    """Group a batch of queued articles (oldest first); returns how each joined, by id:
    "copy", "near" or "lead"."""
    sketches = [_sketch_of(item, given) for item in items]
    ids = [item.article_id for item in items]
    writer.forget(ids)
    copies = writer.copy_stories(
        [s.url_key for s in sketches if s.url_key], [s.guid_key for s in sketches if s.guid_key]
    )
    stored = writer.candidates(sorted({k for s in sketches for k in s.keys}))
    taken = writer.existing_stories(ids)
    batch = _Batch()
    members: list[NewMember] = []
    kinds: dict[str, str] = {}
    for item, sk in zip(items, sketches, strict=True):
        day = int(item.date.timestamp() // 86400) if item.date is not None else 0
        story = _copy_story(sk, copies, batch)
        kind = "copy"
        if story is None and sk.signature is not None:
            story = _near_story(item.article_id, sk, day, stored, batch)
            kind = "near"
        if story is None:
            story, kind = item.article_id, "lead"
            if story in taken:  # it led a story before its text changed
                story = f"{item.article_id}.{secrets.token_hex(3)}"
        member = NewMember(
            item.article_id, story, kind, sk.url_key, sk.guid_key, day, sk.signature, sk.keys
        )
        members.append(member)
        kinds[item.article_id] = kind
        if sk.url_key:
            batch.by_url.setdefault(sk.url_key, story)
        if sk.guid_key:
            batch.by_guid.setdefault(sk.guid_key, story)
        if sk.signature is not None:
            cand = Candidate(item.article_id, story, day, sk.signature)
            for key in sk.keys:
                batch.buckets.setdefault(key, []).append(cand)
    writer.add(members)
    joined: dict[str, list[str]] = {}
    for member in members:
        if member.kind != "lead":
            joined.setdefault(member.story_id, []).append(member.article_id)
    for story, new in joined.items():
        writer.take_story_marks(story, new)
    writer.done(ids)
    return kinds


def _copy_story(sk: StorySketch, stored: Mapping[str, str], batch: _Batch) -> str | None:
    """The story of a stored (else an earlier batch) article with the same URL or guid."""
    for key, local in ((sk.url_key, batch.by_url), (sk.guid_key, batch.by_guid)):
        if key is None:
            continue
        found = stored.get(key) or local.get(key)
        if found is not None:
            return found
    return None


def _near_story(
    article_id: str,
    sk: StorySketch,
    day: int,
    stored: Mapping[int, list[Candidate]],
    batch: _Batch,
) -> str | None:
    """The story of the most similar candidate above the threshold, within the window."""
    assert sk.signature is not None
    seen: set[str] = set()
    best, story = 0.0, None
    for key in sk.keys:
        for cand in (*stored.get(key, ()), *batch.buckets.get(key, ())):
            if cand.article_id in seen or cand.article_id == article_id:
                continue
            seen.add(cand.article_id)
            if abs(cand.day - day) > NEAR_WINDOW_DAYS:
                continue
            score = minhash.similarity(sk.signature, cand.signature)
            if score >= NEAR_THRESHOLD and score > best:
                best, story = score, cand.story_id
    return story


def group_pending(
    store: Store,
    *,
    progress: Callable[[int, int], None] | None = None,
    batch: int = BATCH,
    sketches: Mapping[str, StorySketch] | None = None,
) -> int:
    """Group every queued article, oldest first, one transaction per batch; returns how
    many. ``sketches`` (by article id) are those the parse workers made."""
    total = store.story_queue_size()
    done = 0
    while True:
        with store.story_writer() as writer:
            items = writer.pending(batch)
            if items:
                group_batch(writer, items, sketches)
        done += len(items)
        if progress and total:
            progress(min(done, total), total)
        if len(items) < batch:
            return done


def rebuild(store: Store, *, progress: Callable[[int, int], None] | None = None) -> int:
    """Forget every story and group the whole library again."""
    store.reset_stories()
    return group_pending(store, progress=progress)
