"""The README's "As a library" block runs as written, and the public names are there."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

import geoaleppo

ROOT = Path(__file__).resolve().parents[1]


def _library_block() -> str:
    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme.split("## As a library", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, re.S)
    assert len(blocks) == 1
    return blocks[0]


def test_the_readme_library_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "maps").symlink_to(ROOT / "maps")
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, Any] = {}
    exec(compile(_library_block(), "README.md", "exec"), namespace)
    assert namespace["place"].id == "qadi-askar"
    assert "per" in capsys.readouterr().out
    assert (tmp_path / "aleppo.html").stat().st_size > 100_000
    assert namespace["counts"]["events"] > 0
    # The folium map renders in a notebook the way the saved page does.
    html = namespace["fmap"]._repr_html_()
    assert "geoaleppoMap" in html


def test_public_names_resolve_and_unknown_ones_fail() -> None:
    for name in geoaleppo.__all__:
        assert getattr(geoaleppo, name) is not None
    with pytest.raises(AttributeError, match="no attribute"):
        _ = geoaleppo.no_such_thing
