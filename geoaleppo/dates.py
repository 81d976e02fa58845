"""Dates a narrative gives: calendar days, ranges, and days counted from the last one.

A running account ("On 27 September, the Army advanced … The next day … Later that
night …") dates its events in the text, not in a dateline. :class:`Narrative` follows one
article's sentences in order: each sentence's dates are read, relative ones ("the next
day", "two days later") counted from the date before them, and the date a sentence sets
carries forward through the sentences after it until the next one. Where the text gives
no date, the report's own publication date stays the default.

The year of a day written without one ("27 September") comes, in this order, from the
date the narrative stands at or the publication date (the nearest such day, but never
more than a month after publication), else from the last year the text wrote before the
sentence.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass

from geoaleppo.lexicon import Clause
from geoaleppo.text import DateExpression, relative_dates

# Month names as written in prose: capitalised (so the verbs "may" and "march" are not
# months) or upper case, full or abbreviated.
_MONTH_NUMBERS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11,
    "nov": 11, "december": 12, "dec": 12,
}
_MONTH = "|".join(
    alternative
    for name in sorted(_MONTH_NUMBERS, key=len, reverse=True)
    for alternative in (name.capitalize(), name.upper())
)
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:19[5-9]\d|20[0-4]\d)"
_DASH = r"\s*[–—-]\s*"
# One pattern, tried once over the sentence: a range in any of its written forms, or a
# single day. Group names say which. Every form starts with "between", "from", a digit or
# a month: the lookahead for those letters first turns most places away at one test,
# where each alternative would otherwise be tried there in turn (four times faster).
_CALENDAR_RE = re.compile(
    r"(?=[BbFf\dJMASOND])(?:"
    # between 11 and 17 August / from 11 to 17 August / 10–11 September
    rf"(?:(?:[Bb]etween|[Ff]rom)\s+(?P<r1>{_DAY})\s+(?:and|to|until)\s+|\b(?P<r2>{_DAY}){_DASH})"
    rf"(?P<r_day>{_DAY})\s+(?P<r_month>{_MONTH})\.?(?:,?\s+(?P<r_year>{_YEAR}))?\b"
    # between 28 October and 3 November / 28 October – 3 November ("and" only after
    # "between": "on 20 October and 22 October" names two days)
    rf"|(?:(?:[Bb]etween|[Ff]rom)\s+(?P<m1_day>{_DAY})\s+(?P<m1_month>{_MONTH})\.?"
    rf"\s+(?:and|to|until)\s+|\b(?P<m3_day>{_DAY})\s+(?P<m3_month>{_MONTH})\.?{_DASH})"
    rf"(?P<m2_day>{_DAY})\s+(?P<m2_month>{_MONTH})\.?(?:,?\s+(?P<m_year>{_YEAR}))?\b"
    # 27 September (2016) / 27th of September
    rf"|\b(?P<d_day>{_DAY})(?:\s+of)?\s+(?P<d_month>{_MONTH})\b\.?(?:,?\s+(?P<d_year>{_YEAR}))?"
    # September 27(, 2016) / Sept. 27th
    rf"|\b(?P<f_month>{_MONTH})\.?\s+(?P<f_day>{_DAY})\b(?:,?\s+(?P<f_year>{_YEAR}))?"
    r")"
)

_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
                 "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}
_COUNT = r"(?:\d{1,2}|a|an|one|two|three|four|five|six|seven|eight|nine|ten)"
_PART_OF_DAY = r"(?:day|morning|afternoon|evening|night)"
# Days counted from the date the narrative stands at (run on lower-cased text). Each
# group name says how: the day after, the same day, the day before, N days/weeks later,
# a range over the next N days, or the last of N days of fighting. Each starts with one of
# the letters (or a digit) of the lookahead, which turns most words away at one test.
_RELATIVE_RE = re.compile(
    rf"\b(?=[tnfleoias\d])(?:(?P<next>(?:the\s+)?(?:next|following)\s+(?:day|morning|afternoon|evening)"
    rf"|the\s+day\s+after)"
    rf"|(?P<same>(?:later|earlier|early|late)\s+(?:that|the\s+same)\s+{_PART_OF_DAY}"
    rf"|(?:on\s+)?that\s+(?:same\s+)?{_PART_OF_DAY}|the\s+same\s+day"
    rf"|(?:in\s+)?the\s+(?:following|next)\s+night)"
    rf"|(?P<before>the\s+(?:previous|preceding)\s+day|the\s+day\s+before|a\s+day\s+earlier)"
    rf"|(?P<later>(?P<count>{_COUNT})\s+(?P<unit>days?|weeks?)\s+(?:later|afterwards?))"
    rf"|(?P<over>over\s+the\s+(?:next|following)\s+(?P<over_count>{_COUNT})\s+days)"
    rf"|(?P<after>after\s+(?P<after_count>{_COUNT})\s+days?\s+of\s+(?:heavy\s+|fierce\s+|intense\s+)?"
    rf"(?:fighting|clashes|battles?|combat|siege))"
    rf")\b"
)
# Every relative expression above names a day, a week or a part of a day; every calendar
# date a month and a digit. Most sentences have neither, and skip the patterns.
_RELATIVE_CUES = frozenset("day days week weeks morning afternoon evening night".split())
# ... and one of these words says which way it counts: "day" alone is common, these with it
# much less so.
_RELATIVE_TURNS = frozenset("next following after later earlier early late that same previous "
                            "preceding before afterward afterwards over".split())
_MONTH_CUES = frozenset(_MONTH_NUMBERS)
_DIGIT_RE = re.compile(r"\d")
_YEAR_RE = re.compile(rf"\b{_YEAR}\b")
_END_MATTER = frozenset({"references", "see also", "notes", "external links",
                         "further reading", "bibliography", "citations", "sources"})
# A day written without a year is never taken to lie more than this after publication.
_FUTURE_SLACK = dt.timedelta(days=31)


@dataclass(frozen=True, slots=True)
class _Written:
    """A date as the text writes it, before its year (or its anchor) is known."""

    offset: int
    text: str
    # A calendar day or range: (month, day) pairs and the year if written.
    first: tuple[int, int] | None = None
    last: tuple[int, int] | None = None
    year: int | None = None
    # A day counted from the anchor: first and last offsets in days, and the precision.
    shift: tuple[int, int] | None = None
    precision: int = 1
    #: Counted only when the sentence gives no other date: "taken on Tuesday after two
    #: days of fighting" is Tuesday.
    alone: bool = False


def _day(text: str) -> int:
    return int(re.sub(r"\D", "", text))


def _count(text: str) -> int:
    return int(text) if text.isdigit() else _NUMBER_WORDS[text]


def _calendar(match: re.Match[str]) -> _Written:
    group = match.group
    month_of = _MONTH_NUMBERS.__getitem__
    if group("r_day"):
        number = month_of(group("r_month").lower())
        start = group("r1") or group("r2")
        return _Written(match.start(), match.group(), (number, _day(start)),
                        (number, _day(group("r_day"))), _year(group("r_year")), precision=2)
    if group("m2_day"):
        first_day = group("m1_day") or group("m3_day")
        first_month = group("m1_month") or group("m3_month")
        return _Written(match.start(), match.group(),
                        (month_of(first_month.lower()), _day(first_day)),
                        (month_of(group("m2_month").lower()), _day(group("m2_day"))),
                        _year(group("m_year")), precision=2)
    if group("d_day"):
        day, month, year = group("d_day"), group("d_month"), group("d_year")
    else:
        day, month, year = group("f_day"), group("f_month"), group("f_year")
    return _Written(match.start(), match.group(), (month_of(month.lower()), _day(day)),
                    None, _year(year))


def _year(text: str | None) -> int | None:
    return int(text) if text else None


def _relative(match: re.Match[str]) -> _Written:
    group = match.group
    offset, text = match.start(), match.group()
    if group("next"):
        return _Written(offset, text, shift=(1, 1))
    if group("same"):
        return _Written(offset, text, shift=(0, 0))
    if group("before"):
        return _Written(offset, text, shift=(-1, -1))
    if group("later"):
        days = _count(group("count")) * (7 if group("unit").startswith("week") else 1)
        return _Written(offset, text, shift=(days, days), precision=1 if days < 7 else 2)
    if group("over"):
        days = _count(group("over_count"))
        return _Written(offset, text, shift=(1, days), precision=2)
    # "After three days of fighting" from the 1st: the end came on the third day.
    days = _count(group("after_count"))
    return _Written(offset, text, shift=(days - 1, days - 1), alone=True)


def written_dates(clause: Clause) -> tuple[_Written, ...]:
    """The calendar days, ranges and counted days a sentence writes, in text order."""
    found: list[_Written] = []
    digit = None if _MONTH_CUES.isdisjoint(clause.words) else _DIGIT_RE.search(clause.text)
    if digit is not None:
        found.extend(_calendar(m) for m in _CALENDAR_RE.finditer(clause.text,
                                                                  _earliest_date(clause.text,
                                                                                 digit.start())))
    if not (_RELATIVE_CUES.isdisjoint(clause.words) or _RELATIVE_TURNS.isdisjoint(clause.words)):
        found.extend(_relative(m) for m in _RELATIVE_RE.finditer(clause.lowered))
    if len(found) > 1:
        found = [w for w in found if not w.alone]
    return tuple(sorted(found, key=lambda w: w.offset))


def _earliest_date(text: str, first_digit: int) -> int:
    """Where the first calendar date of ``text`` may start at the earliest, given where its
    first digit is: every date has a digit, and what comes before its first one is a word
    ("between", "from", a month), maybe a full stop, and spaces. The pattern, which has
    no first letter for the regex engine to skip to, is not tried on the words before."""
    start = first_digit
    while start > 0 and text[start - 1].isspace():
        start -= 1
    return max(0, start - len("September."))


def _in_year(month: int, day: int, year: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None  # 31 September, 29 February of a common year: no such day


def _place_in_time(month: int, day: int, *, near: dt.date | None,
                   published: dt.date | None, text_year: int | None) -> dt.date | None:
    """The day (month, day) most likely means: see the module's note on years."""
    if near is None:
        return _in_year(month, day, text_year) if text_year else None
    latest = published + _FUTURE_SLACK if published else None
    candidates = [date for year in (near.year - 1, near.year, near.year + 1)
                  if (date := _in_year(month, day, year)) is not None
                  and (latest is None or date <= latest)]
    if not candidates:
        return None
    return min(candidates, key=lambda date: abs((date - near).days))


