"""Grouping on the store: signatures kept per batch, the parse worker's sketch trusted only
for an article as it was inserted, and libraries grouped before schema 8."""

from __future__ import annotations

import random
import sqlite3
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from newsreader.index.models import ParsedEntry, StorySketch
from newsreader.index.store import MIGRATIONS, Store, article_id
from newsreader.index.store import _stories as stories_store
from newsreader.index.stories.grouping import group_pending
from newsreader.index.stories.sketch import sketch, text_signature
from newsreader.index.stories.urls import canonical_url
from storyfeeds import WHEN, wire

from bench.story_pairs import wire_variant


def _entry(key: str, title: str, text: str, hours: int = 0) -> ParsedEntry:
    """An entry as a parse worker hands it over: with its sketch."""
    entry = ParsedEntry(
        key=key,
        guid=None,
        link=f"https://{key}.example/story",
        title=title,
        author=None,
        published=WHEN + timedelta(hours=hours),
        updated=None,
        summary_html="",
        content_html="",
        text=text,
    )
    return replace(entry, sketch=sketch(entry.link, entry.guid, entry.title, entry.text))


def _variant(seed: int) -> tuple[str, str, str, str]:
    """A wire story's title and text, and another paper's headline and edited text."""
    title, paras = wire(seed)
    headline, variant, _ = wire_variant(title, paras, random.Random(seed))
    return title, "\n\n".join(paras), headline, variant


def _add(store: Store, name: str, entry: ParsedEntry, *, given: bool = True) -> str:
    feed = store.add_feed(f"https://{name}.example/feed").id
    store.store_entries(feed, [entry])
    aid = article_id(feed, entry.key)
    sketches: dict[str, StorySketch] = {}
    if given and entry.sketch is not None:
        sketches[aid] = entry.sketch
    group_pending(store, sketches=sketches)
    return aid


def _kept_keys(store: Store, columns: str = "COUNT(*)") -> list[tuple[object, ...]]:
    """``columns`` of the copy keys kept for articles alone: the recent ones (each batch's),
    then those merged into story_keys."""
    return [
        *store.conn.execute(f"SELECT {columns} FROM story_keys_recent").fetchall(),
        *store.conn.execute(f"SELECT {columns} FROM story_keys").fetchall(),
    ]


def _story(store: Store, aid: str) -> tuple[str, bool]:
    """(story, lead) as every reader has it: an article with no member row is its own story."""
    return store.story_ids([aid]).get(aid, (aid, True))


def test_a_near_duplicate_joins_across_batches(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "s.sqlite3")
    title, text, headline, variant = _variant(3)
    lead = _add(store, "one", _entry("a", title, text))
    copy = _add(store, "two", _entry("b", headline, variant, hours=2))
    assert _story(store, copy) == (lead, False)
    store.close()


def test_a_gone_members_kept_signature_finds_nothing(tmp_path: Path) -> None:
    """The signature of a deleted article stays in its batch's row; a near-duplicate
    arriving later must not join the story it led, nor a newer article given its number."""
    store = Store.open(tmp_path / "s.sqlite3")
    title, text, headline, variant = _variant(3)
    other_title, other_paras = wire(11)
    gone = _add(store, "gone", _entry("a", title, text))
    store.remove_feed(store.feed_by_url("https://gone.example/feed").id)
    unrelated = _add(store, "unrelated", _entry("u", other_title, "\n\n".join(other_paras), 1))
    late = _add(store, "late", _entry("b", headline, variant, hours=2))
    assert _story(store, late) == (late, True)
    assert _story(store, unrelated) == (unrelated, True)
    assert gone not in store.story_ids([gone])
    store.close()


