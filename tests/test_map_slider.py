"""The time slider of a corpus map, used in a real browser as an analyst would.

The reports are written for the purpose in the outlets' styles: an agency report of
rebel-held eastern Aleppo and Masaken Hanano, state media on the army's capture of
Hanano a week later, and an opposition statement of clashes in al-Sakhour. Each test moves
the slider with the keyboard or the play button and then looks, hovers and clicks.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from shapely.geometry.base import BaseGeometry
from test_maps_browser import (
    _control_places,
    _open,
    _text,
    _tooltip,
    _touch,
    go_to_day,
    matches_screenshot,
)

from geoaleppo import gazetteer as gz
from geoaleppo.cartography import display_shape
from geoaleppo.maps import write_map
from geoaleppo.model import Reading
from geoaleppo.reader import read_text
from geoaleppo.timeline import Timeline, timeline

SIEGE = [
    ("Siege tightens on Aleppo\nSunday 20/November/2016\nBy: Wire Service\n\n"
     "Some 250,000 people are besieged in rebel-held eastern Aleppo. Government aircraft "
     "bombed rebel-held Masaken Hanano on Sunday, the Observatory said.\n"),
    ("Army restores security to Hanano\nSunday 27/November/2016\nBy: SANA\n\n"
     "Army units captured the Masaken Hanano district on Saturday, a military source said. "
     "Clashes raged in al-Sakhour, residents said.\n"),
    ("Statement on al-Sakhour\nMonday 28/November/2016\nBy: Opposition Media Office\n\n"
     "Rebel fighters repelled an assault on al-Sakhour on Monday, the rebels said.\n"),
]
FIRST, LAST = "2016-11-20", "2016-11-28"


@pytest.fixture(scope="module")
def siege() -> list[Reading]:
    return [read_text(text, source=f"siege-{n}.txt") for n, text in enumerate(SIEGE)]


@pytest.fixture(scope="module")
def siege_timeline(siege: list[Reading]) -> Timeline:
    return timeline(siege, gz.load())


@pytest.fixture(scope="module")
def siege_map(tmp_path_factory: pytest.TempPathFactory, assets: Path,
              siege: list[Reading]) -> Path:
    path = tmp_path_factory.mktemp("slider") / "siege.html"
    write_map(siege, gz.load(), path, offline=True)
    return path


def _shown_date(page: Any) -> str:
    return page.locator(".geoaleppo-slider-date").inner_text()


def _popup_at(page: Any, name: str, geometry: BaseGeometry) -> str:
    x, y = _touch(page, name, geometry, "geoaleppo-control")
    page.mouse.click(x, y)
    popup = _text(page, ".leaflet-popup-content")
    page.evaluate("(name) => window[name].closePopup()", name)
    page.wait_for_timeout(200)
    return popup


def test_the_map_opens_on_the_last_day_with_the_date_shown_large(page: Any,
                                                                  siege_map: Path) -> None:
    _open(page, siege_map)
    assert _shown_date(page) == "28 November 2016"
    size = page.locator(".geoaleppo-slider-date").evaluate(
        "el => parseFloat(getComputedStyle(el).fontSize)")
    assert size >= 20
    assert f"{FIRST} – {LAST}" in page.locator(".geoaleppo-slider").inner_text()
    assert "on 2016-11-28" in page.locator(".geoaleppo-legend").inner_text()
    assert page.locator(".geoaleppo-slider-play").get_attribute("aria-label") == "Play"
    slider = page.locator(".geoaleppo-slider-range")
    assert slider.get_attribute("aria-valuetext") == "28 November 2016"


@pytest.mark.parametrize("day", [FIRST, "2016-11-24", "2016-11-26", LAST])
def test_a_jump_to_a_day_shows_that_days_control_and_no_other(
        page: Any, siege_map: Path, siege: list[Reading], siege_timeline: Timeline,
        day: str) -> None:
    """Every place the history has on that day answers a click with that day's status;
    a place it does not have yet is not drawn; the legend and title name the day."""
    name = _open(page, siege_map)
    go_to_day(page, day)
    assert _shown_date(page).startswith(str(int(day[-2:])) + " November")
    assert f"on {day}" in page.locator(".geoaleppo-legend").inner_text()
    assert f"on {day}" in page.locator(".geoaleppo-title").inner_text()
    expected = {s.place.id: s for s in siege_timeline.status_on(day)}
    assert expected, day
    shapes = dict(_control_places(siege, day))
    for status in expected.values():
        popup = _popup_at(page, name, shapes[status.place.title])
        assert f"{status.place.title}: {status.status}" in popup, (day, popup[:300])
    drawn = page.locator(".leaflet-geoaleppo-control-pane path").count()
    assert drawn == len(expected)
    # al-Sakhour has a status of its own only from the clashes of the 27th; before, a
    # click there answers for eastern Aleppo around it and nothing else.
    sakhour = gz.load().get("as-sakhour")
    assert sakhour is not None
    if "as-sakhour" not in expected:
        popup = _popup_at(page, name, display_shape(sakhour))
        assert f"{sakhour.title}:" not in popup and "Eastern Aleppo: rebel-held" in popup


def test_the_besieged_pocket_shrinks_as_a_district_falls(
        page: Any, siege_map: Path) -> None:
    hanano = gz.load().get("hanano")
    assert hanano is not None
    name = _open(page, siege_map)
    go_to_day(page, FIRST)
    before = _popup_at(page, name, display_shape(hanano))
    assert "Hanano: rebel-held" in before and "Eastern Aleppo: rebel-held" in before
    go_to_day(page, "2016-11-26")
    after = _popup_at(page, name, display_shape(hanano))
    assert "Hanano: government-held" in after
    assert "Eastern Aleppo" not in after


def test_each_day_shows_only_its_own_events(page: Any, siege_map: Path,
                                            siege_timeline: Timeline) -> None:
    name = _open(page, siege_map)
    for day in (FIRST, "2016-11-23", "2016-11-26", "2016-11-27", LAST):
        go_to_day(page, day)
        symbols = page.locator(".geoaleppo-symbol")
        placed = [e for e in siege_timeline.events_on(day)
                  if e.place is not None and e.place.kind not in {"city", "country"}]
        assert (symbols.count() > 0) == bool(placed), day
        for number in range(symbols.count()):
            box = symbols.nth(number).bounding_box()
            x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
            page.mouse.move(2, 800)
            page.mouse.move(x, y)
            assert " — " in _tooltip(page, " — ")
            page.mouse.click(x, y)
            popup = _text(page, ".leaflet-popup-content")
            assert day in popup, (day, popup[:300])
            page.evaluate("(name) => window[name].closePopup()", name)


def test_play_steps_a_day_at_a_time_and_pause_stops_it(page: Any, siege_map: Path) -> None:
    _open(page, siege_map)
    go_to_day(page, FIRST)
    page.locator(".geoaleppo-slider-play").click()
    page.wait_for_function(
        "() => document.querySelector('.geoaleppo-slider-date').textContent"
        " === '21 November 2016'", timeout=5000)
    pause = page.locator(".geoaleppo-slider-play")
    assert pause.get_attribute("aria-label") == "Pause"
    pause.click()
    stopped = _shown_date(page)
    page.wait_for_timeout(1600)
    assert _shown_date(page) == stopped
    assert page.locator(".geoaleppo-slider-play").get_attribute("aria-label") == "Play"


def test_a_link_to_a_day_opens_the_map_on_it(page: Any, siege_map: Path) -> None:
    page.goto(siege_map.as_uri() + "#2016-11-22")
    page.wait_for_selector(".geoaleppo-legend")
    assert _shown_date(page) == "22 November 2016"
    go_to_day(page, "2016-11-25")
    assert re.search(r"#2016-11-25$", page.url)


def test_screenshot_matches_the_readme(page: Any, siege_map: Path, tmp_path: Path) -> None:
    """The README's time-slider picture: the day after Hanano fell, the pocket without it."""
    _open(page, siege_map)
    go_to_day(page, "2016-11-26")
    page.mouse.move(640, 5)
    page.wait_for_timeout(300)
    matches_screenshot(page, "siege-slider-2016-11-26.png", tmp_path)
