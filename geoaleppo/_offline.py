"""Make saved folium maps self-contained and reproducible.

A folium page links Leaflet, jQuery and plugin files from public CDNs, so it
renders blank without a network, and every element id comes from
``os.urandom``, so two runs of the same code never produce the same bytes.
This module fixes both:

* :func:`fetch_assets` downloads a small set of pinned npm packages once, at
  setup time, checks each tarball against a hard-coded sha512 integrity and
  keeps only the files a map needs (outside the repository, in a cache
  directory).
* :func:`inline_assets` swaps the CDN ``<script src>`` / ``<link href>`` tags of
  a rendered map for inline copies of those pinned files, and refuses any
  other external script or stylesheet.
* :func:`trim_defaults` makes one map load only Leaflet and jQuery instead of
  folium's full default set (Bootstrap, Font Awesome, ...).
* :func:`stable_ids` numbers a rendered map's element ids in page order.

Run ``geoaleppo assets fetch`` to fetch the assets by hand.

folium and branca are imported inside the functions that need them: importing
folium costs most of a second, and fetching assets does not need it.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import posixpath
import re
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from geoaleppo.errors import AssetError

if TYPE_CHECKING:
    import folium
    from branca.element import Element

__all__ = [
    "ASSETS",
    "URL_TABLE",
    "Asset",
    "AssetError",
    "AssetRef",
    "assets_dir",
    "fetch_assets",
    "inline_assets",
    "stable_ids",
    "trim_defaults",
]


# ---------------------------------------------------------------------------
# The pinned packages
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Asset:
    """One pinned npm package and the files a map takes from it.

    Attributes
    ----------
    name : str
        npm package name.
    version : str
        Exact version; never a range, so the bytes never drift.
    integrity : str
        The registry's ``dist.integrity`` of the tarball (``sha512-<base64>``),
        looked up once and hard-coded so a changed tarball is detected.
    files : tuple of str
        Paths inside the package (without the tarball's top directory) that
        are extracted; nothing else is kept.
    """

    name: str
    version: str
    integrity: str
    files: tuple[str, ...]

    @property
    def key(self) -> str:
        """Directory name of the extracted package, ``NAME@VERSION``."""
        return f"{self.name}@{self.version}"


LEAFLET = Asset(
    name="leaflet",
    version="1.9.3",
    integrity=(
        "sha512-iB2cR9vAkDOu5l3HAay2obcUHZ7xwUBBjph8+PGtmW/2lYhbLizWtG7nTeYht36WfOslixQF9D/uSIzhZgGMfQ=="
    ),
    # The images are listed one by one rather than as a glob so that a
    # tarball lacking one of them fails at fetch time, not in a browser.
    files=(
        "dist/leaflet.js",
        "dist/leaflet.css",
        "dist/images/layers.png",
        "dist/images/layers-2x.png",
        "dist/images/marker-icon.png",
        "dist/images/marker-icon-2x.png",
        "dist/images/marker-shadow.png",
    ),
)
JQUERY = Asset(
    name="jquery",
    version="3.7.1",
    integrity=(
        "sha512-m4avr8yL8kmFN8psrbFFFmB/If14iN5o9nw/NgnnM+kybDJpRsAynV2BsfpTYrTRysYUdADVD7CkUUizgkpLfg=="
    ),
    files=("dist/jquery.min.js",),
)
MARKERCLUSTER = Asset(
    name="leaflet.markercluster",
    version="1.1.0",
    integrity=(
        "sha512-eI+XkCiLiHwCC3uZ4/n4+Vq3rXcqEHN2lhHRVG1WVziy/3Q0TTipWkzEa1zO0dKZI2AnI5ppFDWrOjnQ7MJLKQ=="
    ),
    files=(
        "dist/leaflet.markercluster.js",
        "dist/MarkerCluster.css",
        "dist/MarkerCluster.Default.css",
    ),
)
FULLSCREEN = Asset(
    name="leaflet.fullscreen",
    version="3.0.0",
    integrity=(
        "sha512-81wWSUXz1ZtdneR0v5eJDWXUSx+Zo5J50WXWeydG/UcILfIEAgz/iOjZSi3p00Z9MJ/FC/P5i3CgdYuEAos0yQ=="
    ),
    # The 3.0.0 tarball ships no Control.FullScreen.min.js (the CDN folium
    # links to minifies on the fly), so the unminified file stands in for it.
    # icon-fullscreen.svg is referenced by the stylesheet's url(...).
    files=(
        "Control.FullScreen.js",
        "Control.FullScreen.css",
        "icon-fullscreen.svg",
    ),
)

#: Every pinned package, in fetch order.
ASSETS: tuple[Asset, ...] = (LEAFLET, JQUERY, MARKERCLUSTER, FULLSCREEN)


@dataclass(frozen=True)
class AssetRef:
    """The pinned file that stands in for one CDN URL.

    Attributes
    ----------
    asset : Asset
        Package the file comes from.
    path : str
        Path of the file inside the package.
    kind : {"js", "css"}
        Whether the URL is loaded by ``<script>`` or ``<link rel=stylesheet>``.
    """

    asset: Asset
    path: str
    kind: Literal["js", "css"]


LEAFLET_JS_URL = "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js"
LEAFLET_CSS_URL = "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css"
JQUERY_JS_URL = "https://code.jquery.com/jquery-3.7.1.min.js"

#: Exact URLs emitted by folium 0.20 (``folium.Map``, ``plugins.MarkerCluster``,
#: ``plugins.Fullscreen``) mapped to the pinned files. Deliberately strict: a
#: folium upgrade that changes a URL makes :func:`inline_assets` fail loudly
#: instead of shipping a page that silently needs the network.
URL_TABLE: dict[str, AssetRef] = {
    LEAFLET_JS_URL: AssetRef(LEAFLET, "dist/leaflet.js", "js"),
    LEAFLET_CSS_URL: AssetRef(LEAFLET, "dist/leaflet.css", "css"),
    JQUERY_JS_URL: AssetRef(JQUERY, "dist/jquery.min.js", "js"),
    "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/leaflet.markercluster.js": (
        AssetRef(MARKERCLUSTER, "dist/leaflet.markercluster.js", "js")
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/MarkerCluster.css": (
        AssetRef(MARKERCLUSTER, "dist/MarkerCluster.css", "css")
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/MarkerCluster.Default.css": (  # noqa: E501
        AssetRef(MARKERCLUSTER, "dist/MarkerCluster.Default.css", "css")
    ),
    "https://cdn.jsdelivr.net/npm/leaflet.fullscreen@3.0.0/Control.FullScreen.min.js": (
        AssetRef(FULLSCREEN, "Control.FullScreen.js", "js")
    ),
    "https://cdn.jsdelivr.net/npm/leaflet.fullscreen@3.0.0/Control.FullScreen.css": (
        AssetRef(FULLSCREEN, "Control.FullScreen.css", "css")
    ),
}

_FETCH_HINT = "run `geoaleppo assets fetch`"


def assets_dir() -> Path:
    """Return the default directory of the fetched assets.

    Returns
    -------
    pathlib.Path
        ``$GEOALEPPO_ASSETS`` if set and non-empty, else
        ``$XDG_CACHE_HOME/geoaleppo/assets`` with ``XDG_CACHE_HOME`` defaulting
        to ``~/.cache``. The directory need not exist.
    """
    explicit = os.environ.get("GEOALEPPO_ASSETS")
    if explicit:
        return Path(explicit).expanduser()
    # An empty XDG_CACHE_HOME counts as unset, as the XDG spec says.
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path("~/.cache").expanduser())
    return Path(cache) / "geoaleppo" / "assets"


# ---------------------------------------------------------------------------
# Fetching
# ---------------------------------------------------------------------------


def _is_complete(target: Path, asset: Asset) -> bool:
    return all((target / rel).is_file() for rel in asset.files)


def _sri_sha512(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode("ascii")


def _npm_pack(asset: Asset, workdir: Path) -> Path:
    """Download one package tarball with the npm client and return its path."""
    npm = shutil.which("npm")
    if npm is None:
        raise AssetError(f"npm not found on PATH; install Node.js/npm to fetch {asset.key}")
    # Quiet npm's update/funding chatter so stdout stays pure JSON.
    env = dict(os.environ, npm_config_update_notifier="false", npm_config_fund="false")
    try:
        proc = subprocess.run(
            [npm, "pack", asset.key, "--pack-destination", str(workdir), "--json"],
            cwd=workdir,  # away from any package.json/.npmrc of the caller's cwd
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise AssetError(f"npm pack {asset.key} timed out after {exc.timeout:.0f} s") from exc
    if proc.returncode != 0:
        lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
        detail = lines[-1] if lines else f"exit status {proc.returncode}"
        raise AssetError(f"npm pack {asset.key} failed: {detail}")
    try:
        filename = json.loads(proc.stdout)[0]["filename"]
    except (ValueError, LookupError, TypeError) as exc:
        raise AssetError(f"npm pack {asset.key}: unexpected output {proc.stdout[:200]!r}") from exc
    tarball = workdir / Path(filename).name
    if not tarball.is_file():
        raise AssetError(f"npm pack {asset.key} reported {filename!r} but wrote no such file")
    return tarball


def _extract(tarball: Path, asset: Asset, target: Path) -> None:
    """Copy exactly ``asset.files`` out of ``tarball`` into ``target``.

    Members are read and written by hand instead of ``TarFile.extract`` so no
    name, link or mode from the archive ever decides what is written where.
    """
    wanted = set(asset.files)
    found: dict[str, bytes] = {}
    with tarfile.open(tarball, "r:gz") as tar:
        for member in tar:
            if not member.isfile():
                continue
            # npm tarballs put everything under one top directory (usually
            # "package/", not always): strip whichever it is.
            parts = member.name.lstrip("./").split("/", 1)
            if len(parts) == 2 and parts[1] in wanted:
                handle = tar.extractfile(member)
                if handle is not None:
                    found[parts[1]] = handle.read()
    missing = sorted(wanted - found.keys())
    if missing:
        raise AssetError(f"{asset.key} tarball lacks {', '.join(missing)}")
    for rel, data in found.items():
        out = target.joinpath(*rel.split("/"))
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data)


def fetch_assets(dest: Path | None = None) -> Path:
    """Fetch, verify and extract the pinned packages of :data:`ASSETS`.

    Each package is downloaded with ``npm pack NAME@VERSION``, its tarball's
    sha512 is checked against the pinned integrity, and only the listed files
    are written to ``dest/NAME@VERSION/``. A package is staged in a temporary
    directory inside ``dest`` and renamed into place, so an interrupted fetch
    never leaves a half-written package that later looks present. Packages
    already present are not fetched again.

    Parameters
    ----------
    dest : pathlib.Path, optional
        Where to put the packages; defaults to :func:`assets_dir`.

    Returns
    -------
    pathlib.Path
        The assets directory (``dest`` or the default).

    Raises
    ------
    AssetError
        If npm is missing or fails, a tarball's integrity does not match its
        pin, or a tarball lacks a listed file.
    """
    root = assets_dir() if dest is None else Path(dest)
    todo = [a for a in ASSETS if not _is_complete(root / a.key, a)]
    if not todo:
        return root
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise AssetError(f"cannot create assets directory {root}: {exc}") from exc
    # Staging inside root keeps the final rename on one filesystem (atomic).
    work = Path(tempfile.mkdtemp(prefix=".fetch-", dir=root))
    try:
        for asset in todo:
            tarball = _npm_pack(asset, work)
            actual = _sri_sha512(tarball.read_bytes())
            if actual != asset.integrity:
                raise AssetError(
                    f"{asset.key} tarball integrity mismatch: expected {asset.integrity}, "
                    f"got {actual}"
                )
            stage = work / asset.key
            _extract(tarball, asset, stage)
            target = root / asset.key
            if target.exists():
                # Incomplete leftovers (e.g. a file deleted by hand): move them
                # out of the way, since rename cannot replace a non-empty dir.
                target.rename(work / f"{asset.key}.old")
            try:
                stage.rename(target)
            except OSError:
                # Another process may have finished the same package meanwhile.
                if not _is_complete(target, asset):
                    raise
    except OSError as exc:
        raise AssetError(f"cannot write assets to {root}: {exc}") from exc
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return root


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
    missing = [a.key for a in ASSETS if a in needed and not _is_complete(root / a.key, a)]
    if missing:
        raise AssetError(f"map assets {', '.join(missing)} not found in {root}; {_FETCH_HINT}")

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
                raise AssetError(f"cannot read {file}: {exc}; {_FETCH_HINT}") from exc
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
