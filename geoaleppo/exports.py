"""Files for other tools: GeoJSON (RFC 7946), ACLED-style CSV and GeoPackage.

Every writer goes through a temporary file and a rename, so a failed export leaves no
half-written file behind.

:func:`write_export` writes what was read out of articles, in three layers: ``events``,
``control`` (control claims) and ``mentions`` (every place mention, with its ``role``;
maps draw only ``location`` ones). Properties are flat — lists joined with ``"; "`` —
and come from :mod:`geoaleppo.serialise`, so a field means the same in every format.
A feature's geometry is as precise as what the text says: a derived area ("within a
kilometre of the citadel") when there is one, the outline of a district or area, and the
representative point of a site, landmark, city or country (with ``uncertainty_m`` when
the place is known only roughly).
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geoaleppo.acled import acled_row, acled_type, csv_table, csv_text
from geoaleppo.errors import ExportError
from geoaleppo.gazetteer import Gazetteer
from geoaleppo.model import (
    Article,
    ControlClaim,
    DerivedArea,
    Event,
    Mention,
    Place,
    Reading,
)
from geoaleppo.serialise import (
    LAYER_FIELDS,
    control_json,
    event_json,
    feature,
    feature_collection_text,
    flat_properties,
    mention_json,
    place_json,
)
from geoaleppo.spatial import drawn_geometry
from geoaleppo.store import publish, write_atomic, write_failure
from geoaleppo.text import printable
from geoaleppo.timeline_json import TIMELINE_FIELDS, fused_event_properties, interval_properties

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

    from geoaleppo.timeline import Timeline

#: Extensions :func:`write_export` understands.
EXPORT_SUFFIXES: tuple[str, ...] = (".geojson", ".json", ".csv", ".gpkg")

#: The layers of a GeoJSON or GeoPackage export, in order.
LAYERS: tuple[str, ...] = ("events", "control", "mentions")

EVENT_ID_PREFIX = "GEOALEPPO"

def _checked_output(path: Path, suffixes: tuple[str, ...]) -> Path:
    if path.suffix.lower() not in suffixes:
        msg = (f"{path}: unknown export extension {path.suffix or '(none)'!r}; "
               f"use {', '.join(suffixes)}")
        raise ExportError(msg)
    try:
        is_dir, parent_exists = path.is_dir(), path.parent.exists()
    except OSError as exc:  # a name over 255 bytes, a loop of symbolic links
        raise _cannot_write(path, exc) from exc
    if is_dir:
        msg = f"{path}: is a directory"
        raise ExportError(msg)
    if not parent_exists:
        msg = f"{path}: directory {path.parent} does not exist"
        raise ExportError(msg)
    return path


def checked_export_path(path: Path) -> Path:
    """``path`` if :func:`write_export` can write it: a known extension, in a directory
    that exists; else :class:`ExportError` saying why."""
    return _checked_output(path, EXPORT_SUFFIXES)


def _cannot_write(path: Path, exc: BaseException) -> ExportError:
    reason = write_failure(path, exc) if isinstance(exc, OSError) else str(exc)
    reason = " ".join(reason.split()) or type(exc).__name__
    return ExportError(f"{path}: cannot write: {reason}")


def write_text_output(path: Path, text: str) -> None:
    try:
        write_atomic(path, text)
    except OSError as exc:
        raise _cannot_write(path, exc) from exc


def write_gazetteer_geojson(gazetteer: Gazetteer, path: Path) -> int:
    """Write every entry as one GeoJSON FeatureCollection; returns the feature count."""
    from shapely.geometry import Point

    _checked_output(path, (".geojson", ".json"))
    features = []
    for place in gazetteer:
        properties = place_json(place)
        properties["names"] = "; ".join(n.text for n in place.names)
        properties["sources"] = "; ".join(place.sources)
        properties["links"] = "; ".join(place.links)
        properties.pop("members", None)
        geometry = place.geometry if place.geometry is not None else Point(place.lon, place.lat)
        features.append(feature(geometry, properties, feature_id=place.id))
    write_text_output(path, feature_collection_text(features))
    return len(features)


# -- records: one per feature, whatever the format -----------------------------------------
@dataclass(frozen=True, slots=True)
class _Record:
    layer: str
    key: tuple[Any, ...]
    properties: dict[str, Any]
    geometry: BaseGeometry
    place: Place | None = None
    event: Event | None = field(default=None, compare=False)


def _feature_geometry(place: Place | None, derived: DerivedArea | None) -> BaseGeometry:
    """What to draw: see :func:`geoaleppo.spatial.drawn_geometry`."""
    if place is None:
        assert derived is not None  # records are made only for placed features
        return derived.geometry
    return drawn_geometry(place, derived)


def _event_record(event: Event, article: Article) -> _Record:
    data = event_json(event)
    data["event_type"], data["sub_event_type"] = acled_type(event)
    place = event.place
    properties = flat_properties("events", data, place, article)
    key = (article.source, "events", event.sentence_index, event.type,
           place.id if place else "")
    return _Record("events", key, properties, _feature_geometry(place, event.derived), place,
                   event)


def _control_record(claim: ControlClaim, article: Article) -> _Record:
    properties = flat_properties("control", control_json(claim), claim.place, article)
    key = (article.source, "control", claim.sentence_index, claim.status, claim.place.id)
    return _Record("control", key, properties, _feature_geometry(claim.place, None),
                   claim.place)


def _mention_record(mention: Mention, article: Article) -> _Record:
    data = mention_json(mention)
    place = mention.place
    properties = flat_properties("mentions", data, place, article)
    key = (article.source, "mentions", mention.sentence_index, mention.start,
           place.id if place else "")
    return _Record("mentions", key, properties, _feature_geometry(place, mention.derived),
                   place)


def _records(readings: Iterable[Reading]) -> tuple[dict[str, list[_Record]], dict[str, int]]:
    """Every feature, sorted deterministically; and how many had no place to draw."""
    layers: dict[str, list[_Record]] = {layer: [] for layer in LAYERS}
    unplaced = {"unplaced_events": 0, "unplaced_mentions": 0}
    for reading in readings:
        article = reading.article
        for event in reading.events:
            if event.place is None and event.derived is None:
                unplaced["unplaced_events"] += 1
            else:
                layers["events"].append(_event_record(event, article))
        for claim in reading.control:
            layers["control"].append(_control_record(claim, article))
        for mention in reading.mentions:
            if mention.place is None and mention.derived is None:
                unplaced["unplaced_mentions"] += 1
            else:
                layers["mentions"].append(_mention_record(mention, article))
    for records in layers.values():
        records.sort(key=_sort_key)
    for number, record in enumerate(layers["events"], start=1):
        record.properties["event_id"] = f"{EVENT_ID_PREFIX}-{number}"
    return layers, unplaced


def reading_rows(reading: Reading) -> tuple[dict[str, list[tuple[dict[str, Any], BaseGeometry]]],
                                            dict[str, int]]:
    """One reading's flat rows per layer (properties, geometry), in export order, and how
    many items had no place. Event ids are numbered from 1 within the reading: a caller
    joining many readings (``geoaleppo batch``) renumbers them across the corpus."""
    layers, unplaced = _records([reading])
    return ({layer: [(r.properties, r.geometry) for r in records]
             for layer, records in layers.items()}, unplaced)


def _sort_key(record: _Record) -> tuple[Any, ...]:
    # (article source, layer, sentence, start or type, place id); the whole property row
    # breaks any remaining tie, so the order never depends on the order of the input.
    # The event id is numbered from this order, so it takes no part in it.
    row = {k: v for k, v in record.properties.items() if k != "event_id"}
    return (*record.key, json.dumps(row, sort_keys=True, default=str))


def _counts(layers: dict[str, list[_Record]], unplaced: dict[str, int],
            names: tuple[str, ...] = LAYERS) -> dict[str, int]:
    counts = {layer: len(layers[layer]) for layer in names}
    counts["unplaced_events"] = unplaced["unplaced_events"]
    if "mentions" in names:
        counts["unplaced_mentions"] = unplaced["unplaced_mentions"]
    return counts


# -- GeoJSON -------------------------------------------------------------------------------
def geojson_text(layers: dict[str, list[_Record]]) -> str:
    records = sorted((r for layer in LAYERS for r in layers[layer]), key=_sort_key)
    return feature_collection_text([feature(r.geometry, r.properties) for r in records])


# -- GeoPackage ----------------------------------------------------------------------------
# GDAL 3.7 and later write GeoPackage 1.4 by default, which GDAL 3.6 (Debian 12's) opens
# with a warning that it "may only be partially supported"; 1.3 has all we use.
_GPKG_DATASET_OPTIONS = {"VERSION": "1.3"}
# A GeoPackage INTEGER is 64-bit; GeoJSON and CSV keep any count exactly.
_GPKG_INT_MAX = 2**63 - 1
_NUMPY_DTYPES = {"int": "int64", "float": "float64", "bool": "bool"}


@dataclass(frozen=True, slots=True)
class _GpkgLayer:
    """One layer as pyogrio's raw writer takes it, and how many counts were capped."""

    geometry: Any
    geometry_type: str
    fields: list[str]
    data: list[Any]
    masks: list[Any]
    capped: int


