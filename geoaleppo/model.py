"""The data model: places, mentions, events and control claims as small frozen types.

Everything geoaleppo produces is one of these values; :mod:`geoaleppo.serialise` is the
one place that turns them into JSON and GeoJSON. Coordinates are stored as ``lat``/``lon``
attributes and geometries as shapely objects in (lon, lat) order, as GeoJSON has it;
:func:`Place.point` is the one conversion between the two orders.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

#: How finely a place is located, from a single building to a whole country.
PRECISIONS: tuple[str, ...] = ("site", "landmark", "district", "area", "city", "country")
Precision = Literal["site", "landmark", "district", "area", "city", "country"]

#: What a place is. ``area`` is a composite of districts (the Old City, eastern Aleppo).
KINDS: tuple[str, ...] = ("country", "region", "city", "area", "district", "landmark")

#: How a place is used in a sentence: where something is (``location``), a government
#: acting ("Moscow said": ``actor``), the report's dateline, or a word that qualifies a
#: noun ("Russian jets", "the Aleppo-based group": ``modifier``), which no map, event or
#: control claim takes.
Role = Literal["location", "actor", "dateline", "modifier"]


class EventType(StrEnum):
    """What happened, in geoaleppo's vocabulary (the ACLED type of each: see exports)."""

    CAPTURE = "capture"
    COUNTER_ATTACK = "counter-attack"
    ADVANCE = "advance"
    SHELLING = "shelling"
    AIR_STRIKE = "air strike"
    BOMBARDMENT = "bombardment"
    CLASH = "clash"
    ATTACK = "attack"
    EVACUATION = "evacuation"
    NEGOTIATIONS = "negotiations"
    CASUALTIES = "casualties"


class Side(StrEnum):
    """The sides actors are normalised to."""

    GOVERNMENT = "Syrian government forces and allies"
    REBELS = "rebels/opposition"
    JIHADISTS = "jihadist groups"
    KURDISH = "Kurdish YPG/SDF"
    RUSSIA = "Russia"
    COALITION = "US-led coalition"
    #: The target of an attack on people, never its doer (ACLED's "Civilians").
    CIVILIANS = "civilians"


class ControlStatus(StrEnum):
    """Who holds a place, as claimed."""

    GOVERNMENT = "government-held"
    REBELS = "rebel-held"
    KURDISH = "Kurdish-held"
    CONTESTED = "contested"
    UNKNOWN = "unknown"


class ClaimBasis(StrEnum):
    """What a control claim rests on; a dated history weighs claims by it."""

    #: A held-phrase: "rebel-held Sheikh Saeed".
    HELD = "held"
    #: A split-phrase: "split between government- and rebel-held areas" (contested).
    SPLIT = "split"
    #: Fighting in the place: clashes, advances, counter-attacks (contested).
    FIGHTING = "fighting"
    #: An assault launched or under way, its result not told (contested).
    ASSAULT = "assault"
    #: Part of the place taken: "70 percent of the district" (contested).
    PARTIAL = "partial"
    #: The place taken: the captor holds it.
    CAPTURE = "capture"
    #: An assault beaten back: the defender holds.
    REPELLED = "repelled"


@dataclass(frozen=True, slots=True)
class Name:
    """One name of a place, in one language or script (``en``, ``ar``)."""

    text: str
    lang: str = "en"


