"""What happens when the app itself fails: the crash log, and ``run_app`` (the
``newsreader`` command without arguments), which turns an unexpected error into one line
on stderr, exit status 1 and the traceback appended to ``crash.log`` in the data directory.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from newsreader.index import open_library
from textual.app import AutopilotCallbackType

CRASH_LOG = "crash.log"  # in the data directory: tracebacks of unexpected errors


def write_crash_log(data_dir: Path, report: str) -> Path:
    """Append an unexpected error's traceback to the crash log; its path (a temporary
    directory's when the data directory cannot be written)."""
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    entry = f"--- newsreader crashed at {stamp}\n{report}\n"
    for folder in (data_dir, Path(tempfile.gettempdir())):
        path = folder / CRASH_LOG
        try:
            with path.open("a", encoding="utf-8") as log:
                log.write(entry)
        except OSError:
            continue
        return path
    raise OSError("cannot write a crash log")


def run_app(
    data_dir: str | None = None,
    *,
    headless: bool = False,
    auto_pilot: AutopilotCallbackType | None = None,
) -> int:
    """The ``newsreader`` command: the app on the library in ``data_dir``. Its exit status;
    an unexpected error is one line on stderr and its traceback in the crash log.
    ``headless`` and ``auto_pilot`` are Textual's (tests drive the whole command so)."""
    from newsreader.tui.app import NewsreaderApp

    library = open_library(data_dir)
    try:
        library.seed_demo_feeds()
        app = NewsreaderApp(library)
        app.run(headless=headless, auto_pilot=auto_pilot)
    except BaseException:
        library.close()
        raise
    status = 0
    if app.crash is not None:
        status = 1
        try:
            where = f"the details are in {write_crash_log(library.paths.data_dir, app.crash)}"
        except OSError:
            where = "no crash log could be written"
        print(
            f"newsreader: unexpected error, the app stopped: {app.crash_line} ({where}; "
            "read and bookmark marks were saved)",
            file=sys.stderr,
            flush=True,
        )
    unfinished = app.unfinished_jobs()
    if unfinished:
        # A job thread still holds the store; SQLite (WAL) and the index recover from an
        # interrupted write, so leave now rather than wait for the network.
        print(
            f"newsreader: quit while busy ({', '.join(unfinished).lower()}); "
            "what was not finished is picked up next time",
            file=sys.stderr,
            flush=True,
        )
        sys.stdout.flush()
        os._exit(status)
    library.close()
    return status
