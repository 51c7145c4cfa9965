"""Names in French articles that the French model (WikiNER labels) gets wrong: organisations
it calls persons or places, or puts in MISC with everything else; nationalities, which it
has no label for (French writes them as lowercase adjectives: "le fonds américain"); and the
lowercase words French puts before and after names ("la région Hauts-de-France", "l'Assemblée
nationale"). Every rule reads a cue in the text itself: a noun before the name ("le groupe",
"la start-up"), a word of the name ("Musée", "Métropole"), a legal form ("SAS"), an
adjective of a country. No names of organisations are listed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from .spans import (
    EVENT,
    GROUP,
    ORG,
    PERSON,
    PLACE,
    WORK,
    Document,
    RawSpan,
    Span,
    at_sentence_start,
)

MISC = "Misc"  # the French model's catch-all label, kept only until a cue classifies it


def words_of(text: str) -> frozenset[str]:
    """A word list written as one string, one word per blank."""
    return frozenset(text.split())


# Capitalised articles, which start sentences and some names but are no given names.
FRENCH_ARTICLES = words_of("Le La Les L Un Une Des Du De")


_LOWER = "a-zàâäçéèêëîïôöûùüÿœæ"
_UPPER = "A-ZÀÂÄÇÉÈÊËÎÏÔÖÛÙÜŸŒÆ"
_WORD = re.compile(rf"[{_LOWER}{_UPPER}\d]+(?:[-'’][{_LOWER}{_UPPER}\d]+)*")
# A word without its elided article: "l'Espagnole" -> "Espagnole".
_BARE_WORD = re.compile(rf"(?<![{_LOWER}{_UPPER}\d-])[{_LOWER}{_UPPER}]+(?:-[{_LOWER}{_UPPER}]+)*")

# -- nationalities ----------------------------------------------------------------------

# Masculine singular adjectives of countries, continents and peoples; the other forms are
# made by the regular French endings (``_forms``). "malais" is left out: "malaise" is a
# common noun.
_NATIONALITIES = """
afghan albanais algérien allemand américain andorran angolais argentin arménien australien
autrichien azerbaïdjanais bangladais belge biélorusse birman bolivien bosnien brésilien
britannique bulgare burkinabé burundais cambodgien camerounais canadien centrafricain chilien
chinois chypriote colombien comorien congolais coréen croate cubain danois djiboutien
égyptien émirati équatorien érythréen espagnol estonien éthiopien finlandais français
gabonais géorgien ghanéen grec guatémaltèque guinéen haïtien hondurien hongrois indien
indonésien irakien iranien irlandais islandais israélien italien ivoirien jamaïcain japonais
jordanien kazakh kényan kosovar koweïtien laotien letton libanais libérien libyen lituanien
luxembourgeois macédonien malgache malien malaisien marocain mauricien mauritanien mexicain
moldave monégasque mongol monténégrin mozambicain namibien néerlandais népalais
nicaraguayen nigérian nigérien norvégien néo-zélandais ougandais ouzbek pakistanais
palestinien panaméen paraguayen péruvien philippin polonais portugais qatari roumain russe
rwandais saoudien sénégalais serbe singapourien slovaque slovène somalien soudanais
sri-lankais suédois suisse syrien tadjik taïwanais tanzanien tchadien tchèque thaïlandais
togolais tunisien turc ukrainien uruguayen vénézuélien vietnamien yéménite zambien
zimbabwéen anglais écossais gallois européen africain asiatique maghrébin sahélien arabe
kurde berbère touareg ouïghour tibétain juif musulman chrétien catholique protestant
"""
_IRREGULAR = {"grec": ("grecque", "grecques"), "turc": ("turque", "turques")}


def _forms(adjective: str) -> set[str]:
    """The four forms of a French adjective: américain(e)(s), algérien(ne)(s), belge(s)."""
    if adjective in _IRREGULAR:
        return {adjective, adjective + "s", *_IRREGULAR[adjective]}
    if adjective.endswith("e"):
        return {adjective, adjective + "s"}
    if adjective.endswith(("ien", "éen")):
        return {adjective, adjective + "s", adjective + "ne", adjective + "nes"}
    if adjective.endswith(("ais", "ois")):
        return {adjective, adjective + "e", adjective + "es"}
    return {adjective, adjective + "s", adjective + "e", adjective + "es"}


NATIONALITY_FORMS = frozenset(f for a in _NATIONALITIES.split() for f in _forms(a))

# "en français", "parler anglais": a language; "le français" alone, a language too, but "le
# néerlandais VanMoof" (a Dutch firm, the name follows) is a nationality.
_LANGUAGE_BEFORE = re.compile(r"(?:\ben|\bparl\w*|\btradui\w*)\s+$", re.IGNORECASE)
_ARTICLE_BEFORE = re.compile(r"(?:\b(?:le|du|au)|\bl['’])\s*$", re.IGNORECASE)
_ARTICLE_BEFORE_NOUN = re.compile(r"(?:\b(?:le|la|du|au|un|une)\s+|\b[lL]['’])$")


def nationality_spans(fields: Sequence[str]) -> list[Span]:
    """Every nationality adjective or noun ("américain", "les Algériens") as a Group."""
    out: list[Span] = []
    for field, source in enumerate(fields):
        for m in _BARE_WORD.finditer(source):
            word = m.group()
            if word.casefold() not in NATIONALITY_FORMS or word.isupper():
                continue
            before = source[max(0, m.start() - 20) : m.start()]
            if (
                word[0].isupper()
                and not word.endswith("s")
                and not _ARTICLE_BEFORE_NOUN.search(before)
            ):
                # A capitalised singular is a name's word ("Parti Socialiste Européen")
                # unless an article makes it a noun ("le Belge Arne Vandamme", "l'Italienne
                # Giulia Ferraro"); plurals are the people ("les Français").
                continue
            if _LANGUAGE_BEFORE.search(before):
                continue
            after = source[m.end() : m.end() + 3]
            if (
                word.islower()
                and _ARTICLE_BEFORE.search(before)
                and not re.match(rf"\s+[{_UPPER}]", after)
            ):
                continue
            out.append(Span(field, m.start(), m.end(), GROUP, GROUP))
    return out


# -- organisations ----------------------------------------------------------------------

# Nouns that, right before a name, say it is an organisation's ("le groupe Castelnau", "la
# start-up Oréade", "l'association Les Vitrines de Nantes").
_ORG_NOUNS = words_of(
    """groupe société entreprise start-up startup pousse fabricant constructeur association
    syndicat fonds cabinet banque club agence parti opérateur assureur distributeur
    laboratoire éditeur chaîne quotidien hebdomadaire journal magazine collectif fédération
    enseigne compagnie transporteur équipementier promoteur sous-traitant filiale holding
    caterer traiteur mutuelle coopérative ong label studio"""
)
# Words that may sit between that noun and the name: linking words and adjectives ("la
# société de promotion immobilière Méditerranée Habitat", "le fonds américain X").
_LINKING = frozenset({"de", "du", "des", "d", "la", "l"})
# Endings of adjectives, not of verbs: no past participles (-é, -ée: "la liste du Parti
# socialiste menée par"), no "-elle" of "appelle", no "-ive" of "arrive".
_ADJECTIVE = re.compile(
    r"(?:al|ale|aux|ales|[iunr]el|[iu]elle|nnelle|relle|[iunr]els|[iu]elles|nnelles|relles"
    r"|ien|ienne|iens|iennes|ain|aine|ains|aines|ais|aise|aises|ois|oise|oises|ique|iques"
    r"|aire|aires|[ts]if|[ts]ive|[ts]ifs|[ts]ives|ier|ière|iers|ières|eur|eure|euse|eurs|eures|euses"
    r"|anne|annes|ile|iles|[ai]ble|[ai]bles|iste|istes)$"
)
# Words with an adjective's ending that are no adjectives ("mais", "fois", "été" …).
_NOT_ADJECTIVES = words_of(
    """mais jamais désormais fois mois trois parfois autrefois quelquefois vois dois crois
    demain main certain prochain été a ont est sont était avait avaient qui que dont où et ou
    selon contre chez avec sans pour par sur sous dans entre vers après avant pendant depuis
    notamment également aussi très plus moins bien encore déjà toujours souvent lundi mardi
    mercredi jeudi vendredi samedi dimanche janvier février mars avril mai juin juillet août
    septembre octobre novembre décembre matin soir"""
)
# A name's first word that makes it an organisation ("Musée d'Orsay", "Union Bordeaux-Bègles",
# "Parquet national financier"); "Stade de France" is a place, "Stade toulousain" a club.
_ORG_FIRST = words_of(
    """assemblée sénat conseil cour tribunal parquet ministère musée université institut
    autorité confédération fédération union ligue rassemblement mouvement parti front
    association fondation société compagnie groupe banque bourse caisse crédit agence office
    centre commission comité syndicat stade olympique racing rc fc ogc as sc verrerie
    brasserie laboratoires éditions imprimerie mutuelle assurances chantiers établissements
    transports ateliers direction chambre"""
)
# A name's last word that makes it an organisation ("Nantes Métropole", "Harbor Lane Capital").
_ORG_LAST = words_of(
    """métropole agglomération agglo habitat capital ventures partners group groupe holding
    industries technologies systems labs média médias finance invest bank banque sa sas sarl
    se sca eurl gmbh ag ltd inc"""
)
# Legal forms written after a firm's name.
_LEGAL_FORM = re.compile(r"\s+(?:SA|SAS|SASU|SARL|SE|SCA|EURL|SNC|GIE)\b")
# Competitions: "Ligue 1", "Ligue Europa", "Ligue des champions".
_COMPETITION = re.compile(
    r"\bLigue\s+(?:\d\b|Europa\b|Conférence\b|des\s+(?:champions|nations)\b)"
    r"(?:\s+(?:Conférence|féminine)\b)?"
)
# A lowercase title before a name's complement is no name: "ministre de l'Agriculture",
# "le ministre français des Affaires étrangères".
_TITLE_NOUNS = words_of(
    """ministre président présidente maire préfet préfète secrétaire directeur directrice
    député députée sénateur sénatrice juge procureur procureure chef ambassadeur
    ambassadrice commissaire"""
)
# Lowercase nouns of sites French writes before the name ("le vélodrome André-Pétrieux").
_SITE_BEFORE = re.compile(
    r"\b(?:stade|vélodrome|aéroport|gare|pont|place|rue|avenue|boulevard|quai|port|parc"
    r"|hippodrome|circuit|palais|château|église|cathédrale|basilique|hôpital|lycée|collège"
    r"|quartier|cité|village|col|lac|mont|massif|île|plage|square|allée|impasse)\s+$"
)
# An acronym in brackets right after a name: "(INRAE)", "(C2RMF)".
_BRACKETED_ACRONYM = re.compile(rf"\s*\(([{_UPPER}][{_UPPER}\d&-]{{1,9}})\)")
# Geographic adjectives that belong to a place's name ("Sahara occidental").
_PLACE_ADJECTIVES = re.compile(
    r"\s+(?:occidental|occidentale|oriental|orientale|méridional|méridionale|septentrional"
    r"|septentrionale|central|centrale)\b"
)
# People of a town or region, as a plural noun: "les Lensois", "les Marseillais" (no type of
# ours; a country's people are Groups, found by ``nationality_spans`` first).
_INHABITANTS = re.compile(
    rf"^[{_UPPER}][{_LOWER}]+(?:ois|ais|ains|iens|ens|ins|ards|ots|éens)(?:es)?$"
)


def _words(text: str) -> list[str]:
    return [w.casefold().replace("’", "'") for w in _WORD.findall(text)]


def _is_adjective(word: str) -> bool:
    return (
        word.islower()
        and word not in _NOT_ADJECTIVES
        and (bool(_ADJECTIVE.search(word)) or word in NATIONALITY_FORMS)
    )


def org_noun_before(source: str, start: int) -> bool:
    """Whether a noun that names a kind of organisation comes right before ``start``,
    with only linking words and adjectives between ("la société de promotion immobilière")."""
    before = source[max(0, start - 80) : start]
    if not before.endswith((" ", "\u00a0")):
        return False
    # Only words between: "le gérant de la société, Karim Benhamou" is an apposition.
    before = re.split(r"[,.;:!?«»()\"“”—–]", before)[-1]
    tokens = re.findall(rf"[{_LOWER}{_UPPER}-]+|['’]", before)
    tokens = [t for t in tokens if t not in ("'", "’")]
    for i, token in enumerate(reversed(tokens[-6:])):
        word = token.casefold()
        if word in _ORG_NOUNS:
            return not (word == "pousse" and tokens[-i - 2 :][:1] != ["jeune"])
        if i >= 4 or not (word in _LINKING or _is_adjective(token)):
            return False
    return False


def org_name(text: str) -> bool:
    """Whether a name's own words make it an organisation."""
    words = _words(text)
    if not words:
        return False
    first, last = words[0], words[-1]
    if first == "stade":
        return len(words) > 1 and words[1] not in _LINKING
    if first == "ligue" and _COMPETITION.match(text):
        return False
    if first in _ORG_FIRST and (len(words) > 1 or text[:1].isupper()):
        return True
    return len(words) > 1 and last in _ORG_LAST


