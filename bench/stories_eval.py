"""Stories across feeds: how well duplicates are found, and what grouping costs at refresh.

Quality: the labelled pairs of ``bench.story_pairs`` (wire-story variants and different
stories on the same topic) are stored together in one library, all dated within three days
of each other, and grouped exactly as a refresh groups them (LSH bands, threshold, time
window). A pair is predicted "one story" when both articles end in the same story; the
report gives pairwise precision and recall, and the same for exact copies (the same page
under tracking-parameter variants of its URL).

Cost: a library of N articles from ``bench.corpus`` (a twentieth of them wire copies in a
second feed) is built on disk; then ``--batch`` more articles are sketched (what the parse
workers do, ``stories.sketch.with_sketches``), stored (the store step as a refresh makes
it: ``Store.store_entries`` and ``Store.record_fetch`` for each feed) and grouped (the
sketches kept as the refresh keeps them, ``RefreshPipeline._keep_sketches``, then
``group_pending`` with them: both are grouping's work in the refresh's process), each
timed on its own. The cost per article is reported for each N, so one sees whether it
grows with the library. The target compares grouping (the refresh's own process) with
the store step; the sketch is reported beside them, as it costs the parse workers.

Grouping keeps each batch's copy keys in a small table and merges them into the big one
once there are ``MERGE_KEYS`` (~10 batches). So that a library meets the measured batch as
one does on average, the build merges when about half that many articles are left to
build (both sizes then hold ~10,000 recent keys); and each figure of grouping is given
also with its share of a merge (``*_with_merge``): a merge of the recent keys is timed
after the batch, and the batch is charged for the keys it added (merge time / keys merged
x keys added). The targets are judged on the figures with the share.

Grouping also costs inside the store step: the triggers that queue each new article. So
the step is measured twice more, on two copies of the built library: once with grouping
off (nothing queued: the store step's queueing and the queue's trigger disabled,
nothing grouped) and once with it on (store, then
group). Grouping's cost is the difference, against the store step with grouping off
(``on_off_vs_store``); every run starts from a fresh copy of the same file with a fresh
connection, and each figure is the best of ``--rounds`` runs (the split ones too).

With two sizes or more, ``flatness`` says whether grouping's cost per article stays flat
from the smallest library to the largest: the growth of each figure, wall and CPU, beside
the store step's, and a verdict (flat: CPU grows by at most 10%), with the spread between
runs, beyond which one run cannot tell.

    python -m bench.stories_eval --sizes 10000,100000
    python -m bench.stories_eval --quality-only
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from newsreader.index.models import ParsedEntry, ParsedFeed, StorySketch
from newsreader.index.store import Store, article_id
from newsreader.index.store import _articles as articles_module
from newsreader.index.store import _stories as stories_store
from newsreader.index.store._stories import queue_new_articles
from newsreader.index.stories.grouping import NEAR_THRESHOLD, NEAR_WINDOW_DAYS, group_pending
from newsreader.index.stories.sketch import with_sketches

from bench.corpus import Corpus
from bench.story_pairs import labelled_pairs, wire_variant

BASE = datetime(2026, 3, 1, tzinfo=UTC)


def _entry(key: str, title: str, text: str, link: str, when: datetime) -> ParsedEntry:
    return ParsedEntry(
        key=key,
        guid=None,
        link=link,
        title=title,
        author=None,
        published=when,
        updated=None,
        summary_html="",
        content_html="",
        text=text,
    )


def quality(positives: int, negatives: int) -> dict[str, object]:
    """Pairwise precision and recall of near-duplicate and exact-copy detection."""
    pairs = labelled_pairs(positives, negatives)
    rng = random.Random(4)
    store = Store.memory()
    left_feed = store.add_feed("https://left.example/feed").id
    right_feed = store.add_feed("https://right.example/feed").id
    left, right = [], []
    for n, pair in enumerate(pairs):
        when = BASE + timedelta(minutes=rng.randrange(3 * 24 * 60))
        left.append(
            _entry(f"l{n}", pair.left_title, pair.left_text, f"https://l.example/{n}", when)
        )
        right.append(
            _entry(f"r{n}", pair.right_title, pair.right_text, f"https://r.example/{n}", when)
        )
    store.store_entries(left_feed, left)
    store.store_entries(right_feed, right)
    started = time.perf_counter()
    grouped = group_pending(store)
    took = time.perf_counter() - started
    stories = _stories_by_key(store)
    tp = fp = fn = tn = 0
    for n, pair in enumerate(pairs):
        same = stories[(left_feed, f"l{n}")] == stories[(right_feed, f"r{n}")]
        if pair.same:
            tp, fn = tp + same, fn + (not same)
        else:
            fp, tn = fp + same, tn + (not same)
    missed = [
        ", ".join(pair.edits)
        for n, pair in enumerate(pairs)
        if pair.same and stories[(left_feed, f"l{n}")] != stories[(right_feed, f"r{n}")]
    ]
    # exact copies: the same page in a third feed, under tracking variants of its URL
    copy_feed = store.add_feed("https://copies.example/feed").id
    tracking = ["utm_source=rss&utm_medium=feed", "fbclid=IwAR1", "gclid=Cj0", "mc_cid=5&mc_eid=6"]
    copies = [
        _entry(
            f"c{n}",
            f"Copy {n}",
            "",  # no text: only the URL can make it a copy
            f"http://WWW.l.example/{n}?{tracking[n % len(tracking)]}#top",
            BASE,
        )
        for n in range(len(pairs))
    ]
    store.store_entries(copy_feed, copies)
    group_pending(store)
    stories = _stories_by_key(store)
    copies_found = sum(
        stories[(copy_feed, f"c{n}")] == stories[(left_feed, f"l{n}")] for n in range(len(pairs))
    )
    store.close()
    return {
        "pairs": len(pairs),
        "positives": positives,
        "negatives": negatives,
        "threshold": NEAR_THRESHOLD,
        "precision": round(tp / max(1, tp + fp), 4),
        "recall": round(tp / max(1, tp + fn), 4),
        "false_positives": fp,
        "false_negatives": fn,
        "missed_edits": missed,
        "exact_copies": len(pairs),
        "exact_copies_found": copies_found,
        "grouping_ms_per_article": round(took / max(1, grouped) * 1000, 3),
    }


def _stories_by_key(store: Store) -> dict[tuple[int, str], str]:
    rows = store.conn.execute(
        # an article with no member row is alone in its story (its own id)
        "SELECT a.feed_id, a.key, COALESCE(NULLIF(m.story_id, ''), a.id) FROM articles a"
        " LEFT JOIN story_members m ON m.article_id = a.id"
    ).fetchall()
    return {(r[0], r[1]): r[2] for r in rows}


RATE = 500  # articles a day in the cost runs: a heavy reader's library, built over time


def _when(k: int) -> datetime:
    """The date of the library's k-th article: ``RATE`` a day, in order."""
    return BASE + timedelta(days=k / RATE)


