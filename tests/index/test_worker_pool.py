"""The worker pool behind parsing and index writing: calls come back as results or as the
errors they raised, a worker that dies fails only its own call, and nothing is left running."""

from __future__ import annotations

import os
import signal
import time

import pytest
from newsreader.index.worker_pool import WorkerDied, WorkerPool


def square(n: int) -> int:
    return n * n


def fail(message: str) -> None:
    raise ValueError(message)


def die() -> None:
    os._exit(3)


def pid_after(seconds: float) -> int:
    time.sleep(seconds)
    return os.getpid()


def chatty() -> str:
    print("a stray line on stdout")  # must not be taken for an answer
    return "answered"


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_calls_come_back_in_any_number() -> None:
    with WorkerPool(2) as pool:
        futures = [pool.submit(square, n) for n in range(200)]
        assert [f.result(timeout=30) for f in futures] == [n * n for n in range(200)]


def test_calls_run_on_two_other_processes() -> None:
    with WorkerPool(2) as pool:
        futures = [pool.submit(pid_after, 0.3) for _ in range(2)]
        pids = {f.result(timeout=30) for f in futures}
    assert len(pids) == 2 and os.getpid() not in pids


def test_an_error_comes_back_as_the_error_raised() -> None:
    with WorkerPool(1) as pool:
        with pytest.raises(ValueError, match="hostile feed"):
            pool.submit(fail, "hostile feed").result(timeout=30)
        assert pool.submit(square, 3).result(timeout=30) == 9


def test_printing_in_a_worker_does_not_break_the_answers() -> None:
    with WorkerPool(1) as pool:
        assert pool.submit(chatty).result(timeout=30) == "answered"
        assert pool.submit(square, 4).result(timeout=30) == 16


def test_a_worker_that_dies_fails_its_call_and_is_replaced() -> None:
    with WorkerPool(1) as pool:
        with pytest.raises(WorkerDied):
            pool.submit(die).result(timeout=30)
        assert pool.submit(square, 5).result(timeout=30) == 25


def test_shutting_down_leaves_no_worker_running() -> None:
    pool = WorkerPool(2)
    pids = [pool.submit(pid_after, 0.0).result(timeout=30) for _ in range(4)]
    pool.shutdown(wait=True)
    assert not [p for p in set(pids) if alive(p)]
    with pytest.raises(RuntimeError):
        pool.submit(square, 1)


def test_cancelling_drops_the_calls_not_started_and_kill_ends_a_running_one() -> None:
    pool = WorkerPool(1)
    running = pool.submit(pid_after, 30.0)
    queued = [pool.submit(square, n) for n in range(5)]
    time.sleep(0.5)
    start = time.monotonic()
    pool.shutdown(wait=True, cancel_futures=True, kill=True)
    assert time.monotonic() - start < 10  # not the 30 s of the running call
    assert all(f.cancelled() for f in queued)
    with pytest.raises(WorkerDied):
        running.result(timeout=1)


def test_interrupting_the_parent_does_not_reach_the_workers_own_calls() -> None:
    with WorkerPool(1) as pool:
        assert pool.submit(square, 1).result(timeout=30) == 1  # the worker is up
        fut = pool.submit(pid_after, 0.5)
        time.sleep(0.2)
        # Ctrl-C goes to the whole process group; the worker ignores it (the parent decides)
        worker = next(iter(pool._procs.values())).pid
        os.kill(worker, signal.SIGINT)
        assert fut.result(timeout=30) == worker


def test_a_worker_whose_parent_stopped_listening_exits_quietly() -> None:
    """Ctrl-C mid-refresh: the parent closes its end while a call runs; the worker's answer
    meets a broken pipe. It must end without a traceback on the terminal's stderr."""
    import pickle
    import subprocess
    import sys

    from newsreader.index import worker_pool

    boot = (
        f"import sys; sys.path[:] = {list(sys.path)!r}; "
        f"from newsreader.index.worker_pool import serve; serve({os.getpid()})"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", boot],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # nobody reads the answer
    worker_pool._write_frame(proc.stdin, pickle.dumps((square, (7,))))
    proc.stdin.close()
    err = proc.stderr.read().decode()
    assert proc.wait(30) == 0
    assert err == ""
