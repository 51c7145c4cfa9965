"""Turning what a user typed into a Whoosh query, never failing.

The query language is Whoosh's (AND by default, OR, NOT, parentheses, "phrases", prefix*,
fuzzy~, field:value, ranges) plus ``-word``, ``is:bookmarked|unread|read|hidden``, ``tag:``, ``folder:`` and dates
that read ISO months and relative expressions. Before Whoosh sees the text, a repair pass fixes
what would make it misread the query (an odd quote, an unmatched bracket, an unknown field) and
records a warning for each repair; the result is the best reading of the text, never an error.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from whoosh import qparser, query
from whoosh.qparser import syntax
from whoosh.qparser.dateparse import DateParserPlugin, DateRangeNode

from ..entities.fields import ENTITY_FIELDS, FIELD_ALIASES
from .analysis import TOKEN_RE, fold, is_stop, query_leaves, query_word
from .dates import date_span
from .schema import DEFAULT_FIELDS, FIELD_BOOSTS, NewsAnalyzer

MAX_QUERY_CHARS = 1000

QUERY_HELP = """\
Words match titles, bodies and authors (title matches rank highest); all words must match,
except little words such as "the", "of", "die", "и", which only rank what has them higher.
Words are stemmed in each article's language and accents ignored: mosul finds "Mosul's",
cafe finds "café", strasse finds "Straße"; e-mail finds email, 185000 finds "185,000".
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
    "folder": "folder",
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
    "hidden": "hidden:true",
}
_FIELD_RE = re.compile(r"(?<![\w:.])([A-Za-z_][\w]*):")
_IS_RE = re.compile(r"(?<![\w:.])is:(\w*)", re.IGNORECASE)
_MINUS_RE = re.compile(r"(?:(?<=^)|(?<=[\s(]))-(?=[\w\"(])")
_PLUS_RE = re.compile(r"(?:(?<=^)|(?<=[\s(]))\+(?=[\w\"(])")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_URL_RE = re.compile(r"\b(?:https?|ftp)://[^\s\"()]+", re.IGNORECASE)
# a date or time value holding a colon (2024-01-31T00:00): Whoosh would cut it at the colon
_TIMED_DATE_RE = re.compile(r"(?<![\w:.])((?:published|date):)(\d[\w\-/.]*:[\w:.+\-]*)")
_OPERATOR_WORDS = ("AND", "OR", "NOT", "ANDNOT", "ANDMAYBE")
_PAIRS = {"(": ")", "[": "]", "{": "}"}
_CLOSERS = {v: k for k, v in _PAIRS.items()}


@dataclass
class ParsedQuery:
    """A query ready to run: ``query`` is None when the text asks for everything."""

    text: str
    query: query.Query | None
    warnings: list[str] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)
    # the stop words of ``terms`` that are only optional (they rank, they do not match):
    # not marked in snippets and the reader, where every "the" and "of" would be noise
    quiet: frozenset[str] = frozenset()

    @property
    def marked_terms(self) -> list[str]:
        """The words to mark in matching text: ``terms`` without the quiet ones."""
        return [t for t in self.terms if t not in self.quiet]


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


def _rewrite_unquoted(chunk: str, warnings: list[str], quote_follows: bool = False) -> str:
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
        if name in ("bookmarked", "read", "hidden") and m.string[m.end() : m.end() + 4] in (
            "true",
            "fals",
        ):
            return m.group(0)  # produced by the is: rewrite above
        target = FIELD_NAMES.get(name.lower())
        if target is None:
            warnings.append(f"unknown field {name}: searched as a word")
            return name + " "
        rest = m.string[m.end() :]
        if (not rest and not quote_follows) or (rest and (rest[0].isspace() or rest[0] == ")")):
            warnings.append(f"ignored {name}: (nothing after it to search for)")
            return " "
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
    pieces = _split_quoted(text)
    # a pasted address is searched as the phrase of its words, not read as a field "http:"
    pieces = [
        (True, chunk) if quoted else (False, _URL_RE.sub(_url_phrase, chunk))
        for quoted, chunk in pieces
    ]
    pieces = _split_quoted("".join(chunk for _, chunk in pieces))
    pieces = _balance(pieces, warnings)
    out = []
    for i, (quoted, chunk) in enumerate(pieces):
        if quoted:
            out.append(chunk)
            continue
        chunk = _TIMED_DATE_RE.sub(lambda m: f'{m.group(1)}"{m.group(2)}"', chunk)
        quote_follows = i + 1 < len(pieces) and pieces[i + 1][0]
        out.append(_rewrite_unquoted(chunk, warnings, quote_follows))
    return _drop_dangling(" ".join("".join(out).split()), warnings), warnings


