"""Word lists and patterns that several phases read (honorifics, head words, cues around a
name); a list only one phase reads lives in that phase's module."""

from __future__ import annotations

import re

HONORIFIC_BEFORE = re.compile(
    r"\b(?:Mr|Mrs|Ms|Mx|Dr|Prof|Sir|Dame|Gen|Col|Capt|Sgt|Lt|Maj|Sen|Rep|Gov|Rev|President"
    r"|Premier|Chancellor|Minister|Secretary|Judge|Senator|Governor|Mayor|Colonel|General"
    r"|Captain|Lieutenant|Commander|Ambassador|Professor|King|Queen|Prince|Princess|Pope"
    r"|Councillor|Councilor|Alderman|Commissioner|Inspector|Frau|Herr|Madame|Monsieur)\.?\s+$"
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
PERSON_NOUNS = re.compile(
    r"\b(?:spokesman|spokeswoman|spokesperson|minister|secretary|president|chairman|chairwoman"
    r"|analyst|researcher|director|actor|actress|sprinter|rider|cyclist|player|striker|coach"
    r"|envoy|ambassador|farmer|lawyer|judge|senator|governor|mayor|leader|chief|executive"
    r"|founder|economist|scientist|professor|nurse|official|diplomat|negotiator|author|writer"
    r"|singer|rival|teammate|team-mate|colleague|wife|husband|son|daughter|mother|father"
    r"|brother|sister|candidate|commander|epidemiologist|administrator|captain|manager|novelist"
    r"|poet|critic|producer|artist|musician|composer|filmmaker|photographer|journalist|editor"
    r"|historian|archaeologist|seismologist|lecturer|engineer|architect|designer|activist"
    r"|swimmer|runner|defender|goalkeeper|midfielder|winger|chair|coordinator|organiser"
    r"|organizer|curator|surgeon|teacher|pilot|fisher|fisherman|trader)(?:\s+|\s*,\s+)$"
)

# Nouns before a title ("the novel X", "whose film X") and quotes around one: a work.
WORK_NOUNS = re.compile(
    r"\b(?:novel|film|movie|book|song|album|EP|play|documentary|series|poem|collection|opera"
    r"|debut|memoir|painting|musical|single|game|video game|sequel|podcast|show|sitcom)"
    r"(?:\s+|\s*,\s+)$"
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