class Narrative:
    """The date an article's narrative stands at, sentence by sentence.

    Made once per article and asked about each sentence in order (:meth:`dates_of`).
    A date that sets a sentence's scene ("On 27 September, the Army …", "The next day,
    …", "… into 23 September, and") carries forward to the sentences that give none; a
    date further into a sentence ("took Ramussa on August 6 linking up …") dates that
    sentence alone, as news prose uses it, but still anchors a later "the next day".

    Parameters
    ----------
    text
        The article (the years it writes date the days written without one).
    published
        The publication date: the default date and the anchor for "on Sunday".
    """

    __slots__ = ("_carried_date", "_current", "_ended", "_latest", "_published", "_text",
                 "_year_offsets", "_years")

    def __init__(self, text: str, published: dt.date | None) -> None:
        self._published = published
        self._current: DateExpression | None = None
        # The last day written anywhere: what "the next day" counts from when no scene
        # date has been set.
        self._latest: DateExpression | None = None
        # After a heading such as "References", the text is no longer the narrative: a
        # cited headline is not the day the account had reached.
        self._ended = False
        # The years the text writes are looked for only when a day needs one.
        self._text = text
        self._year_offsets: list[int] | None = None
        self._years: list[int] = []
        # The carried date as the sentences that give none have it, and the date it is of.
        self._carried_date: tuple[DateExpression | None, tuple[DateExpression, ...]] = (None, ())

    @property
    def current(self) -> DateExpression | None:
        """The date carried forward from the sentences read so far (None: none yet)."""
        return self._current

    def _carried(self) -> tuple[DateExpression, ...]:
        """The carried date at the start of a sentence that gives none (made once a date:
        most sentences give none)."""
        current, carried = self._carried_date
        if current is not self._current:
            current = self._current
            assert current is not None
            carried = (DateExpression(current.start, current.end, current.precision, "", 0),)
            self._carried_date = (current, carried)
        return carried

    def _text_year(self, offset: int) -> int | None:
        if self._year_offsets is None:
            found = [(m.start(), int(m.group())) for m in _YEAR_RE.finditer(self._text)]
            self._year_offsets = [start for start, _year in found]
            self._years = [year for _start, year in found]
        before = bisect.bisect_left(self._year_offsets, offset)
        if before:
            return self._years[before - 1]
        return self._years[0] if self._years else None

    def dates_of(self, clause: Clause, offset: int, *, wanted: bool = True
                 ) -> tuple[DateExpression, ...]:
        """The dates sentence ``clause`` (at ``offset`` in the text) refers to, in text
        order, with offsets into the sentence; and the carried date moves on.

        Days the sentence writes or counts come first; with none, the date carried from
        earlier sentences stands for it (its offset 0). Empty when the text has set no
        date yet: the caller's default (the publication date) holds. Every sentence must
        be shown, in order; one whose dates the caller will not use (``wanted`` false)
        costs less.
        """
        if len(clause.text) < 20 and clause.text.strip().lower() in _END_MATTER:
            self._ended, self._current, self._latest = True, None, None
        written = written_dates(clause)
        if not (wanted or written or self._current or self._latest):
            return ()  # "on Sunday" here would change nothing that is carried
        from_publication = relative_dates(clause, self._published)
        if not written:
            if from_publication:
                # Only days counted from publication ("on Sunday", the news case): one
                # that sets the scene ends a carried date.
                if (self._current or self._latest) and not self._ended and _sets_scene(
                        clause.text, from_publication[0]):
                    self._current = self._latest = None
                return from_publication
            if self._current is None:
                return ()
            return self._carried()
        resolved: list[DateExpression] = []
        scene: DateExpression | None = None
        scene_from_publication = False
        anchor = self._current or self._latest
        items: list[_Written | DateExpression] = [*written, *from_publication]
        for item in sorted(items, key=lambda d: d.offset):
            date = (item if isinstance(item, DateExpression)
                    else self._resolve(item, anchor, offset))
            if date is None:
                continue
            if not resolved and _sets_scene(clause.text, date):
                scene, scene_from_publication = date, isinstance(item, DateExpression)
            resolved.append(date)
            if isinstance(item, _Written):
                anchor = self._latest = date
        if self._ended:
            return tuple(resolved)
        if scene is not None and scene_from_publication:
            # "On Sunday, …": news prose dates from its own day again.
            self._current = self._latest = None
        elif scene is not None and scene.precision <= 2:
            self._current = scene
        return tuple(resolved)

    def _resolve(self, item: _Written, anchor: DateExpression | None,
                 offset: int) -> DateExpression | None:
        """``item``'s date; ``offset``: where its sentence starts in the text."""
        if item.shift is not None:
            if anchor is None:
                return None  # "the next day" after no day the text has given
            first, last = item.shift
            counted = anchor.start + dt.timedelta(days=first)
            until = anchor.start + dt.timedelta(days=last) if last != first else None
            return DateExpression(counted, until, item.precision, item.text, item.offset)
        assert item.first is not None
        near = anchor.start if anchor is not None else self._published
        if item.year is not None:
            found = _in_year(*item.first, item.year)
        else:
            text_year = None if near is not None else self._text_year(offset)
            found = _place_in_time(*item.first, near=near, published=self._published,
                                   text_year=text_year)
        if found is None:
            return None
        start: dt.date = found
        end: dt.date | None = None
        if item.last is not None:
            end = _in_year(*item.last, start.year)
            if end is not None and end < start:  # 28 December – 3 January
                end = _in_year(*item.last, start.year + 1)
            if end is not None and end <= start:
                end = None
        precision = 1 if end is None else (2 if (end - start).days <= 7 else 3)
        return DateExpression(start, end, precision, item.text, item.offset)


_AFTER_DATE_RE = re.compile(r"\.?(?:\[\d{1,3}\])*,")


def _sets_scene(sentence: str, date: DateExpression) -> bool:
    """Whether a sentence's first date sets its scene: it comes within the first five
    words ("Early on 14 August, …"), or it closes the sentence's first clause ("The
    strikes continued into 23 September, and …")."""
    if len(sentence[: date.offset].split()) < 5:
        return True
    end = date.offset + len(date.text)
    return "," not in sentence[: date.offset] and bool(_AFTER_DATE_RE.match(sentence, end))
