"""Word lexicons: labelled phrases found word by word.

The event and side vocabularies are a few hundred phrases each. As one regular expression
of alternatives, every position of a sentence tries every phrase; as a trie over words,
each word costs one dictionary look-up. That is what lets the reader keep its speed target
(see ``make bench``).

A phrase is words separated by spaces. Its last word may end in ``*`` for any ending
("liberat*": liberated, liberation; "withdraw*": withdrawal, withdrawn). In text, a
phrase's words may be joined by spaces, hyphens, apostrophes or dots ("counter-attack",
"U.S.-led"), never across other punctuation. Matching ignores case and is leftmost, then
longest: "air raids" is one air strike, not "air" and a raid.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple, TypeVar

T = TypeVar("T")

# A word, and the non-word characters after it.
_PIECE_RE = re.compile(r"(\w+)(\W*)")
_JOINERS = " \t\n-'’."
# Where a phrase cannot go on (a comma, a bracket): never a word, so no phrase has it.
_BARRIER = ","
# For ASCII text (most), a translation of joiners to spaces and other punctuation to
# barriers, then a split, does what the word pattern does many times faster. The table is
# for bytes: bytes.translate is a plain table look-up a character.
_ASCII_WORDS = bytes(
    code if chr(code).isalnum() or chr(code) == "_" or code > 127
    else ord(" " if chr(code) in _JOINERS else _BARRIER)
    for code in range(256)
)
_STEM_PREFIX = 3  # stems are indexed by their first letters; none is shorter


class Hit(NamedTuple):
    """One phrase found: its label and where it is in the text searched."""

    label: str
    start: int
    end: int


class _Node:
    __slots__ = ("children", "label", "stems")

    def __init__(self) -> None:
        self.label: str | None = None
        self.children: dict[str, _Node] = {}
        # Last words given as stems ("liberat*"), by their first letters.
        self.stems: dict[str, list[tuple[str, str]]] = {}


class Lexicon:
    """Phrases and their labels; the first label given to a phrase keeps it."""

    def __init__(self, entries: Iterable[tuple[str, Iterable[str]]]) -> None:
        self._root = _Node()
        for label, phrases in entries:
            for phrase in phrases:
                self._add(phrase, label)
        self._root_stems = tuple(stem for entries in self._root.stems.values()
                                 for stem, _label in entries)
        self._first_words = frozenset(self._root.children)
        # One-word phrases that start no longer phrase and no stem: most words matched.
        self._leaves = {
            word: node.label for word, node in self._root.children.items()
            if node.label is not None and not node.children and not node.stems
            and word[:_STEM_PREFIX] not in self._root.stems
        }

    def _add(self, phrase: str, label: str) -> None:
        words = phrase.lower().split()
        if not words or any(not re.fullmatch(r"\w+\*?", word) for word in words):
            raise ValueError(f"a lexicon phrase is words and a final stem: {phrase!r}")
        node = self._root
        for word in words[:-1]:
            node = node.children.setdefault(word, _Node())
        last = words[-1]
        if last.endswith("*"):
            stem = last[:-1]
            if len(stem) < _STEM_PREFIX:
                raise ValueError(f"a lexicon stem needs {_STEM_PREFIX} letters: {phrase!r}")
            entries = node.stems.setdefault(stem[:_STEM_PREFIX], [])
            if all(existing != stem for existing, _label in entries):
                entries.append((stem, label))
        else:
            node = node.children.setdefault(last, _Node())
            if node.label is None:
                node.label = label

    def find(self, text: Clause | str) -> list[Hit]:
        """Every phrase in ``text``, leftmost and longest first, none overlapping."""
        clause = as_clause(text)
        pieces, lowered = clause.pieces, clause.lowered
        # Every word's offset in one pass: found one hit at a time, each would count and
        # find its word's earlier appearances again, quadratic in a sentence of many hits.
        offsets = _offsets(lowered, pieces)
        return [Hit(label, offsets[first], offsets[last] + len(pieces[last]))
                for label, first, last in self._matches(pieces, lowered)]

    def first_hits(self, text: Clause | str) -> list[Hit]:
        """The first phrase of each label in ``text``, in order of appearance."""
        clause = as_clause(text)
        pieces, lowered = clause.pieces, clause.lowered
        seen: set[str] = set()
        hits = []
        for label, first, last in self._matches(pieces, lowered):
            if label not in seen:
                seen.add(label)
                hits.append(_hit(label, lowered, pieces, first, last))
        return hits

    def _matches(self, pieces: list[str], lowered: str) -> list[tuple[str, int, int]]:
        """(label, first word, last word) of every phrase in the words."""
        children, stems = self._root.children, self._root.stems
        # Most words start no phrase: one pass in a comprehension picks out those that may.
        if stems and any(stem in lowered for stem in self._root_stems):
            starts = [index for index, word in enumerate(pieces)
                      if word in children or word[:_STEM_PREFIX] in stems]
        elif self._first_words.isdisjoint(pieces):
            return []  # a set's test, in C: most clauses have no side, no source...
        else:  # no word can start with a stem: the plain test suffices
            starts = [index for index, word in enumerate(pieces) if word in children]
        matches = []
        resume = 0
        leaves = self._leaves
        for index in starts:
            if index < resume:
                continue
            word = pieces[index]
            label = leaves.get(word)
            if label is not None:  # a phrase of this one word, and no longer one
                matches.append((label, index, index))
                resume = index + 1
                continue
            label, last = self._longest(pieces, index, children.get(word),
                                        stems.get(word[:_STEM_PREFIX]))
            if label is None:
                continue
            matches.append((label, index, last))
            resume = last + 1
        return matches

    @staticmethod
    def _longest(pieces: list[str], index: int, node: _Node | None,
                 stems: list[tuple[str, str]] | None) -> tuple[str | None, int]:
        label, last = None, index
        word = pieces[index]
        if stems:
            for stem, stem_label in stems:
                if word.startswith(stem):
                    label = stem_label
                    break
        if node is not None and node.label is not None:
            label = node.label
        position = index
        # A barrier is no node's child and no stem's start: it ends every phrase.
        while node is not None and position + 1 < len(pieces):
            following = pieces[position + 1]
            position += 1
            if node.stems:
                for stem, stem_label in node.stems.get(following[:_STEM_PREFIX], ()):
                    if following.startswith(stem):
                        label, last = stem_label, position
                        break
            node = node.children.get(following)
            if node is not None and node.label is not None:
                label, last = node.label, position
        return label, last

    def word_matches(self, text: Clause | str) -> list[tuple[str, int, int]]:
        """(label, first word, last word) of every phrase in ``text``, by the indexes of
        its words in :attr:`Clause.pieces`."""
        clause = as_clause(text)
        return self._matches(clause.pieces, clause.lowered)

    def labels(self, text: Clause | str) -> list[str]:
        """The labels found in ``text``, each once, in order of first appearance."""
        seen: list[str] = []
        clause = as_clause(text)
        for label, _first, _last in self._matches(clause.pieces, clause.lowered):
            if label not in seen:
                seen.append(label)
        return seen


class Clause:
    """A sentence, or a clause of one, split into words once for every step that asks.

    The reader makes one for each sentence and hands it to the steps that read it (events,
    control, attribution). What a step works out about it can be kept on it
    (:meth:`once`): so a sentence is split and looked up once, nothing about it outlives
    it, and readers in other threads share nothing.

    Attributes
    ----------
    text : str
        The text.
    lowered : str
        The text in lower case, every character where it was (see :func:`lowercased`).
    pieces : list of str
        The words in lower case, with a barrier where punctuation other than a joiner
        parts two words.
    words : frozenset of str
        The words in lower case: a cheap test before a costlier pattern.
    """

    __slots__ = ("_kept", "lowered", "pieces", "text", "words")

    def __init__(self, text: str) -> None:
        self.text = text
        # Every sentence is looked up in the trigger lexicon, so every one needs its words.
        self.lowered = lowercased(text)
        self.pieces = _split(self.lowered)
        self.words = frozenset(self.pieces).difference((_BARRIER,))
        self._kept: dict[Callable[[Clause], Any], Any] = {}

    def __repr__(self) -> str:
        return f"Clause({self.text!r})"

    def once(self, function: Callable[[Clause], T]) -> T:
        """``function(self)``, worked out the first time it is asked for and then kept."""
        # A test, not a KeyError caught: most steps ask once, and a raised error costs
        # more than the look-up.
        kept = self._kept
        if function in kept:
            return kept[function]
        value = kept[function] = function(self)
        return value


def as_clause(text: Clause | str) -> Clause:
    """``text`` as a :class:`Clause` (a new one for a plain string)."""
    return text if isinstance(text, Clause) else Clause(text)


def _split(lowered: str) -> list[str]:
    if lowered.isascii():
        words_and_barriers = lowered.encode("ascii").translate(_ASCII_WORDS).decode("ascii")
        return words_and_barriers.replace(_BARRIER, f" {_BARRIER} ").split()
    return _pieces_by_pattern(lowered)


def _pieces_by_pattern(lowered: str) -> list[str]:
    pieces = []
    for word, gap in _PIECE_RE.findall(lowered):
        pieces.append(word)
        if gap.strip(_JOINERS):
            pieces.append(_BARRIER)
    return pieces


def lowercased(text: str) -> str:
    """``text`` in lower case, every character where it was (offsets carry over)."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a letter like "İ" grew: offsets would drift
        lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    return lowered


