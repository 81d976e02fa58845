"""Who holds which place: dated claims from the text, and the status they add up to.

Claims come from held-phrases ("rebel-held areas of eastern Aleppo"), from split-phrases
("long split between government- and rebel-held areas": contested) and from events (a
capture makes the captor's claim; fighting in a place makes it contested). Claims of the
same day that disagree make a place contested; a later day's claims supersede earlier
ones; every claim stays in the record behind the status.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from geoaleppo.events import sides_in
from geoaleppo.lexicon import Clause, as_clause
from geoaleppo.model import (
    Article,
    ClaimBasis,
    ControlClaim,
    ControlStatus,
    Event,
    EventType,
    Mention,
    Name,
    Place,
    Side,
)
from geoaleppo.names import variant_key
from geoaleppo.text import DateExpression, Sentence

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
    claimant: str, *, dates: tuple[DateExpression, ...] = (),
) -> list[ControlClaim]:
    """Held-phrases and split-phrases about the places a sentence (``clause``) names,
    dated by the sentence's ``dates`` (offsets into the sentence; the day nearest the
    phrase), else as the article is."""
    text = sentence.text
    # A loose span that runs up to publication ("since mid-November", "in recent days")
    # says the place is held now: the claim is of the article's day.
    days = [d for d in dates if d.precision <= 2
            and (d.end is None or d.end.isoformat() != article.published)]

    def date_at(offset: int) -> str | None:
        if not days:
            return article.published
        return min(days, key=lambda d: abs(d.offset - offset)).start.isoformat()

    located = [(m, m.place) for m in mentions if m.role == "location" and m.place is not None
               and m.place.kind in {"district", "area", "landmark"} and m.derived is None]
    if not located:
        return []
    claims = []
    lowered = clause.lowered
    split = _SPLIT_RE.search(lowered)
    if split and _BOTH_SIDES_RE.search(lowered):
        for _mention, place in located:
            claims.append(ControlClaim(ControlStatus.CONTESTED, place, date_at(split.start()),
                                       claimant, text, sentence.index, article,
                                       ClaimBasis.SPLIT))
        return claims
    for match in _HELD_RE.finditer(lowered):
        side = match.group("side") or match.group("side2") or match.group("side3")
        status = _status_word(side)
        # The held-phrase describes the place it sits on or the one right after it.
        offset = sentence.start + match.start()
        nearest, place = min(located, key=lambda pair: (0 if pair[0].start >= offset else 1,
                                                        abs(pair[0].start - offset)))
        if abs(nearest.start - offset) > 60:
            continue
        claims.append(ControlClaim(status, place, date_at(match.start()), claimant, text,
                                   sentence.index, article))
    return claims


# Fighting in a place, of these types, makes it contested.
_CONTESTING = frozenset({EventType.CLASH, EventType.COUNTER_ATTACK, EventType.ADVANCE})
_CONTROL_KINDS = frozenset({"district", "area", "landmark"})
# An assault on a place whose result the sentence does not tell: contested. Other attack
# words ("massacre", "sniper", "car bomb") say nothing about who holds the ground.
_ASSAULT_TRIGGERS = frozenset({"assault", "assaults", "attack", "attacks", "attacked",
                               "offensive", "stormed"})
_ARMED_SIDES = frozenset({Side.GOVERNMENT, Side.REBELS, Side.JIHADISTS, Side.KURDISH})
_TAKE_BACK_RE = re.compile(r"\btake back|retake|fighting back\b", re.I)
_REPELLED_RE = re.compile(
    r"\b(?:repelled|repulsed|thwarted|foiled|beaten back|beat back|pushed back|driven back|"
    r"drove back|fended off)\b", re.I)
_PASSIVE_RE = re.compile(r"\b(?:was|were|been|being|be|is|are|got)\s+(?:\w+\s+)?$", re.I)
# What a capture took, read from the words after its trigger up to the first clause
# break: "the whole Handarat Camp" (all of it) or "about 70 percent of the district".
_OBJECT_END_RE = re.compile(r"[,;.]|\b(?:and|while|but|as|thus|after|before)\b")
_WHOLE_RE = re.compile(r"\b(?:whole|entire|entirety|all of|complete|completely|full|fully|"
                       r"total|totally)\b", re.I)
_PART_RE = re.compile(
    r"\b(?:parts? of|much of|most of|some of|half|quarter|several|positions|points|blocks|"
    r"buildings|sectors?|sections?|foothold|percent|per cent)\b|\d\s*%", re.I)


def claims_from_events(events: list[Event]) -> list[ControlClaim]:
    """What events say about who holds a place, each claim with its basis.

    A capture claims the place for the captor; a capture of part of it ("seized a
    quarter of the area") or an assault with no stated result makes it contested, as
    fighting does; an assault beaten back ("the attack was repelled") claims it for the
    defender.
    """
    claims = []
    for event in events:
        place = event.place
        if place is None or event.derived is not None or place.kind not in _CONTROL_KINDS:
            continue
        for status, basis in _event_claims(event):
            claims.append(ControlClaim(status, place, event.date, event.claimant,
                                       event.sentence, event.sentence_index, event.article,
                                       basis))
    return claims


def _event_claims(event: Event) -> list[tuple[ControlStatus, ClaimBasis]]:
    sentence = event.sentence
    if event.type in {*_CONTESTING, EventType.ATTACK, EventType.CAPTURE}:
        repelled = _REPELLED_RE.search(sentence)
        if repelled:
            defender = _defender(event, repelled)
            if defender is not None:
                return [(defender, ClaimBasis.REPELLED)]
    if event.type == EventType.CAPTURE:
        if event.trigger.lower() == "stormed":
            return [(ControlStatus.CONTESTED, ClaimBasis.ASSAULT)]
        found = []
        status = _SIDE_STATUS.get(event.actors[0]) if event.actors else None
        if status and _took_part(event):
            found.append((ControlStatus.CONTESTED, ClaimBasis.PARTIAL))
        elif status:
            found.append((status, ClaimBasis.CAPTURE))
        if _TAKE_BACK_RE.search(sentence):
            found.append((ControlStatus.CONTESTED, ClaimBasis.FIGHTING))
        return found
    if event.type in _CONTESTING:
        return [(ControlStatus.CONTESTED, ClaimBasis.FIGHTING)]
    # An attack that kills or wounds ("a rebel attack on a hospital killed a medic") is
    # told for its victims, not for the ground it was fought over.
    if (event.type == EventType.ATTACK and event.trigger.lower() in _ASSAULT_TRIGGERS
            and not _ARMED_SIDES.isdisjoint(event.actors)
            and event.fatalities is None and event.injured is None
            and _named_after_trigger(event)):
        return [(ControlStatus.CONTESTED, ClaimBasis.ASSAULT)]
    return []


def _named_after_trigger(event: Event) -> bool:
    """Whether the sentence names the event's place after its trigger ("attacked the
    Owaija district"), not only an earlier sentence (the place an event inherits)."""
    assert event.place is not None
    position = event.sentence.lower().find(event.trigger.lower())
    after = f" {variant_key(event.sentence[position + len(event.trigger):][:120])} "
    return any(f" {variant_key(name.text)} " in after
               for name in (*event.place.names, Name(event.place.title)))


def _took_part(event: Event) -> bool:
    """Whether a capture took only part of its place (see :data:`_PART_RE`)."""
    sentence = event.sentence
    position = sentence.lower().find(event.trigger.lower())
    if position < 0:
        return False
    after = sentence[position + len(event.trigger):]
    cut = _OBJECT_END_RE.search(after, 1)
    taken = after[: min(cut.start() if cut else 60, 60)]
    before = sentence[max(0, position - 12):position]
    if _WHOLE_RE.search(before) or _WHOLE_RE.search(taken):
        return False
    return bool(_PART_RE.search(taken))


def _defender(event: Event, repelled: re.Match[str]) -> ControlStatus | None:
    """Who held a place against a beaten-back assault.

    "X repelled the attack": X, the side named last before the verb. "The X attack was
    repelled (by Y)": Y, or else the opponent of X, the side named last before the
    attack word (or, with none, first in the sentence).
    """
    sentence = event.sentence
    before = sentence[: repelled.start()]
    by = re.match(r"\s+(?:\w+\s+)?by\s+(.{0,60})", sentence[repelled.end():])
    if by and sides_in(by.group(1)):
        return _SIDE_STATUS.get(sides_in(by.group(1))[0])
    passive = bool(_PASSIVE_RE.search(before)) or repelled.group().lower() in _PASSIVE_VERBS
    if not passive:
        named = sides_in(before)
        return _SIDE_STATUS.get(named[-1]) if named else None
    attack_words = list(_ATTACK_WORD_RE.finditer(before))
    named = sides_in(before[: attack_words[-1].start()]) if attack_words else ()
    attacker = named[-1] if named else (sides_in(before) or event.actors or (None,))[0]
    opponent = _OPPONENT.get(attacker) if attacker else None
    return _SIDE_STATUS.get(opponent) if opponent else None


_PASSIVE_VERBS = frozenset({"pushed back", "driven back"})
_ATTACK_WORD_RE = re.compile(r"\b(?:attacks?|assaults?|counter-?attacks?|offensive|push|"
                             r"advance)\b", re.I)
# In Aleppo in 2016 the government's opponent was the rebels, and theirs the government.
_OPPONENT = {Side.GOVERNMENT: Side.REBELS, Side.REBELS: Side.GOVERNMENT,
             Side.JIHADISTS: Side.GOVERNMENT, Side.RUSSIA: Side.REBELS}


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
