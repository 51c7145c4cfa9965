"""Document-level rules that turn a model's raw entity spans into clean, consistent mentions.

Pure Python, no spaCy: ``resolve_document`` takes the fields of one article (title, text)
and the raw spans a model found in them (already mapped to our user-facing types) and
applies, in order:

1. clean-up of each span: line breaks, quotes, brackets, leading articles, honorifics,
   possessives, lowercase descriptors ("Anbar province"); dates that are durations, ages,
   amounts ("8 and 12 per cent") or frequencies ("every day") are dropped; a language is
   dropped unless it qualifies a noun ("Yoruba traders", a Group); the words of a quoted
   theme or slogan and a product's name ("the app, called X") are dropped;
2. repairs of span boundaries: a "title" that nothing marks as one and that is a list of
   names ("X and Y", "People in X") split into places; "X in <known place>" split; a
   surname takes the known given name before it ("Tomasz" + "Wrona"); event names run
   over the capitalised words before their head word ("Book and Art Festival") or are
   found where the model missed them ("the 2008 financial crisis"); a quoted phrase in
   title case is one title; names the model ran together ("Florence as Lindqvist"), a
   possessive inside a name ("Bence Fekete's Low Water"), awards (dropped), lists of
   nationality adjectives ("Kurdish Syrian"), a group adjective that starts an
   organisation ("Islamic" + "State"), a law's year, the dateline place and its agency in
   brackets, an acronym in brackets after its long form, countries and major cities the
   model missed;
3. alias linking: surnames and given names of people (a full name the model mislabelled
   follows its surname), acronyms, "X (Y)" definitions and translations, an
   organisation's first word, a storm's name;
4. one label per entity: votes of the model, of the name's head word ("... Festival",
   "... Union"), of cues in the context ("northwest of X", "spokesman X", "the X", "X
   basin", "X, who", "the novel X", "the ferry company, X", a list with a confirmed
   place, "the X" for one plain word, a known given name starting a full name; a cue on
   the full name decides for its short forms), then the gazetteer;
5. added mentions the model missed, of entities (and their surnames and acronyms) found
   elsewhere in the article, then a second vote so they share their entity's label;
6. a lone one-word "person" at a sentence start with nothing marking a person is dropped
   (a capitalised common word: "Bring cash"), and so is a disease's name ("X virus").
"""

from __future__ import annotations

import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from ..models import Mention
from .gazetteer import Gazetteer, PlaceKind

PERSON, ORG, PLACE, GROUP, DATE = "Person", "Organization", "Place", "Group", "Date"
EVENT, WORK, LAW = "Event", "Work", "Law"
_ROMAN = {"II", "III", "IV", "VI", "VII", "VIII", "XI", "JR", "SR"}

# Ties between labels of one entity go to the more specific label: narrow types first,
# then people and places, with the model's catch-all ORG and adjectives last.
SPECIFICITY = ("Law", "Work", "Event", PERSON, PLACE, ORG, GROUP, DATE)

