"""Faster paths through Whoosh's writing and reading code, with the same results.

Whoosh is pure Python and does per-posting work in several method calls; these replace a
few of its hot methods with versions that do the same work in bulk. ``install`` applies them
once per process; ``SearchIndex.open`` calls it, so importing a search module patches
nothing (``analysis``, used by the app to fold words, stays free of side effects). What they
read of Whoosh's files goes through ``_whoosh_codec``. Each says what it replaces; the tests
compare their answers or files with Whoosh's own.
"""

from __future__ import annotations

import contextlib
import heapq
import struct
from array import array
from bisect import bisect_right
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator
from itertools import groupby, islice, repeat
from typing import Any

from ._whoosh_codec import length_table

# a term with its postings: (field, term, docnums, weights, values), the docnums ascending
Entry = tuple[str, bytes, "array[int]", "array[float]", list[Any]]


def _cache_column_lookups() -> None:
    """Make Whoosh remember which columns a segment lacks.

    While writing postings Whoosh asks for every posting's document length; for fields with
    no length column (ids, flags, dates) each ask checked the file system again. A segment's
    files never change once written, so the answer can be kept per reader.
    """
    from whoosh.codec.whoosh3 import W3PerDocReader

    original = W3PerDocReader.has_column
    if getattr(original, "_cached", False):
        return

    def has_column(self: Any, fieldname: str) -> bool:
        cache = self.__dict__.setdefault("_newsreader_has_column", {})
        got = cache.get(fieldname)
        if got is None:
            got = cache[fieldname] = bool(original(self, fieldname))
        return got

    has_column._cached = True  # type: ignore[attr-defined]
    W3PerDocReader.has_column = has_column


def _table_field_lengths() -> None:
    """Make Whoosh read a segment's field lengths once per field, not once per posting.

    Writing a segment asked for the document's field length with every posting it wrote
    (``FieldWriter.add_postings``), each ask going through the column file: a third of a
    segment's write time. A segment's files never change once written, so each field's
    lengths are decoded in bulk on the first ask (``length_table``) and looked up from then
    on, with the same answers (``default`` without a lengths column).
    """
    from whoosh.codec.whoosh3 import W3PerDocReader

    original = W3PerDocReader.doc_field_length
    if getattr(original, "_tabled", False):
        return

    def doc_field_length(self: Any, docnum: int, fieldname: str, default: Any = 0) -> Any:
        table = length_table(self, fieldname)
        if table is None:
            return default
        if docnum > self._doccount:
            raise IndexError(f"Asked for docnum {docnum!r} of {self._doccount}")
        return table[docnum] or None  # Whoosh answers None for an empty field

    doc_field_length._tabled = True  # type: ignore[attr-defined]
    doc_field_length._original = original  # type: ignore[attr-defined]
    W3PerDocReader.doc_field_length = doc_field_length


def _column_offsets_in_c() -> None:
    """Make Whoosh derive a bytes column's offsets from its lengths in C.

    A ``VarBytesColumn`` of 32,768 documents or fewer is written without its offsets, and
    Whoosh's reader derived them when it opened the column, in a Python loop over every
    document: for the hit records and the stored fields of each small segment, on the
    first page after a searcher opens. The same offsets (an ``array("L")``), summed by
    numpy; columns with stored offsets are read as before.
    """
    from whoosh.columns import VarBytesColumn

    original = VarBytesColumn.Reader._read_offsets_and_lengths
    if getattr(original, "_in_c", False):
        return

    def _read_offsets_and_lengths(self: Any) -> None:
        dbfile, count = self._dbfile, self._doccount
        last = self._basepos + self._length - 1
        code = chr(dbfile.get_byte(last))
        if code == "X" or array("L").itemsize != 8:
            original(self)  # offsets stored (or an unusual platform): Whoosh's way
            return
        import numpy as np

        lengths = dbfile.get_array(last - struct.calcsize(code) * count, code, count)
        sizes = np.frombuffer(lengths, dtype=lengths.typecode, count=count).astype(np.uint64)
        ends = np.cumsum(sizes, dtype=np.uint64)
        offsets = array("L")
        offsets.frombytes((ends - sizes).tobytes())
        self._offsets = offsets
        self._lengths = lengths

    _read_offsets_and_lengths._in_c = True  # type: ignore[attr-defined]
    _read_offsets_and_lengths._original = original  # type: ignore[attr-defined]
    VarBytesColumn.Reader._read_offsets_and_lengths = _read_offsets_and_lengths


