"""Turning text into index terms: tokenising, folding, stemming. Free of side effects.

The search index's analysers (``schema``), the query code, the highlighter and the app's
reading pane (``tui/render.py``) all take their word forms from here, so a word is marked in
the text exactly when the index would match it. Importing this module changes nothing in
Whoosh and loads no stemmer (each is made on first use).

What a token becomes:

- **Tokens** are runs of letters and digits, joined by ``. ' ’ - _`` inside them
  ("mail.example.org", "don't", "e-mail", "night_owl_42"), with a ``++`` or ``#`` suffix kept
  ("c++", "c#"). A token is indexed whole *and* as its parts (split at those joiners and at
  camelCase: "getElementById" -> get, element, by, id), all at the token's position; a word
  with hyphens or apostrophes is whole in its joined form ("e-mail" -> email, "don't" -> dont).
  Single letters and digits are kept as tokens ("model 3", "iphone x"); parts of one
  character are not (the "s" of "Mosul's").
- **Numbers** lose their thousands separators (185.000 = 185,000 = 185000, also with narrow
  spaces); decimals stay decimals (3.14, and 1,5 -> 1.5).
- **Folding** is Unicode case folding (ß -> ss) plus ё -> е, one form per Arabic/Persian
  letter variant (ك/ک, ي/ی/ى, أ/إ/آ -> ا, ة -> ه, no harakat or tatweel), and accents
  removed from Latin letters. A word with ä/ö/ü is also indexed with ae/oe/ue.
- **Stems** are Snowball's (PyStemmer, in C) in the article's language, for every language
  Snowball covers; other languages (and unknown ones) are folded, not stemmed.
- **Stop words** are indexed like any word, with their true positions; the query side makes
  them optional (``is_stop``).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from itertools import chain
from typing import Any

# Entity and author values are joined with this; positions jump across it so that a phrase
# never spans two different names.
VALUE_SEPARATOR = " | "
VALUE_GAP = 10
_CACHE_LIMIT = 300_000

# ISO 639-1 -> Snowball algorithm (PyStemmer's names)
SNOWBALL: dict[str, str] = {
    "ar": "arabic", "hy": "armenian", "eu": "basque", "ca": "catalan", "cs": "czech",
    "da": "danish", "nl": "dutch", "en": "english", "eo": "esperanto", "et": "estonian",
    "fi": "finnish", "fr": "french", "de": "german", "el": "greek", "hi": "hindi",
    "hu": "hungarian", "id": "indonesian", "ga": "irish", "it": "italian", "lt": "lithuanian",
    "ne": "nepali", "no": "norwegian", "nb": "norwegian", "fa": "persian", "pl": "polish",
    "pt": "portuguese", "ro": "romanian", "ru": "russian", "sr": "serbian", "st": "sesotho",
    "es": "spanish", "sv": "swedish", "ta": "tamil", "tr": "turkish", "yi": "yiddish",
}  # fmt: skip
DEFAULT_LANGUAGE = "en"  # what a word is stemmed as when nothing says otherwise (highlighting)

# -- tokens ----------------------------------------------------------------------------------

# letters and digits, plus the combining marks that belong inside words (accents written
# apart, Cyrillic titlo, Hebrew points, Arabic harakat, Devanagari vowel signs)
_W = r"[\w\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0900-\u0903\u093a-\u094f\u0962\u0963]"
_JOIN = r"[.'’\-\u200c]"  # joiners inside a token (U+200C: the Persian zero-width non-joiner)
TOKEN_RE = re.compile(
    r"\d{1,3}(?:[.,\u00a0\u202f]\d{3})+(?:[.,]\d+)?(?!\w|[.,]\d)"  # 185.000, 1,234.5
    r"|\d+,\d+(?![\w,])"  # a decimal comma: 1,5
    rf"|{_W}+(?:{_JOIN}{_W}+)*(?:\+\+|#(?!\w))?"
)
WORD_RE = TOKEN_RE  # the name the highlighter and older callers use
_GROUPED_RE = re.compile(r"\d{1,3}(?:[.,\u00a0\u202f]\d{3})+(?:[.,]\d+)?\Z")
_DECIMAL_COMMA_RE = re.compile(r"\d+,\d+\Z")
_SPLIT_RE = re.compile(r"[.'’\-\u200c_]+")
_PIECE_RE = re.compile(r"[^.'’\-\u200c_]+")  # what _SPLIT_RE leaves
_DOTTED_NUMBER_RE = re.compile(r"\d+(?:\.\d+)+\Z")
# a dotted number written after letters ("v2.4.1", "python3.12"): the number is a part too
_PREFIXED_NUMBER_RE = re.compile(r"[^\W\d_]+(\d+(?:\.\d+)+)\Z")
_CAMEL_RE = re.compile(r"[a-z][A-Z]")
_CAMEL_PART_RE = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+|[^\W\d_]+")


def _number(token: str) -> str:
    """185.000 / 185,000 -> 185000; 1.234,5 / 1,234.5 -> 1234.5; 1,5 -> 1.5."""
    if not _GROUPED_RE.match(token):
        return token.replace(",", ".")  # a decimal comma
    group_sep = next(ch for ch in token if not ch.isdigit())
    return token.replace(group_sep, "").replace(",", ".")


# -- folding ---------------------------------------------------------------------------------

_SPECIAL = {
    "ё": "е",
    # Arabic and Persian letter variants: one form each (the Persian one where they differ)
    "ك": "ک", "ي": "ی", "ى": "ی", "ئ": "ی", "ۀ": "ه", "ة": "ه", "ؤ": "و",
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ـ": "",
    # letters that do not decompose
    "ø": "o", "đ": "d", "ł": "l", "ħ": "h", "ı": "i", "ŧ": "t", "ŀ": "l", "ð": "d",
    "þ": "th", "æ": "ae", "œ": "oe", "ĸ": "k",
    # Arabic-Indic and Persian digits
    **{chr(0x0660 + i): str(i) for i in range(10)},
    **{chr(0x06F0 + i): str(i) for i in range(10)},
}  # fmt: skip
_UMLAUTS = {"ä": "ae", "ö": "oe", "ü": "ue"}


def _fold_table() -> dict[int, str]:
    table: dict[int, str] = {ord(k): v for k, v in _SPECIAL.items()}
    # combining marks written apart, Arabic harakat: dropped
    for cp in (*range(0x0300, 0x0370), *range(0x064B, 0x0660), 0x0670):
        table[cp] = ""
    # accented Latin and Greek letters: their base letter (Cyrillic й keeps its breve)
    for cp in (*range(0x00C0, 0x0250), *range(0x0386, 0x03D0), *range(0x1E00, 0x1F00)):
        ch = chr(cp)
        if cp in table:
            continue
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        if base and base != ch:
            table[cp] = base.casefold()
    return table


_FOLD = _fold_table()
_fold_cache: dict[str, str] = {}


def fold(word: str) -> str:
    """Case-folded, with letter variants and accents folded: "Straße" -> "strasse",
    "Café" -> "cafe", "ёлка" -> "елка", "كتاب" -> "کتاب"."""
    got = _fold_cache.get(word)
    if got is None:
        got = word.casefold().translate(_FOLD)
        if len(_fold_cache) > _CACHE_LIMIT:
            _fold_cache.clear()
        _fold_cache[word] = got
    return got


def umlaut_variant(folded_word: str) -> str | None:
    """ "müller" -> "mueller" (the word case-folded, before accents are removed), or None."""
    if not any(u in folded_word for u in _UMLAUTS):
        return None
    return "".join(_UMLAUTS.get(ch, ch) for ch in folded_word)


# -- stemming --------------------------------------------------------------------------------

_stemmers: dict[str, Any] = {}
_stemmer_lock = threading.Lock()
_stem_cache: dict[tuple[str, str], str] = {}


def _stemmer(lang: str) -> Any:
    got = _stemmers.get(lang)
    if got is None:
        import Stemmer

        with _stemmer_lock:
            got = _stemmers.get(lang)
            if got is None:
                got = _stemmers[lang] = Stemmer.Stemmer(SNOWBALL[lang])
    return got


def stems_for(lang: str | None) -> str | None:
    """The language whose stemmer an article in ``lang`` gets (None: not stemmed)."""
    return lang if lang in SNOWBALL else None


def stem(word: str, lang: str | None = DEFAULT_LANGUAGE) -> str:
    """The folded Snowball stem of ``word`` in ``lang`` ("Running" -> "run"); only folded
    when Snowball has no stemmer for the language."""
    key = (word, lang or "")
    got = _stem_cache.get(key)
    if got is None:
        low = word.casefold()
        if lang in SNOWBALL and low.isalpha():
            low = _stemmer(lang).stemWord(low)
        got = low.translate(_FOLD)
        if len(_stem_cache) > _CACHE_LIMIT:
            _stem_cache.clear()
        _stem_cache[key] = got
    return got


# -- stop words --------------------------------------------------------------------------------

_STOP_TEXT = {
    "en": """a an and are as at be been but by can could did do does for from had has have
        he her his how i if in into is it its may me might my no not of on or our she should
        so than that the their them then there these they this those to us was we were what
        when where which while who whom why will with would you your""",
    "de": """aber als am an auch auf aus bei bin bis bist da das dass dem den der des die
        doch du ein eine einem einen einer eines er es für hat hatte ich ihr im in ist ja
        kann mit nach nicht noch nur oder sich sie sind so über um und uns vom von vor war
        was wie will wir wird zu zum zur""",
    "ru": """а без бы был была были было в вам вас во вот все всё да для до его её если
        есть ещё же за и из или им их к как ко когда кто ли мы на над не нет ни но о об от
        по под при с со так там то того тоже только у уже что чтобы это я""",
    "fr": """au aux avec ce ces dans de des du elle en et est il ils je la le les leur
        mais ne nous on ou par pas pour qui que sa se ses son sur un une vous""",
    "es": """al con de del el en es la las lo los no o para por que se su un una y""",
    "fa": """از با برای به تا در را که و یا این آن است""",
    "ar": """في من على إلى عن مع أن إن هذا هذه التي الذي و""",
    "ur": """اور کا کی کے میں سے کو نے پر یہ وہ ہے ہیں تھا""",
}


def _stop_words() -> frozenset[str]:
    words: set[str] = set()
    for text in _STOP_TEXT.values():
        words.update(fold(w) for w in text.split())
    return frozenset(words)


STOP_WORDS = _stop_words()


def is_stop(word: str) -> bool:
    """A function word of one of our languages ("the", "die", "и"): optional in queries."""
    return fold(word) in STOP_WORDS


# -- analysing text ----------------------------------------------------------------------------


def token_forms(token: str) -> tuple[str, list[str], bool]:
    """(whole, parts, stemmable) of one token as written, before folding.

    ``whole`` is the token's searchable form (joined for hyphens and apostrophes, with its
    dots and underscores otherwise, numbers normalised); ``parts`` are its pieces of two or
    more characters; ``stemmable`` says the whole is a word (not a dotted name or a number).
    """
    if "\u200c" in token:  # the Persian non-joiner joins: one word
        token = token.replace("\u200c", "")
    ch = token[0]
    if ch.isdigit() and (_GROUPED_RE.match(token) or _DECIMAL_COMMA_RE.match(token)):
        return _number(token), [], False
    if token.endswith(("++", "#")):
        return token, [], False
    if _DOTTED_NUMBER_RE.match(token):
        return token, [], False  # a decimal or a version: whole only
    pieces = _SPLIT_RE.split(token)
    camel = bool(_CAMEL_RE.search(token))
    if len(pieces) == 1 and not camel:
        return token, [], True
    parts: list[str] = []
    for piece in pieces:
        if len(piece) > 1:
            parts.append(piece)
        if _CAMEL_RE.search(piece):
            parts += [p for p in _CAMEL_PART_RE.findall(piece) if len(p) > 1]
    if "." in token or "_" in token:
        number = _PREFIXED_NUMBER_RE.match(token)
        if number:
            parts.append(number.group(1))
        return re.sub(r"['’\-\u200c]", "", token), parts, False
    return "".join(pieces), parts, True


_LEAVES: dict[str, tuple[tuple[str, int, int], ...]] = {}


def token_leaves(token: str) -> tuple[tuple[str, int, int], ...]:
    """A token's smallest pieces in order, folded, with their offsets in it: split at the
    joiners and at camelCase ("mail.example.org" -> mail, example, org; "getElementById"
    -> get, element, by, id; "3.12" -> 3, 12). One piece for a simple word.

    What a query word written with joiners is matched as when the index holds it only as
    the parts of a longer token: its leaves in a row inside one token (``leaves_in``).
    """
    got = _LEAVES.get(token)
    if got is None:
        out: list[tuple[str, int, int]] = []
        for m in _PIECE_RE.finditer(token):
            piece, start = m.group(), m.start()
            if _CAMEL_RE.search(piece):
                out += [
                    (fold(c.group()), start + c.start(), start + c.end())
                    for c in _CAMEL_PART_RE.finditer(piece)
                ]
            else:
                out.append((fold(piece), start, m.end()))
        got = tuple(out)
        if len(_LEAVES) > _CACHE_LIMIT:
            _LEAVES.clear()
        _LEAVES[token] = got
    return got


def query_leaves(word: str) -> tuple[str, ...]:
    """The leaves of a query word written with joiners or in camelCase ("example.org"),
    which it also matches as a run of parts of a longer token; () for a simple word, a
    number with thousands separators, or c++/c#."""
    if word.endswith(("++", "#")) or (word[:1].isdigit() and _GROUPED_RE.match(word)):
        return ()
    leaves = tuple(leaf for leaf, _s, _e in token_leaves(word) if leaf)
    return leaves if len(leaves) > 1 else ()


