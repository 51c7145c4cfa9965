"""The fast paths of search and index writing give the answers the plain paths give."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from newsreader.index.models import IndexDoc
from newsreader.index.search import _whoosh_patches
from newsreader.index.search.index import SearchIndex

START = datetime(2025, 1, 1, tzinfo=UTC)
PHRASE_EVERY = 9
RARE_EVERY = 45  # few enough that an AND looks each one up in the long posting lists
DOCS = 400
PHRASE = re.compile(r"\bharbour pilots?\b", re.IGNORECASE)


def _doc(i: int) -> IndexDoc:
    """Every article names both words; one in ``PHRASE_EVERY`` has them side by side."""
    if i % PHRASE_EVERY == 0:
        body = f"The harbour pilot guided ship {i} in. Weather was calm."
    else:
        body = f"A pilot spoke at the harbour about ship {i}. The pilot left early."
    body += " Filler words about tides and cranes." * (i % 5)
    if i % RARE_EVERY == 0:
        body += " Lighthouse keepers watched."
    extra = " harbour" * (i % 3)
    return IndexDoc(
        id=f"d{i:04d}",
        feed_id=1 + i % 3,
        feed="Port Wire",
        title=f"Ship {i} news{extra}",
        body=body,
        author="Zoë Rojas" if i % 4 == 0 else "Ana Costa",
        link=f"https://example.org/{i}",
        published=START + timedelta(hours=i),
        tags=(),
        bookmarked=False,
        read=False,
        person=("Zoë Rojas",) if i % 4 == 0 else (),
    )


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchIndex]:
    idx = SearchIndex.open(tmp_path_factory.mktemp("speedups") / "index")
    idx.write(_doc(i) for i in range(DOCS))
    yield idx
    idx.close()


def test_phrase_pages_among_many_near_misses(index: SearchIndex) -> None:
    expected = {f"d{i:04d}" for i in range(DOCS) if i % PHRASE_EVERY == 0}
    assert index.count('"harbour pilot"') == len(expected)
    exact = index.search('"harbour pilot"', limit=len(expected), exact_total=True)
    assert exact.total == len(expected)
    assert {h.id for h in exact.hits} == expected
    seen: list[str] = []
    for offset in range(0, len(expected), 7):
        index.drop_query_caches()
        page = index.search('"harbour pilot"', limit=7, offset=offset)
        # checked lazily, best candidates first: the same order as checking them all
        assert [h.id for h in page.hits] == [h.id for h in exact.hits[offset : offset + 7]]
        seen += [h.id for h in page.hits]
    assert set(seen) == expected and len(seen) == len(expected)


def test_phrase_in_title_and_author_without_positions(index: SearchIndex) -> None:
    assert {h.id for h in index.search('title:"news harbour"', limit=500).hits} == {
        f"d{i:04d}" for i in range(DOCS) if i % 3
    }
    assert index.search('title:"harbour news"', limit=500).total == 0
    rojas = {f"d{i:04d}" for i in range(DOCS) if i % 4 == 0}
    assert {h.id for h in index.search('author:"zoe rojas"', limit=500).hits} == rojas
    assert index.search('author:"rojas zoe"', limit=500).total == 0
    assert {h.id for h in index.search('person:"zoë rojas"', limit=500).hits} == rojas


def test_and_scores_are_the_sum_of_the_parts(index: SearchIndex) -> None:
    both = index.search("pilot tides", limit=DOCS)
    pilot = {h.id: h.score for h in index.search("pilot", limit=DOCS).hits}
    tides = {h.id: h.score for h in index.search("tides", limit=DOCS).hits}
    assert both.total == len(pilot.keys() & tides.keys()) > 0
    for h in both.hits:
        assert h.score == pytest.approx(pilot[h.id] + tides[h.id], abs=2e-4)


def test_and_with_a_rare_part_looks_candidates_up(index: SearchIndex) -> None:
    rare = index.search("pilot news lighthouse", limit=DOCS)
    assert {h.id for h in rare.hits} == {f"d{i:04d}" for i in range(0, DOCS, RARE_EVERY)}
    pilot = {h.id: h.score for h in index.search("pilot", limit=DOCS).hits}
    news = {h.id: h.score for h in index.search("news", limit=DOCS).hits}
    light = {h.id: h.score for h in index.search("lighthouse", limit=DOCS).hits}
    for h in rare.hits:
        assert h.score == pytest.approx(pilot[h.id] + news[h.id] + light[h.id], abs=3e-4)


def test_field_length_tables_answer_as_whoosh_does(tmp_path: Path) -> None:
    from whoosh.codec.whoosh3 import W3PerDocReader

    idx = SearchIndex.open(tmp_path / "ix")
    idx.write(_doc(i) for i in range(40))
    idx.write([_doc(i) for i in range(40, 60)])  # a second segment
    patched = W3PerDocReader.doc_field_length
    original = patched._original
    reader = idx._ix.reader()
    try:
        segments = reader.readers if not reader.is_atomic() else [reader]
        checked = 0
        for seg in segments:
            perdoc = seg._perdoc
            assert isinstance(perdoc, W3PerDocReader)
            for field in ("title", "body", "author", "feed", "person", "place", "id"):
                for d in range(seg.doc_count_all()):
                    assert patched(perdoc, d, field, -1) == original(perdoc, d, field, -1)
                    checked += 1
        assert checked == 60 * 7
        assert any(patched(seg._perdoc, 0, "body") for seg in segments)
    finally:
        reader.close()
        idx.close()


def _postings_by_term(
    path: Path,
) -> dict[tuple[str, bytes], tuple[tuple[float | None, ...], bytes]]:
    """Every term's statistics and raw posting blocks, read back from the index."""
    idx = SearchIndex.open(path)
    reader = idx._ix.reader()
    out: dict[tuple[str, bytes], tuple[tuple[float | None, ...], bytes]] = {}
    try:
        assert reader.is_atomic()
        terms = reader._terms
        for fieldname, btext in reader.all_terms():
            info = reader.term_info(fieldname, btext)
            raw = b""
            if not info.is_inlined():
                offset, length = info.extent()
                if isinstance(length, tuple):  # how some Whoosh versions keep it
                    (length,) = length
                raw = terms._postfile.get(offset, length)
            stats = (
                info.weight(),
                info.doc_frequency(),
                info.min_length(),
                info.max_length(),
                info.max_weight(),
                info.min_id(),
                info.max_id(),
            )
            out[(fieldname, btext)] = (stats, raw)
    finally:
        reader.close()
        idx.close()
    return out


