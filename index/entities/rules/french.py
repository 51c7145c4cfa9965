"""Rules for French articles, beside the language-neutral ones: French has its own calendar
words (the model marks no dates at all), elided articles before names ("l'Aisne"), storms
named after a lowercase noun ("le cyclone Maïna"), events named head first ("Coupe du
monde") and titles in guillemets after a noun that says what they are ("le film « … »")."""

from __future__ import annotations

import re
from collections.abc import Sequence

from .spans import DATE, EVENT, WORK, Span

_MONTHS = (
    r"janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[ûu]t|septembre|octobre|novembre"
    r"|d[ée]cembre"
)
_DAYS = r"lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche"
_YEAR = r"(?:1[5-9]|20)\d{2}"
_DATE = re.compile(
    rf"(?<![\w-])(?:"
    # "lundi 3 mars 2025", "1er mai", "3 mars", "mars 2025"
    rf"(?:(?:{_DAYS})\s+)?(?:1er|\d{{1,2}})\s+(?:{_MONTHS})(?:\s+{_YEAR})?"
    rf"|(?:{_MONTHS})\s+{_YEAR}"
    # "mardi prochain", "lundi"
    rf"|(?:{_DAYS})(?:\s+(?:prochain|dernier))?"
    rf"|(?:{_MONTHS})(?:\s+(?:prochain|dernier))?"
    # "l'an dernier", "la semaine prochaine", "cet été", "cette année"
    r"|(?<=l')an\s+(?:dernier|prochain)"
    r"|(?<=l')ann[ée]e\s+(?:derni[èe]re|prochaine)"
    r"|semaine\s+(?:derni[èe]re|prochaine)|mois\s+(?:dernier|prochain)"
    r"|(?:cet|cette)\s+(?:ann[ée]e|[ée]t[ée]|hiver|automne)|ce\s+printemps"
    r"|(?:[ée]t[ée]|hiver|automne|printemps)\s+(?:dernier|prochain)"
    r")(?![\w-])",
    re.IGNORECASE,
)
# A year after a preposition that makes it a point in time ("en 2019", "depuis 2016").
_YEAR_AFTER = re.compile(
    rf"(?<![\w-])(?:[Ee]n|[Dd]epuis|[Dd]ès|[Aa]vant|[Aa]près|de|entre|et|à|jusqu'en|d'ici\s+à"
    rf"|d'ici|[lLdD]['’](?:édition|année|saison|exercice))\s+({_YEAR})"
    r"(?![\w-])(?!\s*(?:euros|habitants|personnes|salariés|km|%))"
)
# Only the noun ignores case: the name must be capitalised ("cyclone aussi violent" is none).
_STORM = re.compile(r"\b(?i:cyclone|tempête|ouragan|typhon|tornade)\s+([A-ZÀ-Ý][\w-]+)")
_EVENT_HEAD = re.compile(
    r"\b(?:Coupe|Championnats?|Jeux|Festival|Salon|Sommet|Tournoi|Mondial|Grand Prix)"
    r"(?:\s+(?:du|de\s+la|des|de|d['’])\s*[\w-]+)?(?:\s+(?:du|de\s+la|des|de|d['’])\s*[A-Z][\w-]+)?"
)
_WORK_CUE = re.compile(
    r"\b(?:film|album|livre|roman|tableau|chanson|série|jeu|pièce|exposition|documentaire"
    r"|disque|opéra|spectacle|œuvre|toile|essai|podcast)(?:\s+\w+)?,?\s+"
    r"(?:intitulée?s?,?\s+)?«\s*([^»\n]{2,80}?)\s*»"
)


def french_spans(
    fields: Sequence[str], spans: list[Span], extra: Sequence[Span] = ()
) -> list[Span]:
    """Dates, storms, events and cued titles the French model does not mark (and the
    ``extra`` spans other French rules found), replacing what it found inside them."""
    added: list[Span] = list(extra)
    for field, source in enumerate(fields):
        for m in _DATE.finditer(source):
            added.append(Span(field, m.start(), m.end(), DATE, DATE))
        for m in _YEAR_AFTER.finditer(source):
            added.append(Span(field, m.start(1), m.end(1), DATE, DATE))
        for m in _STORM.finditer(source):
            added.append(Span(field, m.start(1), m.end(1), EVENT, EVENT))
        for m in _EVENT_HEAD.finditer(source):
            if " " in m.group():
                added.append(Span(field, m.start(), m.end(), EVENT, EVENT))
        for m in _WORK_CUE.finditer(source):
            added.append(Span(field, m.start(1), m.end(1), WORK, WORK))
    if not added:
        return spans
    kept = [
        s
        for s in spans
        if not any(a.field == s.field and a.start < s.end and s.start < a.end for a in added)
    ]
    return kept + added
