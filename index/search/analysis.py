"""Turning words into index terms: folding, tokenising, stemming. Free of side effects.

The search index's analysers (``schema``), the query code, the highlighter and the app's
reading pane (``tui/render.py``) all take their word forms from here, so a word is marked in
the text exactly when the index would match it. Importing this module changes nothing in
Whoosh (the index's fast paths are installed by ``SearchIndex.open``).
"""

from __future__ import annotations

import re
from typing import Any

from whoosh.analysis.filters import STOP_WORDS
from whoosh.lang.porter import stem as porter_stem
from whoosh.support.charset import accent_map

WORD_RE = re.compile(r"\w+(?:\.\w+)*")
# Entity and author values are joined with this; positions jump across it so that a phrase
# never spans two different names.
VALUE_SEPARATOR = " | "
_VALUE_GAP = 10
_MIN_LEN = 2
_CACHE_LIMIT = 300_000

_stem_cache: dict[str, str] = {}
_fold_cache: dict[str, str] = {}


def fold(word: str) -> str:
    """Lowercase and strip accents: "Café" -> "cafe"."""
    got = _fold_cache.get(word)
    if got is None:
        got = word.lower().translate(accent_map)
        if len(_fold_cache) > _CACHE_LIMIT:
            _fold_cache.clear()
        _fold_cache[word] = got
    return got


def stem(word: str) -> str:
    """The Porter stem of an already folded word (cached: news vocabulary repeats)."""
    got = _stem_cache.get(word)
    if got is None:
        got = porter_stem(word)
        if len(_stem_cache) > _CACHE_LIMIT:
            _stem_cache.clear()
        _stem_cache[word] = got
    return got


def index_form(word: str, *, stemmed: bool = True) -> str | None:
    """The term a single word becomes in the index, or None for a stop word or a stray letter."""
    w = fold(word)
    if len(w) < _MIN_LEN:
        return None
    if stemmed:
        if w in STOP_WORDS:
            return None
        return stem(w)
    return w


_MISSING = object()
# word as written -> index term (None: dropped), one table per kind of analysis
_PROSE_FORMS: dict[str, Any] = {}
_PLAIN_FORMS: dict[str, Any] = {}
_NAME_FORMS: dict[str, Any] = {}


def _form(word: str, table: dict[str, Any], stemmed: bool, drop_stops: bool) -> str | None:
    w: str | None = fold(word)
    assert w is not None
    if len(w) < _MIN_LEN or (drop_stops and w in STOP_WORDS):
        w = None
    elif stemmed:
        w = stem(w)
    if len(table) > _CACHE_LIMIT:
        table.clear()
    table[word] = w
    return w
