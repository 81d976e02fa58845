"""Maps in a real browser (Debian chromium, network cut), used as a person would use them.

Points to click and hover are found from the geometry, as a person finds a district by
looking at it: a point inside each outline, away from whatever covers it (a symbol, a
label, a box), clicked or hovered with the mouse.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest
from conftest import VIEWPORT
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union

from geoaleppo import gazetteer as gz
from geoaleppo.cartography import display_shape
from geoaleppo.control import status_on
from geoaleppo.history import SIDE_AREAS
from geoaleppo.maps import CONTEXT_LAYER, EVENT_LAYERS, _area_extent, _neighbourhoods, write_map
from geoaleppo.model import Reading
from geoaleppo.reader import read_file, read_text
from geoaleppo.timeline import timeline

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "maps" / "aleppo-2016-12-05.txt"
LAYERS = [CONTEXT_LAYER, "Control", *(name for name, *_rest in EVENT_LAYERS),
          "Places mentioned", "Derived areas", "Labels"]

# Three reports written for the purpose: control changing over three days, a district
# inside the Old City, the eye hospital standing in Qadi Askar, a site inside the Old City.
REPORTS = [
    ("Army takes eye hospital\nSaturday 03/December/2016\nBy: Wire Service\n\n"
     "Syrian government forces captured the Eye Hospital and Karm al-Myassar on Saturday, "
     "state TV said. Fierce clashes raged in the Old City, rebels said.\n"),
    ("Army restores security to Al Shaar\nMonday 05/December/2016\nBy: SANA\n\n"
     "Army units restored security to Al Shaar neighbourhood on Monday. Terrorists shelled "
     "al-Aqabeh in the Old City, killing at least 5 civilians, SANA said. Clashes raged in "
     "al-Aqabeh on Monday.\n"),
    ("Rebels hold Bustan al-Qasr\nTuesday 06/December/2016\nBy: Opposition Media Office\n\n"
     "Rebels remain in control of Bustan al-Qasr after they repelled an attack on Tuesday. "
     "A mortar hit the Umayyad Mosque in the Old City, the rebels said.\n"),
]


@pytest.fixture(scope="module")
def seed_reading() -> Reading:
    return read_file(SEED)


@pytest.fixture(scope="module")
def seed_map(tmp_path_factory: pytest.TempPathFactory, assets: Path, seed_reading: Reading
             ) -> Path:
    path = tmp_path_factory.mktemp("map") / "seed.html"
    write_map([seed_reading], gz.load(), path, offline=True)
    return path


@pytest.fixture(scope="module")
def reports() -> list[Reading]:
    return [read_text(text, source=f"report-{n}.txt") for n, text in enumerate(REPORTS)]


@pytest.fixture(scope="module")
def reports_map(tmp_path_factory: pytest.TempPathFactory, assets: Path,
                reports: list[Reading]) -> Path:
    path = tmp_path_factory.mktemp("map") / "reports.html"
    write_map(reports, gz.load(), path, offline=True)
    return path


def _open(page: Any, path: Path) -> str:
    page.goto(path.as_uri())
    page.wait_for_selector(".geoaleppo-legend")
    return page.evaluate(
        "Object.keys(window).find(k => k.startsWith('map_') && window[k] instanceof L.Map)")


# Moves the view and waits until the map has been drawn there (two animation frames).
_MOVE = """([name, how, args]) => new Promise(done => {
  const m = window[name];
  if (how === 'fit') m.fitBounds(args[0], {maxZoom: args[1], animate: false, padding: [80, 80]});
  else m.setView(args[0], args[1], {animate: false});
  requestAnimationFrame(() => requestAnimationFrame(() => done(true)));
})"""


def _look_at(page: Any, name: str, geometry: BaseGeometry, max_zoom: int = 16) -> None:
    west, south, east, north = geometry.bounds
    page.evaluate(_MOVE, [name, "fit", [[[south, west], [north, east]], max_zoom]])


def _set_view(page: Any, name: str, lat: float, lon: float, zoom: float) -> None:
    page.evaluate(_MOVE, [name, "view", [[lat, lon], zoom]])


def _inside_points(geometry: BaseGeometry, steps: int = 14) -> list[Point]:
    """Points inside the outline, the most central first."""
    west, south, east, north = geometry.bounds
    centre = geometry.representative_point()
    grid = [Point(west + (east - west) * (i + 0.5) / steps,
                  south + (north - south) * (j + 0.5) / steps)
            for i in range(steps) for j in range(steps)]
    inner = geometry.buffer(-1e-5)
    inside = [p for p in grid if inner.contains(p)]
    return [centre, *sorted(inside, key=centre.distance)]


_FIRST_REACHABLE = """([name, points, panes]) => {
  const m = window[name], r = m.getContainer().getBoundingClientRect();
  for (const [lat, lon] of points) {
    const p = m.latLngToContainerPoint([lat, lon]), x = p.x + r.left, y = p.y + r.top;
    if (x < r.left + 2 || y < r.top + 2 || x > r.right - 2 || y > r.bottom - 2) continue;
    const e = document.elementFromPoint(x, y);
    if (!e || e.closest('.leaflet-control')) continue;
    const pane = e.closest('.leaflet-pane');
    if (pane && panes.some(w => pane.classList.contains('leaflet-' + w + '-pane'))) {
      return [x, y];
    }
  }
  return null;
}"""


def _touch(page: Any, name: str, geometry: BaseGeometry, *panes: str) -> tuple[float, float]:
    """A pixel inside ``geometry`` where a shape of one of ``panes`` is what the pointer
    meets (not a symbol, a label or a box over it)."""
    _look_at(page, name, geometry)
    points = [[p.y, p.x] for p in _inside_points(geometry)]
    found = page.evaluate(_FIRST_REACHABLE, [name, points, list(panes)])
    assert found, f"no pixel of {panes} inside the outline"
    return found[0], found[1]


def _text(page: Any, selector: str) -> str:
    return page.eval_on_selector_all(selector, "els => els.map(e => e.textContent).join(' ')")


def _tooltip(page: Any, containing: str = "") -> str:
    """The newest tooltip's text that has ``containing`` (an old one may be fading out)."""
    return page.eval_on_selector_all(
        ".leaflet-tooltip",
        "(els, part) => { const t = els.map(e => e.textContent).filter(t => t.includes(part));"
        " return t.length ? t[t.length - 1] : ''; }", containing)


