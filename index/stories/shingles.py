"""Text to word shingles: what two articles are compared on to find one wire text twice.

Words are case-folded and accent-folded; a number is one token whatever its writing
(``1,200``, ``1200`` and ``1.200`` are all ``#``), so a copy desk that reformats figures
does not make the text look new. A shingle is ``SHINGLE_WORDS`` words in a row, hashed to
32 bits with a hash that is the same in every process (signatures are kept in the store).
"""

from __future__ import annotations

import re
import unicodedata
import zlib

SHINGLE_WORDS = 3
# Fewer shingles than this and a text says too little to be called a copy of another
# (a one-line summary): such articles are grouped by URL and guid only.
MIN_SHINGLES = 12

_TOKEN = re.compile(r"\d[\d.,']*\d|\d|\w+(?:['’]\w+)*")


def words(text: str) -> list[str]:
    """The comparable words of a text: folded, numbers collapsed to ``#``."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return [
        "#" if token[0].isdigit() else token.replace("’", "'") for token in _TOKEN.findall(folded)
    ]


def shingle_hashes(text: str, size: int = SHINGLE_WORDS) -> set[int]:
    """The distinct 32-bit hashes of the text's word shingles."""
    tokens = words(text)
    if len(tokens) < size:
        return set()
    token_hash = {t: zlib.crc32(t.encode()) for t in set(tokens)}
    hashed = [token_hash[t] for t in tokens]
    out: set[int] = set()
    for i in range(len(hashed) - size + 1):
        h = 0
        for value in hashed[i : i + size]:
            h = (h * 1_000_003 ^ value) & 0xFFFFFFFF
        out.add(h)
    return out
