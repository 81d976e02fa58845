"""The ``geoaleppo`` command line as an analyst uses it: resolve, help, and the gazetteer."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest
import typer.main
from geojson_pydantic import FeatureCollection
from shapely.geometry import Point, shape
from typer.testing import CliRunner, Result

import geoaleppo.gazetteer as gz
from geoaleppo import curation, entries
from geoaleppo.cli import app
from geoaleppo.errors import GazetteerError

ADD = ["gazetteer", "add"]


def jandoul(name: str = "Jandoul roundabout", **changes: str) -> list[str]:
    """Arguments of ``gazetteer add`` for the Jandoul roundabout, with ``changes``."""
    options = {"lat": "36.2365", "lon": "37.1702", "kind": "landmark", "parent": "aleppo",
               "source": "test source", **changes}
    return [name, *(word for key, value in options.items() for word in (f"--{key}", value))]


def cli(*args: str) -> Result:
    """Run the CLI in-process with a fixed width, against the bundled gazetteer by default."""
    runner = CliRunner(env={"COLUMNS": "100", gz.ENV_VAR: str(gz.BUNDLED)})
    return runner.invoke(app, list(args))


def cli_json(*args: str) -> Any:
    """The parsed JSON output of a command that must succeed."""
    result = cli(*args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def run(*args: str, gazetteer: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``python -m geoaleppo`` as a real process."""
    env = {**os.environ, "COLUMNS": "100", gz.ENV_VAR: str(gazetteer or gz.BUNDLED)}
    return subprocess.run([sys.executable, "-m", "geoaleppo", *args], env=env,
                          capture_output=True, text=True, timeout=120, check=False)


def assert_one_line_error(result: Result, *mentions: str) -> str:
    """Exit 1 with one ``geoaleppo: error:`` line on stderr naming ``mentions``; no crash."""
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("geoaleppo: error: ")
    assert "Traceback" not in result.output
    for mention in mentions:
        assert mention in lines[0]
    return lines[0]


def snapshot(directory: Path) -> dict[str, bytes]:
    """Every gazetteer file's bytes (the lock file aside)."""
    return {p.name: p.read_bytes() for p in directory.iterdir() if not p.name.startswith(".")}


@pytest.fixture
def gaz(tmp_path: Path) -> Path:
    """A writable copy of the bundled gazetteer."""
    return Path(shutil.copytree(gz.BUNDLED, tmp_path / "gaz"))


def read_json(path: Path) -> Any:
    """A JSON file's content."""
    return json.loads(path.read_text(encoding="utf-8"))


def edit(path: Path, change: Any) -> dict[str, Any]:
    """Rewrite one gazetteer file after ``change(document)``; return the document."""
    document = read_json(path)
    change(document)
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return document


# -- resolve ---------------------------------------------------------------------------
NAMES = {
    "Al Shaar": "ash-shaar", "al-Sha'ar": "ash-shaar", "Ash Sha'ar": "ash-shaar",
    "the citadel": "aleppo-citadel", "Old City": "old-city",
    "eye hospital": "aleppo-eye-hospital", "Al Myassar": "karm-al-myassar",
    "eastern Aleppo": "eastern-aleppo", "Karm al-Jabal": "karm-aj-jabal",
    "Bab al-Hadid": "bab-al-hadid", "الشعار": "ash-shaar",
}
WORLD = {"Geneva": "CH", "Damascus": "SY"}


@pytest.fixture(scope="module")
def resolved() -> list[dict[str, Any]]:
    return cli_json("resolve", *NAMES, *WORLD, "--json")


def test_resolve_json_answers_every_name_in_order(resolved: list[dict[str, Any]]) -> None:
    """One object per name, in the order given, with the documented fields."""
    assert [r["query"] for r in resolved] == [*NAMES, *WORLD]
    fields = {"query", "id", "name", "kind", "lat", "lon", "precision"}
    assert all(fields <= set(r) for r in resolved)
    assert [r["id"] for r in resolved[: len(NAMES)]] == list(NAMES.values())