def _lean_posting_pool() -> None:
    """Whoosh's posting buffer without its per-posting type asserts and size sum.

    ``PostingPool.add`` runs once per posting; it checked the types of what the fields
    hand it (always bytes here: ``NewsText.index`` and Whoosh's own fields) and summed an
    estimate of eleven terms. The same estimate, as one expression, and the same spilling
    to sorted runs once it passes the limit.
    """
    from whoosh.writing import PostingPool

    if getattr(PostingPool.add, "_lean", False):
        return

    def add(self: Any, item: tuple[str, bytes, int, float, bytes | None]) -> None:
        self.fieldnames.add(item[0])
        vbytes = item[4]
        self.currentsize += 150 + len(item[0]) + 2 * len(item[1]) + (len(vbytes) if vbytes else 0)
        if self.currentsize > self.limit:
            self.save()
        self.current.append(item)

    add._lean = True  # type: ignore[attr-defined]
    PostingPool.add = add


def _lean_add_document() -> None:
    """Whoosh's ``SegmentWriter.add_document`` handing each field's postings to the posting
    buffer as one list, not one call per posting.

    Whoosh's loop made a tuple and a ``PostingPool.add`` call (type asserts, a size sum, a
    limit check) for every posting; here a field's terms become the buffer's tuples in one
    comprehension, their size estimate is summed over the joined terms and values, and the
    limit is checked once per field. The buffer then spills at a field's end rather than
    mid-field, which moves where runs split but not what the merged runs give: every
    (field, term, document) is one posting, so the sorted order is the same, and so are the
    files written (``tests/index/search/test_search_speedups.py`` compares them).
    """
    from whoosh.writing import SegmentWriter

    if getattr(SegmentWriter.add_document, "_lean", False):
        return
    original = SegmentWriter.add_document

    def add_document(self: Any, **fields: Any) -> None:
        self._check_state()
        perdocwriter = self.perdocwriter
        schema = self.schema
        docnum = self.docnum
        pool = self.pool
        docboost = self._doc_boost(fields)
        fieldnames = sorted([name for name in fields if not name.startswith("_")])
        self._check_fields(schema, fieldnames)
        vbytes: Any = None
        perdocwriter.start_doc(docnum)
        try:
            for fieldname in fieldnames:
                value = fields.get(fieldname)
                if value is None:
                    continue
                field = schema[fieldname]
                length = 0
                if field.indexed:
                    fieldboost = self._field_boost(fields, fieldname, docboost)
                    counter = getattr(field, "term_counts", None)
                    counts = counter(value) if counter is not None else None
                    if counts is not None:
                        # a field without positions: its postings made from the counts in C
                        if counts:
                            freqs = list(counts.values())
                            weights, vals = frequency_postings(
                                freqs, field.format.field_boost, fieldboost
                            )
                            if field.scorable:
                                length = sum(freqs)
                            _pool_terms(pool, fieldname, counts, docnum, weights, vals)
                            vbytes = vals[-1]
                    else:
                        items = list(field.index(value))
                        if items:
                            if field.scorable:
                                length = sum([it[1] for it in items])
                            values = [it[3] for it in items]
                            _pool_terms(
                                pool,
                                fieldname,
                                [it[0] for it in items],
                                docnum,
                                [it[2] * fieldboost for it in items],
                                values,
                            )
                            vbytes = values[-1]
                if field.separate_spelling():
                    spellfield = field.spelling_fieldname(fieldname)
                    for word in field.spellable_words(value):
                        pool.add((spellfield, word.encode("utf-8"), 0, 1, vbytes))
                vformat = field.vector
                if vformat:
                    vitems = vformat.word_values(value, field.analyzer, mode="index")
                    vitems = sorted((text, weight, vb) for text, _, weight, vb in vitems)
                    perdocwriter.add_vector_items(fieldname, field, vitems)
                customval = fields.get(f"_stored_{fieldname}", value)
                sv = customval if field.stored else None
                perdocwriter.add_field(fieldname, field, sv, length)
                column = field.column_type
                if column and customval is not None:
                    cv = field.to_column_value(customval)
                    perdocwriter.add_column_value(fieldname, column, cv)
        except Exception:
            perdocwriter.cancel_doc()
            raise
        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1

    add_document._lean = True  # type: ignore[attr-defined]
    add_document._original = original  # type: ignore[attr-defined]
    SegmentWriter.add_document = add_document


