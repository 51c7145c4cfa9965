"""Duplicate detection meets its targets on our labelled set (bench/story_pairs.py)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from bench.stories_eval import quality
from bench.story_pairs import labelled_pairs


def test_the_set_is_large_and_labelled_both_ways() -> None:
    pairs = labelled_pairs(120, 120)
    assert len(pairs) >= 200
    assert sum(p.same for p in pairs) == 120
    # a wire copy may run unchanged under its own headline; others differ in the text
    assert all(p.left_text != p.right_text for p in pairs if p.edits != ("headline",))
    assert sum(p.left_text != p.right_text for p in pairs if p.same) > 100
    assert all(p.left_title != p.right_title for p in pairs if p.same)


def test_precision_recall_and_exact_copies() -> None:
    report = quality(120, 120)
    assert report["precision"] >= 0.98
    assert report["recall"] >= 0.90
    assert report["exact_copies_found"] == report["exact_copies"] == 240
