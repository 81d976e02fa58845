"""Tests of geoaleppo.assets and geoaleppo.offline: pinned assets, inlining, trimming,
stable ids.

Run as a script (``python tests/test_offline.py OUT``) it writes the sample map
to OUT; the cross-process determinism test uses that.
"""

from __future__ import annotations

import base64
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from geoaleppo import assets as pinned
from geoaleppo import offline
from geoaleppo.assets import (
    ASSETS,
    JQUERY,
    JQUERY_JS_URL,
    LEAFLET,
    LEAFLET_CSS_URL,
    LEAFLET_JS_URL,
    MAP_ASSETS,
    URL_TABLE,
    AssetError,
    assets_dir,
    fetch_assets,
)
from geoaleppo.offline import inline_assets, stable_ids, trim_defaults

REPO = Path(__file__).resolve().parents[1]
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

_EXTERNAL_TAG_RE = re.compile(
    r"<(?:script|link)\b[^>]*\b(?:src|href)\s*=\s*[\"']?(?:https?:)?//", re.IGNORECASE
)


def build_sample_map() -> Any:
    """A small map with every feature the offline tables cover."""
    import folium
    from folium import plugins

    # maxZoom on the map itself: with tiles=None, MarkerCluster otherwise
    # throws "Map has no maxZoom specified" and the rest of the script dies.
    m = folium.Map(location=[36.2, 37.15], zoom_start=12, tiles=None, maxZoom=18)
    trim_defaults(m)
    group = folium.FeatureGroup(name="places").add_to(m)
    geojson = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": "Citadel", "kind": "site"},
                "geometry": {"type": "Point", "coordinates": [37.1628, 36.1992]},
            },
            {
                "type": "Feature",
                "properties": {"name": "Old City", "kind": "district"},
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [
                        [[37.15, 36.19], [37.17, 36.19], [37.17, 36.21], [37.15, 36.19]]
                    ],
                },
            },
        ],
    }
    folium.GeoJson(
        geojson,
        name="outlines",
        tooltip=folium.GeoJsonTooltip(fields=["name"]),
        popup=folium.GeoJsonPopup(fields=["name", "kind"]),
    ).add_to(group)
    cluster = plugins.MarkerCluster(name="events").add_to(m)
    for i in range(5):
        folium.CircleMarker(
            [36.2 + i * 0.0005, 37.14], radius=5, popup=f"event {i}", tooltip=f"event {i}"
        ).add_to(cluster)
    folium.Marker([36.22, 37.12], popup="default icon").add_to(m)
    folium.CircleMarker([36.21, 37.13], radius=6, tooltip="circle").add_to(m)
    plugins.Fullscreen().add_to(m)
    folium.LayerControl().add_to(m)
    return m


def render_sample(assets: Path | None = None) -> str:
    """Build, render and inline the sample map with stable ids."""
    root = build_sample_map().get_root()
    return inline_assets(stable_ids(root.render(), root), assets)


def _fake_leaflet(root: Path, js: str) -> Path:
    """A leaflet@1.9.3 tree with made-up content, for tests needing no fetch."""
    pkg = root / LEAFLET.key
    for rel in LEAFLET.files:
        path = pkg / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if rel.endswith(".png"):
            path.write_bytes(PNG_MAGIC + b"fake")
        elif rel.endswith(".js"):
            path.write_text(js, encoding="utf-8")
        else:
            path.write_text(".x { background: url(images/layers.png); }", encoding="utf-8")
    return root


# --- the tables -------------------------------------------------------------


def test_url_table_covers_what_folium_emits() -> None:
    import folium
    from folium import plugins

    m = folium.Map()
    core = dict(m.default_js + m.default_css)
    emitted = [core["leaflet"], core["jquery"], core["leaflet_css"]]
    for cls in (plugins.MarkerCluster, plugins.Fullscreen):
        emitted += [url for _, url in cls.default_js + cls.default_css]
    # ...and what a geoaleppo map loads itself.
    emitted += [url for url, _kind, _sri in MAP_ASSETS if url not in emitted]
    assert sorted(emitted) == sorted(URL_TABLE)