def _pool_terms(
    pool: Any,
    fieldname: str,
    terms: Iterable[bytes],
    docnum: int,
    weights: list[float],
    values: list[Any],
) -> None:
    """One document's postings of one field into a writer's buffer: a ``TermPool`` takes
    them as they are; Whoosh's ``PostingPool`` as one tuple each, with its size estimate
    summed over the field and its limit checked once per field (it then spills at a
    field's end rather than mid-field, which moves where runs split, not what they give)."""
    if isinstance(pool, TermPool):
        pool.add_terms(fieldname, terms, docnum, weights, values)
        return
    terms = list(terms)
    pool.current.extend(zip(repeat(fieldname), terms, repeat(docnum), weights, values))
    pool.fieldnames.add(fieldname)
    pool.currentsize += (
        len(terms) * (150 + len(fieldname))
        + 2 * len(b"".join(terms))
        + len(b"".join([v for v in values if v]))
    )
    if pool.currentsize > pool.limit:
        pool.save()


_FREQUENCY_TABLES: dict[tuple[float, float], tuple[list[float], list[bytes]]] = {}
_TABLED_FREQUENCIES = 4096  # a term seen more often in one field is computed, not tabled


def frequency_postings(
    freqs: list[int], format_boost: float, field_boost: float
) -> tuple[list[float], list[bytes]]:
    """(weights, encoded values) of frequency-format postings of terms seen ``freqs`` times:
    the weight ``NewsText.index`` and Whoosh's ``add_document`` give a term seen n times,
    ``(n * format_boost) * field_boost``, and the value ``pack_uint(n)``, looked up in tables
    built once per boost (no Python per posting)."""
    from whoosh.system import pack_uint

    top = max(freqs, default=0)
    if top > _TABLED_FREQUENCIES:
        return [n * format_boost * field_boost for n in freqs], [pack_uint(n) for n in freqs]
    key = (format_boost, field_boost)
    got = _FREQUENCY_TABLES.get(key)
    if got is None:
        got = _FREQUENCY_TABLES[key] = ([], [])
    weights, values = got
    for n in range(len(weights), top + 1):
        weights.append(n * format_boost * field_boost)
        values.append(pack_uint(n))
    return list(map(weights.__getitem__, freqs)), list(map(values.__getitem__, freqs))