_OPEN_PUNCT = "\"'“”‘’«»‹›([{<-–—,.;:!?*_/\\|"
_CLOSE_PUNCT = "\"'“”‘’«»‹›)]}>-–—,;:!?*_/\\|"
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "ʼ": "'"})
_LEADING_ARTICLE = re.compile(r"^(?:the|a|an)\s+")
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
_HONORIFIC_BEFORE = re.compile(
    r"\b(?:Mr|Mrs|Ms|Mx|Dr|Prof|Sir|Dame|Gen|Col|Capt|Sgt|Lt|Maj|Sen|Rep|Gov|Rev|President"
    r"|Premier|Chancellor|Minister|Secretary|Judge|Senator|Governor|Mayor|Colonel|General"
    r"|Captain|Lieutenant|Commander|Ambassador|Professor|King|Queen|Prince|Princess|Pope"
    r"|Councillor|Councilor|Alderman|Commissioner|Inspector|Frau|Herr|Madame|Monsieur)\.?\s+$"
)
# Lowercase nouns that, right before a name, say it is an organisation's ("the ferry
# company, X", "the hip-hop group X").
_ORG_NOUNS = re.compile(
    r"\b(?:company|firm|operator|carrier|airline|group|band|choir|orchestra|club|team|party"
    r"|union|charity|broadcaster|newspaper|magazine|publisher|studio|label|start-up|startup"
    r"|manufacturer|maker|retailer|insurer|lender|regulator|watchdog|consortium|conglomerate"
    r"|cooperative|co-operative|ngo|outfit|collective)(?:\s+|\s*,\s+)$"
)
# A span that ends in years ("Anna Vögeli 1918–1965", an exhibition's title) is longer
# than the name.
_TRAILING_YEARS = re.compile(r"(?:[\s,]+\d[\d–—/-]*)+$")
# Short abbreviations that keep their final full stop.
_ABBREVIATIONS = {"inc", "corp", "co", "ltd", "jr", "sr", "st", "bros", "plc", "llc", "no"}
_NAME_PARTICLES = {
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
_ACRONYM_SKIP = {"of", "the", "and", "for", "on", "in", "de", "du", "des", "la", "le", "&", "et"}
_DEMONYM = re.compile(r"^[A-Z][a-z]+(?:ish|ian|an|ese|i|ic|ch|iot|ite)$")
# Capitalised nouns that make "<adjective> <noun>" the name of an organisation.
_ORG_HEADS = {
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
# Institutions named by one word after "the" ("the Senate", "the Treasury").
_INSTITUTIONS = {
    "senate",
    "court",
    "cabinet",
    "commission",
    "presidency",
    "treasury",
    "judiciary",
    "bundestag",
    "knesset",
    "duma",
    "kremlin",
    "pentagon",
    "vatican",
    "fed",
    "opposition",
    "junta",
    "regime",
    "taliban",
    "mafia",
    "military",
}
# Organisation nouns that also end place names ("Kano State", "Western Front").
_PLACE_LIKE_ORG_HEADS = {"state", "front", "command", "forces", "army", "navy", "guard", "guards"}
_DIRECTION_OF = re.compile(
    r"(?:\b(?:north|south|east|west|northeast|northwest|southeast|southwest|north-east"
    r"|north-west|south-east|south-west|outskirts|town|city|village|province|region|suburb"
    r"|district|capital)\s+of|\b(?:near|outside|across|around|towards|toward|above|below"
    r"|beneath|along|opposite|beyond|past|via))\s+(?:the\s+)?$"
)
_PLACE_NOUN_AFTER = re.compile(
    r"^\s+(?:province|region|district|governorate|county|border|crossing|valley|river|town"
    r"|city|village|area|suburb|state|prefecture|municipality|oblast|island|peninsula|basin"
    r"|delta|estuary|coast|coastline|shore|embankment|waterfront|pier|port|harbour|harbor"
    r"|road|tunnel|stadium|mound|plain|plains|lake|sea|canal|glacier|mountains|station|airport"
    r"|square|street|avenue|bridge|neighbourhood|neighborhood|quarter)\b"
)
# People take no article: "the Danube", "the drying Danube" name a place (or a thing).
_ARTICLE_BEFORE = re.compile(r"\b[Tt]he\s+(?:[a-z]+ing\s+)?$")
_IN_BEFORE = re.compile(r"\b(?:in|at|from|to)\s+$")
_PERSON_AFTER = re.compile(
    r"^\s*(?:,\s*who\b|\s(?:said|says|told|added|argued|wrote|asked|replied|insisted|warned"
    r"|, \d+,))"
)
_AFFILIATION_AFTER = re.compile(r"^\s+of\s+the\s+[A-Z]")
_SPEECH_AFTER = re.compile(
    r"^,?\s+(?:said|says|told|added|announced|argued|wrote|asked|replied|insisted|warned"
    r"|explained|noted)\b"
)
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
# Last words that make a name an event, a law or a place whatever the model said.
_EVENT_HEADS = {
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
_LAW_HEADS = {
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
_PLACE_HEADS = {
    "airport",
    "station",
    "bridge",
    "highway",
    "motorway",
    "road",
    "street",
    "avenue",
    "square",
    "stadium",
    "river",
    "lake",
    "valley",
    "mountains",
    "mountain",
    "island",
    "islands",
    "peninsula",
    "desert",
    "sea",
    "ocean",
    "bay",
    "canal",
    "province",
    "county",
    "strait",
    "gulf",
    "delta",
    "basin",
    "plateau",
    "glacier",
    "park",
    "palace",
    "tower",
    "terminal",
    "cathedral",
    "mosque",
    "temple",
    "castle",
    "dam",
    "reservoir",
    "falls",
    "beach",
    "inlet",
    "archipelago",
    "pass",
    "channel",
    "expressway",
    "lagoon",
    "forest",
    "hills",
    "range",
}
# Named storms: "Hurricane Lorena", "Cyclone Imani".
_EVENT_PREFIXES = {"hurricane", "cyclone", "typhoon", "storm"}
# Capitalised words that end company names; a "person" named so is an organisation.
_COMPANY_WORDS = {
    "group",
    "holdings",
    "partners",
    "securities",
    "capital",
    "bank",
    "energy",
    "pictures",
    "media",
    "news",
    "times",
    "post",
    "electronics",
    "systems",
    "technologies",
    "technology",
    "labs",
    "motors",
    "insurance",
    "mutual",
    "trust",
    "foundation",
    "fund",
    "society",
    "club",
    "records",
    "studios",
    "crew",
    "band",
    "choir",
    "orchestra",
    "ensemble",
    "quartet",
    "collective",
    "films",
    "sports",
    "instruments",
    "industries",
    "international",
    "inc",
    "corp",
    "ltd",
    "plc",
    "llc",
    "co",
    "gmbh",
    "sa",
    "ag",
    "nv",
}
# Lowercase nouns that, right before a name, say it is a person's.
_PERSON_NOUNS = re.compile(
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
_WORK_NOUNS = re.compile(
    r"\b(?:novel|film|book|song|album|play|documentary|series|poem|collection|opera|debut"
    r"|memoir|painting|musical|single)(?:\s+|\s*,\s+)$"
)
_OPEN_QUOTES = "\"'“‘«"
_CLOSE_QUOTES = "\"'”’»"
# Awards are none of our types: "Vistula Prize", "Golden Globe Award".
_AWARD_HEADS = {"prize", "prizes", "award", "awards", "medal", "trophy"}
_AGE_AFTER = re.compile(r"^,\s*\d{1,3},")
_WHO_AFTER = re.compile(r"^,\s*who\b")
_LIST_JOIN = re.compile(r",\s+|\s+and\s+|,\s+and\s+")
_OF_BEFORE = re.compile(r"\bof\s+(?:the\s+)?$")
# Lowercase words that never sit inside a name: a span across one holds two names.
_SPLIT_WORDS = re.compile(
    r"\s+(?:as|with|from|after|before|while|where|says|said|told|versus|vs\.?)\s+"
)
_INNER_POSSESSIVE = re.compile(r"(?<=\w)['’]s\s+(?=[A-Z])")
_JOB_AFTER = re.compile(r"^\s+(?:Minister|Secretary|Ministry|Department)\b")
_LINE = re.compile(r"[^\n]+")
_WORD_BREAK = re.compile(r"[\s-]+")
_LOWER_WORD = re.compile(r"[a-z]+\s+")
_LOWER_WORDS = re.compile(r"(?:[a-z]+\s+)+")
_TRAILING_LOWER = re.compile(r"(?:\s+[a-z]+)+$")
_TRAILING_CONNECTOR = re.compile(r"(?:\s+(?:of|and|the|for|in|on|at|to|a|an|by))+$")
_LOWER_NEXT = re.compile(r"\s+[a-z]")
# A lowercase noun right after an adjective ("Yoruba traders"); not a function word, a verb
# of speech or an adverb ("spoke Swahili fluently", "Swahili and").
_QUALIFIED_NOUN = re.compile(
    r" (?!(?:and|or|but|nor|is|are|was|were|has|have|had|as|at|in|on|to|for|with|from|by|of"
    r"|the|a|an|that|which|who|said|says|instead|too|also|well|again|now|then|here|there)\b)"
    r"[a-z]+\b(?<!ly)"
)
_OPEN_BETWEEN = re.compile(r"\s*\(\s*")
_CLOSE_AFTER = re.compile(r"\s*\)")
_BRACKETED = re.compile(r"\s*\(\s*([^()\n]{2,40}?)\s*\)")
_YEAR_AFTER = re.compile(r"^,?\s+(?:of\s+)?(\d{4})\b")
# "LONDON —", "MOPTI, Mali, March 4 (Agency) —": the opening place of a news text.
_DATELINE = re.compile(r"^[A-Z][A-Z'’.-]+(?: [A-Z][A-Z'’.-]+)*(?=(?:,[^\n]{0,60})?\s[—–-]\s)")

_DATELINE_AGENCY = re.compile(r"[^\n()—–]{0,60}?\(([A-Z][^()\n]{1,40}?)\)\s*[—–-]\s")
_DISEASE_AFTER = re.compile(
    r"[\s-]+(?:virus|viruses|disease|diseases|fever|syndrome|flu|influenza|strain|variant)\b",
    re.IGNORECASE,
)
# A maximal run of capitalised words (not inside a longer capitalised name).
_CAPITAL_RUN = re.compile(r"(?<![\w'’.-])[A-Z][a-z]+(?: [A-Z][a-z]+){0,2}(?![\w'’-])")
_WORD_AFTER = re.compile(r" (\w)")
# A quoted phrase in title case ("Night Shift", "The Salt Years"): a title.
_QUOTED = re.compile(r"(?<![\w'’])[\"“‘']([A-Z][^\"“”‘’\n]{1,60}?)[,.]?[\"”’'](?![\w])")
_TITLE_SMALL_WORDS = {
    "a",
    "an",
    "the",
    "of",
    "and",
    "or",
    "in",
    "on",
    "at",
    "to",
    "for",
    "from",
    "with",
    "by",
    "de",
    "del",
    "la",
    "le",
    "du",
    "des",
    "y",
    "et",
    "und",
    "von",
    "van",
}
_SENTENCE_START = re.compile(r"(?:^|[.!?:;]\s+|[\"“‘(]\s*|\s—\s)$")
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
# How the model runs a list or a phrase into one "title": "X and Y", "X, Y", "People in X".
_WORK_LIST_JOIN = re.compile(r",\s+(?:and\s+|or\s+)?|\s+(?:and|or|&)\s+|\s+(?:in|at|from)\s+")
# Capitalised words a name of an event can be built of ("Book and Art Festival").
_NAME_BEFORE = re.compile(r"(?:[A-Z][\w'’.-]*\s+(?:(?:and|of|&)\s+)?)+$")
_NOT_NAME_WORDS = {
    "The",
    "A",
    "An",
    "In",
    "On",
    "At",
    "For",
    "From",
    "By",
    "With",
    "As",
    "After",
    "Before",
    "During",
    "Since",
    "Until",
    "When",
    "While",
    "This",
    "That",
    "These",
    "Last",
    "Next",
    "And",
    "But",
    "Or",
    "Of",
    "Its",
    "His",
    "Her",
    "Their",
    "Our",
    "Every",
    "Each",
    "To",
    "If",
}
# Capitalised names ending in an event noun the model may have missed entirely.
_EVENT_NAME = re.compile(
    r"(?<![\w'’-])(?:[A-Z][\w'’.-]*\s+(?:(?:and|of|&)\s+)?)+(?:"
    r"Festival|Summit|Games|Olympics|Championships?|Cup|Expo|Marathon|Tournament)\b"
)
# "the 2008 financial crisis", "the Covid-19 pandemic": a named crisis, war or epidemic.
_EVENT_PHRASE = re.compile(
    r"\b[Tt]he\s+((?:\d{4}|[A-Z][\w'’]*(?:-\w+)*)(?:\s+(?:\d{4}|[A-Z][\w'’]*(?:-\w+)*))*"
    r"(?:\s+[a-z]+)?\s+(?:crisis|pandemic|epidemic|war|uprising|revolution))\b"
)
# First words of place names that are also given names somewhere ("North Kivu").
_PLACE_PREFIXES = {
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
_AT_IN_BEFORE = re.compile(r"\b(?:in|at)\s+$")
# Words that make a name a building, a site or an area rather than a person's.
_SITE_WORDS = {
    "harbour",
    "harbor",
    "port",
    "hospital",
    "school",
    "clinic",
    "centre",
    "center",
    "hall",
    "garden",
    "gardens",
    "market",
    "town",
    "city",
    "field",
    "arena",
    "theatre",
    "theater",
    "gallery",
    "library",
    "hotel",
    "mall",
    "plaza",
    "quay",
    "wharf",
    "pier",
    "point",
    "heights",
    "springs",
    "works",
    "mine",
    "farm",
    "estate",
    "village",
    "camp",
    "club",
}


@dataclass(frozen=True, slots=True)
class RawSpan:
    """A span in one field of a document (0 = title, 1 = text) with a user-facing label."""

    field: int
    start: int
    end: int
    label: str


@dataclass(slots=True)
class _Span:
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

    def __post_init__(self) -> None:
        self.model_label = self.model_label or self.label


def normalise(text: str) -> str:
    """Whitespace collapsed, typographic quotes made straight: how a canonical form looks."""
    return " ".join(text.translate(_QUOTES).split())


@lru_cache(maxsize=4096)
def entity_key(text: str) -> str:
    """What two mentions of one entity share: the normalised, case-folded text."""
    return normalise(text).casefold()


def _at_sentence_start(source: str, start: int) -> bool:
    return bool(_SENTENCE_START.search(source[max(0, start - 4) : start]))


def _has_word(text: str) -> bool:
    return any(c.isalnum() for c in text)


def clean_span(source: str, span: RawSpan) -> RawSpan | None:
    """Trim punctuation, quotes, articles, honorifics and possessives; None if nothing is left."""
    start, end = span.start, span.end
    if "\n" in source[start:end]:
        # Entities never cross a line: keep the first line's part that holds a word.
        pieces = [m for m in _LINE.finditer(source, start, end) if _has_word(m.group())]
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
        poss = _POSSESSIVE.search(source[start:end])
        if poss and end - start > len(poss.group()):
            end = start + poss.start()
        text = source[start:end]
        # A capitalised "The" is part of a name mid-sentence and of a work's title.
        art = _LEADING_ARTICLE.match(text) or (
            (span.label == DATE or (span.label != WORK and _at_sentence_start(source, start)))
            and _LEADING_ARTICLE_ANY.match(text)
        )
        if art and art.end() < len(text):
            start += art.end()
        text = source[start:end]
        if span.label == PERSON:
            hon = _HONORIFIC.match(text)
            if hon and hon.end() < len(text):
                start += hon.end()
        elif span.label == DATE:
            lead = _LOWER_WORD.match(source, start, end)
            if lead and not _DATE_ANCHOR.match(lead.group()) and lead.end() < end:
                start = lead.end()
        else:
            # Lowercase words before a name are descriptors ("northern"), not the name.
            lead = _LOWER_WORDS.match(source, start, end)
            if lead and lead.end() < end:
                words = lead.group().split()
                if not any(w in _NAME_PARTICLES for w in words):
                    start = lead.end()
        if (start, end) == before:
            break
    text = source[start:end]
    for paren in ("(", ")"):
        if text.count("(") != text.count(")") and paren in text:
            cut = text.index(paren)
            if cut > 0 and paren == "(":
                end = start + len(text[:cut].rstrip())
            elif paren == ")":
                start += cut + 1
                while start < end and source[start].isspace():
                    start += 1
            text = source[start:end]
    if span.label == PERSON and (years := _TRAILING_YEARS.search(text)) and years.start() > 0:
        end = start + years.start()
        text = source[start:end]
    if span.label in (PERSON, ORG, PLACE, GROUP):
        # Lowercase words after a name are descriptors ("Mopti region", "Niger and").
        trail = _TRAILING_LOWER.search(text)
    else:
        # A title, a law or a date may hold lowercase words, but does not end in "of" or
        # "and" ("aged 41 and 56" is no date "41 and").
        trail = _TRAILING_CONNECTOR.search(text)
    if trail and trail.start() > 0:
        end = start + trail.start()
        text = source[start:end]
    if not text or not any(c.isalnum() for c in text):
        return None
    if span.label == DATE:
        if not is_calendar_date(text):
            return None
    elif not any(c.isupper() for c in text):
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
    has_anchor = bool(_DATE_ANCHOR.search(text)) and len(text.split()) > 1
    return any(c.isdigit() for c in text) or any(c.isupper() for c in text) or has_anchor


def _split_group_lists(fields: Sequence[str], spans: list[_Span]) -> list[_Span]:
    """Split "Kurdish Syrian" into two Group mentions when every word is a demonym."""
    known = {fields[s.field][s.start : s.end] for s in spans if s.label == GROUP}
    out: list[_Span] = []
    for s in spans:
        text = fields[s.field][s.start : s.end]
        words = list(re.finditer(r"\S+", text))
        if (
            s.label == GROUP
            and len(words) > 1
            and all(_DEMONYM.match(w.group()) or w.group() in known for w in words)
        ):
            out.extend(
                _Span(s.field, s.start + w.start(), s.start + w.end(), GROUP, GROUP) for w in words
            )
        else:
            out.append(s)
    return out


_CAP_WORDS = re.compile(r"(?: [A-Z][\w'’-]*)+")


def _extend_group_fragments(fields: Sequence[str], spans: list[_Span]) -> list[_Span]:
    """A Group adjective directly followed by capitalised words ending in an organisation
    noun ("Islamic" + "State", "Democratic" + "Party") is the start of that organisation."""
    starts = {(s.field, s.start) for s in spans}
    out: list[_Span] = []
    for s in spans:
        if s.label == GROUP:
            source = fields[s.field]
            m = _CAP_WORDS.match(source, s.end)
            if m:
                words = m.group().split()
                # Stop before a word that starts another mention.
                end = s.end
                taken = 0
                for w in words:
                    pos = source.index(w, end)
                    if (s.field, pos) in starts:
                        break
                    end = pos + len(w)
                    taken += 1
                if taken and words[taken - 1].lower() in _ORG_HEADS:
                    out.append(_Span(s.field, s.start, end, ORG, ORG))
                    continue
        out.append(s)
    return out


class _Aliases:
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


@lru_cache(maxsize=16384)
def _is_acronym(text: str) -> bool:
    letters = text.replace(".", "").replace("&", "")
    return 2 <= len(letters) <= 7 and letters.isalpha() and letters.isupper()


def _initials(text: str, skip: bool) -> str:
    words = _WORD_BREAK.split(text)
    return "".join(
        w[0].upper() for w in words if w and w[0].isalpha() and not (skip and w in _ACRONYM_SKIP)
    )


def acronym_of(short: str, long: str) -> bool:
    """Whether ``short`` abbreviates ``long``: initials in order, with or without the small
    words, or the same letters in another order (names translated from French, Spanish)."""
    if not _is_acronym(short) or len(long.split()) < 2:
        return False
    letters = short.replace(".", "").replace("&", "").upper()
    return letters in _acronym_forms(long) or "".join(sorted(letters)) in _acronym_forms(long)


@lru_cache(maxsize=4096)
def _acronym_forms(long: str) -> frozenset[str]:
    forms = (_initials(long, True), _initials(long, False))
    return frozenset(forms + tuple("".join(sorted(f)) for f in forms))


def _name_words(text: str) -> list[str]:
    """The words of a person's name, name particles split off ("al-Assad" → "Assad")."""
    out: list[str] = []
    for w in text.split():
        parts = w.split("-")
        while len(parts) > 1 and parts[0].lower() in _NAME_PARTICLES:
            parts = parts[1:]
        word = "-".join(parts)
        if word.lower() not in _NAME_PARTICLES:
            out.append(word.casefold())
    return out


def _majority(spans: Sequence[_Span]) -> str:
    votes: Counter[str] = Counter()
    for s in spans:
        votes[s.vote] += s.weight
    best = max(votes.values())
    return next(label for label in SPECIFICITY if votes.get(label) == best)


def head_vote(text: str, label: str) -> str | None:
    """The label a name's own words demand: "... Festival" is an event, "... Act" a law,
    "... Airport" a place, a "person" with an acronym or company word an organisation."""
    words = text.split()
    if len(words) > 1 and words[0].casefold() in _EVENT_PREFIXES:
        return EVENT
    last = words[-1].casefold().strip(".,")
    if len(words) > 1 and label in (ORG, PLACE, PERSON, EVENT, WORK):
        if last in _LAW_HEADS:
            return LAW
        if last in _EVENT_HEADS and label != WORK:
            return EVENT
        if last in _PLACE_HEADS and label in (ORG, PERSON):
            return PLACE
        if label == PLACE and last in _ORG_HEADS and last not in _PLACE_LIKE_ORG_HEADS:
            return ORG
    if (
        len(words) > 1
        and label in (PERSON, PLACE)
        and any(w.casefold().strip(".") in _COMPANY_WORDS for w in words[1:])
    ):
        return ORG
    if label == PERSON:
        if any(_is_acronym(w) and w not in _ROMAN for w in words):
            return ORG
        if words[-1].casefold() in _ORG_HEADS:
            return ORG
    # "Museum of Fine Arts", "University of Mosul", "Bank of England".
    first = words[0].casefold()
    if (
        len(words) > 2
        and label in (PERSON, PLACE)
        and words[1] == "of"
        and first in _ORG_HEADS
        and first not in _PLACE_LIKE_ORG_HEADS
    ):
        return ORG
    return None


def _context_votes(doc: _Document, spans: list[_Span]) -> None:
    """Let a name's head word and cues in its context vote for a label."""
    for s in spans:
        source = doc.fields[s.field]
        text = source[s.start : s.end]
        before = source[max(0, s.start - 30) : s.start]
        after = source[s.end : s.end + 40]
        head = head_vote(text, s.label)
        if head is not None:
            s.vote, s.weight = head, 3
        elif s.label not in (DATE, GROUP, LAW) and (
            _WORK_NOUNS.search(before)
            or (
                " " in text
                and before[-1:] in _OPEN_QUOTES
                and after[:1] in _CLOSE_QUOTES
                and after[:2] not in ("'s", "’s")
            )
        ):
            s.vote, s.weight = WORK, 2
        elif (
            (s.label in (PERSON, ORG, PLACE, GROUP) and _DIRECTION_OF.search(before))
            or (
                # "Syrian border" is an adjective before a noun, "Anbar province" a place;
                # so is a "group" that is no nationality adjective ("the Apapa road").
                _PLACE_NOUN_AFTER.match(after)
                and (s.label in (PERSON, ORG, PLACE) or (s.label == GROUP and _not_demonym(text)))
            )
            or (s.label == PERSON and _ARTICLE_BEFORE.search(before))
        ):
            s.vote, s.weight = PLACE, 2
        elif (
            s.label in (ORG, PLACE, PERSON)
            and not _is_acronym(text)
            and (
                _HONORIFIC_BEFORE.search(before)
                or _PERSON_NOUNS.search(before)
                or _AGE_AFTER.match(after)
                # "X, who": places never take "who" ("Arsenal, who" may be a team); in
                # "residents of X, who" the "who" is the residents.
                or (
                    s.model_label != ORG
                    and _WHO_AFTER.match(after)
                    and not _OF_BEFORE.search(before)
                )
                # A full name that speaks ("…, Adaeze Okafor, announced"; places and
                # organisations speak too, so only for a name no gazetteer knows) or that
                # belongs to an organisation ("Ivana Petrović of the Danube River Alliance").
                or (
                    (
                        (s.label == PLACE and _SPEECH_AFTER.match(after))
                        or (s.label in (PLACE, ORG) and _AFFILIATION_AFTER.match(after))
                    )
                    and _looks_like_full_name(text, doc.gazetteer)
                )
            )
        ):
            s.vote, s.weight = PERSON, 2
        elif _IN_BEFORE.search(before) and (
            s.label == PERSON or (s.label == GROUP and _group_as_place(text, after))
        ):
            s.vote, s.weight = PLACE, 1
        elif s.label in (PERSON, PLACE) and not _is_acronym(text) and _ORG_NOUNS.search(before):
            s.vote, s.weight = ORG, 2
        elif (
            s.label == ORG
            and _ARTICLE_BEFORE.search(before)
            and _bare_name(text)
            and not _QUALIFIED_NOUN.match(after)
        ):
            # "the Limmat", "the Ringstrasse": one plain word after "the" is a river, a
            # street, an area; an organisation's own mentions without "the" outvote it.
            s.vote, s.weight = PLACE, 1
        if _PERSON_AFTER.match(after) or (s.vote == PERSON and s.weight > 1):
            s.person_cue = True
        if _IN_BEFORE.search(before) or _DIRECTION_OF.search(before):
            s.loc_cue = True
    _coordination_votes(doc, spans)
    _given_name_votes(doc, spans)


def _given_name_votes(doc: _Document, spans: list[_Span]) -> None:
    """A full name the model called a place or an organisation that starts with a known
    given name ("Mikkel Sørensen") is a person's, unless some mention of it takes an
    article ("the Selene Pathfinder") or its last word is a given name too ("Santa Laura")."""
    gaz = doc.gazetteer
    if gaz is None:
        return
    with_article = {
        doc.key_of(s)
        for s in spans
        if _ARTICLE_BEFORE.search(doc.fields[s.field][max(0, s.start - 30) : s.start])
    }
    for s in spans:
        words = doc.text_of(s).split()
        if (
            s.label in (PLACE, ORG)
            and s.weight <= 1
            and len(words) > 1
            and gaz.is_given_name(words[0])
            and not gaz.is_given_name(words[-1])
            and words[0].casefold() not in _PLACE_PREFIXES
            and (gaz.kind(words[0]) or 0) < PlaceKind.REGION
            and not _AT_IN_BEFORE.search(doc.fields[s.field][max(0, s.start - 10) : s.start])
            and not any(w.casefold() in _SITE_WORDS for w in words)
            and _looks_like_full_name(doc.text_of(s), gaz)
            and doc.key_of(s) not in with_article
        ):
            s.vote, s.weight = PERSON, 2
            s.person_cue = s.name_cue = True


def _bare_name(text: str) -> bool:
    """One plain capitalised word that names no kind of organisation ("Limmat", not
    "Senate", "Transformers" or "IBM")."""
    return (
        " " not in text
        and text[:1].isupper()
        and text.isalpha()
        and not text.isupper()
        and not text.endswith("s")
        and text.casefold() not in _ORG_HEADS
        and text.casefold() not in _COMPANY_WORDS
        and text.casefold() not in _INSTITUTIONS
    )


def _coordination_votes(doc: _Document, spans: list[_Span]) -> None:
    """A one-word name listed with a place ("Erbil and Duhok", "Dhaka, Gazipur and Ashulia")
    is in a place context; an organisation or a group so listed votes for a place."""
    ordered = sorted(spans, key=lambda s: (s.field, s.start))
    for a, b in itertools.pairwise(ordered):
        if a.field != b.field or not _LIST_JOIN.fullmatch(doc.fields[a.field], a.end, b.start):
            continue
        for one, other in ((a, b), (b, a)):
            # A name with a cue of its own (a head word, a person noun) keeps its vote.
            if PLACE not in (other.label, other.model_label) or one.weight > 1:
                continue
            if " " in doc.text_of(one):
                continue
            one.loc_cue = True
            # A vote only beside a place something confirms (the gazetteer, "in X"), so
            # two firms the model both mislabelled ("Intel, Nvidia") do not turn each other.
            sure = other.loc_cue or (
                doc.gazetteer is not None and doc.gazetteer.kind(doc.text_of(other)) is not None
            )
            if sure and (
                one.label == ORG
                or (one.label == GROUP and _not_demonym(doc.text_of(one)))
                or (one.label == PERSON and not one.person_cue)
            ):
                one.vote = PLACE


def _group_as_place(text: str, after: str) -> bool:
    """Whether a Group name after "in"/"from" is a place: not followed by a lowercase word
    ("in Kurdish areas"), or no nationality word followed by none but a function word
    ("in Iqaluit on Monday"; "to Thai and Indian firms" stays a Group)."""
    if not _LOWER_NEXT.match(after):
        return True
    return _not_demonym(text) and not _QUALIFIED_NOUN.match(after)


def _not_demonym(text: str) -> bool:
    """Whether a Group name looks like no nationality adjective or people ("Apapa")."""
    return not _DEMONYM.match(text) and not text.endswith("s") and " " not in text


def _word_bounded(source: str, start: int, end: int) -> bool:
    if start > 0 and source[start - 1].isalnum():
        return False
    if start > 1 and source[start - 1] == "-" and source[start - 2].islower():
        return False
    return not (end < len(source) and source[end].isalnum())


def _add_missed(
    fields: Sequence[str], spans: list[_Span], forms: dict[str, set[str]]
) -> list[_Span]:
    """Add occurrences of known entity strings the model missed; a longer known entity
    replaces shorter mentions inside it ("Islamic" inside "Islamic State")."""
    surfaces: list[tuple[str, str]] = []  # (surface, label)
    for label, texts in forms.items():
        surfaces.extend((t, label) for t in texts)
    surfaces.sort(key=lambda x: -len(x[0]))
    by_field: dict[int, list[_Span]] = defaultdict(list)
    for s in spans:
        by_field[s.field].append(s)
    for surface, label in surfaces:
        if len(surface) < 2:
            continue
        pattern = re.compile(re.escape(surface))
        for field, source in enumerate(fields):
            for m in pattern.finditer(source):
                start, end = m.span()
                if not _word_bounded(source, start, end):
                    continue
                inside = [s for s in by_field[field] if s.start < end and start < s.end]
                if any(s.start < start or s.end > end for s in inside):
                    continue  # overlaps partly, or lies inside a longer mention
                if any(s.start == start and s.end == end for s in inside):
                    continue
                for s in inside:
                    by_field[field].remove(s)
                by_field[field].append(_Span(field, start, end, label, label, 1, added=True))
    return [s for f in sorted(by_field) for s in by_field[f]]


def resolve_document(
    fields: Sequence[str], raw: Sequence[RawSpan], gazetteer: Gazetteer | None = None
) -> list[list[Mention]]:
    """Clean and reconcile one document's raw spans; returns mentions per field."""
    cleaned = [c for r in raw if (c := clean_span(fields[r.field], r)) is not None]
    if gazetteer is not None:
        cleaned = [k for c in cleaned if (k := _language_span(fields, c, gazetteer)) is not None]
    cleaned, unnamed = _drop_unnamed(fields, cleaned)
    spans = [_Span(c.field, c.start, c.end, c.label, c.label) for c in cleaned]
    spans = _split_joined(fields, spans)
    spans = _split_work_lists(fields, spans, gazetteer)
    spans = _split_located(fields, spans, gazetteer)
    spans = _extend_given_names(fields, spans, gazetteer)
    spans = _event_names(fields, spans)
    spans = _quoted_titles(fields, spans, unnamed)
    spans = _split_group_lists(fields, spans)
    spans = _extend_group_fragments(fields, spans)
    spans = _extend_laws_by_year(fields, spans)
    spans = _dateline(fields, spans)
    if gazetteer is not None:
        spans = _known_places(fields, spans, gazetteer)
    spans = _dedupe(spans)
    spans = _bracketed_acronyms(fields, spans)

    doc = _Document(fields, gazetteer)
    text_of = doc.text_of
    _link_and_vote(doc, spans)
    # Add what the model missed, then vote again so added mentions take the entity's label.
    forms: dict[str, set[str]] = defaultdict(set)
    for s in spans:
        if s.label != DATE:
            forms[s.label].add(text_of(s))
        if s.label == PERSON:
            forms[PERSON].update(_surnames(text_of(s)))
        elif s.label == ORG and len(text_of(s).split()) > 1:
            # An organisation's acronym used without being defined ("IS", "PMU").
            forms[ORG].add(_initials(text_of(s), skip=True))
        elif s.label == EVENT and (name := _storm_name(text_of(s))):
            forms[EVENT].add(name)
    spans = _add_missed(fields, spans, forms)
    aliases = _link_and_vote(doc, spans)
    spans = _drop_stray_capitals(doc, spans, aliases)
    spans = _drop_diseases(doc, spans, aliases)
    canon = _canonical_forms(doc, spans, aliases)

    out: list[list[Mention]] = [[] for _ in fields]
    for s in sorted(spans, key=lambda s: (s.field, s.start)):
        out[s.field].append(
            Mention(
                text=text_of(s),
                label=s.label,
                start=s.start,
                end=s.end,
                canonical=canon[s.start, s.field],
            )
        )
    return out


def _drop_stray_capitals(doc: _Document, spans: list[_Span], aliases: _Aliases) -> list[_Span]:
    """A one-word "person" that starts a sentence, is mentioned nowhere else in the article
    and has nothing around it that marks a person is a capitalised common word ("Bring
    cash", "Turnout was low"): news names a person in full first."""
    stray: set[int] = set()
    # A word of another person's name ("Webb" of "Ann Webb" and "Tom Webb") is a name.
    name_words = {
        w
        for s in spans
        if s.label == PERSON
        for w in _name_words(doc.text_of(s))
        if " " in doc.text_of(s)
    }
    for members in doc.entities(spans, aliases).values():
        if len(members) != 1:
            continue
        s = members[0]
        text = doc.text_of(s)
        source = doc.fields[s.field]
        before = source[max(0, s.start - 30) : s.start]
        if (
            s.label == PERSON
            and not (s.added or s.person_cue)
            and " " not in text
            and not _is_acronym(text)
            and text.casefold() not in name_words
            and _at_sentence_start(source, s.start)
            and not (_HONORIFIC_BEFORE.search(before) or _PERSON_NOUNS.search(before))
        ):
            stray.add(id(s))
    return [s for s in spans if id(s) not in stray] if stray else spans


def _drop_diseases(doc: _Document, spans: list[_Span], aliases: _Aliases) -> list[_Span]:
    """A name right before "virus", "disease", "fever" … names a disease ("Marburg virus
    disease", "Lassa fever"), none of our types: all its mentions go, unless one of them
    sits in a place context ("in X")."""
    sick: set[int] = set()
    for members in doc.entities(spans, aliases).values():
        if members[0].label == DATE or any(m.loc_cue for m in members):
            continue
        if any(_DISEASE_AFTER.match(doc.fields[m.field], m.end) for m in members):
            sick.update(id(m) for m in members)
    return [s for s in spans if id(s) not in sick] if sick else spans


def _known_places(fields: Sequence[str], spans: list[_Span], gazetteer: Gazetteer) -> list[_Span]:
    """Add what the model missed of the places no one mistakes: a run of capitalised words
    that is a country or a major city ("Tuvalu", "Genoa"), not at a sentence start, and no
    given name ("Jordan", "Georgia")."""
    taken: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for s in spans:
        taken[s.field].append((s.start, s.end))
    added: list[_Span] = []
    for field, source in enumerate(fields):
        if _title_cased_line(source):
            continue
        for m in _CAPITAL_RUN.finditer(source):
            start, end = m.span()
            name = m.group()
            if any(a < end and start < b for a, b in taken[field]):
                continue
            # Only a whole run of capitalised words: not "Vinh" of "Trà Vinh".
            prev = _WORD_BEFORE.search(source, max(0, start - 40), start)
            if prev and prev.group(1)[:1].isupper() and not _at_sentence_start(source, start):
                continue
            nxt = _WORD_AFTER.match(source, end)
            if nxt and nxt.group(1).isupper():
                continue
            if _at_sentence_start(source, start) or any(
                gazetteer.is_given_name(w) for w in name.split()
            ):
                continue
            if gazetteer.kind(name) == PlaceKind.COUNTRY or gazetteer.is_major_city(name):
                added.append(_Span(field, start, end, PLACE, PLACE))
    return spans + added if added else spans


def _language_span(fields: Sequence[str], span: RawSpan, gazetteer: Gazetteer) -> RawSpan | None:
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
    if _QUALIFIED_NOUN.match(source, span.end):
        return RawSpan(span.field, span.start, span.end, GROUP)
    return None


def _storm_name(text: str) -> str | None:
    """The name of a named storm ("Imani" of "Cyclone Imani"), else None."""
    words = text.split()
    if len(words) == 2 and words[0].casefold() in _EVENT_PREFIXES and words[1][:1].isupper():
        return words[1]
    return None


def _surnames(name: str) -> list[str]:
    """The forms a full name's surname takes alone: "Bashar al-Assad" → al-Assad, Assad."""
    words = name.split()
    if len(words) < 2:
        return []
    last = words[-1]
    out = [last]
    parts = last.split("-")
    while len(parts) > 1 and parts[0].lower() in _NAME_PARTICLES:
        parts = parts[1:]
        out.append("-".join(parts))
    return [w for w in out if len(w) > 2 and w[:1].isupper()]


def _split_joined(fields: Sequence[str], spans: list[_Span]) -> list[_Span]:
    """Split a span the model ran across two names ("Florence as Lindqvist"); drop a word
    that only qualifies a job title ("Transport" of "Transport Minister")."""
    out: list[_Span] = []
    for s in spans:
        source = fields[s.field]
        text = source[s.start : s.end]
        if s.label in (PERSON, ORG) and " " not in text and _JOB_AFTER.match(source[s.end :]):
            continue
        if len(text.split()) > 1 and text.split()[-1].casefold() in _AWARD_HEADS:
            continue
        owner = _INNER_POSSESSIVE.search(text) if s.label in (PERSON, ORG, PLACE) else None
        if owner:
            # "Boğaziçi University's Kandilli Observatory" is two names; "the writer Bence
            # Fekete's Low Water" a person and what the person has, which is not kept.
            out.append(_Span(s.field, s.start, s.start + owner.start(), s.label, s.label))
            before = source[max(0, s.start - 30) : s.start]
            if s.label != PERSON and not (
                _PERSON_NOUNS.search(before) or _HONORIFIC_BEFORE.search(before)
            ):
                out.append(_Span(s.field, s.start + owner.end(), s.end, s.label, s.label))
            continue
        cuts = list(_SPLIT_WORDS.finditer(text)) if s.label in (PERSON, ORG, PLACE) else []
        if not cuts:
            out.append(s)
            continue
        pos = 0
        for piece_end, next_start in [(c.start(), c.end()) for c in cuts] + [(len(text), 0)]:
            piece = text[pos:piece_end]
            if piece[:1].isupper():
                out.append(_Span(s.field, s.start + pos, s.start + piece_end, s.label, s.label))
            pos = next_start
    return out


def _quote_end(source: str, start: int) -> int:
    """Where a quotation opened just before ``start`` closes (the line's end at worst)."""
    m = _QUOTE_CLOSE.search(source, start)
    return m.start() if m else len(source)


_QUOTE_CLOSE = re.compile(r"[\"”»\n]|['’](?!\w)")


def _drop_unnamed(
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
        if s.label == DATE or not _PRODUCT_NAMED_BEFORE.search(
            source, max(0, s.start - 60), s.start
        ):
            continue
        end = s.end
        while end < len(source) and source[end] in _CLOSE_QUOTES:
            end += 1
        gloss = _BRACKETED.match(source, end)
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


def _title_marked(source: str, start: int, end: int) -> bool:
    """Whether something says a span is a title: quotes around it, or "the novel" before."""
    if _WORK_NOUNS.search(source[max(0, start - 30) : start]):
        return True
    return (
        start > 0
        and end < len(source)
        and source[start - 1] in _OPEN_QUOTES
        and source[end] in _CLOSE_QUOTES
    )


def _split_work_lists(
    fields: Sequence[str], spans: list[_Span], gazetteer: Gazetteer | None
) -> list[_Span]:
    """A "title" that nothing marks as one and that is a list or a phrase of capitalised
    names ("Alicante and Castellón", "People in Búzi") is split: known places, names listed
    with one, and names after "in", "at" or "from" are places; the rest (languages, a
    capitalised first word) is dropped."""
    out: list[_Span] = []
    for s in spans:
        source = fields[s.field]
        text = source[s.start : s.end]
        cuts = list(_WORK_LIST_JOIN.finditer(text)) if s.label == WORK else []
        if not cuts or _title_marked(source, s.start, s.end):
            out.append(s)
            continue
        pieces: list[tuple[int, int, bool]] = []  # (start, end, after a preposition)
        pos, located = 0, False
        for cut in [*cuts, None]:
            end = cut.start() if cut is not None else len(text)
            pieces.append((pos, end, located))
            if cut is not None:
                pos = cut.end()
                if cut.group().strip() in ("in", "at", "from"):
                    pieces, located = [], True
        if not all(w[:1].isupper() for a, b, _ in pieces for w in text[a:b].split()):
            out.append(s)
            continue
        if gazetteer is not None and any(gazetteer.is_language(text[a:b]) for a, b, _ in pieces):
            continue  # one language in the list makes it a list of languages: none of our types
        known = [
            gazetteer is not None and gazetteer.kind(text[a:b]) is not None for a, b, _ in pieces
        ]
        for (a, b, after_prep), is_known in zip(pieces, known, strict=True):
            if is_known or after_prep or any(known):
                out.append(_Span(s.field, s.start + a, s.start + b, PLACE, PLACE))
    return out


_WORD_BEFORE = re.compile(r"(\S+)[ \t]+$")
_EVENT_HEAD_WORD = re.compile(
    r"\b(?:Festival|Summit|Games|Olympics|Championships?|Cup|Expo|Marathon|Tournament|Open"
    r"|Finals|Prix|Regatta|Biennale)\b"
)


def _title_cased_line(source: str) -> bool:
    """Whether a text is a headline in title case ("Floods Cut Off Towns As River Rises"),
    where capitals do not mark names."""
    words = [w for w in source.split() if w[:1].isalpha()]
    if len(words) < 4 or "\n" in source:
        return False
    return sum(w[:1].isupper() for w in words) >= 0.7 * len(words)


def _name_start(source: str, start: int) -> int:
    """Where the run of capitalised words (joined by "and", "of", "&") that ends right
    before ``start`` begins; ``start`` itself when there is none."""
    pos = best = start
    while (m := _WORD_BEFORE.search(source, max(0, pos - 40), pos)) is not None:
        word = m.group(1)
        if word in ("and", "of", "&"):
            pos = m.start(1)
            continue
        plain = word.replace("-", "").replace("'", "").replace("’", "")
        if not (word[:1].isupper() and plain.isalpha()) or word in _NOT_NAME_WORDS:
            break
        pos = best = m.start(1)
    return best


def _event_names(fields: Sequence[str], spans: list[_Span]) -> list[_Span]:
    """Named events: a name ending in an event noun runs over the capitalised words before
    it ("Eko Book and Art Festival" where the model took "Art Festival", or nothing); "the
    2008 financial crisis" and "the Covid-19 pandemic" are events; a one-word "event" before
    a noun is an adjective ("a former Olympic swimmer") and is dropped."""
    out: list[_Span] = []
    for s in spans:
        source = fields[s.field]
        words = source[s.start : s.end].split()
        if s.label == EVENT and len(words) == 1 and _QUALIFIED_NOUN.match(source, s.end):
            continue
        if (
            s.label not in (DATE, LAW)
            and words[-1].casefold() in _EVENT_HEADS
            and not (s.label == WORK and _title_marked(source, s.start, s.end))
        ):
            start = _name_start(source, s.start)
            if start < s.start or s.label == WORK:
                out.append(_Span(s.field, start, s.end, EVENT, EVENT))
                continue
        out.append(s)
    for field, source in enumerate(fields):
        if _title_cased_line(source):
            continue  # "Shops Open Late": every word is capitalised, no name stands out
        for m in _EVENT_HEAD_WORD.finditer(source):
            start = _name_start(source, m.start())
            if start < m.start():
                out.append(_Span(field, start, m.end(), EVENT, EVENT))
        for m in _EVENT_PHRASE.finditer(source):
            out.append(_Span(field, m.start(1), m.end(1), EVENT, EVENT))
    return out


def _is_title_case(text: str) -> bool:
    """Two to eight words, every one capitalised but the small ones, no sentence inside."""
    words = text.split()
    if not 2 <= len(words) <= 8 or any(c in text for c in ".!?;:,"):
        return False
    return all(w[:1].isupper() or w.casefold() in _TITLE_SMALL_WORDS for w in words) and any(
        w.casefold() not in _TITLE_SMALL_WORDS for w in words[1:]
    )


def _quoted_titles(
    fields: Sequence[str], spans: list[_Span], unnamed: Sequence[tuple[int, int, int]]
) -> list[_Span]:
    """A quoted phrase in title case is a title ("Night Shift", which the model missed, or
    "The Salt Years", which it cut in two): one Work over the whole phrase, replacing the
    mentions inside it; not a quoted theme or slogan, nor a phrase that holds a longer name."""
    out = spans
    for field, source in enumerate(fields):
        for m in _QUOTED.finditer(source):
            start, end = m.span(1)
            text = m.group(1)
            if not _is_title_case(text) or any(
                f == field and a <= start < b for f, a, b in unnamed
            ):
                continue
            inside = [s for s in out if s.field == field and s.start < end and start < s.end]
            if any(s.start < start or s.end > end for s in inside):
                continue
            if any(s.start == start and s.end == end and s.label != WORK for s in inside):
                continue  # the model named the whole phrase: its label and the votes decide
            out = [s for s in out if not any(s is i for i in inside)]
            out.append(_Span(field, start, end, WORK, WORK))
    return out


_LOCATED_IN = re.compile(r"\s+(?:in|at)\s+")


def _split_located(
    fields: Sequence[str], spans: list[_Span], gazetteer: Gazetteer | None
) -> list[_Span]:
    """Split "Museum of Fine Arts in Ghent" when what follows "in"/"at" is a known place:
    an organisation or a place, and where it is."""
    if gazetteer is None:
        return spans
    out: list[_Span] = []
    for s in spans:
        source = fields[s.field]
        text = source[s.start : s.end]
        cut = _LOCATED_IN.search(text) if s.label in (ORG, PLACE) else None
        if cut and cut.start() > 0 and gazetteer.kind(text[cut.end() :]) is not None:
            out.append(_Span(s.field, s.start, s.start + cut.start(), s.label, s.label))
            out.append(_Span(s.field, s.start + cut.end(), s.end, PLACE, PLACE))
        else:
            out.append(s)
    return out


def _extend_given_names(
    fields: Sequence[str], spans: list[_Span], gazetteer: Gazetteer | None
) -> list[_Span]:
    """A one-word name right after a known given name is that person's surname: the model
    took "Wrona" of "Tomasz Wrona"; the span takes the given name and becomes a person."""
    if gazetteer is None:
        return spans
    starts = {(s.field, s.end) for s in spans}
    out: list[_Span] = []
    for s in spans:
        source = fields[s.field]
        text = source[s.start : s.end]
        prev = _WORD_BEFORE.search(source, max(0, s.start - 30), s.start)
        if (
            s.label in (PERSON, ORG, PLACE)
            and " " not in text
            and not _is_acronym(text)
            and prev is not None
            and source[prev.end(1) : s.start] == " "
            and prev.group(1)[:1].isupper()
            and gazetteer.is_given_name(prev.group(1))
            and prev.group(1) not in _NOT_NAME_WORDS
            and prev.group(1).casefold() not in _PLACE_PREFIXES
            and not gazetteer.is_given_name(text)
            and (s.field, prev.end(1)) not in starts
        ):
            out.append(_Span(s.field, prev.start(1), s.end, PERSON, PERSON))
        else:
            out.append(s)
    return out


def _extend_laws_by_year(fields: Sequence[str], spans: list[_Span]) -> list[_Span]:
    """A law's year belongs to its name ("Building Societies Act 1986")."""
    out: list[_Span] = []
    for s in spans:
        source = fields[s.field]
        words = source[s.start : s.end].split()
        m = _YEAR_AFTER.match(source[s.end : s.end + 12])
        if m and len(words) > 1 and words[-1].casefold() in _LAW_HEADS:
            out.append(_Span(s.field, s.start, s.end + m.end(), LAW, LAW))
        else:
            out.append(s)
    return out


def _dateline(fields: Sequence[str], spans: list[_Span]) -> list[_Span]:
    """The capitalised opening words of a news text before a comma or dash: a place."""
    if len(fields) < 2:
        return spans
    m = _DATELINE.match(fields[1])
    if not m:
        return spans
    start, end = m.span()
    kept = [s for s in spans if not (s.field == 1 and s.start < end and start < s.end)]
    kept.append(_Span(1, start, end, PLACE, PLACE))
    # "LONDON (Agency) —": the name in brackets before the dash is the news agency.
    agency = _DATELINE_AGENCY.match(fields[1], end)
    if agency:
        a, b = agency.span(1)
        kept = [s for s in kept if not (s.field == 1 and s.start < b and a < s.end)]
        kept.append(_Span(1, a, b, ORG, ORG))
    return kept


def _bracketed_acronyms(fields: Sequence[str], spans: list[_Span]) -> list[_Span]:
    """Add an acronym the model missed in brackets right after the name it abbreviates."""
    taken = {(s.field, s.start) for s in spans}
    added: list[_Span] = []
    for s in spans:
        if s.label == DATE:
            continue
        source = fields[s.field]
        m = _BRACKETED.match(source, s.end)
        if not m or (s.field, m.start(1)) in taken:
            continue
        inner = m.group(1)
        name = source[s.start : s.end]
        last = inner.split()[-1]
        shared_start = len(inner.split()) > 1 and inner.split()[0] == name.split()[0]
        if acronym_of(inner, name) or (shared_start and _is_acronym(last)):
            added.append(_Span(s.field, m.start(1), m.end(1), s.label, s.label))
    return _dedupe(spans + added) if added else spans


def _dedupe(spans: list[_Span]) -> list[_Span]:
    """Drop exact duplicates and mentions that overlap an earlier, longer one."""
    out: list[_Span] = []
    for s in sorted(spans, key=lambda s: (s.field, s.start, -(s.end - s.start))):
        if out and out[-1].field == s.field and s.start < out[-1].end:
            continue
        out.append(s)
    return out


@dataclass(frozen=True, slots=True)
class _Document:
    """One article's fields and gazetteer: how a mention's text and entity key are read."""

    fields: Sequence[str]
    gazetteer: Gazetteer | None

    def text_of(self, s: _Span) -> str:
        return self.fields[s.field][s.start : s.end]

    def key_of(self, s: _Span) -> str:
        # Dates never share an entity with names ("May" the month, "May" the person).
        return ("d:" if s.label == DATE else "n:") + entity_key(self.text_of(s))

    def entities(
        self, spans: list[_Span], aliases: _Aliases | None = None
    ) -> dict[str, list[_Span]]:
        """Mentions grouped by entity key, or with ``aliases`` by the entity they are linked to."""
        groups: dict[str, list[_Span]] = defaultdict(list)
        for s in spans:
            key = self.key_of(s)
            groups[aliases.find(key) if aliases is not None else key].append(s)
        return groups


def _link_and_vote(doc: _Document, spans: list[_Span]) -> _Aliases:
    """Link aliases, then give every mention of one entity its entity's label."""
    # Each mention votes for its current label; added mentions only follow their entity.
    for s in spans:
        if not s.added:
            s.vote, s.weight = s.label, 1
        else:
            s.vote, s.weight = s.label, 0
    _context_votes(doc, spans)
    aliases = _link_aliases(doc, spans)
    for root, members in doc.entities(spans, aliases).items():
        # A cue on the full name ("the company Nordhavn Pharma") decides for its short
        # forms ("Nordhavn", which the model kept calling a person).
        cued = [m for m in members if m.weight > 1 and " " in doc.text_of(m)]
        label = _majority(cued or [m for m in members if m.weight > 0] or members)
        if any(m.name_cue for m in members):
            # The full name's given name outweighs the model's labels of its surname.
            label = PERSON
        if any(doc.key_of(m) in aliases.organisations for m in members):
            label = ORG
        if (
            doc.gazetteer is not None
            and label in (PERSON, ORG, WORK, GROUP)
            and not root.startswith("d:")
        ):
            label = _gazetteer_label(
                label, members, [doc.text_of(m) for m in members], doc.gazetteer
            )
        for m in members:
            m.label = label
    for s in spans:
        s.vote = s.label
    return aliases


def _gazetteer_label(
    label: str, members: Sequence[_Span], texts: Sequence[str], gazetteer: Gazetteer
) -> str:
    kind = gazetteer.kind(max(texts, key=len))
    if kind is None:
        return label
    if any(m.person_cue for m in members):
        return label
    if label == GROUP:
        # "Iquique" is a city; "Chadian", "Kurds" name people.
        return PLACE if all(_not_demonym(t) for t in texts) else label
    if label == WORK:
        # A known place is a title only when something says so ("the film Paris").
        return label if any(m.vote == WORK and m.weight > 1 for m in members) else PLACE
    if kind >= PlaceKind.REGION:
        return PLACE
    # A city name: trust it over a person label, and over an organisation label when some
    # mention sits in a place context ("in X") or the city is a large one ("Bucharest
    # would take", a city for its government, is still a place).
    if label == PERSON:
        return PLACE
    if any(m.vote == PLACE or m.loc_cue for m in members):
        return PLACE
    if gazetteer.is_major_city(max(texts, key=len)):
        return PLACE
    return label


def _link_aliases(doc: _Document, spans: list[_Span]) -> _Aliases:
    aliases = _Aliases()
    by_key = doc.entities(spans)
    labels = {k: _majority(v) for k, v in by_key.items()}
    model_labels = {
        k: Counter(s.model_label for s in v).most_common(1)[0][0] for k, v in by_key.items()
    }
    texts = {k: doc.text_of(v[0]) for k, v in by_key.items()}
    names = [k for k in by_key if not k.startswith("d:")]

    # Acronyms: "PMU" for "Popular Mobilization Units" anywhere in the document.
    for short in names:
        if not _is_acronym(texts[short]):
            continue
        matches = [
            long for long in names if long != short and acronym_of(texts[short], texts[long])
        ]
        if len(matches) == 1:
            aliases.union(short, matches[0])

    # "X (Y)": a parenthesised name right after another defines one as the other.
    ordered = sorted(spans, key=lambda s: (s.field, s.start))
    for a, b in itertools.pairwise(ordered):
        if a.field != b.field or a.label == DATE or b.label == DATE:
            continue
        source = doc.fields[a.field]
        if not _OPEN_BETWEEN.fullmatch(source, a.end, b.start) or not _CLOSE_AFTER.match(
            source, b.end
        ):
            continue
        ka, kb = doc.key_of(a), doc.key_of(b)
        ta, tb = texts[ka], texts[kb]
        acronym = acronym_of(tb, ta) or acronym_of(ta, tb)
        if not acronym and PLACE not in (labels[ka], labels[kb]) and len(ta.split()) > 1:
            acronym = _is_acronym(tb.split()[-1])
        # Two multi-word names, one an organisation: a translation ("Al-Hashd al-Shaabi
        # (Popular Mobilization Units)"); a place in brackets is a location, not an alias.
        pair = (model_labels[ka], model_labels[kb])
        translation = (
            PLACE not in pair and ORG in pair and len(ta.split()) > 1 and len(tb.split()) > 1
        )
        if acronym or translation:
            aliases.union(ka, kb)
        if translation and not acronym:
            aliases.organisations.update((ka, kb))

    # Named storms: "Imani" alone is "Cyclone Imani".
    storms = {k: _storm_name(texts[k]) for k in names if labels[k] == EVENT}
    for short in names:
        matches = [k for k, name in storms.items() if name and name == texts[short]]
        if len(matches) == 1 and matches[0] != short:
            aliases.union(short, matches[0])

    # People: a surname or given name alone refers to the one full name that has it.
    name_words = {k: _name_words(texts[k]) for k in names}
    people = [k for k in names if labels[k] == PERSON and len(name_words[k]) > 1]
    for short in names:
        words = name_words[short]
        if len(words) != 1 or short in people:
            continue
        last = [k for k in people if name_words[k][-1] == words[0]]
        first = [k for k in people if name_words[k][0] == words[0]]
        if not last and labels[short] == PERSON:
            # A surname the model knows for a person makes its full name a person's too,
            # whatever the model called that ("Adaeze Okafor" a place, "Okafor" a person).
            last = [
                k
                for k in names
                if labels[k] in (PLACE, ORG)
                and len(name_words[k]) > 1
                and name_words[k][-1] == words[0]
                and _looks_like_full_name(texts[k], doc.gazetteer)
            ]
        # A surname the model called a place, unless it is a region, a country or a large
        # city ("Jack London" … "London" stays a place).
        minor_place = labels[short] == PLACE and (
            doc.gazetteer is None
            or (
                (doc.gazetteer.kind(texts[short]) or 0) < PlaceKind.REGION
                and not doc.gazetteer.is_major_city(texts[short])
            )
        )
        if len(last) == 1 and (labels[short] in (PERSON, ORG, GROUP) or minor_place):
            aliases.union(short, last[0])
        elif not last and len(first) == 1 and labels[short] == PERSON:
            aliases.union(short, first[0])

    # Organisations: the first word alone, after the full name ("Northgate Bank" ...
    # "Northgate"), unless the model took the word for a place or it is a known place
    # ("Tokyo" is not "Tokyo Electron", the "Danube" not the "Danube River Alliance").
    # First occurrence in the text; the title, a summary, comes after the whole text.
    first_seen: dict[str, tuple[int, int]] = {}
    for s in ordered:
        where = (0 if s.field == 1 else 1, s.start)
        first_seen[doc.key_of(s)] = min(first_seen.get(doc.key_of(s), where), where)
    orgs = [k for k in names if labels[k] == ORG and len(texts[k].split()) > 1]
    for short in names:
        text = texts[short]
        if " " in text or _is_acronym(text) or model_labels[short] not in (ORG, PERSON):
            continue
        if aliases.find(short) != short or (doc.gazetteer is not None and doc.gazetteer.kind(text)):
            continue
        heads = [k for k in orgs if texts[k].split()[0] == text]
        if len(heads) == 1 and first_seen[heads[0]] < first_seen[short]:
            aliases.union(short, heads[0])
    return aliases


def _looks_like_full_name(text: str, gazetteer: Gazetteer | None) -> bool:
    """Two to four capitalised words, none a known place, naming nothing but a person."""
    words = text.split()
    if not 2 <= len(words) <= 4 or not all(w[:1].isupper() for w in words):
        return False
    if head_vote(text, PERSON) is not None or any(
        w.casefold() in _ORG_HEADS or w.casefold() in _PLACE_HEADS for w in words
    ):
        return False
    return gazetteer is None or gazetteer.kind(text) is None


def _canonical_forms(
    doc: _Document, spans: list[_Span], aliases: _Aliases
) -> dict[tuple[int, int], str]:
    """One display form per entity: the fullest, most used, not all-caps spelling."""
    out: dict[tuple[int, int], str] = {}
    for members in doc.entities(spans, aliases).values():
        counts: Counter[str] = Counter(normalise(doc.text_of(m)) for m in members)
        order = {
            t: i for i, t in reversed(list(enumerate(normalise(doc.text_of(m)) for m in members)))
        }

        best = max(
            counts,
            key=lambda t, counts=counts, order=order: (  # type: ignore[misc]
                not _is_acronym(t),
                not (t.isupper() and len(t) > 1),
                len(t.split()),
                counts[t],
                -order[t],
            ),
        )
        for m in members:
            out[m.start, m.field] = best
    return out
