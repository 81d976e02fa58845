"""Reading the inputs: the CSR GeoJSON files and the cited data under scripts/data.

The CSR files (neighbourhood outlines, heritage points, UNOSAT damage points) come from
the ``--source`` folder; the sides of 2016 and the cited points are committed beside
this package in scripts/data.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from shapely.geometry import Point

from geoaleppo.curation import slug

from .sources import HERITAGE

SCRIPT_DATA = Path(__file__).resolve().parents[1] / "data"

NEIGHBOURHOODS_FILE = "csr-aleppo-neighbourhoods.geojson"
HERITAGE_FILE = "csr-aleppo-cultural-heritage.geojson"
DAMAGE_FILE = "csr-unosat-damage-2015.geojson"

# Outline names the CSR file spells in a way that rules cannot fold onto the form
# reporters use (a Sheikh Said/Sa'eed pair folds by rule; these do not).
TITLE_OVERRIDES: dict[str, str] = {}


def load(path: Path) -> list[dict[str, Any]]:
    return json.loads(path.read_text(encoding="utf-8"))["features"]


def outline_id(name: str) -> str:
    """The entry id of the CSR outline called ``name`` (the sides file uses these names too)."""
    return slug(TITLE_OVERRIDES.get(name, name))


def point_of(item: dict[str, Any]) -> Point:
    """A point feature's position, dropping any height."""
    return Point(item["geometry"]["coordinates"][:2])


def heritage_items(source: Path) -> list[dict[str, Any]]:
    return load(source / HERITAGE_FILE)


def heritage_item(source: Path, label: str) -> dict[str, Any]:
    """The heritage point whose label is ``label``."""
    for item in heritage_items(source):
        if item["properties"]["FACILITY_N"] == label:
            return item
    msg = f"heritage point {label!r} missing"
    raise SystemExit(msg)


def heritage_citation(label: str, properties: dict[str, Any]) -> str:
    """How an entry's geometry_source names a heritage point: its label and the source's DMS."""
    longitude = properties["DMS_LONG"].replace("  ", " ")
    return f"{HERITAGE}: point {label!r} ({properties['DMS_LAT']}, {longitude})"


def load_sides() -> dict[str, Any] | None:
    path = SCRIPT_DATA / "aleppo-2016-sides.json"
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def load_cited_points() -> dict[str, Any] | None:
    path = SCRIPT_DATA / "district-points.json"
    return json.loads(path.read_text("utf-8")) if path.exists() else None
