"""Finding place mentions in text.

Spans are matched against the gazetteer by :mod:`geoaleppo.matching`, longest first, so
"Aleppo University" is never "Aleppo" and "eastern Aleppo" is never "Aleppo". Only spans
that start with a capital letter are tried, except names the gazetteer itself writes in
lower case ("the citadel", "eye hospital"); a match that is more likely a common word
or part of a person's name is dropped. Then: phrases for the sides' parts of the city
("government-held areas of Aleppo"), "the hospital" back to the hospital named, roles
(:mod:`geoaleppo.roles`), spatial expressions (:mod:`geoaleppo.expressions`), the
demonyms and place names that qualify a noun (:mod:`geoaleppo.modifiers`), and the
place-like phrases left unresolved.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Set as AbstractSet
from operator import attrgetter
from typing import NamedTuple

from geoaleppo import context, expressions, modifiers, roles, setting
from geoaleppo.gazetteer import Gazetteer
from geoaleppo.lexicon import find_word, lowercased
from geoaleppo.matching import (
    JOINED_TOKEN_RE,
    Choice,
    Matcher,
    Token,
    matchable_lengths,
    matcher_for,
    next_token,
    token_before,
    token_of,
)
from geoaleppo.model import Mention
from geoaleppo.text import Sentence, Spans, sentence_of

# World cities below this population must be introduced as places to count (see
# _plausible); above it, a capitalised name alone is taken as the city.
SMALL_CITY = 100_000
_LOCATIVE_RE = re.compile(
    r"\b(?:in|at|near|from|to|outside|around|across|into|towards?|via|of|between|and|"
    r"downtown|north|south|east|west|city of|town of|village of|"
    # The words that open a list of places ("neighbourhoods such as Sukari").
    r"such as|including|notably|especially|particularly|among them)\s+(?:the\s+)?$"
)

# Capitalised words that are never a place on their own, though some are city names
# somewhere ("Police", "Reading", "Mobile") or the start of a sentence.
COMMON_WORDS = frozenset(
    """
    a about after again against all also an and any are army as at back be because been
    before being between both but by can could day did do during each even few for from
    further had has have he her here him his how i if in into is it its just last least
    many may me more most much my new news no nor not now of off on once one only or other
    our out over own police president prime minister reading mobile said same says she should
    since so some state such than that the their them then there these they this those
    through to too under until up very was we were what when where which while who whom
    why will with would you your monday tuesday wednesday thursday friday saturday sunday
    january february march april may june july august september october november december
    rebels rebel government forces troops state television tv observatory reuters afp
    clashes fighting heavy western eastern northern southern central regional security
    council united nations european union islamic jihadist opposition syrian russian
    american iranian turkish kurdish lebanese god allah media world people city town
    village district area old citadel university hospital north south east west
    syrian syrians russians iranians americans turks kurds lebanese saudi qatari british
    french german israeli iraqi jordanian egyptian arab arabs western
    """.split()
)

_GENERIC_FACILITY_RE = re.compile(  # matched in lower-cased text
    r"\b(?:the|a|an)\s+(?P<noun>hospital complex|hospital|complex|medical complex)\b"
)
_ANAPHORIC_HOSPITAL_WINDOW = 2

# Phrases that name a side's part of the city without naming a place.
# Matched in lower-cased text, and each starts with its words, not with a word boundary:
# the regex engine then skips to them as fast as a plain find. The boundary before is
# tested just after the first word instead.
SIDE_PHRASES = (
    (re.compile(
        r"government(?<![\w]government)[- ]held\s+(?:western\s+)?(?:areas?|parts?|"
        r"districts?|neighbou?rhoods?|west|side|sector|quarters?)"
        r"(?:\s+of\s+(?:the\s+city|aleppo))?"), "western-aleppo"),
    (re.compile(
        r"(?:remaining(?<![\w]remaining)\s+(?:rebel|opposition|insurgent)"
        r"|rebel(?<![\w]rebel)|opposition(?<![\w]opposition)|insurgent(?<![\w]insurgent))"
        r"[- ]held\s+(?:eastern\s+)?(?:areas?|parts?|districts?|neighbou?rhoods?|east|side|"
        r"sector|enclave|pocket|quarters?)(?:\s+of\s+(?:eastern\s+)?(?:the\s+city|aleppo))?"),
     "eastern-aleppo"),
)
_SIDE_PHRASE_SCOPE = re.compile(r"a(?<!\wa)leppo\b")  # in lower-cased text




def find_mentions(
    text: str,
    sentences: list[Sentence],
    gazetteer: Gazetteer,
    *,
    dateline: tuple[tuple[str, int, int], ...] = (),
    context_country: str = "SY",
    words: AbstractSet[str] | None = None,
) -> list[Mention]:
    """Every place mention in ``text`` with its role (the place-like leftovers are
    :func:`geoaleppo.unresolved.find_unresolved`'s). ``words``: the text's words in lower
    case, if the caller has them (see :meth:`Matcher.head_tokens_in`)."""
    matcher = matcher_for(gazetteer)
    lowercase_elsewhere = _LowerCaseWords(text)
    dateline_spans = [(start, end) for _name, start, end in dateline]
    head_tokens = matcher.head_tokens_in(text, words)
    heads = _Heads([position for position, _word in head_tokens],
                   [word for _position, word in head_tokens])
    mentions: list[Mention] = []
    for sentence in sentences:
        mentions.extend(_sentence_mentions(text, sentence, heads, matcher, lowercase_elsewhere,
                                           context_country))
    country = setting.story_country(mentions, context_country, gazetteer, text)
    if country != context_country:
        # A story about Ohio: "Georgia" and "Paris" are read again with the US first.
        mentions = [
            mention
            for sentence in sentences
            for mention in _sentence_mentions(text, sentence, heads, matcher,
                                              lowercase_elsewhere, country)
        ]
    mentions = [m for m in mentions if not context.out_of_context(m, matcher, country)]
    mentions = setting.settled(text, sentences, mentions, matcher, country, context_country)
    mentions.extend(_side_phrase_mentions(text, sentences, gazetteer, mentions))
    mentions.extend(_facility_coreference(text, sentences, mentions, gazetteer))
    mentions.sort(key=lambda m: m.start)
    mentions = [roles.with_role(text, m, dateline_spans) for m in mentions]
    mentions = roles.with_lists_resolved(text, mentions)
    mentions = _with_seats_of_government(text, sentences, gazetteer, mentions)
    by_sentence: dict[int, list[Mention]] = {}
    for mention in mentions:
        by_sentence.setdefault(mention.sentence_index, []).append(mention)
    mentions = [expressions.with_spatial(text, m, by_sentence[m.sentence_index])
                for m in mentions]
    # Last, so a demonym or "Aleppo-based" takes no part in the roles, lists and spatial
    # expressions of the places the text locates things at.
    return modifiers.find_modifiers(text, sentences, gazetteer, matcher, mentions, country)


class _Heads(NamedTuple):
    """Where names may start in a text, in order, and the token at each (see
    :meth:`Matcher.head_tokens_in`): found once, read sentence by sentence."""

    positions: list[int]
    words: list[str]


def _sentence_mentions(
    text: str, sentence: Sentence, heads: _Heads, matcher: Matcher,
    lowercase_elsewhere: _LowerCaseWords, context_country: str,
) -> list[Mention]:
    found: list[Mention] = []
    resume = sentence.start  # tokens before this are part of a name already found
    positions = heads.positions
    first = bisect.bisect_left(positions, sentence.start)
    last = bisect.bisect_left(positions, sentence.end, first)
    settled = matcher.settled
    head_limits = matcher.head_limits  # looked up here: most heads are known words
    for position, word in zip(positions[first:last], heads.words[first:last], strict=True):
        if position < resume:
            continue
        limit = head_limits.get(word)
        if limit is None:
            limit = matcher.head_limit(word)
        if not limit or settled.get(word) == ():
            continue
        # Most heads, and the words after them, are known to start no name ("The
        # rebels"): they are passed over before any token is made of them.
        following = (JOINED_TOKEN_RE.match(text, position + len(word), sentence.end)
                     if limit > 1 else None)
        if limit > 1 and settled.get((word, following.group(1) if following else None)) == ():
            continue
        # Grown by matchable_lengths as far as a name may reach.
        window = [token_of(word, position)]
        if following is not None:
            window.append(token_of(following.group(1), following.start(1)))
        found_here = _longest_match(text, window, matcher, lowercase_elsewhere, sentence,
                                    context_country, limit)
        if found_here is not None:
            mention, used = found_here
            found.append(mention)
            resume = window[used - 1].end
    return found


def _longest_match(
    text: str, window: list[Token], matcher: Matcher, lowercase_elsewhere: _LowerCaseWords,
    sentence: Sentence, context_country: str, limit: int,
) -> tuple[Mention, int] | None:
    """The longest name starting at the window's first token, and how many tokens it has."""
    first = window[0]
    for length in matchable_lengths(text, window, sentence.end, limit, matcher):
        last = window[length - 1]
        start = first.start
        # "the" belongs to a name only when the gazetteer writes it ("the citadel").
        span = text[start : last.end]
        capitalised = first.capitalised or (
            first.exact == "the" and length > 1 and window[1].capitalised
        )
        if first.exact in {"the", "a"} and length == 1:
            continue
        choice = matcher.best(span, capitalised, context_country)
        if choice is None:
            continue
        best = choice.candidate
        # Names the gazetteer writes in lower case ("the citadel") are deliberate.
        if not choice.deliberate and not _plausible(choice, window, length,
                                                    lowercase_elsewhere, text, sentence,
                                                    matcher, context_country):
            continue
        if first.exact == "the" and best.method != "exact" and capitalised:
            # Report the name without the article ("the Old City" → "Old City").
            start = window[1].start
            span = text[start : last.end]
        mention = Mention(
            text=span, start=start, end=last.end, sentence_index=sentence.index,
            place=best.place, role="location", method=best.method,
            confidence=choice.confidence, sentence=sentence.text,
        )
        return mention, length
    return None


def _plausible(
    choice: Choice, window: list[Token], length: int,
    lowercase_elsewhere: _LowerCaseWords, text: str, sentence: Sentence,
    matcher: Matcher, context_country: str,
) -> bool:
    """Reject matches that are more likely a common word or part of a person's name."""
    best, is_world_city = choice.candidate, choice.world_city
    position, first = 0, window[0]
    if first.exact in {"the", "a"} and length > 1:
        # Judge "the Syrian" by "Syrian": the article adds no evidence of a name.
        position, length = 1, length - 1
        first = window[1]
    # Acronyms ("UN", "US", "SDF") are places only when the gazetteer says so exactly.
    if (length == 1 and first.text.isupper() and len(first.text) <= 4
            and (is_world_city or best.method != "exact")):
        return False
    if length == 1:
        word = first.exact
        if word in COMMON_WORDS and best.place.kind not in {"country"}:
            return False
        if is_world_city and word in lowercase_elsewhere:
            return False
        if is_world_city:
            previous = window[0] if position else token_before(text, first, sentence)
            following = (window[position + 1] if position + 1 < len(window)
                         else next_token(text, first, sentence.end))
            if (
                previous is not None
                and previous.capitalised
                and text[previous.end : first.start] == " "
                and previous.exact not in COMMON_WORDS
            ):
                return False  # "Sergei Lavrov", "Bashar Assad"
            if (
                following is not None
                and following.capitalised
                and text[first.end : following.start] == " "
            ):
                return False  # part of a longer unknown name
    if best.method == "skeleton" and length == 1 and len(first.text) < 5:
        return False
    if choice.word_like:
        return False  # "As a", "Al", "El", "the Kremlin"
    if best.method == "skeleton" and length == 1:
        # A loose spelling of one word ("Sukari") is a district only where a place is
        # expected: "Suleyman" the minister is not al-Suleimaniyeh.
        before = text[max(0, first.start - 24) : first.start]
        after = text[first.end : first.end + 14].lower()
        if not (_LOCATIVE_RE.search(before.lower())
                or re.match(r"\s+(?:neighbou?rhood|district|area|quarter)", after)
                or context.follows_place_in_list(text, first, sentence, matcher,
                                                     context_country)):
            return False
    if is_world_city and length == 1 and best.place.population < SMALL_CITY:
        # A small town's name alone is as likely a surname ("Moore", "Burton"): take it
        # only after a word that introduces a place, or before ", State".
        before = text[max(0, first.start - 24) : first.start].lower()
        after = text[first.end : first.end + 3]
        if not (_LOCATIVE_RE.search(before) or after.startswith(", ")):
            return False
    return True


def _side_phrase_mentions(
    text: str, sentences: list[Sentence], gazetteer: Gazetteer, existing: list[Mention]
) -> list[Mention]:
    """'government-held areas of Aleppo' means western Aleppo; 'rebel-held areas' the east.

    Only in stories about Aleppo (the text names it), and only where no mention is.
    """
    lowered = lowercased(text)
    if "held" not in lowered or not _SIDE_PHRASE_SCOPE.search(lowered):
        return []
    # Each phrase lies within a sentence and has "held" in it: only those are scanned.
    held = [sentence for sentence in sentences if "held" in sentence.text.lower()]
    starts = [sentence.start for sentence in sentences]
    spans = [(m.start, m.end) for m in existing if m.place is None or m.place.kind != "city"]
    taken = Spans(spans)
    replaced: list[tuple[int, int]] = []
    found = []
    for pattern, place_id in SIDE_PHRASES:
        place = gazetteer.get(place_id)
        if place is None:
            continue
        matches = (match for sentence in held
                   for match in pattern.finditer(lowered, sentence.start, sentence.end))
        for match in matches:
            start, end = match.start(), match.end()
            if taken.overlaps(start, end):
                # "rebel-held areas of eastern Aleppo": the named place is the mention.
                continue
            if re.search(r"\bbetween\b[^.]{0,30}$", text[max(0, start - 40) : start], re.I):
                continue  # "split between government- and rebel-held areas": not a place
            replaced.append((start, end))
            sentence = sentence_of(sentences, starts, start)
            found.append(Mention(text[start:end], start, end, sentence.index, place, "location",
                                 "phrase", 0.7, sentence=sentence.text))
        # One pattern's phrases never overlap one another, so only the next pattern need
        # keep off them: the spans are sorted again once a pattern, not once a phrase (an
        # insertion into a sorted list moves every span after it).
        taken = Spans(spans + replaced)
    if replaced:
        # "government-held areas of Aleppo" is more than "Aleppo": the phrase wins.
        phrases = Spans(replaced)
        existing[:] = [m for m in existing if not phrases.overlaps(m.start, m.end)]
    return found


def _with_seats_of_government(text: str, sentences: list[Sentence], gazetteer: Gazetteer,
                              mentions: list[Mention]) -> list[Mention]:
    """'The White House said': an actor of its country, not the place a name matched
    (GeoNames' White House is Casablanca). A seat that does not act keeps a match in
    its own country ("outside the Élysée": Paris) and loses one elsewhere."""
    seats = roles.seats_of_government(text)
    if not seats:
        return mentions
    starts = [sentence.start for sentence in sentences]
    mention_starts = [m.start for m in mentions]  # in text order
    dropped: set[int] = set()
    added = []
    for seat in seats:
        country = gazetteer.get(seat.country_id)
        if country is None:
            continue
        first = max(0, bisect.bisect_left(mention_starts, seat.start) - 1)
        last = bisect.bisect_left(mention_starts, seat.end)
        for index in range(first, last):
            mention = mentions[index]
            if mention.start < seat.end and seat.start < mention.end and (
                    seat.acts or mention.place is None
                    or mention.place.country != country.country):
                dropped.add(index)
        if seat.acts:
            sentence = sentence_of(sentences, starts, seat.start)
            added.append(Mention(text[seat.start : seat.end], seat.start, seat.end,
                                 sentence.index, country, "actor", "seat of government",
                                 0.9, sentence=sentence.text))
    kept = [m for index, m in enumerate(mentions) if index not in dropped]
    return sorted(kept + added, key=attrgetter("start"))


class _LowerCaseWords:
    """Whether a text uses a word in lower case ("reading", "mobile"), looked up only for
    the few words asked about, each once.

    Each look-up reads the whole text, so a text that asks of many words (a list of
    thousands of towns) has its lower-case words collected once instead.
    """

    _LOOK_UPS = 64  # a find reads the text tens of times faster than the collection

    def __init__(self, text: str) -> None:
        self._text = text
        self._answers: dict[str, bool] = {}
        self._words: set[str] | None = None

    def __contains__(self, word: object) -> bool:
        if not (isinstance(word, str) and len(word) > 1 and word.isascii()
                and word.isalpha() and word.islower()):
            return False
        answer = self._answers.get(word)
        if answer is None:
            if self._words is None and len(self._answers) >= self._LOOK_UPS:
                self._words = {m.group() for m in _LOWER_WORD_RE.finditer(self._text)}
            if self._words is None:
                answer = find_word(self._text, word) >= 0
            else:
                answer = word in self._words
            self._answers[word] = answer
        return answer


# A whole word (as find_word has it) of lower-case ASCII letters.
_LOWER_WORD_RE = re.compile(r"(?<!\w)[a-z]++(?!\w)")


def _hospital_ids(gazetteer: Gazetteer) -> frozenset[str]:
    """The places one of whose names says it is a hospital (kept with the gazetteer)."""
    return gazetteer.kept("hospitals", lambda: frozenset(
        place.id for place in gazetteer
        if any("hospital" in name.text.lower() for name in place.names)))


def _facility_coreference(text: str, sentences: list[Sentence], mentions: list[Mention],
                          gazetteer: Gazetteer) -> list[Mention]:
    """'the hospital', 'a hospital complex' → the hospital named within two sentences."""
    hospital_ids = _hospital_ids(gazetteer)
    hospitals = [m for m in mentions if m.place and m.place.id in hospital_ids]
    if not hospitals:
        return []
    nouns = [sentence for sentence in sentences
             if "hospital" in sentence.text.lower() or "complex" in sentence.text.lower()]
    starts = [sentence.start for sentence in sentences]
    taken = Spans([(m.start, m.end) for m in mentions])
    hospital_sentences = [h.sentence_index for h in hospitals]  # in text order, so sorted
    found = []
    lowered = lowercased(text)
    matches = (match for sentence in nouns
               for match in _GENERIC_FACILITY_RE.finditer(lowered, sentence.start, sentence.end))
    for match in matches:
        start, end = match.start("noun"), match.end("noun")
        if taken.overlaps(start, end):
            continue
        sentence = sentence_of(sentences, starts, start)
        low = bisect.bisect_left(hospital_sentences,
                                 sentence.index - _ANAPHORIC_HOSPITAL_WINDOW)
        high = bisect.bisect_right(hospital_sentences,
                                   sentence.index + _ANAPHORIC_HOSPITAL_WINDOW)
        if low >= high:
            continue
        # Prefer the hospital named before; a report may also name it just after. They are
        # in text order: a bisection, as one long sentence may name thousands.
        before = bisect.bisect_left(hospitals, start, low, high, key=attrgetter("start"))
        antecedent = hospitals[before - 1] if before > low else hospitals[low]
        found.append(Mention(text[start:end], start, end, sentence.index, antecedent.place,
                             "location", "coreference", 0.7, sentence=sentence.text))
    return found
