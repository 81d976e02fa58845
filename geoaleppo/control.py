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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from geoaleppo import event_rules
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
    Place,
    Side,
)
from geoaleppo.text import DateExpression, Sentence

_SIDE_STATUS = {
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


# Every held-phrase or split-phrase has one of these words.
_CONTROL_WORDS = frozenset({"held", "controlled", "control", "split", "divided", "contested",
                            "front", "frontline"}) | _HOLDING_WORDS


def mentions_control(sentence: Clause | str) -> bool:
    """Whether a sentence has any words a control claim is made of (a cheap pre-check)."""
    clause = as_clause(sentence)
    if _CONTROL_WORDS.isdisjoint(clause.words):
        return False
    lowered = clause.lowered
    return bool(_HELD_RE.search(lowered) or _SPLIT_RE.search(lowered)
                or (not _HOLDING_WORDS.isdisjoint(clause.words)
                    and _HOLDING_RE.search(lowered)))


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
        if holder and nearest.start >= offset and _PART_RE.search(
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
_CONTESTING = frozenset({EventType.CLASH, EventType.COUNTER_ATTACK, EventType.ADVANCE})
_CONTROL_KINDS = frozenset({"district", "area", "landmark"})
# The event types that can say who holds a place.
_CLAIMING = frozenset({*_CONTESTING, EventType.CAPTURE, EventType.ATTACK})
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
_WHOLE_RE = re.compile(r"\b(?:whole|entire|entirety|all|complete|completely|full|fully|"
                       r"total|totally|lost)\b", re.I)
_PART_RE = re.compile(
    r"\b(?:parts? of|much of|most of|some of|half|a quarter|quarter of|several|positions|"
    r"points|blocks|"
    r"buildings|sectors?|sections?|foothold|percent|per cent)\b|\d\s*%", re.I)


#: Where each sentence (by index) names each place: (place id, offset in the sentence).
Named = Mapping[int, Sequence[tuple[str, int]]]


def claims_from_events(events: list[Event], named: Named | None = None
                       ) -> list[ControlClaim]:
    """What events say about who holds a place, each claim with its basis.

    A capture claims the place for the captor; a capture of part of it ("seized a
    quarter of the area") or an assault with no stated result makes it contested, as
    fighting does; an assault beaten back ("the attack was repelled") claims it for the
    defender. With ``named`` (where each sentence names its places), a claim is made
    only about a place the sentence names where the claim needs it: what a capture took
    comes after its verb ("captured X"; before it, "X fell"), an assault's object right
    after ("an assault on X"), and a partial capture or a repelled assault names its
    place; a place a sentence does not name at all (one an event inherits from the
    sentence before) keeps its capture.
    """
    claims = []
    # Where each sentence names each place, looked up once: a sentence that captures a
    # thousand places is read once, not once a place.
    offsets: dict[tuple[int, str], list[int]] = {}
    for sentence_index, pairs in (named or {}).items():
        for place_id, offset in pairs:
            offsets.setdefault((sentence_index, place_id), []).append(offset)
    facts: dict[tuple[int, str], _TriggerFacts] = {}
    seen: set[tuple[object, ...]] = set()
    for event in events:
        place = event.place
        if (place is None or event.derived is not None or place.kind not in _CONTROL_KINDS
                or event.type not in _CLAIMING):
            continue
        # The same capture of the same place twice in a sentence claims nothing new.
        key = (event.sentence_index, event.trigger, event.type, event.actors, place.id,
               event.date, event.claimant)
        if key in seen:
            continue
        seen.add(key)
        where = (None if named is None
                 else offsets.get((event.sentence_index, place.id), []))
        trigger_key = (event.sentence_index, event.trigger)
        if trigger_key not in facts:
            facts[trigger_key] = _trigger_facts(event.sentence, event.trigger)
        for status, basis in _event_claims(event, where, facts[trigger_key]):
            claims.append(ControlClaim(status, place, event.date, event.claimant,
                                       event.sentence, event.sentence_index, event.article,
                                       basis))
    return claims


class _TriggerFacts(NamedTuple):
    """What a sentence says around one trigger, the same for every place it names."""

    trigger_at: int
    trigger_end: int
    clause_start: int
    clause_end: int
    clause: str
    repelled: re.Match[str] | None
    intent: bool
    take_back: bool


def _trigger_facts(sentence: str, trigger: str) -> _TriggerFacts:
    trigger_at = max(0, sentence.lower().find(trigger.lower()))
    trigger_end = trigger_at + len(trigger)
    clause_start, clause = _clause_of(sentence, trigger_at)
    clause_end = clause_start + len(clause)
    # (The patterns that end at the trigger look at the few words before it only.)
    near = max(0, trigger_at - 40)
    if _FRONTED_RE.search(sentence, near, trigger_at):
        # "After securing the Shaher quarter, the militias attacked Sheikh Saeed": the
        # fronted clause ends at its comma.
        comma = sentence.find(",", trigger_end, clause_end)
        if comma >= 0:
            clause_end, clause = comma, sentence[clause_start:comma]
    return _TriggerFacts(trigger_at, trigger_end, clause_start, clause_end, clause,
                         _REPELLED_RE.search(clause),
                         bool(_INTENT_RE.search(sentence, near, trigger_at)),
                         bool(_TAKE_BACK_RE.search(sentence)))


def _event_claims(event: Event, where: list[int] | None, facts: _TriggerFacts
                  ) -> list[tuple[ControlStatus, ClaimBasis]]:
    """The claims one event makes; ``where``: the offsets at which its sentence names its
    place (None: not known, so taken as named anywhere); ``facts``: its trigger's."""
    sentence = event.sentence
    trigger_at, trigger_end = facts.trigger_at, facts.trigger_end
    clause = facts.clause
    in_clause = [o for o in where or () if facts.clause_start <= o < facts.clause_end]
    # Whether the trigger's clause names the place (not known: taken as named).
    named = where is None or bool(in_clause)
    if event.type in {*_CONTESTING, EventType.ATTACK, EventType.CAPTURE}:
        repelled = facts.repelled
        if repelled and named:
            defender = _defender(event, clause, repelled)
            if defender is not None:
                return [(defender, ClaimBasis.REPELLED)]
    if event.type == EventType.CAPTURE:
        if facts.intent:
            return []
        if event.trigger.lower() == "stormed":
            return [(ControlStatus.CONTESTED, ClaimBasis.ASSAULT)]
        found = []
        status = _SIDE_STATUS.get(event.actors[0]) if event.actors else None
        part = bool(status) and _took_part(sentence, trigger_at, event.trigger)
        if part and named:
            # Part of which place must be said: "capture several positions" after a
            # sentence on New Aleppo says nothing of New Aleppo.
            found.append((ControlStatus.CONTESTED, ClaimBasis.PARTIAL))
        elif status and not part and (
                where is None or _taken(sentence, trigger_at, trigger_end, in_clause)
                or (not where and _points_back(sentence, trigger_at, trigger_end))):
            found.append((status, ClaimBasis.CAPTURE))
        elif where and any(_FIGHTING_RE.search(_clause_of(sentence, o)[1]) for o in where):
            found.append((ControlStatus.CONTESTED, ClaimBasis.FIGHTING))
        if facts.take_back:
            found.append((ControlStatus.CONTESTED, ClaimBasis.FIGHTING))
        return found
    if event.type in _CONTESTING:
        return [(ControlStatus.CONTESTED, ClaimBasis.FIGHTING)]
    # An attack that kills or wounds ("a rebel attack on a hospital killed a medic") is
    # told for its victims, not for the ground it was fought over.
    if (event.type == EventType.ATTACK and event.trigger.lower() in _ASSAULT_TRIGGERS
            and not _ARMED_SIDES.isdisjoint(event.actors)
            and event.fatalities is None and event.injured is None
            and (where is None or any(trigger_end <= o <= trigger_end + _OBJECT_REACH
                                      for o in in_clause))):
        return [(ControlStatus.CONTESTED, ClaimBasis.ASSAULT)]
    return []


def _taken(sentence: str, trigger_at: int, trigger_end: int, offsets: list[int]) -> bool:
    """Whether a sentence names a place (at ``offsets``, in the trigger's clause) as what
    a capture took: after the verb ("captured X"), or before it when the verb says so
    ("X fell to", "X was retaken", "advanced in X and captured it"). A place named only
    elsewhere ("With advances in Bustan al-Basha, the Army secured Suleiman al-Halabi")
    was not taken."""
    stop = _OBJECT_STOP_RE.search(sentence, trigger_end)
    end = stop.start() if stop else len(sentence)
    if _FRONTED_RE.search(sentence, max(0, trigger_at - 40), trigger_at):
        # "After securing the Shaher district, the militias attacked Handarat": the
        # fronted clause's object ends at its comma.
        comma = sentence.find(",", trigger_end)
        end = min(end, comma) if comma >= 0 else end
    if any(trigger_end <= offset < end for offset in offsets):
        return True
    return bool(offsets) and bool(_PASSIVE_CAPTURE_RE.match(sentence, trigger_at)
                                  or _TAKEN_FROM_RE.match(sentence, trigger_end)
                                  or _BACK_REFERENCE_RE.match(sentence, trigger_end))


_FRONTED_RE = re.compile(r"(?i)\b(?:after|following|before|since|upon)\s+$")
# Where what a capture took ends: another verb ("recapturing Minyan and reportedly
# advancing inside Dahiyat al-Assad"), a relative clause ("the hill that overlooks the
# Ramouseh road"), or the next clause.
_OBJECT_STOP_RE = re.compile(
    r"(?i),?\s+(?:and\s+)?(?:\w+ly\s+)?\w+(?:ing|ed)\b|[;.]|\b(?:that|which|who|while|"
    r"but|whereas|thus|after|before|as|where)\b")
# "in an attempt to recapture", "aiming to take control": what a side set out to do.
_INTENT_RE = re.compile(
    r"(?i)\b(?:attempts?|bid|effort|order|aim(?:ed|ing|s)?|trying|tried|seek(?:s|ing)?|sought|"
    r"plans?|planning|push|goal|intend(?:s|ed|ing)?|vow(?:s|ed)?|pledg(?:es|ed)|promis(?:es|ed)|"
    r"hop(?:es|ed|ing)|wants?|wanted|determined|ready|threat(?:en|ens|ened))\s+to\s+$")
def _points_back(sentence: str, trigger_at: int, trigger_end: int) -> bool:
    """Whether a capture in a sentence that does not name its place (it inherits the
    sentence before's) took that place: "took control of the district", "was captured";
    "recaptured the hospital" took something else."""
    rest = sentence[trigger_end:]
    return bool(_BACK_REFERENCE_RE.match(rest) or _PASSIVE_CAPTURE_RE.match(sentence, trigger_at)
                or _TAKEN_FROM_RE.match(rest) or not re.match(r"\W*\w", rest))


# "captured it", "took the district": the object points back to a place named before.
_BACK_REFERENCE_RE = re.compile(
    r"(?i)\W*(?:(?:of|over)\s+)?(?:it|them|(?:the|that|this)\s+(?:district|area|"
    r"neighbou?rhood|quarter|camp|village|town|hill|base|school|complex|suburb|project)"
    # what a side had lost there: "recaptured their lost positions"
    r"|(?:their|its)\s+lost\s+\w+|(?:all\s+)?(?:the\s+)?(?:positions|ground|territory|"
    r"areas?)\s+(?:they|it)\s+(?:had\s+)?lost)\b")
# Fighting a clause tells of, when a capture elsewhere in its sentence is the event that
# stands for the sentence: "the Army made advances in Salah al-Din, while it took half
# of Sheikh Sa'id".
_FIGHTING_RE = re.compile(r"(?i)\b(?:advance[sd]?|advancing|clash(?:es|ed)?|fighting|fought|"
                          r"battles?|pushed into)\b")
# How far after an assault's trigger its object is named ("an assault on the southern
# Sheikh Sa'id district").
_OBJECT_REACH = 40
# "a hospital complex seized from rebels", "the town captured by the army".
_TAKEN_FROM_RE = re.compile(r"(?i)\s+(?:\w+\s+)?(?:from|by)\b")
# "fell to", "was captured", "were retaken": what was taken is named before the verb.
_PASSIVE_CAPTURE_RE = re.compile(r"(?i)fell|fallen|(?<=was )|(?<=were )|(?<=been )")
# Where one clause of a sentence ends and another, about something else, begins.
_CLAUSE_BREAK_RE = re.compile(
    r";|,\s+(?:while|whereas|but|although|though|however|meanwhile)\b|\s+while\s+", re.I)


def _clause_of(sentence: str, position: int) -> tuple[int, str]:
    """The clause of ``sentence`` around ``position``, and where it starts."""
    start, end = 0, len(sentence)
    for found in _CLAUSE_BREAK_RE.finditer(sentence):
        if found.end() <= position:
            start = found.end()
        elif found.start() > position:
            end = found.start()
            break
    return start, sentence[start:end]


def _took_part(sentence: str, position: int, trigger: str) -> bool:
    """Whether a capture (its ``trigger`` at ``position``) took only part of its place
    (see :data:`_PART_RE`)."""
    after = sentence[position + len(trigger):]
    cut = _OBJECT_END_RE.search(after, 1)
    taken = after[: min(cut.start() if cut else 60, 60)]
    before = sentence[max(0, position - 12):position]
    if _WHOLE_RE.search(before) or _WHOLE_RE.search(taken):
        return False
    return bool(_PART_RE.search(taken))


def _defender(event: Event, sentence: str, repelled: re.Match[str]) -> ControlStatus | None:
    """Who held a place against a beaten-back assault.

    "X repelled the attack": X, the side named last before the verb. "The X attack was
    repelled (by Y)": Y, or else the opponent of X, the side named last before the
    attack word (or, with none, first in the sentence).
    """
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
