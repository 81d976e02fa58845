"""Which places an event is at, and whom it targets: the rules :mod:`geoaleppo.events`
applies once it knows a clause's event types.

* A capture takes the places that are its object ("seized Bab al-Hadid"), not a
  reference point ("to the south of the Old City"), not a place a later verb of the
  clause goes to ("and advanced towards the Umayyad Mosque": an advance of its own), and
  not the city around the districts taken.
* A strike, shelling or attack on a list of places ("hit al-Shaar, al-Sukkari and
  al-Kalaseh", or scraped "Bustan al-Qasr Kallaseh Sukkari") is an event in each.
* "Government forces also took al-Sukkari": a side that takes a place captures it.
* Actor 1 attacks and actor 2 is its target: where the dead and wounded are people
  ("rebel shelling killed seven people in government-held areas"), actor 2 is civilians
  (a side named only in a held-phrase is no actor: see :func:`geoaleppo.sides.acting_sides`).

Offsets are into the clause's text unless a name says otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from geoaleppo.lexicon import is_word_character, word_alternation
from geoaleppo.model import EventType, Mention

#: Event types whose actor 2 is whom they hit.
VIOLENT = frozenset({EventType.SHELLING, EventType.AIR_STRIKE, EventType.BOMBARDMENT,
                     EventType.ATTACK, EventType.CASUALTIES})
# Event types told at each place of a list ("strikes hit al-Shaar, al-Sukkari and
# al-Kalaseh"); talks in two cities are one set of talks.
_LISTED = frozenset(EventType) - {EventType.NEGOTIATIONS, EventType.CAPTURE}

# What may part two places of one list: a comma, "and"/"or", or (in scraped text with
# the punctuation dropped) a space alone.
_LIST_GAP_RE = re.compile(r"(?:\s*+,\s*+(?:(?:and|or)\s++)?|\s++(?:and|or)\s++|\s++)"
                          r"(?:the\s++)?")
# Words before a place that make it a reference point, not what was taken: "to the
# south of", "towards", "near", "outside", "overlooking".
_REFERENCE_RE = re.compile(
    r"(?:\b(?:to\s+the\s+)?(?:north|south|east|west)(?:east|west)?(?:ern)?\s+(?:of|from)|"
    r"\btowards?|\bnear|\bclose\s+to|\boutside|\baround|\boverlooking|\bnext\s+to|"
    r"\bbordering|\badjacent\s+to|\bbetween|\bon\s+the\s+(?:edge|outskirts)\s+of|"
    r"\bin\s+the\s+direction\s+of|\bbeyond)\s+(?:the\s+)?$")
# Where the doers of an attack stand, not what they hit: "positioned in", "from".
_ORIGIN_RE = re.compile(
    r"\b(?:positioned|located|stationed|based|deployed|entrenched|holed\s+up|present|"
    r"fired\s+from|launched\s+from)\s+(?:\w+\s+)?(?:in|at|on)\s+(?:the\s+)?"
    r"(?:[\w-]+\s+){0,2}$|\bfrom\s+(?:the\s+)?$")
# A verb that begins another predicate after the capture's object: "and advanced",
# "before pushing", "then moved".
_NEXT_VERB_RE = re.compile(
    r"\b(?:and|before|then|while|after|as)\s+(?:[a-z]+ly\s+)?[a-z]+(?:ed|ing)\b")
_ADVANCE_WORDS_RE = re.compile(
    r"\b(?:advanc(?:e|es|ed|ing)|push(?:ed|ing)?\s+(?:on|towards?|into|deeper)|"
    r"mov(?:e|ed|ing)\s+(?:on|towards?|into)|head(?:ed|ing)\s+(?:for|towards?)|"
    r"clos(?:e|ed|ing)\s+in\s+on|march(?:ed|ing)\s+(?:on|towards?))\b")
# "took", "take", "taken" with an object that is not ground ("took part", "took place").
# Not "to take" (what a side set out to do), nor "take back" (a counter-attack).
# Its object must be ground: a name ("took al-Sukkari", "took Hanano") or a word for
# ground ("took control of", "took several villages"), not "took orders", "took effect".
_TOOK_RE = re.compile(
    # The verb first, so the regex engine skips to its letters; the word boundary before
    # it and a "to" ("trying to take") are tested after.
    r"[Tt](?:ook|akes?|aken|aking)\b(?i:\s+"
    r"(?:(?:the|a|an|full|total|complete|most\s+of|much\s+of|all\s+of|several|two|three|"
    r"four|five|\d+|new|more|further|nearby|neighbouring|neighboring|strategic|key|"
    # time words and a bracketed insertion: "the regime took yesterday (including) the"
    r"yesterday|today|overnight|earlier|again|also|on\s+\w+day|last\s+\w+|\([^)]{1,20}\))"
    r"\s+){0,4}"
    r"(?:(?-i:[A-Z]|[a-z]{1,3}-[A-Za-z])|(?:control|over|positions?|ground|territory|"
    r"areas?|villages?|towns?|districts?|neighbou?rhoods?|hills?|heights|base|airport|roads?|"
    r"city|quarters?|sectors?|camp|buildings?|farms|factory|blocks?|streets?|it|them|"
    r"(?:\w+\s+)?(?:hospital|school|mosque|citadel|university|complex|prison|academy|"
    r"station|bridge|roundabout|junction|crossroads|college|stadium|market|palace|"
    r"barracks|project|housing))\b))")
_TO_BEFORE_RE = re.compile(r"(?i)\bto\s$")
_SIDE_TOOK_GAP_RE = re.compile(r"(?:\s+(?:\w+ly|also|then|again|have|had|has|later|"
                               r"finally|quickly|swiftly|now))*\s*$")
# The dead and wounded who are people, not fighters.
# The words alone, each testing for a word before it after its first letter: a pattern
# that starts with letters, which the regex engine skips to, not one tried at every
# character of every clause that counts its dead.
_CIVILIAN_VICTIMS = ("civilian", "civilians", "people", "persons", "residents", "citizens",
                     "children", "women", "inhabitants", "passers-by", "worshippers",
                     "students", "schoolchildren", "pupils", "families", "patients",
                     "doctors", "nurses", "aid workers", "volunteers", "rescuers", "family")
_CIVILIAN_VICTIMS_RE = re.compile(
    rf"(?:{word_alternation(_CIVILIAN_VICTIMS, word_start=True)})\b")
_WORD_RE = re.compile(r"[\w-]*")


def capture_targets(text: str, text_start: int, trigger_at: int,
                    locations: Sequence[Mention]) -> list[Mention]:
    """The places a capture (its trigger at ``trigger_at`` of ``text``, which starts at
    ``text_start`` in the article) took, of the clause's ``locations``."""
    if len(locations) <= 1:
        return list(locations)
    trigger_end = _word_end(text, trigger_at)
    stop = _next_verb(text, trigger_end)
    taken = []
    for mention in locations:
        offset = mention.start - text_start
        if offset >= stop:
            continue  # "and advanced towards the mosque": another verb's place
        before = text[max(0, offset - 30) : offset].lower()
        if offset > trigger_at and _REFERENCE_RE.search(before):
            continue  # "to the south of the Old City": a reference point
        taken.append(mention)
    # "took Bustan al-Basha in Aleppo": the district, not the city around it; "seized a
    # rebel-held neighbourhood": not the whole rebel-held east the phrase stands for.
    named = [m for m in taken if _named(m)]
    return named or [m for m in taken if m.method != "phrase"] or taken or list(locations[:1])


