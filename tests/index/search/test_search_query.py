"""Query text is untrusted: malformed queries run their best reading and say what was ignored."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from newsreader.index.search.dates import date_span
from newsreader.index.search.index import SearchIndex
from newsreader.index.search.query import parse, repair
from newsreader.index.search.schema import make_schema
from search_corpus import search_corpus


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchIndex]:
    idx = SearchIndex.open(tmp_path_factory.mktemp("query") / "index")
    idx.write(search_corpus())
    yield idx
    idx.close()


def hits(index: SearchIndex, query: str) -> set[str]:
    return {h.id for h in index.search(query, limit=50).hits}


def test_unbalanced_quote_is_dropped_with_a_warning(index: SearchIndex) -> None:
    res = index.search('"western mosul')
    assert res.warnings == ['ignored an unmatched "']
    assert {h.id for h in res.hits} == {"mosul-offensive"}


def test_unbalanced_parentheses(index: SearchIndex) -> None:
    res = index.search("(kurdish OR geneva")
    assert res.warnings == ["ignored an unmatched '('"]
    assert {h.id for h in res.hits} == {"kurdish-fighters", "syria-talks"}
    res = index.search("kurdish) village")
    assert res.warnings == ["ignored an unmatched ')'"]
    assert {h.id for h in res.hits} == {"kurdish-fighters"}


def test_unclosed_range_bracket_reads_the_date(index: SearchIndex) -> None:
    res = index.search("published:[2024-09-03")
    assert res.warnings == ["ignored an unmatched '['"]
    assert {h.id for h in res.hits} == {"mosul-offensive"}


def test_unknown_field_is_searched_as_words(index: SearchIndex) -> None:
    res = index.search("colour:crater")
    assert res.warnings == ["unknown field colour: searched as a word"]
    assert res.total == 0  # "colour" is in no article
    res = index.search("lunar:crater")
    assert {h.id for h in res.hits} == {"lunar-lander", "lunar-lander-copy", "lunar-rover"}


def test_bad_date_is_ignored_and_the_rest_runs(index: SearchIndex) -> None:
    res = index.search("crater published:someday")
    assert res.warnings == ["ignored a date it could not read: 'someday'"]
    assert res.total == 3
    res = index.search("crater published:[2024-13-45 to 2024-12-01]")
    assert len(res.warnings) == 1 and res.total == 3


def test_unknown_is_value(index: SearchIndex) -> None:
    assert index.search("crater is:starred").warnings == []  # another name for bookmarked
    res = index.search("crater is:nonsense")
    assert res.warnings == ["ignored is:nonsense (is: takes bookmarked, read, unread)"]
    assert res.total == 3


def test_field_names_inside_phrases_are_words(index: SearchIndex) -> None:
    res = index.search('"title: crater"')
    assert res.warnings == []


def test_operator_only_and_symbol_only_queries(index: SearchIndex) -> None:
    for q in ("AND", "OR OR", "NOT", "()", "[]", "*", "~", "-", '"', "::", "^2", "title:"):
        res = index.search(q)  # must not raise
        assert isinstance(res.total, int)


def test_stop_words_only() -> None:
    parsed = parse("the of and", make_schema())
    assert parsed.query is not None


def test_control_characters_and_long_queries(index: SearchIndex) -> None:
    assert hits(index, "crater\x1b[31m") == hits(index, "crater [31m")
    res = index.search("crater " * 400)
    assert res.warnings == ["query cut to its first 1000 characters"]
    assert res.total == 3


def test_repair_keeps_good_queries_as_they_are() -> None:
    for q in ('title:mosul "prime minister" (a OR b) -c', "published:[2024-01 to 2024-03]"):
        text, warnings = repair(q)
        assert warnings == []
        assert text.replace("NOT ", "-") == q


def test_is_values_become_flag_fields() -> None:
    assert repair("is:unread is:bookmarked is:read")[0] == ("read:false bookmarked:true read:true")


query_text = st.lists(
    st.sampled_from(
        [
            *"abcémo \"()[]{}:*~-+^!?\\/'.,",
            *("AND", "OR", "NOT", " to ", "title:", "published:", "is:", "crater", "2024-09"),
        ]
    ),
    max_size=20,
).map("".join)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query_text)
def test_no_query_text_raises(index: SearchIndex, text: str) -> None:
    res = index.search(text, limit=5, facets=True)
    assert res.total >= len(res.hits)
    for h in res.hits:
        for s, e in h.highlights:
            assert 0 <= s < e <= len(h.snippet)


# -- date expressions -----------------------------------------------------------------------------

NOW = datetime(2026, 3, 18, 15, 30)  # a Wednesday


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2024", datetime(2024, 1, 1), datetime(2024, 12, 31, 23, 59, 59, 999999)),
        ("2024-09", datetime(2024, 9, 1), datetime(2024, 9, 30, 23, 59, 59, 999999)),
        ("2024-02-29", datetime(2024, 2, 29), datetime(2024, 2, 29, 23, 59, 59, 999999)),
        ("20240901", datetime(2024, 9, 1), datetime(2024, 9, 1, 23, 59, 59, 999999)),
        (
            "2024-09-01T10:15",
            datetime(2024, 9, 1, 10, 15),
            datetime(2024, 9, 1, 10, 15, 59, 999999),
        ),
        ("today", datetime(2026, 3, 18), datetime(2026, 3, 18, 23, 59, 59, 999999)),
        ("yesterday", datetime(2026, 3, 17), datetime(2026, 3, 17, 23, 59, 59, 999999)),
        ("now", NOW, NOW),
        ("last week", datetime(2026, 3, 9), datetime(2026, 3, 15, 23, 59, 59, 999999)),
        ("this month", datetime(2026, 3, 1), datetime(2026, 3, 31, 23, 59, 59, 999999)),
        ("last month", datetime(2026, 2, 1), datetime(2026, 2, 28, 23, 59, 59, 999999)),
        ("last year", datetime(2025, 1, 1), datetime(2025, 12, 31, 23, 59, 59, 999999)),
        ("3 days ago", datetime(2026, 3, 15, 15, 30), datetime(2026, 3, 15, 15, 30)),
        ("-2w", datetime(2026, 3, 4, 15, 30), datetime(2026, 3, 4, 15, 30)),
        ("past 10 days", datetime(2026, 3, 8, 15, 30), NOW),
        ("monday", datetime(2026, 3, 16), datetime(2026, 3, 16, 23, 59, 59, 999999)),
        ("last wednesday", datetime(2026, 3, 11), datetime(2026, 3, 11, 23, 59, 59, 999999)),
        ("sep 2024", datetime(2024, 9, 1), datetime(2024, 9, 30, 23, 59, 59, 999999)),
        ("september", datetime(2025, 9, 1), datetime(2025, 9, 30, 23, 59, 59, 999999)),
        ("5 march 2024", datetime(2024, 3, 5), datetime(2024, 3, 5, 23, 59, 59, 999999)),
    ],
)
def test_date_span(text: str, start: datetime, end: datetime) -> None:
    assert date_span(text, NOW) == (start, end)


@pytest.mark.parametrize("text", ["", "someday", "2024-13", "2024-02-30", "last fortnight", "12"])
def test_date_span_rejects(text: str) -> None:
    assert date_span(text, NOW) is None


def test_dates_are_read_at_parse_time(tmp_path: Path) -> None:
    # "now" moves: the parser takes the time it is given
    a = parse("published:today", make_schema(), now=datetime(2026, 1, 1, 12))
    b = parse("published:today", make_schema(), now=datetime(2026, 1, 2, 12))
    assert a.query != b.query


@pytest.mark.parametrize("text", ["-AND a", "NOT OR crater", "AND", "(OR)"])
def test_a_lone_operator_is_read_as_a_word_not_a_crash(index: SearchIndex, text: str) -> None:
    res = index.search(text, limit=5)
    assert res.total >= len(res.hits)
