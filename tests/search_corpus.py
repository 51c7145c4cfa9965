"""A small corpus of index documents, written for the search tests: each one exists to be
found (or not found) by a particular part of the query language."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from newsreader.index.models import IndexDoc

WORLD, MARKETS, POLITICS, SCIENCE = 1, 2, 3, 4
FEEDS = {
    WORLD: "World Desk",
    MARKETS: "Market Report",
    POLITICS: "Ballot Box",
    SCIENCE: "Lab Notes",
}


def _doc(
    id: str,
    feed_id: int,
    title: str,
    body: str,
    published: datetime | None,
    **extra: object,
) -> IndexDoc:
    fields: dict[str, object] = {
        "author": "",
        "link": f"https://news.example/{id}",
        "tags": (),
        "bookmarked": False,
        "read": False,
    }
    fields.update(extra)
    return IndexDoc(
        id=id,
        feed_id=feed_id,
        feed=FEEDS[feed_id],
        title=title,
        body=body,
        published=published,
        **fields,
    )


def search_corpus(now: datetime | None = None) -> list[IndexDoc]:
    """The documents; ``now`` anchors the few that must fall in "yesterday" or "last week"."""
    now = now or datetime.now(UTC)
    today = now.replace(hour=0, minute=0, second=0, microsecond=0)
    return [
        _doc(
            "mosul-offensive",
            WORLD,
            "Battle for Mosul enters a new phase",
            "Iraqi forces pushed into western Mosul's old city on Tuesday, officers said.\n\n"
            "The offensive against the Islamic State group has lasted eight months. Prime "
            "Minister Haider al-Abadi visited the front line and promised that the city would "
            "be rebuilt.",
            datetime(2024, 9, 3, 10, 30, tzinfo=UTC),
            author="Jane Roe",
            tags=("Iraq", "Middle East"),
            person=("Haider al-Abadi", "Abadi"),
            org=("Islamic State", "IS"),
            place=("Mosul", "Iraq"),
        ),
        _doc(
            "coffee-prices",
            MARKETS,
            "Coffee prices climb across Europe",
            "Roasters raised prices again this month as a poor harvest in Brazil tightened "
            "supply.\n\nA trader who grew up in Mosul said buyers were stocking up. Most "
            "analysts expect prices to stay high until the spring.",
            datetime(2024, 10, 1, 8, 0),  # naive: the index treats it as UTC
            bookmarked=True,
            read=True,
            tags=("commodities",),
            place=("Brazil", "Europe"),
        ),
        _doc(
            "syria-talks",
            WORLD,
            "Syria talks stall in Geneva",
            "Envoys of President Bashar al-Assad left the United Nations talks in Geneva "
            "without an agreement. The opposition said the government had refused every "
            "proposal on prisoners.",
            today - timedelta(hours=12),  # yesterday, whatever the time now
            person=("Bashar al-Assad", "Assad"),
            org=("United Nations", "UN"),
            place=("Geneva", "Syria"),
        ),
        _doc(
            "chile-election",
            POLITICS,
            "Chile elects a new president",
            "Voters in Chile elected a new president on Sunday after a campaign dominated by "
            "pensions. Turnout in the elections was the highest in a decade, the electoral "
            "service said.",
            datetime(2024, 9, 20, 22, 0, tzinfo=UTC),
            author="Ana Núñez",
            tags=("politics", "Latin America"),
            person=("Gabriel Boric",),
            place=("Chile",),
        ),
        _doc(
            "zurich-cafe",
            MARKETS,
            "A café on the Limmat",
            "The café on the Limmat in Zürich serves strong coffee to bankers and students. "
            "Its owner, Zoë Brandt, roasts the beans herself.",
            datetime(2024, 8, 15, 9, 0, tzinfo=UTC),
            author="Lukas Meier",
            person=("Zoë Brandt",),
            place=("Zürich",),
        ),
        _doc(
            "budget",
            POLITICS,
            "Government unveils its budget",
            "The government said the budget would cut the deficit by a third. Opposition "
            "parties said governments before it had promised the same.",
            today - timedelta(days=3),
            tags=("politics", "economy"),
        ),
        _doc(
            "reshuffle",
            POLITICS,
            "Cabinet reshuffle surprises nobody",
            "A minister who was never prime among the cabinet's favourites kept her post. "
            "Critics called the reshuffle cosmetic.",
            datetime(2024, 7, 2, 12, 0, tzinfo=UTC),
        ),
        _doc(
            "resignation",
            POLITICS,
            "Resignation in the capital",
            "The prime minister resigned on Monday after losing a vote of confidence. An "
            "interim cabinet will govern until the elections.",
            datetime(2024, 7, 9, 12, 0, tzinfo=UTC),
        ),
        _doc(
            "lunar-lander",
            SCIENCE,
            "Lunar lander touches down near the south pole",
            "The lunar lander touched down in a crater near the south pole of the Moon. "
            "Engineers said the lander's instruments were working and the first images of "
            "the crater floor would arrive within a day.",
            datetime(2024, 11, 5, 6, 0, tzinfo=UTC),
            org=("European Space Agency",),
        ),
        _doc(
            "lunar-lander-copy",
            WORLD,
            "Lunar lander touches down near the south pole",
            "The lunar lander touched down in a crater near the south pole of the Moon. "
            "Engineers said the lander's instruments were working and the first images of "
            "the crater floor would arrive within a day.",
            datetime(2024, 11, 5, 7, 0, tzinfo=UTC),
            org=("European Space Agency",),
        ),
        _doc(
            "lunar-rover",
            SCIENCE,
            "Rover leaves the lander for the crater rim",
            "A small rover left the lunar lander and drove towards the rim of the crater. "
            "Its instruments will look for ice near the south pole.",
            datetime(2024, 11, 8, 6, 0, tzinfo=UTC),
        ),
        _doc(
            "kurdish-fighters",
            WORLD,
            "Kurdish fighters retake a village",
            "Kurdish fighters retook a village north of the city after a week of fighting, "
            "a commander said.",
            datetime(2024, 9, 5, 6, 0, tzinfo=UTC),
            group=("Kurds",),
            place=("Mosul",),
        ),
        _doc(
            "undated",
            SCIENCE,
            "Notes on fermentation",
            "Yeast turns sugar into alcohol and carbon dioxide; bakers and brewers have "
            "relied on it for millennia.",
            None,
        ),
    ]
