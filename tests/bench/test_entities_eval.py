"""The entity bench's summary figures (the timing itself is measured, not tested)."""

from __future__ import annotations

import pytest

from bench.entities_eval import quartiles


def test_quartiles_of_rounds() -> None:
    assert quartiles([0.80, 0.90, 1.00, 0.85, 0.95]) == pytest.approx((0.85, 0.90, 0.95))


def test_quartiles_of_one_round_are_its_value() -> None:
    assert quartiles([0.9]) == (0.9, 0.9, 0.9)
