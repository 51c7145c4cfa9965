"""Phase 4, one label per entity: each mention votes (the model's label, the name's head
word, cues in its context, a known given name), aliases pool the votes, the gazetteer has
the last word on places."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

from ..gazetteer import Gazetteer, PlaceKind
from .aliases import link_aliases
from .french_names import french_votes
from .lexicon import (
    CLOSE_QUOTES,
    HONORIFIC_BEFORE,
    OPEN_QUOTES,
    PERSON_NOUNS,
    PLACE_PREFIXES,
    QUALIFIED_NOUN,
    SPACE_OR_COMMA,
    WORK_NOUNS,
    EndCue,
    end_core,
)
from .names import bare_name, head_vote, is_acronym, looks_like_full_name, not_demonym
from .spans import (
    DATE,
    GROUP,
    LAW,
    ORG,
    PERSON,
    PLACE,
    WORK,
    Aliases,
    Cues,
    Document,
    Span,
    majority,
)

# Lowercase nouns that, right before a name, say it is an organisation's ("the ferry
# company, X", "the hip-hop group X").
_ORG_NOUNS = EndCue.of_words(
    (
        "company",
        "firm",
        "operator",
        "carrier",
        "airline",
        "group",
        "band",
        "choir",
        "orchestra",
        "club",
        "team",
        "party",
        "union",
        "charity",
        "broadcaster",
        "newspaper",
        "magazine",
        "publisher",
        "studio",
        "label",
        "start-up",
        "startup",
        "manufacturer",
        "maker",
        "retailer",
        "insurer",
        "lender",
        "regulator",
        "watchdog",
        "consortium",
        "conglomerate",
        "cooperative",
        "co-operative",
        "ngo",
        "outfit",
        "collective",
    ),
    SPACE_OR_COMMA,
)

_DIRECTION_OF = EndCue(
    r"(?:\b(?:north|south|east|west|northeast|northwest|southeast|southwest|north-east"
    r"|north-west|south-east|south-west|outskirts|town|city|village|province|region|suburb"
    r"|district|capital)\s+of|\b(?:near|outside|across|around|towards|toward|above|below"
    r"|beneath|along|opposite|beyond|past|via))\s+(?:the\s+)?$",
    # the words a match can end in: "of", the prepositions, "the"
    (
        "of",
        "near",
        "outside",
        "across",
        "around",
        "towards",
        "toward",
        "above",
        "below",
        "beneath",
        "along",
        "opposite",
        "beyond",
        "past",
        "via",
        "the",
    ),
)

_PLACE_NOUN_AFTER = re.compile(
    r"^\s+(?:province|region|district|governorate|county|border|crossing|valley|river|town"
    r"|city|village|area|suburb|state|prefecture|municipality|oblast|island|peninsula|basin"
    r"|delta|estuary|coast|coastline|shore|embankment|waterfront|pier|port|harbour|harbor"
    r"|road|tunnel|stadium|mound|plain|plains|lake|sea|canal|glacier|mountains|station|airport"
    r"|square|street|avenue|bridge|neighbourhood|neighborhood|quarter)\b"
)

# People take no article: "the Danube", "the drying Danube" name a place (or a thing).
_ARTICLE_BEFORE = EndCue(r"\b[Tt]he\s+(?:[a-z]+ing\s+)?$", ("he", "ing"))

_IN_BEFORE = EndCue.of_words(("in", "at", "from", "to"), r"\s+$")

_PERSON_AFTER = re.compile(
    r"^\s*(?:,\s*who\b|\s(?:said|says|told|added|argued|wrote|asked|replied|insisted|warned"
    r"|, \d+,))"
)

_AFFILIATION_AFTER = re.compile(r"^\s+of\s+the\s+[A-Z]")

_SPEECH_AFTER = re.compile(
    r"^,?\s+(?:said|says|told|added|announced|argued|wrote|asked|replied|insisted|warned"
    r"|explained|noted)\b"
)

_AGE_AFTER = re.compile(r"^,\s*\d{1,3},")

_WHO_AFTER = re.compile(r"^,\s*who\b")

_LIST_JOIN = re.compile(r",\s+|\s+and\s+|,\s+and\s+")

# "from Nineveh to modern Mosul": the two ends of a range of places (a lowercase word may
# qualify the second).
_RANGE_JOIN = re.compile(r"\s+to\s+(?:[a-z]+\s+)?")
_FROM_BEFORE = EndCue.of_words(("from",), r"\s+$")

_OF_BEFORE = re.compile(r"\bof\s+(?:the\s+)?$")

_LOWER_NEXT = re.compile(r"\s+[a-z]")

# "In Toronto ," too: a sentence may start with the preposition.
_PLACE_BEFORE = re.compile(r"\b(?:[Ii]n|[Aa]t)\s+$")
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


def _context_votes(doc: Document, spans: list[Span]) -> None:
    """Let a name's head word and cues in its context vote for a label."""
    for s in spans:
        key = (s.field, s.start, s.end, s.label, s.model_label)
        cues = doc.cues.get(key)
        if cues is None:
            # The second round of votes asks again for most mentions: read once per article.
            cues = doc.cues[key] = _span_cues(doc, s)
        vote, weight, person_cue, loc_cue = cues
        if vote is not None:
            s.vote, s.weight = vote, weight
        if person_cue:
            s.person_cue = True
        if loc_cue:
            s.loc_cue = True
    _coordination_votes(doc, spans)
    _given_name_votes(doc, spans)


