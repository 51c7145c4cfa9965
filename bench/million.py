"""A library of a million articles, made from a real smaller one, and what it costs to use.

    python -m bench.million BASE_DATA_DIR --factor 50 --work /work/bench1m/m

Storing a million generated articles through the refresh path takes longer than a working
session on this shared 2-core machine (the corpus alone is rendered in one process; storing
costs about 2 ms of CPU an article with story grouping). So the million is made from a library
that was stored and indexed the real way (``bench.run --scale N --keep DIR``): its articles are
copied ``factor - 1`` times in SQL, each copy a year older than the last (new ids, keys, guids
and links, the same texts), its stories copied with them, and then everything the issue asks
of a large library is measured the real way on the result:

- indexing the copies: a refresh of the base's feeds (all 304, nothing new) that brings the
  index up to date with the store, i.e. writes every copy through the parallel segment
  writers (not ``reindex``: it also groups every story again, an hour at this size), and the
  index's size on disk;
- a warm refresh of the base's 200 feeds (all 304) against the same on a 10k library;
- app start to a full screen and its peak RSS;
- search latency per query class against SQLite FTS5 over the same articles.

What this does not measure: storing a million articles, and the vocabulary of a million
distinct texts (the copies repeat the base's words; the posting lists are ``factor`` times
longer, which is what search time depends on).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import sqlite3
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from .bytecode import ensure_bytecode
from .corpus import FIRST_NAMES, LAST_NAMES, ORGANISATIONS, Corpus
from .feedserver import FeedServer
from .run import (
    WARM_FEEDS,
    _warm_refresh,
    app_start,
    bench_sizes,
    check,
    log,
    new_data_dir,
    nr,
    run_measured,
    write_opml,
)

YEAR_DAYS = 365
INDEX_TIMEOUT = 6 * 3600.0  # seconds the index step may take


def replicate(src: Path, dst: Path, factor: int) -> dict[str, Any]:
    """``dst``: ``src``'s library with every article there ``factor`` times (see above)."""
    if dst.exists():
        shutil.rmtree(dst)
    dst.mkdir(parents=True)
    for name in ("config.toml",):
        if (src / name).exists():
            shutil.copy2(src / name, dst / name)
    t0 = time.perf_counter()
    with sqlite3.connect(src / "newsreader.sqlite3") as conn:
        conn.execute("VACUUM INTO ?", (str(dst / "newsreader.sqlite3"),))
    conn = sqlite3.connect(dst / "newsreader.sqlite3")
    conn.execute("PRAGMA journal_mode = WAL")
    cols = [r[1] for r in conn.execute("PRAGMA table_info(articles)")]
    base = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]

    def shifted(col: str, k: int) -> str:
        days = k * YEAR_DAYS
        return (
            f"CASE WHEN {col} IS NULL OR {col} = '' THEN {col}"
            f" ELSE strftime('%Y-%m-%dT%H:%M:%SZ', {col}, '-{days} days') END"
        )

    for k in range(1, factor):
        override = {
            "id": f"id || '.{k}'",
            "key": f"key || '#{k}'",
            "guid": f"CASE WHEN guid IS NULL THEN NULL ELSE guid || '#{k}' END",
            "link": f"CASE WHEN link IS NULL THEN NULL ELSE link || '#y{k}' END",
            "published": shifted("published", k),
            "updated": shifted("updated", k),
            "date": shifted("date", k),
            "indexed": "0",
            "bookmarked_at": "NULL",
        }
        select = ", ".join(override.get(c, c) for c in cols)
        with conn:
            conn.execute(
                f"INSERT INTO articles ({', '.join(cols)}) SELECT {select} FROM articles"
                " WHERE instr(id, '.') = 0"
            )
            # the copies' stories: copies of the base's, so the library is grouped as a
            # refresh would have left it (LSH buckets only find candidates for new articles)
            conn.execute(
                "INSERT INTO story_members (article_id, story_id, lead, kind, url_key, guid_key,"
                " day, signature)"
                f" SELECT article_id || '.{k}',"
                f" CASE WHEN story_id = '' THEN '' ELSE story_id || '.{k}' END, lead, kind,"
                f" CASE WHEN url_key IS NULL THEN NULL ELSE url_key || '#y{k}' END,"
                f" CASE WHEN guid_key IS NULL THEN NULL ELSE guid_key || '#{k}' END,"
                f" day - {k * YEAR_DAYS}, signature FROM story_members"
                " WHERE instr(article_id, '.') = 0"
            )
            conn.execute("DELETE FROM story_queue WHERE instr(article_id, '.') > 0")
        log(f"  copy {k}/{factor - 1}: {base * (k + 1):,} articles")
    total = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return {"base_articles": base, "articles": total, "seconds": time.perf_counter() - t0}


