"""Worker processes for the CPU-heavy jobs (parsing feeds, writing index segments).

Each worker is a child interpreter started with ``subprocess`` that reads pickled calls on
its stdin and writes pickled outcomes back, one call at a time. Not ``multiprocessing``'s
pool: started the safe way (``forkserver``) it adds two more Python processes, the
forkserver and the resource tracker (~27 MB resident between them, a tenth of a big
refresh's memory budget); ``fork`` would copy the storing process's threads and heap.

A worker that dies mid-call (a crash in a C parser, a kill) fails that call's future with
``WorkerDied`` and is replaced for the next call. A worker whose parent is gone exits on its
own: its stdin ends, and ``exit_with_parent`` watches for a parent killed mid-call.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import queue
import signal
import struct
import subprocess
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import IO, Any

_FRAME = struct.Struct("<Q")  # each message: its length, then the pickle


class WorkerDied(RuntimeError):
    """The worker process running a call ended before answering."""


class WorkerPool:
    """``workers`` child processes taking calls of module-level functions, first come first
    served; a subset of ``concurrent.futures.Executor`` (``submit``, ``shutdown``)."""

    def __init__(self, workers: int, *, thread_name: str = "newsreader-worker") -> None:
        self._calls: queue.SimpleQueue[tuple[Future[Any], bytes] | None] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._procs: dict[int, subprocess.Popen[bytes]] = {}
        self._closed = False
        self._threads: list[threading.Thread] = []
        try:
            for slot in range(max(1, workers)):
                self._procs[slot] = _start_worker()  # OSError: no pool (the caller decides)
                t = threading.Thread(
                    target=self._feed, args=(slot,), name=f"{thread_name}-{slot}", daemon=True
                )
                t.start()
                self._threads.append(t)
        except BaseException:
            self.shutdown(kill=True)
            for slot, proc in self._procs.items():
                if slot >= len(self._threads):
                    _end(proc, kill=True)
            raise

    def submit(self, fn: Callable[..., Any], /, *args: Any) -> Future[Any]:
        """Run ``fn(*args)`` on a worker (``fn`` and the arguments must pickle)."""
        payload = pickle.dumps((fn, args), protocol=pickle.HIGHEST_PROTOCOL)
        fut: Future[Any] = Future()
        with self._lock:
            if self._closed:
                raise RuntimeError("cannot submit to a pool that is shut down")
            self._calls.put((fut, payload))
        return fut

    def shutdown(
        self, wait: bool = True, *, cancel_futures: bool = False, kill: bool = False
    ) -> None:
        """No more calls; ``cancel_futures``: drop those not started; ``kill``: end the
        workers now (their running calls fail); ``wait``: until every worker has exited."""
        with self._lock:
            if not self._closed:
                self._closed = True
                if cancel_futures or kill:
                    while True:
                        try:
                            item = self._calls.get_nowait()
                        except queue.Empty:
                            break
                        if item is not None:
                            item[0].cancel()
                for _ in self._threads:
                    self._calls.put(None)
            procs = list(self._procs.values())
        if kill:
            for proc in procs:
                if proc.poll() is None:
                    proc.kill()
        if wait:
            for t in self._threads:
                t.join()

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, exc_type: object, *_rest: object) -> None:
        self.shutdown(wait=True, cancel_futures=exc_type is not None, kill=exc_type is not None)

    def _feed(self, slot: int) -> None:
        """One worker's feeder thread: hand it calls one at a time, settle their futures."""
        proc: subprocess.Popen[bytes] | None = self._procs[slot]
        while True:
            item = self._calls.get()
            if item is None:
                break
            fut, payload = item
            if not fut.set_running_or_notify_cancel():
                continue
            try:
                if proc is None or proc.poll() is not None:
                    proc = _start_worker()
                    with self._lock:
                        self._procs[slot] = proc
                assert proc.stdin is not None and proc.stdout is not None
                _write_frame(proc.stdin, payload)
                answer = _read_frame(proc.stdout)
                if answer is None:
                    raise EOFError
                ok, value = pickle.loads(answer)
            except (OSError, EOFError, pickle.UnpicklingError) as exc:
                if proc is not None:
                    _end(proc, kill=True)
                proc = None
                fut.set_exception(WorkerDied(f"a worker process ended mid-call ({exc!r})"))
                continue
            except BaseException as exc:  # an outcome that does not unpickle here
                fut.set_exception(exc)
                continue
            if ok:
                fut.set_result(value)
            else:
                fut.set_exception(value)
        if proc is not None:
            _end(proc, kill=False)


def _start_worker() -> subprocess.Popen[bytes]:
    """A child interpreter running ``serve`` with this process's import path."""
    boot = (
        "import sys; sys.path[:] = "
        + repr(list(sys.path))
        + f"; from {__name__} import serve; serve({os.getpid()})"
    )
    return subprocess.Popen(
        [sys.executable, "-c", boot],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        close_fds=True,
    )


def _end(proc: subprocess.Popen[bytes], *, kill: bool) -> None:
    """Close a worker's pipes (it exits at the end of its stdin) and reap it."""
    if kill and proc.poll() is None:
        proc.kill()
    for pipe in (proc.stdin, proc.stdout):
        if pipe is not None:
            with contextlib.suppress(OSError):
                pipe.close()
    proc.wait()


def _write_frame(out: IO[bytes], data: bytes) -> None:
    out.write(_FRAME.pack(len(data)))
    out.write(data)
    out.flush()


def _read_frame(src: IO[bytes]) -> bytes | None:
    """The next message, or None at the end of the stream."""
    head = src.read(_FRAME.size)
    if len(head) < _FRAME.size:
        return None
    (size,) = _FRAME.unpack(head)
    data = src.read(size)
    if len(data) < size:
        return None
    return data


def serve(parent: int) -> None:
    """A worker's loop: read a call, run it, answer, until stdin ends."""
    from .parent_watch import exit_with_parent

    # Ctrl-C reaches the whole process group: the parent decides what stops
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    calls = sys.stdin.buffer
    answers = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # a stray print goes to stderr, not into the answers
    sys.stdin = open(os.devnull)  # noqa: SIM115 (this process's whole life)
    exit_with_parent(parent)
    while (data := _read_frame(calls)) is not None:
        try:
            fn, args = pickle.loads(data)
            outcome: tuple[bool, Any] = (True, fn(*args))
        except BaseException as exc:
            outcome = (False, exc)
        try:
            blob = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as exc:
            blob = pickle.dumps(
                (False, RuntimeError(f"the outcome could not be sent back ({exc!r})")),
                protocol=pickle.HIGHEST_PROTOCOL,
            )
        try:
            _write_frame(answers, blob)
        except (BrokenPipeError, ConnectionResetError):
            # the parent stopped listening (Ctrl-C mid-refresh, or it died): nothing is
            # left to answer, and a traceback here would land in the user's terminal
            os._exit(0)
