"""Folders of feeds: paths such as ``News/Deutsch``, and the tree of them with counts."""

from __future__ import annotations

from collections.abc import Sequence

from .models import Feed, Folder
from .text import one_line


def clean_folder(text: str | None) -> str | None:
    """A folder path as stored: one line, parts trimmed, empty parts dropped; None (the
    top level) for nothing at all. ``" News / Deutsch/ "`` is ``"News/Deutsch"``."""
    if text is None:
        return None
    parts = [" ".join(one_line(p).split()) for p in text.split("/")]
    path = "/".join(p for p in parts if p)
    return path or None


def folder_tree(feeds: Sequence[Feed]) -> list[Folder]:
    """Every folder the feeds are in, with its parents (a parent exists even when no feed is
    directly in it), sorted so each folder follows its parent; counts include subfolders."""
    direct: dict[str, list[int]] = {}
    totals: dict[str, list[int]] = {}
    for feed in feeds:
        if not feed.folder:
            continue
        direct.setdefault(feed.folder, []).append(feed.id)
        parts = feed.folder.split("/")
        for n in range(1, len(parts) + 1):
            path = "/".join(parts[:n])
            direct.setdefault(path, [])
            total = totals.setdefault(path, [0, 0])
            total[0] += feed.article_count
            total[1] += feed.unread_count
    return [
        Folder(path, tuple(direct[path]), totals[path][0], totals[path][1])
        for path in sorted(direct, key=lambda p: [part.casefold() for part in p.split("/")])
    ]


def in_folder(feed: Feed, path: str) -> bool:
    """Whether ``feed`` is in the folder ``path`` or in one below it (case-insensitive)."""
    if not feed.folder:
        return False
    mine, want = feed.folder.casefold(), path.strip("/").casefold()
    return mine == want or mine.startswith(want + "/")
