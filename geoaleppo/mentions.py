"""Finding place mentions in text.

Matching is dictionary look-up over token n-grams, longest first, so "Aleppo University"
is never "Aleppo" and "eastern Aleppo" is never "Aleppo". Only spans that start with a
capital letter are tried, except names the gazetteer itself writes in lower case ("the
citadel", "eye hospital"). Then: phrases for the sides' parts of the city ("government-
held areas of Aleppo"), "the hospital" back to the hospital named, roles
(:mod:`geoaleppo.roles`), spatial expressions (:mod:`geoaleppo.expressions`), and the
place-like phrases left unresolved.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from geoaleppo import expressions, roles, world
from geoaleppo import names as keys
from geoaleppo.gazetteer import Gazetteer
from geoaleppo.lexicon import word_alternation
from geoaleppo.model import Candidate, Mention, Place, Unresolved
from geoaleppo.text import Sentence

MAX_NGRAM = 6
# World cities below this population must be introduced as places to count (see
# _plausible); above it, a capitalised name alone is taken as the city.
SMALL_CITY = 100_000
_LOCATIVE_RE = re.compile(
    r"\b(?:in|at|near|from|to|outside|around|across|into|towards?|via|of|between|and|"
    r"downtown|north|south|east|west|city of|town of|village of)\s+(?:the\s+)?$"
)
# A word with inner apostrophes and hyphens ("Sha'ar", "al-Bab"), but not a possessive
# "'s", which stays outside so "Syria's" is "Syria".
_TOKEN_RE = re.compile(
    r"(?:[A-Z]\.){2,}|[\w\u0600-\u06ff]+(?:['’\-](?![sS]\b)[\w\u0600-\u06ff]+)*"
)
# Not inside a token: no word character before, nor an apostrophe or hyphen joining one.
_TOKEN_START = r"(?<![\w\u0600-\u06ff])(?<![\w\u0600-\u06ff]['’\-])"
# A capital that starts a token, in ASCII text: no word character before it, nor an
# apostrophe or hyphen after one (see _TOKEN_START).
_CAPITAL_HEAD_RE = re.compile(r"[A-Z](?<![A-Za-z0-9_][A-Z])(?<![A-Za-z0-9_]['\-][A-Z])")
# The next token, one space or " - " on: how the words of a name are joined.
_JOINED_TOKEN_RE = re.compile(rf"(?: - | )({_TOKEN_RE.pattern})")
_LOWER_ARTICLES = ("al", "el", "as", "ash", "ad", "az", "at", "an", "ar", "aj", "es", "ed", "et",
                   "ez", "en")
_LOWER_ARTICLE_RE = re.compile(rf"(?:{'|'.join(_LOWER_ARTICLES)})-[A-Z]")
_ARTICLE_TOKENS = frozenset(
    "al el as ash ad az at an ar the ath adh aj ed es et ez en er".split()
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

# Words that begin a person's name or title, never a place.
_PERSON_TITLES = frozenset(
    """
    ambassador president minister mr mrs ms dr sheikh general gen colonel col lieutenant
    sergeant captain king queen prince senator governor mayor secretary envoy pope
    """.split()
) - {"sheikh"}  # Sheikh Maqsoud, Sheikh Saeed: in Aleppo "Sheikh" begins places

# Seats of power and institutions that some city lists among its alternate names
# ("White House" is one of Casablanca's): never a place mention on their own.
_INSTITUTIONS = frozenset({
    "white house", "kremlin", "the kremlin", "pentagon", "downing street", "elysee",
    "capitol hill", "state department", "foreign ministry", "security council",
})

_GENERIC_FACILITY_RE = re.compile(
    r"\b(?:the|a|an)\s+(?P<noun>hospital complex|hospital|complex|medical complex)\b", re.I
)
_ANAPHORIC_HOSPITAL_WINDOW = 2

# Phrases that name a side's part of the city without naming a place.
SIDE_PHRASES = (
    (re.compile(
        r"\b(?:a\s+|the\s+)?government[- ]held\s+(?:western\s+)?(?:areas?|parts?|districts?|"
        r"neighbou?rhoods?|west|side|sector|quarters?)(?:\s+of\s+(?:the\s+city|Aleppo))?",
        re.I), "western-aleppo"),
    (re.compile(
        r"\b(?:the\s+)?(?:remaining\s+)?(?:rebel|opposition|insurgent)[- ]held\s+(?:eastern\s+)?"
        r"(?:areas?|parts?|districts?|neighbou?rhoods?|east|side|sector|enclave|pocket|"
        r"quarters?)(?:\s+of\s+(?:eastern\s+)?(?:the\s+city|Aleppo))?",
        re.I), "eastern-aleppo"),
)
_SIDE_PHRASE_SCOPE = re.compile(r"\baleppo\b", re.I)

# The words that introduce a place ("in", "outskirts of"); scanned for in every report.
_PLACE_CUES = ("in", "into", "near", "at", "around", "outside", "inside", "toward", "towards",
               "district of", "neighbourhood of", "neighborhood of", "village of", "town of",
               "city of", "suburb of", "outskirts of")
_PLACE_CUE_RE = re.compile(
    rf"\b(?:{word_alternation(_PLACE_CUES)})\s+(?:the\s+)?"
    r"(?P<name>(?:[A-Z][\w'’\-]+)(?:\s+(?:al-|el-|as-|ash-|ad-)?[A-Z][\w'’\-]+){0,3})"
    r"(?:\s+(?P<head>neighbou?rhood|district|area|quarter|village|town|camp|suburb))?"
)


@dataclass(slots=True)  # not frozen: built once a word, and frozen init is slow
class _Token:
    start: int
    end: int
    text: str
    exact: str
    capitalised: bool
    variant: str
    skeleton: str


class Matcher:
    """A gazetteer prepared for scanning text: first-word sets and lower-case names."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        # For each word a name can start with, the most words a name starting with it
        # has: most tokens start no name at all, and are passed over with one look-up.
        self.heads: dict[str, int] = {}
        _rows, world_exact, world_variant = world._extract()
        local_exact, local_variant = gazetteer.index_keys("exact"), gazetteer.index_keys("variant")
        for keyset, local in ((local_exact, True), (local_variant, True),
                              (world_exact, False), (world_variant, False)):
            for key in keyset:
                words = key.split(" ")
                # One-letter heads only from our own names ("U.S." is "u s"): the world
                # extract's would make every initial a candidate.
                if (len(words[0]) > 1 or (local and len(words) > 1)) and self.heads.get(
                    words[0], 0
                ) < len(words):
                    self.heads[words[0]] = min(len(words), MAX_NGRAM)
        # Every key a span could match, so most spans are ruled out by a set look-up
        # instead of a full resolution.
        self.exact_keys = local_exact | set(world_exact)
        self.variant_keys = local_variant | set(world_variant)
        self.skeleton_keys = gazetteer.index_keys("skeleton")
        # What keys start with, so a span stops growing once no key starts with it.
        self.exact_prefixes = _word_prefixes(self.exact_keys)
        self.variant_prefixes = _word_prefixes(self.variant_keys)
        self.skeleton_prefixes = {key[:end] for key in self.skeleton_keys
                                  for end in range(len(key) + 1)}
        self.skeleton_heads: dict[str, int] = {}
        for place in gazetteer:
            if place.country != "SY":
                continue
            for name in place.names:
                words = keys.variant_key(name.text).split()
                if words:
                    head = keys.skeleton_key(words[0])
                    self.skeleton_heads[head] = max(self.skeleton_heads.get(head, 0),
                                                    min(len(words), MAX_NGRAM))
        # Names written in lower case in the gazetteer ("eastern Aleppo", "eye hospital")
        # may match uncapitalised text.
        self.lowercase_names: set[str] = set()
        for place in gazetteer:
            for name in place.names:
                if name.text[:1].islower():
                    self.lowercase_names.add(keys.exact_key(name.text))
        self.lowercase_first = {k.split(" ", 1)[0] for k in self.lowercase_names}
        # Names and words recur in every report: what was worked out once is kept.
        self._best: dict[tuple[str, bool, str], _Choice | None] = {}
        self._head_limits: dict[str, int] = {}
        # Where a name may start: a token that is capitalised, Arabic or any other word
        # but a plain lower-case or numeric one, or a lower-case word that begins a
        # lower-case name. The rest of the text (most of it) is never split into tokens.
        # A lower-case "the" (the commonest word) counts only before a capitalised word
        # or a name the gazetteer writes with "the" ("the citadel").
        lowercase_heads = word_alternation(self.lowercase_first - _ARTICLE_TOKENS - {"a"})
        after_the = word_alternation({k.split(" ")[1] for k in self.lowercase_names
                                      if k.startswith("the ")})
        lower_article = rf"(?:{word_alternation(_LOWER_ARTICLES)})-[A-Z]"
        word_end = r"(?![\w\u0600-\u06ff])"
        lower_head = (rf"{lower_article}|(?:{lowercase_heads}){word_end}"
                      rf"|the(?: | - )(?:[^a-z]|{lower_article}|(?:{after_the}){word_end})")
        self.head_re = re.compile(
            rf"{_TOKEN_START}(?=[^\W\da-z_]|[\u0600-\u06ff]|{lower_head})"
            rf"(?:{_TOKEN_RE.pattern})"
        )
        # In ASCII text (most reports) the same heads are found faster: capitals by a
        # pattern that starts with a character class (which the regex engine skips to),
        # lower-case heads by finding their words, then testing each place found.
        self._lower_head_re = re.compile(lower_head)
        self._lower_head_words = tuple(sorted(
            (self.lowercase_first - _ARTICLE_TOKENS - {"a"})
            | {f"{article}-" for article in _LOWER_ARTICLES} | {"the"}
        ))

    def heads_in(self, text: str) -> list[int]:
        """Where in ``text`` a name may start (see ``head_re``), in order."""
        if not text.isascii():
            return [match.start() for match in self.head_re.finditer(text)]
        found = {match.start() for match in _CAPITAL_HEAD_RE.finditer(text)}
        for word in self._lower_head_words:
            position = text.find(word)
            while position >= 0:
                if _starts_token(text, position) and self._lower_head_re.match(text, position):
                    found.add(position)
                position = text.find(word, position + 1)
        # A capital inside a token found before it ("S" of "U.S.") starts none. Only an
        # acronym, a capital and a full stop, can hold a capital after its start.
        heads, covered = [], 0
        for position in sorted(found):
            if position >= covered:
                heads.append(position)
                if text.startswith(".", position + 1):
                    covered = _TOKEN_RE.match(text, position).end()  # type: ignore[union-attr]
        return heads

    def head_limit(self, word: str) -> int:
        """How many words a name starting with this token may have (0: none starts so)."""
        limit = self._head_limits.get(word)
        if limit is None:
            if len(self._head_limits) > 100_000:
                self._head_limits.clear()
            limit = self._head_limits[word] = self._head_limit(word)
        return limit

    def _head_limit(self, word: str) -> int:
        token = _token_of(word, 0)
        head = token.exact.split(" ", 1)[0] if token.exact else ""
        if head in _ARTICLE_TOKENS or head in {"the", "a"}:
            # "Al Shaar", "the Old City": the article may start a name of any length.
            return MAX_NGRAM if token.capitalised or head == "the" else 0
        if token.capitalised:
            return min(MAX_NGRAM, max(self.heads.get(head, 0),
                                      self.skeleton_heads.get(keys.skeleton_key(token.text), 0),
                                      1 if keys.is_arabic(token.text) else 0))
        return MAX_NGRAM if head in self.lowercase_first else 0

    def best(self, span: str, capitalised: bool, context_country: str) -> _Choice | None:
        """The place a span most likely names, if any, and what is known of the match
        from the span alone; kept per span and country."""
        key = (span, capitalised, context_country)
        found = self._best.get(key, False)
        if found is False:
            if len(self._best) > 100_000:
                self._best.clear()
            candidates = self._look_up(span, capitalised)
            found = self._best[key] = (
                _choice(span, _rank(candidates, context_country), self) if candidates else None)
        return found  # type: ignore[return-value]

    def _look_up(self, span: str, capitalised: bool) -> list[Candidate]:
        exact = keys.exact_key(span)
        if not capitalised and exact not in self.lowercase_names:
            return []
        found = self.gazetteer.lookup(span, methods=("exact", "variant"))
        if not found and capitalised:
            found = [
                c for c in self.gazetteer.lookup(span, methods=("skeleton",))
                if c.place.country == "SY"
            ]
        if capitalised:
            found += world.lookup(span, exclude=self.gazetteer.linked_ids)
        return found


