"""Fast query evaluation over Whoosh's postings: BM25F scores per document, in bulk.

Whoosh's matchers score one posting at a time through several Python calls each (about 8 µs a
posting), and block-quality skipping rarely skips anything for common words, so a common word
over 100k articles took a third of a second. Here a term's postings are decoded a block at a
time straight from the codec into arrays and scored with numpy against a cached table of
per-document length norms; AND, OR and NOT work on sorted arrays (``scored.Scored``), which
keep the order documents were found in so equal scores break ties as they always did. The scores are Whoosh's own
BM25F formula (per-field BM25, field boosts from the parser), so the ranking is the same.

Phrases are checked lazily: candidates are the documents holding all of a phrase's words,
ranked as such, and positions are read only for the top candidates until enough pass
(``Evaluation.pending``). Everything Whoosh can express but this module does not know falls
back to Whoosh's own matcher for that part of the query, so no query is refused.
"""

from __future__ import annotations

import bisect
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from math import log
from typing import Any

import numpy as np
from whoosh import query as wq
from whoosh.util.times import datetime_to_long

from ._whoosh_codec import (
    deleted_docs,
    read_postings,
    segment_id,
    segment_length_array,
    segment_lengths,
)
from .analysis import (
    DEFAULT_LANGUAGE,
    TOKEN_RE,
    fold,
    leaves_in,
    name_query_forms,
    name_token_terms,
    prose_query_forms,
    prose_token_terms,
    query_leaves,
)
from .highlight import token_start, word_starts
from .query import WordTerm
from .schema import NewsAnalyzer, split_language
from .scored import FloatArray, IntArray, Scored, add_where_present, and_sum, union

K1 = 1.2
B = 0.75
FILTER_FIELDS = frozenset({"read", "bookmarked", "published", "feed_id", "id"})
MAX_EXPANSION = 200  # terms a prefix or fuzzy term may stand for
# A binary search per candidate (about 0.7 µs) beats a pass over the postings (about 0.05 µs
# each, keeping the candidates) when there are this many times more postings than candidates.
_LOOKUP_RATIO = 13
_POSTINGS_CACHE = 3_000_000  # postings kept decoded per searcher generation
_NO_DATE = 2**63  # above any date; stands for an open upper end

Scores = Scored
Within = Scored
Postings = tuple[IntArray, FloatArray]


@dataclass(frozen=True)
class PhraseCheck:
    """Documents must hold ``words`` in order in ``field`` (``slop`` = max gap between words).

    ``mode`` "leaves": ``words`` are a query word's leaves, which must follow each other
    inside one token of the field ("example.org" in "mail.example.org"); "given": the
    candidates pass as they are (the documents an alternative matched without a check).
    """

    field: str
    words: tuple[str, ...]
    slop: int
    candidates: IntArray  # ascending docnums
    mode: str = "phrase"

    def among(self, docs: IntArray) -> IntArray:
        """Those of ``docs`` (ascending) that are candidates."""
        return docs[np.isin(docs, self.candidates, assume_unique=True)]


@dataclass
class Evaluation:
    """Scored candidates and the phrase checks they still have to pass.

    Each entry of ``pending`` is a list of alternatives: a document passes the entry if it is
    a candidate of one of the alternatives and holds that phrase.
    """

    scores: Scores
    pending: list[list[PhraseCheck]] = field(default_factory=list)


@dataclass
class Expansion:
    terms: list[str]
    truncated: bool = False


