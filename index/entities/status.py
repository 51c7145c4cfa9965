"""Where one article stands with its entities, and what the entity panel says about it:
extracted, waiting for enrichment, or in a language with no entity model (installed or at
all). Light (no spaCy, no rules), so the app can ask on every article it opens."""

from __future__ import annotations

from ..models import EntityStatus
from .languages import (
    GAZETTEER_LANGUAGES,
    enrich_languages,
    entity_language,
    install_hint,
    installed_package,
    language_name,
    model_for,
)

# Bump when the pipeline's output changes; articles enriched by an older version are redone.
ENTITY_VERSION = 7

NO_ENTITIES = "No named entities in this article."


def entity_status(version: int, language: str | None) -> EntityStatus:
    """The status of an article with this stored entities version and language: its
    language has no model at all, or none installed, or the article is extracted or not."""
    code = entity_language(language)
    name = language_name(code)
    if model_for(code) is None and code in GAZETTEER_LANGUAGES and code in enrich_languages():
        # No model, but the places the gazetteer knows are marked. Once done, the state
        # stays "no_model": the panel (which asks only when an article has no entities)
        # says so plainly rather than "no named entities".
        if version == ENTITY_VERSION:
            message = (
                f"No entity model for {name} articles: only known places are marked,"
                " and none is named in this one."
            )
            return EntityStatus("no_model", code, message)
        return EntityStatus("pending", code, "Known places of this article are not marked yet.")
    if model_for(code) is None:
        return EntityStatus("no_model", code, f"No entity model for {name} articles.")
    if installed_package(code) is None:
        message = (
            f"Entities of {name} articles need spaCy's {name} model; run: {install_hint(code)}"
        )
        return EntityStatus("not_installed", code, message)
    if version == ENTITY_VERSION:
        return EntityStatus("extracted", code, NO_ENTITIES)
    return EntityStatus("pending", code, "Entities of this article are not extracted yet.")
