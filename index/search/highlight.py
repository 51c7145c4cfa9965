"""Finding matched words in text and cutting snippets around them, as plain text plus offsets.

Matching uses the index's own word forms (``analysis``), so "Mosul's" is marked for the query
``mosul``, "elections" for ``election`` and "Straße" for ``strasse``; a query word that
matched a part of a token ("element" in "getElementById") marks that part. Nothing here
produces markup: callers get ``(start, end)`` offsets and style the text themselves.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable

from .analysis import (
    DEFAULT_LANGUAGE,
    TOKEN_RE,
    fold,
    leaves_in,
    name_query_forms,
    prose_query_forms,
    query_leaves,
    token_parts,
    umlaut_variant,
)

Span = tuple[int, int]
SNIPPET_CHARS = 240
_CONTEXT_BEFORE = 60
_SPACE_RE = re.compile(r"\s+")
_UNTIDY_SPACE_RE = re.compile(r"\s{2,}|[^\S ]")
_SENTENCE_END_RE = re.compile(r"[.!?…]['\"’”)]*\s+|\n\s*\n")
_POSSESSIVE_RE = re.compile(r"['’]s\Z", re.IGNORECASE)
_JOINERS = ".'’-_\u200c"


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
        # words written with joiners or in camelCase, matched also as their leaves in a
        # row inside a longer token ("example.org" in "mail.example.org")
        runs: list[tuple[str, ...]] = []
        for t in terms:
            if t.endswith("*"):
                if len(t) > 1:
                    prefixes.append(fold(t[:-1]))
            elif t:
                if leaves := query_leaves(t):
                    runs.append(leaves)
                self.forms.add(fold(t))
                self.forms.update(prose_query_forms(t, self.languages))
                self.forms.update(name_query_forms(t))
        self.prefixes = tuple(prefixes)
        self.runs = tuple(dict.fromkeys(runs))
        self._memo: dict[str, bool] = {}
        self._token_memo: dict[str, tuple[Span, ...]] = {}
        self._cand_re: dict[bool, re.Pattern[str] | None] = {}

    def __bool__(self) -> bool:
        return bool(self.forms or self.prefixes or self.runs)

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
        rel = self._token_memo.get(token)
        if rel is None:
            rel = self._token_memo[token] = self._relative_spans(token)
        if not rel:
            return []
        return [(offset + s, offset + e) for s, e in rel]

    def _relative_spans(self, token: str) -> tuple[Span, ...]:
        parts = token_parts(token)
        if not parts:
            return ((0, len(token)),) if self.matches(token) else ()
        whole = _POSSESSIVE_RE.sub("", token)
        if self.matches(whole) or (whole != token and self.matches(token)):
            return ((0, len(whole)),)
        found = [(s, e) for part, s, e in parts if self.matches(part)]
        for run in self.runs:
            at = leaves_in(token, run)
            if at is not None:
                found = [sp for sp in found if sp[1] <= at[0] or sp[0] >= at[1]] + [at]
        return tuple(sorted(found))

    def _candidates(self, loose_marks: bool) -> re.Pattern[str] | None:
        """A regex for where a matching word (or part of one) may start in the text.

        Each head (a term's form less its last letter, which stemming may have changed) is
        looked for in any case, with every letter
        allowed in the spellings that fold to it (ü for u or ue, ß for ss, ё for е, ك for
        ک), a joiner or digit separator allowed between letters ("e-mail", "185,000") and,
        with ``loose_marks``, combining marks too. Scanning is done in C; only the hits are
        analysed (only where a token or a token's part starts: ``_AT_PART_START``), each
        checked exactly (``token_spans``), so a loose head only costs a look.
        """
        got = self._cand_re.get(loose_marks)
        if got is None and loose_marks not in self._cand_re:
            heads = {f[:-1] if len(f) > 2 else f for f in self.forms} | set(self.prefixes)
            heads |= {run[0][:-1] if len(run[0]) > 2 else run[0] for run in self.runs}
            heads.discard("")
            if heads:
                got = _heads_pattern(tuple(sorted(heads, key=lambda h: (-len(h), h))), loose_marks)
            self._cand_re[loose_marks] = got
        return got

    def spans(self, text: str) -> list[Span]:
        """Offsets of every matching word (or part of a word) in ``text``."""
        if not self or not text:
            return []
        # combining marks are always allowed between letters: as fast as not, and no search
        # of every text for them
        cand = self._candidates(True)
        if cand is None:
            return []
        found: dict[int, tuple[Span, ...]] = {}  # token start -> spans in the token
        match = TOKEN_RE.match
        memo = self._token_memo
        for c in cand.finditer(text):
            pos = c.start()
            prev = text[pos - 1] if pos else " "
            start = _token_start(text, pos) if prev.isalnum() or prev in _JOINERS else pos
            if start in found:
                continue
            hit = match(text, start)
            if hit is None or hit.end() <= pos:
                continue
            token = hit.group()
            rel = memo.get(token)
            if rel is None:
                rel = memo[token] = self._relative_spans(token)
            found[start] = rel
        return sorted((at + s, at + e) for at, rel in found.items() for s, e in rel)


# Checked right after a head's first letter: a token or one of its parts starts at that
# letter (not after a letter or digit; or at a camelCase or letter/digit change inside a
# token: "getElementById", "HTMLParser", "mp3"), so text inside words is skipped in C.
_AT_PART_START = (
    r"(?:(?<![^\W_].)|(?<=[a-z][A-Z])|(?<=[A-Z][A-Z])(?=[a-z])"
    r"|(?<=[^\W\d_]\d)|(?<=\d[^\W\d_]))"
)
# what folding drops from inside words: combining accents written apart, harakat, tatweel
_MARKS = "\u0300-\u036f\u064b-\u065f\u0670\u0640"
_MARK_CHARS = [chr(c) for c in (*range(0x0300, 0x0370), *range(0x064B, 0x0660), 0x0670, 0x0640)]
# what may stand between two letters of a term in a token: joiners, digit separators
_BETWEEN = ".'’\\-\u200c_,\u00a0\u202f"
_FOLD_SCAN = (range(0x80, 0x2000), range(0xFB00, 0xFB07))


@functools.cache
def _spellings() -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    """The letters that fold to each letter, and to each pair of letters (ß -> ss, ü -> ue),
    read from ``fold`` itself so the two never disagree."""
    one: dict[str, set[str]] = {}
    two: dict[str, set[str]] = {}
    for block in _FOLD_SCAN:
        for cp in block:
            ch = chr(cp)
            folded = fold(ch)
            if folded == ch or not folded:
                continue
            if len(folded) == 1:
                one.setdefault(folded, set()).add(ch)
            elif len(folded) == 2:
                two.setdefault(folded, set()).add(ch)
            variant = umlaut_variant(ch.casefold())
            if variant is not None:
                two.setdefault(variant, set()).add(ch)
    for sep in ".,":
        one.setdefault(sep, set()).update(".,")  # 1,5 is 1.5
    return (
        {k: frozenset(v) for k, v in one.items()},
        {k: frozenset(v) for k, v in two.items()},
    )


@functools.lru_cache(maxsize=4096)
def _char_class(chars: frozenset[str]) -> str:
    """A regex class of ``chars`` in both cases (classes stay case-sensitive: see below)."""
    cased: set[str] = set()
    for c in chars:
        cased.update(x for x in (c, c.lower(), c.upper()) if len(x) == 1)
    return "[" + "".join(re.escape(c) for c in sorted(cased)) + "]"


def _letters(head: str, between: str) -> str:
    """``head`` as it may be written: each letter in any spelling that folds to it, pairs
    too (ß for ss, ü for ue), ``between`` after every letter but the last."""
    one, two = _spellings()
    pieces: list[str] = []
    i = 0
    while i < len(head):
        ch = head[i]
        single = _char_class(one.get(ch, frozenset()) | {ch})
        pair = head[i : i + 2]
        if len(pair) == 2 and pair in two:
            second = _char_class(one.get(pair[1], frozenset()) | {pair[1]})
            pieces.append(f"(?:{single}{between}{second}|{_char_class(two[pair])})")
            i += 2
        else:
            pieces.append(single)
            i += 1
    return between.join(pieces)


@functools.lru_cache(maxsize=256)
def _heads_pattern(heads: tuple[str, ...], marks: bool) -> re.Pattern[str]:
    """One regex for all ``heads`` (folded) as they may be written in a text.

    It starts with one class holding every head's possible first letters, which lets the
    regex engine skip through the text in a tight loop (a leading alternation, or
    case-insensitive matching, would try every head at every position); a lookbehind then
    says which heads that first letter can begin.
    """
    one, two = _spellings()
    between = f"[{_BETWEEN}{_MARKS}]*" if marks else f"[{_BETWEEN}]?"
    firsts: set[str] = set()
    # what may follow a head's first letter: checked before the lookbehinds, which are the
    # slow part for a common first letter ("e" of "election" mostly starts nothing)
    seconds: set[str] | None = set(_BETWEEN.replace("\\", "")) | (
        set(_MARK_CHARS) if marks else set()
    )
    branches: list[str] = []
    for head in heads:
        first = one.get(head[0], frozenset()) | {head[0]}
        firsts |= first
        rest = between + _letters(head[1:], between) if len(head) > 1 else ""
        branches.append(f"(?<={_char_class(first)}){rest}")
        if seconds is not None:
            seconds = _follow(seconds, head[1:], one, two)
        if head[:2] in two:  # the first two letters written as one (ß, ü)
            firsts |= two[head[:2]]
            rest = between + _letters(head[2:], between) if len(head) > 2 else ""
            branches.append(f"(?<={_char_class(two[head[:2]])}){rest}")
            if seconds is not None:
                seconds = _follow(seconds, head[2:], one, two)
    lead = _char_class(frozenset(firsts))
    ahead = f"(?={_char_class(frozenset(seconds))})" if seconds else ""
    return re.compile(f"{lead}{ahead}{_AT_PART_START}(?:{'|'.join(branches)})")


def _follow(
    seen: set[str],
    rest: str,
    one: dict[str, frozenset[str]],
    two: dict[str, frozenset[str]],
) -> set[str] | None:
    """``seen`` with the letters that may begin ``rest``; None if ``rest`` is empty (then
    anything may follow)."""
    if not rest:
        return None
    out = seen | one.get(rest[0], frozenset()) | {rest[0]}
    if rest[:2] in two:
        out |= two[rest[:2]]
    return out


@functools.lru_cache(maxsize=512)
def word_starts(letters: frozenset[str]) -> re.Pattern[str]:
    """A regex for where a token or a token's part may start with one of ``letters``
    (folded), in any spelling that folds to it (É for e, æ for a, ß for s)."""
    one, two = _spellings()
    chars: set[str] = set()
    for letter in letters:
        chars |= {letter, *one.get(letter, ())}
        for pair, written in two.items():
            if pair[0] == letter:
                chars |= written
    return re.compile(f"{_char_class(frozenset(chars))}{_AT_PART_START}")


def token_start(text: str, i: int) -> int:
    """The start of the token around offset ``i``."""
    return _token_start(text, i)


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
    """Start offset of the window of ``width`` chars holding the most distinct matched words.

    One pass with a sliding window (a query of common words can match hundreds of times in
    a long text).
    """
    best_start, best_key = spans[0][0], (-1, -1)
    words = [text[s:e].lower() for s, e in spans]
    counts: dict[str, int] = {}
    n = len(spans)
    j = -1  # the window is spans[i..j]
    for i, (s, _e) in enumerate(spans):
        if j < i:  # the window is empty: it always holds its first match
            j = i
            counts[words[i]] = counts.get(words[i], 0) + 1
        limit = s + width - _CONTEXT_BEFORE
        while j + 1 < n and spans[j + 1][1] <= limit:
            j += 1
            counts[words[j]] = counts.get(words[j], 0) + 1
        key = (len(counts), j + 1 - i)
        if key > best_key:
            best_key, best_start = key, s
        left = counts[words[i]] - 1
        if left:
            counts[words[i]] = left
        else:
            del counts[words[i]]
    return best_start


def is_untidy(text: str) -> bool:
    """True if ``text`` holds whitespace other than single spaces (what ``_normalise`` turns
    into one space). Checked in C: ``\\s`` is what ``str.isspace`` calls whitespace, and every
    such character but the ASCII space is unprintable, so printable text is untidy only
    where two spaces meet; unprintable text is searched as ``_normalise`` would."""
    if text.isprintable():
        return "  " in text
    return _UNTIDY_SPACE_RE.search(text) is not None


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
    if is_untidy(body):
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
