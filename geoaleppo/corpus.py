"""Where articles come from: files, directories, corpus files and standard input, streamed.

A *source* is a path or ``-`` (standard input). A directory is every article and corpus
file under it, in name order. A corpus file holds many articles: a CSV with a row per
article (the FA-KES layout, ``article_title, article_content, source, date`` with the date
as M/D/YY, is recognised by its header; other layouts name their columns, see
:class:`Columns`) or JSON Lines with ``title``, ``text``, ``date``, ``source`` and
``url``. Any other file is one article.

Articles are read one at a time, so a corpus of any size takes the memory of one
article; a bad article (an empty row, a line that is not JSON) comes out as a
:class:`~geoaleppo.reader.ReadFailure` in its place and the rest still come out.

A corpus row becomes an article text with a header the reader knows: its title, its
date (ISO) and ``Source: outlet`` lines, then the text; so the title, the publication
date and the outlet are read from it like any article's.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from geoaleppo.errors import GeoaleppoError
from geoaleppo.reader import ReadFailure, read_text
from geoaleppo.text import MAX_ARTICLE_BYTES, decode, read_article

if TYPE_CHECKING:
    from geoaleppo.gazetteer import Gazetteer
    from geoaleppo.model import Reading

#: File name endings read as JSON Lines and as CSV corpora.
JSONL_SUFFIXES = (".jsonl", ".ndjson")
CSV_SUFFIXES = (".csv", ".tsv")
#: File name endings a directory is searched for (besides the corpus files).
ARTICLE_SUFFIXES = (".txt", ".md", ".text")


@dataclass(frozen=True, slots=True)
class Columns:
    """Which columns of a CSV corpus hold what (the defaults: the FA-KES layout)."""

    text: str = "article_content"
    title: str = "article_title"
    date: str = "date"
    source: str = "source"


@dataclass(frozen=True, slots=True)
class ArticleText:
    """One article as a source gives it, ready for :func:`geoaleppo.reader.read_text`."""

    text: str
    source: str
    published: str | None = None
    warnings: tuple[str, ...] = ()


def compose(text: str, *, title: str = "", date: str | None = None,
            outlet: str = "") -> str:
    """An article text from a corpus row's fields, with a header the reader knows."""
    # A title line the reader takes for one: one line, short, not ending mid-sentence.
    heading = " ".join(title.split())[:200].rstrip(",;:") or "(untitled)"
    lines = [heading]
    if date:
        lines.append(date)
    if outlet.strip():
        lines.append(f"Source: {outlet.strip()}")
    return "\n".join(lines) + "\n\n" + text.strip() + "\n"


_SLASH_DATE_RE = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})\s*$")


def corpus_date(value: str | None) -> str | None:
    """A corpus's date as an ISO day: ``M/D/YY`` (FA-KES), ``M/D/YYYY`` or ISO; None if
    it is none of these.

    >>> corpus_date("4/16/17"), corpus_date("2016-12-05"), corpus_date("yesterday")
    ('2017-04-16', '2016-12-05', None)
    """
    if not value or not value.strip():
        return None
    found = _SLASH_DATE_RE.match(value)
    try:
        if found:
            month, day, year = (int(part) for part in found.groups())
            if year < 100:
                year += 2000
            return dt.date(year, month, day).isoformat()
        return dt.date.fromisoformat(value.strip()[:10]).isoformat()
    except ValueError:
        return None


def iter_articles(sources: Iterable[str | Path], *, columns: Columns | None = None
                  ) -> Iterator[ArticleText | ReadFailure]:
    """Every article of every source, in order, one at a time (see the module's note)."""
    columns = columns or Columns()
    for source in sources:
        name = str(source)
        if name == "-":
            yield from _stdin(columns)
            continue
        path = Path(name)
        if path.is_dir():
            for found in _directory_files(path):
                yield from _file(found, columns)
        else:
            yield from _file(path, columns)


def read_sources(sources: Iterable[str | Path], *, published: dt.date | str | None = None,
                 gazetteer: Gazetteer | None = None, columns: Columns | None = None
                 ) -> Iterator[Reading | ReadFailure]:
    """Read every article of ``sources`` (see :func:`iter_articles`) in turn.

    ``published`` is the date of an article whose header and corpus row give none.
    """
    from geoaleppo.gazetteer import load

    gazetteer = gazetteer or load()
    for item in iter_articles(sources, columns=columns):
        if isinstance(item, ReadFailure):
            yield item
            continue
        try:
            yield read_text(item.text, source=item.source,
                            published=item.published or published, gazetteer=gazetteer,
                            warnings=list(item.warnings))
        except GeoaleppoError as exc:
            yield ReadFailure(item.source, str(exc))


