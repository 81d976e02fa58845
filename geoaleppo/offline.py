"""Make saved folium maps self-contained and reproducible.

A folium page links Leaflet, jQuery and plugin files from public CDNs, so it renders
blank without a network, and every element id comes from ``os.urandom``, so two runs
of the same code never produce the same bytes. This module fixes both:

* :func:`inline_assets` swaps the CDN ``<script src>`` / ``<link href>`` tags of a
  rendered map for inline copies of the pinned files (:mod:`geoaleppo.assets`), and
  refuses any other external script or stylesheet.
* :func:`trim_defaults` makes one map load only Leaflet and jQuery instead of folium's
  full default set (Bootstrap, Font Awesome, ...).
* :func:`stable_ids` numbers a rendered map's element ids in page order.

folium and branca are imported inside the functions that need them: importing folium
costs most of a second.
"""

from __future__ import annotations

import base64
import posixpath
import re
from pathlib import Path
from typing import TYPE_CHECKING

from geoaleppo.assets import (
    ASSETS,
    FETCH_HINT,
    JQUERY_JS_URL,
    LEAFLET,
    LEAFLET_CSS_URL,
    LEAFLET_JS_URL,
    URL_TABLE,
    AssetRef,
    assets_dir,
    is_complete,
)
from geoaleppo.errors import AssetError

if TYPE_CHECKING:
    import folium
    from branca.element import Element

__all__ = ["inline_assets", "stable_ids", "trim_defaults"]


# ---------------------------------------------------------------------------
# Inlining
# ---------------------------------------------------------------------------

# A <script ...></script> pair (with whatever body, normally empty for src=
# tags) or a single <link ...> tag. Matched in one pass over the page so the
# inlined library text is never rescanned.
_TAG_RE = re.compile(
    r"<script\b(?P<script_attrs>[^>]*)>(?P<body>.*?)</script\s*>|<link\b(?P<link_attrs>[^>]*)>",
    re.IGNORECASE | re.DOTALL,
)
_ATTR_RE = re.compile(
    r"""(?P<name>[a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"'=<>`]+))"""
)
_EXTERNAL_RE = re.compile(r"^\s*(?:https?:)?//", re.IGNORECASE)
_CSS_URL_RE = re.compile(r"""url\(\s*(?P<q>["']?)(?P<url>[^"')]*?)(?P=q)\s*\)""", re.IGNORECASE)
_SOURCEMAP_RE = re.compile(
    r"^\s*(?://[#@]\s*sourceMappingURL=.*|/\*[#@]\s*sourceMappingURL=.*?\*/)\s*$", re.MULTILINE
)
_MIME = {".png": "image/png", ".svg": "image/svg+xml", ".gif": "image/gif"}