def targets(kind: EventType, trigger: str, text: str, text_start: int,
            locations: Sequence[Mention]) -> list[Mention]:
    """The places an event of ``kind`` (its ``trigger`` in ``text``) is at, of the
    clause's ``locations`` (none: the caller falls back to the article's city)."""
    if len(locations) <= 1:
        return list(locations)
    if kind is EventType.CAPTURE:
        return capture_targets(text, text_start, _find(text, trigger), locations)
    first = _first_target(text, text_start, locations)
    if kind is EventType.ADVANCE:
        # "seized X and advanced towards Y": an advance is where it heads.
        after = _find(text, trigger) + text_start + len(trigger)
        first = next((m for m in locations if m.start >= after), first)
    if kind in _LISTED:
        return listed_with(text, text_start, first, locations)
    return [first]


def _first_target(text: str, text_start: int, locations: Sequence[Mention]) -> Mention:
    """Where an event that is not a capture happened: not where its doers stand
    ("terrorists positioned in the eastern neighbourhoods targeted al-Jamilia"), and a
    district the clause names before the city or a side's part of it ("In Aleppo city,
    army units hit sites in al-Shaar")."""
    def origin(mention: Mention) -> bool:
        offset = mention.start - text_start
        return bool(_ORIGIN_RE.search(text[max(0, offset - 40) : offset].lower()))

    candidates = [m for m in locations if not origin(m)] or list(locations)
    return next((m for m in candidates if _named(m)), candidates[0])


