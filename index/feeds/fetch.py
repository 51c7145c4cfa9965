"""Downloading feeds: concurrent, conditional, bounded in time and size."""

from __future__ import annotations

import asyncio
import email.utils
import errno
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal
from urllib.parse import unquote, urlsplit

from ..config import Settings
from ..version import __version__

USER_AGENT = f"newsreader/{__version__} (+https://github.com/newsreader; terminal feed reader)"
ACCEPT = (
    "application/atom+xml, application/rss+xml, application/feed+json, application/json;q=0.9,"
    " application/xml;q=0.9, text/xml;q=0.9, text/html;q=0.5, */*;q=0.1"
)


# a body to parse, "304 Not Modified", a failure, or HTTP 410
FetchStatus = Literal["ok", "not-modified", "error", "gone"]


@dataclass(frozen=True, slots=True)
class FetchRequest:
    feed_id: int
    url: str
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True, slots=True)
class FetchResult:
    feed_id: int
    url: str
    status: FetchStatus
    body: bytes = b""
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    new_url: str | None = None  # set when every redirect on the way was permanent
    error: str | None = None
    retry_after: datetime | None = None
    # a server-side fault (5xx, 429) without Retry-After: the store delays the next try
    backoff: bool = False


def is_local(url: str) -> bool:
    return url.startswith("file://") or "://" not in url


def local_path(url: str) -> Path:
    if url.startswith("file://"):
        return Path(unquote(urlsplit(url).path))
    return Path(url).expanduser()


def fetch_local(req: FetchRequest, max_bytes: int) -> FetchResult:
    """Read a feed from disk; its modification time stands in for Last-Modified."""
    path = local_path(req.url)
    try:
        stat = path.stat()
        stamp = email.utils.formatdate(stat.st_mtime, usegmt=True) + f" {stat.st_size}"
        if req.last_modified == stamp:
            return FetchResult(req.feed_id, req.url, "not-modified")
        if stat.st_size > max_bytes:
            return _error(req, f"file is larger than the {_size(max_bytes)} limit")
        with path.open("rb") as fh:
            body = fh.read(max_bytes + 1)
    except FileNotFoundError:
        return _error(req, f"no such file: {path}")
    except IsADirectoryError:
        return _error(req, f"{path} is a directory, not a feed file")
    except OSError as exc:
        return _error(req, f"cannot read {path}: {exc.strerror}")
    content_type = "application/feed+json" if path.suffix == ".json" else None
    return FetchResult(
        req.feed_id, req.url, "ok", body=body, content_type=content_type, last_modified=stamp
    )


def _error(
    req: FetchRequest,
    message: str,
    retry_after: datetime | None = None,
    *,
    backoff: bool = False,
) -> FetchResult:
    return FetchResult(
        req.feed_id, req.url, "error", error=message, retry_after=retry_after, backoff=backoff
    )


def fetch_all(
    requests: Sequence[FetchRequest],
    settings: Settings,
    on_result: Callable[[FetchResult], None] | None = None,
) -> list[FetchResult]:
    """Fetch every request, ``settings.concurrency`` at a time; never raises for one feed.

    With ``on_result`` each result goes to it as it arrives and is not kept (holding every
    body until the last download ends made a large refresh's memory grow with its size):
    the list returned is then empty.
    """
    return asyncio.run(fetch_all_async(requests, settings, on_result))