def _attrs(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for m in _ATTR_RE.finditer(text):
        value = m.group("dq") if m.group("dq") is not None else m.group("sq")
        if value is None:
            value = m.group("bare")
        out.setdefault(m.group("name").lower(), value)
    return out


def _data_uri(path: Path) -> str:
    mime = _MIME.get(path.suffix.lower())
    if mime is None:
        raise AssetError(f"no data: URI type known for {path.name}")
    return f"data:{mime};base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def _escape_js(js: str) -> str:
    # Inside <script>, the HTML parser ends the element at the first
    # "</script" whatever the JS meant, and "<!--" switches it into a mode
    # where a later "<script" hides the real end tag. "<\/" and "\x3C" mean
    # the same characters wherever such text can legally occur in JS
    # (string, template and regex literals).
    js = re.sub(r"</(script)", r"<\\/\1", js, flags=re.IGNORECASE)
    return js.replace("<!--", "\\x3C!--")


def _escape_css(css: str) -> str:
    # "\/" is a CSS escape for "/", so this keeps the meaning while stopping
    # the HTML parser from closing <style> early.
    return re.sub(r"</(style)", r"<\\/\1", css, flags=re.IGNORECASE)


def _strip_sourcemap(text: str) -> str:
    # The .map files are not pinned; a dangling sourceMappingURL would make
    # devtools try to load them.
    return _SOURCEMAP_RE.sub("", text)


def _inline_css(css: str, css_file: Path, package_dir: Path) -> str:
    """Replace ``url(...)`` references to package files by ``data:`` URIs."""

    def repl(m: re.Match[str]) -> str:
        url = m.group("url").strip()
        if not url or url.startswith(("data:", "#")):
            # "#default#VML" in leaflet.css is an old-IE behaviour, not a fetch.
            return m.group(0)
        if _EXTERNAL_RE.match(url) or ":" in url.split("/", 1)[0]:
            raise AssetError(f"{css_file.name} references external URL {url}")
        rel = posixpath.normpath(
            posixpath.join(css_file.parent.relative_to(package_dir).as_posix(), url)
        )
        target = package_dir / rel
        if rel == ".." or rel.startswith(("../", "/")) or not target.is_file():
            raise AssetError(f"{css_file.name} references {url}, which is not a pinned file")
        return f'url("{_data_uri(target)}")'

    return _CSS_URL_RE.sub(repl, css)


def _icon_script(leaflet_dir: Path) -> str:
    """Script that points ``L.Icon.Default`` at data: URIs.

    Leaflet builds a default marker's URL as ``imagePath + iconUrl`` and, when
    ``L.Icon.Default.imagePath`` is not a string, guesses ``imagePath`` from
    the stylesheet; an inlined stylesheet has no path to guess from, so the
    markers would be broken images. An empty imagePath plus full data: URIs
    avoids both the guess and any fetch.
    """
    images = leaflet_dir / "dist" / "images"
    urls = {
        "iconUrl": _data_uri(images / "marker-icon.png"),
        "iconRetinaUrl": _data_uri(images / "marker-icon-2x.png"),
        "shadowUrl": _data_uri(images / "marker-shadow.png"),
    }
    lines = [
        "(function () {",
        "  var d = L.Icon.Default;",
        '  d.imagePath = "";',
        '  d.prototype.options.imagePath = "";',
        *(f'  d.prototype.options.{k} = "{v}";' for k, v in urls.items()),
        "})();",
    ]
    return "<script>\n" + "\n".join(lines) + "\n</script>"


def inline_assets(html: str, assets: Path | None = None) -> str:
    """Replace folium's CDN script and stylesheet links by inline copies.

    Every ``<script src>`` and ``<link href>`` whose URL is in
    :data:`URL_TABLE` becomes an inline ``<script>`` or ``<style>`` holding the
    pinned file; images referenced by the stylesheets become ``data:`` URIs,
    and a script right after Leaflet gives default markers data: URI icons.

    Parameters
    ----------
    html : str
        A rendered page, e.g. ``m.get_root().render()`` or a saved map file.
    assets : pathlib.Path, optional
        The assets directory; defaults to :func:`assets_dir`.

    Returns
    -------
    str
        The page with no external script or stylesheet left.

    Raises
    ------
    AssetError
        If a script or link tag points at an external URL not in
        :data:`URL_TABLE` (checked first, without touching the assets), or a
        needed pinned file is missing.
    """
    root = assets_dir() if assets is None else Path(assets)
    matches = list(_TAG_RE.finditer(html))

    # Pass 1: decide every tag before reading any file, so an unpinned URL
    # is reported even where no assets have been fetched.
    plan: list[tuple[re.Match[str], AssetRef]] = []
    for m in matches:
        if m.group("script_attrs") is not None:
            url = _attrs(m.group("script_attrs")).get("src")
            want = "js"
        else:
            attrs = _attrs(m.group("link_attrs"))
            url = attrs.get("href")
            # Only stylesheets are inlined; any other link with an external
            # href (preload, icon, ...) would still hit the network.
            want = "css" if "stylesheet" in attrs.get("rel", "").lower().split() else "other"
        if url is None or not _EXTERNAL_RE.match(url):
            continue
        ref = URL_TABLE.get(url)
        if ref is None or ref.kind != want:
            raise AssetError(f"no pinned asset for external URL {url}")
        plan.append((m, ref))
    if not plan:
        return html

    needed = {ref.asset for _, ref in plan}
    missing = [a.key for a in ASSETS if a in needed and not is_complete(root / a.key, a)]
    if missing:
        raise AssetError(f"map assets {', '.join(missing)} not found in {root}; {FETCH_HINT}")

    cache: dict[AssetRef, str] = {}
    pieces: list[str] = []
    pos = 0
    for m, ref in plan:
        pieces.append(html[pos : m.start()])
        pos = m.end()
        if ref not in cache:
            package_dir = root / ref.asset.key
            file = package_dir / ref.path
            try:
                text = _strip_sourcemap(file.read_text(encoding="utf-8"))
            except OSError as exc:
                raise AssetError(f"cannot read {file}: {exc}; {FETCH_HINT}") from exc
            if ref.kind == "js":
                block = f"<script>\n{_escape_js(text)}\n</script>"
                if ref.asset is LEAFLET:
                    block += "\n" + _icon_script(package_dir)
            else:
                css = _inline_css(text, file, package_dir)
                block = f"<style>\n{_escape_css(css)}\n</style>"
            cache[ref] = block
        pieces.append(cache[ref])
    pieces.append(html[pos:])
    return "".join(pieces)


# ---------------------------------------------------------------------------
# Trimming and determinism
# ---------------------------------------------------------------------------


def trim_defaults(m: folium.Map) -> None:
    """Make one map load only Leaflet, its stylesheet and jQuery.

    folium's defaults also pull Bootstrap, Font Awesome and awesome-markers
    (several MB once inlined). jQuery stays because folium popups call
    ``$()``. Fresh lists are set on the instance: the class-level lists are
    shared by every map, and ``add_js_link`` mutates whichever list it finds,
    so editing them in place would change later maps too.

    Parameters
    ----------
    m : folium.Map
        The map to trim, in place.
    """
    m.default_js = [("leaflet", LEAFLET_JS_URL), ("jquery", JQUERY_JS_URL)]
    m.default_css = [("leaflet_css", LEAFLET_CSS_URL)]


_HEX_ID_RE = re.compile(r"(?<![0-9a-f])[0-9a-f]{32}(?![0-9a-f])")


def _element_ids(root: Element) -> set[str]:
    """The ids of every element reachable from ``root``: its children, and elements held
    as attributes (a folium Popup keeps its own header, html and script elements)."""
    from branca.element import Element

    ids: set[str] = set()
    todo = [root]
    while todo:
        element = todo.pop()
        if element._id in ids:
            continue
        ids.add(element._id)
        todo.extend(element._children.values())
        todo.extend(value for value in vars(element).values() if isinstance(value, Element))
    return ids


def stable_ids(page: str, root: Element) -> str:
    """``page`` with the random element ids of ``root``'s tree numbered in page order.

    branca 0.8.2 gives every ``Element`` an id from ``os.urandom``; the ids end up in JS
    variable names and HTML ids, so the same map never renders to the same bytes twice.
    Renumbering the rendered page, rather than patching branca's id maker, leaves
    branca as it is for every other map built meanwhile, in this thread or another.
    Only ids of elements in the tree are renumbered: a 32-digit hex string an article
    happens to contain is text and is kept. Call after rendering (folium creates
    elements while rendering too).
    """
    ids = _element_ids(root)
    numbers: dict[str, str] = {}

    def number(match: re.Match[str]) -> str:
        found = match.group()
        if found not in ids:
            return found
        if found not in numbers:
            numbers[found] = f"{len(numbers) + 1:032x}"
        return numbers[found]

    return _HEX_ID_RE.sub(number, page)
