"""Maps without a browser: several articles on one map, control over time, honest shapes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from geoaleppo import gazetteer as gz
from geoaleppo.control import status_on
from geoaleppo.errors import ExportError
from geoaleppo.maps import build_map, write_map
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
    # Tooltips are escaped HTML inside JSON: ' is &#x27;, and & is written \u0026.
    assert "Sha\\u0026#x27;ar: government-held" in page


def test_online_map_uses_the_openstreetmap_basemap() -> None:
    page = build_map([read_text(LATER)], gz.load(), offline=False)
    assert "tile.openstreetmap.org" in page


def test_article_text_is_escaped_in_the_page() -> None:
    hostile = read_text('Clashes in Al Shaar "><img src=x onerror=alert(1)> on Sunday.',
                        published="2016-12-05")
    page = build_map([hostile], gz.load(), offline=False)
    assert "<img src=x" not in page
    assert not re.search(r"<script>[^<]*alert\(1\)", page)


def test_events_are_drawn_no_finer_than_they_are_known() -> None:
    from geoaleppo.maps import _event_features

    reading = read_text(
        "Rebel shelling killed seven people in Aleppo on Monday, state TV said. "
        "Clashes raged in Al Shaar. A mortar hit the Umayyad Mosque.",
        published="2016-12-05",
    )
    shapes = {
        feature["properties"]["tooltip"].split(" — ")[-1]: (
            feature["geometry"]["type"], feature["properties"].get("wide"))
        for feature in _event_features([(e, reading) for e in reading.events])
    }
    assert shapes["Aleppo"] == ("Point", True)  # the city, never its whole outline
    assert shapes["ash-Sha&#x27;ar"][0] == "Polygon"  # the district
    assert shapes["Umayyad Mosque"][0] == "Point"  # a known site


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
