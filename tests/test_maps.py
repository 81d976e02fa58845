"""Maps without a browser: several articles on one map, control over time, honest shapes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from geoaleppo import gazetteer as gz
from geoaleppo.assets import MAP_ASSETS
from geoaleppo.control import status_on
from geoaleppo.errors import ExportError
from geoaleppo.maps import build_map, map_document, write_map
from geoaleppo.reader import read_file, read_text

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "maps" / "aleppo-2016-12-05.txt"
LATER = (
    "Syrian army takes Al Shaar\nTuesday 06/December/2016\n\n"
    "Syrian government forces captured the Al Shaar neighbourhood on Tuesday, state TV said.\n"
)


def test_a_later_report_supersedes_earlier_fighting() -> None:
    claims = [*read_file(SEED).control, *read_text(LATER).control]
    on_fifth = {s.place.id: s.status for s in status_on(claims, "2016-12-05")}
    on_sixth = {s.place.id: s.status for s in status_on(claims, "2016-12-06")}
    assert on_fifth["ash-shaar"] == "contested"
    assert on_sixth["ash-shaar"] == "government-held"


def test_several_articles_share_one_map() -> None:
    page = build_map([read_file(SEED), read_text(LATER)], gz.load(), offline=False)
    assert "Russia to start talks with US on Aleppo rebel withdrawal" in page
    assert "Syrian army takes Al Shaar" in page
    assert "control as reported up to 2016-12-06" in page
    # Texts are escaped HTML inside script-safe JSON: ' is &#x27;.
    assert "Sha&#x27;ar: government-held" in page


def test_online_map_loads_only_what_it_uses_with_integrity_hashes() -> None:
    page = build_map([read_text(LATER)], gz.load(), offline=False)
    assert "tile.openstreetmap.org" in page
    tags = re.findall(r"<(?:script|link)\b[^>]*\b(?:src|href)=\"(https://[^\"]+)\"[^>]*>", page)
    assert sorted(tags) == sorted(url for url, _kind, _sri in MAP_ASSETS)
    for url, _kind, sri in MAP_ASSETS:
        assert re.search(rf'(?:src|href)="{re.escape(url)}" integrity="{re.escape(sri)}" '
                         'crossorigin="anonymous"', page)
    for absent in ("bootstrap", "font-awesome", "fontawesome", "jquery", "markercluster"):
        assert absent not in page.lower()


def test_article_text_is_escaped_in_the_page() -> None:
    hostile = read_text('Clashes in Al Shaar "><img src=x onerror=alert(1)> on Sunday.'
                        " </script><script>alert(2)</script>", published="2016-12-05")
    page = build_map([hostile], gz.load(), offline=False)
    assert "<img src=x" not in page
    assert "alert(2)</script>" not in page
    assert not re.search(r"<script>[^<]*alert\(", page)


def test_events_are_drawn_no_finer_than_they_are_known() -> None:
    reading = read_text(
        "Rebel shelling killed seven people in Aleppo on Monday, state TV said. "
        "Clashes raged in Al Shaar. A mortar hit the Umayyad Mosque.",
        published="2016-12-05",
    )
    document = map_document([reading], gz.load())
    symbols = {f["properties"]["tooltip"].split(" — ")[-1]: f
               for layer in document["eventLayers"] for f in layer["features"]}
    # The city-wide shelling is not drawn over the city: it is listed in the panel.
    assert "Aleppo" not in symbols
    assert [item["title"] for item in document["unplaced"]] == [
        "shelling — Aleppo, 2016-12-05"]
    # A district's event is a symbol at its point with the outline for hover...
    shaar = symbols["ash-Sha&#x27;ar"]
    assert shaar["geometry"]["type"] == "Point"
    assert shaar["properties"]["outline"]["type"] in {"Polygon", "MultiPolygon"}
    # ...and a site's is a symbol on the site, with no outline to show.
    assert symbols["Umayyad Mosque"]["properties"]["outline"] is None


def test_popups_say_numbers_plurals_and_articles_as_a_reader_would() -> None:
    reading = read_text(
        "Fighting in Aleppo\nMonday 05/December/2016\nBy: Wire Service\n\n"
        "Shelling of Al Shaar killed at least 21 people on Sunday, medics said. "
        "More than 30 were killed in air strikes on Karm al-Myassar.\n",
    )
    document = map_document([reading], gz.load())
    popups = " ".join(f["properties"]["popup"] for layer in document["eventLayers"]
                      for f in layer["features"])
    assert "at least 21" in popups
    assert "more than 30" in popups
    assert "Wire Service, “Fighting in Aleppo”, 2016-12-05" in popups
    places = " ".join(f["properties"]["tooltip"] for f in document["places"])
    assert "(1 mention)" in places
    assert "mentions)" not in places.replace("(2 mentions)", "")  # plurals only for 2+


def test_the_eastern_aleppo_note_says_one_thing() -> None:
    document = map_document([read_file(SEED)], gz.load())
    east = next(f for f in document["control"] if "Eastern Aleppo" in f["properties"]["place"])
    section = east["properties"]["section"]
    assert "Drawn as it stood on 2016-12-05" in section
    assert "before the offensive" not in section
    assert "members_on" not in section


def test_bad_output_paths(tmp_path: Path) -> None:
    reading = read_text(LATER)
    with pytest.raises(ExportError, match="html"):
        write_map([reading], gz.load(), tmp_path / "map.png")
    with pytest.raises(ExportError, match="does not exist"):
        write_map([reading], gz.load(), tmp_path / "missing" / "map.html")
    assert list(tmp_path.iterdir()) == []


def test_the_rebel_pocket_is_drawn_as_it_stood_on_the_day() -> None:
    from shapely.geometry import Point

    from geoaleppo.maps import _area_extent

    index = gz.load()
    east = index.get("eastern-aleppo")
    before, _ = _area_extent(east, "2016-11-20", index)
    on_fifth, note = _area_extent(east, "2016-12-05", index)
    hanano, shaar = index.get("hanano"), index.get("ash-shaar")
    assert before.contains(Point(hanano.point()))  # rebel-held until 26 November
    assert not on_fifth.contains(Point(hanano.point()))
    assert on_fifth.contains(Point(shaar.point()))
    assert "2016-12-05" in note