def test_a_text_changed_after_insert_is_sketched_again(tmp_path: Path) -> None:
    """The worker's sketch is of the feed's summary; the fetched page replaced the text
    before grouping, so grouping must sketch the page's text (a copy of the wire story)."""
    store = Store.open(tmp_path / "s.sqlite3")
    title, text, headline, variant = _variant(3)
    lead = _add(store, "one", _entry("a", title, text))
    feed = store.add_feed("https://two.example/feed").id
    summary = _entry("b", headline, "A short summary.", hours=2)
    store.store_entries(feed, [summary])
    aid = article_id(feed, "b")
    store.save_full_text(aid, "<p>page</p>", variant)
    stale = sketch(summary.link, summary.guid, summary.title, summary.text)
    assert stale.signature is None
    group_pending(store, sketches={aid: stale})
    assert _story(store, aid) == (lead, False)
    store.close()


def test_a_sketch_of_another_entry_is_not_trusted(tmp_path: Path) -> None:
    """Two entries of one key in a document: the store keeps the first; a sketch of the
    other is not used for it."""
    store = Store.open(tmp_path / "s.sqlite3")
    title, text, headline, variant = _variant(3)
    lead = _add(store, "one", _entry("a", title, text))
    feed = store.add_feed("https://two.example/feed").id
    entry = _entry("b", headline, variant, hours=2)
    store.store_entries(feed, [entry])
    aid = article_id(feed, "b")
    elsewhere = _entry("b", "Another headline", "Too short to compare.", hours=2).sketch
    assert elsewhere is not None
    group_pending(store, sketches={aid: elsewhere})
    assert _story(store, aid) == (lead, False)
    store.close()


def test_the_workers_sketch_is_used_for_an_article_as_inserted(tmp_path: Path) -> None:
    """Grouping takes the parse worker's signature as it is (the text is not read again):
    a sketch of the same entry whose signature is another story's joins that story."""
    store = Store.open(tmp_path / "s.sqlite3")
    title, text, _, _ = _variant(3)
    other_title, other_paras = wire(11)
    lead = _add(store, "one", _entry("a", title, text))
    feed = store.add_feed("https://two.example/feed").id
    entry = _entry("b", other_title, "\n\n".join(other_paras), hours=2)
    store.store_entries(feed, [entry])
    aid = article_id(feed, "b")
    assert entry.sketch is not None
    forged = replace(entry.sketch, signature=text_signature(text))
    group_pending(store, sketches={aid: forged})
    assert _story(store, aid) == (lead, False)
    store.close()


