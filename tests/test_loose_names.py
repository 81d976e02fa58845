"""Districts under every spelling, in lists, and what the reader could not place (issue 11).

The sentences are written for the purpose in the styles of the outlets the reader meets:
a news agency, Syrian state media, an opposition statement and scraped copy that has
lost its hyphens, apostrophes and commas.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geoaleppo import gazetteer
from geoaleppo.gazetteer import BUNDLED
from geoaleppo.model import Reading
from geoaleppo.reader import read_text

GAZETTEER = gazetteer.load()


def read(text: str) -> Reading:
    return read_text(text, published="2016-10-01")


def places(reading: Reading) -> list[str]:
    """The places named, less those a demonym qualifies a noun with ("Syrian")."""
    return [m.place.id for m in reading.mentions
            if m.place is not None and m.role != "modifier"]


def unresolved(reading: Reading) -> list[str]:
    return [u.text for u in reading.unresolved]


# -- every spelling -------------------------------------------------------------------
@pytest.mark.parametrize(
    ("spelling", "place_id"),
    [
        ("Bustan Alqasr", "bustan-al-qaser"),  # the article fused, scraped copy
        ("Assukkari", "as-sukkari"),  # ... with the sun letter doubled
        ("AlSukkari", "as-sukkari"),
        ("Alsukkari", "as-sukkari"),
        ("AlShaar", "ash-shaar"),
        ("Salaheddine", "salah-ad-deen"),  # AFP
        ("Salahuddin", "salah-ad-deen"),
        ("Salah Eddin", "salah-ad-deen"),
        ("Salaheddin", "salah-ad-deen"),
        ("Ramouseh", "ad-ramouseh-industrial-district"),
        ("Qaterji", "karm-al-qaterji"),  # "Karm" dropped
        ("al-Qaterji", "karm-al-qaterji"),
        ("Hamdaniya", "al-hamdaniyeh"),  # endings
        ("Hamdaniyah", "al-hamdaniyeh"),
        ("Ashrafiya", "al-ashrafiyeh"),
        ("Kalasa", "al-kallaseh"),  # single consonants
        ("Sakhour", "as-sakhour"),
        ("Sakhur", "as-sakhour"),
        ("Agyul", "aghyor"),  # a UNOSAT tag for the outline its points lie in
    ],
)
def test_spelling_resolves(spelling: str, place_id: str) -> None:
    found = GAZETTEER.resolve(spelling).place
    assert found is not None and found.id == place_id


def test_a_short_form_that_is_a_kind_of_place_is_not_taken() -> None:
    # "Karm aj-Jabal" is not "Jabal" (a hill, in any name).
    assert GAZETTEER.resolve("Jabal").place is None


def unosat_spellings() -> list[tuple[str, str]]:
    """The UNOSAT tag spellings the build made names of outlines, from the committed file."""
    document = json.loads((BUNDLED / "aleppo-neighbourhoods.geojson").read_text("utf-8"))
    return sorted(
        (name["toponym"], feature["id"])
        for feature in document["features"]
        for name in feature["names"]
        if any(c["label"].startswith("csr-unosat-damage-2015:")
               for c in name.get("citations", []))
    )


def test_the_build_cites_the_unosat_tags() -> None:
    spellings = unosat_spellings()
    assert len(spellings) >= 60
    assert ("Salahaddine", "salah-ad-deen") in spellings
    # Tags whose points lie in another outline than the one they name are left out.
    assert ("Sheikh Kheder", "ash-sheikh-fares") not in spellings
    assert ("Jouret Awwad", "karm-al-myassar") not in spellings


@pytest.mark.parametrize(("spelling", "place_id"), unosat_spellings())
def test_every_unosat_spelling_resolves_to_its_outline(spelling: str, place_id: str) -> None:
    found = GAZETTEER.resolve(spelling).place
    assert found is not None
    entry = GAZETTEER.get(place_id)
    assert entry is not None
    assert place_id in {found.id, found.parent} or entry.parent == found.id


# -- a world town far from the story --------------------------------------------------
def test_castello_is_not_castello_de_la_plana_in_a_syrian_story() -> None:
    assert GAZETTEER.resolve("Castello").place is None
    reading = read("ALEPPO (Reuters) - Government forces pushed along the Castello road, "
                   "the last route into the rebel-held east, a military source said.")
    assert not any(pid.startswith("geonames:2519752") for pid in places(reading))
    assert "Castello road" in unresolved(reading)


def test_a_far_town_gives_way_to_a_district_of_the_story() -> None:
    # "Ferdous" is a town in Iran and al-Fardos in Aleppo.
    reading = read("Warplanes struck the neighbourhoods of Sukari, Ferdous and Kallaseh, "
                   "the Syrian Observatory for Human Rights said.")
    assert places(reading) == ["as-sukkari", "al-fardos", "al-kallaseh"]


def test_a_great_city_of_the_region_keeps_its_name() -> None:
    found = GAZETTEER.resolve("Beirut").place
    assert found is not None and found.country == "LB"


def test_an_arabic_word_that_starts_like_a_fused_article_stays_whole() -> None:
    found = GAZETTEER.resolve("Khan al-Assal").place
    assert found is not None and found.id == "khan-al-asal"


# -- lists ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # scraped copy: no commas, no hyphens
        ("Air strikes hit Bustan al-Qasr Kallaseh Sukkari and Fardous on Tuesday",
         ["bustan-al-qaser", "al-kallaseh", "as-sukkari", "al-fardos"]),
        ("Regime barrel bombs fell on Bustan Alqasr Kalasa Sukari and Fardous",
         ["bustan-al-qaser", "al-kallaseh", "as-sukkari", "al-fardos"]),
        # news agency
        ("ALEPPO, Syria (AP) - Fighting raged in the districts of Sukkari, Fardous and "
         "Kallaseh, activists said.", ["as-sukkari", "al-fardos", "al-kallaseh"]),
        # opposition statement
        ("The regime and its Russian allies bombed residential neighbourhoods such as Sukari "
         "and Ferdous, the Aleppo city council said.", ["as-sukkari", "al-fardos"]),
        # state media
        ("Terrorist organizations targeted areas including Hamdaniya and Salaheddine with "
         "rocket shells, SANA reported.", ["al-hamdaniyeh", "salah-ad-deen"]),
    ],
)
def test_each_name_of_a_list_is_found(text: str, expected: list[str]) -> None:
    found = [p for p in places(read(text)) if p not in {"aleppo", "syria"}]
    assert found == expected


def _resolves_to(name: str, place_id: str) -> bool:
    place = GAZETTEER.resolve(name).place
    return place is not None and place.id == place_id


DISTRICT_NAMES = sorted(
    {(name.text, place.id) for place in GAZETTEER
     if place.country == "SY" and place.kind == "district" and place.uncertainty_m is None
     for name in place.names
     if name.text.startswith(("al-", "as-", "ash-", "az-", "ad-", "an-"))
     and " " not in name.text and GAZETTEER.resolve(name.text).place is not None
     and _resolves_to(name.text, place.id)},
)


@settings(max_examples=80, deadline=None)
@given(st.sampled_from(DISTRICT_NAMES), st.sampled_from(DISTRICT_NAMES))
def test_a_district_resolve_finds_is_found_in_a_sentence(
    one: tuple[str, str], other: tuple[str, str]
) -> None:
    if one[1] == other[1]:
        return
    text = f"Rebels shelled {one[0]} and {other[0]}, state media said."
    assert places(read(text)) == [one[1], other[1]]


# -- what could not be placed ---------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "phrases"),
    [
        ("ALEPPO (Reuters) - Government forces advanced near the 1070 apartments project and "
         "along Castello Road, a military source said.",
         ["1070 apartments project", "Castello Road"]),
        ("Clashes erupted near Jisr al-Haj and Sheikh Lutfi, the Observatory said.",
         ["Jisr al-Haj", "Sheikh Lutfi"]),
        ("The army said it had taken the districts of Sheikh Lutfi, Sukkari and Ramouseh.",
         ["Sheikh Lutfi"]),
        ("rebels fought off an assault near the 1070 housing project in southwest aleppo",
         ["1070 housing project"]),
    ],
)
def test_a_place_the_gazetteer_lacks_is_unresolved_with_suggestions(
    text: str, phrases: list[str]
) -> None:
    reading = read(text)
    assert unresolved(reading) == phrases
    assert all(isinstance(u.suggestions, tuple) for u in reading.unresolved)


def test_an_unresolved_phrase_suggests_close_names() -> None:
    reading = read("Fighting in Salaheddinne and near Karm al-Tahhan.")
    assert places(reading)[:1] == ["salah-ad-deen"]
    lutfy = [u for u in reading.unresolved if u.text == "Karm al-Tahhan"]
    assert lutfy and lutfy[0].suggestions


@pytest.mark.parametrize(
    "text",
    [
        "Fighting in Aleppo, Sputnik News reported.",  # a clause, not a list
        "He grew up in Springfield, Ill., and moved.",  # a state's abbreviation
        "Groups including Hamas and Hezbollah condemned it.",  # not a list of places
    ],
)
def test_a_comma_or_including_alone_is_no_list_of_places(text: str) -> None:
    assert unresolved(read(text)) == []
