"""A refresh's bookkeeping: 304 answers recorded together, every feed's state right after."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from feedmaker import Item, rss
from newsreader.index.library import Library
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

FEEDS = 10  # over the threshold where bodies go to parse workers


def _items(feed: int) -> list[Item]:
    return [Item(guid=f"f{feed}-{i}", title=f"Feed {feed} story {i}", body="x") for i in range(2)]


def _serve(httpserver: HTTPServer, path: str, body: bytes, fail: dict[str, bool]) -> None:
    def handler(request: Request) -> Response:
        if fail.get(path):
            return Response("down", status=500)
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304)
        return Response(body, headers={"ETag": '"v1"', "Content-Type": "application/rss+xml"})

    httpserver.expect_request(path).respond_with_handler(handler)


def test_every_304_is_recorded_and_clears_errors(lib: Library, httpserver: HTTPServer) -> None:
    fail: dict[str, bool] = {}
    for n in range(FEEDS):
        _serve(httpserver, f"/f{n}.xml", rss(f"Feed {n}", _items(n)), fail)
        lib.store.add_feed(httpserver.url_for(f"/f{n}.xml"))
    assert lib.refresh().new == FEEDS * 2
    fail["/f3.xml"] = True
    broken = lib.refresh([f.id for f in lib.feeds() if f.url.endswith("/f3.xml")])
    assert [r.status for r in broken.results] == ["error"]
    before = {f.id: f for f in lib.feeds()}
    assert before[broken.results[0].feed_id].last_error

    fail.clear()
    report = lib.refresh(list(before))
    assert [r.status for r in report.results] == ["not-modified"] * FEEDS
    after = {f.id: f for f in lib.feeds()}
    for fid, feed in after.items():
        assert feed.last_error is None
        assert feed.etag == '"v1"'  # validators kept
        assert feed.last_fetched is not None
        assert before[fid].last_fetched is not None
        assert feed.last_fetched >= before[fid].last_fetched
    assert lib.count_articles() == FEEDS * 2


def test_permanent_redirect_answered_304_moves_the_feed(
    lib: Library, httpserver: HTTPServer
) -> None:
    moved = {"yes": False}

    def old(request: Request) -> Response:
        if moved["yes"]:
            return Response(status=301, headers={"Location": httpserver.url_for("/new.xml")})
        return Response(rss("Feed", _items(0)), headers={"ETag": '"v1"'})

    def new(request: Request) -> Response:
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304)
        return Response(rss("Feed", _items(0)), headers={"ETag": '"v1"'})

    httpserver.expect_request("/old.xml").respond_with_handler(old)
    httpserver.expect_request("/new.xml").respond_with_handler(new)
    lib.add_feed(httpserver.url_for("/old.xml"))
    moved["yes"] = True
    report = lib.refresh()
    assert [r.status for r in report.results] == ["not-modified"]
    assert lib.feeds()[0].url == httpserver.url_for("/new.xml")


def test_bodies_in_flight_are_bounded(
    lib: Library, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Downloads wait while parsed-but-unstored bodies fill their slots (memory stays flat)."""
    import newsreader.index.feeds.fetch as fetch_module
    import newsreader.index.feeds.refresh as refresh_module
    from newsreader.index.feeds.refresh import RefreshPipeline

    monkeypatch.setattr(refresh_module, "_BODIES_PER_WORKER", 1)
    # the test is about the bound, not the escape hatch: on a loaded machine starting the
    # parse workers can take longer than the usual wait for a slot
    monkeypatch.setattr(refresh_module, "_SLOT_WAIT", 60.0)
    limit = refresh_module._body_slots()
    feeds = 24
    for n in range(feeds):
        _serve(httpserver, f"/b{n}.xml", rss(f"Feed {n}", _items(n)), {})
        lib.store.add_feed(httpserver.url_for(f"/b{n}.xml"))

    admitted = stored = 0
    most = 0
    real_fetch_all = fetch_module.fetch_all
    real_ingest = RefreshPipeline.ingest

    def fetch_all(requests, settings, on_result):  # type: ignore[no-untyped-def]
        def counted(res):  # type: ignore[no-untyped-def]
            nonlocal admitted, most
            on_result(res)  # returns once the body has a slot
            admitted += 1
            most = max(most, admitted - stored)

        return real_fetch_all(requests, settings, counted)

    def slow_ingest(self, feed_id, res, outcome=None):  # type: ignore[no-untyped-def]
        nonlocal stored
        time.sleep(0.02)  # storing slower than downloading
        out = real_ingest(self, feed_id, res, outcome)
        stored += 1
        return out

    monkeypatch.setattr(fetch_module, "fetch_all", fetch_all)
    monkeypatch.setattr(RefreshPipeline, "ingest", slow_ingest)
    report = lib.refresh()
    assert report.new == feeds * 2
    assert stored == feeds
    assert 1 <= most <= limit


