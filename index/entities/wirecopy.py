"""How agency wire copy is read: case restored on lines in capitals, punctuation closed up.

Both make a copy of the article's fields of the same length, so the model's and the rules'
offsets on the copy are offsets in the original; only the model and the rules read it, the
mentions quote the original.

Case (``restore_case``).

The model learnt names from capitals: on "SOCCER - NORWAY HOLD ITALY AS SUBSTITUTE STRIKES
LATE" every word looks like one, and it marks "SOCCER - NORWAY" or nothing. ``restore_case``
rewrites such a line word by word in the casing the same article gives the word elsewhere
("Norway", "substitute"); a word the article does not use otherwise keeps a capital if it
starts a known place name or the line, keeps its capitals if it reads as an acronym (no
vowel, "BBC"; two or three letters not shaped like "WIN": "NBA"), and is lowercased if not. A headline in title case ("Miners End Strike After Pay
Deal") loses the capitals the article writes in lowercase. Every word keeps its length, so
the model's offsets on the copy are offsets in the original; only the model and the rules
read the copy, the mentions quote the original.

Datelines in capitals ("OSLO 1996-10-09") are left as they are: the dateline rule reads them.

Punctuation (``close_up``). Wire text of the 1990s comes tokenised, a space before every
comma, stop and bracket ("Oruro , Potosi and Huanuni", "Japan 's"), which the rules' cues
("X, Y and Z", "X's") do not expect. Where most commas of an article stand so, each space
and the mark after it change places ("Oruro,  Potosi"); brackets open the other way.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .gazetteer import Gazetteer, PlaceKind
from .rules.lexicon import ISO_DATELINE

_WORD = re.compile(r"[^\W\d_]+")
# Function words a headline in capitals or title case writes with a capital.
_SMALL_WORDS_TEXT = """
a an the and or but nor of in on at to for from with by as into onto over under after before
against between about up down off out than vs v is are was were be been has have had will
would can could may might must shall should it its his her their our my your he she they we
i you this that these those no so do go if me
"""
_SMALL_WORDS = frozenset(_SMALL_WORDS_TEXT.split())
# Common three-letter words shaped like acronyms (a vowel, then two consonants).
_COMMON_SHORT = frozenset(
    {"end", "all", "any", "own", "old", "add", "ask", "act", "art", "arm", "egg", "ill", "odd"}
)
# Words of two letters or more, and those of them in capitals (counted without a loop).
_LONG_WORD = re.compile(r"[^\W\d_]{2,}")
_SHOUTED_WORD = re.compile(r"(?<![^\W\d_])[A-Z]{2,}(?![^\W\d_])")
_VOWELS = frozenset("AEIOUYaeiouy")
_SENTENCE_END = frozenset(".!?:;\"“”'‘’(")
_SHOUTED_LINE_LENGTH = 200
_SHOUTED_SHARE = 0.6  # of a line's words in capitals, for the line to be in capitals
_CAPS_EVIDENCE_SHARE = 0.34  # a line with more in capitals tells nothing of their spelling
_PLACE_WORDS = 3  # longest place name looked up in a line in capitals


def _shouted_share(line: str, share: float, least: int = 1) -> bool:
    """Whether at least ``least`` words of two letters or more in ``line``, and ``share`` of
    them, are in capitals."""
    shouted = len(_SHOUTED_WORD.findall(line))
    # Most lines have fewer words in capitals than asked: their words are not counted.
    return shouted >= least and shouted >= share * len(_LONG_WORD.findall(line))


def _shouting(line: str) -> bool:
    """Whether a line is written in capitals: two words or more, and most of its words; a
    headline, a dateline or a table's row, so never a long paragraph."""
    return len(line) <= _SHOUTED_LINE_LENGTH and _shouted_share(line, _SHOUTED_SHARE, 2)


def _title_cased(line: str) -> bool:
    """A headline in title case: four words or more, all but the small ones capitalised."""
    words = _WORD.findall(line)
    if len(words) < 4:
        return False
    content = [w for w in words if w.casefold() not in _SMALL_WORDS]
    return (
        len(content) >= 3
        and all(w[:1].isupper() for w in content)
        and sum(w[:1].isupper() for w in words) >= 0.8 * len(words)
        and not all(w.isupper() for w in content)
    )


def _acronym_shaped(word: str) -> bool:
    """Whether an unknown word in capitals reads as an acronym: no vowel ("BBC"), two
    letters ("OT"), or three with one vowel not between consonants ("NBA", "IMF"; not "WIN",
    "CUP", "ICE", nor a common short word such as "END")."""
    vowels = sum(c in _VOWELS for c in word)
    if vowels == 0 or len(word) == 2:
        return True
    return (
        len(word) == 3
        and vowels == 1
        and word[1] not in _VOWELS
        and word.casefold() not in _COMMON_SHORT
    )


def _starts_sentence(line: str, start: int) -> bool:
    before = line[:start].rstrip()
    return not before or before[-1] in _SENTENCE_END