def words(text: Clause | str) -> frozenset[str]:
    """The words of ``text`` in lower case: a cheap test before a costlier pattern."""
    return as_clause(text).words


def _hit(label: str, lowered: str, pieces: list[str], first: int, last: int) -> Hit:
    start = _word_offset(lowered, pieces, first)
    end = _word_offset(lowered, pieces, last) if last != first else start
    return Hit(label, start, end + len(pieces[last]))


def _offsets(lowered: str, pieces: list[str]) -> list[int]:
    """Where each of the words starts in the text (-1 for a barrier), in one pass: the
    words are the text's whole words in order, as :func:`_word_offset` finds them."""
    offsets = []
    cursor = 0
    for word in pieces:
        if word == _BARRIER:
            offsets.append(-1)
            continue
        position = find_word(lowered, word, cursor)
        if position < 0:
            raise AssertionError(f"{word!r} is not in the text it was split from")
        offsets.append(position)
        cursor = position + len(word)
    return offsets


def _word_offset(lowered: str, pieces: list[str], index: int) -> int:
    """Where the word ``pieces[index]`` starts in the text: the word's n-th appearance
    as a whole word, n counted among the words before it."""
    word = pieces[index]
    position = find_word(lowered, word)
    for _earlier in range(pieces[:index].count(word)):
        position = find_word(lowered, word, position + 1)
    if position < 0:
        raise AssertionError(f"{word!r} is not in the text it was split from")
    return position


