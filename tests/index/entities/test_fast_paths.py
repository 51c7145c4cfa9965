"""The document rules' fast paths: each cheap test that stands in front of a pattern or a
scan must say "no" only where the pattern or the scan would. On text of our own; every test
here fails if the fast path it names turns away a case the slow path takes."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from newsreader.index.entities.gazetteer import Gazetteer, PlaceKind, load_gazetteer
from newsreader.index.entities.rules import RawSpan, clean_span, resolve_document
from newsreader.index.entities.rules.boundaries import event_names, known_places, split_joined
from newsreader.index.entities.rules.cleanup import drop_unnamed
from newsreader.index.entities.rules.lexicon import (
    HONORIFIC_BEFORE,
    PERSON_NOUNS,
    WORK_NOUNS,
    EndCue,
)
from newsreader.index.entities.rules.missed import add_missed
from newsreader.index.entities.rules.names import title_cased_line
from newsreader.index.entities.rules.notnames import drop_not_names
from newsreader.index.entities.rules.spans import DATE, PERSON, Document, Span, majority
from newsreader.index.entities.rules.votes import (
    _ARTICLE_BEFORE,
    _DIRECTION_OF,
    _IN_BEFORE,
    _ORG_NOUNS,
)

CUES: dict[str, EndCue] = {
    "honorific": HONORIFIC_BEFORE,
    "person noun": PERSON_NOUNS,
    "work noun": WORK_NOUNS,
    "organisation noun": _ORG_NOUNS,
    "direction": _DIRECTION_OF,
    "article": _ARTICLE_BEFORE,
    "in": _IN_BEFORE,
}


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return load_gazetteer()


def _pattern_words(cue: EndCue) -> list[str]:
    """The literal words in a cue's pattern, read from its source (not from its finals)."""
    return re.findall(r"(?<!\\)[A-Za-z][A-Za-z-]*", cue.pattern.pattern.replace(r"\s", " "))


def _texts_before(cue: EndCue) -> st.SearchStrategy[str]:
    words = [*_pattern_words(cue), "said", "of", "the", "The", "running", "Mr", "x"]
    word = st.sampled_from(words)
    joiner = st.sampled_from([" ", "  ", "\t", "\xa0", ", ", " , ", ". ", "-", "("])
    end = st.sampled_from(["", " ", "  ", ", ", ". ", " \n", ",", ".", "\xa0", " ,  "])
    return st.builds(
        lambda ws, js, e: "".join(w + j for w, j in zip(ws, js, strict=False)) + e,
        st.lists(word, min_size=1, max_size=5),
        st.lists(joiner, min_size=5, max_size=5),
        end,
    )


@pytest.mark.parametrize("name", sorted(CUES))
def test_every_word_of_a_cue_is_one_its_fast_test_lets_through(name: str) -> None:
    cue = CUES[name]
    for word in _pattern_words(cue):
        for before in (f"and {word} ", f"and {word}, ", f"({word}. ", f"the {word} the "):
            assert bool(cue.search(before)) == bool(cue.pattern.search(before)), before


@pytest.mark.parametrize("name", sorted(CUES))
def test_a_cue_finds_what_its_pattern_finds(name: str) -> None:
    cue = CUES[name]

    @settings(max_examples=300, deadline=None)
    @given(_texts_before(cue))
    def agree(before: str) -> None:
        assert bool(cue.search(before)) == bool(cue.pattern.search(before))

    agree()


def test_the_cues_say_what_they_said_before() -> None:
    assert HONORIFIC_BEFORE.search("met Dr. ") and HONORIFIC_BEFORE.search("met President  ")
    assert PERSON_NOUNS.search("the team-mate, ") and not PERSON_NOUNS.search("the team ")
    assert WORK_NOUNS.search("the video game ") and WORK_NOUNS.search("their EP ")
    assert _DIRECTION_OF.search("south-west of the ") and _DIRECTION_OF.search("near ")
    assert not _DIRECTION_OF.search("the ") and not _DIRECTION_OF.search("north ")
    assert _ARTICLE_BEFORE.search("past the drying ") and not _ARTICLE_BEFORE.search("other ")
    assert _IN_BEFORE.search("based in ") and not _IN_BEFORE.search("begin ")
    assert _ORG_NOUNS.search("the co-operative ") and not _ORG_NOUNS.search("the company's ")