def leaves_in(token: str, leaves: tuple[str, ...]) -> tuple[int, int] | None:
    """Where ``leaves`` follow each other inside ``token`` (offsets in it), or None."""
    have = token_leaves(token)
    n = len(leaves)
    for i in range(len(have) - n + 1):
        if all(have[i + k][0] == leaves[k] for k in range(n)):
            return have[i][1], have[i + n - 1][2]
    return None


def token_parts(token: str) -> list[tuple[str, int, int]]:
    """The parts of a token with their offsets in it (none for a simple word or a number)."""
    if not token_forms(token)[1]:
        return []
    out: list[tuple[str, int, int]] = []
    pos = 0
    for piece in _SPLIT_RE.split(token):
        start = token.find(piece, pos)
        if start < 0:
            continue
        pos = start + len(piece)
        if len(piece) > 1:
            out.append((piece, start, pos))
        if _CAMEL_RE.search(piece):
            for m in _CAMEL_PART_RE.finditer(piece):
                if len(m.group()) > 1:
                    out.append((m.group(), start + m.start(), start + m.end()))
    number = _PREFIXED_NUMBER_RE.match(token)
    if number:
        out.append((number.group(1), number.start(1), number.end(1)))
    return out


_MISSING: Any = object()
_PROSE_TERMS: dict[tuple[str, str], tuple[str, ...]] = {}
_NAME_TERMS: dict[str, tuple[str, ...]] = {}


