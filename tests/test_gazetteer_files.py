"""Bad gazetteer files: every command that loads one refuses it in one line, naming it.

Each case is a copy of the bundled gazetteer broken in one way an analyst's directory
can be (a symlink loop, ``NaN``, nesting deeper than Python recurses, a field of the
wrong type, a self-intersecting outline). Every command that loads a gazetteer must
exit 1 with one ``geoaleppo: error:`` line naming the file and, where there is one,
the entry; never a traceback, never a silent acceptance.
"""

from __future__ import annotations

import json
import math
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from test_cli_gazetteer import assert_one_line_error, cli

from geoaleppo import entries
from geoaleppo import gazetteer as gz
from geoaleppo.errors import GazetteerError
from geoaleppo.exports import write_gazetteer_geojson

ARTICLE = str(Path(__file__).resolve().parents[1] / "maps" / "aleppo-2016-12-05.txt")
# Read first (files load in name order), so a case costs one small file, not the lot.
FIRST = "aleppo-approximate.geojson"


def first_entry(directory: Path) -> str:
    return json.loads((directory / FIRST).read_text("utf-8"))["features"][0]["id"]


def change_entry(change: Callable[[dict[str, Any]], None]) -> Callable[[Path], tuple[str, str]]:
    """A breaker that rewrites the first entry of the first file with ``change``."""
    def breaker(directory: Path) -> tuple[str, str]:
        path = directory / FIRST
        document = json.loads(path.read_text("utf-8"))
        change(document["features"][0])
        # allow_nan: the file must hold the NaN an analyst's tool may have written.
        path.write_text(json.dumps(document, allow_nan=True), "utf-8")
        return FIRST, document["features"][0]["id"]
    return breaker


def set_property(key: str, value: Any) -> Callable[[Path], tuple[str, str]]:
    return change_entry(lambda feature: feature["properties"].__setitem__(key, value))


