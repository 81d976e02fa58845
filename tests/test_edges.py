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
import typer.main
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


# -- the command line's rough edges --------------------------------------------------------
def _run(*args: str, **kwargs: Any) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "geoaleppo", *args], capture_output=True,
                          env={**os.environ, "COLUMNS": "100"}, timeout=120, check=False,
                          **kwargs)


def _on_a_terminal(*args: str) -> str:
    """What the command prints when its standard output is a terminal."""
    import pty

    leader, follower = pty.openpty()
    try:
        run = subprocess.run([sys.executable, "-m", "geoaleppo", *args], stdout=follower,
                             stderr=subprocess.PIPE, env={**os.environ, "COLUMNS": "100"},
                             timeout=120, check=False)
        os.close(follower)
        follower = -1
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal is closed once it is read out
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(leader)
        if follower >= 0:
            os.close(follower)
    assert run.returncode == 0, run.stderr
    return b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


RESOLVE = ["resolve", "Al Shaar", "الشعار", "the citadel", "Damascus"]


def test_resolve_aligns_columns_on_a_terminal() -> None:
    lines = _on_a_terminal(*RESOLVE).splitlines()
    assert "\t" not in "".join(lines)
    assert [line.split("  ")[0] for line in lines] == RESOLVE[1:]
    # Every row's id starts in one column, the Arabic name padded like the others.
    assert len({line.index(place) for line, place in zip(
        lines, ["ash-shaar", "ash-shaar", "aleppo-citadel", "geonames:"], strict=True)}) == 1
    assert lines[-1].endswith("(also: geonames:4352728)")


def test_resolve_separates_columns_by_tabs_when_piped() -> None:
    run = _run(*RESOLVE)
    assert run.returncode == 0, run.stderr
    rows = [line.split("\t") for line in run.stdout.decode("utf-8").splitlines()]
    assert [row[:2] for row in rows] == [["Al Shaar", "ash-shaar"], ["الشعار", "ash-shaar"],
                                         ["the citadel", "aleppo-citadel"],
                                         ["Damascus", "geonames:170654"]]
    assert rows[0][4] == "36.209041,37.185440"


def test_a_process_prints_all_of_its_output_before_it_ends() -> None:
    # The command ends its process without the interpreter's teardown: what it printed
    # must all be flushed first, through a pipe as into a file.
    run = _run("parse", SEED, "--jsonl")
    assert run.returncode == 0, run.stderr
    assert run.stdout.decode("utf-8") == runner.invoke(app, ["parse", SEED, "--jsonl"]).stdout
    assert len(run.stdout) > 65536  # more than a pipe holds at once


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs Linux's /dev/full")
@pytest.mark.parametrize("args", [["parse", SEED, "--json"], ["parse", SEED],
                                  ["resolve", "Al Shaar"]])
def test_output_to_a_full_disk_is_one_line_and_exit_1(args: list[str]) -> None:
    with open("/dev/full", "wb") as full:  # noqa: PTH123
        run = subprocess.run([sys.executable, "-m", "geoaleppo", *args], stdout=full,
                             stderr=subprocess.PIPE, timeout=120, check=False)
    assert run.returncode == 1
    assert run.stderr.decode("utf-8") == ("geoaleppo: error: could not write the output: "
                                          "No space left on device\n")


@pytest.mark.parametrize("names", [[""], ["Al Shaar", "   "]])
def test_resolve_an_empty_name_is_an_error(names: list[str]) -> None:
    result = runner.invoke(app, ["resolve", *names])
    _one_line_error(result, f"an empty name (NAME {len(names)})")
    assert result.stdout == ""


def test_resolve_a_name_that_does_not_resolve_exits_1_after_every_line() -> None:
    result = runner.invoke(app, ["resolve", "Qwxz Zzyzx", "Al Shaar", "Xyzzy\tPlugh"])
    _one_line_error(result, "2 of 3 names did not resolve: 'Qwxz Zzyzx', 'Xyzzy\\tPlugh'")
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert rows == [["Qwxz Zzyzx", "unresolved"], rows[1], ["Xyzzy Plugh", "unresolved"]]
    assert rows[1][1] == "ash-shaar"


def test_parse_json_and_jsonl_together_is_a_usage_error() -> None:
    result = runner.invoke(app, ["parse", SEED, "--json", "--jsonl"])
    assert result.exit_code == 2
    assert result.stderr == ("geoaleppo: error: --json and --jsonl cannot be used together: "
                             "choose one\n")
    assert result.stdout == ""


def test_parse_summary_shows_control_claims_deaths_and_what_counts_mean() -> None:
    result = runner.invoke(app, ["parse", SEED])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].endswith("(published 2016-12-05)")
    assert lines[1] == ("  place names: 32 as locations, 15 standing for a government"
                        " (\"Moscow said\"), 2 in the dateline, 12 qualifying a noun, kept"
                        " off the map (British, Russian, Syrian), 0 not in the gazetteer")
    assert lines[2] == "  19 events (4 with deaths reported), 15 control claims"
    events = lines[lines.index("  events:") + 1:lines.index("  control claims:")]
    claims = lines[lines.index("  control claims:") + 1:]
    assert len(events) == 19 and len(claims) == 15
    assert any(line.endswith("per Syrian state media                   7 killed")
               for line in events)
    assert any(line.endswith("at least 300 killed") for line in events)
    assert any(line.endswith("1 killed, 2 injured") for line in events)
    assert "    2016-12-04  Aleppo Eye Hospital  government-held  per Syrian state media" in claims


