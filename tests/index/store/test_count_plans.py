"""The sidebar's counts at start-up must not read every article (a million is ~6 GB)."""

from __future__ import annotations

from newsreader.index.store import Store


def plans(store: Store, view: str) -> list[str]:
    where, params = store._view_where(view, None, None, collapse=False)
    sqls = [
        f"SELECT COUNT(*) FROM articles a{where}",
        f"SELECT COUNT(*) FROM articles a{where}"
        " AND a.id IN (SELECT article_id FROM story_members WHERE lead = 0)",
    ]
    return [
        " ".join(str(r[-1]) for r in store.conn.execute(f"EXPLAIN QUERY PLAN {sql}", params))
        for sql in sqls
    ]


def test_the_view_counts_read_an_index_not_the_table() -> None:
    store = Store.memory()
    for view in ("all", "unread", "bookmarks"):
        for plan in plans(store, view):
            assert "INDEX" in plan, (view, plan)
            assert "SCAN a " not in plan.replace("SCAN a USING COVERING INDEX", ""), (view, plan)


def test_the_feed_counts_read_an_index_not_the_table() -> None:
    """Store.feeds counts each feed's articles, unread and hidden: from an index alone
    (without migration 14 SQLite looked up every article's row: minutes at a million)."""
    store = Store.memory()
    sql = (
        "SELECT f.id, COALESCE(SUM(a.hidden = 0), 0), COALESCE(SUM(a.read = 0 AND a.hidden = 0), 0),"
        " COALESCE(SUM(a.hidden), 0) FROM feeds f LEFT JOIN articles a ON a.feed_id = f.id"
        " GROUP BY f.id"
    )
    plan = " ".join(str(r[-1]) for r in store.conn.execute(f"EXPLAIN QUERY PLAN {sql}"))
    assert "COVERING INDEX articles_feed_counts" in plan, plan
