"""Grouping's cheaper paths at refresh (issue 18): each keeps what grouping decides."""

from __future__ import annotations

import sqlite3
import struct
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from newsreader.index.models import ParsedEntry
from newsreader.index.store import Store, article_id
from newsreader.index.store._stories import CHANGED, PlacedBatch, queue_new_articles
from newsreader.index.stories.grouping import group_batch, group_pending
from newsreader.index.stories.sketch import sketch
from storyfeeds import WHEN, wire


def test_the_queue_gives_each_articles_day_without_sqlite_date_functions(
    tmp_path: Path,
) -> None:
    """``pending`` works out each queued article's day itself (strftime in SQL cost ~0.8 µs
    a row); the days are those SQLite's ``strftime('%s')`` gives, also for dates before
    1970 (rounded towards 0), dates not in the store's own form, and none."""
    store = Store.open(tmp_path / "s.sqlite3")
    feed = store.add_feed("https://one.example/feed").id
    dates = [
        "2026-03-01T00:00:00Z",
        "2026-03-01T23:59:59Z",
        "2026-03-02T00:00:00Z",
        "1970-01-01T00:00:00Z",
        "1969-12-31T12:00:00Z",  # -43,200 s: day 0 in SQLite, -1 if rounded down
        "1969-12-30T12:00:00Z",
        "2026-03-01T23:00:00-02:00",  # not the store's form: the next day in UTC
        "2026-03-01 10:00:00",
        "not a date",
        None,
    ]
    entries = [
        ParsedEntry(f"k{n}", None, f"https://one.example/{n}", "t", None, WHEN, None, "", "", "")
        for n in range(len(dates))
    ]
    store.store_entries(feed, entries)
    with store.transaction() as conn:  # the dates as a queue may hold them, both queues
        conn.execute("DELETE FROM story_queue_added")
        conn.executemany(
            "INSERT INTO story_queue (article_id, changed, date) VALUES (?, 0, ?)",
            [(article_id(feed, f"k{n}"), date) for n, date in enumerate(dates)],
        )
        added = [(f"added{n}", date, None) for n, date in enumerate(dates) if date is not None]
        queue_new_articles(conn, feed, added)
    expected = [
        int(
            store.conn.execute(
                "SELECT CAST(strftime('%s', ?) AS INTEGER) / 86400", (date,)
            ).fetchone()[0]
            or 0
        )
        for date in dates
    ]
    assert expected[4] == 0 and expected[5] == -1 and expected[6] == expected[2]
    statements: list[str] = []
    store.conn.set_trace_callback(statements.append)
    with store.story_writer() as writer:
        queued = writer.pending(100)
    store.conn.set_trace_callback(None)
    assert [q.day for q in queued] == expected[: len(added)] + expected
    reads = [s for s in statements if "FROM story_queue" in s]
    assert any("FROM story_queue_added" in s for s in reads)
    assert reads and not any("strftime" in s for s in reads)
    store.close()