def test_bulk_postings_writer_writes_what_whoosh_writes(tmp_path: Path) -> None:
    from whoosh.codec.whoosh3 import W3FieldWriter

    docs = [_doc(i) for i in range(300)]  # long enough for posting lists of several blocks
    bulk = W3FieldWriter.add_postings
    W3FieldWriter.add_postings = bulk._original
    try:
        plain = SearchIndex.open(tmp_path / "plain")
        plain.write(docs)
        plain.close()
    finally:
        W3FieldWriter.add_postings = bulk
    fast = SearchIndex.open(tmp_path / "fast")
    fast.write(docs)
    fast.close()
    want = _postings_by_term(tmp_path / "plain")
    got = _postings_by_term(tmp_path / "fast")
    assert len(want) > 500
    assert any((stats[1] or 0) > 2 * 128 for stats, _ in want.values())  # lists of several blocks
    assert got == want


def test_a_write_spilled_to_runs_gives_the_same_postings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsreader.index.search._whoosh_patches import TermPool

    docs = [_doc(i) for i in range(300)]
    whole = SearchIndex.open(tmp_path / "whole")
    whole.write(docs)
    whole.close()

    runs = 0
    write_run = TermPool._write_run

    def counted(self: TermPool, entries: object) -> str:
        nonlocal runs
        runs += 1
        return write_run(self, entries)  # type: ignore[arg-type]

    from newsreader.index.search import index as index_module

    monkeypatch.setattr(TermPool, "_write_run", counted)
    monkeypatch.setattr(index_module, "SERIAL_POOL_MB", 0.02)  # spills every ~700 postings
    spilled = SearchIndex.open(tmp_path / "spilled")
    spilled.write(docs)
    assert spilled.search('"harbour pilot"', limit=5).total > 0
    spilled.close()
    assert runs >= 2  # at least two runs were merged
    assert _postings_by_term(tmp_path / "spilled") == _postings_by_term(tmp_path / "whole")


