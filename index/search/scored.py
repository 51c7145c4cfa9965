"""Scores per document as numpy arrays: the values the query engine combines.

A ``Scored`` holds document numbers (ascending, unique), their scores, and each document's
place in the order the engine found it (``rank``). The order matters only to break ties: the
engine used to keep scores in dicts, whose insertion order decided which of two equal scores
came first, and every operation here keeps that order (an intersection the order of the part
it walks, a union the first part's documents, then the next part's new ones, ...), so pages
are the same as they were. Sums add the parts in the same order, so the floats are the same.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

_EMPTY_IDS: IntArray = np.zeros(0, dtype=np.int64)
_EMPTY_SCORES: FloatArray = np.zeros(0, dtype=np.float64)


class Scored:
    """Documents (ascending), their scores, and the order they were found in."""

    __slots__ = ("_rank", "ids", "scores")

    def __init__(self, ids: IntArray, scores: FloatArray, rank: IntArray | None = None) -> None:
        self.ids = ids
        self.scores = scores
        # None: found in ascending order (rank = position)
        self._rank = rank

    @classmethod
    def empty(cls) -> Scored:
        return cls(_EMPTY_IDS, _EMPTY_SCORES)

    @classmethod
    def zeros(cls, docs: Sequence[int] | IntArray) -> Scored:
        """``docs`` (in the order given, duplicates dropped) with score 0."""
        arr = np.asarray(docs, dtype=np.int64)
        if not len(arr):
            return cls.empty()
        ids, first = np.unique(arr, return_index=True)
        rank = None if len(ids) == len(arr) and bool(np.all(arr[1:] > arr[:-1])) else first
        return cls(ids, np.zeros(len(ids), dtype=np.float64), rank)

    @classmethod
    def from_pairs(cls, docs: Sequence[int], scores: Sequence[float]) -> Scored:
        """Documents and scores in the order found (docs unique)."""
        if not len(docs):
            return cls.empty()
        arr = np.asarray(docs, dtype=np.int64)
        vals = np.asarray(scores, dtype=np.float64)
        order = np.argsort(arr, kind="stable")
        if bool(np.all(order[1:] > order[:-1])):
            return cls(arr, vals)
        return cls(arr[order], vals[order], order.astype(np.int64))

    def __len__(self) -> int:
        return len(self.ids)

    def __bool__(self) -> bool:
        return len(self.ids) > 0

    @property
    def rank(self) -> IntArray:
        if self._rank is None:
            return np.arange(len(self.ids), dtype=np.int64)
        return self._rank

    def any_score(self) -> bool:
        return bool(np.any(self.scores))

    def positions(self, docs: IntArray) -> tuple[IntArray, npt.NDArray[np.bool_]]:
        """Where each of ``docs`` is in ``ids``, and which of them are there at all."""
        n = len(self.ids)
        at = np.searchsorted(self.ids, docs)
        found = at < n
        found[found] = self.ids[at[found]] == docs[found]
        return at, found

    def contains(self, docs: IntArray) -> npt.NDArray[np.bool_]:
        return self.positions(docs)[1]

    def take(self, mask: npt.NDArray[np.bool_]) -> Scored:
        """The documents where ``mask`` is true, order kept."""
        rank = None if self._rank is None else self._rank[mask]
        return Scored(self.ids[mask], self.scores[mask], rank)

    def without(self, docs: IntArray) -> Scored:
        if not len(docs) or not len(self.ids):
            return self
        return self.take(~np.isin(self.ids, docs, assume_unique=True))

    def with_scores(self, scores: FloatArray) -> Scored:
        return Scored(self.ids, scores, self._rank)

    def score_of(self, docs: Sequence[int]) -> dict[int, float]:
        """A small dict of some documents' scores (for a page)."""
        arr = np.asarray(docs, dtype=np.int64)
        at, found = self.positions(arr)
        return dict(zip(arr[found].tolist(), self.scores[at[found]].tolist(), strict=True))

    def as_dict(self) -> dict[int, float]:
        """Document -> score, in the order found."""
        if self._rank is None:
            return dict(zip(self.ids.tolist(), self.scores.tolist(), strict=True))
        order = np.argsort(self._rank, kind="stable")
        return dict(zip(self.ids[order].tolist(), self.scores[order].tolist(), strict=True))

    def best(self, n: int) -> list[int]:
        """The ``n`` best documents by score, best first; equal scores in the order found
        (what ``heapq.nlargest`` over the old dict gave)."""
        return _top(self.scores, self.rank, self.ids, n)

    def best_by(self, key: IntArray, n: int) -> list[int]:
        """The ``n`` documents with the largest (``key``, docnum), largest first."""
        return _top(
            key.astype(np.float64) if key.dtype != np.int64 else key, -self.ids, self.ids, n
        )


