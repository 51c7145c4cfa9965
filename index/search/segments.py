"""Keeping a growing index in few segments: which to merge, and merging them.

Every write adds segments (``writer.py``), so a library refreshed for years would collect
thousands, and every search pays per segment. Segments are grouped into tiers by their live
documents (1-999, 1,000-9,999, ...); when a tier holds ``MERGE_FACTOR`` segments they are
merged into one of the next tier, so a document is rewritten about once per tier (log10 of
the library's size times in all), never the whole index at once. A segment whose deleted
documents (older versions of updated articles) pass ``RECLAIM_SHARE`` is rewritten without
them. ``max_docs`` bounds one call's work: the refresh path merges only what is cheap, the
app's background job the rest.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .writer import new_segment_writer

MERGE_FACTOR = 8  # segments of one tier that are merged together
RECLAIM_SHARE = 0.25  # a segment with this share of deleted documents is rewritten
REFRESH_MERGE_DOCS = 20_000  # live documents a merge on the refresh path may rewrite
MERGE_POOL_MB = 32  # posting buffer of a merge


@dataclass(frozen=True, slots=True)
class SegmentInfo:
    """One segment as the merge policy sees it."""

    name: str
    docs: int  # documents in it, deleted ones included
    deleted: int

    @property
    def live(self) -> int:
        return self.docs - self.deleted


def info(segment: Any) -> SegmentInfo:
    return SegmentInfo(segment.segment_id(), segment.doc_count_all(), segment.deleted_count())


def tier(live: int) -> int:
    """0 for 0-999 live documents, 1 for 1,000-9,999, and so on."""
    t = 0
    while live >= 1000 * 10**t:
        t += 1
    return t


def plan_merges(segments: Sequence[SegmentInfo], max_docs: int | None = None) -> list[list[str]]:
    """Groups of segment names to merge, each group into one new segment.

    A group is ``MERGE_FACTOR`` segments of one tier (smallest tier first), or one segment
    with many deletions. Groups are taken while their live documents fit ``max_docs`` (None:
    no bound).
    """
    budget = max_docs if max_docs is not None else float("inf")
    groups: list[list[SegmentInfo]] = []
    taken: set[str] = set()
    by_tier: dict[int, list[SegmentInfo]] = {}
    for s in segments:
        by_tier.setdefault(tier(s.live), []).append(s)
    for t in sorted(by_tier):
        members = sorted(by_tier[t], key=lambda s: s.live)
        while len(members) >= MERGE_FACTOR:
            group, members = members[:MERGE_FACTOR], members[MERGE_FACTOR:]
            groups.append(group)
            taken.update(s.name for s in group)
    for s in sorted(segments, key=lambda s: s.live):
        if s.name not in taken and s.docs and s.deleted / s.docs >= RECLAIM_SHARE:
            groups.append([s])
            taken.add(s.name)
    chosen: list[list[str]] = []
    for group in sorted(groups, key=lambda g: sum(s.live for s in g)):
        cost = sum(s.live for s in group)
        if cost > budget:
            continue
        budget -= cost
        chosen.append([s.name for s in group])
    return chosen


def merge_segments(ix: Any, max_docs: int | None = None) -> int:
    """Merge what ``plan_merges`` says, one commit per group; the number of groups merged.

    Holds the index's write lock while merging (a writer elsewhere waits, searches do not).
    """
    from whoosh.reading import SegmentReader

    merged = 0
    budget = max_docs
    while True:
        if not plan_merges([info(s) for s in ix._segments()], budget):
            return merged  # decided without the lock: a writer would leave empty files
        writer = new_segment_writer(ix, limitmb=MERGE_POOL_MB, lock=True)
        try:
            groups = plan_merges([info(s) for s in writer.segments], budget)
            if not groups:
                writer.cancel()
                return merged
            names = set(groups[0])
            keep = [s for s in writer.segments if s.segment_id() not in names]
            for seg in writer.segments:
                if seg.segment_id() in names:
                    reader = SegmentReader(writer.storage, writer.schema, seg)
                    try:
                        writer.add_reader(reader)
                    finally:
                        reader.close()
            final = list(keep)
            if writer._added and writer.docnum:
                final.append(writer._finalize_segment())
            else:
                writer._close_segment()
            writer._commit_toc(final)
            writer._finish()
        except BaseException:
            if not writer.is_closed:
                writer.cancel()
            raise
        merged += 1
        if budget is not None:
            budget -= sum(info(s).live for s in writer.segments if s.segment_id() in names)
            if budget <= 0:
                return merged
