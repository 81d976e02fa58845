"""Article text: decoding, the header (title, date, outlet, dateline), sentences, dates.

Offsets everywhere are character offsets into the text as read (after decoding, before
any other change), so ``text[start:end]`` is always what a user sees in the article.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import re
from dataclasses import dataclass
from pathlib import Path

from geoaleppo.errors import ArticleError
from geoaleppo.lexicon import Clause, as_clause

MAX_ARTICLE_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Sentence:
    index: int
    start: int
    end: int
    paragraph: int
    text: str


@dataclass(frozen=True, slots=True)
class Header:
    title: str
    published: dt.date | None
    outlet: str | None
    dateline: tuple[tuple[str, int, int], ...]  # (name, start, end)
    body_start: int


def decode(data: bytes, source: str) -> tuple[str, list[str]]:
    """UTF-8 text, or an :class:`ArticleError`; returns the text and any warnings.

    Binary data and empty files are refused. A NUL byte anywhere makes the data binary:
    no text file holds one, and stripping it would shift every offset after it. Text that
    is not valid UTF-8 is decoded with replacement characters and a warning naming the
    first bad byte, so a stray Windows-1252 quote does not cost the whole article.
    """
    if not data.strip():
        msg = f"{source}: empty article"
        raise ArticleError(msg)
    nul = data.find(b"\x00")
    if nul >= 0:
        msg = f"{source}: binary file, not text (NUL byte at {nul})"
        raise ArticleError(msg)
    warnings: list[str] = []
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        text = data.decode("utf-8", errors="replace")
        warnings.append(
            f"{source}: not valid UTF-8 (first bad byte at {exc.start}); "
            "decoded with replacement characters"
        )
    if text.startswith("\ufeff"):
        text = text[1:]
    return text, warnings


def printable(text: str | Path) -> str:
    """``text`` as a string that always encodes as UTF-8.

    On Linux a file name is bytes, and Python keeps bytes that are not UTF-8 as lone
    surrogates ("\\udcff"), which no UTF-8 output can hold. They become backslash escapes
    (``a\\xff.txt``), the same in messages, JSON, exports and maps.
    """
    text = str(text)
    try:
        data = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a lone surrogate that never was a byte
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return data.decode("utf-8", "backslashreplace")


def read_article(path: Path | str) -> tuple[str, list[str]]:
    """Read and decode an article file (``-`` is standard input)."""
    import sys

    if str(path) == "-":
        return decode(sys.stdin.buffer.read(), "<stdin>")
    path = Path(path)
    name = printable(path)
    try:
        if path.stat().st_size > MAX_ARTICLE_BYTES:
            msg = f"{name}: larger than {MAX_ARTICLE_BYTES // (1024 * 1024)} MB"
            raise ArticleError(msg)
        data = path.read_bytes()
    except FileNotFoundError as exc:
        msg = f"{name}: no such file"
        raise ArticleError(msg) from exc
    except IsADirectoryError as exc:
        msg = f"{name}: is a directory"
        raise ArticleError(msg) from exc
    except OSError as exc:
        msg = f"{name}: cannot read: {exc.strerror or exc}"
        raise ArticleError(msg) from exc
    return decode(data, name)


# -- sentences ---------------------------------------------------------------------------
# Abbreviations after which a full stop does not end a sentence.
_ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr gen lt col maj capt sgt st no jan feb mar apr jun jul aug sep sept oct nov
    dec u.s u.n u.k e.g i.e vs al approx est
    """.split()
)
# An end is tried only where a run of stops begins, and the run is never given back: a
# 500 KB run of dots (a contents page's leaders) is then read once, not once a dot. A
# full stop may be followed by citation markers ("the district.[53] In order"), as in
# Wikipedia's accounts: the sentence ends after them. The pattern starts with the stop
# itself, the test for a stop before it coming after: a pattern that starts with a
# character class the regex engine skips to, not tried at every character.
_SENTENCE_END_RE = re.compile(
    r"[.!?](?<![.!?][.!?])[.!?]*+[\"'”’)]*+(?:\[\d{1,3}\])*+"
    r"(?=\s++[\"'“‘(]?[A-Z0-9\u0600-\u06ff])"
)
_LINE_RE = re.compile(r"[^\n]+")
_WORD_BEFORE_END_RE = re.compile(r"([\w.]+)[.!?]+[\"'”’)]*(?:\[\d{1,3}\])*$")


