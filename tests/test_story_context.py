"""A story's setting (geoaleppo.setting): its country and states read from its places,
"Town, State" pairs, and the small towns (geoaleppo.towns) that only a setting lets in.

The stories are written for the purpose in the styles of local US and Canadian papers
and of agency copy; none is taken from a corpus.
"""

from __future__ import annotations

import pytest
from conftest import placed
from hypothesis import given, settings
from hypothesis import strategies as st

from geoaleppo import towns
from geoaleppo.gazetteer import load
from geoaleppo.gold import resolve_gold
from geoaleppo.model import Place
from geoaleppo.reader import read_text
from geoaleppo.setting import (
    Setting,
    dotted_state,
    resolve_in,
    story_country,
    story_setting,
)


def _where(place: Place) -> tuple[str, str]:
    return place.country, place.admin1


def test_a_canadian_dateline_sets_london_in_ontario() -> None:
    text = ("LONDON, Ont. — Police in London said Tuesday a man was arrested after a "
            "break-in near the university. London police asked witnesses to call.")
    places = placed(text)
    assert {_where(p) for p in places["London"]} == {("CA", "08")}
    assert _where(places["LONDON"][0]) == ("CA", "08")


def test_a_kentucky_story_reads_edmonton_as_the_town_in_kentucky() -> None:
    # Edmonton, Kentucky has some 1,500 people: it is no city of the world extract, and
    # only the story's Kentucky cues let the small town in.
    text = ("EDMONTON, Ky. — The Metcalfe County fiscal court voted Monday to repave "
            "two roads. Judge-executive Greg Wilson said work in Edmonton would start "
            "in May, once the Barren County crews finish near Glasgow.")
    places = placed(text)
    for name in ("EDMONTON", "Edmonton"):
        (place,) = set(places[name])
        assert _where(place) == ("US", "KY") and place.id == "geonames:4290886"
        assert "cities500" in place.geometry_source  # sourced, and said where from
    assert places["Ky."][0].id == "us-ky"
    assert _where(places["Glasgow"][0]) == ("US", "KY")  # not Glasgow, Scotland


def test_without_kentucky_in_it_edmonton_is_the_city_in_alberta() -> None:
    text = "Officials in Edmonton said Tuesday the oil sands project would go ahead."
    (place,) = placed(text)["Edmonton"]
    assert _where(place) == ("CA", "01")


def test_a_town_two_states_share_is_read_in_the_state_the_story_names() -> None:
    story = ("{city} — Deputies in {state} arrested a man after a chase that ended near "
             "the county courthouse in Richmond, officials said. Richmond police helped.")
    in_kentucky = placed(story.format(city="LEXINGTON, Ky.", state="Kentucky"))
    in_indiana = placed(story.format(city="INDIANAPOLIS", state="Indiana"))
    assert {_where(p) for p in in_kentucky["Richmond"]} == {("US", "KY")}
    assert {_where(p) for p in in_indiana["Richmond"]} == {("US", "IN")}


def test_a_state_named_in_running_text_sets_the_story_in_the_us() -> None:
    # "Georgia" alone is the country; in a story about Atlanta's suburbs, the state.
    text = ("Schools in Georgia will reopen Monday. Officials in Atlanta and Gainesville "
            "said buses would run on time across Georgia.")
    places = placed(text)
    assert {p.id for p in places["Georgia"]} == {"us-ga"}
    assert _where(places["Gainesville"][0]) == ("US", "GA")


def test_a_list_of_cities_is_no_town_and_state_pair() -> None:
    # "Washington, New York and Boston": three cities, not Washington in New York State.
    text = ("The prince has visited Washington, New York and Boston this week, and will "
            "fly on to Houston, officials in New York said.")
    places = placed(text)
    assert places["Washington"][0].country == "US" and places["Washington"][0].admin1 != "NY"
    assert places["Boston"][0].admin1 == "MA"