def _word_prefixes(keys: set[str]) -> set[str]:
    prefixes = set()
    for key in keys:
        end = key.find(" ")
        while end >= 0:
            prefixes.add(key[:end])
            end = key.find(" ", end + 1)
    return prefixes


_MATCHERS: dict[int, Matcher] = {}


def matcher_for(gazetteer: Gazetteer) -> Matcher:
    matcher = _MATCHERS.get(id(gazetteer))
    if matcher is None or matcher.gazetteer is not gazetteer:
        matcher = Matcher(gazetteer)
        _MATCHERS.clear()
        _MATCHERS[id(gazetteer)] = matcher
    return matcher


def _starts_token(text: str, position: int) -> bool:
    """Whether a token of ASCII text starts at ``position`` (see _TOKEN_START)."""
    if position == 0:
        return True
    before = text[position - 1]
    if before.isalnum() or before == "_":
        return False
    return not (before in "'-" and position > 1
                and (text[position - 2].isalnum() or text[position - 2] == "_"))


def _token(match: re.Match[str]) -> _Token:
    return _token_of(match.group(), match.start())


def _token_of(word: str, start: int) -> _Token:
    keys_of_word = _WORD_KEYS.get(word)
    if keys_of_word is None:
        if len(_WORD_KEYS) > 200_000:
            _WORD_KEYS.clear()
        keys_of_word = _WORD_KEYS[word] = _word_keys(word)
    return _Token(start, start + len(word), word, *keys_of_word)


