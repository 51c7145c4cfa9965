"""Put each new article in a story: a copy of a stored page, a near-duplicate, or its own.

An article joins a story when it is a copy (the same canonical URL or the same globally
unique guid as a stored article, in any feed) or a near-duplicate (its MinHash signature
agrees with a stored article's on at least ``NEAR_THRESHOLD`` of the slots, and the two
are dated within ``NEAR_WINDOW_DAYS`` of each other). Otherwise the article starts a story
of its own, as its lead.

Grouping runs at refresh over the queue the store keeps (``story_queue``), in batches of
one transaction each; ``rebuild`` forgets every story and groups the whole library again.
A batch costs a handful of statements whatever its size: the copy keys of all its
articles are looked up at once, and the near-duplicate candidates are the signatures kept
for the window of the batch's articles, a few rows of ``story_sketches`` (one per day of
each batch: member numbers and signatures). Their band keys and the batch's are matched in
memory (numpy), and only pairs sharing a band are compared. So the work per article
depends on how many articles a fortnight brings, not on the library's size. A kept
signature whose member has gone (deleted, or grouped again) is skipped when it matches.
(A table of LSH buckets, tried first, cost more than the store step: its random keys made
every batch rewrite pages all over a table that grew with the library; one signature per
member row made the window thousands of row reads.)
The copy keys a batch keeps go to a small table, merged into the big one every ~10
batches (``StoryWriter.merge_keys``), so a batch's writes do not grow with the library
either. A batch spanning many days (an archive) is compared in spans of ``SPAN_DAYS``, so the
members read stay within a month. Articles of one batch find each other in memory.
The text work (``sketch``) is done by the parse workers when they can (``sketches``); the
text is read from the store only for an article whose sketch cannot be trusted.
"""

from __future__ import annotations

import functools
import secrets
from bisect import bisect_right
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..models import StorySketch
from ..store import Store
from ..store._stories import (
    CHANGED,
    GROUPED,
    STORY_TAKEN,
    Candidate,
    PlacedBatch,
    Queued,
    StoryWriter,
)
from . import minhash
from .sketch import sketch

if TYPE_CHECKING:
    import numpy as np

# Chosen on the labelled set of bench/story_pairs.py (wire-story variants against different
# stories on the same topic): wire variants estimate 0.35 and up (median 0.77), different
# stories 0.12 and below.
NEAR_THRESHOLD = 0.3
NEAR_WINDOW_DAYS = 7
SPAN_DAYS = 14
BATCH = 2000  # a refresh's new articles are mostly one batch: one window read
# the sieve of band keys (``_similar_pairs``): 2**20 flags, about 6% set by a batch's 64,000 keys
_SIFT_SIZE = 1 << 20
_SIFT_MASK = _SIFT_SIZE - 1


@dataclass(slots=True)
class _Ready:
    """The queued articles ready to place, oldest first, as columns (item ``n`` in each):
    their sketches and days, and how each was queued."""

    article_ids: list[str]
    days: list[int]
    sketches: list[StorySketch]
    changed: list[bool]
    grouped: list[bool]
    story_taken: list[bool]


def _ready(writer: StoryWriter, queued: Queued, given: Mapping[str, StorySketch] | None) -> _Ready:
    """The queued articles with their sketches, oldest first (so the first paper to run a
    story leads it). The parse worker's sketch is taken for an article as inserted from the
    entry it was made from (same checksum); any other is sketched from its stored text,
    read only for those."""
    # (date, id, sketch, flags) tuples: sorted by date then id (ids are unique), no key made
    out: list[tuple[str, str, StorySketch, int]] = []
    missing: list[tuple[str, int]] = []
    get = given.get if given else None
    for aid, date, check, flags in zip(
        queued.article_ids, queued.dates, queued.checks, queued.flags, strict=True
    ):
        found = get(aid) if get is not None and check is not None else None
        if found is None or found.check != check or date is None:
            missing.append((aid, flags))
        else:
            out.append((date, aid, found, flags))
    stored = writer.stored([aid for aid, _ in missing]) if missing else {}
    for aid, flags in missing:
        a = stored.get(aid)
        if a is not None:  # else deleted since it was queued
            out.append((a.date, aid, sketch(a.link, a.guid, a.title, a.text), flags))
    out.sort()
    if not out:
        return _Ready([], [], [], [], [], [])
    # one list a column (``zip(*out)`` made an iterator of each of the 2,000 tuples)
    marks = [t[3] for t in out]
    return _Ready(
        [t[1] for t in out],
        writer.day_numbers([t[0] for t in out]),
        [t[2] for t in out],
        [f & CHANGED != 0 for f in marks],
        [f & GROUPED != 0 for f in marks],
        [f & STORY_TAKEN != 0 for f in marks],
    )


