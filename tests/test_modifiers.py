"""Demonyms and place names that qualify a noun ("Russian jets", "the Aleppo-based group").

They are mentions of their own kind, role ``modifier``, resolved to the country or the
place, reported and exported, but never on a map, never an event's place, never in a
control claim. Each sentence is written for the purpose in the manner of a news agency,
Syrian state media or an opposition statement; the property tests put any country's
demonym, and any country's name in a compound, into the same slots.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from geoaleppo import gazetteer
from geoaleppo.cli import app
from geoaleppo.evaluate import evaluate
from geoaleppo.exports import write_export
from geoaleppo.maps import map_document
from geoaleppo.model import Mention, Reading
from geoaleppo.modifiers import demonym_countries
from geoaleppo.reader import read_text
from tests.test_evaluate import gwn_corpus, gwn_toponym, write

PUBLISHED = "2016-12-05"


@lru_cache(maxsize=1)
def _index() -> gazetteer.Gazetteer:
    return gazetteer.load()


def _read(text: str) -> Reading:
    return read_text(text, published=PUBLISHED, gazetteer=_index())


def modifiers_of(text: str) -> list[tuple[str, str]]:
    """Each modifier's text and the id of its place, in text order."""
    return [(m.text, m.place.id) for m in _read(text).mentions
            if m.role == "modifier" and m.place is not None]


def _mention(reading: Reading, text: str) -> Mention:
    return next(m for m in reading.mentions if m.text == text)


@pytest.mark.parametrize(("text", "expected"), [
    # news agency
    ("Russian and Syrian warplanes pounded rebel-held districts of eastern Aleppo on "
     "Tuesday, the Britain-based Syrian Observatory for Human Rights said.",
     [("Russian", "russia"), ("Syrian", "syria"), ("Britain", "united-kingdom"),
      ("Syrian", "syria")]),
    ("U.S.-backed rebels said Turkish troops had crossed the border overnight.",
     [("U.S.", "united-states"), ("Turkish", "turkey")]),
    ("The attack strained Russia-Turkey ties, a Turkish official told Reuters.",
     [("Russia", "russia"), ("Turkey", "turkey"), ("Turkish", "turkey")]),
    ("A 34-year-old German who fought with the rebels was detained by a Lebanese patrol.",
     [("German", "germany"), ("Lebanese", "lebanon")]),
    # state media
    ("Army units, backed by the Russian air force, restored security to al-Sukkari "
     "neighborhood after eliminating Turkish-backed terrorists, SANA reported.",
     [("Russian", "russia"), ("Turkish", "turkey")]),
    ("Iran-backed allied forces and the Syrian Arab Army repelled an attack by "
     "Saudi-funded groups.", [("Iran", "iran"), ("Syrian", "syria")]),
    # opposition
    ("The Aleppo-based civil defence said Iranian militias and Lebanese Hezbollah "
     "fighters shelled the Fardous district.",
     [("Aleppo", "aleppo"), ("Iranian", "iran"), ("Lebanese", "lebanon")]),
    ("Opposition activists accused the pro-Russian media of lying about European aid.",
     [("Russian", "russia"), ("European", "europe")]),
])
def test_demonyms_and_compounds_are_modifiers_of_their_place(
        text: str, expected: list[tuple[str, str]]) -> None:
    assert modifiers_of(text) == expected


@pytest.mark.parametrize("text", [
    # languages
    "The gunman shouted in Turkish, and the crowd fled.",
    "She spoke only French and Arabic at home.",
    "The leaflets were translated into Russian.",
    "Hundreds of French speakers attended.",
    # a person, a people, a name, an organisation, a sea, a place the gazetteer lacks
    "French said the report was wrong.",
    "Thousands of Syrians fleeing the fighting crossed the border.",
    "Native American groups protested outside the courthouse.",
    "The American Heart Association and British Airways issued statements.",
    "The search in the Indian Ocean resumed on Monday.",
    "A student was picked up at a school in Miami-Dade County.",
    "Sheila Jackson-Lee spoke on the floor of the House.",
    # common words
    "They ate turkey and watched the parade.",
])
def test_what_is_no_modifier(text: str) -> None:
    assert modifiers_of(text) == []