# A word's keys, worked out once per distinct word: names recur in every report.
_WORD_KEYS: dict[str, tuple[str, bool, str, str]] = {}


def _word_keys(word: str) -> tuple[str, bool, str, str]:
    """(exact key, capitalised, variant key, consonant skeleton) of a word."""
    if word.isascii() and word.isalpha():
        # Most words: the exact key of a plain ASCII word is the word in lower case.
        exact, capitalised = word.lower(), word[0].isupper()
    else:
        # "al-Sha'ar", "ash-Sheikh Maqsoud": a name whose article is written in lower
        # case still counts as capitalised.
        exact = keys.exact_key(word)
        capitalised = (word[:1].isupper() or keys.is_arabic(word[:1])
                       or bool(_LOWER_ARTICLE_RE.match(word)))
    return exact, capitalised, keys.variant_key(word), keys.skeleton_key(word)


def _next_token(text: str, token: _Token, end: int) -> _Token | None:
    """The token after ``token`` when plain spaces or " - " join them: a name never
    crosses other punctuation ("Sakhour, Shaar" is two places)."""
    match = _JOINED_TOKEN_RE.match(text, token.end, end)
    return _token_of(match.group(1), match.start(1)) if match else None


def _token_before(text: str, token: _Token, sentence: Sentence) -> _Token | None:
    """The token just before ``token`` in its sentence, when one plain space parts them."""
    if token.start - 1 <= sentence.start or text[token.start - 1] != " ":
        return None
    # Most often the word before is a plain one, back to the space before it.
    space = text.rfind(" ", sentence.start, token.start - 1)
    word = text[max(space + 1, sentence.start) : token.start - 1]
    if word.isascii() and word.isalpha() and (space >= sentence.start
                                              or sentence.start == token.start - 1 - len(word)):
        return _token_of(word, token.start - 1 - len(word))
    low = token.start - 1
    while True:
        low = max(sentence.start, low - 80)
        matches = list(_TOKEN_RE.finditer(text, low, token.start - 1))
        # A token cut by the look-back's start is looked for again from further back.
        if not matches or matches[0].start() > low or low == sentence.start:
            break
    if not matches or matches[-1].end() != token.start - 1:
        return None
    return _token(matches[-1])


