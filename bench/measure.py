"""Measuring a command: wall time, CPU time and peak memory of its whole process tree.

The benchmark process makes itself a child subreaper (Linux ``PR_SET_CHILD_SUBREAPER``), so
worker processes a command leaves behind (a forkserver, a parse pool) are re-parented here
and reaped, and their CPU time lands in our ``RUSAGE_CHILDREN`` like the command's own.
Memory is sampled from /proc every few milliseconds as the sum of the resident sets of every
process below us, which is what the machine has to hold at once; the largest single
process (``ru_maxrss``) is kept too.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import os
import resource
import select
import signal
import struct
import subprocess
import termios
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

PR_SET_CHILD_SUBREAPER = 36
_PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass(slots=True)
class Usage:
    """What one run of a command cost."""

    wall: float
    user: float
    system: float
    peak_rss_mb: float  # sum over the process tree, sampled
    max_rss_mb: float  # the largest single process (ru_maxrss)
    returncode: int
    stdout: str = ""
    stderr: str = ""
    marks: dict[str, float] = field(default_factory=dict)
    # the process tree at the moment of the summed peak: one row per process
    peak_processes: list[ProcessRss] = field(default_factory=list)

    @property
    def cpu(self) -> float:
        return self.user + self.system

    def as_dict(self) -> dict[str, object]:
        return {
            "wall_s": round(self.wall, 4),
            "cpu_s": round(self.cpu, 4),
            "user_s": round(self.user, 4),
            "system_s": round(self.system, 4),
            "peak_rss_mb": round(self.peak_rss_mb, 1),
            "max_process_rss_mb": round(self.max_rss_mb, 1),
            "returncode": self.returncode,
            **({"marks": {k: round(v, 4) for k, v in self.marks.items()}} if self.marks else {}),
            **(
                {"peak_processes": [r.as_dict() for r in self.peak_processes]}
                if self.peak_processes
                else {}
            ),
        }

    def breakdown(self) -> str:
        """The peak's processes on one line: ``main 148 (anon 92) + worker 51 (anon 30) …``."""
        return " + ".join(
            f"{r.role} {r.rss_mb:.0f} (anon {r.anon_mb:.0f})" for r in self.peak_processes
        )


@dataclass(slots=True)
class ProcessRss:
    """One process of a measured tree at the summed peak (from /proc/PID/status)."""

    pid: int
    role: str  # main, forkserver, worker, resource-tracker, or the command's name
    rss_mb: float
    anon_mb: float
    file_mb: float

    def as_dict(self) -> dict[str, object]:
        return {
            "pid": self.pid,
            "role": self.role,
            "rss_mb": round(self.rss_mb, 1),
            "anon_mb": round(self.anon_mb, 1),
            "file_mb": round(self.file_mb, 1),
        }


_subreaper_set = False


def become_subreaper() -> bool:
    """Adopt orphaned descendants so their CPU time is counted; False where unsupported."""
    global _subreaper_set
    if _subreaper_set:
        return True
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        _subreaper_set = libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        _subreaper_set = False
    return _subreaper_set


def _process_table() -> dict[int, tuple[int, int]]:
    """pid -> (parent pid, resident pages) for every process we can read."""
    table: dict[int, tuple[int, int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        # the command name may hold spaces and parentheses: split after its closing one
        rest = stat[stat.rfind(b")") + 2 :].split()
        try:
            table[int(name)] = (int(rest[1]), int(rest[21]))
        except (IndexError, ValueError):
            continue
    return table


def descendants(root: int, table: dict[int, tuple[int, int]] | None = None) -> list[int]:
    table = table if table is not None else _process_table()
    children: dict[int, list[int]] = {}
    for pid, (ppid, _) in table.items():
        children.setdefault(ppid, []).append(pid)
    out: list[int] = []
    todo = list(children.get(root, ()))
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, ()))
    return out


def _role(pid: int, table: dict[int, tuple[int, int]], roles: dict[int, str]) -> str:
    """What a process of the tree is, from its command line (cached per pid)."""
    if pid in roles:
        return roles[pid]
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            cmd = fh.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        cmd = ""
    if "worker_pool" in cmd:  # index.worker_pool's workers (parsing, index writing)
        role = "worker"
    elif "resource_tracker" in cmd:
        role = "resource-tracker"
    elif "forkserver" in cmd:
        # a forkserver's children are forked from it, so they share its command line
        parent = table.get(pid, (0, 0))[0]
        role = "worker" if _role(parent, table, roles) == "forkserver" else "forkserver"
    elif table.get(pid, (0, 0))[0] == os.getpid():
        role = "main"
    else:
        role = Path(cmd.split(" ", 1)[0]).name or "?"
    roles[pid] = role
    return role


def _status_mb(pid: int) -> tuple[float, float, float]:
    """(resident, anonymous, file-backed) MB of a process, zeros when it is gone."""
    got = {"VmRSS": 0.0, "RssAnon": 0.0, "RssFile": 0.0}
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                key, _, value = line.partition(":")
                if key in got:
                    got[key] = int(value.split()[0]) * 1024 / 1e6
    except (OSError, ValueError, IndexError):
        pass
    return got["VmRSS"], got["RssAnon"], got["RssFile"]