def _word_terms(word: str, lang: str | None, stemmable: bool) -> list[str]:
    """A word's index terms in one language: its stem (or folded form) and, for a word with
    umlauts, the stem of its ae/oe/ue spelling."""
    if not stemmable:
        return [fold(word)]
    out = [stem(word, lang)]
    variant = umlaut_variant(word.casefold())
    if variant is not None and lang != "de":  # German stems already equate the two
        alt = stem(variant, lang)
        if alt not in out:
            out.append(alt)
    return out


def _prose_token_terms(token: str, lang: str | None) -> tuple[str, ...]:
    lang = stems_for(lang)
    whole, parts, stemmable = token_forms(token)
    terms = _word_terms(whole, lang, stemmable)
    for p in parts:
        terms += _word_terms(p, lang, p.isalpha())
    return tuple(dict.fromkeys(t for t in terms if t))


def _name_token_terms(token: str) -> tuple[str, ...]:
    whole, parts, _ = token_forms(token)
    terms = [fold(whole), *(fold(p) for p in parts)]
    variant = umlaut_variant(whole.casefold())
    if variant is not None:
        terms.append(fold(variant))
    return tuple(dict.fromkeys(t for t in terms if t))


def prose_token_terms(token: str, lang: str | None) -> tuple[str, ...]:
    """Every index term one token gives in a prose field of an article in ``lang``."""
    key = (token, lang or "")
    got = _PROSE_TERMS.get(key)
    if got is None:
        got = _prose_token_terms(token, lang)
        if len(_PROSE_TERMS) > _CACHE_LIMIT:
            _PROSE_TERMS.clear()
        _PROSE_TERMS[key] = got
    return got


