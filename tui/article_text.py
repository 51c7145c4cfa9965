"""An article's body as styled Rich lines: the core's plain layout, with styles as spans.

``newsreader.index.reading`` lays an article out as the plain text the store keeps (entity
offsets and search terms index into it). Here the same characters become a ``Text`` with
styles added by offset — block styles (headings, code, quotes, table headers), inline
spans (emphasis, strong, code, links), entities and search terms — and ``ArticleBody``
wraps it to the width it is given: list items and quotes keep their hanging indent and
bars on wrapped lines, code and table rows are never reflowed (long lines fold).
Nothing is ever parsed as markup.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from newsreader.index.models import Mention
from newsreader.index.reading import Layout, Placed
from rich.console import Console, ConsoleOptions, RenderResult
from rich.segment import Segment
from rich.text import Text

from . import render

BLOCK_STYLES: dict[str, str] = {
    "heading": "bold",
    "code": "#8fbf7f",
    "rule": "dim",
    "image": "italic dim",
}
HEADING_STYLES = {1: "bold underline", 2: "bold underline"}
QUOTE_STYLE = "italic"
PREFIX_STYLE = "dim"
HEADER_STYLE = "bold"
SPAN_STYLES: dict[str, str] = {
    "em": "italic",
    "strong": "bold",
    "code": "#8fbf7f",
    "link": "underline",
    "linkref": "dim",
    "sup": "",
    "sub": "",
    "image": "italic dim",
}
MATCH_STYLE = "bold black on yellow"  # the current in-article search match


def styled_body(
    lay: Layout,
    mentions: Sequence[Mention] = (),
    terms: Sequence[str] = (),
    extra: Iterable[render.StyledSpan] = (),
) -> Text:
    """The whole laid-out text with block, inline, entity and term styles."""
    spans: list[render.StyledSpan] = []
    for p in lay.placed:
        style = HEADING_STYLES.get(p.level, "") if p.kind == "heading" else ""
        style = style or BLOCK_STYLES.get(p.kind, "")
        if p.kind == "row" and p.header:
            style = HEADER_STYLE
        if style and p.start < p.end:
            spans.append((p.start, p.end, style))
        if p.rest.startswith("│"):
            spans.append((p.start, p.end, QUOTE_STYLE))
    for s in lay.spans:
        style = SPAN_STYLES.get(s.kind, "")
        if style:
            spans.append((s.start, s.end, style))
    spans.extend(render.entity_spans(lay.text, mentions))
    spans.extend(render.term_spans(lay.text, terms))
    spans.extend(extra)
    return render.styled(lay.text, spans)


@dataclass(frozen=True, slots=True)
class Line:
    """One screen line and the text offset its content starts at."""

    text: Text
    offset: int


def wrap_lines(body: Text, placed: Sequence[Placed], width: int, console: Console) -> list[Line]:
    """``body`` (``styled_body``'s result) wrapped to ``width`` columns, block by block."""
    width = max(width, 12)
    lines: list[Line] = []
    previous_end = 0
    for p in placed:
        # the blank lines between blocks
        for _ in range(body.plain.count("\n", previous_end, p.start) - 1):
            lines.append(Line(Text(""), previous_end))
        offset = p.start
        for i, line in enumerate(body[p.start : p.end].split("\n", allow_blank=True)):
            cut = p.first if i == 0 else len(p.rest)
            prefix, content = line[:cut], line[cut:]
            prefix.stylize(PREFIX_STYLE)
            room = max(width - cut, 8)
            content_offset = offset + cut
            if not content.plain:
                lines.append(Line(prefix, offset))
            elif p.wrap:
                pieces = content.wrap(console, room, overflow="fold")
                at = content_offset
                source = body.plain
                for j, piece in enumerate(pieces):
                    found = source.find(piece.plain.strip(), at) if piece.plain.strip() else -1
                    if found >= 0:
                        at = found
                    lead = prefix if j == 0 else Text(p.rest, style=PREFIX_STYLE)
                    piece.rstrip()
                    lines.append(Line(Text.assemble(lead, piece), at))
            else:
                text = content.plain
                for j in range(0, max(len(text), 1), room):
                    lead = prefix if j == 0 else Text(p.rest, style=PREFIX_STYLE)
                    lines.append(
                        Line(Text.assemble(lead, content[j : j + room]), content_offset + j)
                    )
            offset += len(line.plain) + 1
        previous_end = p.end
    return lines


class ArticleBody:
    """A Rich renderable: the styled body wrapped to whatever width it is drawn at."""

    def __init__(self, body: Text, placed: Sequence[Placed]) -> None:
        self.body = body
        self.placed = tuple(placed)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for line in wrap_lines(self.body, self.placed, options.max_width, console):
            yield from line.text.render(console)
            yield Segment.line()

    def lines(self, width: int, console: Console) -> list[Line]:
        return wrap_lines(self.body, self.placed, width, console)
