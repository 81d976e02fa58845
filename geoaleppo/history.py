"""A dated control history: for every place, intervals of status and the claims behind them.

:func:`history` turns control claims from any number of articles into, for each place,
consecutive intervals (government-held, rebel-held, contested, Kurdish-held), each with
its ``start`` and ``end`` day and the claims of its days. The precedence, day by day:

1. Claims are taken place by place and day; an undated claim takes no part.
2. What a claim rests on weighs first (:class:`~geoaleppo.model.ClaimBasis`): a capture,
   a partial capture or a repelled assault (what happened) outweighs fighting, an assault
   or a split-phrase (what was going on), which outweigh a held-phrase (what a report
   takes for granted). Only the weightiest kind a day has counts. So a capture changes
   the holder from its day; a partial capture or an assault in progress makes the place
   contested; a repelled assault keeps the holder.
3. Each article has one say for the day: its last sentence of that kind, in the order
   the narrative tells it ("Later that day, the rebels regained all three villages").
4. Articles whose says disagree make the day contested.
5. A day's status holds until the next day with claims: a later claim supersedes an
   earlier one.
6. A side's claim about its own gains (see :mod:`geoaleppo.partisans`) is *claimed*
   until a source independent of that side makes the same claim within
   :data:`CORROBORATION_DAYS`; an interval that rests on claimed claims alone is marked
   so. ``history(claims, corroborated=True)`` leaves uncorroborated claims out: the
   history as only corroborated reports tell it.

Composite areas follow their members: :func:`area_members_on` gives the districts of
eastern Aleppo on a day as those then rebel-held (or contested), so the pocket shrinks as
districts fall.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from geoaleppo import partisans
from geoaleppo.model import ClaimBasis, ControlClaim, ControlStatus, Place, Side

if TYPE_CHECKING:
    from geoaleppo.gazetteer import Gazetteer

#: How long after a side's claim an independent source may repeat it and so corroborate
#: it (days; a repeat the day before counts too).
CORROBORATION_DAYS = 7

# What a claim rests on, weighed (see the module's note, rule 2).
_WEIGHT = {
    ClaimBasis.CAPTURE: 2, ClaimBasis.PARTIAL: 2, ClaimBasis.REPELLED: 2,
    ClaimBasis.FIGHTING: 1, ClaimBasis.ASSAULT: 1, ClaimBasis.SPLIT: 1,
    ClaimBasis.HELD: 0,
}
_SIDE_STATUS = {Side.GOVERNMENT: ControlStatus.GOVERNMENT, Side.RUSSIA: ControlStatus.GOVERNMENT,
                Side.REBELS: ControlStatus.REBELS, Side.JIHADISTS: ControlStatus.REBELS,
                Side.KURDISH: ControlStatus.KURDISH}

#: The areas that are one side's part of the city, and that side's status: each is, on a
#: day, the districts that side then holds (see :func:`area_members_on`).
SIDE_AREAS: dict[str, ControlStatus] = {
    "eastern-aleppo": ControlStatus.REBELS,
    "western-aleppo": ControlStatus.GOVERNMENT,
}


@dataclass(frozen=True, slots=True)
class Interval:
    """A place's status from ``start`` to ``end`` (ISO days, both included; ``end`` is
    None while it lasts), with the claims of its days that decided it."""

    place: Place
    status: ControlStatus
    start: str
    end: str | None
    claims: tuple[ControlClaim, ...]
    #: Whether it rests only on a side's word about its own gains (rule 6).
    claimed: bool = False

    def holds_on(self, day: str) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True, slots=True)
class PlaceStatus:
    """Where a place stands on a day: its status, since when, and the claims behind it.

    ``place``, ``status`` and ``claims`` are what :class:`geoaleppo.control.Status`
    has, so a map can draw either.
    """

    place: Place
    status: ControlStatus
    claims: tuple[ControlClaim, ...]
    since: str
    claimed: bool = False


@dataclass(frozen=True, slots=True)
class PlaceHistory:
    """One place's intervals, oldest first."""

    place: Place
    intervals: tuple[Interval, ...]

    def on(self, day: str) -> Interval | None:
        """The interval that holds on ``day`` (None before the first)."""
        for interval in self.intervals:
            if interval.holds_on(day):
                return interval
        return None


