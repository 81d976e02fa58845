"""Adding entries to a gazetteer: the checks an analyst's new place must pass, and the write.

:func:`add` refuses, with the reason, anything that would make the gazetteer wrong or
ambiguous: coordinates out of range or apparently swapped, a place outside Aleppo that
claims an Aleppo parent, a name that already means another place, a near-duplicate, a
missing source. It writes under the directory's lock and atomically, so concurrent adds
all land and an interrupted add changes nothing.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from geoaleppo import entries
from geoaleppo import gazetteer as gz
from geoaleppo.errors import EntryRejected, GazetteerError
from geoaleppo.model import KINDS, PRECISIONS
from geoaleppo.names import is_arabic
from geoaleppo.store import (
    dump_collection,
    load_json,
    locked,
    read_collection,
    read_text,
    sweep_temporaries,
    write_atomic,
)

DUPLICATE_RADIUS_M = 50.0
# Outskirts (camps, industrial zones, the airport) lie beyond the neighbourhood outlines;
# a place up to this far outside them may still have an Aleppo parent.
ALEPPO_TOLERANCE_M = 3000.0
DEFAULT_PRECISION = {
    "country": "country",
    "region": "area",
    "city": "city",
    "area": "area",
    "district": "district",
    "landmark": "site",
}


@dataclass(frozen=True, slots=True)
class NewEntry:
    """What an analyst asks to add."""

    name: str
    kind: str
    source: str
    lat: float | None = None
    lon: float | None = None
    geometry: dict[str, Any] | None = None
    aliases: tuple[str, ...] = ()
    arabic: str | None = None
    parent: str | None = None
    precision: str | None = None
    note: str = ""
    licence: str = ""
    url: str = ""
    #: How far from the point the place may lie, in metres (a point known only roughly).
    uncertainty_m: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def slug(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text)
    ascii_text = "".join(ch for ch in folded if not unicodedata.combining(ch))
    ascii_text = re.sub(r"[’‘'ʿʾ`]", "", ascii_text).lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-") or "place"


def read_geometry_file(path: Path) -> dict[str, Any]:
    """A geometry from a GeoJSON file: a geometry, a Feature, or a one-feature collection."""
    try:
        document = load_json(path, read_text(path))
    except GazetteerError as exc:
        raise EntryRejected(str(exc)) from exc
    if isinstance(document, dict) and document.get("type") == "FeatureCollection":
        features = document.get("features") or []
        if len(features) != 1:
            msg = f"{path}: a FeatureCollection must hold exactly one feature to add"
            raise EntryRejected(msg)
        document = features[0]
    if isinstance(document, dict) and document.get("type") == "Feature":
        document = document.get("geometry")
    if not isinstance(document, dict) or "coordinates" not in document:
        msg = f"{path}: no GeoJSON geometry found"
        raise EntryRejected(msg)
    return document


def _is_in_aleppo(gazetteer: gz.Gazetteer, place_id: str | None) -> bool:
    seen = set()
    while place_id and place_id not in seen:
        if place_id == "aleppo":
            return True
        seen.add(place_id)
        place = gazetteer.get(place_id)
        place_id = place.parent if place else None
    return False


def check(entry: NewEntry, gazetteer: gz.Gazetteer, *, force: bool = False) -> dict[str, Any]:
    """The gazetteer feature for ``entry``, or :class:`EntryRejected` saying why not."""
    from pyproj import Geod
    from shapely import dwithin
    from shapely.geometry import Point, Polygon, mapping, shape
    from shapely.ops import orient

    def reject(reason: str) -> EntryRejected:
        return EntryRejected(f"{entry.name}: {reason}")

    if not entry.name.strip():
        raise reject("the name is empty")
    if not entry.source.strip():
        raise reject("a source is required (--source): where do the coordinates come from?")
    if entry.kind not in KINDS:
        raise reject(f"kind must be one of {', '.join(KINDS)}")
    precision = entry.precision or DEFAULT_PRECISION[entry.kind]
    if precision not in PRECISIONS:
        raise reject(f"precision must be one of {', '.join(PRECISIONS)}")
    if entry.arabic is not None and not is_arabic(entry.arabic):
        raise reject(f"--arabic {entry.arabic!r} is not in Arabic script")
    if entry.parent and entry.parent not in gazetteer:
        raise reject(f"parent {entry.parent!r} is not in the gazetteer")
    if entry.uncertainty_m is not None:
        problem = entries.uncertainty_problem(entry.uncertainty_m)
        if problem:
            raise reject(f"--uncertainty: {problem.removeprefix('uncertainty_m ')}")
        if entry.geometry is not None:
            raise reject("--uncertainty is for a point (--lat/--lon); an outline has its extent")

    if entry.geometry is not None:
        problem = entries.geometry_problem(entry.geometry)
        if problem:
            raise reject(problem)
        geometry = shape(entry.geometry)
        if geometry.is_empty or not geometry.is_valid:
            raise reject("the geometry is empty or invalid (self-intersecting?)")
        if geometry.geom_type == "Polygon":
            geometry = orient(geometry, sign=1.0)
        point = geometry if isinstance(geometry, Point) else geometry.representative_point()
        if geometry.geom_type in {"Polygon", "MultiPolygon"} and geometry.contains(
            geometry.centroid
        ):
            point = geometry.centroid
    else:
        if entry.lat is None or entry.lon is None:
            raise reject("give --lat and --lon, or --geometry FILE")
        if not (-90 <= entry.lat <= 90) or not (-180 <= entry.lon <= 180):
            raise reject(f"coordinates out of range: lat {entry.lat}, lon {entry.lon}")
        point = Point(entry.lon, entry.lat)
        geometry = point
    lon, lat = point.x, point.y

    aleppo = gazetteer.get("aleppo")
    geod = Geod(ellps="WGS84")
    if aleppo is not None and aleppo.geometry is not None:
        outline = aleppo.geometry
        swapped = Point(lat, lon)
        # dwithin, not buffer().contains(): buffering Aleppo's outline took a quarter of a
        # second, all of it inside the lock every concurrent add waits on.
        if not dwithin(outline, point, 0.01) and dwithin(outline, swapped, 0.01):
            raise reject(
                f"lat {lat} / lon {lon} lies outside Aleppo, but swapped it falls inside: "
                "are latitude and longitude the wrong way round?"
            )
        parent_in_aleppo = _is_in_aleppo(gazetteer, entry.parent)
        if parent_in_aleppo:
            nearest = outline.exterior if isinstance(outline, Polygon) else outline.boundary
            if not outline.contains(point):
                from shapely.ops import nearest_points

                edge = nearest_points(nearest, point)[0]
                distance = geod.inv(lon, lat, edge.x, edge.y)[2]
                if distance > ALEPPO_TOLERANCE_M:
                    raise reject(
                        f"the point is {distance / 1000:.1f} km outside Aleppo but its parent "
                        f"{entry.parent!r} is in Aleppo"
                    )

    if not force:
        for name in (entry.name, *entry.aliases, *([entry.arabic] if entry.arabic else [])):
            match = gazetteer.lookup(name)
            if match:
                other = match[0].place
                raise reject(
                    f"the name {name!r} already resolves to {other.id} ({other.title}); "
                    "use --force to add it anyway"
                )
        for place in gazetteer:
            if place.kind != entry.kind:
                continue
            distance = geod.inv(lon, lat, place.lon, place.lat)[2]
            if distance <= DUPLICATE_RADIUS_M:
                raise reject(
                    f"{place.id} ({place.title}), also a {entry.kind}, lies {distance:.0f} m "
                    "away; use --force if it is a different place"
                )

    entry_id = slug(entry.name)
    suffix = 2
    while entry_id in gazetteer:
        entry_id = f"{slug(entry.name)}-{suffix}"
        suffix += 1
    names = [{"lang": "ar" if is_arabic(entry.name) else "en", "toponym": entry.name}]
    names += [{"lang": "ar" if is_arabic(a) else "en", "toponym": a} for a in entry.aliases]
    if entry.arabic:
        names.append({"lang": "ar", "toponym": entry.arabic})
    properties: dict[str, Any] = {
        "title": entry.name,
        "kind": entry.kind,
        "precision": precision,
        "point": [round(lon, 6), round(lat, 6)],
        "geometry_source": f"added by an analyst; source: {entry.source}",
        "country": "SY" if _is_in_aleppo(gazetteer, entry.parent) else "",
    }
    if entry.parent:
        properties["parent"] = entry.parent
    if entry.note:
        properties["note"] = entry.note
    if entry.uncertainty_m is not None:
        properties["uncertainty_m"] = float(entry.uncertainty_m)
    return {
        "type": "Feature",
        "id": entry_id,
        "properties": properties,
        "names": names,
        "links": [],
        # The citation itself goes in the additions file's own source table (see add).
        "sources": [f"analyst:{entry_id}"],
        "geometry": mapping(geometry),
    }


def district_warnings(feature: dict[str, Any], gazetteer: gz.Gazetteer) -> list[str]:
    """Districts other than its parent (or the parent's own) whose outline holds the point.

    Not a refusal: outlines are approximate and a landmark on a boundary street may sit in
    either district. But a point well inside another district usually means a wrong
    --parent or wrong coordinates, and the analyst should hear of it.
    """
    from shapely import Point

    props = feature["properties"]
    point = Point(*props["point"])
    enclosing = set()
    place_id = props.get("parent")
    while place_id and place_id not in enclosing:
        enclosing.add(place_id)
        parent = gazetteer.get(place_id)
        place_id = parent.parent if parent else None
    warnings = []
    for place in gazetteer:
        if (place.kind == "district" and place.id not in enclosing
                and place.geometry is not None and place.geometry.contains(point)):
            given = (f"its --parent is {props['parent']}" if props.get("parent")
                     else "it has no --parent")
            warnings.append(f"{feature['id']}: the point lies inside the district {place.id} "
                            f"({place.title}), but {given}; give --parent {place.id} if it "
                            "belongs there, or check the coordinates")
    return warnings


def _source_record(entry: NewEntry) -> dict[str, Any]:
    """How ``gazetteer show`` describes the analyst's source."""
    record: dict[str, Any] = {"title": entry.source.strip()}
    if entry.licence:
        record["licence"] = entry.licence
    if entry.url:
        record["url"] = entry.url
    return record


def add(
    entry: NewEntry,
    directory: Path | None = None,
    *,
    force: bool = False,
    dry_run: bool = False,
    on_warning: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Check ``entry`` and append it to the gazetteer's ``additions.geojson``.

    Returns the feature written (or, with ``dry_run``, the one that would be).
    ``on_warning`` hears what is accepted but doubtful (see :func:`district_warnings`).

    Raises
    ------
    EntryRejected
        The entry fails a check; nothing is written.
    GazetteerError
        The gazetteer cannot be read, locked or written (a read-only directory, a full
        disk); nothing is written.
    """
    directory = Path(directory) if directory else gz.default_directory()
    if dry_run:
        gazetteer = gz.load(directory)
        feature = check(entry, gazetteer, force=force)
        _warn(district_warnings(feature, gazetteer), on_warning)
        return feature
    # Imported before the lock, not inside it where every add in the queue would wait on
    # each one's imports.
    import pyproj  # noqa: F401
    import shapely  # noqa: F401

    with locked(directory):
        # Reload inside the lock: another process may have added a place since.
        gazetteer = gz.load(directory)
        feature = check(entry, gazetteer, force=force)
        warnings = district_warnings(feature, gazetteer)
        target = directory / gz.ADDITIONS_FILE
        if target.exists():
            document = read_collection(target)
            features = document["features"]
            metadata = {k: v for k, v in document.items() if k not in {"type", "features"}}
        else:
            features = []
            metadata = {
                "title": "Places added by analysts",
                "format": "geoaleppo gazetteer 1 (Linked Places Format)",
            }
        features.append(feature)
        # Entries may cite only known source ids; this file carries the table for its own
        # (sources.json is rebuilt from upstream data and would lose them).
        table = dict(metadata.get("sources") or {})
        table[feature["sources"][0]] = _source_record(entry)
        metadata["sources"] = table
        try:
            # Under the lock every temporary of the additions file is a dead writer's.
            sweep_temporaries(target)
            write_atomic(target, dump_collection(features, metadata))
        except OSError as exc:
            msg = f"{target}: cannot write: {exc.strerror or exc}"
            raise GazetteerError(msg) from exc
    # Said once the entry is in, so a failed add is one error line, not warnings too.
    _warn(warnings, on_warning)
    return feature


def _warn(warnings: list[str], on_warning: Callable[[str], None] | None) -> None:
    if on_warning is not None:
        for warning in warnings:
            on_warning(warning)
