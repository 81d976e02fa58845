"""`geoaleppo timeline` as a user runs it, on a small corpus written for the tests."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from geoaleppo.cli import app

runner = CliRunner(env={"COLUMNS": "100"})

REPORTS = [
    ("Army takes Hanano", "On Saturday, government forces captured Hanano after heavy "
     "clashes with rebels, state television said.", "sana", "11/27/16"),
    ("Hanano falls", "Government forces captured Hanano on Saturday, killing at least 20 "
     "rebels, the Syrian Observatory for Human Rights said.", "reuters", "11/27/16"),
    ("Fighting in Sheikh Saeed", "Clashes raged in Sheikh Saeed between rebels and the "
     "army.", "reuters", "11/29/16"),
    ("Sheikh Saeed falls", "Government forces captured Sheikh Saeed.", "reuters", "12/4/16"),
]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    path = tmp_path / "reports.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["article_title", "article_content", "source", "date"])
        writer.writerows(REPORTS)
    return path


def test_json_has_the_fields_the_issue_fixes(corpus: Path) -> None:
    result = runner.invoke(app, ["timeline", str(corpus), "--json"])
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    places = {p["place_id"]: p for p in document["places"]}
    hanano = places["hanano"]
    assert set(hanano) >= {"place_id", "name", "lat", "lon", "intervals"}
    (interval,) = hanano["intervals"]
    assert (interval["status"], interval["start"], interval["end"]) == (
        "government-held", "2016-11-26", None)
    assert interval["claims"] and all(c["sentence"] for c in interval["claims"])
    saeed = [(i["status"], i["start"], i["end"]) for i in places["sheikh-saeed"]["intervals"]]
    assert saeed == [("contested", "2016-11-29", "2016-12-03"),
                     ("government-held", "2016-12-04", None)]
    capture = next(e for e in document["events"]
                   if e["type"] == "capture" and e["place_id"] == "hanano")
    assert capture["reports"] == 2
    assert {s["outlet"] for s in capture["sources"]} == {"sana", "reuters"}
    assert document["days"] == ["2016-11-26", "2016-11-29", "2016-12-04"]


def test_the_table_shows_changes_by_day(corpus: Path) -> None:
    result = runner.invoke(app, ["timeline", str(corpus)])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("2016-11-26  Hanano")
    assert "-> government-held" in lines[0]
    assert any(line.startswith("2016-12-04  Sheikh Sa") and "contested" in line
               for line in lines)
    assert "4 articles" in lines[-1]


def test_diff_between_two_days(corpus: Path) -> None:
    result = runner.invoke(app, ["timeline", str(corpus), "--diff", "2016-11-30",
                                 "2016-12-05"])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    assert "Sheikh Sa" in lines[0] and "contested" in lines[0]
    assert "government-held" in lines[0]


def test_from_and_to_bound_the_timeline(corpus: Path) -> None:
    result = runner.invoke(app, ["timeline", str(corpus), "--json", "--to", "2016-11-30"])
    document = json.loads(result.stdout)
    saeed = next(p for p in document["places"] if p["place_id"] == "sheikh-saeed")
    # No claim after --to is weighed: the capture of 4 December is not there.
    assert [(i["status"], i["end"]) for i in saeed["intervals"]] == [("contested", None)]
    assert all(e["date"] <= "2016-11-30" for e in document["events"])
    later = json.loads(runner.invoke(app, ["timeline", str(corpus), "--json", "--from",
                                           "2016-12-01"]).stdout)
    assert all(e["date"] >= "2016-12-01" for e in later["events"])


def test_corroborated_leaves_out_a_sides_word_alone(tmp_path: Path) -> None:
    path = tmp_path / "claims.jsonl"
    path.write_text(json.dumps({
        "title": "Army liberates Hanano", "date": "2016-11-27", "source": "sana",
        "text": "Government forces captured Hanano, the army general command said."}) + "\n",
        "utf-8")
    claimed = json.loads(runner.invoke(app, ["timeline", str(path), "--json"]).stdout)
    assert [p["intervals"][0]["claimed"] for p in claimed["places"]
            if p["place_id"] == "hanano"] == [True]
    corroborated = json.loads(runner.invoke(app, ["timeline", str(path), "--json",
                                                  "--corroborated"]).stdout)
    assert corroborated["view"] == "corroborated"
    assert not [p for p in corroborated["places"] if p["place_id"] == "hanano"]


@pytest.mark.parametrize("suffix", [".csv", ".geojson", ".gpkg"])
def test_output_files(corpus: Path, tmp_path: Path, suffix: str) -> None:
    output = tmp_path / f"timeline{suffix}"
    result = runner.invoke(app, ["timeline", str(corpus), "-o", str(output)])
    assert result.exit_code == 0, result.stderr
    assert output.stat().st_size > 0
    assert "intervals" in result.stderr
    if suffix == ".csv":
        with output.open(encoding="utf-8", newline="") as stream:
            rows = list(csv.DictReader(stream))
        assert {"place_id", "status", "start", "end", "claims"} <= set(rows[0])
    elif suffix == ".geojson":
        layers = {f["properties"]["layer"] for f in json.loads(output.read_text())["features"]}
        assert layers == {"interval", "fused_event"}


def test_a_bad_article_is_reported_and_the_rest_still_count(corpus: Path,
                                                           tmp_path: Path) -> None:
    result = runner.invoke(app, ["timeline", str(corpus), str(tmp_path / "missing.txt"),
                                 "--json"])
    assert result.exit_code == 1
    assert result.stderr.count("geoaleppo: error:") == 1
    assert json.loads(result.stdout)["articles"] == 4


def test_other_csv_layouts(tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("headline,body,when\nHanano,Government forces captured Hanano.,"
                    "2016-11-27\n", "utf-8")
    refused = runner.invoke(app, ["timeline", str(path)])
    assert refused.exit_code == 1 and "--text-column" in refused.stderr
    result = runner.invoke(app, ["timeline", str(path), "--json", "--text-column", "body",
                                 "--title-column", "headline", "--date-column", "when"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["places"][0]["place_id"] == "hanano"


def test_bad_dates_are_usage_errors(corpus: Path) -> None:
    result = runner.invoke(app, ["timeline", str(corpus), "--from", "yesterday"])
    assert result.exit_code == 2
    assert "--from" in result.stderr


def test_map_as_of_reaches_the_map(corpus: Path, tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import geoaleppo.maps

    seen = {}

    def fake_write_map(readings, gazetteer, path, **options):
        seen.update(options)
        return 0

    monkeypatch.setattr(geoaleppo.maps, "write_map", fake_write_map)
    result = runner.invoke(app, ["map", str(corpus), "-o", str(tmp_path / "m.html"),
                                 "--as-of", "2016-11-30"])
    assert result.exit_code == 0, result.stderr
    assert seen["as_of"] == "2016-11-30"