def test_a_batch_is_written_as_columns(tmp_path: Path) -> None:
    """``StoryWriter.add`` takes a batch as columns: member rows only for articles not
    alone (or queued changed), the copy keys of those alone in the small table, and one
    ``story_sketches`` row per day with its members' numbers, signatures and articles in
    batch order, also when a day's items are not one run."""
    store = Store.open(tmp_path / "s.sqlite3")
    feed = store.add_feed("https://one.example/feed").id
    ids = [article_id(feed, f"k{n}") for n in range(5)]
    entries = [
        ParsedEntry(f"k{n}", None, f"https://one.example/{n}", "t", None, WHEN, None, "", "", "")
        for n in range(5)
    ]
    store.store_entries(feed, entries)
    sig = [bytes([n]) * 4 for n in range(5)]  # what is kept of each item's signature
    placed = PlacedBatch(
        article_ids=ids,
        story_ids=[ids[0], ids[0], ids[2], ids[3], ids[4]],
        kinds=["lead", "copy", "lead", "lead", "lead"],
        url_hashes=[10, 10, 12, None, 14],
        guid_hashes=[None, None, 22, None, None],
        days=[5, 5, 6, 5, 7],
        changed=[False, False, False, True, False],
        signed=[0, 1, 2, 3],  # item 4 too short to sign
        signatures=b"".join(sig[:4]),
    )
    with store.story_writer() as writer:
        writer.add(placed)
    members = store.conn.execute(
        "SELECT member, article_id, story_id, lead, kind, url_hash FROM story_members"
        " ORDER BY member"
    ).fetchall()
    assert members == [
        (1, ids[0], ids[0], 1, "lead", 10),  # its story gained a member
        (2, ids[1], ids[0], 0, "copy", 10),
        (4, ids[3], "", 1, "lead", None),  # alone, but queued changed
    ]
    keys = store.conn.execute(
        "SELECT hash, article_id, member FROM story_keys_recent ORDER BY hash"
    ).fetchall()
    assert keys == [(12, ids[2], 3), (14, ids[4], 5), (22, ids[2], 3)]
    rows = store.conn.execute(
        "SELECT day, last_member, members, signatures, articles FROM story_sketches ORDER BY day"
    ).fetchall()
    numbers = [struct.pack("<q", m) for m in range(1, 6)]
    assert rows == [
        (
            5,
            5,
            numbers[0] + numbers[1] + numbers[3],
            sig[0] + sig[1] + sig[3],
            "\n".join([ids[0], ids[1], ids[3]]),
        ),
        (6, 5, numbers[2], sig[2], ids[2]),
    ]
    store.close()


def test_a_batchs_copy_keys_are_looked_up_in_one_statement(tmp_path: Path) -> None:
    """However many articles a batch has, their copy keys' hashes are looked up in the
    kept keys (both tables) and the member rows by one statement, the hashes as a JSON
    list (a list of 2,000 "?" took longer to parse than to run); the copies are found."""
    store = Store.open(tmp_path / "s.sqlite3")
    first = store.add_feed("https://one.example/feed").id
    store.store_entries(first, [_plain(f"a{n}", f"https://pages.example/{n}") for n in range(40)])
    group_pending(store)
    with store.story_writer() as writer:
        writer.merge_keys(0)  # half of them in story_keys, half in the recent table
    store.store_entries(
        first, [_plain(f"b{n}", f"https://pages.example/{n + 40}") for n in range(40)]
    )
    group_pending(store)
    second = store.add_feed("https://two.example/feed").id
    store.store_entries(  # copies of all 80 under tracking parameters, and 10 new pages
        second,
        [_plain(f"c{n}", f"https://pages.example/{n}?utm_source=rss") for n in range(90)],
    )
    statements: list[str] = []
    store.conn.set_trace_callback(statements.append)
    group_pending(store)
    store.conn.set_trace_callback(None)
    looked_up = [
        s for s in statements if s.startswith("SELECT") and "story_keys" in s and "member" in s
    ]
    assert len(looked_up) == 1, looked_up
    assert "json_each" in looked_up[0] and " IN (" not in looked_up[0]
    stories = store.story_ids([article_id(second, f"c{n}") for n in range(90)])
    for n in range(80):
        original = article_id(first, f"a{n}" if n < 40 else f"b{n - 40}")
        assert stories[article_id(second, f"c{n}")] == (original, False)
    assert all(article_id(second, f"c{n}") not in stories for n in range(80, 90))
    store.close()


def _plain(key: str, link: str) -> ParsedEntry:
    return ParsedEntry(key, None, link, "t", None, WHEN, None, "", "", "")


def test_band_keys_are_built_in_one_array() -> None:
    """A band's three 16-bit slots and its number make one 64-bit word (slot j at bit
    16 j, the number at 48), mixed and cut to its top 32 bits; the words are built in
    place in one array, not from a temporary array per slot (which held three arrays of
    the batch's size at once, and took about twice the time)."""
    import tracemalloc

    import numpy as np
    from newsreader.index.stories import minhash

    rng = np.random.default_rng(18)
    kept = rng.integers(0, 1 << 16, size=(3000, minhash.SLOTS), dtype=np.uint16)
    bands = kept[:, : minhash.BANDS * minhash.ROWS].reshape(-1, minhash.BANDS, minhash.ROWS)
    words = [
        [
            int(band[0]) | int(band[1]) << 16 | int(band[2]) << 32 | (b + 1) << 48
            for b, band in enumerate(row)
        ]
        for row in bands[:50]
    ]
    expected = [[(w * minhash._MIX % (1 << 64)) >> 32 for w in row] for row in words]
    tracemalloc.start()
    keys = minhash.band_keys(kept)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert keys[:50].tolist() == expected
    one = kept.shape[0] * minhash.BANDS * 8  # an array of the batch's 64-bit words
    assert peak < 1.8 * one, peak / one


