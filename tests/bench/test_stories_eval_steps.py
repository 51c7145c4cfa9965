"""The stories bench times the store step and grouping as a refresh makes them."""

from __future__ import annotations

from datetime import UTC, datetime

from newsreader.index.store import Store, article_id

from bench.stories_eval import _entry, _kept_sketches, _sketched, _store_step


def test_the_store_step_records_the_fetch_and_grouping_keeps_the_sketches() -> None:
    """The store step is ``store_entries`` and ``record_fetch`` for each feed (as
    ``RefreshPipeline.ingest``); the sketches grouping gets are kept as the refresh keeps
    them, for the new articles only, and that work is grouping's."""
    store = Store.memory()
    feed = store.add_feed("https://one.example/feed").id
    when = datetime(2026, 3, 1, tzinfo=UTC)
    entries = _sketched(
        [
            _entry(f"k{n}", f"t{n}", "some words " * 20, f"https://one.example/{n}", when)
            for n in range(3)
        ]
    )
    store.store_entries(feed, entries[:1])  # k0 stored before: not new
    new_ids = _store_step(store, [(feed, entries)])
    assert [sorted(ids) for ids in new_ids] == [sorted(article_id(feed, k) for k in ("k1", "k2"))]
    fetched = store.conn.execute("SELECT last_fetched, etag FROM feeds WHERE id = ?", (feed,))
    last, etag = fetched.fetchone()
    assert last is not None and etag == '"bench"'
    kept = _kept_sketches(store, [(feed, entries)], new_ids)
    assert set(kept) == set(new_ids[0])
    assert kept[article_id(feed, "k1")] == entries[1].sketch
    store.close()