def _camel_case(text: str) -> bool:
    """A capital inside a word ("VanMoof") or a short all-capitals word ("BHF"): how firms
    write their names, not people or places."""
    return any(
        (len(w) > 2 and w[0].isupper() and any(c.isupper() for c in w[1:]) and not w.isupper())
        or (2 <= len(w) <= 5 and w.isupper() and w.isalpha())
        for w in text.split()
    )


# -- trimming ---------------------------------------------------------------------------

_LEADING = re.compile(r"^(?:(?:[lLdD]['’])|(?:le|la|les|du|des|de|un|une|au|aux)\s+)+")
_LEADING_CAPITAL = re.compile(r"^(?:L['’]|(?:Le|La|Les)\s+)(?=[" + _UPPER + r"])")
# A capitalised article before a lowercase word starts a sentence, not a name.
_CAPITAL_BEFORE_LOWER = re.compile(r"^(?:L['’]|(?:Le|La|Les|Un|Une)\s+)(?=[" + _LOWER + r"])")


def trim(source: str, span: RawSpan, sentence_start: bool) -> RawSpan | None:
    """A span without what comes before the name: lowercase articles ("l'Aisne"), a
    capitalised article that only starts the sentence ("Le RC Lens a battu"), lowercase
    descriptors ("région Hauts-de-France", "aéroport Roland-Garros"); a title and its
    complement ("ministre de l'Agriculture") is no name at all. "ministère de …" is the
    ministry's name, kept whole."""
    start, end = span.start, span.end
    text = source[start:end]
    for leading in (_CAPITAL_BEFORE_LOWER, _LEADING):
        m = leading.match(text)
        if m and start + m.end() < end:
            start += m.end()
            text = source[start:end]
    m = _LEADING_CAPITAL.match(text)
    if m and sentence_start and start + m.end() < end:
        rest = text[m.end() :]
        words = rest.split()
        if (
            span.label in (PERSON, MISC)
            or words[0].isupper()
            or words[0].casefold() in _ORG_FIRST
            or rest.casefold() in NATIONALITY_FORMS
        ):
            start += m.end()
            text = rest
    first = text.split()[0] if text.split() else ""
    if first.islower():
        if first.casefold() in _TITLE_NOUNS:
            return None
        if first.casefold() != "ministère":
            caps = re.search(rf"(?<![\w'’-])[{_UPPER}\d]", text)
            if caps is None:
                return None
            start += caps.start()
    if (start, end) == (span.start, span.end):
        return span
    return RawSpan(span.field, start, end, span.label) if start < end else None