_Fields = dict[str, tuple[tuple[str, str], ...]]


def _capped_rows(layer: str, records: list[_Record], fields: _Fields = LAYER_FIELDS
                 ) -> tuple[list[dict[str, Any]], int]:
    """Property rows with every integer over 64 bits capped to the largest that fits.

    A capped fatality count is still a true lower bound ("at least 9.2 quintillion"
    where the text said more), so its ``fatalities_lower_bound`` is set.
    """
    rows, capped = [], 0
    for record in records:
        row = dict(record.properties)
        for name, kind in fields[layer]:
            value = row[name]
            if kind == "int" and value is not None and abs(value) > _GPKG_INT_MAX:
                row[name] = _GPKG_INT_MAX if value > 0 else -_GPKG_INT_MAX
                capped += 1
                if name == "fatalities":
                    row["fatalities_lower_bound"] = True
        rows.append(row)
    return rows, capped


def _geometry_type(shapes: list[Any]) -> str:
    """The layer's type: the one type there is, or ``Multi…`` when single and multi
    parts of one type mix (the single ones are then promoted), or any geometry."""
    kinds = {shape.geom_type for shape in shapes}
    multi = sorted(kind for kind in kinds if kind.startswith("Multi"))
    if len(kinds) == 2 and len(multi) == 1 and multi[0].removeprefix("Multi") in kinds:
        return multi[0]
    return kinds.pop() if len(kinds) == 1 else "Unknown"