def test_resolve_finds_world_cities_in_their_country(resolved: list[dict[str, Any]]) -> None:
    """Geneva is the Swiss city, Damascus the Syrian capital (not US namesakes)."""
    for result, (name, country) in zip(resolved[len(NAMES):], WORLD.items(), strict=True):
        assert result["query"] == name and result["kind"] == "city"
        assert result["id"].startswith("geonames:")
        chosen = next(c for c in result["candidates"] if c["id"] == result["id"])
        assert chosen["country"] == country


def test_resolved_point_lies_inside_the_places_outline(resolved: list[dict[str, Any]]) -> None:
    """A district's (or area's) lat/lon is inside its outline, so a map pin lands in it."""
    index = gz.load(gz.BUNDLED)
    checked = 0
    for result in resolved[: len(NAMES)]:
        geometry = index.get(result["id"]).geometry
        if geometry is not None and geometry.geom_type in {"Polygon", "MultiPolygon"}:
            assert geometry.contains(Point(result["lon"], result["lat"])), result["id"]
            checked += 1
    assert checked >= 5


def test_unresolvable_name_gives_nulls_and_exit_1() -> None:
    """A name nobody knows still gets a result row, with nulls; the exit code is 1."""
    result = cli("resolve", "Al Shaar", "Qwxz Zzyzx", "--json")
    assert_one_line_error(result, "1 of 2 names did not resolve: 'Qwxz Zzyzx'")
    missing = json.loads(result.stdout)[1]
    assert (missing["query"], missing["id"], missing["lat"], missing["lon"]) == (
        "Qwxz Zzyzx", None, None, None)


def test_resolve_plain_text_prints_one_line_per_name() -> None:
    """Without --json: one tab-separated line per name (not a terminal), unresolved ones
    included."""
    names = [*NAMES, *WORLD, "Qwxz Zzyzx"]
    result = cli("resolve", *names)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert [line.split("\t")[0] for line in lines] == names
    assert "ash-shaar" in lines[0] and "unresolved" in lines[-1]


