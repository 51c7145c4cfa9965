"""Text to word shingles: what two articles are compared on to find one wire text twice.

Words are case-folded and accent-folded; a number is its digits whatever its separators
(``1,200``, ``1200`` and ``1.200`` are all ``1200``), so a copy desk that reformats figures
does not make the text look new, while "day 3" and "day 9" stay different. A shingle is ``SHINGLE_WORDS`` words in a row, hashed with
a hash that is the same in every process (signatures are kept in the store).

Five words, not three: our generated news (bench/corpus.py) is built from shared sentence
templates, and with three-word shingles two different stories on one topic share up to a
fifth of their shingles, which fills the LSH buckets with candidates; with five they share
a tenth at most, while wire copies keep 0.4 and more (bench/story_pairs.py).
"""

from __future__ import annotations

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
_TOKEN_HASHES: dict[str, int] = {}
_CACHE_LIMIT = 400_000


def words(text: str) -> list[str]:
    """The comparable words of a text: folded, numbers as their digits; an apostrophe
    splits a word (``mosul's`` is ``mosul``, ``s``), the same way in every text."""
    folded = text.casefold()
    if not folded.isascii():
        folded = _COMBINING.sub("", unicodedata.normalize("NFKD", folded))
    return [
        token.translate(_NO_SEPARATORS) if token[0].isdigit() else token
        for token in _TOKEN.findall(folded)
    ]


def shingle_hashes(text: str, size: int = SHINGLE_WORDS) -> np.ndarray:
    """The distinct 32-bit hashes of the text's word shingles (a sorted numpy array)."""
    import numpy as np

    tokens = words(text)
    if len(tokens) < size:
        return np.zeros(0, dtype=np.uint64)
    cache = _TOKEN_HASHES
    if len(cache) > _CACHE_LIMIT:
        cache.clear()
    for token in set(tokens).difference(cache):
        cache[token] = zlib.crc32(token.encode())
    values = np.array(list(map(cache.__getitem__, tokens)), dtype=np.uint64)
    count = len(tokens) - size + 1
    mixed = values[:count].copy()
    for offset in range(1, size):
        mixed = (mixed * np.uint64(_MIX)) ^ values[offset : offset + count]
    mixed ^= mixed >> np.uint64(32)
    return np.unique(mixed & np.uint64(0xFFFFFFFF))
