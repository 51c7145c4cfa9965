"""Pure parts of the article list: paging rows and short feed names."""

from __future__ import annotations

from app_store import build
from newsreader.index.library import Library
from newsreader.tui.sources import ListRow, ListSource, PagedRows, rows_of, short_feed_names


def test_short_feed_names_drop_a_shared_prefix_up_to_a_separator() -> None:
    assert short_feed_names({1: "Demo: Culture", 2: "Demo: World", 3: "Demo: Science"}) == {
        1: "Culture",
        2: "World",
        3: "Science",
    }
    # no separator in the shared part: titles stay whole
    assert short_feed_names({1: "Harbour Times", 2: "Harbour Tribune"}) == {
        1: "Harbour Times",
        2: "Harbour Tribune",
    }
    # a feed that would lose its whole name keeps every title whole
    assert short_feed_names({1: "Demo: ", 2: "Demo: World"}) == {1: "Demo:", 2: "Demo: World"}
    assert short_feed_names({1: "Only: One"}) == {1: "Only: One"}
    assert short_feed_names({}) == {}


def test_paged_rows_fetch_one_page_at_a_time_and_keep_a_bounded_number() -> None:
    asked: list[tuple[int, int]] = []

    def fetch(offset: int, limit: int) -> list[ListRow]:
        asked.append((offset, limit))
        return [
            ListRow(str(i), 1, "f", f"t{i}", None, False, False)
            for i in range(offset, min(offset + limit, 10_000))
        ]

    rows = PagedRows(10_000, fetch, page_size=50)
    assert rows.get(0) is not None and rows.get(49) is not None
    assert asked == [(0, 50)]
    last = rows.get(9_999)
    assert last is not None and last.id == "9999"
    assert asked == [(0, 50), (9_950, 50)]
    assert rows.get(10_000) is None and rows.get(-1) is None
    for i in range(0, 10_000, 50):
        rows.get(i)
    assert len(rows.pages) <= 64
    rows.update("9999", read=True)
    got = rows.get(9_999)
    assert got is not None and got.read


def test_store_rows_read_the_far_half_from_its_own_end_in_the_same_order(lib: Library) -> None:
    build(lib)
    newest_first = [r.id for r in lib.list_articles(limit=1000)]
    lib.mark_read(newest_first[5])
    for n in (3, 150, 7):
        lib.bookmark(newest_first[n])
    cases = [("all", None), ("unread", None), ("bookmarks", None), ("all", 2)]
    for view, feed_id in cases:
        source = ListSource.of_view(view) if feed_id is None else ListSource.of_feed(feed_id, "f")
        rows = rows_of(lib, source)
        rows.pages.clear()
        rows.page_size = 7  # small pages: both halves and a short last page are read
        expected = [r.id for r in lib.list_articles(view, feed_id, limit=1000)]
        assert rows.total == len(expected) >= 3
        assert [rows.get(i).id for i in range(rows.total)] == expected  # type: ignore[union-attr]
        assert rows.get(rows.total) is None
