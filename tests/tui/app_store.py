"""A small fixed library for the app's Pilot tests, written through the store API.

Three feeds of 60 articles each (more than one page of the article list), fixed dates
(newest first is predictable), words that searches can find, and one feed with a fetch
error. The feeds' URLs are a local port where nothing answers, so a refresh of all feeds
fails at once instead of using the network. No spaCy.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from newsreader.index.entities.extract import ENTITY_VERSION
from newsreader.index.library import Library
from newsreader.index.models import Mention, ParsedEntry

if TYPE_CHECKING:
    from newsreader.tui.app import NewsreaderApp

FEEDS = ("Harbour Times", "Valley Courier", "Science Weekly")
PER_FEED = 60
TOPICS = ("port", "river", "election", "museum", "harvest", "bridge")
START = datetime(2026, 1, 1, 8, 0, tzinfo=UTC)


def entry(feed_no: int, n: int) -> ParsedEntry:
    topic = TOPICS[n % len(TOPICS)]
    title = f"{FEEDS[feed_no].split()[0]} report {n:02d} on the {topic}"
    text = (
        f"Officials in Mosul discussed the {topic} on day {n}.\n\n"
        f"Adaeze Okafor said the {topic} plan would go ahead."
    )
    link = f"https://example.org/{feed_no}/{n}" if n % 10 else f"javascript:alert({n})"
    return ParsedEntry(
        key=f"{feed_no}-{n}",
        guid=f"{feed_no}-{n}",
        link=link,
        title=title,
        author="Desk",
        published=START + timedelta(hours=n * 3 + feed_no),
        updated=None,
        summary_html="",
        content_html="",
        text=text,
        tags=(topic,),
    )


def build(lib: Library) -> list[int]:
    """Fill ``lib`` (feeds, articles, index; demo feeds marked as already offered)."""
    lib.store.set_meta("demo_seeded", "tests")
    ids = []
    for i, title in enumerate(FEEDS):
        feed = lib.store.add_feed(f"http://127.0.0.1:9/feed-{i}.xml", title)
        lib.store.store_entries(feed.id, [entry(i, n) for n in range(PER_FEED)])
        ids.append(feed.id)
    lib.store.record_fetch(ids[2], error="HTTP 500 from server")
    lib.sync_index()
    return ids


def add_entities(lib: Library, article_id: str) -> None:
    """Entities for one article, saved directly (what enrichment would have found)."""
    art = lib.article(article_id)
    start = art.text.index("Adaeze Okafor")
    place = art.text.index("Mosul")
    lib.store.save_entities(
        [
            (
                art.id,
                [],
                [
                    Mention("Mosul", "Place", place, place + 5, "Mosul"),
                    Mention("Adaeze Okafor", "Person", start, start + 13, "Adaeze Okafor"),
                ],
            )
        ],
        ENTITY_VERSION,
    )
    lib.sync_index()


def run(coro_fn: Callable[[], Awaitable[Any]]) -> Any:
    return asyncio.run(coro_fn())  # type: ignore[arg-type]


class Notes:
    """Captures what the app tells the user."""

    def __init__(self, app: NewsreaderApp) -> None:
        self.items: list[tuple[str, str]] = []
        original = app.notify

        def notify(message: str, **kwargs: Any) -> None:
            self.items.append((str(message), str(kwargs.get("severity", "information"))))
            original(message, **kwargs)

        app.notify = notify  # type: ignore[method-assign]

    def text(self) -> str:
        return "\n".join(m for m, _ in self.items)

    def severities(self) -> set[str]:
        return {s for _, s in self.items}