class _RssSampler:
    """Peak of the summed resident set of everything below this process, and the tree's
    processes at that peak (their roles and anonymous/file-backed split)."""

    def __init__(self, interval: float = 0.02) -> None:
        self.interval = interval
        self.peak_pages = 0
        self.peak_processes: list[ProcessRss] = []
        self._roles: dict[int, str] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)

    def _run(self) -> None:
        me = os.getpid()
        while not self._stop.is_set():
            table = _process_table()
            tree = [p for p in descendants(me, table) if p in table]
            pages = sum(table[p][1] for p in tree)
            if pages > self.peak_pages:
                self.peak_pages = pages
                rows = []
                for pid in tree:
                    rss, anon, file = _status_mb(pid)
                    rows.append(ProcessRss(pid, _role(pid, table, self._roles), rss, anon, file))
                self.peak_processes = sorted(rows, key=lambda r: -r.rss_mb)
            self._stop.wait(self.interval)

    def __enter__(self) -> _RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def peak_mb(self) -> float:
        return self.peak_pages * _PAGE / 1e6


def _reap_orphans(keep: set[int], grace: float = 20.0) -> None:
    """Wait for descendants left running after the command exited (then kill stragglers)."""
    deadline = time.monotonic() + grace
    while True:
        me = os.getpid()
        table = _process_table()
        left = [p for p in descendants(me, table) if table[p][0] == me and p not in keep]
        if not left:
            return
        for pid in left:
            try:
                done, _ = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                continue
            if not done and time.monotonic() > deadline:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
                with contextlib.suppress(ChildProcessError):
                    os.waitpid(pid, 0)
        time.sleep(0.01)


def _children_usage() -> tuple[float, float]:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime, ru.ru_stime


def run_measured(
    cmd: Sequence[str],
    *,
    env: Mapping[str, str] | None = None,
    cwd: str | Path | None = None,
    timeout: float = 1800.0,
) -> Usage:
    """Run ``cmd`` to completion and measure it (and every process it started)."""
    become_subreaper()
    u0, s0 = _children_usage()
    out_path = Path(f"/tmp/bench-{os.getpid()}-out")
    err_path = Path(f"/tmp/bench-{os.getpid()}-err")
    with out_path.open("wb") as out, err_path.open("wb") as err, _RssSampler() as sampler:
        start = time.perf_counter()
        proc = subprocess.Popen(
            list(cmd), stdin=subprocess.DEVNULL, stdout=out, stderr=err, env=env, cwd=cwd
        )
        status, ru = _wait(proc.pid, timeout)
        wall = time.perf_counter() - start
        proc.returncode = _exit_code(status)
        _reap_orphans(keep=set())
    u1, s1 = _children_usage()
    usage = Usage(
        wall=wall,
        user=u1 - u0,
        system=s1 - s0,
        peak_rss_mb=sampler.peak_mb,
        max_rss_mb=ru.ru_maxrss / 1000,
        returncode=proc.returncode,
        stdout=out_path.read_text(errors="replace"),
        stderr=err_path.read_text(errors="replace"),
        peak_processes=sampler.peak_processes,
    )
    out_path.unlink(missing_ok=True)
    err_path.unlink(missing_ok=True)
    return usage


def _wait(pid: int, timeout: float) -> tuple[int, resource.struct_rusage]:
    deadline = time.monotonic() + timeout
    while True:
        done, status, ru = os.wait4(pid, os.WNOHANG)
        if done:
            return status, ru
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            _, status, ru = os.wait4(pid, 0)
            return status, ru
        time.sleep(0.002)


def _exit_code(status: int) -> int:
    if os.WIFSIGNALED(status):
        return -os.WTERMSIG(status)
    return os.WEXITSTATUS(status)


def run_in_pty(
    argv: Sequence[str],
    *,
    ready: Callable[[bytes], bool],
    env: Mapping[str, str] | None = None,
    rows: int = 40,
    cols: int = 120,
    timeout: float = 60.0,
    quit_keys: bytes = b"q",
    settle: float = 0.0,
) -> Usage:
    """Start a full-screen program in a pseudo-terminal; ``marks["ready"]`` is the time from
    launch until the output so far satisfies ``ready``, ``marks["first_output"]`` the time
    of its first byte. Then ``quit_keys`` are sent and the program must exit on its own."""
    become_subreaper()
    u0, s0 = _children_usage()
    marks: dict[str, float] = {}
    buf = bytearray()
    with _RssSampler() as sampler:
        start = time.perf_counter()
        pid, fd = os.forkpty()
        if pid == 0:  # the child: become the program
            try:
                os.execve(argv[0], list(argv), dict(env or os.environ))
            finally:
                os._exit(127)
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        deadline = start + timeout
        status: int | None = None
        ru: resource.struct_rusage | None = None
        sent_quit = False
        while status is None:
            now = time.perf_counter()
            if now > deadline:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            readable, _, _ = select.select([fd], [], [], 0.005)
            if readable:
                try:
                    chunk = os.read(fd, 1 << 16)
                except OSError:
                    chunk = b""
                if chunk:
                    t = time.perf_counter() - start
                    marks.setdefault("first_output", t)
                    buf += chunk
                    if "ready" not in marks and ready(bytes(buf)):
                        marks["ready"] = t
            if (
                "ready" in marks
                and not sent_quit
                and time.perf_counter() - start >= marks["ready"] + settle
            ):
                with contextlib.suppress(OSError):
                    os.write(fd, quit_keys)
                sent_quit = True
            done, st, r = os.wait4(pid, os.WNOHANG)
            if done:
                status, ru = st, r
        wall = time.perf_counter() - start
        with contextlib.suppress(OSError):
            os.close(fd)
        _reap_orphans(keep=set())
    u1, s1 = _children_usage()
    assert ru is not None
    return Usage(
        wall=wall,
        user=u1 - u0,
        system=s1 - s0,
        peak_rss_mb=sampler.peak_mb,
        max_rss_mb=ru.ru_maxrss / 1000,
        returncode=_exit_code(status),
        stdout=bytes(buf).decode("utf-8", errors="replace"),
        marks=marks,
        peak_processes=sampler.peak_processes,
    )