def _named(mention: Mention) -> bool:
    """A place named as itself, finer than a city: not "government-held areas"."""
    return (mention.place is not None and mention.place.kind != "city"
            and mention.method != "phrase")


def with_later_advance(kinds: Sequence[tuple[EventType, str]], text: str, text_start: int,
                       locations: Sequence[Mention]) -> list[tuple[EventType, str]]:
    """The clause's (type, trigger) pairs, with the advance that follows a capture ("seized
    X and advanced towards Y"), which the capture's type otherwise hides."""
    pairs = list(kinds)
    kinds_found = [kind for kind, _word in pairs]
    if EventType.CAPTURE not in kinds_found or EventType.ADVANCE in kinds_found:
        return pairs
    capture = pairs[kinds_found.index(EventType.CAPTURE)][1]
    found = later_advance(text, text_start, _find(text, capture), locations)
    if found is not None:
        pairs.append((EventType.ADVANCE, found[0]))
    return pairs


def later_advance(text: str, text_start: int, trigger_at: int,
                  locations: Sequence[Mention]) -> tuple[str, Mention] | None:
    """'seized X and advanced towards Y': the advance after a capture, with its place."""
    trigger_end = _word_end(text, trigger_at)
    stop = _next_verb(text, trigger_end)
    if stop >= len(text):
        return None
    advance = _ADVANCE_WORDS_RE.search(text, stop)
    if advance is None or advance.start() > stop + 20:
        return None
    for mention in locations:
        if mention.start - text_start >= advance.end():
            return advance.group(), mention
    return None


def listed_with(text: str, text_start: int, first: Mention,
                locations: Sequence[Mention]) -> list[Mention]:
    """``first`` and the places listed right after it ("al-Shaar, al-Sukkari and
    al-Kalaseh"; "Bustan al-Qasr Kallaseh Sukkari"), in order."""
    members = [first]
    index = next((i for i, m in enumerate(locations) if m is first), None)
    if index is None:
        return members
    for mention in locations[index + 1 :]:
        gap = text[members[-1].end - text_start : mention.start - text_start]
        if not _LIST_GAP_RE.fullmatch(gap):
            break
        if (mention.place is not None and mention.place.kind == "city"
                and members[-1].place is not None and members[-1].place.kind != "city"):
            break  # "al-Shaar, Aleppo": the city the district is in, not another target
        members.append(mention)
    return members


def side_took(text: str, sides_before: Callable[[str], tuple[object, ...]]) -> str | None:
    """The "took" of "Government forces also took al-Sukkari": a capture where a side
    (``sides_before(words)`` names one) takes something that is not "part" or "place"."""
    for took in _TOOK_RE.finditer(text):
        head = text[max(0, took.start() - 50) : took.start()]
        if (head and is_word_character(head[-1])) or _TO_BEFORE_RE.search(head):
            continue  # inside a word ("retook"), or what a side set out to do
        gap = _SIDE_TOOK_GAP_RE.search(head)
        subject = head[: gap.start()] if gap else head
        if sides_before(subject[-30:]):
            return took.group().split()[0]
    return None


def civilian_victims(lowered: str) -> bool:
    """Whether a clause's dead or wounded are people, not fighters."""
    return bool(_CIVILIAN_VICTIMS_RE.search(lowered))


def _find(text: str, trigger: str) -> int:
    return max(0, text.lower().find(trigger.lower()))


def _word_end(text: str, position: int) -> int:
    match = _WORD_RE.match(text, position)
    return match.end() if match else position


def _next_verb(text: str, start: int) -> int:
    """Where the next predicate after a capture's object begins (the end if none)."""
    found = _NEXT_VERB_RE.search(text, start)
    return found.start() if found else len(text)