def _bulk_postings_writer() -> None:
    """Write a segment's postings a block at a time instead of one posting at a time.

    Whoosh's ``FieldWriter.add_postings`` walks the sorted postings and makes four Python
    calls per posting (length lookup, ``add``, ``add_posting`` with its type asserts,
    statistics); with the postings grouped by term, each block's ids, weights, values and
    length statistics are gathered with a few list operations and handed to the same
    ``W3PostingsWriter._write_block``, so the files written are the same, byte for byte
    (``tests/index/search/test_search_speedups.py`` compares them).
    """
    from array import array
    from itertools import groupby
    from operator import itemgetter

    from whoosh.codec.whoosh3 import W3FieldWriter, W3PerDocReader

    if getattr(W3FieldWriter.add_postings, "_bulk", False):
        return
    original = W3FieldWriter.add_postings
    by_term = itemgetter(0, 1)

    def add_postings(self: Any, schema: Any, lengths: Any, items: Any) -> None:
        lastfn = None
        table: list[int] | None = None
        ask: Any = None
        entries: Iterable[Any]
        if isinstance(items, TermPostings):
            entries = items.entries
        else:
            entries = (
                (fieldname, btext, *zip(*[p[2:] for p in group], strict=True))
                for (fieldname, btext), group in groupby(items, key=by_term)
            )
        for fieldname, btext, docs, weights, values in entries:
            if docs and docs[0] == -1:  # -1: a spelling word, not a posting (sorted first)
                keep = [i for i, d in enumerate(docs) if d != -1]
                docs = [docs[i] for i in keep]
                weights = [weights[i] for i in keep]
                values = [values[i] for i in keep]
            if not docs:
                continue
            if fieldname != lastfn:
                if lastfn is not None:
                    self.finish_field()
                self.start_field(fieldname, schema[fieldname])
                lastfn = fieldname
                table = ask = None
                if isinstance(lengths, W3PerDocReader):
                    table = length_table(lengths, fieldname)
                elif lengths:
                    ask = lengths.doc_field_length
            self.start_term(btext)
            pw = self._postwriter
            limit = pw._blocklimit
            n = len(docs)
            for start in range(0, n, limit):
                ids = docs[start : start + limit]
                raw = weights[start : start + limit]
                if table is not None:
                    lens = [ln for ln in map(table.__getitem__, ids) if ln]
                elif ask is not None:
                    lens = [ln for d in ids if (ln := ask(d, fieldname))]
                else:
                    lens = []
                pw._ids = array("I", ids)
                pw._weights = array("f", raw)
                pw._values = list(filter(None, values[start : start + limit]))
                pw._maxweight = max(0, max(raw))
                pw._minlength = min(lens) if lens else None
                pw._maxlength = max(lens) if lens else 0
                if start + limit < n:
                    pw._write_block()  # the last block is written by finish_term
            self.finish_term()
        if lastfn is not None:
            self.finish_field()

    add_postings._bulk = True  # type: ignore[attr-defined]
    add_postings._original = original  # type: ignore[attr-defined]
    W3FieldWriter.add_postings = add_postings


def _compact_hash_buckets() -> None:
    """Keep a hash file's key positions in two arrays per bucket, not a tuple per key.

    Whoosh's ``HashWriter`` (a segment's term index) remembers every key it writes as a
    ``(hash, position)`` tuple in one of 256 bucket lists until it closes: about 120 bytes a
    term, and a segment has a term per document in ``id`` and ``published``, so a worker
    writing 50,000 documents held some 12 MB of them at its peak (the segment's end). Here
    a bucket is an ``array("I")`` of hashes and an ``array("q")`` of positions (12 bytes a
    key); the hash tables written from them are the same, byte for byte.
    """
    from whoosh.filedb.filetables import HashWriter, _lengths, _pointer

    if getattr(HashWriter.add, "_compact", False):
        return
    original_init = HashWriter.__init__
    pack_pointer = _pointer.pack
    pack_lengths = _lengths.pack

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        self.buckets = [(array("I"), array("q")) for _ in range(256)]

    def add(self: Any, key: bytes, value: bytes) -> None:
        assert isinstance(key, bytes)
        assert isinstance(value, bytes)
        dbfile = self.dbfile
        pos = dbfile.tell()
        dbfile.write(pack_lengths(len(key), len(value)))
        dbfile.write(key)
        dbfile.write(value)
        h = self.hashfn(key)
        hashes, positions = self.buckets[h & 255]
        hashes.append(h)
        positions.append(pos)

    def _write_hashes(self: Any) -> None:
        dbfile = self.dbfile
        null = (0, 0)
        for hashes, positions in self.buckets:
            # as Whoosh's: open addressing in twice as many slots as keys, in key order
            numslots = 2 * len(hashes)
            self.directory.append((dbfile.tell(), numslots))
            table = [null] * numslots
            for hashval, position in zip(hashes, positions, strict=True):
                slot = (hashval >> 8) % numslots
                while table[slot] != null:
                    slot = (slot + 1) % numslots
                table[slot] = (hashval, position)
            dbfile.write(b"".join([pack_pointer(h, p) for h, p in table]))

    add._compact = True  # type: ignore[attr-defined]
    HashWriter.__init__ = __init__
    HashWriter.add = add
    HashWriter._write_hashes = _write_hashes


