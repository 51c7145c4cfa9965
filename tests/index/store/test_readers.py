"""Reads outside a transaction run on a connection of their own thread.

At a million articles a worker's count takes tens of seconds; on one shared connection the
app's quit (which saves its state) waited behind it. These tests hold a write transaction
open in one thread and read in another: with one connection the read would wait for the
lock forever (the join's timeout is only there so that a failure ends)."""

from __future__ import annotations

import threading
from pathlib import Path

from newsreader.index.store import Store


def _hold_transaction(store: Store, started: threading.Event, release: threading.Event) -> None:
    with store.transaction() as conn:
        conn.execute("INSERT INTO meta (key, value) VALUES ('pending', 'yes')")
        started.set()
        release.wait(30)


def test_a_read_does_not_wait_for_another_threads_transaction(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "store.db")
    store.set_meta("kept", "1")
    started, release = threading.Event(), threading.Event()
    writer = threading.Thread(target=_hold_transaction, args=(store, started, release))
    writer.start()
    assert started.wait(10)
    seen: list[object] = []
    reader = threading.Thread(
        target=lambda: seen.extend([store.get_meta("kept"), store.get_meta("pending")])
    )
    reader.start()
    reader.join(10)
    done = not reader.is_alive()
    release.set()
    writer.join(10)
    assert done, "the read waited behind the other thread's transaction"
    # the committed value, and not the other transaction's uncommitted one
    assert seen == ["1", None]
    assert store.get_meta("pending") == "yes"
    store.close()


def test_a_read_inside_a_transaction_sees_its_writes(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "store.db")
    with store.transaction() as conn:
        conn.execute("INSERT INTO meta (key, value) VALUES ('mine', 'yes')")
        assert store.get_meta("mine") == "yes"
    store.close()


def test_readers_of_ended_threads_are_closed(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "store.db")
    store.set_meta("k", "v")
    for _ in range(5):
        t = threading.Thread(target=store.get_meta, args=("k",))
        t.start()
        t.join()
    store.get_meta("k")  # this thread's reader; the ended threads' are closed on the way
    alive = [t for t in store._readers if t.is_alive()]
    assert len(store._readers) == len(alive) == 1
    store.close()
    assert store._readers == {}
