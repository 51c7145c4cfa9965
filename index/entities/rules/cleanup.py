"""Phase 1, each raw span alone: trim line breaks, quotes, brackets, leading articles,
honorifics, possessives and lowercase descriptors ("Anbar province"); drop dates that are
durations, ages, amounts or frequencies, a language unless it qualifies a noun ("Yoruba
traders", a Group), the words of a quoted theme or slogan and a product's name."""

from __future__ import annotations

import re
import string
from collections.abc import Sequence

from ..gazetteer import Gazetteer
from .lexicon import BRACKETED, CLOSE_QUOTES, NAME_PARTICLES, QUALIFIED_NOUN
from .spans import (
    DATE,
    EVENT,
    GROUP,
    LAW,
    ORG,
    PERSON,
    PLACE,
    WORK,
    RawSpan,
    at_sentence_start,
    has_word,
)

_OPEN_PUNCT = "\"'“”‘’«»‹›([{<-–—,.;:!?*_/\\|"

_CLOSE_PUNCT = "\"'“”‘’«»‹›)]}>-–—,;:!?*_/\\|"

_LEADING_ARTICLE = re.compile(r"^(?:the|a|an)\s+")

_ARTICLE_INITIALS = frozenset("atAT")
_ASCII_LOWER = frozenset(string.ascii_lowercase)
_YEARS_PUNCT = frozenset("–—/-")  # what years at a name's end may end in besides a digit

_LEADING_ARTICLE_ANY = re.compile(r"^(?:the|a|an|The|A|An|THE)\s+")

_POSSESSIVE = re.compile(r"(?:['’]s|(?<=s)['’])$")

_HONORIFIC = re.compile(
    r"^(?:(?:Mr|Mrs|Ms|Mx|Dr|Prof|Sir|Dame|Lord|Lady|Gen|Col|Capt|Cpt|Sgt|Lt|Maj|Sen|Rep|Gov"
    r"|Rev|Fr|Sheikh|Sheik|Imam|Rabbi|President|Premier|Chancellor|Minister|Secretary|Judge"
    r"|Justice|Senator|Governor|Mayor|Colonel|General|Major|Captain|Lieutenant|Sergeant"
    r"|Commander|Admiral|Ambassador|Professor|Doctor|King|Queen|Prince|Princess|Pope"
    r"|Cardinal|Bishop|Chairman|Chairwoman|Director|Coach|Prime|Deputy|Vice|Foreign"
    r"|Defence|Defense|Interior|Finance|Health|Transport|Commerce|Trade|Councillor|Councilor"
    r"|Alderman|Commissioner|Inspector|Superintendent|Constable|Frau|Herr|Madame|Monsieur)\.?\s+)+"
)

# A span that ends in years ("Anna Vögeli 1918–1965", an exhibition's title) is longer
# than the name.
_TRAILING_SCORE = re.compile(r"(?<=\w)\s+\d{1,3}-\d{1,3}$")
_TRAILING_YEARS = re.compile(r"(?:[\s,]+\d[\d–—/-]*)+$")

# Short abbreviations that keep their final full stop.
_LEADING_VERSUS = re.compile(r"^(?:v|vs\.?|versus)\s+")

_ABBREVIATIONS = {"inc", "corp", "co", "ltd", "jr", "sr", "st", "bros", "plc", "llc", "no"}

# Dates: a calendar reference needs a digit, a capitalised word (a weekday, a month) or a
# relative anchor; durations ("three years") and bare small numbers (ages) are not dates.
_DATE_ANCHOR = re.compile(
    r"\b(?:last|next|this|early|late|mid|yesterday|today|tomorrow|tonight|recent|past|coming"
    r"|earlier|later)\b",
    re.IGNORECASE,
)

_DURATION = re.compile(
    r"^(?:(?:at least|almost|about|nearly|more than|less than|over|under|some|around|up to"
    r"|roughly|just|only)\s+)?(?:\d[\d,.]*|a|an|one|two|three|four|five|six|seven|eight|nine|ten"
    r"|eleven|twelve|a few|few|several|many|some|\w+teen|\w+ty)(?:[ -](?:and a half|more))?"
    r"[ -](?:days?|weeks?|months?|years?|decades?|centuries|century|hours?|minutes?|nights?)"
    r"(?:\s+(?:ago|old|long))?$",
    re.IGNORECASE,
)

