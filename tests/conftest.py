"""Shared fixtures: a fresh data directory, a library on it, and the CLI in-process."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

sys.path.insert(0, str(Path(__file__).parent))

from newsreader.index.config import Settings
from newsreader.index.library import Library
from newsreader.tui.cli import main

# The suite's property tests replay the same examples on every run (a CI run must not fail
# on a case the last run never tried); HYPOTHESIS_PROFILE=explore searches new ones.
hypothesis_settings.register_profile("repeatable", derandomize=True)
hypothesis_settings.register_profile("explore", derandomize=False)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test may touch the real user data directory."""
    monkeypatch.setenv("NEWSREADER_HOME", str(tmp_path / "default-home"))


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def lib(data_dir: Path) -> Iterator[Library]:
    library = Library.open(data_dir, settings=Settings(timeout=10, connect_timeout=5))
    yield library
    library.close()


@dataclass
class CliResult:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(data_dir: Path, capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    """Run ``newsreader --data-dir DATA ...`` in-process and capture what it prints."""

    def run(*args: str) -> CliResult:
        capsys.readouterr()
        try:
            code = main(["--data-dir", str(data_dir), *args])
        except SystemExit as exc:  # argparse usage errors
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run