def _chunked_pool_runs() -> None:
    """Spill the posting buffer to disk in pickled chunks, and merge the runs a chunk at a
    time in C, not one posting at a time in Python.

    A write bigger than the buffer (``limitmb``: a few thousand articles) sorts it and
    spills it to a run file. Whoosh pickled each posting separately there, unpickled each
    one when merging, and merged the runs with ``heapq.merge``, a Python loop per posting
    (a 10k-article write spent 18 % of its time in that merge). Runs are private to one
    write, so their format can change: they hold chunks of sorted postings, and the merge
    (``merged_chunks``) hands out sorted chunks whose postings it gathers with bisects and
    orders with ``list.sort``; it gives the same postings in the same order.
    """
    import pickle
    from itertools import chain

    from whoosh.writing import PostingPool

    if getattr(PostingPool._write_run, "_chunked", False):
        return

    def _write_run(self: Any, f: Any, items: Any) -> None:
        it = iter(items)
        try:
            while chunk := list(islice(it, _RUN_CHUNK)):
                pickle.dump(chunk, f, pickle.HIGHEST_PROTOCOL)
        finally:
            f.close()

    def _read_chunks(self: Any, path: str) -> Any:
        f = self._open_run(path)
        try:
            while True:
                try:
                    chunk = pickle.load(f)
                except EOFError:
                    return
                yield chunk
        finally:
            f.close()
            self._remove_run(path)

    def _read_run(self: Any, path: str) -> Any:
        for chunk in _read_chunks(self, path):
            yield from chunk

    def _merge_runs(self: Any, paths: Any) -> Any:
        return chain.from_iterable(merged_chunks([_read_chunks(self, p) for p in paths]))

    _write_run._chunked = True  # type: ignore[attr-defined]
    PostingPool._write_run = _write_run
    PostingPool._read_run = _read_run
    PostingPool._merge_runs = _merge_runs


def merged_chunks(runs: list[Iterator[list[Any]]]) -> Iterator[list[Any]]:
    """Sorted runs (each an iterator of sorted chunks) merged into one sorted sequence of
    chunks; no two items of all the runs may be equal (postings never are: one per field,
    term and document).

    Each round takes the smallest last item of the chunks at hand as a bound: every item at
    or below it, in every run, is at hand (the runs are sorted), so those items are taken
    (a bisect per run), sorted together (``list.sort`` merges the sorted pieces in C) and
    handed out; a run whose chunk is used up reads its next one. A round takes at least one
    whole chunk, so the Python work is per chunk and run, not per item.
    """
    heads: list[list[Any]] = []  # [chunk, position in it, the run's iterator]
    for run in runs:
        chunk = next(run, None)
        while chunk is not None and not chunk:
            chunk = next(run, None)
        if chunk is not None:
            heads.append([chunk, 0, run])
    while len(heads) > 1:
        bound = min(h[0][-1] for h in heads)
        out: list[Any] = []
        left = []
        for h in heads:
            chunk, pos, run = h
            if chunk[-1] <= bound:
                out += chunk[pos:] if pos else chunk
                nxt = next(run, None)
                while nxt is not None and not nxt:
                    nxt = next(run, None)
                if nxt is None:
                    continue
                h[0], h[1] = nxt, 0
            else:
                end = bisect_right(chunk, bound, pos)
                if end > pos:
                    out += chunk[pos:end]
                    h[1] = end
            left.append(h)
        heads = left
        out.sort()
        yield out
    if heads:
        chunk, pos, run = heads[0]
        yield chunk[pos:] if pos else chunk
        yield from run


