"""Sanitised article HTML as a list of blocks with inline spans: the structure a reader sees.

An article is read as its author laid it out: paragraphs, headings, list items with their
markers and depth, code kept line for line, quotes, table rows, images by their alt text and
rules. Inline emphasis, strong, code, links (numbered in order of first use) and sup/sub are
spans over a block's text. The model is plain data: ``plain.py`` lays it out as text (the
article text the store, the search index and entity offsets use) and the app styles the same
text with Rich, so nothing from a feed is ever read as markup.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from typing import Any

from ..text import is_openable_url, safe_text

BLOCK_KINDS = ("paragraph", "heading", "item", "code", "row", "image", "rule")
SPAN_KINDS = ("em", "strong", "code", "link", "linkref", "sup", "sub", "image")


@dataclass(frozen=True, slots=True)
class Span:
    """An inline style over ``[start, end)`` of its block's text; ``link`` numbers a link."""

    start: int
    end: int
    kind: str  # one of SPAN_KINDS
    link: int = 0


@dataclass(frozen=True, slots=True)
class Block:
    """One block of an article.

    ``quote`` is how many quotes it sits in, ``indent`` the columns before its marker (list
    depth) or text, ``marker`` the list item's "•" or "3.", ``level`` a heading's level.
    A ``row`` has ``cells`` instead of text. ``group`` numbers the list or table a list
    item or row belongs to (so two lists in a row stay apart, and a table's cells align).
    """

    kind: str  # one of BLOCK_KINDS
    text: str = ""
    spans: tuple[Span, ...] = ()
    quote: int = 0
    indent: int = 0
    marker: str = ""
    level: int = 0
    cells: tuple[str, ...] = ()
    group: int = 0
    header: bool = False


@dataclass(frozen=True, slots=True)
class Document:
    """An article's blocks and its link targets (link number n is ``links[n - 1]``)."""

    blocks: tuple[Block, ...] = ()
    links: tuple[str, ...] = ()