# -- help and version ------------------------------------------------------------------
def command_paths(command: Any = None, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every command path of the CLI, the root included."""
    command = command or typer.main.get_command(app)
    yield prefix
    for name, sub in getattr(command, "commands", {}).items():
        yield from command_paths(sub, (*prefix, name))


def test_python_dash_m_help_lists_the_commands() -> None:
    """``python -m geoaleppo --help`` works like the console script."""
    result = run("--help")
    assert result.returncode == 0, result.stderr
    assert "Usage:" in result.stdout
    for command in ("resolve", "gazetteer", "assets"):
        assert f"  {command} " in result.stdout


@pytest.mark.parametrize("path", list(command_paths()), ids=lambda p: " ".join(p) or "root")
def test_every_help_shows_an_example(path: tuple[str, ...]) -> None:
    """Every command's --help shows at least one example to copy."""
    result = cli(*path, "--help")
    assert result.exit_code == 0, result.output
    assert "Example" in result.stdout


def test_version_matches_the_installed_package() -> None:
    """``--version`` prints the installed version."""
    result = cli("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"geoaleppo {version('geoaleppo')}"


# -- list and show ---------------------------------------------------------------------
def test_list_kind_filters_and_an_unknown_kind_is_a_usage_error() -> None:
    """--kind narrows the list; a misspelt kind exits 2 and lists the kinds."""
    rows = cli_json("gazetteer", "list", "--kind", "district", "--json")
    assert len(rows) > 100
    assert {row["kind"] for row in rows} == {"district"}
    assert "ash-shaar" in {row["id"] for row in rows}
    result = cli("gazetteer", "list", "--kind", "castle")
    assert result.exit_code == 2
    assert "castle" in result.stderr and "district" in result.stderr


def test_show_prints_arabic_name_and_licensed_sources() -> None:
    """An entry shows its Arabic name and each source with its licence."""
    entry = cli_json("gazetteer", "show", "ash-shaar")
    assert {"text": "الشعار", "lang": "ar"} in entry["names"]
    assert entry["sources"] and all(source.get("licence") for source in entry["sources"])


def test_show_unknown_id_is_a_one_line_error() -> None:
    """A wrong id is a one-line error, not a traceback."""
    assert_one_line_error(cli("gazetteer", "show", "no-such-place"), "no-such-place")


# -- validate --------------------------------------------------------------------------
def test_validate_bundled_copy_passes(gaz: Path) -> None:
    """The shipped gazetteer validates cleanly."""
    result = cli("gazetteer", "validate", "--gazetteer", str(gaz))
    assert result.exit_code == 0, result.stderr
    assert "no problems" in result.stdout


HERITAGE = "aleppo-heritage.geojson"
BREAKS = ["truncated", "no-sources", "duplicate-id", "not-utf8", "self-intersecting"]


def break_gazetteer(gaz: Path, how: str) -> tuple[str, str]:
    """Break the copy in one way; return the file and entry id (if any) at fault."""
    heritage = read_json(gaz / HERITAGE)["features"]
    if how == "truncated":
        (gaz / HERITAGE).write_bytes((gaz / HERITAGE).read_bytes()[:5000])
        return HERITAGE, ""
    if how == "no-sources":
        edit(gaz / HERITAGE, lambda doc: doc["features"][3].update(sources=[]))
        return HERITAGE, heritage[3]["id"]
    if how == "duplicate-id":
        edit(gaz / "aleppo-approximate.geojson", lambda doc: doc["features"].append(heritage[0]))
        return HERITAGE, heritage[0]["id"]
    if how == "not-utf8":
        # The file that holds "aleppo" itself, so every child's parent becomes unknowable.
        data = (gaz / "aleppo-areas.geojson").read_bytes()
        (gaz / "aleppo-areas.geojson").write_bytes(data[:300] + b"\xff\xfe" + data[300:])
        return "aleppo-areas.geojson", ""
    lon, lat = heritage[0]["properties"]["point"]
    ring = [[lon + x * 1e-3, lat + y * 1e-3] for x, y in [(-1, -1), (1, 1), (1, -1), (-1, 1)]]
    bowtie = {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}
    edit(gaz / HERITAGE, lambda doc: doc["features"][0].update(geometry=bowtie))
    return HERITAGE, heritage[0]["id"]


@pytest.mark.parametrize("how", BREAKS)
def test_validate_reports_each_problem_on_one_line(gaz: Path, how: str) -> None:
    """One ``FILE: ENTRY: reason`` line for the one thing broken; no cascade, no traceback."""
    filename, entry = break_gazetteer(gaz, how)
    result = cli("gazetteer", "validate", "--gazetteer", str(gaz))
    assert_one_line_error(result, str(gaz / filename), entry)


# Loading checks shapes too (cheaply), so a bow-tie outline stops resolve as well.
@pytest.mark.parametrize("how", BREAKS)
def test_resolve_on_a_broken_gazetteer_names_the_file(gaz: Path, how: str) -> None:
    """Resolving against a broken gazetteer says which file (and entry) to fix."""
    filename, entry = break_gazetteer(gaz, how)
    assert_one_line_error(cli("resolve", "Al Shaar", "--gazetteer", str(gaz)), filename, entry)


# -- export ----------------------------------------------------------------------------
def test_export_is_rfc7946_with_counter_clockwise_rings(gaz: Path, tmp_path: Path) -> None:
    """Even when the source files wind rings clockwise, the export is RFC 7946."""
    def clockwise(doc: dict[str, Any]) -> None:
        for feature in doc["features"]:
            if feature["geometry"]["type"] == "Polygon":
                feature["geometry"]["coordinates"][0].reverse()

    edit(gaz / "aleppo-neighbourhoods.geojson", clockwise)
    out = tmp_path / "out.geojson"
    result = cli("gazetteer", "export", "-o", str(out), "--gazetteer", str(gaz))
    assert result.exit_code == 0, result.output
    document = read_json(out)
    assert "crs" not in document
    FeatureCollection.model_validate(document)
    polygons = 0
    for feature in document["features"]:
        geometry = shape(feature["geometry"])
        for part in getattr(geometry, "geoms", [geometry]):
            if part.geom_type == "Polygon":
                assert part.exterior.is_ccw, feature["id"]  # a shapely LinearRing
                polygons += 1
    assert polygons > 100
    listed = cli_json("gazetteer", "list", "--json", "--gazetteer", str(gaz))
    assert [f["id"] for f in document["features"]] == [row["id"] for row in listed]


def test_export_unknown_extension_writes_nothing(tmp_path: Path) -> None:
    """An export to an unknown format is refused before any file appears."""
    out = tmp_path / "out.txt"
    assert_one_line_error(cli("gazetteer", "export", "-o", str(out)), ".txt")
    assert list(tmp_path.iterdir()) == []


# -- add -------------------------------------------------------------------------------
def test_add_then_resolve_changes_only_the_additions_file(gaz: Path) -> None:
    """An added place resolves at once, cites its source, and touches only additions."""
    before = snapshot(gaz)
    result = cli(*ADD, *jandoul(), "--licence", "CC0", "--gazetteer", str(gaz))
    assert result.exit_code == 0, result.output
    after = snapshot(gaz)
    assert {k: v for k, v in after.items() if k != gz.ADDITIONS_FILE} == before
    additions = json.loads(after[gz.ADDITIONS_FILE])
    assert [f["properties"]["title"] for f in additions["features"]] == ["Jandoul roundabout"]

    found = cli_json("resolve", "Jandoul roundabout", "--json", "--gazetteer", str(gaz))[0]
    assert (found["id"], found["lat"], found["lon"]) == ("jandoul-roundabout", 36.2365, 37.1702)
    shown = cli_json("gazetteer", "show", "jandoul-roundabout", "--gazetteer", str(gaz))
    assert [(s["title"], s["licence"]) for s in shown["sources"]] == [("test source", "CC0")]
    assert cli("gazetteer", "validate", "--gazetteer", str(gaz)).exit_code == 0


# 20 m north of the first heritage landmark.
LANDMARK_LON, LANDMARK_LAT = read_json(gz.BUNDLED / HERITAGE)["features"][0]["properties"]["point"]
REFUSALS = {
    "latitude-91": (jandoul(lat="91"), "out of range"),
    "swapped": (jandoul(lat="37.16", lon="36.20"), "wrong way round"),
    "outside-aleppo": (jandoul(lat="33.51", lon="36.29", parent="ash-shaar"), "km outside Aleppo"),
    "known-name": (jandoul("Al Shaar"), "already resolves to ash-shaar"),
    "near-landmark": (jandoul("Test Near Landmark", lat=str(LANDMARK_LAT + 0.00018),
                              lon=str(LANDMARK_LON)), "20 m away"),
    "empty-source": (jandoul(source=""), "source is required"),
    "unknown-parent": (jandoul(parent="atlantis"), "'atlantis' is not in the gazetteer"),
    "latin-arabic": (jandoul(arabic="Jandoul"), "not in Arabic script"),
    "uncertainty-nan": (jandoul(uncertainty="nan"), "--uncertainty: nan is not a positive"),
    "uncertainty-infinite": (jandoul(uncertainty="inf"), "--uncertainty: inf is not a positive"),
    "uncertainty-negative": (jandoul(uncertainty="-40"), "--uncertainty: -40.0 is not a positive"),
    "uncertainty-zero": (jandoul(uncertainty="0"), "--uncertainty: 0.0 is not a positive"),
    "uncertainty-huge": (jandoul(uncertainty="1e9"), "larger than the Earth"),
}


@pytest.mark.parametrize(("args", "reason"), REFUSALS.values(), ids=REFUSALS.keys())
def test_add_refuses_with_the_reason_and_writes_nothing(
    gaz: Path, args: list[str], reason: str
) -> None:
    """Each refusal says why and leaves every gazetteer file as it was."""
    before = snapshot(gaz)
    assert_one_line_error(cli(*ADD, *args, "--gazetteer", str(gaz)), reason)
    assert snapshot(gaz) == before


@pytest.mark.parametrize("args", [REFUSALS["known-name"][0], REFUSALS["near-landmark"][0]],
                         ids=["known-name", "near-landmark"])
def test_add_force_overrides_name_and_proximity_checks(gaz: Path, args: list[str]) -> None:
    """--force adds a known name or a near-duplicate, and the gazetteer stays valid."""
    result = cli(*ADD, *args, "--force", "--gazetteer", str(gaz))
    assert result.exit_code == 0, result.output
    features = read_json(gaz / gz.ADDITIONS_FILE)["features"]
    assert [f["properties"]["title"] for f in features] == [args[0]]
    assert cli("gazetteer", "validate", "--gazetteer", str(gaz)).exit_code == 0


def test_add_uncertainty_is_stored_shown_and_valid(gaz: Path) -> None:
    """--uncertainty METRES becomes the entry's uncertainty_m, which show and validate see."""
    result = cli(*ADD, *jandoul(uncertainty="400"), "--gazetteer", str(gaz))
    assert result.exit_code == 0, result.output
    feature = read_json(gaz / gz.ADDITIONS_FILE)["features"][0]
    assert feature["properties"]["uncertainty_m"] == 400.0
    shown = cli_json("gazetteer", "show", feature["id"], "--gazetteer", str(gaz))
    assert shown["uncertainty_m"] == 400.0
    assert entries.validate(gaz) == []


def test_add_uncertainty_is_for_points_only(gaz: Path, tmp_path: Path) -> None:
    """An outline says how far the place extends; a radius on top of it is refused."""
    outline = tmp_path / "yard.geojson"
    ring = [[37.149, 36.229], [37.149, 36.231], [37.151, 36.231], [37.151, 36.229],
            [37.149, 36.229]]
    outline.write_text(json.dumps({"type": "Polygon", "coordinates": [ring]}))
    before = snapshot(gaz)
    result = cli(*ADD, "Test Round Yard", "--geometry", str(outline), "--kind", "area",
                 "--uncertainty", "300", "--source", "survey", "--gazetteer", str(gaz))
    assert_one_line_error(result, "--uncertainty is for a point")
    assert snapshot(gaz) == before


ASH_SHAAR_LAT, ASH_SHAAR_LON = "36.209041", "37.18544"


@pytest.mark.parametrize(("parent", "warned"), [("aleppo", True), ("ash-shaar", False)])
def test_add_warns_of_a_point_inside_another_district(
    gaz: Path, parent: str, warned: bool
) -> None:
    """A point inside ash-Sha'ar's outline with another parent is added, with a warning
    on stderr naming the district; with ash-shaar as its parent, silently."""
    args = jandoul("Test Shaar Bakery", lat=ASH_SHAAR_LAT, lon=ASH_SHAAR_LON, parent=parent)
    result = cli(*ADD, *args, "--gazetteer", str(gaz))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("added test-shaar-bakery")
    if warned:
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("geoaleppo: warning: test-shaar-bakery:")
        assert "inside the district ash-shaar (ash-Sha'ar)" in lines[0]
        assert "its --parent is aleppo" in lines[0]
    else:
        assert result.stderr == ""
    assert "Test Shaar Bakery" in {f["properties"]["title"] for f in
                                   read_json(gaz / gz.ADDITIONS_FILE)["features"]}


def test_add_help_and_readme_document_uncertainty_and_the_warning() -> None:
    """The option and the warning are in --help (with an example) and in the README."""
    help_text = cli(*ADD, "--help").stdout
    assert "--uncertainty METRES" in help_text and "--uncertainty 400" in help_text
    assert "warning" in help_text
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text("utf-8")
    assert "--uncertainty" in readme and "uncertainty_m" in readme
    assert "warning" in readme


def test_add_dry_run_writes_nothing(gaz: Path) -> None:
    """--dry-run shows what would be added and writes nothing."""
    before = snapshot(gaz)
    result = cli(*ADD, *jandoul(), "--dry-run", "--gazetteer", str(gaz))
    assert result.exit_code == 0
    assert result.stdout.startswith("would add jandoul-roundabout")
    assert snapshot(gaz) == before


def test_add_with_a_polygon_geometry_file(gaz: Path, tmp_path: Path) -> None:
    """The outline is stored and the place's point lies inside it."""
    ring = [[37.149, 36.229], [37.149, 36.231], [37.151, 36.231], [37.151, 36.229],
            [37.149, 36.229]]
    outline = tmp_path / "yard.geojson"
    outline.write_text(json.dumps({"type": "Feature", "properties": {},
                                   "geometry": {"type": "Polygon", "coordinates": [ring]}}))
    result = cli(*ADD, "Test Polygon Yard", "--geometry", str(outline), "--kind", "area",
                 "--parent", "aleppo", "--source", "survey", "--gazetteer", str(gaz))
    assert result.exit_code == 0, result.output
    shown = cli_json("gazetteer", "show", "test-polygon-yard", "--gazetteer", str(gaz))
    assert shown["geometry"]["type"] == "Polygon"
    assert shape(shown["geometry"]).contains(Point(shown["lon"], shown["lat"]))


@pytest.mark.parametrize("content", ['{"type": "Polygon", "coordinates": [[[37.1, 36.2', "[]"],
                         ids=["not-json", "no-geometry"])
def test_add_with_a_bad_geometry_file_is_a_one_line_error(
    gaz: Path, tmp_path: Path, content: str
) -> None:
    """An unusable --geometry file is a one-line error naming it."""
    bad = tmp_path / "bad.geojson"
    bad.write_text(content)
    before = snapshot(gaz)
    result = cli(*ADD, "Test Bad Yard", "--geometry", str(bad), "--kind", "area",
                 "--source", "survey", "--gazetteer", str(gaz))
    assert_one_line_error(result, str(bad))
    assert snapshot(gaz) == before


# -- concurrency and interruption --------------------------------------------------------
def grid_point(i: int) -> tuple[str, str]:
    """The i-th of 64 points 700-900 m apart over central Aleppo (lat, lon)."""
    return f"{36.175 + 0.008 * (i % 8):.3f}", f"{37.115 + 0.009 * (i // 8):.3f}"


# 64 analysts at once make a queue of over 30 s on this machine's two cores: the old lock
# gave up on the last of them after 30 s, though every holder was making progress.
@pytest.mark.slow
@pytest.mark.parametrize("count", [32, 64])
def test_concurrent_adds_all_land(gaz: Path, count: int) -> None:
    """Many analysts adding at once: all wait their turn, every addition is kept."""
    env = {**os.environ, gz.ENV_VAR: str(gaz)}
    names = [f"Test Concurrent {i:02d}" for i in range(count)]
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "geoaleppo", *ADD, name, "--lat", grid_point(i)[0],
             "--lon", grid_point(i)[1], "--kind", "area", "--parent", "aleppo",
             "--source", "concurrency test"],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for i, name in enumerate(names)
    ]
    outcomes = [(*p.communicate(timeout=300), p.returncode) for p in processes]
    assert [code for _, _, code in outcomes] == [0] * count, [
        err for _, err, code in outcomes if code][:3]
    document = read_json(gaz / gz.ADDITIONS_FILE)
    assert sorted(f["properties"]["title"] for f in document["features"]) == names
    assert not list(gaz.glob(f".{gz.ADDITIONS_FILE}.*")), "temporary file left behind"
    assert entries.validate(gaz) == []


