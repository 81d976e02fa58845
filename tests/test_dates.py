"""Dated narratives: each sentence's day as the text gives it, carried until the next.

The texts are written for these tests, in the manner of a running account of a battle.
"""

from __future__ import annotations

import datetime as dt

import pytest

from geoaleppo.dates import Narrative
from geoaleppo.lexicon import Clause
from geoaleppo.reader import read_text


def _days(sentences: list[str], published: dt.date | None = None, text: str = ""
          ) -> list[tuple[str | None, str | None]]:
    """(start, end) of the first date each sentence gets, read in order."""
    narrative = Narrative(text or " ".join(sentences), published)
    found = []
    offset = 0
    for sentence in sentences:
        dates = narrative.dates_of(Clause(sentence), offset)
        offset += len(sentence) + 1
        first = dates[0] if dates else None
        found.append((first.start.isoformat() if first else None,
                      first.end.isoformat() if first and first.end else None))
    return found


def test_a_date_carries_forward_until_the_next_one() -> None:
    days = _days([
        "On 3 March, the militia pushed into the mill quarter.",
        "Its commander was wounded.",
        "By 9 March, the quarter had fallen.",
        "Residents began to return.",
    ], published=dt.date(2021, 4, 1))
    assert days == [("2021-03-03", None), ("2021-03-03", None), ("2021-03-09", None),
                    ("2021-03-09", None)]


def test_days_counted_from_the_last_one() -> None:
    days = _days([
        "Early on 14 May, a column left the depot.",
        "The next day, it reached the river.",
        "Later that night, the bridge was blown.",
        "Two days later, engineers crossed.",
        "After three days of fighting, the far bank was held.",
        "The previous day, scouts had crossed alone.",
        "Over the next two days, the column regrouped.",
    ], published=dt.date(2021, 6, 30))
    assert days == [
        ("2021-05-14", None), ("2021-05-15", None), ("2021-05-15", None), ("2021-05-17", None),
        ("2021-05-19", None), ("2021-05-18", None), ("2021-05-19", "2021-05-20"),
    ]


def test_ranges_keep_their_span_and_a_coarser_precision() -> None:
    narrative = Narrative("", dt.date(2021, 12, 31))
    (between,) = narrative.dates_of(Clause("Between 11 and 17 August, the hill changed hands "
                                           "twice."), 0)
    assert (between.start, between.end, between.precision) == (
        dt.date(2021, 8, 11), dt.date(2021, 8, 17), 2)
    (dashed,) = narrative.dates_of(Clause("On 10–11 September, both sides dug in."), 0)
    assert (dashed.start, dashed.end) == (dt.date(2021, 9, 10), dt.date(2021, 9, 11))
    (across,) = narrative.dates_of(Clause("Between 28 October and 3 November, the road was "
                                          "cut."), 0)
    assert (across.start, across.end) == (dt.date(2021, 10, 28), dt.date(2021, 11, 3))


def test_the_year_comes_from_publication_or_the_text() -> None:
    # A day written without a year is the nearest such day to publication, never more
    # than a month after it.
    assert _days(["On 27 December, the market burned."], dt.date(2022, 1, 5)) == [
        ("2021-12-27", None)]
    assert _days(["On 20 January, talks will resume."], dt.date(2022, 1, 5)) == [
        ("2022-01-20", None)]
    assert _days(["On 30 June, the gate was shut."], dt.date(2021, 12, 31)) == [
        ("2021-06-30", None)]
    # With no publication date, the last year the text wrote before the sentence.
    assert _days(["The siege of 1993 ended.", "On 2 April, the gate reopened."],
                 None) == [(None, None), ("1993-04-02", None)]
    # A year written with the day wins.
    assert _days(["On 2 April 1994, the gate reopened."], dt.date(2021, 5, 1)) == [
        ("1994-04-02", None)]


def test_a_date_deep_in_a_sentence_dates_that_sentence_alone() -> None:
    days = _days([
        "The militia, which had entered the town quietly, took the mill on 6 May after "
        "dark.",
        "Shops stayed shut.",
        "The next day, they moved on.",
    ], published=dt.date(2021, 5, 20))
    # The second sentence is the report's own; "the next day" still counts from 6 May.
    assert days == [("2021-05-06", None), (None, None), ("2021-05-07", None)]


def test_publication_relative_days_end_the_carried_date() -> None:
    days = _days([
        "On 3 May, the militia took the mill.",
        "On Sunday, gunmen shelled the bakery.",
        "The council met.",
    ], published=dt.date(2021, 5, 18))  # a Tuesday
    assert days == [("2021-05-03", None), ("2021-05-16", None), (None, None)]


def test_end_matter_is_not_the_narrative() -> None:
    days = _days(["On 3 May, the militia took the mill.", "References",
                  "[4] Fighting near the mill."], published=None, text="2021")
    assert days[2] == (None, None)


@pytest.mark.parametrize("sentence", [
    "Officials may meet again.",  # the verb, not the month
    "They will march on the capital.",
    "The 1070 housing blocks stood empty.",
])
def test_words_that_are_not_dates(sentence: str) -> None:
    assert _days([sentence], dt.date(2021, 5, 1)) == [(None, None)]


def test_the_reader_dates_events_and_claims_by_the_narrative() -> None:
    text = (
        "The battle for the eastern districts\n\n"
        "On 27 September, government forces captured Al Shaar after heavy fighting.\n"
        "The next day, rebels launched a counter-attack in Al Shaar.\n"
        "Two days later, the army shelled Qadi Askar.\n"
    )
    reading = read_text(text, published="2016-12-31")
    dated = {(e.type, e.place.id if e.place else None): e.date for e in reading.events}
    assert dated[("capture", "ash-shaar")] == "2016-09-27"
    assert dated[("counter-attack", "ash-shaar")] == "2016-09-28"
    assert dated[("shelling", "qadi-askar")] == "2016-09-30"
    claims = {(c.place.id, c.status, c.date) for c in reading.control}
    assert ("ash-shaar", "government-held", "2016-09-27") in claims
