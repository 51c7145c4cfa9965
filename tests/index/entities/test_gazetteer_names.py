"""Places from the gazetteer alone, for a language with no model (German): a known name
is marked only where the text confirms it, never where the article uses it as a noun. On
sentences of our own, with a small gazetteer built here (and the real one for countries)."""

from __future__ import annotations

import pytest
from newsreader.index.entities import languages, status
from newsreader.index.entities.gazetteer import Gazetteer, PlaceKind, load_gazetteer
from newsreader.index.entities.gazetteer_names import GazetteerExtractor, gazetteer_mentions
from newsreader.index.entities.status import ENTITY_VERSION, entity_status


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    g = Gazetteer(given_names=["Kai", "Anna"])
    for city in ("Halle", "Wetter", "Kiel", "Görlitz", "Zwickau", "Kai"):
        g.add(city, PlaceKind.CITY)
    for city in ("Essen", "Dresden", "Duisburg"):
        g.add_major_city(city)
    g.add("New York", PlaceKind.REGION)
    g.add("Baden-Württemberg", PlaceKind.REGION)
    return g


def places(text: str, gaz: Gazetteer) -> list[str]:
    return [m.text for m in gazetteer_mentions(("", text), gaz, "de")[1] if m.label == "Place"]


def test_a_town_that_is_also_a_noun_is_a_place_only_where_the_text_says_so(
    gaz: Gazetteer,
) -> None:
    assert places("Das Konzert fand in Halle statt.", gaz) == ["Halle"]
    assert places("Das Konzert fand in der Halle statt.", gaz) == []
    assert places("Am Abend kühlte das Wetter ab. Wetter blieb kühl.", gaz) == []


def test_a_word_used_as_a_noun_anywhere_is_no_place_in_the_article(gaz: Gazetteer) -> None:
    text = "Das Essen war kalt. Essen ist eine große Stadt, sagte er in Essen."
    assert places(text, gaz) == []
    assert places("Die Zentrale in Essen schließt. Essen verliert Stellen.", gaz) == [
        "Essen",
        "Essen",
    ]


def test_names_of_several_words_or_parts_need_no_cue(gaz: Gazetteer) -> None:
    assert places("Leihgaben kamen aus New York und Baden-Württemberg.", gaz) == [
        "New York",
        "Baden-Württemberg",
    ]


def test_a_dateline_a_list_and_a_place_noun_confirm_a_town(gaz: Gazetteer) -> None:
    text = "KIEL – Kommunen wie Dresden, Görlitz und Zwickau klagen. Die Stadt Kiel auch."
    assert places(text, gaz) == ["KIEL", "Dresden", "Görlitz", "Zwickau", "Kiel"]


def test_a_lone_town_without_a_cue_is_not_marked(gaz: Gazetteer) -> None:
    assert places("Gegen Kiel verlor die Mannschaft knapp.", gaz) == []


def test_a_major_city_ending_a_longer_name_is_no_place(gaz: Gazetteer) -> None:
    assert places("Die Technische Universität Dresden forscht.", gaz) == []


def test_a_given_name_before_a_capitalised_word_is_a_person_not_a_town(gaz: Gazetteer) -> None:
    assert places("Moderator Kai Pflaume kam nach Kiel.", gaz) == ["Kiel"]


def test_genitive_forms_are_marked_as_written(gaz: Gazetteer) -> None:
    assert places("Die Bürgermeisterin aus Görlitz lobte Baden-Württembergs Plan.", gaz) == [
        "Görlitz",
        "Baden-Württembergs",
    ]


def test_countries_in_the_articles_language_even_with_an_article() -> None:
    real = load_gazetteer()
    text = "Banker aus Deutschland und der Schweiz wurden in Dänemark verhört."
    assert places(text, real) == ["Deutschland", "Schweiz", "Dänemark"]


def test_no_person_is_marked_by_the_extractor(gaz: Gazetteer) -> None:
    title, text = GazetteerExtractor(gaz, "de").extract_batch([("", "Anna Weber lebt in Kiel.")])[0]
    assert title == [] and [(m.text, m.label) for m in text] == [("Kiel", "Place")]


def test_a_gazetteer_language_is_pending_then_extracted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(status, "enrich_languages", lambda: ("en", "de"))
    pending = entity_status(0, "de")
    assert pending.state == "pending" and "not marked yet" in pending.message
    done = entity_status(ENTITY_VERSION, "de")
    assert done.state == "no_model" and done.message.startswith("No entity model for German")
    assert "only known places" in done.message
    # Russian is not measured: no model, and no gazetteer names either.
    assert entity_status(0, "ru").state == "no_model"


def test_gazetteer_languages_are_read_only_beside_an_installed_model_and_the_gazetteer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(status, "enrich_languages", lambda: ("en",))
    assert entity_status(0, "de").state == "no_model"
    monkeypatch.setattr(languages, "installed_languages", lambda: ("en",))
    monkeypatch.setattr(languages, "gazetteer_installed", lambda: False)
    assert languages.enrich_languages() == ("en",)
    monkeypatch.setattr(languages, "gazetteer_installed", lambda: True)
    assert languages.enrich_languages() == ("en", *languages.GAZETTEER_LANGUAGES)
    assert {"de", "es"} <= set(languages.enrich_languages())
    # Without any model, nothing is read: the app says which model to install.
    monkeypatch.setattr(languages, "installed_languages", lambda: ())
    assert languages.enrich_languages() == ()


def spanish_places(text: str, gaz: Gazetteer) -> list[str]:
    return [m.text for m in gazetteer_mentions(("", text), gaz, "es")[1]]


def test_spanish_towns_after_el_are_teams_and_inside_names_are_no_places() -> None:
    gaz = Gazetteer(given_names=["Diego"])
    for city in ("Sevilla", "Soria", "Falcón"):
        gaz.add(city, PlaceKind.CITY)
    gaz.add_major_city("Madrid")
    text = (
        "El Betis ganó al Sevilla en Sevilla. Cotiza en la Bolsa de Madrid y llegó el "
        "técnico Diego Falcón. Premio para «Invierno en Soria»; la ciudad de Madrid aplaude."
    )
    assert spanish_places(text, gaz) == ["Sevilla", "Madrid"]
