"""A Document laid out as plain text: the article text that is stored, indexed and shown.

One layout serves everyone: ``newsreader show`` prints it, the search index and entity
extraction read it (entity offsets index into it), and the app styles the very same
characters with Rich. So a highlight computed anywhere lands on the same words everywhere.

Lists get "•" or "1." markers and two columns of indent per level, code keeps its lines and
is indented four columns, quoted lines start with "│ ", a link's text is followed by its
number "[1]", images read "[image: alt]", and table rows are one line each with the cells of
a table aligned.
"""

from __future__ import annotations

from dataclasses import dataclass

from .blocks import Block, Document, Span

QUOTE_BAR = "│ "
CODE_INDENT = 4
RULE = "─" * 24
CELL_GAP = "  "
MAX_CELL_WIDTH = 40  # a longer cell is not padded to: it would push every row apart


@dataclass(frozen=True, slots=True)
class Placed:
    """Where one block landed in the text, and how its lines continue when wrapped.

    Every line of the block starts with a prefix (quote bars, indent, marker): ``first``
    columns on its first line, the string ``rest`` on each later one; a wrapped line
    continues after ``rest`` too. ``wrap`` is False for code and table rows."""

    start: int
    end: int
    kind: str
    first: int
    rest: str
    wrap: bool
    level: int = 0
    header: bool = False


@dataclass(frozen=True, slots=True)
class Layout:
    """The text of a Document, its blocks' places, and its inline spans (text offsets)."""

    text: str
    placed: tuple[Placed, ...]
    spans: tuple[Span, ...]
    links: tuple[str, ...]


def plain_text(doc: Document) -> str:
    """The article text of ``doc`` (no link list: see ``link_list``)."""
    return _lay(doc, places=False).text


def layout(doc: Document) -> Layout:
    """Lay ``doc`` out as text, remembering where each block and span went."""
    return _lay(doc, places=True)


def _lay(doc: Document, *, places: bool) -> Layout:
    """The layout; without ``places`` only its text (what storing an article needs: the
    blocks' places and spans are for the reading pane)."""
    widths = _column_widths(doc.blocks)
    pieces: list[str] = []
    placed: list[Placed] = []
    spans: list[Span] = []
    length = 0
    previous: Block | None = None
    for block in doc.blocks:
        if previous is not None:
            gap = "\n" if _tight(previous, block) else "\n\n"
            pieces.append(gap)
            length += len(gap)
        bars = QUOTE_BAR * block.quote
        indent = block.indent + (CODE_INDENT if block.kind == "code" else 0)
        marker = f"{block.marker} " if block.marker else ""
        first = bars + " " * indent + marker
        rest = bars + " " * (indent + len(marker))
        if block.kind == "row":
            body = _row_text(block, widths.get(_table_key(block), ()))
        elif block.kind == "rule":
            body = RULE
        else:
            body = block.text
        if "\n" in body:
            lines = body.split("\n")
            text = first + f"\n{rest}".join(lines)
        else:
            lines = [body]
            text = first + body
        if not places:
            pieces.append(text)
            length += len(text)
            previous = block
            continue
        # where each character of the block's own text moved: every line gained a prefix
        starts = [0]
        if block.spans:
            for line in lines[:-1]:
                starts.append(starts[-1] + len(line) + 1)
        for s in block.spans:
            spans.append(
                Span(
                    length + _moved(s.start, starts, len(first), len(rest)),
                    length + _moved(s.end, starts, len(first), len(rest), end=True),
                    s.kind,
                    s.link,
                )
            )
        placed.append(
            Placed(
                start=length,
                end=length + len(text),
                kind=block.kind,
                first=len(first),
                rest=rest,
                wrap=block.kind not in ("code", "row", "rule"),
                level=block.level,
                header=block.header,
            )
        )
        pieces.append(text)
        length += len(text)
        previous = block
    return Layout("".join(pieces), tuple(placed), tuple(spans), doc.links)


def _moved(offset: int, starts: list[int], first: int, rest: int, *, end: bool = False) -> int:
    line = 0
    for i, start in enumerate(starts):
        if offset > start or (offset == start and not end):
            line = i
    return offset + first + line * rest


def _tight(previous: Block, block: Block) -> bool:
    """Consecutive list items, and rows of one table, are not parted by a blank line."""
    if previous.kind == "item" and block.kind == "item":
        # one list, or into or out of a list nested in it; two lists side by side part
        return previous.group == block.group or previous.indent != block.indent
    return previous.kind == "row" and block.kind == "row" and previous.group == block.group


def _table_key(block: Block) -> tuple[int, int, int]:
    return (block.group, block.quote, block.indent)


def _column_widths(blocks: tuple[Block, ...]) -> dict[tuple[int, int, int], tuple[int, ...]]:
    widths: dict[tuple[int, int, int], list[int]] = {}
    for block in blocks:
        if block.kind != "row":
            continue
        table = widths.setdefault(_table_key(block), [])
        for i, cell in enumerate(block.cells):
            size = min(len(cell), MAX_CELL_WIDTH)
            if i < len(table):
                table[i] = max(table[i], size)
            else:
                table.append(size)
    return {key: tuple(value) for key, value in widths.items()}


def _row_text(block: Block, widths: tuple[int, ...]) -> str:
    cells = [cell.ljust(widths[i] if i < len(widths) else 0) for i, cell in enumerate(block.cells)]
    return CELL_GAP.join(cells).rstrip()


def link_list(links: tuple[str, ...]) -> str:
    """The numbered link targets printed after an article: "[1] https://…" per line."""
    return "\n".join(f"[{n}] {url}" for n, url in enumerate(links, 1))
