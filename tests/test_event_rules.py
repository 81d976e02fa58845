"""Events and control claims read the way an analyst reads them, in the outlets' styles.

Sentences written for the purpose: news agency copy, Syrian state media (SANA), allied
media, opposition statements and scraped text with its punctuation gone. The property
tests put any district of Aleppo that the reader finds by its own name into the slots.
"""

from __future__ import annotations

from functools import lru_cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geoaleppo import gazetteer
from geoaleppo.model import Reading, Side
from geoaleppo.reader import read_text

HEADER = "Report from Aleppo\nMonday 05/December/2016\nBy: Test Wire\n\n"


@lru_cache(maxsize=1)
def _index() -> gazetteer.Gazetteer:
    return gazetteer.load()


def read(body: str) -> Reading:
    return read_text(HEADER + body + "\n", gazetteer=_index())


def events_of(reading: Reading) -> set[tuple[str, str]]:
    return {(e.type.value, e.place.id) for e in reading.events if e.place is not None}


def control_of(reading: Reading) -> set[tuple[str, str]]:
    return {(c.status.value, c.place.id) for c in reading.control}


@pytest.mark.parametrize("body", [
    "Government forces captured the district of al-Shaar, the army said.",
    "According to the army, troops seized al-Shaar on Sunday.",
    "A military source told SANA that army units took control of al-Shaar.",
    "the army said its units restored security to al-Shaar",  # scraped
    "Troops took full control of al-Shaar, the Syrian army said in a statement.",
])
def test_the_army_saying_so_makes_it_the_army_s_claim(body: str) -> None:
    reading = read(body)
    captures = [e for e in reading.events if e.type == "capture"]
    assert captures
    assert all(e.claimant == "Syrian army" and e.claimed for e in captures)
    assert all(c.claimant == "Syrian army" for c in reading.control)


def test_what_the_agency_saw_stays_its_fact() -> None:
    reading = read("Government forces captured al-Shaar on Sunday.")
    assert [(e.claimant, e.claimed) for e in reading.events] == [("Test Wire", False)]


@pytest.mark.parametrize("body", [
    "Government forces also took al-Sukkari on Monday.",
    "Regime forces on Sunday took al-Sukkari after heavy bombardment.",
    "The army then took al-Sukkari, state television said.",
    "Rebels quickly took al-Sukkari",
])
def test_a_side_that_takes_a_place_captures_it(body: str) -> None:
    reading = read(body)
    assert ("capture", "as-sukkari") in events_of(reading)
    assert not any(e.type == "clash" for e in reading.events)
    assert {status for status, place in control_of(reading)
            if place == "as-sukkari"} <= {"government-held", "rebel-held"}


@pytest.mark.parametrize("body", [
    "Rebels took part in talks in Geneva.",
    "The talks took place in al-Sukkari.",
    "They are trying to take back al-Sukkari.",
    "The fighters said they took orders from Ankara.",
    "A truce brokered by Russia and Turkey took effect at midnight.",
])
def test_taking_part_or_place_is_no_capture(body: str) -> None:
    assert not any(e.type == "capture" for e in read(body).events)


def test_a_capture_then_an_advance_are_two_events() -> None:
    reading = read("The army seized Bab al-Hadid and advanced towards the Umayyad Mosque.")
    assert events_of(reading) == {("capture", "bab-al-hadid"), ("advance", "umayyad-mosque")}
    control = control_of(reading)
    assert ("government-held", "bab-al-hadid") in control
    assert not any(place == "umayyad-mosque" and status == "government-held"
                   for status, place in control)


@pytest.mark.parametrize("body", [
    "The army took full control over Sheikh Saeed, to the south of the Old City.",
    "Government forces took full control over Sheikh Saeed, south of the Old City of Aleppo.",
    "Troops captured Sheikh Saeed near the Old City, a military source said.",
])
def test_a_reference_point_and_the_city_are_never_captured(body: str) -> None:
    reading = read(body)
    captured = {place for kind, place in events_of(reading) if kind == "capture"}
    assert captured == {"sheikh-saeed"}
    assert {place for status, place in control_of(reading)
            if status == "government-held"} == {"sheikh-saeed"}


@pytest.mark.parametrize(("body", "status"), [
    ("Rebels remain in control of al-Sukkari.", "rebel-held"),
    ("Rebels still hold al-Sukkari, activists said.", "rebel-held"),
    ("Al-Sukkari remains in rebel hands.", "rebel-held"),
    ("Al-Sukkari is still in the hands of the rebels.", "rebel-held"),
    ("Terrorist groups positioned in al-Sukkari fired rocket shells on al-Hamdaniyeh.",
     "rebel-held"),
    ("The army retained control of al-Sukkari.", "government-held"),
])
def test_holding_a_place_is_a_control_claim(body: str, status: str) -> None:
    assert (status, "as-sukkari") in control_of(read(body))


def test_the_target_of_fire_from_a_place_is_where_the_event_is() -> None:
    reading = read("Terrorist groups positioned in al-Sukkari fired rocket shells on "
                   "al-Hamdaniyeh, killing two civilians.")
    assert events_of(reading) == {("shelling", "al-hamdaniyeh")}
    assert ("rebel-held", "as-sukkari") in control_of(reading)


