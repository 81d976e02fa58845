"""GeoParquet tables of the flat layers, written a row group at a time.

geopandas' ``to_parquet`` wants the whole table in memory; a batch over millions of
articles has more mention rows than that, so the rows are streamed into a pyarrow
``ParquetWriter`` with the GeoParquet 1.0 ``geo`` metadata written here. Row groups
have a fixed size whatever the partitions the rows came in, so the file is the same
bytes however the corpus was split.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

import pyarrow as pa
import pyarrow.parquet as pq

from geoaleppo.serialise import LAYER_FIELDS

#: Rows per row group: big enough for fast scans, small enough to stream.
ROW_GROUP_ROWS = 65_536
GEOMETRY = "geometry"

_ARROW_TYPES = {"str": pa.string(), "int": pa.int64(), "float": pa.float64(),
                "bool": pa.bool_(), "date": pa.date32()}


def layer_schema(layer: str, metadata: dict[bytes, bytes] | None = None) -> pa.Schema:
    """The flat columns of ``layer`` (:data:`LAYER_FIELDS`) and a WKB geometry column."""
    fields = [pa.field(name, _ARROW_TYPES[kind]) for name, kind in LAYER_FIELDS[layer]]
    return pa.schema([*fields, pa.field(GEOMETRY, pa.binary())], metadata=metadata)


def layer_table(layer: str, rows: list[tuple[dict[str, Any], Any]]) -> pa.Table:
    """``rows`` (properties, shapely geometry) as an Arrow table of :func:`layer_schema`."""
    import shapely

    schema = layer_schema(layer)
    columns = {name: [_value(properties[name], kind) for properties, _g in rows]
               for name, kind in LAYER_FIELDS[layer]}
    # Rows share their places' geometries (a city's outline under every event put in the
    # city): each is encoded once. The rows hold them, so their ids stay theirs meanwhile.
    encoded: dict[int, bytes] = {}
    wkb = []
    for _p, geometry in rows:
        found = encoded.get(id(geometry))
        if found is None:
            found = encoded[id(geometry)] = shapely.to_wkb(geometry)
        wkb.append(found)
    columns[GEOMETRY] = wkb
    return pa.Table.from_pydict(columns, schema=schema)


def _value(value: Any, kind: str) -> Any:
    # Dates travel as ISO text in the rows; a date column takes them as dates.
    if kind == "date" and isinstance(value, str):
        import datetime as dt

        return dt.date.fromisoformat(value)
    return value


def geometry_summary(rows: list[tuple[dict[str, Any], Any]]) -> dict[str, Any]:
    """The geometry types and bounding box of ``rows``, for the ``geo`` metadata."""
    types = sorted({geometry.geom_type for _p, geometry in rows})
    bounds = [geometry.bounds for _p, geometry in rows if not geometry.is_empty]
    box = None
    if bounds:
        box = [min(b[0] for b in bounds), min(b[1] for b in bounds),
               max(b[2] for b in bounds), max(b[3] for b in bounds)]
    return {"types": types, "bbox": box}


def merged_summary(summaries: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """One summary for the union of the rows of ``summaries``."""
    types: set[str] = set()
    boxes = []
    for summary in summaries:
        types.update(summary["types"])
        if summary["bbox"] is not None:
            boxes.append(summary["bbox"])
    box = None
    if boxes:
        box = [min(b[0] for b in boxes), min(b[1] for b in boxes),
               max(b[2] for b in boxes), max(b[3] for b in boxes)]
    return {"types": sorted(types), "bbox": box}


# EPSG:4326 as PROJJSON, as pyproj 3.7 (PROJ 9.5, EPSG dataset) writes it in a fresh
# process. Kept as a file, not asked of pyproj at each write: pyproj's answer changes
# within a process once it has parsed another file's PROJJSON (the datum becomes a plain
# "datum" instead of the "datum_ensemble"), and the tables must not depend on what
# the process did before.
_CRS_FILE = Path(__file__).parent / "static" / "epsg-4326.json"


@lru_cache(maxsize=1)
def _crs_json() -> dict[str, Any]:
    return cast(dict[str, Any], json.loads(_CRS_FILE.read_text(encoding="utf-8")))


def _geo_metadata(summary: dict[str, Any]) -> bytes:
    column: dict[str, Any] = {
        "encoding": "WKB",
        "geometry_types": summary["types"],
        "crs": _crs_json(),
    }
    if summary["bbox"] is not None and all(math.isfinite(v) for v in summary["bbox"]):
        column["bbox"] = summary["bbox"]
    document = {"version": "1.0.0", "primary_column": GEOMETRY, "columns": {GEOMETRY: column}}
    return json.dumps(document, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _row_groups(tables: Iterable[pa.Table], size: int) -> Iterator[pa.Table]:
    """The rows of ``tables`` in order, re-cut into tables of exactly ``size`` rows (the
    last one shorter), so row groups do not follow the partitions."""
    pending: list[pa.Table] = []
    held = 0
    for table in tables:
        pending.append(table)
        held += table.num_rows
        while held >= size:
            joined = pa.concat_tables(pending)
            yield joined.slice(0, size)
            rest = joined.slice(size)
            pending, held = [rest], rest.num_rows
    if held:
        yield pa.concat_tables(pending)


def write_layer(path: Path, layer: str, tables: Iterable[pa.Table], summary: dict[str, Any],
                *, row_group_rows: int = ROW_GROUP_ROWS) -> int:
    """Stream ``tables`` (of :func:`layer_schema`) into the GeoParquet file ``path``,
    EPSG:4326, which appears whole when done. Returns the rows written."""
    schema = layer_schema(layer, {b"geo": _geo_metadata(summary)})
    temporary = path.with_name(f".{path.name}.tmp")
    rows = 0
    try:
        with pq.ParquetWriter(temporary, schema) as writer:
            for group in _row_groups(tables, row_group_rows):
                writer.write_table(group.replace_schema_metadata(schema.metadata),
                                   row_group_size=row_group_rows)
                rows += group.num_rows
        temporary.replace(path)
    finally:
        temporary.unlink(missing_ok=True)
    return rows
