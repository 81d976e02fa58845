"""Heritage sites (gazetteer/aleppo-heritage.geojson) from the CSR heritage points.

Source: the UNITAR/UNOSAT heritage damage assessment points as published by the
Columbia Center for Spatial Research (csr-aleppo-cultural-heritage.geojson). Each point
becomes a site-precision landmark inside the neighbourhood outline that holds it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from shapely.geometry.base import BaseGeometry

from geoaleppo.curation import slug

from .entries import feature, language_of
from .inputs import heritage_citation, heritage_items, point_of
from .sources import HERITAGE

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


def build_heritage(source: Path, outlines: dict[str, BaseGeometry]) -> list[dict[str, Any]]:
    entries = []
    seen: set[str] = set()
    for item in heritage_items(source):
        props = item["properties"]
        label = props["FACILITY_N"].strip()
        point = point_of(item)
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
        entry_title = title if not title.startswith("Bab ") else f"{title} gate"
        entry_id = slug(entry_title)
        if entry_id in seen:
            entry_id = slug(label)
        seen.add(entry_id)
        names += [(alias, language_of(alias)) for alias in HERITAGE_ALIASES.get(entry_id, [])]
        parent = next((pid for pid, g in sorted(outlines.items()) if g.contains(point)), None)
        entries.append(
            feature(
                id=entry_id,
                title=entry_title,
                kind="landmark",
                precision="site",
                geometry=point,
                point=point,
                names=names,
                sources=[HERITAGE],
                geometry_source=heritage_citation(label, props),
                parent=parent or "aleppo",
                note="Heritage typology: "
                f"{props['Typology'].replace('Eductional', 'Educational')}.",
            )
        )
    return entries