def _span_cues(doc: Document, s: Span) -> Cues:
    """What a mention's head word and context say, from its place, label and model label:
    the label they vote for (None: no cue) with its weight, and whether they mark a person
    or a place context."""
    source = doc.fields[s.field]
    text = source[s.start : s.end]
    before = source[max(0, s.start - 30) : s.start]
    after = source[s.end : s.end + 40]
    # Every cue before a name ends in whitespace ("in ", "the company "): none after "(".
    spaced = before[-1:].isspace()
    core = end_core(before)  # what every cue before the name is checked against first
    in_before = spaced and _IN_BEFORE.search(before, core) is not None
    direction = spaced and _DIRECTION_OF.search(before, core) is not None
    vote: str | None = None
    weight = 0
    head = head_vote(text, s.label)
    if head is not None:
        vote, weight = head, 3
    elif s.label not in (DATE, GROUP, LAW) and (
        (spaced and WORK_NOUNS.search(before, core))
        or (
            " " in text
            and before[-1:] in OPEN_QUOTES
            and after[:1] in CLOSE_QUOTES
            and after[:2] not in ("'s", "’s")
        )
    ):
        vote, weight = WORK, 2
    elif (
        (s.label in (PERSON, ORG, PLACE, GROUP) and direction)
        or (
            # "Syrian border" is an adjective before a noun, "Anbar province" a place;
            # so is a "group" that is no nationality adjective ("the Apapa road").
            _PLACE_NOUN_AFTER.match(after)
            and (s.label in (PERSON, ORG, PLACE) or (s.label == GROUP and not_demonym(text)))
        )
        or (s.label == PERSON and spaced and _ARTICLE_BEFORE.search(before, core))
    ):
        vote, weight = PLACE, 2
    elif (
        s.label in (ORG, PLACE, PERSON)
        and not is_acronym(text)
        and (
            (
                spaced
                and (HONORIFIC_BEFORE.search(before, core) or PERSON_NOUNS.search(before, core))
            )
            or _AGE_AFTER.match(after)
            # "X, who": places never take "who" ("Arsenal, who" may be a team); in
            # "residents of X, who" the "who" is the residents.
            or (s.model_label != ORG and _WHO_AFTER.match(after) and not _OF_BEFORE.search(before))
            # A full name that speaks ("…, Adaeze Okafor, announced"; places and
            # organisations speak too, so only for a name no gazetteer knows) or that
            # belongs to an organisation ("Ivana Petrović of the Danube River Alliance").
            or (
                (
                    (s.label == PLACE and _SPEECH_AFTER.match(after))
                    or (s.label in (PLACE, ORG) and _AFFILIATION_AFTER.match(after))
                )
                and looks_like_full_name(text, doc.gazetteer)
            )
        )
    ):
        vote, weight = PERSON, 2
    elif in_before and (s.label == PERSON or (s.label == GROUP and _group_as_place(text, after))):
        vote, weight = PLACE, 1
    elif (
        s.label in (PERSON, PLACE)
        and not is_acronym(text)
        and spaced
        and _ORG_NOUNS.search(before, core)
    ):
        vote, weight = ORG, 2
    elif (
        s.label == ORG
        and spaced
        and _ARTICLE_BEFORE.search(before, core)
        and bare_name(text)
        and not QUALIFIED_NOUN.match(after)
    ):
        # "the Limmat", "the Ringstrasse": one plain word after "the" is a river, a
        # street, an area; an organisation's own mentions without "the" outvote it.
        vote, weight = PLACE, 1
    person_cue = bool(_PERSON_AFTER.match(after)) or (vote == PERSON and weight > 1)
    loc_cue = in_before or direction
    return vote, weight, person_cue, loc_cue