# -- the model's MISC -------------------------------------------------------------------


def classify_misc(fields: Sequence[str], misc: Iterable[RawSpan]) -> list[RawSpan]:
    """The MISC spans a cue makes organisations or titles; the rest are dropped. A title
    is a MISC wholly inside guillemets; an organisation has a cue before it (a kind of
    organisation, see ``org_noun_before``), a legal form after it, words of its own that
    say so, or a firm's way of writing (``_camel_case``); a MISC with the same name as one
    so cued is one too ("Cyclam SAS" … "Cyclam")."""
    out: list[RawSpan] = []
    rest: list[RawSpan] = []
    for span in misc:
        source = fields[span.field]
        # "PARIS — Le Stade toulousain": the dateline is found by its own rule.
        dash = max(
            source.rfind(" — ", span.start, span.end), source.rfind(" – ", span.start, span.end)
        )
        if dash >= 0:
            span = RawSpan(span.field, dash + 3, span.end, span.label)
        before = source[max(0, span.start - 2) : span.start].rstrip()
        after = source[span.end : span.end + 2].lstrip()
        if before.endswith("«") and after.startswith("»"):
            # A title keeps its article: « La Maison des vents ».
            out.append(RawSpan(span.field, span.start, span.end, WORK))
            continue
        trimmed = trim(source, span, sentence_start=True)
        if trimmed is None:
            continue
        text = source[trimmed.start : trimmed.end]
        if _words(text) and all(w in NATIONALITY_FORMS for w in _words(text)):
            continue  # found by nationality_spans
        legal = _LEGAL_FORM.match(source, trimmed.end)
        if legal:
            trimmed = RawSpan(trimmed.field, trimmed.start, legal.end(), ORG)
        if legal or org_noun_before(source, trimmed.start) or org_name(text) or _camel_case(text):
            out.append(RawSpan(trimmed.field, trimmed.start, trimmed.end, ORG))
        else:
            rest.append(trimmed)
    named = {_words(fields[s.field][s.start : s.end])[0] for s in out if s.label == ORG}
    for span in rest:
        words = _words(fields[span.field][span.start : span.end])
        if words and words[0] in named and len(words) == 1:
            out.append(RawSpan(span.field, span.start, span.end, ORG))
    return out


