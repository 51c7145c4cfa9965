"""A fast path for well-formed RSS 2.0 and Atom 1.0 documents.

feedparser reads every document through a Python SAX handler, about 1 ms per entry; most
real feeds are plain well-formed RSS 2.0 or Atom 1.0, which lxml's C parser reads in a
small fraction of that. ``read_entries`` returns the feed and its entries in the shape
feedparser gives them (the keys ``parse._entry`` reads), or None whenever the document is
anything else — not well-formed, another format or version, ``xml:base``, XHTML content —
so feedparser, with its recovery and quirks, still reads everything unusual.
"""

from __future__ import annotations

import codecs
import re
import threading
import time
from typing import Any

ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
DC = "{http://purl.org/dc/elements/1.1/}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

_local = threading.local()  # lxml parsers must not be shared between threads


def _xml_parser() -> Any:
    parser = getattr(_local, "parser", None)
    if parser is None:
        from lxml import etree

        # no entity expansion, no network, no DTD: hostile documents fail and go to feedparser
        parser = _local.parser = etree.XMLParser(
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=False,
            remove_comments=True,
            remove_pis=True,
        )
    return parser


def read_entries(
    data: bytes, url: str, content_type: str | None = None
) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
    """(feed, entries) as feedparser would give them, or None to let feedparser read it.

    ``url`` is the document's address: ids and links are resolved against it, as
    feedparser resolves them against the Content-Location it is given."""
    head = data[:2048]
    if b"<!DOCTYPE" in head or b"<!doctype" in head or b"xml:base" in data:
        return None
    if not _encoding_agrees(head, content_type, data):
        return None
    from lxml import etree

    try:
        root = etree.fromstring(data, _xml_parser())
    except (etree.XMLSyntaxError, ValueError):
        return None
    from feedparser.urls import make_safe_absolute_uri

    # the base feedparser ends up with (it joins the location to itself, which for
    # file:///x gives file://x): ids and links must come out the same either way
    base = str(make_safe_absolute_uri(url, url) or url) if url else ""
    if root.tag == "rss" and root.get("version", "").startswith("2."):
        return _rss(root, base)
    if root.tag == ATOM + "feed":
        return _atom(root, base)
    return None


_DECLARED = re.compile(rb"""^\s*<\?xml[^>]*encoding=["']([A-Za-z0-9._-]+)["']""")
_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9._-]+)""", re.IGNORECASE)


def _encoding_agrees(head: bytes, content_type: str | None, data: bytes) -> bool:
    """False when HTTP and the document could disagree on the encoding: feedparser's
    rules for that (RFC 3023) are its own, so such documents go to it."""
    if head.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return False
    m = _DECLARED.match(head)
    declared = _codec(m.group(1).decode("ascii")) if m else "utf-8"
    if declared is None:
        return False
    if content_type:
        c = _CHARSET.search(content_type)
        if c:
            return _codec(c.group(1)) == declared
        if content_type.lower().startswith("text/") and not data.isascii():
            return False  # text/* without a charset means us-ascii to feedparser
    return True


def _codec(name: str) -> str | None:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _text(el: Any) -> str:
    """Text of an element with no children (None-safe); None if it holds markup."""
    if el is None:
        return ""
    if len(el):
        raise _Unusual
    return el.text or ""


class _Unusual(Exception):
    """Something feedparser handles its own way: give the whole document to it."""


def _resolve(base: str, value: str) -> str:
    from feedparser.urls import _urljoin

    value = value.strip()
    return str(_urljoin(base, value)) if value else value


def _date(value: str) -> time.struct_time | None:
    if not value.strip():
        return None
    from feedparser.datetimes import _parse_date

    parsed: time.struct_time | None = _parse_date(value)
    return parsed


def _rss(root: Any, base: str) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
    channel = root.find("channel")
    if channel is None:
        return None
    try:
        feed = {
            "title": _text(channel.find("title")),
            "link": _resolve(base, _text(channel.find("link"))),
            "language": _text(channel.find("language")).strip()
            or _text(channel.find(DC + "language")).strip()
            or channel.get(XML_LANG)
            or root.get(XML_LANG)
            or "",
        }
        entries = [_rss_item(item, base) for item in channel.iterfind("item")]
    except _Unusual:
        return None
    return feed, entries


def _rss_item(item: Any, base: str) -> dict[str, Any]:
    e: dict[str, Any] = {}
    tags = []
    for child in item:
        tag = child.tag
        if not isinstance(tag, str):
            continue
        if tag == "title":
            e["title"] = _text(child)
            e["title_detail"] = {"type": _rss_text_type(e["title"])}
        elif tag == "link":
            e["link"] = _resolve(base, _text(child))
        elif tag == "guid":
            # feedparser: a guid is a URL (resolved, and the link if there is none) unless
            # isPermaLink is anything but exactly "true"
            permalink = child.get("isPermaLink", "true") == "true"
            value = _text(child).strip()
            e["id"] = _resolve(base, value) if permalink else value
            e["_permalink"] = permalink
        elif tag == "description":
            e["summary"] = _text(child)
        elif tag == CONTENT + "encoded":
            e["content"] = [{"value": _text(child)}]
        elif tag == "pubDate":
            e["published"] = _text(child)
            e["published_parsed"] = _date(e["published"])
        elif tag == DC + "date":
            e["updated"] = _text(child)
            e["updated_parsed"] = _date(e["updated"])
        elif tag in ("author", DC + "creator"):
            e["author"] = _text(child).strip()  # feedparser: the last one wins
        elif tag == "category":
            tags.append({"term": _text(child).strip()})
        elif tag == DC + "language":
            e["language"] = _text(child).strip()
        elif tag == "enclosure":  # feedparser keeps every one, and so do we
            e.setdefault("enclosures", []).append(
                {
                    "href": _resolve(base, (child.get("url") or "").strip()),
                    "type": child.get("type") or "",
                    "length": child.get("length") or "",
                }
            )
        # anything else (source, comments, other namespaces) is not kept
    if tags:
        e["tags"] = tags
    if "link" not in e and e.get("id") and e.pop("_permalink", True):
        e["link"] = e["id"]  # feedparser: a permalink guid stands in for a missing link
    e.pop("_permalink", None)
    return e


def _rss_text_type(text: str) -> str:
    """RSS does not say whether a title is text or HTML: feedparser's own guess."""
    from feedparser.mixin import _FeedParserMixin

    return "text/html" if _FeedParserMixin.looks_like_html(text) else "text/plain"


