"""End to end: the real `newsreader` command in tmux, driven by keys, read off the screen.

A local HTTP server serves a feed; `newsreader add` and `refresh` load it into a temporary
data dir; then the app runs in a detached tmux session: `/`, a query, Enter, `b`, `q`. The
screen is read with `capture-pane`, and afterwards `newsreader bookmarks --json` must hold
the article that was found. Skipped only when tmux is not installed (.ci/run installs it).
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from feedmaker import Item, rss
from pytest_httpserver import HTTPServer

TMUX = shutil.which("tmux")
pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed (.ci/run installs it)")

EXIT_MARK = "NEWSREADER-EXITED-"
WAIT_SECONDS = 60.0  # generous: the machine may be busy; this is a timeout, not a measurement
STORIES = [
    Item(
        guid="z1",
        title="Zeppelin hangar reopens as a market hall",
        body="<p>The old zeppelin hangar at Ostwick opened as a covered market.</p>",
        link="https://example.org/zeppelin",
        author="Mara Lindqvist",
        published=datetime(2026, 3, 2, 9, tzinfo=UTC),
    ),
    Item(
        guid="z2",
        title="Tram line extended to the harbour",
        body="<p>Trams now run every ten minutes to the harbour.</p>",
        published=datetime(2026, 3, 1, 9, tzinfo=UTC),
    ),
    Item(
        guid="z3",
        title="Library opens on Sundays",
        body="<p>The central library will open on Sundays from April.</p>",
        published=datetime(2026, 2, 28, 9, tzinfo=UTC),
    ),
]


class Tmux:
    """One private tmux server (its own socket) running one session."""

    def __init__(self, socket: Path) -> None:
        self.socket = socket

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        assert TMUX is not None
        return subprocess.run(
            [TMUX, "-S", str(self.socket), *args], capture_output=True, text=True, timeout=30
        )

    def pane_size(self) -> str:
        return self.run(
            "display-message", "-p", "-t", "nr", "#{pane_width}x#{pane_height}"
        ).stdout.strip()

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", "nr").stdout

    def keys(self, *keys: str, literal: bool = False) -> None:
        args = ["send-keys", "-t", "nr", *(["-l"] if literal else []), *keys]
        assert self.run(*args).returncode == 0

    def wait_for(self, check: Callable[[str], bool], what: str) -> str:
        deadline = time.monotonic() + WAIT_SECONDS
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if check(screen):
                return screen
            if EXIT_MARK in screen:
                raise AssertionError(f"the app exited while waiting for {what}:\n{screen}")
            time.sleep(0.2)
        raise AssertionError(f"timed out waiting for {what}; the screen was:\n{screen}")


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[Tmux]:
    # a short socket path: unix socket paths are limited to ~100 bytes
    sock_dir = Path(f"/tmp/nr-e2e-{os.getpid()}-{tmp_path.name}"[:80])
    sock_dir.mkdir(parents=True, exist_ok=True)
    t = Tmux(sock_dir / "s")
    yield t
    t.run("kill-server")
    shutil.rmtree(sock_dir, ignore_errors=True)


def test_search_bookmark_quit_in_tmux(tmp_path: Path, httpserver: HTTPServer, tmux: Tmux) -> None:
    httpserver.expect_request("/town.xml").respond_with_data(
        rss("Ostwick Town News", STORIES), content_type="application/rss+xml"
    )
    exe = shutil.which("newsreader", path=str(Path(sys.executable).parent))
    assert exe, "the newsreader command is not installed next to this Python"
    data = tmp_path / "data"
    env = {**os.environ, "NEWSREADER_HOME": str(tmp_path / "home")}

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [exe, "--data-dir", str(data), *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )

    assert cli("add", httpserver.url_for("/town.xml")).returncode == 0
    assert cli("refresh").returncode == 0
    assert json.loads(cli("bookmarks", "--json").stdout) == []
    wanted = json.loads(cli("search", "zeppelin", "--json").stdout)["results"][0]["id"]

    # Textual draws on stderr, so nothing is redirected; the exit status is echoed instead
    # and the shell lingers so the last screen (and any traceback) can still be read.
    # COLUMNS/LINES are dropped: the pane may be born 80x24 and resized at once, and a stale
    # COLUMNS in the environment would pin the app to the old size (shutil reads it first).
    command = (
        f"env -u COLUMNS -u LINES NEWSREADER_HOME={shlex.quote(str(tmp_path / 'home'))} "
        f"{shlex.quote(exe)} --data-dir {shlex.quote(str(data))}; "
        f"echo {EXIT_MARK}$?; sleep 600"
    )
    # The pane is made first and the app started in it once it has its final size, so the
    # app never starts at a size the pane is about to leave.
    started = tmux.run("new-session", "-d", "-s", "nr", "-x", "120", "-y", "36", "sleep 600")
    assert started.returncode == 0, started.stderr
    deadline = time.monotonic() + WAIT_SECONDS
    while tmux.pane_size() != "120x36" and time.monotonic() < deadline:
        time.sleep(0.1)
    assert tmux.pane_size() == "120x36"
    assert tmux.run("respawn-pane", "-k", "-t", "nr", command).returncode == 0
    # the first screen: all three articles listed, drawn across the whole 120-column pane
    tmux.wait_for(
        lambda s: (
            "Library opens on Sundays" in s
            and "Tram line" in s
            and max(len(line) for line in s.splitlines()) == 120
        ),
        "the first screen, 120 columns wide",
    )

    # "/" and the query in one burst, as a fast typist over ssh or tmux sends them: the keys
    # after "/" must reach the search box, not the list (where n, p and e are bound)
    tmux.keys("/zeppelin", literal=True)
    # search as you type narrows the list to the one match
    tmux.wait_for(lambda s: "Tram line" not in s and "Zeppelin hangar" in s, "the search results")
    tmux.keys("Enter")
    # the author is only in the reading pane's header (the list shows title and snippet)
    screen = tmux.wait_for(
        lambda s: "Mara Lindqvist" in s, "the found article open in the reading pane"
    )
    assert "Zeppelin hangar reopens as a market hall" in screen, screen
    assert "opened as a covered" in screen

    tmux.keys("b")
    tmux.wait_for(lambda s: "★" in s, "the bookmark mark")
    tmux.keys("q")
    screen = tmux.wait_for(lambda s: EXIT_MARK in s, "the app to quit")
    assert f"{EXIT_MARK}0" in screen
    assert "Traceback" not in screen and "Error" not in screen

    marks = cli("bookmarks", "--json")
    assert marks.returncode == 0
    assert [m["id"] for m in json.loads(marks.stdout)] == [wanted]