# -- boundaries and votes ---------------------------------------------------------------


def _extend(source: str, span: Span) -> int:
    """Where an organisation's or a place's name really ends: over the lowercase
    adjectives French writes after it ("Assemblée nationale", "Parquet national
    financier", "Sahara occidental") and, after an organisation's first word, one
    complement ("Autorité de la concurrence", "Ligue nationale de rugby")."""
    text = source[span.start : span.end]
    words = _words(text)
    if not words:
        return span.end
    if not (span.label == ORG or org_name(text) or words[0] in _ORG_FIRST):
        m = _PLACE_ADJECTIVES.match(source, span.end)
        return m.end() if m and span.label == PLACE else span.end
    headed = words[0] in _ORG_FIRST
    end = _adjectives(source, span.end, headed)
    # "Direction générale de l'aviation civile": complements, each with its adjectives.
    for _ in range(2 if headed else 0):
        m = re.match(
            rf"\s+(?:de\s+la\s+|de\s+l['’]|du\s+|des\s+|de\s+|d['’])([{_LOWER}]+)\b"
            rf"(?!\s*[{_UPPER}])",
            source[end:],
        )
        if not m or m.group(1) in _NOT_ADJECTIVES or len(m.group(1)) <= 3:
            break
        end = _adjectives(source, end + m.end(), headed)
    return end


