"""Matching names in text against the gazetteer: tokens, and the prepared gazetteer.

A :class:`Matcher` is the gazetteer made ready for scanning: the words a name can start
with, every key a span could have, and what a span was found to name, kept. Scanning
finds the places in a text where a name may start (capitals, Arabic script, the few
lower-case names the gazetteer writes), then grows a span a word at a time while some
key still starts with it, longest first (:func:`matchable_lengths`). Deciding which of
those spans are mentions is :mod:`geoaleppo.mentions`' work.
"""

from __future__ import annotations

import hashlib
import re
import sys
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import NamedTuple

from geoaleppo import _diskcache, world
from geoaleppo import names as keys
from geoaleppo.gazetteer import Gazetteer
from geoaleppo.lexicon import is_word_character, word_alternation
from geoaleppo.model import Candidate
from geoaleppo.ranking import best_candidate
from geoaleppo.text import Sentence

MAX_NGRAM = 6  # the most words a name is tried with
# A word with inner apostrophes and hyphens ("Sha'ar", "al-Bab"), but not a possessive
# "'s", which stays outside so "Syria's" is "Syria".
TOKEN_RE = re.compile(
    r"(?:[A-Z]\.){2,}|[\w\u0600-\u06ff]+(?:['’\-](?![sS]\b)[\w\u0600-\u06ff]+)*"
)
# Not inside a token: no word character before, nor an apostrophe or hyphen joining one.
_TOKEN_START = r"(?<![\w\u0600-\u06ff])(?<![\w\u0600-\u06ff]['’\-])"
# A capital that starts a token, in ASCII text: no word character before it, nor an
# apostrophe or hyphen after one (see _TOKEN_START).
_CAPITAL_HEAD_RE = re.compile(r"[A-Z](?<![A-Za-z0-9_][A-Z])(?<![A-Za-z0-9_]['\-][A-Z])")
# A capital that starts a token (see _CAPITAL_HEAD_RE) and the token it starts: an
# acronym or a word (see TOKEN_RE), one match for both.
_CAPITAL_TOKEN_RE = re.compile(
    rf"{_CAPITAL_HEAD_RE.pattern}(?:\.(?:[A-Z]\.)+|[\w\u0600-\u06ff]*"
    r"(?:['’\-](?![sS]\b)[\w\u0600-\u06ff]+)*)")
# The next token, one space or " - " on: how the words of a name are joined.
JOINED_TOKEN_RE = re.compile(rf"(?: - | )({TOKEN_RE.pattern})")
_LOWER_ARTICLES = ("al", "el", "as", "ash", "ad", "az", "at", "an", "ar", "aj", "es", "ed", "et",
                   "ez", "en")
_LOWER_ARTICLE_RE = re.compile(rf"(?:{'|'.join(_LOWER_ARTICLES)})-[A-Z]")
_ARTICLE_TOKENS = frozenset(
    "al el as ash ad az at an ar the ath adh aj ed es et ez en er".split()
)

# Seats of power and institutions that some city lists among its alternate names
# ("White House" is one of Casablanca's): never a place mention on their own.
_INSTITUTIONS = frozenset({
    "white house", "kremlin", "the kremlin", "pentagon", "downing street", "elysee",
    "capitol hill", "state department", "foreign ministry", "security council",
})


@dataclass(slots=True)  # not frozen: built once a word, and frozen init is slow
class Token:
    """A word of the text where it stands, with its keys (see :mod:`geoaleppo.names`)."""

    start: int
    end: int
    text: str
    exact: str
    capitalised: bool
    variant: str
    skeleton: str


