"""The only module that reads Whoosh's on-disk structures directly (codec "whoosh3").

The engine and the write-path patches need a few things Whoosh's public API hands out one
value per call: a segment's field-length bytes, a numeric column, a posting list's blocks,
its deleted documents. Reading them in bulk is what makes search fast; keeping every such
read here means a Whoosh upgrade is checked in one file. Each reader falls back to Whoosh's
public (slow) way when the internals are not what it expects.
"""

from __future__ import annotations

import io
import pickle
import struct
import sys
import zlib
from array import array
from itertools import accumulate, chain, repeat
from typing import Any

_MISSING = object()


def _byte_table() -> list[int]:
    from whoosh.util.numeric import byte_to_length

    return [byte_to_length(b) for b in range(256)]


BYTE_TO_LENGTH: list[int] = _byte_table()
"""Whoosh's one-byte field-length encoding, decoded: the same values as ``byte_to_length``,
0 for the zero byte (an empty field; Whoosh's ``doc_field_length`` says None for it)."""


def lengths_column() -> Any:
    """The column type Whoosh 3 stores field lengths in."""
    from whoosh.codec.whoosh3 import LENGTHS_COLUMN

    return LENGTHS_COLUMN


def column_values(col: Any, n: int) -> list[int]:
    """All ``n`` values of a Whoosh numeric column, read in one go instead of one by one."""
    try:
        count, size = col._count, col._fixedlen
        raw = col._dbfile.get(col._basepos, count * size)
        values = array(col._typecode, raw)
        if size > 1 and sys.byteorder == "little":
            values.byteswap()  # Whoosh writes big-endian
        out = values.tolist()
        if count < n:
            out += [col._default] * (n - count)
        return out[:n]
    except (AttributeError, TypeError, ValueError):
        return list(col)


def length_table(perdoc: Any, fieldname: str) -> list[int] | None:
    """Every document's length of ``fieldname`` in a segment (a ``W3PerDocReader``), decoded
    once and kept on the reader; None where the field has no lengths column."""
    tables = perdoc.__dict__.setdefault("_newsreader_lengths", {})
    table = tables.get(fieldname, _MISSING)
    if table is _MISSING:
        reader = perdoc._cached_reader(f"_{fieldname}_len", lengths_column())
        if reader is None:
            table = None
        else:
            table = [BYTE_TO_LENGTH[b] for b in column_values(reader, perdoc._doccount)]
        tables[fieldname] = table
    return table


def segment_lengths(seg: Any, fieldname: str) -> list[int]:
    """Every document's length of ``fieldname`` in one segment reader (0 where none)."""
    n = seg.doc_count_all()
    try:
        col = seg._perdoc._cached_reader(f"_{fieldname}_len", lengths_column())
    except AttributeError:
        col = None
    if col is None:
        return [seg.doc_field_length(d, fieldname, 0) for d in range(n)]
    table = BYTE_TO_LENGTH
    return [table[b] for b in column_values(col, n)]


def deleted_docs(seg: Any) -> list[int]:
    """A segment's deleted docnums (their postings stay until segments merge)."""
    if not seg.has_deletions():
        return []
    dels = seg.deleted_docs_set  # a property in some Whoosh versions
    return list(dels() if callable(dels) else dels)


def segment_id(seg: Any) -> Any:
    """An identity for a segment that survives reopening the index (its files never change)."""
    try:
        return seg.segment().segment_id()
    except AttributeError:
        return id(seg)


def leaf_matcher(m: Any) -> Any | None:
    """The Whoosh 3 block matcher under ``m`` (deletions are dropped by the caller), or None."""
    from whoosh.codec.whoosh3 import W3LeafMatcher

    if isinstance(m, W3LeafMatcher):
        return m
    child = getattr(m, "child", None)
    return child if isinstance(child, W3LeafMatcher) else None


def read_postings(m: Any, offset: int) -> tuple[Any, Any]:
    """Every (docnum + offset, weight) of matcher ``m``, as numpy arrays (int64, float64).

    A Whoosh 3 posting list is decoded a block at a time; anything else one posting at a
    time through the public matcher API.
    """
    import numpy as np

    leaf = leaf_matcher(m)
    if leaf is not None:
        try:
            return _read_blocks(leaf, offset)
        except AttributeError:  # a different codec version: the slow, public way
            pass
    ids: list[int] = []
    tfs: list[float] = []
    while m.is_active():
        ids.append(m.id() + offset)
        tfs.append(m.weight())
        m.next()
    return np.array(ids, dtype=np.int64), np.array(tfs, dtype=np.float64)


_BLOCK_LENGTH = struct.Struct("!i")  # a block's byte length; negative for the last block


