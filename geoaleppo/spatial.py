"""Geometry for places and spatial expressions, measured on the ellipsoid.

Buffers and sectors are drawn in an azimuthal equidistant projection centred on the
place, where distances from the centre are true, so "within a kilometre of the citadel"
is a true 1 km ring whatever the latitude.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

import shapely
from shapely.geometry import Point, Polygon
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union

from geoaleppo.model import DerivedArea, Place

#: Radius drawn for a place known only to a precision and no better.
PRECISION_RADIUS_M = {"site": 25.0, "landmark": 100.0, "district": 500.0, "area": 1500.0,
                      "city": 5000.0, "country": 100000.0}
AROUND_M = 500.0
DIRECTION_REACH_M = 2000.0
_BEARINGS = {"north": 0.0, "east": 90.0, "south": 180.0, "west": 270.0}


# Past this many vertices a shape is projected by PROJ, whose start (importing pyproj and
# making the transformers, some 80 ms a process) pays for itself; below it, the geodesics
# are solved one vertex at a time by geographiclib (geopy's own dependency), which costs
# some 50 µs a vertex and nothing to start. Both solve Karney's geodesic problem from
# the centre, which is what PROJ's ellipsoidal aeqd is, and agree to 1e-9 m.
_PROJ_VERTICES = 1000


@lru_cache(maxsize=256)
def _projections(lon: float, lat: float) -> tuple[Any, Any]:
    from pyproj import Transformer

    local = f"+proj=aeqd +lat_0={lat} +lon_0={lon} +datum=WGS84 +units=m"
    forward = Transformer.from_crs("EPSG:4326", local, always_xy=True)
    backward = Transformer.from_crs(local, "EPSG:4326", always_xy=True)
    return forward.transform, backward.transform


def _geodesic_projections(lon: float, lat: float) -> tuple[Any, Any]:
    """The azimuthal equidistant projection centred on (lon, lat), forward and back, as
    functions of coordinate arrays (see ``shapely.transform``)."""
    import numpy as np
    from geographiclib.geodesic import Geodesic

    geodesic = Geodesic.WGS84

    def forward(lons: Any, lats: Any) -> tuple[Any, Any]:
        xs, ys = [], []
        for lon2, lat2 in zip(lons.tolist(), lats.tolist(), strict=True):
            line = geodesic.Inverse(lat, lon, lat2, lon2, Geodesic.DISTANCE | Geodesic.AZIMUTH)
            azimuth = math.radians(line["azi1"])
            xs.append(line["s12"] * math.sin(azimuth))
            ys.append(line["s12"] * math.cos(azimuth))
        return np.array(xs), np.array(ys)

    def backward(xs: Any, ys: Any) -> tuple[Any, Any]:
        lons, lats = [], []
        for x, y in zip(xs.tolist(), ys.tolist(), strict=True):
            end = geodesic.Direct(lat, lon, math.degrees(math.atan2(x, y)), math.hypot(x, y),
                                  Geodesic.LATITUDE | Geodesic.LONGITUDE)
            lons.append(end["lon2"])
            lats.append(end["lat2"])
        return np.array(lons), np.array(lats)

    return forward, backward


def _local_projections(centre: Point, vertices: int) -> tuple[Any, Any]:
    """Forward and back between lon/lat and metres about ``centre``, for a shape of this
    many vertices (see ``_PROJ_VERTICES``)."""
    lon, lat = round(centre.x, 5), round(centre.y, 5)
    if vertices > _PROJ_VERTICES:
        return _projections(lon, lat)
    return _geodesic_projections(lon, lat)


# Derived areas repeat ("around the Old City" in many reports, "between" the same two
# districts); drawing them is the costly part, so each is kept, by what it is drawn from:
# the places (their id and their geometry's identity) and the rule's parameters.
_KEPT: dict[tuple[Any, ...], Any] = {}


def _kept(key: tuple[Any, ...], draw: Any, *owners: object) -> Any:
    """``draw()``, kept under ``key`` with strong references to ``owners``, the objects
    whose ids the key holds. Safe from several threads: at worst two draw the same."""
    found = _KEPT.get(key)
    if found is None:
        if len(_KEPT) > 4096:
            _KEPT.clear()
        found = _KEPT[key] = (draw(), owners)
    return found[0]


def _key(place: Place) -> tuple[Any, ...]:
    # A geometry's id is only unique while it lives: every kept value holds on to the
    # geometry it was drawn from (see _kept), so the id cannot be reused meanwhile.
    return (place.id, place.lon, place.lat, place.precision, place.uncertainty_m,
            id(place.geometry))


def buffered_place(place: Place, metres: float) -> BaseGeometry:
    """``place_shape(place)`` grown by ``metres``, computed once per place and distance."""
    return _kept(("buffer", _key(place), metres),
                 lambda: buffer_m(place_shape(place), metres), place.geometry)


#: Precisions whose outline, where the gazetteer has one, is what a place is drawn as.
OUTLINED_PRECISIONS = frozenset({"district", "area"})


def drawn_geometry(place: Place, derived: DerivedArea | None = None) -> BaseGeometry:
    """What a place, or a derived area made from it, is drawn as: on maps and in exports.

    A derived area ("within a kilometre of the citadel") is itself; a district or area
    with an outline is its outline; anything else, a site, a landmark, a city, a country
    or a district known only as a point, is its representative point, since its outline
    would claim the whole of it. A point's ``uncertainty_m`` goes with it: exports carry
    it as a property, maps draw it as a circle (:func:`uncertainty_circle`).
    """
    if derived is not None:
        return derived.geometry
    geometry = place.geometry
    if (place.precision in OUTLINED_PRECISIONS and geometry is not None
            and geometry.geom_type in {"Polygon", "MultiPolygon"}):
        return geometry
    return Point(place.lon, place.lat)


def uncertainty_circle(place: Place) -> BaseGeometry | None:
    """The circle a point known only roughly may lie anywhere in (computed once), or None."""
    radius = place.uncertainty_m
    if not radius:
        return None
    return _kept(("uncertainty", _key(place)),
                 lambda: buffer_m(Point(place.lon, place.lat), radius), place.geometry)


def place_shape(place: Place) -> BaseGeometry:
    """The extent spatial expressions are drawn from: the place's outline, or a circle as
    wide as its uncertainty (or its precision) for a point."""
    return _kept(("shape", _key(place)), lambda: _extent(place), place.geometry)


def _extent(place: Place) -> BaseGeometry:
    geometry = place.geometry if place.geometry is not None else Point(place.lon, place.lat)
    if geometry.geom_type == "Point":
        radius = place.uncertainty_m or PRECISION_RADIUS_M.get(place.precision, 100.0)
        return buffer_m(geometry, radius)
    return geometry


def buffer_m(geometry: BaseGeometry, metres: float) -> BaseGeometry:
    """``geometry`` grown by ``metres`` on the ground."""
    forward, backward = _local_projections(geometry.centroid,
                                           int(shapely.get_num_coordinates(geometry)))
    local = shapely.transform(geometry, forward, interleaved=False)
    return shapely.transform(local.buffer(metres, quad_segs=16), backward, interleaved=False)


def sector(place: Place, direction: str, reach_m: float = DIRECTION_REACH_M) -> BaseGeometry:
    """The quarter-circle of ``reach_m`` on one side of a place, minus the place."""
    return _kept(("sector", _key(place), direction, reach_m),
                 lambda: _drawn_sector(place, direction, reach_m), place.geometry)


def _drawn_sector(place: Place, direction: str, reach_m: float) -> BaseGeometry:
    anchor = place_shape(place)
    _forward, backward = _local_projections(anchor.centroid, 20)
    bearing = math.radians(_BEARINGS[direction])
    points = [(0.0, 0.0)]
    for step in range(-45, 46, 5):
        angle = bearing + math.radians(step)
        points.append((reach_m * math.sin(angle), reach_m * math.cos(angle)))
    wedge = shapely.transform(Polygon(points), backward, interleaved=False)
    return wedge.difference(anchor)


def corridor(first: Place, second: Place) -> BaseGeometry:
    """The area joining two places (their convex hull), as "from X to Y" describes."""
    return _kept(("corridor", _key(first), _key(second)), lambda: unary_union(
        [place_shape(first), place_shape(second)]).convex_hull, first.geometry, second.geometry)


def derived(rule: str, description: str, anchors: list[Place], geometry: BaseGeometry
            ) -> DerivedArea | None:
    """The derived area, or None when the rule leaves nothing (a place wider than the
    quarter-circle "west of" it would draw)."""
    point = _kept(("point", id(geometry)), lambda: _point(geometry), geometry)
    if point is None:
        return None
    return DerivedArea(
        rule=rule,
        description=description,
        anchors=tuple(p.id for p in anchors),
        geometry=geometry,
        # Rounded as the JSON writes them, so a reading read back from JSON is equal.
        lat=round(point[1], 6),
        lon=round(point[0], 6),
    )


def _point(geometry: BaseGeometry) -> tuple[float, float] | None:
    """(lon, lat) of a point inside the geometry, or None when it is empty."""
    if geometry.is_empty:
        return None
    point = geometry.representative_point()
    return point.x, point.y


def within(place: Place, metres: float, phrase: str) -> DerivedArea | None:
    return derived(
        "within-distance",
        f"{phrase}: {metres:g} m geodesic buffer of {place.title}",
        [place],
        buffered_place(place, metres),
    )


def around(place: Place, phrase: str) -> DerivedArea | None:
    return derived(
        "around",
        f"{phrase}: {place.title} and {AROUND_M:g} m around it",
        [place],
        buffered_place(place, AROUND_M),
    )


def direction_of(place: Place, direction: str, phrase: str) -> DerivedArea | None:
    return derived(
        "direction-of",
        f"{phrase}: the {DIRECTION_REACH_M / 1000:g} km quarter-circle {direction} of "
        f"{place.title}",
        [place],
        sector(place, direction),
    )


def between(first: Place, second: Place, phrase: str, rule: str = "between") -> DerivedArea | None:
    return derived(
        rule,
        f"{phrase}: the convex hull of {first.title} and {second.title}",
        [first, second],
        corridor(first, second),
    )