_SUPERSCRIPT = str.maketrans("0123456789+-=()ni", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱ")
_SUBSCRIPT = str.maketrans("0123456789+-=()aeoxhklmnpst", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₒₓₕₖₗₘₙₚₛₜ")
_SUP_CHARS = frozenset("0123456789+-=()ni")
_SUB_CHARS = frozenset("0123456789+-=()aeoxhklmnpst")

_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_INLINE_KIND = {
    "em": "em",
    "i": "em",
    "cite": "em",
    "dfn": "em",
    "var": "em",
    "strong": "strong",
    "b": "strong",
    "code": "code",
    "kbd": "code",
    "samp": "code",
    "tt": "code",
}
# Elements that end the paragraph before them and start a new one.
_BLOCKISH = frozenset(
    [
        "address",
        "article",
        "aside",
        "div",
        "dl",
        "dt",
        "dd",
        "figure",
        "figcaption",
        "footer",
        "header",
        "main",
        "nav",
        "p",
        "section",
        "center",
        "details",
        "summary",
        "hgroup",
    ]
)
_SKIP = frozenset(
    [
        "script",
        "style",
        "head",
        "title",
        "iframe",
        "object",
        "embed",
        "noscript",
        "template",
        "svg",
        "math",
        "audio",
        "video",
    ]
)


def superscript(text: str) -> str:
    """``text`` in superscript characters when it has them all ("2" → "²"), else "^(text)"."""
    if text and set(text) <= _SUP_CHARS:
        return text.translate(_SUPERSCRIPT)
    return f"^{text}" if len(text) == 1 else f"^({text})"


def subscript(text: str) -> str:
    """``text`` in subscript characters when it has them all ("2" → "₂"), else "_(text)"."""
    if text and set(text) <= _SUB_CHARS:
        return text.translate(_SUBSCRIPT)
    return f"_{text}" if len(text) == 1 else f"_({text})"


@dataclass(slots=True)
class _Context:
    quote: int = 0
    indent: int = 0  # columns before the text of blocks in this context
    marker: str = ""  # a list item's marker, given to the first block made inside it
    marker_indent: int = 0
    group: int = 0  # the list an item's blocks belong to


@dataclass(slots=True)
class _Lists:
    ordered: bool
    next_number: int
    group: int = 0


@dataclass(slots=True)
class _Builder:
    blocks: list[Block] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    numbers: dict[str, int] = field(default_factory=dict)
    parts: list[str] = field(default_factory=list)
    length: int = 0
    spans: list[Span] = field(default_factory=list)
    contexts: list[_Context] = field(default_factory=lambda: [_Context()])
    lists: list[_Lists] = field(default_factory=list)
    kind: str = "paragraph"
    level: int = 0
    groups: int = 0
    table: int = 0  # the table being read
    cells: list[str] | None = None  # while inside a table row
    cell_header: bool = False
    in_cell: bool = False

    # -- inline text --------------------------------------------------------------------

    def last_char(self) -> str:
        for part in reversed(self.parts):
            if part:
                return part[-1]
        return ""

    def add(self, text: str) -> None:
        """Add flowing text, with HTML's whitespace collapsing."""
        if not text:
            return
        words = text.split()
        if not words:
            if self.length and self.last_char() not in (" ", "\n"):
                self._put(" ")
            return
        lead = text[0].isspace() and self.length > 0 and self.last_char() not in (" ", "\n")
        joined = (" " if lead else "") + " ".join(words) + (" " if text[-1].isspace() else "")
        self._put(joined)

    def add_verbatim(self, text: str) -> None:
        self._put(text)

    def _put(self, text: str) -> None:
        self.parts.append(text)
        self.length += len(text)

    def line_break(self) -> None:
        if self.in_cell:
            self.add(" ")
            return
        self._trim_end()
        self._put("\n")

    def _trim_end(self) -> None:
        text = "".join(self.parts)
        trimmed = text.rstrip(" ")
        if len(trimmed) != len(text):
            self.parts = [trimmed]
            self.length = len(trimmed)

    def span(self, start: int, kind: str, link: int = 0) -> None:
        if self.length > start:
            self.spans.append(Span(start, self.length, kind, link))

    def link_number(self, url: str) -> int:
        number = self.numbers.get(url)
        if number is None:
            self.links.append(url)
            number = self.numbers[url] = len(self.links)
        return number

    # -- blocks -------------------------------------------------------------------------

    def flush(self) -> None:
        """End the text gathered so far as a block of the current kind (nothing if empty)."""
        if self.in_cell:
            self.add(" ")
            return
        if not self.length:  # nothing gathered (every block element flushes before and after)
            self.parts, self.spans = [], []
            self.kind, self.level = "paragraph", 0
            return
        raw = "".join(self.parts)
        self.parts, self.length = [], 0
        spans, self.spans = self.spans, []
        kind, level = self.kind, self.level
        self.kind, self.level = "paragraph", 0
        if kind == "code":
            text = raw.expandtabs(4).rstrip("\n ")
            head = len(text) - len(text.lstrip("\n"))
            text = text[head:]
            if not text.strip():
                return
        elif "\n" in raw:
            text = "\n".join(line.strip(" ") for line in raw.split("\n")).strip("\n")
            head = _leading_trim(raw)
            if not text:
                return
        else:  # the common case: one line (what the branch above gives for it, cheaper)
            text = raw.strip(" ")
            if not text:
                return
            head = len(raw) - len(raw.lstrip(" "))
        fitted = _fit(spans, head, text) if spans else ()
        if kind == "paragraph" and fitted and _only_images(text, fitted):
            kind = "image"
        self.emit(Block(kind=kind, text=text, spans=fitted, level=level))

    def emit(self, block: Block) -> None:
        """Place ``block`` in the current quote and list context."""
        ctx = self.contexts[-1]
        plain = not (ctx.quote or ctx.indent or ctx.marker or ctx.group)
        if plain and not (block.quote or block.indent or block.marker):
            self.blocks.append(block)  # what the copy below would make of it
            return
        kind, indent, marker = block.kind, ctx.indent, ""
        if ctx.marker:
            marker, indent = ctx.marker, ctx.marker_indent
            ctx.marker = ""
            if kind == "paragraph":
                kind = "item"
        self.blocks.append(
            Block(
                kind=kind,
                text=block.text,
                spans=block.spans,
                quote=ctx.quote,
                indent=indent,
                marker=marker,
                level=block.level,
                cells=block.cells,
                group=block.group or ctx.group,
                header=block.header,
            )
        )


def _leading_trim(raw: str) -> int:
    """How many characters ``flush`` cuts from the front of a flowing block's text."""
    return len(raw) - len(raw.lstrip(" \n"))


def _only_images(text: str, spans: tuple[Span, ...]) -> bool:
    """True when a paragraph holds nothing but images: it is then an image block."""
    images = [s for s in spans if s.kind == "image"]
    covered = sum(s.end - s.start for s in images)
    return bool(images) and covered >= len(text.replace(" ", "").replace("\n", ""))


def _fit(spans: list[Span], shift: int, text: str) -> tuple[Span, ...]:
    """Spans moved by the trimmed lead, clipped to the text, without blank edges.

    Trimming spaces around inner line breaks moves text too, but only by the spaces a
    break swallowed; spans that then no longer fit are clipped rather than misplaced."""
    fitted: list[Span] = []
    for s in spans:
        start, end = max(s.start - shift, 0), min(s.end - shift, len(text))
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            fitted.append(Span(start, end, s.kind, s.link))
    return tuple(fitted)


def parse_document(html: str) -> Document:
    """The blocks of one sanitised HTML fragment (``sanitize_html``'s output)."""
    return _build([html])


def document(*fragments: str) -> Document:
    """The blocks of several fragments read one after another (summary, then content),
    sharing one link numbering."""
    return _build(list(fragments))


def _build(fragments: list[str]) -> Document:
    builder = _Builder()
    for html in fragments:
        if not html or not html.strip():
            continue
        if "<" not in html and "&" not in html:  # plain text: no parser needed (nor imported)
            for paragraph in re.split(r"\n\s*\n", safe_text(html)):
                builder.add(paragraph)
                builder.flush()
            continue
        root = _fragment(html)
        if root is None:
            builder.add(safe_text(html))
        else:
            _children(root, builder)  # the text before its first tag too
        builder.flush()
    return Document(blocks=tuple(builder.blocks), links=tuple(builder.links))


_local = threading.local()  # lxml parsers must not be shared between threads
_FULL_PAGE = re.compile(r"^\s*<(?:html|!doctype)", re.I)


def _fragment(html: str) -> Any:
    """The element whose text and children hold the fragment: the body of the document
    libxml2 makes of it (what lxml.html's fragment parsing reads), or None.

    A plain lxml parser, not lxml.html's: the blocks need only tags, text and attributes,
    and lxml.html looks up a Python element class for every element it hands out."""
    from lxml import etree

    parser = getattr(_local, "parser", None)
    if parser is None:
        parser = _local.parser = etree.HTMLParser()
    if not _FULL_PAGE.match(html):
        html = f"<html><body>{html}</body></html>"
    try:
        root = etree.fromstring(html, parser)
    except (etree.LxmlError, ValueError):
        return None
    if root is None:
        return None
    bodies = [e for e in root if e.tag == "body"]
    return bodies[0] if len(bodies) == 1 else root


def _walk(el: Any, b: _Builder) -> None:
    for child in el:
        _element(child, b)
        if child.tail:
            _text(child.tail, b)


def _text(text: str, b: _Builder) -> None:
    text = safe_text(text)
    if b.kind == "code":
        b.add_verbatim(text)
    else:
        b.add(text)


# Inside a table cell these are read as the cell's flowing text: a cell is one line of a
# row, so a table nested in it (newsletter layouts) or a list reads as words in the cell.
_FLAT_IN_CELL = frozenset(
    ["table", "thead", "tbody", "tfoot", "caption", "tr", "td", "th", "ul", "ol", "menu", "li"]
)


def _element(el: Any, b: _Builder) -> None:
    tag = el.tag.lower() if isinstance(el.tag, str) else ""
    if not tag or tag in _SKIP:
        return
    if b.in_cell and tag in _FLAT_IN_CELL:
        b.add(" ")
        _children(el, b)
        b.add(" ")
        return
    if tag in _BLOCKISH:  # first: the commonest (p, div); no branch below takes these
        b.flush()
        _children(el, b)
        b.flush()
        return
    if tag in _INLINE_KIND or tag in ("a", "sup", "sub", "span", "abbr", "q", "small", "u"):
        _inline(el, tag, b)
    elif tag == "br":
        b.line_break()
    elif tag == "img":
        _image(el, b)
    elif tag in _HEADINGS:
        b.flush()
        b.kind, b.level = "heading", _HEADINGS[tag]
        _children(el, b)
        b.flush()
    elif tag == "pre":
        b.flush()
        b.kind = "code"
        _children(el, b)
        b.flush()
    elif tag == "hr":
        b.flush()
        b.emit(Block(kind="rule"))
    elif tag == "blockquote":
        b.flush()
        ctx = b.contexts[-1]
        b.contexts.append(_Context(quote=ctx.quote + 1, indent=ctx.indent))
        _children(el, b)
        b.flush()
        b.contexts.pop()
    elif tag in ("ul", "ol", "menu"):
        b.flush()
        start = 1
        if tag == "ol":
            try:
                start = int(el.get("start", "1"))
            except ValueError:
                start = 1
        b.groups += 1
        b.lists.append(_Lists(ordered=tag == "ol", next_number=start, group=b.groups))
        _children(el, b)
        b.flush()
        b.lists.pop()
    elif tag == "li":
        _item(el, b)
    elif tag == "table":
        b.flush()
        b.groups += 1
        table, b.table = b.table, b.groups
        _children(el, b)
        b.table = table
        b.flush()
    elif tag == "tr":
        _row(el, b)
    elif tag in ("td", "th") and b.cells is not None:
        b.in_cell = True
        before = b.length
        _children(el, b)
        b.in_cell = False
        cell = " ".join("".join(b.parts)[before:].split())
        del b.parts[:]
        b.length = 0
        b.spans = []
        b.cells.append(cell)
        b.cell_header = b.cell_header and tag == "th"
    elif tag in ("thead", "tbody", "tfoot", "caption", "td", "th"):
        b.flush()
        _children(el, b)
        b.flush()
    else:
        _children(el, b)


def _children(el: Any, b: _Builder) -> None:
    if el.text:
        _text(el.text, b)
    _walk(el, b)


def _inline(el: Any, tag: str, b: _Builder) -> None:
    start = b.length
    _children(el, b)
    if tag == "a":
        href = (el.get("href") or "").strip()
        if is_openable_url(href) and b.kind != "code":
            b._trim_end()
            if b.length > start:
                number = b.link_number(href)
                b.span(start, "link", number)
                ref = b.length
                b.add_verbatim(f"[{number}]")
                b.span(ref, "linkref", number)
        return
    if tag in ("sup", "sub"):
        text = "".join(b.parts)
        inner = text[start:]
        word = inner.strip()
        if not word:
            return
        changed = superscript(word) if tag == "sup" else subscript(word)
        b.parts = [text[:start] + changed]
        b.length = len(b.parts[0])
        b.spans = [s for s in b.spans if s.end <= start]
        b.span(start, tag)
        return
    kind = _INLINE_KIND.get(tag)
    if kind and b.kind != "code":
        b.span(start, kind)


def _image(el: Any, b: _Builder) -> None:
    if el.get("width") in ("0", "1") or el.get("height") in ("0", "1"):
        return  # a tracking pixel
    alt = " ".join(safe_text(el.get("alt") or el.get("title") or "").split())
    label = f"[image: {alt}]" if alt else "[image]"
    if b.kind == "code":
        return
    start = b.length
    if start and b.last_char() not in (" ", "\n"):
        b.add(" ")
        start = b.length
    b.add_verbatim(label)
    b.span(start, "image")


def _item(el: Any, b: _Builder) -> None:
    b.flush()
    lists = b.lists[-1] if b.lists else _Lists(ordered=False, next_number=1)
    if lists.ordered:
        marker = f"{lists.next_number}."
        lists.next_number += 1
    else:
        marker = "•"
    ctx = b.contexts[-1]
    marker_indent = ctx.indent  # a nested list starts where its item's text does
    b.contexts.append(
        _Context(
            quote=ctx.quote,
            indent=marker_indent + len(marker) + 1,
            marker=marker,
            marker_indent=marker_indent,
            group=lists.group,
        )
    )
    _children(el, b)
    b.flush()
    left = b.contexts.pop()
    if left.marker:  # an empty item still shows its marker
        b.contexts.append(left)
        b.emit(Block(kind="item", text=""))
        b.contexts.pop()


def _row(el: Any, b: _Builder) -> None:
    b.flush()
    b.cells, b.cell_header = [], True
    for child in el:
        if isinstance(child.tag, str) and child.tag.lower() in ("td", "th"):
            _element(child, b)
    cells, header = b.cells, b.cell_header
    b.cells = None
    b.parts, b.length, b.spans = [], 0, []
    if any(cells):
        b.emit(Block(kind="row", cells=tuple(cells), group=b.table, header=header))