def group_batch(
    writer: StoryWriter, queued: Queued, given: Mapping[str, StorySketch] | None = None
) -> dict[str, str]:
    """Group a batch of queued articles; returns how each joined, by id: "copy", "near" or
    "lead".

    Most articles of a batch are alone in their story; only those that may not be (a copy
    key found or met earlier in the batch, a near-duplicate, or an id that names a story
    already) are placed one by one, in date order. The batch goes to the store as columns."""
    items = _ready(writer, queued, given)
    sketches, days, ids = items.sketches, items.days, items.article_ids
    writer.regrouping = set(ids)
    writer.forget([aid for aid, grouped in zip(ids, items.grouped, strict=True) if grouped])
    url_keys = [s.url_key for s in sketches]
    guid_keys = [s.guid_key for s in sketches]
    url_hashes = [s.url_hash for s in sketches]
    guid_hashes = [s.guid_hash for s in sketches]
    copies = writer.copy_stories(
        {k: h for k, h in zip(url_keys, url_hashes, strict=True) if k and h is not None},
        {k: h for k, h in zip(guid_keys, guid_hashes, strict=True) if k and h is not None},
    )
    signed = [n for n, sk in enumerate(sketches) if sk.signature is not None]
    batch_sigs = _kept(_matrix(b"".join(sketches[n].signature or b"" for n in signed)))
    near = _near_candidates(writer, signed, batch_sigs, days)
    firsts = (_firsts(url_keys), _firsts(guid_keys))
    stories = ids.copy()  # the story of each item: its own, unless placed below
    kinds = ["lead"] * len(ids)
    placing = set(near)
    if any(items.story_taken):
        placing.update(n for n, taken in enumerate(items.story_taken) if taken)
    # an item with a key stored (the first with it: the others are met twice below), or met
    # earlier in the batch; sets and counts, not a loop over every item (most have neither)
    for keys, first in zip((url_keys, guid_keys), firsts, strict=True):
        placing.update(first[key] for key in copies.keys() & first.keys())
        if len(first) < len(keys) - keys.count(None) - keys.count(""):
            placing.update(n for n, key in enumerate(keys) if key and first[key] != n)
    # stored articles alone in their story (no member row) that this batch joins
    promoted: dict[str, Candidate] = {}
    placed_in_order = sorted(placing)
    for n in placed_in_order:
        found = _copy_story(n, (url_keys[n], guid_keys[n]), copies, firsts, stories)
        kind = "copy"
        if found is None:
            kind = "near"
            best = near.get(n)
            found = stories[best] if isinstance(best, int) else best
        story: str | None = None
        if isinstance(found, Candidate):
            story = found.story_id
            if not found.has_row:
                promoted.setdefault(found.article_id, found)
        elif found is not None:
            story = found
        if story is None:
            story, kind = ids[n], "lead"
            if items.story_taken[n]:  # it led a story before its text changed
                story = f"{ids[n]}.{secrets.token_hex(3)}"
        stories[n] = story
        kinds[n] = kind
    placed = PlacedBatch(
        ids,
        stories,
        kinds,
        url_hashes,
        guid_hashes,
        days,
        [c or g for c, g in zip(items.changed, items.grouped, strict=True)],
        signed,
        batch_sigs.tobytes(),
    )
    writer.add(placed, list(promoted.values()))
    joined: dict[str, list[str]] = {}
    for n in placed_in_order:  # only items placed may not lead
        if kinds[n] != "lead":
            joined.setdefault(stories[n], []).append(ids[n])
    writer.take_story_marks(joined)
    writer.merge_keys()  # the recent copy keys into the big table, every ~10 batches
    writer.done()
    return dict(zip(ids, kinds, strict=True))


def _firsts(keys: Sequence[str | None]) -> dict[str, int]:
    """The first position of each key (a copy key met earlier in the batch)."""
    # from the last to the first, so each key keeps its first position (no loop in Python)
    last = len(keys) - 1
    first: dict[str | None, int] = dict(zip(reversed(keys), range(last, -1, -1), strict=True))
    first.pop(None, None)
    first.pop("", None)
    return first  # type: ignore[return-value]  # None and "" taken out