async def fetch_all_async(
    requests: Sequence[FetchRequest],
    settings: Settings,
    on_result: Callable[[FetchResult], None] | None = None,
) -> list[FetchResult]:
    results: list[FetchResult] = []
    remote = [r for r in requests if not is_local(r.url)]
    for req in requests:
        if is_local(req.url):
            res = fetch_local(req, settings.max_body_bytes)
            if on_result:
                on_result(res)
            else:
                results.append(res)
    if not remote:
        return results
    import httpx

    limits = httpx.Limits(
        max_connections=settings.concurrency, max_keepalive_connections=settings.concurrency
    )
    timeout = httpx.Timeout(settings.timeout, connect=settings.connect_timeout)
    semaphore = asyncio.Semaphore(settings.concurrency)
    async with httpx.AsyncClient(
        headers={"User-Agent": USER_AGENT, "Accept": ACCEPT},
        timeout=timeout,
        limits=limits,
        follow_redirects=True,
        max_redirects=8,
    ) as client:

        async def one(req: FetchRequest) -> None:
            async with semaphore:
                try:
                    res = await asyncio.wait_for(
                        fetch_http(client, req, settings.max_body_bytes), settings.timeout
                    )
                except TimeoutError:
                    res = _error(
                        req, f"the download took longer than the {settings.timeout:g} s limit"
                    )
            if on_result:
                on_result(res)
            else:
                results.append(res)

        await asyncio.gather(*(one(r) for r in remote))
    return results


async def fetch_http(client: object, req: FetchRequest, max_bytes: int) -> FetchResult:
    import httpx

    assert isinstance(client, httpx.AsyncClient)
    headers: dict[str, str] = {}
    etag, modified = _validator(req.etag), _validator(req.last_modified)
    if etag:
        headers["If-None-Match"] = etag
    if modified:
        headers["If-Modified-Since"] = modified
    try:
        async with client.stream("GET", req.url, headers=headers) as resp:
            new_url = None
            if resp.history and all(r.status_code in (301, 308) for r in resp.history):
                new_url = str(resp.url)
            status = resp.status_code
            if status == 304:
                return FetchResult(req.feed_id, req.url, "not-modified", new_url=new_url)
            if status == 410:
                return FetchResult(
                    req.feed_id, req.url, "gone", error="HTTP 410: the feed is gone for good"
                )
            if 300 <= status < 400:  # a redirect httpx could not follow: no Location
                return _error(req, f"HTTP {status}: a redirect without a usable Location")
            if status >= 400:
                retry = _retry_after(resp.headers.get("Retry-After"))
                reason = resp.reason_phrase or ""
                transient = status >= 500 or status == 429
                return _error(
                    req,
                    f"HTTP {status} {reason}".strip(),
                    retry,
                    backoff=transient and retry is None,
                )
            too_big = f"feed is larger than the {_size(max_bytes)} limit"
            declared = resp.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                return _error(req, too_big)
            body = await _read_capped(resp, max_bytes)
            if body is None:
                return _error(req, too_big)
            return FetchResult(
                req.feed_id,
                req.url,
                "ok",
                body=body,
                content_type=resp.headers.get("Content-Type"),
                etag=_validator(resp.headers.get("ETag")),
                last_modified=_validator(resp.headers.get("Last-Modified")),
                new_url=new_url,
            )
    except httpx.TooManyRedirects:
        return _error(req, "too many redirects (a redirect loop?)")
    except httpx.ConnectTimeout:
        return _error(req, "timed out while connecting")
    except httpx.TimeoutException:
        return _error(req, "the server stopped answering (timeout)")
    except httpx.ConnectError as exc:
        return _error(req, _describe_connect_error(req.url, exc))
    except httpx.DecodingError:
        return _error(req, "the server sent a body that cannot be decompressed")
    except httpx.UnsupportedProtocol:
        if req.url.lower().startswith(("http://", "https://")):
            return _error(req, "the server redirected to an address that is not http(s)")
        return _error(req, "only http, https and file URLs can be fetched")
    except httpx.RemoteProtocolError as exc:
        return _error(req, f"the server's answer is not valid HTTP ({str(exc)[:160]})")
    except httpx.InvalidURL as exc:
        return _error(req, f"an address on the way is not valid ({str(exc)[:160]})")
    except httpx.HTTPError as exc:
        return _error(req, f"download failed: {type(exc).__name__}: {exc}".strip())
    except (OSError, ValueError) as exc:
        return _error(req, f"download failed: {exc}")


