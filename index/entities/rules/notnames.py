"""Phase 1, continued: spans that are no names at all, and spans that hold two.

What the model takes for names in live blogs, sports reports and wikis: a time zone after a
clock time ("15:00 GMT"), a unit or "per cent" after a number, a letter glued to a digit
("5G"), an era marker ("700 BC", "AD 79"), a wiki namespace prefix ("WP:NPOV"), a score
("2-1"); and a fixture "X v Y", which names two teams. General rules on the text around a
span, in any language.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .spans import DATE, ORG, PERSON, PLACE, RawSpan

# A clock time right before the span: "15:00", "3pm", "9.30 a.m.".
_CLOCK_BEFORE = re.compile(r"(?:\b\d{1,2}[:.h]\d{2}|\b\d{1,2}\s*[ap]\.?m\.?)\s*$", re.IGNORECASE)
# Time zones written alone ("GMT", "UTC+2", "CEST"): three to five capitals ending in T, or UTC.
_ZONE = re.compile(r"^(?:UTC|GMT|[A-Z]{1,3}[SD]?T)(?:[+-]\d{1,2})?$")
_NUMBER_BEFORE = re.compile(r"\d(?:[\d.,]*\d)?\s*$")
_NUMBER_AFTER = re.compile(r"^\s*\d")
_ERA = {"BC", "AD", "BCE", "CE", "B.C.", "A.D."}
# Words that follow a number as its unit or its share.
_UNIT_WORDS = re.compile(
    r"^(?:per\s?cent|percent|pc|pct|%|[kmcnµ]?[mgl]|k[mw]h?|mph|kph|km/h|mw|gw|kw|tw|gb|mb|tb"
    r"|ft|in|lb|lbs|oz|mi|ha|bn|m|k|p|x|°[cf]?|degrees?|celsius|fahrenheit)$",
    re.IGNORECASE,
)
_SCORE = re.compile(r"\b\d{1,3}\s*[-–]\s*\d{1,3}\b")
# "Tottenham Hotspur v Manchester United", "Lyon vs. Nice": a fixture of two teams.
_FIXTURE = re.compile(r"\s+(?:v|vs\.?|versus)\s+")
_FIGURES_ONLY = re.compile(r"[\d\s\-–:]+")


def not_a_name(source: str, span: RawSpan) -> bool:
    """Whether a (cleaned) span is a time zone, a unit, an era, a wiki prefix or a score."""
    text = source[span.start : span.end]
    before = source[max(0, span.start - 12) : span.start]
    after = source[span.end : span.end + 6]
    if span.label == DATE:
        return False
    if _ZONE.match(text) and (_CLOCK_BEFORE.search(before) or text in ("GMT", "UTC")):
        return True
    if text in _ERA and (_NUMBER_BEFORE.search(before) or _NUMBER_AFTER.match(after)):
        return True
    if span.start > 0 and source[span.start - 1].isdigit() and len(text) <= 3:
        return True  # "G" of "5G", "M" of "20M"
    if _UNIT_WORDS.match(text) and _NUMBER_BEFORE.search(before):
        return True
    if after[:1] == ":" and after[1:2].strip() and " " not in text and len(text) <= 12:
        return True  # "WP:NPOV", "Talk:Mosul": a namespace, not a name
    if text[:1].isalpha():
        return False  # a score, or figures alone, start with neither a letter nor a space
    return bool(_SCORE.fullmatch(text.strip()) or _FIGURES_ONLY.fullmatch(text))


def split_fixtures(source: str, span: RawSpan) -> list[RawSpan]:
    """A span across "X v Y" is two teams (organisations); a score inside it is left out
    ("Leeds 2-1 Hull" is Leeds and Hull)."""
    text = source[span.start : span.end]
    if span.label not in (ORG, PLACE, PERSON):
        return [span]
    if "v" not in text and text.replace(" ", "").isalpha():
        return [span]  # no "v" for a fixture, no figure for a score: most names
    cut = _FIXTURE.search(text) or _SCORE.search(text)
    if cut is None or cut.start() == 0 or cut.end() == len(text):
        return [span]
    left = text[: cut.start()].rstrip()
    right = text[cut.end() :].lstrip()
    right_start = len(text) - len(right)
    if not (left[:1].isupper() and right[:1].isupper()):
        return [span]
    return [
        RawSpan(span.field, span.start, span.start + len(left), ORG),
        RawSpan(span.field, span.start + right_start, span.end, ORG),
    ]


def drop_not_names(fields: Sequence[str], spans: Sequence[RawSpan]) -> list[RawSpan]:
    """The spans that name something, fixtures split into their two teams."""
    out: list[RawSpan] = []
    for s in spans:
        for piece in split_fixtures(fields[s.field], s):
            if not not_a_name(fields[s.field], piece):
                out.append(piece)
    return out
