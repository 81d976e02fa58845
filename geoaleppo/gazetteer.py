"""The gazetteer: loading, validating and resolving names to places.

A gazetteer is a directory of GeoJSON files (see ``gazetteer/README.md`` for the
format). :func:`load` reads one into a :class:`Gazetteer`, which answers
:meth:`Gazetteer.resolve` by folding names into keys (:mod:`geoaleppo.names`) from
strict to loose and ranking what matches; world cities come from the offline GeoNames
extract in :mod:`geoaleppo.world` when the directory does not know a name.
"""

from __future__ import annotations

import math
import os
import re
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

from geoaleppo import names as keys
from geoaleppo.errors import GazetteerError
from geoaleppo.model import KINDS, PRECISIONS, Candidate, Name, Place, Resolution
from geoaleppo.store import load_json, read_collection, read_text

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

T = TypeVar("T")

#: The gazetteer shipped with geoaleppo: the repository's ``gazetteer/`` directory, which
#: ``geoaleppo/gazetteer`` links to so that an installed wheel carries it too.
BUNDLED = Path(__file__).parent / "gazetteer"
ENV_VAR = "GEOALEPPO_GAZETTEER"
SOURCES_FILE = "sources.json"
ADDITIONS_FILE = "additions.geojson"

# How a name matched, strongest first; the rank orders candidates.
METHODS = ("exact", "variant", "skeleton", "fuzzy")
METHOD_SCORE = {"exact": 1.0, "variant": 0.95, "skeleton": 0.8}
FUZZY_THRESHOLD = 88.0

# Among equally good matches, a name most often means the larger unit a reporter would
# name: "Bab al-Hadid" is the district before the gate it is named after.
_KIND_PREFERENCE = {"country": 0, "city": 1, "area": 2, "district": 3, "region": 4, "landmark": 5}


