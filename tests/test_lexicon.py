"""The word lexicons behind event triggers, sides and speech verbs."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geoaleppo.events import event_types, sides_in
from geoaleppo.lexicon import (
    Clause,
    Lexicon,
    _pieces_by_pattern,
    _split,
    lowercased,
    word_alternation,
    word_positions,
    words,
)

TRIGGERS = Lexicon([
    ("air strike", ["air strike", "air strikes", "air raids"]),
    ("attack", ["raids", "attack", "suicide bomb*"]),
    ("counter-attack", ["counter attack"]),
    ("capture", ["liberat*", "took over"]),
])


def found(lexicon: Lexicon, text: str) -> list[tuple[str, str]]:
    return [(hit.label, text[hit.start : hit.end]) for hit in lexicon.find(text)]


def test_leftmost_longest_phrase_wins():
    assert found(TRIGGERS, "Air raids and raids") == [("air strike", "Air raids"),
                                                      ("attack", "raids")]
    assert found(TRIGGERS, "a counter-attack") == [("counter-attack", "counter-attack")]


def test_stems_take_any_ending_and_keep_the_word_as_written():
    assert found(TRIGGERS, "They LIBERATED it; the liberation came") == [
        ("capture", "LIBERATED"), ("capture", "liberation")]
    assert found(TRIGGERS, "a suicide bomber struck") == [("attack", "suicide bomber")]


def test_punctuation_other_than_joiners_ends_a_phrase():
    assert found(TRIGGERS, "They took, over there") == []
    assert found(TRIGGERS, "They took over.") == [("capture", "took over")]
    assert found(TRIGGERS, "counter (attack)") == [("attack", "attack")]


def test_a_letter_that_grows_when_lowered_keeps_offsets_exact():
    text = "İdlib air strikes"
    assert found(TRIGGERS, text) == [("air strike", "air strikes")]


def test_bad_phrases_are_refused():
    with pytest.raises(ValueError):
        Lexicon([("x", ["air-strike"])])
    with pytest.raises(ValueError):
        Lexicon([("x", ["li*"])])


_WORDS = ["raids", "attack", "air", "strike", "rebels", "took", "over", "the", "Al"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_WORDS), st.sampled_from([" ", ", ", "-", ". "])),
                max_size=12))
def test_single_words_are_found_as_a_word_boundary_pattern_finds_them(pieces):
    text = "".join(word + gap for word, gap in pieces)
    single = Lexicon([("hit", ["raids", "attack", "rebels"])])
    expected = [m.group() for m in re.finditer(r"\b(?:raids|attack|rebels)\b", text, re.I)]
    assert [text[h.start : h.end] for h in single.find(text)] == expected


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="aAir strkeofvd -,.'İß", max_size=40))
def test_hits_are_ordered_apart_and_inside_the_text(text):
    hits = TRIGGERS.find(text)
    ends = [0]
    for hit in hits:
        assert ends[-1] <= hit.start < hit.end <= len(text)
        ends.append(hit.end)


def test_event_words_of_other_outlets():
    assert [kind for kind, _ in event_types("Army units liberated the Sakhour neighbourhood")
            ] == ["capture"]
    assert [kind for kind, _ in event_types("Warplanes pounded the area overnight")] == [
        "air strike"]
    assert sides_in("Terrorists shelled areas held by the Syrian Arab Army") == (
        "rebels/opposition", "Syrian government forces and allies")
    # A longer name is not its last word: the Army of Conquest is a rebel alliance.
    assert sides_in("the Army of Conquest said") == ("rebels/opposition",)
    assert sides_in("Kurdish fighters and the U.S.-led coalition") == (
        "Kurdish YPG/SDF", "US-led coalition")


def test_what_is_worked_out_about_a_sentence_stays_with_it():
    calls: list[str] = []

    def sides(clause: Clause) -> tuple[str, ...]:
        calls.append(clause.text)
        return sides_in(clause)

    first, second = Clause("Rebels shelled Aleppo"), Clause("Rebels shelled Aleppo")
    assert first.once(sides) == first.once(sides) == ("rebels/opposition",)
    assert second.once(sides) == ("rebels/opposition",)
    # Once for each sentence object: nothing is shared between sentences (or threads).
    assert calls == ["Rebels shelled Aleppo", "Rebels shelled Aleppo"]
    assert "clashes" in words("Clashes in Aleppo")


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=60))
def test_the_ascii_shortcut_splits_as_the_word_pattern_does(text):
    def words_and_barriers_between(pieces: list[str]) -> list[str]:
        # Barriers before the first word, after the last, or several in a row, all
        # stop a phrase the same way as one barrier between two words.
        kept: list[str] = []
        for piece in pieces:
            if piece != "," or (kept and kept[-1] != ","):
                kept.append(piece)
        return kept[:-1] if kept[-1:] == [","] else kept

    assert words_and_barriers_between(_split(lowercased(text))) == (
        words_and_barriers_between(_pieces_by_pattern(text.lower())))


@settings(max_examples=300, deadline=None)
@given(st.sets(st.text(alphabet="abeinst", min_size=1, max_size=6), min_size=1, max_size=8),
       st.text(alphabet="abeinst", max_size=7))
def test_a_factored_alternation_matches_exactly_its_words(words_, candidate):
    pattern = re.compile(f"(?:{word_alternation(words_)})")
    assert bool(pattern.fullmatch(candidate)) == (candidate in words_)


def test_a_word_start_alternation_needs_a_word_boundary_before():
    pattern = re.compile(f"(?:{word_alternation(('in', 'into', 'near'), word_start=True)})\\b")
    assert [m.group() for m in pattern.finditer("within into the city, near; in")] == [
        "into", "near", "in"]


def test_word_positions_are_whole_words_as_written_in_text_order():
    text = "Sources said the army, which says little, said nothing; Said Ali sayss."
    assert word_positions(text, {"said", "says"}) == [(8, "said"), (29, "says"),
                                                      (42, "said")]
