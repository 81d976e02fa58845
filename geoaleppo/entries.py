"""Gazetteer files: what an entry must hold, how one is checked, and how it becomes a Place.

A gazetteer is a directory of GeoJSON files and a source table (``gazetteer/README.md``
gives the format). Every load runs the structural checks here, so a hand-edited entry
fails with its file and id named instead of crashing a later command;
:func:`validate` reports every problem at once for ``geoaleppo gazetteer validate``.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geoaleppo.errors import GazetteerError
from geoaleppo.model import KINDS, PRECISIONS, Name, Place
from geoaleppo.store import load_json, read_collection, read_text

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

SOURCES_FILE = "sources.json"


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
    for key in ("title", "geometry_source", "note", "country", "admin1"):
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


def parse_geometry(geometry: dict[str, Any] | None) -> BaseGeometry | None:
    """The entry's GeoJSON geometry as shapely, parsed once at load for everything after."""
    if geometry is None:
        return None
    from shapely.geometry import shape

    return shape(geometry)


def place_from_feature(feature: dict[str, Any]) -> Place:
    """A valid entry (``entry_problems`` found nothing) as the model's Place."""
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
        geometry=parse_geometry(feature.get("geometry")),
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
        admin1=props.get("admin1", ""),
    )


def load_sources(directory: Path) -> dict[str, Any]:
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


def with_own_sources(
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


def validate(directory: Path, *, geometry: bool = True) -> list[Problem]:
    """Every problem in every file of a gazetteer; empty when it is sound.

    With ``geometry`` (the default) geometries are also checked with shapely for
    self-intersections and the representative point must lie inside its outline.
    """
    problems: list[Problem] = []
    try:
        sources = load_sources(directory)
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
            file_sources = with_own_sources(sources, document, path)
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
    problem = shape_problem(parse_geometry(raw), *feature["properties"]["point"])
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
