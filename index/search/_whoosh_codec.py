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
from bisect import bisect_left
from itertools import accumulate, chain, pairwise, repeat
from typing import Any

from whoosh.codec.whoosh3 import W3Codec, W3PerDocReader, W3PostingsWriter, W3TermsReader
from whoosh.filedb.structfile import BufferFile
from whoosh.matching import LeafMatcher, ReadTooFar

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


def column_array(col: Any, n: int) -> Any:
    """``column_values`` as a numpy array (the column's own type), decoded in C."""
    import numpy as np

    try:
        count, size, code = col._count, col._fixedlen, col._typecode
        dtype = np.dtype(code).newbyteorder(">")  # Whoosh writes big-endian
        if dtype.itemsize != size:
            raise ValueError(code)
        values = np.frombuffer(col._dbfile.get(col._basepos, count * size), dtype=dtype)
        out = np.full(n, col._default, dtype=dtype.newbyteorder("="))
        out[: min(count, n)] = values[:n]
        return out
    except (AttributeError, TypeError, ValueError, OverflowError):
        return np.asarray(column_values(col, n))


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


def segment_length_array(seg: Any, fieldname: str) -> Any:
    """``segment_lengths`` as a numpy array (int64), decoded in C: the table lookup of a
    million documents' length bytes took a list comprehension 0.4 s at the first search."""
    import numpy as np

    n = seg.doc_count_all()
    try:
        col = seg._perdoc._cached_reader(f"_{fieldname}_len", lengths_column())
        if col is not None and col._fixedlen == 1 and col._typecode == "B" and not col._default:
            count = min(col._count, n)
            raw = np.frombuffer(col._dbfile.get(col._basepos, count), dtype=np.uint8)
            out = np.zeros(n, dtype=np.int64)  # a document past the column's end: no length
            out[:count] = np.asarray(BYTE_TO_LENGTH, dtype=np.int64)[raw]
            return out
    except AttributeError:
        pass
    return np.asarray(segment_lengths(seg, fieldname), dtype=np.int64)


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
    """The matcher of one segment's posting list under ``m`` (ours or Whoosh 3's block
    matcher; deletions are dropped by the caller), or None."""
    from whoosh.codec.whoosh3 import W3LeafMatcher

    kinds = (NewsPostingsMatcher, W3LeafMatcher)
    if isinstance(m, kinds):
        return m
    child = getattr(m, "child", None)
    return child if isinstance(child, kinds) else None


def read_postings(m: Any, offset: int) -> tuple[Any, Any]:
    """Every (docnum + offset, weight) of matcher ``m``, as numpy arrays (int64, float64).

    A Whoosh 3 posting list is decoded a block at a time; anything else one posting at a
    time through the public matcher API.
    """
    import numpy as np

    leaf = leaf_matcher(m)
    if isinstance(leaf, NewsPostingsMatcher):
        got = leaf.decoded()
        return (got.ids + offset if offset else got.ids), got.weights
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


# -- segment files read in place -------------------------------------------------------------
#
# A segment is one compound file that Whoosh maps into memory; but each file in it (a column,
# the postings, the term index) was handed out as a ``BufferFile``, which copies its bytes
# into a ``BytesIO``: opening a searcher read every segment's postings and, at the first
# page, its whole column of hit records, from disk into private memory (2.4 s for the first
# search of a 1M library, 7.6 s from a cold page cache, and the searcher's memory). Our
# codec opens them as ``ViewFile``s over the mapped bytes instead; a read copies only the
# bytes it asks for, and the page cache holds the rest, shared between processes.


class _ViewReader:
    """A read-only file over a memoryview (read, readinto, readline, seek, tell): what
    ``StructFile`` asks of the file it wraps, with no copy of the view."""

    __slots__ = ("_pos", "_view", "closed")

    def __init__(self, view: memoryview) -> None:
        self._view = view
        self._pos = 0
        self.closed = False

    def read(self, size: int | None = -1) -> bytes:
        pos, total = self._pos, len(self._view)
        end = total if size is None or size < 0 else min(total, pos + size)
        if end <= pos:
            return b""
        self._pos = end
        return bytes(self._view[pos:end])

    def readinto(self, target: Any) -> int:
        out = memoryview(target).cast("B")
        pos = self._pos
        n = max(0, min(len(out), len(self._view) - pos))
        out[:n] = self._view[pos : pos + n]
        self._pos = pos + n
        return n

    def readline(self, size: int | None = -1) -> bytes:
        pos, total = self._pos, len(self._view)
        end = total if size is None or size < 0 else min(total, pos + size)
        step = 256
        at = pos
        while at < end:
            chunk = bytes(self._view[at : min(end, at + step)])
            nl = chunk.find(b"\n")
            if nl >= 0:
                end = at + nl + 1
                break
            at += len(chunk)
            step *= 2
        return self.read(end - pos)

    def seek(self, offset: int, whence: int = 0) -> int:
        base = (0, self._pos, len(self._view))[whence]
        pos = base + offset
        if pos < 0:
            raise ValueError(f"negative seek position {pos}")
        self._pos = pos
        return pos

    def tell(self) -> int:
        return self._pos

    def __iter__(self) -> Any:
        return iter(self.readline, b"")

    def close(self) -> None:
        self.closed = True


