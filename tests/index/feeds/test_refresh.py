"""Fetching and storing: conditional GET, identity, updates, redirects, dead feeds."""

from __future__ import annotations

from pathlib import Path

from feedmaker import Item, atom, rss
from newsreader.index.library import Library
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response


def serve_with_etag(
    httpserver: HTTPServer, path: str, body: bytes, etag: str = '"v1"'
) -> list[str]:
    """Serve body with an ETag; answer 304 when the client already has it. Returns the log."""
    log: list[str] = []

    def handler(request: Request) -> Response:
        if request.headers.get("If-None-Match") == etag:
            log.append("304")
            return Response(status=304)
        log.append("200")
        return Response(body, headers={"ETag": etag, "Content-Type": "application/rss+xml"})

    httpserver.expect_request(path).respond_with_handler(handler)
    return log


def items(n: int, prefix: str = "Story") -> list[Item]:
    return [
        Item(
            guid=f"g{i}",
            title=f"{prefix} {i} about harbours",
            body=f"<p>Body {i} of the {prefix}.</p>",
        )
        for i in range(n)
    ]


def test_first_fetch_then_304_does_no_work(lib: Library, httpserver: HTTPServer) -> None:
    log = serve_with_etag(httpserver, "/feed.xml", rss("Harbour News", items(3)))
    feed, result = lib.add_feed(httpserver.url_for("/feed.xml"))
    assert result is not None and result.new == 3
    assert feed.title == "Harbour News"
    report = lib.refresh()
    assert [r.status for r in report.results] == ["not-modified"]
    assert report.new == 0 and report.updated == 0
    assert log == ["200", "304"]
    assert lib.count_articles() == 3


def test_same_feed_twice_never_duplicates(lib: Library, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/f.xml").respond_with_data(
        rss("Plain", items(4)), content_type="text/xml"
    )
    lib.add_feed(httpserver.url_for("/f.xml"))
    lib.refresh()
    lib.refresh()
    assert lib.count_articles() == 4


def test_changed_entry_updates_article_and_index(lib: Library, httpserver: HTTPServer) -> None:
    first = [Item(guid="a", title="Ferry strike begins", body="<p>Crews walked out.</p>")]
    second = [Item(guid="a", title="Ferry strike ends", body="<p>Crews returned to the quays.</p>")]
    bodies = [rss("Ports", first), rss("Ports", second)]

    def handler(request: Request) -> Response:
        return Response(
            bodies[0] if len(bodies) == 2 else bodies[-1], content_type="application/rss+xml"
        )

    httpserver.expect_request("/p.xml").respond_with_handler(handler)
    lib.add_feed(httpserver.url_for("/p.xml"))
    aid = lib.list_articles()[0].id
    lib.bookmark(aid)
    bodies.pop(0)
    report = lib.refresh()
    assert report.updated == 1 and report.new == 0
    art = lib.article(aid)
    assert art.title == "Ferry strike ends"
    assert art.bookmarked, "an update must not lose the bookmark"
    assert [h.id for h in lib.search("quays").hits] == [aid]
    assert lib.search("walked").total == 0


def test_permanent_redirect_updates_stored_url(lib: Library, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/old.xml").respond_with_data(
        "", status=301, headers={"Location": httpserver.url_for("/new.xml")}
    )
    httpserver.expect_request("/new.xml").respond_with_data(
        rss("Moved", items(2)), content_type="text/xml"
    )
    feed, _ = lib.add_feed(httpserver.url_for("/old.xml"))
    assert feed.url == httpserver.url_for("/new.xml")


def test_permanent_redirect_on_refresh_updates_url(lib: Library, httpserver: HTTPServer) -> None:
    moved = {"yes": False}

    def old(request: Request) -> Response:
        if moved["yes"]:
            return Response(status=308, headers={"Location": httpserver.url_for("/new.xml")})
        return Response(rss("Feed", items(1)), content_type="text/xml")

    httpserver.expect_request("/old.xml").respond_with_handler(old)
    httpserver.expect_request("/new.xml").respond_with_data(
        rss("Feed", items(2)), content_type="text/xml"
    )
    lib.add_feed(httpserver.url_for("/old.xml"))
    moved["yes"] = True
    lib.refresh()
    assert lib.feeds()[0].url == httpserver.url_for("/new.xml")
    assert lib.count_articles() == 2


def test_temporary_redirect_keeps_url(lib: Library, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/a.xml").respond_with_data(
        "", status=302, headers={"Location": httpserver.url_for("/b.xml")}
    )
    httpserver.expect_request("/b.xml").respond_with_data(
        rss("Temp", items(1)), content_type="text/xml"
    )
    feed, _ = lib.add_feed(httpserver.url_for("/a.xml"))
    assert feed.url == httpserver.url_for("/a.xml")


def test_dead_feed_recorded_while_others_succeed(lib: Library, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/good.xml").respond_with_data(
        rss("Good", items(2)), content_type="text/xml"
    )
    httpserver.expect_request("/gone.xml").respond_with_data("nope", status=404)
    lib.add_feed(httpserver.url_for("/good.xml"), fetch=False)
    lib.add_feed(httpserver.url_for("/gone.xml"), fetch=False)
    lib.add_feed("http://127.0.0.1:9/refused.xml", fetch=False)
    report = lib.refresh()
    by_url = {r.url: r for r in report.results}
    assert by_url[httpserver.url_for("/good.xml")].new == 2
    assert "404" in (by_url[httpserver.url_for("/gone.xml")].error or "")
    assert by_url["http://127.0.0.1:9/refused.xml"].status == "error"
    feeds = {f.url: f for f in lib.feeds()}
    assert "404" in (feeds[httpserver.url_for("/gone.xml")].last_error or "")
    assert feeds[httpserver.url_for("/good.xml")].last_error is None


def test_html_page_autodiscovers_feed(lib: Library, httpserver: HTTPServer) -> None:
    page = (
        '<html><head><title>Site</title><link rel="alternate" type="application/atom+xml"'
        ' href="/atom.xml"></head><body>hello</body></html>'
    )
    httpserver.expect_request("/").respond_with_data(page, content_type="text/html")
    httpserver.expect_request("/atom.xml").respond_with_data(
        atom("Atom Site", items(2)), content_type="application/atom+xml"
    )
    feed, result = lib.add_feed(httpserver.url_for("/"))
    assert feed.url == httpserver.url_for("/atom.xml")
    assert result is not None and result.new == 2
    assert any("links to" in n for n in lib.notices)


def test_local_file_feed_and_mtime_conditional(lib: Library, tmp_path: Path) -> None:
    path = tmp_path / "local.xml"
    path.write_bytes(rss("Local", items(2)))
    lib.add_feed(str(path))
    assert lib.count_articles() == 2
    assert lib.refresh().results[0].status == "not-modified"


def test_identity_falls_back_to_link_then_hash(lib: Library, tmp_path: Path) -> None:
    feed_items = [
        Item(guid=None, title="Linked", body="x", link="https://example.org/a"),
        Item(guid=None, title="Bare one", body="y"),
        Item(guid=None, title="Bare two", body="z"),
    ]
    path = tmp_path / "noids.xml"
    path.write_bytes(rss("No ids", feed_items))
    lib.add_feed(str(path))
    path.write_bytes(rss("No ids", feed_items) + b"\n")  # new mtime and size: fetched again
    lib.refresh()
    assert lib.count_articles() == 3
