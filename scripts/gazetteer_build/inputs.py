"""Reading the inputs: the CSR GeoJSON files and the cited data under scripts/data.

The CSR files (neighbourhood outlines, heritage points, UNOSAT damage points) come from
the ``--source`` folder; the sides of 2016 and the cited points are committed beside
this package in scripts/data.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SCRIPT_DATA = Path(__file__).resolve().parents[1] / "data"


# Outline names the CSR file spells in a way that rules cannot fold onto the form
# reporters use (a Sheikh Said/Sa'eed pair folds by rule; these do not).
TITLE_OVERRIDES: dict[str, str] = {}


def load(path: Path) -> list[dict[str, Any]]:
    return json.loads(path.read_text(encoding="utf-8"))["features"]


def load_sides() -> dict[str, Any] | None:
    path = SCRIPT_DATA / "aleppo-2016-sides.json"
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def load_cited_points() -> dict[str, Any] | None:
    path = SCRIPT_DATA / "district-points.json"
    return json.loads(path.read_text("utf-8")) if path.exists() else None