def bow_tie(feature: dict[str, Any]) -> None:
    lon, lat = feature["properties"]["point"]
    ring = [[lon + x * 1e-3, lat + y * 1e-3] for x, y in [(-1, -1), (1, 1), (1, -1), (-1, 1)]]
    feature["geometry"] = {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def symlink_loop(directory: Path) -> tuple[str, str]:
    (directory / "loop.geojson").symlink_to("loop.geojson")
    return "loop.geojson", ""


def deep_array(directory: Path) -> tuple[str, str]:
    depth = 200_000
    text = '{"type": "FeatureCollection", "features": ' + "[" * depth + "]" * depth + "}"
    (directory / "deep.geojson").write_text(text, "utf-8")
    return "deep.geojson", ""


def fifo(directory: Path) -> tuple[str, str]:
    os.mkfifo(directory / "pipe.geojson")
    return "pipe.geojson", ""


def sources_loop(directory: Path) -> tuple[str, str]:
    (directory / entries.SOURCES_FILE).unlink()
    (directory / entries.SOURCES_FILE).symlink_to(entries.SOURCES_FILE)
    return entries.SOURCES_FILE, ""


def own_sources_not_objects(directory: Path) -> tuple[str, str]:
    path = directory / FIRST
    document = json.loads(path.read_text("utf-8"))
    document["sources"] = {"analyst:x": "a bare string, not an object"}
    path.write_text(json.dumps(document), "utf-8")
    return FIRST, ""


CASES: dict[str, Callable[[Path], tuple[str, str]]] = {
    "symlink-loop": symlink_loop,
    "sources-symlink-loop": sources_loop,
    "fifo": fifo,
    "deep-array": deep_array,
    "population-nan": set_property("population", math.nan),
    "population-infinite": set_property("population", math.inf),
    "uncertainty-nan": set_property("uncertainty_m", math.nan),
    "uncertainty-negative": set_property("uncertainty_m", -5.0),
    "members-on-string": set_property("members_on", "2016-12-05"),
    "members-string": set_property("members", "ash-shaar"),
    "links-string": change_entry(lambda feature: feature.__setitem__("links", "geonames:1")),
    "note-object": set_property("note", {"text": "a note"}),
    # Nested 900 deep, rewriting additions.geojson crashed gazetteer add (RecursionError);
    # 200 is over the limit and still safe to write here.
    "deep-own-property": set_property("extra", json.loads("[" * 200 + "]" * 200)),
    "self-intersecting": change_entry(bow_tie),
    "line-of-one-position": change_entry(lambda feature: feature.__setitem__(
        "geometry", {"type": "LineString", "coordinates": [feature["properties"]["point"]]})),
    "own-sources-not-objects": own_sources_not_objects,
}
COMMANDS = {
    "resolve": ["resolve", "Al Shaar"],
    "parse": ["parse", ARTICLE],
    "map": ["map", ARTICLE, "-o", "{out}/map.html"],
    "export": ["export", ARTICLE, "-o", "{out}/events.geojson"],
    "timeline": ["timeline", ARTICLE, "-o", "{out}/timeline.csv"],
    "gazetteer list": ["gazetteer", "list"],
    "gazetteer show": ["gazetteer", "show", "ash-shaar"],
    "gazetteer validate": ["gazetteer", "validate"],
    "gazetteer export": ["gazetteer", "export", "-o", "{out}/gazetteer.geojson"],
    "gazetteer add": ["gazetteer", "add", "Test Place Kilo", "--lat", "36.2", "--lon", "37.15",
                      "--kind", "landmark", "--parent", "aleppo", "--source", "test"],
}


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, str, str]]:
    """Each case's broken copy, made once: (directory, file at fault, entry at fault)."""
    made = {}
    for name, breaker in CASES.items():
        directory = Path(shutil.copytree(gz.BUNDLED, tmp_path_factory.mktemp(name) / "gaz"))
        filename, entry = breaker(directory)
        made[name] = (directory, filename, entry)
    return made


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("case", CASES)
def test_every_command_refuses_a_broken_gazetteer_in_one_line(
    broken: dict[str, tuple[Path, str, str]], tmp_path: Path, case: str, command: str
) -> None:
    """One line naming the file and entry, exit 1; nothing written anywhere."""
    directory, filename, entry = broken[case]
    before = {p.name for p in directory.iterdir()}
    args = [arg.format(out=tmp_path) for arg in COMMANDS[command]]
    line = assert_one_line_error(cli(*args, "--gazetteer", str(directory)),
                                 str(directory / filename), entry)
    assert "Traceback" not in line
    assert {p.name for p in directory.iterdir()} - before <= {".geoaleppo.lock"}
    assert list(tmp_path.iterdir()) == []


def test_the_environment_variable_names_a_broken_gazetteer_too(
    broken: dict[str, tuple[Path, str, str]],
) -> None:
    """GEOALEPPO_GAZETTEER is checked like --gazetteer."""
    from typer.testing import CliRunner

    from geoaleppo.cli import app

    directory, filename, entry = broken["links-string"]
    result = CliRunner(env={gz.ENV_VAR: str(directory)}).invoke(app, ["resolve", "Al Shaar"])
    assert_one_line_error(result, str(directory / filename), entry)


def test_nan_is_located_by_entry_and_field(broken: dict[str, tuple[Path, str, str]]) -> None:
    """The message says where the NaN is, so the analyst need not search the file."""
    directory, _, entry = broken["population-nan"]
    with pytest.raises(GazetteerError, match=rf"{entry}: properties\.population: NaN "):
        gz.load(directory)