def sentences(text: str, start: int = 0) -> list[Sentence]:
    """Split ``text[start:]`` into sentences, keeping offsets and paragraph numbers.

    A blank line or a single newline both end a paragraph: scraped copy puts each
    paragraph on its own line.
    """
    result: list[Sentence] = []
    paragraph = 0
    for match in _LINE_RE.finditer(text, start):
        line_start = match.start()
        line = match.group()
        if not line.strip():
            continue
        cursor = 0
        for end_match in _SENTENCE_END_RE.finditer(line):
            end = end_match.end()
            marker = end_match.group().find("[")
            markers = len(end_match.group()) - marker if marker >= 0 else 0
            word = _WORD_BEFORE_END_RE.search(line, max(0, end - 24 - markers), end)
            if word and word.group(1).lower().rstrip(".") in _ABBREVIATIONS:
                continue
            if word and len(word.group(1)) == 1 and word.group(1).isupper():
                continue  # an initial: "George W. Bush"
            _append(result, text, line_start + cursor, line_start + end, paragraph)
            cursor = end
        _append(result, text, line_start + cursor, line_start + len(line), paragraph)
        paragraph += 1
    return result


def _append(result: list[Sentence], text: str, start: int, end: int, paragraph: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        result.append(Sentence(len(result), start, end, paragraph, text[start:end]))


# -- header and publication date ---------------------------------------------------------
_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DATE_PATTERNS = (
    # 05/December/2016, 5 December 2016, 5 Dec. 2016
    re.compile(rf"\b(\d{{1,2}})[\s/.-]+({_MONTH_RE})\.?[\s/.,-]+(\d{{4}})\b", re.I),
    # December 5, 2016 / Dec 15 2016 / November 4 2016
    re.compile(rf"\b({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.I),
    # 2016-12-05
    re.compile(r"\b(\d{4})-(\d{2})-(\d{2})(?!\d)"),
)
_OUTLET_RE = re.compile(r"^\s*(?:By:?|Source:)\s*(.+?)\s*$", re.I | re.M)
_AGENCY_RE = re.compile(
    r"\((Reuters|AFP|AP|SANA|Xinhua|Anadolu|dpa|TASS|RIA Novosti|Sputnik)\)"
)
# "Beirut/Moscow:", "BEIRUT (Reuters) -", "ALEPPO, Syria —", "Damascus, SANA-"
# A place is its words and the single spaces between them, each taken whole (possessive):
# when the spaces inside a place and those around "/" could each take a space, a line of
# "Ab  /Ab  /…" with no colon was tried in every split of its spaces, 3^n of them.
# A place takes at least two characters, as "A :" is a dateline and "A:" is not.
_DATELINE_PLACE = r"[A-Z](?=[A-Za-z'’ .])[A-Za-z'’.]*+(?: ++[A-Za-z'’.]++)*+"
_DATELINE_RE = re.compile(
    rf"^(?P<places>{_DATELINE_PLACE}(?:\s*+/\s*+{_DATELINE_PLACE})*+)"
    r"(?: *+,\s*+(?P<country>[A-Z][A-Za-z]++))?"
    r"\s*+(?:\([^)\n]{1,40}\)\s*+)?(?:[:—–]|-{1,2}(?=\s))\s*+",
    re.M,
)


def parse_date(text: str) -> dt.date | None:
    """The first calendar date written in ``text``, if any."""
    best: tuple[int, dt.date] | None = None
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            groups = match.groups()
            try:
                if groups[0].isdigit() and len(groups[0]) == 4:
                    date = dt.date(int(groups[0]), int(groups[1]), int(groups[2]))
                elif groups[0].isdigit():
                    date = dt.date(int(groups[2]), _MONTHS[groups[1].lower()], int(groups[0]))
                else:
                    date = dt.date(int(groups[2]), _MONTHS[groups[0].lower()], int(groups[1]))
            except (ValueError, KeyError):
                continue
            if best is None or match.start() < best[0]:
                best = (match.start(), date)
            break
    return best[1] if best else None


_HEADER_LINE_RE = re.compile(
    r"^(?:by\b|source\b|updated\b|posted\b|published\b|last updated\b|world\b|news\b)", re.I
)


def _is_headline(line: str, following: str) -> bool:
    """A first line that stands alone: short, not ending mid-sentence, and not continued
    by the next line (corpora and scrapers often wrap one paragraph over many lines)."""
    return (
        len(line) <= 200
        and not line.endswith((",", ";", ":"))
        and not (following[:1].islower())
        and not (line.endswith(".") and len(line) > 120)
    )


def _is_header_line(line: str, title: str) -> bool:
    """A line of the header after the title: a date line, a by-line, the title again."""
    if len(line) > 120:
        return False
    return (
        line == title
        or bool(_HEADER_LINE_RE.match(line))
        or (parse_date(line) is not None and len(line) < 80)
        or _OUTLET_RE.match(line) is not None
    )


def parse_header(text: str) -> Header:
    """Title (first line), publication date and outlet from the lines before the body.

    The header is the title line and the short lines after it that are plainly header
    (a date line, a by-line, the title repeated); the body starts at the first other
    line. A first line that is a wrapped piece of a paragraph is no title: the whole
    text is body. The dateline is the place prefix of the body's first paragraph
    ("Beirut/Moscow:").
    """
    # Only the top of the text can be header; never scan a 50 MB body line by line here.
    lines = [m for m in itertools.islice(re.finditer(r"[^\n]*\n?", text), 40)
             if m.group().strip()]
    title = ""
    header_end = 0
    published = None
    outlet = None
    if lines:
        first = lines[0].group().strip()
        following = lines[1].group().strip() if len(lines) > 1 else ""
        title = first[:300]
        if _is_headline(first, following):
            header_end = lines[0].end()
            for match in lines[1:9]:
                line = match.group().strip()
                if not _is_header_line(line, title):
                    break
                header_end = match.end()
                published = published or parse_date(line)
                by_line = _OUTLET_RE.match(line)
                if by_line and not outlet:
                    outlet = by_line.group(1)
    body = text[header_end:]
    if not body.strip():
        # A one-line text (a headline, a snippet on stdin) is all body.
        header_end, body = 0, text
    offset = header_end + (len(body) - len(body.lstrip()))
    if published is None:
        published = parse_date(text[: min(len(text), offset + 400)])
    agency = _AGENCY_RE.search(text[offset : offset + 200])
    if agency and not outlet:
        outlet = agency.group(1)
    dateline: list[tuple[str, int, int]] = []
    found = _DATELINE_RE.match(text, offset)
    if found and found.end() - offset < 60:
        for part in re.finditer(r"[^/]+", found.group("places")):
            name = part.group().strip()
            if name:
                leading = len(part.group()) - len(part.group().lstrip())
                start = found.start("places") + part.start() + leading
                dateline.append((name, start, start + len(name)))
    if title and header_end == 0:
        title = title[:120]
    return Header(title, published, outlet, tuple(dateline), offset)


# -- relative dates ----------------------------------------------------------------------
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# Every expression starts with one of the letters in the lookahead, which turns most
# words away at one test instead of at each alternative in turn (about twice as fast).
_RELATIVE_RE = re.compile(
    r"(?=[solmtwfyi])\b"
    r"(?:(?P<since>since)\s+(?P<part>early|mid|late)[- ](?P<month>" + _MONTH_RE + r")"
    r"|(?:on\s+|last\s+)?(?P<weekday>monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
    r"|(?P<yesterday>yesterday|overnight)"
    r"|(?P<today>today|tonight|this morning|this afternoon|this evening)"
    r"|(?P<vague>in recent (?:days|weeks|months)|this week|last week"
    r"|in the past (?:week|month)))\b",
)  # run on lower-cased text: several times faster than ignoring case


# Every relative date expression contains one of these words; most sentences none.
_RELATIVE_CUES = frozenset({*_WEEKDAYS, "yesterday", "overnight", "today", "tonight", "this",
                            "since", "recent", "last", "past"})
# These name a day alone; the common words among the cues only with one of their words
# after them ("this morning", "since mid-November", "in recent weeks").
_DAY_WORDS = frozenset({*_WEEKDAYS, "yesterday", "overnight", "today", "tonight"})
_CUES_WITH_COMPANIONS = (
    ("this", frozenset({"morning", "afternoon", "evening", "week"})),
    ("since", frozenset({"early", "mid", "late"})),
    ("recent", frozenset({"days", "weeks", "months"})),
    ("last", frozenset({"week"})),
    ("past", frozenset({"week", "month"})),
)


def _may_date(words: frozenset[str]) -> bool:
    """Whether a sentence of these words may hold a relative date (a cheap test)."""
    if _RELATIVE_CUES.isdisjoint(words):
        return False
    if not _DAY_WORDS.isdisjoint(words):
        return True
    return any(cue in words and not companions.isdisjoint(words)
               for cue, companions in _CUES_WITH_COMPANIONS)


@dataclass(frozen=True, slots=True)
class DateExpression:
    start: dt.date
    end: dt.date | None
    precision: int  # ACLED time precision: 1 day, 2 week, 3 month
    text: str
    offset: int


def relative_dates(sentence: Clause | str, published: dt.date | None
                   ) -> tuple[DateExpression, ...]:
    """Dates a sentence refers to, resolved against the publication date.

    A weekday is the latest such day on or before publication ("on Sunday" in a Monday
    report is the day before); "since mid-November" is a range ending at publication.
    """
    if published is None:
        return ()
    clause = as_clause(sentence)
    if not _may_date(clause.words):
        return ()
    lowered, sentence = clause.lowered, clause.text
    found = []
    for match in _RELATIVE_RE.finditer(lowered):
        written = sentence[match.start() : match.end()]
        if match.group("weekday"):
            wanted = _WEEKDAYS.index(match.group("weekday").lower())
            back = (published.weekday() - wanted) % 7
            found.append(
                DateExpression(published - dt.timedelta(days=back), None, 1, written,
                               match.start())
            )
        elif match.group("yesterday"):
            found.append(DateExpression(published - dt.timedelta(days=1), None, 1,
                                        written, match.start()))
        elif match.group("today"):
            found.append(DateExpression(published, None, 1, written, match.start()))
        elif match.group("since"):
            month = _MONTHS[match.group("month").lower()]
            year = published.year if month <= published.month else published.year - 1
            day = {"early": 1, "mid": 15, "late": 21}[match.group("part").lower()]
            found.append(DateExpression(dt.date(year, month, day), published, 3,
                                        written, match.start()))
        elif match.group("vague"):
            days = 30 if "month" in match.group().lower() else 7
            found.append(DateExpression(published - dt.timedelta(days=days), published, 2,
                                        written, match.start()))
    return tuple(found)


class Spans:
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


_NO_SENTENCE = Sentence(0, 0, 0, 0, "")


def sentence_of(sentences: list[Sentence], starts: list[int], offset: int) -> Sentence:
    """The sentence that ``offset`` falls in (``starts``: each sentence's start offset)."""
    if not sentences:
        return _NO_SENTENCE
    return sentences[max(0, bisect.bisect_right(starts, offset) - 1)]