def _url_phrase(m: re.Match[str]) -> str:
    words = re.findall(r"[^\W_]+(?:[._-][^\W_]+)*", m.group().split("://", 1)[1])
    return '"' + " ".join(words) + '"' if words else " "


def without_dangling(text: str) -> str:
    """``text`` (words separated by single spaces) without the operators ``repair`` ignores
    at its ends: a correction of "apple OR" is "apply", not "apply OR"."""
    return _drop_dangling(text, [])


def _drop_dangling(text: str, warnings: list[str]) -> str:
    """Remove an operator with nothing on one side ("apple OR", "AND pears"): typed halfway."""
    words = text.split(" ")
    dropped = []
    while words and words[-1] in _OPERATOR_WORDS:
        dropped.append(words.pop())
    while words and words[0] in ("AND", "OR", "ANDNOT", "ANDMAYBE"):
        dropped.append(words.pop(0))
    for w in dropped:
        warnings.append(f"ignored {w} with nothing after it")
    return " ".join(words)


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
    """A parser for ``schema`` whose dates are relative to ``now`` and whose repairs go to
    ``warnings``."""
    parser = qparser.MultifieldParser(
        list(DEFAULT_FIELDS), schema, fieldboosts=FIELD_BOOSTS, group=qparser.AndGroup
    )
    parser.remove_plugin_class(qparser.SingleQuotePlugin)  # apostrophes are not quotes
    parser.remove_plugin_class(qparser.BoostPlugin)  # "^" in news text is not a boost
    parser.add_plugin(qparser.FuzzyTermPlugin())
    parser.add_plugin(qparser.GtLtPlugin())
    parser.add_plugin(_DatePlugin(now, warnings))
    return parser


# Building a parser (its plugins, Whoosh's English date grammar) took longer than parsing a
# query, so one parser per schema is kept and given the query's time and warnings list.
_PARSERS: dict[int, tuple[Any, qparser.QueryParser, _DatePlugin]] = {}
_PARSERS_KEPT = 8
_PARSER_LOCK = threading.Lock()


def _parse_text(schema: Any, text: str, now: datetime, warnings: list[str]) -> query.Query:
    with _PARSER_LOCK:
        got = _PARSERS.get(id(schema))
        if got is None or got[0] is not schema:
            if len(_PARSERS) >= _PARSERS_KEPT:
                _PARSERS.clear()
            parser = make_parser(schema, now, warnings)
            plugin = next(p for p in parser.plugins if isinstance(p, _DatePlugin))
            got = _PARSERS[id(schema)] = (schema, parser, plugin)
        _schema, parser, plugin = got
        plugin.now = plugin.basedate = now
        plugin.warnings = warnings
        try:
            return parser.parse(text)
        finally:
            plugin.warnings = []  # not kept alive by the cache


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
        q = _parse_text(schema, repaired, now, warnings)
    except Exception as exc:  # Whoosh's parser can trip on odd input: fall back to words
        warnings.append(
            f"could not read the query's syntax ({type(exc).__name__}); searched its words"
        )
        # lower case, so a stray AND/OR/NOT is a word again, not an operator with no operand
        words = " ".join(re.findall(r"\w+", repaired)).lower()
        try:
            q = _parse_text(schema, words, now, warnings) if words else query.NullQuery
        except Exception:
            q = query.NullQuery
        if q is query.NullQuery:
            return ParsedQuery(text=repaired, query=query.NullQuery, warnings=warnings)
    q = q.normalize()
    if q is query.NullQuery:
        if not warnings:
            warnings.append("nothing in the query could be searched")
        return ParsedQuery(text=repaired, query=q, warnings=warnings)
    q = optional_words(as_words(q, schema, case_spellings(repaired)))
    terms = positive_words(q)
    return ParsedQuery(
        text=repaired, query=q, warnings=warnings, terms=terms, quiet=_quiet_words(q, terms)
    )


class WordTerm(query.Term):
    """A word as typed, in a field the search analysers made: the engine matches it as any
    of its index terms (its stem in each language of the library, its folded form, ...).

    ``text`` is case-folded (as the parser hands it on); ``spelled`` is the word in the case
    it was typed in when that case marks its parts ("ElementById": element, by, id).
    """

    spelled: str | None = None


def as_words(q: query.Query, schema: Any, spellings: dict[str, str] | None = None) -> query.Query:
    """``q`` with each plain term of an analysed field made a ``WordTerm``; ``spellings``
    gives the case a word was typed in where its case marks its parts (``WordTerm.spelled``)."""
    if type(q) is query.Term:
        names = schema.names()
        field_type = schema[q.fieldname] if q.fieldname in names else None
        if field_type is not None and isinstance(field_type.analyzer, NewsAnalyzer):
            word = WordTerm(q.fieldname, q.text, boost=q.boost)
            if spellings and isinstance(q.text, str) and q.text in spellings:
                word.spelled = spellings[q.text]
            return word
        return q
    return q.apply(lambda child: as_words(child, schema, spellings))


