"""Issue 13: a query word written with joiners or in camelCase (a domain, a module path, a
version, an identifier) also finds a longer token that holds it as a run of parts: the index
keeps "mail.example.org" whole and as mail, example, org, so `example.org` must match the
run "example", "org" inside that one token, and not the same words apart."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from newsreader.index.models import IndexDoc
from newsreader.index.search.index import SearchIndex


def _doc(id: str, title: str, body: str, author: str = "") -> IndexDoc:
    return IndexDoc(
        id=id,
        feed_id=1,
        feed="Ops Weekly",
        title=title,
        body=body,
        author=author,
        link="",
        tags=(),
        published=datetime(2025, 3, 1, tzinfo=UTC),
        bookmarked=False,
        read=False,
        language="en",
    )


DOCS = [
    _doc("mail", "Outage", "Users of mail.example.org could not send mail on Friday."),
    _doc("apart", "Org charts", "An example: the org chart of a small firm."),
    _doc("dom", "DOM tips", "Call document.getElementById to find one element."),
    _doc("dom2", "Element of surprise", "One element by one, the id of each was read."),
    _doc("py", "Release notes", "Since python-3.12 an f-string may nest quotes."),
    _doc("chapter", "Chapter notes", "See chapter 3. 12 people wrote it."),
    _doc("retry", "Config", "Set config.MAX_RETRY_COUNT to five."),
    _doc("exam", "Exams", "The retry count has a max of three."),
    _doc("byline", "Column", "No dotted words here.", author="ops.team.example"),
]


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchIndex]:
    idx = SearchIndex.open(tmp_path_factory.mktemp("dotted") / "index")
    idx.write(DOCS)
    yield idx
    idx.close()


def found(index: SearchIndex, q: str) -> set[str]:
    return {h.id for h in index.search(q, limit=50).hits}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("example.org", {"mail"}),  # a domain inside a longer domain
        ("example.org friday", {"mail"}),
        ("ElementById", {"dom"}),  # camelCase typed in its case
        ("3.12", {"py"}),  # a version inside a name
        ("python 3.12", {"py"}),
        ("retry_count", {"retry"}),  # an identifier inside a dotted path
        ("team.example", {"byline"}),  # in a name field (the author)
    ],
)
def test_a_joined_word_finds_the_run_of_its_parts_in_one_token(
    index: SearchIndex, query: str, expected: set[str]
) -> None:
    assert found(index, query) == expected
    assert index.count(query) == len(expected)


def test_the_same_words_apart_do_not_match(index: SearchIndex) -> None:
    # "example" and "org", "element by id", "3. 12", "retry count ... max" are all in other
    # articles, as separate words: not the token the query names
    assert "apart" not in found(index, "example.org")
    assert "dom2" not in found(index, "ElementById")
    assert "chapter" not in found(index, "3.12")
    assert "exam" not in found(index, "MAX_RETRY_COUNT")


def test_operators_and_exact_totals_keep_working(index: SearchIndex) -> None:
    assert found(index, "example.org OR chapter") == {"mail", "chapter"}
    assert "mail" not in found(index, "friday NOT example.org")
    res = index.search("example.org", limit=10, exact_total=True)
    assert res.total == 1


def test_the_run_is_highlighted_inside_the_token(index: SearchIndex) -> None:
    hit = index.search("example.org", limit=1).hits[0]
    assert [hit.snippet[s:e] for s, e in hit.highlights] == ["example.org"]
    hit = index.search("retry_count", limit=1).hits[0]
    assert [hit.snippet[s:e] for s, e in hit.highlights] == ["RETRY_COUNT"]
