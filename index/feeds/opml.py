"""OPML subscription lists: read with listparser, written as OPML 2.0."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from xml.sax.saxutils import quoteattr

from ..errors import NewsreaderError
from ..models import Feed
from ..text import one_line


@dataclass(frozen=True, slots=True)
class Outline:
    url: str
    title: str | None


def read_opml(data: bytes, source: str) -> list[Outline]:
    import listparser

    result = listparser.parse(data)
    feeds = [
        Outline(url=f.url.strip(), title=one_line(f.title) or None)
        for f in result.feeds
        if f.url and f.url.strip()
    ]
    if not feeds and result.bozo:
        reason = result.get("bozo_exception")
        raise NewsreaderError(f"{source} is not a readable OPML file ({reason})")
    return feeds


def write_opml(feeds: list[Feed], title: str = "newsreader subscriptions") -> str:
    now = format_datetime(datetime.now(UTC), usegmt=True)
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<opml version="2.0">',
        "  <head>",
        f"    <title>{_text(title)}</title>",
        f"    <dateCreated>{now}</dateCreated>",
        "  </head>",
        "  <body>",
    ]
    for feed in feeds:
        attrs = [
            f"text={quoteattr(feed.title)}",
            f"title={quoteattr(feed.title)}",
            'type="rss"',
            f"xmlUrl={quoteattr(feed.url)}",
        ]
        if feed.site_link:
            attrs.append(f"htmlUrl={quoteattr(feed.site_link)}")
        lines.append(f"    <outline {' '.join(attrs)}/>")
    lines += ["  </body>", "</opml>", ""]
    return "\n".join(lines)


def _text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
