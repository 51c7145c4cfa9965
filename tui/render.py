"""Feed text made ready to show: plain ``rich.text.Text`` with styles from spans we compute.

Nothing from a feed is ever parsed as markup: text goes into ``Text`` objects as it is, after
terminal escapes and control characters are removed (``safe_text``), and entity and search
term highlights are added as spans by offset. Cleaning happens piece by piece between the
highlight offsets, so offsets computed on the stored text still point at the right words.
No widgets here: the reading pane, the entity panel and the article list use these.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from itertools import pairwise

from newsreader.index.models import ENTITY_TYPES, Article, Enclosure, Mention, SearchHit
from newsreader.index.text import is_openable_url, safe_text
from rich.style import Style
from rich.text import Text

# Colour says the type; bold or italic too, so types stay apart when NO_COLOR is set.
ENTITY_STYLES: dict[str, str] = {
    "Person": "bold #4a9fe8",
    "Organization": "bold #c768c7",
    "Place": "bold #2e9e5b",
    "Group": "bold #d2891a",
    "Date": "italic #7d8fa3",
    "Event": "bold #dc5a4a",
    "Work": "italic #2a9fb0",
    "Law": "italic #b39a1c",
}
TERM_STYLE = "bold reverse"
DATE_FORMAT = "%Y-%m-%d %H:%M"

# (start, end, style) over the raw text
StyledSpan = tuple[int, int, str | Style]
# What callers may pass as mentions: Mention, or (field, Mention) as Library.article_entities gives
MentionLike = Mention | tuple[str, Mention]


def styled(text: str, spans: Iterable[StyledSpan] = (), *, one_line: bool = False) -> Text:
    """``text`` cleaned of escapes and control characters, with ``spans`` styled.

    Spans are offsets into the raw ``text``; ones outside it or empty are ignored. Tabs become
    spaces; with ``one_line`` line breaks do too (titles, names).
    """
    good = [(s, e, st) for s, e, st in spans if 0 <= s < e <= len(text)]
    cuts = sorted({0, len(text), *(s for s, _, _ in good), *(e for _, e, _ in good)})
    pieces: list[str] = []
    moved: dict[int, int] = {}
    length = 0
    for a, b in pairwise(cuts):
        moved[a] = length
        piece = safe_text(text[a:b]).replace("\t", " ")
        if one_line:
            piece = piece.replace("\n", " ")
        pieces.append(piece)
        length += len(piece)
    moved[len(text)] = length
    result = Text("".join(pieces), end="")
    for s, e, st in good:
        if moved[s] < moved[e]:
            result.stylize(st, moved[s], moved[e])
    return result


def split_mentions(mentions: Iterable[MentionLike]) -> tuple[list[Mention], list[Mention]]:
    """Mentions of the title and of the body, from plain Mentions (body) or (field, Mention)."""
    title: list[Mention] = []
    body: list[Mention] = []
    for item in mentions:
        if isinstance(item, Mention):
            body.append(item)
        else:
            field, mention = item
            (title if field == "title" else body).append(mention)
    return title, body


def entity_spans(text: str, mentions: Iterable[Mention]) -> list[StyledSpan]:
    """Styled spans for the mentions that really point at their words in ``text``.

    Mentions from an older version of the text (offsets that no longer match) and ones that
    overlap an earlier mention are skipped rather than painting the wrong words.
    """
    found: list[StyledSpan] = []
    last_end = 0
    for m in sorted(mentions, key=lambda m: (m.start, -m.end)):
        if m.start < last_end or not (0 <= m.start < m.end <= len(text)):
            continue
        if text[m.start : m.end] != m.text:
            continue
        found.append((m.start, m.end, ENTITY_STYLES.get(m.label, "bold")))
        last_end = m.end
    return found


def term_spans(text: str, terms: Sequence[str]) -> list[StyledSpan]:
    """Styled spans for the words of ``text`` that match search ``terms`` as the index does.

    ``terms`` may be index forms (``SearchResults.terms``) or words as typed: a word's own
    index form is added, so "elections" matches "election" and "Elections".
    """
    if not terms or not text:
        return []
    from newsreader.index.search.analysis import index_form
    from newsreader.index.search.highlight import match_spans

    forms: list[str] = []
    for term in terms:
        forms.append(term)
        if not term.endswith("*"):
            form = index_form(term)
            if form and form != term:
                forms.append(form)
    return [(s, e, TERM_STYLE) for s, e in match_spans(text, forms)]


def article_body(text: str, mentions: Sequence[Mention], terms: Sequence[str] = ()) -> Text:
    """An article's clean text with its entities styled by type and search terms marked."""
    return styled(text, [*entity_spans(text, mentions), *term_spans(text, terms)])


def article_title(title: str, mentions: Sequence[Mention] = (), terms: Sequence[str] = ()) -> Text:
    """A title on one line with its entities and search terms styled."""
    return styled(title, [*entity_spans(title, mentions), *term_spans(title, terms)], one_line=True)


def legend(labels: Iterable[str] | None = None) -> Text:
    """One line naming each entity type in its own style (only ``labels`` when given)."""
    wanted = set(ENTITY_TYPES if labels is None else labels)
    parts = [Text(label, style=ENTITY_STYLES[label]) for label in ENTITY_TYPES if label in wanted]
    return Text("  ").join(parts)


def hit_title(hit: SearchHit) -> Text:
    """A search hit's title with the matched words marked."""
    return styled(hit.title, [(s, e, TERM_STYLE) for s, e in hit.title_highlights], one_line=True)


def snippet(hit: SearchHit) -> Text:
    """A search hit's snippet with the matched words marked."""
    return styled(hit.snippet, [(s, e, TERM_STYLE) for s, e in hit.highlights], one_line=True)


def plain(value: str | None) -> Text:
    """Any untrusted string (feed name, author, link) as inert one-line Text."""
    return styled(value or "", one_line=True)


def link_line(url: str | None) -> Text:
    """An article's link as inert text; one that is not http(s) says it will not be opened."""
    line = plain(url)
    if url and not is_openable_url(url):
        line.stylize("strike")
        line.append("  (not http/https: o will not open it)", style="italic")
    return line


def media_lines(enclosures: Sequence[Enclosure]) -> Text:
    """An article's enclosures, one a line: "♪ audio/mpeg, 46.0 MB  https://…"."""
    from newsreader.index.exports import enclosure_facts

    lines = []
    for enc in enclosures:
        mark = "♪" if enc.media else "⎘"
        line = Text(f"{mark} {enclosure_facts(enc)}  ", style="bold")
        line.append_text(plain(enc.url))
        lines.append(line)
    return Text("\n").join(lines)


def format_date(value: datetime | None) -> str:
    return value.strftime(DATE_FORMAT) if value else ""


def article_meta(article: Article) -> Text:
    """The line under an article's title: feed · author · date."""
    parts = [plain(article.feed_title)]
    if article.author:
        parts.append(plain(article.author))
    if article.published:
        parts.append(Text(format_date(article.published)))
    return Text(" · ", style="dim").join(p for p in parts if p.plain)
