"""Finding matched words in text and cutting snippets around them, as plain text plus offsets.

Matching uses the index's own word forms (``analysis``), so "Mosul's" is marked for the query
``mosul``, "elections" for ``election`` and "Straße" for ``strasse``; a query word that
matched a part of a token ("element" in "getElementById") marks that part. Nothing here
produces markup: callers get ``(start, end)`` offsets and style the text themselves.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable

from .analysis import (
    DEFAULT_LANGUAGE,
    TOKEN_RE,
    fold,
    name_query_forms,
    prose_query_forms,
    token_parts,
)

Span = tuple[int, int]
SNIPPET_CHARS = 240
_CONTEXT_BEFORE = 60
_SPACE_RE = re.compile(r"\s+")
_UNTIDY_SPACE_RE = re.compile(r"\s{2,}|[^\S ]")
_SENTENCE_END_RE = re.compile(r"[.!?…]['\"’”)]*\s+|\n\s*\n")
_POSSESSIVE_RE = re.compile(r"['’]s\Z", re.IGNORECASE)
_JOINERS = ".'’-_\u200c"
_JOINED_RE = re.compile(r"\w['’\-]\w")
_JOINED_TOKEN_RE = re.compile(r"\w+(?:['’\-]\w+)+")


class TermMatcher:
    """Decides whether a token of text matches one of a query's terms.

    ``terms`` are words as typed or index forms (stems, folded names); a term ending in ``*``
    matches any token whose folded form starts with it. ``languages`` are those a text may
    be in (the library's); a word matches when any of its forms in them is a term's form.
    """

    def __init__(self, terms: Iterable[str], languages: Iterable[str | None] = ()) -> None:
        self.languages: tuple[str | None, ...] = tuple(
            dict.fromkeys([DEFAULT_LANGUAGE, *languages])
        )
        self.forms: set[str] = set()
        prefixes: list[str] = []
        for t in terms:
            if t.endswith("*"):
                if len(t) > 1:
                    prefixes.append(fold(t[:-1]))
            elif t:
                self.forms.add(fold(t))
                self.forms.update(prose_query_forms(t, self.languages))
                self.forms.update(name_query_forms(t))
        self.prefixes = tuple(prefixes)
        self._memo: dict[str, bool] = {}
        self._cand_re: re.Pattern[str] | None = None

    def __bool__(self) -> bool:
        return bool(self.forms or self.prefixes)

    def matches(self, word: str) -> bool:
        """True if ``word`` (one token, or a part of one) would match a term."""
        got = self._memo.get(word)
        if got is None:
            forms = {*prose_query_forms(word, self.languages), *name_query_forms(word)}
            got = bool(forms & self.forms) or (
                bool(self.prefixes) and fold(word).startswith(self.prefixes)
            )
            self._memo[word] = got
        return got

    def token_spans(self, token: str, offset: int) -> list[Span]:
        """Where ``token`` (found at ``offset``) matches: all of it, or the parts that do."""
        parts = token_parts(token)
        if not parts:
            return [(offset, offset + len(token))] if self.matches(token) else []
        whole = _POSSESSIVE_RE.sub("", token)
        if self.matches(whole) or (whole != token and self.matches(token)):
            return [(offset, offset + len(whole))]
        return [(offset + s, offset + e) for part, s, e in parts if self.matches(part)]

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
        """Offsets of every matching word (or part of a word) in ``text``."""
        if not self:
            return []
        cand = self._candidates()
        lowered = text.lower()
        found: dict[int, list[Span]] = {}
        if cand is None or len(lowered) != len(text):
            for m in TOKEN_RE.finditer(text):
                found[m.start()] = self.token_spans(m.group(), m.start())
        else:
            for c in cand.finditer(lowered):
                start = _token_start(text, c.start())
                if start in found:
                    continue
                hit = TOKEN_RE.match(text, start)
                if hit is None or hit.end() <= c.start():
                    continue
                found[start] = self.token_spans(hit.group(), start)
            # folded and joined words need not contain a term's letters ("Zürich" for
            # "zurich", "e-mail" for "email"): those tokens are checked one by one
            if not text.isascii():
                for m in TOKEN_RE.finditer(text):
                    tok = m.group()
                    if m.start() not in found and (not tok.isascii() or _JOINED_RE.search(tok)):
                        found[m.start()] = self.token_spans(tok, m.start())
            else:
                for j in _JOINED_TOKEN_RE.finditer(text):
                    start = _token_start(text, j.start())
                    hit = TOKEN_RE.match(text, start)
                    if hit is not None and start not in found:
                        found[start] = self.token_spans(hit.group(), start)
        return sorted(span for spans in found.values() for span in spans)


def _token_start(text: str, i: int) -> int:
    """The start of the token around offset ``i``."""
    while i > 0:
        prev = text[i - 1]
        if (
            prev.isalnum()
            or prev == "_"
            or (prev in _JOINERS and i > 1 and (text[i - 2].isalnum() or text[i - 2] == "_"))
        ):
            i -= 1
        else:
            break
    return i


def match_spans(
    text: str, terms: Iterable[str], languages: Iterable[str | None] = ()
) -> list[Span]:
    """Offsets of the words in ``text`` that match ``terms`` (e.g. ``SearchResults.terms``)."""
    return TermMatcher(terms, languages).spans(text)


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
