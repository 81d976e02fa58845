"""World places beyond cities: first-level divisions, news abbreviations of states and
provinces, demonyms, and the ranking of same-name places by size."""

from __future__ import annotations

import pytest

from geoaleppo.gazetteer import load
from geoaleppo.reader import read_text


@pytest.mark.parametrize(("name", "country", "geonameid"), [
    ("Alberta", "CA", 5883102),
    ("Queensland", "AU", 2152274),
    ("Manitoba", "CA", 6065171),
    ("Tamil Nadu", "IN", 1255053),
    ("B.C.", "CA", 5909050),
    ("Ky.", "US", 6254925),
    ("N.Y.", "US", 5128638),
])
def test_divisions_and_their_abbreviations_resolve(name: str, country: str,
                                                   geonameid: int) -> None:
    place = load().resolve(name).place
    assert place is not None and place.kind == "region" and place.country == country
    assert f"geonames:{geonameid}" in place.links
    assert place.uncertainty_m and place.uncertainty_m >= 20_000  # a coarse point, said so


@pytest.mark.parametrize(("name", "country"), [
    ("Turkish", "TR"), ("Canadian", "CA"), ("Russians", "RU"), ("French", "FR"),
    # Each of these also shares a consonant skeleton with a place: a district, a state,
    # a region ("as-Siryan", Indiana, Gao); the demonym is the reading.
    ("Syrian", "SY"), ("Indian", "IN"), ("Georgian", "GE"),
])
def test_a_demonym_is_its_country_never_a_finer_place(name: str, country: str) -> None:
    resolution = load().resolve(name)
    assert resolution.place is not None and resolution.place.kind == "country"
    assert resolution.place.country == country and resolution.method == "demonym"


def test_a_city_keeps_a_name_its_division_shares() -> None:
    gazetteer = load()
    for name in ("Aleppo", "Raqqa", "Idlib", "Homs", "Quebec"):
        place = gazetteer.resolve(name).place
        assert place is not None and place.kind == "city", name


def test_the_larger_of_same_name_places_wins_outside_the_storys_country() -> None:
    gazetteer = load()
    asia = gazetteer.resolve("Asia").place
    ontario = gazetteer.resolve("Ontario", context_country="GB").place
    assert asia is not None and asia.id == "asia"  # the continent, not the Philippine town
    assert ontario is not None and ontario.country == "CA"
    in_california = gazetteer.resolve("Ontario", context_country="US").place
    assert in_california is not None and in_california.country == "US"


def test_a_story_about_alberta_reads_its_towns_in_canada() -> None:
    text = ("Wildfires forced thousands from their homes in Alberta on Tuesday. "
            "Officials in Edmonton said crews from British Columbia had arrived.")
    places = {m.text: m.place for m in read_text(text).mentions if m.place is not None}
    assert places["Alberta"].country == "CA"
    assert places["Edmonton"].country == "CA"
    assert places["British Columbia"].kind == "region"


@pytest.mark.parametrize(("name", "kind", "geonameid"), [
    # Countries countryinfo has no entry for come from GeoNames alone, with their
    # divisions, and their demonyms from the World Factbook.
    ("Palestinians", "country", 6254930),
    ("Palestinian", "country", 6254930),
    ("West Bank", "region", 285153),
    ("Gaza Strip", "region", 281132),
    ("Kosovo", "country", 831053),
    ("Kosovar", "country", 831053),
])
def test_a_country_only_geonames_has_resolves_with_its_divisions(
        name: str, kind: str, geonameid: int) -> None:
    place = load().resolve(name, context_country="FR").place
    assert place is not None and place.kind == kind
    assert f"geonames:{geonameid}" in place.links
    assert place.uncertainty_m and place.uncertainty_m >= 20_000


def test_a_country_from_geonames_alone_is_placed_among_its_cities_and_says_so() -> None:
    palestine = load().resolve("State of Palestine").place
    assert palestine is not None and palestine.country == "PS"
    assert "cities15000" in palestine.geometry_source
    assert 31.0 < palestine.lat < 32.6 and 34.2 < palestine.lon < 35.6  # Gaza to Jenin
