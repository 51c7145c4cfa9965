"""French names the French model gets wrong (rules/french_names.py): nationalities,
organisations by their cues, the model's MISC, lowercase words around names. On sentences
of our own, through resolve_document with the spans the French model might give."""

from __future__ import annotations

import pytest
from newsreader.index.entities.gazetteer import Gazetteer, load_gazetteer
from newsreader.index.entities.rules import RawSpan, resolve_document
from newsreader.index.entities.rules.french_names import MISC, NATIONALITY_FORMS


def spans(text: str, *marks: tuple[str, str]) -> list[RawSpan]:
    out = []
    for surface, label in marks:
        start = text.find(surface)
        assert start >= 0, surface
        while start >= 0:
            out.append(RawSpan(1, start, start + len(surface), label))
            start = text.find(surface, start + 1)
    return out


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return load_gazetteer()


def found(
    text: str, *marks: tuple[str, str], gaz: Gazetteer | None = None, language: str = "fr"
) -> set[tuple[str, str]]:
    got = resolve_document(("", text), spans(text, *marks), gaz, language=language)[1]
    return {(m.text, m.label) for m in got}


def test_nationalities_are_groups_but_not_languages_nor_words_of_a_name() -> None:
    text = (
        "Le constructeur japonais Tanaka a racheté une usine polonaise. Les Italiens "
        "protestent, a-t-il dit en anglais devant la Commission européenne."
    )
    got = found(
        text,
        ("Tanaka", "Organization"),
        ("Les Italiens", "Person"),
        ("Commission européenne", "Organization"),
    )
    assert {("japonais", "Group"), ("polonaise", "Group"), ("Italiens", "Group")} <= got
    assert ("anglais", "Group") not in got
    assert ("européenne", "Group") not in got
    assert ("Commission européenne", "Organization") in got


def test_nationality_forms_follow_french_endings() -> None:
    assert {"algérienne", "algériens", "turque", "belges", "suédoises"} <= NATIONALITY_FORMS
    assert "malaise" not in NATIONALITY_FORMS  # a common noun


def test_misc_with_a_cue_is_an_organisation_or_a_title_and_the_rest_goes() -> None:
    text = (
        "La société Albaret a été reprise par le fonds suisse Lemaneo Partners. Elle "
        "publie « Les Nuits de Tulle » chez un éditeur. Il a parlé de Tour de Babel hier."
    )
    got = found(
        text,
        ("Albaret", MISC),
        ("Lemaneo Partners", MISC),
        ("Les Nuits de Tulle", MISC),
        ("Tour de Babel", MISC),
        ("suisse", MISC),
    )
    assert got == {
        ("Albaret", "Organization"),
        ("Lemaneo Partners", "Organization"),
        ("suisse", "Group"),
        ("Les Nuits de Tulle", "Work"),
    }


def test_a_legal_form_makes_an_organisation_and_its_other_mentions_follow() -> None:
    text = "Le rachat de Barbeau SAS est signé. Barbeau emploie 90 personnes."
    got = found(text, ("Barbeau", MISC))
    assert got == {("Barbeau SAS", "Organization"), ("Barbeau", "Organization")}


def test_english_articles_keep_no_misc_and_get_no_nationalities() -> None:
    text = "The Albaret firm and the américain fund met."
    assert found(text, ("Albaret", MISC), language="en") == set()


def test_names_take_their_lowercase_adjectives_and_complement() -> None:
    text = (
        "L'Assemblée a voté mardi. Le Parquet national antiterroriste enquête, et "
        "l'Autorité des marchés aussi."
    )
    got = found(
        text,
        ("Assemblée", "Organization"),
        ("Parquet", "Place"),
        ("Autorité", "Organization"),
    )
    assert {
        ("Assemblée", "Organization"),
        ("Parquet national antiterroriste", "Organization"),
        ("Autorité des marchés", "Organization"),
    } <= got


def test_a_verb_or_a_word_glued_to_de_is_no_part_of_a_name() -> None:
    text = "Les salariés de Forges Dumont occupent depuis lundi le site."
    got = found(text, ("Forges Dumont", "Person"))
    assert ("Forges Dumont", "Person") in got or ("Forges Dumont", "Organization") in got
    assert not any("occupent" in t for t, _ in got)


def test_descriptors_and_titles_are_trimmed_or_dropped() -> None:
    text = (
        "La région Occitanie paiera. L'aéroport Marseille-Provence rouvre. Le ministre de "
        "l'Intérieur est venu."
    )
    got = found(
        text,
        ("région Occitanie", "Place"),
        ("aéroport Marseille-Provence", "Place"),
        ("Le ministre de l'Intérieur", "Organization"),
    )
    assert got == {("Occitanie", "Place"), ("Marseille-Provence", "Place")}


