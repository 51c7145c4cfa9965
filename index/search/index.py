"""The Whoosh search index: writing documents, running queries fast, snippets, related articles.

The index is derived from the store and can always be rebuilt. One long-lived searcher serves
all queries and is refreshed when the index changes (here or in another process). Queries are
evaluated by ``engine.Ranker`` (BM25F over postings decoded in bulk, not Whoosh's matchers);
phrases are checked lazily, best candidates first, so ``SearchResults.total`` is exact except
for phrase queries whose candidates were not all checked (see ``SearchIndex.search``).
Opening an index installs the fast paths of ``_whoosh_patches``.
"""

from __future__ import annotations

import bisect
import threading
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.scoring import BM25F
from whoosh.searching import Searcher

from ..errors import NewsreaderError, SearchIndexError
from ..models import IndexDoc, SearchHit, SearchResults
from . import _whoosh_patches
from ._whoosh_codec import bytes_column, column_array, stored_fields
from .engine import Evaluation, Ranker
from .highlight import TermMatcher, snippet
from .hitrecord import HIT_FIELD, HitRecord, decode
from .query import ParsedQuery, parse, without_dangling
from .schema import (
    NAMES,
    SCHEMA_VERSION,
    make_schema,
    with_language,
)
from .scored import IntArray
from .segments import REFRESH_MERGE_DOCS, SegmentInfo, merge_segments
from .segments import info as segment_info
from .suggest import Vocabulary, suggest_query
from .writer import (
    PARALLEL_MIN,
    SERIAL_POOL_MB,
    DocLoader,
    WriteStats,
    add_docs,
    cancel_writer,
    commit_segments,
    new_segment_writer,
    worker_count,
    write_parallel,
)
from .writer import delete_ids as delete_ids_of

_VERSION_FILE = "newsreader-schema"
_RESULT_CACHE_SIZE = 64
_NO_DATE = 2**63  # a date column holds 2**64 - 1 for a document without a date
_STORED_CACHE = 512  # documents whose stored fields a generation keeps at hand
_PROSE_FIELDS = frozenset({"title", "body", "feed"})
# phrase candidates checked at most for one page when the total need not be exact (about
# 0.1-0.3 ms each: the stored text is read and scanned)
_CHECK_BUDGET = 2_000
_SAMPLE = 64  # unchecked candidates checked to estimate a phrase's total
_FEW_HELD = 8  # fewer of them holding the phrase: as many again are checked
_RERANK = 20  # best candidates reordered so that exact forms come first
_EXACT_BONUS = 1.0  # up to twice the score for holding every query word as typed