# -- search: the library's own index against FTS5 over the same articles ----------------------


def _docs(db: Path) -> Iterator[SimpleNamespace]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    rows = conn.execute(
        "SELECT a.id, a.date, a.title, a.text, COALESCE(a.author, ''),"
        " COALESCE(f.user_title, f.title, '') FROM articles a JOIN feeds f ON f.id = a.feed_id"
    )
    for id_, date, title, text, author, feed in rows:
        yield SimpleNamespace(
            id=id_,
            published=datetime.fromisoformat(date) if date else None,
            title=title,
            body=text,
            author=author,
            feed=feed,
            person=(),
            org=(),
            place=(),
        )
    conn.close()


_NAME_RE = re.compile(
    r"\b("
    + "|".join(re.escape(n) for n in FIRST_NAMES)
    + r") ("
    + "|".join(re.escape(n) for n in LAST_NAMES)
    + r")\b"
)


def query_set(db: Path, sample: int = 3000) -> dict[str, list[str]]:
    """search_bench's query classes, with names and words this corpus has (bench/corpus.py),
    chosen by how often they occur in a sample of the library."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    texts = [
        r[0]
        for r in conn.execute(
            "SELECT title || ' ' || text FROM articles WHERE instr(id, '.') = 0 LIMIT ?", (sample,)
        )
    ]
    authors = Counter(
        (r[0] or "").split()[-1]
        for r in conn.execute(
            "SELECT author FROM articles WHERE author IS NOT NULL LIMIT ?", (sample,)
        )
    )
    newest = conn.execute("SELECT MAX(date) FROM articles").fetchone()[0]
    conn.close()
    people = Counter(m.group(0) for t in texts for m in _NAME_RE.finditer(t)).most_common()
    top_person, mid_person = people[0][0], people[len(people) // 20][0]
    orgs = Counter(o for t in texts for o in ORGANISATIONS if " " in o and o in t).most_common()
    year, month = int(newest[:4]), int(newest[5:7])
    prev = f"{year}-{month - 1:02d}" if month > 1 else f"{year - 1}-12"
    return {
        "common term": ["officials", "said", "government"],
        "stop words": ["minister of finance", "officials said on tuesday", "the prime minister"],
        "name": [top_person.split()[-1], mid_person.split()[-1], "Nairobi"],
        "mid word": ["ceasefire", "referendum", "turnout", "injunction"],
        "two terms": ["election coalition", "inflation exports", "officials ceasefire"],
        "name phrase": [f'"{top_person}"', f'"{mid_person}"', f'"{orgs[0][0]}"'],
        "common phrase": ['"officials said"', '"prime minister"', '"the government would"'],
        "field": ["title:election", f"author:{authors.most_common(1)[0][0]}", "feed:wire"],
        "date range": [
            f"published:{prev}",
            f"election published:[{year}-01-01 to {year}-04-30]",
            f"inflation published:[{year - 1}-06-01 to {year - 1}-09-30]",
        ],
        "prefix": ["electi*", "negotiat*", "vacc*"],
        "fuzzy": ["goverment~", "parliment~", "ceasfire~"],
    }


def build_fts(data: Path, work: Path) -> tuple[Path, float]:
    """The FTS5 side of the comparison, built once (``--fts-only`` builds it beside a running
    index step; a marker file says it is complete): (its path, seconds it took to build)."""
    from . import search_bench as sb

    fts_path = work / "fts-million.sqlite3"
    marker = work / "fts-million.done"
    if marker.exists() and fts_path.exists():
        return fts_path, float(marker.read_text(encoding="utf-8") or "nan")
    fts_path.unlink(missing_ok=True)
    f_secs = sb.fts_build(fts_path, _docs(data / "newsreader.sqlite3"))  # type: ignore[arg-type]
    marker.write_text(f"{f_secs:.1f}", encoding="utf-8")
    log(f"  fts5 built in {f_secs:.0f}s")
    return fts_path, f_secs


def bench_search_at(data: Path, work: Path, repeats: int) -> dict[str, Any]:
    """search_bench's measurement (cold query, ``repeats`` timings each) on the library's index
    and on an FTS5 table built here from the same store."""
    from newsreader.index.search.index import SearchIndex

    from . import search_bench as sb

    db = data / "newsreader.sqlite3"
    fts_path, f_secs = build_fts(data, work)
    fts = sb.Fts(fts_path)
    ix = SearchIndex.open(data / "index")
    queries = query_set(db)
    engines = [
        sb.Engine("whoosh", lambda q: ix.search(q, limit=sb.TOP), ix.count, ix.drop_query_caches),
        sb.Engine("fts5", fts.run, fts.count),
    ]
    times, counts = sb.measure(engines, queries, repeats)
    ix.close()
    classes = {
        cls: {"queries": qs, **sb._summary(times[cls]["whoosh"], times[cls]["fts5"])}
        for cls, qs in queries.items()
    }

    def pooled(names: list[str]) -> dict[str, float]:
        w = [t for n in names for t in times[n]["whoosh"]]
        f = [t for n in names for t in times[n]["fts5"]]
        return sb._summary(w, f)

    return {
        "repeats": repeats,
        "fts5_index_seconds": f_secs,
        "fts5_db_mb": fts_path.stat().st_size / 1e6,
        "classes": classes,
        "realistic_mix": pooled(list(sb.REALISTIC_MIX)),
        "overall": pooled(list(times)),
        "counts": counts,
    }


# -- the run -----------------------------------------------------------------------------------


def _port(db: Path) -> int:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    url = conn.execute("SELECT url FROM feeds ORDER BY id LIMIT 1").fetchone()[0]
    conn.close()
    m = re.match(r"https?://[^/:]+:(\d+)/", url)
    if not m:
        raise RuntimeError(f"the base library's feeds are not on a local bench server: {url}")
    return int(m.group(1))


def _serving(corpus: Corpus, port: int) -> contextlib.AbstractContextManager[object]:
    """The base's feeds served on ``port``; when the port is taken, the run building the
    index serves the same corpus there already."""
    try:
        return FeedServer(corpus, latency=0.0, port=port)
    except OSError:
        log(f"  port {port} taken: using the server already on it")
        return contextlib.nullcontext()


def _record_step(out: dict[str, Any], progress: Path, step: str) -> None:
    """Note a finished step's time and load in ``out`` and write it all to ``progress``, so a
    run stopped later resumes after it and keeps its figures."""
    out["steps"][step] = {
        "utc": datetime.now(UTC).strftime("%H:%M:%S"),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }
    progress.write_text(json.dumps(out, indent=2, default=str) + "\n", encoding="utf-8")
    log(f"  [{step}] done; load {os.getloadavg()[0]:.2f}")


def _warm_stored(data: Path, feeds: int, repeats: int = 3) -> dict[str, Any]:
    """A warm refresh (all 304) with ``--no-index``: the store's side of its cost."""
    from .run import WARM_REPEATS, median_usage

    refs = [str(i) for i in range(1, feeds + 1)]
    runs = [
        check(run_measured(nr(data, "refresh", "--no-index", *refs)), "warm refresh --no-index")
        for _ in range(max(repeats, WARM_REPEATS))
    ]
    return median_usage(runs)


