"""Edges a user meets through the command line: odd bytes in files and names, huge
numbers, impossible output paths, and what each command prints and exits with."""

from __future__ import annotations

import csv
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