def _copy_story(
    n: int,
    keys: tuple[str | None, str | None],
    stored: Mapping[str, Candidate],
    firsts: tuple[Mapping[str, int], Mapping[str, int]],
    stories: Sequence[str],
) -> Candidate | str | None:
    """A stored article with item ``n``'s URL or guid (``keys``), else the story of an
    earlier item of the batch with it."""
    for key, first in zip(keys, firsts, strict=True):
        if not key:
            continue
        found = stored.get(key)
        if found is not None:
            return found
        if first[key] < n:
            return stories[first[key]]
    return None


def _near_candidates(
    writer: StoryWriter, signed: Sequence[int], batch_sigs: np.ndarray, days: Sequence[int]
) -> dict[int, Candidate | int]:
    """For each item (by position) with a near-duplicate: the most similar stored member
    still there (a Candidate) or earlier item of the batch (its position), above the
    threshold and within the window. ``signed`` are the items with a signature, and
    ``batch_sigs`` what is kept of those, row by row."""
    import numpy as np

    out: dict[int, Candidate | int] = {}
    if not signed:
        return out
    batch_keys = minhash.band_keys(batch_sigs)
    signed_days = [days[n] for n in signed]
    batch_days = np.array(signed_days, dtype=np.int64)
    start = 0
    while start < len(signed):  # spans of at most SPAN_DAYS (items are in date order)
        # the span's end: the first item more than SPAN_DAYS after its start (Python ints:
        # a loop over numpy scalars cost ~2,500 instructions an item)
        end = bisect_right(signed_days, signed_days[start] + SPAN_DAYS, lo=start)
        window = writer.window(
            signed_days[start] - NEAR_WINDOW_DAYS, signed_days[end - 1] + NEAR_WINDOW_DAYS
        )
        kept = np.frombuffer(window.members, dtype="<i8")
        stored = kept.size
        # the pool: the kept signatures of the window, then every signed item of the batch
        # up to this span's end (an item may join one placed before it), written into one
        # array (each concatenation copied the megabytes of signatures again)
        pool_sigs = _window_matrix(window.signatures, batch_sigs[:end])
        pool_keys = np.concatenate([minhash.band_keys(pool_sigs[:stored]), batch_keys[:end]])
        counts = [count for count, _ in window.signatures]
        pool_days = np.concatenate(
            [np.repeat(np.array(window.days, dtype=np.int64), counts), batch_days[:end]]
        )
        pairs = _similar_pairs(pool_keys, pool_sigs, pool_days, stored, start, end)
        # a kept signature's member may be gone (deleted, or grouped again): ask which are
        # still there, then take each item's best pair whose member is
        alive = writer.candidates(
            [(int(kept[at]), window.article(at)) for _, at, _ in pairs if at < stored]
        )
        for item, at, _ in pairs:
            if signed[item] in out:
                continue
            if at >= stored:
                out[signed[item]] = signed[at - stored]
            elif (found := alive.get(int(kept[at]))) is not None:
                out[signed[item]] = found
        start = end
    return out


def _kept(signatures: np.ndarray) -> np.ndarray:
    """What is kept of signatures (the worker's 32-bit slots): the low 16 bits of each slot.
    Two different shingles then agree on a slot by chance once in 65,536, which moves an
    estimate by less than 0.001; the kept signatures are half the bytes to write and read."""
    import numpy as np

    kept: np.ndarray = signatures.astype(np.uint16)
    return kept


def _window_matrix(parts: Sequence[tuple[int, bytes]], after: np.ndarray) -> np.ndarray:
    """The kept signatures of a window's rows, then ``after`` (kept signatures too), as one
    (n, SLOTS) uint16 matrix; a row written with 32-bit slots (before they were cut) is cut
    now."""
    import numpy as np

    total = sum(count for count, _ in parts) + after.shape[0]
    out = np.empty((total, minhash.SLOTS), dtype=np.uint16)
    at = 0
    for count, blob in parts:
        width = len(blob) // max(1, count * minhash.SLOTS)
        dtype = "<u4" if width == 4 else "<u2"
        rows = np.frombuffer(blob, dtype=dtype).reshape(-1, minhash.SLOTS)
        out[at : at + rows.shape[0]] = rows  # cut to 16 bits when 32 (C's cast: the low bits)
        at += rows.shape[0]
    out[at:] = after
    return out


