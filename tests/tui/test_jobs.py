"""The job runner (tui/jobs.py): jobs report through messages, notices the library adds
while a job runs reach the screen, and a failing job is one notification."""

from __future__ import annotations

import threading
from pathlib import Path

from app_store import build, run
from newsreader.index.library import Library
from newsreader.tui.app import NewsreaderApp
from newsreader.tui.jobs import Job, JobReport
from newsreader.tui.messages import JobProgress, JobResult
from test_app_actions import Notes, answer_prompt, settle


def test_a_notice_added_during_an_import_reaches_the_screen(lib: Library, tmp_path: Path) -> None:
    build(lib)
    opml = tmp_path / "odd.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><body>'
        '<outline type="rss" text="By FTP" xmlUrl="ftp://example.org/feed.xml"/>'
        "</body></opml>"
    )

    async def drive() -> None:
        app = NewsreaderApp(lib)
        notes = Notes(app)
        async with app.run_test(size=(120, 40)) as pilot:
            await app.run_action("import_opml", app.main)
            await pilot.pause()
            await answer_prompt(pilot, str(opml))
            await settle(app, pilot)
            assert "left out 1 outline(s) without a usable feed address" in notes.text()
            assert not lib.notices  # told once, taken from the library

    run(drive)


def test_a_job_shows_progress_while_it_runs_and_hands_on_its_notices(lib: Library) -> None:
    build(lib)
    going = threading.Event()
    release = threading.Event()

    def work(library: Library, report: JobReport) -> JobResult:
        report.progress(1, 4)
        library.notices.append("a note from the library")
        going.set()
        release.wait(10)
        return JobResult("Done with the test job", changed=False)

    async def drive() -> None:
        app = NewsreaderApp(lib)
        notes = Notes(app)
        async with app.run_test(size=(120, 40)) as pilot:
            app.main.start_job(Job("test", "Testing", work))
            for _ in range(50):
                if going.is_set():
                    break
                await pilot.pause(0.05)
            await pilot.pause(0.1)
            row = app.query_one("#progress-row")
            assert row.has_class("-busy")
            assert app.unfinished_jobs() == ["Testing"]
            release.set()
            await settle(app, pilot)
            assert not row.has_class("-busy")
            assert app.unfinished_jobs() == []
            text = notes.text()
            assert "Done with the test job" in text and "a note from the library" in text

    run(drive)


def test_a_job_that_raises_is_one_error_notification(lib: Library) -> None:
    build(lib)

    def work(library: Library, report: JobReport) -> JobResult:
        raise KeyError("oops")

    async def drive() -> None:
        app = NewsreaderApp(lib)
        notes = Notes(app)
        async with app.run_test(size=(120, 40)) as pilot:
            app.main.start_job(Job("test", "Testing", work))
            await settle(app, pilot)
            assert app.is_running
            assert ("test failed: KeyError: 'oops'", "error") in notes.items

    run(drive)


def test_a_burst_of_progress_collapses_per_job() -> None:
    latest = JobProgress("Refreshing", 5, 9)
    assert latest.can_replace(JobProgress("Refreshing", 4, 9))
    assert not latest.can_replace(JobProgress("Indexing", 4, 9))
