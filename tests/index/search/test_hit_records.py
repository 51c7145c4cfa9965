"""A hit's fields kept as one record per document (schema 7): what a hit shows comes from
it, a page reads no Whoosh stored dict, and a library indexed before it is rebuilt once, the
user told, with hits that still carry everything."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from newsreader.index.config import Settings
from newsreader.index.entities.extract import ENTITY_VERSION
from newsreader.index.library import Library
from newsreader.index.models import IndexDoc, Mention, ParsedEntry
from newsreader.index.search import _whoosh_codec, hitrecord
from newsreader.index.search import index as index_module
from newsreader.index.search.index import SearchIndex
from newsreader.index.search.schema import SCHEMA_VERSION


def doc(aid: str, title: str, body: str, **kw: object) -> IndexDoc:
    base: dict[str, object] = {
        "id": aid,
        "feed_id": 7,
        "feed": "Harbour Gazette",
        "title": title,
        "body": body,
        "link": f"https://example.org/{aid}",
        "published": datetime(2025, 3, 4, 5, 6, 7, tzinfo=UTC),
        "author": "",
        "tags": (),
        "read": False,
        "bookmarked": False,
    }
    base.update(kw)
    return IndexDoc(**base)  # type: ignore[arg-type]


DOCS = [
    doc(
        "crane",
        "Straße crane repaired in Gdańsk",
        "The harbour crane was repaired overnight. " * 20 + "Workers cheered the E-Mail.",
        person=("Adaeze Okafor",),
        bookmarked=True,
    ),
    doc(
        "okafor",
        "A quiet week at sea",
        "A profile of a pilot, at sea for thirty years, now master of a tug.",
        person=("Adaeze Okafor",),
        read=True,
        published=None,
        feed="Sea Notes",
        feed_id=9,
    ),
    doc("other", "Weather report", "Rain and wind across the coast."),
]


def test_a_record_keeps_every_field_as_written() -> None:
    when = datetime(2025, 3, 4, 5, 6, 7, 891011)
    raw = hitrecord.encode(
        id="a1",
        title="Über «Straße»",
        feed="Новости",
        feed_id=2**40,
        link="",
        published=when,
        lang="de",
        author="Jörg",
        body="Здравствуй, мир. " * 100,
        bookmarked=True,
        read=False,
    )
    rec = hitrecord.decode(raw)
    assert (rec.id, rec.title, rec.feed, rec.feed_id, rec.link) == (
        "a1",
        "Über «Straße»",
        "Новости",
        2**40,
        "",
    )
    assert rec.published == when
    assert rec.published_utc() == when.replace(tzinfo=UTC)
    assert (rec.lang, rec.author, rec.bookmarked, rec.read) == ("de", "Jörg", True, False)
    assert rec.body == "Здравствуй, мир. " * 100
    assert rec.text("body") == rec.body and rec.text("author") == "Jörg"
    assert rec.text("link") is None
    undated = hitrecord.decode(
        hitrecord.encode(
            id="b",
            title="",
            feed="",
            feed_id=0,
            link="",
            published=None,
            lang="en",
            author="",
            body="",
            bookmarked=False,
            read=False,
        )
    )
    assert undated.published is None and undated.published_utc() is None


def test_bytes_that_are_no_record_are_refused() -> None:
    with pytest.raises(ValueError, match="not a hit record"):
        hitrecord.decode(b"plainly not zlib")


def test_the_opening_holds_words_as_a_query_types_them() -> None:
    forms = hitrecord.opening_forms("Straße crane: 185.000 E-Mail", "x" * 500 + " tail")
    rec = hitrecord.HitRecord("i", "", "", 0, "", None, "en", "", "", False, False, forms)
    assert rec.holds("straße".casefold()) and rec.holds("crane")
    assert rec.holds("185000") and rec.holds("email")
    # only the opening counts, and only whole words
    assert not rec.holds("tail") and not rec.holds("cran") and not rec.holds("")


@pytest.fixture
def index(tmp_path: Path) -> SearchIndex:
    idx = SearchIndex.open(tmp_path / "ix")
    idx.write(DOCS)
    return idx


def test_hits_carry_what_they_show(index: SearchIndex) -> None:
    res = index.search("crane", limit=10)
    (hit,) = res.hits
    assert (hit.id, hit.title, hit.feed, hit.feed_id) == (
        "crane",
        "Straße crane repaired in Gdańsk",
        "Harbour Gazette",
        7,
    )
    assert hit.link == "https://example.org/crane"
    assert hit.published == datetime(2025, 3, 4, 5, 6, 7, tzinfo=UTC)
    assert (hit.bookmarked, hit.read) == (True, False)
    assert hit.snippet.startswith("The harbour crane") and hit.snippet.endswith("…")
    assert [hit.snippet[s:e] for s, e in hit.highlights][:1] == ["crane"]
    assert [hit.title[s:e] for s, e in hit.title_highlights] == ["crane"]
    master = index.search("master", limit=10).hits[0]
    assert (master.feed, master.feed_id, master.published, master.read) == (
        "Sea Notes",
        9,
        None,
        True,
    )
    index.close()


def test_a_page_reads_no_stored_dict_and_entities_stay_searchable(
    index: SearchIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object) -> object:
        raise AssertionError("a page read Whoosh's stored fields")

    monkeypatch.setattr(index_module, "stored_fields", refuse)
    monkeypatch.setattr(_whoosh_codec, "stored_fields", refuse)
    for query in ('"harbour crane"', "person:okafor", "harbour", "published:2025-03", ""):
        index.drop_query_caches()
        assert index.search(query, limit=10).hits, query
    monkeypatch.undo()
    # ``related`` reads the entities kept beside the record: the profile shares no word
    # with the crane article, only its person
    assert [h.id for h in index.related("crane")][:1] == ["okafor"]
    index.close()


def entry(i: int) -> ParsedEntry:
    return ParsedEntry(
        key=f"k{i}",
        guid=f"g{i}",
        link=f"https://example.org/{i}",
        title=f"Harbour crane number {i}",
        author=None,
        published=None,
        updated=None,
        summary_html="",
        content_html="",
        text=f"The harbour crane {i} was repaired overnight by Adaeze Okafor.",
    )


def test_a_library_indexed_before_hit_records_is_rebuilt_once_and_told(data_dir: Path) -> None:
    lib = Library.open(data_dir, settings=Settings())
    feed = lib.store.add_feed("https://example.org/harbour.xml", "Harbour Gazette")
    lib.store.store_entries(feed.id, [entry(i) for i in range(5)])
    lib.sync_index()
    first = lib.search("crane number 3").hits[0]
    text = lib.article(first.id).text
    at = text.index("Adaeze Okafor")
    lib.store.save_entities(
        [(first.id, [], [Mention("Adaeze Okafor", "Person", at, at + 13, "Adaeze Okafor")])],
        ENTITY_VERSION,
    )
    lib.sync_index()
    index_dir = lib._search.index_dir
    lib.close()

    # what schema 6 left on disk: the hit's fields in Whoosh's stored dict, the body as
    # compressed bytes inside it, no record column
    from whoosh import fields
    from whoosh import index as whoosh_index

    shutil.rmtree(index_dir)
    index_dir.mkdir()
    old = whoosh_index.create_in(
        str(index_dir),
        fields.Schema(
            id=fields.ID(unique=True, stored=True),
            title=fields.TEXT(stored=True),
            body_z=fields.STORED(),
            ents=fields.STORED(),
        ),
    )
    with old.writer() as w:
        w.add_document(id=first.id, title=first.title, body_z=b"x", ents={})
    old.close()
    (index_dir / "newsreader-schema").write_text("6\n")

    again = Library.open(data_dir, settings=Settings())
    res = again.search("crane")
    told = [n for n in again.notices if "rebuilt" in n]
    assert len(told) == 1 and f"version 6, now {SCHEMA_VERSION}" in told[0], again.notices
    assert res.total == 5
    hit = next(h for h in res.hits if h.id == first.id)
    assert hit.title == first.title and hit.feed == "Harbour Gazette"
    assert hit.link == first.link and "crane" in hit.snippet.lower() and hit.highlights
    assert [h.id for h in again.search("person:okafor").hits] == [first.id]
    again.close()
    # once: the rebuilt index opens as it is
    third = Library.open(data_dir, settings=Settings())
    assert third.search("crane").total == 5
    assert not [n for n in third.notices if "rebuilt" in n], third.notices
    third.close()