def _control_places(readings: list[Reading], day: str | None = None
                    ) -> list[tuple[str, BaseGeometry]]:
    """What holds control on ``day`` (default: the latest article's), and its shape."""
    index = gz.load()
    if day is None:
        day = max(r.article.published for r in readings if r.article.published)
        claims = [c for r in readings for c in r.control]
        return [(status.place.title, _area_extent(status.place, day, index)[0])
                for status in status_on(claims, day)]
    built = timeline(readings, index)
    shapes = []
    for status in built.status_on(day):
        place = status.place
        if place.id in SIDE_AREAS:
            members = [index.get(m) for m in built.area_members_on(place, day, index)]
            shapes.append((place.title, unary_union(
                [display_shape(m) for m in members if m is not None])))
        else:
            shapes.append((place.title, display_shape(place)))
    return shapes


def go_to_day(page: Any, day: str) -> None:
    """Move the time slider to ``day`` as a person would with the keyboard: Home, then
    one arrow press a day."""
    first = page.locator(".geoaleppo-slider-ends").inner_text().split(" ")[0]
    steps = (dt.date.fromisoformat(day) - dt.date.fromisoformat(first)).days
    page.locator(".geoaleppo-slider-range").focus()
    page.keyboard.press("Home")
    for _step in range(steps):
        page.keyboard.press("ArrowRight")