def _matchable_lengths(text: str, window: list[_Token], end: int, limit: int,
                       matcher: Matcher) -> list[int]:
    """The lengths of the spans from the window's start whose exact, variant or skeleton
    key the gazetteer has, longest first.

    A cheap test from the tokens' own keys: each key grows a word at a time and stops once
    no key starts with what it has, and the window gets its next token only while one
    still may match. The variant and skeleton keys leave out "the" before a name, and
    articles inside it ("Bab al Hadid" is "bab hadid") unless it is the span's last word.
    """
    lengths = []
    head = window[0]
    skip_the = head.exact == "the"
    exact_key = ""
    variant_key, variant_words = "", 0  # the key so far, without articles inside a name
    skeleton = ""
    exact_alive, variant_alive, skeleton_alive = True, True, head.capitalised
    for length in range(1, limit + 1):
        if length > len(window):
            following = _next_token(text, window[-1], end)
            if following is None:
                break
            window.append(following)
        token = window[length - 1]
        matched = False
        if exact_alive:
            exact_key = f"{exact_key} {token.exact}" if length > 1 else token.exact
            matched = exact_key in matcher.exact_keys
            exact_alive = exact_key in matcher.exact_prefixes
        if not (skip_the and length == 1):
            is_article = token.exact in _ARTICLE_TOKENS
            if variant_alive:
                variant = token.variant
                key = f"{variant_key} {variant}" if variant_words else variant
                matched = matched or key in matcher.variant_keys
                if not is_article:
                    variant_key, variant_words = key, variant_words + 1
                    variant_alive = key in matcher.variant_prefixes
            if skeleton_alive:
                if not is_article:
                    skeleton += token.skeleton
                matched = matched or skeleton in matcher.skeleton_keys
                skeleton_alive = skeleton in matcher.skeleton_prefixes
        if matched:
            lengths.append(length)
        if not (exact_alive or variant_alive or skeleton_alive):
            break
    lengths.reverse()
    return lengths


