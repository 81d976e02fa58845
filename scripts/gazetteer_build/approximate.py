"""Places known only as points (gazetteer/aleppo-approximate.geojson), at low precision.

Sources: the UNOSAT damage points of 2015 (csr-unosat-damage-2015.geojson), whose
neighbourhood tags give a median point for districts that have no outline; the CSR
heritage points, where a gate's point stands in for the district named after it; and
the cited points of scripts/data/district-points.json. Damage tags that agree with an
outline's names become names of that outline instead (``alias_damage_tags``).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from pathlib import Path
from typing import Any

from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from geoaleppo.curation import slug
from geoaleppo.names import skeleton_key, variant_key

from .entries import feature, language_of
from .geometry import GEOD
from .inputs import DAMAGE_FILE, heritage_citation, heritage_item, load, point_of
from .sources import DAMAGE, HERITAGE, POINTS

# District-precision stand-ins for districts that 2016 news names but that have no
# outline. Each is built from a damage tag (median of its UNOSAT points) or from a
# heritage point, and says which.
TAG_DISTRICTS: dict[str, dict[str, Any]] = {
    "Ard Al-Hamra": {"id": "ard-al-hamra", "title": "Ard al-Hamra", "arabic": "الأرض الحمراء",
                     "names": ["Ard al-Hamra", "Ard Alhamra", "al-Ard al-Hamra",
                               "Al-Aradh al-Hamra"]},
    "Bal Al-Nayrab": {"id": "bab-al-nairab", "title": "Bab al-Nairab", "arabic": "باب النيرب",
                      "names": ["Bab al-Nairab", "Bab al-Nayrab", "Bab an-Nayrab", "Bab Nairab"],
                      "note": "Old City gate district; not an-Nayrab by the airport."},
    "Tareeq al-Bab": {"id": "tariq-al-bab", "title": "Tariq al-Bab", "arabic": "طريق الباب",
                      "names": ["Tariq al-Bab", "Tareeq al-Bab", "Tarik al-Bab", "Tareq al-Bab"]},
    "al Mishatiyah": {"id": "al-mashatiyah", "title": "al-Mashatiyah", "arabic": "المشاطية",
                      "names": ["al-Mashatiyah", "al-Mishatiyah", "Mashatiyeh", "Mashatiya"]},
    "Handarat": {"id": "handarat", "title": "Handarat", "arabic": "حندرات",
                 "names": ["Handarat", "Handarat camp", "Ein al-Tal camp"]},
    "Duwerineh": {"id": "duwayrinah", "title": "Duwayrinah", "arabic": "الدويرينة",
                  "names": ["Duwerineh", "Duwayrinah", "al-Duwayrina"]},
    "Owaija": {"id": "owaija", "title": "Owaija", "arabic": "عويجة",
               "names": ["Owaija", "Uwayjah", "al-Owaija"]},
    "Al Rashida": {"id": "al-rashidin", "title": "al-Rashidin", "arabic": "الراشدين",
                   "names": ["al-Rashidin", "Rashideen", "Al Rashida"]},
    "Mansoura": {"id": "mansoura", "title": "Mansoura", "arabic": "المنصورة",
                 "names": ["Mansoura", "al-Mansoura", "Mansura"]},
    "Khan Al Asal": {"id": "khan-al-asal", "title": "Khan al-Asal", "arabic": "خان العسل",
                     "names": ["Khan al-Asal", "Khan Tuman road Khan al-Asal"]},
    "Mir Al Houssain": {"id": "mir-al-houssain", "title": "Mir al-Houssain",
                        "names": ["Mir al-Houssain"]},
    "Karm al-Qasr": {"id": "karm-al-qasr", "title": "Karm al-Qasr", "names": ["Karm al-Qasr"]},
    "Malkiyeh": {"id": "malkiyeh", "title": "al-Malikiyah", "arabic": "المالكية",
                 "names": ["Malkiyeh", "al-Malikiyah", "Malikiyeh"]},
    "Souq Al Hal": {"id": "souq-al-hal", "title": "Souq al-Hal", "arabic": "سوق الهال",
                    "names": ["Souq al-Hal", "Suq al-Hal", "Souk al-Hal"]},
    "Villat Dahiyat al Asad": {"id": "dahiyat-al-assad", "title": "Dahiyat al-Assad",
                               "arabic": "ضاحية الأسد",
                               "names": ["Dahiyat al-Assad", "Dahiyat al-Asad", "Assad suburb"]},
    "Shqayyef Industrial Area": {"id": "shqayyef", "title": "Shqayyef Industrial Area",
                                 "names": ["Shqayyef", "Shaqif", "Shqayyef Industrial Area"]},
    "Saad Al Ansari": {"id": "saad-al-ansari", "title": "Saad al-Ansari",
                       "names": ["Saad al-Ansari"]},
    "Bagdad Train Station": {"id": "baghdad-station", "title": "Baghdad Station",
                             "names": ["Baghdad Station", "Baghdad railway station"],
                             "precision": "landmark"},
}

# Districts named after an Old City gate that have no outline and no damage tag: the
# gate's heritage point stands in for the district, at district precision.
GATE_DISTRICTS: dict[str, dict[str, Any]] = {
    "Bab Hadid, City Gate": {
        "id": "bab-al-hadid", "title": "Bab al-Hadid", "arabic": "باب الحديد",
        "names": ["Bab al-Hadid", "Bab al Hadid", "Bab Hadid"], "radius": 400.0,
    },
}


def damage_tags(source: Path) -> dict[str, list[tuple[float, float]]]:
    tags: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for item in load(source / DAMAGE_FILE):
        tag = item["properties"].get("Neighborho")
        if tag:
            lon, lat = item["geometry"]["coordinates"][:2]
            tags[tag].append((lon, lat))
    return tags


def median_point(points: list[tuple[float, float]]) -> tuple[Point, float]:
    """Median point of a tag's damage points and the radius holding 80 % of them."""
    lon = statistics.median(p[0] for p in points)
    lat = statistics.median(p[1] for p in points)
    distances = sorted(GEOD.inv(lon, lat, p[0], p[1])[2] for p in points)
    radius = distances[min(len(distances) - 1, int(0.8 * len(distances)))]
    # A district is rarely smaller than a few hundred metres across; the floor keeps a
    # tag with a handful of clustered points from claiming a false precision.
    return Point(lon, lat), float(max(300, round(radius / 50) * 50))