def test_the_window_names_a_members_article_from_its_row(tmp_path: Path) -> None:
    """The window keeps each kept row's articles as stored and its day once (a list of
    5,000 names and days was made every batch, of which a few are wanted): the article of
    a member is cut from its own row when asked."""
    store = Store.open(tmp_path / "s.sqlite3")
    feed = store.add_feed("https://one.example/feed").id
    batches = [[f"a{n}" for n in range(3)], [f"b{n}" for n in range(2)]]
    for hours, keys in zip((0, 30), batches, strict=True):
        entries = []
        for seed, key in enumerate(keys, 40 + hours):  # different stories, each signed
            title, paras = wire(seed)
            entry = replace(
                _plain(key, f"https://one.example/{key}"),
                title=title,
                text="\n\n".join(paras),
                published=WHEN + timedelta(hours=hours),
            )
            entries.append(replace(entry, sketch=sketch(entry.link, None, title, entry.text)))
        store.store_entries(feed, entries)
        sketches = {article_id(feed, e.key): e.sketch for e in entries if e.sketch}
        with store.story_writer() as writer:
            group_batch(writer, writer.pending(10), sketches)
    with store.story_writer() as writer:
        window = writer.window(0, 1 << 30)
    assert len(window.days) == len(window.signatures) == 2
    assert window.days[1] == window.days[0] + 1
    names = [window.article(at) for at in range(5)]
    # a batch's members are numbered in date order, then by id
    assert names == [aid for keys in batches for aid in sorted(article_id(feed, k) for k in keys)]
    store.close()


class _Columns:
    """A connection that notes how many columns each statement's rows have."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.widths: dict[str, int] = {}

    def execute(self, sql: str, *args: object) -> sqlite3.Cursor:
        cursor = self.conn.execute(sql, *args)
        self.widths[sql] = len(cursor.description or ())
        return cursor


def test_the_queue_is_read_in_four_columns(tmp_path: Path) -> None:
    """Each column of the 2,000 rows ``pending`` reads costs the reader a few calls a row:
    the flags (changed, grouped, its id names a story) come as one number, the queue's
    last place by a second, one-row statement; each article's flags are still its own."""
    store = Store.open(tmp_path / "s.sqlite3")
    feed = store.add_feed("https://one.example/feed").id
    title, paras = wire(5)
    lead = ParsedEntry("a", None, "https://one.example/a", title, None, WHEN, None, "", "", "")
    lead = replace(lead, text="\n\n".join(paras))
    store.store_entries(feed, [lead, _plain("b", "https://one.example/a?utm_source=x")])
    group_pending(store)  # b is a copy of a: both have member rows, a's id names the story
    store.store_entries(feed, [_plain("c", "https://one.example/c")])
    with store.transaction() as conn:  # a's text changes (a fetched page, say)
        conn.execute(
            "UPDATE articles SET text = text || ' More.' WHERE id = ?", (article_id(feed, "a"),)
        )
    with store.story_writer() as writer:
        columns = _Columns(writer.conn)
        writer.conn = columns  # type: ignore[assignment]
        queued = {q.article_id: q for q in writer.pending(10)}
    (width,) = [w for sql, w in columns.widths.items() if "LIMIT ?" in sql]
    assert width <= 4
    changed, new = queued[article_id(feed, "a")], queued[article_id(feed, "c")]
    assert (changed.changed, changed.grouped, changed.story_taken) == (True, True, True)
    assert (new.changed, new.grouped, new.story_taken) == (False, False, False)
    store.close()


