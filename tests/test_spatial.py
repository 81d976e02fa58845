"""Buffers drawn in metres: the two ways of projecting a shape agree, and a ring is true."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Geod
from shapely.geometry import Point

from geoaleppo import spatial

latitudes = st.floats(min_value=-80, max_value=80)
longitudes = st.floats(min_value=-179, max_value=179)
offsets = st.lists(st.tuples(st.floats(-0.2, 0.2), st.floats(-0.2, 0.2)),
                   min_size=1, max_size=20)


@settings(max_examples=60, deadline=None)
@given(lat=latitudes, lon=longitudes, offsets=offsets)
def test_geodesic_projection_is_projs_azimuthal_equidistant(
        lat: float, lon: float, offsets: list[tuple[float, float]]) -> None:
    """Small shapes skip PROJ; what they are drawn as must not depend on that."""
    lons = np.array([lon + dx for dx, _dy in offsets])
    lats = np.array([max(-89.0, min(89.0, lat + dy)) for _dx, dy in offsets])
    centre = round(lon, 5), round(lat, 5)
    proj_forward, proj_backward = spatial._projections(*centre)
    own_forward, own_backward = spatial._geodesic_projections(*centre)
    proj_x, proj_y = proj_forward(lons, lats)
    own_x, own_y = own_forward(lons, lats)
    # Metres. A millimetre, not less: PROJ puts a point within 1e-10 radians of the
    # centre (0.6 mm) at the centre itself, where geographiclib gives its true offset.
    assert np.allclose(own_x, proj_x, rtol=0, atol=1e-3)
    assert np.allclose(own_y, proj_y, rtol=0, atol=1e-3)
    back_lons, back_lats = own_backward(own_x, own_y)
    proj_lons, proj_lats = proj_backward(proj_x, proj_y)
    assert np.allclose(back_lons, proj_lons, rtol=0, atol=1e-11)  # degrees
    assert np.allclose(back_lats, proj_lats, rtol=0, atol=1e-11)


def test_a_kilometre_ring_is_a_kilometre_on_the_ground() -> None:
    citadel = Point(37.16285, 36.19924)
    ring = spatial.buffer_m(citadel, 1000.0)
    geod = Geod(ellps="WGS84")
    lons, lats = ring.exterior.coords.xy
    _azimuths, _back, distances = geod.inv([citadel.x] * len(lons), [citadel.y] * len(lats),
                                           list(lons), list(lats))
    assert min(distances) > 999.99 and max(distances) < 1000.01


def test_large_outlines_go_through_proj_and_small_ones_do_not() -> None:
    near = Point(37.16, 36.2)
    assert spatial._local_projections(near, spatial._PROJ_VERTICES + 1) == (
        spatial._projections(37.16, 36.2))
    small_forward, _ = spatial._local_projections(near, 10)
    assert small_forward not in spatial._projections(37.16, 36.2)
