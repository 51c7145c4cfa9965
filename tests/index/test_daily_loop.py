"""The daily loop's core (issue 16): mark read with undo, folders and tags, filters, hidden
articles, feed details, the feed's own order for undated entries, search history."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from feedmaker import Item, rss
from newsreader.index.errors import NewsreaderError, NotFoundError
from newsreader.index.library import Library


def _feed_file(tmp_path: Path, name: str, title: str, items: list[Item]) -> str:
    path = tmp_path / f"{name}.xml"
    path.write_bytes(rss(title, items))
    return str(path)


_WORDS = ("zero", "one", "two", "three", "four", "five")


def _items(prefix: str, n: int, *, day: int = 1, tags: tuple[str, ...] = ()) -> list[Item]:
    return [
        Item(
            guid=f"{prefix}-{i}",
            title=f"{prefix} story {_WORDS[i]}",
            body=f"<p>{prefix} body {i} about the harbour.</p>",
            published=datetime(2026, 3, day, 12, i, tzinfo=UTC),
            tags=tags,
        )
        for i in range(n)
    ]


@pytest.fixture
def two_feeds(lib: Library, tmp_path: Path) -> tuple[int, int]:
    a, _ = lib.add_feed(_feed_file(tmp_path, "a", "Alpha", _items("alpha", 3, day=1)))
    b, _ = lib.add_feed(_feed_file(tmp_path, "b", "Beta", _items("beta", 2, day=5)))
    return a.id, b.id


def test_mark_a_feed_read_and_undo(lib: Library, two_feeds: tuple[int, int]) -> None:
    alpha, beta = two_feeds
    lib.mark_read(lib.list_articles(feed_id=alpha)[0].id)  # one already read
    result = lib.mark_all(feed=alpha)
    assert result.read is True and result.changed == 2
    assert lib.count_articles("unread", alpha) == 0
    assert lib.count_articles("unread", beta) == 2
    assert lib.undo_mark(result) == 2
    # undo puts back exactly what changed: the article read before stays read
    assert lib.count_articles("unread", alpha) == 2


def test_mark_all_before_a_date_and_mark_unread(lib: Library, two_feeds: tuple[int, int]) -> None:
    result = lib.mark_all(before=datetime(2026, 3, 3, tzinfo=UTC))
    assert result.changed == 3  # alpha's three (1 March), not beta's (5 March)
    assert lib.count_articles("unread") == 2
    back = lib.mark_all(read=False, feed="Alpha")
    assert back.read is False and set(back.ids) == set(result.ids)
    assert lib.count_articles("unread") == 5


def test_mark_search_results_read(lib: Library, two_feeds: tuple[int, int]) -> None:
    result = lib.mark_all(query="beta")
    assert result.changed == 2
    assert {lib.article(i).feed_id for i in result.ids} == {two_feeds[1]}


def test_folders_tags_and_rename(lib: Library, two_feeds: tuple[int, int]) -> None:
    alpha, beta = two_feeds
    lib.update_feed(alpha, folder=" News / Deutsch ", tags=["Tech", "tech", "Politik"])
    moved = lib.update_feed("Beta", folder="News", title="Beta Daily")
    assert moved.folder == "News" and moved.title == "Beta Daily"
    details = lib.feed_details(alpha)
    assert details.folder == "News/Deutsch" and details.tags == ("Tech", "Politik")
    folders = lib.folders()
    assert [f.path for f in folders] == ["News", "News/Deutsch"]
    assert folders[0].unread_count == 5 and folders[1].unread_count == 3
    assert folders[1].name == "Deutsch" and folders[1].parent == "News"
    assert lib.count_articles(folder="News") == 5
    assert lib.count_articles(folder="news/deutsch") == 3
    assert lib.mark_all(folder="News/Deutsch").changed == 3
    # back to the top, and back to the feed's own title
    top = lib.update_feed(beta, folder="", title="")
    assert top.folder is None and top.title == "Beta"


def test_feed_tags_reach_the_index_document(lib: Library, two_feeds: tuple[int, int]) -> None:
    alpha, _ = two_feeds
    lib.update_feed(alpha, folder="News", tags=["Tech"])
    aid = lib.list_articles(feed_id=alpha)[0].id
    (doc,) = list(lib.store.index_docs([aid]))
    assert doc.folder == "News" and "Tech" in doc.tags and doc.hidden is False


def test_same_titles_are_told_apart(lib: Library, tmp_path: Path) -> None:
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    lib.add_feed(_feed_file(tmp_path / "one", "news", "Newsroom", _items("one", 1)))
    lib.add_feed(_feed_file(tmp_path / "two", "wire", "Newsroom", _items("two", 1)))
    lib.add_feed(_feed_file(tmp_path, "solo", "Solo", _items("solo", 1)))
    names = {f.display_name for f in lib.feeds()}
    assert names == {"Newsroom (news.xml)", "Newsroom (wire.xml)", "Solo"}
    assert lib.find_feed("newsroom (wire.xml)").url.endswith("/two/wire.xml")


def test_filters_hide_tag_and_bookmark(lib: Library, two_feeds: tuple[int, int]) -> None:
    lib.add_filter("no beta", "beta", "hide")
    lib.add_filter("tag alpha", "title:alpha", "tag:Harbour")
    lib.add_filter("keep 2", '"alpha story two"', "bookmark")
    with pytest.raises(NewsreaderError, match="unknown filter action"):
        lib.add_filter("bad", "x", "explode")
    runs = {r.name: r for r in lib.apply_filters()}
    assert runs["no beta"].matched == 2 and runs["no beta"].changed == 2
    assert runs["tag alpha"].changed == 3
    assert runs["keep 2"].changed == 1
    assert lib.count_articles() == 3  # hidden ones are in no list ...
    assert lib.count_articles("hidden") == 2  # ... but kept
    assert [h.title for h in lib.search("beta").hits] == []
    assert len(lib.search("beta is:hidden").hits) == 2
    assert lib.search("tag:harbour").total == 3
    assert len(lib.bookmarks()) == 1
    again = {r.name: r.changed for r in lib.apply_filters()}
    assert again == {"no beta": 0, "tag alpha": 0, "keep 2": 0}  # nothing left to change
    lib.delete_filter("keep 2")
    with pytest.raises(NotFoundError):
        lib.delete_filter("keep 2")
    assert [f.name for f in lib.filters()] == ["no beta", "tag alpha"]


def test_filters_run_on_new_articles_at_refresh(lib: Library, tmp_path: Path) -> None:
    path = tmp_path / "feed.xml"
    path.write_bytes(rss("Port", _items("old", 2)))
    feed, _ = lib.add_feed(str(path))
    lib.add_filter("mute strikes", "strike", "mark-read")
    path.write_bytes(
        rss(
            "Port",
            [
                *_items("old", 2),
                Item(guid="new-1", title="Dock strike again", body="<p>strike</p>"),
                Item(guid="new-2", title="Calm day", body="<p>calm</p>"),
            ],
        )
    )
    report = lib.refresh([feed.id])
    assert report.new == 2
    assert [(r.name, r.matched, r.changed) for r in report.filtered] == [("mute strikes", 1, 1)]
    unread = {r.title for r in lib.list_articles("unread")}
    assert "Dock strike again" not in unread and "Calm day" in unread


def test_undated_entries_keep_the_feed_order(lib: Library, tmp_path: Path) -> None:
    titles = [f"Undated {n}" for n in range(6)]
    items = [Item(guid=t, title=t, body="<p>x</p>", published=None) for t in titles]
    feed, _ = lib.add_feed(_feed_file(tmp_path, "rdf", "No dates", items))
    assert [r.title for r in lib.list_articles(feed_id=feed.id)] == titles
    page = lib.list_articles(feed_id=feed.id, reverse=True, limit=2)
    assert [r.title for r in page] == titles[::-1][:2]


def test_feed_details_after_a_failure(lib: Library, tmp_path: Path) -> None:
    path = tmp_path / "gone.xml"
    path.write_bytes(rss("Soon gone", _items("g", 1)))
    feed, _ = lib.add_feed(str(path))
    ok = lib.feed_details(feed.id)
    assert ok.status() == "ok" and ok.last_success is not None and ok.article_count == 1
    path.unlink()
    lib.refresh([feed.id])
    failed = lib.feed_details(feed.id)
    assert failed.status() == "error" and failed.error_count == 1
    assert failed.last_error and "no such file" in failed.last_error
    assert failed.last_success == ok.last_success


def test_remove_feed_by_id_never_by_title(lib: Library, tmp_path: Path) -> None:
    lib.add_feed(_feed_file(tmp_path, "n", "12", _items("n", 1)))  # a feed titled "12"
    other, _ = lib.add_feed(_feed_file(tmp_path, "o", "Other", _items("o", 1)))
    removed, _ = lib.remove_feed(other.id)
    assert removed.id == other.id
    with pytest.raises(NotFoundError):
        lib.remove_feed(other.id)
    assert [f.title for f in lib.feeds()] == ["12"]


def test_search_history_is_kept_newest_first(lib: Library, data_dir: Path) -> None:
    for q in ("okafor", "port strike", "okafor", "  "):
        lib.remember_search(q)
    assert lib.search_history() == ["okafor", "port strike"]
    lib.close()
    with Library.open(data_dir) as again:
        assert again.search_history(limit=1) == ["okafor"]