_FIGURES = re.compile(r"\d+(?:\s+\d+)+")
_AGE = re.compile(r"\d+-year-old", re.IGNORECASE)
_SCORE_LINE = re.compile(r"\d{1,3}\s*[-–]\s*\d{1,3}")
# An ordinal alone is a day of the month only after "the" or "on" ("on the 5th"); in a
# line-up or a list of scorers it is the minute ("Serra 68th").
_ORDINAL_DATE = re.compile(r"\d{1,2}(?:st|nd|rd|th)")
_DAY_BEFORE = re.compile(r"\b(?:the|on)\s+$", re.IGNORECASE)

# Amounts the model calls dates: shares and sums ("8 and 12 per cent", "40 million francs").
_QUANTITY = re.compile(
    r"%|\bper ?cent\b|\bpercent(?:age)?\b|\b(?:hundred|thousand|million|billion|trillion)\b"
    r"|[$€£¥₦₹]|\b(?:dollars?|euros?|pounds?|francs?|yen|yuan|rupees?|pesos?|shillings?|naira"
    r"|rand|lira|roubles?|rubles?|dinars?|dirhams?|riyals?|kronas?|kronor|krone|zloty|forints?"
    r"|reais|cedis?)\b",
    re.IGNORECASE,
)

# How often, not when: "every day", "each week", "twice a year", "daily".
_FREQUENCY = re.compile(
    r"^(?:every|each|per|daily|weekly|monthly|yearly|annually|nightly|twice|thrice)\b"
    r"|\b(?:a|an|per|each|every)\s+(?:day|night|week|month|year|decade|century)$"
    r"|\btimes\b",
    re.IGNORECASE,
)

# A unit of time alone ("Years" cut off a title) is no point in the calendar.
_BARE_UNIT = re.compile(
    r"^(?:days?|nights?|weeks?|months?|years?|decades?|centuries|century|hours?|minutes?)$",
    re.IGNORECASE,
)

_LINE = re.compile(r"[^\n]+")

_LOWER_WORD = re.compile(r"[a-z]+\s+")

_LOWER_WORDS = re.compile(r"(?:[a-z]+\s+)+")

_TRAILING_LOWER = re.compile(r"(?:\s+[a-z]+)+$")

_TRAILING_CONNECTOR = re.compile(r"(?:\s+(?:of|and|the|for|in|on|at|to|a|an|by))+$")

# Words that introduce a quoted theme or slogan: what the quotes hold names nothing.
_SLOGAN_BEFORE = re.compile(
    r"\b(?:theme|slogan|motto|tagline|catchphrase|watchword|hashtag|chant|banners?|placards?"
    r"|signs?|t-shirts?)(?:\s+(?:was|is|reading|read|reads|saying|said|of))?\s*[,:]?\s*$",
    re.IGNORECASE,
)

_QUOTE_OPEN = re.compile(r"[\"“«]|(?<![\w'’])['‘]")

# A made thing given a name ("the service, called ...", "a rover named ..."): a product,
# none of our types.
_PRODUCT_NAMED_BEFORE = re.compile(
    r"\b(?:service|app|application|model|device|system|tool|platform|programme|program|scheme"
    r"|project|campaign|initiative|product|software|robot|rover|lander|probe|satellite|rocket"
    r"|spacecraft|demonstrator|prototype|ship|vessel|boat|ferry|drone|vaccine|drug|chatbot"
    r"|algorithm|engine|phone|car|truck|train|website|game)s?,?\s+(?:(?:is|was)\s+)?"
    r"(?:called|named|dubbed|branded|known\s+as)\s+[\"“‘']?$"
)
_NAMED_WORDS = ("called", "named", "dubbed", "branded", "as")
_QUOTE_CHARS = "\"“‘'"