@dataclass(frozen=True, slots=True)
class History:
    """Every place's intervals (places sorted by id), and the claims that took no part."""

    places: tuple[PlaceHistory, ...]
    corroborated: bool = False
    #: Claims left out: undated ones, and in the corroborated view uncorroborated ones.
    left_out: tuple[ControlClaim, ...] = ()

    def of(self, place_id: str) -> PlaceHistory | None:
        """The history of one place, if it has any."""
        for place_history in self.places:
            if place_history.place.id == place_id:
                return place_history
        return None

    def status_on(self, day: str) -> tuple[PlaceStatus, ...]:
        """Each place's status on ``day`` (ISO date), sorted by place id; places whose
        first claim comes later are left out."""
        found = []
        for place_history in self.places:
            interval = place_history.on(day)
            if interval is not None:
                found.append(PlaceStatus(interval.place, interval.status, interval.claims,
                                         interval.start, interval.claimed))
        return tuple(found)

    @property
    def days(self) -> tuple[str, ...]:
        """The days on which some place's status changed (or was first known), in order."""
        return tuple(sorted({i.start for p in self.places for i in p.intervals}))

    def changes_on(self, day: str) -> tuple[tuple[Interval | None, Interval], ...]:
        """(before, after) for each place whose interval starts on ``day``."""
        changes = []
        for place_history in self.places:
            for number, interval in enumerate(place_history.intervals):
                if interval.start == day:
                    before = place_history.intervals[number - 1] if number else None
                    changes.append((before, interval))
        return tuple(changes)


def history(claims: Iterable[ControlClaim], *, corroborated: bool = False,
            until: str | None = None) -> History:
    """The dated control history the ``claims`` add up to (see the module's note).

    Parameters
    ----------
    claims
        Control claims from any number of readings.
    corroborated
        Leave out a side's claims about its own gains that no independent source repeats.
    until
        Take no claim after this ISO day (nor count it as corroboration).
    """
    dated, left_out = [], []
    for claim in claims:
        if claim.date is None or (until is not None and claim.date > until):
            if claim.date is None:
                left_out.append(claim)
            continue
        dated.append(claim)
    dated.sort(key=_claim_order)
    unconfirmed = _uncorroborated(dated)
    if corroborated:
        left_out.extend(c for c in dated if c in unconfirmed)
        dated = [c for c in dated if c not in unconfirmed]
    by_place: dict[str, list[ControlClaim]] = defaultdict(list)
    for claim in dated:
        by_place[claim.place.id].append(claim)
    places = tuple(
        PlaceHistory(by_place[place_id][0].place,
                     _intervals(by_place[place_id], unconfirmed))
        for place_id in sorted(by_place)
    )
    left_out.sort(key=_claim_order)
    return History(places, corroborated, tuple(left_out))


def _claim_order(claim: ControlClaim) -> tuple[str, str, str, int, str, str, str]:
    # A total order on claims that does not depend on the order they came in.
    article = claim.article
    return (claim.date or "", claim.place.id, article.id if article else "",
            claim.sentence_index, claim.status, claim.basis, claim.claimant)


def _self_claim(claim: ControlClaim) -> bool:
    """Whether a claim is a side's word about its own gains."""
    side = partisans.side_of(claim.claimant)
    return side is not None and _SIDE_STATUS.get(side) == claim.status


