"""Exports: RFC 7946 GeoJSON, ACLED-style CSV and GeoPackage, written atomically."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest

from geoaleppo import exports
from geoaleppo.acled import ACLED_COLUMNS, CSV_COLUMNS
from geoaleppo.errors import ExportError
from geoaleppo.exports import LAYERS, write_export
from geoaleppo.model import Article, Event, Place, Reading

SEED = Path(__file__).resolve().parents[1] / "maps" / "aleppo-2016-12-05.txt"


@pytest.fixture(scope="module")
def seed() -> Reading:
    if not SEED.exists():
        pytest.skip(f"{SEED} is not in the project yet")
    from geoaleppo.reader import read_file

    return read_file(SEED)


@pytest.fixture(scope="module")
def seed_geojson(seed: Reading, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    path = tmp_path_factory.mktemp("geojson") / "seed.geojson"
    counts = write_export([seed], path)
    return path, counts


def _csv_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as stream:
        reader = csv.DictReader(stream)
        return list(reader.fieldnames or []), list(reader)


def _place(**overrides: Any) -> Place:
    values: dict[str, Any] = {
        "id": "ash-shaar", "title": "ash-Sha'ar", "kind": "district", "precision": "district",
        "lat": 36.209041, "lon": 37.18544, "country": "SY",
    }
    values.update(overrides)
    return Place(**values)


def _event(place: Place | None, **overrides: Any) -> Event:
    values: dict[str, Any] = {
        "type": "clash", "sentence": "Fighting raged.", "sentence_index": 0, "place": place,
        "date": "2016-12-05", "time_precision": 1, "geo_precision": 2,
        "actors": ("rebels/opposition",), "claimant": "Reuters",
    }
    values.update(overrides)
    return Event(**values)


def _reading(*events: Event, title: str = "A test article") -> Reading:
    return Reading(article=Article(title=title, published="2016-12-05", source="test.txt"),
                   events=events)


def _names(directory: Path) -> list[str]:
    return sorted(entry.name for entry in directory.iterdir())


def _leftovers(directory: Path, keep: set[str]) -> list[str]:
    return [name for name in _names(directory) if name not in keep]


# -- GeoJSON -------------------------------------------------------------------------------
def test_geojson_is_an_rfc7946_feature_collection(seed_geojson: tuple[Path, dict]) -> None:
    from geojson_pydantic import FeatureCollection

    path, counts = seed_geojson
    text = path.read_text(encoding="utf-8")
    collection = FeatureCollection.model_validate_json(text)
    document = json.loads(text)
    assert "crs" not in document
    assert len(collection.features) == counts["events"] + counts["control"] + counts["mentions"]
    assert counts["events"] > 0 and counts["control"] > 0 and counts["mentions"] > 0


def test_geojson_polygons_follow_the_right_hand_rule(seed_geojson: tuple[Path, dict]) -> None:
    from shapely.geometry import LinearRing

    document = json.loads(seed_geojson[0].read_text(encoding="utf-8"))
    polygons = []
    for feature in document["features"]:
        geometry = feature["geometry"]
        if geometry["type"] == "Polygon":
            polygons.append(geometry["coordinates"])
        elif geometry["type"] == "MultiPolygon":
            polygons.extend(geometry["coordinates"])
    assert polygons, "the seed should have district and area outlines"
    for rings in polygons:
        assert LinearRing(rings[0]).is_ccw
        for hole in rings[1:]:
            assert not LinearRing(hole).is_ccw


def test_geojson_properties_are_flat_and_coordinates_rounded(
    seed_geojson: tuple[Path, dict],
) -> None:
    document = json.loads(seed_geojson[0].read_text(encoding="utf-8"))

    def numbers(value: Any) -> list[float]:
        if isinstance(value, list):
            return [n for item in value for n in numbers(item)]
        return [value]

    for feature in document["features"]:
        properties = feature["properties"]
        assert properties["layer"] in {"event", "control", "mention"}
        assert all(not isinstance(v, dict | list) for v in properties.values()), properties
        for number in numbers(feature["geometry"]["coordinates"]):
            assert round(number, 6) == number


def test_geojson_reads_back_through_pyogrio(seed_geojson: tuple[Path, dict]) -> None:
    import pyogrio

    path, counts = seed_geojson
    frame = pyogrio.read_dataframe(path)
    assert len(frame) == counts["events"] + counts["control"] + counts["mentions"]
    assert sorted(set(frame["layer"])) == ["control", "event", "mention"]


def test_seed_geojson_has_the_shelling_and_al_shaar(seed_geojson: tuple[Path, dict]) -> None:
    features = json.loads(seed_geojson[0].read_text(encoding="utf-8"))["features"]
    shelling = [
        f["properties"] for f in features
        if f["properties"]["layer"] == "event"
        and "rebel shelling killed seven people" in f["properties"]["sentence"]
    ]
    assert len(shelling) == 1
    assert shelling[0]["fatalities"] == 7
    assert shelling[0]["type"] == "shelling"
    assert shelling[0]["reported_as"] == "claim"
    shaar = [f for f in features if f["properties"]["layer"] == "mention"
             and f["properties"]["place_id"] == "ash-shaar"]
    assert shaar
    assert shaar[0]["properties"]["role"] == "location"
    # A district is drawn as its outline, a city or a country as its point.
    assert shaar[0]["geometry"]["type"] in {"Polygon", "MultiPolygon"}
    cities = [f for f in features if f["properties"].get("precision") in {"city", "country"}
              and f["properties"].get("derived_rule") is None]
    assert cities
    assert {f["geometry"]["type"] for f in cities} == {"Point"}


def test_geojson_export_is_deterministic(seed: Reading, tmp_path: Path) -> None:
    first, second = tmp_path / "a.geojson", tmp_path / "b.geojson"
    write_export([seed], first)
    write_export([seed], second)
    assert first.read_bytes() == second.read_bytes()


def test_order_does_not_depend_on_input_order(tmp_path: Path) -> None:
    place = _place()
    events = [_event(place, type="shelling", fatalities=3), _event(place, sentence="Clashes.")]
    write_export([_reading(*events)], tmp_path / "a.geojson")
    write_export([_reading(*reversed(events))], tmp_path / "b.geojson")
    assert (tmp_path / "a.geojson").read_bytes() == (tmp_path / "b.geojson").read_bytes()


def test_uncertain_point_place_keeps_its_radius(tmp_path: Path) -> None:
    place = _place(id="somewhere", precision="district", uncertainty_m=800.0)
    path = tmp_path / "out.json"
    write_export([_reading(_event(place))], path)
    (feature,) = json.loads(path.read_text(encoding="utf-8"))["features"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [37.18544, 36.209041]}
    assert feature["properties"]["uncertainty_m"] == 800.0


def test_events_without_a_place_are_counted_not_written(tmp_path: Path) -> None:
    path = tmp_path / "out.geojson"
    counts = write_export([_reading(_event(None), _event(_place()))], path)
    assert counts["events"] == 1
    assert counts["unplaced_events"] == 1
    assert len(json.loads(path.read_text(encoding="utf-8"))["features"]) == 1


# -- CSV -----------------------------------------------------------------------------------
def test_csv_has_acled_columns_and_the_shelling_row(seed: Reading, tmp_path: Path) -> None:
    path = tmp_path / "events.csv"
    counts = write_export([seed], path)
    header, rows = _csv_rows(path)
    assert header == list(CSV_COLUMNS)
    assert header[: len(ACLED_COLUMNS)] == list(ACLED_COLUMNS)
    assert header[len(ACLED_COLUMNS):] == ["fatalities_lower_bound", "article"]
    assert len(rows) == counts["events"] == len(seed.events)
    assert b"\r\n" not in path.read_bytes()
    (shelling,) = [r for r in rows if "rebel shelling killed seven people" in r["notes"]]
    assert shelling["fatalities"] == "7"
    assert shelling["event_type"] == "Explosions/Remote violence"
    assert shelling["disorder_type"] == "Political violence"
    assert shelling["notes"].endswith("[reported as claim by Syrian state media]")
    assert (shelling["iso"], shelling["country"], shelling["admin1"]) == ("760", "Syria",
                                                                         "Aleppo")
    assert [r["event_id_cnty"] for r in rows] == [f"GEOALEPPO-{n}"
                                                  for n in range(1, len(rows) + 1)]
    assert all(r["fatalities"].isdigit() for r in rows)


def test_csv_and_geojson_share_event_ids(seed: Reading, tmp_path: Path) -> None:
    write_export([seed], tmp_path / "e.csv")
    write_export([seed], tmp_path / "e.geojson")
    _header, rows = _csv_rows(tmp_path / "e.csv")
    features = json.loads((tmp_path / "e.geojson").read_text(encoding="utf-8"))["features"]
    by_id = {f["properties"]["event_id"]: f["properties"] for f in features
             if f["properties"]["layer"] == "event"}
    for row in rows:
        assert row["notes"].startswith(by_id[row["event_id_cnty"]]["sentence"])


def test_csv_neutralises_formulas_from_article_text(tmp_path: Path) -> None:
    from geoaleppo.reader import read_text

    reading = read_text("=cmd|' /C calc'!A0 Fighting raged in Al Shaar on Monday, rebels said.",
                        published="2016-12-05")
    assert reading.events
    path = tmp_path / "out.csv"
    write_export([reading], path)
    _header, rows = _csv_rows(path)
    assert rows[0]["notes"].startswith("'=cmd|")


def test_csv_neutralises_every_text_cell_but_not_numbers(tmp_path: Path) -> None:
    place = _place(id="x", title="+SUM(A1)", lat=-33.5, lon=-1.25)
    event = _event(place, sentence="-2+3 were killed.", claimant="@evil", claimed=True,
                   actors=("=HYPERLINK(\"http://x\")", "rebels/opposition"))
    path = tmp_path / "out.csv"
    write_export([_reading(event, title="=1+1")], path)
    _header, (row,) = _csv_rows(path)
    assert row["location"] == "'+SUM(A1)"
    assert row["notes"].startswith("'-2+3 were killed.")
    assert row["source"] == "'@evil"
    assert row["actor1"] == "'=HYPERLINK(\"http://x\")"
    assert row["article"] == "'=1+1"
    assert (row["latitude"], row["longitude"]) == ("-33.5", "-1.25")


# -- GeoPackage ----------------------------------------------------------------------------
def test_gpkg_has_three_layers_with_the_counts(seed: Reading, tmp_path: Path) -> None:
    import pyogrio

    path = tmp_path / "seed.gpkg"
    counts = write_export([seed], path)
    assert [name for name, _type in pyogrio.list_layers(path)] == list(LAYERS)
    for layer in LAYERS:
        info = pyogrio.read_info(path, layer=layer)
        assert info["features"] == counts[layer]
        assert info["crs"] == "EPSG:4326"
        types = dict(zip(info["fields"], info["ogr_types"], strict=True))
        assert types["published"] == "OFTDate"
        assert "OFTDateTime" not in types.values()
    assert counts["events"] == len(seed.events)
    assert counts["control"] == len(seed.control)
    events = pyogrio.read_dataframe(path, layer="events")
    (shelling,) = events[events["sentence"].str.contains("rebel shelling killed seven people")]\
        .itertuples()
    assert shelling.fatalities == 7
    assert shelling.date.date() == dt.date(2016, 12, 5)
    assert _leftovers(tmp_path, {"seed.gpkg"}) == []


def test_gpkg_with_an_empty_layer(tmp_path: Path) -> None:
    import pyogrio

    path = tmp_path / "one.gpkg"
    counts = write_export([_reading(_event(_place()))], path)
    assert counts == {"events": 1, "control": 0, "mentions": 0, "unplaced_events": 0,
                      "unplaced_mentions": 0}
    assert [name for name, _type in pyogrio.list_layers(path)] == list(LAYERS)


# -- failures ------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["out.txt", "out", "out.shp", "out.geojson.bak"])
def test_unknown_extension_writes_nothing(tmp_path: Path, name: str) -> None:
    with pytest.raises(ExportError, match="unknown export extension"):
        write_export([_reading(_event(_place()))], tmp_path / name)
    assert _names(tmp_path) == []


@pytest.mark.parametrize("suffix", [".geojson", ".csv", ".gpkg"])
def test_missing_directory(tmp_path: Path, suffix: str) -> None:
    target = tmp_path / "missing" / f"out{suffix}"
    with pytest.raises(ExportError, match="does not exist") as caught:
        write_export([_reading(_event(_place()))], target)
    assert "\n" not in str(caught.value)
    assert not target.parent.exists()


@pytest.mark.parametrize("suffix", [".geojson", ".csv", ".gpkg"])
def test_directory_that_is_a_file(tmp_path: Path, suffix: str) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(ExportError, match="cannot write") as caught:
        write_export([_reading(_event(_place()))], blocker / f"out{suffix}")
    assert "\n" not in str(caught.value)
    assert _leftovers(tmp_path, {"file"}) == []


# Root writes through chmod, so as root the directory is a read-only file system instead,
# and the export runs in the mount namespace that holds it.
EXPORT_INTO = """
import sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from test_exports import _event, _place, _reading
from geoaleppo.errors import ExportError
from geoaleppo.exports import write_export
try:
    write_export([_reading(_event(_place()))], Path(sys.argv[2]))
