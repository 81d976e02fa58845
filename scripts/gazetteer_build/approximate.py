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


# A damage tag names the outline that holds at least this share of its points when it
# shares a key with one of the outline's names, and at least half of them when its
# spelling is only close to one (the tags' points spill into the districts around, as
# Al Jalloum's do into Souq al-Madina). Spatial agreement alone is not enough,
# since tags also name sub-areas ("Al Wafa" in az-Zahra) and some are misplaced (the
# "Jouret Awwad" points lie in Karm al-Myassar, the "Sheikh Kheder" ones in Sheikh Fares).
TAG_SHARE = 1 / 3
TAG_SHARE_CLOSE = 0.5
# How close (rapidfuzz ratio of consonant skeletons, 0-100) a tag's spelling must be to a
# name of the outline: "Agyul" and Aghyor, "Al `Urqub" and al-'Arqoub, "Bostan Pasha" and
# Bustan al-Basha pass; "Bab Antakia Park" and al-Kallaseh do not.
TAG_SIMILARITY = 66.0


def tag_shares(
    outlines: dict[str, BaseGeometry], points: list[tuple[float, float]]
) -> list[tuple[str, int]]:
    """(outline id, how many of the points it holds), most first, then by id."""
    from shapely import contains_xy

    counts = []
    lons = [p[0] for p in points]
    lats = [p[1] for p in points]
    for entry_id, outline in sorted(outlines.items()):
        held = int(contains_xy(outline, lons, lats).sum())
        if held:
            counts.append((entry_id, held))
    return sorted(counts, key=lambda item: (-item[1], item[0]))


SHARED_KEY = 100.0


def spelling_similarity(tag: str, names: list[str]) -> float:
    """How close a tag is to the closest of ``names``: ``SHARED_KEY`` when a key is shared."""
    from rapidfuzz import fuzz

    best = 0.0
    for name in names:
        if skeleton_key(tag) == skeleton_key(name) or variant_key(tag) == variant_key(name):
            return SHARED_KEY
        best = max(best, fuzz.ratio(skeleton_key(tag), skeleton_key(name)))
    return best


def alias_damage_tags(
    entries: list[dict[str, Any]], outlines: dict[str, BaseGeometry], tags: dict[str, Any]
) -> list[tuple[str, str]]:
    """Add each damage tag as a name of the outline holding most of its points, with the
    UNOSAT points as its citation, when the spelling agrees (``TAG_SHARE``,
    ``TAG_SIMILARITY``) and no other entry already answers to that spelling.

    Returns the (tag, entry id) pairs added.
    """
    by_id = {entry["id"]: entry for entry in entries}
    answers: dict[str, set[str]] = defaultdict(set)  # a variant key → the entries with it
    for entry in entries:
        for name in entry["names"]:
            answers[variant_key(name["toponym"])].add(entry["id"])
    used = []
    for tag, points in sorted(tags.items()):
        if tag in TAG_DISTRICTS or tag == "Unknown":
            continue
        shares = tag_shares(outlines, points)
        held_enough = [(i, n) for i, n in shares if n >= TAG_SHARE * len(points)]
        # The outline and the union of numbered outlines it belongs to hold the same
        # points: the one whose names the tag agrees with most is the one it names.
        agreeing = [
            (spelling_similarity(tag, [n["toponym"] for n in by_id[i]["names"]]), n, i)
            for i, n in held_enough if i in by_id
        ]
        agreeing = [a for a in agreeing if a[0] == SHARED_KEY
                    or (a[0] >= TAG_SIMILARITY and a[1] >= TAG_SHARE_CLOSE * len(points))]
        if not agreeing:
            continue
        _similarity, held, entry_id = max(agreeing, key=lambda a: (a[0], a[1], a[2]))
        entry = by_id[entry_id]
        if answers.get(variant_key(tag), set()) - {entry_id} - set(
            entry["properties"].get("members", [])
        ):
            continue  # the spelling is another entry's name: the tag is misplaced
        citation = {
            "label": f"{DAMAGE}: neighbourhood tag {tag!r} of {held} of the {len(points)} "
                     "UNOSAT damage points it labels, which lie in this outline",
        }
        same = [n for n in entry["names"] if n["toponym"] == tag]
        if same:
            same[0]["citations"] = [citation]
        else:
            entry["names"].append({"lang": "en", "toponym": tag, "citations": [citation]})
        used.append((tag, entry_id))
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
