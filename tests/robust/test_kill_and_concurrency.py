"""`kill -9` in the middle of a refresh, a reindex and an enrichment, and two processes at
once: the store stays consistent, no bookmark or read mark is lost, the index catches up with
the store on the next command, enrichment resumes, and no process shows a traceback."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from faultserver import FaultServer
from feedmaker import Item, rss
from newsreader.index.library import Library
from nrproc import (
    Done,
    alive,
    assert_no_traceback,
    descendants,
    integrity,
    query,
    run,
    start,
    word,
)

FEEDS = 16
PER_FEED = 40


def write_config(data: Path, **fetch: object) -> None:
    data.mkdir(parents=True, exist_ok=True)
    lines = ["[fetch]"] + [f"{k} = {v!r}" for k, v in fetch.items()]
    (data / "config.toml").write_text("\n".join(lines) + "\n")


def wait_for(check: Callable[[], bool], proc: subprocess.Popen[str], limit: float = 60) -> None:
    """Poll until check() holds; fail if the process ends first or it never does."""
    end = time.monotonic() + limit
    while time.monotonic() < end:
        if check():
            return
        if proc.poll() is not None:
            _out, err = proc.communicate()
            pytest.fail(f"process ended before the kill point: {proc.returncode} {err[-800:]}")
        time.sleep(0.02)
    proc.kill()
    pytest.fail("the kill point was never reached")


def kill9(proc: subprocess.Popen[str]) -> None:
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)
    assert proc.returncode == -signal.SIGKILL


def count(db: Path, sql: str = "SELECT COUNT(*) FROM articles") -> int:
    try:
        return int(query(db, sql)[0][0])  # type: ignore[call-overload]
    except Exception:
        return -1  # not created yet


def marks(db: Path) -> tuple[set[str], set[str]]:
    bookmarked = {
        str(r[0]) for r in query(db, "SELECT id FROM articles WHERE bookmarked_at IS NOT NULL")
    }
    read = {str(r[0]) for r in query(db, "SELECT id FROM articles WHERE read = 1")}
    return bookmarked, read


def search_ids(data: Path, text: str, limit: int = 1000) -> list[str]:
    done = run(data, "search", text, "--json", "--limit", str(limit))
    assert done.code == 0, done
    assert_no_traceback(done)
    return [h["id"] for h in json.loads(done.out)["results"]]


@pytest.fixture
def srv() -> Iterator[FaultServer]:
    with FaultServer() as server:
        yield server


@pytest.fixture
def library_with_marks(tmp_path: Path) -> tuple[Path, set[str], set[str]]:
    """A data directory with a local feed of 20 articles, 3 bookmarked and 5 read."""
    data = tmp_path / "data"
    write_config(data, timeout=20.0, connect_timeout=5.0, concurrency=FEEDS)
    local = tmp_path / "local.rss"
    local.write_bytes(
        rss(
            "Local",
            [Item(guid=f"l{i}", title=f"Local {word(i)}", body="<p>calm</p>") for i in range(20)],
        )
    )
    with Library.open(data) as lib:
        lib.add_feed(str(local))
        ids = [r.id for r in lib.list_articles()]
        for aid in ids[:3]:
            lib.bookmark(aid)
        for aid in ids[2:7]:
            lib.mark_read(aid)
        lib.sync_index()
    db = data / "newsreader.sqlite3"
    bookmarked, read = marks(db)
    assert len(bookmarked) == 3 and len(read) == 5
    return data, bookmarked, read


def slow_feeds(srv: FaultServer, data: Path, last_delay: float | None = None) -> list[str]:
    """FEEDS feeds that answer one after another, 0.1 s apart, each with PER_FEED articles.

    `last_delay` holds the last feed back longer, for a test that must find the refresh still
    running when it strikes: on a loaded machine the first feeds can be stored so late that
    the others (1.6 s at most) are in by then too."""
    urls = []
    with Library.open(data) as lib:
        for f in range(FEEDS):
            name = f"slow{f}"
            items = [
                Item(
                    guid=f"{name}-{i}",
                    title=f"Slow {word(100 + f * PER_FEED + i)}",
                    body="<p>late news</p>",
                )
                for i in range(PER_FEED)
            ]
            srv.serve(name, rss(f"Slow {f}", items))
            delay = last_delay if last_delay is not None and f == FEEDS - 1 else 0.1 * (f + 1)
            url = srv.url(f"/slow/{delay:.2f}/{name}")
            lib.add_feed(url, fetch=False)
            urls.append(url)
    return urls


def test_kill_9_during_refresh(
    srv: FaultServer, library_with_marks: tuple[Path, set[str], set[str]]
) -> None:
    data, bookmarked, read = library_with_marks
    db = data / "newsreader.sqlite3"
    slow_feeds(srv, data)
    proc = start(data, "refresh")
    wait_for(lambda: count(db) >= 20 + 3 * PER_FEED, proc)
    helpers = descendants(proc.pid)  # the parse workers and their forkserver
    kill9(proc)
    try:
        # with their parent gone they stop too (they would wait on their queues for ever)
        end = time.monotonic() + 15
        while alive(helpers) and time.monotonic() < end:
            time.sleep(0.1)
        assert helpers and not alive(helpers), "parse workers outlived a killed refresh"
    finally:
        for pid in alive(helpers):
            os.kill(pid, signal.SIGKILL)  # only processes this test started
    stored = count(db)
    assert 20 + 3 * PER_FEED <= stored < 20 + FEEDS * PER_FEED, "the kill was not mid-way"
    assert integrity(db) == "ok"
    assert marks(db) == (bookmarked, read)
    # the next command brings the index up to date with what the store has
    assert len(search_ids(data, "slow", limit=FEEDS * PER_FEED)) == stored - 20
    # and the next refresh completes the rest, each article once
    done = run(data, "refresh")
    assert done.code == 0, done
    assert_no_traceback(done)
    assert count(db) == 20 + FEEDS * PER_FEED
    assert count(db, "SELECT COUNT(DISTINCT feed_id || key) FROM articles") == count(db)
    assert marks(db) == (bookmarked, read)
    last = word(100 + (FEEDS - 1) * PER_FEED + PER_FEED - 1)
    assert len(search_ids(data, last)) == 1


@pytest.mark.parametrize("delay", [0.2, 0.6])
def test_kill_9_during_reindex(
    delay: float, library_with_marks: tuple[Path, set[str], set[str]], tmp_path: Path
) -> None:
    """Killed at several points of a full rebuild, the index is whole again on the next
    command (the store says what is still unindexed; a stale writer lock does not block)."""
    data, bookmarked, read = library_with_marks
    db = data / "newsreader.sqlite3"
    big = tmp_path / "big.rss"
    big.write_bytes(
        rss(
            "Big",
            [
                Item(
                    guid=f"b{i}",
                    title=f"Bulk {word(3000 + i)}",
                    body="<p>" + "filler text " * 60 + "</p>",
                )
                for i in range(500)
            ],
        )
    )
    assert run(data, "add", str(big), "--no-fetch").code == 0
    assert run(data, "refresh", "--no-index").code == 0
    proc = start(data, "reindex")
    time.sleep(delay)
    if proc.poll() is None:
        kill9(proc)
    assert integrity(db) == "ok"
    assert marks(db) == (bookmarked, read)
    total = count(db)
    listed = run(data, "search", "--json", "--limit", "1")
    assert listed.code == 0, listed
    assert_no_traceback(listed)
    assert json.loads(listed.out)["total"] == total
    assert len(search_ids(data, word(3000 + 499))) == 1


def test_index_restored_from_a_backup_is_detected_and_rebuilt(
    library_with_marks: tuple[Path, set[str], set[str]], tmp_path: Path
) -> None:
    """An index older than the store (put back from a backup) lacks articles the store
    thinks are indexed: the generation counter catches it and the index is rebuilt."""
    data, _, _ = library_with_marks
    shutil.copytree(data / "index", tmp_path / "backup")
    feed = tmp_path / "extra.rss"
    feed.write_bytes(rss("Extra", [Item(guid="x", title=f"Extra {word(9999)}", body="b")]))
    assert run(data, "add", str(feed)).code == 0
    assert len(search_ids(data, word(9999))) == 1
    shutil.rmtree(data / "index")
    shutil.copytree(tmp_path / "backup", data / "index")
    done = run(data, "search", word(9999), "--json")
    assert done.code == 0
    assert "out of step with the store" in done.err
    assert len(json.loads(done.out)["results"]) == 1


def test_index_of_another_library_is_replaced_not_merged(
    library_with_marks: tuple[Path, set[str], set[str]], tmp_path: Path
) -> None:
    """An index that belongs to another store is thrown away: none of its documents linger."""
    data, _, _ = library_with_marks
    other = tmp_path / "other"
    feed = tmp_path / "extra.rss"
    feed.write_bytes(
        rss(
            "Other",
            [Item(guid=f"o{i}", title=f"Other {word(8000 + i)}", body="b") for i in range(7)],
        )
    )
    assert run(other, "add", str(feed)).code == 0
    shutil.rmtree(data / "index")
    shutil.copytree(other / "index", data / "index")
    done = run(data, "search", "--json", "--limit", "1")
    assert done.code == 0
    assert "did not match the store" in done.err
    assert json.loads(done.out)["total"] == 20
    assert search_ids(data, word(8003)) == []


def test_kill_9_during_enrich(
    library_with_marks: tuple[Path, set[str], set[str]], tmp_path: Path
) -> None:
    from newsreader.index.entities.extract import model_available

    if not model_available():
        pytest.skip("the spaCy model is not installed (make test installs it)")
    data, bookmarked, read = library_with_marks
    db = data / "newsreader.sqlite3"
    people = ["Amara Okafor", "Lena Fischer", "Tomás Rivera", "Yuki Tanaka", "Omar Haddad"]
    places = ["Lagos", "Hamburg", "Valparaíso", "Osaka", "Beirut"]
    items = [
        Item(
            guid=f"e{i}",
            title=f"{people[i % 5]} visits {places[i % 5]} port",
            body=(
                f"<p>{people[i % 5]} met officials of the Port Authority in {places[(i + 1) % 5]}"
                f" on Tuesday. The United Nations and {people[(i + 2) % 5]} said talks in"
                f" {places[(i + 3) % 5]} would continue next month.</p>"
            )
            * 2,
        )
        for i in range(200)
    ]
    feed = tmp_path / "people.rss"
    feed.write_bytes(rss("People", items))
    assert run(data, "add", str(feed), "--no-fetch").code == 0
    assert run(data, "refresh", "--no-enrich").code == 0
    total = count(db)
    pending = "SELECT COUNT(*) FROM articles WHERE entities_version = 0"
    proc = start(data, "enrich")
    wait_for(lambda: total - count(db, pending) > 0, proc, limit=120)
    kill9(proc)
    left = count(db, pending)
    assert 0 < left < total, "the kill was not mid-way"
    assert integrity(db) == "ok"
    assert marks(db) == (bookmarked, read)
    # a resumed run does only what is left, and every article ends with its entities once
    done = run(data, "enrich", timeout=300)
    assert done.code == 0, done
    assert_no_traceback(done)
    assert f"extracted entities of {left} article(s)" in done.out
    assert count(db, pending) == 0
    dupes = query(
        db,
        'SELECT COUNT(*) FROM (SELECT article_id, field, start, "end" FROM entities'
        " GROUP BY 1, 2, 3, 4 HAVING COUNT(*) > 1)",
    )
    assert dupes[0][0] == 0
    found = run(data, "search", 'org:"united nations"', "--json", "--limit", "1")
    assert json.loads(found.out)["total"] == total - 20


def test_two_processes_at_once(
    srv: FaultServer, library_with_marks: tuple[Path, set[str], set[str]]
) -> None:
    """A long refresh runs while other processes search, bookmark, mark read and reindex:
    every one finishes (or says it is busy) without a traceback, and nothing is lost."""
    data, bookmarked, read = library_with_marks
    db = data / "newsreader.sqlite3"
    slow_feeds(srv, data)
    local_ids = [str(r[0]) for r in query(db, "SELECT id FROM articles ORDER BY id")]
    refresh = start(data, "refresh")
    wait_for(lambda: count(db) > 20, refresh)
    # a wave of other processes at once, while the refresh is still storing feeds
    targets = local_ids[10:14]
    commands = [["search", "local", "--json"], ["feeds", "--json"], ["reindex"], ["reindex"]]
    commands += [["bookmark", aid] for aid in targets] + [["read", aid] for aid in targets]
    procs = [start(data, *c) for c in commands]
    others = []
    for p in procs:
        out, err = p.communicate(timeout=120)
        others.append(Done(p.returncode, out, err))
    _out, err = refresh.communicate(timeout=120)
    for done in others:
        assert_no_traceback(done)
        assert done.code == 0 or "busy" in done.err, done
    assert refresh.returncode == 0, err
    assert "Traceback" not in err
    assert count(db) == 20 + FEEDS * PER_FEED
    now_bookmarked, now_read = marks(db)
    assert now_bookmarked == bookmarked | set(targets)
    assert now_read == read | set(targets)
    assert len(search_ids(data, "slow", limit=FEEDS * PER_FEED)) == FEEDS * PER_FEED


def test_held_index_lock_delays_search_updates_without_failing(
    library_with_marks: tuple[Path, set[str], set[str]], tmp_path: Path
) -> None:
    """Another process holds the Whoosh write lock (a long reindex, say): a refresh still
    stores everything and says the index catches up later; it does, once the lock is free."""
    from whoosh import index as whoosh_index

    data, _, _ = library_with_marks
    feed = tmp_path / "late.rss"
    feed.write_bytes(rss("Late", [Item(guid="late", title=f"Late {word(7777)}", body="b")]))
    ix = whoosh_index.open_dir(str(data / "index"))
    writer = ix.writer()  # holds the lock until cancelled
    try:
        done = run(data, "add", str(feed))
    finally:
        writer.cancel()
        ix.close()
    assert done.code == 0, done
    assert_no_traceback(done)
    assert "search index not updated yet" in done.err and "busy" in done.err
    assert count(data / "newsreader.sqlite3") == 21
    assert len(search_ids(data, word(7777))) == 1


def test_ctrl_c_during_refresh(
    srv: FaultServer, library_with_marks: tuple[Path, set[str], set[str]]
) -> None:
    """Ctrl-C mid-refresh: one line, exit 130, the store consistent, helpers gone."""
    data, bookmarked, read = library_with_marks
    db = data / "newsreader.sqlite3"
    slow_feeds(srv, data, last_delay=10.0)
    proc = start(data, "refresh")
    wait_for(lambda: count(db) >= 20 + 2 * PER_FEED, proc)
    helpers = descendants(proc.pid)
    proc.send_signal(signal.SIGINT)
    _out, err = proc.communicate(timeout=30)
    try:
        end = time.monotonic() + 15
        while alive(helpers) and time.monotonic() < end:
            time.sleep(0.1)
        assert not alive(helpers)
    finally:
        for pid in alive(helpers):
            os.kill(pid, signal.SIGKILL)  # only processes this test started
    assert proc.returncode == 130, err
    assert err.strip().splitlines() == ["newsreader: interrupted"], err
    assert "Traceback" not in err
    assert integrity(db) == "ok"
    assert marks(db) == (bookmarked, read)


def test_long_lived_library_beside_cron_commands(tmp_path: Path) -> None:
    """A library kept open (as the app keeps it) while other processes add, search and even
    rebuild the index: each side sees the other's articles and marks, and nobody is told
    the index diverged when it did not."""
    data = tmp_path / "data"
    first = tmp_path / "a.rss"
    first.write_bytes(
        rss("A", [Item(guid=f"a{i}", title=f"Alpha {word(i)}", body="b") for i in range(10)])
    )
    second = tmp_path / "b.rss"
    second.write_bytes(
        rss("B", [Item(guid=f"b{i}", title=f"Beta {word(100 + i)}", body="b") for i in range(10)])
    )
    with Library.open(data) as app_lib:
        app_lib.add_feed(str(first))
        assert app_lib.search(word(3)).total == 1
        added = run(data, "add", str(second))
        assert added.code == 0 and added.err == "", added
        hit = app_lib.search(word(105)).hits  # the other process's article, found here
        assert [h.title for h in hit] == [f"Beta {word(105)}"]
        app_lib.bookmark(hit[0].id)
        seen = run(data, "search", word(105), "--json")
        assert seen.code == 0 and seen.err == "", seen  # no divergence reported
        assert json.loads(seen.out)["results"][0]["bookmarked"] is True
        rebuilt = run(data, "reindex")
        assert rebuilt.code == 0 and rebuilt.err == "", rebuilt
        after = app_lib.search(word(106))
        assert after.total == 1
        app_lib.mark_read(after.hits[0].id)
        assert app_lib.search("is:read").total == 1
        assert app_lib.notices == []
    final = run(data, "search", "is:bookmarked", "--json")
    assert final.code == 0 and final.err == "", final
    assert json.loads(final.out)["total"] == 1
