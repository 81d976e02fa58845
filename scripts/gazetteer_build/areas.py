"""The city and its composite areas (gazetteer/aleppo-areas.geojson).

Built from the CSR outlines and heritage points: the Old City (the quarters inside the
city-gate hull), the Citadel (its outline, centred on its heritage point), the Aleppo Eye
Hospital (the outline of the district it stands in), Aleppo itself (all outlines), and
eastern and western Aleppo (the outlines that scripts/data/aleppo-2016-sides.json puts on
each side before the November 2016 offensive).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from shapely.geometry import MultiPoint, Point
from shapely.geometry.base import BaseGeometry

from .entries import feature
from .geometry import inner_point, polygon_union
from .inputs import heritage_item, heritage_items, outline_id, point_of
from .sources import CSR, GEONAMES, HERITAGE, RULES, SIDES

# Composite areas' membership rules are documented in the entries they make.
OLD_CITY_SHARE = 1 / 3

# The sides file's date on the eve of the government's offensive of 15 November 2016:
# eastern and western Aleppo are drawn as they stood then.
BEFORE_OFFENSIVE = "2016-11-14"


def build_composites(
    source: Path, outlines: dict[str, BaseGeometry], sides: dict[str, Any] | None
) -> list[dict[str, Any]]:
    """The Old City, the Citadel, the eye hospital and Aleppo, then the two sides' areas."""
    return [
        old_city_entry(source, outlines),
        citadel_entry(source, outlines),
        eye_hospital_entry(outlines),
        aleppo_entry(outlines),
        *build_sides_composites(outlines, sides),
    ]


def gate_hull(source: Path) -> BaseGeometry:
    gates = [
        point_of(item)
        for item in heritage_items(source)
        if "city gate" in item["properties"]["FACILITY_N"].lower()
    ]
    return MultiPoint(gates).convex_hull


def old_city_entry(source: Path, outlines: dict[str, BaseGeometry]) -> dict[str, Any]:
    hull = gate_hull(source)
    intramural = sorted(
        entry_id
        for entry_id, outline in outlines.items()
        if outline.intersection(hull).area / outline.area >= OLD_CITY_SHARE
        and not re.search(r"-(i|ii|iii|iv|v)$", entry_id)
    )
    old_city = polygon_union(outlines[m] for m in intramural)
    walled_city = point_of(heritage_item(source, "Walled City Area"))
    return feature(
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


def citadel_entry(source: Path, outlines: dict[str, BaseGeometry]) -> dict[str, Any]:
    citadel_centre = point_of(heritage_item(source, "Citadel"))
    return feature(
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


def eye_hospital_entry(outlines: dict[str, BaseGeometry]) -> dict[str, Any]:
    qadi_askar = outlines["qadi-askar"]
    return feature(
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


def aleppo_entry(outlines: dict[str, BaseGeometry]) -> dict[str, Any]:
    everything = polygon_union(outlines.values())
    aleppo_point = Point(37.16117, 36.20124)  # GeoNames 170063
    return feature(
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
    date = BEFORE_OFFENSIVE
    for area_id, spec in SIDE_AREAS.items():
        members = []
        cited: set[str] = set()
        for row in sides.get("neighbourhoods", []):
            entry_id = outline_id(row["name"])
            if (
                entry_id in outlines
                and row.get(date) == spec["side"]
                and entry_id not in spec["exclude"]
            ):
                members.append(entry_id)
                cited.update(f"{SIDES}:{s}" for s in row.get("sources", []))
        if not members:
            continue
        geometry = polygon_union(outlines[m] for m in members)
        # The rebel pocket shrank through the offensive: record which of its districts
        # the reports still put in it on each later date they cover (held or contested).
        # Only shrinking: a western district contested by the October rebel push is not
        # part of the eastern pocket.
        later = {}
        for later_date, sides_there in spec.get("later", {}).items():
            later[later_date] = sorted(
                entry_id
                for row in sides.get("neighbourhoods", [])
                if (entry_id := outline_id(row["name"])) in members
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