def _directory_files(directory: Path) -> list[Path]:
    suffixes = (*ARTICLE_SUFFIXES, *CSV_SUFFIXES, *JSONL_SUFFIXES)
    return sorted(p for p in directory.rglob("*")
                  if p.is_file() and p.suffix.lower() in suffixes
                  and not any(part.startswith(".") for part in p.relative_to(directory).parts))


def _file(path: Path, columns: Columns) -> Iterator[ArticleText | ReadFailure]:
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES or suffix in CSV_SUFFIXES:
        try:
            stream = path.open(encoding="utf-8", errors="replace", newline="")
        except OSError as exc:
            yield ReadFailure(str(path), f"{path}: cannot read: {exc.strerror or exc}")
            return
        with stream:
            if suffix in JSONL_SUFFIXES:
                yield from _json_lines(stream, str(path))
            else:
                yield from _csv_rows(stream, str(path), columns,
                                     delimiter="\t" if suffix == ".tsv" else ",")
        return
    try:
        text, warnings = read_article(path)
    except GeoaleppoError as exc:
        yield ReadFailure(str(path), str(exc))
        return
    yield ArticleText(text, str(path), None, tuple(warnings))


def _stdin(columns: Columns) -> Iterator[ArticleText | ReadFailure]:
    """Standard input: JSON Lines if it starts with ``{``, a CSV corpus if its first line
    is a header with the text column, else one article."""
    raw = sys.stdin.buffer
    first = raw.readline()
    # Line by line, each decoded on its own: a newline never falls inside a UTF-8
    # character, and the standard input stays open for whoever reads it next.
    lines = (line.decode("utf-8", "replace") for line in _chain(first, raw))
    if first.lstrip().startswith(b"{"):
        yield from _json_lines(lines, "<stdin>")
        return
    header = next(csv.reader([first.decode("utf-8", "replace")]), [])
    if columns.text in [cell.strip() for cell in header]:
        yield from _csv_rows(lines, "<stdin>", columns)
        return
    rest = raw.read(MAX_ARTICLE_BYTES + 1 - len(first))
    try:
        text, warnings = decode(first + rest, "<stdin>")
    except GeoaleppoError as exc:
        yield ReadFailure("-", str(exc))
        return
    yield ArticleText(text, "-", None, tuple(warnings))


def _chain(first: bytes, rest: IO[bytes]) -> Iterator[bytes]:
    yield first
    yield from rest


def _json_lines(lines: Iterable[str], name: str) -> Iterator[ArticleText | ReadFailure]:
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{name}#{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield ReadFailure(where, f"{where}: not a JSON object: {exc.msg}")
            continue
        if not isinstance(record, dict):
            yield ReadFailure(where, f"{where}: not a JSON object")
            continue
        yield _record(record, where, "text", "title", "date", "source",
                      url=_text(record.get("url")))


def _text(value: Any) -> str:
    return value if isinstance(value, str) else "" if value is None else str(value)


def _record(record: dict[str, Any], where: str, text_key: str, title_key: str,
            date_key: str, source_key: str, *, url: str = "") -> ArticleText | ReadFailure:
    text = _text(record.get(text_key))
    if not text.strip():
        return ReadFailure(where, f"{where}: empty article (no {text_key!r})")
    if len(text.encode("utf-8", "surrogatepass")) > MAX_ARTICLE_BYTES:
        return ReadFailure(where, f"{where}: larger than "
                                  f"{MAX_ARTICLE_BYTES // (1024 * 1024)} MB")
    written = _text(record.get(date_key))
    date = corpus_date(written)
    warnings = (f"{where}: date {written!r} is not a date; the article's own is used",
                ) if written.strip() and date is None else ()
    composed = compose(text, title=_text(record.get(title_key)), date=date,
                       outlet=_text(record.get(source_key)))
    return ArticleText(composed, url or where, date, warnings)


def _csv_rows(lines: Iterable[str], name: str, columns: Columns, *, delimiter: str = ","
              ) -> Iterator[ArticleText | ReadFailure]:
    # An article is one field: csv's default limit (128 KB) would refuse a long one.
    if csv.field_size_limit() < MAX_ARTICLE_BYTES:
        csv.field_size_limit(MAX_ARTICLE_BYTES)
    reader = csv.DictReader(lines, delimiter=delimiter)
    fields = [f.strip() for f in reader.fieldnames or []]
    if columns.text not in fields:
        shown = ", ".join(fields[:8]) or "none"
        yield ReadFailure(name, f"{name}: no {columns.text!r} column (columns: {shown}); "
                                "name the text column with --text-column")
        return
    reader.fieldnames = fields
    number = 0  # rows are named by their number after the header: "fakes.csv#12"
    while True:
        number += 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            # The csv module cannot go on from a malformed row: the rest is lost.
            yield ReadFailure(f"{name}#{number}", f"{name}#{number}: {exc}; "
                                                  "the rows after it are not read")
            return
        yield _record(row, f"{name}#{number}", columns.text, columns.title, columns.date,
                      columns.source)
