"""One event in three papers' own words, and other news naming the same people and places:
the fixtures of the other-coverage and entity-trend tests."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from mentions import mention
from newsreader.index.models import Mention, ParsedEntry
from newsreader.index.store import Store, article_id


@dataclass(frozen=True)
class Piece:
    key: str
    feed: str
    title: str
    text: str
    hours: float  # after the first report
    entities: tuple[tuple[str, str], ...]  # (surface text, label); canonical = text
    link: str | None = None  # the paper's own page unless given

    @property
    def url(self) -> str:
        return self.link or f"https://{self.feed.lower().replace(' ', '-')}.example/{self.key}"


QUAKE = (
    Piece(
        "quake-wire",
        "Aegean Daily",
        "Strong earthquake hits Izmir",
        "A magnitude 6.8 earthquake struck the Aegean coast near Izmir on Friday, the disaster"
        " agency AFAD said. Several apartment blocks collapsed in the Bayrakli district and"
        " rescue teams worked through the night to reach residents trapped under the rubble."
        " Interior Minister Suleyman Soylu said at least 20 people were killed and hundreds"
        " injured. Aftershocks rattled the city until dawn, and schools across Izmir province"
        " will stay closed while engineers inspect damaged buildings. Hospitals in Turkey's"
        " third-largest city treated the injured in tents set up in their gardens.",
        0,
        (
            ("Izmir", "Place"),
            ("AFAD", "Organization"),
            ("Bayrakli", "Place"),
            ("Suleyman Soylu", "Person"),
            ("Turkey", "Place"),
        ),
    ),
    Piece(
        "quake-herald",
        "Herald",
        "Survivors pulled from rubble after Turkey quake",
        "Rescuers dug with their hands through the rubble of a collapsed apartment block in"
        " Bayrakli, hours after the earthquake shook western Turkey. AFAD put the quake's"
        " magnitude at 6.8; the tremor was felt as far as Athens. Suleyman Soylu, the interior"
        " minister, told reporters the death toll had risen to 24 and that more than 800"
        " people were injured. In Izmir thousands of residents spent the night in parks and"
        " cars, afraid to go back inside as aftershocks continued and damaged buildings were"
        " inspected by engineers.",
        5,
        (
            ("Bayrakli", "Place"),
            ("Turkey", "Place"),
            ("AFAD", "Organization"),
            ("Athens", "Place"),
            ("Suleyman Soylu", "Person"),
            ("Izmir", "Place"),
        ),
    ),
    Piece(
        "quake-times",
        "Coast Times",
        "Izmir counts the cost of the earthquake",
        "The death toll from the earthquake in Izmir rose to 27 on Saturday. AFAD, Turkey's"
        " disaster agency, said 9 buildings collapsed, most of them in Bayrakli, and rescue"
        " teams were still searching the rubble for survivors. Suleyman Soylu said tents and"
        " food had been sent to the injured and to the residents whose homes were damaged."
        " Engineers will inspect every school in the province before classes resume, and"
        " aftershocks are expected for weeks.",
        26,
        (
            ("Izmir", "Place"),
            ("AFAD", "Organization"),
            ("Turkey", "Place"),
            ("Bayrakli", "Place"),
            ("Suleyman Soylu", "Person"),
        ),
    ),
)

OTHER_NEWS = (
    # the same place and country, another event
    Piece(
        "metro",
        "Herald",
        "Izmir opens its new metro line",
        "Izmir opened a new metro line on Friday linking the airport with the city centre."
        " Mayor Tunc Soyer said the line would carry 200,000 passengers a day and cut traffic"
        " on the coastal road. The project, financed by European lenders, took six years to"
        " build. Turkey's transport ministry said similar lines were planned for Bursa and"
        " Antalya, and ticket prices will be frozen until the end of the summer season.",
        2,
        (
            ("Izmir", "Place"),
            ("Tunc Soyer", "Person"),
            ("Turkey", "Place"),
            ("Bursa", "Place"),
            ("Antalya", "Place"),
        ),
    ),
    # the same minister and country, another event
    Piece(
        "border",
        "Coast Times",
        "Soylu announces tighter border controls",
        "Suleyman Soylu announced tighter controls on Turkey's eastern border on Friday, with"
        " new watchtowers, drones and a wall along the frontier with Iran. The interior"
        " minister said the measures would stop smugglers and that patrols would double"
        " before the winter. Opposition lawmakers asked how the plan would be paid for and"
        " whether refugees could still apply for asylum at the crossings.",
        3,
        (("Suleyman Soylu", "Person"), ("Turkey", "Place"), ("Iran", "Place")),
    ),
)

# the first report again, in a paper of its own, ten days later: outside the window
LATE = Piece(
    "quake-late",
    "Aegean Daily",
    "Izmir earthquake: ten days on",
    QUAKE[1].text,
    240,
    QUAKE[1].entities,
)


def store_pieces(store: Store, pieces: tuple[Piece, ...], start: datetime) -> dict[str, str]:
    """Store each piece in its paper's feed with its entities; returns article ids by key."""
    feeds: dict[str, int] = {}
    ids: dict[str, str] = {}
    batch: list[tuple[str, list[Mention], list[Mention]]] = []
    for piece in pieces:
        if piece.feed not in feeds:
            feeds[piece.feed] = store.add_feed(
                f"https://{piece.feed.lower().replace(' ', '-')}.example/feed", piece.feed
            ).id
        feed_id = feeds[piece.feed]
        entry = ParsedEntry(
            key=piece.key,
            guid=None,
            link=piece.url,
            title=piece.title,
            author=None,
            published=start + timedelta(hours=piece.hours),
            updated=None,
            summary_html="",
            content_html="",
            text=piece.text,
        )
        store.store_entries(feed_id, [entry])
        aid = article_id(feed_id, piece.key)
        ids[piece.key] = aid
        batch.append((aid, [], [mention(piece.text, t, label) for t, label in piece.entities]))
    store.save_entities(batch, 1)
    return ids


def trend_library(store: Store, today: datetime) -> dict[str, str]:
    """The event of the last two days (with a copy of its first report in a fourth
    paper), and in each of the four weeks before, three reports on the border naming
    Soylu, Turkey and Iran: AFAD, Izmir and Bayrakli rise this week; Turkey and Soylu,
    named every week, do not."""
    start = today.replace(hour=8, minute=0, second=0, microsecond=0) - timedelta(days=2)
    subjects = [
        "trade",
        "gas prices",
        "refugees",
        "flights",
        "water",
        "a dam",
        "a railway",
        "tourism",
        "the harvest",
        "customs",
        "a bridge",
        "elections",
    ]
    earlier = tuple(
        Piece(
            f"border-{week}-{n}",
            "Coast Times",
            f"Soylu on {subjects[3 * (week - 1) + n]}",
            # short, so never a near-duplicate of the others: each is its own story
            f"Suleyman Soylu met officials from Iran in Turkey to talk about"
            f" {subjects[3 * (week - 1) + n]}.",
            -24 * 7 * week + n,
            (("Suleyman Soylu", "Person"), ("Turkey", "Place"), ("Iran", "Place")),
        )
        for week in range(1, 5)
        for n in range(3)
    )
    copy = replace(QUAKE[0], key="quake-mirror", feed="Mirror", link=f"{QUAKE[0].url}?utm_source=x")
    return store_pieces(store, (*QUAKE, *OTHER_NEWS, copy, *earlier), start)
