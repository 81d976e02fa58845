"""The sides of the war and the phrases that name them: "rebels", "insurgents",
"terrorists" are one side; "regime", "army", "Tiger Forces" another.

A side named in a held-phrase ("government-held areas") names who holds a place, not
who acts (:func:`acting_sides`).
"""

from __future__ import annotations

from typing import cast

from geoaleppo.lexicon import Clause, Lexicon, as_clause, variants
from geoaleppo.model import Side

#: Sides actors are normalised to, and the phrases that name each (see
#: :mod:`geoaleppo.lexicon`: "pro-government" and "pro government" are one phrase).
SIDES: dict[Side, tuple[str, ...]] = {
    Side.GOVERNMENT: (
        *variants("syrian", "government|army|regime|arab army|forces|troops|soldiers"),
        *variants("government|government s", "forces|troops|attack|takeover|bombardment|"
                   "bombardments|offensive|side|advance|advances"),
        "pro government", "pro regime", "regime", "army", "troops", "soldiers", "loyalist",
        "loyalists", "tiger forces", "republican guard", "hezbollah", "iranian backed",
        "shiite militia", "shiite militias", "government", "assad forces", "assad s forces",
        "allied militias", "state forces", "saa", "assad regime", "assad militia",
        "assad militias", "regime militia", "regime militias", "shabiha",
        *variants("iranian|iraqi|afghan", "militia|militias"), "fatemiyoun", "nujaba",
        "national defence forces", "national defense forces", "ndf", "army units",
        "armed forces", "palestinian militia", "palestinian militias", "liwa al quds",
        "quds brigade",
    ),
    Side.REBELS: (
        "rebel", "rebels", "insurgent", "insurgents", "opposition", "opposition fighters",
        "opposition groups", "opposition forces", "armed group", "armed groups", "terrorist",
        "terrorists", "militant", "militants", "gunmen", "free syrian army", "fsa",
        "jaish al fatah", "fatah halab", "nour al din al zenki", "zenki", "ahrar al sham",
        "jaish al islam", "fighters", "revolutionaries", "mujahideen", "levant front",
        *variants("|al", "jabha|jabhat", "|al", "shamiya"), "faylaq al sham",
        "army of conquest", "fateh halab",
    ),
    Side.JIHADISTS: (
        "jabhat fateh al sham", "jabhat fatah al sham", "nusra", "al qaeda", "islamic state",
        "isis", "isil", "daesh", "jihadist", "jihadists",
    ),
    Side.KURDISH: (
        "ypg", "sdf", "pkk", *variants("kurdish", "fighters|forces|militia|militants|units"),
        "syrian democratic forces", "people s protection units",
    ),
    Side.RUSSIA: (
        *variants("russian", "jets|warplanes|forces|air force|military|army|troops|aircraft|"
                   "occupation|bombers|planes|air strikes|airstrikes|navy|special forces"),
        "russia",
    ),
    Side.COALITION: ("us led", "u s led", "coalition jets", "coalition warplanes",
                         "coalition strikes"),
}
_SIDE_LEXICON = Lexicon(SIDES.items())


def sides_in(sentence: Clause | str, end: int | None = None) -> tuple[Side, ...]:
    """Sides named in a sentence (before ``end``), in order of first appearance."""
    clause = as_clause(sentence)
    if end is None or end >= len(clause.text):
        return clause.once(_sides)
    found: list[Side] = []
    for hit in _SIDE_LEXICON.find(clause):
        if hit.start >= end:
            break
        if hit.label not in found:
            found.append(cast(Side, hit.label))
    return tuple(found)


def acting_sides(clause: Clause, end: int) -> tuple[Side, ...]:
    """Sides named before ``end`` as actors: not those of a held-phrase ("shelling of
    government-held areas" names no government actor)."""
    if _HELD_WORDS.isdisjoint(clause.words):
        return sides_in(clause, end)  # no held-phrase: the plain look-up, kept per clause
    if end >= len(clause.text):
        return clause.once(_unheld_sides)
    return _unheld_sides(as_clause(clause.lowered[:end]))


def acting_sides_in(text: str) -> tuple[Side, ...]:
    """:func:`acting_sides` of a few words ("Government forces also")."""
    clause = as_clause(text)
    if _HELD_WORDS.isdisjoint(clause.words):
        return sides_in(clause)
    return _unheld_sides(clause)


def _unheld_sides(clause: Clause) -> tuple[Side, ...]:
    # A phrase right before "held", "controlled"... names a holder, not an actor.
    pieces = clause.pieces
    last_word = len(pieces) - 1
    found: list[Side] = []
    for label, _first, last in _SIDE_LEXICON.word_matches(clause):
        side = cast(Side, label)
        if side not in found and not (last < last_word and pieces[last + 1] in _HELD_WORDS):
            found.append(side)
    return tuple(found)


# Every held-phrase has one of these words; the side word is the one before.
_HELD_WORDS = frozenset({"held", "controlled", "besieged", "dominated", "run"})


def _sides(clause: Clause) -> tuple[Side, ...]:
    # The lexicon's labels are the Side members it was built with (SIDES' keys).
    return cast(tuple[Side, ...], tuple(_SIDE_LEXICON.labels(clause)))
