"""A local feed server for the benchmarks: the corpus over HTTP on 127.0.0.1.

Every response waits ``latency`` seconds first (default 50 ms), to stand in for a real
network. Feeds carry ETag and Last-Modified; a request with a matching If-None-Match, or
(without one) an If-Modified-Since not older than the feed, gets 304 and no body. Bodies are
built once, before the server answers, so building them is never part of a measurement.

In process::

    with FeedServer(Corpus(200, 50)) as server:
        urls = server.urls()

Alone (prints ``ready URL`` once it serves, then one line per request with --verbose)::

    python -m bench.feedserver --feeds 200 --items 50 --latency 0.05 [--port 8080]

``GET /_stats`` returns the counts of responses by status as JSON; ``POST /_stats/reset``
clears them; ``GET /urls.txt`` lists the feed URLs.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from .corpus import Corpus


@dataclass(frozen=True, slots=True)
class FeedBody:
    body: bytes
    content_type: str
    etag: str
    last_modified: str
    modified_ts: float


def build_bodies(corpus: Corpus, workers: int = 1) -> dict[str, FeedBody]:
    """Every feed's document and validators, keyed by request path."""

    def one(feed: int) -> tuple[str, FeedBody]:
        xml, modified = corpus.feed_document(feed)
        kind = corpus.feed_format(feed)
        ctype = "application/rss+xml" if kind == "rss" else "application/atom+xml"
        etag = '"' + hashlib.blake2b(xml, digest_size=12).hexdigest() + '"'
        return corpus.feed_path(feed), FeedBody(
            xml, f"{ctype}; charset=utf-8", etag, format_datetime(modified, usegmt=True),
            modified.timestamp(),
        )  # fmt: skip

    if workers <= 1:
        return dict(one(f) for f in range(corpus.feeds))
    with ThreadPoolExecutor(workers) as pool:
        return dict(pool.map(one, range(corpus.feeds)))


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as real feed hosts offer
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.verbose:
            sys.stderr.write(f"{self.address_string()} {format % args}\n")

    def _send(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        # counted before the answer goes out, so a client that has its answer sees it counted
        self.server.count(status)
        self.send_response(status)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body and self.command != "HEAD":
            self.wfile.write(body)

    def do_POST(self) -> None:
        if self.path == "/_stats/reset":
            self.server.reset()
            self._send(204)
        else:
            self._send(404)

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if path == "/_stats":
            body = json.dumps(self.server.stats()).encode()
            self._send(200, body, {"Content-Type": "application/json"})
            return
        if path == "/urls.txt":
            body = "".join(u + "\n" for u in self.server.urls()).encode()
            self._send(200, body, {"Content-Type": "text/plain; charset=utf-8"})
            return
        feed = self.server.bodies.get(path)
        if self.server.latency > 0:
            time.sleep(self.server.latency)
        if feed is None:
            self._send(404, b"not found\n", {"Content-Type": "text/plain"})
            return
        validators = {"ETag": feed.etag, "Last-Modified": feed.last_modified}
        if _not_modified(
            self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since"), feed
        ):
            self._send(304, headers=validators)
            return
        self._send(200, feed.body, {"Content-Type": feed.content_type, **validators})


def _not_modified(if_none_match: str | None, if_modified_since: str | None, feed: FeedBody) -> bool:
    if if_none_match is not None:  # RFC 9110: If-None-Match wins when both are sent
        tags = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
        return "*" in tags or feed.etag in tags
    if if_modified_since:
        try:
            since = parsedate_to_datetime(if_modified_since).timestamp()
        except (TypeError, ValueError):
            return False
        return int(feed.modified_ts) <= since
    return False


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def __init__(
        self, address: tuple[str, int], bodies: dict[str, FeedBody], latency: float, verbose: bool
    ) -> None:
        super().__init__(address, _Handler)
        self.bodies = bodies
        self.latency = latency
        self.verbose = verbose
        self._counts: Counter[int] = Counter()
        self._lock = threading.Lock()

    def count(self, status: int) -> None:
        with self._lock:
            self._counts[status] += 1

    def stats(self) -> dict[str, int]:
        with self._lock:
            return {str(k): v for k, v in sorted(self._counts.items())}

    def reset(self) -> None:
        with self._lock:
            self._counts.clear()

    def base_url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"

    def urls(self) -> list[str]:
        base = self.base_url()
        return [base + path for path in self.bodies]


class FeedServer:
    """The server on a background thread; ``start``/``stop`` or use as a context manager."""

    def __init__(
        self,
        corpus: Corpus,
        latency: float = 0.05,
        port: int = 0,
        *,
        verbose: bool = False,
        workers: int = 1,
    ) -> None:
        self.corpus = corpus
        self._server = _Server(("127.0.0.1", port), build_bodies(corpus, workers), latency, verbose)
        self._thread: threading.Thread | None = None

    @property
    def latency(self) -> float:
        return self._server.latency

    @latency.setter
    def latency(self, value: float) -> None:
        self._server.latency = value

    @property
    def base_url(self) -> str:
        return self._server.base_url()

    def urls(self) -> list[str]:
        return self._server.urls()

    def feed_bytes(self) -> int:
        return sum(len(b.body) for b in self._server.bodies.values())

    def stats(self) -> dict[str, int]:
        return self._server.stats()

    def reset_stats(self) -> None:
        self._server.reset()

    def start(self) -> FeedServer:
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="feedserver", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join()

    def __enter__(self) -> FeedServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="serve the benchmark corpus on 127.0.0.1")
    ap.add_argument("--feeds", type=int, default=200)
    ap.add_argument("--items", type=int, default=50)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--latency", type=float, default=0.05, help="seconds before each response")
    ap.add_argument("--port", type=int, default=0, help="0 picks a free port")
    ap.add_argument("--verbose", action="store_true", help="log every request to stderr")
    args = ap.parse_args(argv)
    server = FeedServer(
        Corpus(args.feeds, args.items, args.seed), args.latency, args.port, verbose=args.verbose
    )
    server.start()
    print(f"ready {server.base_url}/urls.txt", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