def test_bodies_beyond_the_workers_room_are_parsed_by_the_storing_process(
    lib: Library, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With its worker's room taken, the refresh parses bodies itself (one worker and the
    storing process share the parsing on two cores); every article is stored either way."""
    import newsreader.index.feeds.refresh as refresh_module
    from newsreader.index.feeds.refresh import RefreshPipeline

    monkeypatch.setattr(refresh_module, "_parse_workers", lambda: 1)
    monkeypatch.setattr(refresh_module, "_QUEUED_PER_WORKER", 1)
    feeds = 16
    for n in range(feeds):
        _serve(httpserver, f"/p{n}.xml", rss(f"Feed {n}", _items(n)), {})
        lib.store.add_feed(httpserver.url_for(f"/p{n}.xml"))
    here = on_worker = 0
    real_ingest = RefreshPipeline.ingest

    def ingest(self, feed_id, res, outcome=None):  # type: ignore[no-untyped-def]
        nonlocal here, on_worker
        if res.status == "ok":
            if outcome is None:
                here += 1
            else:
                on_worker += 1
        return real_ingest(self, feed_id, res, outcome)

    monkeypatch.setattr(RefreshPipeline, "ingest", ingest)
    report = lib.refresh()
    assert report.new == feeds * 2
    assert here + on_worker == feeds
    assert here >= 1 and on_worker >= 1


def test_fetch_with_a_callback_keeps_no_bodies(httpserver: HTTPServer) -> None:
    from newsreader.index.config import Settings
    from newsreader.index.feeds.fetch import FetchRequest, fetch_all

    for n in range(5):
        httpserver.expect_request(f"/k{n}.xml").respond_with_data(rss(f"K{n}", _items(n)))
    got: list[object] = []
    reqs = [FetchRequest(n, httpserver.url_for(f"/k{n}.xml")) for n in range(5)]
    assert fetch_all(reqs, Settings(concurrency=2), got.append) == []
    assert len(got) == 5
    assert len(fetch_all(reqs, Settings(concurrency=2))) == 5  # without one, all come back


def test_feed_urls_list_the_feeds_in_feeds_order(lib: Library) -> None:
    for name in ("https://b.example/feed", "https://a.example/feed", "https://c.example/x"):
        lib.store.add_feed(name)
    lib.rename_feed(lib.feeds()[-1].id, "Aardvark Weekly")
    assert lib.store.feed_urls() == [(f.id, f.url) for f in lib.store.feeds()]
    assert lib.store.feed_urls()[0][1] == "https://c.example/x"


def test_a_refresh_with_nothing_new_leaves_the_index_unopened(
    data_dir: Path, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Opening the index reads every segment (a cost that grows with the library): a refresh
    that stored nothing new skips it, and the next search still opens, checks and catches up."""
    from newsreader.index.config import Settings
    from newsreader.index.search.index import SearchIndex

    settings = Settings(timeout=10, connect_timeout=5)
    for n in range(2):
        _serve(httpserver, f"/f{n}.xml", rss(f"Feed {n}", _items(n)), {})
    with Library.open(data_dir, settings=settings) as first:
        for n in range(2):
            first.store.add_feed(httpserver.url_for(f"/f{n}.xml"))
        assert first.refresh().indexed == 4
    opened: list[object] = []
    real_open = SearchIndex.open.__func__  # type: ignore[attr-defined]

    def counted(cls: type[SearchIndex], path: object) -> SearchIndex:
        opened.append(path)
        return real_open(cls, path)  # type: ignore[no-any-return]

    monkeypatch.setattr(SearchIndex, "open", classmethod(counted))
    with Library.open(data_dir, settings=settings) as lib:
        report = lib.refresh()
        assert [r.status for r in report.results] == ["not-modified"] * 2
        assert opened == []
        # something pending (a feed renamed: its articles are written again): it is opened
        lib.store.rename_feed(lib.feeds()[0].id, "Renamed")
        assert lib.refresh().indexed == 2
        assert len(opened) == 1
    # the index gone meanwhile: a refresh with nothing new does not notice, the search does
    import shutil

    shutil.rmtree(data_dir / "index")
    with Library.open(data_dir, settings=settings) as lib:
        lib.refresh()
        assert lib.search("story").total == 4