@dataclass(frozen=True, slots=True)
class _Choice:
    """The best place for a span, and what the span alone says of the match."""

    candidate: Candidate
    deliberate: bool  # a name the gazetteer writes in lower case ("the citadel")
    word_like: bool  # too short to be a name ("As a", "Al"), or an institution
    confidence: float
    world_city: bool


_CONFIDENCE = {"exact": 0.95, "variant": 0.9, "skeleton": 0.75}


def _choice(span: str, best: Candidate, matcher: Matcher) -> _Choice:
    world_city = world.is_world_city(best.place)
    word_like = ((len(keys.variant_key(span)) < 3 and best.place.kind != "country")
                 or keys.exact_key(span) in _INSTITUTIONS)
    confidence = _CONFIDENCE.get(best.method, 0.6) - (0.1 if world_city else 0.0)
    return _Choice(best, keys.exact_key(span) in matcher.lowercase_names, word_like,
                   round(confidence, 3), world_city)


def _rank(candidates: list[Candidate], context_country: str) -> Candidate:
    methods = ("exact", "variant", "skeleton", "fuzzy")
    kind_order = {"country": 0, "city": 1, "area": 2, "district": 3, "region": 4, "landmark": 5}
    return min(
        candidates,
        key=lambda c: (
            methods.index(c.method),
            -c.score,
            0 if c.place.country == context_country else 1,
            kind_order.get(c.place.kind, 9),
            -c.place.population,
            c.place.id,
        ),
    )