def _click_every_controlled_place(page: Any, name: str, readings: list[Reading],
                                  day: str | None = None) -> int:
    clicked = 0
    for title, geometry in _control_places(readings, day):
        x, y = _touch(page, name, geometry, "geoaleppo-control")
        page.mouse.click(x, y)
        popup = _text(page, ".leaflet-popup-content")
        assert title in popup, (title, popup[:200])
        page.evaluate("(name) => window[name].closePopup()", name)
        page.wait_for_timeout(300)  # the popup may have panned the map: let it settle
        clicked += 1
    return clicked


def _click_every_symbol(page: Any, name: str) -> int:
    count = page.locator(".geoaleppo-symbol").count()
    assert count > 0
    for number in range(count):
        symbol = page.locator(".geoaleppo-symbol").nth(number)
        for _attempt in range(4):
            box_ = symbol.bounding_box()
            x, y = box_["x"] + box_["width"] / 2, box_["y"] + box_["height"] / 2
            on_it = page.evaluate(
                "([x, y, n]) => document.elementFromPoint(x, y)?.closest('.geoaleppo-symbol')"
                " === document.querySelectorAll('.geoaleppo-symbol')[n]", [x, y, number])
            if on_it:
                break
            # Covered by a neighbour, or out of view: come closer, as a person would.
            lat, lon, zoom = page.evaluate(
                "([name, x, y]) => { const m = window[name];"
                " const r = m.getContainer().getBoundingClientRect();"
                " const at = m.containerPointToLatLng([x - r.left, y - r.top]);"
                " return [at.lat, at.lng, m.getZoom() + 1]; }", [name, x, y])
            _set_view(page, name, lat, lon, zoom)
        else:
            raise AssertionError(f"event symbol {number} cannot be reached")
        page.mouse.move(2, VIEWPORT["height"] - 40)  # away first, so arriving is a hover
        page.mouse.move(x, y)
        tooltip = _tooltip(page, " — ")
        page.mouse.click(x, y)
        popup = _text(page, ".leaflet-popup-content")
        where = tooltip.rsplit(" — ", 1)[-1].strip()
        assert where and where in popup, (tooltip, popup[:200])
        page.evaluate("(name) => window[name].closePopup()", name)
        page.wait_for_timeout(300)  # the popup may have panned the map: let it settle
    return count


def _hover_every_neighbourhood(page: Any, name: str) -> int:
    hovered = 0
    for place in _neighbourhoods(gz.load()):
        assert place.geometry is not None
        x, y = _touch(page, name, place.geometry, "geoaleppo-context", "geoaleppo-control")
        page.mouse.move(x, y)
        page.mouse.move(x + 1, y)  # a sticky tooltip follows the pointer
        assert place.title in _tooltip(page), place.title
        hovered += 1
    return hovered


# -- the seed map ----------------------------------------------------------------------
def test_seed_map_renders_offline_with_every_layer(page: Any, seed_map: Path) -> None:
    assert _open(page, seed_map)
    labels = page.eval_on_selector_all(".leaflet-control-layers label",
                                       "els => els.map(e => e.textContent.trim())")
    assert labels == LAYERS
    assert "Russia to start talks" in page.locator(".geoaleppo-title").inner_text()
    assert "as of 2016-12-05" in page.locator(".geoaleppo-legend").inner_text()
    assert page.locator(".leaflet-control-scale").count() == 1
    assert page.locator(".leaflet-control-zoom-fullscreen").count() == 1
    # Names to orient by at the first view: the Old City and the citadel.
    shown = page.locator(".geoaleppo-label:not(.geoaleppo-label-minor)").all_inner_texts()
    assert "Old City of Aleppo" in shown and "Citadel of Aleppo" in shown


def test_every_place_with_reported_control_opens_its_popup(
        page: Any, seed_map: Path, seed_reading: Reading) -> None:
    name = _open(page, seed_map)
    assert _click_every_controlled_place(page, name, [seed_reading]) >= 6