def test_similar_pairs_counts_the_agreeing_slots() -> None:
    """Pairs are scored by counting the slots that agree (a mean made a float of each
    slot): 39 of 128 reach the threshold, 38 do not, and the score is the share."""
    import numpy as np
    from newsreader.index.stories import grouping, minhash

    rng = np.random.default_rng(7)
    stored = rng.integers(0, 1 << 16, size=(2, minhash.SLOTS), dtype=np.uint16)
    batch = rng.integers(0, 1 << 16, size=(2, minhash.SLOTS), dtype=np.uint16)
    for item, agreeing in enumerate((39, 38)):
        batch[item, :agreeing] = stored[item, :agreeing]  # the first bands too: candidates
    sigs = np.concatenate([stored, batch])
    keys = minhash.band_keys(sigs)
    days = np.zeros(4, dtype=np.int64)
    assert grouping._similar_pairs(keys, sigs, days, 2, 0, 2) == [(0, 0, 39 / 128)]


def test_the_ready_articles_come_as_columns_oldest_first(tmp_path: Path) -> None:
    """``_ready`` hands the batch over as columns (an object per article cost more than
    its placing), oldest first and by id on the same date, each with its sketch."""
    from newsreader.index.stories import grouping

    store = Store.open(tmp_path / "s.sqlite3")
    feed = store.add_feed("https://one.example/feed").id
    entries = [
        replace(_plain(key, f"https://one.example/{key}"), published=WHEN + timedelta(hours=h))
        for key, h in (("late", 5), ("b", 0), ("a", 0))
    ]
    store.store_entries(feed, entries)
    with store.story_writer() as writer:
        ready = grouping._ready(writer, writer.pending(10), None)
    first = sorted([article_id(feed, "a"), article_id(feed, "b")])
    assert ready.article_ids == [*first, article_id(feed, "late")]
    assert [s.url_key for s in ready.sketches][-1] == "https://one.example/late"
    assert ready.days == [ready.days[0]] * 3 and ready.changed == [False] * 3
    store.close()


def test_the_marks_of_every_story_a_batch_joins_are_read_at_once(tmp_path: Path) -> None:
    """Copies joining three stories in one batch: the marks of all three are read by one
    statement (one a story cost ~40,000 instructions); the copy of the read story is read,
    the copy of the bookmarked one bookmarked, the third's copy neither."""
    store = Store.open(tmp_path / "s.sqlite3")
    first = store.add_feed("https://one.example/feed").id
    store.store_entries(first, [_plain(k, f"https://pages.example/{k}") for k in "rbn"])
    group_pending(store)
    leads = {k: article_id(first, k) for k in "rbn"}
    store.set_read([leads["r"]], True)
    with store.transaction() as conn:
        conn.execute(
            "UPDATE articles SET bookmarked_at = '2026-03-02T00:00:00Z' WHERE id = ?",
            (leads["b"],),
        )
    second = store.add_feed("https://two.example/feed").id
    store.store_entries(second, [_plain(k, f"https://pages.example/{k}?fbclid=1") for k in "rbn"])
    statements: list[str] = []
    store.conn.set_trace_callback(statements.append)
    group_pending(store)
    store.conn.set_trace_callback(None)
    marks = [s for s in statements if "MIN(a.read)" in s]
    assert len(marks) == 1, marks
    copies = {k: article_id(second, k) for k in "rbn"}
    rows = {
        aid: (read, bookmarked)
        for aid, read, bookmarked in store.conn.execute(
            "SELECT id, read, bookmarked_at FROM articles WHERE feed_id = ?", (second,)
        )
    }
    assert rows[copies["r"]] == (1, None)
    assert rows[copies["b"]] == (0, "2026-03-02T00:00:00Z")
    assert rows[copies["n"]] == (0, None)
    assert all(store.story_ids([copies[k]])[copies[k]] == (leads[k], False) for k in "rbn")
    store.close()


