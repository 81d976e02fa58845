"""Geometry shared by the topics: the WGS84 ellipsoid for distances, and polygon clean-up.

The CSR outlines come wound clockwise, and a merge of them could be invalid: these
helpers make merged outlines valid and counter-clockwise (as RFC 7946 asks) and find a
point inside each.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pyproj import Geod
from shapely import make_valid
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry
from shapely.ops import orient, polylabel, unary_union

GEOD = Geod(ellps="WGS84")


def inner_point(geometry: BaseGeometry) -> Point:
    """The centroid when it lies inside, else the pole of inaccessibility."""
    centroid = geometry.centroid
    if geometry.contains(centroid):
        return centroid
    largest = max(getattr(geometry, "geoms", [geometry]), key=lambda part: part.area)
    return polylabel(largest, tolerance=1e-6)


def clean_polygonal(geometry: BaseGeometry) -> BaseGeometry:
    if not geometry.is_valid:
        geometry = make_valid(geometry)
    polygons = [g for g in getattr(geometry, "geoms", [geometry]) if g.geom_type == "Polygon"]
    if geometry.geom_type in {"Polygon", "MultiPolygon"}:
        polygons = list(getattr(geometry, "geoms", [geometry]))
    merged = unary_union(polygons)
    # RFC 7946 wants exterior rings counter-clockwise.
    if merged.geom_type == "Polygon":
        return orient(merged, sign=1.0)
    return type(merged)([orient(part, sign=1.0) for part in merged.geoms])


def polygon_union(geometries: Iterable[BaseGeometry]) -> BaseGeometry:
    """The outlines merged into one clean (Multi)Polygon, as every merged entry uses."""
    return clean_polygonal(unary_union(list(geometries)))


def cities_centre(cities: list[dict[str, Any]], share: float = 0.8) -> tuple[Point, int]:
    """A region's point from the GeoNames cities in it: their population-weighted centre,
    and the radius (m, to the kilometre) that holds ``share`` of them (four fifths unless
    told), its uncertainty."""
    weight = sum(max(c["population"], 1) for c in cities)
    lon = sum(c["longitude"] * max(c["population"], 1) for c in cities) / weight
    lat = sum(c["latitude"] * max(c["population"], 1) for c in cities) / weight
    distances = sorted(GEOD.inv(lon, lat, c["longitude"], c["latitude"])[2] for c in cities)
    return Point(lon, lat), round(distances[int(share * (len(distances) - 1))] / 1000) * 1000