def test_map_assets_integrity_hashes_are_the_pinned_files(assets: Path) -> None:
    """The SRI hash an online map sends is the hash of the integrity-checked npm file."""
    import hashlib

    for url, _kind, sri in MAP_ASSETS:
        ref = URL_TABLE[url]
        data = (assets / ref.asset.key / ref.path).read_bytes()
        digest = base64.b64encode(hashlib.sha384(data).digest()).decode()
        assert sri == f"sha384-{digest}", url


def test_every_table_entry_names_a_pinned_file() -> None:
    for ref in URL_TABLE.values():
        assert ref.asset in ASSETS
        assert ref.path in ref.asset.files
    for asset in ASSETS:
        assert asset.integrity.startswith("sha512-")
        assert re.fullmatch(r"\d+\.\d+\.\d+", asset.version)


def test_no_registry_host_in_module() -> None:
    for module in (pinned, offline):
        assert "registry." not in Path(module.__file__).read_text(encoding="utf-8")


# --- assets_dir / fetch_assets ---------------------------------------------


def test_assets_dir_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("GEOALEPPO_ASSETS", str(tmp_path / "a"))
    assert assets_dir() == tmp_path / "a"
    monkeypatch.delenv("GEOALEPPO_ASSETS")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "c"))
    assert assets_dir() == tmp_path / "c" / "geoaleppo" / "assets"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert assets_dir() == Path.home() / ".cache" / "geoaleppo" / "assets"