@pytest.mark.parametrize("body", [
    "Air strikes hit al-Shaar, al-Sukkari and al-Kalaseh on Monday, killing 12 people.",
    "Russian warplanes pounded the neighbourhoods of al-Shaar al-Sukkari and al-Kalaseh",
    "Terrorists fired rocket shells on al-Shaar, al-Sukkari and al-Kalaseh, SANA said.",
])
def test_a_strike_on_a_list_of_districts_is_a_strike_in_each(body: str) -> None:
    reading = read(body)
    places = {e.place.id for e in reading.events if e.place is not None}
    assert places == {"ash-shaar", "as-sukkari", "al-kallaseh"}
    counted = [e for e in reading.events if e.fatalities is not None]
    assert len(counted) <= 1  # the sentence's count is told once


@pytest.mark.parametrize("body", [
    "Rebel shelling killed seven people in government-held areas of Aleppo.",
    "Terrorists targeted al-Hamdaniyeh with rocket shells, killing three civilians.",
    "Government air strikes killed 20 civilians in rebel-held al-Shaar.",
])
def test_actor_two_of_an_attack_on_people_is_civilians(body: str) -> None:
    violent = [e for e in read(body).events if e.type in {"shelling", "air strike"}]
    assert violent
    for event in violent:
        assert len(event.actors) >= 2
        assert event.actors[0] in {Side.REBELS, Side.GOVERNMENT}
        assert event.actors[1] == Side.CIVILIANS


def test_a_held_phrase_names_no_actor() -> None:
    reading = read("Rebels shelled government-held areas of Aleppo on Monday.")
    assert all(Side.GOVERNMENT not in e.actors for e in reading.events)


@lru_cache(maxsize=1)
def _districts() -> list[tuple[str, str]]:
    """(name, id) of districts of Aleppo that the reader finds by their own title."""
    found = []
    for place in _index():
        if place.kind != "district" or place.parent != "aleppo":
            continue
        mentions = read(f"Fighting continued in {place.title} on Monday.").mentions
        if any(m.text == place.title and m.place is not None and m.place.id == place.id
               for m in mentions):
            found.append((place.title, place.id))
    return sorted(found)


_SETTINGS = settings(max_examples=30, deadline=None,
                     suppress_health_check=[HealthCheck.too_slow])


def _two_districts(data: st.DataObject) -> tuple[tuple[str, str], tuple[str, str]]:
    first = data.draw(st.sampled_from(_districts()))
    second = data.draw(st.sampled_from([d for d in _districts() if d[1] != first[1]]))
    return first, second


@_SETTINGS
@given(data=st.data())
def test_any_district_taken_is_captured_not_its_reference_point(data: st.DataObject) -> None:
    (taken, taken_id), (point, point_id) = _two_districts(data)
    style = data.draw(st.sampled_from([
        "Government forces also took {x}, to the south of {y}, the army said.",
        "The army took full control over {x}, to the south of {y}.",
        "Syrian troops seized {x} and advanced towards {y}.",
    ]))
    reading = read(style.format(x=taken, y=point))
    captured = {place for kind, place in events_of(reading) if kind == "capture"}
    assert captured == {taken_id}
    assert ("government-held", point_id) not in control_of(reading)


@_SETTINGS
@given(data=st.data())
def test_any_list_of_districts_struck_is_struck_in_each(data: st.DataObject) -> None:
    (first, first_id), (second, second_id) = _two_districts(data)
    style = data.draw(st.sampled_from([
        "Air strikes hit {x} and {y} on Monday.",
        "Terrorists fired rocket shells on {x}, {y}, SANA reported.",
        "regime helicopters dropped barrel bombs on {x} and {y}",
    ]))
    places = {e.place.id for e in read(style.format(x=first, y=second)).events
              if e.place is not None}
    assert {first_id, second_id} <= places


@_SETTINGS
@given(district=st.deferred(lambda: st.sampled_from(_districts())),
       style=st.sampled_from(["Rebels remain in control of {x}.",
                              "Rebels still hold {x}, a monitor said.",
                              "Terrorist groups positioned in {x} fired rockets."]))
def test_any_district_held_is_a_control_claim(district: tuple[str, str], style: str) -> None:
    name, place_id = district
    assert ("rebel-held", place_id) in control_of(read(style.format(x=name)))


@pytest.mark.parametrize(("body", "town", "status"), [
    ("Government shelling hit the rebel-held town of Douma outside Damascus.",
     "geonames:170592", "rebel-held"),
    ("An aid convoy on Tuesday entered the regime-besieged town of Daraya.", "geonames:170892",
     "rebel-held"),
    ("Terrorists positioned in Binnish targeted al-Fouaa with rocket shells.",
     "geonames:171451", "rebel-held"),
])
def test_a_town_named_as_held_is_claimed(body: str, town: str, status: str) -> None:
    assert (status, town) in control_of(read(body))


def test_a_city_around_its_districts_is_never_claimed() -> None:
    reading = read("Rebel-held Damascus suburbs came under fire, and government forces "
                   "captured al-Shaar in Aleppo.")
    assert {c.place.id for c in reading.control} <= {"ash-shaar"}
