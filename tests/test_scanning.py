"""The fast paths of mention scanning find what the general pattern finds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from geoaleppo import gazetteer, matching
from geoaleppo.lexicon import Clause
from geoaleppo.text import sentences

_MATCHER = matching.matcher_for(gazetteer.load())

# Pieces real reports are made of, and the punctuation that makes token starts tricky.
_PIECES = ["the", "The", "al-", "Al-", "as-Sakhour", "eastern", "Aleppo", "old", "city", "U.S.",
           "S.", "Sha'ar", "rebel-held", "eye", "hospital", "citadel", "Hananou", "x", "7"]
_GAPS = [" ", " - ", "-", "'", ". ", ", ", "(", "\n", ""]


def _head_positions(text, words=None):
    return [position for position, _token in _MATCHER.head_tokens_in(text, words)]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_PIECES), st.sampled_from(_GAPS)), max_size=14))
def test_ascii_heads_are_the_general_patterns_heads(pieces):
    text = "".join(piece + gap for piece, gap in pieces)
    expected = [match.start() for match in _MATCHER.head_re.finditer(text)]
    assert _head_positions(text) == expected


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_PIECES), st.sampled_from(_GAPS)), max_size=14))
def test_heads_are_the_same_when_the_texts_words_are_given(pieces):
    text = "".join(piece + gap for piece, gap in pieces)
    words = frozenset().union(*(Clause(s.text).words for s in sentences(text)))
    assert _head_positions(text, words) == _head_positions(text)


def test_a_name_in_lower_case_and_after_the_is_a_head():
    text = "Fighting near the citadel and in eastern Aleppo, the U.S. said."
    heads = [text[p : p + 7] for p in _head_positions(text)]
    assert heads == ["Fightin", "the cit", "eastern", "Aleppo,", "the U.S", "U.S. sa"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_PIECES), st.sampled_from(_GAPS)), max_size=14))
def test_each_head_comes_with_the_token_it_starts(pieces):
    text = "".join(piece + gap for piece, gap in pieces)
    expected = [(match.start(), matching.TOKEN_RE.match(text, match.start()).group())
                for match in _MATCHER.head_re.finditer(text)]
    assert _MATCHER.head_tokens_in(text) == expected