class ViewFile(BufferFile):
    """Whoosh's ``BufferFile`` over a memoryview without its ``BytesIO`` copy: ``get`` and
    the ``get_*`` methods slice the view (as ``BufferFile``'s do), ``read``, ``seek`` and
    ``tell`` move over it; a ``subset`` is a view of the view."""

    def __init__(self, view: memoryview, name: str | None = None, onclose: Any = None) -> None:
        self._buf = view
        self._name = name
        self.file = _ViewReader(view)
        self.onclose = onclose
        self.is_real = False
        self.is_closed = False

    def subset(self, position: int, length: int, name: str | None = None) -> ViewFile:
        return ViewFile(self._buf[position : position + length], name=name or self._name)


def open_in_place(storage: Any, name: str) -> Any:
    """``storage.open_file(name)``, as a ``ViewFile`` over the mapped compound file when the
    file is in one (a segment reader's storage: the compound file overlaid on the index
    directory); otherwise Whoosh's own file."""
    from whoosh.filedb.compound import CompoundStorage
    from whoosh.filedb.filestore import OverlayStorage

    files = storage
    if isinstance(files, OverlayStorage) and files.a.file_exists(name):
        files = files.a
    source = getattr(files, "_source", None)
    if isinstance(files, CompoundStorage) and source is not None and not files.is_closed:
        try:
            offset, length = files.range(name)
        except NameError:
            return storage.open_file(name)
        return ViewFile(memoryview(source)[offset : offset + length], name=name)
    return storage.open_file(name)


class NewsPerDocReader(W3PerDocReader):
    """Whoosh 3's per-document reader (columns, lengths, stored fields), its column files
    opened in place (``open_in_place``)."""

    def _get_column_file(self, fieldname: str) -> tuple[Any, int, int]:
        filename = W3Codec.column_filename(self._segment, fieldname)
        length = self._storage.file_length(filename)
        return open_in_place(self._storage, filename), 0, length

    def _prep_vectors(self) -> None:
        name = self._segment.make_filename(W3Codec.VPOSTS_EXT)
        self._vpostfile = open_in_place(self._storage, name)


# -- our posting-list format -----------------------------------------------------------------
#
# Whoosh 3 writes a posting list as blocks of 128 postings, each a pickled header and a zlib'd
# pickled tuple; reading a common word's list meant two unpickles and a decompression per
# block, over half of a stop-word query at 100k. ``NewsCodec`` writes each list as one
# record that numpy reads without pickle: a fixed header, then the id gaps, the weights and
# the values as raw little-endian arrays, each zlib'd only where that saves a fifth or more.
# Each segment keeps its codec (Whoosh pickles it in the table of contents), so a segment
# written by Whoosh's own codec stays readable, and reading needs no patch.

_LIST_MAGIC = b"NRp1"
# count, first id, id gap width (1, 2, 4 bytes), weights kind, values kind, compressed
# sections (bits: ids, weights, values), the weight when all are equal, sections' stored sizes
_LIST_HEAD = struct.Struct("<IIBBBBfIII")
_W_CONST, _W_U8, _W_U16, _W_F32 = 0, 1, 2, 3
_V_NONE, _V_FROM_WEIGHTS, _V_FIXED, _V_VARIABLE = 0, 1, 2, 3
_Z_IDS, _Z_WEIGHTS, _Z_VALUES = 1, 2, 4
_Z_MIN = 64  # sections shorter than this are stored as they are
_Z_LEVEL = 3


def _maybe_compress(raw: bytes, bit: int) -> tuple[bytes, int]:
    """``raw`` zlib'd with its flag bit, where that makes it at least a fifth smaller."""
    if len(raw) >= _Z_MIN:
        packed = zlib.compress(raw, _Z_LEVEL)
        if len(packed) * 5 <= len(raw) * 4:
            return packed, bit
    return raw, 0