def test_fetch_is_noop_when_present(assets: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_npm(*args: object, **kwargs: object) -> None:
        raise AssertionError("npm must not run when the assets are present")

    monkeypatch.setattr(pinned, "_npm_pack", no_npm)
    assert fetch_assets(assets) == assets


def test_fetch_rejects_integrity_mismatch(
    assets: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wrong = "sha512-" + base64.b64encode(bytes(64)).decode()
    tampered = pinned.Asset(JQUERY.name, JQUERY.version, wrong, JQUERY.files)
    monkeypatch.setattr(pinned, "ASSETS", (tampered,))
    with pytest.raises(AssetError, match="integrity mismatch"):
        fetch_assets(tmp_path)
    # Nothing half-written is left to look present later.
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_fetch_entry_point_prints_one_line(assets: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "geoaleppo", "assets", "fetch"],
        env=_subprocess_env(GEOALEPPO_ASSETS=str(assets)),
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == [f"map assets ready in {assets}"]


def test_fetch_entry_point_fails_in_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    proc = subprocess.run(
        [sys.executable, "-m", "geoaleppo", "assets", "fetch"],
        env=_subprocess_env(GEOALEPPO_ASSETS=str(blocker / "assets")),
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1
    assert len(proc.stderr.splitlines()) == 1
    assert proc.stderr.startswith("geoaleppo: error: ")


# --- inline_assets -----------------------------------------------------------


def test_inlined_map_loads_nothing_external(assets: Path) -> None:
    html = render_sample(assets)
    assert _EXTERNAL_TAG_RE.search(html) is None
    # (jQuery's own source mentions "<link", so look for attributes.)
    assert re.search(r"<link\b[^>]*\bhref=", html) is None
    assert re.search(r"<script\b[^>]*\bsrc=", html) is None
    # Each pinned library is really in the page.
    assert "L.MarkerClusterGroup" in html
    assert "fullscreen" in html
    assert "jQuery" in html


@pytest.mark.parametrize(
    "tag",
    [
        '<script src="https://unpkg.example/leaflet@1.9.3/dist/leaflet.js"></script>',
        '<link rel="stylesheet" href="https://cdn.example/x.css"/>',
        "<script src='//cdn.example/x.js'></script>",
        '<link rel="preload" href="https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js"/>',
    ],
)
def test_unknown_url_raises(tag: str, tmp_path: Path) -> None:
    url = re.search(r"(?:src|href)=[\"']([^\"']+)", tag).group(1)  # type: ignore[union-attr]
    html = f"<html><head>{tag}</head><body></body></html>"
    # An empty assets dir: the URL check must come before any file is needed.
    with pytest.raises(AssetError, match=re.escape(url)):
        inline_assets(html, tmp_path)


def test_untrimmed_folium_map_raises(tmp_path: Path) -> None:
    import folium

    html = folium.Map(tiles=None).get_root().render()
    with pytest.raises(AssetError, match="bootstrap"):
        inline_assets(html, tmp_path)


def test_missing_assets_tell_how_to_fetch(tmp_path: Path) -> None:
    html = f'<head><script src="{LEAFLET_JS_URL}"></script></head>'
    with pytest.raises(AssetError) as info:
        inline_assets(html, tmp_path)
    message = str(info.value)
    assert "geoaleppo assets fetch" in message
    assert "\n" not in message


def test_page_without_external_tags_is_unchanged(tmp_path: Path) -> None:
    html = "<html><script>var a = 1;</script><a href='https://example.org'>x</a></html>"
    assert inline_assets(html, tmp_path) == html


def test_script_end_tag_in_library_is_escaped(tmp_path: Path) -> None:
    js = 'var a = "</script><script>alert(1)</script>"; var b = "</SCRIPT >"; var c = "<!--";'
    root = _fake_leaflet(tmp_path, js)
    html = f'<html><head><script src="{LEAFLET_JS_URL}"></script></head><body></body></html>'
    out = inline_assets(html, root)
    assert "<\\/script><script>alert(1)<\\/script>" in out
    assert "<\\/SCRIPT >" in out
    assert "<!--" not in out
    # Exactly our two scripts (library + icon setup) open and close.
    assert len(re.findall(r"<script\b", out, re.IGNORECASE)) == 3  # + the "<script>" in the JS
    assert len(re.findall(r"</script", out, re.IGNORECASE)) == 2


def test_css_images_become_data_uris(assets: Path) -> None:
    html = render_sample(assets)
    urls = re.findall(r"url\(\s*[\"']?([^\"')]*)", html)
    assert urls, "leaflet.css has url(...) references"
    # leaflet.css's "#default#VML" is an old-IE behaviour, not a fetch.
    assert all(u.startswith(("data:image/", "#")) for u in urls), urls
    assert "data:image/svg+xml;base64," in html  # the fullscreen button icon


def test_default_marker_icon_is_data_uri(assets: Path) -> None:
    html = render_sample(assets)
    found = dict(re.findall(r'options\.(iconUrl|iconRetinaUrl|shadowUrl) = "([^"]+)"', html))
    assert set(found) == {"iconUrl", "iconRetinaUrl", "shadowUrl"}
    for uri in found.values():
        head, _, data = uri.partition(",")
        assert head == "data:image/png;base64"
        assert base64.b64decode(data).startswith(PNG_MAGIC)
    # The icon setup must run after Leaflet defines L and before any map code.
    assert html.index("L.Icon.Default;") < html.index("L.map(")


# --- trim_defaults -----------------------------------------------------------


def test_trim_defaults_touches_only_the_instance() -> None:
    import folium

    before_js = list(folium.Map.default_js)
    before_css = list(folium.Map.default_css)
    m = folium.Map(tiles=None)
    trim_defaults(m)
    m.add_js_link("extra", "https://cdn.example/extra.js")
    assert folium.Map.default_js == before_js
    assert folium.Map.default_css == before_css
    assert [name for name, _ in m.default_js] == ["leaflet", "jquery", "extra"]
    html = folium.Map(tiles=None).get_root().render()
    assert "bootstrap" in html  # other maps keep folium's full set
    trimmed = folium.Map(tiles=None)
    trim_defaults(trimmed)
    urls = re.findall(r"(?:src|href)=\"(https?://[^\"]+)\"", trimmed.get_root().render())
    assert sorted(urls) == sorted([LEAFLET_JS_URL, JQUERY_JS_URL, LEAFLET_CSS_URL])


# --- determinism -----------------------------------------------------------


def test_same_map_twice_is_identical_in_process(assets: Path) -> None:
    assert render_sample(assets) == render_sample(assets)


def test_ids_are_numbered_in_page_order_and_branca_is_left_alone() -> None:
    from branca.element import Element

    root = build_sample_map().get_root()
    page = stable_ids(root.render(), root)
    names = re.findall(r"\bmap_([0-9a-f]{32})\b", page)
    assert names and set(names) == {"0" * 31 + "1"}  # the map is the first id on the page
    # Nothing was patched: new elements still get random ids.
    a, b = Element()._id, Element()._id
    assert a != b and re.fullmatch(r"[0-9a-f]{32}", a)


def test_a_hex_string_in_the_text_is_not_an_id() -> None:
    import folium

    text = "f" * 32
    m = folium.Map(location=[36.2, 37.16], tiles=None)
    folium.Marker([36.2, 37.16], tooltip=text).add_to(m)
    root = m.get_root()
    assert text in stable_ids(root.render(), root)


def test_maps_rendered_in_threads_at_once_are_identical(assets: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=4) as pool:
        pages = list(pool.map(lambda _n: render_sample(assets), range(8)))
    assert len(set(pages)) == 1


def _subprocess_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    env.update(extra)
    return env


@pytest.mark.slow
def test_same_map_is_identical_across_processes(assets: Path, tmp_path: Path) -> None:
    outputs = []
    # Different hash seeds, so any dependence on set/dict-of-str order shows.
    for seed in ("1", "2"):
        out = tmp_path / f"map{seed}.html"
        subprocess.run(
            [sys.executable, __file__, str(out)],
            env=_subprocess_env(GEOALEPPO_ASSETS=str(assets), PYTHONHASHSEED=seed),
            check=True,
            timeout=120,
        )
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    assert outputs[0] == render_sample(assets).encode("utf-8")


# --- in a browser with no network ------------------------------------------


@pytest.mark.browser
def test_inlined_map_works_offline_in_chromium(
    assets: Path, offline_page: Any, tmp_path: Path
) -> None:
    path = tmp_path / "map.html"
    path.write_text(render_sample(assets), encoding="utf-8")
    page = offline_page.page
    page.goto(path.as_uri(), wait_until="load")
    page.wait_for_selector(".marker-cluster", timeout=10_000)
    state = page.evaluate(
        """() => {
            const globals = Object.keys(window);
            const maps = globals.filter(k => k.startsWith("map_") && window[k] instanceof L.Map);
            const clusters = globals.filter(
                k => window[k] instanceof L.MarkerClusterGroup);
            const icon = document.querySelector("img.leaflet-marker-icon");
            return {
                maps: maps.length,
                clusters: clusters.length,
                clusterIcons: document.querySelectorAll(".marker-cluster").length,
                fullscreen: document.querySelectorAll("a.leaflet-control-zoom-fullscreen").length,
                layerLabels: document.querySelectorAll(".leaflet-control-layers label").length,
                paths: document.querySelectorAll("path.leaflet-interactive").length,
                iconSrc: icon ? icon.src.slice(0, 22) : null,
                jquery: typeof window.jQuery,
            };
        }"""
    )
    # At least the GeoJson polygon and the standalone circle; clustered
    # circles are hidden inside the cluster.
    assert state.pop("paths") >= 2
    assert state == {
        "maps": 1,
        "clusters": 1,
        "clusterIcons": 1,
        "fullscreen": 1,
        "layerLabels": 2,
        "iconSrc": "data:image/png;base64,",
        "jquery": "function",
    }
    # folium popups go through jQuery: clicking a marker must open one.
    page.locator("img.leaflet-marker-icon").last.click()
    page.wait_for_selector(".leaflet-popup-content", timeout=5_000)
    assert "default icon" in page.inner_text(".leaflet-popup-content")
    assert offline_page.errors == []
    assert offline_page.blocked == []


if __name__ == "__main__":
    Path(sys.argv[1]).write_text(render_sample(), encoding="utf-8")