@pytest.mark.parametrize("existing", [False, True], ids=["first-add", "later-add"])
@pytest.mark.parametrize("failure", ["fsync", "rename"])
def test_interrupted_add_changes_nothing(
    gaz: Path, monkeypatch: pytest.MonkeyPatch, existing: bool, failure: str
) -> None:
    """A crash mid-write leaves the additions file as it was and no temporary files."""
    if existing:
        curation.add(curation.NewEntry("Test Place Alpha", "district", "s", lat=36.2, lon=37.125,
                                       parent="aleppo"), gaz)
    before = snapshot(gaz)

    def crash(*_: Any) -> None:
        raise OSError("disk pulled out")

    if failure == "fsync":
        monkeypatch.setattr("geoaleppo.store.os.fsync", crash)
    else:
        monkeypatch.setattr("geoaleppo.store.Path.replace", crash)
    entry = curation.NewEntry("Test Place Bravo", "district", "s", lat=36.204, lon=37.132,
                              parent="aleppo")
    with pytest.raises(GazetteerError, match="cannot write: disk pulled out"):
        curation.add(entry, gaz)
    assert snapshot(gaz) == before
    assert (gaz / gz.ADDITIONS_FILE).exists() is existing
    assert not list(gaz.glob(f".{gz.ADDITIONS_FILE}*")), "temporary file left behind"


def test_every_command_is_shown_in_the_readme() -> None:
    """The README's CLI section shows each command a user can type."""
    import typer.main

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text("utf-8")
    group = typer.main.get_command(app)
    names = []
    for name, command in group.commands.items():
        sub = getattr(command, "commands", None)
        names += [f"{name} {child}" for child in sub] if sub else [name]
    for name in names:
        assert f"geoaleppo {name}" in readme, name