def test_posting_blocks_read_in_bulk_are_whoosh_s_postings(tmp_path: Path) -> None:
    """Every term's (docnum, weight) list read straight from the posting blocks is what
    Whoosh's matcher gives, over two segments (an offset), lists of several blocks, and
    deleted documents (read too: the engine drops them after scoring)."""
    from newsreader.index.search._whoosh_codec import read_postings

    idx = SearchIndex.open(tmp_path / "ix")
    idx.write(_doc(i) for i in range(300))
    idx.write([_doc(i) for i in range(0, 300, 2)])  # a second segment; deletes in the first
    reader = idx._ix.reader()
    try:
        assert not reader.is_atomic() and reader.has_deletions()
        segments = list(zip(reader.readers, reader.doc_offsets, strict=True))
        longest = checked = 0
        for seg, offset in segments:
            for fieldname, btext in seg.all_terms():
                got_ids, got_tfs = read_postings(seg.postings(fieldname, btext), offset)
                # Whoosh's own matcher, without the filter that hides deleted documents
                m = seg._terms.matcher(fieldname, btext, seg.schema[fieldname].format)
                want_ids, want_tfs = [], []
                while m.is_active():
                    want_ids.append(m.id() + offset)
                    want_tfs.append(m.weight())
                    m.next()
                assert got_ids.tolist() == want_ids, (fieldname, btext)
                assert got_tfs.tolist() == pytest.approx(want_tfs), (fieldname, btext)
                longest = max(longest, len(got_ids))
                checked += 1
        assert checked > 500
        assert longest > 2 * 128  # lists of several blocks
    finally:
        reader.close()
        idx.close()


def _documents(path: Path) -> list[tuple[dict[str, object], dict[str, int]]]:
    """Every document's stored fields and field lengths, in docnum order."""
    idx = SearchIndex.open(path)
    reader = idx._ix.reader()
    try:
        fields = ("title", "body", "author", "feed", "tags", "person")
        return [
            (
                dict(reader.stored_fields(d)),
                {f: reader.doc_field_length(d, f, 0) for f in fields},
            )
            for d in range(reader.doc_count_all())
        ]
    finally:
        reader.close()
        idx.close()


def _written_the_whoosh_way(path: Path, docs: list[IndexDoc], limitmb: float) -> None:
    """``docs`` written as Whoosh writes them: its own ``add_document`` (the token stream
    through ``NewsText.index``) into its own posting buffer (``PostingPool``), with the
    index's posting block format."""
    from newsreader.index.search._whoosh_codec import news_codec
    from newsreader.index.search.writer import doc_fields
    from whoosh.writing import PostingPool, SegmentWriter

    _whoosh_patches.install()
    idx = SearchIndex.open(path)
    writer = SegmentWriter(idx._ix, limitmb=limitmb, codec=news_codec())  # the index's codec
    assert type(writer.pool) is PostingPool
    add_document = SegmentWriter.add_document._original  # type: ignore[attr-defined]
    for d in docs:
        add_document(writer, **doc_fields(d))
    writer.commit(merge=False)
    idx.close()


@pytest.mark.parametrize("pool_mb", [48, 0.02])
def test_documents_added_in_bulk_are_written_as_whoosh_writes_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pool_mb: float
) -> None:
    """The lean ``add_document`` (a field's postings handed over as one list) writes the
    postings, stored fields and lengths Whoosh's own writes, spilled to runs or not."""
    from newsreader.index.search import index as index_module

    monkeypatch.setattr(index_module, "SERIAL_POOL_MB", pool_mb)
    docs = [_doc(i) for i in range(300)]
    _written_the_whoosh_way(tmp_path / "plain", docs, pool_mb)
    fast = SearchIndex.open(tmp_path / "fast")
    fast.write(docs)
    fast.close()
    want = _postings_by_term(tmp_path / "plain")
    assert len(want) > 500
    assert _postings_by_term(tmp_path / "fast") == want
    assert _documents(tmp_path / "fast") == _documents(tmp_path / "plain")


