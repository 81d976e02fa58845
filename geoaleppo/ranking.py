"""Ranking the places a name may mean: the one order for ``resolve`` and the reader.

A candidate's rank is how it matched (:data:`METHODS`), its score, whether it lies in
the story's country, and the size of the unit it names; a world town outside the story's
country never comes before a place in it, and a far town that matched only one of its
alternate names is no reading at all (:func:`out_of_context`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from geoaleppo.model import Candidate, Place

# How a name matched, strongest first; the rank orders candidates.
METHODS = ("exact", "variant", "skeleton", "fuzzy")

# Among equally good matches, a name most often means the larger unit a reporter would
# name: "Bab al-Hadid" is the district before the gate it is named after.
_KIND_PREFERENCE = {"country": 0, "city": 1, "area": 2, "district": 3, "region": 4, "landmark": 5}


# A world city this small, matched only by one of its alternate names, is no reading of a
# name in a story about a country far from it: "Castello" in a Syrian story is not
# Castelló de la Plana, though GeoNames lists the name.
_ALTERNATE_NAME_CITY = 1_000_000


def far_world_city(candidate: Candidate, context_country: str | None) -> bool:
    """Whether a candidate is a world city outside the story's country and its neighbours."""
    place = candidate.place
    if not context_country or not place.id.startswith("geonames:"):
        return False
    from geoaleppo import world

    return not world.near_country(place.country, context_country)


def _foreign_town(candidate: Candidate, context_country: str | None) -> bool:
    place = candidate.place
    return bool(context_country) and place.id.startswith("geonames:") and (
        place.country != context_country)


def out_of_context(candidate: Candidate, context_country: str | None) -> bool:
    """A far world city (:func:`far_world_city`) of under a million people that matched
    only one of its alternate names: the story's context rules it out."""
    return (
        candidate.score < 1.0
        and candidate.place.population < _ALTERNATE_NAME_CITY
        and far_world_city(candidate, context_country)
    )


def rank_key(candidate: Candidate, context_country: str | None) -> tuple[Any, ...]:
    """How good a candidate is, best lowest: the one ranking of candidates, for
    :meth:`Gazetteer.resolve` and the reader alike.

    The stronger match method first, then the higher score, a place in the story's
    country (``context_country``), the larger unit (:func:`_size_rank`), and the id to
    break ties.
    """
    place = candidate.place
    return (
        METHODS.index(candidate.method) if candidate.method in METHODS else len(METHODS),
        -candidate.score,
        0 if context_country and place.country == context_country else 1,
        *_size_rank(place),
        place.id,
    )


def _size_rank(place: Place) -> tuple[int, int]:
    """Countries and continents first, then cities and first-level divisions by how many
    people live there (Ontario the province before Ontario, California; the continent
    before Asia, a town in the Philippines), then the other kinds by preference."""
    if place.kind == "country" or (place.kind == "region" and not place.country):
        return 0, 0
    if place.kind in {"city", "region"}:
        return 1, -place.population
    return 2 + _KIND_PREFERENCE.get(place.kind, 9), -place.population


def ranked(candidates: Iterable[Candidate], context_country: str | None) -> list[Candidate]:
    """``candidates`` best first (see :func:`rank_key`), except that a world town outside
    the story's country (under a million people) never comes before a place in it,
    however it matched: in a Syrian story "Ferdous" is al-Fardos, not the town in Iran,
    and "Hamdaniya" the district, not the town in Iraq."""
    ordered = sorted(candidates, key=lambda c: rank_key(c, context_country))
    if (ordered and _foreign_town(ordered[0], context_country)
            and ordered[0].place.population < _ALTERNATE_NAME_CITY):
        local = [c for c in ordered if c.place.country == context_country]
        if local:
            ordered = local + [c for c in ordered if c.place.country != context_country]
    return ordered


def best_candidate(candidates: Iterable[Candidate], context_country: str | None
                   ) -> Candidate:
    """The best of ``candidates`` (see :func:`ranked`)."""
    return ranked(candidates, context_country)[0]
