"""A threaded HTTP server on 127.0.0.1 with one path per network fault (tests only).

Paths:
  /feed/NAME            a body registered with ``serve`` (status, headers and body of our choosing)
  /slow/SECONDS/NAME    the registered body after a delay
  /trickle              a declared 1,000-byte body sent one byte a second
  /status/CODE          that status; ``?retry_after=VALUE`` adds a Retry-After header
  /loop                 a redirect to itself, for ever
  /huge                 200 MB streamed without a Content-Length
  /huge-declared        the same with Content-Length announced
  /bomb                 a small gzip body that inflates to ``bomb_size`` bytes

``hits`` counts requests per path, so a test can see whether a feed was asked again.
``blackhole()`` gives a port whose listen queue is full: connecting to it times out.
"""

from __future__ import annotations

import functools
import gzip
import socket
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

HUGE_SIZE = 200 * 1024 * 1024


@dataclass
class Canned:
    body: bytes
    status: int = 200
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "application/xml"})


class FaultServer:
    """Start with ``with FaultServer() as srv:``; ``srv.url("/status/503")``."""

    def __init__(self, bomb_size: int = 64 * 1024 * 1024) -> None:
        self.canned: dict[str, Canned] = {}
        self.hits: Counter[str] = Counter()
        self.stopping = threading.Event()
        self.bomb_size = bomb_size
        _bomb(bomb_size)  # made before any test measures memory (and once per session)
        self._lock = threading.Lock()
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.fault = self
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True)

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def serve(self, name: str, body: bytes, status: int = 200, **headers: str) -> str:
        """Register a body under /feed/NAME; returns its URL."""
        hdrs = {"Content-Type": "application/xml"}
        hdrs.update({k.replace("_", "-"): v for k, v in headers.items()})
        self.canned[name] = Canned(body, status, hdrs)
        return self.url(f"/feed/{name}")

    def count(self, path: str) -> int:
        with self._lock:
            return self.hits[path]

    def __enter__(self) -> FaultServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(5)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    fault: FaultServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Stay quiet when the client hangs up on a kept-alive connection.

        socketserver prints a traceback to stderr for a reset connection; the
        tests run the CLI in this process and read its stderr, so the server's
        own noise would read as the product's traceback (seen in CI, 7 Dec).
        Anything else still prints.
        """
        if isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            return
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass  # quiet

    def do_GET(self) -> None:
        fault = self.server.fault
        parts = urlsplit(self.path)
        path = parts.path
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        with fault._lock:
            fault.hits[path] += 1
        with suppress(BrokenPipeError, ConnectionResetError):
            self._route(fault, path, query)

    def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _route(self, fault: FaultServer, path: str, query: dict[str, str]) -> None:
        seg = path.strip("/").split("/")
        if seg[0] == "feed" and len(seg) == 2 and seg[1] in fault.canned:
            c = fault.canned[seg[1]]
            self._send(c.status, c.body, c.headers)
        elif seg[0] == "slow" and len(seg) == 3 and seg[2] in fault.canned:
            fault.stopping.wait(float(seg[1]))
            c = fault.canned[seg[2]]
            self._send(c.status, c.body, c.headers)
        elif path == "/trickle":
            self.send_response(200)
            self.send_header("Content-Type", "application/xml")
            self.send_header("Content-Length", "1000")
            self.end_headers()
            for _ in range(1000):
                self.wfile.write(b"<")
                self.wfile.flush()
                if fault.stopping.wait(1.0):
                    break
            self.close_connection = True
        elif seg[0] == "status" and len(seg) == 2 and seg[1].isdigit():
            headers = {"Content-Type": "text/plain"}
            if "retry_after" in query:
                headers["Retry-After"] = query["retry_after"]
            self._send(int(seg[1]), b"fault", headers)
        elif path == "/loop":
            self._send(302, b"", {"Location": "/loop"})
        elif path in ("/huge", "/huge-declared"):
            self._stream_huge(fault, declared=path == "/huge-declared")
        elif path == "/bomb":
            self._send(
                200,
                _bomb(fault.bomb_size),
                {"Content-Type": "application/xml", "Content-Encoding": "gzip"},
            )
        else:
            self._send(404, b"not here", {"Content-Type": "text/plain"})

    def _stream_huge(self, fault: FaultServer, *, declared: bool) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/xml")
        chunk = b"<rss>" + b"x" * (64 * 1024 - 5)
        if declared:
            self.send_header("Content-Length", str(HUGE_SIZE))
        else:
            self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        sent = 0
        while sent < HUGE_SIZE and not fault.stopping.is_set():
            if declared:
                self.wfile.write(chunk)
            else:
                self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
            sent += len(chunk)
        if not declared:
            self.wfile.write(b"0\r\n\r\n")
        self.close_connection = True


@functools.cache
def _bomb(size: int) -> bytes:
    """``size`` zero bytes gzipped (made once: compressing them takes a moment)."""
    return gzip.compress(b"\0" * size, compresslevel=9)


@contextmanager
def blackhole() -> Iterator[int]:
    """A port on 127.0.0.1 that never completes a connection (its backlog is full)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    fillers = []
    for _ in range(4):
        s = socket.socket()
        s.setblocking(False)
        with suppress(BlockingIOError):
            s.connect(("127.0.0.1", port))
        fillers.append(s)
    time.sleep(0.05)
    try:
        yield port
    finally:
        for s in fillers:
            s.close()
        listener.close()


@contextmanager
def raw_server(response: bytes) -> Iterator[str]:
    """A server on 127.0.0.1 that answers every connection with ``response`` byte for byte
    (broken HTTP included) and closes it; yields its base URL."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(0.05)  # accept() wakes up to see the stop flag
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with suppress(OSError), conn:
                conn.settimeout(2)
                conn.recv(65536)
                conn.sendall(response)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        listener.close()
        thread.join(5)
