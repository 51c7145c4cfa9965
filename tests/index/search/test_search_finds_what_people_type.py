"""Issue 13: what people type finds what they mean — stop words, numbers, identifiers,
inflections in each article's language, folding, typos, and the smaller cases."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from newsreader.index.library import Library
from newsreader.index.models import IndexDoc, SearchResults
from newsreader.index.search.index import SearchIndex

START = datetime(2024, 1, 10, tzinfo=UTC)


def _doc(id: str, title: str, body: str, lang: str | None = "en", **extra: object) -> IndexDoc:
    n = int.from_bytes(id.encode()[:4].ljust(4, b"\0"), "big") % 500
    fields: dict[str, object] = {
        "feed_id": 1,
        "feed": "Morning Wire",
        "author": "",
        "link": f"https://example.org/{id}",
        "tags": (),
        "published": START + timedelta(hours=n),
        "bookmarked": False,
        "read": False,
        "language": lang,
    }
    fields.update(extra)
    return IndexDoc(id=id, title=title, body=body, **fields)  # type: ignore[arg-type]


DOCS = [
    _doc("who", "The Who", "A rock band from London played its last concert at the stadium."),
    _doc("boe", "Bank of England raises rates", "The central bank raised its main rate."),
    _doc("bank", "England cricket bank holiday", "Crowds at Lord's for the bank holiday match."),
    _doc("troops", "US troops leave the base", "The soldiers left on Monday."),
    _doc(
        "dragon",
        "House of the Dragon returns",
        "The series about a house of the dragon riders starts its second season.",
    ),
    _doc("dragon2", "Dragon house on the hill", "A house shaped like a dragon was sold."),
    _doc("apple", "Apple results", "Apple sold more phones than last year."),
    _doc("people", "Floods", "More than 185,000 people left their homes after the rains."),
    _doc("dach", "Dachbau", "Die Firma baut 4.500 Dächer im Jahr.", "de"),
    _doc("pi", "Pi day", "Mathematicians celebrate 3.14 every March."),
    _doc("js", "DOM tips", "Call document.getElementById to find one element quickly."),
    _doc("mail", "Mail server", "The mail.example.org server was down for an hour."),
    _doc("owl", "Handle", "Follow @night_owl_42 and the parseFeedUrl helper for updates."),
    _doc("semver", "Tool release", "The tool v2.4.1 fixes the crash."),
    _doc("email", "Email etiquette", "Write a short e-mail, use wi-fi and don't panic."),
    _doc("startup", "A start-up story", "The startup raised money for wifi routers."),
    _doc("cpp", "C++ turns forty", "The C++ language added modules."),
    _doc("csharp", "C# news", "A new C# compiler shipped."),
    _doc("clang", "C is old", "The C language is still everywhere."),
    _doc("tesla3", "Tesla Model 3 refresh", "The Model 3 gets a new bumper."),
    _doc("tesla5", "Model rocket", "A model of 5 rockets was shown."),
    _doc("iphonex", "iPhone X battery", "Owners of the iPhone X report issues."),
    _doc("run", "Running a marathon", "She was running every morning."),
    _doc("crypt", "Encrypted chats", "The app encrypted every message."),
    _doc("uber", "Uber drivers strike", "Uber drivers stopped work in the city."),
    _doc("ueber", "Über den Wolken", "Ein Lied über die Freiheit über den Wolken.", "de"),
    _doc("strom", "Ausbau des Stromnetzes", "Der Ausbau des Stromnetzes kostet Milliarden.", "de"),
    _doc("zug", "Neue Wasserstoffzüge", "Die Wasserstoffzüge fahren ab Mai.", "de"),
    _doc("bahn", "Die Bahn will sparen", "Die Bahn will bei den Zügen sparen.", "de"),
    _doc("strasse", "Straße gesperrt", "Die Hauptstraße ist gesperrt.", "de"),
    _doc("mueller", "Interview", "Thomas Müller spricht über das Spiel.", "de"),
    _doc("news", "Новостей много", "Сегодня много новостей о погоде.", "ru"),
    _doc("yolka", "Ёлка на площади", "На площади поставили ёлку.", "ru"),
    _doc("kitab", "کتاب‌های تازه", "نمایشگاه كتاب در تهران باز شد.", "fa"),
    _doc("museum", "Museum reopens", "The museum in Mosul reopened its doors."),
    _doc("coop", "Co-op game night", "A co-op game for four players."),
    _doc(
        "tagged",
        "Summit",
        "Leaders met.",
        tags=("World politics",),
        person=("Bashar al-Assad",),
    ),
    _doc("dated", "Late train", "The train was late.", published=datetime(2024, 1, 31, tzinfo=UTC)),
    _doc("wirefeed", "Weather", "Sunny all week.", feed="Coast Weekly", feed_id=2),
]


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchIndex]:
    idx = SearchIndex.open(tmp_path_factory.mktemp("issue13") / "index")
    idx.write(DOCS)
    yield idx
    idx.close()


def ids(res: SearchResults) -> list[str]:
    return [h.id for h in res.hits]


def top(index: SearchIndex, q: str, n: int = 3) -> list[str]:
    return ids(index.search(q, limit=n))


def found(index: SearchIndex, q: str) -> set[str]:
    return set(ids(index.search(q, limit=100)))


# -- stop words -------------------------------------------------------------------------------


def test_stop_words_are_optional_and_rank_what_has_them(index: SearchIndex) -> None:
    assert top(index, "bank of england", 1) == ["boe"]
    assert {"boe", "bank"} <= found(index, "bank of england")  # "of" never removes a hit
    assert top(index, "us troops", 1) == ["troops"]
    assert top(index, "die bahn will sparen", 1) == ["bahn"]


def test_a_query_of_stop_words_alone_finds_its_title(index: SearchIndex) -> None:
    assert top(index, "The Who", 1) == ["who"]
    assert top(index, "the who", 1) == ["who"]


def test_optional_stop_words_are_not_marked_needed_ones_are(index: SearchIndex) -> None:
    def marked(q: str) -> set[str]:
        hit = index.search(q, limit=1).hits[0]
        title = hit.title
        return {title[s:e].lower() for s, e in hit.title_highlights} | {
            hit.snippet[s:e].lower() for s, e in hit.highlights
        }

    assert marked("bank of england") == {"bank", "england"}  # "of" only ranks
    assert "of" not in index.search("bank of england").terms
    assert marked("the who") == {"the", "who"}  # all it has: needed
    assert {"house", "of", "the", "dragon"} <= marked('"house of the dragon"')


def test_quoted_phrases_keep_their_stop_words_exact(index: SearchIndex) -> None:
    assert found(index, '"house of the dragon"') == {"dragon"}
    assert found(index, '"house dragon"') == set()


def test_a_dangling_operator_does_not_empty_the_results(index: SearchIndex) -> None:
    res = index.search("apple OR")
    assert ids(res) == ["apple"] and res.warnings
    assert ids(index.search("AND apple")) == ["apple"]


# -- the tokeniser ------------------------------------------------------------------------------


def test_numbers_across_thousands_separators_decimals_stay(index: SearchIndex) -> None:
    for q in ("185000", "185,000", "185.000"):
        assert found(index, q) == {"people"}, q
    assert found(index, "4500") == {"dach"}
    assert found(index, "3.14") == {"pi"}
    assert found(index, "314") == set()


def test_identifiers_are_found_whole_and_by_their_parts(index: SearchIndex) -> None:
    for q in ("getelementbyid", "getElementById", "document", "element"):
        assert "js" in found(index, q), q
    assert found(index, "document.getElementById") == {"js"}
    for q in ("example", "mail.example.org"):
        assert "mail" in found(index, q), q
    for q in ("night_owl_42", "owl", "parseFeedUrl", "feed url"):
        assert "owl" in found(index, q), q


def test_a_version_written_after_letters_is_found_by_its_number(index: SearchIndex) -> None:
    assert found(index, "2.4.1") == {"semver"}
    assert found(index, "v2.4.1") == {"semver"}
    hit = index.search("2.4.1").hits[0]
    assert [hit.snippet[a:b] for a, b in hit.highlights] == ["2.4.1"]


def test_hyphens_and_apostrophes_meet_the_joined_word(index: SearchIndex) -> None:
    assert found(index, "email") >= {"email"} and "email" in found(index, "e-mail")
    assert "email" in found(index, "wifi") and "startup" in found(index, "wi-fi")
    assert "email" in found(index, "dont")
    assert {"startup"} <= found(index, "startup") and "startup" in found(index, "start-up")


def test_single_letters_and_digits_carry_meaning(index: SearchIndex) -> None:
    assert found(index, "c++") == {"cpp"}
    assert found(index, "c#") == {"csharp"}
    assert found(index, "model 3") == {"tesla3"}
    assert found(index, "iphone x") == {"iphonex"}


# -- stems and folding ----------------------------------------------------------------------------


def test_english_snowball_stems(index: SearchIndex) -> None:
    assert "run" in found(index, "runs")
    assert "crypt" in found(index, "encryption")


def test_german_and_russian_inflections_by_the_articles_language(index: SearchIndex) -> None:
    assert found(index, "stromnetz") == {"strom"}
    assert found(index, "wasserstoffzug") == {"zug"}
    assert found(index, "новость") == {"news"}
    assert found(index, "новости") == {"news"}


def test_folding_sharp_s_yo_umlauts_and_persian_letters(index: SearchIndex) -> None:
    assert "strasse" in found(index, "strasse") and "strasse" in found(index, "Straße")
    for q in ("müller", "mueller", "muller"):
        assert "mueller" in found(index, q), q
    assert found(index, "елка") == {"yolka"} and found(index, "ёлка") == {"yolka"}
    # the body writes the Arabic kaf (ك); the query the Persian one (ک), and the other way
    assert "kitab" in found(index, "کتاب") and "kitab" in found(index, "كتاب")


def test_exact_forms_rank_above_folded_ones(index: SearchIndex) -> None:
    assert top(index, "uber", 2) == ["uber", "ueber"]
    assert top(index, "über", 2) == ["ueber", "uber"]


# -- did you mean ----------------------------------------------------------------------------------


def test_zero_hits_and_a_confident_correction_show_the_corrections_results(
    index: SearchIndex,
) -> None:
    res = index.search("musem")
    assert res.corrected == "museum" and ids(res) == ["museum"]
    assert res.correction_notice == "showing results for museum; search for musem instead"
    assert res.query == "musem"


def test_a_correction_does_not_carry_an_ignored_operator(index: SearchIndex) -> None:
    # the dangling OR is ignored (a warning says so): the corrected query shown is without it
    index.search("musem")  # the same query once the OR is dropped: not its cached results
    res = index.search("musem OR")
    assert res.corrected == "museum" and ids(res) == ["museum"]
    assert res.warnings == ["ignored OR with nothing after it"]
    assert res.correction_notice == "showing results for museum; search for musem OR instead"
    assert index.search("AND musem").corrected == "museum"


def test_no_suggestion_when_the_query_found_something(index: SearchIndex) -> None:
    res = index.search("museum")
    assert res.suggestion is None and res.corrected is None


def test_words_with_hyphens_are_not_looked_up_whole(index: SearchIndex) -> None:
    res = index.search("co-op game")
    assert ids(res) == ["coop"] and res.suggestion is None


# -- the smaller points of issue 13 §6 ------------------------------------------------------------


def test_a_pasted_url_is_searched_not_read_as_a_field(index: SearchIndex) -> None:
    res = index.search("https://mail.example.org/")
    assert res.warnings == [] and "mail" in ids(res)


def test_a_feeds_name_does_not_inflate_totals(index: SearchIndex) -> None:
    assert index.search("wire").total == 0  # only in the feed name "Morning Wire"
    assert index.search("feed:wire").total == len(DOCS) - 1
    assert ids(index.search("weather coast", limit=5)) == []  # coast only in the feed name
    # a feed-name word still ranks the feed's articles among real matches
    assert index.search("weather").total == 1


def test_tag_words_and_empty_fields(index: SearchIndex) -> None:
    assert found(index, "tag:politics") == {"tagged"}
    assert found(index, 'tag:"world politics"') == {"tagged"}
    res = index.search("person: summit")
    assert ids(res) == ["tagged"] and any("person:" in w for w in res.warnings)
    assert found(index, "person:assad") == {"tagged"}


def test_a_date_with_a_time(index: SearchIndex) -> None:
    res = index.search("published:2024-01-31T00:00 train")
    assert res.warnings == [] and ids(res) == ["dated"]


# -- the schema version ---------------------------------------------------------------------------


def test_a_library_with_the_old_index_layout_is_rebuilt_once_and_told(tmp_path: Path) -> None:
    lib = Library.open(tmp_path / "data")
    try:
        lib.sync_index()
        index_dir = lib.paths.index_dir
    finally:
        lib.close()
    (index_dir / "newsreader-schema").write_text("4\n")
    again = Library.open(tmp_path / "data")
    try:
        _ = again.index
        assert any("rebuilt" in n for n in again.notices), again.notices
        assert (index_dir / "newsreader-schema").read_text().strip() != "4"
    finally:
        again.close()
    third = Library.open(tmp_path / "data")
    try:
        _ = third.index
        assert not any("rebuilt" in n for n in third.notices)
    finally:
        third.close()
