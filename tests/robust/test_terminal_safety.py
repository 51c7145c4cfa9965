"""Escape sequences, control characters, bidi overrides and Rich markup in feed titles,
authors, tags and content come out of `newsreader show/search/bookmarks/feeds` as inert
text, in plain output, JSON, and the coloured output a terminal gets."""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from hostile_text import FORBIDDEN, MARKUP, json_feed, rss_feed
from newsreader.index.text import is_openable_url
from nrproc import COMMAND, env

WORD = "zebrafinch"


@pytest.fixture
def hostile_library(cli: Any, tmp_path: Path) -> dict[str, str]:
    """The JSON and RSS hostile feeds added and one article of each bookmarked; their ids."""
    (tmp_path / "hostile.json").write_bytes(json_feed(WORD))
    (tmp_path / "hostile.rss").write_bytes(rss_feed(WORD))
    ids = {}
    for name in ("hostile.json", "hostile.rss"):
        done = cli("add", str(tmp_path / name))
        assert done.code == 0, done
    found = cli("search", WORD, "--json")
    for hit in json.loads(found.out)["results"]:
        ids[hit["title"].split()[0]] = hit["id"]
        assert cli("bookmark", hit["id"]).code == 0
    assert set(ids) == {"Title", "Rss"}
    return ids


def assert_inert(text: str) -> None:
    bad = FORBIDDEN.search(text)
    assert bad is None, (
        f"control character {bad.group()!r} in output: {text[max(0, bad.start() - 40) : bad.end() + 40]!r}"
    )


def strings_in(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings_in(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings_in(v)]
    return []


COMMANDS = [
    ["show", "{Title}"],
    ["show", "{Rss}"],
    ["search", WORD],
    ["search", WORD, "--facets"],
    ["bookmarks"],
    ["feeds"],
    ["related", "{Title}"],
    ["export-bookmarks", "--format", "md"],
    ["export-bookmarks", "--format", "html"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: "-".join(c[:2]).strip("{}"))
def test_plain_output_is_inert(
    command: list[str], cli: Any, hostile_library: dict[str, str]
) -> None:
    done = cli(*[a.format(**hostile_library) for a in command])
    assert done.code == 0, done
    assert_inert(done.out)
    assert_inert(done.err)
    if command[0] in ("show", "search", "bookmarks"):
        assert MARKUP in done.out  # shown literally, not interpreted


@pytest.mark.parametrize(
    "command",
    [["show", "{Title}"], ["show", "{Rss}"], ["search", WORD], ["bookmarks"], ["feeds"]],
    ids=lambda c: "-".join(c[:2]).strip("{}"),
)
def test_json_values_are_inert(
    command: list[str], cli: Any, hostile_library: dict[str, str]
) -> None:
    done = cli(*[a.format(**hostile_library) for a in command], "--json")
    assert done.code == 0, done
    assert_inert(done.out)
    values = strings_in(json.loads(done.out))
    for value in values:
        assert_inert(value)
    assert any(MARKUP in v for v in values)


def test_terminal_output_has_only_our_own_styling(
    cli: Any, hostile_library: dict[str, str], data_dir: Path
) -> None:
    """On a terminal, search prints with Rich: the only escape sequences are its colour codes
    (SGR); the feed's clear-screen, title, clipboard and hyperlink sequences are gone, and
    its markup is printed, not applied."""
    main, secondary = pty.openpty()
    environ = env() | {"TERM": "xterm-256color", "COLUMNS": "400"}
    environ.pop("NO_COLOR", None)
    proc = subprocess.Popen(
        [*COMMAND, "--data-dir", str(data_dir), "search", WORD],
        stdout=secondary,
        stderr=subprocess.PIPE,
        env=environ,
    )
    os.close(secondary)
    chunks = []
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    proc.wait(30)
    os.close(main)
    out = b"".join(chunks).decode("utf-8", "replace")
    assert proc.returncode == 0
    assert "\x1b[" in out  # it did take the terminal path
    without_sgr = re.sub(r"\x1b\[[0-9;]*m", "", out).replace("\r\n", "\n")
    assert_inert(without_sgr)
    assert "[bold red]loud[/bold red]" in without_sgr
    assert "[@click=app.quit]quit[/]" in without_sgr


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://example.org/a", True),
        ("http://example.org/a", True),
        ("javascript:alert(1)", False),
        ("JAVASCRIPT:alert(1)", False),
        (" javascript:alert(1)", False),
        ("file:///etc/passwd", False),
        ("data:text/html,<script>", False),
        ("vbscript:msgbox", False),
        ("ftp://example.org/", False),
        ("https://", False),
        ("//example.org/a", False),
        ("", False),
        (None, False),
    ],
)
def test_only_http_links_open(url: str | None, ok: bool) -> None:
    assert is_openable_url(url) is ok


@pytest.mark.parametrize(
    ("raw", "kept"),
    [
        ("\x9b aaaa", " aaaa"),  # found by the property tests: the 8-bit CSI ate " a"
        ("\x9bNext page", "Next page"),  # a mis-decoded "›" before a word
        ("foo \x9d bar baz", "foo  bar baz"),  # an unterminated 8-bit OSC ate the rest
        ("\x9b31mred", "red"),
        ("\x9d0;title\x07 rest", " rest"),
        ("\x1b[2Jclear", "clear"),
    ],
)
def test_stripping_keeps_the_text_around_controls(raw: str, kept: str) -> None:
    from newsreader.index.text import safe_text

    assert safe_text(raw) == kept
