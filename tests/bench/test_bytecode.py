"""The bench compiles our modules first, even where PYTHONDONTWRITEBYTECODE is set."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from bench.bytecode import PACKAGES, ensure_bytecode


def test_modules_are_compiled_even_when_python_writes_no_bytecode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    for name in PACKAGES:
        (tmp_path / name / "sub").mkdir(parents=True)
        (tmp_path / name / "__init__.py").write_text("X = 1\n")
        (tmp_path / name / "sub" / "mod.py").write_text("Y = 2\n")
    assert ensure_bytecode(tmp_path)
    for name in PACKAGES:
        assert list((tmp_path / name / "__pycache__").glob("__init__.*.pyc"))
        assert list((tmp_path / name / "sub" / "__pycache__").glob("mod.*.pyc"))
