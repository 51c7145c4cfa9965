"""Profile the refresh path in one process with pyinstrument: download + parse + store
(the parse pool off, so every frame is visible), then bringing the index up to date.

    python -m bench.profile_refresh [--feeds 200] [--items 50] [--latency 0.05]
    python -m bench.profile_refresh --library DATA_DIR [--no-index]

Prints both profiles as text trees; the hot spots feed the closing note of BENCHMARKS.md.
``--library`` profiles a warm refresh (all 304) of a kept scale library instead
(``bench.run --scale N --keep DIR``, or bench/million.py's copy): the command as the bench
runs it, in this process, with the scale corpus served again on the port the library's
feeds were stored with. What grows with the library's size shows there.
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import sys
import tempfile
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--feeds", type=int, default=200)
    ap.add_argument("--items", type=int, default=50)
    ap.add_argument("--latency", type=float, default=0.05)
    ap.add_argument("--no-index", action="store_true", help="profile storing only")
    ap.add_argument("--library", type=Path, help="profile a warm refresh of this scale library")
    args = ap.parse_args(argv)
    try:
        from pyinstrument import Profiler
    except ImportError:
        print("pyinstrument is not installed: pip install pyinstrument", file=sys.stderr)
        return 1
    if args.library:
        return _profile_warm(args.library, args.no_index)
    import newsreader.index.feeds.refresh as refresh_module
    from newsreader.index.library import Library

    from .corpus import Corpus
    from .feedserver import FeedServer

    refresh_module._POOL_THRESHOLD = 10**9  # parse in this process, visible to the profiler
    corpus = Corpus(args.feeds, args.items)
    data = Path(tempfile.mkdtemp(prefix="newsreader-profile-"))
    try:
        with FeedServer(corpus, latency=args.latency) as server:
            lib = Library.open(data)
            for url in server.urls():
                lib.store.add_feed(url)
            prof = Profiler(interval=0.002)
            start = time.perf_counter()
            with prof:
                report = lib.refresh(index=False)
            stored = time.perf_counter() - start
            new = sum(r.new for r in report.results)
            print(f"== store: {new} articles in {stored:.2f}s (one process)")
            print(prof.output_text(unicode=False, color=False))
            if not args.no_index:
                prof = Profiler(interval=0.002)
                start = time.perf_counter()
                with prof:
                    indexed = lib.sync_index()
                print(f"== index: {indexed} articles in {time.perf_counter() - start:.2f}s")
                print(prof.output_text(unicode=False, color=False))
            lib.close()
    finally:
        shutil.rmtree(data, ignore_errors=True)
    return 0


def _profile_warm(data: Path, no_index: bool) -> int:
    """A warm refresh of the library's first 200 feeds through the command line's own
    entry point (start-up included), profiled."""
    import re
    import sqlite3

    from pyinstrument import Profiler

    from .corpus import Corpus
    from .feedserver import FeedServer
    from .run import SCALE_ITEMS, WARM_FEEDS

    conn = sqlite3.connect(f"file:{data / 'newsreader.sqlite3'}?mode=ro", uri=True)
    url = conn.execute("SELECT url FROM feeds ORDER BY id LIMIT 1").fetchone()[0]
    feeds = conn.execute("SELECT COUNT(*) FROM feeds").fetchone()[0]
    conn.close()
    port = re.match(r"https?://[^/:]+:(\d+)/", url)
    if port is None:
        print(f"the library's feeds are not on a local bench server: {url}", file=sys.stderr)
        return 1
    corpus = Corpus(min(feeds, WARM_FEEDS), SCALE_ITEMS, seed=17)  # bench.run's scale corpus
    argv = ["--data-dir", str(data), "refresh", "--no-enrich"]
    argv += ["--no-index"] if no_index else []
    argv += [str(i) for i in range(1, corpus.feeds + 1)]
    try:
        server: contextlib.AbstractContextManager[object] = FeedServer(
            corpus, latency=0.0, port=int(port.group(1))
        )
    except OSError:  # the port is taken: bench/million.py serves the same corpus on it
        server = contextlib.nullcontext()
    with server:
        prof = Profiler(interval=0.001)
        start = time.perf_counter()
        with prof:
            from newsreader.tui.cli import main as cli_main

            code = cli_main(argv)
        took = time.perf_counter() - start
    print(f"== warm refresh of {corpus.feeds} feeds: {took:.2f}s (exit {code})")
    print(prof.output_text(unicode=False, color=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