_RUN_CHUNK = 512  # postings per pickle in a spilled run: a merge holds one per run (up to 128)


class TermPool:
    """A segment writer's posting buffer kept as one list per (field, term), in place of
    Whoosh's ``PostingPool`` (one tuple per posting, sorted when it spills and at the end).

    Documents are added in docnum order, so each term's postings arrive already in order:
    a term's list is ``[docnum, weight, value, docnum, weight, value, ...]`` and only the
    terms are sorted, not the postings. A document's field is added with a few passes in C
    (``add_terms``). A full buffer spills to a run file of (field, term, postings) entries,
    sorted by field and term; since runs hold ever later documents, a term's postings over
    all runs are its runs' lists joined in run order. The writer reads the terms with their
    postings (``TermPostings``); anything else reading ``iter_postings`` gets Whoosh's
    (field, term, docnum, weight, value) tuples, in Whoosh's order.

    ``currentsize`` estimates the buffer's real memory (``POSTING_BYTES`` a posting,
    ``TERM_BYTES`` plus the term a term): the limit is real megabytes, not Whoosh's estimate
    (about 180 bytes a posting, of which a tuple posting took about 2.5 times).
    """

    POSTING_BYTES = 27  # three list slots, with the lists' spare room
    TERM_BYTES = 200  # the list, its dict slot, the key

    def __init__(self, tempstore: Any, segment: Any, limitmb: float = 128) -> None:
        self.tempstore = tempstore
        self.segment = segment
        self.limit = int(limitmb * 1024 * 1024)
        self.currentsize = 0
        self.fieldnames: set[str] = set()
        self.terms: dict[str, defaultdict[bytes, list[Any]]] = {}
        self.runs: list[str] = []

    def add_terms(
        self,
        fieldname: str,
        terms: Iterable[bytes],
        docnum: int,
        weights: list[float],
        values: list[Any],
    ) -> None:
        """Add one document's postings of one field (each term once, in any order)."""
        table = self.terms.get(fieldname)
        if table is None:
            table = self.terms[fieldname] = defaultdict(list)
            self.fieldnames.add(fieldname)
        known = len(table)
        lists = list(map(table.__getitem__, terms))
        # one pass per column: each list gets its docnum, then its weight, then its value
        _consume(map(list.append, lists, repeat(docnum)))
        _consume(map(list.append, lists, weights))
        _consume(map(list.append, lists, values))
        self.currentsize += self.POSTING_BYTES * len(lists) + self.TERM_BYTES * (len(table) - known)
        if self.currentsize > self.limit:
            self.save()

    def add(self, item: tuple[str, bytes, int, float, Any]) -> None:
        """Add one posting, (field, term, docnum, weight, value), as Whoosh's pool does
        (merging segments adds them so); a term's docnums must come in order."""
        fieldname, btext, docnum, weight, value = item
        table = self.terms.get(fieldname)
        if table is None:
            table = self.terms[fieldname] = defaultdict(list)
            self.fieldnames.add(fieldname)
        posts = table.get(btext)
        if posts is None:
            posts = table[btext] = []
            self.currentsize += self.TERM_BYTES
        elif posts[-3] >= docnum:
            raise ValueError(f"posting for document {docnum} after document {posts[-3]}")
        posts += (docnum, weight, value)
        self.currentsize += self.POSTING_BYTES
        if self.currentsize > self.limit:
            self.save()

    def _sorted_entries(self) -> Iterator[Entry]:
        terms, self.terms = self.terms, {}
        self.currentsize = 0
        for fieldname in sorted(terms):
            table = terms.pop(fieldname)
            for btext in sorted(table):
                posts = table.pop(btext)
                yield (
                    fieldname,
                    btext,
                    array("q", posts[0::3]),
                    array("d", posts[1::3]),
                    posts[2::3],
                )

    def save(self) -> None:
        """Spill the buffer to a new run file."""
        if self.terms:
            self.runs.append(self._write_run(self._sorted_entries()))

    def _write_run(self, entries: Iterable[Entry]) -> str:
        import pickle

        from whoosh.util import random_name

        path = f"{random_name()}.run"
        f = self.tempstore.create_file(path).raw_file()
        try:
            # chunks of about _RUN_CHUNK_POSTINGS postings: a merge holds one per run
            chunk: list[Entry] = []
            postings = 0
            for entry in entries:
                chunk.append(entry)
                postings += len(entry[2])
                if postings >= _RUN_CHUNK_POSTINGS:
                    pickle.dump(chunk, f, pickle.HIGHEST_PROTOCOL)
                    chunk, postings = [], 0
            if chunk:
                pickle.dump(chunk, f, pickle.HIGHEST_PROTOCOL)
        finally:
            f.close()
        return path

    def _read_run(self, path: str) -> Iterator[Entry]:
        import pickle

        f = self.tempstore.open_file(path).raw_file()
        try:
            while True:
                try:
                    chunk = pickle.load(f)
                except EOFError:
                    return
                yield from chunk
        finally:
            f.close()
            self.tempstore.delete_file(path)

    def _merged(self, paths: list[str]) -> Iterator[Entry]:
        """The runs' entries in (field, term) order, a term's postings joined in run order
        (``heapq.merge`` takes equal keys from the earlier run first)."""
        merged = heapq.merge(*(self._read_run(p) for p in paths), key=_entry_key)
        for (fieldname, btext), group in groupby(merged, key=_entry_key):
            parts = list(group)  # one entry per run holding the term
            if len(parts) == 1:
                _f, _t, docs, weights, values = parts[0]
            else:
                # new arrays: growing the first run's would keep every term's whole list
                # alive in that run's chunk until the chunk is used up
                docs, weights, values = array("q"), array("d"), []
                for _f, _t, d, w, v in parts:
                    docs.extend(d)
                    weights.extend(w)
                    values.extend(v)
            yield fieldname, btext, docs, weights, values

    def iter_postings(self) -> TermPostings:
        """Every term with its postings, in (field, term) order."""
        if not self.runs:
            return TermPostings(self._sorted_entries())
        self.save()
        while len(self.runs) > _MAX_RUNS:  # the earliest runs into one, kept first
            first, rest = self.runs[:_MAX_RUNS], self.runs[_MAX_RUNS:]
            self.runs = [self._write_run(self._merged(first)), *rest]
        runs, self.runs = self.runs, []
        return TermPostings(self._merged(runs))

    def cleanup(self) -> None:
        """Remove the run files left (a cancelled write)."""
        for path in self.runs:
            with contextlib.suppress(OSError):
                self.tempstore.delete_file(path)
        self.runs = []
        self.terms = {}