def _adjectives(source: str, end: int, headed: bool) -> int:
    """The end of up to two lowercase adjectives from ``end`` on; a nationality only after
    an organisation's head word ("Banque centrale européenne")."""
    for _ in range(2):
        m = re.match(rf"\s+([{_LOWER}-]+)\b", source[end:])
        if not m or not _is_adjective(m.group(1)):
            break
        if m.group(1) in NATIONALITY_FORMS and not headed:
            break
        end += m.end()
    return end


def french_names(fields: Sequence[str], spans: list[Span]) -> list[Span]:
    """Extend names over their lowercase words, make "Stade de …" a place, drop the
    people of a town ("les Lensois"), and add nationalities, which replace any span the
    model made of one ("Français" as a place, "Les Algériens" as persons)."""
    out: list[Span] = []
    for s in spans:
        source = fields[s.field]
        text = source[s.start : s.end]
        article = _LEADING_CAPITAL.match(text)
        if article and s.label == PERSON and at_sentence_start(source, s.start):
            # "Les" before a name was taken for a given name: a capitalised article at a
            # sentence start belongs to no person's name.
            s.start += article.end()
            text = source[s.start : s.end]
        if (
            _INHABITANTS.match(text)
            and text.casefold() not in NATIONALITY_FORMS
            and not org_noun_before(source, s.start)
        ):
            continue
        s.end = _extend(source, s)
        words = _words(source[s.start : s.end])
        if len(words) > 2 and words[0] == "stade" and words[1] in _LINKING:
            s.label = s.vote = s.model_label = PLACE
        out.append(s)
        acronym = _BRACKETED_ACRONYM.match(source, s.end)
        if acronym and (s.label == ORG or org_name(source[s.start : s.end])):
            # "Institut national … (INRAE)": an organisation's acronym, whatever its letters.
            out = [o for o in out if not (o.field == s.field and o.start == acronym.start(1))]
            out.append(Span(s.field, acronym.start(1), acronym.end(1), ORG, ORG))
    groups = nationality_spans(fields)
    if not groups:
        return out

    def inside_name(g: Span) -> bool:
        # "Union européenne", "Banque centrale européenne": the adjective is the name's;
        # a person's span that starts with one ("Espagnole Lucía Moreno") is not a name.
        return any(
            s.field == g.field
            and s.start <= g.start
            and g.end <= s.end
            and (s.start, s.end) != (g.start, g.end)
            and s.label != GROUP
            and not (s.label == PERSON and s.start == g.start)
            for s in out
        )

    added = [g for g in groups if not inside_name(g)]
    kept: list[Span] = []
    for s in out:
        hits = [a for a in added if a.field == s.field and a.start < s.end and s.start < a.end]
        if not hits:
            kept.append(s)
            continue
        # "Italienne Giulia Ferraro" as one person: the nationality, then the name.
        rest = re.match(r"\s+", fields[s.field][max(a.end for a in hits) : s.end])
        after = max(a.end for a in hits) + (rest.end() if rest else 0)
        if (
            all(a.start <= s.start for a in hits)
            and after < s.end
            and rest
            and fields[s.field][after : after + 1].isupper()
        ):
            s.start = after
            kept.append(s)
    return kept + added


