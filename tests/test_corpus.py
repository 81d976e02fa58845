"""Sources of articles: files, directories, CSV and JSON Lines corpora, standard input.

The corpora here are written for the tests, in the layouts the real ones use.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import pytest

from geoaleppo.corpus import ArticleText, Columns, corpus_date, iter_articles, read_sources
from geoaleppo.model import Reading
from geoaleppo.reader import ReadFailure

FAKES_HEADER = ["unit_id", "article_title", "article_content", "source", "date", "label"]
ROWS = [
    ["1", "Army advances in Aleppo", "Government forces captured Al Shaar on Sunday.",
     "sana", "11/28/16", "1"],
    ["2", "Empty row", "", "reuters", "11/29/16", "0"],
    ["3", "Shelling in the west", "Rebels shelled New Aleppo, killing three people.",
     "etilaf", "12/1/16", "1"],
]


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_a_fakes_layout_csv_is_read_row_by_row(tmp_path: Path) -> None:
    corpus = _write_csv(tmp_path / "reports.csv", FAKES_HEADER, ROWS)
    items = list(read_sources([corpus]))
    assert [type(item).__name__ for item in items] == ["Reading", "ReadFailure", "Reading"]
    first, failure, last = items
    assert isinstance(first, Reading) and isinstance(last, Reading)
    assert isinstance(failure, ReadFailure)
    assert failure.source == f"{corpus}#2" and "empty article" in failure.message
    assert (first.article.title, first.article.published, first.article.outlet) == (
        "Army advances in Aleppo", "2016-11-28", "sana")
    assert first.article.source == f"{corpus}#1"
    # The corpus's date is the report's own: "on Sunday" is the day before 28 November.
    assert [(e.type, e.date) for e in first.events if e.type == "capture"] == [
        ("capture", "2016-11-27")]
    assert last.article.published == "2016-12-01"


def test_other_csv_layouts_name_their_columns(tmp_path: Path) -> None:
    corpus = _write_csv(tmp_path / "other.csv", ["headline", "body", "when", "outlet"],
                        [["Clashes", "Clashes raged in Hanano.", "2016-11-20", "AFP"]])
    (refused,) = list(iter_articles([corpus]))
    assert isinstance(refused, ReadFailure) and "--text-column" in refused.message
    columns = Columns(text="body", title="headline", date="when", source="outlet")
    (item,) = list(iter_articles([corpus], columns=columns))
    assert isinstance(item, ArticleText)
    assert item.published == "2016-11-20"
    assert item.text.startswith("Clashes\n2016-11-20\nSource: AFP\n\n")


def test_json_lines_with_a_bad_line_in_the_middle(tmp_path: Path) -> None:
    corpus = tmp_path / "reports.jsonl"
    corpus.write_text("\n".join([
        json.dumps({"title": "One", "text": "Clashes raged in Hanano.", "date": "2016-11-20",
                    "source": "Reuters", "url": "https://example.org/1"}),
        "{not json",
        json.dumps({"title": "Two", "text": "Rebels shelled New Aleppo.", "date": "11/21/16",
                    "source": "AFP"}),
    ]) + "\n", "utf-8")
    items = list(iter_articles([corpus]))
    assert [type(item).__name__ for item in items] == ["ArticleText", "ReadFailure",
                                                       "ArticleText"]
    first, bad, last = items
    assert isinstance(first, ArticleText) and isinstance(last, ArticleText)
    assert first.source == "https://example.org/1"
    assert isinstance(bad, ReadFailure) and bad.source == f"{corpus}#2"
    assert last.published == "2016-11-21" and last.source == f"{corpus}#3"


def test_a_directory_is_every_article_and_corpus_under_it(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text("Clashes raged in Hanano.\n", "utf-8")
    (tmp_path / "a.md").write_text("Rebels shelled New Aleppo.\n", "utf-8")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    (tmp_path / ".hidden.txt").write_text("Clashes.\n", "utf-8")
    (tmp_path / "sub").mkdir()
    _write_csv(tmp_path / "sub" / "c.csv", FAKES_HEADER, ROWS[:1])
    sources = [item.source for item in iter_articles([tmp_path])]
    assert sources == [str(tmp_path / "a.md"), str(tmp_path / "b.txt"),
                       f"{tmp_path / 'sub' / 'c.csv'}#1"]


def test_a_missing_file_is_reported_and_the_rest_still_come_out(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("Clashes raged in Hanano.\n", "utf-8")
    items = list(iter_articles([tmp_path / "missing.txt", good]))
    assert isinstance(items[0], ReadFailure) and "no such file" in items[0].message
    assert isinstance(items[1], ArticleText)


@pytest.mark.parametrize(("data", "kinds"), [
    (b"Clashes raged in Hanano.\n", ["ArticleText"]),
    (b'{"title": "One", "text": "Clashes raged in Hanano.", "date": "2016-11-20"}\n'
     b'{"title": "Two", "text": "Rebels shelled New Aleppo."}\n', ["ArticleText"] * 2),
    (b"article_title,article_content,source,date\nOne,Clashes raged in Hanano.,sana,"
     b"11/28/16\n", ["ArticleText"]),
])
def test_standard_input_is_an_article_or_a_corpus(monkeypatch: pytest.MonkeyPatch,
                                                  data: bytes, kinds: list[str]) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    assert [type(item).__name__ for item in iter_articles(["-"])] == kinds


def test_corpus_dates() -> None:
    assert corpus_date("4/16/17") == "2017-04-16"
    assert corpus_date("12/1/2016") == "2016-12-01"
    assert corpus_date("2016-12-05T10:00:00Z") == "2016-12-05"
    assert corpus_date("13/45/16") is None
    assert corpus_date("") is None