def test_every_event_symbol_opens_its_own_popup(page: Any, seed_map: Path) -> None:
    name = _open(page, seed_map)
    assert _click_every_symbol(page, name) >= 5


@pytest.mark.slow
def test_hovering_any_neighbourhood_shows_its_name(page: Any, seed_map: Path) -> None:
    name = _open(page, seed_map)
    assert _hover_every_neighbourhood(page, name) == len(_neighbourhoods(gz.load())) >= 100


def test_citywide_reports_are_listed_not_drawn(page: Any, seed_map: Path) -> None:
    _open(page, seed_map)
    button = page.locator(".geoaleppo-panel-button")
    assert "Citywide and unplaced reports (" in button.inner_text()
    button.click()
    listed = page.locator(".geoaleppo-panel-list details")
    assert listed.count() >= 1
    listed.first.locator("summary").click()
    assert "says who" in listed.first.inner_text()


def test_contested_places_are_striped_and_the_legend_draws_the_map_symbols(
        page: Any, seed_map: Path) -> None:
    _open(page, seed_map)
    assert page.locator(".leaflet-geoaleppo-control-pane path[fill='url(#geoaleppo-hatch)']"
                        ).count() >= 3
    assert page.locator(".leaflet-geoaleppo-control-pane pattern#geoaleppo-hatch").count() == 1
    # The legend draws each symbol the map draws: the same shape in the same colour.
    shape_of = ("el => [el.getAttribute('fill'), el.firstElementChild.tagName,"
                " el.firstElementChild.getAttribute('points') ? 'polygon' : 'other']")
    drawn_shapes = {tuple(page.locator(f".geoaleppo-symbol-{symbol} svg g").first
                          .evaluate(shape_of))
                    for _name, _kinds, symbol, _colour in EVENT_LAYERS
                    if page.locator(f".geoaleppo-symbol-{symbol}").count()}
    legend_shapes = {tuple(shape) for shape in page.eval_on_selector_all(
        ".geoaleppo-legend svg g", f"els => els.map({shape_of})")}
    assert len(drawn_shapes) >= 3
    assert drawn_shapes <= legend_shapes


def test_neighbourhood_names_appear_from_zoom_14(page: Any, seed_map: Path) -> None:
    name = _open(page, seed_map)
    minor = page.locator(".geoaleppo-label-minor span").first
    _set_view(page, name, 36.2, 37.16, 13)
    assert not minor.is_visible()
    _set_view(page, name, 36.2, 37.16, 14)
    assert minor.is_visible()


def test_unticking_a_layer_hides_it(page: Any, seed_map: Path) -> None:
    _open(page, seed_map)
    before = page.locator(".geoaleppo-symbol").count()
    page.locator(".leaflet-control-layers label", has_text="Clashes").locator("input").uncheck()
    assert 0 < page.locator(".geoaleppo-symbol").count() < before


# -- several reports written for the purpose ---------------------------------------------
def test_reports_map_every_place_and_symbol_answers(page: Any, reports_map: Path,
                                                    reports: list[Reading]) -> None:
    """Reports of three days get a time slider: on each day, every place then held and
    every symbol of that day answers."""
    name = _open(page, reports_map)
    places = symbols = 0
    for reading in reports:
        assert reading.article.published is not None
        go_to_day(page, reading.article.published)
        places += _click_every_controlled_place(page, name, reports, reading.article.published)
        symbols += _click_every_symbol(page, name)
    assert places >= 6 and symbols >= 5


def test_reports_map_old_city_click_lists_the_district_too(
        page: Any, reports_map: Path) -> None:
    """A district inside the Old City answers for both, smallest first."""
    name = _open(page, reports_map)
    aqabeh = gz.load().get("al-aqabeh")
    assert aqabeh is not None and aqabeh.geometry is not None
    x, y = _touch(page, name, aqabeh.geometry, "geoaleppo-control")
    page.mouse.click(x, y)
    popup = _text(page, ".leaflet-popup-content")
    assert popup.index("al-Aqabeh") < popup.index("Old City")


