"""The writer's fast path of the analyser (``prose_term_counts``, ``name_term_counts``) gives
exactly what the token stream (``prose_terms``, ``name_terms``) gives, counted: the same
terms, as often, in the order they first occur, on the fixture corpora, the bench's
generated corpus and generated hostile text."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from newsreader.index.search import analysis
from newsreader.index.search.analysis import (
    VALUE_SEPARATOR,
    name_term_counts,
    name_terms,
    prose_term_counts,
    prose_terms,
)

FIXTURES = Path(__file__).parents[2] / "fixtures"
# languages with a stemmer, one without (folded only), and the default
LANGUAGES = ("en", "de", "ru", "fa", "ar", "fr", "tr", "ja", None)


def _counted(pairs: list[tuple[str, int]]) -> list[tuple[bytes, int]]:
    """What the token stream says each term's frequency is, terms in first-occurrence order."""
    got: Counter[bytes] = Counter()
    for term, _pos in pairs:
        got[term.encode("utf-8")] += 1
    return list(got.items())


def _fixture_texts() -> list[str]:
    texts = []
    for path in sorted(FIXTURES.rglob("*")):
        if path.is_file() and path.suffix in {".xml", ".json", ".rss", ".atom", ".html", ".txt"}:
            text = path.read_text(encoding="utf-8", errors="replace")
            texts.append(text)
            texts += text.splitlines()[:200]
    return texts


def _assert_same(text: str, lang: str | None) -> None:
    assert list(prose_term_counts(text, lang).items()) == _counted(prose_terms(text, lang))
    assert list(name_term_counts(text).items()) == _counted(name_terms(text))


def test_fixture_corpora_count_as_their_token_streams() -> None:
    texts = _fixture_texts()
    assert len(texts) > 100
    terms = 0
    for lang in LANGUAGES:
        for text in texts:
            _assert_same(text, lang)
        terms += sum(len(prose_term_counts(t, lang)) for t in texts)
    assert terms > 10_000


def test_the_bench_corpus_counts_as_its_token_stream() -> None:
    from bench.corpus import Corpus

    corpus = Corpus(6, 20, seed=3)
    for feed in range(corpus.feeds):
        for item in corpus.feed_items(feed):
            for lang in ("en", "de", None):
                _assert_same(item.title, lang)
                _assert_same(item.text, lang)


# characters where tokens begin, join, end or change meaning: thousands separators written
# with (narrow) no-break spaces, decimal commas, joiners, c++/c#, camelCase, umlauts, final
# sigma, Arabic/Persian variants and digits, combining marks, odd whitespace (str.split cuts
# at \x1c-\x1f and \x85), the value separator of names
_ALPHABET = "aZé9 0.,'’-_\u200c+#|\n\t\u00a0\u202f\u2009\x1c\x85ÄöüßΣσςΟΔёЁкك ي١۲\u0301\u064eİı"


# pieces that tokenise in special ways, to be run together with the characters above
_PIECES = (
    "185\u00a0000", "1\u202f234,5", "1,5", "1.234,56,7", "12,5a", "3.14", "v2.4.1",
    "python3.12", "e-mail", "don't", "C++", "c#", "getElementById", "night_owl_42",
    "Mosul's", "ΟΔΟΣ", "Müller", "mail.example.org", "کتاب\u200cها", "ك١٢", " | ",
)  # fmt: skip
_TEXT = st.lists(
    st.one_of(st.sampled_from(_PIECES), st.text(alphabet=_ALPHABET, max_size=8)), max_size=12
).map("".join)


@settings(max_examples=800, deadline=None)
@given(_TEXT, st.sampled_from(LANGUAGES))
def test_generated_text_counts_as_its_token_stream(text: str, lang: str | None) -> None:
    _assert_same(text, lang)
    _assert_same(VALUE_SEPARATOR.join([text, text[::-1]]), lang)


def test_words_met_again_come_from_the_tables_and_stay_right(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A full table is emptied, not grown, and what is counted after that is still right."""
    monkeypatch.setattr(analysis, "_COUNT_LIMIT", 5)
    text = "Die Straße, die Straßen; 185\u00a0000 Euro. e-mail don't C++ getElementById " * 3
    for _ in range(3):
        _assert_same(text, "de")
        _assert_same(text.replace("\u00a0", " "), "de")
    assert analysis._count_entries <= 5 + len(set(text.split()))
