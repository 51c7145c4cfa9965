"""The array scores give what the dict loops they replaced gave: the same floats, and equal
scores in the same order (the old dicts' insertion order decided ties)."""

from __future__ import annotations

import heapq
import random

import numpy as np
import pytest
from newsreader.index.search.scored import Scored, add_where_present, and_sum, union


def _random_part(rng: random.Random, universe: int) -> dict[int, float]:
    docs = rng.sample(range(universe), rng.randint(0, universe // 2))
    if rng.random() < 0.5:
        docs.sort()
    # few distinct values, so that ties are common
    return {d: rng.choice((0.5, 1.25, 0.1 + 0.2, 3.0)) * rng.choice((1.0, 0.3)) for d in docs}


def _scored(part: dict[int, float]) -> Scored:
    return Scored.from_pairs(list(part), list(part.values()))


def _dict_union_sum(parts: list[dict[int, float]]) -> dict[int, float]:
    out = dict(parts[0])
    for p in parts[1:]:
        for d, s in p.items():
            out[d] = out.get(d, 0.0) + s
    return out


def _dict_union_max(parts: list[dict[int, float]]) -> dict[int, float]:
    out = dict(parts[0])
    for p in parts[1:]:
        for d, s in p.items():
            old = out.get(d)
            if old is None or s > old:
                out[d] = s
    return out


def test_unions_intersections_and_top_answer_as_the_dict_loops() -> None:
    rng = random.Random(13)
    for _ in range(300):
        parts = [_random_part(rng, 60) for _ in range(rng.randint(1, 4))]
        arrays = [_scored(p) for p in parts]
        nonempty = [p for p in parts if p]
        if nonempty:
            assert union(arrays).as_dict() == _dict_union_sum(nonempty)
            assert list(union(arrays).as_dict()) == list(_dict_union_sum(nonempty))
            assert list(union(arrays, "max").as_dict().items()) == list(
                _dict_union_max(nonempty).items()
            )
        a, b = parts[0], parts[-1]
        both = {d: s + b[d] for d, s in a.items() if d in b}
        assert list(and_sum(arrays[0], arrays[-1]).as_dict().items()) == list(both.items())
        more = {d: s + b.get(d, 0.0) for d, s in a.items()}
        assert list(add_where_present(arrays[0], arrays[-1]).as_dict().items()) == list(
            more.items()
        )
        summed = _dict_union_sum(nonempty) if nonempty else {}
        got = union(arrays) if nonempty else Scored.empty()
        for n in (1, 5, 17, 100):
            assert got.best(n) == heapq.nlargest(n, summed, key=summed.__getitem__)
        dates = np.array([rng.choice((5, 7, 9)) for _ in range(60)], dtype=np.int64)
        want = heapq.nlargest(7, summed, key=lambda d: (dates[d], d))
        assert got.best_by(dates[got.ids], 7) == want


def test_sparse_unions_answer_as_the_dict_loops() -> None:
    """Few documents spread over many docnums (the sorted path) give the same unions."""
    rng = random.Random(31)
    for _ in range(100):
        parts = [
            {
                d: rng.choice((0.5, 1.25, 3.0))
                for d in rng.sample(range(100_000), rng.randint(1, 40))
            }
            for _ in range(rng.randint(2, 4))
        ]
        arrays = [_scored(p) for p in parts]
        assert list(union(arrays).as_dict().items()) == list(_dict_union_sum(parts).items())
        assert list(union(arrays, "max").as_dict().items()) == list(_dict_union_max(parts).items())


def test_a_union_of_common_words_is_not_sorted(monkeypatch: pytest.MonkeyPatch) -> None:
    """Parts holding a large share of all documents (a stop word over several fields) are
    united through a mask of docnums, linear in their size: sorting them together took most
    of a stop-word query's union at 100k articles."""
    from newsreader.index.search import scored

    rng = np.random.default_rng(5)
    masks = [rng.random(50_000) < share for share in (0.6, 0.3, 0.05)]
    parts = [Scored(np.flatnonzero(m).astype(np.int64), rng.random(int(m.sum()))) for m in masks]
    want = {}
    for p in parts:
        for d, s in zip(p.ids.tolist(), p.scores.tolist(), strict=True):
            want[d] = want.get(d, 0.0) + s

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("sorted")

    monkeypatch.setattr(scored.np, "unique", refuse)
    got = union(parts)
    assert got.as_dict() == want
    assert got.ids.tolist() == sorted(want)