def _atom(root: Any, base: str) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
    try:
        link = _atom_link(root, base) or _resolve(base, _text(root.find(ATOM + "id")))
        feed = {
            "title": _atom_text(root.find(ATOM + "title")),
            "link": link,
            "language": root.get(XML_LANG) or "",
        }
        entries = [_atom_entry(entry, base) for entry in root.iterfind(ATOM + "entry")]
    except _Unusual:
        return None
    return feed, entries


def _atom_text(el: Any) -> str:
    if el is None:
        return ""
    if el.get("type") == "xhtml":
        raise _Unusual
    return _text(el)


def _atom_link(el: Any, base: str) -> str:
    for link in el.iterfind(ATOM + "link"):
        if link.get("rel", "alternate") == "alternate":
            return _resolve(base, link.get("href") or "")
    return ""


def _atom_entry(entry: Any, base: str) -> dict[str, Any]:
    e: dict[str, Any] = {}
    lang = entry.get(XML_LANG)
    if lang:
        e["language"] = lang
    tags = []
    for child in entry:
        tag = child.tag
        if not isinstance(tag, str):
            continue
        if tag == ATOM + "title":
            e["title"] = _atom_text(child)
            kind = child.get("type", "text")
            e["title_detail"] = {"type": "text/html" if kind == "html" else "text/plain"}
        elif tag == ATOM + "id":
            e["id"] = _resolve(base, _text(child))
        elif tag == ATOM + "published":
            e["published"] = _text(child)
            e["published_parsed"] = _date(e["published"])
        elif tag == ATOM + "updated":
            e["updated"] = _text(child)
            e["updated_parsed"] = _date(e["updated"])
        elif tag == ATOM + "summary":
            e["summary"] = _atom_text(child)
        elif tag == ATOM + "content":
            if child.get("src"):
                raise _Unusual
            e["content"] = [{"value": _atom_text(child)}]
            if child.get(XML_LANG):
                e["content"][0]["language"] = child.get(XML_LANG)
        elif tag == ATOM + "author":  # feedparser: the last one wins
            name = _text(child.find(ATOM + "name")).strip()
            email = _text(child.find(ATOM + "email")).strip()
            e["author"] = f"{name} ({email})" if name and email else name or email
        elif tag == ATOM + "category":
            tags.append({"term": child.get("term"), "label": child.get("label")})
        elif tag == ATOM + "link" and child.get("rel") == "enclosure":
            e.setdefault("enclosures", []).append(
                {
                    "href": _resolve(base, (child.get("href") or "").strip()),
                    "type": child.get("type") or "text/html",  # feedparser's default
                    "length": child.get("length") or "",
                }
            )
    link = _atom_link(entry, base)
    if link:
        e["link"] = link
    elif e.get("id"):
        e["link"] = e["id"]  # feedparser: the id stands in for a missing link
    if "summary" not in e and "content" in e:
        e["summary"] = e["content"][0]["value"]  # feedparser copies content to summary
    if tags:
        e["tags"] = tags
    return e
