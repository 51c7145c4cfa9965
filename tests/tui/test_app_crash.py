"""An unexpected error in the app: one line on stderr, the traceback in the crash log in
the data directory, exit status 1, and what the user did before it kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from app_store import build
from newsreader.index.library import Library
from newsreader.tui.app import NewsreaderApp
from newsreader.tui.crash import CRASH_LOG, run_app
from textual.pilot import Pilot


class Boom(RuntimeError):
    pass


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    with Library.open(tmp_path) as lib:
        build(lib)
    return tmp_path


def test_error_on_a_key_is_one_line_and_a_crash_log(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def bookmark(self: Library, article_id: str) -> None:
        raise Boom("the disk said no")

    monkeypatch.setattr(Library, "bookmark", bookmark)
    seen: dict[str, str] = {}

    async def keys(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, NewsreaderApp)
        await pilot.pause()
        await pilot.press("j", "enter")  # opens (and marks read) the second article
        await pilot.pause()
        seen["opened"] = app.main.open_id or ""
        await pilot.press("b")  # the library raises: the app must stop, cleanly

    status = run_app(str(data_dir), headless=True, auto_pilot=keys)

    out = capsys.readouterr()
    assert status == 1
    lines = [line for line in out.err.splitlines() if line.strip()]
    assert len(lines) == 1, out.err
    assert "Boom: the disk said no" in lines[0]
    log = data_dir / CRASH_LOG
    assert str(log) in lines[0]
    assert "Traceback" not in out.err + out.out
    assert "action_toggle_bookmark" not in out.err + out.out

    report = log.read_text(encoding="utf-8")
    assert "Traceback" in report
    assert "action_toggle_bookmark" in report  # where it happened
    assert "Boom: the disk said no" in report

    opened = seen["opened"]
    assert opened
    with Library.open(data_dir) as lib:
        assert lib.article(opened).read  # marked when opened, before the crash
        assert lib.ui_state().get("article") == opened


def test_a_second_crash_is_appended(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def mark_read(self: Library, article_id: str, read: bool = True) -> None:
        raise Boom(f"crash while marking {article_id}")

    monkeypatch.setattr(Library, "mark_read", mark_read)

    async def keys(pilot: Pilot[None]) -> None:
        await pilot.pause()
        await pilot.press("m")

    (data_dir / CRASH_LOG).write_text("an earlier report\n", encoding="utf-8")
    assert run_app(str(data_dir), headless=True, auto_pilot=keys) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    report = (data_dir / CRASH_LOG).read_text(encoding="utf-8")
    assert report.startswith("an earlier report\n")
    assert "crash while marking" in report
    assert "action_toggle_read" in report


def test_quitting_normally_is_status_0_and_no_log(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    async def keys(pilot: Pilot[None]) -> None:
        await pilot.pause()
        await pilot.press("q")

    assert run_app(str(data_dir), headless=True, auto_pilot=keys) == 0
    assert capsys.readouterr().err == ""
    assert not (data_dir / CRASH_LOG).exists()


def test_pilot_runs_still_see_the_error(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Other tests rely on Textual raising a bug out of ``run_test``: still so."""
    import asyncio

    def bookmark(self: Library, article_id: str) -> None:
        raise Boom("raised in a test")

    monkeypatch.setattr(Library, "bookmark", bookmark)

    async def go() -> None:
        with Library.open(data_dir) as lib:
            app = NewsreaderApp(lib, restore=False)
            async with app.run_test() as pilot:
                await pilot.pause()
                await pilot.press("b")
                await pilot.pause()

    with pytest.raises(Boom):
        asyncio.run(go())