_NUMPY_FROM = 256  # postings from which numpy encodes a list faster than the array module
_LITTLE = sys.byteorder == "little"
_UINT = {1: "B", 2: "H", 4: "I" if array("I").itemsize == 4 else "L"}


def _le(a: array[Any]) -> bytes:
    if not _LITTLE:
        a.byteswap()
    return a.tobytes()


def _id_gaps(ids: Any) -> tuple[int, bytes]:
    """(width, bytes) of the gaps between ascending ``ids``: little-endian, 1, 2 or 4 bytes
    each, the narrowest that holds the largest gap."""
    if len(ids) > _NUMPY_FROM:
        import numpy as np

        gaps = np.diff(np.asarray(ids, dtype=np.int64))
        top = int(gaps.max())
        width = 1 if top < 1 << 8 else 2 if top < 1 << 16 else 4
        return width, gaps.astype(f"<u{width}").tobytes()
    plain = [b - a for a, b in pairwise(ids)]
    top = max(plain, default=0)
    width = 1 if top < 1 << 8 else 2 if top < 1 << 16 else 4
    return width, _le(array(_UINT[width], plain))


def _weight_bytes(weights: Any) -> tuple[int, float, bytes, bool]:
    """(kind, the weight when all are equal, bytes, whether all are whole and >= 0)."""
    n = len(weights)
    if not n:
        return _W_CONST, 0.0, b"", False
    if n > _NUMPY_FROM:
        import numpy as np

        w = np.asarray(weights, dtype=np.float32)
        lo, hi = float(w.min()), float(w.max())
        whole = lo >= 0 and bool(np.all(w == np.floor(w)))
    else:
        lo, hi = min(weights), max(weights)
        whole = lo >= 0 and all(x.is_integer() for x in weights)
    first = float(weights[0])
    if lo == hi:
        return _W_CONST, first, b"", whole
    if whole and hi < 1 << 8:
        return _W_U8, first, _le(array("B", map(int, weights))), whole
    if whole and hi < 1 << 16:
        return _W_U16, first, _le(array("H", map(int, weights))), whole
    return _W_F32, first, _le(array("f", weights)), whole


def encode_postings(ids: Any, weights: Any, values: list[bytes], fixedsize: int | None) -> bytes:
    """One term's postings as a ``NewsCodec`` record (``DecodedPostings`` reads it back).

    ``ids`` ascending docnums (an ``array("I")``), ``weights`` an ``array("f")``, ``values``
    the encoded values Whoosh keeps (the non-empty ones, as Whoosh's own writer keeps them),
    ``fixedsize`` the format's value size (None: variable).
    """
    count = len(ids)
    width, id_raw = _id_gaps(ids)
    wkind, wconst, w_raw, whole = _weight_bytes(weights)
    if fixedsize == 0 or not values:
        vkind, v_raw = _V_NONE, b""
    elif (
        fixedsize == 4
        and len(values) == count
        and whole
        and max(weights) < 1 << 32
        and b"".join(values) == struct.pack(f">{count}I", *map(int, weights))
    ):
        vkind, v_raw = _V_FROM_WEIGHTS, b""  # Whoosh's Frequency: each value is its weight
    elif fixedsize is not None and fixedsize > 0:
        vkind, v_raw = _V_FIXED, b"".join(values)
    else:
        lengths = _le(array(_UINT[4], map(len, values)))
        vkind = _V_VARIABLE
        v_raw = b"".join((struct.pack("<I", len(values)), lengths, *values))
    id_out, z1 = _maybe_compress(id_raw, _Z_IDS)
    w_out, z2 = _maybe_compress(w_raw, _Z_WEIGHTS)
    v_out, z3 = _maybe_compress(v_raw, _Z_VALUES)
    head = _LIST_HEAD.pack(
        count,
        ids[0] if count else 0,
        width,
        wkind,
        vkind,
        z1 | z2 | z3,
        wconst,
        len(id_out),
        len(w_out),
        len(v_out),
    )
    return b"".join((_LIST_MAGIC, head, id_out, w_out, v_out))


