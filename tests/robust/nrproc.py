"""Running `newsreader` as a real subprocess for crash, concurrency and disk tests."""

from __future__ import annotations

import ctypes
import os
import resource
import signal
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

COMMAND = [sys.executable, "-m", "newsreader.tui.cli"]
T = TypeVar("T")
_PR_CAPBSET_DROP = 24
_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH = 1, 2


@dataclass
class Done:
    code: int
    out: str
    err: str


def env() -> dict[str, str]:
    out = {k: v for k, v in os.environ.items() if k != "NEWSREADER_DEBUG"}
    out["PYTHONUNBUFFERED"] = "1"
    return out


def run(
    data_dir: Path, *args: str, preexec: Callable[[], None] | None = None, timeout: float = 120
) -> Done:
    proc = subprocess.run(
        [*COMMAND, "--data-dir", str(data_dir), *args],
        capture_output=True,
        text=True,
        preexec_fn=preexec,
        timeout=timeout,
        env=env(),
    )
    return Done(proc.returncode, proc.stdout, proc.stderr)


def start(data_dir: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*COMMAND, "--data-dir", str(data_dir), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env(),
    )


def assert_clean_failure(done: Done) -> None:
    """Exit 1 with exactly one line on stderr, and no traceback anywhere."""
    assert done.code == 1, done
    lines = done.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("newsreader: error: "), done.err
    assert "Traceback" not in done.err + done.out


def assert_no_traceback(done: Done) -> None:
    assert "Traceback" not in done.err + done.out, done.err
    assert "internal error" not in done.err, done.err


def without_dac_override() -> None:
    """preexec: the child obeys file permissions even when the tests run as root."""
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH):
        if libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


def file_size_limit(limit: int) -> Callable[[], None]:
    """preexec: no file may grow past ``limit`` bytes (a full disk); writes fail with EFBIG."""

    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def query(db: Path, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    """Read the store directly (a second connection, as another process would)."""
    conn = sqlite3.connect(db, timeout=30)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def integrity(db: Path) -> str:
    return str(query(db, "PRAGMA integrity_check")[0][0])


def word(i: int) -> str:
    """A made-up word, unique per i, letters only (so the analyser keeps it whole)."""
    letters = "bcdfghjklmnpqrstvwxz"
    out = ""
    n = i
    while True:
        out += letters[n % 20]
        n //= 20
        if n == 0:
            break
    return "zu" + out + "vo"


def descendants(pid: int) -> set[int]:
    """Every live process below ``pid`` (Linux /proc), e.g. a refresh's parse workers."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_bytes()
        except OSError:
            continue
        ppid = int(stat.rsplit(b")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    out: set[int] = set()
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in out:
                out.add(child)
                todo.append(child)
    return out


def alive(pids: set[int]) -> set[int]:
    """Those of ``pids`` still running (a zombie counts as gone)."""
    out = set()
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_bytes()
        except OSError:
            continue
        if stat.rsplit(b")", 1)[1].split()[0] not in (b"Z", b"X"):
            out.add(pid)
    return out


def bounded(fn: Callable[[], T], limit: float = 60.0) -> T:
    """Run fn on a thread; fail (rather than hang the suite) if it never returns. A liveness
    check, not a timing one: the limit is far beyond any healthy run."""
    box: list[T] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            box.append(fn())
        except BaseException as exc:
            errors.append(exc)

    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(limit)
    assert not t.is_alive(), f"still running after {limit} s: no deadline applied"
    if errors:
        raise errors[0]
    return box[0]
