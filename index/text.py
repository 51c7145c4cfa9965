"""Turning untrusted feed text into something safe to store, show and index."""

from __future__ import annotations

import re
import threading
from typing import Any

import nh3

# CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST), other two-byte escapes, and 8-bit
# CSI/OSC. Removed whole, so no parameter text is left behind. The 8-bit forms only count
# when they look like a real sequence (CSI with parameters, OSC with its terminator): in
# feed text U+009B is more often a mis-decoded "›" before ordinary words, which must stay
# (the lone introducer is dropped with the other C1 controls below).
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS, SOS, PM, APC
    r"|\x1b[ -/]*[0-~]?"  # any other escape
    r"|\x9b[0-?]+[ -/]*[@-~]"  # 8-bit CSI with parameters
    r"|\x9d[^\x07\x9c\x1b\x9d]*[\x07\x9c]"  # 8-bit OSC, terminated
)
# C0 controls but tab and newline, DEL, C1 controls, bidi embeddings/overrides/isolates,
# and lone surrogates (a JSON feed can carry "\ud800"; no UTF-8 store or terminal takes them).
# Also soft hyphens and word joiners: invisible hints for breaking lines (German headlines
# carry "Bundes&shy;regierung"), which a terminal may draw as "-" and which cut the word in
# two for search, so `bundesregierung` did not find it.
_CONTROLS = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u2060\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff]"
)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u3000]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")

ALLOWED_SCHEMES = ("http", "https")


def safe_text(value: str | None) -> str:
    """Remove terminal escape sequences, control characters, bidi overrides and surrogates."""
    if not value:
        return ""
    # Every character removed or changed below is unprintable (controls, format characters,
    # surrogates, "\r"): text printable but for newlines, tabs and no-break spaces has none,
    # and str.isprintable says so at C speed, where the pattern costs ~50 ns a character.
    if value.replace("\n", "").replace("\t", "").replace("\xa0", "").isprintable():
        return value
    if "\x1b" in value or "\x9b" in value or "\x9d" in value:
        value = _ESCAPES.sub("", value)
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROLS.sub("", value)


def one_line(value: str | None) -> str:
    """Safe text on a single line with runs of whitespace collapsed (titles, names)."""
    return " ".join(safe_text(value).split())


_URL_ATTRIBUTES = frozenset({"href", "src", "cite", "longdesc"})
_HAS_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


MAX_DEPTH = 200  # deeper HTML is kept as plain paragraphs (nh3 slows down with the square)
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)[^<>]*?(/?)>")
_VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)


def too_deep(html: str) -> bool:
    """True when elements nest more than MAX_DEPTH deep (only counted when there are
    enough tags for it to be possible, so ordinary articles cost one str.count)."""
    if html.count("<") <= MAX_DEPTH:
        return False
    depth = 0
    for m in _TAG.finditer(html):
        if m.group(3) or m.group(2).lower() in _VOID:
            continue
        if m.group(1):
            depth = max(depth - 1, 0)
        else:
            depth += 1
            if depth > MAX_DEPTH:
                return True
    return False


def sanitize_html(html: str, base: str | None = None) -> str:
    """Keep only harmless markup: no scripts, styles, frames, handlers or odd schemes.

    With an http(s) ``base`` (the entry's xml:base or the feed's address), relative
    links and image sources are made absolute, so they can still be opened. Markup
    nested absurdly deep (a hostile feed's way to stall the sanitiser) becomes plain
    paragraphs."""
    if not html:
        return ""
    if too_deep(html):
        from html import escape

        paragraphs = html_to_text(html).split("\n\n")
        return "".join(f"<p>{escape(p)}</p>" for p in paragraphs if p)
    resolve = None
    if base and base.lower().startswith(("http://", "https://")):
        from urllib.parse import urljoin

        def resolve(tag: str, attribute: str, value: str) -> str | None:
            if attribute in _URL_ATTRIBUTES and not _HAS_SCHEME.match(value.strip()):
                try:
                    return urljoin(base, value.strip())
                except ValueError:
                    return None
            return value

    return nh3.clean(
        safe_text(html),
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        attribute_filter=resolve,
    )


_BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    ]
)
_SKIP_TAGS = frozenset(
    ["script", "style", "head", "title", "iframe", "object", "embed", "noscript", "template", "svg"]
)


def html_to_text(html: str) -> str:
    """Plain text of an HTML fragment: one paragraph per block, blank lines between."""
    if not html or not html.strip():
        return ""
    if "<" not in html and "&" not in html:
        return normalize_paragraphs(safe_text(html))
    from lxml import etree
    from lxml import html as lxml_html

    parser = _html_parser()
    try:
        root = lxml_html.fragment_fromstring(html, create_parent="div", parser=parser)
    except (etree.ParserError, ValueError):
        return normalize_paragraphs(safe_text(re.sub(r"<[^>]*>", " ", html)))
    if any(e.type_name == "ERR_RESOURCE_LIMIT" for e in parser.error_log):
        # nested deeper than libxml2 goes (256): it silently drops the rest of the text
        return _streamed_text(html)
    parts: list[str] = []

    def walk(el: etree._Element) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        tag = tag.lower()
        if tag in _SKIP_TAGS or not isinstance(el.tag, str):
            if el.tail:
                parts.append(el.tail)
            return
        block = tag in _BLOCK_TAGS
        if block:
            parts.append("\n\n")
        if el.text:
            parts.append(el.text)
        for child in el:
            walk(child)
        if block:
            parts.append("\n\n")
        if el.tail:
            parts.append(el.tail)

    walk(root)
    return normalize_paragraphs(safe_text("".join(parts)))


_local = threading.local()  # lxml parsers must not be shared between threads


def _html_parser() -> Any:
    parser = getattr(_local, "html_parser", None)
    if parser is None:
        from lxml import html as lxml_html

        parser = _local.html_parser = lxml_html.HTMLParser()
    return parser


def _streamed_text(html: str) -> str:
    """html_to_text for documents too deep for lxml: a streaming pass, any depth."""
    from html.parser import HTMLParser

    parts: list[str] = []
    skipping: list[str] = []

    class Reader(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag in _SKIP_TAGS:
                skipping.append(tag)
            elif not skipping and tag in _BLOCK_TAGS:
                parts.append("\n\n")

        def handle_endtag(self, tag: str) -> None:
            if skipping and tag == skipping[-1]:
                skipping.pop()
            elif not skipping and tag in _BLOCK_TAGS:
                parts.append("\n\n")

        def handle_data(self, data: str) -> None:
            if not skipping:
                parts.append(data)

    reader = Reader(convert_charrefs=True)
    reader.feed(html)
    reader.close()
    return normalize_paragraphs(safe_text("".join(parts)))


def normalize_paragraphs(text: str) -> str:
    """Collapse spaces inside lines, keep paragraph breaks as exactly one blank line."""
    paragraphs = []
    for block in _BLANK_LINES.split(text):
        lines = [_SPACES.sub(" ", line).strip() for line in block.split("\n")]
        joined = " ".join(line for line in lines if line)
        if joined:
            paragraphs.append(joined)
    return "\n\n".join(paragraphs)


def is_openable_url(url: str | None) -> bool:
    """Only http(s) links are ever opened in a browser."""
    if not url:
        return False
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in ALLOWED_SCHEMES and bool(parts.netloc)
