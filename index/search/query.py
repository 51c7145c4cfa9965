"""Turning what a user typed into a Whoosh query, never failing.

The query language is Whoosh's (AND by default, OR, NOT, parentheses, "phrases", prefix*,
fuzzy~, field:value, ranges) plus ``-word``, ``is:bookmarked|unread|read``, ``tag:`` and dates
that read ISO months and relative expressions. Before Whoosh sees the text, a repair pass fixes
what would make it misread the query (an odd quote, an unmatched bracket, an unknown field) and
records a warning for each repair; the result is the best reading of the text, never an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from whoosh import qparser, query
from whoosh.qparser import syntax
from whoosh.qparser.dateparse import DateParserPlugin, DateRangeNode

from ..entities.fields import ENTITY_FIELDS, FIELD_ALIASES
from .analysis import fold
from .dates import date_span
from .schema import DEFAULT_FIELDS, FIELD_BOOSTS

MAX_QUERY_CHARS = 1000

QUERY_HELP = """\
Words match titles, bodies, authors and feed names (title matches rank highest); all words
must match. Words are stemmed and accents ignored: mosul finds "Mosul's", cafe finds "café".
  a OR b            either word           "exact phrase"     words in this order
  a NOT b, a -b     a without b           (a OR b) c         grouping
  elect*            words starting so     goverment~         one typo away (~2: two)
  title:  author:  feed:  tag:            one field          person: org: place: group:
  is:unread  is:read  is:bookmarked       article state
  published:2024-09   published:2024-09-03   published:yesterday   date:"last week"
  published:[2024-09-01 to 2024-09-30]    published:[last week to now]   published:[-3d to]