def find_mentions(
    text: str,
    sentences: list[Sentence],
    gazetteer: Gazetteer,
    *,
    dateline: tuple[tuple[str, int, int], ...] = (),
    context_country: str = "SY",
) -> tuple[list[Mention], list[Unresolved]]:
    """Every place mention in ``text`` with its role, and the place-like leftovers."""
    matcher = matcher_for(gazetteer)
    lowercase_elsewhere = _LowerCaseWords(text)
    dateline_spans = [(start, end) for _name, start, end in dateline]
    heads = matcher.heads_in(text)
    mentions: list[Mention] = []
    for sentence in sentences:
        mentions.extend(_sentence_mentions(text, sentence, heads, matcher, lowercase_elsewhere,
                                           context_country))
    story_country = _story_country(mentions, context_country)
    if story_country != context_country:
        # A story about Ohio: "Georgia" and "Paris" are read again with the US first.
        mentions = [
            mention
            for sentence in sentences
            for mention in _sentence_mentions(text, sentence, heads, matcher,
                                              lowercase_elsewhere, story_country)
        ]
    mentions.extend(_side_phrase_mentions(text, sentences, gazetteer, mentions))
    mentions.extend(_facility_coreference(text, sentences, mentions))
    mentions.sort(key=lambda m: m.start)
    mentions = [roles.with_role(text, m, dateline_spans) for m in mentions]
    mentions = roles.with_lists_resolved(text, mentions)
    by_sentence: dict[int, list[Mention]] = {}
    for mention in mentions:
        by_sentence.setdefault(mention.sentence, []).append(mention)
    mentions = [expressions.with_spatial(text, m, by_sentence[m.sentence]) for m in mentions]
    unresolved = _unresolved(text, sentences, gazetteer, mentions)
    return mentions, unresolved


def _story_country(mentions: list[Mention], default: str) -> str:
    """The country most of a story's places are in, when it clearly is not ``default``."""
    votes: dict[str, int] = {}
    for mention in mentions:
        place = mention.place
        if place is None or not place.country:
            continue
        votes[place.country] = votes.get(place.country, 0) + 1
    if not votes or votes.get(default, 0) > 0:
        return default
    best = max(sorted(votes), key=lambda code: votes[code])
    return best if votes[best] >= 2 else default


def _sentence_mentions(
    text: str, sentence: Sentence, heads: list[int], matcher: Matcher,
    lowercase_elsewhere: _LowerCaseWords, context_country: str,
) -> list[Mention]:
    found: list[Mention] = []
    resume = sentence.start  # tokens before this are part of a name already found
    first = bisect.bisect_left(heads, sentence.start)
    for position in heads[first : bisect.bisect_left(heads, sentence.end, first)]:
        if position < resume:
            continue
        match = _TOKEN_RE.match(text, position, sentence.end)
        if match is None:
            continue
        word = match.group()
        limit = matcher.head_limit(word)
        if not limit:
            continue
        # Grown by _matchable_lengths as far as a name may reach.
        window = [_token_of(word, match.start())]
        found_here = _longest_match(text, window, matcher, lowercase_elsewhere, sentence,
                                    context_country, limit)
        if found_here is not None:
            mention, used = found_here
            found.append(mention)
            resume = window[used - 1].end
    return found


def _longest_match(
    text: str, window: list[_Token], matcher: Matcher, lowercase_elsewhere: _LowerCaseWords,
    sentence: Sentence, context_country: str, limit: int,
) -> tuple[Mention, int] | None:
    """The longest name starting at the window's first token, and how many tokens it has."""
    first = window[0]
    for length in _matchable_lengths(text, window, sentence.end, limit, matcher):
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
                                                    lowercase_elsewhere, text, sentence):
            continue
        if first.exact == "the" and best.method != "exact" and capitalised:
            # Report the name without the article ("the Old City" → "Old City").
            start = window[1].start
            span = text[start : last.end]
        mention = Mention(
            text=span, start=start, end=last.end, sentence=sentence.index, place=best.place,
            role="location", method=best.method, confidence=choice.confidence,
        )
        return mention, length
    return None


