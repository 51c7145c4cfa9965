"""A segment's files are read in place, over the mapped compound file (``ViewFile``), not
copied into memory when a searcher opens them; what a search finds and shows is the same."""

from __future__ import annotations

import pickle
import random
from array import array
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from newsreader.index.models import IndexDoc
from newsreader.index.search import _whoosh_codec, _whoosh_patches
from newsreader.index.search._whoosh_codec import ViewFile
from newsreader.index.search.index import SearchIndex
from whoosh.filedb import structfile
from whoosh.filedb.structfile import BufferFile

START = datetime(2025, 3, 1, tzinfo=UTC)
WORDS = ["harbour", "pilot", "ship", "tide", "crane", "river", "minister", "said", "the", "of"]
QUERIES = [
    "harbour pilot",
    '"harbour pilot"',
    "lighthouse",
    "person:Rojas",
    "ship -crane",
    "pilo*",
    "minster~",
    "is:bookmarked tide",
    "",
]


def _doc(i: int) -> IndexDoc:
    rnd = random.Random(i)
    return IndexDoc(
        id=f"s{i:05d}",
        feed_id=1 + i % 3,
        feed="Port Wire",
        title=f"Ship {i} " + " ".join(rnd.choice(WORDS) for _ in range(3)),
        body=" ".join(rnd.choice(WORDS) for _ in range(5 + i % 60 + (700 if i % 9 == 0 else 0)))
        + (" lighthouse" if i % 31 == 0 else ""),
        author="Zoë Rojas" if i % 4 == 0 else "Ana Costa",
        link=f"https://example.org/{i}",
        published=None if i % 13 == 0 else START + timedelta(hours=i),
        tags=("World politics",) if i % 5 == 0 else (),
        bookmarked=i % 7 == 0,
        read=False,
        person=("Zoë Rojas",) if i % 4 == 0 else (),
    )


DOCS = [_doc(i) for i in range(600)]


def _shown(idx: SearchIndex) -> list[Any]:
    """Every query's total and its hits as a page shows them (text read from the columns)."""
    out = []
    for q in QUERIES:
        res = idx.search(q, limit=30)
        hits = [
            (h.id, round(h.score, 9), h.title, h.snippet, h.link, h.published) for h in res.hits
        ]
        out.append((q, res.total, hits))
    out.append([idx.related(d.id, limit=5) for d in DOCS[:5]])
    return out


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("segfiles") / "index"
    idx = SearchIndex.open(path)
    idx.write(DOCS[:350])
    idx.write(DOCS[350:] + DOCS[:40])  # two segments, the first with deletions
    idx.close()
    yield path