except ExportError as exc:
    sys.exit(str(exc))
"""


@pytest.mark.parametrize("suffix", [".geojson", ".csv", ".gpkg"])
def test_read_only_directory(tmp_path: Path, suffix: str, request: pytest.FixtureRequest
                             ) -> None:
    directory = tmp_path / "ro"
    directory.mkdir()
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        script, listing = tmp_path / "export.py", tmp_path / "listing.txt"
        script.write_text(EXPORT_INTO, "utf-8")
        result = request.getfixturevalue("own_mounts")(
            f"mount -t tmpfs -o size=1m,ro tmpfs '{directory}' || exit 99\n"
            f"'{sys.executable}' '{script}' '{Path(__file__).parent}' '{directory}/out{suffix}'\n"
            f"status=$?; ls -A '{directory}' > '{listing}'; exit $status")
        assert result.returncode == 1, result.stderr
        assert result.stderr.count("\n") == 1 and "cannot write" in result.stderr
        assert listing.read_text("utf-8") == ""
        return
    directory.chmod(0o500)
    try:
        with pytest.raises(ExportError, match="cannot write") as caught:
            write_export([_reading(_event(_place()))], directory / f"out{suffix}")
        assert "\n" not in str(caught.value)
        assert _names(directory) == []
    finally:
        directory.chmod(0o700)


@pytest.mark.parametrize("suffix", [".geojson", ".csv"])
def test_failure_mid_write_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str
) -> None:
    from geoaleppo import store

    def broken_fsync(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store.os, "fsync", broken_fsync)
    with pytest.raises(ExportError, match="No space left on device"):
        write_export([_reading(_event(_place()))], tmp_path / f"out{suffix}")
    assert _names(tmp_path) == []


def test_gpkg_failure_after_the_first_layer_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pyogrio

    real = pyogrio.raw.write
    written: list[str] = []

    def fail_on_second_layer(*args: Any, **kwargs: Any) -> None:
        if written:
            raise OSError(28, "No space left on device")
        real(*args, **kwargs)
        written.append(kwargs["layer"])

    monkeypatch.setattr(pyogrio.raw, "write", fail_on_second_layer)
    with pytest.raises(ExportError, match="No space left on device"):
        write_export([_reading(_event(_place()))], tmp_path / "out.gpkg")
    assert written == ["events"]
    assert _names(tmp_path) == []


def test_unexpected_error_still_cleans_up(tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(exports, "_gpkg_layer", boom)
    with pytest.raises(RuntimeError, match="boom"):
        write_export([_reading(_event(_place()))], tmp_path / "out.gpkg")
    assert _names(tmp_path) == []


def test_failed_export_keeps_the_previous_file(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from geoaleppo import store

    path = tmp_path / "out.csv"
    write_export([_reading(_event(_place()))], path)
    before = path.read_bytes()

    def broken_fsync(fd: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(store.os, "fsync", broken_fsync)
    with pytest.raises(ExportError):
        write_export([_reading(_event(_place(), fatalities=9))], path)
    assert path.read_bytes() == before
    assert _names(tmp_path) == ["out.csv"]


def test_gazetteer_geojson_still_works(tmp_path: Path) -> None:
    from geoaleppo.gazetteer import load

    path = tmp_path / "gazetteer.geojson"
    count = exports.write_gazetteer_geojson(load(), path)
    document = json.loads(path.read_text(encoding="utf-8"))
    assert len(document["features"]) == count > 0
    assert "crs" not in document
    assert path.read_text(encoding="utf-8").endswith("}\n")


def test_csv_codes_captures_by_who_took_the_ground(seed: Reading, tmp_path: Path) -> None:
    path = tmp_path / "events.csv"
    write_export([seed], path)
    _header, rows = _csv_rows(path)
    captures = [r for r in rows if "seized from rebels" in r["notes"]]
    assert captures
    assert {(r["event_type"], r["sub_event_type"]) for r in captures} == {
        ("Battles", "Government regains territory")
    }
