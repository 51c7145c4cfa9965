"""Posting lists in our own format (``_whoosh_codec.NewsCodec``) give what Whoosh's own
blocks gave: the same postings, the same search results, read without pickle."""

from __future__ import annotations

import random
import struct
from array import array
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from newsreader.index.models import IndexDoc
from newsreader.index.search import _whoosh_codec
from newsreader.index.search._whoosh_codec import (
    DecodedPostings,
    NewsCodec,
    NewsPostingsMatcher,
    encode_postings,
    read_postings,
)
from newsreader.index.search.index import SearchIndex
from newsreader.index.search.segments import merge_segments

START = datetime(2025, 1, 1, tzinfo=UTC)
WORDS = [
    "harbour",
    "pilot",
    "ship",
    "tide",
    "crane",
    "river",
    "bank",
    "minister",
    "said",
    "officials",
    "the",
    "of",
    "on",
]


def _doc(i: int) -> IndexDoc:
    rnd = random.Random(i)
    body = " ".join(rnd.choice(WORDS) for _ in range(5 + i % 40))
    return IndexDoc(
        id=f"d{i:05d}",
        feed_id=1 + i % 3,
        feed="Port Wire",
        title=f"Ship {i} " + " ".join(rnd.choice(WORDS) for _ in range(3)),
        body=body + (" lighthouse" if i % 97 == 0 else ""),
        author="Zoë Rojas" if i % 4 == 0 else "Ana Costa",
        link=f"https://example.org/{i}",
        published=START + timedelta(hours=i),
        tags=("World politics",) if i % 5 == 0 else (),
        bookmarked=i % 7 == 0,
        read=False,
        person=("Zoë Rojas", "Ana Costa") if i % 4 == 0 else (),
    )


DOCS = [_doc(i) for i in range(700)]
QUERIES = [
    "officials said on the bank",
    "the minister of",
    "harbour pilot",
    '"harbour pilot"',
    "lighthouse",
    "person:Rojas",
    'person:"zoë rojas"',
    "tag:politics",
    "ship -crane",
    "pilo*",
    "minster~",
    "is:bookmarked tide",
]


def _whoosh_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    """New segments written by Whoosh's own codec (as before our format)."""
    from whoosh.codec.whoosh3 import W3Codec

    monkeypatch.setattr(_whoosh_codec, "news_codec", W3Codec)


def _results(idx: SearchIndex) -> list[tuple[str, int, int, list[tuple[str, float]]]]:
    out = []
    for q in QUERIES:
        res = idx.search(q, limit=40)
        hits = [(h.id, round(h.score, 9)) for h in res.hits]
        out.append((q, res.total, idx.count(q), hits))
    return out


def _postings(path: Path) -> dict[tuple[str, bytes], list[tuple[int, float, Any]]]:
    """Every term's postings through Whoosh's matcher interface, by docnum."""
    idx = SearchIndex.open(path)
    reader = idx._ix.reader()
    try:
        out = {}
        for fieldname, btext in reader.all_terms():
            m = reader.postings(fieldname, btext)
            got = []
            while m.is_active():
                got.append((m.id(), m.weight(), m.value()))
                m.next()
            out[(fieldname, btext)] = got
        return out
    finally:
        reader.close()
        idx.close()


def _codecs(idx: SearchIndex) -> list[type]:
    return [type(seg.codec()) for seg in idx._ix._segments()]


@pytest.fixture(scope="module")
def ours(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchIndex]:
    idx = SearchIndex.open(tmp_path_factory.mktemp("ours") / "index")
    idx.write(DOCS)
    yield idx
    idx.close()


def test_new_segments_are_written_in_our_format(ours: SearchIndex) -> None:
    assert _codecs(ours) == [NewsCodec]
    reader = ours._ix.reader()
    try:
        m = reader.postings("body", b"ship")
        assert isinstance(_whoosh_codec.leaf_matcher(m), NewsPostingsMatcher)
    finally:
        reader.close()


