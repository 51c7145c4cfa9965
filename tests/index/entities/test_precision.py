"""Mentions that are no names, fixtures, lone given names, cued titles, and the French
rules; on text of our own, through resolve_document with the spans a model might give."""

from __future__ import annotations

import pytest
from newsreader.index.entities.gazetteer import Gazetteer, load_gazetteer
from newsreader.index.entities.rules import RawSpan, resolve_document


def spans(text: str, *marks: tuple[str, str]) -> list[RawSpan]:
    out = []
    for surface, label in marks:
        start = text.find(surface)
        assert start >= 0, surface
        while start >= 0:
            out.append(RawSpan(1, start, start + len(surface), label))
            start = text.find(surface, start + 1)
    return out


def found(
    text: str, *marks: tuple[str, str], gaz: Gazetteer | None = None, language: str = "en"
) -> set[tuple[str, str]]:
    got = resolve_document(("", text), spans(text, *marks), gaz, language=language)[1]
    return {(m.text, m.label) for m in got}


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return load_gazetteer()


def test_time_zones_units_eras_and_glued_letters_are_no_names() -> None:
    text = (
        "Kick-off in Porto is at 19:45 CET, and the ferry left at 6pm BST. The tower rose 12 km"
        " over a town founded in 450 BC; the 5G masts use 40 MW. Turnout rose 3 per cent."
    )
    got = found(
        text,
        ("Porto", "Place"),
        ("CET", "Organization"),
        ("BST", "Organization"),
        ("km", "Organization"),
        ("BC", "Organization"),
        ("G", "Organization"),
        ("MW", "Organization"),
        ("per cent", "Place"),
    )
    assert got == {("Porto", "Place")}


def test_a_zone_or_an_era_without_a_number_is_left_to_the_other_rules() -> None:
    text = "The CET union met the AD board in Gdansk."
    got = found(text, ("CET", "Organization"), ("AD", "Organization"), ("Gdansk", "Place"))
    assert ("CET", "Organization") in got and ("AD", "Organization") in got


def test_wiki_prefixes_and_scores_are_no_names() -> None:
    text = "See WP:RS before editing. Rovers won 3-1 on the night."
    got = found(text, ("WP", "Organization"), ("3-1", "Organization"), ("Rovers", "Organization"))
    assert got == {("Rovers", "Organization")}


def test_a_fixture_is_two_teams() -> None:
    text = "Live: Dundee United v Hibernian Athletic, and later Brentwood Town vs. Harlow."
    got = found(
        text,
        ("Dundee United v Hibernian Athletic", "Place"),
        ("Brentwood Town vs. Harlow", "Person"),
    )
    assert got == {
        ("Dundee United", "Organization"),
        ("Hibernian Athletic", "Organization"),
        ("Brentwood Town", "Organization"),
        ("Harlow", "Organization"),
    }


def test_a_score_line_inside_a_span_splits_it() -> None:
    text = "Result: Carlisle 2-0 Gateshead."
    got = found(text, ("Carlisle 2-0 Gateshead", "Organization"))
    assert got == {("Carlisle", "Organization"), ("Gateshead", "Organization")}


def test_a_lone_given_name_joins_its_full_name_or_goes(gaz: Gazetteer) -> None:
    text = (
        "Marcus Ellery scored twice. Later Marcus said the pitch was heavy, and Derek, who"
        " commentates, agreed with Tina on the podcast."
    )
    got = found(
        text,
        ("Marcus Ellery", "Person"),
        ("Marcus", "Person"),
        ("Derek", "Place"),
        ("Tina", "Person"),
        gaz=gaz,
    )
    assert ("Derek", "Place") not in got and ("Tina", "Person") not in got
    assert ("Marcus", "Person") in got  # the full name's, linked to it


def test_a_place_something_marks_keeps_its_name(gaz: Gazetteer) -> None:
    text = "She grew up in Maureen, a hamlet; Maureen has one shop."
    got = found(text, ("Maureen", "Place"), gaz=gaz)
    assert ("Maureen", "Place") in got