def _article_forms(lines: Sequence[str]) -> dict[str, str]:
    """How the article writes each word where case tells something (not a sentence's first
    word): the most frequent spelling, by its case-folded form."""
    counts: dict[str, dict[str, int]] = {}
    for line in lines:
        # A line with several words in capitals ("NEW YORK 1996-08-29", "CLEVELAND 6
        # Detroit 2") says nothing of how its capitals are spelt otherwise.
        caps_evidence = not _shouted_share(line, _CAPS_EVIDENCE_SHARE)
        for m in _WORD.finditer(line):
            word = m.group()
            if word.isupper() and not caps_evidence:
                continue
            inner_capital = not word[1:].islower() and not word.isupper()
            if _starts_sentence(line, m.start()) and not inner_capital:
                continue
            forms = counts.setdefault(word.casefold(), {})
            forms[word] = forms.get(word, 0) + 1
    return {key: max(forms, key=forms.__getitem__) for key, forms in counts.items()}


def _place_words(line: str, words: list[re.Match[str]], gazetteer: Gazetteer | None) -> set[int]:
    """Starts of the words in ``line`` that belong to a known place name ("LA PAZ")."""
    found: set[int] = set()
    if gazetteer is None:
        return found
    for i in range(len(words)):
        for n in range(min(_PLACE_WORDS, len(words) - i), 0, -1):
            first, last = words[i], words[i + n - 1]
            name = line[first.start() : last.end()]
            if n > 1 and name.count(" ") != n - 1:
                continue
            # One word must be a country or a large city: "NORTHERN" is some country's
            # region too, and the headline's word an adjective.
            kind = gazetteer.kind(name) if len(name) > 3 else None
            if kind is not None and (
                n > 1 or kind == PlaceKind.COUNTRY or gazetteer.is_major_city(name)
            ):
                found.update(w.start() for w in words[i : i + n])
                break
    return found


def _recased(
    line: str, forms: dict[str, str], gazetteer: Gazetteer | None, *, shouted: bool
) -> str:
    words = list(_WORD.finditer(line))
    places = _place_words(line, words, gazetteer) if shouted else set()
    out: list[str] = []
    pos = 0
    for m in words:
        word = m.group()
        known = forms.get(word.casefold())
        first = _starts_sentence(line, m.start())
        if known is not None:
            new = known
        elif not shouted:
            new = word.lower() if word.casefold() in _SMALL_WORDS else word
        elif word.casefold() in _SMALL_WORDS:
            new = word.lower()
        elif m.start() in places:
            new = word.capitalize()
        elif _acronym_shaped(word):
            new = word
        else:
            new = word.lower()
        if first and new[:1].islower():
            new = new[:1].upper() + new[1:]
        if len(new) != len(word):  # case mapping that changes length (rare letters)
            new = word
        out.append(line[pos : m.start()])
        out.append(new)
        pos = m.end()
    out.append(line[pos:])
    return "".join(out)


def restore_case(fields: Sequence[str], gazetteer: Gazetteer | None) -> list[str] | None:
    """The fields with lines in capitals (and a title in title case) in the article's own
    casing; None when no line needs it. Every field keeps its length and line breaks."""
    title_case = bool(fields) and "\n" not in fields[0] and _title_cased(fields[0])
    lines = [field.split("\n") for field in fields]
    shouting = [[_shouting(line) and not ISO_DATELINE.match(line) for line in f] for f in lines]
    if not title_case and not any(any(s) for s in shouting):
        return None
    forms = _article_forms(
        [
            line
            for f, s in zip(lines, shouting, strict=True)
            for line, sh in zip(f, s, strict=True)
            if not sh and not (title_case and f is lines[0])
        ]
    )
    out: list[str] = []
    for i, (f, s) in enumerate(zip(lines, shouting, strict=True)):
        new_lines = []
        for line, sh in zip(f, s, strict=True):
            if sh:
                line = _recased(line, forms, gazetteer, shouted=True)
            elif i == 0 and title_case:
                line = _recased(line, forms, gazetteer, shouted=False)
            new_lines.append(line)
        out.append("\n".join(new_lines))
    return out


_SPACED_MARK = re.compile(r" ([,.;:!?)]|['’]s)(?=\s|$)")
_SPACED_OPEN = re.compile(r"\( (?=\S)")
_TOKENISED_SHARE = 0.8  # of an article's commas with a space before, for it to be tokenised
_TOKENISED_LEAST = 2


def close_up(fields: Sequence[str]) -> list[str] | None:
    """The fields with wire tokenisation undone, lengths kept; None when the article is not
    tokenised (fewer than two commas, or most without a space before)."""
    commas = sum(f.count(",") for f in fields)
    spaced = sum(f.count(" ,") for f in fields)
    if spaced < _TOKENISED_LEAST or spaced < _TOKENISED_SHARE * commas:
        return None
    out = []
    for field in fields:
        closed = _SPACED_OPEN.sub(" (", field)
        # Twice: a mark after a closed one ("pay ) ,") stands after a space only then.
        for _ in range(2):
            closed = _SPACED_MARK.sub(lambda m: m.group(1) + " ", closed)
        out.append(closed)
    return out
