"""Did-you-mean: corrections for query words from the words the articles actually use.

The index holds stems ("govern"), which make poor suggestions, so the search index keeps a
count of the words as written (lowercased) in titles and bodies beside it, updated on every
write. A query word that matches nothing is replaced by the most frequent known word within
one or two edits that the index does hold. Words with hyphens or apostrophes ("co-op",
"don't") are never looked up whole: their joined forms are not in the list of written words,
so they would always look misspelt. The search index asks only when a query found nothing,
and shows the correction's results when it finds something.
"""

from __future__ import annotations

import pickle
import re
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

from .analysis import fold

_FILE = "vocabulary.pickle"
_LETTERS_RE = re.compile(r"[^\W\d_]+")
_PLAIN_WORD_RE = re.compile(r"[^\W\d_][^\W_]*\Z")
_OPERATORS = frozenset({"AND", "OR", "NOT", "TO"})


def words_of(text: str) -> set[str]:
    # filter the distinct words, not every occurrence: bodies repeat their words a lot
    return {w for w in set(_LETTERS_RE.findall(text.lower())) if len(w) > 2}


class Vocabulary:
    """Word counts (documents using each word) kept in one file next to the index."""

    def __init__(self, path: Path) -> None:
        self.path = path / _FILE
        self._counts: Counter[str] | None = None
        self._buckets: dict[tuple[str, int], list[str]] | None = None

    @property
    def counts(self) -> Counter[str]:
        if self._counts is None:
            self._counts = Counter()
            try:
                with self.path.open("rb") as f:
                    loaded = pickle.load(f)
                if isinstance(loaded, Counter):
                    self._counts = loaded
            except (OSError, pickle.PickleError, EOFError, AttributeError, ValueError):
                pass  # missing or damaged: suggestions start again from what is written next
        return self._counts

    def add(self, texts: Iterable[str]) -> None:
        counts = self.counts
        for t in texts:
            counts.update(words_of(t))
        self._buckets = None

    def merge(self, counts: Counter[str]) -> None:
        """Add word counts made elsewhere (a writer process's ``words_of`` of its documents)."""
        self.counts.update(counts)
        self._buckets = None

    def save(self) -> None:
        tmp = self.path.with_suffix(".tmp")
        with tmp.open("wb") as f:
            pickle.dump(self.counts, f, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(self.path)

    def clear(self) -> None:
        self._counts = Counter()
        self._buckets = None
        self.path.unlink(missing_ok=True)

    def _by_shape(self) -> dict[tuple[str, int], list[str]]:
        if self._buckets is None:
            buckets: dict[tuple[str, int], list[str]] = {}
            for w in self.counts:
                f = fold(w)
                buckets.setdefault((f[:1], len(f)), []).append(w)
            self._buckets = buckets
        return self._buckets

    def correct(self, word: str, is_known: Callable[[str], bool]) -> str | None:
        """The best known word within one edit (two for long words) of ``word``, or None."""
        target = fold(word)
        maxdist = 1 if len(target) <= 4 else 2
        buckets = self._by_shape()
        best: tuple[int, int, str] | None = None
        for length in range(len(target) - maxdist, len(target) + maxdist + 1):
            for cand in buckets.get((target[:1], length), ()):
                d = distance(target, fold(cand), maxdist)
                if d is None or d == 0:
                    continue
                key = (d, -self.counts[cand], cand)
                if (best is None or key < best) and is_known(cand):
                    best = key
        return best[2] if best else None


def suggest_query(text: str, vocab: Vocabulary, known: Callable[[str], bool]) -> str | None:
    """``text`` with each plain word the index does not hold replaced by its correction."""
    changed = False
    out: list[str] = []
    for token in text.split(" "):
        word = token.strip("()")
        if _PLAIN_WORD_RE.match(word) and word not in _OPERATORS and not known(word):
            fixed = vocab.correct(word, known)
            if fixed:
                token = token.replace(word, fixed)
                changed = True
        out.append(token)
    return " ".join(out) if changed else None


def distance(a: str, b: str, k: int) -> int | None:
    """Levenshtein distance of ``a`` and ``b`` if it is at most ``k``, else None."""
    if abs(len(a) - len(b)) > k:
        return None
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        ca = a[i - 1]
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != b[j - 1]))
        if min(cur) > k:
            return None
        prev = cur
    return prev[-1] if prev[-1] <= k else None
