"""The article body in the app: the core's layout styled by offset and wrapped per block."""

from __future__ import annotations

from pathlib import Path

from newsreader.index.feeds.parse import parse_feed
from newsreader.index.models import Mention
from newsreader.index.reading import layout, parse_document
from newsreader.index.text import sanitize_html
from newsreader.tui.article_text import ArticleBody, styled_body, wrap_lines
from rich.console import Console

FIXTURE = Path(__file__).parents[1] / "fixtures" / "reading" / "structured.rss"


def _lines(html: str, width: int) -> list[str]:
    lay = layout(parse_document(sanitize_html(html)))
    body = styled_body(lay)
    return [line.text.plain for line in wrap_lines(body, lay.placed, width, Console(width=width))]


def test_styled_text_is_the_article_text_with_styles() -> None:
    entry = parse_feed(FIXTURE.read_bytes(), "https://workbench.example/f").entries[0]
    lay = layout(parse_document(entry.content_html))
    at = lay.text.index("Python")
    mention = Mention("Python", "Work", at, at + 6, "Python")
    body = styled_body(lay, [mention], ["compiler"])
    assert body.plain == lay.text
    styles = {body.plain[s.start : s.end]: str(s.style) for s in body.spans}
    assert styles["Setting up"] == "bold underline"
    assert styles["why"] == "italic" and styles["needed"] == "bold"
    assert styles["compiler"] == "bold reverse" and "italic" in styles["Python"]


def test_wrapped_quotes_keep_their_bars_and_items_their_hanging_indent() -> None:
    words = " ".join(["word"] * 12)
    lines = _lines(f"<blockquote><p>{words}</p></blockquote><ul><li>{words}</li></ul>", 24)
    quote = lines[: lines.index("")]
    assert len(quote) > 1 and all(line.startswith("│ ") for line in quote)
    items = lines[lines.index("") + 1 :]
    assert items[0].startswith("• word") and all(line.startswith("  word") for line in items[1:])
    assert all(len(line) <= 24 for line in lines)


def test_code_is_never_reflowed_only_folded() -> None:
    lines = _lines("<pre>$ make\n$ make test --with-a-very-long-option-name</pre>", 30)
    assert lines[0] == "    $ make"
    assert lines[1].startswith("    $ make test --with") and len(lines[1]) <= 30
    assert lines[2].startswith("    ")  # the folded rest stays in the code column


def test_body_renders_in_a_console() -> None:
    lay = layout(parse_document("<h1>Hi</h1><p>there</p>"))
    console = Console(width=40, record=True)
    console.print(ArticleBody(styled_body(lay), lay.placed))
    assert console.export_text() == "Hi\n\nthere\n"
