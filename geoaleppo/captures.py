"""What events say about control: a capture is its captor's claim, fighting contests a place.

:func:`claims_from_events` turns a reading's events into control claims, each saying what
it rests on (:class:`~geoaleppo.model.ClaimBasis`): a capture, a partial capture, a
repelled assault, an assault in progress or fighting. Only the ground a capture's verb
takes is claimed ("full control over X, to the south of Y" claims X), never a reference
point or the city. Claims from what reports take for granted ("rebel-held areas") are
:mod:`geoaleppo.control`'s.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import NamedTuple

from geoaleppo.control import PART_RE, SIDE_STATUS
from geoaleppo.events import sides_in
from geoaleppo.model import (
    ClaimBasis,
    ControlClaim,
    ControlStatus,
    Event,
    EventType,
    Side,
)

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
        status = SIDE_STATUS.get(event.actors[0]) if event.actors else None
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
    (see :data:`PART_RE`)."""
    after = sentence[position + len(trigger):]
    cut = _OBJECT_END_RE.search(after, 1)
    taken = after[: min(cut.start() if cut else 60, 60)]
    before = sentence[max(0, position - 12):position]
    if _WHOLE_RE.search(before) or _WHOLE_RE.search(taken):
        return False
    return bool(PART_RE.search(taken))


def _defender(event: Event, sentence: str, repelled: re.Match[str]) -> ControlStatus | None:
    """Who held a place against a beaten-back assault.

    "X repelled the attack": X, the side named last before the verb. "The X attack was
    repelled (by Y)": Y, or else the opponent of X, the side named last before the
    attack word (or, with none, first in the sentence).
    """
    before = sentence[: repelled.start()]
    by = re.match(r"\s+(?:\w+\s+)?by\s+(.{0,60})", sentence[repelled.end():])
    if by and sides_in(by.group(1)):
        return SIDE_STATUS.get(sides_in(by.group(1))[0])
    passive = bool(_PASSIVE_RE.search(before)) or repelled.group().lower() in _PASSIVE_VERBS
    if not passive:
        named = sides_in(before)
        return SIDE_STATUS.get(named[-1]) if named else None
    attack_words = list(_ATTACK_WORD_RE.finditer(before))
    named = sides_in(before[: attack_words[-1].start()]) if attack_words else ()
    attacker = named[-1] if named else (sides_in(before) or event.actors or (None,))[0]
    opponent = _OPPONENT.get(attacker) if attacker else None
    return SIDE_STATUS.get(opponent) if opponent else None


_PASSIVE_VERBS = frozenset({"pushed back", "driven back"})
_ATTACK_WORD_RE = re.compile(r"\b(?:attacks?|assaults?|counter-?attacks?|offensive|push|"
                             r"advance)\b", re.I)
# In Aleppo in 2016 the government's opponent was the rebels, and theirs the government.
_OPPONENT = {Side.GOVERNMENT: Side.REBELS, Side.REBELS: Side.GOVERNMENT,
             Side.JIHADISTS: Side.GOVERNMENT, Side.RUSSIA: Side.REBELS}