def _top(primary: npt.NDArray, secondary: IntArray, ids: IntArray, n: int) -> list[int]:
    """``ids`` of the ``n`` largest ``primary`` values, ties by the smallest ``secondary``."""
    size = len(ids)
    if n <= 0 or not size:
        return []
    if n < size:
        # the n-th largest value; everything above it is in, ties at it by ``secondary``
        cut = np.partition(primary, size - n)[size - n]
        above = np.flatnonzero(primary > cut)
        tied = np.flatnonzero(primary == cut)
        if len(above) + len(tied) > n:
            keep = n - len(above)
            tied = tied[np.argsort(secondary[tied], kind="stable")[:keep]]
        sel = np.concatenate([above, tied])
    else:
        sel = np.arange(size)
    order = np.lexsort((secondary[sel], -primary[sel]))
    return ids[sel[order]].tolist()


def intersect(first: Scored, other: Scored) -> tuple[Scored, IntArray]:
    """``first``'s documents that ``other`` has, in ``first``'s order, with ``first``'s
    scores, and where each is in ``other`` (to add its scores)."""
    if not len(first) or not len(other):
        return Scored.empty(), _EMPTY_IDS
    at, found = other.positions(first.ids)
    return first.take(found), at[found]


def and_sum(first: Scored, other: Scored) -> Scored:
    """Documents in both; ``first``'s score + ``other``'s, in ``first``'s order."""
    both, at = intersect(first, other)
    return both.with_scores(both.scores + other.scores[at])


def add_where_present(base: Scored, extra: Scored) -> Scored:
    """``base`` with ``extra``'s score added where ``extra`` has the document."""
    if not len(extra) or not len(base):
        return base
    at, found = extra.positions(base.ids)
    scores = base.scores.copy()
    scores[found] = scores[found] + extra.scores[at[found]]
    return base.with_scores(scores)


def union(parts: list[Scored], combine: str = "sum") -> Scored:
    """Every document of ``parts`` (the old dict loop's order: the first part's documents,
    then each next part's new ones); scores summed in part order, or their max."""
    parts = [p for p in parts if len(p)]
    if not parts:
        return Scored.empty()
    if len(parts) == 1:
        return parts[0]
    ids, place = _union_ids([p.ids for p in parts])
    scores = np.zeros(len(ids), dtype=np.float64)
    seen = np.zeros(len(ids), dtype=bool)
    rank = np.zeros(len(ids), dtype=np.int64)
    offset = 0
    for p in parts:
        at = place(p.ids)
        new = ~seen[at]
        prank = p.rank
        rank[at[new]] = prank[new] + offset
        offset += int(prank.max()) + 1
        if combine == "sum":
            # 0.0 + s is s: the same float as the dict's get(d, 0.0) + s
            scores[at] = scores[at] + p.scores
        else:
            old = scores[at]
            scores[at] = np.where(new | (p.scores > old), p.scores, old)
        seen[at] = True
    ordered = bool(np.all(rank[1:] > rank[:-1]))
    return Scored(ids, scores, None if ordered else rank)


# A union of parts holding at least this share of the docnums below their largest is made
# with a mask over those docnums (linear) rather than by sorting the parts together.
_DENSE_SHARE = 1 / 16


def _union_ids(
    arrays: list[IntArray],
) -> tuple[IntArray, Callable[[IntArray], IntArray]]:
    """The ascending union of ascending unique ``arrays``, and a function giving where each
    of some of its docnums is in it.

    Common words' documents are a large share of all, so their union is taken through a mask
    of the docnums (and a running count gives each one's place) instead of sorting them all
    together; sparse ones are sorted (``np.unique``) and looked up by binary search.
    """
    top = max(int(a[-1]) for a in arrays) + 1
    if sum(len(a) for a in arrays) >= top * _DENSE_SHARE:
        mask = np.zeros(top, dtype=bool)
        for a in arrays:
            mask[a] = True
        where = np.cumsum(mask, dtype=np.int64) - 1
        return np.flatnonzero(mask).astype(np.int64, copy=False), where.__getitem__
    ids = np.unique(np.concatenate(arrays))
    return ids, lambda docs: np.searchsorted(ids, docs)