def run_without_index(work: Path, launches: int = 3) -> dict[str, Any]:
    """What can be measured of the copied million before its index exists: app start to a
    full screen (it reads the store only; the app quits before its background indexing would
    begin) and the store's side of a warm refresh, against the same on a 10k library."""
    out: dict[str, Any] = json.loads((work / "million-progress.json").read_text(encoding="utf-8"))
    out.setdefault("steps", {})
    # its own file: a run building the index meanwhile rewrites million-progress.json
    progress = work / "million-without-index.json"

    def done(step: str) -> None:
        _record_step(out, progress, step)

    data = work / "nr-million"
    out["index_pending"] = _count(data, "SELECT COUNT(*) FROM articles WHERE indexed = 0")
    try:
        out["app"] = app_start(data, launches)
        log(f"  app: ready {out['app']['ready_s']:.2f}s, {out['app']['peak_rss_mb']:.0f} MB")
    except Exception as exc:
        out["app"] = {"error": f"{type(exc).__name__}: {exc}"}
    done("app")
    base_corpus = Corpus(WARM_FEEDS, 100, seed=17)
    with _serving(base_corpus, _port(data / "newsreader.sqlite3")):
        out["warm_stored"] = _warm_stored(data, WARM_FEEDS)
    log(f"  warm refresh --no-index of {WARM_FEEDS} feeds: {out['warm_stored']['wall_s']:.2f}s")
    done("warm_stored")
    ref_corpus = Corpus(WARM_FEEDS, 50, seed=19)
    with FeedServer(ref_corpus, latency=0.0) as server:
        opml = work / "ref.opml"
        write_opml(opml, server.urls(), [ref_corpus.feed_title(i) for i in range(WARM_FEEDS)])
        ref = new_data_dir(work, "nr-ref-10k", opml)
        check(run_measured(nr(ref, "refresh")), "refresh of the 10k library")
        out["warm_stored_10k"] = _warm_stored(ref, WARM_FEEDS)
        shutil.rmtree(ref, ignore_errors=True)
    out["warm_stored_ratio"] = out["warm_stored"]["wall_s"] / max(
        out["warm_stored_10k"]["wall_s"], 1e-9
    )
    log(f"  on 10k: {out['warm_stored_10k']['wall_s']:.2f}s ({out['warm_stored_ratio']:.2f}x)")
    done("warm_stored_10k")
    return out


