"""The shapes every phase of the rules works on: the labels, a raw span from the model, a
mention being resolved (with its vote), one article's fields, and the union-find of aliases."""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from ..gazetteer import Gazetteer

PERSON, ORG, PLACE, GROUP, DATE = "Person", "Organization", "Place", "Group", "Date"


EVENT, WORK, LAW = "Event", "Work", "Law"

# Ties between labels of one entity go to the more specific label: narrow types first,
# then people and places, with the model's catch-all ORG and adjectives last.
SPECIFICITY = ("Law", "Work", "Event", PERSON, PLACE, ORG, GROUP, DATE)

_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "ʼ": "'"})

_SENTENCE_START = re.compile(r"(?:^|[.!?:;]\s+|[\"“‘(]\s*|\s—\s)$")


@dataclass(frozen=True, slots=True)
class RawSpan:
    """A span in one field of a document (0 = title, 1 = text) with a user-facing label."""

    field: int
    start: int
    end: int
    label: str


@dataclass(slots=True)
class Span:
    field: int
    start: int
    end: int
    label: str
    vote: str  # the label this mention votes for (the model's, or a context cue's)
    weight: int = 1
    person_cue: bool = False
    name_cue: bool = False  # a known given name starts it: a person's full name
    loc_cue: bool = False
    added: bool = False
    model_label: str = ""
    fixed: bool = False  # the line's shape decided the label (a table's team or player)

    def __post_init__(self) -> None:
        self.model_label = self.model_label or self.label


# A mention's context cues: the label voted for (None: none) and its weight, a person cue,
# a place cue.
Cues = tuple[str | None, int, bool, bool]


def normalise(text: str) -> str:
    """Whitespace collapsed, typographic quotes made straight: how a canonical form looks."""
    return " ".join(text.translate(_QUOTES).split())


@lru_cache(maxsize=4096)
def entity_key(text: str) -> str:
    """What two mentions of one entity share: the normalised, case-folded text."""
    return normalise(text).casefold()


def at_sentence_start(source: str, start: int) -> bool:
    return bool(_SENTENCE_START.search(source[max(0, start - 4) : start]))


def has_word(text: str) -> bool:
    return any(c.isalnum() for c in text)


class Aliases:
    """Union-find over entity keys."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}
        self.organisations: set[str] = set()  # keys linked as translations: organisations

    def find(self, key: str) -> str:
        while self.parent.get(key, key) != key:
            key = self.parent[key]
        return key

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[ra] = rb


_SPECIFIC = frozenset(SPECIFICITY)


def majority(spans: Sequence[Span]) -> str:
    """The label the mentions' votes (weighted) choose; a tie goes to the more specific."""
    if len(spans) == 1 and spans[0].vote in _SPECIFIC:
        return spans[0].vote  # most entities have one mention: its vote is the majority
    votes: dict[str, int] = {}
    for s in spans:
        votes[s.vote] = votes.get(s.vote, 0) + s.weight
    best = max(votes.values())
    return next(label for label in SPECIFICITY if votes.get(label) == best)


def dedupe(spans: list[Span]) -> list[Span]:
    """Drop exact duplicates and mentions that overlap an earlier, longer one."""
    out: list[Span] = []
    for s in sorted(spans, key=lambda s: (s.field, s.start, -(s.end - s.start))):
        if out and out[-1].field == s.field and s.start < out[-1].end:
            continue
        out.append(s)
    return out


@dataclass(frozen=True, slots=True)
class Document:
    """One article's fields and gazetteer: how a mention's text and entity key are read."""

    fields: Sequence[str]
    gazetteer: Gazetteer | None
    language: str = "en"
    # What each mention's context says (votes.py), by (field, start, end, label, model label):
    # both rounds of votes read it, the second mostly for the same mentions.
    cues: dict[tuple[int, int, int, str, str], Cues] = dataclasses.field(
        default_factory=dict, compare=False, repr=False
    )

    # Each mention's entity key by (field, start, end, is a date): every phase from the
    # votes on asks, most of them for every mention.
    keys: dict[tuple[int, int, int, bool], str] = dataclasses.field(
        default_factory=dict, compare=False, repr=False
    )
    # A name's words by its text (``names.name_words``): alias linking asks in both rounds,
    # the drops after.
    name_words: dict[str, list[str]] = dataclasses.field(
        default_factory=dict, compare=False, repr=False
    )

    def text_of(self, s: Span) -> str:
        return self.fields[s.field][s.start : s.end]

    def key_of(self, s: Span) -> str:
        # Dates never share an entity with names ("May" the month, "May" the person).
        where = (s.field, s.start, s.end, s.label == DATE)
        key = self.keys.get(where)
        if key is None:
            text = self.fields[s.field][s.start : s.end]
            key = self.keys[where] = ("d:" if where[3] else "n:") + entity_key(text)
        return key

    def entities(
        self,
        spans: list[Span],
        aliases: Aliases | None = None,
        keys: Sequence[str] | None = None,
    ) -> dict[str, list[Span]]:
        """Mentions grouped by entity key, or with ``aliases`` by the entity they are linked to;
        ``keys`` are the spans' keys when the caller has them already."""
        groups: dict[str, list[Span]] = defaultdict(list)
        if keys is None:
            keys = [self.key_of(s) for s in spans]
        for s, key in zip(spans, keys, strict=True):
            groups[aliases.find(key) if aliases is not None else key].append(s)
        return groups
