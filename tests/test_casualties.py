"""Counting the dead and wounded: figures, not dates, years or other numbers near them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from geoaleppo.events import casualties
from geoaleppo.reader import read_text

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


@pytest.mark.parametrize(("sentence", "dead", "wounded"), [
    # Agency copy: the date, a comma, then the participle.
    ("Rebels shelled Salaheddine on 3 December 2016, killing five civilians.", 5, None),
    ("Air strikes hit al-Shaar on 1 December 2016 killing 12 people.", 12, None),
    # State media: the day before the verb.
    ("Terrorists' shells on 5 December killed 12 citizens, SANA said.", 12, None),
    ("More than 1,200 people have been killed since the offensive began.", 1200, None),
    ("The strikes killed 1,200 people in 2016, 300 of them children.", 1200, None),
    ("Two rockets killing three people fell on al-Hamdaniya.", 3, None),
    ("Seven people were killed and 14 wounded in the shelling.", 7, 14),
    ("A barrel bomb killed 4 and wounded 2,500, the monitor said.", 4, 2500),
    ("Terrorists targeted the neighborhood with shells, claiming the lives of 15 people "
     "and injuring 40 others.", 15, 40),
    ("The explosion took the lives of 2 women as well as 2 soldiers.", 2, None),
])
def test_the_count_is_the_one_the_verb_governs(sentence: str, dead: int,
                                               wounded: int | None) -> None:
    found = casualties(sentence)
    assert (found.fatalities, found.injured) == (dead, wounded)


counts = st.integers(min_value=1, max_value=999)
days = st.integers(min_value=1, max_value=31)
years = st.integers(min_value=1990, max_value=2030)


@given(count=counts, day=days, month=st.sampled_from(MONTHS), year=years)
def test_a_date_before_the_verb_is_never_counted(count: int, day: int, month: str,
                                                 year: int) -> None:
    dated = f"Government shelling hit Bustan al-Qasr on {day} {month} {year}"
    assert casualties(f"{dated}, killing {count} civilians.").fatalities == count
    assert casualties(f"{dated} killing {count} civilians.").fatalities == count
    assert casualties(f"Shells on {day} {month} killed {count} people.").fatalities == count


def test_a_reported_strike_carries_its_dead_not_its_year() -> None:
    reading = read_text("Aleppo shelled\n\nRebels shelled Salaheddine on 3 December 2016, "
                        "killing five civilians.\n")
    assert {event.fatalities for event in reading.events} <= {None, 5}
    assert 5 in {event.fatalities for event in reading.events}


@given(lead=st.sampled_from(["", "On Monday, ", "Rebel shelling of the Salaheddine district "]),
       bound=st.sampled_from(["", "at least", "more than", "upwards of", "nearly"]),
       spaces=st.sampled_from([" ", "  ", "\n "]), count=counts)
def test_a_count_first_is_read_wherever_it_stands(lead: str, bound: str, spaces: str,
                                                  count: int) -> None:
    found = casualties(f"{lead}{bound}{spaces}{count} people were killed.")
    assert (found.fatalities, found.qualifier) == (count, bound)