def test_a_demonym_that_is_a_common_word_counts_only_as_an_adjective() -> None:
    text = "Polish the brass before the ceremony, the Polish envoy said."
    assert modifiers_of(text) == [("Polish", "poland")]


@pytest.mark.parametrize(("text", "expected"), [
    ("South Korean and Sri Lankan envoys met Saudi Arabian officials.",
     [("South Korean", "south-korea"), ("Sri Lankan", "sri-lanka"),
      ("Saudi Arabian", "saudi-arabia")]),
    ("Thai warplanes and New Zealander volunteers arrived.",
     [("Thai", "thailand"), ("New Zealander", "new-zealand")]),
])
def test_demonyms_of_several_words_or_listed_as_names(
        text: str, expected: list[tuple[str, str]]) -> None:
    assert modifiers_of(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("London Police have arrested two men, the Winnipeg Free Press reported.",
     ["London", "Winnipeg"]),
    ("Hansen told CTV Winnipeg that Montreal Mayor Denis Coderre had called.",
     ["Winnipeg", "Montreal"]),
    ("Dr. Lilly, medical director of the Toronto General Hospital clinic, said so.",
     ["Toronto"]),
    ("Calgary MLA Sandra Jansen drew a standing ovation.", ["Calgary"]),
    # a person, a university or school named for someone, a town far away, a region
    ("Paris Hilton and Washington Irving arrived.", []),
    ("She taught at Columbia University and at George Washington High School.", []),
    ("The crash is under investigation by the Metro Police, officials said.", []),
    ("Records are kept at the Central Community Service Center.", []),
])
def test_a_city_that_names_an_institution_is_its_modifier(
        text: str, expected: list[str]) -> None:
    assert [name for name, _place in modifiers_of(text)] == expected


def test_a_place_before_based_keeps_its_whole_name() -> None:
    found = dict(modifiers_of("The Hong Kong-based group and Salt Lake City-based firms "
                              "met in Damascus."))
    assert set(found) == {"Hong Kong", "Salt Lake City"}


def test_a_modifier_is_never_an_events_place() -> None:
    located = _read("Aleppo-based activists said Russian warplanes struck al-Sukkari on "
                    "Monday.")
    assert [e.place.id for e in located.events if e.place] == ["as-sukkari"]
    unlocated = _read("Sukkari-based rescuers said Syrian jets carried out air strikes on "
                      "Monday.")
    modifier = _mention(unlocated, "Sukkari")
    assert modifier.role == "modifier"
    assert modifier.place is not None and modifier.place.id == "as-sukkari"
    assert unlocated.events
    assert all(e.place is None or e.place.id != "as-sukkari" for e in unlocated.events)


def test_a_modifier_claims_no_control() -> None:
    reading = _read("Sukkari-based rebels said government forces captured al-Fardos.")
    assert "as-sukkari" not in {c.place.id for c in reading.control}
    assert "al-fardos" in {c.place.id for c in reading.control}


def test_a_modifier_is_never_drawn_on_the_map() -> None:
    reading = _read("Sukkari-based activists said clashes raged in al-Fardos on Monday.")
    assert [m.role for m in reading.mentions if m.text == "Sukkari"] == ["modifier"]
    document = map_document([reading], _index())
    drawn = " ".join(f["properties"]["tooltip"] for f in document["places"])
    drawn += " ".join(f["properties"]["tooltip"] for layer in document["eventLayers"]
                      for f in layer["features"])
    assert "al-Fardos" in drawn
    assert "Sukkari" not in drawn
    # Every neighbourhood has its small label; only the places named get one at every zoom.
    named = [label["text"] for label in document["labels"] if not label["minor"]]
    assert "al-Fardos" in named
    assert not any("Sukkari" in name for name in named)


