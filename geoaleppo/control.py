"""Who holds which place: dated claims from the text, and the status they add up to.

Claims come from held-phrases ("rebel-held areas of eastern Aleppo"), from split-phrases
("long split between government- and rebel-held areas": contested) and from events
(:mod:`geoaleppo.captures`: a capture makes the captor's claim; fighting in a place makes
it contested). Claims of the
same day that disagree make a place contested; a later day's claims supersede earlier
ones; every claim stays in the record behind the status.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from dataclasses import dataclass

from geoaleppo import event_rules
from geoaleppo.lexicon import Clause, as_clause
from geoaleppo.model import (
    Article,
    ClaimBasis,
    ControlClaim,
    ControlStatus,
    Mention,
    Place,
    Side,
)
from geoaleppo.text import DateExpression, Sentence

#: The status a side holds a place with.
SIDE_STATUS = {
    Side.GOVERNMENT: ControlStatus.GOVERNMENT,
    Side.REBELS: ControlStatus.REBELS,
    Side.JIHADISTS: ControlStatus.REBELS,
    Side.KURDISH: ControlStatus.KURDISH,
}
# How far after "rebels hold", "positioned in" the place held is named ("in the town of").
_HOLDER_REACH = 16
# Who can be said to hold ground ("terrorists positioned in"): a side's fighters.
_HOLDERS = (r"rebels|insurgents|opposition fighters|opposition forces|terrorists|"
            r"terrorist groups|terrorist organi[sz]ations|militants|gunmen|armed groups|"
            r"government forces|government troops|regime forces|regime troops|the army|"
            r"army units|kurdish forces|ypg|sdf")
# These are matched in lower-cased text (lexicon.lowercased), which is faster than
# ignoring case.
_HELD_RE = re.compile(
    r"\b(?P<side>government|regime|army|rebel|opposition|insurgent|kurdish|ypg)[- ]"
    r"(?:held|controlled)\b|\b(?:under|of) (?P<side2>rebel|opposition|government|regime|"
    r"kurdish) control\b|\bheld by (?P<side3>rebels|insurgents|the opposition|the government|"
    r"government forces|the army)\b"
    # "the rebels were in control of X", "government forces were in control of 50-80% of X"
    r"|\b(?P<side4>rebels|insurgents|opposition|government forces|government troops|"
    r"the army|regime forces|kurdish forces|ypg|sdf)\b[^.;]{0,25}?\bin (?:full |complete |"
    r"total )?control of\b"
)
# Rarer ways of saying who holds a place, tried only where one of _HOLDING_WORDS is:
# "rebels still hold", "the army retained control of", and in state media "terrorist
# groups positioned in X" (who holds the place named next).
_HOLDING_RE = re.compile(
    rf"\b(?P<side5>{_HOLDERS})\s+(?:\w+ly\s+|still\s+|also\s+|now\s+){{0,2}}"
    r"(?:hold|holds|held|control|controls|(?:retain|retains|retained|keep|keeps|kept|"
    r"maintain|maintains|maintained)\s+(?:full\s+)?control\s+(?:of|over)|"
    r"(?:positioned|located|stationed|entrenched|holed\s+up|deployed)\s+in(?:side)?)\b"
    # "X remains in rebel hands", "in the hands of the rebels": the place named before.
    # "regime-besieged Talbiseh": held by the side the besieger fights.
    r"|\b(?P<besieger>government|regime|army|rebel|opposition|insurgent)[- ]besieged\b"
    r"|\bin (?P<side6>rebel|opposition|insurgent|government|regime|army|kurdish) hands\b"
    r"|\bin the hands of (?:the )?(?P<side7>rebels|insurgents|opposition|government|"
    r"regime|army|kurdish forces)\b"
)
_SPLIT_RE = re.compile(
    r"\b(?:split|divided|contested|front ?line|frontline)\b(?:[^.]{0,60}\bbetween\b)?"
)
_BOTH_SIDES_RE = re.compile(r"government[- ].{0,20}rebel|rebel[- ].{0,20}government")


_HOLDING_WORDS = frozenset({
    "hold", "holds", "control", "controls", "positioned", "located", "stationed",
    "entrenched", "holed", "deployed", "hands", "besieged"})


#: Words that make a holding or a capture partial: "parts of", "about 70 percent of".
PART_RE = re.compile(
    r"\b(?:parts? of|much of|most of|some of|half|a quarter|quarter of|several|positions|"
    r"points|blocks|"
    r"buildings|sectors?|sections?|foothold|percent|per cent)\b|\d\s*%", re.I)


def _start(match: re.Match[str]) -> int:
    return match.start()


def _status_word(word: str) -> ControlStatus:
    words = set(word.lower().split())
    if words & {"government", "regime", "army"}:
        return ControlStatus.GOVERNMENT
    if words & {"kurdish", "ypg", "sdf"}:
        return ControlStatus.KURDISH
    return ControlStatus.REBELS


@dataclass(frozen=True, slots=True)
class Status:
    """Where a place stands on a date, and the claims behind it."""

    place: Place
    status: ControlStatus
    claims: tuple[ControlClaim, ...]


# Every held-phrase (_HELD_RE) has one of the first words, every split-phrase one of the
# second.
_HELD_PATTERN_WORDS = frozenset({"held", "controlled", "control"})
_SPLIT_WORDS = frozenset({"split", "divided", "contested", "front", "frontline"})
_CONTROL_WORDS = _HELD_PATTERN_WORDS | _SPLIT_WORDS | _HOLDING_WORDS


def mentions_control(sentence: Clause | str) -> bool:
    """Whether a sentence has any words a control claim is made of (a cheap pre-check)."""
    clause = as_clause(sentence)
    if _CONTROL_WORDS.isdisjoint(clause.words):
        return False
    lowered, words = clause.lowered, clause.words
    # Each pattern only where its own words are: none starts with a letter the regex
    # engine could skip to, so each is tried at every character it is run on.
    return bool((not _HELD_PATTERN_WORDS.isdisjoint(words) and _HELD_RE.search(lowered))
                or (not _SPLIT_WORDS.isdisjoint(words) and _SPLIT_RE.search(lowered))
                or (not _HOLDING_WORDS.isdisjoint(words) and _HOLDING_RE.search(lowered)))


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
               and m.derived is None and (m.place.kind in {"district", "area", "landmark"}
                                          or _held_town(text, m.start - sentence.start,
                                                        m.end - sentence.start, m.place))]
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
    # In text order, so the nearest mention to each phrase is a bisection away: a long
    # sentence of held-phrases and places would otherwise weigh every pair.
    located.sort(key=lambda pair: pair[0].start)
    starts = [m.start for m, _place in located]
    matches = list(_HELD_RE.finditer(lowered))
    if not _HOLDING_WORDS.isdisjoint(clause.words):
        matches = sorted(matches + list(_HOLDING_RE.finditer(lowered)), key=_start)
    for match in matches:
        groups = match.groupdict()
        besieger = groups.get("besieger")
        side = besieger or next(group for group in (
            groups.get(f"side{n}") for n in ("", 2, 3, 4, 5, 6, 7)) if group)
        status = _status_word(side)
        if besieger:
            status = (ControlStatus.REBELS if status == ControlStatus.GOVERNMENT
                      else ControlStatus.GOVERNMENT)
        holder = bool(groups.get("side4") or groups.get("side5"))
        # The held-phrase describes the place it sits on or the one right after it, else
        # the last one before it (the first written of those that start there); "in
        # control of", "rebels hold" the one after it.
        offset = sentence.start + (match.end() if holder else match.start())
        after = bisect.bisect_left(starts, offset)
        nearest, place = located[after if after < len(located)
                                 else bisect.bisect_left(starts, starts[-1])]
        if abs(nearest.start - offset) > 60 or (groups.get("side5") and not (
                0 <= nearest.start - offset <= _HOLDER_REACH)):
            continue  # "positioned in X": X right after (not a target named later)
        if holder and nearest.start >= offset and PART_RE.search(
                text, match.end(), nearest.start - sentence.start):
            status = ControlStatus.CONTESTED  # "in control of 50-80% of the district"
        # "terrorists positioned in al-Zahraa, al-Rashideen and ...": each place listed.
        held = (event_rules.listed_with(text, sentence.start, nearest, [m for m, _p in located])
                if holder and nearest.start >= offset else [nearest])
        for mention in held:
            claims.append(ControlClaim(status, mention.place or place, date_at(match.start()),
                                       claimant, text, sentence.index, article))
    return claims


# A town outside the gazetteer's outlines (a GeoNames town) is claimed only where the
# phrase names it as what is held: "the rebel-held town of Douma", "regime-besieged
# Talbiseh", "terrorists positioned in Binnish and Maaret Masrin towns"; never a city
# the gazetteer outlines in districts, nor "rebel-held Damascus suburbs".
_TOWN_HELD_BEFORE_RE = re.compile(
    r"(?i)(?:(?:held|controlled|besieged)\s+(?:(?:town|village|city)\s+of\s+)?|"
    r"(?:positioned|located|stationed|entrenched|deployed)\s+in\s+(?:the\s+)?"
    r"(?:(?:towns?|villages?)\s+of\s+)?|,\s*|\s+and\s+)$")
_TOWN_PART_AFTER_RE = re.compile(
    r"(?i)\s*(?:suburbs?|countryside|province|outskirts|districts?|neighbou?rhoods?|areas?|"
    r"parts?|governorate|airport|road)\b")


def _held_town(text: str, start: int, end: int, place: Place) -> bool:
    return (place.kind == "city" and place.id.startswith("geonames:")
            and bool(_TOWN_HELD_BEFORE_RE.search(text[max(0, start - 40) : start]))
            and not _TOWN_PART_AFTER_RE.match(text, end))


# Fighting in a place, of these types, makes it contested.
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