def test_people_of_a_town_are_no_name_but_people_of_a_country_are_a_group() -> None:
    text = "Les Rennais ont fêté la victoire. Les Allemands aussi."
    got = found(text, ("Les Rennais", "Person"), ("Les Allemands", "Person"))
    assert got == {("Allemands", "Group")}


def test_a_stadium_is_a_place_a_club_named_stade_an_organisation() -> None:
    text = "Le Stade rennais a gagné au Stade de la Meinau."
    got = found(text, ("Stade rennais", "Person"), ("Stade de la Meinau", "Organization"))
    assert got == {("Stade rennais", "Organization"), ("Stade de la Meinau", "Place")}


def test_leagues_that_are_competitions_are_events() -> None:
    text = "Promu en Ligue 2, le club vise la Ligue des champions."
    got = found(text, ("Ligue", "Organization"))
    assert {("Ligue 2", "Event"), ("Ligue des champions", "Event")} <= got


def test_a_kind_of_organisation_before_a_name_outvotes_the_model(gaz: Gazetteer) -> None:
    text = "La start-up Pixelia lève des fonds. Pixelia vise l'Europe."
    got = found(text, ("Pixelia", "Person"), ("Europe", "Place"), gaz=gaz)
    assert ("Pixelia", "Organization") in got


def test_an_apposition_after_the_kind_of_organisation_is_a_person(gaz: Gazetteer) -> None:
    text = "Le gérant de la société, Paul Girard, a fait appel."
    got = found(text, ("Paul Girard", "Person"), gaz=gaz)
    assert got == {("Paul Girard", "Person")}


def test_a_capitalised_article_is_no_given_name(gaz: Gazetteer) -> None:
    text = "PARIS — Le Stade toulousain gagne. Les Républicains votent contre le groupe Les Verts."
    got = found(
        text,
        ("Le Stade toulousain", MISC),
        ("Stade", "Organization"),
        ("Républicains", "Organization"),
        ("Les Verts", "Person"),
        gaz=gaz,
    )
    assert ("Stade toulousain", "Organization") in got
    assert ("Les Verts", "Organization") in got
    assert not any(label == "Person" for _, label in got)


def test_an_organisations_bracketed_acronym_is_one_whatever_its_letters() -> None:
    text = "Le Centre de restauration des archives (C3RA) a rendu son avis."
    got = found(text, ("Centre de restauration des archives", "Organization"), ("C3RA", "Place"))
    assert ("C3RA", "Organization") in got


def test_a_storm_needs_a_capitalised_name() -> None:
    text = "Aucun cyclone aussi violent depuis la tempête Alix."
    got = found(text)
    assert got == {("Alix", "Event")}


def test_participles_and_verbs_after_a_name_are_not_its_adjectives() -> None:
    text = (
        "La liste du Parti radical menée par Jean Roux progresse. Terre Vivante Environnement"
        " appelle au calme, et la Ligue régionale arrive."
    )
    got = found(
        text,
        ("Parti radical", "Organization"),
        ("Terre Vivante Environnement", "Organization"),
        ("Ligue", "Organization"),
    )
    assert {
        ("Parti radical", "Organization"),
        ("Terre Vivante Environnement", "Organization"),
        ("Ligue régionale", "Organization"),
    } <= got


def test_complements_take_their_own_adjectives() -> None:
    text = "La Direction générale de la sécurité intérieure enquête."
    got = found(text, ("Direction", "Organization"))
    assert got == {("Direction générale de la sécurité intérieure", "Organization")}


def test_a_capitalised_nationality_after_an_article_is_a_group() -> None:
    text = "La course a été gagnée par l'Espagnole Lucía Moreno devant le Suisse Marc Egli."
    got = found(text, ("Espagnole Lucía Moreno", "Person"), ("Suisse", "Place"))
    assert {("Espagnole", "Group"), ("Lucía Moreno", "Person"), ("Suisse", "Group")} <= got
    # Without an article it is a word of a name.
    assert ("Européenne", "Group") not in found(
        "Le Parti Démocrate Européenne vote.", ("Parti Démocrate Européenne", "Organization")
    )


def test_a_lowercase_site_noun_before_a_name_makes_it_a_place(gaz: Gazetteer) -> None:
    text = "Le match aura lieu au stade Geoffroy-Guichard, près de la rue Pierre-Loti."
    got = found(text, ("Geoffroy-Guichard", "Person"), ("Pierre-Loti", "Person"), gaz=gaz)
    assert got == {("Geoffroy-Guichard", "Place"), ("Pierre-Loti", "Place")}


def test_years_after_a_capitalised_preposition_or_an_edition() -> None:
    text = "En 2023, la foire a fermé. L'édition 2026 partira de Lille, comme par rapport à 2019."
    got = found(text, ("Lille", "Place"))
    assert {("2023", "Date"), ("2026", "Date"), ("2019", "Date")} <= got
