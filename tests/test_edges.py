"""Edges a user meets through the command line: odd bytes in files and names, huge
numbers, impossible output paths, and what each command prints and exits with."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from geoaleppo.cli import app

ROOT = Path(__file__).resolve().parents[1]
SEED = str(ROOT / "maps" / "aleppo-2016-12-05.txt")
runner = CliRunner(env={"COLUMNS": "100"})


def _article(tmp_path: Path, text: str | bytes, name: str = "article.txt") -> str:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return str(path)


def _one_line_error(result: Any, *fragments: str) -> str:
    """The result failed with exit 1 and exactly one ``geoaleppo: error:`` line."""
    assert result.exit_code == 1, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("geoaleppo: error: ")
    for fragment in fragments:
        assert fragment in lines[0]
    assert "Traceback" not in result.output
    return lines[0]


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


# -- CSV -----------------------------------------------------------------------------------
def test_csv_cell_with_a_bare_cr_stays_one_quoted_cell(tmp_path: Path) -> None:
    article = _article(tmp_path, 'Rebels shelled Al Shaar on Monday,\r=HYPERLINK("http://x") '
                                 "activists said.\n")
    output = tmp_path / "events.csv"
    result = runner.invoke(app, ["export", article, "--date", "2016-12-05", "-o", str(output)])
    assert result.exit_code == 0, result.stderr
    (row,) = _csv_rows(output)
    assert row["notes"].startswith("Rebels shelled Al Shaar on Monday,\r=HYPERLINK(")
    assert row["location"] == "ash-Sha'ar"
    data = output.read_bytes()
    assert b'"Rebels shelled Al Shaar on Monday,\r=HYPERLINK' in data
    assert b"\r\n" not in data
    assert len(data.split(b"\n")) == 3  # header, the row, the final newline


@pytest.mark.parametrize("sentence", ["\r=1+1 killed", "\n=1+1", "\t=1+1", " @SUM(A1)",
                                      "\r\n+2", "\t\tx", "-5 killed"])
def test_csv_formula_guard_looks_past_leading_whitespace(tmp_path: Path,
                                                          sentence: str) -> None:
    from geoaleppo.exports import write_export
    from geoaleppo.model import Article, Event, Place, Reading

    place = Place(id="ash-shaar", title="ash-Sha'ar", kind="district", precision="district",
                  lat=36.209041, lon=37.18544, country="SY")
    event = Event(type="clash", sentence=sentence, sentence_index=0, place=place,
                  date="2016-12-05", time_precision=1, geo_precision=2,
                  actors=("rebels/opposition",), claimant="Reuters")
    output = tmp_path / "events.csv"
    article = Article(title="t", published="2016-12-05", source="t.txt")
    write_export([Reading(article=article, events=(event,))], output)
    (row,) = _csv_rows(output)
    assert row["notes"] == "'" + sentence


# -- NUL bytes -----------------------------------------------------------------------------
@pytest.mark.parametrize("offset", [10, 70_000, 2_000_000])
def test_nul_byte_anywhere_makes_a_binary_file(tmp_path: Path, offset: int) -> None:
    line = b"Rebels shelled Al Shaar on Monday, activists said.\n"
    data = bytearray(line * (offset // len(line) + 2))
    data[offset] = 0
    article = _article(tmp_path, bytes(data))
    output = tmp_path / "out.geojson"
    result = runner.invoke(app, ["export", article, "-o", str(output)])
    _one_line_error(result, "binary file, not text", f"NUL byte at {offset}")
    assert not output.exists()


def test_nul_byte_on_standard_input_is_refused_too() -> None:
    text = "Rebels shelled Al Shaar on Monday, activists said.\n" * 2000 + "\x00\n"
    result = runner.invoke(app, ["parse", "-", "--json"], input=text)
    _one_line_error(result, "<stdin>: binary file")
    assert result.stdout == "[]\n"


# -- GeoPackage ----------------------------------------------------------------------------
HUGE = 99999999999999999999999


def _export(tmp_path: Path, article: str, name: str, *options: str) -> tuple[Path, Any]:
    output = tmp_path / name
    result = runner.invoke(app, ["export", article, "-o", str(output), *options])
    assert result.exit_code == 0, result.stderr
    return output, result


def test_huge_count_is_capped_in_a_geopackage_and_exact_elsewhere(tmp_path: Path) -> None:
    import pyogrio

    article = _article(tmp_path, f"Rebels shelled Al Shaar on Monday, killing {HUGE} people, "
                                 "activists said.\n")
    gpkg, result = _export(tmp_path, article, "out.gpkg", "--date", "2016-12-05")
    assert "1 capped_counts" in result.stderr
    (event,) = pyogrio.read_dataframe(gpkg, layer="events").itertuples()
    assert event.fatalities == 2**63 - 1
    assert bool(event.fatalities_lower_bound)
    geojson, result = _export(tmp_path, article, "out.geojson", "--date", "2016-12-05")
    assert "capped_counts" not in result.stderr
    features = json.loads(geojson.read_text("utf-8"))["features"]
    (properties,) = [f["properties"] for f in features if f["properties"]["layer"] == "event"]
    assert properties["fatalities"] == HUGE
    assert properties["fatalities_lower_bound"] is False
    csv_path, _result = _export(tmp_path, article, "out.csv", "--date", "2016-12-05")
    assert _csv_rows(csv_path)[0]["fatalities"] == str(HUGE)


def test_geopackage_dates_are_dates_in_a_version_gdal_36_reads(tmp_path: Path) -> None:
    import sqlite3

    import pandas as pd
    import pyogrio

    gpkg, _result = _export(tmp_path, SEED, "seed.gpkg")
    geojson, _result = _export(tmp_path, SEED, "seed.geojson")
    features = json.loads(geojson.read_text("utf-8"))["features"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for layer, fields in (("events", ("date", "date_end", "published")),
                              ("control", ("date", "published")), ("mentions", ("published",))):
            info = pyogrio.read_info(gpkg, layer=layer)
            types = dict(zip(info["fields"], info["ogr_types"], strict=True))
            assert {types[name] for name in fields} == {"OFTDate"}
            frame = pyogrio.read_dataframe(gpkg, layer=layer)
            expected = [f["properties"] for f in features
                        if f["properties"]["layer"] == layer.removesuffix("s")]
            for name in fields:
                read = [None if value is pd.NaT else value.date().isoformat()
                        for value in frame[name]]
                assert read == [properties[name] for properties in expected]
            assert frame["published"].notna().all()
    with sqlite3.connect(gpkg) as connection:
        (version,) = connection.execute("PRAGMA user_version").fetchone()
        declared = {row[1]: row[2] for row in connection.execute("PRAGMA table_info(events)")}
    connection.close()
    # GDAL 3.6 warns that 1.4 (10400, GDAL 3.7's default) "may only be partially supported".
    assert version == 10300
    assert declared["date"] == declared["published"] == "DATE"


@pytest.mark.skipif(shutil.which("ogrinfo") is None, reason="GDAL's ogrinfo is not installed")
def test_ogrinfo_reads_the_geopackage_without_a_warning(tmp_path: Path) -> None:
    gpkg, _result = _export(tmp_path, SEED, "seed.gpkg")
    run = subprocess.run(["ogrinfo", "-ro", "-so", str(gpkg), "events"], capture_output=True,
                         text=True, check=True)
    assert "Warning" not in run.stdout + run.stderr
    assert "date: Date" in run.stdout


# -- file names and output paths -----------------------------------------------------------
def _undecodable_copy(tmp_path: Path) -> tuple[str, str]:
    """The seed under a name with a 0xFF byte, as Python sees it on Linux (a surrogate)."""
    name = os.fsdecode(b"seed-\xff.txt")
    path = tmp_path / name
    path.write_bytes(Path(SEED).read_bytes())
    return str(path), "seed-\\xff.txt"


@pytest.mark.parametrize("suffix", [".geojson", ".csv", ".gpkg"])
def test_export_of_a_file_with_an_undecodable_name(tmp_path: Path, suffix: str) -> None:
    article, shown = _undecodable_copy(tmp_path)
    output = tmp_path / os.fsdecode(b"out-\xfe" + suffix.encode())
    result = runner.invoke(app, ["export", article, "-o", str(output)])
    assert result.exit_code == 0, result.stderr
    result.stderr_bytes.decode("utf-8")
    assert result.stderr.startswith(str(tmp_path) + "/out-\\xfe")
    if suffix == ".geojson":
        features = json.loads(output.read_bytes().decode("utf-8"))["features"]
        assert {f["properties"]["article_source"] for f in features} == {
            f"{tmp_path}/{shown}"}


def test_parse_json_of_a_file_with_an_undecodable_name_is_utf8(tmp_path: Path) -> None:
    article, shown = _undecodable_copy(tmp_path)
    for options in (["--json"], ["--jsonl"], []):
        result = runner.invoke(app, ["parse", article, *options])
        assert result.exit_code == 0, result.stderr
        text = result.stdout_bytes.decode("utf-8")
        assert f"{tmp_path}/{shown}" in (json.loads(text)["article"]["source"] if options
                                         else text)


def test_real_process_output_is_utf8_for_an_undecodable_name(tmp_path: Path) -> None:
    article, shown = _undecodable_copy(tmp_path)
    missing = os.fsdecode(b"gone-\xff.txt")
    run = subprocess.run([sys.executable, "-m", "geoaleppo", "parse", article, missing,
                          "--json"], capture_output=True, check=False)
    assert run.returncode == 1
    readings = json.loads(run.stdout.decode("utf-8"))
    assert readings[0]["article"]["source"].endswith(shown)
    assert run.stderr.decode("utf-8") == "geoaleppo: error: gone-\\xff.txt: no such file\n"


@pytest.mark.parametrize("command", ["map", "export"])
@pytest.mark.parametrize("where", ["{long}.{ext}", "{long}/out.{ext}"])
def test_output_name_too_long_is_one_line(tmp_path: Path, command: str, where: str) -> None:
    ext = "html" if command == "map" else "gpkg"
    output = tmp_path / where.format(long="a" * 300, ext=ext)
    result = runner.invoke(app, [command, SEED, "-o", str(output)])
    _one_line_error(result, "cannot write: File name too long")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux's /proc")
@pytest.mark.parametrize(("command", "name"), [("map", "x.html"), ("export", "x.csv"),
                                               ("export", "x.gpkg")])
def test_writing_under_proc_gives_the_real_reason(command: str, name: str) -> None:
    result = runner.invoke(app, [command, SEED, "-o", f"/proc/{name}"])
    line = _one_line_error(result, f"/proc/{name}: cannot write: ")
    assert line.endswith("/proc (a proc file system) does not take new files")


def test_geopackage_into_a_directory_with_an_undecodable_name(tmp_path: Path) -> None:
    directory = tmp_path / os.fsdecode(b"dir-\xff")
    directory.mkdir()
    result = runner.invoke(app, ["export", SEED, "-o", str(directory / "out.gpkg")])
    line = _one_line_error(result, "dir-\\xff/out.gpkg: cannot write: GDAL needs")
    line.encode("utf-8")
    assert list(directory.iterdir()) == []