def _given_name_votes(doc: Document, spans: list[Span]) -> None:
    """A full name the model called a place or an organisation that starts with a known
    given name ("Mikkel Sørensen") is a person's, unless some mention of it takes an
    article ("the Selene Pathfinder") or its last word is a given name too ("Santa Laura")."""
    gaz = doc.gazetteer
    if gaz is None:
        return
    with_article: set[str] | None = None  # read only when a name gets that far
    for s in spans:
        if s.label not in (PLACE, ORG) or s.weight > 1:
            continue  # before the words are read: most mentions stop here
        words = doc.text_of(s).split()
        if (
            len(words) > 1
            and gaz.is_given_name(words[0])
            and not gaz.is_given_name(words[-1])
            and words[0].casefold() not in PLACE_PREFIXES
            and (gaz.kind(words[0]) or 0) < PlaceKind.REGION
            and not _AT_IN_BEFORE.search(doc.fields[s.field][max(0, s.start - 10) : s.start])
            and not any(w.casefold() in _SITE_WORDS for w in words)
            and looks_like_full_name(doc.text_of(s), gaz)
        ):
            if with_article is None:
                with_article = {
                    doc.key_of(a)
                    for a in spans
                    if _ARTICLE_BEFORE.search(doc.fields[a.field][max(0, a.start - 30) : a.start])
                }
            if doc.key_of(s) in with_article:
                continue
            s.vote, s.weight = PERSON, 2
            s.person_cue = s.name_cue = True


def _coordination_votes(doc: Document, spans: list[Span]) -> None:
    """A one-word name listed with a place ("Erbil and Duhok", "Dhaka, Gazipur and Ashulia")
    is in a place context; an organisation or a group so listed votes for a place."""
    ordered = sorted(spans, key=lambda s: (s.field, s.start))
    for a, b in itertools.pairwise(ordered):
        if a.field == b.field and _RANGE_JOIN.fullmatch(doc.fields[a.field], a.end, b.start):
            _range_votes(doc, a, b)
            continue
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
                or (one.label == GROUP and not_demonym(doc.text_of(one)))
                or (one.label == PERSON and not one.person_cue)
            ):
                one.vote = PLACE


