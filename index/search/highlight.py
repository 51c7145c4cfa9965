"""Finding matched words in text and cutting snippets around them, as plain text plus offsets.

Matching uses the index's own word forms (``analysis.index_form``), so "Mosul's" is marked
for the query ``mosul`` and "elections" for ``election``. Nothing here produces markup: callers
get ``(start, end)`` offsets and style the text themselves.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable

from .analysis import WORD_RE, fold, index_form

Span = tuple[int, int]
SNIPPET_CHARS = 240
_CONTEXT_BEFORE = 60
_SPACE_RE = re.compile(r"\s+")
_NON_ASCII_RE = re.compile(r"[^\x00-\x7f]")
_UNTIDY_SPACE_RE = re.compile(r"\s{2,}|[^\S ]")
_SENTENCE_END_RE = re.compile(r"[.!?…]['\"’”)]*\s+|\n\s*\n")


class TermMatcher:
    """Decides whether a word of text matches one of a query's terms.

    ``terms`` are index forms (stems for prose, folded words for names); a term ending in
    ``*`` matches any word whose folded form starts with it.
    """

    def __init__(self, terms: Iterable[str]) -> None:
        self.forms: set[str] = set()
        prefixes: list[str] = []
        for t in terms:
            if t.endswith("*"):
                if len(t) > 1:
                    prefixes.append(fold(t[:-1]))
            else:
                self.forms.add(fold(t))
        self.prefixes = tuple(prefixes)
        self._memo: dict[str, bool] = {}
        self._cand_re: re.Pattern[str] | None = None

    def __bool__(self) -> bool:
        return bool(self.forms or self.prefixes)

    def matches(self, word: str) -> bool:
        got = self._memo.get(word)
        if got is None:
            folded = fold(word)
            got = (
                folded in self.forms
                or index_form(word) in self.forms
                or (bool(self.prefixes) and folded.startswith(self.prefixes))
            )
            self._memo[word] = got
        return got

    def _candidates(self) -> re.Pattern[str] | None:
        """A regex for where a matching word may start in lowercased text.

        Scanning for a few literal word heads is done in C; only the hits are analysed.
        """
        if self._cand_re is None:
            heads = {f[:-1] if len(f) > 2 else f for f in self.forms} | set(self.prefixes)
            heads.discard("")
            if not heads:
                return None
            alts = "|".join(re.escape(h) for h in sorted(heads, key=len, reverse=True))
            self._cand_re = re.compile(f"(?:{alts})")
        return self._cand_re

    def spans(self, text: str) -> list[Span]:
        """Offsets of every matching word in ``text``."""
        if not self:
            return []
        cand = self._candidates()
        lowered = text.lower()
        if cand is None or len(lowered) != len(text):
            return [(m.start(), m.end()) for m in WORD_RE.finditer(text) if self.matches(m.group())]
        found: dict[int, int] = {}
        for c in cand.finditer(lowered):
            start = c.start()
            if start and (lowered[start - 1].isalnum() or lowered[start - 1] in "_."):
                continue  # not where a word starts
            m = WORD_RE.match(text, start)
            if m and self.matches(m.group()):
                found[m.start()] = m.end()
        if not text.isascii():
            # words with accents fold to ASCII ("Zürich" -> "zurich"): check them one by one
            last_end = -1
            for m in _NON_ASCII_RE.finditer(text):
                start = m.start()
                if start < last_end or not text[start].isalnum():
                    continue
                while start and (text[start - 1].isalnum() or text[start - 1] == "_"):
                    start -= 1
                w = WORD_RE.match(text, start)
                if w is None:
                    continue
                last_end = w.end()
                if w.start() not in found and self.matches(w.group()):
                    found[w.start()] = w.end()
        return sorted(found.items())


def match_spans(text: str, terms: Iterable[str]) -> list[Span]:
    """Offsets of the words in ``text`` that match ``terms`` (e.g. ``SearchResults.terms``)."""
    return TermMatcher(terms).spans(text)


def _best_window(spans: list[Span], text: str, width: int) -> int:
    """Start offset of the window of ``width`` chars holding the most distinct matched words."""
    best_start, best_key = spans[0][0], (-1, -1)
    j = 0
    words = [text[s:e].lower() for s, e in spans]
    for i, (s, _e) in enumerate(spans):
        j = max(j, i)
        while j + 1 < len(spans) and spans[j + 1][1] <= s + width - _CONTEXT_BEFORE:
            j += 1
        key = (len(set(words[i : j + 1])), j + 1 - i)
        if key > best_key:
            best_key, best_start = key, s
    return best_start


def _normalise(text: str, spans: list[Span]) -> tuple[str, list[Span]]:
    """Turn each run of whitespace other than a single space into one space, moving spans."""
    pieces: list[str] = []
    cuts: list[tuple[int, int]] = []  # (old offset where the shift starts, shift so far)
    pos = shift = 0
    for m in _UNTIDY_SPACE_RE.finditer(text):
        pieces.append(text[pos : m.start()])
        pieces.append(" ")
        shift += m.end() - m.start() - 1
        cuts.append((m.end(), shift))
        pos = m.end()
    pieces.append(text[pos:])

    def move(off: int) -> int:
        i = bisect.bisect_right(cuts, (off, float("inf"))) - 1
        return off - cuts[i][1] if i >= 0 else off

    return "".join(pieces), [(move(s), move(e)) for s, e in spans]


def snippet(text: str, spans: list[Span], width: int = SNIPPET_CHARS) -> tuple[str, list[Span]]:
    """A one-line excerpt of about ``width`` chars around the best cluster of matches.

    Returns the excerpt and the matches' offsets into it. Without matches, the text's start.
    """
    if not text:
        return "", []
    if len(text) <= width:
        start, end = 0, len(text)
    else:
        if spans:
            anchor = _best_window(spans, text, width)
            # start at a sentence beginning just before the match if there is one
            lo = max(0, anchor - _CONTEXT_BEFORE)
            start = lo
            sentence_starts = [m.end() for m in _SENTENCE_END_RE.finditer(text, lo, anchor)]
            if sentence_starts:
                start = sentence_starts[-1]
            elif lo > 0:
                sp = text.find(" ", lo, anchor)
                start = sp + 1 if sp >= 0 else anchor
        else:
            start = 0
        end = min(len(text), start + width)
        if end < len(text):
            sp = text.rfind(" ", start + width // 2, end)
            if sp > 0:
                end = sp
    inside = [(s - start, e - start) for s, e in spans if s >= start and e <= end]
    body = text[start:end]
    if _UNTIDY_SPACE_RE.search(body):
        body, inside = _normalise(body, inside)
    lead = len(body) - len(body.lstrip())
    body = body.strip()
    inside = [(s - lead, e - lead) for s, e in inside]
    if start > 0:
        body = "…" + body
        inside = [(s + 1, e + 1) for s, e in inside]
    if end < len(text):
        body += "…"
    return body, inside
