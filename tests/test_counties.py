"""US counties (geoaleppo.counties): read in US stories by their state, at an honest
approximate point, and never loaded for an Aleppo story.

The stories are written for the purpose in the styles of local US papers and agency
copy; none is taken from a corpus.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from conftest import placed
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Geod

from geoaleppo import counties
from geoaleppo.gazetteer import default_directory, load
from geoaleppo.model import Place
from geoaleppo.reader import read_text
from geoaleppo.setting import Setting, resolve_in, story_country

_GEOD = Geod(ellps="WGS84")


@lru_cache(maxsize=1)
def _rows() -> list[dict[str, Any]]:
    data = json.loads((default_directory() / counties.TABLE_FILE).read_text("utf-8"))
    return [dict(zip(data["columns"], row, strict=True)) for row in data["counties"]]


def _km(place: Place, lat: float, lon: float) -> float:
    return float(_GEOD.inv(place.lon, place.lat, lon, lat)[2]) / 1000


def test_a_county_after_its_state_abbreviation_is_that_states() -> None:
    text = ("LAWRENCEVILLE, Ga. — A man was arrested in Gwinnett County, Ga., on Tuesday "
            "after a chase that began near the interstate, police said.")
    (county,) = placed(text)["Gwinnett County"]
    assert (county.country, county.admin1, county.id) == ("US", "GA", "geonames:4198645")
    # Near Lawrenceville, the county seat, and given as a coarse point, not an outline.
    assert _km(county, 33.956, -83.988) < 30
    assert county.uncertainty_m is not None and county.uncertainty_m >= 5000
    assert "approximate" in county.geometry_source


def test_a_georgia_story_reads_a_county_many_states_share_in_georgia() -> None:
    # Georgia's Henry County is one of several of that name: the story's state decides.
    text = ("ATLANTA — Henry County commissioners voted on Tuesday to raise the property "
            "tax. Officials in McDonough, Georgia, said Cobb County would vote next week.")
    places = placed(text)
    (henry,) = places["Henry County"]
    assert (henry.admin1, henry.id) == ("GA", "geonames:4200051")
    (cobb,) = places["Cobb County"]
    assert cobb.admin1 == "GA"


def test_a_story_naming_only_counties_is_set_in_the_us() -> None:
    # A local brief may name no place but its county: it is a US story all the same.
    text = ("Laurel County deputies arrested a man on Monday after a chase, the sheriff "
            "said. The man was taken to the Laurel County Detention Center.")
    mentions = read_text(text).mentions
    assert story_country(mentions, "SY", load(), text) == "US"
    assert {p.admin1 for p in placed(text)["Laurel County"]} == {"KY"}


def test_a_word_before_a_county_is_no_part_of_its_name() -> None:
    text = "In Miami-Dade County and St. Louis County, The Butler County sheriff spoke."
    assert [text[a:b] for a, b in counties.named_in(text)] == [
        "Miami-Dade County", "St. Louis County", "Butler County"]


def test_a_county_is_never_taken_from_a_bare_word_or_outside_the_us() -> None:
    assert counties.lookup("Orange", ("US.CA",)) == []  # "Orange" alone is no county
    titles = {p.title for ps in placed(
        "In Orange, Calif., juice prices rose on Tuesday, traders said.").values() for p in ps}
    assert not any(title.endswith("County") for title in titles)
    # A story set in Kenya keeps its own counties; no US table is consulted for it.
    assert resolve_in("Kwale County", Setting("KE"), load()) is None


def test_an_aleppo_story_never_loads_the_counties() -> None:
    counties._table.cache_clear()
    text = ("Rebels in Bustan al-Qasr shelled al-Sukkari overnight, state media said, "
            "while envoys met in Geneva.")
    places = placed(text)
    assert places["al-Sukkari"][0].country == "SY"
    assert counties._table.cache_info().currsize == 0


def test_the_seed_article_never_loads_the_counties() -> None:
    from pathlib import Path

    counties._table.cache_clear()
    seed = Path(__file__).resolve().parents[1] / "maps" / "aleppo-2016-12-05.txt"
    read_text(seed.read_text(encoding="utf-8"))
    assert counties._table.cache_info().currsize == 0


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0, max_value=10**6))
def test_any_county_read_in_its_state_is_that_county_near_its_towns(pick: int) -> None:
    # Every county written as a county is ("Cobb County", "Miami-Dade County"); the
    # independent cities ("City of Richmond") are read as their towns are.
    rows = [row for row in _rows() if counties.is_county_name(row["name"])]
    row = rows[pick % len(rows)]
    place = resolve_in(row["name"], Setting("US", (f"US.{row['state']}",)), load())
    assert place is not None
    assert (place.id, place.admin1, place.country) == (
        f"geonames:{row['geonameid']}", row["state"], "US")
    # The point stands among the county's towns: within the radius said to hold them.
    assert place.uncertainty_m is not None
    assert _km(place, row["lat"], row["lon"]) < 1
    assert place.uncertainty_m <= 300_000
    # The same county when the name is paired with its state instead.
    paired = resolve_in(row["name"], Setting("US"), load(), pair=f"US.{row['state']}")
    assert paired is not None and paired.id == place.id


def test_every_county_of_the_table_has_towns_and_a_point_in_the_us() -> None:
    rows = _rows()
    assert len(rows) > 3000  # of the 3,143 US second-level divisions
    for row in rows:
        assert row["towns"] >= 1 and row["uncertainty_m"] >= 5000
        # Within the bounding box of the 50 states (Alaska's Aleutians cross 180°).
        assert 18 < row["lat"] < 72 and (-180 <= row["lon"] < -66 or row["lon"] > 170)


def test_a_continents_adjective_or_union_resolves_to_the_continent() -> None:
    # As "Turkish" is Turkey: what "EU rules" or "European leaders" place is Europe.
    gazetteer = load()
    for name, continent in [("EU", "europe"), ("European Union", "europe"),
                            ("European", "europe"), ("Europeans", "europe"),
                            ("African Union", "africa"), ("Asian", "asia")]:
        place = gazetteer.resolve(name).place
        assert place is not None and place.id == continent, name
    # A country's own demonym still names the country, not its continent.
    turkish = gazetteer.resolve("Turkish").place
    assert turkish is not None and turkish.kind == "country"
    american = gazetteer.resolve("American").place
    assert american is not None and american.country == "US"
