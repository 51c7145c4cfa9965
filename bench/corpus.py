"""A deterministic corpus of news-like feeds for the benchmarks.

``Corpus(feeds, items, seed)`` describes N feeds of M items each. Every item is made from
its own seeded generator, so any feed can be built alone, in any order, and comes out the
same on every machine and run. Even feeds are RSS 2.0, odd feeds Atom 1.0; dates spread
over the year before ``END``; guids are unique; bodies are 150–600 words of sentences built
from templates over a varied vocabulary of people, organisations, places, quotes and figures.

    python -m bench.corpus --feeds 2 --items 3 --show 0   # print feed 0
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from functools import cached_property
from xml.sax.saxutils import escape


def _w(text: str) -> list[str]:
    """Words of a whitespace-separated list (an underscore joins a multi-word term)."""
    return [w.replace("_", " ") for w in text.split()]


END = datetime(2025, 10, 31, 18, 0, tzinfo=UTC)
YEAR_SECONDS = 365 * 86400

FIRST_NAMES = _w("""Amara Anders Aiko Benedikt Bongani Carla Catalina Chidi Dalia Dario Ebru Eero
Farida Felipe Gabriela Goran Hamza Helena Hyun-woo Ignacio Ilse Imran Ines Jarrah Jelena Joaquín
Kaveh Keiko Kristof Lamar Leilani Lorenzo Magnus Malika Marguerite Mateus Mirela Nadim Naledi
Nikolai Noura Oksana Olusegun Paulina Radek Ramón Renata Rustam Salomé Sanjay Selin Shira Siddharth
Solveig Tadeusz Tamar Teodora Thabo Ulrike Valentina Vikram Wen Xavier Yara Yevgenia Zaid Zofia
Alistair Bridget Colm Deirdre Eamon Fergus Gwen Hugo Isla Jonah Kathleen Lionel Maeve Niall Orla
Percy Quentin Rowan Saoirse Tobias Una Victor Wilhelmina Yusra""")

LAST_NAMES = _w("""Abiodun Achterberg Al-Masri Andersen Arslan Bakshi Balogun Barros Bergkamp Brennan
Caruso Castellanos Chaudhry Cheng Coulibaly Dąbrowski Delacroix Dimitrov Eklund Espinoza Farahani
Fitzgerald Gallagher Gashi Grünewald Haddad Halvorsen Hashemi Ishikawa Jablonski Jiménez Kamara
Kapoor Karlsson Kiplagat Kuznetsov Lacroix Lindgren Lombardi Maalouf Magnusson Mahlangu Marchand
Matsumoto Mbatha Medina Moreno Nakashima Navarro Ndlovu Nyström O'Sullivan Okonkwo Orlov Osorio
Pacheco Pereira Quiroga Rahimi Rasmussen Reyes Rinaldi Saarinen Salazar Sandoval Schreiber Sekibo
Shapiro Sokolova Soto Stavros Szabó Takahashi Tavares Thorsen Toure Uchenna Valdés Vasilescu
Vidal Villanueva Wagner Weiss Whitaker Wiśniewski Xu Yamada Yeboah Zamora Zielinski""")

ORGANISATIONS = [
    "United Nations", "World Health Organization", "International Monetary Fund",
    "European Commission", "African Development Bank", "World Food Programme",
    "International Atomic Energy Agency", "Red Crescent", "Médecins Sans Frontières",
    "Amnesty International", "Human Rights Watch", "International Criminal Court",
    "European Central Bank", "Federal Reserve", "Bank of Japan", "Reserve Bank of India",
    "World Trade Organization", "OPEC", "NATO", "Association of Southeast Asian Nations",
    "International Energy Agency", "Wellcome Trust", "Gates Foundation", "Greenpeace",
    "Transparency International", "Committee to Protect Journalists", "UNICEF", "UNESCO",
    "Norsk Hydro", "Maersk", "Siemens Energy", "Tata Steel", "Petrobras", "Vale",
    "Samsung Electronics", "Nokia", "Ørsted", "Glencore", "Unilever", "Airbus",
    "National Union of Mineworkers", "Confederation of Industry", "Chamber of Commerce",
    "Ministry of Finance", "Ministry of Health", "Ministry of Defence", "Interior Ministry",
    "Electoral Commission", "Supreme Court", "Constitutional Court", "Central Statistics Office",
    "Port Authority", "National Weather Service", "Institute for Fiscal Studies",
    "Kiel Institute", "Max Planck Institute", "Pasteur Institute", "Karolinska Institute",
]  # fmt: skip

PLACES = [
    "Nairobi", "Lagos", "Accra", "Addis Ababa", "Khartoum", "Cairo", "Tunis", "Casablanca",
    "Johannesburg", "Harare", "Kinshasa", "Dakar", "Mosul", "Baghdad", "Erbil", "Beirut",
    "Amman", "Damascus", "Aleppo", "Istanbul", "Ankara", "Tehran", "Kabul", "Karachi",
    "Lahore", "Dhaka", "Kolkata", "Mumbai", "Chennai", "Colombo", "Kathmandu", "Yangon",
    "Bangkok", "Hanoi", "Manila", "Jakarta", "Kuala Lumpur", "Singapore", "Seoul", "Busan",
    "Osaka", "Sapporo", "Taipei", "Hong Kong", "Ulaanbaatar", "Almaty", "Tbilisi", "Yerevan",
    "Kyiv", "Kharkiv", "Odesa", "Warsaw", "Kraków", "Vilnius", "Riga", "Tallinn", "Helsinki",
    "Stockholm", "Oslo", "Copenhagen", "Hamburg", "Munich", "Vienna", "Prague", "Budapest",
    "Belgrade", "Sarajevo", "Athens", "Thessaloniki", "Naples", "Milan", "Marseille", "Lyon",
    "Bordeaux", "Barcelona", "Valencia", "Seville", "Lisbon", "Porto", "Dublin", "Cork",
    "Glasgow", "Cardiff", "Manchester", "Reykjavík", "Montreal", "Winnipeg", "Vancouver",
    "Chicago", "Houston", "Phoenix", "Detroit", "New Orleans", "Mexico City", "Monterrey",
    "Guatemala City", "Bogotá", "Medellín", "Quito", "Lima", "La Paz", "Santiago", "Valparaíso",
    "Buenos Aires", "Montevideo", "São Paulo", "Recife", "Manaus", "Auckland", "Perth",
]  # fmt: skip

COUNTRIES = _w("""Kenya Nigeria Ghana Ethiopia Sudan Egypt Morocco Senegal Iraq Lebanon Jordan Syria
Turkey Iran Afghanistan Pakistan Bangladesh India Nepal Myanmar Thailand Vietnam Indonesia
Malaysia Japan Mongolia Kazakhstan Georgia Armenia Ukraine Poland Lithuania Latvia Estonia
Finland Sweden Norway Denmark Germany Austria Hungary Serbia Greece Italy France Spain Portugal
Ireland Iceland Canada Mexico Guatemala Colombia Ecuador Peru Bolivia Chile Argentina Uruguay
Brazil Australia""")

ROLES = [
    "prime minister", "finance minister", "health minister", "foreign minister",
    "interior minister", "president", "vice-president", "opposition leader", "mayor",
    "governor", "spokesperson", "chief executive", "chief economist", "senior analyst",
    "research director", "professor of epidemiology", "climate scientist", "union leader",
    "coach", "team captain", "police commissioner", "chief prosecutor", "judge",
    "field coordinator", "regional director", "central bank governor", "party chair",
]  # fmt: skip

MONTHS = _w("""January February March April May June July August September October November
December""")
WEEKDAYS = _w("Monday Tuesday Wednesday Thursday Friday Saturday Sunday")

# Per topic: nouns (n), past-tense verbs (v), adjectives (a), plural subjects (s), and
# feed-title words; every article draws mostly from one topic so terms cluster as in news.
TOPICS: dict[str, dict[str, list[str]]] = {
    "politics": {
        "n": _w(
            "election ballot coalition parliament referendum constitution amendment cabinet "
            "mandate turnout recount campaign manifesto caucus filibuster veto decree reshuffle "
            "impeachment budget"
        ),
        "v": _w(
            "announced rejected approved postponed challenged endorsed criticised defended "
            "negotiated vetoed proposed withdrew"
        ),
        "a": _w("narrow decisive contested early snap fragile sweeping controversial bipartisan"),
        "s": _w("lawmakers voters delegates senators party_members election_observers"),
    },
    "economy": {
        "n": _w(
            "inflation interest_rate bond_yield currency deficit surplus tariff exports "
            "imports wages pension unemployment recession growth forecast subsidy stimulus "
            "remittances mortgage"
        ),
        "v": _w(
            "rose fell slowed accelerated stalled rebounded tightened eased widened "
            "narrowed doubled halved"
        ),
        "a": _w("sluggish robust volatile persistent modest sharp unexpected gradual"),
        "s": _w("investors economists traders employers households exporters"),
    },
    "health": {
        "n": _w(
            "vaccine outbreak cholera measles malaria clinic hospital ward trial dosage "
            "antibiotic resistance screening epidemic quarantine ventilator nurses surgeons "
            "pathogen immunisation"
        ),
        "v": _w(
            "confirmed reported contained detected treated vaccinated screened admitted "
            "discharged traced"
        ),
        "a": _w("infectious chronic rural overcrowded preventable experimental resistant"),
        "s": _w("doctors nurses patients health_workers researchers volunteers"),
    },
    "science": {
        "n": _w(
            "telescope satellite genome fossil particle collider probe orbit experiment "
            "glacier sediment enzyme protein neutrino exoplanet observatory reactor "
            "algorithm"
        ),
        "v": _w(
            "discovered measured observed mapped sequenced launched calibrated confirmed "
            "modelled simulated"
        ),
        "a": _w("distant ancient faint unexpected peer-reviewed preliminary rare"),
        "s": _w("astronomers physicists biologists engineers geologists mathematicians"),
    },
    "climate": {
        "n": _w(
            "drought flood heatwave wildfire cyclone monsoon emissions carbon methane "
            "glacier sea_level harvest reservoir levee wind_farm solar_plant grid "
            "reforestation"
        ),
        "v": _w(
            "flooded scorched displaced evacuated pledged cut restored breached recorded warned"
        ),
        "a": _w("record severe prolonged unprecedented coastal arid renewable"),
        "s": _w("farmers residents firefighters engineers climate_negotiators fishermen"),
    },
    "conflict": {
        "n": _w(
            "ceasefire offensive convoy checkpoint shelling airstrike militia refugees "
            "humanitarian_corridor hostages peace_talks border_crossing landmines siege "
            "negotiations"
        ),
        "v": _w(
            "shelled seized retreated advanced evacuated negotiated released violated "
            "besieged displaced"
        ),
        "a": _w("fragile fierce sporadic heavy besieged contested"),
        "s": _w("soldiers fighters civilians aid_workers peacekeepers negotiators"),
    },
    "justice": {
        "n": _w(
            "verdict trial appeal indictment testimony sentence acquittal inquiry warrant "
            "extradition bail jury prosecutor ruling injunction"
        ),
        "v": _w(
            "convicted acquitted indicted sentenced appealed overturned upheld charged "
            "testified ruled"
        ),
        "a": _w("landmark lengthy unanimous closed-door procedural"),
        "s": _w("judges jurors prosecutors defence_lawyers witnesses"),
    },
    "technology": {
        "n": _w(
            "semiconductor chip data_centre software_update outage breach encryption "
            "broadband satellite network startup battery_factory robotics platform "
            "regulation"
        ),
        "v": _w("launched acquired patched hacked unveiled delayed scaled licensed shut_down"),
        "a": _w("open-source proprietary encrypted autonomous faster cheaper"),
        "s": _w("engineers developers regulators users startups investors"),
    },
    "sport": {
        "n": _w(
            "final semi-final league title tournament marathon transfer injury stadium "
            "relegation penalty_shootout qualifier world_record season derby"
        ),
        "v": _w("won lost drew scored clinched defended equalised qualified retired signed"),
        "a": _w("dramatic last-minute unbeaten injury-hit record-breaking"),
        "s": _w("fans players supporters coaches athletes referees"),
    },
    "culture": {
        "n": _w(
            "festival exhibition novel premiere orchestra museum manuscript film archive "
            "award_ceremony gallery opera translation"
        ),
        "v": _w("premiered reopened restored translated acquired honoured published curated"),
        "a": _w("acclaimed long-lost sold-out experimental posthumous"),
        "s": _w("critics audiences curators writers musicians visitors"),
    },
}

FEED_WORDS = _w("""Daily Morning Evening Weekly Global Regional Metro Coastal Northern Southern
Continental Independent Free Open Public National International""")
FEED_NOUNS = _w(
    "Dispatch Herald Observer Wire Ledger Bulletin Courier Review Monitor Gazette Post Times"
)

# Sentence templates; slots are filled per article. {P}/{P2} people (full name on first
# use), {R} a role, {O} an organisation, {L} a place, {C} a country, {n}/{n2} topic
# nouns, {v} a topic verb, {a} a topic adjective, {s} a topic plural subject.
SENTENCES = [
    "{L} — {s_cap} {v} on {weekday} as the {n} entered its {ordinal} week, officials said.",
    "The {O} said in a statement that the {n} had {v} by {pct} percent since {month}.",
    "{P}, the {R}, told reporters in {L} that the {a} {n} would not change the government's plans.",
    "“We have never seen a {n} like this,” said {P2}, {R} at the {O}. “It is {a}, and it is not over.”",
    "According to figures from the {O}, about {count} people were affected in {C} alone.",
    "Critics of the plan, including {P2}, argued that the {n2} had been {v} without proper scrutiny.",
    "The {n} comes after months of {a} debate over {n2} in {C}.",
    "In {L}, {s} gathered outside the offices of the {O}, demanding answers about the {n}.",
    "{P} said the cost could reach {money}, a figure the {O} disputed.",
    "Talks between {C} and the {O} are expected to resume on {weekday}, {day} {month}.",
    "“The {n2} is a matter for the courts,” {P} said, declining to comment further.",
    "A report published by the {O} in {month} {year} warned that {n2} was likely to worsen.",
    "Residents of {L} described a {a} week, with {count} households reporting problems.",
    "The {R} of {C}, {P2}, is due to visit {L} later this month.",
    "Officials in {L} said the {n} had {v} faster than expected, surprising {s}.",
    "{s_cap} in {C} have long complained that the {n2} favours {L} over smaller towns.",
    "The decision follows a {a} {n} that left {count} people without {n2}.",
    "“Nobody here believes the numbers,” said {P2}, who has lived in {L} for {small} years.",
    "The {O}, which has {small} offices in {C}, said it would publish a full review by {month}.",
    "Since {year}, the share of {n2} in {C} has {v} from {pct} percent to {pct2} percent.",
    "Shares of {company} {move} {pct} percent in early trading after the announcement.",
    "The {n} was first reported by local media in {L} on {weekday}.",
    "{P} and {P2} met in {L} for what aides described as {a} but constructive talks.",
    "Analysts at the {O} said {money} had been set aside for {n2} over the next {small} years.",
    "It was the {ordinal} such {n} in {C} this year, and the largest since {year}.",
    "“This is about {n2}, not politics,” the {R} said in a televised address.",
    "Local officials in {L} said roads to the area remained closed on {weekday} evening.",
    "The {O} estimated that {count} {s} had taken part, far more than organisers expected.",
    "{P} did not respond to requests for comment.",
    "The measure passed by {small} votes after a {a} session that ran past midnight.",
]

ORDINALS = _w("first second third fourth fifth sixth seventh eighth ninth tenth")
MOVES = ["rose", "fell", "jumped", "slid", "climbed", "dropped"]


@dataclass(frozen=True, slots=True)
class Item:
    """One generated article: text fields plus the feed-level facts."""

    feed: int
    number: int
    guid: str
    link: str
    title: str
    author: str
    published: datetime
    topic: str
    paragraphs: tuple[str, ...]

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)

    @property
    def words(self) -> int:
        return sum(len(p.split()) for p in self.paragraphs) + len(self.title.split())

    @property
    def html(self) -> str:
        return "".join(f"<p>{escape(p)}</p>" for p in self.paragraphs)


def _rng(*parts: object) -> random.Random:
    digest = hashlib.blake2b(":".join(map(str, parts)).encode(), digest_size=8).digest()
    return random.Random(int.from_bytes(digest, "big"))


class Corpus:
    """``feeds`` feeds × ``items`` items, all derived from ``seed``."""

    def __init__(self, feeds: int, items: int, seed: int = 7) -> None:
        self.feeds = feeds
        self.items = items
        self.seed = seed

    def feed_format(self, feed: int) -> str:
        return "rss" if feed % 2 == 0 else "atom"

    def feed_path(self, feed: int) -> str:
        return f"/feeds/{feed}.{'xml' if self.feed_format(feed) == 'rss' else 'atom'}"

    def feed_title(self, feed: int) -> str:
        rng = _rng(self.seed, "title", feed)
        topic = list(TOPICS)[feed % len(TOPICS)]
        return (
            f"The {rng.choice(FEED_WORDS)} {rng.choice(FEED_NOUNS)}: {topic.capitalize()} #{feed}"
        )

    def item(self, feed: int, number: int) -> Item:
        rng = _rng(self.seed, "item", feed, number)
        topics = list(TOPICS)
        # Feeds lean to one topic, as real desks do; a quarter of items come from elsewhere.
        topic = topics[feed % len(topics)] if rng.random() < 0.75 else rng.choice(topics)
        vocab = TOPICS[topic]
        people = [f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}" for _ in range(3)]
        orgs = rng.sample(ORGANISATIONS, 2)
        places = rng.sample(PLACES, 2)
        country = rng.choice(COUNTRIES)
        role = rng.choice(ROLES)
        introduced: set[str] = set()

        def person(i: int) -> str:
            name = people[i]
            if name in introduced:
                return name.split()[-1]
            introduced.add(name)
            return name

        def fill(template: str) -> str:
            n, n2 = rng.sample(vocab["n"], 2)
            slots = {
                "P": person(0) if "{P}" in template else "",
                "P2": person(rng.randint(1, 2)) if "{P2}" in template else "",
                "R": rng.choice(ROLES) if rng.random() < 0.4 else role,
                "O": orgs[0] if rng.random() < 0.7 else orgs[1],
                "L": places[0] if rng.random() < 0.7 else places[1],
                "C": country,
                "n": n,
                "n2": n2,
                "v": rng.choice(vocab["v"]),
                "a": rng.choice(vocab["a"]),
                "s": rng.choice(vocab["s"]),
                "s_cap": rng.choice(vocab["s"]).capitalize(),
                "weekday": rng.choice(WEEKDAYS),
                "month": rng.choice(MONTHS),
                "day": rng.randint(1, 28),
                "year": rng.randint(1998, 2024),
                "ordinal": rng.choice(ORDINALS),
                "pct": f"{rng.uniform(0.3, 24):.1f}",
                "pct2": f"{rng.uniform(0.3, 40):.1f}",
                "count": f"{rng.choice((120, 450, 1300, 2800, 16000, 48000, 210000)) + rng.randint(0, 99):,}",
                "small": rng.randint(2, 19),
                "money": f"${rng.randint(2, 950)} {rng.choice(('million', 'billion'))}",
                "company": rng.choice(ORGANISATIONS[28:40]),
                "move": rng.choice(MOVES),
            }
            sentence = template.format(**slots)
            return sentence[0].upper() + sentence[1:]

        target = rng.randint(150, 600)
        paragraphs: list[str] = []
        words = 0
        # The lede names the first person in full, then the body draws freely.
        lede = fill(SENTENCES[2])
        current = [lede]
        words += len(lede.split())
        while words < target:
            sentence = fill(rng.choice(SENTENCES))
            current.append(sentence)
            words += len(sentence.split())
            if len(current) >= rng.randint(2, 4):
                paragraphs.append(" ".join(current))
                current = []
        if current:
            paragraphs.append(" ".join(current))

        n = rng.choice(vocab["n"])
        title_forms = [
            f"{places[0]}: {n} {rng.choice(vocab['v'])} as {rng.choice(vocab['s'])} wait for answers",
            f"{people[0].split()[-1]} defends {rng.choice(vocab['a'])} {n} plan",
            f"{orgs[0]} warns of {rng.choice(vocab['a'])} {n} in {country}",
            f"{n.capitalize()} in {places[0]}: what we know so far",
            f"{country}'s {n} {rng.choice(vocab['v'])}, {orgs[0]} says",
        ]
        title = rng.choice(title_forms)
        title = title[0].upper() + title[1:]
        published = END - timedelta(seconds=rng.randrange(YEAR_SECONDS))
        guid = f"urn:bench:{self.seed}:{feed}:{number}"
        return Item(
            feed=feed,
            number=number,
            guid=guid,
            link=f"https://news.example/{feed}/{number:05d}-{n.replace(' ', '-')}",
            title=title,
            author=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            published=published,
            topic=topic,
            paragraphs=tuple(paragraphs),
        )

    def feed_items(self, feed: int) -> list[Item]:
        items = [self.item(feed, i) for i in range(self.items)]
        items.sort(key=lambda it: it.published, reverse=True)
        return items

    def feed_xml(self, feed: int) -> bytes:
        """The feed document: RSS 2.0 for even feeds, Atom 1.0 for odd."""
        return self.feed_document(feed)[0]

    def feed_document(self, feed: int) -> tuple[bytes, datetime]:
        """The feed document and its newest item's date (the feed's Last-Modified)."""
        items = self.feed_items(feed)
        make = _rss if self.feed_format(feed) == "rss" else _atom
        newest = items[0].published if items else END
        return make(self.feed_title(feed), feed, items), newest

    @cached_property
    def total_items(self) -> int:
        return self.feeds * self.items


def _rss(title: str, feed: int, items: list[Item]) -> bytes:
    out = [
        '<?xml version="1.0" encoding="utf-8"?>\n',
        '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">\n<channel>\n',
        f"<title>{escape(title)}</title>\n<link>https://news.example/{feed}/</link>\n",
        f"<description>{escape(title)}: reports from our correspondents</description>\n",
        "<language>en</language>\n",
    ]
    for it in items:
        out.append(
            "<item>\n"
            f"<title>{escape(it.title)}</title>\n"
            f"<link>{escape(it.link)}</link>\n"
            f'<guid isPermaLink="false">{escape(it.guid)}</guid>\n'
            f"<pubDate>{format_datetime(it.published)}</pubDate>\n"
            f"<dc:creator>{escape(it.author)}</dc:creator>\n"
            f"<category>{it.topic}</category>\n"
            f"<description>{escape(it.html)}</description>\n"
            "</item>\n"
        )
    out.append("</channel>\n</rss>\n")
    return "".join(out).encode("utf-8")


def _atom(title: str, feed: int, items: list[Item]) -> bytes:
    updated = max(it.published for it in items).isoformat() if items else END.isoformat()
    out = [
        '<?xml version="1.0" encoding="utf-8"?>\n',
        '<feed xmlns="http://www.w3.org/2005/Atom">\n',
        f"<title>{escape(title)}</title>\n<id>urn:bench:feed:{feed}</id>\n",
        f'<link href="https://news.example/{feed}/"/>\n<updated>{updated}</updated>\n',
    ]
    for it in items:
        out.append(
            "<entry>\n"
            f"<title>{escape(it.title)}</title>\n"
            f'<link rel="alternate" href="{escape(it.link)}"/>\n'
            f"<id>{escape(it.guid)}</id>\n"
            f"<published>{it.published.isoformat()}</published>\n"
            f"<updated>{it.published.isoformat()}</updated>\n"
            f"<author><name>{escape(it.author)}</name></author>\n"
            f'<category term="{it.topic}"/>\n'
            f'<content type="html">{escape(it.html)}</content>\n'
            "</entry>\n"
        )
    out.append("</feed>\n")
    return "".join(out).encode("utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="print generated feeds or corpus statistics")
    ap.add_argument("--feeds", type=int, default=4)
    ap.add_argument("--items", type=int, default=10)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--show", type=int, metavar="FEED", help="print this feed's XML")
    args = ap.parse_args(argv)
    corpus = Corpus(args.feeds, args.items, args.seed)
    if args.show is not None:
        sys.stdout.write(corpus.feed_xml(args.show).decode("utf-8"))
        return 0
    words = [it.words for f in range(corpus.feeds) for it in corpus.feed_items(f)]
    size = sum(len(corpus.feed_xml(f)) for f in range(corpus.feeds))
    print(
        f"{corpus.feeds} feeds × {corpus.items} items: {sum(words):,} words "
        f"(min {min(words)}, max {max(words)}), {size / 1e6:.1f} MB of XML"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
