"""Place-like names the gazetteer lacks: what the reader could not place, with suggestions.

A capitalised name after a place cue ("in", "outskirts of", "districts of", "such as"
after a word for places), or a further name of the list such a cue opens, that no
mention covers goes into a reading's ``unresolved`` with the gazetteer's closest names,
ready for ``geoaleppo gazetteer add``: "Castello road", "the 1070 apartments project".
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from geoaleppo import names as keys
from geoaleppo.gazetteer import Gazetteer
from geoaleppo.lexicon import word_alternation
from geoaleppo.mentions import COMMON_WORDS
from geoaleppo.model import Mention, Unresolved
from geoaleppo.text import Sentence, Spans, sentence_of

# Words that begin a person's name or title, never a place.
_PERSON_TITLES = frozenset(
    """
    ambassador president minister mr mrs ms dr sheikh general gen colonel col lieutenant
    sergeant captain king queen prince senator governor mayor secretary envoy pope
    """.split()
) - {"sheikh"}  # Sheikh Maqsoud, Sheikh Saeed: in Aleppo "Sheikh" begins places

# The words that introduce a place ("in", "outskirts of", "along"), and those that open a
# list of places ("districts of", "such as"); scanned for in every report.
_PLACE_CUES = ("in", "into", "near", "at", "around", "outside", "inside", "toward", "towards",
               "along", "off", "across",
               "district of", "neighbourhood of", "neighborhood of", "village of", "town of",
               "city of", "suburb of", "outskirts of",
               "districts of", "neighbourhoods of", "neighborhoods of", "areas of")
# "such as" and "including" open a list of places only after a word for places.
_LIST_WORDS = ("district", "districts", "neighbourhood", "neighbourhoods", "neighborhood",
               "neighborhoods", "area", "areas", "town", "towns", "village", "villages",
               "suburb", "suburbs", "quarter", "quarters", "places", "cities", "front",
               "fronts")
_LIST_OPENING = r"(?:\s+of\s+\w+)?,?\s+(?:such\s+as|including|like)"


def _list_openings() -> str:
    """The words for places and what opens a list after them, as alternatives that each
    start with a letter (see :data:`_PLACE_CUE_RE`)."""
    by_first: dict[str, list[str]] = {}
    for word in _LIST_WORDS:
        by_first.setdefault(word[0], []).append(word[1:])
    return "|".join(rf"{first}(?<!\w{first})(?:{word_alternation(rests)}){_LIST_OPENING}"
                    for first, rests in by_first.items())


# A name: capitalised words, maybe joined by an article ("Jisr al-Haj"), or the housing
# projects Aleppo names by their number of flats ("the 1070 apartments").
_CUED_NAME = (
    r"(?P<name>(?:[A-Z][\w'’\-]+)(?:\s+(?:al-|el-|as-|ash-|ad-)?[A-Z][\w'’\-]+){0,3}"
    r"|\d{2,5}[ -](?:apartments?|flats|housing|dwellings)(?:\s+(?:project|complex|area))?)"
    # A kind of place after the name: the district's word is left out of the phrase,
    # a road's kept ("Castello road" is not "Castello").
    r"(?:\s+(?P<head>neighbou?rhood|district|area|quarter|village|town|camp|suburb)"
    r"|\s+(?P<road>road|street|highway|roundabout|square|bridge|junction|crossing))?"
)
# Every alternative starts with a letter, so that the regex engine, which runs this over
# every report, skips to the letters they start with instead of trying each character.
_PLACE_CUE_RE = re.compile(
    rf"(?:{word_alternation(_PLACE_CUES, word_start=True)}|{_list_openings()})\s+(?:the\s+)?"
    rf"{_CUED_NAME}"
)
# The same after the character before it, which is never a word character: text has far
# fewer of those than letters a cue may start with, so the engine stops at far fewer
# places. (Its groups are the same; only where the whole match starts differs.)
_AFTER_NON_WORD_CUE_RE = re.compile(rf"\W(?:{_PLACE_CUE_RE.pattern})")
# The next name of a list the cue opened: "in Sukkari, Fardous and Sheikh Lutfi".
_NEXT_IN_LIST_RE = re.compile(rf"(?P<join>\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)(?:the\s+)?"
                              rf"{_CUED_NAME}(?!\.\w|[\w'’\-])")


def find_unresolved(text: str, sentences: list[Sentence], gazetteer: Gazetteer,
                    mentions: list[Mention]) -> list[Unresolved]:
    """The cued names of ``text`` that none of ``mentions`` covers, in text order."""
    starts = [sentence.start for sentence in sentences]
    taken = Spans([(m.start, m.end) for m in mentions])
    result = []
    seen: set[tuple[int, int]] = set()
    for match in _cued_names(text):
        start, end = match.start("name"), match.end("road" if match.group("road") else "name")
        if taken.overlaps(start, end) or (start, end) in seen:
            continue
        name = text[start:end]
        first = keys.exact_key(name.split()[0])
        if first in COMMON_WORDS and not match.group("head"):
            continue
        if not match.group("head") and len(name.split()) == 1 and name.isupper():
            continue  # acronyms: "in UN", "from SANA"
        if first in _PERSON_TITLES or name.endswith(("’s", "'s")):
            continue  # "in Ambassador Andrei Karlov", "at Trump's"
        seen.add((start, end))
        sentence = sentence_of(sentences, starts, start)
        result.append(
            Unresolved(name, start, end, sentence.index, gazetteer.suggestions(name),
                       sentence=sentence.text)
        )
    return result


def _place_cues(text: str) -> Iterator[re.Match[str]]:
    """What ``_PLACE_CUE_RE.finditer(text)`` finds, with the same groups and ends.

    A cue starts the text or follows a character that is not a word character, so the
    cue at the earliest place from ``position`` on is the one after the first such
    character from ``position - 1`` on (that character may end the match before).
    """
    position = 0
    match = _PLACE_CUE_RE.match(text)
    while True:
        if match is not None:
            yield match
            position = match.end()
        match = _AFTER_NON_WORD_CUE_RE.search(text, max(position - 1, 0))
        if match is None:
            return


def _cued_names(text: str) -> Iterator[re.Match[str]]:
    """Each name a place cue introduces, and each further name of the list it opens.

    A name after a comma is one of the list only when an "and" or "or" closes the list
    later ("in Sukkari, Fardous and Sheikh Lutfi"): "in Aleppo, Sputnik News said" is a
    clause, and "Springfield, Ill." a state.
    """
    for match in _place_cues(text):
        yield match
        items = []
        following = _NEXT_IN_LIST_RE.match(text, match.end())
        while following is not None:
            items.append(following)
            following = _NEXT_IN_LIST_RE.match(text, following.end())
        closed = [i for i, item in enumerate(items) if re.search(r"\b(?:and|or)\b",
                                                                 item.group("join"))]
        if closed:
            yield from items[: closed[-1] + 1]