def _gpkg_layer(layer: str, records: list[_Record], fields: _Fields = LAYER_FIELDS
                ) -> _GpkgLayer:
    import numpy as np
    import shapely

    rows, capped = _capped_rows(layer, records, fields)
    names: list[str] = []
    data: list[np.ndarray] = []
    masks: list[np.ndarray | None] = []
    for name, kind in fields[layer]:
        values = [row[name] for row in rows]
        names.append(name)
        if kind == "str":
            data.append(np.array(values, dtype=object))
            masks.append(None)
        elif kind == "date":
            # datetime64[D] is what pyogrio writes as a GeoPackage DATE; NaT as null.
            data.append(np.array([value or "NaT" for value in values], dtype="datetime64[D]"))
            masks.append(None)
        else:
            data.append(np.array([0 if value is None else value for value in values],
                                 dtype=_NUMPY_DTYPES[kind]))
            masks.append(np.array([value is None for value in values], dtype=bool))
    shapes = [record.geometry for record in records]
    return _GpkgLayer(shapely.to_wkb(np.array(shapes, dtype=object)), _geometry_type(shapes),
                      names, data, masks, capped)


def _write_gpkg(path: Path, layers: dict[str, list[_Record]], fields: _Fields = LAYER_FIELDS
                ) -> int:
    """Write the layers to ``path`` atomically; returns how many counts were capped."""
    from pyogrio import raw
    from pyogrio.errors import DataLayerError, DataSourceError

    # GDAL takes a path as UTF-8: a file name's undecodable bytes are escaped in the
    # temporary's name, and only the final rename uses the name as given.
    name = printable(path.name)
    try:
        workdir = Path(tempfile.mkdtemp(prefix=f".{name}.", dir=path.parent))
    except OSError as exc:
        raise _cannot_write(path, exc) from exc
    capped = 0
    try:
        temporary = workdir / name
        for layer in layers:
            table = _gpkg_layer(layer, layers[layer], fields)
            raw.write(temporary, table.geometry, table.data, table.fields,
                      field_mask=table.masks, layer=layer, driver="GPKG",
                      geometry_type=table.geometry_type,
                      promote_to_multi=table.geometry_type.startswith("Multi"),
                      crs="EPSG:4326", dataset_options=_GPKG_DATASET_OPTIONS)
            capped += table.capped
        publish(temporary, path)
    except (OSError, DataSourceError, DataLayerError) as exc:
        raise _cannot_write(path, exc) from exc
    except UnicodeEncodeError as exc:
        msg = (f"{path}: cannot write: GDAL needs the directory's name in UTF-8; "
               "write the GeoPackage elsewhere and move it")
        raise ExportError(msg) from exc
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return capped


