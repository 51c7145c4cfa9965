"""Feeds for the stories tests: one wire story in three feeds, and a different story."""

from __future__ import annotations

import random
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from feedmaker import Item, rss
from newsreader.index.library import Library

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.corpus import Corpus
from bench.story_pairs import wire_variant

WHEN = datetime(2026, 3, 1, 12, tzinfo=UTC)


def wire(seed: int) -> tuple[str, list[str]]:
    item = Corpus(feeds=4, items=50, seed=seed).item(seed % 4, seed)
    return item.title, list(item.paragraphs)


def html(paragraphs: list[str] | str) -> str:
    if isinstance(paragraphs, str):
        paragraphs = paragraphs.split("\n\n")
    return "".join(f"<p>{p}</p>" for p in paragraphs)


def feed_file(tmp_path: Path, name: str, items: list[Item]) -> str:
    path = tmp_path / f"{name}.xml"
    path.write_bytes(rss(name, items, link=f"https://{name.lower()}.example/"))
    return str(path)


def three_feeds(lib: Library, tmp_path: Path) -> dict[str, str]:
    """Top stories and World (one publisher, utm links), a paper running the wire text
    under its own headline, and an unrelated story on the same topic."""
    title, paras = wire(3)
    other_title, other_paras = wire(11)
    headline, variant, _ = wire_variant(title, paras, random.Random(1))
    top = [
        Item(
            "pub-1",
            title,
            html(paras),
            "https://pub.example/a/1?utm_source=rss&utm_medium=top",
            published=WHEN,
        ),
        Item("pub-9", other_title, html(other_paras), "https://pub.example/a/9", published=WHEN),
    ]
    world = [
        Item(
            "pub-1",
            title,
            html(paras),
            "https://pub.example/a/1?utm_source=rss&utm_medium=world",
            published=WHEN + timedelta(minutes=5),
        ),
    ]
    paper = [
        Item(
            "p-77",
            headline,
            html(variant),
            "https://paper.example/77",
            published=WHEN + timedelta(hours=2),
        ),
    ]
    for name, items in (("Top", top), ("World", world), ("Paper", paper)):
        lib.add_feed(feed_file(tmp_path, name, items), fetch=False)
    lib.refresh()
    ids = {row.title: row.id for row in lib.list_articles("all", lib.find_feed("Top").id)}
    ids["paper"] = lib.list_articles("all", lib.find_feed("Paper").id)[0].id
    ids["world"] = lib.list_articles("all", lib.find_feed("World").id)[0].id
    ids["lead"] = ids[title]
    ids["other"] = ids[other_title]
    return ids
