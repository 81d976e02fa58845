"""A corpus read into one timeline: fused events and a dated control history.

:func:`timeline` is what ``geoaleppo timeline`` and a time-slider map stand on: from any
number of readings it makes a :class:`Timeline` whose :meth:`~Timeline.status_on` gives
every place's status (and the claims behind it) on a day, whose :attr:`~Timeline.days`
are the days on which something changed hands, and whose ``events`` are the corpus's
events fused across reports (:mod:`geoaleppo.fusion`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from geoaleppo import fusion
from geoaleppo.history import History, Interval, PlaceStatus, area_members_on, history
from geoaleppo.model import ControlClaim, Event, Place, Reading

if TYPE_CHECKING:
    from geoaleppo.gazetteer import Gazetteer


@dataclass(frozen=True, slots=True)
class Change:
    """A place whose status differs between two days (``before`` None: not yet known)."""

    place: Place
    before: PlaceStatus | None
    after: PlaceStatus | None


@dataclass(frozen=True, slots=True)
class Timeline:
    """Fused events and the control history of a corpus, between ``start`` and ``end``.

    ``start`` and ``end`` (ISO days, or None for the corpus's own span) bound the events
    kept and the claims weighed (none after ``end``); the history before ``start`` still
    sets where each place stood on that day.
    """

    history: History
    events: tuple[fusion.FusedEvent, ...]
    start: str | None = None
    end: str | None = None
    articles: int = 0

    def status_on(self, day: str) -> tuple[PlaceStatus, ...]:
        """Each place's status on ``day``, with the claims behind it, sorted by place id."""
        return self.history.status_on(day)

    @property
    def days(self) -> tuple[str, ...]:
        """The days within the timeline on which some place changed status, in order."""
        return tuple(day for day in self.history.days if self._within(day))

    @property
    def event_days(self) -> tuple[str, ...]:
        """The days that have fused events, in order."""
        return tuple(sorted({e.date for e in self.events if e.date}))

    def events_on(self, day: str) -> tuple[fusion.FusedEvent, ...]:
        """The fused events of ``day`` (a multi-day event on each of its days)."""
        return tuple(e for e in self.events
                     if e.date is not None and e.date <= day <= (e.date_end or e.date))

    def intervals(self) -> tuple[Interval, ...]:
        """Every place's intervals that reach into the timeline, by place then start."""
        return tuple(interval for place in self.history.places
                     for interval in place.intervals
                     if (self.start is None or interval.end is None
                         or interval.end >= self.start)
                     and self._within(interval.start, check_start=False))

    def changes_on(self, day: str) -> tuple[tuple[Interval | None, Interval], ...]:
        """(before, after) for each place whose status changed on ``day``."""
        return self.history.changes_on(day)

    def diff(self, first: str, second: str) -> tuple[Change, ...]:
        """The places whose status on ``second`` differs from that on ``first``."""
        before = {s.place.id: s for s in self.status_on(first)}
        after = {s.place.id: s for s in self.status_on(second)}
        changes = []
        for place_id in sorted(before.keys() | after.keys()):
            old, new = before.get(place_id), after.get(place_id)
            known = new or old
            if known is not None and (old.status if old else None) != (
                    new.status if new else None):
                changes.append(Change(known.place, old, new))
        return tuple(changes)

    def area_members_on(self, place: Place, day: str,
                        gazetteer: Gazetteer | None = None) -> tuple[str, ...]:
        """The members of composite area ``place`` on ``day``
        (see :func:`geoaleppo.history.area_members_on`)."""
        return area_members_on(place, day, self.history, gazetteer)

    def _within(self, day: str, *, check_start: bool = True) -> bool:
        if check_start and self.start is not None and day < self.start:
            return False
        return self.end is None or day <= self.end


def _without_text(reading: Reading) -> tuple[list[Event], list[ControlClaim]]:
    """A reading's events and claims, their article without its text: a corpus of
    thousands of articles keeps what the timeline needs, not every article whole."""
    article = dataclasses.replace(reading.article, text="")
    events = [dataclasses.replace(e, article=article) for e in reading.events]
    claims = [dataclasses.replace(c, article=article) for c in reading.control]
    return events, claims


def timeline(readings: Iterable[Reading], gazetteer: Gazetteer | None = None, *,
             start: str | None = None, end: str | None = None,
             corroborated: bool = False) -> Timeline:
    """Read ``readings`` (any iterable: a corpus streams through) into a :class:`Timeline`.

    Parameters
    ----------
    readings
        The readings of the corpus, in any order.
    gazetteer
        Used to tell which place lies inside which when fusing events.
    start, end
        ISO days bounding the timeline (see :class:`Timeline`).
    corroborated
        Leave out a side's claims about its own gains that no independent source
        repeats (:func:`geoaleppo.history.history`).
    """
    events: list[Event] = []
    claims: list[ControlClaim] = []
    count = 0
    for reading in readings:
        count += 1
        more_events, more_claims = _without_text(reading)
        events.extend(e for e in more_events
                      if e.date is None or ((start is None or e.date >= start)
                                            and (end is None or e.date <= end)))
        claims.extend(more_claims)
    if start is not None or end is not None:
        events = [e for e in events if e.date is not None]
    return Timeline(history(claims, corroborated=corroborated, until=end),
                    fusion.fuse(events, gazetteer), start, end, count)


def changes_table(built: Timeline) -> str:
    """The timeline as a person reads it: one line per change of hands, by day, with the
    claims behind it; then what the corpus added up to."""
    lines = []
    width = max((len(p.place.title) for p in built.history.places), default=10)
    for day in built.days:
        for before, after in built.changes_on(day):
            lines.append(_change_line(day, after.place.title, before.status if before else None,
                                      after.status, after.claims, after.claimed, width))
    changes = len(lines)
    reports = sum(len(e.reports) for e in built.events)
    lines.append(
        f"{_count(len(built.history.places), 'place')}, {_count(changes, 'change')} on "
        f"{_count(len(built.days), 'day')}; {_count(len(built.events), 'fused event')} from "
        f"{_count(reports, 'report')} in {_count(built.articles, 'article')}"
        + (" (corroborated claims only)" if built.history.corroborated else ""))
    return "\n".join(lines)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def diff_table(built: Timeline, first: str, second: str) -> str:
    """What changed hands between two days, one line per place."""
    changes = built.diff(first, second)
    width = max((len(c.place.title) for c in changes), default=10)
    lines = [
        _change_line(second, change.place.title,
                     change.before.status if change.before else None,
                     change.after.status if change.after else None,
                     change.after.claims if change.after else (),
                     change.after.claimed if change.after else False, width,
                     since=change.after.since if change.after else None)
        for change in changes
    ]
    lines.append(f"{_count(len(changes), 'place')} changed between {first} and {second}")
    return "\n".join(lines)


def _change_line(day: str, title: str, before: str | None, after: str | None,
                 claims: tuple[ControlClaim, ...], claimed: bool, width: int, *,
                 since: str | None = None) -> str:
    claimants = sorted({c.claimant for c in claims})
    shown = ", ".join(claimants[:3]) + (f" +{len(claimants) - 3}" if len(claimants) > 3 else "")
    count = _count(len(claims), "claim")
    when = f"since {since}  " if since and since != day else ""
    mark = "  (claimed)" if claimed else ""
    return (f"{day}  {title:<{width}}  {before or '-':<15} -> {after or '-':<15}  "
            f"{when}{count}: {shown}{mark}")