# -- the one entry point -------------------------------------------------------------------
def write_export(readings: list[Reading], path: Path) -> dict[str, int]:
    """Write ``readings`` to ``path`` as GeoJSON, ACLED-style CSV or GeoPackage.

    The extension picks the format: ``.geojson``/``.json`` (one RFC 7946
    FeatureCollection, every feature with a ``layer`` property), ``.csv`` (one row per
    event in ACLED's columns) or ``.gpkg`` (layers ``events``, ``control``,
    ``mentions``, EPSG:4326). The file appears whole or not at all.

    Returns
    -------
    dict
        Features written per layer, plus ``unplaced_events`` (and for GeoJSON and
        GeoPackage ``unplaced_mentions``): items with no place, left out. A GeoPackage
        export adds ``capped_counts`` when counts too large for its 64-bit integers were
        stored as the largest that fits (a capped fatality count is marked as a lower
        bound); GeoJSON and CSV keep every count exactly.

    Raises
    ------
    ExportError
        Unknown extension (before anything is written), missing or unwritable directory,
        or a failed write.
    """
    path = Path(path)
    suffix = _checked_output(path, EXPORT_SUFFIXES).suffix.lower()
    layers, unplaced = _records(readings)
    if suffix == ".csv":
        write_text_output(path, csv_text(acled_row(r.event, r.properties, r.place)
                                         for r in layers["events"] if r.event is not None))
        return _counts(layers, unplaced, ("events",))
    if suffix == ".gpkg":
        capped = _write_gpkg(path, layers)
        counts = _counts(layers, unplaced)
        if capped:
            counts["capped_counts"] = capped
        return counts
    write_text_output(path, geojson_text(layers))
    return _counts(layers, unplaced)


# -- timelines -----------------------------------------------------------------------------
def write_timeline_export(timeline: Timeline, path: Path) -> dict[str, int]:
    """Write a timeline to ``path``: its control intervals and fused events.

    By extension, as :func:`write_export`: GeoJSON (one FeatureCollection, each feature's
    ``layer`` property ``interval`` or ``fused_event``), CSV (the intervals, one row each:
    a control history is what a timeline adds to the events a reading exports) or a
    GeoPackage with ``intervals`` and ``fused_events`` layers. Returns the counts.
    """
    path = Path(path)
    suffix = _checked_output(path, EXPORT_SUFFIXES).suffix.lower()
    intervals = [
        _Record("intervals", (i.place.id, i.start), interval_properties(i),
                _feature_geometry(i.place, None), i.place)
        for i in timeline.intervals()
    ]
    events = []
    placed = [f for f in timeline.events if f.place is not None or f.event.derived is not None]
    for number, fused in enumerate(placed, start=1):
        events.append(_Record(
            "fused_events", (number,),
            fused_event_properties(fused, f"{EVENT_ID_PREFIX}-F{number}"),
            _feature_geometry(fused.place, fused.event.derived), fused.place))
    counts = {"intervals": len(intervals), "fused_events": len(events),
              "unplaced_events": len(timeline.events) - len(placed)}
    if suffix == ".csv":
        columns = [name for name, _kind in TIMELINE_FIELDS["intervals"]]
        write_text_output(path, csv_table(columns, (r.properties for r in intervals)))
        return {"intervals": len(intervals)}
    if suffix == ".gpkg":
        _write_gpkg(path, {"intervals": intervals, "fused_events": events}, TIMELINE_FIELDS)
    else:
        write_text_output(path, feature_collection_text(
            [feature(r.geometry, r.properties) for r in (*intervals, *events)]))
    return counts