def _validator(value: str | None) -> str | None:
    """An ETag or Last-Modified fit to send back: printable ASCII of a sane length. A server
    that sent anything else would otherwise break every later request for the feed."""
    if value and len(value) <= 1024 and value.isascii() and value.isprintable():
        return value
    return None


def _size(n: int) -> str:
    return f"{n / 2**20:g} MB" if n >= 2**20 else f"{n / 1024:g} KB"


async def _read_capped(resp: object, max_bytes: int) -> bytes | None:
    """The decoded body, or None once it grows past ``max_bytes``.

    gzip and deflate are inflated here, never more than the cap at a time, so a small
    compressed body that inflates to gigabytes (a "zip bomb") costs no more memory than
    the cap; other encodings are left to httpx and checked after each chunk.
    """
    import zlib

    import httpx

    assert isinstance(resp, httpx.Response)
    encoding = resp.headers.get("Content-Encoding", "").strip().lower()
    chunks: list[bytes] = []
    size = 0
    if encoding in ("gzip", "x-gzip", "deflate"):
        wbits = 16 + zlib.MAX_WBITS if "gzip" in encoding else zlib.MAX_WBITS
        inflater = zlib.decompressobj(wbits)
        raw_deflate = encoding == "deflate"
        try:
            async for raw in resp.aiter_raw():
                pending = raw
                while pending:
                    try:
                        out = inflater.decompress(pending, max_bytes + 1 - size)
                    except zlib.error:
                        if not raw_deflate or size or chunks:
                            raise
                        # "deflate" sent without the zlib header, as some servers do
                        inflater = zlib.decompressobj(-zlib.MAX_WBITS)
                        raw_deflate = False
                        continue
                    size += len(out)
                    if size > max_bytes:
                        return None
                    chunks.append(out)
                    pending = inflater.unconsumed_tail
                    if inflater.eof:
                        break
        except zlib.error as exc:
            raise httpx.DecodingError(str(exc)) from exc
        return b"".join(chunks)
    async for chunk in resp.aiter_bytes():
        size += len(chunk)
        if size > max_bytes:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


_UNREACHABLE = (errno.ENETUNREACH, errno.EHOSTUNREACH)


def _describe_connect_error(url: str, exc: Exception) -> str:
    host = urlsplit(url).hostname or url
    text = str(exc)
    # httpx says only "All connection attempts failed"; the reason is further down
    causes: list[BaseException] = []
    cause: BaseException | None = exc
    while cause is not None and len(causes) < 8:
        causes.append(cause)
        cause = cause.__cause__ or cause.__context__
    if any(isinstance(c, ConnectionRefusedError) for c in causes):
        return f"{host} refused the connection (nothing is listening there)"
    if any(isinstance(c, OSError) and c.errno in _UNREACHABLE for c in causes):
        return f"{host} cannot be reached (no route to it)"
    low = text.lower()
    if any(
        m in low
        for m in (
            "name or service not known",
            "nodename nor servname",
            "getaddrinfo",
            "temporary failure in name resolution",
            "no address associated",
            "name resolution",
        )
    ):
        return f"cannot find the host {host} (DNS lookup failed)"
    if "ssl" in low or "certificate" in low or "tls" in low:
        return f"secure connection to {host} failed (TLS error: {text[:120]})"
    if "refused" in low:
        return f"{host} refused the connection"
    return f"cannot connect to {host}: {text[:160]}"


def _retry_after(value: str | None) -> datetime | None:
    if not value:
        return None
    value = value.strip()
    now = datetime.now(UTC)
    if value.isdigit():
        return now + timedelta(seconds=min(int(value), 7 * 86400))
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return min(when, now + timedelta(days=7))


def file_url(path: str | os.PathLike[str]) -> str:
    return Path(path).resolve().as_uri()
