"""What a map draws for each thing, and how: colours, symbols, shapes, precision.

Shared by the map of a day (:mod:`geoaleppo.maps`) and its time slider
(:mod:`geoaleppo.timeslider`), so both draw a place, an event and a status alike.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from geoaleppo import spatial
from geoaleppo.model import ControlStatus, Event, EventType, Place
from geoaleppo.serialise import feature

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

#: Fill colour of each reported status (contested is striped in the first two).
STATUS_COLOURS = {
    ControlStatus.GOVERNMENT: "#d7191c",
    ControlStatus.REBELS: "#1a9641",
    ControlStatus.KURDISH: "#f2c500",
    ControlStatus.CONTESTED: "#7b3294",
    ControlStatus.UNKNOWN: "#9e9e9e",
}
#: The event layers: name, the types in it, the symbol that draws them, its colour.
EVENT_LAYERS: tuple[tuple[str, frozenset[EventType] | None, str, str], ...] = (
    ("Clashes", frozenset({EventType.CLASH, EventType.COUNTER_ATTACK, EventType.ATTACK}),
     "clash", "#e66101"),
    ("Shelling and air strikes",
     frozenset({EventType.SHELLING, EventType.AIR_STRIKE, EventType.BOMBARDMENT}),
     "strike", "#5e3c99"),
    ("Captures and advances", frozenset({EventType.CAPTURE, EventType.ADVANCE}),
     "capture", "#0571b0"),
    ("Other events", None, "other", "#404040"),
)
CONTEXT_LAYER = "Context: Aleppo neighbourhoods"

# About 3 m: invisible at street zoom, and it halves the size of district outlines.
DISPLAY_TOLERANCE_DEG = 0.00003
# Kinds known only as wide as a city or wider: their events go to the panel, not the map.
_WIDE_KINDS = frozenset({"city", "country", "region"})


def display_feature(geometry: BaseGeometry, properties: dict[str, Any]) -> dict[str, Any]:
    """A GeoJSON feature simplified for the screen (see :data:`DISPLAY_TOLERANCE_DEG`)."""
    return feature(geometry, properties, tolerance=DISPLAY_TOLERANCE_DEG)


def display_shape(place: Place) -> BaseGeometry:
    """The drawn geometry (one rule with the exports); a rough point's uncertainty is
    drawn as the circle it may lie anywhere in."""
    geometry = spatial.drawn_geometry(place)
    if geometry.geom_type == "Point":
        return spatial.uncertainty_circle(place) or geometry
    return geometry


def symbol_of(event_type: EventType) -> str:
    """The symbol of the event layer an event type is drawn in."""
    for _name, kinds, symbol, _colour in EVENT_LAYERS:
        if kinds is None or event_type in kinds:
            return symbol
    return "other"


def is_wide(event: Event) -> bool:
    """Whether an event is known only to a city or wider (listed, never drawn over it)."""
    if event.derived is not None:
        return False
    return event.place is None or event.place.kind in _WIDE_KINDS or event.geo_precision >= 3


def symbol_anchor(event: Event, place: Place | None
                  ) -> tuple[str, BaseGeometry, str | None, BaseGeometry | None]:
    """Where an event's symbol stands: the name it is listed under, its point, and the
    key and shape of the outline shown on hover (none for a site). A derived area
    ("within 1 km of…") stands at its own point; otherwise ``place`` does."""
    from shapely.geometry import Point

    derived = event.derived
    if derived is not None:
        return (derived.description, Point(derived.lon, derived.lat),
                f"derived:{derived.description}", derived.geometry)
    assert place is not None
    shape = display_shape(place)
    point = Point(place.lon, place.lat)
    if shape.geom_type == "Point":
        return place.title, point, None, None
    return place.title, point, place.id, shape