def _clean(source: str, surface: str, label: str) -> str | None:
    start = source.index(surface)
    span = clean_span(source, RawSpan(1, start, start + len(surface), label))
    return None if span is None else source[span.start : span.end]


def test_span_ends_a_pattern_could_match_are_read() -> None:
    # possessives: "s" and both apostrophes at the end
    assert _clean("for Jones's side", "Jones's", "Person") == "Jones"
    assert _clean("the Chambers’ hall", "Chambers’", "Organization") == "Chambers"
    assert _clean("on Ngozi’s farm", "Ngozi’s", "Person") == "Ngozi"
    # a score, years ending in a digit or a dash, lowercase words and connectors at the end
    assert _clean("beating Rapid Vienna 4-3 at home", "Rapid Vienna 4-3", "Organization") == (
        "Rapid Vienna"
    )
    assert _clean("by Anna Vögeli 1918–1965 hang", "Anna Vögeli 1918–1965", "Person") == (
        "Anna Vögeli"
    )
    assert _clean("by Anna Vögeli 1918-- (Basel hang", "Anna Vögeli 1918-- (Basel", "Person") == (
        "Anna Vögeli"
    )  # the bracket cut leaves the dashes at the end
    assert _clean("near the Mopti region now", "Mopti region", "Place") == "Mopti"
    assert _clean("wrote Songs of the Delta and", "Songs of the Delta and", "Work") == (
        "Songs of the Delta"
    )


def test_span_starts_a_pattern_could_match_are_read() -> None:
    assert _clean("They met the Kanuri envoy.", "the Kanuri", "Group") == "Kanuri"
    assert _clean("The Harbour Trust said so.", "The Harbour Trust", "Organization") == (
        "Harbour Trust"
    )
    assert _clean("Essex v Kent today", "v Kent", "Organization") == "Kent"
    assert _clean("Essex v Kent today", "v Kent", PERSON) == "Kent"  # no descriptor for people
    assert _clean("in northern Mali", "northern Mali", "Place") == "Mali"
    assert _clean("from until March 2024 on", "until March 2024", DATE) == "March 2024"
    assert _clean("since early March", "early March", DATE) == "early March"
    assert _clean("a (Lagos branch", "(Lagos branch", "Place") == "Lagos"
    assert _clean("in Lagos (Nigeria office", "Lagos (Nigeria", "Place") == "Lagos"
    assert _clean("the government said", "the government", "Organization") is None


def test_fixtures_and_scores_inside_a_span_are_split() -> None:
    text = "Tottenham Hotspur v Manchester United, then Leeds 2-1 Hull."
    raw = [
        RawSpan(1, 0, 37, "Place"),
        RawSpan(1, text.index("Leeds"), text.index("."), "Organization"),
    ]
    got = {text[s.start : s.end] for s in drop_not_names(("", text), raw)}
    assert got == {"Tottenham Hotspur", "Manchester United", "Leeds", "Hull"}


def test_figures_alone_are_no_names_and_words_are() -> None:
    text = "It ended 2 - 1 to Arsenal"
    raw = [RawSpan(1, 9, 14, "Organization"), RawSpan(1, 18, 25, "Organization")]
    assert [text[s.start : s.end] for s in drop_not_names(("", text), raw)] == ["Arsenal"]


def test_a_product_named_after_called_is_dropped_with_a_quote_before_it() -> None:
    text = 'The app, called "Safe Tide", and a rover named Tidewatch, the band named Tidewater.'
    raw = [
        RawSpan(1, m.start(), m.end(), "Organization")
        for m in re.finditer(r"Safe Tide|Tidewatch|Tidewater", text)
    ]
    kept, gone = drop_unnamed(("", text), raw)
    assert [text[s.start : s.end] for s in kept] == ["Tidewater"] and len(gone) == 2


def test_a_one_word_name_after_a_given_name_and_one_space(gaz: Gazetteer) -> None:
    text = "Tomasz Wrona spoke; later Tomasz\tWrona and Tomasz  Wrona left."
    raw = [RawSpan(1, m.start(), m.end(), "Organization") for m in re.finditer("Wrona", text)]
    got = resolve_document(("", text), raw, gaz)[1]
    texts = [m.text for m in got]
    assert texts[0] == "Tomasz Wrona" and got[0].label == PERSON
    assert "Tomasz\tWrona" not in texts and "Tomasz  Wrona" not in texts