def _matrix(signatures: bytes) -> np.ndarray:
    import numpy as np

    return np.frombuffer(signatures, dtype="<u4").reshape(-1, minhash.SLOTS)


def _similar_pairs(
    keys: np.ndarray, sigs: np.ndarray, days: np.ndarray, stored: int, start: int, end: int
) -> list[tuple[int, int, float]]:
    """(batch item, pool position, score) of the pairs of an item in [start, end) and a
    pool entry sharing a band, dated within the window and scoring at least the threshold:
    by item, then the best score first (on a tie, the earliest pool entry). An item is
    compared only with stored members and items before it.

    Only the asking items' keys are sorted. The keys of the entries before them are
    first sifted through a table of the asking keys' low bits (small enough to stay in the
    CPU's cache), so the binary search is made only for the few that may match; pairs
    among the asking items come from runs of equal keys in the sorted array."""
    import numpy as np

    bands = keys.shape[1]
    asked = keys[stored + start : stored + end].ravel()
    # sorted with each key's place in its low half: one plain sort instead of an argsort
    packed = (asked.astype(np.uint64) << np.uint64(32)) | np.arange(asked.size, dtype=np.uint64)
    packed.sort()
    sorted_asked = (packed >> np.uint64(32)).astype(np.uint32)
    order = (packed & np.uint64(0xFFFFFFFF)).astype(np.int64)
    asker = start + order // bands  # batch item of each sorted key
    table = np.zeros(_SIFT_SIZE, dtype=bool)
    table[asked & _SIFT_MASK] = True
    before = keys[: stored + start].ravel()
    sifted = np.flatnonzero(table[before & _SIFT_MASK])
    # an asking key equal to its neighbour in sorted order is shared by two asking items
    repeated = np.zeros(sorted_asked.size, dtype=bool)
    repeated[1:] = sorted_asked[1:] == sorted_asked[:-1]
    repeated[:-1] |= repeated[1:]
    repeated_at = order[repeated] + (stored + start) * bands  # as positions in keys.ravel()
    positions = np.concatenate([sifted, repeated_at])
    needles = keys.ravel()[positions]
    left = np.searchsorted(sorted_asked, needles, side="left")
    found = sorted_asked[np.minimum(left, sorted_asked.size - 1)] == needles
    if not found.any():
        return []
    left, needles, positions = left[found], needles[found], positions[found]
    right = np.searchsorted(sorted_asked, needles, side="right")
    counts = right - left
    total = int(counts.sum())
    offsets = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
    who = asker[np.repeat(left, counts) + offsets]
    cand = np.repeat(positions // bands, counts)  # pool position of each matched key
    # only stored members and earlier items; within the window; each pair once
    keep = (cand < stored) | (cand < stored + who)
    keep &= np.abs(days[cand] - days[stored + who]) <= NEAR_WINDOW_DAYS
    pool = np.int64(keys.shape[0])
    codes = np.sort(who[keep].astype(np.int64) * pool + cand[keep])
    # each pair once (not np.unique: in our numpy, 2.4, its first call imports numpy.ma:
    # ~20 ms in every `newsreader refresh` process)
    codes = codes[np.concatenate([codes[:1] == codes[:1], codes[1:] != codes[:-1]])]
    if codes.size == 0:
        return []
    items, at = codes // pool, codes % pool
    # slots that agree, counted (a mean made a float of each of the pairs' slots)
    slots = sigs.shape[1]
    agree = np.count_nonzero(sigs[stored + items] == sigs[at], axis=1)
    good = agree >= _least_agreeing(slots)
    items, at = items[good], at[good]
    scores = agree[good] / slots
    # codes are sorted by item, then position, and lexsort is stable
    ranked = np.lexsort((-scores, items))
    return list(
        zip(items[ranked].tolist(), at[ranked].tolist(), scores[ranked].tolist(), strict=True)
    )


@functools.cache
def _least_agreeing(slots: int) -> int:
    """The fewest agreeing slots of ``slots`` whose share is at least ``NEAR_THRESHOLD``."""
    return next(count for count in range(slots + 1) if count / slots >= NEAR_THRESHOLD)


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