def test_titles_of_games_films_and_albums_after_their_cue() -> None:
    text = (
        "Fans queued for the game Iron Lanterns, the film Salt Harbour and the album Night Ferries."
    )
    got = found(
        text,
        ("Iron Lanterns", "Person"),
        ("Salt Harbour", "Place"),
        ("Night Ferries", "Organization"),
    )
    assert got == {("Iron Lanterns", "Work"), ("Salt Harbour", "Work"), ("Night Ferries", "Work")}


# -- French ---------------------------------------------------------------------------------


def test_french_dates_the_model_does_not_mark() -> None:
    text = (
        "La mairie a voté jeudi 4 avril 2024 un budget prévu depuis 2021 ; le chantier ouvrira"
        " en septembre et la rentrée est fixée au 1er octobre. Le conseil se réunit mardi"
        " prochain, comme l'an dernier. Le pont compte 2019 poutres."
    )
    got = {t for t, label in found(text, language="fr") if label == "Date"}
    assert got == {
        "jeudi 4 avril 2024",
        "2021",
        "septembre",
        "1er octobre",
        "mardi prochain",
        "an dernier",
    }


def test_french_articles_storms_events_and_cued_titles() -> None:
    text = (
        "La tempête Corentin a touché l'Ardèche avant la Coupe du monde de handball. Le"
        " musée prête le tableau « Les Quais de Sète » à la CGT."
    )
    got = found(
        text,
        ("l'Ardèche", "Place"),
        ("la CGT", "Organization"),
        ("Corentin", "Person"),
        ("Sète", "Place"),
        language="fr",
    )
    assert ("Ardèche", "Place") in got and ("CGT", "Organization") in got
    assert ("Corentin", "Event") in got
    assert ("Coupe du monde", "Event") in got  # the head and its first complement
    assert ("Les Quais de Sète", "Work") in got


def test_english_articles_get_no_french_rules() -> None:
    text = "The vendredi market in Leeds opened."
    assert {label for _, label in found(text, ("Leeds", "Place"))} == {"Place"}


def test_score_lines_and_bowling_figures_are_no_dates(gaz: Gazetteer) -> None:
    text = (
        "Kestrel Rovers won the final 3–2 on Saturday, and Abel Moyo took 4-71 as Tarn Vale"
        " won the series 2-1. The fair runs 1–3 March."
    )
    got = found(
        text,
        ("3–2", "Date"),
        ("Saturday", "Date"),
        ("4-71", "Date"),
        ("2-1", "Date"),
        ("1–3 March", "Date"),
        gaz=gaz,
    )
    assert {t for t, label in got if label == "Date"} == {"Saturday", "1–3 March"}


def test_the_other_end_of_a_range_of_places_is_a_place(gaz: Gazetteer) -> None:
    text = (
        "The show follows the river from Qarnayim to modern Baghdad. Kings once watered"
        " Qarnayim's gardens."
    )
    got = found(text, ("Qarnayim", "Person"), ("Baghdad", "Place"), gaz=gaz)
    assert got == {("Qarnayim", "Place"), ("Baghdad", "Place")}


def test_a_range_needs_a_place_at_one_end_and_no_given_name_or_club(gaz: Gazetteer) -> None:
    text = (
        "Power passed from Ovrelund to Adaeze Obi, Ovrelund said. A letter from Ana Ferreira to"
        " Lisbon was read, and Tiago Brandt moved from Vitória Esmeralda to Lisbon."
    )
    got = found(
        text,
        ("Ovrelund", "Person"),
        ("Adaeze Obi", "Person"),
        ("Ana Ferreira", "Person"),
        ("Lisbon", "Place"),
        ("Tiago Brandt", "Person"),
        ("Vitória Esmeralda", "Organization"),
        gaz=gaz,
    )
    assert ("Ovrelund", "Person") in got and ("Ana Ferreira", "Person") in got
    assert ("Vitória Esmeralda", "Organization") in got
