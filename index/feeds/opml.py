"""OPML subscription lists: read with their folders and tags, written back the same way.

A feed's folder is the path of the outlines it is nested in (``News/Deutsch``); its tags
are its ``category`` attribute (comma-separated; a ``/A/B`` taxonomy path there is taken
as the folder when the feed is not nested). Export writes folders as nested outlines and
tags as ``category``, so importing what we export gives back the same feeds, titles,
folders and tags. The outline tree is read with lxml (no network, no entities) rather
than listparser: listparser flattens nesting and categories into one list, which cannot
be written back as it was.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from xml.sax.saxutils import quoteattr

from ..errors import NotOpmlError
from ..models import Feed
from ..text import one_line

_DOCTYPE = re.compile(rb"<!DOCTYPE[^\[>]*(\[.*?\])?\s*>", re.DOTALL | re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Outline:
    url: str
    title: str | None
    folder: str | None = None  # "News/Deutsch"
    tags: tuple[str, ...] = ()
    site_link: str | None = None


def read_opml(data: bytes, source: str) -> list[Outline]:
    """The feeds of an OPML file, in document order, each address once; NotOpmlError for
    a file that is not OPML."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)
    # OPML needs no DTD; an internal subset could only define entities (billion laughs)
    data = _DOCTYPE.sub(b"", data, count=1)
    try:
        root = etree.fromstring(data, parser)
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise NotOpmlError(
            f"{source} is not an OPML file ({one_line(str(exc))[:80]}); nothing was imported",
            path=source,
        ) from exc
    if root is None or _local(root.tag) != "opml":
        what = f"<{_local(root.tag)}>" if root is not None else "no XML"
        raise NotOpmlError(
            f"{source} is not an OPML file (it holds {what}, not <opml>); nothing was imported",
            path=source,
        )
    body = next((c for c in root if _local(c.tag) == "body"), None)
    if body is None:
        return []
    unique: dict[str, Outline] = {}
    for outline in _outlines(body, []):
        unique.setdefault(outline.url, outline)  # a feed listed twice: the first one counts
    return list(unique.values())


def _outlines(parent: object, path: list[str]) -> Iterator[Outline]:
    for node in parent:  # type: ignore[attr-defined]
        if not isinstance(node.tag, str) or _local(node.tag) != "outline":
            continue
        attrs = {str(k).lower(): str(v) for k, v in node.attrib.items()}
        url = attrs.get("xmlurl", "").strip()
        name = one_line(attrs.get("title") or attrs.get("text") or "").strip()
        if not url:  # a folder (or a note): its name joins the path of what it holds
            label = name.replace("/", "-")  # a "/" in a name would split the path
            yield from _outlines(node, [*path, label] if label else path)
            continue
        tags, taxonomy = _categories(attrs.get("category", ""))
        yield Outline(
            url=url,
            title=name or None,
            folder="/".join(path) or taxonomy or None,
            tags=tags,
            site_link=attrs.get("htmlurl", "").strip() or None,
        )


def _categories(text: str) -> tuple[tuple[str, ...], str | None]:
    """(tags, the first ``/A/B`` taxonomy path as ``A/B``) of a ``category`` attribute."""
    tags: list[str] = []
    taxonomy = None
    for part in text.split(","):
        item = " ".join(one_line(part).split())
        if not item:
            continue
        if item.startswith("/"):
            path = "/".join(p.strip() for p in item.split("/") if p.strip())
            taxonomy = taxonomy or path or None
        elif item.casefold() not in {t.casefold() for t in tags}:
            tags.append(item)
    return tuple(tags), taxonomy


def _local(tag: object) -> str:
    text = str(tag)
    return text.rsplit("}", 1)[-1].lower()


def write_opml(feeds: Sequence[Feed], title: str = "newsreader subscriptions") -> str:
    """OPML 2.0 with folders as nested outlines (folders after the feeds of each level,
    both by name) and tags as ``category``."""
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
    lines += _write_level(list(feeds), [], 2)
    lines += ["  </body>", "</opml>", ""]
    return "\n".join(lines)


def _write_level(feeds: list[Feed], path: list[str], depth: int) -> list[str]:
    pad = "  " * depth
    here = [f for f in feeds if _parts(f) == path]
    below: dict[str, list[Feed]] = {}
    for feed in feeds:
        parts = _parts(feed)
        if len(parts) > len(path) and parts[: len(path)] == path:
            below.setdefault(parts[len(path)], []).append(feed)
    out = [pad + _feed_outline(f) for f in sorted(here, key=lambda f: (f.title.casefold(), f.id))]
    for name in sorted(below, key=str.casefold):
        out.append(f"{pad}<outline text={quoteattr(name)} title={quoteattr(name)}>")
        out += _write_level(below[name], [*path, name], depth + 1)
        out.append(f"{pad}</outline>")
    return out


def _parts(feed: Feed) -> list[str]:
    return feed.folder.split("/") if feed.folder else []


def _feed_outline(feed: Feed) -> str:
    attrs = [
        f"text={quoteattr(feed.title)}",
        f"title={quoteattr(feed.title)}",
        'type="rss"',
        f"xmlUrl={quoteattr(feed.url)}",
    ]
    if feed.site_link:
        attrs.append(f"htmlUrl={quoteattr(feed.site_link)}")
    if feed.tags:
        attrs.append(f"category={quoteattr(','.join(t.replace(',', ' ') for t in feed.tags))}")
    return f"<outline {' '.join(attrs)}/>"


def _text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