def _uncorroborated(claims: list[ControlClaim]) -> frozenset[ControlClaim]:
    """The self-claims that no independent source repeats in time (rule 6)."""
    by_place_status: dict[tuple[str, ControlStatus], list[ControlClaim]] = defaultdict(list)
    for claim in claims:
        by_place_status[(claim.place.id, claim.status)].append(claim)
    found = []
    for claim in claims:
        if not _self_claim(claim):
            continue
        assert claim.date is not None
        day = dt.date.fromisoformat(claim.date)
        earliest = (day - dt.timedelta(days=1)).isoformat()
        latest = (day + dt.timedelta(days=CORROBORATION_DAYS)).isoformat()
        if not any(
            other.date is not None and earliest <= other.date <= latest
            and partisans.independent(claim.claimant, other.claimant)
            for other in by_place_status[(claim.place.id, claim.status)]
        ):
            found.append(claim)
    return frozenset(found)


def _day_status(claims: list[ControlClaim]) -> tuple[ControlStatus, list[ControlClaim]]:
    """One day's status of one place and the claims that decided it (rules 2 to 4)."""
    weight = max(_WEIGHT[c.basis] for c in claims)
    weighty = [c for c in claims if _WEIGHT[c.basis] == weight]
    by_article: dict[str, list[ControlClaim]] = defaultdict(list)
    for claim in weighty:
        by_article[claim.article.id if claim.article else claim.claimant].append(claim)
    says, deciding = set(), []
    for article_id in sorted(by_article):
        told = by_article[article_id]
        last = max(c.sentence_index for c in told)
        final = [c for c in told if c.sentence_index == last]
        statuses = {c.status for c in final}
        says.add(statuses.pop() if len(statuses) == 1 else ControlStatus.CONTESTED)
        deciding.extend(final)
    status = says.pop() if len(says) == 1 else ControlStatus.CONTESTED
    return status, deciding


def _intervals(claims: list[ControlClaim], unconfirmed: frozenset[ControlClaim]
               ) -> tuple[Interval, ...]:
    """A place's intervals from its claims, sorted by day (rule 5)."""
    by_day: dict[str, list[ControlClaim]] = defaultdict(list)
    for claim in claims:
        assert claim.date is not None
        by_day[claim.date].append(claim)
    intervals: list[Interval] = []
    status: ControlStatus | None = None
    start = ""
    behind: list[ControlClaim] = []
    claimed = True
    for day in sorted(by_day):
        today, deciding = _day_status(by_day[day])
        if today != status:
            if status is not None:
                intervals.append(Interval(claims[0].place, status, start, _day_before(day),
                                          tuple(behind), claimed))
            status, start, behind, claimed = today, day, [], True
        behind.extend(deciding)
        claimed = claimed and all(c in unconfirmed for c in deciding)
    if status is not None:
        intervals.append(Interval(claims[0].place, status, start, None, tuple(behind),
                                  claimed))
    return tuple(intervals)


def _day_before(day: str) -> str:
    return (dt.date.fromisoformat(day) - dt.timedelta(days=1)).isoformat()


def area_members_on(place: Place, day: str, history: History,
                    gazetteer: Gazetteer | None = None) -> tuple[str, ...]:
    """The member ids of a composite area on ``day``, as the history has them.

    A side's area (:data:`SIDE_AREAS`: eastern Aleppo, the rebels') is the districts
    that side holds or contests on that day, among the area's recorded members and, with
    a ``gazetteer``, the other side's area's; a district the history says nothing about
    by then keeps the gazetteer's record for the day (:meth:`Place.members_as_of`).
    Other areas (the Old City) keep their recorded members.
    """
    _recorded_day, recorded = place.members_as_of(day)
    side = SIDE_AREAS.get(place.id)
    if side is None:
        return recorded
    candidates = set(place.members).union(*(ids for _day, ids in place.members_on))
    if gazetteer is not None:
        for other_id in SIDE_AREAS:
            other = gazetteer.get(other_id) if other_id != place.id else None
            if other is not None:
                candidates.update(other.members)
    statuses = {s.place.id: s.status for s in history.status_on(day)}
    members = []
    for member in sorted(candidates):
        status = statuses.get(member)
        if status is None:
            if member in recorded:
                members.append(member)
        elif status in {side, ControlStatus.CONTESTED}:
            members.append(member)
    return tuple(members)