def test_a_feeds_new_articles_are_queued_as_one_row(tmp_path: Path) -> None:
    """The store step queues a call's new articles as one row (a row an article cost more
    to write, read and delete than grouping the article); grouping takes it whole and
    deletes it, a feed removed takes its row with it, and an article changed while queued
    is grouped once, as changed."""
    store = Store.open(tmp_path / "s.sqlite3")
    feed = store.add_feed("https://one.example/feed").id
    other = store.add_feed("https://two.example/feed").id
    store.store_entries(feed, [_plain(k, f"https://one.example/{k}") for k in "abc"])
    rows = store.conn.execute("SELECT feed_id, size FROM story_queue_added").fetchall()
    assert rows == [(feed, 3)]
    assert store.conn.execute("SELECT COUNT(*) FROM story_queue").fetchone()[0] == 0
    assert store.story_queue_size() == 3
    store.store_entries(other, [_plain("d", "https://two.example/d")])
    store.remove_feed(feed)  # its queued row goes with it, as its articles do
    assert store.story_queue_size() == 1
    with store.transaction() as conn:  # d's text changes before it is grouped
        conn.execute(
            "UPDATE articles SET text = 'Changed.' WHERE id = ?", (article_id(other, "d"),)
        )
    with store.story_writer() as writer:
        queued = writer.pending(10)
    assert [(q.article_id, q.changed) for q in queued] == [(article_id(other, "d"), True)]
    # as columns (an object an article cost more than the rest of reading it)
    assert queued.article_ids == [article_id(other, "d")] and queued.flags == [CHANGED]
    assert group_pending(store) == 1
    assert store.story_queue_size() == 0
    assert store.conn.execute("SELECT COUNT(*) FROM story_queue_added").fetchone()[0] == 0
    store.close()


def test_the_recent_keys_are_written_by_one_statement_for_ids_of_any_width(
    tmp_path: Path,
) -> None:
    """The kept keys of a batch's articles alone go to ``story_keys_recent`` in one
    statement over JSON (an executemany cost ~12,800 instructions a row), each under its
    own article and number, whatever the ids' widths and characters."""
    store = Store.open(tmp_path / "s.sqlite3")
    ids = ["a", "bbbb", "çé-3", "dd"]
    placed = PlacedBatch(
        article_ids=ids,
        story_ids=ids,
        kinds=["lead"] * 4,
        url_hashes=[1, None, 3, None],
        guid_hashes=[None, 22, (1 << 63) - 1, -(1 << 63)],
        days=[5] * 4,
        changed=[False] * 4,
        signed=[],
        signatures=b"",
    )
    statements: list[str] = []
    with store.story_writer() as writer:
        writer.conn.set_trace_callback(statements.append)
        writer.add(placed)
        writer.conn.set_trace_callback(None)
    keys = store.conn.execute(
        "SELECT hash, article_id, member FROM story_keys_recent ORDER BY hash"
    ).fetchall()
    assert keys == [
        (-(1 << 63), "dd", 4),
        (1, "a", 1),
        (3, "çé-3", 3),
        (22, "bbbb", 2),
        ((1 << 63) - 1, "çé-3", 3),
    ]
    inserts = [s for s in statements if "INTO story_keys_recent" in s]
    assert len(inserts) == 1 and "json_each" in inserts[0]
    store.close()


def test_the_window_and_the_batch_make_one_pool_of_kept_signatures() -> None:
    """The pool's signatures are written into one array (each concatenation copied the
    megabytes again): the window's rows in order, one kept with 32-bit slots cut to its
    low 16 bits, then the batch's."""
    import numpy as np
    from newsreader.index.stories import grouping, minhash

    wide = np.arange(minhash.SLOTS, dtype="<u4") + 70_000
    narrow = np.arange(2 * minhash.SLOTS, dtype="<u2").reshape(2, -1)
    batch = np.full((1, minhash.SLOTS), 9, dtype=np.uint16)
    pool = grouping._window_matrix([(1, wide.tobytes()), (2, narrow.tobytes())], batch)
    assert pool.dtype == np.uint16 and pool.shape == (4, minhash.SLOTS)
    assert (pool[0] == (wide & 0xFFFF)).all() and (pool[1:3] == narrow).all()
    assert (pool[3] == 9).all()