def _count(data: Path, sql: str) -> int:
    conn = sqlite3.connect(f"file:{data / 'newsreader.sqlite3'}?mode=ro", uri=True)
    try:
        return int(conn.execute(sql).fetchone()[0])
    finally:
        conn.close()


STEPS = ("replicate", "index", "warm", "app", "warm_10k", "search")


class _Stop(Exception):
    """Raised after the step ``--stop-after`` names: the rest is resumed by a later call."""


def run(
    base: Path,
    factor: int,
    work: Path,
    launches: int = 3,
    repeats: int = 5,
    stop_after: str | None = None,
) -> dict[str, Any]:
    """Every step not yet done (see ``STEPS``), up to ``stop_after``: the long builds
    (replicate, index) can run apart from the short timings, which want a quiet machine."""
    try:
        return _run(base, factor, work, launches, repeats, stop_after)
    except _Stop:
        progress = work / "million-progress.json"
        return dict(json.loads(progress.read_text(encoding="utf-8")))


def _run(
    base: Path, factor: int, work: Path, launches: int, repeats: int, stop_after: str | None
) -> dict[str, Any]:
    work.mkdir(parents=True, exist_ok=True)
    progress = work / "million-progress.json"
    out: dict[str, Any] = {"base": str(base), "factor": factor, "steps": {}}
    if progress.exists():  # a run stopped part-way: its finished steps stand
        with contextlib.suppress(ValueError):
            out = json.loads(progress.read_text(encoding="utf-8"))
            log(f"million: resuming after {', '.join(out['steps'])}")
    steps = out["steps"]

    def done(step: str) -> None:
        _record_step(out, progress, step)
        if step == stop_after:
            raise _Stop(step)

    data = work / "nr-million"
    if "replicate" not in steps:
        done("start")
        log(f"million: copying {base} x{factor}")
        out["replicate"] = replicate(base, data, factor)
        done("replicate")
    # the base's feeds, served again on the port they were stored with: all answer 304
    base_corpus = Corpus(WARM_FEEDS, 100, seed=17)
    with FeedServer(base_corpus, latency=0.0, port=_port(data / "newsreader.sqlite3")):
        if "index" not in steps:
            # no 30-minute cap (run_measured's default): beside other work at a low
            # priority this step takes longer, and the cap killed it twice (3 and 6 Dec)
            index = check(
                run_measured(nr(data, "refresh"), timeout=INDEX_TIMEOUT), "refresh (index catch-up)"
            )
            out["index"] = index.as_dict()
            log(
                f"  index: {index.wall:.0f}s wall, {index.cpu:.0f}s cpu, {index.peak_rss_mb:.0f} MB"
            )
            out["sizes"] = bench_sizes({"million": data})["million"]
            out["segments"] = len(list((data / "index").glob("*.seg")))
            done("index")
        if "warm" not in steps:
            out["warm"] = _warm_refresh(data, WARM_FEEDS)
            log(f"  warm refresh of {WARM_FEEDS} feeds: {out['warm']['wall_s']:.2f}s")
            done("warm")
    if "app" not in steps:
        try:
            out["app"] = app_start(data, launches)
            log(f"  app: ready {out['app']['ready_s']:.2f}s, {out['app']['peak_rss_mb']:.0f} MB")
        except Exception as exc:
            out["app"] = {"error": f"{type(exc).__name__}: {exc}"}
        done("app")
    ref_corpus = Corpus(WARM_FEEDS, 50, seed=19)
    with FeedServer(ref_corpus, latency=0.0) as server:
        if "warm_10k" in steps:
            return _searched(out, data, work, repeats, done) if "search" not in steps else out
        opml = work / "ref.opml"
        write_opml(opml, server.urls(), [ref_corpus.feed_title(i) for i in range(WARM_FEEDS)])
        ref = new_data_dir(work, "nr-ref-10k", opml)
        check(run_measured(nr(ref, "refresh")), "refresh of the 10k library")
        out["warm_10k"] = _warm_refresh(ref, WARM_FEEDS)
        shutil.rmtree(ref, ignore_errors=True)
    out["warm_ratio"] = out["warm"]["wall_s"] / max(out["warm_10k"]["wall_s"], 1e-9)
    log(f"  warm refresh on 10k: {out['warm_10k']['wall_s']:.2f}s ({out['warm_ratio']:.2f}x)")
    done("warm_10k")
    return _searched(out, data, work, repeats, done)


