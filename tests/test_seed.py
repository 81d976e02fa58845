"""The bundled seed article read as a careful analyst reads it (tests/fixtures/*.expected.json)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from geoaleppo.control import status_on
from geoaleppo.model import Reading
from geoaleppo.reader import read_file

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "maps" / "aleppo-2016-12-05.txt"
EXPECTED = json.loads((ROOT / "tests" / "fixtures" / "aleppo-2016-12-05.expected.json")
                      .read_text("utf-8"))

# The analyst's place names and the gazetteer ids that stand for them.
PLACE_IDS = {
    "Old City of Aleppo": "old-city",
    "Eastern Aleppo (rebel-held pocket)": "eastern-aleppo",
    "Western Aleppo (government-held)": "western-aleppo",
    "Citadel of Aleppo": "aleppo-citadel",
    "Al-Shaar": "ash-shaar",
    "Aleppo Eye Hospital (Qadi Askar)": "aleppo-eye-hospital",
    "Al-Maysar": "karm-al-myassar",
    "Aleppo": "aleppo",
    "Syria": "syria",
    "Turkey": "turkey",
    "Russia": "russia",
    "Iran": "iran",
    "Lebanon": "lebanon",
    "Beirut": "geonames:276781",
    "Moscow": "geonames:524901",
    "Geneva": "geonames:2660646",
    "Damascus": "geonames:170654",
    "Washington, D.C.": "geonames:4140963",
}
SIDES = {
    "Syrian army": "Syrian government forces and allies",
    "Syrian government forces": "Syrian government forces and allies",
    "rebels": "rebels/opposition",
}
CLAIMANTS = {
    "Reuters": "Reuters",
    "Reuters journalists": "Reuters journalists",
    "rebels": "rebels",
    "Syrian Observatory for Human Rights": "Syrian Observatory for Human Rights",
    "Syrian army officer": "Syrian army",
    "state television": "Syrian state media",
    "state TV": "Syrian state media",
    "Zakaria Malahifji (rebel official)": "Zakaria Malahifji (rebel official)",
    "Moscow (Russian government)": "Russian government",
}
TYPES = {"shelling": {"shelling", "bombardment"}}


@pytest.fixture(scope="module")
def reading() -> Reading:
    return read_file(SEED)


def _line(reading: Reading, offset: int) -> int:
    return reading.article.text.count("\n", 0, offset) + 1


def test_header(reading: Reading) -> None:
    article = EXPECTED["article"]
    assert reading.article.title == article["title"]
    assert reading.article.published == article["published"]
    assert reading.article.outlet == article["outlet"]
    assert list(reading.article.dateline) == article["dateline"]


@pytest.mark.parametrize(
    "expected", EXPECTED["mentions"], ids=lambda m: f"L{m['line']}-{m['text']}-{m['role']}"
)
def test_every_mention_found_resolved_and_given_its_role(reading: Reading, expected: dict) -> None:
    found = [
        m for m in reading.mentions
        if _line(reading, m.start) == expected["line"]
        and m.place is not None and m.place.id == PLACE_IDS[expected["place"]]
        and (expected["text"].lower() in m.text.lower()
             or m.text.lower() in expected["text"].lower())
    ]
    assert found, f"no mention of {expected['place']} on line {expected['line']}"
    assert expected["role"] in {m.role for m in found}


def test_offsets_point_at_the_mention_text(reading: Reading) -> None:
    for mention in reading.mentions:
        assert reading.article.text[mention.start : mention.end] == mention.text


def test_within_a_kilometre_of_the_citadel_is_a_1km_buffer(reading: Reading) -> None:
    from pyproj import Geod

    citadel = next(m for m in reading.mentions if m.derived and m.derived.rule == "within-distance")
    assert citadel.place.id == "aleppo-citadel"
    area, _ = Geod(ellps="WGS84").geometry_area_perimeter(citadel.derived.geometry)
    # The citadel's outline grown by 1 km: more than the 3.14 km² of a 1 km circle.
    assert 3.1e6 < abs(area) < 6e6


@pytest.mark.parametrize("expected", EXPECTED["events"], ids=lambda e: f"L{e['line']}-{e['type']}")
def test_each_analyst_event_is_extracted(reading: Reading, expected: dict) -> None:
    types = TYPES.get(expected["type"], {expected["type"]})
    candidates = [
        e for e in reading.events
        if _line(reading, reading.article.text.find(e.sentence)) == expected["line"]
        and e.type in types and e.place is not None
        and e.place.id == PLACE_IDS[expected["place"]]
    ]
    assert candidates, f"no {expected['type']} at {expected['place']} on line {expected['line']}"
    event = candidates[0]
    if "date" in expected:
        assert event.date == expected["date"]
    if "date_range" in expected:
        assert [event.date, event.date_end] == expected["date_range"]
    if expected.get("actors"):
        assert SIDES[expected["actors"][0]] == event.actors[0]
        assert {SIDES[a] for a in expected["actors"]} <= set(event.actors)
    assert event.claimant == CLAIMANTS[expected["source"]]
    if expected.get("claim"):
        assert event.claimed
    fatalities = expected.get("fatalities")
    if isinstance(fatalities, int):
        assert event.fatalities == fatalities
    elif fatalities == "more than 300":
        assert (event.fatalities, event.fatalities_lower_bound) == (300, True)
    if "injured" in expected:
        assert event.injured == expected["injured"]


def test_hypothetical_and_future_sentences_report_no_event(reading: Reading) -> None:
    sentences = {e.sentence for e in reading.events}
    assert not any("would cut the remaining" in s for s in sentences)
    assert not any("will support a Syrian army operation" in s for s in sentences)


@pytest.mark.parametrize("expected", EXPECTED["control_on_2016-12-05"], ids=lambda c: c["place"])
def test_control_on_the_day(reading: Reading, expected: dict) -> None:
    statuses = {s.place.id: s for s in status_on(list(reading.control), "2016-12-05")}
    status = statuses[PLACE_IDS[expected["place"]]]
    wanted = "contested" if "contested" in expected["status"] else expected["status"]
    assert status.status == wanted
    lines = {_line(reading, reading.article.text.find(c.sentence)) for c in status.claims}
    assert lines & set(expected["lines"])


def test_golden_json_is_stable(reading: Reading) -> None:
    """The whole reading, as `parse --json` prints it, matches the reviewed golden file."""
    from geoaleppo.serialise import dumps, reading_json

    golden = ROOT / "tests" / "fixtures" / "aleppo-2016-12-05.reading.json"
    document = reading_json(reading)
    document["article"]["source"] = "maps/aleppo-2016-12-05.txt"
    text = dumps(document) + "\n"
    if os.environ.get("GEOALEPPO_UPDATE_GOLDEN"):
        # A deliberate change to the reading: rewrite, review the diff, commit.
        golden.write_text(text, "utf-8")
    assert text == golden.read_text("utf-8")