def test_members_grouped_before_schema_8_keep_finding_their_copies(tmp_path: Path) -> None:
    """A library at schema 7 kept each member's signature and copy keys in its row; after
    the upgrade a near-duplicate or a copy of such an article still joins its story."""
    db = tmp_path / "v7.sqlite3"
    title, text, headline, variant = _variant(3)
    conn = sqlite3.connect(db, isolation_level=None)
    for step in MIGRATIONS[:7]:
        conn.executescript(step)
    conn.execute("PRAGMA user_version = 7")
    conn.execute(
        "INSERT INTO feeds (id, url, added_at) VALUES (1, 'https://one.example/feed', ?)",
        (WHEN.isoformat(),),
    )
    old = article_id(1, "a")
    conn.execute(
        "INSERT INTO articles (id, feed_id, key, title, date, text, content_hash, first_seen)"
        " VALUES (?, 1, 'a', ?, '2026-03-01T12:00:00Z', ?, 'h', '2026-03-01T12:00:00Z')",
        (old, title, text),
    )
    day = int(WHEN.timestamp() // 86400)
    conn.execute(
        "INSERT INTO story_members (article_id, story_id, lead, kind, url_key, day, signature)"
        " VALUES (?, ?, 1, 'lead', ?, ?, ?)",
        (old, old, canonical_url("https://a.example/story"), day, text_signature(text)),
    )
    conn.execute("DELETE FROM story_queue")
    conn.close()
    store = Store.open(db)
    near = _add(store, "two", _entry("b", headline, variant, hours=2))
    assert _story(store, near) == (old, False)
    # its URL under tracking parameters, no text: found by the key the old row keeps
    link = "https://a.example/story?utm_source=rss"
    copy = _add(store, "three", replace(_entry("c", "Copy", ""), link=link, sketch=None))
    assert _story(store, copy) == (old, False)
    store.close()


def test_an_article_alone_keeps_no_member_row(tmp_path: Path) -> None:
    """Most articles are alone in their story: they have no member row (nothing indexed
    to write but their keys), yet read as their own story until another article joins it;
    then the lead gets its row under the number its kept signature names."""
    store = Store.open(tmp_path / "s.sqlite3")
    title, text, headline, variant = _variant(3)
    lead = _add(store, "one", _entry("a", title, text))
    named = "SELECT COUNT(*) FROM story_members WHERE story_id != ''"
    assert store.conn.execute("SELECT COUNT(*) FROM story_members").fetchone()[0] == 0
    assert sum(int(str(n)) for (n,) in _kept_keys(store)) == 1
    assert _story(store, lead) == (lead, True)
    assert [m.article_id for m in store.story_members(lead)] == [lead]
    copy = _add(store, "two", _entry("b", headline, variant, hours=2))
    assert store.conn.execute(named).fetchone()[0] == 2
    assert [m.article_id for m in store.story_members(lead)] == [lead, copy]
    assert store.story_sources([lead, copy]) == {lead: 2, copy: 2}
    store.close()


def test_signatures_kept_with_full_slots_are_still_read(tmp_path: Path) -> None:
    """Kept signatures are cut to 16-bit slots; a batch's row written with the worker's
    32-bit slots (an earlier version) is read by its width and still matches."""
    store = Store.open(tmp_path / "s.sqlite3")
    title, text, headline, variant = _variant(3)
    lead = _add(store, "one", _entry("a", title, text))
    (member,) = store.conn.execute("SELECT last_member FROM story_sketches").fetchone()
    full = text_signature(text)
    assert full is not None
    with store.transaction() as conn:
        conn.execute("UPDATE story_sketches SET signatures = ?", (full,))
    assert store.conn.execute("SELECT COUNT(*) FROM story_sketches").fetchone()[0] == 1
    copy = _add(store, "two", _entry("b", headline, variant, hours=2))
    assert _story(store, copy) == (lead, False)
    assert member == 1
    assert store.conn.execute(
        "SELECT member FROM story_members WHERE article_id = ?", (lead,)
    ).fetchone() == (1,)
    store.close()


def _row_member(store: Store, aid: str) -> int | None:
    row = store.conn.execute(
        "SELECT member FROM story_members WHERE article_id = ?", (aid,)
    ).fetchone()
    return None if row is None else int(row[0])


def test_a_copy_of_an_article_alone_joins_it_and_outlives_its_feed(tmp_path: Path) -> None:
    """An article alone has no member row: a copy (its URL under tracking parameters) finds
    it by its kept key, and its lead gets its row under its kept number. Removing the
    lead's feed keeps the copy, and a third copy joins that one."""
    store = Store.open(tmp_path / "s.sqlite3")
    title, text, _, _ = _variant(3)
    lead = _add(store, "one", _entry("a", title, text))
    assert _row_member(store, lead) is None
    ((kept,),) = _kept_keys(store, "member")
    link = "https://a.example/story?utm_source=rss"
    copy = _add(store, "two", replace(_entry("c", "Copy", ""), link=link, sketch=None))
    assert _story(store, copy) == (lead, False)
    assert _story(store, lead) == (lead, True)
    assert _row_member(store, lead) == kept
    assert [m.article_id for m in store.story_members(lead)] == [lead, copy]
    store.remove_feed(store.feed_by_url("https://one.example/feed").id)
    assert _story(store, copy) == (lead, True)
    third = _add(store, "three", replace(_entry("d", "Copy", ""), link=link, sketch=None))
    assert _story(store, third) == (lead, False)
    assert [m.article_id for m in store.story_members(lead)] == [copy, third]
    store.close()


def test_an_article_alone_changed_leaves_its_old_keys_and_signature_behind(
    tmp_path: Path,
) -> None:
    """An article alone whose link and text change is grouped again (it then gets a row,
    under a new number): what was kept of it before (its old URL's key, its old text's
    signature) must no longer bring a copy or a near-duplicate to it."""
    store = Store.open(tmp_path / "s.sqlite3")
    title, text, headline, variant = _variant(3)
    _, other_paras = wire(11)
    lead = _add(store, "one", _entry("a", title, text))
    with store.transaction() as conn:
        conn.execute(
            "UPDATE articles SET link = 'https://a.example/moved', text = ? WHERE id = ?",
            ("\n\n".join(other_paras), lead),
        )
    group_pending(store)
    assert _story(store, lead) == (lead, True)
    assert _row_member(store, lead) is not None
    old_link = replace(_entry("c", "Copy", ""), sketch=None, link="https://a.example/story")
    copy = _add(store, "two", old_link)
    assert _story(store, copy) == (copy, True)
    near = _add(store, "three", _entry("b", headline, variant, hours=2))
    assert _story(store, near) == (near, True)
    moved = replace(_entry("d", "Copy", ""), sketch=None, link="https://a.example/moved")
    assert _story(store, _add(store, "four", moved)) == (lead, False)
    store.close()


def test_a_schema_10_librarys_kept_keys_still_find_copies(tmp_path: Path) -> None:
    """Schema 11 appends story_keys rows (found through a unique index on the hash) where
    schema 10 keyed the table by the hash; the upgrade carries every kept key over, so a
    copy of an article alone still finds it, and a key given again replaces the old row."""
    path = tmp_path / "s.sqlite3"
    store = Store.open(path)
    title, text, _, _ = _variant(3)
    lead = _add(store, "one", _entry("a", title, text))
    kept = _kept_keys(store, "hash, article_id, member")
    assert len(kept) == 1
    with store.transaction() as conn:  # the table as schema 10 had it
        conn.execute("DROP TABLE story_keys")
        conn.execute("DROP TABLE story_keys_recent")
        conn.execute("DROP TABLE story_queue_added")
        conn.execute(
            "CREATE TABLE story_keys (hash INTEGER PRIMARY KEY, article_id TEXT NOT NULL,"
            " member INTEGER NOT NULL)"
        )
        conn.executemany("INSERT INTO story_keys VALUES (?, ?, ?)", kept)
    store.conn.execute("PRAGMA user_version = 10")
    store.close()
    store = Store.open(path)
    assert store.conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert store.conn.execute("SELECT hash, article_id, member FROM story_keys").fetchall() == kept
    link = "https://a.example/story?utm_source=rss"
    copy = _add(store, "two", replace(_entry("c", "Copy", ""), link=link, sketch=None))
    assert _story(store, copy) == (lead, False)
    # a stale row (its article deleted) is replaced by the next article alone with that key
    store.remove_feed(store.feed_by_url("https://one.example/feed").id)
    store.remove_feed(store.feed_by_url("https://two.example/feed").id)
    again = _add(store, "three", replace(_entry("d", "Again", ""), link=link, sketch=None))
    assert _story(store, again) == (again, True)
    # the new row is a recent one; the merge replaces the stale one with it
    assert _kept_keys(store, "article_id") == [(again,), (lead,)]
    with store.story_writer() as writer:
        assert writer.merge_keys(0) == 1
    assert _kept_keys(store, "article_id") == [(again,)]
    store.close()


def _wire_entry(key: str, seed: int, hours: int = 0) -> ParsedEntry:
    title, paras = wire(seed)
    return _entry(key, title, "\n\n".join(paras), hours)


def _copy_of(key: str, name: str) -> ParsedEntry:
    """A copy of the page of ``_entry(key, ...)``: its URL under tracking parameters, no text."""
    link = f"https://{key}.example/story?utm_source=rss&fbclid=x"
    return replace(_entry(name, "Copy", ""), link=link, sketch=None)


def test_copy_keys_are_found_before_and_after_their_merge(tmp_path: Path) -> None:
    """An article alone keeps its copy key in the small table of recent keys until the
    merge moves it to story_keys: a copy finds it in either."""
    store = Store.open(tmp_path / "s.sqlite3")
    merged = _add(store, "one", _wire_entry("a", 3))
    with store.story_writer() as writer:
        assert writer.merge_keys(0) == 1
    assert store.conn.execute("SELECT COUNT(*) FROM story_keys_recent").fetchone() == (0,)
    recent = _add(store, "two", _wire_entry("b", 11))
    assert _kept_keys(store, "article_id") == [(recent,), (merged,)]
    copy = _add(store, "three", _copy_of("a", "c"))
    assert _story(store, copy) == (merged, False)
    other = _add(store, "four", _copy_of("b", "d"))
    assert _story(store, other) == (recent, False)
    assert [m.article_id for m in store.story_members(merged)] == [merged, copy]
    assert [m.article_id for m in store.story_members(recent)] == [recent, other]
    store.close()


def test_grouping_merges_the_recent_keys_once_there_are_enough(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Grouping moves the recent keys to story_keys itself, in the batch that brings them
    to ``MERGE_KEYS``; the copies of merged articles still find them."""
    monkeypatch.setattr(stories_store, "MERGE_KEYS", 3)
    store = Store.open(tmp_path / "s.sqlite3")
    alone = []
    for n, seed in enumerate((3, 11, 17)):
        alone.append(_add(store, f"f{n}", _wire_entry(f"k{n}", seed, n)))
        recent, merged = (
            store.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
            for table in ("story_keys_recent", "story_keys")
        )
        assert (recent, merged) == ((n + 1, 0) if n < 2 else (0, 3))
    for n in (0, 2):
        copy = _add(store, f"copy{n}", _copy_of(f"k{n}", f"c{n}"))
        assert _story(store, copy) == (alone[n], False)
    store.close()


def test_copy_keys_are_looked_up_only_where_some_are_kept(tmp_path: Path) -> None:
    """A batch's copy keys are looked up among member rows' keys kept as themselves (from
    before schema 9) only when some row keeps one: none does in a library grouped since."""
    store = Store.open(tmp_path / "s.sqlite3")
    lead = _add(store, "one", _wire_entry("a", 3))
    statements: list[str] = []
    store.conn.set_trace_callback(statements.append)
    copy = _add(store, "two", _copy_of("a", "c"))
    store.conn.set_trace_callback(None)
    assert _story(store, copy) == (lead, False)
    looked_up = [s for s in statements if "story_members" in s]
    assert looked_up  # the key tables are read in the same statement
    # no member row before it
    assert not any("url_hash IN" in s or "url_hash = j.value" in s for s in looked_up)
    assert not any("url_key IN" in s or "guid_key IN" in s for s in looked_up)
    third = _add(store, "three", _copy_of("a", "d"))  # the copy's row keeps its url hash
    assert _story(store, third) == (lead, False)
    store.close()


def test_a_copy_of_a_read_story_is_marked_read_by_id(tmp_path: Path) -> None:
    """A copy joining a story that was read is marked read by its id: SQLite would
    otherwise walk the index of unread articles (every one of them) for each such story."""
    store = Store.open(tmp_path / "s.sqlite3")
    lead = _add(store, "one", _wire_entry("a", 3))
    for n in range(30):  # unread articles the walk would read
        _add(store, f"other{n}", _wire_entry(f"o{n}", 20 + n))
    store.set_read([lead], True)
    copies = []
    for name in ("two", "three"):  # two copies in one batch (one alone is looked up by id)
        feed = store.add_feed(f"https://{name}.example/feed").id
        store.store_entries(feed, [_copy_of("a", name)])
        copies.append(article_id(feed, name))
    statements: list[str] = []
    store.conn.set_trace_callback(statements.append)
    group_pending(store)
    store.conn.set_trace_callback(None)
    for copy in copies:
        assert _story(store, copy) == (lead, False)
        assert store.conn.execute("SELECT read FROM articles WHERE id = ?", (copy,)).fetchone()[0]
    (marked,) = [s for s in statements if s.startswith("UPDATE articles SET read = 1")]
    plan = " ".join(str(r[-1]) for r in store.conn.execute(f"EXPLAIN QUERY PLAN {marked}"))
    assert "(id=?)" in plan and "read=" not in plan, plan
    store.close()