# -- look ---------------------------------------------------------------------------------
SHOTS = {"aleppo-2016-12-05.png": None,
         "aleppo-2016-12-05-old-city.png": (36.1995, 37.1625, 15)}


@pytest.mark.parametrize("shot", sorted(SHOTS))
def test_screenshots_match_the_readme(page: Any, seed_map: Path, tmp_path: Path,
                                      shot: str) -> None:
    """The README's screenshots are of today's map: a change in look shows in review.

    GEOALEPPO_UPDATE_SCREENSHOTS=1 rewrites them; commit them with the change.
    """
    name = _open(page, seed_map)
    view = SHOTS[shot]
    if view:
        _set_view(page, name, *view)
    page.wait_for_timeout(300)
    matches_screenshot(page, shot, tmp_path)


def matches_screenshot(page: Any, shot: str, tmp_path: Path) -> None:
    """Take the page's screenshot and compare it with ``maps/<shot>`` (under 1 % of the
    pixels visibly different); GEOALEPPO_UPDATE_SCREENSHOTS=1 rewrites the kept one."""
    import numpy as np
    from PIL import Image

    taken = tmp_path / shot
    page.screenshot(path=str(taken))
    kept = ROOT / "maps" / shot
    if os.environ.get("GEOALEPPO_UPDATE_SCREENSHOTS") or not kept.exists():
        kept.write_bytes(taken.read_bytes())
    with Image.open(kept) as old, Image.open(taken) as new:
        before = np.asarray(old.convert("RGB"), dtype=np.int16)
        after = np.asarray(new.convert("RGB"), dtype=np.int16)
    changed = int((np.abs(before - after).max(axis=2) > 48).sum())
    assert changed / (VIEWPORT["width"] * VIEWPORT["height"]) < 0.01, (
        f"{shot} differs in {changed} pixels: run make screenshot and review it")


# -- a hostile article ------------------------------------------------------------------
def test_hostile_article_runs_no_code(page: Any, tmp_path: Path, assets: Path) -> None:
    hostile = (
        "Fighting <script>window.pwned=1</script> in Aleppo\n\n"
        "Clashes raged in the \"Al Shaar\" neighbourhood <img src=x onerror=\"window.pwned=2\"> "
        "on Sunday, state TV said </script><script>window.pwned=3</script>.\n"
        "Rebels said they shelled Sheikh Maqsoud ' onmouseover='window.pwned=4 on Monday.\n"
        "Rebels shelled Karm al-Myassar {{ 6*7 }} {# note #} on Monday.\n"
    )
    reading = read_text(hostile, published="2016-12-05")
    path = tmp_path / "hostile.html"
    write_map([reading], gz.load(), path, offline=True)
    name = _open(page, path)
    _click_every_symbol(page, name)
    page.locator(".geoaleppo-panel-button").click()
    assert page.evaluate("window.pwned") is None
    assert page.locator("img[src='x']").count() == 0
    popups = page.evaluate(
        "(n) => { const seen = []; window[n].eachLayer(l => { if (l.getPopup && l.getPopup())"
        " seen.push(l.getPopup().getContent()); }); return seen.join(' '); }", name)
    # Template syntax is shown as the article wrote it, neither evaluated nor dropped.
    assert "{{ 6*7 }} {# note #}" in page.evaluate(
        "(html) => { const d = document.createElement('div'); d.innerHTML = html;"
        " return d.textContent; }", popups)


def test_same_map_twice_is_byte_identical(tmp_path: Path, assets: Path) -> None:
    reading = read_file(SEED)
    first, second = tmp_path / "a.html", tmp_path / "b.html"
    write_map([reading], gz.load(), first, offline=True)
    write_map([reading], gz.load(), second, offline=True)
    assert first.read_bytes() == second.read_bytes()
