"""The map and export commands as a user runs them: outputs, bad input, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from geoaleppo.cli import app
from geoaleppo.reader import read_file

ROOT = Path(__file__).resolve().parents[1]
SEED = str(ROOT / "maps" / "aleppo-2016-12-05.txt")
runner = CliRunner(env={"COLUMNS": "100"})


@pytest.mark.parametrize("suffix", [".geojson", ".csv", ".gpkg"])
def test_export_writes_each_format(tmp_path: Path, suffix: str) -> None:
    output = tmp_path / f"seed{suffix}"
    result = runner.invoke(app, ["export", SEED, "-o", str(output)])
    assert result.exit_code == 0, result.stderr
    assert output.stat().st_size > 0
    events = len(read_file(Path(SEED)).events)
    assert f"{events} events" in result.stderr


def test_export_geojson_carries_provenance(tmp_path: Path) -> None:
    output = tmp_path / "seed.geojson"
    runner.invoke(app, ["export", SEED, "-o", str(output)])
    features = json.loads(output.read_text("utf-8"))["features"]
    event = next(f for f in features if f["properties"]["layer"] == "event")
    assert event["properties"]["sentence"]
    assert event["properties"]["claimant"]
    assert event["properties"]["article"].startswith("Russia to start talks")


def test_map_from_stdin(tmp_path: Path) -> None:
    output = tmp_path / "map.html"
    result = runner.invoke(app, ["map", "-", "-o", str(output), "--date", "2016-11-28"],
                           input="Clashes raged in Sakhour on Sunday, state TV said.\n")
    assert result.exit_code == 0, result.stderr
    assert "as-Sakhour" in output.read_text("utf-8")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["export", SEED, "-o", "{tmp}/out.txt"], "unknown export extension"),
        (["export", SEED, "-o", "{tmp}/missing/out.csv"], "does not exist"),
        (["map", SEED, "-o", "{tmp}/missing/map.html"], "does not exist"),
        (["map", SEED, "-o", "{tmp}/map.png"], ".html"),
        (["map", "{tmp}/no-such-article.txt", "-o", "{tmp}/map.html"], "no such file"),
        (["export", "{tmp}/no-such-article.txt", "-o", "{tmp}/out.csv"], "no such file"),
    ],
)
def test_bad_input_is_one_line_and_leaves_nothing(
    tmp_path: Path, arguments: list[str], message: str
) -> None:
    result = runner.invoke(app, [a.format(tmp=tmp_path) for a in arguments])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("geoaleppo: error:")
    assert message in lines[0]
    assert list(tmp_path.iterdir()) == []