def clean_span(source: str, span: RawSpan) -> RawSpan | None:
    """Trim punctuation, quotes, articles, honorifics and possessives; None if nothing is left."""
    start, end = span.start, span.end
    if "\n" in source[start:end]:
        # Entities never cross a line: keep the first line's part that holds a word.
        pieces = [m for m in _LINE.finditer(source, start, end) if has_word(m.group())]
        if not pieces:
            return None
        start, end = pieces[0].span()
    for _ in range(4):
        before = (start, end)
        while start < end and (source[start].isspace() or source[start] in _OPEN_PUNCT):
            start += 1
        while end > start and (source[end - 1].isspace() or source[end - 1] in _CLOSE_PUNCT):
            end -= 1
        if end > start and source[end - 1] == ".":
            word = source[start:end].split()[-1]
            inner = word[:-1]
            if not ("." in inner or len(inner) == 1 or inner.lower() in _ABBREVIATIONS):
                end -= 1
        # (Quotes at the end were stripped above: a possessive left ends in "s".)
        poss = end > start and source[end - 1] == "s" and _POSSESSIVE.search(source[start:end])
        if poss and end - start > len(poss.group()):
            end = start + poss.start()
        text = source[start:end]
        # A capitalised "The" is part of a name mid-sentence and of a work's title. (Every
        # article starts with a, t, A or T: the patterns are tried only then.)
        art = text[:1] in _ARTICLE_INITIALS and (
            _LEADING_ARTICLE.match(text)
            or (
                (span.label == DATE or (span.label != WORK and at_sentence_start(source, start)))
                and _LEADING_ARTICLE_ANY.match(text)
            )
        )
        if art and art.end() < len(text):
            start += art.end()
        text = source[start:end]
        versus = text[:1] == "v" and _LEADING_VERSUS.match(text)
        if versus and versus.end() < len(text):
            start += versus.end()  # "v Kent": the other side of a fixture
            text = source[start:end]
        if span.label == PERSON:
            hon = _HONORIFIC.match(text)
            if hon and hon.end() < len(text):
                start += hon.end()
        elif start < end and not "a" <= source[start] <= "z":
            pass  # neither pattern below matches: both start with a lowercase letter
        elif span.label == DATE:
            lead = _LOWER_WORD.match(source, start, end)
            if lead and not _DATE_ANCHOR.match(lead.group()) and lead.end() < end:
                start = lead.end()
        else:
            # Lowercase words before a name are descriptors ("northern"), not the name.
            lead = _LOWER_WORDS.match(source, start, end)
            if lead and lead.end() < end:
                words = lead.group().split()
                if not any(w in NAME_PARTICLES for w in words):
                    start = lead.end()
        if (start, end) == before:
            break
    text = source[start:end]
    for paren in ("(", ")") if "(" in text or ")" in text else ():
        if text.count("(") != text.count(")") and paren in text:
            cut = text.index(paren)
            if cut > 0 and paren == "(":
                end = start + len(text[:cut].rstrip())
            elif paren == ")":
                start += cut + 1
                while start < end and source[start].isspace():
                    start += 1
            text = source[start:end]
    # The patterns at the end are tried only when the text's last character could end a
    # match (the text holds no line break, so "$" is its end).
    last = text[-1:]
    if span.label in (ORG, PLACE) and last.isdigit() and (score := _TRAILING_SCORE.search(text)):
        end = start + score.start()  # "beating Rapid Vienna 4-3 on penalties"
        text = source[start:end]
        last = text[-1:]
    if (
        span.label == PERSON
        and (last.isdigit() or last in _YEARS_PUNCT)
        and (years := _TRAILING_YEARS.search(text))
        and years.start() > 0
    ):
        end = start + years.start()
        text = source[start:end]
        last = text[-1:]
    if last not in _ASCII_LOWER:
        trail = None  # both patterns end in a lowercase letter
    elif span.label in (PERSON, ORG, PLACE, GROUP):
        # Lowercase words after a name are descriptors ("Mopti region", "Niger and").
        trail = _TRAILING_LOWER.search(text)
    else:
        # A title, a law or a date may hold lowercase words, but does not end in "of" or
        # "and" ("aged 41 and 56" is no date "41 and").
        trail = _TRAILING_CONNECTOR.search(text)
    if trail and trail.start() > 0:
        end = start + trail.start()
        text = source[start:end]
    if not text or not (text[:1].isalnum() or any(c.isalnum() for c in text)):
        return None
    if span.label == DATE:
        if not is_calendar_date(text):
            return None
        if _ORDINAL_DATE.fullmatch(text) and not _DAY_BEFORE.search(
            source, max(0, start - 8), start
        ):
            return None
    elif not (text[:1].isupper() or any(c.isupper() for c in text)):
        return None
    return RawSpan(span.field, start, end, span.label)