def name_token_terms(token: str) -> tuple[str, ...]:
    """Every index term one token gives in a name field (authors, entities, tags): folded,
    never stemmed."""
    got = _NAME_TERMS.get(token)
    if got is None:
        got = _name_token_terms(token)
        if len(_NAME_TERMS) > _CACHE_LIMIT:
            _NAME_TERMS.clear()
        _NAME_TERMS[token] = got
    return got


def prose_terms(text: str, lang: str | None) -> list[tuple[str, int]]:
    """(term, position) pairs of a prose text; a token's parts share its position."""
    out: list[tuple[str, int]] = []
    get = _PROSE_TERMS.get
    key_lang = lang or ""
    for pos, token in enumerate(TOKEN_RE.findall(text)):
        terms = get((token, key_lang)) or prose_token_terms(token, lang)
        for t in terms:
            out.append((t, pos))
    return out


def name_terms(text: str) -> list[tuple[str, int]]:
    """(term, position) pairs of names joined by ``VALUE_SEPARATOR`` (a gap between values)."""
    out: list[tuple[str, int]] = []
    pos = 0
    for part_no, part in enumerate(text.split(VALUE_SEPARATOR)):
        if part_no:
            pos += VALUE_GAP
        for token in TOKEN_RE.findall(part):
            for t in _NAME_TERMS.get(token) or name_token_terms(token):
                out.append((t, pos))
            pos += 1
    return out


