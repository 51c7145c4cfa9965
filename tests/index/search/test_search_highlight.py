"""Matching words and cutting snippets: plain text plus offsets, never markup."""

from __future__ import annotations

import re
import sys

from hypothesis import given
from hypothesis import strategies as st
from newsreader.index.search.analysis import index_form
from newsreader.index.search.highlight import (
    _UNTIDY_SPACE_RE,
    is_untidy,
    match_spans,
    snippet,
)
from newsreader.index.search.schema import NAMES, PROSE


def marked(text: str, spans: list[tuple[int, int]]) -> list[str]:
    return [text[s:e] for s, e in spans]


def test_matches_stems_case_and_accents() -> None:
    text = "Elections in ZÜRICH: the elected Café owners voted; Zurich's cafés closed."
    assert marked(text, match_spans(text, ["elect"])) == ["Elections", "elected"]
    assert marked(text, match_spans(text, ["zurich"])) == ["ZÜRICH", "Zurich"]
    assert marked(text, match_spans(text, ["cafe"])) == ["Café", "cafés"]


def test_prefix_terms_match_word_starts_only() -> None:
    text = "Mosul, mosque and a promise; Mos Def."
    assert marked(text, match_spans(text, ["mos*"])) == ["Mosul", "mosque", "Mos"]


def test_no_match_inside_words_but_in_the_parts_of_dotted_words() -> None:
    text = "Unelected officials in the U.S.elect office"
    # the index holds "elect" as a part of "U.S.elect" (issue 13), so it is marked; never
    # the inside of "Unelected"
    assert marked(text, match_spans(text, ["elect"])) == ["elect"]


def test_empty_terms_match_nothing() -> None:
    assert match_spans("anything at all", []) == []


def test_snippet_centres_on_the_densest_matches() -> None:
    filler = "Nothing happened here for a long while. " * 12
    text = filler + "The ceasefire held. Talks on the ceasefire resume today. " + filler
    spans = match_spans(text, ["ceasefir"])
    snip, offsets = snippet(text, spans, width=120)
    assert marked(snip, offsets) == ["ceasefire", "ceasefire"]
    assert snip.startswith("…") and snip.endswith("…")
    assert len(snip) <= 122


def test_snippet_starts_at_a_sentence_when_close() -> None:
    text = "First sentence is here. " * 20 + "Second one names Mosul early. " + "Tail. " * 40
    snip, offsets = snippet(text, match_spans(text, ["mosul"]), width=100)
    assert snip.startswith("…Second one names Mosul")
    assert marked(snip, offsets) == ["Mosul"]


def test_snippet_flattens_paragraphs_and_keeps_offsets_right() -> None:
    text = "Opening line.\n\n  Mosul\tmarket\n\nreopens   today in Mosul."
    snip, offsets = snippet(text, match_spans(text, ["mosul"]))
    assert snip == "Opening line. Mosul market reopens today in Mosul."
    assert marked(snip, offsets) == ["Mosul", "Mosul"]


def test_snippet_without_matches_is_the_opening() -> None:
    text = "word " * 200
    snip, offsets = snippet(text, [])
    assert offsets == [] and snip.startswith("word word") and snip.endswith("…")
    assert snippet("", []) == ("", [])


@given(
    st.lists(
        st.sampled_from(["Mosul", "mosul's", "the", "café", "\n\n", " ", "x.y", "…"]), max_size=120
    ),
    st.integers(min_value=20, max_value=300),
)
def test_offsets_always_point_at_matching_words(words: list[str], width: int) -> None:
    text = " ".join(words)
    snip, offsets = snippet(text, match_spans(text, ["mosul", "cafe"]), width=width)
    for s, e in offsets:
        assert index_form(snip[s:e]) in ("mosul", "cafe")


def test_analysers_agree_with_index_form() -> None:
    # stop words are kept (issue 13); "Mosul's" gives its joined form's stem and its part
    assert [t for t, _ in PROSE.terms("The Mosul's elections, in Zürich")] == [
        "the",
        "mosul",
        "elect",
        "in",
        "zurich",
        "zuerich",  # a word with an umlaut is also indexed with ae/oe/ue
    ]
    # a hyphenated name is whole (joined) and its parts, at one position
    assert NAMES.terms("Bashar al-Assad | Assad") == [
        ("bashar", 0),
        ("alassad", 1),
        ("al", 1),
        ("assad", 1),
        ("assad", 12),  # a gap between two names
    ]
    assert index_form("Elections") == "elect" and index_form("the") == "the"


def test_untidy_is_decided_in_c_as_the_regex_would() -> None:
    # the fact ``is_untidy`` rests on: the regex's whitespace is str.isspace's, and every
    # whitespace character but the ASCII space is unprintable
    for cp in range(sys.maxunicode + 1):
        ch = chr(cp)
        assert bool(re.match(r"\s", ch)) == ch.isspace(), hex(cp)
        assert not (ch.isspace() and ch != " " and ch.isprintable()), hex(cp)


@given(st.text(alphabet=st.sampled_from("ab \n\t\u00a0\u200c\u00ad\u2028.é"), max_size=40))
def test_untidy_agrees_with_the_regex(text: str) -> None:
    assert is_untidy(text) == bool(_UNTIDY_SPACE_RE.search(text))
