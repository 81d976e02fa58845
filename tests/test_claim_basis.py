"""What a control claim rests on: a capture, part of a place, an assault, one repelled.

Sentences written for these tests; each is read as a one-paragraph report.
"""

from __future__ import annotations

import pytest

from geoaleppo.events import casualties
from geoaleppo.model import ClaimBasis, ControlStatus
from geoaleppo.reader import read_text

GOVERNMENT, REBELS, CONTESTED = (ControlStatus.GOVERNMENT, ControlStatus.REBELS,
                                 ControlStatus.CONTESTED)


def _claims(sentence: str, place: str) -> set[tuple[ControlStatus, ClaimBasis]]:
    reading = read_text(f"Report\n\n{sentence}\n", published="2016-10-01")
    return {(c.status, c.basis) for c in reading.control if c.place.id == place}


@pytest.mark.parametrize(("sentence", "place", "expected"), [
    ("Government forces captured the whole of Al Shaar.", "ash-shaar",
     (GOVERNMENT, ClaimBasis.CAPTURE)),
    ("Government forces captured about 40 percent of Al Shaar.", "ash-shaar",
     (CONTESTED, ClaimBasis.PARTIAL)),
    ("Government forces seized parts of Bustan al-Basha.", "bustan-al-basha",
     (CONTESTED, ClaimBasis.PARTIAL)),
    ("Rebel fighters stormed Sheikh Saeed at dawn.", "sheikh-saeed",
     (CONTESTED, ClaimBasis.ASSAULT)),
    ("The army launched an assault on Sheikh Saeed.", "sheikh-saeed",
     (CONTESTED, ClaimBasis.ASSAULT)),
    ("A rebel attack on Hanano was repelled.", "hanano", (GOVERNMENT, ClaimBasis.REPELLED)),
    ("An army assault on Sheikh Saeed was repelled by rebel forces.", "sheikh-saeed",
     (REBELS, ClaimBasis.REPELLED)),
    ("The army repelled a rebel attack on Hanano.", "hanano",
     (GOVERNMENT, ClaimBasis.REPELLED)),
    ("Clashes raged in Al Shaar.", "ash-shaar", (CONTESTED, ClaimBasis.FIGHTING)),
])
def test_claims_rest_on_what_the_sentence_tells(sentence: str, place: str,
                                                expected: tuple) -> None:
    assert expected in _claims(sentence, place)


def test_an_attack_told_for_its_victims_claims_no_ground() -> None:
    assert not _claims("A rebel attack on Hanano killed four soldiers.", "hanano")


def test_dozens_is_at_least_twelve() -> None:
    found = casualties("Air strikes killed dozens of people in the market.")
    assert (found.fatalities, found.lower_bound) == (12, True)
    found = casualties("Shelling wounded dozens.")
    assert found.injured == 12


@pytest.mark.parametrize(("sentence", "place", "expected", "absent"), [
    # What a capture took follows its verb; a place named only beside it was not taken.
    ("With new advances in Bustan al-Basha, the army secured Sheikh Saeed.",
     "bustan-al-basha", (CONTESTED, ClaimBasis.FIGHTING), (GOVERNMENT, ClaimBasis.CAPTURE)),
    ("With new advances in Bustan al-Basha, the army secured Sheikh Saeed.",
     "sheikh-saeed", (GOVERNMENT, ClaimBasis.CAPTURE), None),
    ("The army advanced in Al Shaar and captured it.", "ash-shaar",
     (GOVERNMENT, ClaimBasis.CAPTURE), None),
    ("A hospital complex in Qadi Askar was seized from rebels.", "qadi-askar",
     (GOVERNMENT, ClaimBasis.CAPTURE), None),
    ("After securing the Shaher quarter, Palestinian militias launched an assault on "
     "Sheikh Saeed.",
     "sheikh-saeed", (CONTESTED, ClaimBasis.ASSAULT), (GOVERNMENT, ClaimBasis.CAPTURE)),
    ("Government forces were in control of 60 percent of Al Shaar.", "ash-shaar",
     (CONTESTED, ClaimBasis.HELD), (GOVERNMENT, ClaimBasis.HELD)),
    ("The rebels were in control of Al Shaar.", "ash-shaar", (REBELS, ClaimBasis.HELD), None),
])
def test_a_claim_is_about_the_place_the_sentence_says(sentence: str, place: str,
                                                      expected: tuple, absent: tuple | None
                                                      ) -> None:
    found = _claims(sentence, place)
    assert expected in found
    assert absent not in found


def test_what_a_side_set_out_to_do_is_no_capture() -> None:
    found = _claims("Rebels launched four counter-attacks in an attempt to recapture Hanano.",
                    "hanano")
    assert (REBELS, ClaimBasis.CAPTURE) not in found


def test_everyday_capture_words_need_a_side() -> None:
    reading = read_text("Report\n\nThe council secured funding for Hanano's schools.\n",
                        published="2016-10-01")
    assert not [e for e in reading.events if e.type == "capture"]
