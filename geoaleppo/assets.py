"""The pinned map assets: Leaflet, jQuery and the plugins a map uses, from npm.

:func:`fetch_assets` downloads each pinned npm package once, at setup time
(``geoaleppo assets fetch``), checks its tarball against a hard-coded sha512
integrity and keeps only the files a map needs, outside the repository in a cache
directory. :data:`URL_TABLE` says which CDN URL folium writes stands for which of
those files, for :mod:`geoaleppo.offline` to inline.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from geoaleppo.errors import AssetError

__all__ = ["ASSETS", "MAP_ASSETS", "URL_TABLE", "Asset", "AssetError", "AssetRef",
           "asset_tags", "assets_dir", "fetch_assets"]


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

FULLSCREEN_JS_URL = "https://cdn.jsdelivr.net/npm/leaflet.fullscreen@3.0.0/Control.FullScreen.js"
FULLSCREEN_CSS_URL = "https://cdn.jsdelivr.net/npm/leaflet.fullscreen@3.0.0/Control.FullScreen.css"
URL_TABLE[FULLSCREEN_JS_URL] = AssetRef(FULLSCREEN, "Control.FullScreen.js", "js")

#: What a geoaleppo map loads, in order: Leaflet and the fullscreen control, nothing else
#: (its own script draws every layer). Each with the Subresource Integrity hash of the
#: pinned file, worked out from the integrity-checked npm tarball: the CDN serves those
#: same bytes, and a browser refuses any others.
MAP_ASSETS: tuple[tuple[str, Literal["js", "css"], str], ...] = (
    (LEAFLET_CSS_URL, "css",
     "sha384-o/2yZuJZWGJ4s/adjxVW71R+EO/LyCwdQfP5UWSgX/w87iiTXuvDZaejd3TsN7mf"),
    (FULLSCREEN_CSS_URL, "css",
     "sha384-73+xhNp0ojkCt/iDWKlGxfuMbKCt8OcstZj1N30Eo3XQTMu13XLkURBo8SrsLqS4"),
    (LEAFLET_JS_URL, "js",
     "sha384-okbbMvvx/qfQkmiQKfd5VifbKZ/W8p1qIsWvE1ROPUfHWsDcC8/BnHohF7vPg2T6"),
    (FULLSCREEN_JS_URL, "js",
     "sha384-x7v1I62R/kj/KTKVdkOISydKyk8O5/CC0zFoK9TvDab7IYP7mBGOGxr4gAifMiZR"),
)


def asset_tags() -> str:
    """The ``<link>`` and ``<script>`` tags of :data:`MAP_ASSETS`, with their hashes."""
    tags = []
    for url, kind, integrity in MAP_ASSETS:
        if kind == "css":
            tags.append(f'<link rel="stylesheet" href="{url}" integrity="{integrity}" '
                        'crossorigin="anonymous"/>')
        else:
            tags.append(f'<script src="{url}" integrity="{integrity}" '
                        'crossorigin="anonymous"></script>')
    return "\n".join(tags)


FETCH_HINT = "run `geoaleppo assets fetch`"


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


def is_complete(target: Path, asset: Asset) -> bool:
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
    todo = [a for a in ASSETS if not is_complete(root / a.key, a)]
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
                if not is_complete(target, asset):
                    raise
    except OSError as exc:
        raise AssetError(f"cannot write assets to {root}: {exc}") from exc
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return root