def find_word(text: str, word: str, start: int = 0) -> int:
    """Where ``word`` next stands in ``text`` from ``start`` as a whole word, not inside a
    longer one (as ``\\b`` would have it); -1 if nowhere."""
    position = text.find(word, start)
    while position >= 0:
        end = position + len(word)
        if not (position and is_word_character(text[position - 1])) and not (
            end < len(text) and is_word_character(text[end])
        ):
            return position
        position = text.find(word, position + 1)
    return -1


def word_positions(text: str, words: Iterable[str]) -> list[tuple[int, str]]:
    """Where each of ``words`` stands in ``text`` as a whole word (as :func:`find_word`
    has it), with the word, in text order.

    For the few words of a list that a sentence has (its :attr:`Clause.words` say which),
    a few plain finds: a pattern of the whole list is tried at every letter instead.
    """
    found = []
    for word in words:
        position = find_word(text, word)
        while position >= 0:
            found.append((position, word))
            position = find_word(text, word, position + len(word))
    found.sort()
    return found


def is_word_character(character: str) -> bool:
    """Whether a character is one a regular expression's ``\\w`` matches."""
    return character.isalnum() or character == "_"


def word_alternation(words: Iterable[str], *, word_start: bool = False) -> str:
    """A pattern for any of ``words`` with shared beginnings factored out ("eas(?:t|tern)").

    Python's regular expressions try the alternatives of a group one after another: at
    each of the thousand words of a report, a shared beginning is then tried once rather
    than once a word. With ``word_start``, each word must start a word, as after ``\\b``;
    the test comes after the first letter, so that a pattern which starts with the
    alternation still starts with letters, which the regex engine skips to quickly.
    """
    ordered = sorted(set(words))
    by_first: dict[str, list[str]] = {}
    for word in ordered:
        if word:
            by_first.setdefault(word[0], []).append(word[1:])
    parts = []
    for first, rests in by_first.items():
        start = re.escape(first) + (rf"(?<!\w{re.escape(first)})" if word_start else "")
        if len(rests) == 1:
            parts.append(start + re.escape(rests[0]))
        else:
            parts.append(start + f"(?:{word_alternation(rests)})")
    if len(parts) == 1 and not word_start and "" not in ordered:
        return parts[0]
    body = "|".join(parts)
    return f"(?:{body})?" if "" in words else body


def variants(*parts: str) -> tuple[str, ...]:
    """Every phrase made of one choice from each part: ("syrian", "army|troops")."""
    phrases = [""]
    for part in parts:
        phrases = [f"{phrase} {choice}".strip() for phrase in phrases
                   for choice in part.split("|")]
    return tuple(phrases)
