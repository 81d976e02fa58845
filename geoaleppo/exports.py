"""Files for other tools: GeoJSON (RFC 7946), ACLED-style CSV and GeoPackage.

Every writer goes through a temporary file and a rename, so a failed export leaves no
half-written file behind.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from geoaleppo._store import round_coordinates, write_atomic
from geoaleppo.errors import ExportError
from geoaleppo.gazetteer import Gazetteer
from geoaleppo.serialise import place_json


def _rfc7946_geometry(geometry: Any) -> dict[str, Any] | None:
    """Lon/lat geometry with exterior rings counter-clockwise and six decimals."""
    if geometry is None:
        return None
    from shapely.geometry import mapping, shape
    from shapely.geometry.polygon import orient

    shaped = shape(geometry) if isinstance(geometry, dict) else geometry
    if shaped.geom_type == "Polygon":
        shaped = orient(shaped, sign=1.0)
    elif shaped.geom_type == "MultiPolygon":
        shaped = type(shaped)([orient(part, sign=1.0) for part in shaped.geoms])
    raw = mapping(shaped)
    return {"type": raw["type"], "coordinates": round_coordinates(raw["coordinates"])}


def feature_collection(features: list[dict[str, Any]]) -> str:
    """RFC 7946 text: no ``crs`` member, compact, deterministic."""
    document = {"type": "FeatureCollection", "features": features}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"


def _checked_output(path: Path, suffixes: tuple[str, ...]) -> Path:
    if path.suffix.lower() not in suffixes:
        msg = f"{path}: unknown export extension {path.suffix or '(none)'!r}; use {', '.join(suffixes)}"
        raise ExportError(msg)
    if path.is_dir():
        msg = f"{path}: is a directory"
        raise ExportError(msg)
    if not path.parent.exists():
        msg = f"{path}: directory {path.parent} does not exist"
        raise ExportError(msg)
    return path


def write_text_output(path: Path, text: str) -> None:
    try:
        write_atomic(path, text)
    except OSError as exc:
        msg = f"{path}: cannot write: {exc.strerror or exc}"
        raise ExportError(msg) from exc


def write_gazetteer_geojson(gazetteer: Gazetteer, path: Path) -> int:
    """Write every entry as one GeoJSON FeatureCollection; returns the feature count."""
    _checked_output(path, (".geojson", ".json"))
    features = []
    for place in gazetteer:
        properties = place_json(place)
        properties["names"] = "; ".join(n.text for n in place.names)
        properties["sources"] = "; ".join(place.sources)
        properties["links"] = "; ".join(place.links)
        properties.pop("members", None)
        geometry = place.geometry or {"type": "Point", "coordinates": [place.lon, place.lat]}
        features.append(
            {
                "type": "Feature",
                "id": place.id,
                "properties": properties,
                "geometry": _rfc7946_geometry(geometry),
            }
        )
    write_text_output(path, feature_collection(features))
    return len(features)
