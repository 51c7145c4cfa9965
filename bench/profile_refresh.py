"""Profile the refresh path in one process with pyinstrument: download + parse + store
(the parse pool off, so every frame is visible), then bringing the index up to date.

    python -m bench.profile_refresh [--feeds 200] [--items 50] [--latency 0.05]

Prints both profiles as text trees; the hot spots feed the closing note of BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
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
    args = ap.parse_args(argv)
    try:
        from pyinstrument import Profiler
    except ImportError:
        print("pyinstrument is not installed: pip install pyinstrument", file=sys.stderr)
        return 1
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


if __name__ == "__main__":
    raise SystemExit(main())