@pytest.mark.parametrize("seed", range(6))
def test_spilled_runs_merged_a_chunk_at_a_time_come_out_in_order(seed: int) -> None:
    """``merged_chunks`` gives every item of the sorted runs once, in sorted order, whatever
    the runs' lengths, chunk sizes and overlaps (empty runs and chunks included)."""
    import random

    from newsreader.index.search._whoosh_patches import merged_chunks

    rng = random.Random(seed)
    terms = [f"t{n:03d}".encode() for n in range(rng.randrange(1, 60))]
    runs, everything = [], []
    for r in range(rng.randrange(1, 12)):
        items = sorted(
            {
                (
                    "body" if rng.random() < 0.7 else "title",
                    rng.choice(terms),
                    r * 1000 + d,
                    1.0,
                    b"",
                )
                for d in range(rng.randrange(0, 400))
            }
        )
        everything += items
        chunks, i = [], 0
        while i < len(items):
            size = rng.choice([0, 1, 3, 50, 512])
            chunks.append(items[i : i + size])
            i += size
        runs.append(iter(chunks))
    merged = [item for chunk in merged_chunks(runs) for item in chunk]
    assert merged == sorted(everything)


_LANGUAGES = ("en", "de", "ru", "fa", "ja", None)
_WORDS = (
    "Die Straße", "Müller's", "185\u00a0000 Euro", "1,5 Prozent", "v2.4.1", "e-mail",
    "getElementById", "ΟΔΟΣ Σ", "ёлка Ёлка", "كتاب\u200cها", "١٢٣", "C++ and c#", "pilot",
    "pilots", "running runs", "harbour", "mail.example.org", "Zoë", "don't",
)  # fmt: skip


def _mixed_doc(i: int) -> IndexDoc:
    """Articles in several languages whose words tokenise in every special way, with
    names, tags and entities (fields with positions and without)."""
    words = [_WORDS[(i * 7 + k * 3) % len(_WORDS)] for k in range(5 + i % 11)]
    return IndexDoc(
        id=f"m{i:04d}",
        feed_id=1 + i % 4,
        feed=f"Wire {_WORDS[i % len(_WORDS)]}",
        title=" ".join(words[:3]),
        body=" ".join(words * (1 + i % 4)),
        author=" | ".join(_WORDS[(i + k) % len(_WORDS)] for k in range(i % 3)),
        link=f"https://example.org/m/{i}",
        published=START + timedelta(hours=i) if i % 5 else None,
        tags=tuple(_WORDS[(i + k) % len(_WORDS)] for k in range(i % 2 + 1)),
        bookmarked=i % 7 == 0,
        read=i % 2 == 0,
        person=("Zoë Müller",) if i % 3 == 0 else (),
        place=("Straße 185\u00a0000",) if i % 4 == 0 else (),
        language=_LANGUAGES[i % len(_LANGUAGES)],
    )


@pytest.mark.parametrize("pool_mb", [48, 0.02])
def test_fields_counted_in_bulk_are_written_as_whoosh_writes_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pool_mb: float
) -> None:
    """Fields without positions are indexed from the analyser's term counts, not its token
    stream: the index holds the postings, lengths and stored fields Whoosh's own
    ``add_document`` (the token stream, through ``NewsText.index``) writes, in every
    language and spelling, spilled to runs or not."""
    from newsreader.index.search import index as index_module

    monkeypatch.setattr(index_module, "SERIAL_POOL_MB", pool_mb)
    docs = [_mixed_doc(i) for i in range(240)]
    _written_the_whoosh_way(tmp_path / "plain", docs, pool_mb)
    fast = SearchIndex.open(tmp_path / "fast")
    fast.write(docs)
    fast.close()
    want = _postings_by_term(tmp_path / "plain")
    assert len(want) > 100
    assert any(field == "body" and max(term) > 127 for field, term in want)  # non-ASCII terms
    assert _postings_by_term(tmp_path / "fast") == want
    assert _documents(tmp_path / "fast") == _documents(tmp_path / "plain")