Dates are UTC. A query that cannot be read as written runs its best reading and says what
it ignored. No query at all lists every article, newest first."""

# Names a user may put before a colon, and the index field each one means.
FIELD_NAMES: dict[str, str] = {
    "title": "title",
    "body": "body",
    "text": "body",
    "author": "author",
    "by": "author",
    "feed": "feed",
    "tag": "tags",
    "tags": "tags",
    "published": "published",
    "date": "published",
    **{f: f for f in ENTITY_FIELDS},
    **FIELD_ALIASES,
}
IS_VALUES = {
    "bookmarked": "bookmarked:true",
    "bookmark": "bookmarked:true",
    "starred": "bookmarked:true",
    "unread": "read:false",
    "new": "read:false",
    "read": "read:true",
}
_FIELD_RE = re.compile(r"(?<![\w:.])([A-Za-z_][\w]*):")
_IS_RE = re.compile(r"(?<![\w:.])is:(\w*)", re.IGNORECASE)
_MINUS_RE = re.compile(r"(?:(?<=^)|(?<=[\s(]))-(?=[\w\"(])")
_PLUS_RE = re.compile(r"(?:(?<=^)|(?<=[\s(]))\+(?=[\w\"(])")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_PAIRS = {"(": ")", "[": "]", "{": "}"}
_CLOSERS = {v: k for k, v in _PAIRS.items()}


@dataclass
class ParsedQuery:
    """A query ready to run: ``query`` is None when the text asks for everything."""

    text: str
    query: query.Query | None
    warnings: list[str] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)


# -- repairing the text ---------------------------------------------------------------------


def _split_quoted(text: str) -> list[tuple[bool, str]]:
    """Split into (inside_quotes, chunk) pieces; quotes stay with their quoted chunk."""
    out: list[tuple[bool, str]] = []
    pos = 0
    while True:
        i = text.find('"', pos)
        if i < 0:
            out.append((False, text[pos:]))
            return out
        j = text.find('"', i + 1)
        if j < 0:  # callers removed odd quotes, but be safe
            out.append((False, text[pos:]))
            return out
        out.append((False, text[pos:i]))
        out.append((True, text[i : j + 1]))
        pos = j + 1


def _balance(pieces: list[tuple[bool, str]], warnings: list[str]) -> list[tuple[bool, str]]:
    """Drop brackets that have no partner (outside quotes), with one warning per kind."""
    stack: list[tuple[int, int, str]] = []  # piece index, char index, char
    drop: set[tuple[int, int]] = set()
    for pi, (quoted, chunk) in enumerate(pieces):
        if quoted:
            continue
        for ci, ch in enumerate(chunk):
            if ch in _PAIRS:
                stack.append((pi, ci, ch))
            elif ch in _CLOSERS:
                # ranges may be written [a to b} (exclusive end): any closer ends a range
                opener = _CLOSERS[ch]
                if stack and (stack[-1][2] == opener or (ch in "]}" and stack[-1][2] in "[{")):
                    stack.pop()
                else:
                    drop.add((pi, ci))
                    warnings.append(f"ignored an unmatched {ch!r}")
    for pi, ci, ch in stack:
        drop.add((pi, ci))
        warnings.append(f"ignored an unmatched {ch!r}")
    if not drop:
        return pieces
    out = []
    for pi, (quoted, chunk) in enumerate(pieces):
        if not quoted:
            # right after "field:" the bracket goes, so the field keeps its value
            chunk = "".join(
                ("" if ci and chunk[ci - 1] == ":" else " ") if (pi, ci) in drop else ch
                for ci, ch in enumerate(chunk)
            )
        out.append((quoted, chunk))
    return out


def _rewrite_unquoted(chunk: str, warnings: list[str]) -> str:
    def is_value(m: re.Match[str]) -> str:
        value = m.group(1).lower()
        if value in IS_VALUES:
            return " " + IS_VALUES[value] + " "
        known = ", ".join(sorted({"bookmarked", "unread", "read"}))
        warnings.append(f"ignored is:{m.group(1)} (is: takes {known})")
        return " "

    chunk = _IS_RE.sub(is_value, chunk)

    def field_name(m: re.Match[str]) -> str:
        name = m.group(1)
        if name in ("bookmarked", "read") and m.string[m.end() : m.end() + 4] in ("true", "fals"):
            return m.group(0)  # produced by the is: rewrite above
        target = FIELD_NAMES.get(name.lower())
        if target is None:
            warnings.append(f"unknown field {name}: searched as a word")
            return name + " "
        return target + ":"

    chunk = _FIELD_RE.sub(field_name, chunk)
    chunk = _MINUS_RE.sub("NOT ", chunk)
    return _PLUS_RE.sub("", chunk)


def repair(text: str) -> tuple[str, list[str]]:
    """The query text Whoosh will read, and what had to be changed to get it."""
    warnings: list[str] = []
    text = _CONTROL_RE.sub(" ", text)
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS]
        warnings.append(f"query cut to its first {MAX_QUERY_CHARS} characters")
    if text.count('"') % 2:
        i = text.rfind('"')
        text = text[:i] + " " + text[i + 1 :]
        warnings.append('ignored an unmatched "')
    pieces = _balance(_split_quoted(text), warnings)
    out = []
    for quoted, chunk in pieces:
        out.append(chunk if quoted else _rewrite_unquoted(chunk, warnings))
    return " ".join("".join(out).split()), warnings


# -- dates ------------------------------------------------------------------------------------


class _IgnoredNode(syntax.SyntaxNode):
    """A clause that was dropped (a date that could not be read); matches nothing on its own."""

    def __init__(self, node: Any) -> None:
        self.node = node

    def r(self) -> str:
        return "IGNORED"

    @property
    def startchar(self) -> int:
        return int(self.node.startchar)

    @property
    def endchar(self) -> int:
        return int(self.node.endchar)

    def query(self, parser: Any) -> query.Query:
        return query.NullQuery


class _DatePlugin(DateParserPlugin):
    """Whoosh's date plugin with our date grammar (ISO months, "last week", "3 days ago")."""

    def __init__(self, now: datetime, warnings: list[str]) -> None:
        super().__init__(basedate=now)
        self.now = now
        self.warnings = warnings

    def _bad(self, text: str, node: Any) -> Any:
        self.warnings.append(f"ignored a date it could not read: {text!r}")
        return _IgnoredNode(node)

    def text_to_dt(self, node: Any) -> Any:
        span = date_span(node.text, self.now)
        if span is None:
            return self._bad(node.text, node)
        n = DateRangeNode(node.fieldname, span[0], span[1])
        n.startchar, n.endchar = node.startchar, node.endchar
        return n

    def range_to_dt(self, node: Any) -> Any:
        start = end = None
        if node.start:
            s = date_span(node.start, self.now)
            if s is None:
                return self._bad(node.start, node)
            start = s[0]
        if node.end:
            e = date_span(node.end, self.now)
            if e is None:
                return self._bad(node.end, node)
            end = e[1]
        if start and end and start > end:
            start, end = end.replace(hour=0, minute=0, second=0, microsecond=0), start
        n = DateRangeNode(node.fieldname, start, end)
        n.startchar, n.endchar = node.startchar, node.endchar
        return n


