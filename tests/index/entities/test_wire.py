"""Agency wire copy: lines in capitals read in the article's own casing, datelines, and the
tables of sports copy (results, standings, line-ups, players with their countries); on
text of our own, through resolve_document with the spans a model might give."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from newsreader.index.entities.extract import model_available
from newsreader.index.entities.gazetteer import Gazetteer, PlaceKind, load_gazetteer
from newsreader.index.entities.rules import RawSpan, resolve_document
from newsreader.index.entities.wirecopy import close_up, restore_case


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return load_gazetteer()


def marks(text: str, *found: tuple[str, str]) -> list[RawSpan]:
    out = []
    for surface, label in found:
        start = text.find(surface)
        assert start >= 0, surface
        out.append(RawSpan(1, start, start + len(surface), label))
    return out


def resolved(text: str, *found: tuple[str, str], gaz: Gazetteer) -> set[tuple[str, str]]:
    got = resolve_document(("", text), marks(text, *found), gaz)[1]
    assert all(text[m.start : m.end] == m.text for m in got)
    return {(m.text, m.label) for m in got}


# -- case restored ------------------------------------------------------------------------


def test_a_headline_in_capitals_takes_the_casing_of_its_article() -> None:
    gaz = Gazetteer({"peru": PlaceKind.COUNTRY, "la paz": PlaceKind.CITY})
    title = "RUGBY - PERU STUN HOSTS IN LA PAZ AS BBC SHOWS FINAL ."
    text = "Peru beat the hosts 21-20 on Sunday , and the final was shown live ."
    restored = restore_case((title, text), gaz)
    assert restored is not None
    # Known words as the article writes them, known places capitalised, the rest lowercase;
    # a word with no vowel keeps its capitals (an acronym); no capital after the dash.
    assert restored[0] == "Rugby - Peru stun hosts in La Paz as BBC shows final ."
    assert restored[1] == text
    assert [len(f) for f in restored] == [len(title), len(text)]


def test_only_lines_in_capitals_change_and_datelines_stay() -> None:
    text = "OSLO 1996-10-09\nNorway drew with Italy .\nGROUP THREE STANDINGS :\nNATO met ."
    restored = restore_case(("A plain title", text), None)
    assert restored is not None
    lines = restored[1].split("\n")
    assert lines[0] == "OSLO 1996-10-09"  # the dateline rule reads it in capitals
    assert lines[1] == "Norway drew with Italy ."
    assert lines[2] == "Group three standings :"
    assert lines[3] == "NATO met ."  # one acronym does not make a line in capitals


def test_ordinary_articles_are_left_alone() -> None:
    assert (
        restore_case(("Benfica agree sale of Okafor", "The BBC said so on Monday."), None) is None
    )
    assert restore_case(("", "LISBON (Reuters) — Benfica have agreed to sell."), None) is None


def test_a_title_case_headline_loses_the_capitals_its_article_does_not_write() -> None:
    title = "Dockers End Strike After Talks With Port Authority"
    text = "The dockers will end the strike after the talks , the union said ."
    restored = restore_case((title, text), None)
    assert restored is not None
    assert restored[0] == "Dockers end strike after talks with Port Authority"


# -- datelines ------------------------------------------------------------------------------


def test_a_wire_dateline_names_its_place_and_country(gaz: Gazetteer) -> None:
    text = "Maria Lund\nTAMPERE , Finland 1996-05-02\nThe Tampere court ruled ."
    got = resolved(text, ("TAMPERE , Finland", "Organization"), gaz=gaz)
    assert ("TAMPERE", "Place") in got
    assert ("Finland", "Place") in got


# -- tables ---------------------------------------------------------------------------------


def test_results_and_standings_name_teams_and_countries_are_national_teams(
    gaz: Gazetteer,
) -> None:
    text = (
        "Results on Sunday :\n"
        "Valencia 2 ( Moreno 12 , Ibarra 80 ) Real Betis 1 ( Soto 55 )\n"
        "Lyon 0 Rennes 3\n"
        "Chile 1 Ecuador 1 ( after extra time )\n"
        "Standings ( played , won , drawn , lost , points ) :\n"
        "Rennes 5 4 1 0 13\n"
        "Valencia 5 3 0 2 9\n"
        "Valencia 's coach praised Moreno ."
    )
    got = resolved(
        text,
        ("Valencia 2", "Organization"),
        ("Real Betis", "Person"),
        ("Lyon", "Place"),
        ("Rennes 3", "Date"),
        ("Chile", "Place"),
        ("Rennes 5", "Organization"),
        ("5 3", "Date"),
        gaz=gaz,
    )
    for club in ("Valencia", "Real Betis", "Lyon", "Rennes"):
        assert (club, "Organization") in got, club
    assert ("Chile", "Place") in got and ("Ecuador", "Place") in got
    for scorer in ("Moreno", "Ibarra", "Soto"):
        assert (scorer, "Person") in got, scorer
    assert not any(label == "Date" for _, label in got)


def test_a_table_of_players_is_no_table_of_teams(gaz: Gazetteer) -> None:
    text = "Bowling :\nJohn Harper 10 2 35 1\nPeter Walsh 8 0 41 2\nMark Dowling 6 1 22 0"
    got = resolved(text, ("John Harper", "Person"), ("Peter Walsh", "Person"), gaz=gaz)
    assert ("John Harper", "Person") in got and ("Peter Walsh", "Person") in got
    assert not any(label == "Organization" for _, label in got)


def test_line_ups_and_scorers_are_people_after_their_team(gaz: Gazetteer) -> None:
    text = (
        "Lyon 2 Rennes 1\n"
        "Scorers : Lyon - Marc Aubert ( 12th ) , Paul Girard ( 67th ) . Rennes - Yann Le Goff ( 80th ) .\n"
        "Portugal - Rui Costa Pinto ; Nuno Vaz , Hugo Sa ( Tiago Luz 75th ) , Joao Reis ."
    )
    got = resolved(
        text,
        ("Lyon - Marc Aubert", "Organization"),
        ("Rennes - Yann Le Goff", "Person"),
        ("Portugal - Rui Costa Pinto", "Place"),
        ("Tiago Luz 75th", "Person"),
        ("75th", "Date"),
        gaz=gaz,
    )
    assert ("Lyon", "Organization") in got and ("Rennes", "Organization") in got
    assert ("Portugal", "Place") in got
    for person in ("Marc Aubert", "Paul Girard", "Yann Le Goff", "Rui Costa Pinto", "Tiago Luz"):
        assert (person, "Person") in got, person
    assert ("Joao Reis", "Person") in got and ("Nuno Vaz", "Person") in got
    assert not any(label == "Date" for _, label in got)


def test_a_player_before_a_country_in_brackets(gaz: Gazetteer) -> None:
    text = (
        "Leading scores ( British unless stated ) :\n"
        "204 Ross Kinnear 68 67 69 , Jan de Boer ( Netherlands ) 70 66 68\n"
        "Toyota Motor ( Japan ) rose ."
    )
    got = resolved(text, ("Jan de Boer", "Organization"), ("Netherlands", "Place"), gaz=gaz)
    assert ("Jan de Boer", "Person") in got
    assert ("Ross Kinnear", "Person") in got  # an item of the same row without a country
    assert ("Netherlands", "Place") in got
    assert ("Toyota Motor", "Person") not in got  # a company's word is no player's name


def test_a_team_city_in_a_place_context_stays_a_place(gaz: Gazetteer) -> None:
    text = "Boston 5 Toronto 4\nIn the 10th inning in Toronto , Boston scored twice ."
    got = resolved(text, ("Toronto", "Place"), gaz=gaz)
    assert ("Boston", "Organization") in got
    got_spans = resolve_document(("", text), marks(text, ("Toronto", "Place")), gaz)[1]
    later = [m for m in got_spans if m.text == "Toronto" and m.start > text.index("\n")]
    assert [m.label for m in later] == ["Place"]


def test_prose_with_numbers_is_no_table(gaz: Gazetteer) -> None:
    text = "Shares in Hoechst rose 1.45 marks to 61.20 .\nThe Hoechst board met on 12 May 1996 ."
    got = resolved(text, ("Hoechst", "Organization"), ("12 May 1996", "Date"), gaz=gaz)
    assert ("12 May 1996", "Date") in got
    assert ("Hoechst", "Organization") in got


# -- with the model -------------------------------------------------------------------------


@pytest.mark.skipif(not model_available(), reason="spaCy's English model is not installed")
def test_the_extractor_reads_a_wire_story_in_capitals() -> None:
    from newsreader.index.entities.extract import load_extractor

    title = "CYCLING - DUTCHMAN WINS STAGE IN PORTUGAL ."
    text = (
        "EVORA , Portugal 1996-04-11\n"
        "Dutchman Ruud Sterk won the third stage of the Tour of the Alentejo in Portugal on "
        "Thursday .\n"
        "Sterk finished ahead of Jose Ribeiro ( Portugal ) and Luis Mota ( Spain ) ."
    )
    title_mentions, text_mentions = load_extractor().extract_batch([(title, text)])[0]
    assert all(title[m.start : m.end] == m.text for m in title_mentions)
    assert all(text[m.start : m.end] == m.text for m in text_mentions)
    assert ("PORTUGAL", "Place") in {(m.text, m.label) for m in title_mentions}
    got = {(m.text, m.label) for m in text_mentions}
    assert ("EVORA", "Place") in got
    assert ("Jose Ribeiro", "Person") in got and ("Luis Mota", "Person") in got


def test_a_score_and_its_players_in_brackets(gaz: Gazetteer) -> None:
    text = (
        "At Worcester : Durham 287 ( J. Lowe 91 , K. Patel 44 ; S. Mills 4-52 ) . Derby 40-1 .\n"
        "Rovers 2 ( Tully 14 , Keane 83 pen ) . Halftime 1-0 . Attendance 8,112"
    )
    got = resolved(
        text,
        ("Durham", "Place"),
        ("J.", "Group"),
        ("S. Mills 4-52", "Date"),
        ("Halftime", "Person"),
        ("Attendance", "Person"),
        gaz=gaz,
    )
    assert ("Durham", "Organization") in got
    for person in ("J. Lowe", "K. Patel", "S. Mills", "Tully", "Keane"):
        assert (person, "Person") in got, person
    assert ("Halftime", "Person") not in got and ("Attendance", "Person") not in got
    assert ("Rovers", "Organization") in got


def test_a_sentence_starting_in_the_city_of_a_team_is_about_the_place(gaz: Gazetteer) -> None:
    text = "Boston 5 Toronto 4\nIn Toronto , the home side lost again ."
    got_spans = resolve_document(("", text), marks(text, ("Toronto", "Place")), gaz)[1]
    labels = {(m.text, m.start > text.index("\n")): m.label for m in got_spans}
    assert labels[("Toronto", False)] == "Organization"
    assert labels[("Toronto", True)] == "Place"


def test_tokenised_punctuation_is_closed_up_in_place() -> None:
    text = "Miners in Oruro , Potosi and Huanuni struck ( for pay ) , Bolivia 's union said ."
    closed = close_up(("", text))
    assert closed is not None
    assert (
        closed[1]
        == "Miners in Oruro,  Potosi and Huanuni struck  (for pay),   Bolivia's  union said. "
    )
    assert len(closed[1]) == len(text)
    assert close_up(("", "Miners in Oruro, Potosi and Huanuni struck, the union said.")) is None


def test_a_smaller_known_town_where_the_text_says_place(gaz: Gazetteer) -> None:
    text = "Roads between Turin, Alessandria, Asti and Genoa were cut, and villages near Vercelli."
    got = resolved(text, ("Turin", "Place"), ("Alessandria", "Place"), ("Genoa", "Place"), gaz=gaz)
    assert ("Asti", "Place") in got
    assert ("Vercelli", "Place") in got


def test_short_unknown_words_in_capitals_keep_them_when_shaped_like_acronyms() -> None:
    title = "ICE HOCKEY - NHL SIDE WIN CUP IN OT AS ANC FANS WATCH END ."
    restored = restore_case((title, "The side won ."), None)
    assert restored is not None
    assert restored[0] == "Ice hockey - NHL side win cup in OT as ANC fans watch end ."


def test_a_headline_topic_is_no_name_and_a_fixture_side_has_no_versus(gaz: Gazetteer) -> None:
    title = "ATHLETICS - RECORD IN OSLO ."
    text = "Essex 312 v Kent .\nThe record fell in Oslo ."
    raw = [RawSpan(0, 0, 9, "Organization"), RawSpan(1, text.index("v Kent"), 16, "Person")]
    title_mentions, text_mentions = resolve_document((title, text), raw, gaz)
    assert title_mentions == []
    assert "Kent" in {m.text for m in text_mentions}


def test_a_nationality_run_into_a_name_and_a_score_after_a_team(gaz: Gazetteer) -> None:
    text = "Later, Kenyan Paul Kibet beat them, after beating Sporting Braga 4-3 on penalties."
    got = resolved(
        text, ("Kenyan Paul Kibet", "Organization"), ("Sporting Braga 4-3", "Place"), gaz=gaz
    )
    assert ("Kenyan", "Group") in got and ("Paul Kibet", "Person") in got
    assert "Sporting Braga" in {t for t, _ in got}


def test_a_place_in_a_name_its_acronym_spells_stays_in_it(gaz: Gazetteer) -> None:
    text = "The Council for Trade and Development in Europe (CTDE) met."
    got = resolved(text, ("Council for Trade and Development in Europe", "Organization"), gaz=gaz)
    assert ("Council for Trade and Development in Europe", "Organization") in got


def test_a_ranked_row_without_a_country_among_rows_with_theirs(gaz: Gazetteer) -> None:
    text = (
        "Leading money winners ( British unless stated ) :\n"
        "1. Ross Kinnear ( Wales ) 704,310\n"
        "2. Neil Ashby 521,944\n"
        "3. Jan de Boer ( Netherlands ) 488,202"
    )
    got = resolved(text, gaz=gaz)
    for person in ("Ross Kinnear", "Neil Ashby", "Jan de Boer"):
        assert (person, "Person") in got, person


_PIECES = ["SOCCER", "-", "NORWAY", "Norway", "İSTANBUL", "STRASSE", "ß", " ", " ,", " .", "\n"]
_PIECES += ["( ", " )", "'s", " 's", "1996-10-09", "OSLO", "win", "NBA", "3", "Ünal", "ǅ"]


@settings(max_examples=300, deadline=None)
@given(
    title=st.lists(st.sampled_from(_PIECES), max_size=12),
    text=st.lists(st.sampled_from(_PIECES), max_size=40),
)
def test_the_copies_keep_every_length_and_line(title: list[str], text: list[str]) -> None:
    fields = ("".join(title), " ".join(text))
    for copy in (restore_case(fields, None), close_up(fields)):
        if copy is not None:
            assert [len(f) for f in copy] == [len(f) for f in fields]
            assert [f.count("\n") for f in copy] == [f.count("\n") for f in fields]


def test_an_acronym_in_brackets_after_a_name_in_prose_is_no_country(gaz: Gazetteer) -> None:
    text = "The Miners Federation ( MFB ) , the main union , said so .\n1. Ian Rudd ( GBR ) 10.05"
    got = resolved(text, ("Miners Federation", "Organization"), ("MFB", "Organization"), gaz=gaz)
    assert ("Miners Federation", "Organization") in got
    assert not any(t.startswith("The ") for t, _ in got)
    assert ("Ian Rudd", "Person") in got