class DecodedPostings:
    """A ``NewsCodec`` record read back: ids (int64) and weights (float64) as numpy arrays;
    the values only when asked for (phrase checks of the fields that keep positions)."""

    __slots__ = ("_fixedsize", "_raw", "_values", "_values_at", "_vkind", "_zv", "ids", "weights")

    def __init__(self, raw: bytes, fixedsize: int | None) -> None:
        import numpy as np

        if raw[:4] != _LIST_MAGIC:
            raise ValueError(f"not a posting list of ours: {raw[:4]!r}")
        count, first, width, wkind, vkind, zflags, wconst, nid, nw, nv = _LIST_HEAD.unpack_from(
            raw, 4
        )
        pos = 4 + _LIST_HEAD.size
        section = raw[pos : pos + nid]
        if zflags & _Z_IDS:
            section = zlib.decompress(section)
        ids = np.empty(count, dtype=np.int64)
        if count:
            ids[0] = 0
            np.cumsum(np.frombuffer(section, dtype=f"<u{width}", count=count - 1), out=ids[1:])
            ids += first
        pos += nid
        if wkind == _W_CONST:
            weights = np.full(count, wconst, dtype=np.float64)
        else:
            section = raw[pos : pos + nw]
            if zflags & _Z_WEIGHTS:
                section = zlib.decompress(section)
            dtype = {_W_U8: "<u1", _W_U16: "<u2", _W_F32: "<f4"}[wkind]
            weights = np.frombuffer(section, dtype=dtype, count=count).astype(np.float64)
        pos += nw
        self.ids = ids
        self.weights = weights
        self._raw = raw
        self._values_at = (pos, nv)
        self._vkind = vkind
        self._zv = bool(zflags & _Z_VALUES)
        self._fixedsize = fixedsize
        self._values: Any = None

    def values(self) -> Any:
        """The postings' encoded values, as Whoosh's matcher gives them."""
        if self._values is None:
            self._values = self._read_values()
            self._raw = b""  # everything is decoded now
        return self._values

    def _read_values(self) -> Any:
        n = len(self.ids)
        fixedsize = self._fixedsize
        if fixedsize == 0:
            return (None,) * n
        if self._vkind == _V_FROM_WEIGHTS:
            packed = self.weights.astype(">u4").tobytes()
            return tuple(packed[i : i + 4] for i in range(0, 4 * n, 4))
        pos, nv = self._values_at
        section = self._raw[pos : pos + nv]
        if self._zv:
            section = zlib.decompress(section)
        if self._vkind == _V_NONE:
            return ()
        if self._vkind == _V_FIXED:
            size = fixedsize or 1
            return tuple(section[i : i + size] for i in range(0, len(section), size))
        import numpy as np

        (k,) = struct.unpack_from("<I", section, 0)
        ends = np.cumsum(np.frombuffer(section, dtype="<u4", count=k, offset=4)).tolist()
        data = section[4 + 4 * k :]
        starts = [0, *ends[:-1]]
        return tuple([data[a:b] for a, b in zip(starts, ends, strict=True)])


class NewsPostingsWriter(W3PostingsWriter):
    """Whoosh 3's postings writer, writing each posting list as one ``encode_postings``
    record. Postings still arrive in blocks (``_write_block``: Whoosh's ``add_posting`` and
    the bulk writer of ``_whoosh_patches`` both fill a block and hand it over), so the term's
    statistics are gathered per block exactly as before; the record is written at the end."""

    _terminfo: Any

    def start_postings(self, format_: Any, terminfo: Any) -> None:
        super().start_postings(format_, terminfo)
        self._term_ids: list[Any] = []
        self._term_weights: list[Any] = []
        self._term_values: list[bytes] = []

    def _write_block(self, last: bool = False) -> None:
        terminfo: Any = self._terminfo
        terminfo.add_block(self)
        self._term_ids.append(self._ids)
        self._term_weights.append(self._weights)
        self._term_values += self._values
        self._blockcount += 1
        self._new_block()

    def finish_postings(self) -> Any:
        if not self.written() and len(self) < self._inlinelimit:
            return super().finish_postings()  # Whoosh inlines it in the term info
        if self._ids:
            self._write_block(last=True)
        terminfo: Any = self._terminfo
        ids, weights = self._term_ids[0], self._term_weights[0]
        if len(self._term_ids) > 1:
            ids, weights = array(ids.typecode), array("f")
            for part in self._term_ids:
                ids.extend(part)
            for part in self._term_weights:
                weights.extend(part)
        record = encode_postings(ids, weights, self._term_values, self._format.fixed_value_size())
        start = self._postfile.tell()
        self._postfile.write(record)
        terminfo.set_extent(start, len(record))
        self._term_ids, self._term_weights, self._term_values = [], [], []
        self._terminfo = None
        return terminfo


