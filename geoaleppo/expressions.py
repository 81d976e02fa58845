"""Spatial expressions: "within a kilometre of the citadel", "around the Old City".

Each becomes a derived area attached to the mention it anchors on, with the rule used
and the phrase quoted; the geometry is drawn by :mod:`geoaleppo.spatial`.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import replace
from operator import attrgetter
from types import ModuleType

from geoaleppo.model import DerivedArea, Mention

_WITHIN_RE = re.compile(
    r"within\s+(?P<n>a|an|one|two|three|four|five|half a|\d+(?:\.\d+)?)\s*"
    r"(?P<unit>kilometres?|kilometers?|km|metres?|meters?|m|miles?)\s+of\s+(?:the\s+)?"
    r"(?:(?:ancient|historic|old|medieval)\s+)?$",
    re.I,
)
_AROUND_RE = re.compile(r"\b(?:around|surrounding|near|close to|outskirts of)\s+(?:the\s+)?"
                        r"(?:(?:ancient|historic|old)\s+)?$", re.I)
_DIRECTION_RE = re.compile(
    r"\b(?P<dir>north|south|east|west)(?:ern)?\s+(?:of|from)\s+(?:the\s+)?$", re.I
)
_STRETCH_RE = re.compile(
    r"stretching\s+(?P<dir>north|south|east|west)\w*\s+from\s+(?:there|here|it)\s+to\s+"
    r"(?:the\s+)?$",
    re.I,
)
# Every pattern above ends in one of these words, then maybe "the" and an adjective,
# right before the mention: most mentions have none, and skip all five patterns.
_LAST_WORDS = frozenset({"of", "from", "to", "around", "surrounding", "near", "between"})
_SKIPPED_WORDS = frozenset({"the", "ancient", "historic", "old", "medieval"})
_AND_RE = re.compile(r"\s+and\s+(?:the\s+)?")
_BETWEEN_RE = re.compile(r"\bbetween\s+(?:the\s+)?$", re.I)
_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
                 "half a": 0.5}


def _metres(number: str, unit: str) -> float:
    value = _NUMBER_WORDS.get(number.lower())
    amount = float(value if value is not None else number)
    unit = unit.lower()
    if unit.startswith(("km", "kilo")):
        return amount * 1000.0
    if unit.startswith("mi"):
        return amount * 1609.344
    return amount


def with_spatial(text: str, mention: Mention, mentions: list[Mention]) -> Mention:
    """Attach the derived area a spatial expression makes of this mention, if any.

    ``mentions`` are those of the mention's own sentence.
    """
    place = mention.place
    if place is None or mention.role != "location" or place.kind in {
        "country", "city", "region"
    }:
        return mention
    area = _derived_area(text, mention, mentions)
    return replace(mention, derived=area) if area is not None else mention


def _derived_area(text: str, mention: Mention, mentions: list[Mention]) -> DerivedArea | None:
    place = mention.place
    assert place is not None
    left = text[max(0, mention.start - 80) : mention.start]
    if not left[-1:].isspace():
        return None
    words = left.lower().split()
    while words and words[-1] in _SKIPPED_WORDS:
        words.pop()
    if not words or words[-1] not in _LAST_WORDS:
        return None
    # Each pattern is tried only when the words it needs are there.
    last, before = words[-1], (words[-2] if len(words) > 1 else "")
    within = last == "of" and "within" in words and _WITHIN_RE.search(left)
    if within:
        metres = _metres(within.group("n"), within.group("unit"))
        phrase = text[mention.start - len(left) + within.start() : mention.end]
        return _spatial().within(place, metres, phrase)
    stretch = last == "to" and "stretching" in words and _STRETCH_RE.search(left)
    if stretch:
        anchor = _last_before(mentions, mention, mention.start - len(left) + stretch.start())
        if anchor is not None:
            phrase = text[anchor.start : mention.end]
            return _spatial().between(anchor.place, place, phrase, rule="stretching-from-to")
    direction = (last in {"of", "from"} and before.startswith(("north", "south", "east", "west"))
                 and _DIRECTION_RE.search(left))
    if direction:
        phrase = text[mention.start - len(left) + direction.start() : mention.end]
        return _spatial().direction_of(place, direction.group("dir").lower(), phrase)
    around = (last in {"around", "surrounding", "near"} or (last, before) in {
        ("to", "close"), ("of", "outskirts")}) and _AROUND_RE.search(left)
    if around:
        phrase = text[mention.start - len(left) + around.start() : mention.end]
        return _spatial().around(place, phrase)
    between = last == "between" and _BETWEEN_RE.search(left)
    if between:
        other = _joined_by_and(text, mentions, mention)
        if other is not None:
            phrase = text[mention.start - len(left) + between.start() : other.end]
            return _spatial().between(place, other.place, phrase)
    return None


# A sentence may hold thousands of mentions: the one an expression pairs with is found
# from the mention's own place in the list (in text order), not by testing every one.
def _last_before(mentions: list[Mention], mention: Mention, end: int) -> Mention | None:
    """The last mention of the sentence with a place that ends by ``end``."""
    # Those starting at or after the mention end after ``end``; of those before it, only
    # the few between ``end`` and the mention are passed over.
    index = bisect.bisect_left(mentions, mention.start, key=attrgetter("start"))
    while index > 0:
        index -= 1
        earlier = mentions[index]
        if (earlier.end <= end and earlier.sentence_index == mention.sentence_index
                and earlier.place is not None):
            return earlier
    return None


def _joined_by_and(text: str, mentions: list[Mention], mention: Mention) -> Mention | None:
    """The first mention of the sentence with a place that only "and" parts from this one."""
    joint = _AND_RE.match(text, mention.end)
    if joint is None:
        return None
    index = bisect.bisect_right(mentions, mention.end, key=attrgetter("start"))
    # Only "and", "the" and spaces may part them: no later mention starts past the joint.
    while index < len(mentions) and mentions[index].start <= joint.end():
        later = mentions[index]
        if (later.sentence_index == mention.sentence_index and later.place is not None
                and _AND_RE.fullmatch(text, mention.end, later.start)):
            return later
        index += 1
    return None


def _spatial() -> ModuleType:
    # shapely and pyproj load only when a report actually has a spatial expression.
    from geoaleppo import spatial

    return spatial