# -- every optional field, every wrong type ---------------------------------------------
# A tiny gazetteer, so a hundred variations load in a second: Aleppo's outline and a
# landmark inside it.
RING = [[37.0, 36.1], [37.3, 36.1], [37.3, 36.3], [37.0, 36.3], [37.0, 36.1]]
BASE = [
    {"type": "Feature", "id": "aleppo",
     "properties": {"title": "Aleppo", "kind": "city", "precision": "city",
                    "point": [37.15, 36.2], "geometry_source": "test", "country": "SY",
                    "population": 2000000, "members": ["citadel"],
                    "members_on": {"2016-12-05": ["citadel"]}},
     "names": [{"lang": "en", "toponym": "Aleppo"}],
     "links": [{"type": "closeMatch", "identifier": "geonames:170063"}],
     "sources": ["test"], "geometry": {"type": "Polygon", "coordinates": [RING]}},
    {"type": "Feature", "id": "citadel",
     "properties": {"title": "Citadel", "kind": "landmark", "precision": "site",
                    "point": [37.16, 36.2], "geometry_source": "test", "parent": "aleppo",
                    "uncertainty_m": 100.0, "note": "a note"},
     "names": [{"lang": "en", "toponym": "the citadel"}], "links": [],
     "sources": ["test"], "geometry": None},
]
PROPERTIES = ["title", "kind", "precision", "point", "geometry_source", "country", "population",
              "members", "members_on", "parent", "uncertainty_m", "note"]
TOP_LEVEL = ["id", "names", "links", "sources", "geometry"]
WRONG = {"string": "x", "number": 7, "nan": math.nan, "infinity": math.inf,
         "true": True, "list": [1, "a"], "object": {"a": [1]}, "empty": "", "null": None,
         "huge": 10**30}


def tiny(directory: Path, features: list[dict[str, Any]]) -> Path:
    directory.mkdir()
    (directory / entries.SOURCES_FILE).write_text(json.dumps({"test": {"title": "test"}}), "utf-8")
    document = {"type": "FeatureCollection", "features": features}
    (directory / "places.geojson").write_text(json.dumps(document, allow_nan=True), "utf-8")
    return directory


def variations() -> list[tuple[str, int, str, str]]:
    return [(where, index, key, wrong) for index in (0, 1) for where, keys in
            (("properties", PROPERTIES), ("entry", TOP_LEVEL)) for key in keys for wrong in WRONG]


@pytest.mark.parametrize(("where", "index", "key", "wrong"), variations(),
                         ids=lambda v: str(v))
def test_load_and_validate_agree_on_any_wrong_type(
    tmp_path: Path, where: str, index: int, key: str, wrong: str
) -> None:
    """Load refuses with the entry named, or accepts an entry every writer can write.

    And ``validate`` agrees: what load refuses, validate reports for the same entry.
    """
    features = json.loads(json.dumps(BASE))
    target = features[index]["properties"] if where == "properties" else features[index]
    target[key] = WRONG[wrong]
    directory = tiny(tmp_path / "gaz", features)
    problems = entries.validate(directory)  # must not raise either
    try:
        index_ = gz.load(directory)
    except GazetteerError as exc:
        assert "\n" not in str(exc)
        assert str(directory / "places.geojson") in str(exc)
        assert problems, f"load refused what validate accepts: {exc}"
        return
    # Accepted: then it is all of the right type, and the export is strict JSON.
    out = tmp_path / "out.geojson"
    write_gazetteer_geojson(index_, out)
    json.loads(out.read_text("utf-8"), parse_constant=pytest.fail)
    for place in index_:
        assert isinstance(place.title, str) and isinstance(place.note, str)
        assert all(isinstance(member, str) for member in place.members)
        assert place.uncertainty_m is None or 0 < place.uncertainty_m < math.inf


def test_the_tiny_gazetteer_is_sound(tmp_path: Path) -> None:
    """The base of the variations above is valid, so each failure is its variation's."""
    directory = tiny(tmp_path / "gaz", BASE)
    assert entries.validate(directory) == []
    assert len(gz.load(directory)) == 2


@pytest.mark.parametrize("text", ["{{ 6*7 }}", "{% raw %}", "{#", "{{ oops"])
def test_template_syntax_in_names_and_notes_is_data_not_an_error(tmp_path: Path, text: str) -> None:
    """Braces are ordinary characters in a gazetteer; the maps escape them."""
    features = json.loads(json.dumps(BASE))
    features[1]["names"].append({"lang": "en", "toponym": f"Gate {text}"})
    features[1]["properties"]["note"] = text
    directory = tiny(tmp_path / "gaz", features)
    assert entries.validate(directory) == []
    assert gz.load(directory).resolve(f"Gate {text}", world_cities=False).place.id == "citadel"
