"""One gazetteer entry: a Linked Places Format feature with names, links and sources.

Every topic builds its entries through ``feature`` so that all of them share one shape,
one rounding of the point and one order of names, links and sources.
"""

from __future__ import annotations

import re
from typing import Any

from shapely.geometry import Point, mapping
from shapely.geometry.base import BaseGeometry

ARABIC_LETTER = re.compile("[\u0600-\u06ff]")


def language_of(name: str) -> str:
    """The language tag of a name in the sources, which hold only English and Arabic."""
    return "ar" if ARABIC_LETTER.search(name) else "en"


def feature(
    *,
    id: str,
    title: str,
    kind: str,
    precision: str,
    geometry: BaseGeometry,
    point: Point,
    names: list[tuple[str, str]],
    sources: list[str],
    geometry_source: str,
    parent: str | None = "aleppo",
    note: str = "",
    links: list[str] | None = None,
    members: list[str] | None = None,
    uncertainty_m: float | None = None,
    country: str = "SY",
    population: int | None = None,
    admin1: str = "",
) -> dict[str, Any]:
    seen: set[tuple[str, str]] = set()
    name_list = []
    for text, lang in [(title, "en"), *names]:
        text = text.strip()
        if text and (text, lang) not in seen:
            seen.add((text, lang))
            name_list.append({"lang": lang, "toponym": text})
    properties: dict[str, Any] = {
        "title": title,
        "kind": kind,
        "precision": precision,
        "point": [round(point.x, 6), round(point.y, 6)],
        "geometry_source": geometry_source,
        "country": country,
    }
    if parent:
        properties["parent"] = parent
    if note:
        properties["note"] = note
    if members:
        properties["members"] = sorted(members)
    if uncertainty_m is not None:
        properties["uncertainty_m"] = uncertainty_m
    if population:
        properties["population"] = population
    if admin1:
        properties["admin1"] = admin1
    return {
        "type": "Feature",
        "id": id,
        "properties": properties,
        "names": name_list,
        "links": [{"type": "closeMatch", "identifier": link} for link in sorted(links or [])],
        "sources": sorted(set(sources)),
        "geometry": mapping(geometry),
    }
