"""Text to word shingles: what two articles are compared on to find one wire text twice.

Words are case-folded and accent-folded; a number is its digits whatever its separators
(``1,200``, ``1200`` and ``1.200`` are all ``1200``), so a copy desk that reformats figures
does not make the text look new, while "day 3" and "day 9" stay different. An apostrophe
splits a word (``mosul's`` is ``mosul``, ``s``), the same way in every text. A shingle is
``SHINGLE_WORDS`` words in a row, hashed with a hash that is the same in every process
(signatures are kept in the store).

Five words, not three: our generated news (bench/corpus.py) is built from shared sentence
templates, and with three-word shingles two different stories on one topic share up to a
fifth of their shingles, which fills the LSH buckets with candidates; with five they share
a tenth at most, while wire copies keep 0.4 and more (bench/story_pairs.py).

Two ways to the same words. Most news is in a Latin script, where every non-ASCII
character after NFKD decomposition is an accent or punctuation: such a text is cut with
``bytes.translate`` and ``split`` on its ASCII form, about five times faster than a regular
expression over the ``str``. A text with any other character (Greek, Cyrillic, CJK, ``ø``)
takes the regular expression; both give the same words wherever both apply (tested).
"""

from __future__ import annotations

import codecs
import re
import unicodedata
import zlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

SHINGLE_WORDS = 5
# Fewer shingles than this (a text under about 35 words: a summary, a brief) and a text
# says too little to be called a copy of another; briefs on one template differ in a word
# or a figure. Such articles are grouped by URL and guid only.
MIN_SHINGLES = 30

_TOKEN = re.compile(r"\d[\d.,']*\d|\d|\w+")
_NO_SEPARATORS = str.maketrans("", "", ".,'")
_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_MIX = 0x100000001B3  # the 64-bit FNV prime: mixes one word's hash into the shingle's
# a word's 32-bit hash, kept between articles (the vocabulary of news is bounded)
_TOKEN_HASHES: dict[bytes, int] = {}
_CACHE_LIMIT = 400_000

# The ASCII way: letters, digits and "_" stay (what ``\w`` keeps); every other byte is a
# space, once the separators inside numbers are gone.
_KEEP = b"abcdefghijklmnopqrstuvwxyz0123456789_"
_ASCII_TABLE = bytes(c if c in _KEEP else 0x20 for c in range(256))
# What the ASCII way does with a non-ASCII character: a combining mark (an accent NFKD
# split off) is dropped, punctuation, a symbol or a space is a space; any other (a letter
# of another script, ``ø``) means the text must take the regular expression.
_AS_SPACE_CATEGORIES = ("P", "Z", "S", "C")
_replacements: dict[str, str | None] = {}
# each byte of a cut text as its class: a digit "0", a letter or "_" "a", any other " "
_CLASS_TABLE = bytes(
    ord("0") if chr(c).isdigit() and c < 128 else ord("a") if c in _KEEP else 0x20
    for c in range(256)
)
_SEPARATED_NUMBER = re.compile(rb"[.,'](?<=\d[.,'])(?=\d)")
_NUMBER_THEN_LETTER = re.compile(rb"(?<![a-z0-9_])(\d+)(?=[a-z_])")


class _NeedsRegex(Exception):
    pass


def _replacement(char: str) -> str | None:
    known = _replacements.get(char, "?")
    if known == "?":
        category = unicodedata.category(char)[0]
        known = "" if category == "M" else " " if category in _AS_SPACE_CATEGORIES else None
        _replacements[char] = known
    return known


def _fold_to_ascii(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    out = []
    for char in error.object[error.start : error.end]:
        replacement = _replacement(char)
        if replacement is None:
            raise _NeedsRegex
        out.append(replacement)
    return "".join(out), error.end


codecs.register_error("newsreader-shingles", _fold_to_ascii)


def _ascii_words(folded: str) -> list[bytes] | None:
    """The words of a folded text in a Latin script, or None for any other text."""
    try:
        raw = folded.encode("ascii", "newsreader-shingles")
    except _NeedsRegex:
        return None
    if b"." in raw or b"," in raw or b"'" in raw:
        # only between digits: "1,200" is 1200, "u.s." stays two words
        raw = _SEPARATED_NUMBER.sub(b"", raw)
    raw = raw.translate(_ASCII_TABLE)
    # a word that starts with a number ends with it ("5th" is "5", "th"), as ``_TOKEN`` has
    # it; the expression (~90 µs on an article: it is tried at every place) only where some
    # digit is followed by a letter, seen on the text's character classes (~5 µs)
    if b"0a" in raw.translate(_CLASS_TABLE):
        raw = _NUMBER_THEN_LETTER.sub(rb"\1 ", raw)
    return raw.split()


def _regex_words(folded: str) -> list[bytes]:
    return [
        (token.translate(_NO_SEPARATORS) if token[0].isdigit() else token).encode()
        for token in _TOKEN.findall(_COMBINING.sub("", folded))
    ]


def word_tokens(text: str) -> list[bytes]:
    """The comparable words of a text as UTF-8 bytes (what shingles are made of)."""
    folded = text.casefold()
    if not folded.isascii():
        folded = unicodedata.normalize("NFKD", folded)
    found = _ascii_words(folded)
    return found if found is not None else _regex_words(folded)


def words(text: str) -> list[str]:
    """The comparable words of a text: folded, numbers as their digits."""
    return [w.decode() for w in word_tokens(text)]


def token_hashes(tokens: list[bytes]) -> np.ndarray:
    """Each word's 32-bit hash (crc32, the same in every process), as uint64."""
    import numpy as np

    cache = _TOKEN_HASHES
    try:  # most words of news are known: no set of the text's words made first
        return np.fromiter(map(cache.__getitem__, tokens), dtype=np.uint64, count=len(tokens))
    except KeyError:
        pass
    if len(cache) > _CACHE_LIMIT:
        cache.clear()
    for token in set(tokens).difference(cache):
        cache[token] = zlib.crc32(token)
    return np.fromiter(map(cache.__getitem__, tokens), dtype=np.uint64, count=len(tokens))


def shingle_values(text: str, size: int = SHINGLE_WORDS) -> np.ndarray:
    """The 32-bit hashes of the text's word shingles, in text order, repeats kept."""
    import numpy as np

    tokens = word_tokens(text)
    if len(tokens) < size:
        return np.zeros(0, dtype=np.uint64)
    values = token_hashes(tokens)
    count = len(tokens) - size + 1
    mixed = values[:count].copy()
    for offset in range(1, size):
        mixed *= np.uint64(_MIX)
        mixed ^= values[offset : offset + count]
    mixed ^= mixed >> np.uint64(32)
    mixed &= np.uint64(0xFFFFFFFF)
    return mixed


def shingle_hashes(text: str, size: int = SHINGLE_WORDS) -> np.ndarray:
    """The distinct 32-bit hashes of the text's word shingles (a sorted numpy array)."""
    import numpy as np

    return np.unique(shingle_values(text, size))
