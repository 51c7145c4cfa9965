"""Bookmarks written out for other programs: JSON (with the saved searches), Markdown, or a
Netscape bookmarks file that browsers import."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from html import escape
from pathlib import Path
from typing import Any, Literal

from .errors import NewsreaderError
from .models import Article, Enclosure, SavedSearch
from .times import to_iso

ExportFormat = Literal["json", "md", "html"]
# what each format's files are called; the first is the one we write
_EXTENSIONS: dict[ExportFormat, tuple[str, ...]] = {
    "json": (".json",),
    "md": (".md", ".markdown"),
    "html": (".html", ".htm"),
}


def export_format(name: str) -> ExportFormat:
    """The format a user named (``md`` and ``markdown`` are one), or a NewsreaderError."""
    low = name.strip().lower()
    if low == "markdown":
        return "md"
    if low in _EXTENSIONS:
        return low
    raise NewsreaderError(f"unknown export format {name!r} (json, md or html)")


def format_for_path(path: str | Path) -> ExportFormat:
    """The format a file's extension asks for; an extension we do not write is refused."""
    suffix = Path(path).suffix.lower()
    for fmt, suffixes in _EXTENSIONS.items():
        if suffix in suffixes:
            return fmt
    known = ", ".join(s for suffixes in _EXTENSIONS.values() for s in suffixes)
    shown = f"{suffix!r}" if suffix else "no extension"
    raise NewsreaderError(
        f"cannot tell the export format of {path} ({shown}): name it {known}, or give --format",
        path=path,
    )


def bookmark_json(article: Article, when: datetime) -> dict[str, Any]:
    """One bookmark as the JSON export and `newsreader bookmarks --json` show it."""
    return {
        "id": article.id,
        "title": article.title,
        "link": article.link,
        "feed": article.feed_title,
        "published": to_iso(article.published),
        "bookmarked_at": to_iso(when),
        "enclosures": [enclosure_json(e) for e in article.enclosures],
    }


def enclosure_json(enclosure: Enclosure) -> dict[str, Any]:
    """One enclosure as every JSON shape shows it (show --json, bookmark exports)."""
    return {"url": enclosure.url, "type": enclosure.type, "length": enclosure.length}


def enclosure_facts(enclosure: Enclosure) -> str:
    """An enclosure's type and size for people: "audio/mpeg, 46.0 MB"."""
    facts = [enclosure.type or "unknown type"]
    if enclosure.length:
        facts.append(human_size(enclosure.length))
    return ", ".join(facts)


def enclosure_line(enclosure: Enclosure) -> str:
    """An enclosure on one line: "audio/mpeg, 46.0 MB: https://…"."""
    return f"{enclosure_facts(enclosure)}: {enclosure.url}"


def human_size(length: int) -> str:
    """Bytes as people read them: 912 B, 14.2 kB, 46.0 MB, 1.3 GB (powers of 1024)."""
    size = float(length)
    for unit in ("B", "kB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GB"


def export_bookmarks(
    marks: Sequence[tuple[Article, datetime]],
    searches: Sequence[SavedSearch],
    fmt: str = "json",
) -> str:
    """Bookmarks (and saved searches, where the format has room) as text in ``fmt``."""
    chosen = export_format(fmt)
    if chosen == "json":
        doc = {
            "exported_at": to_iso(datetime.now(UTC)),
            "bookmarks": [bookmark_json(a, when) for a, when in marks],
            "saved_searches": [{"name": s.name, "query": s.query} for s in searches],
        }
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    if chosen == "md":
        lines = ["# Bookmarks", ""]
        for art, when in marks:
            title = art.title.replace("[", "(").replace("]", ")")
            target = f"[{title}]({art.link})" if art.link else title
            lines.append(f"- {target} — {art.feed_title}, bookmarked {to_iso(when)}")
            for enc in art.enclosures:
                lines.append(f"  - media: <{enc.url}> ({enclosure_facts(enc)})")
        if searches:
            lines += ["", "# Saved searches", ""]
            lines += [f"- **{s.name}**: `{s.query}`" for s in searches]
        return "\n".join(lines) + "\n"
    items = []
    for a, when in marks:
        items.append(
            f'<DT><A HREF="{escape(a.link or "")}" ADD_DATE="{int(when.timestamp())}">'
            f"{escape(a.title)}</A>"
        )
        # each enclosure its own bookmark, named for the article, so a browser keeps it too
        for enc in a.enclosures:
            kind = escape(enc.type or "media")
            items.append(
                f'<DT><A HREF="{escape(enc.url)}" ADD_DATE="{int(when.timestamp())}">'
                f"{escape(a.title)} ({kind})</A>"
            )
    return (
        "<!DOCTYPE NETSCAPE-Bookmark-file-1>\n<TITLE>Bookmarks</TITLE>\n<H1>Bookmarks</H1>\n"
        "<DL><p>\n" + "\n".join(items) + "\n</DL><p>\n"
    )
