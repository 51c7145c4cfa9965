"""The HTTP side of fetching: headers, compression, size cap, concurrency limit."""

from __future__ import annotations

import gzip
import threading
import time

from feedmaker import Item, rss
from newsreader.index import __version__
from newsreader.index.config import Settings
from newsreader.index.feeds.fetch import FetchRequest, fetch_all
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

BODY = rss("Tiny", [Item(guid="1", title="One", body="x")])


def test_user_agent_and_gzip(httpserver: HTTPServer) -> None:
    seen: dict[str, str] = {}

    def handler(request: Request) -> Response:
        seen["ua"] = request.headers.get("User-Agent", "")
        seen["ae"] = request.headers.get("Accept-Encoding", "")
        return Response(
            gzip.compress(BODY), headers={"Content-Encoding": "gzip", "Content-Type": "text/xml"}
        )

    httpserver.expect_request("/f").respond_with_handler(handler)
    [res] = fetch_all([FetchRequest(1, httpserver.url_for("/f"))], Settings())
    assert res.status == "ok" and res.body == BODY
    assert f"newsreader/{__version__}" in seen["ua"]
    assert "gzip" in seen["ae"]


def test_body_over_cap_is_refused(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/big").respond_with_data(b"x" * 300_000, content_type="text/xml")
    [res] = fetch_all(
        [FetchRequest(1, httpserver.url_for("/big"))], Settings(max_body_bytes=100_000)
    )
    assert res.status == "error" and "limit" in (res.error or "")


def test_no_more_than_concurrency_requests_at_once() -> None:
    httpserver = HTTPServer(threaded=True)
    httpserver.start()
    lock = threading.Lock()
    state = {"now": 0, "peak": 0}

    def handler(request: Request) -> Response:
        with lock:
            state["now"] += 1
            state["peak"] = max(state["peak"], state["now"])
        time.sleep(0.05)
        with lock:
            state["now"] -= 1
        return Response(BODY, content_type="text/xml")

    httpserver.expect_request("/slow").respond_with_handler(handler)
    reqs = [FetchRequest(i, httpserver.url_for("/slow") + f"?n={i}") for i in range(12)]
    try:
        results = fetch_all(reqs, Settings(concurrency=3))
    finally:
        httpserver.stop()
    assert all(r.status == "ok" for r in results)
    assert len(results) == 12
    assert 1 < state["peak"] <= 3