def test_a_small_town_paired_with_its_province_is_found() -> None:
    places = placed("Flooding closed the highway near Hinton, Alta. on Monday.")
    (hinton,) = places["Hinton"]
    assert _where(hinton) == ("CA", "01") and hinton.population < 15_000


def test_a_small_town_is_never_found_without_its_setting() -> None:
    # "Hinton" read alone is a surname; no small town comes from a free-floating name.
    assert "Hinton" not in placed("Hinton said the plan would cost less than expected.")
    assert towns.lookup("Hinton", ("CA.01",))  # the town is there for a setting to find


def test_an_aleppo_story_keeps_its_districts_and_never_loads_the_towns() -> None:
    towns._extract.cache_clear()
    text = ("Government forces took al-Sukkari and shelled Bustan al-Qasr on Monday, "
            "the Syrian Observatory said, as talks went on in Geneva and Moscow.")
    places = placed(text)
    assert places["al-Sukkari"][0].country == "SY"
    assert places["Bustan al-Qasr"][0].country == "SY"
    assert towns._extract.cache_info().currsize == 0


def test_the_capital_keeps_its_name_in_a_state_story() -> None:
    gazetteer = load()
    capital = gazetteer.resolve("Washington, D.C.", context_country="US").place
    assert capital is not None
    kentucky = Setting("US", ("US.KY",))
    assert resolve_in("Washington", kentucky, gazetteer, current=capital) is None


def test_story_country_weighs_shared_names_by_share() -> None:
    gazetteer = load()
    text = "Georgia lawmakers met in Atlanta. Georgia's governor spoke."
    mentions = read_text(text).mentions
    assert story_country(mentions, "SY", gazetteer, text) == "US"


# Pairs of a US state and two of its towns of under 15,000 people (GeoNames).
_STATE_TOWNS = [
    ("Ky.", "KY", "Edmonton"), ("Ky.", "KY", "Paris"), ("Tenn.", "TN", "Rogersville"),
    ("Ga.", "GA", "Grovetown"), ("Fla.", "FL", "Chiefland"), ("Mich.", "MI", "Grand Ledge"),
]


@settings(max_examples=25, deadline=None)
@given(pair=st.sampled_from(_STATE_TOWNS),
       opening=st.sampled_from(["Police in {town}, {state} said", "A {town}, {state} man said",
                                "{upper}, {state} — Officials said"]),
       rest=st.sampled_from([" the road was closed.", " a fire destroyed a barn on Sunday.",
                             " the school board met Monday."]))
def test_any_town_state_pair_sets_the_town_in_its_state(
        pair: tuple[str, str, str], opening: str, rest: str) -> None:
    state, code, town = pair
    text = opening.format(town=town, upper=town.upper(), state=state) + rest
    found = [m for m in read_text(text).mentions
             if m.place is not None and m.text.lower() == town.lower()]
    assert found, text
    assert all(_where(m.place) == ("US", code) for m in found if m.place is not None), text


@settings(max_examples=20, deadline=None)
@given(name=st.sampled_from(["London", "Paris", "Glasgow", "Richmond", "Edmonton"]),
       filler=st.sampled_from(["officials said", "the council voted", "police said"]))
def test_a_name_set_by_its_pair_means_that_town_throughout(name: str, filler: str) -> None:
    text = f"{name.upper()}, Ky. — {filler} on Monday. Residents of {name} were told."
    found = [m.place for m in read_text(text).mentions
             if m.place is not None and m.text.lower() == name.lower()]
    assert len(found) == 2 and len({p.id for p in found}) == 1, text
    assert _where(found[0]) == ("US", "KY"), text


@pytest.mark.parametrize(("demonym", "country"), [("Syrian", "SY"), ("Georgian", "GE")])
def test_a_gold_demonym_is_its_country_not_a_loose_spelling(demonym: str, country: str) -> None:
    from geoaleppo.gold import resolve_gold

    place = resolve_gold(demonym, load(), "SY")
    assert place is not None and place.kind == "country" and place.country == country