# -- counting a text's terms (what the index writer keeps of a field without positions) ------

# Tables of what a piece of text gives, its terms UTF-8 encoded, one per kind of piece and
# language: "chunk" pieces are a text's whitespace-separated chunks, "token" pieces its tokens
_COUNT_TABLES: dict[tuple[str, bool, str], dict[str, tuple[bytes, ...]]] = {}
_count_entries = 0
_COUNT_LIMIT = 100_000  # pieces kept in all tables (~200 bytes each), then they start again
# whitespace that str.split() cuts at but a token may hold (thousands separators)
_SPACES_IN_TOKENS = ("\u00a0", "\u202f")


def _piece_terms(piece: str, kind: str, prose: bool, lang: str | None) -> tuple[bytes, ...]:
    """The encoded terms of one piece of text: of each of its tokens in turn, each token's
    terms once (as ``prose_terms`` / ``name_terms`` give them)."""
    found = TOKEN_RE.findall(piece) if kind == "chunk" else [piece]
    out: list[bytes] = []
    for token in found:
        terms = _prose_token_terms(token, lang) if prose else _name_token_terms(token)
        out += [t.encode("utf-8") for t in terms]
    return tuple(out)


def _counted(pieces: list[str], table: dict[str, tuple[bytes, ...]]) -> Counter[bytes]:
    return Counter(chain.from_iterable(map(table.__getitem__, pieces)))


def _term_counts(pieces: list[str], kind: str, prose: bool, lang: str | None) -> Counter[bytes]:
    """The terms of ``pieces`` counted (first occurrence first) through a table of each
    piece's terms: one ``map`` and one count in C per text, Python only for new pieces."""
    global _count_entries
    key = (kind, prose, lang or "")
    table = _COUNT_TABLES.get(key)
    if table is None:
        table = _COUNT_TABLES.setdefault(key, {})
    try:
        return _counted(pieces, table)
    except KeyError:
        pass
    new = set(pieces).difference(table)
    if _count_entries + len(new) > _COUNT_LIMIT:
        _COUNT_TABLES.clear()
        _count_entries = 0
        table = _COUNT_TABLES.setdefault(key, {})
        new = set(pieces)
    for piece in new:
        table[piece] = _piece_terms(piece, kind, prose, lang)
    _count_entries += len(new)
    try:
        return _counted(pieces, table)
    except KeyError:  # another thread cleared the tables meanwhile: this text's own table
        own = {p: _piece_terms(p, kind, prose, lang) for p in set(pieces)}
        return _counted(pieces, own)


