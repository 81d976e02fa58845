"""The time slider of a map of many days: each place's control intervals, events by day.

A map of a corpus draws control as it stood on one day and that day's events; the
slider moves the day. The page holds each place once, with the intervals of its status
(and the claims behind each), and each event symbol once, with the days it covers, so a
year of reports on 150 places stays near a megabyte instead of growing with every day
drawn. ``static/map.js`` picks what holds on the chosen day and draws only that, so
nothing from another day stays on the map after a jump.

A composite area (eastern Aleppo) is drawn on a day as the districts then in it
(:func:`geoaleppo.history.area_members_on`): the slider shows the besieged pocket shrink.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from geoaleppo import popups
from geoaleppo.cartography import (
    DISPLAY_TOLERANCE_DEG,
    EVENT_LAYERS,
    display_feature,
    display_shape,
    is_wide,
    symbol_anchor,
    symbol_of,
)
from geoaleppo.history import SIDE_AREAS, Interval
from geoaleppo.serialise import geometry_json
from geoaleppo.timeline import Timeline, timeline

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

    from geoaleppo.fusion import FusedEvent
    from geoaleppo.gazetteer import Gazetteer
    from geoaleppo.model import Place, Reading


def wants_slider(readings: Sequence[Reading]) -> bool:
    """Whether a map of ``readings`` needs a time slider: they were published on more
    than one day. (One article that narrates weeks asks for it with ``slider=True``.)"""
    return len({r.article.published for r in readings if r.article.published}) > 1


def _shift(day: str, days: int) -> str:
    return (dt.date.fromisoformat(day) + dt.timedelta(days=days)).isoformat()


def _changes_shape(place: Place) -> bool:
    """An area whose districts change over time: one side's part of the city, or one
    the gazetteer records on several days. (The Old City keeps its own outline.)"""
    return place.id in SIDE_AREAS or bool(place.members_on)


def _extents(place: Place, built: Timeline, gazetteer: Gazetteer, first: str, last: str
             ) -> list[dict[str, Any]]:
    """The member districts of a composite area, as runs of days with the same members."""
    days = {first, *(d for d, _ids in place.members_on), *built.history.days}
    runs: list[dict[str, Any]] = []
    for day in sorted(d for d in days if first <= d <= last):
        members = list(built.area_members_on(place, day, gazetteer))
        if runs and runs[-1]["members"] == members:
            continue
        if runs:
            runs[-1]["end"] = _shift(day, -1)
        runs.append({"start": day, "end": None, "members": members})
    return runs


def _interval_json(place: Place, interval: Interval) -> dict[str, Any]:
    return {
        "status": str(interval.status),
        "start": interval.start,
        "end": interval.end,
        "claimed": interval.claimed,
        "section": popups.control_section(
            place, interval.status + (" (claimed, not yet corroborated)" if interval.claimed
                                      else ""),
            interval.claims, limit=popups.MAX_CLAIMS_PER_SECTION),
    }


def _event_features(events: Sequence[FusedEvent], outlines: dict[str, BaseGeometry]
                    ) -> dict[str, list[dict[str, Any]]]:
    """One symbol per place, kind of symbol and span of days, listing its fused events.

    A symbol names its hover outline by id (added to ``outlines``): a district with
    events on a hundred days carries its outline once, not a hundred times.
    """
    groups: dict[tuple[str, str, str, str], list[FusedEvent]] = {}
    for fused in events:
        if fused.date is None or is_wide(fused.event) or (
                fused.place is None and fused.event.derived is None):
            continue
        key = (f"derived:{fused.event.derived.description}" if fused.event.derived
               else fused.place.id if fused.place else "")
        groups.setdefault((symbol_of(fused.type), key, fused.date, fused.date_end or fused.date),
                          []).append(fused)
    layers: dict[str, list[dict[str, Any]]] = {symbol: [] for _n, _k, symbol, _c in EVENT_LAYERS}
    for (symbol, _key, start, end), members in sorted(groups.items()):
        where, point, outline_id, outline = symbol_anchor(members[0].event, members[0].place)
        if outline_id is not None and outline is not None:
            outlines[outline_id] = outline
        layers[symbol].append(display_feature(point, {
            "count": len(members),
            "start": start,
            "end": end,
            "tooltip": popups.events_tooltip([f.event for f in members], where),
            "popup": popups.fused_popup(members, where),
            "outline": outline_id,
        }))
    return layers


def _unplaced(events: Sequence[FusedEvent]) -> list[dict[str, Any]]:
    """Fused events known only to the city or wider, or undated: the panel's list, each
    with the days it is listed on (an undated one on every day)."""
    items = []
    for fused in events:
        if fused.date is not None and not is_wide(fused.event) and (
                fused.place is not None or fused.event.derived is not None):
            continue
        where = fused.place.title if fused.place else "no place given"
        items.append({
            "title": popups.escape(f"{fused.type} — {where}, {fused.date or 'date unknown'}"),
            "popup": popups.fused_popup([fused], where),
            "start": fused.date,
            "end": fused.date_end or fused.date,
        })
    return sorted(items, key=lambda item: (item["start"] or "", item["title"], item["popup"]))


def slider_document(readings: Sequence[Reading], gazetteer: Gazetteer, *,
                    day: str | None = None, corroborated: bool = False,
                    context_ids: frozenset[str] = frozenset()) -> dict[str, Any] | None:
    """The slider's part of a map document, or None when nothing in ``readings`` is dated.

    ``day`` is the day the map opens on (default: the last); ``context_ids`` are the
    places whose outlines the page already carries, so they are not written twice.
    """
    built = timeline(readings, gazetteer, corroborated=corroborated)
    intervals = built.intervals()
    dates = [d for r in readings if (d := r.article.published)]
    dates += [i.start for i in intervals] + [i.end for i in intervals if i.end]
    dates += [d for e in built.events for d in (e.date, e.date_end) if d]
    if not dates:
        return None
    first, last = min(dates), max(dates)
    shapes: dict[str, BaseGeometry] = {}

    def shape_of(place: Place) -> None:
        shapes.setdefault(place.id, display_shape(place))

    places: list[tuple[float, dict[str, Any]]] = []
    for place_history in built.history.places:
        place = place_history.place
        extents = _extents(place, built, gazetteer, first, last) if _changes_shape(place) else []
        shape_of(place)
        for extent in extents:
            for member_id in extent["members"]:
                member = gazetteer.get(member_id)
                if member is not None:
                    shape_of(member)
        places.append((shapes[place.id].area, {
            "id": place.id,
            "title": popups.escape(place.title),
            "rough": bool(place.uncertainty_m) and place.geometry is not None
            and place.geometry.geom_type == "Point",
            "intervals": [_interval_json(place, i) for i in place_history.intervals],
            "extents": extents,
        }))
    # Drawn largest first, so a district stays clickable over the area holding it.
    places.sort(key=lambda item: (-item[0], item[1]["id"]))
    ordered = [{**place_json, "order": order} for order, (_size, place_json) in enumerate(places)]
    symbols = _event_features(built.events, shapes)
    opening = min(max(day or last, first), last)
    return {
        "first": first,
        "last": last,
        "day": opening,
        "changeDays": list(built.days),
        "view": "corroborated" if corroborated else "claimed",
        "shapes": {key: geometry_json(shape, tolerance=DISPLAY_TOLERANCE_DEG)
                   for key, shape in sorted(shapes.items()) if key not in context_ids},
        "places": ordered,
        "eventLayers": symbols,
        "unplaced": _unplaced(built.events),
    }