def default_directory() -> Path:
    """``$GEOALEPPO_GAZETTEER`` when set, else the bundled gazetteer."""
    configured = os.environ.get(ENV_VAR)
    return Path(configured) if configured else BUNDLED


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a gazetteer file, as ``file: entry: reason``."""

    file: str
    entry: str
    reason: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.entry}" if self.entry else self.file
        return f"{where}: {self.reason}"


def geometry_problem(geometry: Any) -> str | None:
    """Structural checks cheap enough to run on every load (no shapely)."""
    if geometry is None:
        return None
    if not isinstance(geometry, dict) or "type" not in geometry:
        return "geometry is not a GeoJSON geometry object"
    kind = geometry["type"]
    coordinates = geometry.get("coordinates")
    depth = {"Point": 0, "MultiPoint": 1, "LineString": 1, "Polygon": 2, "MultiPolygon": 3}
    if not isinstance(kind, str) or kind not in depth:
        return f"unsupported geometry type {kind!r}"

    def positions(value: Any, level: int) -> Iterator[Any]:
        if level == 0:
            yield value
            return
        if not isinstance(value, list) or not value:
            raise ValueError
        for item in value:
            yield from positions(item, level - 1)

    dimensions = None
    try:
        for position in positions(coordinates, depth[kind]):
            # shapely takes two or three numbers a position; type() rather than
            # isinstance() keeps out true (a bool is an int) and is the fast test here.
            if (
                type(position) is not list
                or not 2 <= len(position) <= 3
                or not all(type(v) in _NUMBER_TYPES for v in position)
            ):
                return "geometry has a position that is not [lon, lat]"
            # ... and the same count in every position of a geometry.
            if dimensions is None:
                dimensions = len(position)
            elif len(position) != dimensions:
                return "geometry mixes positions of 2 and 3 numbers"
            lon, lat = position[:2]
            if not (-180 <= lon <= 180 and -90 <= lat <= 90):
                return f"geometry has a position out of range ({lon}, {lat})"
    except ValueError:
        return "geometry coordinates are empty or not nested as the type requires"
    if kind == "LineString" and len(coordinates or []) < 2:
        return "geometry has a line of fewer than 2 positions"
    rings: list[Any] = []
    if kind == "Polygon":
        rings = list(coordinates or [])
    elif kind == "MultiPolygon":
        rings = [ring for polygon in coordinates or [] for ring in polygon]
    for ring in rings:
        if len(ring) < 4 or ring[0] != ring[-1]:
            return "geometry has a polygon ring that is not closed or has fewer than 4 positions"
    return None


_NUMBER_TYPES = (int, float)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_text_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v for v in value)


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
#: No point on Earth is farther than this from another: a larger radius says nothing.
MAX_UNCERTAINTY_M = 20_000_000.0
#: More people than live on Earth is a typing error (or an overflow waiting in an export).
MAX_POPULATION = 10_000_000_000


def uncertainty_problem(value: Any) -> str | None:
    """Why ``value`` is not an uncertainty radius in metres (None when it is)."""
    if not _is_number(value) or not math.isfinite(value) or value <= 0:
        return f"uncertainty_m {value!r} is not a positive number of metres"
    if value > MAX_UNCERTAINTY_M:
        return f"uncertainty_m {value!r} is larger than the Earth ({MAX_UNCERTAINTY_M:.0f} m)"
    return None


#: Deeper than any entry needs; far shallower than what Python's writers recurse through.
MAX_NESTING = 32


def _nesting(value: Any, limit: int) -> int:
    """How deep ``value`` nests lists and objects, counting no further than ``limit``."""
    deepest, stack = 0, [(value, 1)]
    while stack and deepest <= limit:
        item, depth = stack.pop()
        children = (item.values() if isinstance(item, dict)
                    else item if isinstance(item, list) else None)
        if children is not None:
            deepest = max(deepest, depth)
            stack.extend((child, depth + 1) for child in children)
    return deepest


def property_problems(feature: dict[str, Any]) -> list[str]:
    """Type checks of the optional fields, so nothing odd reaches the readers and writers.

    A wrong type here would otherwise crash a later command (``members_on`` as a string),
    be silently ignored (``links`` as a string) or be written out as invalid JSON.
    """
    props = feature["properties"]
    problems = []
    # Read with .get(key, default): null would get past the default, so it is refused
    # except for parent, which may be null for "none".
    for key in ("title", "geometry_source", "note", "country"):
        if key in props and not isinstance(props[key], str):
            problems.append(f"{key!r} is not a string")
    if props.get("parent") is not None and not isinstance(props["parent"], str):
        problems.append("'parent' is not a string")
    if "members" in props and not _is_text_list(props["members"]):
        problems.append("'members' is not a list of entry ids")
    members_on = props.get("members_on")
    if members_on is not None and not (
        isinstance(members_on, dict)
        and all(_ISO_DAY.fullmatch(day) and _is_text_list(ids) for day, ids in members_on.items())
    ):
        problems.append("'members_on' does not map dates (YYYY-MM-DD) to lists of entry ids")
    if props.get("uncertainty_m") is not None:
        problem = uncertainty_problem(props["uncertainty_m"])
        if problem:
            problems.append(problem)
    population = props.get("population")
    if population is not None and not (
        isinstance(population, int) and not isinstance(population, bool)
        and 0 <= population <= MAX_POPULATION
    ):
        problems.append(f"population {population!r} is not a whole number of people")
    links = feature.get("links", [])
    if not (
        isinstance(links, list)
        and all(isinstance(link, dict) and isinstance(link.get("identifier"), str)
                for link in links)
    ):
        problems.append("'links' must be a list of {type, identifier} objects")
    names = feature.get("names")
    if isinstance(names, list) and not all(
        isinstance(n.get("lang", "en"), str) for n in names if isinstance(n, dict)
    ):
        problems.append("a name's 'lang' is not a string")
    # Properties of its own an entry may carry, but rewriting additions.geojson recurses
    # through them: nested a few hundred deep, gazetteer add would crash. (The known
    # ones have their shapes checked above, and walking every member list costs.)
    for key, value in props.items():
        if (key not in _CHECKED_PROPERTIES and isinstance(value, list | dict)
                and _nesting(value, MAX_NESTING) > MAX_NESTING):
            problems.append(f"property {key!r} nests lists or objects over {MAX_NESTING} deep")
    return problems


_CHECKED_PROPERTIES = frozenset({"point", "members", "members_on"})


def sources_problem(table: Any) -> str | None:
    """Why a source table (``sources.json``, or a file's own) is not id → description."""
    if not isinstance(table, dict) or not all(isinstance(v, dict) for v in table.values()):
        return "the source table must map each source id to an object describing it"
    return None


def entry_problems(feature: Any, sources: dict[str, Any]) -> list[str]:
    """Why an entry is not a valid gazetteer entry (empty when it is)."""
    if not isinstance(feature, dict):
        return ["entry is not a JSON object"]
    problems = []
    props = feature.get("properties")
    if not isinstance(props, dict):
        return ["entry has no 'properties' object"]
    if not feature.get("id") or not isinstance(feature.get("id"), str):
        problems.append("entry has no string 'id'")
    if not props.get("title"):
        problems.append("entry has no title")
    if props.get("kind") not in KINDS:
        problems.append(f"kind {props.get('kind')!r} is not one of {', '.join(KINDS)}")
    if props.get("precision") not in PRECISIONS:
        problems.append(
            f"precision {props.get('precision')!r} is not one of {', '.join(PRECISIONS)}"
        )
    point = props.get("point")
    if (
        not isinstance(point, list)
        or len(point) != 2
        or not all(_is_number(v) for v in point)
        or not (-180 <= point[0] <= 180 and -90 <= point[1] <= 90)
    ):
        problems.append("'point' is not a [lon, lat] pair in range")
    entry_sources = feature.get("sources")
    if not entry_sources or not isinstance(entry_sources, list):
        problems.append("entry has no source")
    else:
        unknown = [s for s in entry_sources if not isinstance(s, str) or s not in sources]
        if unknown:
            problems.append(f"unknown source {unknown[0]!r} (not in {SOURCES_FILE})")
    if not props.get("geometry_source"):
        problems.append("entry does not say where its geometry comes from (geometry_source)")
    names = feature.get("names")
    if not isinstance(names, list) or not all(
        isinstance(n, dict) and isinstance(n.get("toponym"), str) and n["toponym"].strip()
        for n in names
    ):
        problems.append("'names' must be a list of {toponym, lang} objects")
    geometry_problem_text = geometry_problem(feature.get("geometry"))
    if geometry_problem_text:
        problems.append(geometry_problem_text)
    return problems + property_problems(feature)


def _shape(geometry: dict[str, Any] | None) -> BaseGeometry | None:
    """The entry's GeoJSON geometry as shapely, parsed once at load for everything after."""
    if geometry is None:
        return None
    from shapely.geometry import shape

    return shape(geometry)


def _place_from_feature(feature: dict[str, Any]) -> Place:
    props = feature["properties"]
    lon, lat = props["point"]
    names = tuple(Name(n["toponym"], n.get("lang", "en")) for n in feature.get("names", []))
    links = tuple(link["identifier"] for link in feature.get("links", []) if "identifier" in link)
    return Place(
        id=feature["id"],
        title=props["title"],
        kind=props["kind"],
        precision=props["precision"],
        lat=float(lat),
        lon=float(lon),
        names=names,
        geometry=_shape(feature.get("geometry")),
        parent=props.get("parent"),
        sources=tuple(feature["sources"]),
        geometry_source=props["geometry_source"],
        note=props.get("note", ""),
        links=links,
        members=tuple(props.get("members", ())),
        members_on=tuple(
            (day, tuple(ids)) for day, ids in sorted((props.get("members_on") or {}).items())
        ),
        uncertainty_m=props.get("uncertainty_m"),
        country=props.get("country", ""),
        population=int(props.get("population", 0) or 0),
    )


def _load_sources(directory: Path) -> dict[str, Any]:
    path = directory / SOURCES_FILE
    # lexists: a dangling or looping symlink is an error to report, not a missing file.
    if not os.path.lexists(path):
        return {}
    table = load_json(path, read_text(path, regular=True))
    problem = sources_problem(table)
    if problem:
        msg = f"{path}: {problem}"
        raise GazetteerError(msg)
    return table


def _with_own_sources(
    sources: dict[str, Any], document: dict[str, Any], path: Path
) -> dict[str, Any]:
    """The source table plus the one a file may carry itself (``additions.geojson`` does)."""
    if "sources" not in document:
        return sources
    own = document["sources"]
    problem = sources_problem(own)
    if problem:
        msg = f"{path}: sources: {problem}"
        raise GazetteerError(msg)
    return {**sources, **own}


def gazetteer_files(directory: Path) -> list[Path]:
    """The gazetteer's GeoJSON files in a stable order."""
    if not directory.is_dir():
        msg = f"{directory}: gazetteer directory not found"
        raise GazetteerError(msg)
    return sorted(directory.glob("*.geojson"))


def validate(directory: Path | None = None, *, geometry: bool = True) -> list[Problem]:
    """Every problem in every file of a gazetteer; empty when it is sound.

    With ``geometry`` (the default) geometries are also checked with shapely for
    self-intersections and the representative point must lie inside its outline.
    """
    directory = directory or default_directory()
    problems: list[Problem] = []
    try:
        sources = _load_sources(directory)
        files = gazetteer_files(directory)
    except GazetteerError as exc:
        return [Problem(str(exc).split(": ", 1)[0], "", str(exc).split(": ", 1)[-1])]
    if not sources:
        problems.append(Problem(str(directory / SOURCES_FILE), "", "missing or empty"))
    seen: dict[str, str] = {}
    all_ids: set[str] = set()
    # (file, entry, id) for every parent and member an entry names, checked at the end.
    references: list[tuple[str, str, str]] = []
    parent_of: dict[tuple[str, str], str] = {}
    unreadable = False
    for path in files:
        try:
            document = read_collection(path)
        except GazetteerError as exc:
            problems.append(Problem(str(path), "", str(exc).removeprefix(f"{path}: ")))
            unreadable = True
            continue
        try:
            file_sources = _with_own_sources(sources, document, path)
        except GazetteerError as exc:
            problems.append(Problem(str(path), "", str(exc).removeprefix(f"{path}: ")))
            unreadable = True
            continue
        for index, feature in enumerate(document["features"]):
            entry = feature.get("id") if isinstance(feature, dict) else None
            label = str(entry) if entry else f"feature {index}"
            reasons = entry_problems(feature, file_sources)
            for reason in reasons:
                problems.append(Problem(str(path), label, reason))
            if not isinstance(entry, str) or not entry:
                continue
            if entry in seen:
                problems.append(
                    Problem(str(path), label, f"duplicate id (also in {seen[entry]})")
                )
            seen.setdefault(entry, path.name)
            all_ids.add(entry)
            if reasons:
                # Its references and shape may be of any type; the reasons say what to fix.
                continue
            props = feature["properties"]
            parent = props.get("parent")
            if parent:
                references.append((str(path), label, parent))
                parent_of[(str(path), label)] = parent
            referenced = list(props.get("members") or [])
            for ids in (props.get("members_on") or {}).values():
                referenced += list(ids)
            references.extend((str(path), label, member) for member in referenced)
            if geometry:
                problems.extend(
                    Problem(str(path), label, reason) for reason in _shapely_problems(feature)
                )
    # A file that cannot be read hides its ids; its children are not at fault.
    for path_text, label, reference in [] if unreadable else references:
        if reference not in all_ids:
            what = "parent" if parent_of.get((path_text, label)) == reference else "member"
            problems.append(
                Problem(path_text, label, f"{what} {reference!r} is not in the gazetteer")
            )
    return problems


def _shapely_problems(feature: dict[str, Any]) -> list[str]:
    raw = feature.get("geometry")
    if raw is None:
        return []
    problem = shape_problem(_shape(raw), *feature["properties"]["point"])
    return [problem] if problem else []


def shape_problem(outline: BaseGeometry | None, lon: float, lat: float) -> str | None:
    """What is wrong with a parsed geometry and its point; cheap enough for every load.

    An outline that crosses itself makes every containment test after it unreliable
    (maps draw it, control claims union it), so it is an error wherever it is loaded.
    """
    if outline is None:
        return None
    import shapely

    if not outline.is_valid:
        from shapely.validation import explain_validity

        return f"invalid geometry: {explain_validity(outline)}"
    if outline.geom_type in {"Polygon", "MultiPolygon"} and not shapely.dwithin(
        outline, shapely.Point(lon, lat), 1e-6
    ):
        return "representative point lies outside the outline"
    return None


class Gazetteer:
    """Places and the name index that finds them.

    Build one with :func:`load`; it is immutable once built, except through
    :func:`geoaleppo.curation.add`, which writes a file and reloads.
    """

    def __init__(self, places: Iterable[Place], *, directory: Path | None = None) -> None:
        self.directory = directory
        self._places: dict[str, Place] = {}
        self._index: dict[str, dict[str, list[str]]] = {m: defaultdict(list) for m in METHODS}
        for place in places:
            self._places[place.id] = place
            for name in place.names:
                self._index_name(name.text, place.id)
        # World cities that an entry here already stands for (Aleppo is GeoNames 170063).
        self._linked = frozenset(
            link for place in self._places.values() for link in place.links
            if link.startswith("geonames:")
        )
        # Unresolved names recur across reports; their fuzzy suggestions are kept.
        self._suggestions: dict[tuple[str, int], tuple[str, ...]] = {}
        self._kept: dict[str, object] = {}
        self._kept_lock = threading.RLock()  # a build may ask for another kept index

    def kept(self, name: str, build: Callable[[], T]) -> T:
        """What ``build()`` works out from this gazetteer, built once and kept with it.

        Other modules keep their indexes of a gazetteer here (the name matcher is one),
        so each lives exactly as long as the gazetteer it was built from, and a reader
        in another thread finds it built rather than building its own.
        """
        with self._kept_lock:
            if name not in self._kept:
                self._kept[name] = build()
            return cast(T, self._kept[name])

    def _index_name(self, text: str, place_id: str) -> None:
        exact, variant, skeleton = keys.keys(text)
        for method, key in (("exact", exact), ("variant", variant)):
            if key and place_id not in self._index[method][key]:
                self._index[method][key].append(place_id)
        glued = keys.glued_article_key(text)
        if glued and place_id not in self._index["exact"][glued]:
            self._index["exact"][glued].append(place_id)
        if keys.skeleton_is_safe(text) and place_id not in self._index["skeleton"][skeleton]:
            self._index["skeleton"][skeleton].append(place_id)

    # -- access ---------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._places)

    def __iter__(self) -> Iterator[Place]:
        return iter(sorted(self._places.values(), key=lambda place: place.id))

    def __contains__(self, place_id: object) -> bool:
        return place_id in self._places

    def get(self, place_id: str) -> Place | None:
        """The place with this id, looking in the world extract for ``geonames:`` ids."""
        if place_id in self._places:
            return self._places[place_id]
        if place_id.startswith("geonames:"):
            from geoaleppo import world

            return world.get(place_id)
        return None

    def index_keys(self, method: str) -> set[str]:
        """Every key of one matching method ("exact", "variant", "skeleton")."""
        return set(self._index[method])

    @property
    def linked_ids(self) -> frozenset[str]:
        """World-city ids (``geonames:…``) that an entry here already stands for."""
        return self._linked

    def name_count(self) -> int:
        return sum(len(place.names) for place in self._places.values())

    def lookup(self, text: str, *, methods: tuple[str, ...] = ("exact", "variant", "skeleton")
               ) -> list[Candidate]:
        """Candidates whose names share a key with ``text``, strongest method first."""
        exact, variant, skeleton = keys.keys(text)
        found: dict[str, Candidate] = {}
        probes = {"exact": exact, "variant": variant, "skeleton": skeleton}
        for method in methods:
            if method == "skeleton" and not keys.skeleton_is_safe(text):
                continue
            for place_id in self._index[method].get(probes[method], ()):
                if place_id not in found:
                    found[place_id] = Candidate(
                        self._places[place_id], method, METHOD_SCORE[method]
                    )
        return list(found.values())

    def fuzzy(self, text: str, *, limit: int = 5, threshold: float = FUZZY_THRESHOLD
              ) -> list[Candidate]:
        """Close spellings by edit similarity of variant keys (rapidfuzz), best first."""
        from rapidfuzz import fuzz, process

        choices, ids = self.kept("fuzzy choices", self._fuzzy_table)
        query = keys.variant_key(text)
        if len(query) < 4 or keys.is_generic(text):
            return []
        matches = process.extract(
            query, choices, scorer=fuzz.ratio, limit=limit * 3,
            score_cutoff=threshold,
        )
        found: dict[str, Candidate] = {}
        for _choice, score, position in matches:
            for place_id in ids[position]:
                if place_id not in found:
                    found[place_id] = Candidate(
                        self._places[place_id], "fuzzy", round(0.8 * score / 100, 3)
                    )
        return sorted(found.values(), key=lambda c: (-c.score, c.place.id))[:limit]

    def _fuzzy_table(self) -> tuple[list[str], list[list[str]]]:
        by_key: dict[str, list[str]] = self._index["variant"]
        choices = sorted(by_key)
        return choices, [by_key[key] for key in choices]

    def suggestions(self, text: str, limit: int = 3) -> tuple[str, ...]:
        """Titles of the closest places, for an unresolved name."""
        found = self._suggestions.get((text, limit))
        if found is None:
            if len(self._suggestions) > 10_000:
                self._suggestions.clear()
            found = self._suggestions[text, limit] = tuple(
                c.place.title for c in self.fuzzy(text, limit=limit, threshold=70.0))
        return found

    # -- resolution -----------------------------------------------------------------
    def resolve(
        self,
        name: str,
        *,
        context_country: str | None = "SY",
        fuzzy: bool = True,
        world_cities: bool = True,
        limit: int = 5,
    ) -> Resolution:
        """The place ``name`` most likely means, with ranked runners-up.

        Parameters
        ----------
        name
            A place name as written: any romanisation, Arabic script, with or without
            a leading "the" or a generic head ("the Al Shaar neighbourhood").
        context_country
            ISO code of the country the text is about; among equal matches its places
            win (Damascus, Syria over Damascus, Maryland).
        fuzzy
            Try edit-similarity matching when no rule-based key matches.
        world_cities
            Look in the offline GeoNames city extract when the gazetteer lacks the name.
        """
        query = name.strip()
        for attempt in _query_forms(query):
            candidates = self.lookup(attempt)
            local_to_aleppo = any(
                c.place.country == "SY" and c.place.kind != "country" for c in candidates
            )
            # An Aleppo name needs no world look-up (and skipping it spares loading the
            # city extract); "Washington" or "Georgia" do, to weigh the state against
            # the city.
            if world_cities and not local_to_aleppo:
                from geoaleppo import world

                candidates += world.lookup(attempt, exclude=self._linked)
            if candidates:
                return self._ranked(query, candidates, context_country, limit)
        if fuzzy:
            for attempt in _query_forms(query):
                candidates = self.fuzzy(attempt, limit=limit)
                if candidates:
                    return self._ranked(query, candidates, context_country, limit)
        return Resolution(query=query, place=None)

    def _ranked(
        self, query: str, candidates: list[Candidate], context: str | None, limit: int
    ) -> Resolution:
        ordered = sorted(candidates, key=lambda c: rank_key(c, context))[:limit]
        best = ordered[0]
        return Resolution(
            query=query,
            place=best.place,
            method=best.method,
            score=best.score,
            candidates=tuple(ordered),
        )


def rank_key(candidate: Candidate, context_country: str | None) -> tuple[Any, ...]:
    """How good a candidate is, best lowest: the one ranking of candidates, for
    :meth:`Gazetteer.resolve` and the reader alike.

    The stronger match method first, then the higher score, a place in the story's
    country (``context_country``), the larger kind of unit (:data:`_KIND_PREFERENCE`),
    the larger population, and the id to break ties.
    """
    place = candidate.place
    return (
        METHODS.index(candidate.method),
        -candidate.score,
        0 if context_country and place.country == context_country else 1,
        _KIND_PREFERENCE.get(place.kind, 9),
        -place.population,
        place.id,
    )


def best_candidate(candidates: Iterable[Candidate], context_country: str | None
                   ) -> Candidate:
    """The best of ``candidates`` (see :func:`rank_key`)."""
    return min(candidates, key=lambda c: rank_key(c, context_country))


def _query_forms(query: str) -> Iterator[str]:
    """The query, then the query without generic heads ("… neighbourhood", "… complex")."""
    yield query
    words = query.split()
    trimmed = list(words)
    while len(trimmed) > 1 and keys.exact_key(trimmed[-1]) in keys.GENERIC_HEADS:
        trimmed.pop()
        yield " ".join(trimmed)
    if words and words[-1].lower() in {"'s", "’s"}:
        yield " ".join(words[:-1])


_CACHE: dict[tuple[str, tuple[tuple[str, int, int], ...]], Gazetteer] = {}


def _fingerprint(directory: Path) -> tuple[tuple[str, int, int], ...]:
    entries = []
    for path in [*gazetteer_files(directory), directory / SOURCES_FILE]:
        try:
            stat = path.stat()
        except FileNotFoundError:
            continue
        except OSError as exc:  # a symlink loop, a file that may not be read
            msg = f"{path}: cannot read: {exc.strerror or exc}"
            raise GazetteerError(msg) from exc
        entries.append((path.name, stat.st_mtime_ns, stat.st_size))
    return tuple(entries)


def load(directory: Path | str | None = None) -> Gazetteer:
    """Load (and cache, until a file changes) the gazetteer in ``directory``.

    Raises :class:`GazetteerError` naming the file and entry of the first problem:
    malformed JSON, an entry without a source, a duplicate id, a bad geometry.
    """
    directory = Path(directory) if directory else default_directory()
    with _LOAD_LOCK:  # readers in several threads load one gazetteer, once
        return _load(directory)


_LOAD_LOCK = threading.Lock()


def _load(directory: Path) -> Gazetteer:
    fingerprint = _fingerprint(directory)
    cache_key = (str(directory.resolve()), fingerprint)
    if cache_key in _CACHE:
        return _CACHE[cache_key]
    sources = _load_sources(directory)
    places: list[Place] = []
    seen: dict[str, str] = {}
    for path in gazetteer_files(directory):
        document = read_collection(path)
        file_sources = _with_own_sources(sources, document, path)
        for index, feature in enumerate(document["features"]):
            problems = entry_problems(feature, file_sources)
            label = feature.get("id") if isinstance(feature, dict) else None
            label = label or f"feature {index}"
            if problems:
                msg = f"{path}: {label}: {problems[0]}"
                raise GazetteerError(msg)
            if label in seen:
                msg = f"{path}: {label}: duplicate id (also in {seen[label]})"
                raise GazetteerError(msg)
            seen[label] = path.name
            place = _place_from_feature(feature)
            problem = shape_problem(place.geometry, place.lon, place.lat)
            if problem:
                msg = f"{path}: {label}: {problem}"
                raise GazetteerError(msg)
            places.append(place)
    gazetteer = Gazetteer(places, directory=directory)
    _CACHE.clear()
    _CACHE[cache_key] = gazetteer
    return gazetteer


def sources(directory: Path | None = None) -> dict[str, Any]:
    """The gazetteer's source table (id → title, publisher, url, licence).

    Includes the tables files carry themselves, such as the analyst additions' sources.
    """
    directory = directory or default_directory()
    table = _load_sources(directory)
    for path in gazetteer_files(directory):
        table = _with_own_sources(table, read_collection(path), path)
    return table