def test_parse_summary_lists_names_not_in_the_gazetteer(tmp_path: Path) -> None:
    article = _article(tmp_path, "Rebels shelled Al Shaar and Bustan al-Qasr on Monday, "
                                 "activists said.\nClashes raged in Qwxzville Heights.\n")
    result = runner.invoke(app, ["parse", article, "--date", "2016-12-05"])
    assert result.exit_code == 0, result.stderr
    assert "  not in the gazetteer:" in result.stdout
    assert "    Qwxzville Heights" in result.stdout


def test_evaluate_takes_the_gazetteer_option(tmp_path: Path) -> None:
    from geoaleppo import gazetteer as gz

    corpus = tmp_path / "LGL.xml"
    corpus.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<articles><article docid="1">'
        "<feedid>1</feedid><title>t</title><domain>example.org</domain>"
        "<url>http://example.org/1</url><dltime>2016-12-05</dltime>"
        "<text><![CDATA[Fighting raged near Jandoul roundabout on Monday.]]></text>"
        '<toponyms count="1"><toponym><start>20</start><end>38</end>'
        "<phrase>Jandoul roundabout</phrase></toponym></toponyms></article></articles>\n",
        encoding="utf-8")
    mine = Path(shutil.copytree(gz.BUNDLED, tmp_path / "gaz"))
    added = runner.invoke(app, ["gazetteer", "add", "Jandoul roundabout", "--lat", "36.2365",
                                "--lon", "37.1702", "--kind", "landmark", "--parent",
                                "aleppo", "--source", "test", "--gazetteer", str(mine)])
    assert added.exit_code == 0, added.stderr

    def found(*options: str) -> int:
        result = runner.invoke(app, ["evaluate", str(corpus), "--json", *options])
        assert result.exit_code == 0, result.stderr
        return json.loads(result.stdout)["matched"]

    assert found() == 0
    assert found("--gazetteer", str(mine)) == 1
    missing = runner.invoke(app, ["evaluate", str(corpus), "--gazetteer", str(tmp_path / "no")])
    _one_line_error(missing, "no: gazetteer directory not found")


def _commands(command: Any = None, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    command = command or typer.main.get_command(app)
    found = [path]
    for name, sub in getattr(command, "commands", {}).items():
        found += _commands(sub, (*path, name))
    return found


@pytest.mark.parametrize("path", _commands(), ids=lambda path: " ".join(path) or "geoaleppo")
def test_help_has_no_markup_or_python_types_and_one_example_a_line(
        path: tuple[str, ...]) -> None:
    result = runner.invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output
    text = result.stdout
    for defect in ("``", "<str>", "<int", "<path>", "<float>", "list[", "{", "x>="):
        assert defect not in text, defect
    assert all(len(line) <= 100 for line in text.splitlines())
    block = text.split("Example")[1].split("\n\n", 2)[1]  # the lines after "Examples:"
    examples = block.splitlines()
    assert examples and all(line.startswith("    ") for line in examples)
    for line in examples:
        assert line.count("geoaleppo ") == 1 or line.startswith("        "), line
    # The command's help text (its docstring, or the group's help) ends with its examples.
    command = typer.main.get_command(app)
    for name in path:
        command = command.commands[name]
    assert (command.help or "").rstrip().endswith(examples[-1].strip())


def test_readme_says_how_to_run_the_installed_command() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    quick_start = readme.split("## Quick start")[1].split("\n## ")[0]
    assert ".venv/bin/geoaleppo" in quick_start
    assert "source .venv/bin/activate" in quick_start
    assert "aligned columns on a terminal" in readme


def test_pyproject_licence_is_an_spdx_string() -> None:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    assert project["project"]["license"] == "MIT"
    assert project["build-system"]["requires"] == ["setuptools>=77"]


def _readme_transcript(command: str) -> tuple[list[str], list[str]]:
    """The arguments of the README's ``$ geoaleppo COMMAND …`` line and the lines it shows."""
    import shlex

    readme = (ROOT / "README.md").read_text("utf-8")
    start = readme.index(f"$ geoaleppo {command} ")
    line, _newline, rest = readme[start:].partition("\n")
    shown_lines = rest.split("\n\n", 1)[0].split("\n$ ", 1)[0].splitlines()
    return shlex.split(line.split("#")[0])[3:], shown_lines


def test_readme_resolve_transcript_is_what_a_terminal_shows() -> None:
    arguments, shown_lines = _readme_transcript("resolve")
    assert _on_a_terminal("resolve", *arguments).splitlines() == shown_lines


def test_readme_parse_summary_lines_are_real() -> None:
    arguments, shown_lines = _readme_transcript("parse")
    result = runner.invoke(app, ["parse", *[str(ROOT / a) for a in arguments]])
    assert result.exit_code == 0, result.stderr
    printed = result.stdout.replace(str(ROOT) + "/", "").splitlines()
    quoted = [line for line in shown_lines if line.strip() != "…"]
    assert len(quoted) >= 6
    assert all(line in printed for line in quoted), set(quoted) - set(printed)
