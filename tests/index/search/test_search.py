"""The search index on a small hand-written corpus: query language, ranking, results."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from newsreader.index.errors import SearchIndexError, StoreError
from newsreader.index.models import IndexDoc, SearchResults
from newsreader.index.search.analysis import index_form
from newsreader.index.search.index import SearchIndex
from search_corpus import search_corpus


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchIndex]:
    """One index for the read-only tests (building it is the slow part)."""
    idx = SearchIndex.open(tmp_path_factory.mktemp("search") / "index")
    idx.write(search_corpus())
    yield idx
    idx.close()


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[SearchIndex]:
    """A private index for tests that change it."""
    idx = SearchIndex.open(tmp_path / "index")
    idx.write(search_corpus())
    yield idx
    idx.close()


def ids(res: SearchResults) -> list[str]:
    return [h.id for h in res.hits]


def found(index: SearchIndex, query: str, **kw: object) -> set[str]:
    res = index.search(query, limit=50, **kw)
    assert res.warnings == [], res.warnings
    return set(ids(res))


# -- opening and writing ------------------------------------------------------------------------


def test_open_creates_then_reopens(tmp_path: Path) -> None:
    idx = SearchIndex.open(tmp_path / "ix")
    assert idx.is_new() and idx.doc_count() == 0
    assert idx.write(search_corpus()) == len(search_corpus())
    idx.close()
    again = SearchIndex.open(tmp_path / "ix")
    assert not again.is_new()
    assert again.doc_count() == len(search_corpus())
    assert ids(again.search("kurdish")) == ["kurdish-fighters"]
    again.close()


def test_corrupt_index_raises_index_error(tmp_path: Path) -> None:
    idx = SearchIndex.open(tmp_path / "ix")
    idx.write(search_corpus()[:3])
    idx.close()
    for f in (tmp_path / "ix").glob("*.toc"):
        f.write_bytes(b"not a table of contents")
    with pytest.raises(SearchIndexError) as err:
        SearchIndex.open(tmp_path / "ix")
    assert "\n" not in str(err.value)


def test_index_from_an_older_layout_is_refused(tmp_path: Path) -> None:
    SearchIndex.open(tmp_path / "ix").close()
    (tmp_path / "ix" / "newsreader-schema").write_text("0\n")
    with pytest.raises(SearchIndexError, match="old layout"):
        SearchIndex.open(tmp_path / "ix")


def test_write_replaces_by_id_and_deletes(fresh: SearchIndex) -> None:
    n = fresh.doc_count()
    doc = next(d for d in search_corpus() if d.id == "budget")
    assert fresh.write([replace(doc, body="Parliament passed the spending plan.")]) == 1
    assert fresh.doc_count() == n
    assert found(fresh, "deficit") == set()
    assert found(fresh, "spending") == {"budget"}
    fresh.write([], delete_ids=["kurdish-fighters", "no-such-id"])
    assert fresh.doc_count() == n - 1
    assert found(fresh, "kurdish") == set()


def test_a_failing_source_leaves_the_index_as_it_was(fresh: SearchIndex) -> None:
    n = fresh.doc_count()

    def docs() -> Iterator[IndexDoc]:
        yield replace(search_corpus()[0], id="new-one")
        raise StoreError("the store went away")

    with pytest.raises(StoreError):
        fresh.write(docs())
    assert fresh.doc_count() == n
    assert fresh.write([replace(search_corpus()[0], id="new-one")]) == 1  # not locked
    assert fresh.doc_count() == n + 1


def test_rebuild_empties_first(fresh: SearchIndex) -> None:
    docs = [d for d in search_corpus() if d.id.startswith("lunar")]
    assert fresh.rebuild(docs) == 3
    assert fresh.doc_count() == 3
    assert found(fresh, "mosul") == set()
    assert found(fresh, "crater") == {"lunar-lander", "lunar-lander-copy", "lunar-rover"}


def test_flags_follow_rewrites(fresh: SearchIndex) -> None:
    doc = next(d for d in search_corpus() if d.id == "chile-election")
    fresh.write([replace(doc, bookmarked=True, read=True)])
    assert "chile-election" in found(fresh, "is:bookmarked")
    assert "chile-election" not in found(fresh, "is:unread")


# -- words, stems, accents ----------------------------------------------------------------------


def test_stems_and_possessives(index: SearchIndex) -> None:
    assert found(index, "Mosul's") == found(index, "mosul")
    assert {"mosul-offensive", "coffee-prices"} <= found(index, "mosul")
    assert "chile-election" in found(index, "election")  # "elections" in the body
    assert "chile-election" in found(index, "elected")


def test_accents_fold_both_ways(index: SearchIndex) -> None:
    assert found(index, "cafe") == found(index, "café") == {"zurich-cafe"}
    assert found(index, "zurich") == {"zurich-cafe"}
    assert found(index, "ZÜRICH") == {"zurich-cafe"}


def test_plain_words_search_title_body_author_and_feed(index: SearchIndex) -> None:
    assert "kurdish-fighters" not in found(index, "mosul")  # only in its place field
    assert found(index, "roe") == {"mosul-offensive"}  # author
    # a feed's name counts only when asked for: it does not make every article of the feed
    # a hit for each word of its name (issue 13)
    assert "coffee-prices" not in found(index, "market report")
    assert "coffee-prices" in found(index, 'feed:"market report"')
    assert "zurich-cafe" in found(index, "limmat")  # title and body


# -- operators ----------------------------------------------------------------------------------


def test_words_are_anded_by_default(index: SearchIndex) -> None:
    assert found(index, "mosul coffee") == {"coffee-prices"}


def test_or(index: SearchIndex) -> None:
    assert found(index, "kurdish OR geneva") == {"kurdish-fighters", "syria-talks"}


def test_not_and_minus(index: SearchIndex) -> None:
    with_mosul = found(index, "mosul")
    assert found(index, "mosul NOT coffee") == with_mosul - {"coffee-prices"}
    assert found(index, "mosul -coffee") == with_mosul - {"coffee-prices"}
    everything = {d.id for d in search_corpus()}
    assert found(index, "-mosul") == everything - with_mosul


def test_hyphenated_words_are_not_negations(index: SearchIndex) -> None:
    assert "syria-talks" in found(index, "al-Assad")


def test_parentheses_group(index: SearchIndex) -> None:
    assert found(index, "(kurdish OR coffee) mosul") == {"kurdish-fighters", "coffee-prices"} & (
        found(index, "mosul")
    )
    assert found(index, "lander -(rover OR copy)") == {"lunar-lander", "lunar-lander-copy"}


def test_phrases_need_the_words_in_order(index: SearchIndex) -> None:
    assert found(index, '"prime minister"') >= {"resignation", "mosul-offensive"}
    assert "reshuffle" not in found(index, '"prime minister"')  # "minister ... prime"
    assert "reshuffle" in found(index, "prime minister")
    assert found(index, '"western Mosul"') == {"mosul-offensive"}
    assert found(index, '"Mosul western"') == set()


def test_phrase_total_is_exact_when_asked(index: SearchIndex) -> None:
    res = index.search('"prime minister"', exact_total=True)
    assert res.total == len(res.hits) == len(found(index, '"prime minister"'))
    assert index.count('"prime minister"') == res.total


def test_prefix_including_longer_than_the_stem(index: SearchIndex) -> None:
    assert found(index, "elect*") >= {"chile-election"}
    assert "budget" in found(index, "governm*")  # indexed under the stem "govern"
    assert found(index, "zür*") == {"zurich-cafe"}


def test_fuzzy(index: SearchIndex) -> None:
    assert "budget" in found(index, "goverment~")
    assert found(index, "crator~") >= {"lunar-lander", "lunar-rover"}
    # without ~ nothing matches "crator": the correction's results are shown, and said so
    res = index.search("crator", limit=50)
    assert res.corrected == "crater" and set(ids(res)) == found(index, "crater")


# -- fields -------------------------------------------------------------------------------------


def test_title_field(index: SearchIndex) -> None:
    assert found(index, "title:crater") == {"lunar-rover"}
    assert found(index, "crater") == {"lunar-lander", "lunar-lander-copy", "lunar-rover"}


def test_author_and_feed_fields(index: SearchIndex) -> None:
    assert found(index, "author:nunez") == {"chile-election"}
    assert found(index, "author:Núñez") == {"chile-election"}
    assert found(index, 'feed:"lab notes"') == {
        "lunar-lander",
        "lunar-rover",
        "undated",
    }


def test_tag_field(index: SearchIndex) -> None:
    assert found(index, "tag:iraq") == {"mosul-offensive"}
    assert found(index, "tag:Politics") == {"chile-election", "budget"}
    assert found(index, 'tag:"middle east"') == {"mosul-offensive"}


def test_entity_fields(index: SearchIndex) -> None:
    assert found(index, "person:assad") == {"syria-talks"}
    assert found(index, 'person:"Bashar al-Assad"') == {"syria-talks"}
    assert found(index, "person:abadi") == {"mosul-offensive"}
    assert found(index, 'org:"islamic state"') == {"mosul-offensive"}
    assert found(index, 'org:"state islamic"') == set()
    assert found(index, "place:mosul") == {"mosul-offensive", "kurdish-fighters"}
    assert found(index, "place:zurich") == {"zurich-cafe"}
    assert found(index, "person:zoe") == {"zurich-cafe"}
    assert found(index, "group:kurds") == {"kurdish-fighters"}


def test_entity_phrases_do_not_span_two_names(index: SearchIndex) -> None:
    # the place field holds "Mosul" then "Iraq": no phrase across the two
    assert found(index, 'place:"mosul iraq"') == set()


def test_is_flags(index: SearchIndex) -> None:
    assert found(index, "is:bookmarked") == {"coffee-prices"}
    assert "coffee-prices" in found(index, "is:read")
    unread = found(index, "is:unread")
    assert "coffee-prices" not in unread and "budget" in unread
    assert found(index, "mosul is:unread") == {"mosul-offensive"}
    assert found(index, "mosul is:read") == {"coffee-prices"}


# -- dates --------------------------------------------------------------------------------------


def test_month_day_and_range(index: SearchIndex) -> None:
    assert found(index, "published:2024-09") == {
        "mosul-offensive",
        "chile-election",
        "kurdish-fighters",
    }
    assert found(index, "published:2024-09-03") == {"mosul-offensive"}
    assert found(index, "published:[2024-09-01 to 2024-09-10]") == {
        "mosul-offensive",
        "kurdish-fighters",
    }
    assert found(index, "date:2024-10") == {"coffee-prices"}  # naive datetime, read as UTC


def test_open_ranges(index: SearchIndex) -> None:
    assert found(index, "published:[2024-11-06 to]") >= {"lunar-rover"}
    assert "lunar-lander" not in found(index, "published:[2024-11-06 to]")
    assert found(index, "published:[to 2024-07-31]") == {"reshuffle", "resignation"}


def test_relative_dates(index: SearchIndex) -> None:
    assert found(index, "published:yesterday") == {"syria-talks"}
    assert found(index, "published:[last week to now]") == {"syria-talks", "budget"}
    assert found(index, 'published:"3 days ago"') == set()  # a moment, not a day
    assert found(index, "published:[-10d to now]") == {"syria-talks", "budget"}


def test_dates_combine_with_words(index: SearchIndex) -> None:
    assert found(index, "mosul published:2024-09") == {"mosul-offensive"}
    assert found(index, "place:mosul published:2024-09-05") == {"kurdish-fighters"}


# -- results ------------------------------------------------------------------------------------


def test_title_match_outranks_a_passing_mention(index: SearchIndex) -> None:
    order = ids(index.search("mosul"))
    assert order.index("mosul-offensive") < order.index("coffee-prices")
    order = ids(index.search("coffee"))
    assert order[0] == "coffee-prices"  # title, over the café that mentions coffee once


def test_scores_descend_and_hits_carry_fields(index: SearchIndex) -> None:
    res = index.search("lander")
    scores = [h.score for h in res.hits]
    assert scores == sorted(scores, reverse=True) and scores[0] > 0
    hit = next(h for h in res.hits if h.id == "lunar-rover")
    assert hit.feed == "Lab Notes" and hit.feed_id == 4
    assert hit.link == "https://news.example/lunar-rover"
    assert hit.published == datetime(2024, 11, 8, 6, 0, tzinfo=UTC)


def test_empty_query_lists_everything_newest_first(index: SearchIndex) -> None:
    res = index.search("", limit=100)
    assert res.total == len(search_corpus()) == len(res.hits)
    dated = [h.published for h in res.hits if h.published]
    assert dated == sorted(dated, reverse=True)
    assert res.hits[-1].id == "undated"


def test_sort_by_date(index: SearchIndex) -> None:
    res = index.search("crater", sort="date")
    assert ids(res) == ["lunar-rover", "lunar-lander-copy", "lunar-lander"]
    assert {h.id for h in index.search("crater", sort="relevance").hits} == set(ids(res))


def test_pagination_walks_the_same_order(index: SearchIndex) -> None:
    whole = ids(index.search("the OR said OR crater", limit=50))
    assert len(whole) > 6
    pages = [ids(index.search("the OR said OR crater", limit=3, offset=o)) for o in (0, 3, 6)]
    assert [i for page in pages for i in page] == whole[:9]
    assert index.search("crater", offset=100).hits == []


def test_totals(index: SearchIndex) -> None:
    assert index.search("crater", limit=1).total == 3
    assert index.search("crater is:unread", limit=1).total == 3
    assert index.search("nothingmatchesthis").total == 0
    assert index.count("crater") == 3 and index.count("") == len(search_corpus())


def test_snippet_highlights_point_at_matched_words(index: SearchIndex) -> None:
    for query, stem in (("mosul", "mosul"), ("elections", "elect"), ("cafe", "cafe")):
        for hit in index.search(query).hits:
            assert hit.highlights, (query, hit.id)
            for s, e in hit.highlights:
                assert index_form(hit.snippet[s:e]) == stem, (query, hit.snippet[s:e])
            for s, e in hit.title_highlights:
                assert index_form(hit.title[s:e]) == stem


def test_snippet_is_one_plain_line(index: SearchIndex) -> None:
    hit = index.search("rebuilt").hits[0]
    assert "\n" not in hit.snippet and "  " not in hit.snippet
    assert "rebuilt" in hit.snippet
    assert [hit.snippet[s:e] for s, e in hit.highlights] == ["rebuilt"]


def test_phrase_and_prefix_highlights(index: SearchIndex) -> None:
    hit = index.search('"western Mosul"').hits[0]
    assert {hit.snippet[s:e] for s, e in hit.highlights} == {"western", "Mosul"}
    hit = index.search("zür*").hits[0]
    assert "Zürich" in {hit.snippet[s:e] for s, e in hit.highlights}


def test_terms_are_the_positive_ones(index: SearchIndex) -> None:
    res = index.search('mosul "prime minister" -coffee elect*')
    assert "mosul" in res.terms and "prime" in res.terms and "elect*" in res.terms
    assert "coffe" not in res.terms and "coffee" not in res.terms


def test_facets_by_feed_and_month(index: SearchIndex) -> None:
    res = index.search("mosul", facets=True)
    assert res.facets == {
        "feed": {"World Desk": 1, "Market Report": 1},
        "month": {"2024-10": 1, "2024-09": 1},
    }
    res = index.search("lander", facets=True)
    assert res.facets is not None
    assert res.facets["feed"] == {"Lab Notes": 2, "World Desk": 1}
    assert res.facets["month"] == {"2024-11": 3}
    assert index.search("mosul").facets is None
    everything = index.search("", facets=True)
    assert everything.facets is not None
    assert sum(everything.facets["feed"].values()) == len(search_corpus())
    assert everything.facets["month"]["undated"] == 1


def test_did_you_mean(index: SearchIndex) -> None:
    assert index.search("goverment").suggestion == "government"
    assert index.search("lunar crator").suggestion == "lunar crater"
    assert index.search("crater").suggestion is None
    assert index.search("qqqqzzzz").suggestion is None


def test_related_skips_itself_and_exact_copies(index: SearchIndex) -> None:
    related = [h.id for h in index.related("lunar-lander")]
    assert related[0] == "lunar-rover"
    assert "lunar-lander" not in related and "lunar-lander-copy" not in related
    assert index.related("no-such-article") == []


def test_related_uses_limit(index: SearchIndex) -> None:
    assert len(index.related("mosul-offensive", limit=2)) <= 2


def test_equal_scores_list_newest_first_and_keep_their_order_when_one_is_rewritten(
    tmp_path: Path,
) -> None:
    idx = SearchIndex.open(tmp_path / "ties")
    base = IndexDoc(
        id="",
        feed_id=1,
        feed="Ties",
        title="Quarry lanterns",
        body="Lanterns lit the quarry path at dusk.",
        author="",
        link="",
        tags=(),
        published=None,
        bookmarked=False,
        read=False,
    )
    docs = [
        replace(base, id=f"tie{day:02d}", published=datetime(2026, 3, day, tzinfo=UTC))
        for day in (5, 20, 11, 2, 27)
    ]
    idx.write(docs)
    first = ids(idx.search("quarry lanterns", limit=10, sort="relevance"))
    assert first == ["tie27", "tie20", "tie11", "tie05", "tie02"]
    idx.write([replace(docs[2], read=True)])  # re-indexed: a new document number
    assert ids(idx.search("quarry lanterns", limit=10, sort="relevance")) == first
    idx.close()


def test_a_write_failure_without_a_message_still_says_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    idx = SearchIndex.open(tmp_path / "broken")
    doc = replace(search_corpus()[0], id="assert-fail")
    from whoosh.writing import SegmentWriter

    def fail(self: object, segments: object) -> None:
        raise AssertionError

    monkeypatch.setattr(SegmentWriter, "_commit_toc", fail)
    with pytest.raises(SearchIndexError) as caught:
        idx.write([doc])
    message = str(caught.value)
    assert "AssertionError" in message
    assert "newsreader reindex" in message
    idx.close()