def test_fields_without_positions_skip_the_token_stream(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Writing analyses the prose and the author from term counts: the token stream
    (``NewsText.index``) runs only for the fields that keep positions."""
    from newsreader.index.search.schema import NewsText

    streamed: Counter[str] = Counter()
    index = NewsText.index

    def counted(self: NewsText, value: object, **kwargs: object) -> object:
        streamed["positions" if self.format.__class__.__name__ == "Positions" else "no"] += 1
        return index(self, value, **kwargs)

    monkeypatch.setattr(NewsText, "index", counted)
    idx = SearchIndex.open(tmp_path / "ix")
    idx.write(_mixed_doc(i) for i in range(30))
    assert idx.search("pilot", limit=5).total > 0
    idx.close()
    assert streamed["no"] == 0
    assert streamed["positions"] > 0  # tags, person and place still go through it


def test_a_write_of_more_runs_than_a_merge_reads_gives_the_same_postings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """More spilled runs than a merge opens at once are merged in rounds (the earliest
    first, so each term's documents stay in order), to the postings of an unspilled write."""
    from newsreader.index.search import index as index_module

    docs = [_mixed_doc(i) for i in range(200)]
    whole = SearchIndex.open(tmp_path / "whole")
    whole.write(docs)
    whole.close()
    rounds = 0
    merged = _whoosh_patches.TermPool._merged

    def counted(self: _whoosh_patches.TermPool, paths: list[str]) -> object:
        nonlocal rounds
        rounds += 1
        return merged(self, paths)

    monkeypatch.setattr(_whoosh_patches.TermPool, "_merged", counted)
    monkeypatch.setattr(_whoosh_patches, "_MAX_RUNS", 3)
    monkeypatch.setattr(_whoosh_patches, "_RUN_CHUNK_POSTINGS", 7)
    monkeypatch.setattr(index_module, "SERIAL_POOL_MB", 0.01)
    spilled = SearchIndex.open(tmp_path / "spilled")
    spilled.write(docs)
    spilled.close()
    assert rounds >= 3  # rounds of three runs, then the last merge
    assert _postings_by_term(tmp_path / "spilled") == _postings_by_term(tmp_path / "whole")


def test_the_term_pool_refuses_a_posting_out_of_document_order(tmp_path: Path) -> None:
    from whoosh.filedb.filestore import FileStorage

    pool = _whoosh_patches.TermPool(FileStorage(str(tmp_path)), None, limitmb=1)
    pool.add(("body", b"tide", 4, 1.0, b"\x00\x00\x00\x01"))
    pool.add(("body", b"tide", 9, 2.0, b"\x00\x00\x00\x02"))
    with pytest.raises(ValueError):
        pool.add(("body", b"tide", 9, 1.0, b"\x00\x00\x00\x01"))
    assert list(pool.iter_postings()) == [
        ("body", b"tide", 4, 1.0, b"\x00\x00\x00\x01"),
        ("body", b"tide", 9, 2.0, b"\x00\x00\x00\x02"),
    ]


def _hash_file(tmp_path: Path, name: str, keys: list[bytes], writer_class: Any) -> bytes:
    from whoosh.filedb.filestore import FileStorage

    writer = writer_class(FileStorage(str(tmp_path)).create_file(name))
    for i, key in enumerate(keys):
        writer.add(key, str(i).encode())
    writer.close()
    return (tmp_path / name).read_bytes()


def _unpatched_filetables() -> Any:
    """A fresh copy of Whoosh's ``filetables`` module, which no patch has touched."""
    import importlib.util

    import whoosh.filedb.filetables as loaded

    spec = importlib.util.spec_from_file_location("_plain_filetables", loaded.__file__)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_term_index_kept_in_arrays_is_written_as_whoosh_writes_it(tmp_path: Path) -> None:
    from whoosh.filedb.filestore import FileStorage
    from whoosh.filedb.filetables import OrderedHashReader, OrderedHashWriter

    _whoosh_patches.install()
    keys = sorted({f"term{i * 7919 % 100_003:06d}".encode() for i in range(5000)})
    fast = _hash_file(tmp_path, "fast.hsh", keys, OrderedHashWriter)
    plain = _hash_file(tmp_path, "plain.hsh", keys, _unpatched_filetables().OrderedHashWriter)
    assert fast == plain
    reader = OrderedHashReader.open(FileStorage(str(tmp_path)), "fast.hsh")
    assert reader[keys[1234]] == b"1234"
    assert reader.closest_key(b"term") == keys[0]


def test_a_term_index_holds_a_few_bytes_a_term_until_it_is_written(tmp_path: Path) -> None:
    import tracemalloc

    from whoosh.filedb.filestore import FileStorage
    from whoosh.filedb.filetables import OrderedHashWriter

    _whoosh_patches.install()
    keys = [f"{i:012d}".encode() for i in range(50_000)]  # e.g. one id term per document
    writer = OrderedHashWriter(FileStorage(str(tmp_path)).create_file("t.hsh"))
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for key in keys:
            writer.add(key, b"v")
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    writer.close()
    # Whoosh's tuples of (hash, position) held ~120 bytes a key: 6 MB here
    assert held < 30 * len(keys)