class Ranker:
    """Evaluates Whoosh queries for one searcher (one index generation)."""

    def __init__(self, searcher: Any, shared: dict[tuple[Any, ...], Any] | None = None) -> None:
        self.searcher = searcher
        # tables of immutable segments, kept by the caller across index generations
        self.shared: dict[tuple[Any, ...], Any] = {} if shared is None else shared
        self.reader = searcher.reader()
        self.n_all = self.reader.doc_count_all()
        if self.reader.is_atomic():
            self.segments: list[tuple[Any, int]] = [(self.reader, 0)]
        else:
            self.segments = list(zip(self.reader.readers, self.reader.doc_offsets, strict=True))
        self._lengths: dict[str, list[int]] = {}
        self._norms: dict[str, FloatArray] = {}
        self._postings: OrderedDict[tuple[str, Any], Postings] = OrderedDict()
        self._cached_postings = 0
        self._lexicons: dict[str, dict[tuple[str, int], list[str]]] = {}
        self._live: set[int] | None = None
        self._deleted: set[int] | None = None
        self._dates_np: IntArray | None = None
        self.segment_ids = [segment_id(seg) for seg, _ in self.segments]
        self.warnings: list[str] = []
        self.expansions: list[str] = []  # index terms that fuzzy terms stood for
        # the text of a field that is indexed without positions, for phrase checks
        self.text_of: Callable[[int, str], str | None] | None = None
        self.text_fields: frozenset[str] = frozenset()  # fields text_of can give
        # (sorted published values, docnums in that order) and the value per docnum (0: no
        # date), from the caller, computed when first needed
        self.date_order_fn: Callable[[], tuple[list[int], list[int]]] | None = None
        self.dates_fn: Callable[[], list[int]] | None = None
        self._languages: list[str] | None = None
        self._forms: dict[tuple[str, str], list[str]] = {}
        self._leaves: dict[tuple[str, str], tuple[str, ...]] = {}

    @property
    def languages(self) -> list[str]:
        """The languages of the indexed articles: a query word is analysed for each."""
        if self._languages is None:
            found = []
            if "lang" in self.reader.schema:
                for t in self.reader.lexicon("lang"):
                    found.append(t.decode("utf-8") if isinstance(t, bytes) else str(t))
            self._languages = sorted(found)
        return self._languages

    def forms(self, fieldname: str, word: str) -> list[str]:
        """The index terms a typed word may match in a field (see ``analysis``)."""
        key = (fieldname, word)
        got = self._forms.get(key)
        if got is None:
            ana = (
                self.reader.schema[fieldname].analyzer if fieldname in self.reader.schema else None
            )
            if not isinstance(ana, NewsAnalyzer):
                got = [word]
            elif ana.stemmed:
                got = prose_query_forms(word, self.languages)
            else:
                got = name_query_forms(word)
            self._forms[key] = got
        return got

    def leaves(self, fieldname: str, word: str) -> tuple[str, ...]:
        """The leaves a word written with joiners is also matched as, in a field whose text
        can be read back for the check ("example.org" -> example, org); () if none."""
        key = (fieldname, word)
        got = self._leaves.get(key)
        if got is None:
            schema = self.reader.schema
            got = ()
            if (
                fieldname in self.text_fields
                and fieldname in schema
                and isinstance(schema[fieldname].analyzer, NewsAnalyzer)
            ):
                got = query_leaves(word)
            self._leaves[key] = got
        return got

    def drop_caches(self) -> None:
        """Forget decoded postings (not the per-index tables: lengths, dates, vocabularies)."""
        self._postings.clear()
        self._cached_postings = 0

    # -- per-document tables ---------------------------------------------------------------

    @property
    def deleted(self) -> set[int]:
        """Deleted docnums (their postings stay until segments merge)."""
        if self._deleted is None:
            out: set[int] = set()
            for seg, offset in self.segments:
                out.update(d + offset for d in deleted_docs(seg))
            self._deleted = out
        return self._deleted

    def deleted_array(self) -> IntArray:
        """``deleted``, ascending."""
        return np.asarray(sorted(self.deleted), dtype=np.int64)

    def live(self) -> set[int]:
        if self._live is None:
            self._live = set(range(self.n_all)) - self.deleted
        return self._live

    @property
    def dates(self) -> list[int] | None:
        return self.dates_fn() if self.dates_fn is not None else None

    @property
    def date_order(self) -> tuple[list[int], list[int]] | None:
        return self.date_order_fn() if self.date_order_fn is not None else None

    def segment_table(self, name: str, build: Callable[[Any], list[int]]) -> list[int]:
        """A per-document table for the whole index, built per segment and kept per segment."""
        out: list[int] = []
        for (seg, _offset), segid in zip(self.segments, self.segment_ids, strict=True):
            key = (segid, name)
            part = self.shared.get(key)
            if part is None:
                part = self.shared[key] = build(seg)
            out += part
        return out

    def lengths(self, fieldname: str) -> list[int]:
        got = self._lengths.get(fieldname)
        if got is None:

            def build(seg: Any) -> list[int]:
                return segment_lengths(seg, fieldname)

            got = self._lengths[fieldname] = self.segment_table(f"len:{fieldname}", build)
        return got

    def length_array(self, fieldname: str) -> IntArray:
        """``lengths`` as one array, decoded per segment in C and kept per segment."""
        parts = []
        for (seg, _offset), segid in zip(self.segments, self.segment_ids, strict=True):
            key = (segid, f"lenarr:{fieldname}")
            part = self.shared.get(key)
            if part is None:
                part = self.shared[key] = segment_length_array(seg, fieldname)
            parts.append(part)
        if not parts:
            return np.zeros(0, dtype=np.int64)
        return parts[0] if len(parts) == 1 else np.concatenate(parts)

    def norms(self, fieldname: str) -> FloatArray:
        """K1 * (1 - B + B * length / average length), per docnum."""
        got = self._norms.get(fieldname)
        if got is None:
            avg = self.reader.field_length(fieldname) / max(self.n_all, 1) or 1.0
            c0, c1 = K1 * (1 - B), K1 * B / avg
            got = c0 + c1 * self.length_array(fieldname).astype(np.float64)
            self._norms[fieldname] = got
        return got

    def dates_array(self) -> IntArray | None:
        """The published value per docnum (0: no date), as an array."""
        if self._dates_np is None and self.dates is not None:
            self._dates_np = np.asarray(self.dates, dtype=np.int64)
        return self._dates_np

    # -- postings ------------------------------------------------------------------------

    def postings(self, fieldname: str, text: Any) -> Postings:
        """All (docnum, term frequency) of a term, deleted documents included."""
        key = (fieldname, text)
        got = self._postings.get(key)
        if got is not None:
            self._postings.move_to_end(key)
            return got
        parts: list[Postings] = []
        btext = (
            self.reader.schema[fieldname].to_bytes(text) if fieldname in self.reader.schema else b""
        )
        for seg, offset in self.segments:
            if (fieldname, btext) not in seg:
                continue
            # deleted documents are read too; they are dropped later, after scoring
            parts.append(read_postings(seg.postings(fieldname, btext), offset))
        if len(parts) == 1:
            got = parts[0]
        elif parts:
            got = (np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts]))
        else:
            got = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64))
        self._postings[key] = got
        self._cached_postings += len(got[0])
        while self._cached_postings > _POSTINGS_CACHE and len(self._postings) > 1:
            _k, (old, _t) = self._postings.popitem(last=False)
            self._cached_postings -= len(old)
        return got

    def doc_frequency(self, fieldname: str, text: Any) -> int:
        return int(self.reader.doc_frequency(fieldname, text))

    def term_scores(
        self, fieldname: str, text: Any, boost: float, within: Within | None = None
    ) -> Scores:
        """BM25 score of the term per document; only documents in ``within`` if given."""
        ids, tfs = self.postings(fieldname, text)
        if not len(ids):
            return Scored.empty()
        filtering = fieldname in FILTER_FIELDS or not self.reader.schema[fieldname].scorable
        if within is not None and len(within) * _LOOKUP_RATIO < len(ids):
            # few candidates: look each one up (binary search) instead of scoring every
            # posting; the result keeps the candidates' order
            at = np.searchsorted(ids, within.ids)
            found = at < len(ids)
            found[found] = ids[at[found]] == within.ids[found]
            part = within.take(found)
            if filtering:
                return part.with_scores(np.zeros(len(part), dtype=np.float64))
            tf = tfs[at[found]]
            w = self._weight(fieldname, text, boost)
            return part.with_scores(w * tf / (tf + self.norms(fieldname)[part.ids]))
        if within is not None:
            # many candidates: one pass over the postings, keeping only the candidates
            keep = within.contains(ids)
            ids, tfs = ids[keep], tfs[keep]
        if filtering:
            return Scored(ids, np.zeros(len(ids), dtype=np.float64))
        w = self._weight(fieldname, text, boost)
        return Scored(ids, w * tfs / (tfs + self.norms(fieldname)[ids]))

    def _word_scores(
        self, fieldname: str, word: str, boost: float, within: Within | None = None
    ) -> Scores:
        """A typed word's score per document: the best of its index terms (a document that
        holds both "zug" and "züge" is not counted twice)."""
        forms = self.forms(fieldname, word)
        if len(forms) == 1:
            return self.term_scores(fieldname, forms[0], boost, within)
        parts = [self.term_scores(fieldname, f, boost, within) for f in forms]
        parts = [p for p in parts if p]
        if not parts:
            return Scored.empty()
        parts.sort(key=len, reverse=True)
        return union(parts, "max")

    def _word(
        self,
        fieldname: str,
        word: str,
        boost: float,
        within: Within | None = None,
        spelled: str | None = None,
    ) -> Evaluation:
        """A typed word: its index terms, or, for a word written with joiners, also its
        leaves in a row inside a longer token ("example.org" finds "mail.example.org", which
        the index holds as mail, example, org). The leaves' candidates are the documents
        holding every leaf the index keeps as a part (two letters or more), scored as the
        sum of the leaves and checked lazily, best first, like a phrase."""
        scores = self._word_scores(fieldname, word, boost, within)
        leaves = self.leaves(fieldname, spelled or word)
        indexed = [leaf for leaf in dict.fromkeys(leaves) if len(leaf) > 1]
        if not indexed:
            return Evaluation(scores)
        parts = self._and([WordTerm(fieldname, leaf) for leaf in indexed], boost, within)
        extra = parts.scores.without(scores.ids)
        if not extra:
            return Evaluation(scores)
        checks = [PhraseCheck(fieldname, leaves, 0, extra.ids, "leaves")]
        if scores:
            checks.append(PhraseCheck(fieldname, (), 0, scores.ids, "given"))
        return Evaluation(union([scores, extra]), [checks])

    def _add_term(self, base: Scores, fieldname: str, text: Any, boost: float) -> Scores:
        """``base``'s documents that hold the term, with the term's score added (AND).

        Scores only the documents still in the running, instead of scoring every posting
        and intersecting afterwards.
        """
        ids, tfs = self.postings(fieldname, text)
        if not len(ids):
            return Scored.empty()
        if len(base) * _LOOKUP_RATIO < len(ids):
            # in ``base``'s order, ``base``'s score first (as the dict loop added them)
            part = self.term_scores(fieldname, text, boost, base)
            at, _found = base.positions(part.ids)
            return part.with_scores(base.scores[at] + part.scores)
        # a pass over the postings: the result is in docnum order (as the old dict was)
        at, found = base.positions(ids)
        ids, tfs, at = ids[found], tfs[found], at[found]
        s = base.scores[at]
        if fieldname in FILTER_FIELDS or not self.reader.schema[fieldname].scorable:
            return Scored(ids, s)
        w = self._weight(fieldname, text, boost)
        return Scored(ids, s + w * tfs / (tfs + self.norms(fieldname)[ids]))

    def _weight(self, fieldname: str, text: Any, boost: float) -> float:
        idf = log(self.n_all / (self.doc_frequency(fieldname, text) + 1)) + 1
        return idf * (K1 + 1) * boost

    def estimate(self, q: wq.Query) -> int:
        """A cheap guess of how many documents ``q`` matches, to evaluate the rarest first."""
        if isinstance(q, WordTerm):
            return sum(self.doc_frequency(q.fieldname, f) for f in self.forms(q.fieldname, q.text))
        if isinstance(q, wq.Term):
            return self.doc_frequency(q.fieldname, q.text)
        if isinstance(q, wq.Phrase):
            return min(
                (
                    sum(self.doc_frequency(q.fieldname, f) for f in self.forms(q.fieldname, w))
                    for w in q.words
                ),
                default=0,
            )
        if isinstance(q, wq.And):
            return min((self.estimate(c) for c in q.children()), default=0)
        if isinstance(q, wq.Or):
            return sum(self.estimate(c) for c in q.children())
        return self.n_all

    # -- term expansion ------------------------------------------------------------------

    def expand_prefix(self, fieldname: str, prefix: str) -> Expansion:
        """Index terms a ``prefix*`` stands for.

        In stemmed fields a word that starts with the prefix may be indexed under a stem that
        is shorter than the prefix ("governm*" -> "govern"), so those shorter stems count too.
        """
        prefix = fold(prefix)
        found = {t for t in self.reader.expand_prefix(fieldname, prefix)}
        found = {t.decode("utf-8") if isinstance(t, bytes) else t for t in found}
        ana = self.reader.schema[fieldname].analyzer
        if isinstance(ana, NewsAnalyzer) and ana.stemmed:
            for k in range(max(3, len(prefix) - 4), len(prefix)):
                if (fieldname, prefix[:k]) in self.reader:
                    found.add(prefix[:k])
        return self._cap(fieldname, found)

    def expand_fuzzy(self, fieldname: str, text: str, maxdist: int, prefixlength: int) -> Expansion:
        """Index terms within ``maxdist`` edits of ``text`` sharing its first letter(s)."""
        maxdist = max(0, min(int(maxdist), 3))
        prefixlength = max(1, int(prefixlength))
        lex = self._lexicon(fieldname)
        found: set[str] = set()
        # the index holds stems: "goverment" is one edit from "govern" once stemmed
        targets = {fold(text), *self.forms(fieldname, text)}
        for target in targets:
            head = target[:prefixlength]
            for length in range(len(target) - maxdist, len(target) + maxdist + 1):
                for cand in lex.get((target[:1], length), ()):
                    if cand.startswith(head) and _within(target, cand, maxdist):
                        found.add(cand)
        return self._cap(fieldname, found)

    def _lexicon(self, fieldname: str) -> dict[tuple[str, int], list[str]]:
        got = self._lexicons.get(fieldname)
        if got is None:
            got = {}
            for t in self.reader.lexicon(fieldname):
                s = t.decode("utf-8") if isinstance(t, bytes) else t
                got.setdefault((s[:1], len(s)), []).append(s)
            self._lexicons[fieldname] = got
        return got

    def _cap(self, fieldname: str, terms: set[str]) -> Expansion:
        if len(terms) <= MAX_EXPANSION:
            return Expansion(sorted(terms))
        ranked = sorted(terms, key=lambda t: (-self.doc_frequency(fieldname, t), t))
        return Expansion(ranked[:MAX_EXPANSION], truncated=True)

    # -- evaluation ----------------------------------------------------------------------

    def evaluate(self, q: wq.Query, boost: float = 1.0, within: Within | None = None) -> Evaluation:
        """Scores of every candidate document (deleted ones included) and pending checks.

        ``within``, when given, says only those documents matter (the caller intersects):
        parts that can use it look up just those documents.
        """
        b = boost * float(getattr(q, "boost", 1.0) or 1.0)
        if q is wq.NullQuery or isinstance(q, type(wq.NullQuery)):
            return Evaluation(Scored.empty())
        if isinstance(q, WordTerm):
            return self._word(q.fieldname, q.text, b, within, q.spelled)
        if isinstance(q, wq.Term):
            return Evaluation(self.term_scores(q.fieldname, q.text, b, within))
        if isinstance(q, wq.And):
            return self._and(list(q.children()), b, within)
        if isinstance(q, wq.Or) and not isinstance(q, wq.DisjunctionMax):
            return self._or(list(q.children()), b, within)
        if isinstance(q, wq.Not):
            excluded = self.materialise(self.evaluate(q.query))
            return Evaluation(self._all_live().without(excluded.ids))
        if isinstance(q, wq.AndNot):
            pos = self.evaluate(q.a, b)
            neg = self.materialise(self.evaluate(q.b))
            return Evaluation(pos.scores.without(neg.ids), pos.pending)
        if isinstance(q, wq.AndMaybe | wq.Require):
            req = self.evaluate(q.a, b, within)
            # the optional part only scores the documents the required part found
            opt = self.evaluate(q.b, b if isinstance(q, wq.AndMaybe) else 0.0, req.scores)
            if isinstance(q, wq.Require):
                return self._and_evals([req, opt])
            opt_scores = self.materialise(opt)
            if not opt_scores:  # mostly: the query's words in feed names, which match nothing
                return req
            # the required score first, then the optional one (the dict loop's order)
            return Evaluation(add_where_present(req.scores, opt_scores), req.pending)
        if isinstance(q, wq.Phrase):
            return self._phrase(q, b, within)
        if isinstance(q, wq.FuzzyTerm):
            exp = self.expand_fuzzy(q.fieldname, q.text, q.maxdist, q.prefixlength)
            self.expansions += exp.terms
            return self._expanded(q, exp, b, within)
        if isinstance(q, wq.Prefix):
            return self._expanded(q, self.expand_prefix(q.fieldname, q.text), b, within)
        if isinstance(q, wq.DateRange | wq.NumericRange) and q.fieldname == "published":
            dates = self.dates_array()
            if within is not None and dates is not None and len(within) < self.n_all // 8:
                lo, hi = _bounds(q)
                lo = 1 if lo is None else lo
                hi = _NO_DATE if hi is None else hi
                when = dates[within.ids]
                part = within.take((when >= lo) & (when <= hi))
                return Evaluation(part.with_scores(np.zeros(len(part), dtype=np.float64)))
            return Evaluation(Scored.zeros(self._date_range(q)))
        if isinstance(q, wq.Every):
            return Evaluation(self._all_live())
        return Evaluation(self._whoosh_scores(q, b))

    def _all_live(self) -> Scored:
        return Scored.zeros(sorted(self.live()))

    def _expanded(self, q: Any, exp: Expansion, b: float, within: Within | None) -> Evaluation:
        if exp.truncated:
            self.warnings.append(
                f"{q.text}: matched too many words; used the {MAX_EXPANSION} most common"
            )
        return self._or([wq.Term(q.fieldname, t) for t in exp.terms], b, within)

    def _and(self, children: list[wq.Query], b: float, within: Within | None = None) -> Evaluation:
        positives = [c for c in children if not isinstance(c, wq.Not)]
        negatives = [c.query for c in children if isinstance(c, wq.Not)]
        if not positives:
            base = Evaluation(self._all_live())
        else:
            # the rarest part first; the others only score the documents still in the running
            positives.sort(key=self.estimate)
            base = self.evaluate(positives[0], b, within)
            for c in positives[1:]:
                if not base.scores:
                    break
                if type(c) is wq.Term:
                    cb = b * float(getattr(c, "boost", 1.0) or 1.0)
                    base.scores = self._add_term(base.scores, c.fieldname, c.text, cb)
                else:
                    base = self._and_evals([base, self.evaluate(c, b, base.scores)])
        if negatives:
            excluded = [self.materialise(self.evaluate(n)).ids for n in negatives]
            base.scores = base.scores.without(np.unique(np.concatenate(excluded)))
        return base

    def _and_evals(self, evals: list[Evaluation]) -> Evaluation:
        evals.sort(key=lambda e: len(e.scores))
        scores = evals[0].scores
        pending = list(evals[0].pending)
        for e in evals[1:]:
            scores = and_sum(scores, e.scores)
            pending += e.pending
        return Evaluation(scores, pending)

    def _or(
        self, children: Iterable[wq.Query], b: float, within: Within | None = None
    ) -> Evaluation:
        evals = [self.evaluate(c, b, within) for c in children]
        evals = [e for e in evals if e.scores]
        if not evals:
            return Evaluation(Scored.empty())
        lazy = [e for e in evals if e.pending]
        if lazy and all(len(e.pending) <= 1 for e in evals):
            # OR of phrases (a phrase over several fields), or of a phrase and plain words:
            # stays lazy, any alternative passes (a plain one as it is)
            alternatives = [
                chk
                for e in evals
                for chk in (
                    e.pending[0] if e.pending else [PhraseCheck("", (), 0, e.scores.ids, "given")]
                )
            ]
            return Evaluation(_sum_scores([e.scores for e in evals]), [alternatives])
        return Evaluation(_sum_scores([self.materialise(e) for e in evals]))

    def _phrase(self, q: wq.Phrase, b: float, within: Within | None = None) -> Evaluation:
        words = [w for w in q.words if w]
        if not words:
            return Evaluation(Scored.empty())
        terms = self._and([WordTerm(q.fieldname, w) for w in words], b, within)
        if len(words) == 1:
            return terms
        check = PhraseCheck(q.fieldname, tuple(words), max(1, int(q.slop)), terms.scores.ids)
        return Evaluation(terms.scores, [[check]])

    def _date_range(self, q: Any) -> list[int]:
        lo, hi = _bounds(q)
        if self.date_order is None:
            return list(q.docs(self.searcher))
        values, docs = self.date_order  # ascending by date, documents without a date first
        first = bisect.bisect_left(values, 1)
        i = bisect.bisect_left(values, lo, first) if lo is not None else first
        j = bisect.bisect_right(values, hi) if hi is not None else len(values)
        return docs[i:j]

    def _whoosh_scores(self, q: wq.Query, b: float) -> Scores:
        """Anything else: let Whoosh's matcher score it (slow, but rare and always right)."""
        docs: list[int] = []
        scores: list[float] = []
        try:
            m = q.matcher(self.searcher)
        except Exception:
            return Scored.empty()
        seen: set[int] = set()
        while m.is_active():
            d = m.id()
            if d in seen:  # the dict this replaced kept a document once, at its first place
                scores[docs.index(d)] = m.score() * b
            else:
                seen.add(d)
                docs.append(d)
                scores.append(m.score() * b)
            m.next()
        return Scored.from_pairs(docs, scores)

    # -- phrase checks -------------------------------------------------------------------

    def materialise(self, ev: Evaluation) -> Scores:
        """Run every pending check now (used under NOT and for exact counts)."""
        if not ev.pending:
            return ev.scores
        passed = self.check(ev, ev.scores.ids.tolist())
        return ev.scores.take(np.isin(ev.scores.ids, np.fromiter(passed, dtype=np.int64)))

    def check(self, ev: Evaluation, docs: list[int]) -> set[int]:
        """Which of ``docs`` (sorted by docnum) pass all of ``ev``'s pending checks."""
        ok = set(docs)
        arr = np.asarray(docs, dtype=np.int64)
        for alternatives in ev.pending:
            passed: set[int] = set()
            for chk in alternatives:
                todo = [d for d in chk.among(arr).tolist() if d in ok and d not in passed]
                if todo:
                    passed |= self._verify(chk, todo)
            ok &= passed
        return ok

    def _verify_text(self, chk: PhraseCheck, docs: list[int]) -> set[int]:
        """Phrase check for a field indexed without positions: analyse the stored text."""
        ana = self.reader.schema[chk.field].analyzer
        if not isinstance(ana, NewsAnalyzer) or self.text_of is None:
            return set(docs)
        out: set[int] = set()
        wanted_by_lang: dict[str | None, list[set[str]]] = {}
        anchored: dict[str | None, _Anchored | None] = {}
        for d in docs:
            text = self.text_of(d, chk.field)
            if not text:
                continue
            lang, body = split_language(text)
            wanted = wanted_by_lang.get(lang)
            if wanted is None:
                # each phrase word as the terms it gives in an article of this language
                wanted = wanted_by_lang[lang] = [
                    set(prose_token_terms(w, lang) if ana.stemmed else name_token_terms(w))
                    for w in chk.words
                ]
            if lang not in anchored:
                anchored[lang] = (
                    _Anchored(wanted, lang, chk.slop)
                    if ana.stemmed and (lang or DEFAULT_LANGUAGE) in _ANCHOR_SAFE
                    else None
                )
            fast = anchored[lang]
            if fast is not None:
                if fast.holds(body):
                    out.add(d)
                continue
            every = set().union(*wanted)
            positions: dict[str, list[int]] = {}
            for w, p in ana.terms(text):
                if w in every:
                    positions.setdefault(w, []).append(p)
            per_word = [
                sorted({p for t in forms for p in positions.get(t, ())}) for forms in wanted
            ]
            if all(per_word) and _in_sequence(per_word, chk.slop):
                out.add(d)
        return out

    def _verify_leaves(self, chk: PhraseCheck, docs: list[int]) -> set[int]:
        """Documents whose field has a token holding ``chk.words`` as leaves in a row."""
        out: set[int] = set()
        if self.text_of is None:
            return out
        first = chk.words[0]
        for d in docs:
            text = self.text_of(d, chk.field)
            if not text:
                continue
            text = split_language(text)[1]
            low = text.casefold()
            if low.isascii() and first not in low:
                continue  # cheap: an ASCII text folds by case alone, and lacks the leaf
            for token in TOKEN_RE.findall(text):
                if len(token) > len(first) and leaves_in(token, chk.words) is not None:
                    out.add(d)
                    break
        return out

    def _verify(self, chk: PhraseCheck, docs: list[int]) -> set[int]:
        if chk.mode == "given":
            return set(docs)
        if chk.mode == "leaves":
            return self._verify_leaves(chk, docs)
        # For a few documents, reading their stored text beats walking position postings
        # (each skip moves one posting at a time within a block); fields whose text is not
        # stored (entities) use the positions.
        if chk.field in self.text_fields or not self.reader.schema[chk.field].format.supports(
            "positions"
        ):
            return self._verify_text(chk, docs)
        out: set[int] = set()
        btexts = [self.forms(chk.field, w)[0].encode("utf-8") for w in chk.words]
        for seg, offset in self.segments:
            end = offset + seg.doc_count_all()
            local = [d - offset for d in docs if offset <= d < end]
            if not local:
                continue
            if any((chk.field, t) not in seg for t in btexts):
                continue
            matchers = [seg.postings(chk.field, t) for t in btexts]
            for d in local:
                positions = []
                for m in matchers:
                    if not m.is_active():
                        break
                    m.skip_to(d)
                    if not m.is_active() or m.id() != d:
                        break
                    positions.append(m.value_as("positions"))
                else:
                    if _in_sequence(positions, chk.slop):
                        out.add(d + offset)
        return out