def test_a_modifier_is_in_the_json_and_the_exported_mentions_layer(tmp_path: Path) -> None:
    reading = _read("Turkish-backed rebels shelled al-Fardos on Monday.")
    output = tmp_path / "out.geojson"
    write_export([reading], output)
    features = json.loads(output.read_text("utf-8"))["features"]
    mentions = [f["properties"] for f in features if f["properties"]["layer"] == "mention"]
    assert {(p["text"], p["role"], p["place_id"]) for p in mentions} >= {
        ("Turkish", "modifier", "turkey"), ("al-Fardos", "location", "al-fardos")}


def test_parse_shows_modifiers_apart(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_text("Russian jets struck al-Fardos on Monday, the Aleppo-based civil "
                    "defence said.\n", "utf-8")
    result = CliRunner(env={"COLUMNS": "100"}).invoke(app, ["parse", str(path)])
    assert result.exit_code == 0, result.output
    assert "2 qualifying a noun, kept off the map (Aleppo, Russian)" in result.output
    data = json.loads(CliRunner().invoke(app, ["parse", str(path), "--json"]).output)
    assert {(m["text"], m["role"]) for m in data["mentions"]} >= {
        ("Russian", "modifier"), ("Aleppo", "modifier")}


def test_evaluate_counts_a_modifier_in_every_role_but_not_as_metonymy(tmp_path: Path) -> None:
    text = "U.S.-backed rebels attacked Aleppo, and Russian jets replied."
    path = write(tmp_path, "GWN.xml", gwn_corpus((text, [
        gwn_toponym("U.S.", text.index("U.S."), "Metonymic"),
        gwn_toponym("Aleppo", text.index("Aleppo"), "Literal"),
        gwn_toponym("Russian", text.index("Russian"), "Non_Literal_Modifier"),
    ])))
    report = evaluate(path)
    every = next(d for d in report.detection if d.label == "every role vs every gold toponym")
    assert (every.gold, every.matched) == (3, 3)
    assert report.metonymy is not None and report.metonymy.n == 1  # Aleppo alone
    assert report.role_errors == ()


# -- any country in the slot ------------------------------------------------------------
def _demonyms() -> list[tuple[str, str]]:
    """Each one-word demonym that is not also its place's own name ("Djibouti")."""
    return sorted((key.capitalize(), place.id)
                  for key, place in demonym_countries(_index()).items()
                  if key.isalpha() and key != place.title.lower())


def _one_word_countries() -> list[tuple[str, str]]:
    return sorted((place.title, place.id) for place in _index()
                  if place.kind == "country" and place.title.isalpha())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(demonym=st.sampled_from(_demonyms()),
       template=st.sampled_from([
           "{d} warplanes struck al-Sukkari on Monday, activists said.",
           "Army units repelled an attack by {d}-backed terrorists in al-Sukkari, SANA said.",
           "The rebels said {d} advisers were seen in al-Sukkari.",
       ]))
def test_any_demonym_qualifying_a_noun_is_its_countrys_modifier(
        demonym: tuple[str, str], template: str) -> None:
    word, place_id = demonym
    reading = _read(template.format(d=word))
    found = [m for m in reading.mentions if m.text == word]
    assert [(m.role, m.place.id if m.place else None) for m in found] == [
        ("modifier", place_id)]
    sukkari = _mention(reading, "al-Sukkari")
    assert sukkari.role == "location"
    assert all(e.place is None or e.place.id != place_id for e in reading.events)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(country=st.sampled_from(_one_word_countries()),
       suffix=st.sampled_from(["based", "backed", "led"]))
def test_any_country_before_a_hyphen_is_its_modifier(
        country: tuple[str, str], suffix: str) -> None:
    name, place_id = country
    reading = _read(f"The {name}-{suffix} group said rebels shelled al-Fardos.")
    found = [m for m in reading.mentions if m.text == name]
    assert [(m.role, m.place.id if m.place else None) for m in found] == [
        ("modifier", place_id)]
    assert _mention(reading, "al-Fardos").role == "location"
