"""Fused events: one event however many reports tell it (reports written for the purpose)."""

from __future__ import annotations

import pytest

from geoaleppo import gazetteer as gz
from geoaleppo.fusion import CLAIM, CORROBORATED, FACT, fuse
from geoaleppo.model import EventType, Reading
from geoaleppo.reader import read_text
from geoaleppo.serialise import dumps
from geoaleppo.timeline_json import fused_event_json

ONE_CLASH_THREE_OUTLETS = [
    "Clashes in Sheikh Saeed\n2016-11-28\nSource: Reuters\n\nHeavy clashes broke out between "
    "government forces and rebels in Sheikh Saeed on Sunday, killing 25 fighters.\n",
    "Army battles terrorists\n2016-11-27\nSource: SANA\n\nThe army clashed with terrorists in "
    "Sheikh Saeed, killing dozens of them, a military source said.\n",
    "Fighting in the south-east\n2016-11-28\nSource: etilaf\n\nRebels fought government "
    "forces in Sheikh Saeed yesterday, killing at least 20 soldiers, the Syrian Observatory "
    "for Human Rights said.\n",
]


@pytest.fixture(scope="module")
def index() -> gz.Gazetteer:
    return gz.load()


def _read(texts: list[str], index: gz.Gazetteer) -> list[Reading]:
    return [read_text(text, gazetteer=index) for text in texts]


def _events(readings: list[Reading], kind: EventType | None = None):
    return [e for r in readings for e in r.events if kind is None or e.type == kind]


def test_one_clash_told_by_three_outlets_is_one_event(index: gz.Gazetteer) -> None:
    readings = _read(ONE_CLASH_THREE_OUTLETS, index)
    (clash,) = [f for f in fuse(_events(readings), index) if f.type == EventType.CLASH]
    assert clash.place is not None and clash.place.id == "sheikh-saeed"
    assert clash.date == "2016-11-27"
    assert clash.article_count == 3
    assert sorted(e.article.outlet for e in clash.reports if e.article) == [
        "Reuters", "SANA", "etilaf"]
    # The lowest figure is what ACLED codes; "dozens" is at least twelve.
    toll = clash.toll
    assert (toll.low, toll.low_is_bound, toll.low_claimant) == (12, True, "Syrian army")
    assert (toll.best, toll.best_claimant) == (20, "Syrian Observatory for Human Rights")
    assert (toll.high, toll.high_claimant) == (25, "Reuters")
    assert clash.reported_as == FACT  # Reuters reports it as its own


def test_two_clashes_in_one_district_on_one_day_stay_two(index: gz.Gazetteer) -> None:
    readings = _read([
        "Morning fighting\n2016-11-28\nSource: Reuters\n\nGovernment forces clashed with "
        "rebels in Bustan al-Basha.\n",
        "Kurdish front\n2016-11-28\nSource: Reuters\n\nKurdish fighters clashed with rebels "
        "in Bustan al-Basha.\n",
    ], index)
    clashes = [f for f in fuse(_events(readings), index) if f.type == EventType.CLASH]
    assert len(clashes) == 2
    assert all(f.article_count == 1 for f in clashes)


def test_a_strike_on_eastern_aleppo_and_one_on_a_district_in_it_are_one(
        index: gz.Gazetteer) -> None:
    readings = _read([
        "Strikes on the east\n2016-11-28\nSource: Reuters\n\nRussian warplanes carried out "
        "air strikes on eastern Aleppo.\n",
        "Strikes on Al Shaar\n2016-11-28\nSource: AFP\n\nRussian warplanes carried out air "
        "strikes on Al Shaar.\n",
    ], index)
    strikes = [f for f in fuse(_events(readings), index) if f.type == EventType.AIR_STRIKE]
    assert len(strikes) == 1
    (strike,) = strikes
    # The most precise place reported stands for the fused event.
    assert strike.place is not None and strike.place.id == "ash-shaar"
    assert strike.article_count == 2


def test_a_claim_repeated_by_an_independent_source_is_corroborated(
        index: gz.Gazetteer) -> None:
    claim = ("Strike on Hanano\n2016-11-28\nSource: SANA\n\nTerrorists shelled Hanano, "
             "a military source said.\n")
    alone = [f for f in fuse(_events(_read([claim], index)), index)
             if f.type == EventType.SHELLING]
    assert [f.reported_as for f in alone] == [CLAIM]
    repeated = _read([claim, "Shelling\n2016-11-28\nSource: AFP\n\nRebels shelled Hanano, "
                             "the Syrian Observatory for Human Rights said.\n"], index)
    both = [f for f in fuse(_events(repeated), index) if f.type == EventType.SHELLING]
    assert [f.reported_as for f in both] == [CORROBORATED]


def test_fusion_does_not_depend_on_the_order_of_reports(index: gz.Gazetteer) -> None:
    events = _events(_read(ONE_CLASH_THREE_OUTLETS, index))
    forward = dumps([fused_event_json(f) for f in fuse(events, index)])
    backward = dumps([fused_event_json(f) for f in fuse(list(reversed(events)), index)])
    assert forward == backward


def test_a_fused_event_has_the_fields_of_a_parse_event(index: gz.Gazetteer) -> None:
    from geoaleppo.serialise import event_json

    events = _events(_read(ONE_CLASH_THREE_OUTLETS, index))
    data = fused_event_json(fuse(events, index)[0])
    assert set(event_json(events[0])) <= set(data)
    assert data["reports"] == 3
    assert {s["outlet"] for s in data["sources"]} == {"Reuters", "SANA", "etilaf"}
    assert all(s["sentence"] and s["article_id"] for s in data["sources"])