class _Generation:
    """Everything derived from one searcher: the ranker, date orderings, cached results."""

    def __init__(self, searcher: Searcher, shared: dict[tuple[Any, ...], Any]) -> None:
        self.searcher = searcher
        self.reader = searcher.reader()
        self.shared = shared
        self._dates: list[int] | None = None
        self._ascending: tuple[list[int], list[int]] | None = None
        self._by_date: list[int] | None = None
        self._ranker: Ranker | None = None
        self.results: OrderedDict[tuple[Any, ...], SearchResults] = OrderedDict()
        # hit records read by phrase checks and the exact-form reordering, used again for
        # the page's hits
        self._records: dict[int, HitRecord] = {}
        self._columns: tuple[list[int], list[Any]] | None = None

    def ranker(self) -> Ranker:
        if self._ranker is None:
            self._ranker = Ranker(self.searcher, self.shared)
            self._ranker.date_order_fn = self.ascending
            self._ranker.dates_fn = self.dates
            self._ranker.text_of = self.stored_text
            self._ranker.text_fields = frozenset({"body", "title", "feed", "author"})
        self._ranker.warnings = []
        self._ranker.expansions = []
        return self._ranker

    def record(self, docnum: int) -> HitRecord:
        """A document's hit record: what a hit shows, and its text (``hitrecord``)."""
        got = self._records.get(docnum)
        if got is None:
            if self._columns is None:
                segments = self.ranker().segments
                self._columns = (
                    [offset for _seg, offset in segments],
                    [bytes_column(seg, HIT_FIELD) for seg, _offset in segments],
                )
            offsets, getters = self._columns
            i = bisect.bisect_right(offsets, docnum) - 1
            get = getters[i]
            if get is None:
                raise SearchIndexError("the search index has a segment without hit records")
            got = decode(get(docnum - offsets[i]))
            if len(self._records) >= _STORED_CACHE:
                self._records.clear()
            self._records[docnum] = got
        return got

    def stored_text(self, docnum: int, fieldname: str) -> str | None:
        """A field's text from the hit record, prose marked with the article's language (as
        it was indexed)."""
        rec = self.record(docnum)
        value = rec.text(fieldname)
        if not value:
            return None
        if fieldname in _PROSE_FIELDS:
            return with_language(value, rec.lang)
        return value

    def drop_caches(self) -> None:
        self.results.clear()
        self._records.clear()
        if self._ranker is not None:
            self._ranker.drop_caches()

    def dates(self) -> list[int]:
        """Published time (as Whoosh's sortable long) per docnum; 0 when unknown."""
        if self._dates is None:

            def build(seg: Any) -> list[int]:
                n = seg.doc_count_all()
                if not seg.has_column("published"):
                    return [0] * n
                col = seg.column_reader("published", translate=False)
                # a document without a date holds the column's "missing" value, 2**64 - 1
                values = column_array(col, n)
                return np.where(values < _NO_DATE, values, 0).tolist()

            self._dates = self.ranker().segment_table("published", build)
        return self._dates

    def ascending(self) -> tuple[list[int], list[int]]:
        """(dates ascending, docnums in that order), deleted documents included."""
        if self._ascending is None:
            dates = self.dates()
            docs = sorted(range(len(dates)), key=dates.__getitem__)
            self._ascending = ([dates[d] for d in docs], docs)
        return self._ascending

    def by_date(self) -> list[int]:
        """Live docnums, newest first."""
        if self._by_date is None:
            reader = self.searcher.reader()
            docs = self.ascending()[1][::-1]
            if reader.has_deletions():
                docs = [d for d in docs if not reader.is_deleted(d)]
            self._by_date = docs
        return self._by_date