# Languages whose Snowball stemmer only changes a word's end, so a word's index terms start
# with the (folded) letter the word starts with: for articles in these, a phrase is checked
# from the places its first word can start, not by analysing the whole text.
_ANCHOR_SAFE = frozenset(
    {"en", "de", "ru", "fr", "es", "it", "pt", "nl", "sv", "no", "nb", "da", "fi"}
)


class _Anchored:
    """A phrase check of prose text in one language, from its first word's possible starts.

    Gives the same answer as analysing the whole text and comparing positions
    (``_in_sequence``): a token is one position, its parts share it; each next word must be
    the first token within ``slop`` positions that gives one of its terms.
    """

    def __init__(self, wanted: list[set[str]], lang: str | None, slop: int) -> None:
        self.wanted = wanted
        self.lang = lang
        self.slop = slop
        self.starts = word_starts(frozenset(t[0] for t in wanted[0] if t))
        self._masks: dict[str, int] = {}

    def mask(self, token: str) -> int:
        """Bit k set: ``token`` gives one of word k's terms."""
        got = self._masks.get(token)
        if got is None:
            terms = prose_token_terms(token, self.lang or DEFAULT_LANGUAGE)
            got = 0
            for k, forms in enumerate(self.wanted):
                if not forms.isdisjoint(terms):
                    got |= 1 << k
            self._masks[token] = got
        return got

    def holds(self, text: str) -> bool:
        n = len(self.wanted)
        match = TOKEN_RE.match
        seen: set[int] = set()
        for c in self.starts.finditer(text):
            start = token_start(text, c.start())
            if start in seen:
                continue
            seen.add(start)
            tok = match(text, start)
            if tok is None or tok.end() <= c.start() or not self.mask(tok.group()) & 1:
                continue
            end, k = tok.end(), 1
            while k < n:
                nxt = None
                for i, t in enumerate(TOKEN_RE.finditer(text, end)):
                    if i >= self.slop:
                        break
                    if self.mask(t.group()) >> k & 1:
                        nxt = t
                        break
                if nxt is None:
                    break
                end, k = nxt.end(), k + 1
            if k == n:
                return True
        return False