def test_a_job_title_word_is_dropped_without_copying_the_text() -> None:
    text = "The Transport Minister and Transport officials met."
    spans = [Span(1, 4, 13, "Organization", "Organization"), Span(1, 27, 36, "Person", "Person")]
    assert [(s.start, s.end) for s in split_joined(("", text), spans)] == [(27, 36)]


def test_known_places_reads_the_gazetteer_first_and_still_adds_what_it_knows() -> None:
    gaz = Gazetteer({"tuvalu": PlaceKind.COUNTRY, "asti": PlaceKind.CITY})
    text = "Ministers flew to Tuvalu, then to villages near Asti and on to Bellmoor."
    got = known_places(("", text), [], gaz)
    assert [text[s.start : s.end] for s in got] == ["Tuvalu", "Asti"]


def test_named_crises_are_events_when_the_noun_is_there() -> None:
    text = "After the 2008 financial crisis and the Covid-19 pandemic, the war ended."
    got = event_names(("", text), [])
    assert {text[s.start : s.end] for s in got} == {"2008 financial crisis", "Covid-19 pandemic"}


def test_a_headline_in_title_case_has_one_line() -> None:
    assert title_cased_line("Floods Cut Off Towns As River Rises")
    assert not title_cased_line("Floods Cut Off Towns\nAs River Rises")


def test_missed_mentions_beside_the_ones_found() -> None:
    text = "Okafor won. Okafor, Okafor and Okafors cheered."
    spans = [Span(1, 0, 6, PERSON, PERSON)]
    got = add_missed(("", text), spans, {PERSON: {"Okafor"}})
    assert [(s.start, s.added) for s in got] == [(0, False), (12, True), (20, True)]


def test_entity_keys_are_kept_per_place_and_per_kind_of_label() -> None:
    doc = Document(("", "May said May would come."), None)
    person = Span(1, 0, 3, PERSON, PERSON)
    month = Span(1, 0, 3, DATE, DATE)
    assert doc.key_of(person) == "n:may" and doc.key_of(month) == "d:may"
    person.label = DATE  # a label changed by a vote: the key follows it
    assert doc.key_of(person) == "d:may"


def test_majority_of_one_mention_and_of_a_tie() -> None:
    one = Span(1, 0, 3, PERSON, "Place")
    assert majority([one]) == "Place"
    tie = [Span(1, 0, 3, PERSON, "Organization"), Span(1, 5, 8, PERSON, "Event")]
    assert majority(tie) == "Event"


def test_after_the_drops_every_kept_mention_has_a_canonical_form(gaz: Gazetteer) -> None:
    # a stray capital, a disease and a lone given name go; the rest keep their forms
    text = (
        "Bring water, said Adaeze Okafor of the Lagos Harbour Trust. Okafor said Marburg virus"
        " cases fell. Tamsin laughed as Priya left. The LAGOS HARBOUR TRUST and Lagos Harbour Trust agreed."
    )
    marks = [
        ("Bring", PERSON),
        ("Adaeze Okafor", PERSON),
        ("Okafor said", PERSON),
        ("Marburg", "Place"),
        ("Tamsin", PERSON),
        ("Priya", PERSON),
        ("LAGOS HARBOUR TRUST", "Organization"),
        ("Lagos Harbour Trust agreed", "Organization"),
    ]
    raw = []
    for surface, label in marks:
        start = text.index(surface)
        name = surface.removesuffix(" said").removesuffix(" agreed")
        raw.append(RawSpan(1, start, start + len(name), label))
    got = resolve_document(("", text), raw, gaz)[1]
    forms = {(m.text, m.canonical) for m in got}
    assert ("Okafor", "Adaeze Okafor") in forms
    assert ("LAGOS HARBOUR TRUST", "Lagos Harbour Trust") in forms
    assert not {m.text for m in got} & {"Bring", "Marburg", "Tamsin", "Priya"}


def test_a_tie_between_two_spellings_goes_to_the_first_seen(gaz: Gazetteer) -> None:
    text = (
        "The Kestrel harbour Trust met. Later the Kestrel Harbour Trust said no, and the"
        " Kestrel Harbour Trust left; the Kestrel harbour Trust stayed."
    )
    raw = [
        RawSpan(1, m.start(), m.end(), "Organization")
        for m in re.finditer(r"Kestrel [Hh]arbour Trust", text)
    ]
    got = resolve_document(("", text), raw, gaz)[1]
    assert [m.canonical for m in got] == ["Kestrel harbour Trust"] * 4
