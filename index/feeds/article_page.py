"""An article's own web page: downloaded like a feed, its main text extracted, sanitised.

Summary-only feeds send a sentence or two; the article is on its page. The page is fetched
with the feeds' download rules (httpx, the same total deadline, the same size cap) and its
main text is found by readability-lxml, which keeps the page's structure (code, lists,
tables, quotes) and leaves navigation, adverts and comments behind. Its HTML then goes
through the same sanitiser as feed HTML.

Where it may go: a feed names the page, so a link to a loopback, private or link-local
address is refused (on every redirect too), unless the feed itself lives on such an
address (a feed on a home server may link to its own pages).
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ..config import Settings
from ..errors import NewsreaderError
from ..text import is_openable_url, sanitize_html
from .fetch import USER_AGENT, FetchRequest, fetch_http

if TYPE_CHECKING:
    from ..store import Store

PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.1"
AT_ONCE = 3  # pages fetched at the same time during a refresh: a few, not a crawl


class PageError(NewsreaderError):
    """The page could not be fetched or held no article text; the message says why."""


@dataclass(frozen=True, slots=True)
class PageText:
    """An article page's main text as sanitised HTML, and the address it came from."""

    url: str
    html: str


def is_private_host(host: str, unresolved: bool = True) -> bool:
    """True when ``host`` is, or resolves to, a loopback, private, link-local or otherwise
    non-public address. A name that does not resolve gives ``unresolved``: private (not
    fetched) for a page, public (no exception earned) for the feed that names it."""
    host = host.strip("[]").lower()
    if host in ("localhost", "localhost.localdomain") or host.endswith(".localhost"):
        return True
    try:
        addresses = [ipaddress.ip_address(host)]
    except ValueError:
        try:
            infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
        except (OSError, UnicodeError):
            return unresolved
        addresses = []
        for info in infos:
            try:
                addresses.append(ipaddress.ip_address(str(info[4][0]).split("%")[0]))
            except ValueError:
                return True
    return any(not a.is_global for a in addresses)


def may_fetch(url: str, feed_url: str) -> str | None:
    """None when ``url`` may be fetched on a feed's say-so, else the reason it may not."""
    if not is_openable_url(url):
        return "only http and https pages are fetched"
    host = urlsplit(url).hostname or ""
    if not is_private_host(host):
        return None
    feed_host = urlsplit(feed_url).hostname or ""
    feed_on_web = feed_url.lower().startswith(("http://", "https://"))
    if feed_on_web and is_private_host(feed_host, unresolved=False):
        return None  # the feed lives on a private address itself: its own pages may too
    return f"not fetched: {host} is a loopback or private address and the feed is not"


def extract_main_html(page: bytes | str, url: str) -> str:
    """The main text of an HTML page as sanitised HTML ("" when there is none)."""
    from readability import Document

    try:
        summary = Document(page, url=url).summary(html_partial=True)
    except Exception as exc:  # readability raises its own and lxml's errors on junk
        raise PageError(f"no article text found on {url} ({type(exc).__name__})") from exc
    return sanitize_html(summary, url)


def fetch_pages(
    urls: Sequence[str], feed_urls: Sequence[str], settings: Settings
) -> list[PageText | PageError]:
    """Fetch and extract each page (``AT_ONCE`` at a time); one result per URL, in order."""
    return asyncio.run(_fetch_all(list(urls), list(feed_urls), settings))


async def _fetch_all(
    urls: list[str], feed_urls: list[str], settings: Settings
) -> list[PageText | PageError]:
    import httpx

    gate = asyncio.Semaphore(AT_ONCE)
    allowed_private: set[str] = set()

    async def check_hop(request: httpx.Request) -> None:
        """Every redirect is checked again: a public page may not bounce to a private one."""
        host = request.url.host
        if host not in allowed_private and await asyncio.to_thread(is_private_host, host):
            raise PageError(f"not fetched: a redirect led to the private address {host}")

    async with httpx.AsyncClient(
        headers={"User-Agent": USER_AGENT, "Accept": PAGE_ACCEPT},
        timeout=httpx.Timeout(settings.timeout, connect=settings.connect_timeout),
        follow_redirects=True,
        max_redirects=8,
        event_hooks={"request": [check_hop]},
    ) as client:

        async def one(url: str, feed_url: str) -> PageText | PageError:
            refused = await asyncio.to_thread(may_fetch, url, feed_url)
            if refused:
                return PageError(refused)
            host = urlsplit(url).hostname or ""
            if await asyncio.to_thread(is_private_host, host):
                allowed_private.add(host)  # may_fetch allowed it: the feed is there too
            async with gate:
                try:
                    res = await asyncio.wait_for(
                        fetch_http(client, FetchRequest(0, url), settings.max_body_bytes),
                        settings.timeout,
                    )
                except TimeoutError:
                    return PageError(f"the page took longer than the {settings.timeout:g} s limit")
                except PageError as exc:
                    return exc
            if res.status != "ok":
                return PageError(f"could not fetch {url}: {(res.error or res.status)}")
            kind = (res.content_type or "text/html").lower()
            if "html" not in kind and "xml" not in kind:
                return PageError(f"{url} is not a web page ({kind.split(';')[0]})")
            try:
                html = await asyncio.to_thread(extract_main_html, res.body, url)
            except PageError as exc:
                return exc
            if not html.strip():
                return PageError(f"no article text found on {url}")
            return PageText(url=url, html=html)

        return list(
            await asyncio.gather(*(one(u, f) for u, f in zip(urls, feed_urls, strict=True)))
        )


def fetch_full_texts(store: Store, settings: Settings, article_ids: Sequence[str]) -> list[str]:
    """Fetch the page of each article and keep its main text beside the feed's: the
    article's text becomes the page's (so the index and entities pick it up again).
    Returns one line per article that could not be done; the others are stored."""
    from ..reading.article import feed_text

    articles = store.articles(article_ids)
    wanted = [articles[i] for i in article_ids if i in articles and articles[i].link]
    feeds = {f.id: f.url for f in store.feeds()}
    results = fetch_pages(
        [a.link or "" for a in wanted], [feeds.get(a.feed_id, "") for a in wanted], settings
    )
    problems: list[str] = []
    for article, result in zip(wanted, results, strict=True):
        if isinstance(result, PageError):
            store.mark_full_text_tried(article.id)
            problems.append(f"{article.title}: {result}")
            continue
        _, text = feed_text("", result.html)
        store.save_full_text(article.id, result.html, text)
    return problems