@dataclass(frozen=True, slots=True)
class Place:
    """A gazetteer entry.

    ``lat``/``lon`` is a representative point that lies inside the place's geometry.
    ``uncertainty_m`` is set when the place is known only roughly (a point standing in
    for a district); maps draw such a place as a circle of that radius.
    """

    id: str
    title: str
    kind: str
    precision: str
    lat: float
    lon: float
    names: tuple[Name, ...] = ()
    geometry: BaseGeometry | None = field(default=None, compare=False, repr=False)
    parent: str | None = None
    sources: tuple[str, ...] = ()
    geometry_source: str = ""
    note: str = ""
    links: tuple[str, ...] = ()
    members: tuple[str, ...] = ()
    #: For an area whose extent changed: (date, member ids) pairs, oldest first.
    members_on: tuple[tuple[str, tuple[str, ...]], ...] = ()
    uncertainty_m: float | None = None
    country: str = ""
    population: int = 0
    #: The GeoNames first-level division code within ``country`` ("KY", "08") of a
    #: division or a world town: what a story's state or province context matches.
    admin1: str = ""

    def point(self) -> tuple[float, float]:
        """The representative point in GeoJSON order, (lon, lat)."""
        return (self.lon, self.lat)

    def members_as_of(self, date: str | None) -> tuple[str | None, tuple[str, ...]]:
        """The member ids of an area on ``date``, with the date they are recorded for.

        The latest record on or before ``date`` counts; with none, the area's own
        members (and a None date).
        """
        known = [(day, ids) for day, ids in self.members_on if date is None or day <= date]
        return known[-1] if known else (None, self.members)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A place a name might mean, with how it matched and how well."""

    place: Place
    method: str
    score: float


@dataclass(frozen=True, slots=True)
class Resolution:
    """What a name resolves to: the best place, or none, and the runners-up."""

    query: str
    place: Place | None
    method: str | None = None
    score: float = 0.0
    candidates: tuple[Candidate, ...] = ()

    @property
    def resolved(self) -> bool:
        return self.place is not None


@dataclass(frozen=True, slots=True)
class DerivedArea:
    """A geometry made from a spatial expression ("within a kilometre of the citadel")."""

    rule: str
    description: str
    anchors: tuple[str, ...]
    geometry: BaseGeometry = field(compare=False, repr=False)
    lat: float = 0.0
    lon: float = 0.0


@dataclass(frozen=True, slots=True)
class Mention:
    """A place named in an article; ``text[start:end]`` of the article is ``text``.

    Like events and control claims, a mention quotes its ``sentence`` and gives its
    ``sentence_index`` (the article's sentences counted from 0).
    """

    text: str
    start: int
    end: int
    sentence_index: int
    place: Place | None
    role: Role
    method: str
    confidence: float
    derived: DerivedArea | None = None
    sentence: str = ""


@dataclass(frozen=True, slots=True)
class Unresolved:
    """A place-like phrase the gazetteer lacks, with the closest names it has."""

    text: str
    start: int
    end: int
    sentence_index: int
    suggestions: tuple[str, ...] = ()
    sentence: str = ""


@dataclass(frozen=True, slots=True)
class Article:
    """What the reader knows about the article itself.

    ``id`` is a digest of the text (:func:`article_id`): the same article read twice, or
    from two files, has one id, which the events and claims read out of it carry. The
    text itself is not part of a reading's JSON, so it takes no part in comparisons.
    """

    title: str
    published: str | None
    outlet: str | None = None
    dateline: tuple[str, ...] = ()
    source: str = "-"
    text: str = field(default="", repr=False, compare=False)
    id: str = ""


def article_id(text: str) -> str:
    """A short, stable digest of an article's text."""
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Event:
    """One reported event, located and dated, with who did it and who says so."""

    type: EventType
    sentence: str
    sentence_index: int
    place: Place | None
    date: str | None
    time_precision: int
    geo_precision: int
    actors: tuple[Side, ...] = ()
    claimant: str = ""
    claimed: bool = False
    fatalities: int | None = None
    fatalities_lower_bound: bool = False
    injured: int | None = None
    date_end: str | None = None
    derived: DerivedArea | None = None
    trigger: str = ""
    #: The article the event was read out of (its id is in the JSON).
    article: Article | None = field(default=None, compare=False, repr=False)
    #: How the text qualified the death toll ("at least", "more than", "nearly"; "").
    fatalities_qualifier: str = ""


@dataclass(frozen=True, slots=True)
class ControlClaim:
    """A dated claim that a side holds (or contests) a place."""

    status: ControlStatus
    place: Place
    date: str | None
    claimant: str
    sentence: str
    sentence_index: int
    #: The article the claim was read out of (its id is in the JSON).
    article: Article | None = field(default=None, compare=False, repr=False)
    #: What the claim rests on (a held-phrase, a capture, fighting, ...).
    basis: ClaimBasis = ClaimBasis.HELD


@dataclass(frozen=True, slots=True)
class Reading:
    """Everything read out of one article."""

    article: Article
    mentions: tuple[Mention, ...] = ()
    unresolved: tuple[Unresolved, ...] = ()
    events: tuple[Event, ...] = ()
    control: tuple[ControlClaim, ...] = ()
    warnings: tuple[str, ...] = ()
