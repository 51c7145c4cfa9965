"""The search index's schema and the analysers that turn text into index terms.

Two analysers over ``analysis``: ``PROSE`` (titles, bodies, feed names: tokens and their parts,
folded, stemmed in the article's language, stop words kept) and ``NAMES`` (authors, entities,
tags: the same tokens folded, never stemmed). Indexing takes the fast path
(``NewsText.index`` -> ``NewsAnalyzer.terms``) with a per-token cache: indexing is dominated by
analysis, and news vocabulary repeats a lot.

A prose value carries its article's language as a short prefix (``with_language``), so the
analyser knows which stemmer to use wherever the value is analysed (one process or several);
the stored value is the plain text. At query time the analyser only cuts the text into
tokens; ``query`` and ``engine`` turn each word into the terms of every language present.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whoosh import columns, fields
from whoosh.analysis import Analyzer, Token
from whoosh.system import pack_uint

from ..entities.fields import ENTITY_FIELDS as ENTITY_FIELDS  # the one label <-> field map
from .analysis import (
    DEFAULT_LANGUAGE,
    TOKEN_RE,
    fold,
    name_terms,
    prose_terms,
    query_word,
)

_LANG_MARK = (
    "\ufdd0"  # a Unicode noncharacter; feed text starting with one at worst picks a stemmer
)


def with_language(text: str, lang: str | None) -> str:
    """``text`` marked with its language for the prose analyser (unchanged when unknown)."""
    return f"{_LANG_MARK}{lang}{_LANG_MARK}{text}" if lang else text


def split_language(value: str) -> tuple[str | None, str]:
    """(language, text) of a value made by ``with_language``."""
    if value.startswith(_LANG_MARK):
        end = value.find(_LANG_MARK, 1)
        if end > 0:
            return value[1:end] or None, value[end + 1 :]
    return None, value


class NewsAnalyzer(Analyzer):
    """Tokens and their parts, folded; stemmed by language for prose (``stemmed=True``).

    Names (``stemmed=False``) are never stemmed; values joined by ``VALUE_SEPARATOR`` get a
    position gap so phrases stay within one value. In query mode each token comes out whole
    and unstemmed (``analysis.query_word``): the query side expands it per language.
    """

    def __init__(self, stemmed: bool = True) -> None:
        self.stemmed = stemmed

    def has_morph(self) -> bool:
        return self.stemmed

    def terms(self, value: str) -> list[tuple[str, int]]:
        """(term, position) pairs for indexing: the fast path that skips Token objects."""
        if self.stemmed:
            lang, text = split_language(value)
            return prose_terms(text, lang or DEFAULT_LANGUAGE)
        return name_terms(split_language(value)[1])

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
        **kwargs: Any,
    ) -> Iterator[Token]:
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        t.stopped = False
        t.boost = 1.0
        if not tokenize:
            # a prefix, wildcard or range end: folded, never stemmed (it would be cut short)
            t.text = fold(value)
            if keeporiginal:
                t.original = value
            if positions:
                t.pos = start_pos
            if chars:
                t.startchar, t.endchar = start_char, start_char + len(value)
            yield t
            return
        if mode == "query":
            pos = start_pos
            for m in TOKEN_RE.finditer(value):
                t.text = query_word(m.group()).casefold()
                if keeporiginal:
                    t.original = m.group()
                if positions:
                    t.pos = pos
                if chars:
                    t.startchar, t.endchar = start_char + m.start(), start_char + m.end()
                pos += 1
                yield t
            return
        for term, pos in self.terms(value):
            t.text = term
            if positions:
                t.pos = start_pos + pos
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
            return iter(sorted({w for w, _ in name_terms(split_language(value)[1])}))
        return super().spellable_words(value)


class PublishedField(fields.DATETIME):
    """A DATETIME indexed as one term per document instead of eight.

    Date ranges are answered from the sortable column (see ``engine``), so the trie terms
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
        # stored: ``related`` and deletions read it beside the duplicate key and entities;
        # everything a hit shows is in the hit record (``hitrecord``)
        id=fields.ID(unique=True, stored=True),
        feed_id=fields.NUMERIC(int, bits=64, sortable=True, shift_step=0),
        # No positions for the fields whose text is in the hit record: decoding them made
        # every posting list three times slower to read (a name's title and author postings
        # cost more than its body postings), and phrases in these fields are checked against
        # the record's text instead (``engine``). Entity fields keep positions: their text is
        # not kept.
        feed=NewsText(analyzer=PROSE, phrase=False),
        title=NewsText(analyzer=PROSE, phrase=False),
        body=NewsText(analyzer=PROSE, phrase=False),
        author=NewsText(analyzer=NAMES, phrase=False),
        # tags are names: "World politics" is found by tag:politics and tag:"world politics"
        tags=NewsText(analyzer=NAMES),
        # the article's language (ISO 639-1): which stemmer its prose went through; the
        # field's terms are the languages present, which a query is analysed for
        lang=fields.ID(),
        published=PublishedField(sortable=True),
        bookmarked=fields.BOOLEAN(),
        read=fields.BOOLEAN(),
        # the feed's folder and every folder above it ("news", "news/deutsch"): folder:news
        # finds a folder with its subfolders; a filter, not scored
        folder=fields.KEYWORD(lowercase=True, commas=True, scorable=False),
        hidden=fields.BOOLEAN(),  # hidden by a filter (issue 16): is:hidden
        # what a hit shows and phrase checks read: one record per document, in a column of
        # its own so that a page reads no pickled dict (``hitrecord``)
        hit=fields.COLUMN(columns.VarBytesColumn()),  # hitrecord.HIT_FIELD
        dup=fields.STORED(),
        ents=fields.STORED(),
        person=NewsText(analyzer=NAMES),
        org=NewsText(analyzer=NAMES),
        place=NewsText(analyzer=NAMES),
        group=NewsText(analyzer=NAMES),
    )


SCHEMA_VERSION = 9  # 5: tokens with parts, stop words kept, stems per language, tags as
# names; 6: folder and hidden (issue 16); 7: a hit's fields in one record (``hitrecord``),
# Whoosh's stored fields down to id, duplicate key and entities; 8: a dotted number after
# letters is a part ("v2.4.1" -> 2.4.1); 9: posting lists in our own format, read without
# pickle (``_whoosh_codec.NewsCodec``)
