"""The daily-loop commands: mark-read/mark-unread, feed, folders, filter, and the import,
export-bookmarks and feeds --json changes of issue 16."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from feedmaker import Item, rss

OPML = """<?xml version="1.0"?><opml version="2.0"><head><title>t</title></head><body>
<outline text="News"><outline text="Deutsch">
  <outline text="Hafen" xmlUrl="{hafen}" category="Tech,Shipping"/>
</outline></outline>
<outline text="Wire" xmlUrl="{wire}"/>
</body></opml>"""


def _feeds(tmp_path: Path) -> tuple[Path, Path]:
    hafen = tmp_path / "hafen.xml"
    hafen.write_bytes(
        rss(
            "Hafen",
            [
                Item(
                    guid=f"h{i}",
                    title=f"Hafen {w}",
                    body="<p>harbour strike</p>" if i == 0 else "<p>calm harbour</p>",
                    published=datetime(2026, 3, 1 + i, tzinfo=UTC),
                )
                for i, w in enumerate(("eins", "zwei", "drei"))
            ],
        )
    )
    wire = tmp_path / "wire.xml"
    wire.write_bytes(rss("Wire", [Item(guid="w", title="Wire story", body="<p>wire</p>")]))
    return hafen, wire


def _setup(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    hafen, wire = _feeds(tmp_path)
    opml = tmp_path / "subs.opml"
    opml.write_text(OPML.format(hafen=hafen.as_uri(), wire=wire.as_uri()))
    assert cli("import", str(opml)).code == 0
    assert cli("refresh").code == 0


def test_feeds_json_has_folder_tags_and_details(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _setup(cli, tmp_path)
    feeds = {f["title"]: f for f in json.loads(cli("feeds", "--json").out)}
    assert feeds["Hafen"]["folder"] == "News/Deutsch"
    assert feeds["Hafen"]["tags"] == ["Tech", "Shipping"]
    assert feeds["Wire"]["folder"] is None and feeds["Wire"]["tags"] == []
    assert feeds["Hafen"]["status"] == "ok" and feeds["Hafen"]["last_success"]
    folders = json.loads(cli("folders", "--json").out)
    assert [(f["path"], f["unread"]) for f in folders] == [("News", 3), ("News/Deutsch", 3)]


def test_mark_read_by_folder_then_unread_with_json(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _setup(cli, tmp_path)
    done = cli("mark-read", "--folder", "News", "--before", "2026-03-03", "--json")
    assert done.code == 0, done
    result = json.loads(done.out)
    assert result["read"] is True and result["changed"] == 2 and len(result["ids"]) == 2
    assert "marked 2 article(s) unread" in cli("mark-unread", "--all").out
    assert json.loads(cli("mark-read", "--query", "strike", "--json").out)["changed"] == 1
    assert "marked 1 article(s) read" in cli("mark-read", "--feed", "Wire").out
    missing = cli("mark-read")
    assert missing.code == 2 and "one of --feed, --folder, --query or --all" in missing.err
    bad = cli("mark-read", "--all", "--before", "soon")
    assert bad.code == 2 and "is not a date" in bad.err


def test_feed_moves_renames_and_tags(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _setup(cli, tmp_path)
    done = cli(
        "feed", "Wire", "--folder", "News", "--title", "The Wire", "--tag", "agency", "--json"
    )
    assert done.code == 0, done
    feed = json.loads(done.out)
    assert (feed["folder"], feed["title"], feed["tags"]) == ("News", "The Wire", ["agency"])
    shown = cli("feed", "The Wire")
    assert "folder: News" in shown.out and "tags: agency" in shown.out
    assert json.loads(cli("feed", "The Wire", "--no-tags", "--json").out)["tags"] == []
    assert cli("feed", "nothing such").code == 1


def test_filter_commands(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _setup(cli, tmp_path)
    assert cli("filter", "add", "no strikes", "strike", "--action", "hide").code == 0
    assert cli("filter", "add", "x", "y", "--action", "explode").code == 1
    assert cli("filter", "add", "only-a-name").code == 2
    listed = json.loads(cli("filter", "list", "--json").out)
    assert listed == [{"name": "no strikes", "query": "strike", "action": "hide"}]
    runs = json.loads(cli("filter", "apply", "--json").out)
    assert runs == [{"name": "no strikes", "action": "hide", "matched": 1, "changed": 1}]
    titles = [r["title"] for r in json.loads(cli("search", "harbour", "--json").out)["results"]]
    assert "Hafen eins" not in titles and len(titles) == 2
    hidden = json.loads(cli("search", "is:hidden", "--json").out)["results"]
    assert [r["title"] for r in hidden] == ["Hafen eins"]
    assert "deleted filter" in cli("filter", "delete", "no strikes").out
    assert cli("filter", "delete", "no strikes").code == 1


def test_import_of_a_non_opml_file_fails(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    hafen, _ = _feeds(tmp_path)
    done = cli("import", str(hafen))
    assert done.code == 1
    assert "is not an OPML file" in done.err and done.err.count("\n") == 1
    assert "Traceback" not in done.err


def test_export_bookmarks_format_from_the_extension(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _setup(cli, tmp_path)
    md = tmp_path / "marks.md"
    assert cli("export-bookmarks", str(md)).code == 0
    assert md.read_text().startswith("# Bookmarks")
    txt = tmp_path / "marks.txt"
    refused = cli("export-bookmarks", str(txt))
    assert refused.code == 1 and "cannot tell the export format" in refused.err
    assert not txt.exists()
    assert cli("export-bookmarks", str(txt), "--format", "json").code == 0
    assert json.loads(txt.read_text())["bookmarks"] == []


def test_new_commands_are_in_help(cli) -> None:  # type: ignore[no-untyped-def]
    out = cli("--help").out
    for name in ("mark-read", "mark-unread", "feed", "folders", "filter"):
        assert f"    {name} " in out or f"    {name}\n" in out, name