def alias_damage_tags(
    entries: list[dict[str, Any]], outlines: dict[str, BaseGeometry], tags: dict[str, Any]
) -> list[str]:
    """Add a damage tag as a name of the outline its points fall in, when the names agree."""
    by_id = {entry["id"]: entry for entry in entries}
    used = []
    for tag, points in sorted(tags.items()):
        if tag in TAG_DISTRICTS:
            continue
        centre, _ = median_point(points)
        for entry_id, outline in sorted(outlines.items()):
            if not outline.buffer(0.002).contains(centre):
                continue
            entry = by_id[entry_id]
            keys = {skeleton_key(n["toponym"]) for n in entry["names"]}
            keys |= {variant_key(n["toponym"]) for n in entry["names"]}
            if skeleton_key(tag) in keys or variant_key(tag) in keys:
                entry["names"].append({"lang": "en", "toponym": tag})
                used.append(tag)
                break
    return used


def build_tag_districts(tags: dict[str, Any]) -> list[dict[str, Any]]:
    entries = []
    for tag, spec in sorted(TAG_DISTRICTS.items()):
        if tag not in tags:
            msg = f"damage tag {tag!r} not found in the UNOSAT data"
            raise SystemExit(msg)
        centre, radius = median_point(tags[tag])
        names = [(n, "en") for n in spec["names"]]
        if spec.get("arabic"):
            names.append((spec["arabic"], "ar"))
        precision = spec.get("precision", "district")
        entries.append(
            feature(
                id=spec["id"],
                title=spec["title"],
                kind="district" if precision == "district" else "landmark",
                precision=precision,
                geometry=centre,
                point=centre,
                names=names,
                sources=[DAMAGE],
                geometry_source=(
                    f"{DAMAGE}: median of the {len(tags[tag])} damage points tagged {tag!r}; "
                    f"80 % of them lie within {radius:.0f} m"
                ),
                uncertainty_m=radius,
                note=(
                    "No outline in the sources: a low-precision centre from damage points. "
                    + spec.get("note", "")
                ).strip(),
            )
        )
    return entries


def build_gate_districts(source: Path) -> list[dict[str, Any]]:
    entries = []
    for label, spec in sorted(GATE_DISTRICTS.items()):
        item = heritage_item(source, label)
        point = point_of(item)
        entries.append(
            feature(
                id=spec["id"],
                title=spec["title"],
                kind="district",
                precision="district",
                geometry=point,
                point=point,
                names=[(n, "en") for n in spec["names"]] + [(spec["arabic"], "ar")],
                sources=[HERITAGE],
                geometry_source=f"{heritage_citation(label, item['properties'])}, "
                "standing in for the district",
                uncertainty_m=spec["radius"],
                note="No outline in the sources: the district around the gate it is named "
                "after, located by the gate's point at low precision.",
            )
        )
    return entries


# Cited points left out, and why.
SKIPPED_POINTS = {
    "Old City of Aleppo (Ancient City)": "the Old City is the union of its quarters' outlines",
    "Safira": "only a travel site gives a point; Wikipedia's latitude is impossible",
    "Bab al-Hadid": "the heritage assessment's gate point is used instead",
    "Bab al-Maqam": "the CSR outline of Bab al-Maqam is used instead",
    "Aleppo International Airport": "the CSR outline of the airport is used instead",
}


def build_cited_points(points: dict[str, Any] | None, known: set[str]) -> list[dict[str, Any]]:
    if not points:
        return []
    entries = []
    for index, point in enumerate(points.get("points", []), start=1):
        entry_id = slug(point["name"])
        if entry_id in known or point["name"] in SKIPPED_POINTS:
            continue
        known.add(entry_id)
        precision = {"town": "city"}.get(point.get("precision", "district"), point["precision"])
        kind = {"city": "city", "district": "district"}.get(precision, "landmark")
        links = []
        if point.get("geonameid"):
            links.append(f"geonames:{point['geonameid']}")
        if point.get("wikidata"):
            links.append(f"wikidata:{point['wikidata']}")
        geometry = Point(point["lon"], point["lat"])
        entries.append(
            feature(
                id=entry_id,
                title=point["name"],
                kind=kind,
                precision=precision,
                geometry=geometry,
                point=geometry,
                names=[(n, language_of(n)) for n in point.get("alt_names", [])],
                sources=[f"{POINTS}:{index}"],
                geometry_source=f"point given by {point['source'].get('url', '')}",
                parent="aleppo" if kind != "city" else "syria",
                links=links,
                note=point.get("note", ""),
                uncertainty_m={"district": 500.0, "city": 3000.0}.get(precision),
            )
        )
    return entries
