"""Resolution given the gold toponyms (``geoaleppo evaluate --gold-toponyms``), on small
corpora written for the purpose in the TR-News/LGL and GeoWebNews schemas."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from geoaleppo.cli import app
from geoaleppo.gazetteer import load
from geoaleppo.gold import evaluate_gold, resolve_gold
from tests.test_evaluate import gwn_corpus, gwn_toponym, lgl_corpus, lgl_toponym, write

# GeoNames ids and points of the places the texts name.
ONTARIO_PROVINCE = (6093943, 49.25014, -84.49983)
TORONTO = (6167865, 43.70011, -79.4163)
TURKEY = (298795, 39.0, 35.0)
ALEPPO = (170063, 36.20124, 37.16117)
MOSCOW = (524901, 55.75222, 37.61556)

CANADIAN = ("Flooding closed roads across Ontario on Monday, officials in Toronto said, "
            "and crews from Ottawa were sent to help.")
SYRIAN = "Turkish artillery shelled villages north of Aleppo, and Moscow said it would respond."


def _toponym(text: str, phrase: str, gold: tuple[int, float, float]) -> str:
    return lgl_toponym(phrase, text.index(phrase), *gold)


def test_each_gold_toponym_is_resolved_in_its_storys_country(tmp_path: Path) -> None:
    # Ontario, California is a city; in a story about Canada it is the province.
    corpus = write(tmp_path, "TR-News.xml", lgl_corpus(
        (CANADIAN, [_toponym(CANADIAN, "Ontario", ONTARIO_PROVINCE),
                    _toponym(CANADIAN, "Toronto", TORONTO)]),
    ))
    report = evaluate_gold(corpus)
    assert (report.toponyms, report.with_id, report.exact) == (2, 2, 2)
    assert report.within_rate(161.0) == 1.0
    assert report.published == (0.843, 0.873)


def test_a_demonym_resolves_to_its_country_and_a_wrong_point_is_a_miss(tmp_path: Path) -> None:
    wrong_moscow = (5601538, 46.73239, -117.00017)  # Moscow, Idaho: not what the story means
    corpus = write(tmp_path, "LGL.xml", lgl_corpus(
        (SYRIAN, [_toponym(SYRIAN, "Turkish", TURKEY), _toponym(SYRIAN, "Aleppo", ALEPPO),
                  _toponym(SYRIAN, "Moscow", wrong_moscow)]),
    ))
    report = evaluate_gold(corpus)
    assert report.exact == 2 and report.with_id == 3
    assert report.within_rate(161.0) == 2 / 3
    assert report.misses == (("Moscow -> Moscow, RU [geonames:524901]", 1),)


def test_unresolved_toponyms_count_against_and_untagged_ones_are_left_out(
        tmp_path: Path) -> None:
    text = "Residents of Zzyzxville fled to Aleppo."
    corpus = write(tmp_path, "GWN.xml", gwn_corpus((text, [
        gwn_toponym("Zzyzxville", text.index("Zzyzxville"), "Literal", 1, 35.0, 37.0),
        gwn_toponym("Aleppo", text.index("Aleppo"), "Literal", *ALEPPO),
        gwn_toponym("Residents", 0, "Non_Toponym"),  # no coordinates: not scored
    ])))
    report = evaluate_gold(corpus)
    assert (report.toponyms, report.unresolved, report.exact) == (2, 1, 1)
    assert report.exact_rate == 0.5


def test_resolve_gold_ranks_for_the_story_country() -> None:
    gazetteer = load()
    ontario = resolve_gold("Ontario", gazetteer, "CA")
    damascus = resolve_gold("Damascus", gazetteer, "SY")
    assert ontario is not None and ontario.id == "ca-ontario-6093943"
    assert damascus is not None and damascus.id == "geonames:170654"
    assert resolve_gold("", gazetteer, "SY") is None


def test_cli_prints_the_table_beside_mordecais_figures(tmp_path: Path) -> None:
    corpus = write(tmp_path, "GWN.xml", gwn_corpus((SYRIAN, [
        gwn_toponym("Aleppo", SYRIAN.index("Aleppo"), "Literal", *ALEPPO),
        gwn_toponym("Moscow", SYRIAN.index("Moscow"), "Metonymic", *MOSCOW),
    ])))
    runner = CliRunner()
    result = runner.invoke(app, ["evaluate", str(corpus), "--gold-toponyms", "--errors"])
    assert result.exit_code == 0, result.output
    assert "resolution given the gold toponyms" in result.output
    row = next(line for line in result.output.splitlines()
               if line.startswith("exact GeoNames match"))
    assert row.split()[3:5] == ["1.000", "0.901"]
    assert "(none)" in result.output  # no misses
    as_json = runner.invoke(app, ["evaluate", str(corpus), "--gold-toponyms", "--json"])
    document = json.loads(as_json.output)
    assert document["exact_rate"] == 1.0
    assert document["mordecai3"] == {"exact_rate": 0.901, "within_161_km": 0.941}


GAINESVILLE_GEORGIA = (4196586, 34.29788, -83.82407)


def test_a_name_qualifying_a_noun_is_read_in_the_storys_state(tmp_path: Path) -> None:
    # The reader reads "the Gainesville Water Department" in the story's country alone
    # (Gainesville, Florida, the largest); the gold toponym is still the Georgia town.
    text = ("GAINESVILLE, Ga. -- A water main broke near the square in Gainesville on "
            "Monday. Staff of the Gainesville Water Department worked through the night, "
            "and schools in Hall County stayed open.")
    second = text.index("Gainesville Water")
    corpus = write(tmp_path, "LGL.xml", lgl_corpus((text, [
        lgl_toponym("Gainesville", second, *GAINESVILLE_GEORGIA),
    ])))
    report = evaluate_gold(corpus)
    assert (report.toponyms, report.exact) == (1, 1), report.misses


def test_a_gold_state_abbreviation_with_its_stop_is_the_state() -> None:
    gazetteer = load()
    illinois = resolve_gold("Ill.", gazetteer, "US")
    assert illinois is not None and illinois.id == "us-il"
