"""A small, fixed library for the app's snapshot tests, written through the store API.

Everything on screen is fixed: publication dates, bookmark times, one feed's fetch error,
one saved search and the entities of one article (saved directly, no spaCy). Every article
is stamped as enriched, so the app has nothing to extract in the background.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from newsreader.index.entities.extract import ENTITY_VERSION
from newsreader.index.library import Library
from newsreader.index.models import Mention, ParsedEntry
from newsreader.index.store import to_iso

START = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)
BOOKMARKED_AT = datetime(2026, 3, 3, 12, 0, tzinfo=UTC)

ENTITY_ARTICLE_KEY = "harbour-master"
ENTITY_ARTICLE = (
    "Port authority names Adaeze Okafor harbour master",
    "The Ostwick Port Authority named Adaeze Okafor as harbour master on Monday, the first "
    "woman to hold the post in the town's history.\n\n"
    "Okafor, who ran the ferry terminal at Skerry Point for nine years, said the harbour "
    "would reopen its northern quay to fishing boats before the summer.\n\n"
    "The Fishermen's Cooperative welcomed the appointment. Its chair, Tomas Reyes, said "
    "the Dutch crews who land at Ostwick had waited two years for the quay to reopen.",
)
FEEDS: dict[str, list[tuple[str, str, str]]] = {
    "Ostwick Harbour Times": [
        (ENTITY_ARTICLE_KEY, *ENTITY_ARTICLE),
        (
            "ferry",
            "Night ferry to Skerry Point returns for the summer",
            "The night ferry between Ostwick harbour and Skerry Point will run again from "
            "June, three nights a week.",
        ),
        (
            "dredging",
            "Harbour dredging finishes a month early",
            "Dredgers finished clearing the harbour channel a month ahead of schedule.",
        ),
        (
            "lighthouse",
            "Lighthouse keepers return to the point",
            "Two keepers will live at the lighthouse again after forty years of automation.",
        ),
    ],
    "Valley Courier": [
        (
            "orchard",
            "Orchard harvest starts three weeks early",
            "Apple growers in the valley began picking three weeks early after a warm spring.",
        ),
        (
            "bridge",
            "Old stone bridge closes for repairs",
            "The stone bridge over the river will close to cars for six months of repairs.",
        ),
        (
            "market",
            "Saturday market moves to the harbour front",
            "Stallholders voted to move the Saturday market to the harbour front in May.",
        ),
    ],
    "Science Weekly": [
        (
            "seagrass",
            "Seagrass meadows store more carbon than thought",
            "A survey of northern seagrass meadows found they hold twice the carbon "
            "previously estimated.",
        ),
        (
            "comet",
            "Amateur astronomers spot a new comet",
            "Two amateur astronomers photographed a faint comet near the Plough.",
        ),
    ],
}


def _entry(key: str, title: str, text: str, n: int) -> ParsedEntry:
    return ParsedEntry(
        key=key,
        guid=key,
        link=f"https://news.example.org/{key}",
        title=title,
        author="Harbour desk" if n % 2 == 0 else None,
        published=START - timedelta(hours=5 * n),
        updated=None,
        summary_html="",
        content_html="",
        text=text,
        tags=(),
    )


def _mentions(text: str, found: list[tuple[str, str, str]]) -> list[Mention]:
    """Mentions of each (words, label, canonical) wherever the words occur, in the order
    given, skipping places an earlier one already covers ("Okafor" inside "Adaeze Okafor")."""
    out: list[Mention] = []
    for words, label, canonical in found:
        start = text.find(words)
        while start >= 0:
            end = start + len(words)
            if not any(m.start < end and start < m.end for m in out):
                out.append(Mention(words, label, start, end, canonical))
            start = text.find(words, end)
    return sorted(out, key=lambda m: m.start)


def build(lib: Library) -> dict[str, str]:
    """Fill ``lib``; returns article ids by fixture key."""
    lib.store.set_meta("demo_seeded", "snapshot tests")
    n = 0
    feed_ids: list[int] = []
    for i, (title, stories) in enumerate(FEEDS.items()):
        feed = lib.store.add_feed(f"https://feeds.example.org/{i}.xml", title)
        feed_ids.append(feed.id)
        entries = []
        for key, story_title, text in stories:
            entries.append(_entry(key, story_title, text, n))
            n += 1
        lib.store.store_entries(feed.id, entries)
    lib.store.record_fetch(feed_ids[2], error="HTTP 503 from feeds.example.org")
    ids = {
        art.title: art.id
        for fid in feed_ids
        for art in lib.list_articles(view="all", feed_id=fid, limit=100)
    }
    by_key = {
        key: ids[story_title] for stories in FEEDS.values() for key, story_title, _ in stories
    }

    title, text = ENTITY_ARTICLE
    batch = [
        (
            aid,
            _mentions(title, [("Adaeze Okafor", "Person", "Adaeze Okafor")])
            if key == ENTITY_ARTICLE_KEY
            else [],
            _mentions(
                text,
                [
                    ("Ostwick Port Authority", "Organization", "Ostwick Port Authority"),
                    ("Adaeze Okafor", "Person", "Adaeze Okafor"),
                    ("Okafor", "Person", "Adaeze Okafor"),
                    ("Monday", "Date", "Monday"),
                    ("Skerry Point", "Place", "Skerry Point"),
                    ("Fishermen's Cooperative", "Organization", "Fishermen's Cooperative"),
                    ("Tomas Reyes", "Person", "Tomas Reyes"),
                    ("Dutch", "Group", "Dutch"),
                    ("Ostwick", "Place", "Ostwick"),
                    ("two years", "Date", "two years"),
                ],
            )
            if key == ENTITY_ARTICLE_KEY
            else [],
        )
        for key, aid in by_key.items()
    ]
    lib.store.save_entities(batch, ENTITY_VERSION)

    for key in ("lighthouse", "orchard"):
        lib.store.set_bookmark(by_key[key], True)
    with lib.store.transaction() as conn:  # fixed bookmark times: nothing on screen from the clock
        for offset, key in enumerate(("lighthouse", "orchard")):
            when = to_iso(BOOKMARKED_AT - timedelta(hours=offset))
            conn.execute("UPDATE articles SET bookmarked_at = ? WHERE id = ?", (when, by_key[key]))
    lib.store.set_read([by_key["dredging"], by_key["comet"]])
    lib.save_search("Harbour news", "harbour")
    lib.sync_index()
    return by_key
