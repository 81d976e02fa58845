"""The offline seed map in a real browser with the network cut, and a hostile article."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from geoaleppo import gazetteer as gz
from geoaleppo.maps import EVENT_LAYERS, write_map
from geoaleppo.reader import read_file, read_text

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "maps" / "aleppo-2016-12-05.txt"
LAYERS = ["Context: Aleppo neighbourhoods", "Control", *(n for n, _k, _c in EVENT_LAYERS),
          "Places mentioned", "Derived areas"]


@pytest.fixture(scope="module")
def seed_map(tmp_path_factory: pytest.TempPathFactory, assets: Path) -> Path:
    path = tmp_path_factory.mktemp("map") / "seed.html"
    write_map([read_file(SEED)], gz.load(), path, offline=True)
    return path


def _open(offline_page: Any, path: Path) -> Any:
    page = offline_page.page
    page.goto(path.as_uri())
    page.wait_for_function("document.querySelectorAll('path.leaflet-interactive').length > 0")
    return page


def _map_name(page: Any) -> str:
    return page.evaluate(
        "Object.keys(window).find(k => k.startsWith('map_') && window[k] instanceof L.Map)"
    )


def test_seed_map_renders_offline_with_every_layer(offline_page: Any, seed_map: Path) -> None:
    page = _open(offline_page, seed_map)
    assert _map_name(page)
    labels = page.eval_on_selector_all(".leaflet-control-layers label",
                                       "els => els.map(e => e.textContent.trim())")
    for layer in LAYERS:
        assert layer in labels
    assert page.locator(".geoaleppo-legend").count() == 1
    assert "Russia to start talks" in page.locator(".geoaleppo-title").inner_text()
    assert page.locator(".leaflet-control-scale").count() == 1
    assert page.locator(".leaflet-control-zoom-fullscreen, .fullscreen-icon").count() >= 1
    assert offline_page.errors == []
    assert offline_page.blocked == []


def test_contested_districts_are_hatched(offline_page: Any, seed_map: Path) -> None:
    page = _open(offline_page, seed_map)
    assert page.locator("path.geoaleppo-contested").count() >= 3
    assert page.locator("pattern#geoaleppo-hatch").count() == 1


def test_popup_quotes_the_article(offline_page: Any, seed_map: Path) -> None:
    page = _open(offline_page, seed_map)
    name = _map_name(page)
    # Open the popup of the event layer feature that quotes the shelling sentence.
    text = page.evaluate(
        """(name) => {
          let found = null;
          window[name].eachLayer(l => { if (!found && l.feature
              && l.feature.properties.popup.includes('rebel shelling killed seven')) found = l; });
          const at = found.getBounds ? found.getBounds().getCenter() : found.getLatLng();
          found.fire('click', {latlng: at}, true);  // as a user's click, bubbling to the layer
          return document.querySelector('.leaflet-popup-content').textContent;
        }""",
        name,
    )
    assert "rebel shelling killed seven people" in text
    assert "Syrian state media" in text


def test_unticking_a_layer_hides_it(offline_page: Any, seed_map: Path) -> None:
    page = _open(offline_page, seed_map)
    before = page.locator("path.leaflet-interactive").count()
    page.locator(".leaflet-control-layers label", has_text="Control").locator("input").uncheck()
    after = page.locator("path.leaflet-interactive").count()
    assert 0 < after < before


def test_hostile_article_runs_no_code(offline_page: Any, tmp_path: Path, assets: Path) -> None:
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
    page = _open(offline_page, path)
    for feature in page.locator("path.leaflet-interactive").all()[:40]:
        feature.dispatch_event("mouseover")  # shows the tooltip, on or off screen
    page.evaluate(
        "(name) => window[name].eachLayer(l => { if (l.feature) l.fire('click', {latlng:"
        " l.getBounds ? l.getBounds().getCenter() : l.getLatLng()}, true); })",
        _map_name(page),
    )
    shown = page.evaluate(
        """(name) => { let found = null;
          window[name].eachLayer(l => { if (!found && l.feature
              && String(l.feature.properties.popup).includes('6*7')) found = l; });
          found.fire('click', {latlng: found.getBounds().getCenter()}, true);
          return document.querySelector('.leaflet-popup-content').textContent; }""",
        _map_name(page),
    )
    assert page.evaluate("window.pwned") is None
    assert page.locator("img[src='x']").count() == 0
    # Template syntax is shown as the article wrote it, neither evaluated nor dropped.
    assert "{{ 6*7 }} {# note #}" in shown
    assert offline_page.errors == []


def test_same_map_twice_is_byte_identical(tmp_path: Path, assets: Path) -> None:
    reading = read_file(SEED)
    first, second = tmp_path / "a.html", tmp_path / "b.html"
    write_map([reading], gz.load(), first, offline=True)
    write_map([reading], gz.load(), second, offline=True)
    assert first.read_bytes() == second.read_bytes()
