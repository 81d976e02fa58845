"""The time slider's document: when a map gets one, what it holds, and how big it grows."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from test_map_slider import SIEGE

from geoaleppo import gazetteer as gz
from geoaleppo.maps import _script_json, build_map, map_document
from geoaleppo.model import Article, ClaimBasis, ControlClaim, ControlStatus, Reading
from geoaleppo.reader import read_file, read_text
from geoaleppo.timeline import timeline

SEED = Path(__file__).resolve().parents[1] / "maps" / "aleppo-2016-12-05.txt"


def _siege() -> list[Reading]:
    return [read_text(text, source=f"siege-{n}.txt") for n, text in enumerate(SIEGE)]


def test_one_report_is_a_map_of_its_day_and_asks_for_a_slider_to_get_one() -> None:
    seed = read_file(SEED)
    assert "timeline" not in map_document([seed], gz.load())
    forced = map_document([seed], gz.load(), slider=True)
    assert forced["timeline"]["first"] <= "2016-12-05" == forced["timeline"]["last"]
    assert "timeline" not in map_document(_siege(), gz.load(), slider=False)


def test_reports_of_several_days_hold_each_place_once_with_its_intervals() -> None:
    readings, index = _siege(), gz.load()
    days = map_document(readings, index)["timeline"]
    built = timeline(readings, index)
    ids = [p["id"] for p in days["places"]]
    assert sorted(ids) == sorted(p.place.id for p in built.history.places)  # each once
    hanano = next(p for p in days["places"] if p["id"] == "hanano")
    assert [(i["status"], i["start"], i["end"]) for i in hanano["intervals"]] == [
        ("rebel-held", "2016-11-20", "2016-11-25"), ("government-held", "2016-11-26", None)]
    # Eastern Aleppo is its districts, day by day: Hanano leaves it when it falls.
    east = next(p for p in days["places"] if p["id"] == "eastern-aleppo")
    holding = [e for e in east["extents"] if "hanano" in e["members"]]
    assert holding and all(e["end"] is not None and e["end"] < "2016-11-26" for e in holding)
    assert any("hanano" not in e["members"] and e["start"] == "2016-11-26"
               for e in east["extents"])
    # Symbols carry the days they stand for, and each outline is in the page once.
    symbols = [f for layer in days["eventLayers"].values() for f in layer]
    assert {f["properties"]["start"] for f in symbols} >= {"2016-11-20", "2016-11-26"}
    assert all(isinstance(f["properties"]["outline"], str | None) for f in symbols)


def test_the_order_of_the_reports_does_not_change_the_page() -> None:
    readings, index = _siege(), gz.load()
    forward = build_map(readings, index, offline=False)
    assert build_map(list(reversed(readings)), index, offline=False) == forward
    assert build_map(readings, index, offline=False) == forward


def test_a_year_of_150_places_stays_near_a_megabyte() -> None:
    """Every place changes hands each month for a year: the page grows with the changes,
    not with the days drawn."""
    index = gz.load()
    places = [p for p in index if p.kind in {"district", "landmark"}][:150]
    assert len(places) == 150
    readings = []
    start = dt.date(2016, 1, 1)
    for month in range(12):
        day = (start + dt.timedelta(days=30 * month)).isoformat()
        status = ControlStatus.GOVERNMENT if month % 2 else ControlStatus.REBELS
        article = Article(title=f"Monthly report {month}", published=day,
                          outlet="Wire Service", id=f"month-{month}")
        claims = tuple(ControlClaim(
            status=status, place=place, date=day, claimant="Wire Service",
            sentence=f"Government forces and rebels fought for {place.title} through the "
                     "night before one side took the district, residents said.",
            sentence_index=n, article=article, basis=ClaimBasis.CAPTURE)
            for n, place in enumerate(places))
        readings.append(Reading(article=article, control=claims))
    document = map_document(readings, index)
    days = document["timeline"]
    assert days["first"] == "2016-01-01" and days["last"] >= "2016-11-26"
    assert sum(len(p["intervals"]) for p in days["places"]) == 150 * 12
    size = len(_script_json(document).encode("utf-8"))
    assert size < 1_500_000, size


def test_the_slider_opens_on_the_day_asked_within_its_span() -> None:
    readings, index = _siege(), gz.load()
    assert map_document(readings, index, as_of="2016-11-24")["timeline"]["day"] == "2016-11-24"
    assert map_document(readings, index, as_of="2016-01-01")["timeline"]["day"] == "2016-11-20"
    data = json.loads(_script_json(map_document(readings, index)))
    assert data["timeline"]["day"] == "2016-11-28"


def _page_data(path: Path) -> dict:
    page = path.read_text("utf-8")
    start = page.index('<script type="application/json" id="geoaleppo-data">')
    body = page[page.index(">", start) + 1:page.index("</script>", start)]
    return json.loads(body)


def test_map_of_a_corpus_file_gets_a_slider_and_no_slider_turns_it_off(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from geoaleppo.cli import app

    corpus = tmp_path / "reports.csv"
    corpus.write_text(
        "headline,body,day,outlet\n"
        '"Rebels hold Hanano","Rebels remain in control of Masaken Hanano, activists said.",'
        "11/20/16,Wire\n"
        '"Army takes Hanano","Army units captured Masaken Hanano on Saturday, a military '
        'source said.",11/27/16,SANA\n', "utf-8")
    columns = ["--text-column", "body", "--title-column", "headline", "--date-column", "day",
               "--source-column", "outlet"]
    runner = CliRunner()
    result = runner.invoke(app, ["map", str(corpus), *columns, "-o", str(tmp_path / "a.html")])
    assert result.exit_code == 0, result.output
    assert "1 event" in result.output and "1 events" not in result.output
    days = _page_data(tmp_path / "a.html")["timeline"]
    assert (days["first"], days["last"]) == ("2016-11-20", "2016-11-27")
    hanano = next(p for p in days["places"] if p["id"] == "hanano")
    assert [i["status"] for i in hanano["intervals"]] == ["rebel-held", "government-held"]
    result = runner.invoke(app, ["map", str(corpus), *columns, "--no-slider",
                                 "-o", str(tmp_path / "b.html")])
    assert result.exit_code == 0, result.output
    assert "timeline" not in _page_data(tmp_path / "b.html")