def _searched(
    out: dict[str, Any], data: Path, work: Path, repeats: int, done: Callable[[str], None]
) -> dict[str, Any]:
    try:
        out["search"] = bench_search_at(data, work, repeats)
        out["search"]["docs"] = out["replicate"]["articles"]
        mix = out["search"]["realistic_mix"]
        log(f"  search realistic mix p95: {mix.get('whoosh_p95', float('nan')):.1f} ms")
    except Exception as exc:
        out["search"] = {"error": f"{type(exc).__name__}: {exc}"}
        log(f"  search: {out['search']['error']}")
    done("search")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("base", type=Path, help="a library kept by `bench.run --scale N --keep DIR`")
    ap.add_argument("--factor", type=int, default=10)
    ap.add_argument("--work", type=Path, required=True, help="where the million is made (big disk)")
    ap.add_argument("--launches", type=int, default=3)
    ap.add_argument("--repeats", type=int, default=5, help="timings per query (search_bench: 15)")
    ap.add_argument("--json-out", type=Path, help="the figures (default: WORK/million.json)")
    ap.add_argument(
        "--stop-after",
        choices=STEPS,
        help="stop once this step is done (run again to resume with the next)",
    )
    ap.add_argument(
        "--fts-only", action="store_true", help="only build the FTS5 side (beside a running run)"
    )
    ap.add_argument(
        "--without-index",
        action="store_true",
        help="after a run stopped before its index was built: app start and the store's side"
        " of a warm refresh on the copied million",
    )
    args = ap.parse_args(argv)
    ensure_bytecode()  # as an installed newsreader has it (bench/bytecode.py)
    if args.without_index:
        res = run_without_index(args.work, args.launches)
        (args.json_out or args.work / "million.json").write_text(
            json.dumps(res, indent=2, default=str) + "\n", encoding="utf-8"
        )
        return 0
    if args.fts_only:
        build_fts(args.work / "nr-million", args.work)
        return 0
    started = time.perf_counter()
    res = run(args.base, args.factor, args.work, args.launches, args.repeats, args.stop_after)
    res["elapsed_s"] = time.perf_counter() - started
    target = args.json_out or args.work / "million.json"
    target.write_text(json.dumps(res, indent=2, default=str) + "\n", encoding="utf-8")
    log(f"wrote {target} in {res['elapsed_s']:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