def test_postings_and_results_are_whoosh_s(
    ours: SearchIndex, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every term's (docnum, weight, value) and every query's hits, scores and totals are
    those of the same documents written in Whoosh's blocks; the segment is smaller."""
    with monkeypatch.context() as mp:
        _whoosh_blocks(mp)
        plain = SearchIndex.open(tmp_path / "plain")
        plain.write(DOCS)
    assert _codecs(plain) != [NewsCodec]
    try:
        assert _results(ours) == _results(plain)
    finally:
        plain.close()
    want = _postings(tmp_path / "plain")
    assert len(want) > 700  # ids, words, names, flags, dates
    assert max(len(v) for v in want.values()) > 3 * 128  # lists of several Whoosh blocks
    assert _postings(Path(ours._path)) == want

    def size(path: Path) -> int:
        return sum(f.stat().st_size for f in path.glob("*.seg"))

    assert size(Path(ours._path)) < size(tmp_path / "plain")


def test_skips_land_where_whoosh_s_do(ours: SearchIndex, tmp_path: Path) -> None:
    """``skip_to`` (phrase checks of the fields with positions use it) and the block
    quality bounds of Whoosh's own top-k search behave as on Whoosh's blocks."""
    from whoosh import qparser

    reader = ours._ix.reader()
    try:
        m = reader.postings("person", b"rojas")
        ids = list(m.all_ids())
        m = reader.postings("person", b"rojas")
        for target in (0, 1, 5, 333, 334, ids[-1]):
            m.skip_to(target)
            assert m.id() == min(d for d in ids if d >= target)
            assert m.value_as("positions") in ([1], [0], [2])
        m.skip_to(ids[-1] + 1)
        assert not m.is_active()
        # Whoosh's own search over our matchers: block-quality skipping stays exact
        with ours._ix.searcher() as s:
            q = qparser.QueryParser("body", ours._ix.schema).parse("officials OR lighthouse")
            top = [(h.docnum, round(h.score, 9)) for h in s.search(q, limit=5)]
            every = sorted(
                ((h.docnum, round(h.score, 9)) for h in s.search(q, limit=None)),
                key=lambda x: (-x[1], x[0]),
            )
        assert sorted(top, key=lambda x: (-x[1], x[0])) == every[:5]
    finally:
        reader.close()


def test_segments_of_whoosh_s_own_codec_stay_readable_and_merge_into_ours(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An index whose older segment Whoosh's codec wrote searches as it did with Whoosh's
    blocks throughout, before and after merging rewrites that segment in ours."""
    newer = DOCS[400:] + DOCS[:150]  # new versions of 150: the first segment is 37% deleted
    with monkeypatch.context() as mp:
        _whoosh_blocks(mp)
        plain = SearchIndex.open(tmp_path / "plain")
        plain.write(DOCS[:400])
        plain.write(newer)
        before = _results(plain)
        merge_segments(plain._ix)
        plain.close()
        plain = SearchIndex.open(tmp_path / "plain")
        after = _results(plain)
        plain.close()
        mixed = SearchIndex.open(tmp_path / "mixed")
        mixed.write(DOCS[:400])
    try:
        mixed.write(newer)
        assert _codecs(mixed) == [_whoosh_codec.W3Codec, NewsCodec]
        assert _results(mixed) == before
        assert merge_segments(mixed._ix) == 1
        mixed.close()
        mixed = SearchIndex.open(tmp_path / "mixed")
        assert _codecs(mixed) == [NewsCodec, NewsCodec]
        assert _results(mixed) == after
    finally:
        mixed.close()


def _ascending(rnd: random.Random, n: int, top_gap: int) -> list[int]:
    out, d = [], rnd.randrange(0, 50)
    for _ in range(n):
        out.append(d)
        d += rnd.randint(1, top_gap)
    return out


@pytest.mark.parametrize("n", [1, 2, 7, 256, 257, 3000])
@pytest.mark.parametrize("top_gap", [3, 300, 70_000])
@pytest.mark.parametrize("weights", ["ones", "constant", "small whole", "large whole", "fractions"])
def test_a_posting_list_reads_back_as_written(n: int, top_gap: int, weights: str) -> None:
    """Ids of every gap width, each kind of weights (lists short and long: two ways of
    encoding), and values of each kind come back as Whoosh's matcher gives them."""
    rnd = random.Random(f"{n}{top_gap}{weights}")
    ids = array("I", _ascending(rnd, n, top_gap))
    pick = {
        "ones": lambda: 1.0,
        "constant": lambda: 2.5,
        "small whole": lambda: float(rnd.randint(1, 9)),
        "large whole": lambda: float(rnd.randint(1, 70_000)),
        "fractions": lambda: rnd.random() * 40,
    }[weights]
    w = array("f", (pick() for _ in range(n)))
    positions = [struct.pack("!I", rnd.randint(1, 4)) + bytes(rnd.randrange(9)) for _ in ids]
    for values, fixedsize, want in (
        ([], 0, (None,) * n),  # Existence: no values
        ([struct.pack("!I", int(x)) for x in w], 4, None),  # Frequency: the weights
        ([struct.pack("!I", 3 + i) for i in range(n)], 4, None),  # fixed size, not weights
        (positions, None, None),  # Positions: variable size
    ):
        record = encode_postings(ids, w, values, fixedsize)
        got = DecodedPostings(record, fixedsize)
        assert got.ids.tolist() == ids.tolist()
        assert got.weights.tolist() == w.tolist()
        assert got.values() == (tuple(values) if want is None else want)


def test_a_list_of_repeated_values_is_stored_compressed() -> None:
    """zlib where it pays: a long list of one value is far smaller than its raw arrays;
    a short one is stored as it is."""
    n = 3000
    ids = array("I", range(0, 3 * n, 3))
    w = array("f", [1.0, 2.0] * (n // 2))
    values = [b"\x00\x00\x00\x01pos"] * n
    record = encode_postings(ids, w, values, None)
    assert len(record) < n // 4
    assert DecodedPostings(record, None).values() == tuple(values)
    short = encode_postings(array("I", [4, 9]), array("f", [1.0, 1.0]), [], 0)
    assert len(short) < 40


def test_read_postings_of_our_segments_offset_by_segment(ours: SearchIndex) -> None:
    reader = ours._ix.reader()
    try:
        (term,) = [t for t in reader.lexicon("body") if t.startswith(b"lighthous")]
        m = reader.postings("body", term)
        ids, tfs = read_postings(m, 1000)
        assert ids.tolist() == [d + 1000 for d in range(0, 700, 97)]
        assert set(tfs.tolist()) == {1.0}
    finally:
        reader.close()
