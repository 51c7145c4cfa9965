"""Small builders for feed documents used across the tests (our own fixtures)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from xml.sax.saxutils import escape


@dataclass
class Item:
    guid: str | None
    title: str
    body: str
    link: str | None = None
    author: str | None = None
    published: datetime | None = field(default_factory=lambda: datetime(2026, 3, 1, 12, tzinfo=UTC))
    tags: tuple[str, ...] = ()


def rss(title: str, items: list[Item], link: str = "https://example.org/") -> bytes:
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<rss version="2.0"><channel>',
        f"<title>{escape(title)}</title><link>{escape(link)}</link><description>test</description>",
    ]
    for it in items:
        parts.append("<item>")
        parts.append(f"<title>{escape(it.title)}</title>")
        if it.guid is not None:
            parts.append(f'<guid isPermaLink="false">{escape(it.guid)}</guid>')
        if it.link:
            parts.append(f"<link>{escape(it.link)}</link>")
        if it.author:
            parts.append(f"<author>{escape(it.author)}</author>")
        if it.published:
            parts.append(f"<pubDate>{format_datetime(it.published)}</pubDate>")
        for tag in it.tags:
            parts.append(f"<category>{escape(tag)}</category>")
        parts.append(f"<description>{escape(it.body)}</description>")
        parts.append("</item>")
    parts.append("</channel></rss>")
    return "\n".join(parts).encode("utf-8")


def atom(title: str, items: list[Item]) -> bytes:
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        f"<title>{escape(title)}</title><id>urn:test:{escape(title)}</id>",
        "<updated>2026-03-01T12:00:00Z</updated>",
    ]
    for it in items:
        stamp = (it.published or datetime(2026, 3, 1, tzinfo=UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
        parts.append("<entry>")
        parts.append(f"<title>{escape(it.title)}</title>")
        if it.guid:
            parts.append(f"<id>{escape(it.guid)}</id>")
        if it.link:
            parts.append(f'<link rel="alternate" href="{escape(it.link)}"/>')
        parts.append(f"<updated>{stamp}</updated><published>{stamp}</published>")
        if it.author:
            parts.append(f"<author><name>{escape(it.author)}</name></author>")
        parts.append(f'<content type="html">{escape(it.body)}</content>')
        parts.append("</entry>")
    parts.append("</feed>")
    return "\n".join(parts).encode("utf-8")
