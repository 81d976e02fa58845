"""Who holds which place: dated claims from the text, and the status they add up to.

Claims come from held-phrases ("rebel-held areas of eastern Aleppo"), from split-phrases
("long split between government- and rebel-held areas": contested) and from events (a
capture makes the captor's claim; fighting in a place makes it contested). Claims of the
same day that disagree make a place contested; a later day's claims supersede earlier
ones; every claim stays in the record behind the status.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from dataclasses import dataclass

from geoaleppo.lexicon import Clause, as_clause
from geoaleppo.model import (
    Article,
    ControlClaim,
    ControlStatus,
    Event,
    EventType,
    Mention,
    Place,
    Side,
)
from geoaleppo.text import Sentence

_SIDE_STATUS = {
    Side.GOVERNMENT: ControlStatus.GOVERNMENT,
    Side.REBELS: ControlStatus.REBELS,
    Side.JIHADISTS: ControlStatus.REBELS,
    Side.KURDISH: ControlStatus.KURDISH,
}
# These are matched in lower-cased text (lexicon.lowercased), which is faster than
# ignoring case.
_HELD_RE = re.compile(
    r"\b(?P<side>government|regime|army|rebel|opposition|insurgent|kurdish|ypg)[- ]"
    r"(?:held|controlled)\b|\b(?:under|of) (?P<side2>rebel|opposition|government|regime|"
    r"kurdish) control\b|\bheld by (?P<side3>rebels|insurgents|the opposition|the government|"
    r"government forces|the army)\b"
)
_SPLIT_RE = re.compile(
    r"\b(?:split|divided|contested|front ?line|frontline)\b(?:[^.]{0,60}\bbetween\b)?"
)
_BOTH_SIDES_RE = re.compile(r"government[- ].{0,20}rebel|rebel[- ].{0,20}government")


def _status_word(word: str) -> ControlStatus:
    word = word.lower()
    if word in {"government", "regime", "army", "the government", "government forces",
                "the army"}:
        return ControlStatus.GOVERNMENT
    if word in {"kurdish", "ypg"}:
        return ControlStatus.KURDISH
    return ControlStatus.REBELS


@dataclass(frozen=True, slots=True)
class Status:
    """Where a place stands on a date, and the claims behind it."""

    place: Place
    status: ControlStatus
    claims: tuple[ControlClaim, ...]


# Every held-phrase or split-phrase has one of these words.
_CONTROL_WORDS = frozenset({"held", "controlled", "control", "split", "divided", "contested",
                            "front", "frontline"})


def mentions_control(sentence: Clause | str) -> bool:
    """Whether a sentence has any words a control claim is made of (a cheap pre-check)."""
    clause = as_clause(sentence)
    if _CONTROL_WORDS.isdisjoint(clause.words):
        return False
    lowered = clause.lowered
    return bool(_HELD_RE.search(lowered) or _SPLIT_RE.search(lowered))


def claims_from_text(
    sentence: Sentence, clause: Clause, mentions: list[Mention], article: Article,
    claimant: str,
) -> list[ControlClaim]:
    """Held-phrases and split-phrases about the places a sentence (``clause``) names,
    dated as the article is."""
    date = article.published
    text = sentence.text
    located = [(m, m.place) for m in mentions if m.role == "location" and m.place is not None
               and m.place.kind in {"district", "area", "landmark"} and m.derived is None]
    if not located:
        return []
    claims = []
    lowered = clause.lowered
    if _SPLIT_RE.search(lowered) and _BOTH_SIDES_RE.search(lowered):
        for _mention, place in located:
            claims.append(ControlClaim(ControlStatus.CONTESTED, place, date, claimant,
                                       text, sentence.index, article))
        return claims
    # In text order, so the nearest mention to each phrase is a bisection away: a long
    # sentence of held-phrases and places would otherwise weigh every pair.
    located.sort(key=lambda pair: pair[0].start)
    starts = [m.start for m, _place in located]
    for match in _HELD_RE.finditer(lowered):
        side = match.group("side") or match.group("side2") or match.group("side3")
        status = _status_word(side)
        # The held-phrase describes the place it sits on or the one right after it, else
        # the last one before it (the first written of those that start there).
        offset = sentence.start + match.start()
        after = bisect.bisect_left(starts, offset)
        nearest, place = located[after if after < len(located)
                                 else bisect.bisect_left(starts, starts[-1])]
        if abs(nearest.start - offset) > 60:
            continue
        claims.append(ControlClaim(status, place, date, claimant, text, sentence.index,
                                   article))
    return claims


# Fighting in a place, of these types, makes it contested.
_CONTESTING = frozenset({EventType.CLASH, EventType.COUNTER_ATTACK, EventType.ADVANCE})


def claims_from_events(events: list[Event]) -> list[ControlClaim]:
    """Captures claim the place for the captor; fighting in a place makes it contested."""
    claims = []
    # A clause that takes many places makes a capture of each, all of one sentence: it
    # is read once, not once a place.
    retaken: dict[str, bool] = {}
    for event in events:
        place = event.place
        if place is None or event.derived is not None or place.kind not in {
            "district", "area", "landmark"
        }:
            continue
        if event.type == EventType.CAPTURE and event.actors:
            status = _SIDE_STATUS.get(event.actors[0])
            if status:
                claims.append(ControlClaim(status, place, event.date, event.claimant,
                                           event.sentence, event.sentence_index, event.article))
        if event.type in _CONTESTING or (
            event.type == EventType.CAPTURE and _retaken(event.sentence, retaken)
        ):
            claims.append(ControlClaim(ControlStatus.CONTESTED, place, event.date,
                                       event.claimant, event.sentence, event.sentence_index,
                                       event.article))
    return claims


def _retaken(sentence: str, known: dict[str, bool]) -> bool:
    found = known.get(sentence)
    if found is None:
        found = known[sentence] = bool(_RETAKE_RE.search(sentence))
    return found


_RETAKE_RE = re.compile(r"\btake back|retake|fighting back\b", re.I)


def unique(claims: list[ControlClaim]) -> list[ControlClaim]:
    """Claims without repeats (one sentence may state the same thing twice)."""
    seen = set()
    result = []
    for claim in claims:
        key = (claim.status, claim.place.id, claim.date, claim.claimant, claim.sentence_index)
        if key not in seen:
            seen.add(key)
            result.append(claim)
    return result


def status_on(claims: list[ControlClaim], date: str | None = None) -> list[Status]:
    """Each place's status on ``date`` (default: whatever the claims' latest date is).

    For each place the claims of its most recent day up to ``date`` count (a capture
    reported on the 6th supersedes fighting on the 4th); if they disagree, or any says
    contested, the place is contested. Undated claims count only where nothing dated
    is known.
    """
    dated = [c for c in claims if date is None or c.date is None or c.date <= date]
    by_place: dict[str, list[ControlClaim]] = defaultdict(list)
    for claim in dated:
        by_place[claim.place.id].append(claim)
    result = []
    for place_id in sorted(by_place):
        place_claims = by_place[place_id]
        days = sorted({c.date for c in place_claims if c.date is not None})
        latest = [c for c in place_claims if c.date == days[-1]] if days else place_claims
        statuses = {c.status for c in latest}
        status = statuses.pop() if len(statuses) == 1 else ControlStatus.CONTESTED
        result.append(Status(place_claims[0].place, status, tuple(place_claims)))
    return result