def test_a_reading_with_a_small_town_reads_back_from_json() -> None:
    from geoaleppo.serialise import reading_from_json, reading_json

    gazetteer = load()
    reading = read_text("A fire destroyed a barn near Grovetown, Ga. on Sunday.",
                        gazetteer=gazetteer)
    assert any(m.place is not None and m.place.id == "geonames:4198514"
               for m in reading.mentions)
    again = reading_from_json(reading_json(reading), gazetteer)
    assert again.mentions == reading.mentions


@pytest.mark.parametrize(("dateline", "state"), [
    ("COLUMBUS, Ind.", "IN"),  # a state abbreviation that is a word without its stop
    ("CHARLESTON, W.Va.", "WV"),  # one of two letters and a stop, then two more
    ("SPRINGFIELD, Mass.", "MA"),
])
def test_a_dateline_abbreviation_sets_its_town_in_that_state(dateline: str,
                                                           state: str) -> None:
    name = dateline.split(",")[0].title()
    text = (f"{dateline} — The school board met Tuesday to weigh a new budget. Teachers "
            f"in {name} asked for more aides, and the board said it would answer soon.")
    places = placed(text)
    assert {_where(p) for p in places[name]} == {("US", state)}
    assert _where(places[dateline.split(", ")[1]][0]) == ("US", state)


def test_a_stop_makes_the_abbreviation_and_a_word_without_it_is_none() -> None:
    gazetteer = load()
    indiana = dotted_state("Ind.", gazetteer)
    assert indiana is not None and indiana.id == "us-in"
    assert dotted_state("Miss", gazetteer) is None  # a word, or a title
    assert dotted_state("Ont.", gazetteer) is None  # the gazetteer's own name for it


def test_a_landmark_with_an_everyday_name_does_not_set_a_story_in_syria() -> None:
    # "Town Hall" is also a landmark of Aleppo's; any town has one, so the story's
    # other places set it: in New Hampshire, where its Hanover and Lebanon are.
    text = ("Selectmen met at Town Hall on Monday to weigh the cost of a new fire truck. "
            "The chief said the truck now in service in Hanover was bought in 1994, and "
            "the crews of Lebanon, N.H., had offered to lend theirs.")
    places = placed(text)
    assert _where(places["Hanover"][0]) == ("US", "NH")
    assert _where(places["Lebanon"][0]) == ("US", "NH")  # the town, not the country


def test_a_syrian_place_named_outright_keeps_a_story_in_syria() -> None:
    text = ("Shelling hit the Town Hall of a village near Aleppo on Monday, and Russia "
            "and Turkey said talks in Moscow and Ankara would go on.")
    assert placed(text)["Aleppo"][0].country == "SY"
    reading = read_text(text)
    assert story_country(reading.mentions, "SY", load(), text) == "SY"


def test_a_shared_name_is_read_as_the_town_nearest_the_storys_sure_places() -> None:
    # Vermont has no Hanover; the one some 100 km from it is New Hampshire's, not the
    # larger one in Maryland that the name alone would give.
    text = ("Crews from Bethel, Vt., joined the search on Sunday, and volunteers drove "
            "up from Hanover to help.")
    (hanover,) = placed(text)["Hanover"]
    assert _where(hanover) == ("US", "NH")
    alone = placed("Volunteers drove up from Hanover to help with the search.")
    assert _where(alone["Hanover"][0]) != ("US", "NH")


def test_a_state_named_once_sets_the_story_and_lets_its_small_towns_in() -> None:
    gazetteer = load()
    text = ("A storm knocked out power across Minnesota on Monday. Linemen worked "
            "through the night in Parkers Prairie.")
    reading = read_text(text)
    country = story_country(reading.mentions, "SY", gazetteer, text)
    assert country == "US"
    where = story_setting(text, reading.mentions, gazetteer, country)
    assert where.divisions == ("US.MN",)
    town = resolve_gold("Parkers Prairie", gazetteer, country, where=where)
    assert town is not None and _where(town) == ("US", "MN")