def _range_votes(doc: Document, a: Span, b: Span) -> None:
    """ "from X to Y" where one end is a place the gazetteer knows: a "person" at the other
    end is a place too, a cue as strong as a head word's ("from Nineveh to modern Mosul").
    Not a name with a known given name ("a letter from Ana Lima to Lisbon"), and not an
    organisation ("moved from Juventus to Milan": clubs, firms)."""
    source = doc.fields[a.field]
    gaz = doc.gazetteer
    if gaz is None or not _FROM_BEFORE.search(source[max(0, a.start - 10) : a.start]):
        return
    for one, other in ((a, b), (b, a)):
        if one.weight > 1 or one.label != PERSON:
            continue
        if any(gaz.is_given_name(w) for w in doc.text_of(one).split()):
            continue
        # A place the gazetteer knows: "to" alone gives the other end a place's vote too.
        if PLACE in (other.label, other.model_label) and gaz.kind(doc.text_of(other)):
            one.vote, one.weight, one.loc_cue = PLACE, 2, True


def _group_as_place(text: str, after: str) -> bool:
    """Whether a Group name after "in"/"from" is a place: not followed by a lowercase word
    ("in Kurdish areas"), or no nationality word followed by none but a function word
    ("in Iqaluit on Monday"; "to Thai and Indian firms" stays a Group)."""
    if not _LOWER_NEXT.match(after):
        return True
    return not_demonym(text) and not QUALIFIED_NOUN.match(after)


def link_and_vote(doc: Document, spans: list[Span]) -> Aliases:
    """Link aliases, then give every mention of one entity its entity's label."""
    # Each mention votes for its current label; added mentions only follow their entity.
    for s in spans:
        if not s.added:
            s.vote, s.weight = s.label, 1
        else:
            s.vote, s.weight = s.label, 0
    _context_votes(doc, spans)
    if doc.language == "fr":
        french_votes(doc, spans)
    keys = [doc.key_of(s) for s in spans]
    aliases = link_aliases(doc, spans, keys)
    for root, members in doc.entities(spans, aliases, keys).items():
        # A cue on the full name ("the company Nordhavn Pharma") decides for its short
        # forms ("Nordhavn", which the model kept calling a person).
        if len(members) == 1:
            label = majority(members)  # each list below would hold the one mention or none
        else:
            cued = [m for m in members if m.weight > 1 and " " in doc.text_of(m)]
            label = majority(cued or [m for m in members if m.weight > 0] or members)
        if any(m.name_cue for m in members):
            # The full name's given name outweighs the model's labels of its surname.
            label = PERSON
        if aliases.organisations and any(doc.key_of(m) in aliases.organisations for m in members):
            label = ORG
        fixed = [m for m in members if m.fixed]
        if fixed:
            _fixed_labels(doc, members, fixed)
            continue
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


def _fixed_labels(doc: Document, members: Sequence[Span], fixed: Sequence[Span]) -> None:
    """An entity some line's shape labelled ("Hamburg 2 Bremen 1": a club; "HAMBURG
    1996-09-14": a dateline's place): those mentions keep their labels, the others take the
    most frequent of them, or a place's where the gazetteer knows one and the context says
    place ("in Toronto", the city of a team)."""
    labels = [m.model_label for m in fixed]
    label = max(labels, key=labels.count)
    for m in members:
        if m.fixed:
            m.label = m.model_label
        elif (
            label == ORG
            and (m.loc_cue or _PLACE_BEFORE.search(doc.fields[m.field], 0, m.start))
            and doc.gazetteer is not None
            and doc.gazetteer.kind(doc.text_of(m)) is not None
        ):
            m.label = PLACE
        else:
            m.label = label


def _gazetteer_label(
    label: str, members: Sequence[Span], texts: Sequence[str], gazetteer: Gazetteer
) -> str:
    kind = gazetteer.kind(max(texts, key=len))
    if kind is None:
        return label
    if any(m.person_cue for m in members):
        return label
    if label == GROUP:
        # "Iquique" is a city; "Chadian", "Kurds" name people.
        return PLACE if all(not_demonym(t) for t in texts) else label
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