def _split_counts(text: str, prose: bool, lang: str | None) -> Counter[bytes] | None:
    """The term counts of ``text`` by its whitespace-separated chunks, or None if it holds a
    space that a token may hold. A token never holds other whitespace, and what follows a
    chunk (whitespace or the end) lets every token at its end end there, so the chunks'
    tokens in turn are the text's tokens."""
    if any(sp in text for sp in _SPACES_IN_TOKENS):
        return None
    return _term_counts(text.split(), "chunk", prose, lang)


def prose_term_counts(text: str, lang: str | None) -> Counter[bytes]:
    """How many positions of a prose text hold each index term: ``prose_terms`` counted by
    term, in the order the terms first occur, each term UTF-8 encoded as the index keeps it."""
    got = _split_counts(text, True, lang)
    if got is None:
        got = _term_counts(TOKEN_RE.findall(text), "token", True, lang)
    return got


def name_term_counts(text: str) -> Counter[bytes]:
    """``name_terms`` counted by term, as ``prose_term_counts`` counts ``prose_terms``."""
    got = _split_counts(text, False, None)  # the separators are chunks without tokens
    if got is None:
        found: list[str] = []
        for part in text.split(VALUE_SEPARATOR):
            found += TOKEN_RE.findall(part)
        got = _term_counts(found, "token", False, None)
    return got


def tokens(text: str) -> Iterator[re.Match[str]]:
    """The tokens of ``text`` with their offsets."""
    return TOKEN_RE.finditer(text)


# -- the query side ----------------------------------------------------------------------------


def query_word(token: str) -> str:
    """What a query token is searched as before stemming: its whole form, folded only as far
    as case and letter variants (accents are removed after stemming)."""
    got = _QUERY_WORDS.get(token)
    if got is None:
        got = token_forms(token)[0]
        if len(_QUERY_WORDS) > _CACHE_LIMIT:
            _QUERY_WORDS.clear()
        _QUERY_WORDS[token] = got
    return got


_QUERY_WORDS: dict[str, str] = {}


def prose_query_forms(word: str, languages: Iterable[str | None]) -> list[str]:
    """The index terms a query word may match in prose fields, one per language present
    (stemmed as an article in that language would be), its umlaut spelling included."""
    whole, _parts, stemmable = token_forms(word)
    out: dict[str, None] = {}
    if not stemmable:
        out[fold(whole)] = None
        return list(out)
    languages = list(languages)
    if not languages or any(stems_for(lang) is None for lang in languages):
        out[fold(whole)] = None  # articles in a language Snowball lacks index the folded word
    for lang in languages:
        for t in _word_terms(whole, stems_for(lang), True):
            out[t] = None
    return list(out)


def name_query_forms(word: str) -> list[str]:
    """The index terms a query word may match in name fields."""
    whole, _parts, _ = token_forms(word)
    out = [fold(whole)]
    variant = umlaut_variant(whole.casefold())
    if variant is not None:
        out.append(fold(variant))
    return list(dict.fromkeys(out))


def index_form(word: str, *, stemmed: bool = True, lang: str | None = DEFAULT_LANGUAGE) -> str:
    """The main term a single word becomes in the index (its stem in ``lang``)."""
    whole, _parts, stemmable = token_forms(word) if word else (word, [], False)
    if not whole:
        return ""
    if stemmed and stemmable:
        return stem(whole, stems_for(lang))
    return fold(whole)


def word_forms(word: str, languages: Iterable[str | None]) -> set[str]:
    """Every term ``word`` could have become in the index (any of ``languages``, names too):
    what the highlighter compares with a query's terms."""
    out = set(name_token_terms(word))
    for lang in languages:
        out.update(prose_token_terms(word, lang))
    return out