class TermPostings:
    """A ``TermPool``'s terms in order, each with its postings (docnums, weights, values):
    iterated, Whoosh's posting tuples; the bulk postings writer reads ``entries``."""

    def __init__(self, entries: Iterator[Entry]) -> None:
        self.entries = entries

    def __iter__(self) -> Iterator[tuple[str, bytes, int, float, Any]]:
        for fieldname, btext, docs, weights, values in self.entries:
            for docnum, weight, value in zip(docs, weights, values, strict=True):
                yield fieldname, btext, docnum, weight, value


def _entry_key(entry: Entry) -> tuple[str, bytes]:
    return entry[0], entry[1]


_consume: Callable[[Iterable[Any]], None] = deque(maxlen=0).extend
_MAX_RUNS = 64  # run files a merge reads at once
_RUN_CHUNK_POSTINGS = 1024  # postings per pickle in a term run (a merge holds one per run)


_installed = False


def install() -> None:
    """Apply every fast path (once per process; later calls do nothing)."""
    global _installed
    if _installed:
        return
    _installed = True
    _cache_column_lookups()
    _table_field_lengths()
    _column_offsets_in_c()
    _lean_posting_pool()
    _lean_add_document()
    _bulk_postings_writer()
    _chunked_pool_runs()
    _compact_hash_buckets()