def case_spellings(text: str) -> dict[str, str]:
    """The words of ``text`` whose case splits them into parts ("ElementById"), by the
    case-folded form the parser hands on."""
    out: dict[str, str] = {}
    for token in TOKEN_RE.findall(text):
        word = query_word(token)
        folded = word.casefold()
        if folded != word and query_leaves(word) != query_leaves(folded):
            out.setdefault(folded, word)
    return out


def _word_clause(q: query.Query) -> tuple[str, query.Query | None, query.Query | None] | None:
    """(word, its clause without the feed field, its feed part) when ``q`` is one plain word
    searched over the default fields (what the parser makes of a bare word), else None."""
    if type(q) is not query.Or:  # a lone WordTerm is a field the user named: as asked
        return None
    kids = list(q.children())
    if not kids or not all(isinstance(k, WordTerm) for k in kids):
        return None
    if len({k.text for k in kids}) != 1 or not all(k.fieldname in DEFAULT_FIELDS for k in kids):
        return None
    rest = [k for k in kids if k.fieldname != "feed"]
    feed = [k for k in kids if k.fieldname == "feed"]
    required = (rest[0] if len(rest) == 1 else query.Or(rest, boost=q.boost)) if rest else None
    return str(kids[0].text), required, (feed[0] if feed else None)


def optional_words(q: query.Query) -> query.Query:
    """Make stop words and feed names count towards the score without being required.

    In a run of words (an AND), a stop word ("the", "of", "die") and a word's match in a feed
    name are optional: they rank the articles that have them higher and never remove a hit.
    A query of stop words alone ("The Who") needs them all, as it has nothing else. Phrases
    are untouched: their stop words stay exact.
    """
    children: list[query.Query]
    if isinstance(q, query.And):
        children = [c if _word_clause(c) else optional_words(c) for c in q.children()]
    elif isinstance(q, WordTerm):
        return q  # one field named by the user (feed:wire): as asked
    elif _word_clause(q) is not None:
        children = [q]
    elif type(q) is query.Or and all(isinstance(c, WordTerm) for c in q.children()):
        # a OR b over the default fields: a match in a feed name alone does not count
        kids = list(q.children())
        rest = [c for c in kids if c.fieldname != "feed"]
        feed = [c for c in kids if c.fieldname == "feed"]
        if not rest or not feed or any(c.fieldname not in DEFAULT_FIELDS for c in kids):
            return q
        return query.AndMaybe(query.Or(rest, boost=q.boost), query.Or(feed))
    else:
        return q.apply(optional_words) if isinstance(q, query.CompoundQuery) else q
    required: list[query.Query] = []
    stops: list[query.Query] = []
    extra: list[query.Query] = []
    for child in children:
        clause = _word_clause(child)
        if clause is None:
            required.append(child)
            continue
        word, main, feed_part = clause
        if feed_part is not None:
            extra.append(feed_part)
        if main is None:
            continue
        (stops if is_stop(word) else required).append(main)
    if not required:
        required, stops = stops, []
    optional = stops + extra
    if not required:
        return query.NullQuery  # nothing but feed-name words: they alone never match
    base = required[0] if len(required) == 1 else query.And(required, boost=q.boost)
    if not optional:
        return base
    return query.AndMaybe(base, optional[0] if len(optional) == 1 else query.Or(optional))


def _quiet_words(q: query.Query, terms: list[str]) -> frozenset[str]:
    """Stop words that only the optional part of an ``AndMaybe`` holds (see ``optional_words``)."""
    optional: set[str] = set()
    required: set[str] = set()

    def walk(node: query.Query) -> None:
        if isinstance(node, query.AndMaybe):
            walk(node.a)
            optional.update(w for w in positive_words(node.b) if is_stop(w))
            return
        if isinstance(node, query.Phrase):
            required.update(str(w) for w in node.words)
            return
        if isinstance(node, query.Term) and isinstance(node.text, str):
            required.add(getattr(node, "spelled", None) or node.text)
            return
        for child in node.children():
            walk(child)

    walk(q)
    return frozenset(w for w in optional - required if w in terms)


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
        if isinstance(node, query.Term) and node.fieldname not in ("read", "bookmarked", "hidden"):
            if isinstance(node.text, str):
                seen.setdefault(getattr(node, "spelled", None) or node.text, None)
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