def test_a_batchs_days_are_read_from_their_digits_at_once(tmp_path: Path) -> None:
    """``_ready`` works out the batch's days in one pass over the dates' digits (a
    ``day_number`` call a date cost ~4,500 instructions): ``day_number`` is asked only for
    the dates not in the store's form or not a day from 1970 on, and every day is the one
    it gives."""
    from newsreader.index.stories import grouping

    store = Store.open(tmp_path / "s.sqlite3")
    feed = store.add_feed("https://one.example/feed").id
    dates = [
        "2024-02-29T10:00:00Z",  # a leap day
        "2026-12-31T23:59:59Z",
        "1970-01-01T00:00:00Z",
        "2000-03-01T00:00:00Z",
        "1969-12-31T12:00:00Z",  # before 1970: SQLite's rounding, asked
        "2026-02-30T00:00:00Z",  # no such day: asked
        "2026-13-01T00:00:00Z",
    ]
    with store.transaction() as conn:
        queue_new_articles(conn, feed, [(f"id{n}", d, None) for n, d in enumerate(dates)])
    with store.story_writer() as writer:
        expected = [writer.day_number(d) for d in dates]
        asked: list[str | None] = []
        day_number = writer.day_number

        def counted(date: str | None) -> int:
            asked.append(date)
            return day_number(date)

        writer.day_number = counted  # type: ignore[method-assign]
        queued = writer.pending(10)
        days = writer.day_numbers(queued.dates)
        writer.day_number = day_number  # type: ignore[method-assign]
        sketches = {
            aid: sketch(None, None, "t", "") for aid in queued.article_ids
        }  # check None: sketched again, from the store (the ids are not stored): none ready
        assert grouping._ready(writer, queued, sketches).days == []
    assert days == expected
    assert expected[:4] == [19782, 20818, 0, 11017]
    assert sorted(asked, key=str) == sorted(dates[4:])
    store.close()


def test_a_batchs_alone_and_rowed_items_and_its_day_rows(tmp_path: Path) -> None:
    """``add`` finds the items not alone from the few whose story is not their own (and
    the batch items others join, more than a few too), and cuts the kept signatures into
    one row a day from the runs of the date-ordered items, signed or not."""
    store = Store.open(tmp_path / "s.sqlite3")
    feed = store.add_feed("https://one.example/feed").id
    count = 30
    store.store_entries(feed, [_plain(f"k{n}", f"https://one.example/{n}") for n in range(count)])
    ids = [article_id(feed, f"k{n}") for n in range(count)]
    # items 10..19 join items 0..9 (in-batch copies); item 25 is a near-duplicate of 20
    stories = [ids[n - 10] if 10 <= n < 20 else ids[n] for n in range(count)]
    stories[25] = ids[20]
    kinds = ["copy" if 10 <= n < 20 else "lead" for n in range(count)]
    kinds[25] = "near"
    signed = [n for n in range(count) if n % 7 != 3]  # some too short to sign
    days = [100 + n // 8 for n in range(count)]
    placed = PlacedBatch(
        article_ids=ids,
        story_ids=stories,
        kinds=kinds,
        url_hashes=[1000 + n for n in range(count)],
        guid_hashes=[None] * count,
        days=days,
        changed=[n == 28 for n in range(count)],
        signed=signed,
        signatures=b"".join(bytes([n]) * 4 for n in signed),
    )
    with store.story_writer() as writer:
        writer.add(placed)
    members = store.conn.execute(
        "SELECT member, article_id, story_id, lead, kind FROM story_members ORDER BY member"
    ).fetchall()
    rowed = [*range(20), 20, 25, 28]
    assert [m[0] - 1 for m in members] == rowed
    assert members[0] == (1, ids[0], ids[0], 1, "lead")
    assert members[10] == (11, ids[10], ids[0], 0, "copy")
    assert members[-1] == (29, ids[28], "", 1, "lead")  # alone, queued changed
    keys = store.conn.execute("SELECT hash FROM story_keys_recent ORDER BY hash").fetchall()
    assert [k[0] - 1000 for k in keys] == [n for n in range(count) if n not in rowed]
    rows = store.conn.execute(
        "SELECT day, members, signatures, articles FROM story_sketches ORDER BY day"
    ).fetchall()
    assert [r[0] for r in rows] == sorted(set(days))
    for day, numbers, sigs, articles in rows:
        of_day = [n for n in signed if days[n] == day]
        assert numbers == struct.pack(f"<{len(of_day)}q", *(n + 1 for n in of_day))
        assert sigs == b"".join(bytes([n]) * 4 for n in of_day)
        assert articles == "\n".join(ids[n] for n in of_day)
    store.close()