def is_calendar_date(text: str) -> bool:
    """Whether a DATE span names a point in the calendar, not a duration, an age, an amount
    or a frequency."""
    if _DURATION.match(text) or _BARE_UNIT.match(text):
        return False
    if _QUANTITY.search(text) or _FREQUENCY.search(text):
        return False
    if text.isdigit():
        return len(text) == 4
    if _FIGURES.fullmatch(text) or _AGE.fullmatch(text) or _SCORE_LINE.fullmatch(text):
        # a row of scores ("67 68", "6 5"), an age ("29-year-old"), a score line ("won the
        # series 2–1")
        return False
    has_anchor = bool(_DATE_ANCHOR.search(text)) and len(text.split()) > 1
    return any(c.isdigit() for c in text) or any(c.isupper() for c in text) or has_anchor


def language_span(fields: Sequence[str], span: RawSpan, gazetteer: Gazetteer) -> RawSpan | None:
    """A language ("Swahili") taken for a place or an organisation is none of our types,
    unless it qualifies a noun ("Yoruba traders"): then it names the people, a Group."""
    source = fields[span.field]
    text = source[span.start : span.end]
    if (
        span.label in (GROUP, WORK, LAW, EVENT, DATE)
        or not gazetteer.is_language(text)
        or gazetteer.kind(text) is not None
    ):
        return span
    if QUALIFIED_NOUN.match(source, span.end):
        return RawSpan(span.field, span.start, span.end, GROUP)
    return None


def _quote_end(source: str, start: int) -> int:
    """Where a quotation opened just before ``start`` closes (the line's end at worst)."""
    m = _QUOTE_CLOSE.search(source, start)
    return m.start() if m else len(source)


_QUOTE_CLOSE = re.compile(r"[\"”»\n]|['’](?!\w)")


def drop_unnamed(
    fields: Sequence[str], spans: list[RawSpan]
) -> tuple[list[RawSpan], list[tuple[int, int, int]]]:
    """Drop what only looks like a name: the words of a quoted theme or slogan ('the theme,
    "Borders and Bridges"'), and a product's name after "the service, called" together
    with its bracketed gloss ("called Calor Segur ("Safe Heat")") and its other mentions.
    Returns the spans kept and the (field, start, end) stretches that name nothing."""
    gone: list[tuple[int, int, int]] = []
    products: set[str] = set()
    for field, source in enumerate(fields):
        for m in _QUOTE_OPEN.finditer(source):
            if _SLOGAN_BEFORE.search(source, max(0, m.start() - 40), m.start()):
                gone.append((field, m.end(), _quote_end(source, m.end())))
    for s in spans:
        source = fields[s.field]
        if s.label == DATE:
            continue
        before = source[max(0, s.start - 60) : s.start]
        # The pattern ends in "called", "named" … then spaces and a quote: cheap to rule out.
        if not before.rstrip().rstrip(_QUOTE_CHARS).rstrip().endswith(_NAMED_WORDS):
            continue
        if not _PRODUCT_NAMED_BEFORE.search(source, max(0, s.start - 60), s.start):
            continue
        end = s.end
        while end < len(source) and source[end] in CLOSE_QUOTES:
            end += 1
        gloss = BRACKETED.match(source, end)
        gone.append((s.field, s.start, gloss.end() if gloss else s.end))
        products.add(source[s.start : s.end])
    if not gone:
        return spans, gone
    kept = [
        s
        for s in spans
        if not any(f == s.field and a <= s.start < b for f, a, b in gone)
        and fields[s.field][s.start : s.end] not in products
    ]
    return kept, gone