def _plausible(
    choice: _Choice, window: list[_Token], length: int,
    lowercase_elsewhere: _LowerCaseWords, text: str, sentence: Sentence,
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
            previous = window[0] if position else _token_before(text, first, sentence)
            following = (window[position + 1] if position + 1 < len(window)
                         else _next_token(text, first, sentence.end))
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
        before = text[max(0, first.start - 24) : first.start].lower()
        after = text[first.end : first.end + 14].lower()
        if not (_LOCATIVE_RE.search(before)
                or re.match(r"\s+(?:neighbou?rhood|district|area|quarter)", after)):
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
    if not _SIDE_PHRASE_SCOPE.search(text) or "held" not in text.lower():
        return []
    # Each phrase lies within a sentence and has "held" in it: only those are scanned.
    held = [sentence for sentence in sentences if "held" in sentence.text.lower()]
    taken = _Spans([(m.start, m.end) for m in existing
                    if m.place is None or m.place.kind != "city"])
    replaced: list[tuple[int, int]] = []
    found = []
    for pattern, place_id in SIDE_PHRASES:
        place = gazetteer.get(place_id)
        if place is None:
            continue
        matches = (match for sentence in held
                   for match in pattern.finditer(text, sentence.start, sentence.end))
        for match in matches:
            start = match.start() + (len(match.group()) - len(match.group().lstrip()))
            if match.group().lower().startswith(("a ", "the ")):
                start = match.start() + match.group().index(" ") + 1
            end = match.end()
            if taken.overlaps(start, end):
                # "rebel-held areas of eastern Aleppo": the named place is the mention.
                continue
            if re.search(r"\bbetween\b[^.]{0,30}$", text[max(0, start - 40) : start], re.I):
                continue  # "split between government- and rebel-held areas": not a place
            replaced.append((start, end))
            sentence = _sentence_at(sentences, start)
            found.append(Mention(text[start:end], start, end, sentence, place, "location",
                                 "phrase", 0.7))
            taken.add(start, end)
    if replaced:
        # "government-held areas of Aleppo" is more than "Aleppo": the phrase wins.
        phrases = _Spans(replaced)
        existing[:] = [m for m in existing if not phrases.overlaps(m.start, m.end)]
    return found


class _LowerCaseWords:
    """Whether a text uses a word in lower case ("reading", "mobile"), looked up only for
    the few words asked about, each once."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._answers: dict[str, bool] = {}

    def __contains__(self, word: object) -> bool:
        if not (isinstance(word, str) and len(word) > 1 and word.isascii()
                and word.isalpha() and word.islower()):
            return False
        answer = self._answers.get(word)
        if answer is None:
            answer = self._answers[word] = _has_word(self._text, word)
        return answer


def _has_word(text: str, word: str) -> bool:
    """Whether ``word`` stands in ``text`` as a whole word (not inside a longer one)."""
    position = text.find(word)
    while position >= 0:
        end = position + len(word)
        if not (position and _is_word_character(text[position - 1])) and not (
            end < len(text) and _is_word_character(text[end])
        ):
            return True
        position = text.find(word, end)
    return False


def _is_word_character(character: str) -> bool:
    return character.isalnum() or character == "_"


class _Spans:
    """Non-overlapping character spans, kept sorted so an overlap test is a bisection.

    A 50 MB article has hundreds of thousands of mentions: testing each new span
    against all of them would make reading quadratic in the article's length.
    """

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self._spans = sorted(spans)
        self._starts = [start for start, _end in self._spans]

    def overlaps(self, start: int, end: int) -> bool:
        index = bisect.bisect_left(self._starts, end)
        return index > 0 and self._spans[index - 1][1] > start

    def add(self, start: int, end: int) -> None:
        index = bisect.bisect_left(self._starts, start)
        self._starts.insert(index, start)
        self._spans.insert(index, (start, end))


def _sentence_at(sentences: list[Sentence], offset: int) -> int:
    if not sentences:
        return 0
    starts = _sentence_starts(sentences)
    index = max(0, bisect.bisect_right(starts, offset) - 1)
    return sentences[index].index


def _sentence_starts(sentences: list[Sentence]) -> list[int]:
    # Cached on the list's identity: one reading asks many times of the same list.
    cached = _STARTS_CACHE.get(id(sentences))
    if cached is None or cached[0] is not sentences:
        cached = (sentences, [sentence.start for sentence in sentences])
        _STARTS_CACHE.clear()
        _STARTS_CACHE[id(sentences)] = cached
    return cached[1]


_STARTS_CACHE: dict[int, tuple[list[Sentence], list[int]]] = {}


_HOSPITALS: dict[tuple[str, int], bool] = {}


def _is_hospital(place: Place) -> bool:
    """Whether one of the place's names says it is a hospital (kept per place)."""
    key = (place.id, id(place.names))
    found = _HOSPITALS.get(key)
    if found is None:
        if len(_HOSPITALS) > 100_000:
            _HOSPITALS.clear()
        found = _HOSPITALS[key] = any("hospital" in n.text.lower() for n in place.names)
    return found


def _facility_coreference(text: str, sentences: list[Sentence], mentions: list[Mention]
                          ) -> list[Mention]:
    """'the hospital', 'a hospital complex' → the hospital named within two sentences."""
    hospitals = [m for m in mentions if m.place and _is_hospital(m.place)]
    if not hospitals:
        return []
    nouns = [sentence for sentence in sentences
             if "hospital" in sentence.text.lower() or "complex" in sentence.text.lower()]
    taken = _Spans([(m.start, m.end) for m in mentions])
    hospital_sentences = [h.sentence for h in hospitals]  # in text order, so sorted
    found = []
    matches = (match for sentence in nouns
               for match in _GENERIC_FACILITY_RE.finditer(text, sentence.start, sentence.end))
    for match in matches:
        start, end = match.start("noun"), match.end("noun")
        if taken.overlaps(start, end):
            continue
        sentence = _sentence_at(sentences, start)
        low = bisect.bisect_left(hospital_sentences, sentence - _ANAPHORIC_HOSPITAL_WINDOW)
        high = bisect.bisect_right(hospital_sentences, sentence + _ANAPHORIC_HOSPITAL_WINDOW)
        nearby = hospitals[low:high]
        if not nearby:
            continue
        # Prefer the hospital named before; a report may also name it just after.
        before = [h for h in nearby if h.start < start]
        antecedent = before[-1] if before else min(nearby, key=lambda h: h.start - start)
        found.append(Mention(text[start:end], start, end, sentence, antecedent.place,
                             "location", "coreference", 0.7))
    return found


def _unresolved(text: str, sentences: list[Sentence], gazetteer: Gazetteer,
                mentions: list[Mention]) -> list[Unresolved]:
    taken = _Spans([(m.start, m.end) for m in mentions])
    result = []
    seen: set[tuple[int, int]] = set()
    for match in _PLACE_CUE_RE.finditer(text):
        start, end = match.start("name"), match.end("name")
        if taken.overlaps(start, end) or (start, end) in seen:
            continue
        name = match.group("name")
        first = keys.exact_key(name.split()[0])
        if first in COMMON_WORDS and not match.group("head"):
            continue
        if not match.group("head") and len(name.split()) == 1 and name.isupper():
            continue  # acronyms: "in UN", "from SANA"
        if first in _PERSON_TITLES or name.endswith(("’s", "'s")):
            continue  # "in Ambassador Andrei Karlov", "at Trump's"
        seen.add((start, end))
        result.append(
            Unresolved(name, start, end, _sentence_at(sentences, start),
                       gazetteer.suggestions(name))
        )
    return result