def _read_blocks(m: Any, offset: int) -> tuple[Any, Any]:
    """Decode every block of a Whoosh 3 posting list from the file's buffer.

    Whoosh's own block walk (``_goto``, ``_read_data``, ``_read_weights``) sets a dozen
    attributes and converts lengths per block; reading the same bytes here directly (block
    length, pickled info, maybe-zlib'd pickled data) takes about a third less time for a
    common word. The blocks' id gaps and weights are gathered as they are and turned into
    arrays once, in C (``np.fromiter``, ``np.cumsum``). Files without an in-memory buffer go
    through the matcher's methods.
    """
    import numpy as np

    buf = getattr(m._postfile, "_buf", None)
    if buf is None or m._byteids:
        ids: list[int] = []
        tfs: list[float] = []
        _read_blocks_via_matcher(m, offset, ids, tfs)
        return np.array(ids, dtype=np.int64), np.array(tfs, dtype=np.float64)
    unpack_length = _BLOCK_LENGTH.unpack_from
    pos = m._baseoffset
    gap_blocks: list[Any] = []
    weight_blocks: list[Any] = []
    counts: list[int] = []
    while True:
        (length,) = unpack_length(buf, pos)
        last = length < 0
        if last:
            length = -length
        start = pos + _BLOCK_LENGTH.size
        raw = io.BytesIO(buf[start : start + length])
        count, _maxid, _maxweight, compression, _mnlen, _mxlen = pickle.load(raw)
        data = raw.read()
        gaps, weights = pickle.loads(zlib.decompress(data) if compression else data)[:2]
        gap_blocks.append(gaps)
        counts.append(count)
        if weights is None:
            weights = repeat(1.0, count)
        elif isinstance(weights, float):
            weights = repeat(weights, count)
        weight_blocks.append(weights)
        if last:
            break
        pos = start + length
    total = sum(counts)
    # a block's ids are gaps from the block's start: a running sum over all blocks, less the
    # sum at the end of the block before
    sums = np.cumsum(np.fromiter(chain.from_iterable(gap_blocks), dtype=np.int64, count=total))
    sizes = np.array(counts, dtype=np.int64)
    ends = np.cumsum(sizes)
    before = np.zeros(len(counts), dtype=np.int64)
    before[1:] = sums[ends[:-1] - 1]
    ids_out = sums - np.repeat(before - offset, sizes)
    tfs_out = np.fromiter(chain.from_iterable(weight_blocks), dtype=np.float64, count=total)
    return ids_out, tfs_out


def _read_blocks_via_matcher(m: Any, offset: int, ids: list[int], tfs: list[float]) -> None:
    while not m._atend:
        if m._data is None:
            m._read_data()
        raw_ids = m._data[0]
        # ids are stored as gaps from the previous id; accumulate() undoes that in C
        block_ids = list(raw_ids) if m._byteids else list(accumulate(raw_ids))
        if offset:
            block_ids = [d + offset for d in block_ids]
        ids.extend(block_ids)
        m._read_weights()
        tfs.extend(m._weights)
        if m._lastblock:
            break
        m._goto(m._nextoffset)


def stored_fields(reader: Any, docnum: int) -> dict[str, Any]:
    """A document's stored fields, as ``reader.stored_fields`` gives them, without Whoosh's
    check of every key against the schema (a tenth of a search's time went there; the
    index is rebuilt whenever the schema changes, so no stale field is stored)."""
    try:
        if reader.is_atomic():
            seg, local = reader, docnum
        else:
            i, local = reader._segment_and_docnum(docnum)
            seg = reader.readers[i]
        if seg.is_closed:
            return dict(reader.stored_fields(docnum))
        got = seg._perdoc.stored_fields(local)
        return got if isinstance(got, dict) else dict(reader.stored_fields(docnum))
    except AttributeError:
        return dict(reader.stored_fields(docnum))


def bytes_column(seg: Any, fieldname: str) -> Any | None:
    """docnum -> value of a bytes column (``VarBytesColumn``) in one segment reader, or None
    if the segment has no such column. The column's reader is opened once per segment
    reader (its offsets table is built when it opens)."""
    try:
        perdoc = seg._perdoc
        tables = perdoc.__dict__.setdefault("_newsreader_bytes", {})
    except AttributeError:
        if not seg.has_column(fieldname):
            return None
        return seg.column_reader(fieldname, translate=False).__getitem__
    got = tables.get(fieldname, _MISSING)
    if got is _MISSING:
        col = perdoc._cached_reader(fieldname, seg.schema[fieldname].column_type)
        got = tables[fieldname] = None if col is None else col.__getitem__
    return got
