"""Places as actors: a government named by its country or capital, in the outlets' styles.

Each sentence is written for the purpose, in the manner of a news agency, Syrian state
media, allied media, an opposition statement or scraped text. The property tests put any
country or capital the gazetteer knows into the same slots.
"""

from __future__ import annotations

from functools import lru_cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geoaleppo import gazetteer
from geoaleppo.reader import read_text
from geoaleppo.roles import can_be_actor


@lru_cache(maxsize=1)
def _index() -> gazetteer.Gazetteer:
    return gazetteer.load()


def roles_of(text: str) -> dict[str, str]:
    """Each mention's text and role (the last, where a name comes twice)."""
    return {m.text: m.role for m in read_text(text, gazetteer=_index()).mentions}


@pytest.mark.parametrize(("text", "actors"), [
    # news agency: coordinated subjects, passive agents, objects of accusing and warning
    ("Ankara and Tehran say the truce in Syria is holding.", {"Ankara", "Tehran"}),
    ("A nationwide truce declared by Moscow and Ankara took effect at midnight.",
     {"Moscow", "Ankara"}),
    ("Damascus has accused Ankara of sending fighters across the border.",
     {"Damascus", "Ankara"}),
    ("Washington warned Moscow on Tuesday that it would suspend talks.",
     {"Washington", "Moscow"}),
    ("Lavrov said he would hold talks with Tehran next week.", {"Tehran"}),
    ("Government forces backed by ally Russia have waged an assault since September.",
     {"Russia"}),
    ("The strikes came after Russia and the Syrian regime rejected a US plea.",
     {"Russia", "US"}),
    ("Assad told AP that Russia was not behind the attack on the convoy.", {"Russia"}),
    # opposition statement
    ("The Syrian Coalition said that Russia has lost its credibility as a sponsor of talks.",
     {"Russia"}),
    ("Every time Russia declares a truce, its jets return to the skies of Aleppo.",
     {"Russia"}),
    ("The presence of Fatah al-Sham is a pretext for Russia to carpet bomb civilian areas.",
     {"Russia"}),
    # allied media and state media
    ("Moscow urged Washington to rein in the militants it backs.", {"Moscow", "Washington"}),
    ("Tehran, which has sent advisers to Syria, rejected the accusation.", {"Tehran"}),
    ("The United States imposed new sanctions against Iran on Friday.", {"United States",
                                                                        "Iran"}),
    ("Along with Russia, Iran backs Assad's government.", {"Iran"}),
    ("Israel, still technically at war with Damascus, said it believed the report.",
     {"Israel", "Damascus"}),
    # scraped text, no punctuation
    ("Russia and Turkey agreed a ceasefire Beijing welcomed the deal", {"Russia", "Turkey",
                                                                      "Beijing"}),
])
def test_governments_act(text: str, actors: set[str]) -> None:
    roles = roles_of(text)
    assert {name for name, role in roles.items() if role == "actor"} >= actors


@pytest.mark.parametrize(("text", "places"), [
    ("Additional reporting by John Davison in Damascus; editing by Peter Graff.",
     {"Damascus"}),
    ("The war in Syria has killed more than 300,000 people since 2011.", {"Syria"}),
    ("Syria has been locked in a civil war since early 2011.", {"Syria"}),
    ("Aleppo is Syria's second city.", {"Syria"}),
    ("People in Russia say they are tired of the war.", {"Russia"}),
    ("The embassy in Moscow said nothing.", {"Moscow"}),
    ("Families fled to Turkey and Lebanon, where aid groups say camps are full.",
     {"Turkey", "Lebanon"}),
    ("He has relatives in countries such as Germany or Sweden, who believe he will return.",
     {"Germany", "Sweden"}),
    ("Tariffs hit imports from China, and China quickly retaliated.", set()),
    ("ISIL kills over 50 in central Syria attack", {"Syria"}),
    ("The Observatory monitors the conflict from Britain.", {"Britain"}),
])
def test_places_stay_places(text: str, places: set[str]) -> None:
    roles = roles_of(text)
    assert {name for name, role in roles.items() if role == "location"} >= places


def test_a_list_after_a_preposition_stays_a_list_of_places() -> None:
    roles = [m.role for m in read_text("Tariffs hit imports from China, and China "
                                       "quickly retaliated.", gazetteer=_index()).mentions]
    assert roles == ["location", "actor"]


@pytest.mark.parametrize(("text", "seat", "country"), [
    ("The White House said on Monday that it was studying the proposal.", "White House",
     "united-states"),
    ("Kremlin spokesman Dmitry Peskov told reporters the talks would go on.", "Kremlin",
     "russia"),
    ("Downing Street warned Moscow against further strikes on Aleppo.", "Downing Street",
     "united-kingdom"),
    ("The Pentagon says its aircraft struck a convoy near Raqqa.", "Pentagon",
     "united-states"),
    ("The Élysée said France would call a meeting of the Security Council.", "Élysée",
     "france"),
])
def test_a_seat_of_government_that_speaks_is_its_country(text: str, seat: str,
                                                          country: str) -> None:
    reading = read_text(text, gazetteer=_index())
    found = [m for m in reading.mentions if m.text == seat]
    assert len(found) == 1
    assert found[0].role == "actor"
    assert found[0].place is not None and found[0].place.id == country


def test_a_seat_of_government_as_a_place_is_not_another_place() -> None:
    # GeoNames' "White House" is Casablanca (Dar el Beida); "Whitehall" a town in Ohio.
    for text in ("Protesters gathered outside the White House on Sunday.",
                 "He worked in Whitehall for twenty years."):
        places = {m.place.id for m in read_text(text, gazetteer=_index()).mentions
                  if m.place is not None}
        assert not places & {"geonames:2553604", "geonames:4528291"}


@lru_cache(maxsize=1)
def _governments() -> list[str]:
    """Country and capital names that a report reads as themselves after "in"."""
    names = []
    for place in _index():
        if place.kind != "country":
            continue
        name = place.title
        found = read_text(f"Fighting continued in {name}.", gazetteer=_index()).mentions
        if len(found) == 1 and found[0].text == name and can_be_actor(found[0].place):
            names.append(name)
    return sorted(names)


_SETTINGS = settings(max_examples=40, deadline=None,
                     suppress_health_check=[HealthCheck.too_slow])


@_SETTINGS
@given(data=st.data())
def test_any_government_in_an_actor_slot_acts(data: st.DataObject) -> None:
    first = data.draw(st.sampled_from(_governments()))
    second = data.draw(st.sampled_from([n for n in _governments() if n != first]))
    slot = data.draw(st.sampled_from([
        "{a} and {b} say the ceasefire must hold.",
        "A truce brokered by {a} and {b} collapsed on Monday.",
        "Officials in Beirut said {a} had accused {b} of arming the rebels.",
        "{a} warned {b} that it would respond.",
        "Talks between {a} and {b} ended without a deal.",
    ]))
    roles = roles_of(slot.format(a=first, b=second))
    assert roles.get(first) == "actor"
    assert roles.get(second) == "actor"


@_SETTINGS
@given(name=st.deferred(lambda: st.sampled_from(_governments())),
       slot=st.sampled_from([
           "Shelling continued in {a} on Monday, monitors said.",
           "Refugees crossed into {a} overnight.",
           "Reuters reporter Ellen Francis in {a} contributed to this report.",
           "The war in {a} has displaced millions.",
       ]))
def test_any_government_after_a_preposition_of_place_is_a_place(name: str, slot: str) -> None:
    assert roles_of(slot.format(a=name)).get(name) == "location"
