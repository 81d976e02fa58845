"""Shared fixtures: pinned map assets and an offline headless Chromium."""

from __future__ import annotations

import importlib.util
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
# Debian's chromium is used as is: `playwright install` would download its own
# browser build, which cannot be fetched on these machines.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def assets() -> Path:
    """Pinned map assets, fetched once into the default shared directory.

    The default directory (not a tmp dir) is used so the download happens once
    per machine, not once per test run.
    """
    if shutil.which("npm") is None:
        pytest.skip("npm is not installed, so the pinned map assets cannot be fetched")
    from geoaleppo.assets import fetch_assets

    return fetch_assets()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """A headless Debian Chromium driven by playwright, for the whole session."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    if importlib.util.find_spec("playwright") is None:
        pytest.skip("playwright is not installed (pip install playwright)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class OfflinePage:
    """A page with the network cut off, and what went wrong on it.

    Attributes
    ----------
    page : playwright.sync_api.Page
        The page; navigate it to a ``file:`` URL.
    errors : list of str
        Uncaught exceptions and console errors, in order.
    blocked : list of str
        URLs the page tried to load and was refused.
    """

    page: Any
    errors: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)


@pytest.fixture
def offline_page(browser: Any) -> Iterator[OfflinePage]:
    """A fresh offline page that may load only ``file:`` and ``data:`` URLs."""
    # Both guards on purpose: offline=True alone still lets the page try
    # (and fail quietly), while the route also records what was attempted.
    context = browser.new_context(offline=True)
    page = context.new_page()
    result = OfflinePage(page)

    def guard(route: Any) -> None:
        url = route.request.url
        if url.startswith(("file:", "data:")):
            route.continue_()
        else:
            result.blocked.append(url)
            route.abort()

    page.route("**/*", guard)
    page.on("pageerror", lambda exc: result.errors.append(f"pageerror: {exc}"))
    page.on(
        "console",
        lambda msg: result.errors.append(f"console: {msg.text}") if msg.type == "error" else None,
    )
    try:
        yield result
    finally:
        context.close()


#: The window the map tests look through: a laptop screen.
VIEWPORT = {"width": 1280, "height": 860}


@pytest.fixture
def page(offline_page: OfflinePage) -> Iterator[Any]:
    """An offline page at :data:`VIEWPORT` that must end with no script error and no
    attempt to reach the network."""
    offline_page.page.set_viewport_size(VIEWPORT)
    yield offline_page.page
    assert offline_page.errors == [], offline_page.errors
    assert offline_page.blocked == []


@pytest.fixture(scope="session")
def own_mounts(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Any]:
    """Run a shell script in a mount namespace of its own, where it may mount tmpfs.

    For the faults a test cannot make with chmod, since root writes through it: a
    read-only file system and a full disk, both real. The mounts vanish with the script,
    whatever becomes of the test. Skips where ``unshare`` cannot make the namespace.
    """
    import subprocess

    unshare = shutil.which("unshare")
    if unshare is None:
        pytest.skip("util-linux unshare is not installed")
    command = [unshare, "--mount", "--map-root-user", "sh", "-c"]
    probe = tmp_path_factory.mktemp("probe")
    try:
        works = subprocess.run([*command, f"mount -t tmpfs -o size=1m tmpfs '{probe}'"],
                               capture_output=True, timeout=30, check=False).returncode == 0
    except OSError:
        works = False
    if not works:
        pytest.skip("cannot mount tmpfs in a private mount namespace (no user namespaces?)")

    def run(script: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*command, script], capture_output=True, text=True,
                              timeout=120, check=False)

    return run


def placed(text: str) -> dict[str, list[Any]]:
    """Each name the reader placed in ``text``, with the places it gave it, in order."""
    from geoaleppo.reader import read_text

    found: dict[str, list[Any]] = {}
    for mention in read_text(text).mentions:
        if mention.place is not None:
            found.setdefault(mention.text, []).append(mention.place)
    return found
