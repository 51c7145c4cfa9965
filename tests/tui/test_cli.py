"""The `newsreader` command: interface, exit codes, JSON shapes, the new-user walk-through."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from feedmaker import Item, rss
from pytest_httpserver import HTTPServer

STORIES = [
    Item(
        guid="s1",
        title="Lighthouse keepers return to Skerry Point",
        body="<p>The Coastal Trust hired two keepers for the lighthouse.</p>",
        link="https://example.org/lighthouse",
        author="Ines Ferreira",
        tags=("coast",),
    ),
    Item(
        guid="s2",
        title="Orchard harvest starts early",
        body="<p>Apples ripened three weeks early.</p>",
    ),
]


def test_version_and_help(cli) -> None:  # type: ignore[no-untyped-def]
    res = cli("--version")
    assert res.code == 0 and "newsreader 0.1.0" in res.out
    res = cli("search", "--help")
    assert res.code == 0 and "person:" in res.out and "published:" in res.out


def test_usage_error_exits_2(cli) -> None:  # type: ignore[no-untyped-def]
    res = cli("search", "--limit", "zero")
    assert res.code == 2
    assert "error" in res.err


def test_failure_is_one_line_exit_1(cli) -> None:  # type: ignore[no-untyped-def]
    res = cli("show", "deadbeefdeadbeef")
    assert res.code == 1
    assert res.err.strip().count("\n") == 0
    assert "no article" in res.err
    assert "Traceback" not in res.err


def test_add_refresh_search_show_bookmark_json(cli, httpserver: HTTPServer) -> None:  # type: ignore[no-untyped-def]
    httpserver.expect_request("/coast.xml").respond_with_data(
        rss("Coast Weekly", STORIES), content_type="application/rss+xml"
    )
    url = httpserver.url_for("/coast.xml")
    assert cli("add", url, "--title", "Coast").code == 0
    feeds = json.loads(cli("feeds", "--json").out)
    assert [(f["title"], f["articles"], f["unread"]) for f in feeds] == [("Coast", 2, 2)]
    assert cli("refresh").code == 0

    doc = json.loads(cli("search", "lighthouse keepers", "--json").out)
    assert doc["total"] == 1
    hit = doc["results"][0]
    for key in ("id", "title", "feed", "link", "published", "score", "snippet", "bookmarked"):
        assert key in hit
    assert hit["title"].startswith("Lighthouse") and hit["feed"] == "Coast"
    assert hit["link"] == "https://example.org/lighthouse" and hit["bookmarked"] is False

    shown = json.loads(cli("show", hit["id"], "--json").out)
    assert shown["author"] == "Ines Ferreira" and shown["tags"] == ["coast"]
    assert shown["language"] == "en"  # detected: the feed declares none
    assert "Coastal Trust" in cli("show", hit["id"][:8]).out

    assert cli("bookmark", hit["id"]).code == 0
    marks = json.loads(cli("bookmarks", "--json").out)
    assert [m["id"] for m in marks] == [hit["id"]] and marks[0]["bookmarked_at"]
    assert json.loads(cli("search", "lighthouse", "--json").out)["results"][0]["bookmarked"] is True
    assert cli("unbookmark", hit["id"]).code == 0
    assert json.loads(cli("bookmarks", "--json").out) == []


def test_opml_round_trip(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    opml = tmp_path / "subs.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><head><title>x</title></head><body>'
        '<outline text="Tech"><outline text="One &amp; Two" type="rss" xmlUrl="https://one.example/feed"/></outline>'
        '<outline text="Three" type="rss" xmlUrl="https://three.example/rss"/>'
        "</body></opml>"
    )
    res = cli("import", str(opml))
    assert res.code == 0 and "imported 2" in res.out
    assert (
        "0 feed(s)" in cli("import", str(opml)).out or "2 already" in cli("import", str(opml)).out
    )
    out = tmp_path / "out.opml"
    assert cli("export", str(out)).code == 0
    import listparser

    parsed = listparser.parse(out.read_bytes())
    assert sorted((f.url, f.title) for f in parsed.feeds) == [
        ("https://one.example/feed", "One & Two"),
        ("https://three.example/rss", "Three"),
    ]


def test_remove_feed_and_saved_searches(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    feed = tmp_path / "f.xml"
    feed.write_bytes(rss("Local", STORIES))
    assert cli("add", str(feed)).code == 0
    assert cli("save-search", "apples", "orchard", "OR", "apple").code == 0
    listed = json.loads(cli("searches", "--json").out)
    assert listed == [{"name": "apples", "query": "orchard OR apple", "unread": 1}]
    assert cli("delete-search", "apples").code == 0
    assert cli("delete-search", "apples").code == 1
    assert cli("remove", "Local").code == 0
    assert json.loads(cli("feeds", "--json").out) == []
    assert json.loads(cli("search", "orchard", "--json").out)["total"] == 0


def test_new_user_walk_through_with_real_command(tmp_path: Path, httpserver: HTTPServer) -> None:
    """Issue 3's 'done when': subscribe, refresh, search, bookmark, lose the index, still fine."""
    httpserver.expect_request("/coast.xml").respond_with_data(
        rss("Coast Weekly", STORIES), content_type="application/rss+xml"
    )
    exe = shutil.which("newsreader", path=str(Path(sys.executable).parent)) or "newsreader"
    env = {**os.environ, "NEWSREADER_HOME": str(tmp_path / "home")}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([exe, *args], capture_output=True, text=True, env=env, timeout=120)

    assert run("add", httpserver.url_for("/coast.xml")).returncode == 0
    assert run("refresh").returncode == 0
    found = json.loads(run("search", "lighthouse", "--json").stdout)
    article = found["results"][0]["id"]
    assert run("bookmark", article).returncode == 0
    shutil.rmtree(tmp_path / "home" / "index")
    marks = run("bookmarks", "--json")
    assert marks.returncode == 0 and json.loads(marks.stdout)[0]["id"] == article
    again = run("search", "lighthouse", "--json")
    assert json.loads(again.stdout)["results"][0]["id"] == article
    assert "Traceback" not in again.stderr
