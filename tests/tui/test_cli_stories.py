"""`newsreader stories` and `show`: a story's sources, headless."""

from __future__ import annotations

import json
from pathlib import Path

import storyfeeds
from newsreader.index.library import Library


def _setup(data_dir: Path, tmp_path: Path) -> dict[str, str]:
    lib = Library.open(data_dir)
    try:
        return storyfeeds.three_feeds(lib, tmp_path)
    finally:
        lib.close()


def test_stories_json_lists_members(cli, data_dir: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ids = _setup(data_dir, tmp_path)
    res = cli("stories", "--json")
    assert res.code == 0, res.err
    stories = json.loads(res.out)
    assert len(stories) == 1
    story = stories[0]
    assert story["sources"] == 3
    assert [m["feed"] for m in story["members"]] == ["Top", "World", "Paper"]
    assert {m["id"] for m in story["members"]} == {ids["lead"], ids["world"], ids["paper"]}
    assert set(story["members"][0]) == {
        "id",
        "title",
        "feed",
        "feed_id",
        "published",
        "read",
        "kind",
    }


def test_stories_since_and_limit(cli, data_dir: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _setup(data_dir, tmp_path)
    assert json.loads(cli("stories", "--since", "2026-06-01", "--json").out) == []
    assert len(json.loads(cli("stories", "--limit", "1", "--json").out)) == 1
    bad = cli("stories", "--since", "soon")
    assert bad.code == 1 and "--since" in bad.err and "Traceback" not in bad.err
    assert cli("stories", "--limit", "0").code == 2


def test_stories_text(cli, data_dir: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _setup(data_dir, tmp_path)
    res = cli("stories")
    assert res.code == 0
    assert "(3 sources)" in res.out
    assert "Top:" in res.out and "World:" in res.out and "Paper:" in res.out


def test_show_names_the_other_sources(cli, data_dir: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ids = _setup(data_dir, tmp_path)
    res = cli("show", ids["paper"])
    assert res.code == 0
    assert "Also in 2 other source(s):" in res.out
    assert "Top:" in res.out and "World:" in res.out
    doc = json.loads(cli("show", ids["paper"], "--json").out)
    assert [m["feed"] for m in doc["other_sources"]] == ["Top", "World"]
    alone = json.loads(cli("show", ids["other"], "--json").out)
    assert alone["other_sources"] == []
    assert "Also in" not in cli("show", ids["other"]).out


def test_reading_in_the_cli_reads_every_copy(cli, data_dir: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ids = _setup(data_dir, tmp_path)
    assert cli("read", ids["world"]).code == 0
    members = json.loads(cli("stories", "--json").out)[0]["members"]
    assert all(m["read"] for m in members)