class SearchIndex:
    """A Whoosh index in one directory, with one long-lived searcher."""

    def __init__(self, ix: Any, path: Path, new: bool) -> None:
        self._ix = ix
        self._path = path
        self._new = new
        self._lock = threading.RLock()  # searching, and switching to a new commit
        self._write_lock = (
            threading.Lock()
        )  # one writer at a time (Whoosh's file lock: per process)
        self._gen: _Generation | None = None
        self.schema = ix.schema
        self._vocab = Vocabulary(path)
        self._shared: dict[tuple[Any, ...], Any] = {}

    # -- opening ---------------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path) -> SearchIndex:
        """Open the index in ``path``, creating it if missing; SearchIndexError if it is unusable."""
        _whoosh_patches.install()
        path = Path(path)
        version_file = path / _VERSION_FILE
        try:
            path.mkdir(parents=True, exist_ok=True)
            if whoosh_index.exists_in(str(path)):
                found = version_file.read_text().strip() if version_file.exists() else "?"
                if found != str(SCHEMA_VERSION):
                    raise SearchIndexError(
                        f"the index at {path} has an old layout (version {found}, "
                        f"now {SCHEMA_VERSION})"
                    )
                ix = whoosh_index.open_dir(str(path))
                ix.doc_count()  # reads the segments: fails here if they are damaged
                new = False
            else:
                ix = whoosh_index.create_in(str(path), make_schema())
                version_file.write_text(f"{SCHEMA_VERSION}\n")
                new = True
        except SearchIndexError:
            raise
        except Exception as exc:
            raise SearchIndexError(f"cannot open the search index at {path}: {exc}") from exc
        idx = cls(ix, path, new)
        try:
            idx._current()
        except Exception as exc:
            raise SearchIndexError(f"cannot read the search index at {path}: {exc}") from exc
        return idx

    def is_new(self) -> bool:
        """True if ``open`` created the index (so everything needs indexing)."""
        return self._new

    def close(self) -> None:
        with self._lock:
            if self._gen is not None:
                self._gen.searcher.close()
                self._gen = None
            self._ix.close()

    def drop_query_caches(self) -> None:
        """Forget cached results and decoded postings (benchmarks measure without them)."""
        with self._lock:
            if self._gen is not None:
                self._gen.drop_caches()

    def doc_count(self) -> int:
        with self._lock:
            return int(self._current().searcher.doc_count())

    # -- writing ---------------------------------------------------------------------------

    def _open_writer(self) -> Any:
        try:
            return new_segment_writer(self._ix, limitmb=SERIAL_POOL_MB, lock=True)
        except Exception as exc:
            raise SearchIndexError(f"the search index is busy or unwritable: {exc}") from exc

    def write(
        self, docs: Iterable[IndexDoc], delete_ids: Iterable[str] = (), *, procs: int = 1
    ) -> int:
        """Add or replace ``docs`` and delete ``delete_ids`` in this process: one commit.

        ``procs`` is accepted for callers of the older signature; documents already in memory
        are written here (``write_ids`` is the parallel path).
        """
        del procs
        return self._write(lambda writer, stats: self._add_serial(writer, docs, stats), delete_ids)

    def write_ids(
        self,
        ids: Sequence[str],
        delete_ids: Iterable[str] = (),
        *,
        load: DocLoader,
        procs: int | None = None,
        merge_docs: int | None = REFRESH_MERGE_DOCS,
    ) -> int:
        """Add or replace the documents ``load(ids)`` gives, delete ``delete_ids``: one commit.

        With at least ``PARALLEL_MIN`` ids the documents are loaded, analysed and written in
        ``procs`` worker processes (default: one per core), each into its own segment; fewer
        are written here. Afterwards small segments are merged, rewriting at most
        ``merge_docs`` documents (None: whatever the policy asks; 0: none).
        """
        ids = list(dict.fromkeys(ids))
        procs = worker_count() if procs is None else max(1, procs)
        if procs > 1 and len(ids) >= PARALLEL_MIN:

            def run(writer: Any, stats: WriteStats) -> None:
                fresh = not writer.segments
                got = write_parallel(
                    writer,
                    str(self._path),
                    ids,
                    load,
                    procs=procs,
                    before_commit=None if fresh else lambda: delete_ids_of(writer, ids),
                )
                stats.written, stats.segments, stats.words = got.written, got.segments, got.words

            written = self._write(run, delete_ids, committed=True)
        else:
            written = self._write(
                lambda writer, stats: self._add_serial(writer, load(ids), stats), delete_ids
            )
        if merge_docs != 0:
            self.merge_segments(merge_docs)
        return written

    @staticmethod
    def _add_serial(writer: Any, docs: Iterable[IndexDoc], stats: WriteStats) -> None:
        """Add ``docs`` to ``writer`` and delete their older versions (committed ones only)."""
        fresh = not writer.segments
        seen: list[str] = []

        def tracked() -> Iterable[IndexDoc]:
            for d in docs:
                seen.append(d.id)
                yield d

        stats.written = add_docs(writer, tracked(), stats.words)
        if not fresh:
            delete_ids_of(writer, seen)

    def _write(
        self,
        fill: Callable[[Any, WriteStats], None],
        delete_ids: Iterable[str],
        *,
        committed: bool = False,
    ) -> int:
        """One locked writer: ``fill`` adds documents (and commits, if ``committed``).

        Searches go on meanwhile on the last commit; only the switch to the new one takes
        the search lock.
        """
        with self._write_lock:
            writer = self._open_writer()
            stats = WriteStats()
            try:
                if writer.segments:
                    delete_ids_of(writer, delete_ids)
                fill(writer, stats)
                if not committed:
                    commit_segments(writer, [])
            except Exception as exc:
                cancel_writer(writer)  # releases the write lock, removes its spilled runs
                if isinstance(exc, NewsreaderError):
                    raise  # e.g. the store failed while handing out documents
                reason = str(exc) or type(exc).__name__  # Whoosh asserts with no message
                raise SearchIndexError(
                    f"could not write the search index ({reason}); "
                    "`newsreader reindex` rebuilds it from the store"
                ) from exc
            with self._lock:
                if stats.written:
                    self._vocab.merge(stats.words)
                    self._vocab.save()
                self._drop_generation()
            return stats.written

    def merge_segments(self, max_docs: int | None = None) -> int:
        """Merge small segments and reclaim deleted documents (``segments.plan_merges``),
        rewriting at most ``max_docs`` documents; the number of merges made."""
        with self._write_lock:
            try:
                merged = merge_segments(self._ix, max_docs)
            except Exception as exc:
                raise SearchIndexError(
                    f"could not merge the search index's segments: {exc}"
                ) from exc
            if merged:
                with self._lock:
                    self._drop_generation()
            return merged

    def is_being_written(self) -> bool:
        """True while a writer (in any process) holds the index's write lock."""
        lock = self._ix.lock("WRITELOCK")
        if lock.acquire(blocking=False):
            lock.release()
            return False
        return True

    def segment_stats(self) -> list[SegmentInfo]:
        """The committed segments, as the merge policy sees them."""
        return [segment_info(s) for s in self._ix._segments()]

    def rebuild(self, docs: Iterable[IndexDoc], *, procs: int = 1) -> int:
        """Empty the index and write all ``docs``."""
        self._recreate()
        return self.write(docs, procs=procs)

    def rebuild_ids(self, ids: Sequence[str], *, load: DocLoader, procs: int | None = None) -> int:
        """Empty the index and write the documents of ``ids`` (on every core)."""
        self._recreate()
        return self.write_ids(ids, load=load, procs=procs, merge_docs=None)

    def _recreate(self) -> None:
        with self._write_lock, self._lock:
            if self._gen is not None:
                self._gen.searcher.close()
                self._gen = None
            self._shared.clear()
            try:
                self._ix.close()
                self._ix = whoosh_index.create_in(str(self._path), make_schema())
                (self._path / _VERSION_FILE).write_text(f"{SCHEMA_VERSION}\n")
                self._vocab.clear()
            except Exception as exc:
                raise SearchIndexError(f"could not recreate the search index: {exc}") from exc

    # -- the searcher ----------------------------------------------------------------------

    def _current(self) -> _Generation:
        """The live searcher, refreshed if this or another process changed the index."""
        gen = self._gen
        if gen is None:
            gen = self._gen = _Generation(self._ix.searcher(weighting=BM25F()), self._shared)
        elif not gen.searcher.up_to_date():
            self._refresh()
            gen = self._gen
            assert gen is not None
        return gen

    def _drop_generation(self) -> None:
        """After a commit: close the searcher; the next search opens one on the new commit.

        Not opened here: opening a searcher copies each segment's term index and postings
        out of the file into memory (Whoosh's compound files hand out in-memory copies),
        about 1 MB per 1,000 articles, which a refresh that only writes (the CLI's) would
        pay for nothing: at 100k articles it was the index step's peak (~100 MB on top)."""
        if self._gen is not None:
            self._gen.searcher.close()
            self._gen = None
        # forget the tables of segments that merges removed (ids as the ranker keeps them)
        live = {s.segment_id() for s in self._ix._segments()}
        for key in [k for k in self._shared if k[0] not in live]:
            del self._shared[key]

    def _refresh(self) -> None:
        if self._gen is None:
            return
        # A new searcher, not Searcher.refresh(): refresh reuses segment readers by segment
        # identity and so misses deletions made in a segment it already had open.
        self._gen.searcher.close()
        self._gen = _Generation(self._ix.searcher(weighting=BM25F()), self._shared)
        # forget the tables of segments that merges removed
        live = {id_ for id_ in self._gen.ranker().segment_ids}
        for key in [k for k in self._shared if k[0] not in live]:
            del self._shared[key]

    # -- searching -------------------------------------------------------------------------

    def search(
        self,
        query: str,
        *,
        limit: int = 20,
        offset: int = 0,
        sort: str | None = None,
        facets: bool = False,
        exact_total: bool = False,
    ) -> SearchResults:
        """Run a query; never raises for bad query text (see ``SearchResults.warnings``).

        ``sort`` is "relevance" or "date" (default: relevance with a query, date without).
        ``total`` is the exact number of matches, except for phrase queries whose candidates
        were not all checked (only the best ones are, until the page is full or
        ``_CHECK_BUDGET`` of them were checked): then the rest's share that holds the phrase
        is estimated from a sample of them, and ``total_exact`` is False. ``exact_total``
        (and ``facets``) check them all; ``count`` is always exact.
        """
        limit = max(0, int(limit))
        offset = max(0, int(offset))
        with self._lock:
            gen = self._current()
            parsed = parse(query, self.schema)
            if sort not in ("date", "relevance"):
                sort = "relevance" if parsed.query is not None else "date"
            # the text as typed: two texts that parse alike ("musem OR", "musem") differ in
            # their warnings and in the query a correction notice names
            key = (query, limit, offset, sort, facets, exact_total)
            cached = gen.results.get(key)
            if cached is not None:
                gen.results.move_to_end(key)
                return cached
            res = self._search(gen, parsed, query, limit, offset, sort, facets, exact_total)
            gen.results[key] = res
            if len(gen.results) > _RESULT_CACHE_SIZE:
                gen.results.popitem(last=False)
            return res

    def _search(
        self,
        gen: _Generation,
        parsed: ParsedQuery,
        raw: str,
        limit: int,
        offset: int,
        sort: str,
        facets: bool,
        exact_total: bool,
        corrected: bool = False,
    ) -> SearchResults:
        q = parsed.query
        want = offset + limit
        warnings = list(parsed.warnings)
        matched: Iterable[int] | None = None
        total_exact = True
        if q is None:
            order = gen.by_date()
            total = len(order)
            chosen = [(0.0, d) for d in order[offset:want]]
            matched = order
        else:
            ranker = gen.ranker()
            ev = ranker.evaluate(q)
            warnings += ranker.warnings
            deleted = ranker.deleted_array()
            if len(deleted):
                ev.scores = ev.scores.without(deleted)
            if exact_total or facets:
                ev = Evaluation(ranker.materialise(ev))
            dates = gen.dates()
            by_date = sort == "date" or not ev.scores.any_score()  # filters only: no ranking
            date_key = ranker.dates_array() if by_date else None
            exact = _exact_words(parsed) if not by_date else []
            picked, total, total_exact = _select(
                ranker, ev, max(want, _RERANK) if exact else want, date_key
            )
            scores = ev.scores.score_of(picked)
            if not by_date:
                # Equal scores: newer first, so a page does not reshuffle when an article is
                # re-indexed (marking it read gives it a new docnum). Stable, so cheap.
                picked.sort(key=lambda d: (scores[d], dates[d]), reverse=True)
                if exact:
                    picked[:_RERANK] = self._exact_first(gen, picked[:_RERANK], scores, exact)
            chosen = [(scores[d], d) for d in picked[offset:want]]
            matched = ev.scores.ids.tolist() if facets else None
        terms = parsed.marked_terms
        languages: list[str] = []
        if q is not None:
            terms += [t for t in dict.fromkeys(ranker.expansions) if t not in terms]
            languages = ranker.languages
        if q is not None and total == 0 and total_exact and not corrected:
            # nothing found: a confident correction's results, said so, if it finds any
            suggestion = self._suggest(gen, raw)
            if suggestion is not None:
                fixed = parse(suggestion, self.schema)
                again = self._search(
                    gen, fixed, suggestion, limit, offset, sort, facets, exact_total, True
                )
                if again.total:
                    # what was said of the typed query ("ignored OR ...") still holds
                    told = warnings + [w for w in again.warnings if w not in warnings]
                    return replace(
                        again, query=raw, suggestion=suggestion, corrected=suggestion, warnings=told
                    )
        matcher = TermMatcher(terms, languages)
        hits = [self._hit(gen, d, sc, matcher) for sc, d in chosen]
        return SearchResults(
            total=total,
            hits=hits,
            query=raw,
            warnings=warnings,
            facets=self._facets(gen, matched) if facets and matched is not None else None,
            terms=terms,
            total_exact=total_exact,
        )

    def _exact_first(
        self, gen: _Generation, docs: list[int], scores: dict[int, float], words: list[str]
    ) -> list[int]:
        """The best candidates reordered so that exact forms rank above folded and stemmed ones.

        A candidate's score grows by up to ``_EXACT_BONUS`` by the share of the query's words
        its title and opening hold as typed (case aside): an article about Uber comes before one saying "über"
        for ``uber``, and "running" before "runs" for ``running``. Only the first ``_RERANK``
        are reordered (the same set for every page); shown scores stay BM25's.
        """
        dates = gen.dates()
        boosted: dict[int, float] = {}
        for d in docs:
            # the words of the title and the opening, as typed: where an exact form tells
            # most; kept in the record (the page's hits are mostly these documents)
            rec = gen.record(d)
            share = sum(map(rec.holds, words)) / len(words)
            boosted[d] = scores[d] * (1 + _EXACT_BONUS * share)
        return sorted(docs, key=lambda d: (boosted[d], dates[d]), reverse=True)

    def _hit(self, gen: _Generation, docnum: int, score: float, matcher: TermMatcher) -> SearchHit:
        rec = gen.record(docnum)
        snip, highlights = snippet(rec.body, matcher.spans(rec.body))
        return SearchHit(
            id=rec.id,
            title=rec.title,
            feed=rec.feed,
            feed_id=rec.feed_id,
            link=rec.link or None,
            published=rec.published_utc(),
            score=round(score, 4),
            snippet=snip,
            highlights=highlights,
            title_highlights=matcher.spans(rec.title),
            bookmarked=rec.bookmarked,
            read=rec.read,
        )

    def _facets(self, gen: _Generation, docs: Iterable[int]) -> dict[str, dict[str, int]]:
        """Counts of the matches by feed (title) and by month ("2024-09")."""
        s = gen.searcher
        reader = s.reader()
        feed_col = reader.column_reader("feed_id") if reader.has_column("feed_id") else None
        dates = gen.dates()
        by_feed_id: Counter[int] = Counter()
        months: Counter[str] = Counter()
        month_of: dict[int, str] = {}
        for d in docs:
            if feed_col is not None:
                by_feed_id[feed_col[d]] += 1
            v = dates[d]
            # a month is ~2.6e13 ticks of 100 ns; memoise per day to skip most conversions
            day = v // 864_000_000_000
            label = month_of.get(day)
            if label is None:
                label = "undated" if not v else _long_to_dt(v).strftime("%Y-%m")
                month_of[day] = label
            months[label] += 1
        names: dict[int, str] = {}
        for fid in by_feed_id:
            doc = next(iter(s.document_numbers(feed_id=fid)), None)
            names[fid] = gen.record(doc).feed if doc is not None else str(fid)
        feeds: Counter[str] = Counter()
        for fid, n in by_feed_id.items():
            feeds[names[fid]] += n
        return {
            "feed": dict(feeds.most_common()),
            "month": dict(sorted(months.items(), reverse=True)),
        }

    def _suggest(self, gen: _Generation, raw: str) -> str | None:
        """The query with words that match nothing corrected from the articles' words."""
        ranker = gen.ranker()

        def known(word: str) -> bool:
            return any(
                ranker.doc_frequency(field, form)
                for field in ("body", "title")
                for form in ranker.forms(field, word)
            )

        try:
            # the operators the query ignored are not part of what it corrects
            return suggest_query(without_dangling(" ".join(raw.split())), self._vocab, known)
        except Exception:  # a suggestion is a nicety: never let it fail a search
            return None

    def count(self, query: str) -> int:
        """The exact number of articles matching ``query`` (no ranking, no snippets)."""
        with self._lock:
            gen = self._current()
            parsed = parse(query, self.schema)
            if parsed.query is None:
                return int(gen.searcher.doc_count())
            ranker = gen.ranker()
            scores = ranker.materialise(ranker.evaluate(parsed.query))
            return len(scores.without(ranker.deleted_array()))

    # -- related ---------------------------------------------------------------------------

    def related(self, article_id: str, *, limit: int = 10) -> list[SearchHit]:
        """Articles most like ``article_id`` by their key terms, without it or its duplicates."""
        with self._lock:
            gen = self._current()
            s = gen.searcher
            docnum = s.document_number(id=article_id)
            if docnum is None:
                return []
            f = stored_fields(gen.reader, docnum)  # the entities and the duplicate key
            rec = gen.record(docnum)
            text = with_language(rec.title + "\n" + rec.body, rec.lang)
            key_terms = s.key_terms_from_text("body", text, numterms=15)
            clauses: list[wq.Query] = []
            for term, weight in key_terms:
                clauses.append(wq.Term("body", term, boost=weight))
                clauses.append(wq.Term("title", term, boost=weight * 2))
            for name, values in (f.get("ents") or {}).items():
                for v in values[:5]:
                    words = [w for w, _ in NAMES.terms(v)]
                    if not words:
                        continue
                    clauses.append(
                        wq.Phrase(name, words, boost=2.0)
                        if len(words) > 1
                        else wq.Term(name, words[0], boost=2.0)
                    )
            if not clauses:
                return []
            ranker = gen.ranker()
            found = ranker.materialise(ranker.evaluate(wq.Or(clauses)))
            found = found.without(np.union1d(ranker.deleted_array(), [docnum]))
            best = found.best(limit * 3 + 10)
            scores = found.score_of(best)
            seen = {f.get("dup")}
            matcher = TermMatcher([t for t, _ in key_terms])
            hits = []
            for d in best:
                other = stored_fields(gen.reader, d)
                if other.get("dup") in seen:
                    continue  # the same article again (syndicated copies)
                seen.add(other.get("dup"))
                hits.append(self._hit(gen, d, scores[d], matcher))
                if len(hits) >= limit:
                    break
            return hits


