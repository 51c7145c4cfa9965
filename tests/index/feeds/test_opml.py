"""OPML with folders and tags: import keeps them, export writes them back exactly."""

from __future__ import annotations

from pathlib import Path

import pytest
from newsreader.index.errors import NotOpmlError
from newsreader.index.feeds.opml import read_opml
from newsreader.index.library import Library

NESTED = b"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>mine</title></head><body>
  <outline text="Top feed" xmlUrl="https://top.example/rss" category="Tech,tech news"/>
  <outline text="News">
    <outline text="BBC" xmlUrl="https://bbc.example/rss" htmlUrl="https://bbc.example/"/>
    <outline text="Deutsch">
      <outline text="Spiegel" xmlUrl="https://spiegel.example/rss" category="Politik"/>
      <outline text="Zeit" xmlUrl="https://zeit.example/rss"/>
    </outline>
  </outline>
  <outline text="Taxonomy" xmlUrl="https://tax.example/rss" category="/Science/Space,stars"/>
</body></opml>"""


def _structure(lib: Library) -> set[tuple[str, str, str | None, tuple[str, ...], str | None]]:
    return {(f.url, f.title, f.folder, f.tags, f.site_link) for f in lib.feeds()}


def test_nested_folders_and_categories_are_read() -> None:
    got = {o.url: o for o in read_opml(NESTED, "mine.opml")}
    assert got["https://top.example/rss"].folder is None
    assert got["https://top.example/rss"].tags == ("Tech", "tech news")
    assert got["https://bbc.example/rss"].folder == "News"
    assert got["https://bbc.example/rss"].site_link == "https://bbc.example/"
    assert got["https://spiegel.example/rss"].folder == "News/Deutsch"
    assert got["https://spiegel.example/rss"].tags == ("Politik",)
    assert got["https://tax.example/rss"].folder == "Science/Space"
    assert got["https://tax.example/rss"].tags == ("stars",)


def test_import_export_round_trip_is_exact(tmp_path: Path, data_dir: Path) -> None:
    source = tmp_path / "in.opml"
    source.write_bytes(NESTED)
    with Library.open(data_dir) as lib:
        added, _ = lib.import_opml(source)
        assert len(added) == 5
        first = _structure(lib)
        exported = lib.export_opml()
    out = tmp_path / "out.opml"
    out.write_text(exported)
    with Library.open(tmp_path / "other") as other:
        other.import_opml(out)
        assert _structure(other) == first
        # and exporting that again writes the same outlines
        body = [line for line in other.export_opml().splitlines() if "dateCreated" not in line]
    assert body == [line for line in exported.splitlines() if "dateCreated" not in line]
    assert '<outline text="Deutsch" title="Deutsch">' in exported


@pytest.mark.parametrize(
    "content",
    [b'<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title></feed>', b"junk", b""],
)
def test_a_file_that_is_not_opml_is_refused(lib: Library, tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "not.opml"
    path.write_bytes(content)
    with pytest.raises(NotOpmlError, match="is not an OPML file"):
        lib.import_opml(path)
    assert lib.feeds() == []