def _corpus_entries(
    corpus: Corpus, feed: int, start: int, count: int, first: int
) -> list[ParsedEntry]:
    out = []
    for number in range(start, start + count):
        item = corpus.item(feed, number)
        out.append(_entry(item.guid, item.title, item.text, item.link, _when(first + number)))
    return out


def _wire_copies(
    corpus: Corpus, feeds: int, per_feed: int, k: int, count: int, rng: random.Random
) -> list[ParsedEntry]:
    """``count`` wire variants, for the k-th new feed, of articles of the library's newest
    day (other ones for each feed), an hour after them: near-duplicates the batch joins."""
    out = []
    total = per_feed * feeds
    for j in range(count):
        at = total - 1 - (k * count + j) * 3  # spread over the newest articles
        number, feed = divmod(at, feeds)
        item = corpus.item(feed, number)
        title, text, _ = wire_variant(item.title, list(item.paragraphs), rng)
        when = _when(at) + timedelta(hours=1)
        out.append(_entry(f"x{item.guid}", title, text, f"{item.link}x", when))
    return out


def cost(
    size: int, batch: int, workdir: Path, rounds: int = 3, copies: float = 0.0
) -> dict[str, object]:
    """Store and group ``batch`` articles into a library that already holds ``size``.

    The library is built as it grows in use: ``RATE`` articles a day, spread over the
    feeds, stored and grouped a refresh (2,000 articles) at a time in date order; a
    twentieth of them run again, edited, in the next feed an hour later (wire copies).
    The measured batch is the newest day's articles from 20 more feeds; with ``copies``,
    that share of it are wire copies of the library's newest articles instead (they join
    those articles' stories: member rows are written)."""
    feeds = max(10, size // 500)
    per_feed = size // feeds
    corpus = Corpus(feeds=feeds + 20, items=per_feed + batch, seed=18)
    store = Store.open(workdir / f"stories-{size}.sqlite3")
    ids = [store.add_feed(f"https://feed{n}.example/").id for n in range(feeds + 20)]
    rng = random.Random(size)
    total = per_feed * feeds
    half_merge = max(0, total - stories_store.MERGE_KEYS // 2)
    merged_once = False
    for chunk in range(0, total, 2000):
        if chunk >= half_merge and not merged_once:  # ~10,000 recent keys when measured
            with store.story_writer() as writer:
                writer.merge_keys(0)
            merged_once = True
        by_feed: dict[int, list[ParsedEntry]] = {}
        for k in range(chunk, min(total, chunk + 2000)):
            number, feed = divmod(k, feeds)
            item = corpus.item(feed, number)
            when = _when(k)
            by_feed.setdefault(feed, []).append(
                _entry(item.guid, item.title, item.text, item.link, when)
            )
            if number % 20 == 0:
                title, text, _ = wire_variant(item.title, list(item.paragraphs), rng)
                by_feed.setdefault((feed + 1) % feeds, []).append(
                    _entry(f"w{item.guid}", title, text, f"{item.link}w", when + timedelta(hours=1))
                )
        for feed, entries in by_feed.items():
            store.store_entries(ids[feed], entries)
        group_pending(store)
        if chunk % 20000 == 0:
            print(f"  built {store.article_count()} of {size}", file=sys.stderr, flush=True)
    stored = store.article_count()
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    built = workdir / f"stories-{size}.sqlite3"
    pristine = workdir / f"stories-{size}-pristine.sqlite3"
    shutil.copyfile(built, pristine)
    built.unlink()
    # the measured step: 20 feeds of batch/20 new articles each, as one refresh brings them
    each = batch // 20
    copies_each = round(each * copies)  # per feed: wire copies of the library's newest
    new = [
        (
            ids[feeds + k],
            _corpus_entries(corpus, feeds + k, 0, each - copies_each, total + k * each)
            + _wire_copies(corpus, feeds, per_feed, k, copies_each, rng),
        )
        for k in range(20)
    ]
    started = time.perf_counter()
    new = [(feed_id, _sketched(entries)) for feed_id, entries in new]
    sketch_s = time.perf_counter() - started
    days = [int(e.published.timestamp() // 86400) for _, es in new for e in es if e.published]
    sketches = {
        article_id(feed_id, e.key): e.sketch
        for feed_id, entries in new
        for e in entries
        if e.sketch
    }
    split = _split(pristine, new, sketches, rounds)
    store = Store.open(pristine)
    recent_before = _recent_keys(store)
    joined_before = _joined(store)
    store.close()
    store = Store.open(split.pop("path"))  # type: ignore[arg-type]
    window = store.conn.execute(
        # the kept signatures of the window (singletons have no member row)
        "SELECT COALESCE(SUM(length(members)) / 8, 0) FROM story_sketches"
        " WHERE day BETWEEN ? AND ?",
        (min(days) - NEAR_WINDOW_DAYS, max(days) + NEAR_WINDOW_DAYS),
    ).fetchone()[0]
    joined = _joined(store)
    store.close()
    on_off = _on_off(pristine, new, sketches, rounds)
    pages = _pages_written(pristine, new, sketches)
    pristine.unlink()
    grouped = int(split.pop("batch"))
    # the keys the batch kept: the merge after it (``_split``) moved them with those before
    added = int(split["merge_rows"]) - recent_before  # type: ignore[call-overload]
    merge = _merge_share(split, on_off, pages, added, grouped)
    return {
        "library": stored,
        "batch": grouped,
        "rounds": rounds,
        "sketch_us_per_article": round(sketch_s / grouped * 1e6, 1),
        **split,
        "window_members": window,
        "joined_members": joined,
        "batch_joined": joined - joined_before,
        "recent_keys_before": recent_before,
        "keys_added": added,
        **on_off,
        **pages,
        **merge,
    }


def _joined(store: Store) -> int:
    """Members that joined another's story (not leads)."""
    return int(
        store.conn.execute("SELECT COUNT(*) FROM story_members WHERE lead = 0").fetchone()[0]
    )


def _recent_keys(store: Store) -> int:
    return int(store.conn.execute("SELECT COUNT(*) FROM story_keys_recent").fetchone()[0])


def _merge_share(
    split: dict[str, object],
    on_off: dict[str, float],
    pages: dict[str, float],
    added: int,
    grouped: int,
) -> dict[str, object]:
    """Grouping's figures with the batch's share of a merge of the recent keys: the
    merge's cost per key merged, times the keys the batch added, per article."""
    rows = int(split.pop("merge_rows"))  # type: ignore[call-overload]
    share = added / rows if rows else 0.0
    wall = float(split.pop("merge_s")) * share * 1e6 / grouped  # type: ignore[arg-type]
    cpu = float(split.pop("merge_cpu_s")) * share * 1e6 / grouped  # type: ignore[arg-type]
    merge_pages = float(pages.pop("merge_pages")) * share / grouped
    store_s = float(split["store_us_per_article"])  # type: ignore[arg-type]
    store_cpu = float(split["store_cpu_us_per_article"])  # type: ignore[arg-type]
    group = float(split["group_us_per_article"]) + wall  # type: ignore[arg-type]
    group_cpu = float(split["group_cpu_us_per_article"]) + cpu  # type: ignore[arg-type]
    worst_cpu = float(split["group_worst_cpu_us_per_article"]) + cpu  # type: ignore[arg-type]
    on, off = on_off["on_us_per_article"] + wall, on_off["off_us_per_article"]
    on_cpu, off_cpu = on_off["on_cpu_us_per_article"] + cpu, on_off["off_cpu_us_per_article"]
    return {
        "merge_rows": rows,
        "merge_us_per_article": round(wall, 2),
        "merge_cpu_us_per_article": round(cpu, 2),
        "merge_pages_per_article": round(merge_pages, 4),
        "group_with_merge_us_per_article": round(group, 1),
        "group_with_merge_cpu_us_per_article": round(group_cpu, 1),
        "group_with_merge_worst_cpu_us_per_article": round(worst_cpu, 1),
        "group_with_merge_vs_store": round(group / store_s, 3),
        "group_with_merge_vs_store_cpu": round(group_cpu / store_cpu, 3),
        "on_off_with_merge_vs_store": round((on - off) / off, 3),
        "on_off_with_merge_vs_store_cpu": round((on_cpu - off_cpu) / off_cpu, 3),
        "group_with_merge_pages_per_article": round(
            pages["group_pages_per_article"] + merge_pages, 3
        ),
    }


def _split(
    pristine: Path,
    new: list[tuple[int, list[ParsedEntry]]],
    sketches: dict[str, StorySketch],
    rounds: int,
) -> dict[str, object]:
    """The store step, then grouping, each timed on its own (wall and CPU), on a fresh copy
    of the library each round: the best of ``rounds`` for each, and grouping's worst too
    (how far one run can be from the best). The last copy is kept for the caller to read
    (``path``)."""
    work = pristine.with_name(pristine.stem + "-split.sqlite3")
    runs: list[tuple[float, float, float, float]] = []
    merges: list[tuple[float, float]] = []
    grouped = merged = 0
    for _ in range(rounds):
        shutil.copyfile(pristine, work)
        store = Store.open(work)
        started, cpu = time.perf_counter(), time.process_time()
        new_ids = _store_step(store, new)
        store_s, store_cpu = time.perf_counter() - started, time.process_time() - cpu
        started, cpu = time.perf_counter(), time.process_time()
        grouped = group_pending(store, sketches=_kept_sketches(store, new, new_ids))
        group_s, group_cpu = time.perf_counter() - started, time.process_time() - cpu
        started, cpu = time.perf_counter(), time.process_time()
        with store.story_writer() as writer:  # the merge a later batch would make
            merged = writer.merge_keys(0)
        merges.append((time.perf_counter() - started, time.process_time() - cpu))
        store.close()
        runs.append((store_s, store_cpu, group_s, group_cpu))
    store_s, store_cpu, group_s, group_cpu = (min(column) for column in zip(*runs, strict=True))
    per = 1e6 / grouped
    return {
        "path": work,
        "batch": grouped,
        "merge_rows": merged,
        "merge_s": min(m[0] for m in merges),
        "merge_cpu_s": min(m[1] for m in merges),
        "store_us_per_article": round(store_s * per, 1),
        "group_us_per_article": round(group_s * per, 1),
        "group_vs_store": round(group_s / store_s, 3),
        "store_cpu_us_per_article": round(store_cpu * per, 1),
        "group_cpu_us_per_article": round(group_cpu * per, 1),
        "group_vs_store_cpu": round(group_cpu / store_cpu, 3),
        "group_worst_us_per_article": round(max(r[2] for r in runs) * per, 1),
        "group_worst_cpu_us_per_article": round(max(r[3] for r in runs) * per, 1),
    }


def _pages_written(
    pristine: Path, new: list[tuple[int, list[ParsedEntry]]], sketches: dict[str, StorySketch]
) -> dict[str, float]:
    """Pages the store step and grouping each write (WAL frames, per article): a count that
    does not move with the load, unlike the timings. Measured on a copy of its own, with no
    checkpoint during either step (a checkpoint is charged to whichever commit crosses
    SQLite's 1000-frame mark, so timings move when a step's writes cross it)."""
    work = pristine.with_name(pristine.stem + "-pages.sqlite3")
    shutil.copyfile(pristine, work)
    wal = Path(f"{work}-wal")
    store = Store.open(work)
    store.conn.execute("PRAGMA wal_autocheckpoint = 0")

    def frames() -> int:
        return max(0, (wal.stat().st_size - 32) // (4096 + 24)) if wal.exists() else 0

    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    _store_step(store, new)
    stored = frames()
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    grouped = group_pending(store, sketches=sketches)
    written = frames()
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    with store.story_writer() as writer:
        writer.merge_keys(0)
    merge_pages = frames()
    store.close()
    work.unlink()
    return {
        "store_pages_per_article": round(stored / grouped, 3),
        "group_pages_per_article": round(written / grouped, 3),
        "merge_pages": float(merge_pages),  # the whole merge's (``_merge_share`` takes a share)
    }


FLAT = 0.10  # grouping's cost per article is called flat when it grows by at most this


def flatness(rows: list[dict[str, object]]) -> dict[str, object]:
    """Does grouping's cost per article stay flat from the smallest library to the largest?

    Growth of each figure (split: grouping alone; on/off: store + grouping less the store
    step alone), wall and CPU, beside the store step's own; the verdict is on grouping's
    CPU in the split with its share of a merge (the steadiest figure): flat when it grows
    by at most ``FLAT``; when
    it grows more but no more than one run can be off the best (the spread), this run
    cannot tell."""
    small, large = rows[0], rows[-1]

    def grow(key: str) -> float:
        a, b = float(small[key]), float(large[key])  # type: ignore[arg-type]
        return round(b / a - 1, 3) if a > 0 else 0.0

    def grouping_on_off(row: dict[str, object], cpu: str) -> float:
        return float(row[f"on{cpu}_us_per_article"]) - float(row[f"off{cpu}_us_per_article"])  # type: ignore[arg-type]

    out: dict[str, object] = {"from": small["library"], "to": large["library"]}
    for name in ("group", "group_cpu", "store", "store_cpu"):
        out[f"{name}_growth"] = grow(f"{name}_us_per_article")
    for name in ("group", "store", "group_with_merge"):
        out[f"{name}_pages_growth"] = grow(f"{name}_pages_per_article")
    for name in ("group_with_merge", "group_with_merge_cpu"):
        out[f"{name}_growth"] = grow(f"{name}_us_per_article")
    for cpu in ("", "_cpu"):
        a, b = grouping_on_off(small, cpu), grouping_on_off(large, cpu)
        out[f"on_off{cpu}_growth"] = round(b / a - 1, 3) if a > 0 else None
    spread = max(
        float(row["group_with_merge_worst_cpu_us_per_article"])  # type: ignore[arg-type]
        / float(row["group_with_merge_cpu_us_per_article"])  # type: ignore[arg-type]
        - 1
        for row in (small, large)
    )
    out["group_cpu_spread"] = round(spread, 3)
    # judged with the share of a merge (grouping as a refresh pays for it, on average)
    growth = float(out["group_with_merge_cpu_growth"])  # type: ignore[arg-type]
    if growth <= FLAT:
        verdict = "flat"
    elif growth <= spread:
        verdict = "cannot tell: the growth is within the spread between runs"
    else:
        verdict = "not flat"
    out["verdict"] = verdict
    return out


def _on_off(
    pristine: Path,
    new: list[tuple[int, list[ParsedEntry]]],
    sketches: dict[str, StorySketch],
    rounds: int,
) -> dict[str, float]:
    """The store step with grouping off, and store + grouping with it on, each on a fresh
    copy of the library (µs per article, wall and CPU; the best of ``rounds``)."""
    best: dict[str, float] = {}
    count = sum(len(entries) for _, entries in new)
    work = pristine.with_name(pristine.stem + "-work.sqlite3")
    for _ in range(rounds):
        for name in ("off", "on"):
            shutil.copyfile(pristine, work)
            store = Store.open(work)
            if name == "off":  # nothing queued: the trigger dropped, the store's call a no-op
                store.conn.execute("DROP TRIGGER story_queue_changed")
                articles_module.queue_new_articles = lambda conn, feed, ids: None
            started, cpu = time.perf_counter(), time.process_time()
            new_ids = _store_step(store, new)
            if name == "on":
                group_pending(store, sketches=_kept_sketches(store, new, new_ids))
            else:
                articles_module.queue_new_articles = queue_new_articles
            wall, cpu = time.perf_counter() - started, time.process_time() - cpu
            store.close()
            for key, took in (
                (f"{name}_us_per_article", wall),
                (f"{name}_cpu_us_per_article", cpu),
            ):
                best[key] = min(best.get(key, took), took)
    work.unlink()
    out = {key: round(took / count * 1e6, 1) for key, took in best.items()}
    out["on_off_vs_store"] = round(
        (out["on_us_per_article"] - out["off_us_per_article"]) / out["off_us_per_article"], 3
    )
    out["on_off_vs_store_cpu"] = round(
        (out["on_cpu_us_per_article"] - out["off_cpu_us_per_article"])
        / out["off_cpu_us_per_article"],
        3,
    )
    return out


def _store_step(store: Store, new: list[tuple[int, list[ParsedEntry]]]) -> list[list[str]]:
    """The store step of a refresh for each feed's entries, as ``RefreshPipeline.ingest``
    makes it: the entries stored, then the fetch recorded; the new ids of each feed."""
    out: list[list[str]] = []
    for feed_id, entries in new:
        ids: list[str] = []
        store.store_entries(feed_id, entries, ids)
        store.record_fetch(feed_id, etag='"bench"', title=f"Feed {feed_id}")
        out.append(ids)
    return out


def _kept_sketches(
    store: Store, new: list[tuple[int, list[ParsedEntry]]], new_ids: list[list[str]]
) -> dict[str, StorySketch]:
    """The sketches a refresh keeps for grouping, by id, made as it makes them
    (``RefreshPipeline._keep_sketches``, in the refresh's own process): grouping's work, so
    timed with it (on 7 Dec the bench built them outside every timing)."""
    from newsreader.index.config import Settings
    from newsreader.index.feeds.refresh import RefreshPipeline

    pipeline = RefreshPipeline(store, Settings())
    for (feed_id, entries), ids in zip(new, new_ids, strict=True):
        pipeline._keep_sketches(feed_id, entries, ids)
    return pipeline.sketches


def _sketched(entries: list[ParsedEntry]) -> list[ParsedEntry]:
    return with_sketches(ParsedFeed(None, None, entries)).entries


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="library sizes, comma-separated")
    parser.add_argument("--batch", type=int, default=2000, help="articles stored and grouped")
    parser.add_argument("--pairs", type=int, default=150, help="labelled pairs of each kind")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each timing (best kept)")
    parser.add_argument(
        "--copies",
        type=float,
        default=0.0,
        help="share of the measured batch that are wire copies of the library's newest"
        " articles (0: none, as before 4 Dec; the library itself has 1/20)",
    )
    parser.add_argument("--quality-only", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    report: dict[str, object] = {"quality": quality(args.pairs, args.pairs)}
    if not args.quality_only:
        with tempfile.TemporaryDirectory(prefix="nr-stories-") as tmp:
            rows = [
                cost(int(s), args.batch, Path(tmp), args.rounds, args.copies)
                for s in args.sizes.split(",")
                if s
            ]
        report["cost"] = rows
        if len(rows) > 1:
            report["flatness"] = flatness(rows)
    if args.json:
        json.dump(report, sys.stdout, indent=2)
        print()
        return 0
    q = report["quality"]
    assert isinstance(q, dict)
    print(
        f"labelled set: {q['pairs']} pairs ({q['positives']} wire variants, {q['negatives']}"
        f" different stories on one topic), threshold {q['threshold']}"
    )
    print(
        f"  near-duplicates: precision {q['precision']:.3f}, recall {q['recall']:.3f}"
        f" (false positives {q['false_positives']}, false negatives {q['false_negatives']})"
    )
    print(f"  exact copies: {q['exact_copies_found']}/{q['exact_copies']}")
    for row in report.get("cost", []):  # type: ignore[attr-defined]
        print(
            f"library {row['library']:>7}: store {row['store_us_per_article']:>7} µs/article,"
            f" grouping {row['group_us_per_article']:>7} µs/article"
            f" ({row['group_vs_store']:.3f}x the store step; CPU {row['store_cpu_us_per_article']}"
            f" and {row['group_cpu_us_per_article']} µs, {row['group_vs_store_cpu']:.3f}x),"
            f" {row['window_members']} members in the window, {row['batch_joined']} joined;"
            f" sketch (parse workers) {row['sketch_us_per_article']} µs/article"
        )
        print(
            f"  on/off: store with grouping off {row['off_us_per_article']} µs/article,"
            f" store + grouping {row['on_us_per_article']} µs/article: grouping"
            f" {row['on_off_vs_store']:.3f}x the store step (CPU {row['on_off_vs_store_cpu']:.3f}x)"
        )
        print(
            f"  pages written per article: store step {row['store_pages_per_article']},"
            f" grouping {row['group_pages_per_article']}"
        )
        print(
            f"  with its share of a merge ({row['keys_added']} keys of {row['merge_rows']}"
            f" merged; {row['recent_keys_before']} recent before): grouping"
            f" {row['group_with_merge_us_per_article']} µs/article"
            f" ({row['group_with_merge_vs_store']:.3f}x; CPU"
            f" {row['group_with_merge_cpu_us_per_article']} µs,"
            f" {row['group_with_merge_vs_store_cpu']:.3f}x), on/off"
            f" {row['on_off_with_merge_vs_store']:.3f}x"
            f" (CPU {row['on_off_with_merge_vs_store_cpu']:.3f}x),"
            f" pages {row['group_with_merge_pages_per_article']}"
        )
    flat = report.get("flatness")
    if isinstance(flat, dict):
        print(
            f"flat {flat['from']} -> {flat['to']}? grouping per article: wall"
            f" {flat['group_growth']:+.0%}, CPU {flat['group_cpu_growth']:+.0%}"
            f" (store step: wall {flat['store_growth']:+.0%}, CPU {flat['store_cpu_growth']:+.0%});"
            f" runs spread up to {flat['group_cpu_spread']:.0%}: {flat['verdict']};"
            f" pages written per article: grouping {flat['group_pages_growth']:+.0%},"
            f" store step {flat['store_pages_growth']:+.0%}"
        )
        print(
            f"  with the share of a merge (the verdict's figure): grouping wall"
            f" {flat['group_with_merge_growth']:+.0%}, CPU {flat['group_with_merge_cpu_growth']:+.0%},"
            f" pages {flat['group_with_merge_pages_growth']:+.0%}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