def competition_spans(fields: Sequence[str]) -> list[Span]:
    """Leagues that are competitions: "Ligue 1", "Ligue Europa"."""
    return [
        Span(field, m.start(), m.end(), EVENT, EVENT)
        for field, source in enumerate(fields)
        for m in _COMPETITION.finditer(source)
    ]


def french_votes(doc: Document, spans: list[Span]) -> None:
    """An organisation's cues outvote the model: a kind of organisation before the name, a
    legal form after it, the name's own first or last word. A lowercase noun of a site
    right before a name makes it a place ("au vélodrome André-Pétrieux", "rue X")."""
    for s in spans:
        if s.label not in (PERSON, PLACE, ORG):
            continue
        source = doc.fields[s.field]
        text = source[s.start : s.end]
        if org_noun_before(source, s.start) or org_name(text) or _LEGAL_FORM.match(source, s.end):
            s.vote, s.weight = ORG, 3
            # Not a person's full name because its first word is also a given name
            # somewhere ("Les" is one in English).
            s.person_cue = s.name_cue = False
        elif _SITE_BEFORE.search(source[max(0, s.start - 20) : s.start]):
            s.vote, s.weight = PLACE, 2
            s.person_cue = s.name_cue = False


@lru_cache(maxsize=1)
def nationality_words() -> frozenset[str]:
    """All forms of the nationality adjectives (for tests and other rules)."""
    return NATIONALITY_FORMS
