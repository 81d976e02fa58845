"""Whether a name found in text fits its story: the next item of a list of places, or a
far town that only shares one of its alternate names.

Both are judged from what is around a name rather than from the name: "Fardous" is a
district when it follows "Sukkari," in a list of them, and "Castello" is no town in Spain
in a report from Aleppo.
"""

from __future__ import annotations

import re

from geoaleppo import names as keys
from geoaleppo.matching import TOKEN_RE, Matcher, Token
from geoaleppo.model import Mention
from geoaleppo.ranking import out_of_context as far_town_by_another_name
from geoaleppo.text import Sentence

# The next item of a list of places: after a comma, or, in scraped copy that lost its
# commas ("Bustan al-Qasr Kallaseh Sukkari"), after a space that follows a place found.
_LIST_COMMA_RE = re.compile(r"[\w'’\-],\s+$")


def follows_place_in_list(text: str, token: Token, sentence: Sentence, matcher: Matcher,
                           context_country: str) -> bool:
    """Whether ``token`` is the next item of a list whose previous item is a place of the
    story's country: "Sukkari, Fardous", and "Bustan al-Qasr Kalasa" in copy that lost
    its commas."""
    if keys.is_generic(token.text):
        return False  # "Saadallah al-Jabiri Square": the name goes on
    end = token.start
    before = text[max(sentence.start, end - 40) : end]
    comma = _LIST_COMMA_RE.search(before)
    if comma:
        end = max(sentence.start, end - 40) + comma.start() + 1
    elif not before.endswith(" "):
        return False
    else:
        end -= 1
    # The previous item may have up to three words ("Bustan al-Qasr").
    words = list(TOKEN_RE.finditer(text, max(sentence.start, end - 60), end))
    words = [w for w in words if w.end() <= end]
    for count in (1, 2, 3):
        if len(words) < count or words[-1].end() != end:
            break
        span = text[words[-count].start() : end]
        if not span[:1].isupper() and not span.startswith(("al-", "as-", "ash-", "el-")):
            continue
        choice = matcher.best(span, True, context_country)
        if choice is None or choice.world_city:
            continue
        place = choice.candidate.place
        if place.country == context_country and place.kind in {"district", "area", "landmark"}:
            return True
    return False


def out_of_context(mention: Mention, matcher: Matcher, story_country: str) -> bool:
    """A far town found only by one of its alternate names ("Castello" in a Syrian story
    is not Castelló de la Plana): judged once the story's country is known, so the towns
    of a story about elsewhere still vote for its country."""
    if mention.place is None or not mention.place.id.startswith("geonames:"):
        return False
    choice = matcher.best(mention.text, True, story_country)
    return choice is not None and far_town_by_another_name(choice.candidate, story_country)
