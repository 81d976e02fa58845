"""Reading real-world input: headers and dates, messy copy, bad files, the parse command."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from geoaleppo.cli import app
from geoaleppo.errors import ArticleError
from geoaleppo.reader import read_file, read_text
from geoaleppo.text import parse_date, relative_dates

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "maps" / "aleppo-2016-12-05.txt"
runner = CliRunner(env={"COLUMNS": "100"})


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("World Monday 05/December/2016 20:06 PM", dt.date(2016, 12, 5)),
        ("November 4 2016 | Aleppo", dt.date(2016, 11, 4)),
        ("Thu Dec 15 2016 10:02:00 GMT", dt.date(2016, 12, 15)),
        ("Posted 2016-12-13T08:00Z", dt.date(2016, 12, 13)),
        ("13 December, 2016", dt.date(2016, 12, 13)),
        ("no date here", None),
    ],
)
def test_publication_dates_in_the_forms_outlets_use(header: str, expected: dt.date) -> None:
    assert parse_date(header) == expected


def test_relative_days_resolve_against_publication() -> None:
    monday = dt.date(2016, 12, 5)
    found = {d.text.lower(): d for d in relative_dates(
        "advances on Sunday, fighting yesterday, deaths since mid-November, talks today",
        monday)}
    assert found["on sunday"].start == dt.date(2016, 12, 4)
    assert found["yesterday"].start == dt.date(2016, 12, 4)
    assert (found["since mid-november"].start, found["since mid-november"].end) == (
        dt.date(2016, 11, 15), monday)
    assert found["today"].start == monday


def test_date_comes_from_the_header_before_the_option() -> None:
    reading = read_text(SEED.read_text("utf-8"), published="2020-01-01")
    assert reading.article.published == "2016-12-05"


def test_date_option_fills_in_when_the_text_has_none() -> None:
    reading = read_text("Clashes raged in Sakhour on Sunday, state TV said.",
                        published="2016-11-28")
    assert reading.article.published == "2016-11-28"
    assert reading.events[0].date == "2016-11-27"
    assert reading.events[0].place.id == "as-sakhour"


def test_unknown_date_is_reported_as_unknown() -> None:
    reading = read_text("Clashes raged in Sakhour, state TV said.")
    assert reading.article.published is None
    assert reading.events[0].date is None


def test_state_media_vocabulary() -> None:
    reading = read_text(
        "Army units restored security and stability to Sheikh Saeed neighborhood in Aleppo "
        "after eliminating the last terrorist gatherings there, a military source told SANA.",
        published="2016-12-12",
    )
    event = reading.events[0]
    assert (event.type, event.place.id) == ("capture", "sheikh-saeed")
    assert event.actors[0] == "Syrian government forces and allies"


def test_scraped_copy_without_punctuation() -> None:
    reading = read_text("Syrias army advanced in Sakhour Shaar Jabal Badro Ard Alhamra on Sunday",
                        published="2016-11-28")
    found = {m.place.id for m in reading.mentions if m.place}
    assert {"as-sakhour", "jabal-badro", "ard-al-hamra"} <= found


def test_metonymy_in_other_outlets_words() -> None:
    reading = read_text(
        "Moscow said it would keep backing the offensive. The Kremlin and Ankara held talks "
        "with Tehran. Fighting continued in Aleppo, where Turkey has no troops.",
        published="2016-12-10",
    )
    roles = {m.text: m.role for m in reading.mentions}
    assert roles["Moscow"] == "actor"
    assert roles["Tehran"] == "actor"
    assert roles["Aleppo"] == "location"


def test_html_in_an_article_is_kept_as_text() -> None:
    text = 'Clashes in <b>Al Shaar</b> <script>alert(1)</script> on Sunday, state TV said.'
    reading = read_text(text, published="2016-12-05")
    mention = next(m for m in reading.mentions if m.place and m.place.id == "ash-shaar")
    assert text[mention.start : mention.end] == mention.text == "Al Shaar"
    assert "<script>" in reading.events[0].sentence


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("Al Shaar Aleppo the citadel, . \n'’-حلب")),
               max_size=300))
def test_any_text_reads_with_true_offsets(text: str) -> None:
    reading = read_text(text or "x", published="2016-12-05")
    for mention in reading.mentions:
        assert (text or "x")[mention.start : mention.end] == mention.text


# -- bad files ---------------------------------------------------------------------------
def test_empty_binary_and_missing_files_are_refused(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", "utf-8")
    binary = tmp_path / "image.bin"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    for path, reason in ((empty, "empty article"), (binary, "binary file"),
                         (tmp_path / "missing.txt", "no such file")):
        with pytest.raises(ArticleError, match=reason):
            read_file(path)


def test_non_utf8_is_decoded_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("Clashes in Al Shaar \u2013 caf\u00e9 on Sunday.".encode("cp1252"))
    reading = read_file(path, published="2016-12-05")
    assert reading.warnings and "not valid UTF-8" in reading.warnings[0]
    assert any(m.place and m.place.id == "ash-shaar" for m in reading.mentions)


# -- the parse command -------------------------------------------------------------------
def test_parse_json_of_the_seed() -> None:
    result = runner.invoke(app, ["parse", str(SEED), "--json"])
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert document["article"]["published"] == "2016-12-05"
    assert {"mentions", "unresolved", "events", "control"} <= set(document)


def test_parse_reads_stdin_and_takes_a_date() -> None:
    result = runner.invoke(app, ["parse", "-", "--date", "2016-11-28", "--jsonl"],
                           input="Clashes raged in Sakhour on Sunday, state TV said.\n")
    assert result.exit_code == 0
    line = json.loads(result.stdout.strip())
    assert line["events"][0]["date"] == "2016-11-27"


def test_one_bad_file_in_a_batch(tmp_path: Path) -> None:
    result = runner.invoke(app, ["parse", str(tmp_path / "missing.txt"), str(SEED), "--jsonl"])
    assert result.exit_code == 1
    assert len(result.stdout.strip().splitlines()) == 1
    assert "missing.txt: no such file" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_date_option_is_a_usage_error() -> None:
    result = runner.invoke(app, ["parse", str(SEED), "--date", "5/12/2016"])
    assert result.exit_code == 2
    assert "not a date" in result.stderr


def test_unresolved_places_come_with_suggestions() -> None:
    reading = read_text("Heavy fighting was reported in the Sakhur al-Jadida neighbourhood.",
                        published="2016-11-28")
    assert any("Sakhur" in u.text for u in reading.unresolved) or any(
        m.place and m.place.id == "as-sakhour" for m in reading.mentions)


def test_module_entry_point_parses() -> None:
    completed = subprocess.run([sys.executable, "-m", "geoaleppo", "parse", str(SEED)],
                               capture_output=True, text=True, check=False)
    assert completed.returncode == 0
    assert "Russia to start talks" in completed.stdout


@pytest.mark.parametrize("indent", [2, None])
def test_streamed_json_is_the_same_text_as_whole_json(indent: int | None) -> None:
    import io

    from geoaleppo.serialise import dumps, reading_json, write_reading

    reading = read_file(SEED)
    stream = io.StringIO()
    write_reading(reading, stream, indent=indent)
    assert stream.getvalue() == dumps(reading_json(reading), indent=indent)


def test_spatial_expressions_become_derived_areas() -> None:
    from shapely.geometry import Point

    from geoaleppo import gazetteer as gz

    reading = read_text(
        "Shelling hit areas west of the citadel. Fighting raged between Al Shaar and "
        "Tariq al-Bab. Clashes were reported east of Texas.",
        published="2016-12-05",
    )
    rules = {m.text.removeprefix("the "): m.derived.rule for m in reading.mentions if m.derived}
    assert rules.get("citadel") == "direction-of"
    assert rules.get("Al Shaar") == "between"
    assert "Texas" not in rules  # a state is wider than any quarter-circle west of it
    west = next(m.derived for m in reading.mentions
                if m.derived and m.text.endswith("citadel"))
    citadel = gz.load().get("aleppo-citadel")
    assert west.lon < citadel.lon
    assert not citadel.geometry.contains(Point(west.lon, west.lat))


@pytest.mark.parametrize(
    ("text", "place_id"),
    [
        ("Heavy fighting in al-Sha'ar on Sunday.", "ash-shaar"),
        ("Shells fell on as-Sukkari.", "as-sukkari"),
        ("Clashes in ash-Sheikh Maqsoud.", "ash-sheikh-maqsoud"),
        ("Government troops entered Masakin Hanano.", "hanano"),
        ("Rebels pulled back from Karm al-Tahhan and Karm al-Myassar.", "karm-al-myassar"),
        ("الاشتباكات في حي الشعار", "ash-shaar"),
    ],
)
def test_spellings_of_real_reporting_are_found_in_running_text(text: str, place_id: str) -> None:
    reading = read_text(text, published="2016-12-05")
    assert place_id in {m.place.id for m in reading.mentions if m.place}


def test_a_story_elsewhere_puts_its_events_elsewhere() -> None:
    reading = read_text(
        "Envoy shot in Ankara\nDecember 19 2016\n\n"
        "A gunman shot the Russian ambassador at an exhibition in Ankara on Monday. "
        "Three other people were wounded in the attack, authorities said. "
        "He had shouted slogans about Syria. "
        "The White House condemned the attack.\n"
    )
    places = {e.place.id for e in reading.events if e.place}
    assert places == {"geonames:323786"}  # Ankara, not Aleppo
    # The White House is the United States speaking, not GeoNames' White House (Casablanca).
    assert all(m.role == "actor" and m.place is not None and m.place.id == "united-states"
               for m in reading.mentions if m.text == "White House")


def test_business_deals_are_not_war_negotiations() -> None:
    reading = read_text("In 2011, Exxon signed a deal with Rosneft in Moscow.",
                        published="2016-12-13")
    assert not any(e.type == "negotiations" for e in reading.events)
    truce = read_text("Rebels and the government agreed a truce for eastern Aleppo.",
                      published="2016-12-13")
    assert any(e.type == "negotiations" for e in truce.events)


def test_a_minister_named_suleyman_is_not_a_district() -> None:
    reading = read_text("Interior Minister Suleyman Soylu said the gunman acted alone.",
                        published="2016-12-19")
    assert not any(m.place and m.place.kind == "district" for m in reading.mentions)


def test_an_opposition_statement() -> None:
    reading = read_text(
        "Statement of the Levant Front\nTuesday 29 November 2016\n\n"
        "The revolutionaries repelled an attempt by Assad militias and Iranian militias to "
        "storm the Sheikh Saeed neighbourhood on Monday. Russian occupation bombers "
        "committed a massacre in al-Shaar, killing 25 civilians, the media office said.\n"
    )
    kinds = {(e.type, e.place.id if e.place else None) for e in reading.events}
    assert ("clash", "sheikh-saeed") in kinds  # "repelled an attempt to storm"
    strike = next(e for e in reading.events if e.place and e.place.id == "ash-shaar")
    assert strike.type in {"air strike", "attack"}
    assert strike.fatalities == 25
    assert "Russia" in strike.actors
    assert any("Syrian government forces and allies" in e.actors for e in reading.events)


def test_a_state_media_report() -> None:
    reading = read_text(
        "Army units liberate Karm al-Tahhan\nDamascus, SANA 04/December/2016\n\n"
        "Army units, in cooperation with supporting forces, restored security and stability "
        "to Karm al-Myassar and the eye hospital in Aleppo city on Sunday after eliminating "
        "the last terrorist gatherings there, a military source told SANA.\n"
    )
    captures = [e for e in reading.events if e.type == "capture"]
    assert {e.place.id for e in captures} >= {"karm-al-myassar", "aleppo-eye-hospital"}
    assert all(e.actors[0] == "Syrian government forces and allies" for e in captures)
    assert all(e.date == "2016-12-04" for e in captures)
    assert captures[0].claimant == "Syrian army"