# -- parsing ----------------------------------------------------------------------------------


def make_parser(schema: Any, now: datetime, warnings: list[str]) -> qparser.QueryParser:
    parser = qparser.MultifieldParser(
        list(DEFAULT_FIELDS), schema, fieldboosts=FIELD_BOOSTS, group=qparser.AndGroup
    )
    parser.remove_plugin_class(qparser.SingleQuotePlugin)  # apostrophes are not quotes
    parser.remove_plugin_class(qparser.BoostPlugin)  # "^" in news text is not a boost
    parser.add_plugin(qparser.FuzzyTermPlugin())
    parser.add_plugin(qparser.GtLtPlugin())
    parser.add_plugin(_DatePlugin(now, warnings))
    return parser


def parse(text: str, schema: Any, *, now: datetime | None = None) -> ParsedQuery:
    """The best reading of ``text``; problems become warnings, never exceptions."""
    stripped = text.strip()
    if not stripped:
        return ParsedQuery(text="", query=None)
    now = now or datetime.now(UTC).replace(tzinfo=None)
    repaired, warnings = repair(stripped)
    if not repaired:
        return ParsedQuery(text="", query=None, warnings=warnings)
    try:
        q = make_parser(schema, now, warnings).parse(repaired)
    except Exception as exc:  # Whoosh's parser can trip on odd input: fall back to words
        warnings.append(
            f"could not read the query's syntax ({type(exc).__name__}); searched its words"
        )
        # lower case, so a stray AND/OR/NOT is a word again, not an operator with no operand
        words = " ".join(re.findall(r"\w+", repaired)).lower()
        try:
            q = make_parser(schema, now, warnings).parse(words) if words else query.NullQuery
        except Exception:
            q = query.NullQuery
        if q is query.NullQuery:
            return ParsedQuery(text=repaired, query=query.NullQuery, warnings=warnings)
    q = q.normalize()
    if q is query.NullQuery and not warnings:
        warnings.append("the query holds only very common words; nothing to search")
    return ParsedQuery(text=repaired, query=q, warnings=warnings, terms=positive_words(q))


def positive_words(q: query.Query) -> list[str]:
    """The words a match must (or may) contain, as typed-ish: for highlighting in the reader."""
    seen: dict[str, None] = {}

    def walk(node: query.Query) -> None:
        if isinstance(node, query.Not):
            return
        if isinstance(node, query.AndNot):
            walk(node.a)
            return
        if isinstance(node, query.Phrase):
            for w in node.words:
                seen.setdefault(str(w), None)
            return
        if isinstance(node, query.Prefix):
            seen.setdefault(str(node.text) + "*", None)
            return
        if isinstance(node, query.Term) and node.fieldname not in ("read", "bookmarked"):
            if isinstance(node.text, str):
                seen.setdefault(node.text, None)
            return
        for child in node.children():
            walk(child)

    walk(q)
    return list(seen)


def surface_words(text: str) -> list[str]:
    """Folded words of the raw query outside field prefixes and operators (for ``terms``)."""
    out = []
    for w in re.findall(r"\w+", text):
        if w in ("AND", "OR", "NOT", "TO", "to"):
            continue
        out.append(fold(w))
    return out
