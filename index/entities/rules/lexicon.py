"""Word lists and patterns that several phases read (honorifics, head words, cues around a
name); a list only one phase reads lives in that phase's module."""

from __future__ import annotations

import re
from collections.abc import Sequence


class EndCue:
    """A cue that ends where a name starts ("the company ", "Mr. ", "the novel "): a pattern
    anchored at the end of the text before the name, and the words a match can end in.

    ``search`` tries the pattern only when that text, without the spaces, commas and full
    stops at its end, ends in one of those words: most texts before a name do not, and a
    pattern anchored at the end is otherwise tried from every position of the text."""

    def __init__(self, pattern: str, finals: Sequence[str]) -> None:
        self.pattern = re.compile(pattern)
        self.finals = tuple(finals)

    @classmethod
    def of_words(cls, words: Sequence[str], tail: str) -> EndCue:
        """One of ``words`` (after a word boundary), then ``tail`` (spaces, a comma or a full
        stop, up to the end)."""
        return cls(r"\b(?:" + "|".join(words) + ")" + tail, words)

    def search(self, before: str, core: str | None = None) -> re.Match[str] | None:
        """The pattern's match at the end of ``before``; ``core`` is ``end_core(before)``
        when the caller asks several cues about one text."""
        if not (end_core(before) if core is None else core).endswith(self.finals):
            return None
        return self.pattern.search(before)


def end_core(before: str) -> str:
    """The text before a name without the spaces, commas and full stops at its end: what an
    ``EndCue``'s words must end."""
    return before.rstrip().rstrip(",.").rstrip()


# After a name's words: spaces, or a comma between spaces ("the company, X").
SPACE_OR_COMMA = r"(?:\s+|\s*,\s+)$"

HONORIFIC_BEFORE = EndCue.of_words(
    (
        "Mr",
        "Mrs",
        "Ms",
        "Mx",
        "Dr",
        "Prof",
        "Sir",
        "Dame",
        "Gen",
        "Col",
        "Capt",
        "Sgt",
        "Lt",
        "Maj",
        "Sen",
        "Rep",
        "Gov",
        "Rev",
        "President",
        "Premier",
        "Chancellor",
        "Minister",
        "Secretary",
        "Judge",
        "Senator",
        "Governor",
        "Mayor",
        "Colonel",
        "General",
        "Captain",
        "Lieutenant",
        "Commander",
        "Ambassador",
        "Professor",
        "King",
        "Queen",
        "Prince",
        "Princess",
        "Pope",
        "Councillor",
        "Councilor",
        "Alderman",
        "Commissioner",
        "Inspector",
        "Frau",
        "Herr",
        "Madame",
        "Monsieur",
    ),
    r"\.?\s+$",
)

NAME_PARTICLES = {
    "al",
    "el",
    "bin",
    "ibn",
    "bint",
    "abu",
    "van",
    "von",
    "der",
    "den",
    "de",
    "del",
    "della",
    "di",
    "da",
    "du",
    "des",
    "la",
    "le",
    "dos",
    "das",
    "ter",
}

# A wire dateline on a line of its own: a place in capitals (", Country" after it), then the
# ISO date ("OSLO 1996-10-09", "HILVERSUM , Netherlands 1996-08-23").
ISO_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z'’.-]*(?: [A-Z][A-Z'’.-]*)*)"
    r"(?: ?, (?P<country>[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*)*))? \d{4}-\d{2}-\d{2}\b"
)

DEMONYM = re.compile(r"^[A-Z][a-z]+(?:ish|ian|an|ese|i|ic|ch|iot|ite)$")

# Capitalised nouns that make "<adjective> <noun>" the name of an organisation.
ORG_HEADS = {
    "state",
    "party",
    "front",
    "army",
    "forces",
    "council",
    "movement",
    "brotherhood",
    "union",
    "church",
    "guard",
    "guards",
    "ministry",
    "alliance",
    "league",
    "congress",
    "committee",
    "newsroom",
    "authority",
    "agency",
    "institute",
    "university",
    "association",
    "federation",
    "bank",
    "airlines",
    "airways",
    "company",
    "corporation",
    "organization",
    "organisation",
    "network",
    "service",
    "police",
    "navy",
    "command",
    "brigade",
    "brigades",
    "militia",
    "coalition",
    "assembly",
    "parliament",
    "government",
    "observatory",
    "museum",
    "academy",
    "laboratory",
    "college",
}

