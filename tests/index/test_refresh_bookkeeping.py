"""A refresh's bookkeeping: 304 answers recorded together, every feed's state right after."""

from __future__ import annotations

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