def _bounds(q: Any) -> tuple[int | None, int | None]:
    """A date range query's ends as the index's sortable numbers (None: open)."""
    if isinstance(q, wq.DateRange):
        lo = datetime_to_long(q.startdate) if q.startdate else None
        hi = datetime_to_long(q.enddate) if q.enddate else None
        return lo, hi
    return q.start, q.end


def _sum_scores(parts: list[Scores]) -> Scores:
    """Every part's documents, scores summed (the biggest part first, as the dict loop did)."""
    parts.sort(key=len, reverse=True)
    return union(parts, "sum")


def _in_sequence(positions: list[list[int]], slop: int) -> bool:
    """True if some position of word 0 is followed by word 1 within ``slop``, and so on."""
    starts = positions[0]
    for p in starts:
        cur = p
        for nxt in positions[1:]:
            i = bisect.bisect_right(nxt, cur)
            if i == len(nxt) or nxt[i] - cur > slop:
                break
            cur = nxt[i]
        else:
            return True
    return False


def _within(a: str, b: str, k: int) -> bool:
    """Levenshtein distance of a and b is at most k (banded, stops early)."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > k:
        return False
    prev = list(range(lb + 1))
    for i in range(1, la + 1):
        ca = a[i - 1]
        cur = [i] + [k + 1] * lb
        lo, hi = max(1, i - k), min(lb, i + k)
        best = cur[0]
        for j in range(lo, hi + 1):
            cost = prev[j - 1] + (ca != b[j - 1])
            if prev[j] + 1 < cost:
                cost = prev[j] + 1
            if cur[j - 1] + 1 < cost:
                cost = cur[j - 1] + 1
            cur[j] = cost
            if cost < best:
                best = cost
        if best > k:
            return False
        prev = cur
    return prev[lb] <= k