class Matcher:
    """A gazetteer prepared for scanning text: the words names start with, every key and
    what keys start with, the names written in lower case, and what was already worked
    out about words and spans."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        tables = _tables(gazetteer)
        # For each word a name can start with, the most words a name starting with it
        # has: most tokens start no name at all, and are passed over with one look-up.
        self.heads = tables.heads
        # Every key a span could match, so most spans are ruled out by a set look-up
        # instead of a full resolution. (Made from the indexes at once, faster than read
        # from the tables' file.)
        _columns, world_exact, world_variant = world._extract()
        self.exact_keys = gazetteer.index_keys("exact").union(world_exact)
        self.variant_keys = gazetteer.index_keys("variant").union(world_variant)
        self.skeleton_keys = tables.skeleton_keys
        # What keys start with, so a span stops growing once no key starts with it.
        self.exact_prefixes = tables.exact_prefixes
        self.variant_prefixes = tables.variant_prefixes
        self.skeleton_prefixes = tables.skeleton_prefixes
        self.skeleton_heads = tables.skeleton_heads
        # Names written in lower case in the gazetteer ("eastern Aleppo", "eye hospital")
        # may match uncapitalised text.
        self.lowercase_names = tables.lowercase_names
        self.lowercase_first = {k.split(" ", 1)[0] for k in self.lowercase_names}
        # Names and words recur in every report: what was worked out once is kept.
        self._best: dict[tuple[str, bool, str], Choice | None] = {}
        self.head_limits: dict[str, int] = {}
        # What a head and the words after it were found to match, by the words that
        # decided it (see matchable_lengths): the words after those cannot change it.
        self.settled: dict[str | tuple[str | None, ...], tuple[int, ...]] = {}
        self.head_re, self._lower_head_re, self._the_head_re = _head_patterns(
            self.lowercase_first, self.lowercase_names)
        self._lower_head_words = tuple(sorted(
            (self.lowercase_first - _ARTICLE_TOKENS - {"a"})
            | {f"{article}-" for article in _LOWER_ARTICLES}
        ))

    def head_tokens_in(self, text: str, words: AbstractSet[str] | None = None
                       ) -> list[tuple[int, str]]:
        """Where in ``text`` a name may start (see ``head_re``), in order, and the token
        that starts there.

        ``words``, when given, are the text's words in lower case (as
        :class:`~geoaleppo.lexicon.Clause` has them): a lower-case head is a whole word
        of the text (an article one before its hyphen), so one the text lacks is not
        searched for. Each search reads the whole text; most reports have few of them.
        """
        if not text.isascii():
            return [(match.start(), match.group()) for match in self.head_re.finditer(text)]
        # A capital head and its token in one match; a capital inside a token found
        # before it ("S" of "U.S.") starts none, and the scan goes on after the token.
        found = [(match.start(), match.group()) for match in _CAPITAL_TOKEN_RE.finditer(text)]
        lower = [match.start() for match in self._the_head_re.finditer(text)
                 if _starts_token(text, match.start())]
        for word in self._lower_head_words:
            if words is not None and word.rstrip("-") not in words:
                continue
            position = text.find(word)
            while position >= 0:
                if _starts_token(text, position) and self._lower_head_re.match(text, position):
                    lower.append(position)
                position = text.find(word, position + 1)
        if not lower:
            return found
        # Lower-case heads start with a small letter: never inside a capital's token.
        tokens = {(position, token.group()) for position in lower
                  if (token := TOKEN_RE.match(text, position)) is not None}
        return sorted(tokens.union(found))

    def head_limit(self, word: str) -> int:
        """How many words a name starting with this token may have (0: none starts so)."""
        limit = self.head_limits.get(word)
        if limit is None:
            if len(self.head_limits) > 100_000:
                self.head_limits.clear()
            limit = self.head_limits[word] = self._head_limit(word)
        return limit

    def _head_limit(self, word: str) -> int:
        token = token_of(word, 0)
        head = token.exact.split(" ", 1)[0] if token.exact else ""
        if head in _ARTICLE_TOKENS or head in {"the", "a"}:
            # "Al Shaar", "the Old City": the article may start a name of any length.
            return MAX_NGRAM if token.capitalised or head == "the" else 0
        if token.capitalised:
            # A word whose variant key is two ("Salaheddine" is "salah din") starts
            # what the variant's first word starts.
            variant_head = token.variant.split(" ", 1)[0]
            return min(MAX_NGRAM, max(self.heads.get(head, 0), self.heads.get(variant_head, 0),
                                      self.skeleton_heads.get(keys.skeleton_key(token.text), 0),
                                      1 if keys.is_arabic(token.text) else 0))
        return MAX_NGRAM if head in self.lowercase_first else 0

    def best(self, span: str, capitalised: bool, context_country: str) -> Choice | None:
        """The place a span most likely names, if any, and what is known of the match
        from the span alone; kept per span and country."""
        key = (span, capitalised, context_country)
        if key in self._best:
            return self._best[key]
        if len(self._best) > 100_000:
            self._best.clear()
        candidates = self._look_up(span, capitalised)
        found = self._best[key] = (
            _choice(span, best_candidate(candidates, context_country), self)
            if candidates else None)
        return found

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


class _Tables(NamedTuple):
    """What a matcher derives from the gazetteer's names and the world cities' keys (see
    :class:`Matcher`): the same for the same names, so kept on disk between processes."""

    heads: dict[str, int]
    skeleton_keys: set[str]
    exact_prefixes: set[str]
    variant_prefixes: set[str]
    skeleton_prefixes: set[str]
    skeleton_heads: dict[str, int]
    lowercase_names: set[str]


_TABLES_FORMAT = 2
_TABLES_KEPT = 8  # gazetteers a cache directory keeps tables for (an analyst's, tests')


def _tables(gazetteer: Gazetteer) -> _Tables:
    """The gazetteer's tables, from the cache beside the world-city extract's when it has
    them for these very names (and this code), else built and written there."""
    path = world.cache_file().with_name(f"matcher-tables-{_tables_digest(gazetteer)}.pickle")
    found = _diskcache.load(path)
    if isinstance(found, _Tables):
        return found
    tables = _build_tables(gazetteer)
    _diskcache.store(path, tables, keep=_TABLES_KEPT)
    return tables


def _tables_digest(gazetteer: Gazetteer) -> str:
    """What the tables are built from: the gazetteer's keys and names, the world-city
    extract (named by its cache file) and the code that folds and derives them."""
    digest = hashlib.sha256(f"{_TABLES_FORMAT} {world.cache_file().name}".encode())
    digest.update(_diskcache.code_digest(keys, sys.modules[__name__]).encode())
    for method in ("exact", "variant", "skeleton"):
        digest.update("\n".join(["", method, *sorted(gazetteer.index_keys(method))]).encode())
    for place in gazetteer:
        digest.update("\n".join(["", place.id, place.country or "",
                                  *(name.text for name in place.names)]).encode())
    return digest.hexdigest()[:32]


def _build_tables(gazetteer: Gazetteer) -> _Tables:
    heads: dict[str, int] = {}
    _columns, world_exact, world_variant = world._extract()
    local_exact, local_variant = gazetteer.index_keys("exact"), gazetteer.index_keys("variant")
    for keyset, local in ((local_exact, True), (local_variant, True),
                          (world_exact, False), (world_variant, False)):
        for key in keyset:
            words = key.split(" ")
            # One-letter heads only from our own names ("U.S." is "u s"): the world
            # extract's would make every initial a candidate.
            if (len(words[0]) > 1 or (local and len(words) > 1)) and heads.get(
                words[0], 0
            ) < len(words):
                heads[words[0]] = min(len(words), MAX_NGRAM)
    exact_keys = local_exact | set(world_exact)
    variant_keys = local_variant | set(world_variant)
    skeleton_keys = gazetteer.index_keys("skeleton")
    skeleton_heads: dict[str, int] = {}
    lowercase_names: set[str] = set()
    for place in gazetteer:
        for name in place.names:
            if name.text[:1].islower():
                lowercase_names.add(keys.exact_key(name.text))
            if place.country != "SY":
                continue
            words = keys.variant_key(name.text).split()
            if words:
                head = keys.skeleton_key(words[0])
                skeleton_heads[head] = max(skeleton_heads.get(head, 0),
                                           min(len(words), MAX_NGRAM))
    return _Tables(
        heads=heads, skeleton_keys=skeleton_keys, exact_prefixes=_word_prefixes(exact_keys),
        variant_prefixes=_word_prefixes(variant_keys),
        skeleton_prefixes={key[:end] for key in skeleton_keys for end in range(len(key) + 1)},
        skeleton_heads=skeleton_heads, lowercase_names=lowercase_names,
    )


def _head_patterns(lowercase_first: set[str], lowercase_names: set[str]
                   ) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """Where a name may start: the general pattern, and the two the ASCII path uses.

    A name starts at a token that is capitalised, Arabic or any other word but a plain
    lower-case or numeric one, or at a lower-case word that begins a lower-case name. The
    rest of the text (most of it) is never split into tokens. A lower-case "the" (the
    commonest word) counts only before a capitalised word or a name the gazetteer writes
    with "the" ("the citadel").

    In ASCII text (most reports) the same heads are found faster (``Matcher.head_tokens_in``):
    capitals by a pattern that starts with a character class, which the regex engine skips
    to; lower-case heads by finding their words and testing each place found; and "the"
    by a pattern that starts with it, which the engine finds as fast as a plain find.
    """
    lowercase_heads = word_alternation(lowercase_first - _ARTICLE_TOKENS - {"a"})
    after_the = word_alternation({k.split(" ")[1] for k in lowercase_names
                                  if k.startswith("the ")})
    lower_article = rf"(?:{word_alternation(_LOWER_ARTICLES)})-[A-Z]"
    word_end = r"(?![\w\u0600-\u06ff])"
    before_the = rf"the(?: | - )(?:[^a-z]|{lower_article}|(?:{after_the}){word_end})"
    lower_head = rf"{lower_article}|(?:{lowercase_heads}){word_end}|{before_the}"
    general = re.compile(rf"{_TOKEN_START}(?=[^\W\da-z_]|[\u0600-\u06ff]|{lower_head})"
                         rf"(?:{TOKEN_RE.pattern})")
    return general, re.compile(lower_head), re.compile(before_the)


def _word_prefixes(keys: set[str]) -> set[str]:
    prefixes = set()
    for key in keys:
        end = key.find(" ")
        while end >= 0:
            prefixes.add(key[:end])
            end = key.find(" ", end + 1)
    return prefixes


def matcher_for(gazetteer: Gazetteer) -> Matcher:
    """The gazetteer's matcher, built on first use and kept with it (its tables are
    kept on disk too, see :func:`_tables`)."""
    return gazetteer.kept("matcher", lambda: Matcher(gazetteer))


def _starts_token(text: str, position: int) -> bool:
    """Whether a token of ASCII text starts at ``position`` (see _TOKEN_START)."""
    if position == 0:
        return True
    before = text[position - 1]
    if is_word_character(before):
        return False
    return not (before in "'-" and position > 1 and is_word_character(text[position - 2]))


def _token(match: re.Match[str]) -> Token:
    return token_of(match.group(), match.start())


def token_of(word: str, start: int) -> Token:
    keys_of_word = _WORD_KEYS.get(word)
    if keys_of_word is None:
        if len(_WORD_KEYS) > 200_000:
            _WORD_KEYS.clear()
        keys_of_word = _WORD_KEYS[word] = _word_keys(word)
    return Token(start, start + len(word), word, *keys_of_word)


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


def next_token(text: str, token: Token, end: int) -> Token | None:
    """The token after ``token`` when plain spaces or " - " join them: a name never
    crosses other punctuation ("Sakhour, Shaar" is two places)."""
    match = JOINED_TOKEN_RE.match(text, token.end, end)
    return token_of(match.group(1), match.start(1)) if match else None


def token_before(text: str, token: Token, sentence: Sentence) -> Token | None:
    """The token just before ``token`` in its sentence, when one plain space parts them."""
    if token.start - 1 <= sentence.start or text[token.start - 1] != " ":
        return None
    # Most often the word before is a plain one, back to the space before it.
    space = text.rfind(" ", sentence.start, token.start - 1)
    word = text[max(space + 1, sentence.start) : token.start - 1]
    if word.isascii() and word.isalpha() and (space >= sentence.start
                                              or sentence.start == token.start - 1 - len(word)):
        return token_of(word, token.start - 1 - len(word))
    # A token cut by the look-back's start is looked for again from further back. Only
    # its first character says whether one starts there (a token starts with any word
    # character), so the window is tokenised once, not once a step: a long token before
    # would have cost its length squared.
    low = max(sentence.start, token.start - 1 - 80)
    while low > sentence.start and _TOKEN_CHARACTER_RE.match(text, low):
        low = max(sentence.start, low - 80)
    matches = list(TOKEN_RE.finditer(text, low, token.start - 1))
    if not matches or matches[-1].end() != token.start - 1:
        return None
    return _token(matches[-1])


_TOKEN_CHARACTER_RE = re.compile(r"[\w\u0600-\u06ff]")


def matchable_lengths(text: str, window: list[Token], end: int, limit: int,
                       matcher: Matcher) -> tuple[int, ...]:
    """The lengths of the spans from the window's start whose exact, variant or skeleton
    key the gazetteer has, longest first.

    A cheap test from the tokens' own keys: each key grows a word at a time and stops once
    no key starts with what it has, and the window gets its next token only while one
    still may match. The variant and skeleton keys leave out "the" before a name, and
    articles inside it ("Bab al Hadid" is "bab hadid") unless it is the span's last word.
    """
    # The same heads recur in every report, and the words after them mostly settle the
    # answer at once ("The rebels", "Russian warplanes", "Aleppo ,"): the answer is kept
    # under the words it was worked out from, up to three (see _grown_lengths), and looked
    # for under the window's first words before it is worked out again. (``limit`` comes
    # from the head's text alone, so the answer depends on nothing else.)
    head = window[0]
    settled = matcher.settled
    known = settled.get(head.text)
    if known is not None:
        return known
    for size in (2, 3):
        if limit < size:
            break
        if len(window) == size - 1:
            following = next_token(text, window[-1], end)
            if following is not None:
                window.append(following)  # the window would grow to it anyway
        known = settled.get(_settled_key(window, size))
        if known is not None:
            return known
        if len(window) < size:
            break  # no word follows: the key above was the last there is
    lengths, examined = _grown_lengths(text, window, end, limit, matcher)
    if len(examined) <= 3:
        if len(settled) > 100_000:
            settled.clear()
        settled[head.text if len(examined) == 1 else examined] = lengths
    return lengths


def _settled_key(window: list[Token], size: int) -> tuple[str | None, ...]:
    """The key an answer found from the window's first ``size`` words is kept under:
    their texts, the last None when the window ends before it (no word follows)."""
    texts = tuple(token.text for token in window[:size])
    return texts if len(texts) == size else (*texts, None)


def _grown_lengths(text: str, window: list[Token], end: int, limit: int,
                   matcher: Matcher) -> tuple[tuple[int, ...], tuple[str | None, ...]]:
    """The lengths :func:`matchable_lengths` finds, and the words that decided them:
    the texts of the tokens read before every key stopped growing or the window reached
    its limit, with None after them when it stopped for want of a next word."""
    lengths: list[int] = []
    head = window[0]
    skip_the = head.exact == "the"
    exact_key = ""
    variant_key, variant_words = "", 0  # the key so far, without articles inside a name
    skeleton = ""
    exact_alive, variant_alive, skeleton_alive = True, True, head.capitalised
    for length in range(1, limit + 1):
        if length > len(window):
            following = next_token(text, window[-1], end)
            if following is None:
                return tuple(reversed(lengths)), _settled_key(window, length)
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
    else:
        length = limit
    return tuple(reversed(lengths)), _settled_key(window, length)


@dataclass(frozen=True, slots=True)
class Choice:
    """The best place for a span, and what the span alone says of the match."""

    candidate: Candidate
    deliberate: bool  # a name the gazetteer writes in lower case ("the citadel")
    word_like: bool  # too short to be a name ("As a", "Al"), or an institution
    confidence: float
    world_city: bool


# A name found in running text is less sure than one looked up: it may be a word that
# only looks like the name; a world city in an Aleppo story, less sure again.
_FOUND_IN_TEXT_DOUBT = 0.05
_WORLD_CITY_DOUBT = 0.1


def _choice(span: str, best: Candidate, matcher: Matcher) -> Choice:
    world_city = world.is_world_city(best.place)
    word_like = ((len(keys.variant_key(span)) < 3 and best.place.kind != "country")
                 or keys.exact_key(span) in _INSTITUTIONS)
    confidence = best.score - _FOUND_IN_TEXT_DOUBT - (_WORLD_CITY_DOUBT if world_city else 0.0)
    return Choice(best, keys.exact_key(span) in matcher.lowercase_names, word_like,
                   round(confidence, 3), world_city)
