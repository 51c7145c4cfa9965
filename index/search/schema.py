"""The search index's schema and the analysers that turn text into index terms.

Two analysers: ``NewsAnalyzer`` (lowercase, accent folding, stop words, Porter stems) for
prose, and the same without stems or stop words for names (author, entities). Both are one
fused pass with a word-form cache instead of Whoosh's chain of filters: indexing is dominated
by analysis, and news vocabulary repeats a lot. The highlighter and the query code use
``index_form`` so that they agree with the index exactly.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whoosh import fields
from whoosh.analysis import Analyzer, Token
from whoosh.analysis.filters import STOP_WORDS
from whoosh.system import pack_uint

from ..entities.fields import ENTITY_FIELDS as ENTITY_FIELDS  # the one label <-> field map
from .analysis import (
    _MIN_LEN,
    _MISSING,
    _NAME_FORMS,
    _PLAIN_FORMS,
    _PROSE_FORMS,
    _VALUE_GAP,
    VALUE_SEPARATOR,
    WORD_RE,
    _form,
    fold,
    stem,
)


class NewsAnalyzer(Analyzer):
    """Tokenise on word characters, fold case and accents, drop stop words, stem.

    With ``stemmed=False`` (names) no stop words are dropped and no stems taken. Values joined
    by ``VALUE_SEPARATOR`` get a position gap so phrases stay within one value.
    """

    def __init__(self, stemmed: bool = True) -> None:
        self.stemmed = stemmed

    def has_morph(self) -> bool:
        return self.stemmed

    def terms(self, value: str, *, no_morph: bool = False) -> list[tuple[str, int]]:
        """(term, position) pairs for indexing: the fast path that skips Token objects."""
        out: list[tuple[str, int]] = []
        stemmed = self.stemmed and not no_morph
        pos = 0
        for part_no, part in enumerate(
            value.split(VALUE_SEPARATOR) if not self.stemmed else [value]
        ):
            if part_no:
                pos += _VALUE_GAP
            forms = _PROSE_FORMS if stemmed else _PLAIN_FORMS if self.stemmed else _NAME_FORMS
            for word in WORD_RE.findall(part):
                w = forms.get(word, _MISSING)
                if w is _MISSING:
                    w = _form(word, forms, stemmed, self.stemmed)
                if w is None:
                    continue
                out.append((w, pos))
                pos += 1
        return out

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        no_morph: bool = False,
        **kwargs: Any,
    ) -> Iterator[Token]:
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        # untokenised text is a prefix, wildcard or range end: stemming would cut it short
        stemmed = self.stemmed and not no_morph and tokenize
        if not tokenize:
            spans: Any = [(value, start_char, start_char + len(value))]
        else:
            spans = (
                (m.group(), start_char + m.start(), start_char + m.end())
                for m in WORD_RE.finditer(value)
            )
        pos = start_pos
        for text, sc, ec in spans:
            w = fold(text)
            if tokenize and len(w) < _MIN_LEN:
                continue
            is_stop = self.stemmed and w in STOP_WORDS
            if is_stop and removestops:
                continue
            if stemmed and not is_stop:
                w = stem(w)
            t.text = w
            t.stopped = is_stop
            t.boost = 1.0
            if keeporiginal:
                t.original = text
            if positions:
                t.pos = pos
            if chars:
                t.startchar, t.endchar = sc, ec
            pos += 1
            yield t


class NewsText(fields.TEXT):
    """A TEXT field whose indexing skips Whoosh's per-token machinery (same terms, faster)."""

    def index(self, value: Any, **kwargs: Any) -> Iterator[tuple[bytes, int, float, bytes]]:
        ana = self.analyzer
        if not isinstance(ana, NewsAnalyzer) or not isinstance(value, str):
            yield from super().index(value, **kwargs)
            return
        poses: dict[str, list[int]] = {}
        for w, p in ana.terms(value):
            lst = poses.get(w)
            if lst is None:
                poses[w] = [p]
            else:
                lst.append(p)
        fmt = self.format
        fb = fmt.field_boost
        if isinstance(fmt, fields.formats.Positions):
            for w, plist in poses.items():
                n = len(plist)
                yield (w.encode("utf-8"), n, n * fb, fmt.encode(plist))
        else:
            for w, plist in poses.items():
                n = len(plist)
                yield (w.encode("utf-8"), n, n * fb, pack_uint(n))

    def spellable_words(self, value: Any) -> Iterator[str]:
        ana = self.analyzer
        if isinstance(ana, NewsAnalyzer) and isinstance(value, str):
            return iter(sorted({w for w, _ in ana.terms(value, no_morph=True)}))
        return super().spellable_words(value)


class PublishedField(fields.DATETIME):
    """A DATETIME indexed as one term per document instead of eight.

    Date ranges are answered from the sortable column (see ``ranking``), so the trie terms
    Whoosh adds for fast range queries would only slow indexing down.
    """

    def __init__(self, stored: bool = False, unique: bool = False, sortable: bool = False) -> None:
        fields.NUMERIC.__init__(
            self, int, 64, stored=stored, unique=unique, shift_step=0, sortable=sortable
        )


PROSE = NewsAnalyzer(stemmed=True)
NAMES = NewsAnalyzer(stemmed=False)

# Fields that plain words search, and their weights (title matches count most).
DEFAULT_FIELDS = ("title", "body", "author", "feed")
FIELD_BOOSTS = {"title": 3.0, "body": 1.0, "author": 1.5, "feed": 1.0}


def make_schema() -> fields.Schema:
    """The index schema (version it via SCHEMA_VERSION when it changes)."""
    return fields.Schema(
        id=fields.ID(unique=True, stored=True),
        feed_id=fields.NUMERIC(int, bits=64, stored=True, sortable=True, shift_step=0),
        # No positions for the fields whose text is stored: decoding them made every posting
        # list three times slower to read (a name's title and author postings cost more
        # than its body postings), and phrases in these fields are checked against the stored
        # text instead (``ranking``). Entity fields keep positions: their text is not stored.
        feed=NewsText(analyzer=PROSE, stored=True, phrase=False),
        title=NewsText(analyzer=PROSE, stored=True, phrase=False),
        body=NewsText(analyzer=PROSE, phrase=False),
        body_z=fields.STORED(),
        author=NewsText(analyzer=NAMES, stored=True, phrase=False),
        link=fields.STORED(),
        tags=fields.KEYWORD(lowercase=True, commas=True, scorable=True, stored=True),
        published=PublishedField(stored=True, sortable=True),
        bookmarked=fields.BOOLEAN(stored=True),
        read=fields.BOOLEAN(stored=True),
        dup=fields.STORED(),
        ents=fields.STORED(),
        person=NewsText(analyzer=NAMES),
        org=NewsText(analyzer=NAMES),
        place=NewsText(analyzer=NAMES),
        group=NewsText(analyzer=NAMES),
    )


SCHEMA_VERSION = 4