def _exact_words(parsed: ParsedQuery) -> list[str]:
    """The query's plain words as typed (case-folded), for the exact-form reordering."""
    return [t.casefold() for t in parsed.terms if not t.endswith("*")][:8]


def _long_to_dt(value: int) -> datetime:
    from whoosh.util.times import long_to_datetime

    return long_to_datetime(value)


def _select(
    ranker: Ranker, ev: Evaluation, want: int, date_key: IntArray | None
) -> tuple[list[int], int, bool]:
    """The ``want`` best documents passing pending phrase checks, the total, and whether the
    total is exact (else an estimate). Best: by score, or, given ``date_key`` (the published
    value per docnum), newest first.

    Candidates are checked best first, in growing batches, so a phrase of common words reads
    positions only for the documents that could make the page. The checks stop when the page
    is full or ``_CHECK_BUDGET`` candidates were checked (a phrase whose words are common but
    rarely together, at 1M articles, would otherwise read every candidate's text: minutes).
    The total of the unchecked rest is then estimated from ``_SAMPLE`` of them, evenly
    spaced (all of them are checked, and the total is exact, if there are no more).
    """
    scores = ev.scores

    def best(n: int) -> list[int]:
        if date_key is None:
            return scores.best(n)
        return scores.best_by(date_key[scores.ids], n)

    if not ev.pending:
        return best(want), len(scores), True
    budget = max(_CHECK_BUDGET, 4 * want)
    # The best candidates, in order: a few pages' worth first; up to the budget only if
    # those run out (the first n of a longer list are the same n, in the same order).
    order = best(4 * want + 64)
    complete = len(order) == len(scores)
    picked: list[int] = []
    checked = passed = 0
    # A little more than a page first (names as phrases mostly pass); then as many as the
    # share that passed so far says are needed, growing at most fourfold per round.
    batch = want + want // 4 + 8
    while len(picked) < want and checked < budget:
        if checked >= len(order):
            if complete:
                break
            order = best(budget)
            complete = len(order) == len(scores)
            if checked >= len(order):
                break
        chunk = order[checked : checked + min(batch, budget - checked)]
        ok = ranker.check(ev, sorted(chunk))
        checked += len(chunk)
        passed += len(ok)
        picked += [d for d in chunk if d in ok]
        rate = passed / checked
        need = (want - len(picked)) / rate * 1.25 + 8 if rate else float("inf")
        batch = int(min(max(need, 16), 4 * batch))
    unchecked = len(scores) - checked
    if not unchecked:
        return picked, passed, True
    rest = scores.ids[~np.isin(scores.ids, order[:checked])]
    if len(rest) <= _SAMPLE:
        # so few left that checking them all costs no more than a sample: the total is exact
        ok = ranker.check(ev, rest.tolist())
        if len(picked) < want:  # the budget ran out first: the page takes the best of these
            picked += [d for d in best(len(scores))[checked:] if d in ok][: want - len(picked)]
        return picked, passed + len(ok), True
    # The checked candidates are the best ones, which hold the phrase more often than the
    # rest ("the minister": 7 times as often), so the rest's share comes from a sample of
    # it, evenly spaced over the index (so over time and feeds). A share so small that few
    # of the sample hold it is estimated from twice as many (the second half between the
    # first's).
    step = len(rest) / _SAMPLE
    held = sampled = 0
    for start in (0.25, 0.75):
        sample = rest[((np.arange(_SAMPLE) + start) * step).astype(np.int64)]
        held += len(ranker.check(ev, sample.tolist()))
        sampled += _SAMPLE
        if held >= _FEW_HELD:
            break
    return picked, passed + round(len(rest) * held / sampled), False