class NewsPostingsMatcher(LeafMatcher):
    """Whoosh's matcher interface over one ``NewsCodec`` record, decoded on first use.

    The whole list is one block to Whoosh (its quality bounds are the term's), so what
    skips by block quality stays right; ``skip_to`` is a binary search.
    """

    def __init__(
        self,
        postfile: Any,
        offset: int,
        length: int,
        format_: Any,
        terminfo: Any,
        term: Any = None,
        scorer: Any = None,
        decoded: DecodedPostings | None = None,
        position: int = 0,
    ) -> None:
        self._postfile = postfile
        self._offset = offset
        self._length = length
        self.format = format_
        self._terminfo = terminfo
        self._term = term
        self.scorer = scorer
        self._decoded = decoded
        self._count = terminfo.doc_frequency()
        self._i = position
        self._idlist: list[int] | None = None
        self._wlist: list[float] | None = None

    def decoded(self) -> DecodedPostings:
        """The whole list as arrays (read and decoded once per matcher)."""
        got = self._decoded
        if got is None:
            raw = self._postfile.get(self._offset, self._length)
            got = self._decoded = DecodedPostings(raw, self.format.fixed_value_size())
            self._count = len(got.ids)
        return got

    def _ids(self) -> list[int]:
        if self._idlist is None:
            self._idlist = self.decoded().ids.tolist()
        return self._idlist

    def is_active(self) -> bool:
        return self._i < self._count

    def reset(self) -> None:
        self._i = 0

    def id(self) -> int:
        return self._ids()[self._i]

    def weight(self) -> float:
        if self._wlist is None:
            self._wlist = self.decoded().weights.tolist()
        return self._wlist[self._i]

    def value(self) -> Any:
        return self.decoded().values()[self._i]

    def next(self) -> bool:
        self._i += 1
        return False

    def skip_to(self, targetid: int) -> None:
        if not self.is_active():
            raise ReadTooFar
        ids = self._ids()
        if targetid > ids[self._i]:
            self._i = bisect_left(ids, targetid, self._i)

    def copy(self) -> NewsPostingsMatcher:
        m = NewsPostingsMatcher(
            self._postfile,
            self._offset,
            self._length,
            self.format,
            self._terminfo,
            self._term,
            self.scorer,
            self._decoded,
            self._i,
        )
        m._idlist, m._wlist = self._idlist, self._wlist
        return m

    def replace(self, minquality: float = 0) -> Any:
        from whoosh.matching import NullMatcher

        if not self.is_active():
            return NullMatcher()
        if minquality and self.max_quality() < minquality:
            return NullMatcher()
        return self

    def skip_to_quality(self, minquality: float) -> int:
        if self.is_active() and self.block_quality() <= minquality:
            self._i = self._count
            return 1
        return 0

    def all_ids(self) -> Any:
        rest = self._ids()[self._i :]
        self._i = self._count
        return iter(rest)

    def block_min_id(self) -> int:
        return self._ids()[0]

    def block_max_id(self) -> int:
        return self._ids()[-1]

    def block_min_length(self) -> int:
        return int(self._terminfo.min_length())

    def block_max_length(self) -> int:
        return int(self._terminfo.max_length())

    def block_max_weight(self) -> float:
        return float(self._terminfo.max_weight())


class NewsCodec(W3Codec):
    """Whoosh 3's codec with ``NewsPostingsWriter`` and ``NewsPostingsMatcher`` for
    document postings (term vectors, unused here, keep Whoosh's blocks), reading a
    segment's files in place (``open_in_place``)."""

    def postings_writer(self, dbfile: Any, byteids: bool = False) -> Any:
        if byteids:
            return super().postings_writer(dbfile, byteids=True)
        return NewsPostingsWriter(
            dbfile,
            blocklimit=self._blocklimit,
            byteids=False,
            compression=self._compression,
            inlinelimit=self._inlinelimit,
        )

    def postings_reader(
        self, dbfile: Any, terminfo: Any, format_: Any, term: Any = None, scorer: Any = None
    ) -> Any:
        if terminfo.is_inlined():
            return super().postings_reader(dbfile, terminfo, format_, term=term, scorer=scorer)
        offset, length = terminfo.extent()
        if isinstance(length, tuple):  # Whoosh's term info reads it back as a 1-tuple
            (length,) = length
        return NewsPostingsMatcher(dbfile, offset, length, format_, terminfo, term, scorer)

    def terms_reader(self, storage: Any, segment: Any) -> Any:
        tiname = segment.make_filename(self.TERMS_EXT)
        tilen = storage.file_length(tiname)
        tifile = open_in_place(storage, tiname)
        postfile = open_in_place(storage, segment.make_filename(self.POSTS_EXT))
        return W3TermsReader(self, tifile, tilen, postfile)

    def per_document_reader(self, storage: Any, segment: Any) -> Any:
        return NewsPerDocReader(storage, segment)


def news_codec() -> NewsCodec:
    """The codec new segments are written with."""
    return NewsCodec()