# Last words that make a name an event, a law or a place whatever the model said.
EVENT_HEADS = {
    "conference",
    "festival",
    "summit",
    "games",
    "olympics",
    "championship",
    "championships",
    "cup",
    "war",
    "crisis",
    "epidemic",
    "pandemic",
    "marathon",
    "tournament",
    "expo",
    "revolution",
    "uprising",
    "massacre",
    "open",
    "finals",
    "prix",
    "regatta",
    "derby",
    "rally",
    "fair",
    "carnival",
    "biennale",
    "triennale",
}

LAW_HEADS = {
    "act",
    "regulation",
    "regulations",
    "decree",
    "ordinance",
    "statute",
    "treaty",
    "accord",
    "accords",
    "agreement",
    "charter",
    "constitution",
    "protocol",
    "directive",
    "bill",
    "amendment",
}

# Lowercase nouns that, right before a name, say it is a person's.
PERSON_NOUNS = EndCue.of_words(
    (
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "minister",
        "secretary",
        "president",
        "chairman",
        "chairwoman",
        "analyst",
        "researcher",
        "director",
        "actor",
        "actress",
        "sprinter",
        "rider",
        "cyclist",
        "player",
        "striker",
        "coach",
        "envoy",
        "ambassador",
        "farmer",
        "lawyer",
        "judge",
        "senator",
        "governor",
        "mayor",
        "leader",
        "chief",
        "executive",
        "founder",
        "economist",
        "scientist",
        "professor",
        "nurse",
        "official",
        "diplomat",
        "negotiator",
        "author",
        "writer",
        "singer",
        "rival",
        "teammate",
        "team-mate",
        "colleague",
        "wife",
        "husband",
        "son",
        "daughter",
        "mother",
        "father",
        "brother",
        "sister",
        "candidate",
        "commander",
        "epidemiologist",
        "administrator",
        "captain",
        "manager",
        "novelist",
        "poet",
        "critic",
        "producer",
        "artist",
        "musician",
        "composer",
        "filmmaker",
        "photographer",
        "journalist",
        "editor",
        "historian",
        "archaeologist",
        "seismologist",
        "lecturer",
        "engineer",
        "architect",
        "designer",
        "activist",
        "swimmer",
        "runner",
        "defender",
        "goalkeeper",
        "midfielder",
        "winger",
        "chair",
        "coordinator",
        "organiser",
        "organizer",
        "curator",
        "surgeon",
        "teacher",
        "pilot",
        "fisher",
        "fisherman",
        "trader",
    ),
    SPACE_OR_COMMA,
)

# Nouns before a title ("the novel X", "whose film X") and quotes around one: a work.
WORK_NOUNS = EndCue.of_words(
    (
        "novel",
        "film",
        "movie",
        "book",
        "song",
        "album",
        "EP",
        "play",
        "documentary",
        "series",
        "poem",
        "collection",
        "opera",
        "debut",
        "memoir",
        "painting",
        "musical",
        "single",
        "game",
        "video game",
        "sequel",
        "podcast",
        "show",
        "sitcom",
    ),
    SPACE_OR_COMMA,
)

OPEN_QUOTES = "\"'“‘«"

CLOSE_QUOTES = "\"'”’»"

# A lowercase noun right after an adjective ("Yoruba traders"); not a function word, a verb
# of speech or an adverb ("spoke Swahili fluently", "Swahili and").
QUALIFIED_NOUN = re.compile(
    r" (?!(?:and|or|but|nor|is|are|was|were|has|have|had|as|at|in|on|to|for|with|from|by|of"
    r"|the|a|an|that|which|who|said|says|instead|too|also|well|again|now|then|here|there)\b)"
    r"[a-z]+\b(?<!ly)"
)

BRACKETED = re.compile(r"\s*\(\s*([^()\n]{2,40}?)\s*\)")

# Capitalised words a name of an event can be built of ("Book and Art Festival").
_NAME_BEFORE = re.compile(r"(?:[A-Z][\w'’.-]*\s+(?:(?:and|of|&)\s+)?)+$")

# Capitalised names ending in an event noun the model may have missed entirely.
_EVENT_NAME = re.compile(
    r"(?<![\w'’-])(?:[A-Z][\w'’.-]*\s+(?:(?:and|of|&)\s+)?)+(?:"
    r"Festival|Summit|Games|Olympics|Championships?|Cup|Expo|Marathon|Tournament)\b"
)

# First words of place names that are also given names somewhere ("North Kivu").
PLACE_PREFIXES = {
    "north",
    "south",
    "east",
    "west",
    "new",
    "old",
    "upper",
    "lower",
    "central",
    "great",
    "greater",
    "little",
    "saint",
    "san",
    "santa",
    "st",
    "port",
    "mount",
    "lake",
    "cape",
    "fort",
    "glen",
    "golden",
    "royal",
    "grand",
}
