"""Fused events: one event however many reports tell it, with every report kept.

Two reported events are the same event when all of these hold:

- the same type (a clash, an air strike, ...);
- the same day or adjacent days (a report of the next morning, a time zone apart);
- the same place, or one inside the other: a district of an area (the area lists it), a
  site within a district (by parent or by the district's outline). A city or a country
  holds too much to say two events in it are one: only the same city fuses;
- compatible actors: each report's sides, taken as camps (the government with Russia,
  the rebels with the jihadist groups, the Kurdish forces, the coalition), are all among
  the other's. A clash of the army with rebels and one of Kurdish forces with rebels in
  the same district on the same day are two clashes.

Events are taken in a fixed order (day, type, place, article, sentence) and each joins
the first fused event all of whose reports it matches, so the result does not depend on
the order the articles came in. A fused event keeps every report (article, outlet,
claimant, sentence); its place is the most precise one reported; its death toll is
low/best/high over the reports, each with who gave it (ACLED codes the lowest); it is a
fact if any report states it as one, a corroborated claim if sources independent of each
other (:func:`geoaleppo.partisans.independent`) claim it, else a claim.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from geoaleppo import partisans
from geoaleppo.model import Event, EventType, Place, Side

if TYPE_CHECKING:
    from geoaleppo.gazetteer import Gazetteer

_CAMPS = {Side.GOVERNMENT: "government", Side.RUSSIA: "government",
          Side.REBELS: "opposition", Side.JIHADISTS: "opposition",
          Side.KURDISH: "kurdish", Side.COALITION: "coalition"}
# How precisely a kind of place locates an event, finest first.
_FINENESS = {"landmark": 0, "district": 1, "area": 2, "city": 3, "region": 4, "country": 5}
# Places that can hold another for fusion (a city holds every district: too much).
_HOLDERS = frozenset({"area", "district"})

FACT, CLAIM, CORROBORATED = "fact", "claim", "corroborated claim"


@dataclass(frozen=True, slots=True)
class Toll:
    """A death toll over reports: the lowest, a middle and the highest figure, each with
    who gave it ("" when no report gives one)."""

    low: int | None = None
    low_claimant: str = ""
    low_is_bound: bool = False
    best: int | None = None
    best_claimant: str = ""
    high: int | None = None
    high_claimant: str = ""


@dataclass(frozen=True, slots=True)
class FusedEvent:
    """One event and every report of it.

    ``event`` is the report that stands for it (the most precisely placed, then the
    earliest, a fact before a claim); ``reports`` are all of them in a fixed order.
    """

    event: Event
    reports: tuple[Event, ...]
    place: Place | None
    date: str | None
    date_end: str | None
    actors: tuple[Side, ...]
    toll: Toll
    reported_as: str

    @property
    def type(self) -> EventType:
        return self.event.type

    @property
    def article_count(self) -> int:
        """How many articles report it (a sentence repeated in one article counts once)."""
        return len({_article_key(e) for e in self.reports})


def _article_key(event: Event) -> str:
    return event.article.id if event.article else f"{event.claimant}:{event.sentence}"


def _sort_key(event: Event) -> tuple[str, str, int, str, str, int, str, str]:
    place = event.place
    return (event.date or "9999", event.type, _FINENESS.get(place.kind, 6) if place else 9,
            place.id if place else "", _article_key(event), event.sentence_index,
            event.trigger, event.sentence)


def _camps(event: Event) -> frozenset[str]:
    return frozenset(_CAMPS[side] for side in event.actors if side in _CAMPS)


def compatible_actors(first: Event, second: Event) -> bool:
    """Whether two reports' sides can be the same fight (see the module's note)."""
    one, other = _camps(first), _camps(second)
    return one <= other or other <= one


def _parents(place: Place, gazetteer: Gazetteer | None) -> set[str]:
    found: set[str] = set()
    parent = place.parent
    while parent and parent not in found and len(found) < 6:
        found.add(parent)
        above = gazetteer.get(parent) if gazetteer is not None else None
        parent = above.parent if above is not None else None
    return found


def inside(inner: Place, outer: Place, gazetteer: Gazetteer | None = None) -> bool:
    """Whether ``inner`` lies within ``outer``, an area or district: a member of the
    area, a place under it, or a point inside its outline."""
    if outer.kind not in _HOLDERS or inner.id == outer.id:
        return False
    members = set(outer.members).union(*(ids for _day, ids in outer.members_on))
    if inner.id in members or outer.id in _parents(inner, gazetteer):
        return True
    if _FINENESS.get(inner.kind, 6) < _FINENESS[outer.kind] and outer.geometry is not None \
            and outer.geometry.geom_type in {"Polygon", "MultiPolygon"}:
        from shapely.geometry import Point

        return bool(outer.geometry.contains(Point(inner.lon, inner.lat)))
    return False


def _same_place(first: Event, second: Event, gazetteer: Gazetteer | None) -> bool:
    one, other = first.place, second.place
    if one is None or other is None:
        return False
    return one.id == other.id or inside(one, other, gazetteer) or inside(other, one, gazetteer)


def _day(event: Event) -> dt.date:
    assert event.date is not None
    return dt.date.fromisoformat(event.date[:10])


def same_event(first: Event, second: Event, gazetteer: Gazetteer | None = None) -> bool:
    """Whether two reported events are one (the rule in the module's note)."""
    if first.type != second.type or first.date is None or second.date is None:
        return False
    return (abs((_day(first) - _day(second)).days) <= 1
            and _same_place(first, second, gazetteer)
            and compatible_actors(first, second))


def fuse(events: Iterable[Event], gazetteer: Gazetteer | None = None
         ) -> tuple[FusedEvent, ...]:
    """Fuse reported events into one per event, sorted by day, type and place.

    An undated or unplaced event stands alone: there is nothing to match it by.
    """
    groups: list[list[Event]] = []
    # Open groups by type; a group stays open while its reports span at most two days.
    open_groups: dict[EventType, list[list[Event]]] = {}
    for event in sorted(events, key=_sort_key):
        if event.date is None or event.place is None:
            groups.append([event])
            continue
        candidates = open_groups.setdefault(event.type, [])
        # Groups whose last day is more than a day before this one can take no more.
        candidates[:] = [g for g in candidates if (_day(event) - _day(g[-1])).days <= 1]
        for group in candidates:
            if (_day(event) - _day(group[0])).days <= 1 and all(
                    same_event(event, member, gazetteer) for member in group):
                group.append(event)
                break
        else:
            group = [event]
            groups.append(group)
            candidates.append(group)
    fused = [_fused(group) for group in groups]
    fused.sort(key=lambda f: (f.date or "9999", f.type, f.place.id if f.place else "",
                              _sort_key(f.event)))
    return tuple(fused)


def _representative(reports: list[Event]) -> Event:
    return min(reports, key=lambda e: (_FINENESS.get(e.place.kind, 6) if e.place else 9,
                                       e.date or "9999", e.claimed, _sort_key(e)))


def _fused(reports: list[Event]) -> FusedEvent:
    reports = sorted(reports, key=_sort_key)
    first = _representative(reports)
    days = Counter(e.date for e in reports if e.date)
    # The day most reports give; on a tie, the earliest.
    date = min(days, key=lambda d: (-days[d], d)) if days else None
    ends = [e.date_end for e in reports if e.date_end]
    date_end = max(ends) if ends and max(ends) > (date or "") else None
    actors = list(first.actors)
    for report in reports:
        actors.extend(side for side in report.actors if side not in actors)
    return FusedEvent(first, tuple(reports), first.place, date, date_end, tuple(actors),
                      _toll(reports), _reported_as(reports))


def _toll(reports: list[Event]) -> Toll:
    # One figure per article and claimant: a figure an article repeats is one report.
    figures = sorted({(e.fatalities, e.claimant, e.fatalities_lower_bound)
                      for e in reports if e.fatalities is not None},
                     key=lambda f: (f[0] or 0, f[1], f[2]))
    if not figures:
        return Toll()
    low, best, high = figures[0], figures[(len(figures) - 1) // 2], figures[-1]
    return Toll(low[0], low[1], low[2], best[0], best[1], high[0], high[1])


def _reported_as(reports: list[Event]) -> str:
    if any(not e.claimed for e in reports):
        return FACT
    claimants = sorted({e.claimant for e in reports})
    if any(partisans.independent(one, other) for one in claimants for other in claimants):
        return CORROBORATED
    return CLAIM