def test_a_search_copies_no_segment_file(index_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Opening a searcher and building pages (postings, lengths, dates, hit records, stored
    fields) hands out no in-memory copy of a segment file: Whoosh's ``BufferFile`` made one
    (a ``BytesIO``) of each file it opened."""
    copies: list[int] = []
    real = structfile.BytesIO

    def counting(buf: Any = b"") -> Any:
        copies.append(len(buf))
        return real(buf)

    monkeypatch.setattr(structfile, "BytesIO", counting)
    idx = SearchIndex.open(index_dir)
    try:
        assert _shown(idx)[0][1] > 0
        gen = idx._current()
        segments = gen.ranker().segments
        assert len(segments) == 2
        for seg, _offset in segments:
            files = [seg._terms._postfile, seg._terms._tindex.dbfile]
            files += [f for f, _, _ in seg._perdoc._colfiles.values()]
            assert len(files) >= 5  # postings, terms, hit records, lengths, dates
            for f in files:
                assert isinstance(f, ViewFile)
                assert isinstance(f._buf.obj, type(seg._storage.a._source))  # the mmap
    finally:
        idx.close()
    assert copies == []


def test_pages_are_the_same_as_over_copies(
    index_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every query's total, hits, scores, titles, snippets, dates and related articles are
    those read through Whoosh's copying files."""
    idx = SearchIndex.open(index_dir)
    try:
        ours = _shown(idx)
    finally:
        idx.close()
    monkeypatch.setattr(
        _whoosh_codec, "open_in_place", lambda storage, name: storage.open_file(name)
    )
    idx = SearchIndex.open(index_dir)
    try:
        seg = idx._current().ranker().segments[0][0]
        assert not isinstance(seg._terms._postfile, ViewFile)
        assert _shown(idx) == ours
    finally:
        idx.close()


def _both(raw: bytes) -> tuple[BufferFile, ViewFile]:
    return BufferFile(memoryview(raw), name="a"), ViewFile(memoryview(raw), name="a")


def test_a_view_file_reads_as_whoosh_s_buffer_file() -> None:
    """Sequential reads (pickles, arrays, lines, numbers), seeks and random reads give what
    ``BufferFile`` gives over the same bytes, and a subset is a view of the view."""
    nums = array("I", range(0x1000, 0x1000 + 100 * 0x100, 0x100))  # no newline byte
    raw = (
        b"\x00\x00\x00\x07"
        + pickle.dumps({"a": [1, 2, 3], "b": "zoë"}, protocol=2)
        + b"line one\nline two\nlast"
    )
    tail = bytearray()
    nums_be = array("I", nums)
    nums_be.byteswap()
    tail += nums_be.tobytes()
    raw += bytes(tail)
    for f in _both(raw):
        assert f.read_int() == 7
        assert f.read_pickle() == {"a": [1, 2, 3], "b": "zoë"}
        at = f.tell()
        assert f.readline() == b"line one\n"
        assert f.read(4) == b"line"
        f.seek(at)
        assert f.read(8) == b"line one"
        f.seek(-len(tail), 2)
        assert list(f.read_array("I", 100)) == list(nums)
        assert f.read(5) == b""
        assert f.get_int(0) == 7
        assert list(f.get_array(len(raw) - len(tail), "I", 100)) == list(nums)
        f.seek(at + 9)
        assert f.readline() == b"line two\n"
        assert f.readline() == b"last" + bytes(tail)
        assert f.readline() == b""
        sub = f.subset(at, 17)
        assert sub.read() == b"line one\nline two"
        assert sub.get(5, 3) == b"one"
    view = _both(raw)[1]
    assert view.subset(4, 10)._buf.obj is view._buf.obj  # no copy


def test_a_long_line_is_read_whole() -> None:
    raw = b"x" * 5000 + b"\nnext"
    for f in _both(raw):
        assert f.readline() == b"x" * 5000 + b"\n"
        assert f.read() == b"next"


@pytest.mark.parametrize("count", [0, 1, 5, 3000])
@pytest.mark.parametrize("top", [0, 200, 70_000])
def test_a_bytes_column_without_offsets_opens_with_whoosh_s_offsets(count: int, top: int) -> None:
    """A ``VarBytesColumn`` small enough to be written without its offsets opens with the
    offsets and lengths Whoosh's loop derived (summed in C), and reads the same values."""
    from io import BytesIO

    from whoosh.columns import VarBytesColumn
    from whoosh.filedb.structfile import StructFile

    _whoosh_patches.install()
    rnd = random.Random(count * 7 + top)
    values = [
        bytes(rnd.randrange(256) for _ in range(rnd.randint(0, top))) if top else b""
        for _ in range(count)
    ]
    out = BytesIO()
    writer = VarBytesColumn().writer(StructFile(out))
    for docnum, value in enumerate(values):
        if value:  # a document without a value is filled in, as Whoosh's writer does
            writer.add(docnum, value)
    writer.finish(count)
    raw = b"pad" + out.getvalue()
    fast = VarBytesColumn.Reader(ViewFile(memoryview(raw)), 3, len(raw) - 3, count)
    reader_type: Any = VarBytesColumn.Reader
    plain = object.__new__(reader_type)
    plain.__dict__.update(
        _dbfile=BufferFile(memoryview(raw)),
        _basepos=3,
        _length=len(raw) - 3,
        _doccount=count,
        had_stored_offsets=False,
    )
    reader_type._read_offsets_and_lengths._original(plain)
    assert not fast.had_stored_offsets
    assert fast._offsets == plain._offsets
    assert fast._offsets.typecode == plain._offsets.typecode == "L"
    assert fast._lengths == plain._lengths
    assert [fast[d] for d in range(count)] == values == list(fast)


def test_length_norms_decoded_in_c_are_the_listed_lengths(index_dir: Path) -> None:
    """Each field's lengths as an array (what BM25's norms are made of) equal the listed
    lengths Whoosh's per-document lookup gives, in every segment, empty fields included."""
    from newsreader.index.search._whoosh_codec import segment_length_array, segment_lengths

    idx = SearchIndex.open(index_dir)
    try:
        ranker = idx._current().ranker()
        for fieldname in ("title", "body", "feed", "author", "person", "nothing"):
            for seg, _offset in ranker.segments:
                got = segment_length_array(seg, fieldname)
                want = [seg.doc_field_length(d, fieldname) or 0 for d in range(seg.doc_count_all())]
                assert got.dtype.kind == "i"
                assert got.tolist() == want == segment_lengths(seg, fieldname)
            assert ranker.length_array(fieldname).tolist() == ranker.lengths(fieldname)
        assert max(ranker.lengths("body")) > 255  # lengths past one byte's plain range
    finally:
        idx.close()


def test_dates_decoded_in_c_are_whoosh_s(index_dir: Path) -> None:
    """The published values of every document (0 for one without a date), decoded as an
    array, are those of Whoosh's column read value by value."""
    from newsreader.index.search._whoosh_codec import column_array

    idx = SearchIndex.open(index_dir)
    try:
        gen = idx._current()
        want: list[int] = []
        for seg, _offset in gen.ranker().segments:
            col = seg.column_reader("published", translate=False)
            n = seg.doc_count_all()
            plain = [col[d] for d in range(n)]
            assert column_array(col, n).tolist() == plain
            want += [v if v < 2**63 else 0 for v in plain]
        assert gen.dates() == want
        assert all(type(v) is int for v in gen.dates())
        assert 0 in want  # an article without a date
        assert len(set(want)) > 500
    finally:
        idx.close()
