"""`newsreader show`: a structured article as plain text, its links numbered, and --json."""

from __future__ import annotations

import json
from pathlib import Path

from pytest_httpserver import HTTPServer

FIXTURE = Path(__file__).parents[1] / "fixtures" / "reading" / "structured.rss"


def _add(cli, httpserver: HTTPServer) -> list[dict]:  # type: ignore[no-untyped-def]
    httpserver.expect_request("/feed.xml").respond_with_data(
        FIXTURE.read_bytes(), content_type="application/rss+xml"
    )
    assert cli("add", httpserver.url_for("/feed.xml")).code == 0
    return json.loads(cli("search", "--sort", "date", "--json").out)["results"]


def test_show_prints_blocks_and_the_links_at_the_end(cli, httpserver: HTTPServer) -> None:  # type: ignore[no-untyped-def]
    hits = _add(cli, httpserver)
    post = next(h for h in hits if h["title"].startswith("Building"))
    res = cli("show", post["id"][:10])
    assert res.code == 0
    out = res.out
    assert "\n    $ make\n    $ make test\n    $ make install\n" in out
    assert "• Python 3.11 or newer" in out and "1. Fetch the sources" in out
    assert "│ Make it work" in out and "E = mc²" in out and "[image: Build time per commit]" in out
    assert out.rstrip().endswith(
        "Links:\n[1] https://workbench.example/docs/build\n[2] https://workbench.example/contact"
    )
    data = json.loads(cli("show", post["id"], "--json").out)
    assert data["links"] == [
        {"number": 1, "url": "https://workbench.example/docs/build"},
        {"number": 2, "url": "https://workbench.example/contact"},
    ]
    assert "[1]" in data["text"] and "Links:" not in data["text"]


def test_search_snippets_come_from_the_laid_out_text(cli, httpserver: HTTPServer) -> None:  # type: ignore[no-untyped-def]
    _add(cli, httpserver)
    res = json.loads(cli("search", "compiler", "--json").out)
    hit = res["results"][0]
    assert "compiler" in hit["snippet"].lower()
    s, e = hit["highlights"][0]
    assert hit["snippet"][s:e].lower() == "compiler"
