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
