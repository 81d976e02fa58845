"""Neighbourhood entries (gazetteer/aleppo-neighbourhoods.geojson) from the CSR outlines.

Source: the Columbia Center for Spatial Research neighbourhood outlines
(csr-aleppo-neighbourhoods.geojson). Outlines that repeat a name merge into one entry;
numbered parts ("al-Hamdaniyeh I".."V") also roll up into an entry for the base name.
Names that reports use and no spelling rule derives, and known doubts about particular
outlines, are added here; names from the UNOSAT damage tags are added by
``approximate.alias_damage_tags``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import Any

from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from geoaleppo.curation import slug

from .entries import feature
from .geometry import inner_point, polygon_union
from .inputs import NEIGHBOURHOODS_FILE, TITLE_OVERRIDES, load, outline_id
from .sources import CSR

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


def build_neighbourhoods(source: Path) -> tuple[list[dict[str, Any]], dict[str, BaseGeometry]]:
    """One entry per distinct outline name; numbered parts also roll up to their base.

    Returns the entries and each entry's outline by id: the other topics place their
    points in these outlines and build their areas from them.
    """
    by_name: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for item in load(source / NEIGHBOURHOODS_FILE):
        by_name[item["properties"]["NAME"]].append(item)

    entries: list[dict[str, Any]] = []
    outlines: dict[str, BaseGeometry] = {}
    numbered: dict[str, list[str]] = defaultdict(list)
    for name, items in sorted(by_name.items()):
        entry, geometry = outline_entry(name, items)
        entries.append(entry)
        outlines[entry["id"]] = geometry
        base = numbered_base(entry["properties"]["title"])
        if base:
            numbered[base].append(entry["id"])
    by_id = {entry["id"]: entry for entry in entries}
    roll_up_numbered_parts(numbered, entries, by_id, outlines)
    for entry_id, note in OUTLINE_NOTES.items():
        by_id[entry_id]["properties"]["note"] = note
    for entry_id, aliases in REPORTED_ALIASES.items():
        entry = by_id[entry_id]
        for alias, _why in aliases:
            entry["names"].append({"lang": "en", "toponym": alias})
    return entries, outlines


def numbered_base(title: str) -> str | None:
    """'al-Hamdaniyeh' for 'al-Hamdaniyeh III': the whole that a numbered part belongs to."""
    numeral = re.match(r"^(.*?)\s+(I|II|III|IV|V)$", title)
    return numeral.group(1) if numeral else None


def outline_entry(name: str, items: list[dict[str, Any]]) -> tuple[dict[str, Any], BaseGeometry]:
    """The entry for all the CSR outlines called ``name``, and their merged outline."""
    title = TITLE_OVERRIDES.get(name, name)
    geometry = polygon_union(shape(i["geometry"]) for i in items)
    arabic = sorted({i["properties"]["NAME_A"] for i in items if i["properties"]["NAME_A"]})
    ids = sorted({i["properties"]["Id"] for i in items})
    names = [(title, "en")] + [(a, "ar") for a in arabic]
    if " / " in title:
        names += [(part, "en") for part in title.split(" / ")]
    bracket = re.match(r"^(.*?)\s*\((.*)\)$", title)
    if bracket:
        names += [(bracket.group(1), "en"), (bracket.group(2), "en")]
    base = numbered_base(title)
    count = f"{len(items)} outlines" if len(items) > 1 else "outline"
    entry = feature(
        id=outline_id(name),
        title=title,
        kind="district",
        precision="district",
        geometry=geometry,
        point=inner_point(geometry),
        names=names,
        sources=[CSR],
        geometry_source=f"{CSR}: {count} named {name!r} (Id {', '.join(map(str, ids))})",
        parent=slug(base) if base else "aleppo",
    )
    return entry, geometry


def roll_up_numbered_parts(
    numbered: dict[str, list[str]],
    entries: list[dict[str, Any]],
    by_id: dict[str, dict[str, Any]],
    outlines: dict[str, BaseGeometry],
) -> None:
    """Make each base name's entry the union of its numbered parts, in place.

    "as-Sakhour" and "as-Sakhour I", "al-Hamdaniyeh I".."V": the base name means the
    whole, so the base entry becomes (or is created as) the union of its parts.
    """
    for base, part_ids in sorted(numbered.items()):
        base_id = slug(base)
        parts = [outlines[p] for p in part_ids]
        if base_id in by_id:
            parts.append(outlines[base_id])
        geometry = polygon_union(parts)
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
