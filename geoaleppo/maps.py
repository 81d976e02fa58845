"""Folium maps of readings: reported control, events by kind, places, derived areas.

Every feature's tooltip and popup is built here from escaped text: nothing from an
article reaches the page unescaped. Geometry is as precise as the source and no more: a
district-level event is drawn as the district, a city-level one as a circle the size of
the city, never as a pin on a guessed spot.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Sequence
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geoaleppo import spatial
from geoaleppo.control import Status, status_on
from geoaleppo.errors import ExportError
from geoaleppo.gazetteer import Gazetteer
from geoaleppo.history import PlaceStatus, history
from geoaleppo.model import (
    ControlClaim,
    ControlStatus,
    DerivedArea,
    Event,
    EventType,
    Mention,
    Place,
    Reading,
)
from geoaleppo.serialise import feature
from geoaleppo.store import write_atomic

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

STATUS_COLOURS = {
    ControlStatus.GOVERNMENT: "#d7191c",
    ControlStatus.REBELS: "#1a9641",
    ControlStatus.KURDISH: "#f2c500",
    ControlStatus.CONTESTED: "#7b3294",
    ControlStatus.UNKNOWN: "#9e9e9e",
}
EVENT_LAYERS: tuple[tuple[str, frozenset[EventType] | None, str], ...] = (
    ("Clashes", frozenset({EventType.CLASH, EventType.COUNTER_ATTACK, EventType.ATTACK}),
     "#e66101"),
    ("Shelling and air strikes",
     frozenset({EventType.SHELLING, EventType.AIR_STRIKE, EventType.BOMBARDMENT}), "#5e3c99"),
    ("Captures and advances", frozenset({EventType.CAPTURE, EventType.ADVANCE}), "#0571b0"),
    ("Other events", None, "#404040"),
)
_HATCH_ID = "geoaleppo-hatch"


# branca turns the output of every folium script macro back into a Jinja template, so a
# "{{" in a popup would be evaluated on the analyst's machine. Braces therefore leave
# here as character references, which the browser shows as braces and Jinja ignores.
_BRACES_AS_REFERENCES = str.maketrans({"{": "&#123;", "}": "&#125;"})
_TEMPLATE_OPENERS = ("{{", "{%", "{#")


def _e(value: object) -> str:
    """``value`` as HTML text that is also inert as Jinja template source."""
    return html.escape("" if value is None else str(value), quote=True).translate(
        _BRACES_AS_REFERENCES)


def _refuse_template_syntax(data: object, what: str) -> None:
    """Stop before folium sees data that Jinja would run: a missed escape is a bug here.

    JSON itself never writes two braces in a row, ``{%`` or ``{#``, so any such pair in
    the dump came from a string that skipped :func:`_e`.
    """
    dumped = json.dumps(data, ensure_ascii=False)
    if any(opener in dumped for opener in _TEMPLATE_OPENERS):
        msg = f"internal error: unescaped template syntax in the map's {what}"
        raise ExportError(msg)


def _shape_of(place: Place | None, derived: DerivedArea | None) -> BaseGeometry:
    """The drawn geometry (one rule with the exports), with a rough point's uncertainty
    drawn as the circle it may lie anywhere in."""
    if derived is not None:
        return derived.geometry
    assert place is not None  # callers pass a place or a derived area
    geometry = spatial.drawn_geometry(place)
    if derived is None and geometry.geom_type == "Point":
        return spatial.uncertainty_circle(place) or geometry
    return geometry


# About 3 m: invisible at street zoom, and it halves the size of district outlines.
DISPLAY_TOLERANCE_DEG = 0.00003


def _feature(geometry: BaseGeometry, properties: dict[str, Any]) -> dict[str, Any]:
    return feature(geometry, properties, tolerance=DISPLAY_TOLERANCE_DEG)


def _rows(rows: Iterable[tuple[str, object]]) -> str:
    cells = "".join(
        f"<tr><th>{_e(label)}</th><td>{_e(value)}</td></tr>" for label, value in rows
        if value not in (None, "", ())
    )
    return f"<table class='geoaleppo-popup'>{cells}</table>"


def _quote(sentence: str) -> str:
    return f"<blockquote>{_e(sentence)}</blockquote>"


def _article_label(reading: Reading) -> str:
    article = reading.article
    return f"{article.title} ({article.published or 'date unknown'}; {article.source})"


# A place's popup lists this many of its events, then says how many more there are
# (the export has them all).
MAX_EVENTS_PER_POPUP = 10


def _event_popup(event: Event, reading: Reading, where: str) -> str:
    fatalities: object = event.fatalities
    if event.fatalities is not None and event.fatalities_lower_bound:
        fatalities = f"more than {event.fatalities}"
    return (
        f"<b>{_e(event.type)}</b>"
        + _rows([
            ("where", where),
            ("when", event.date + (f" to {event.date_end}" if event.date_end else "")
             if event.date else "unknown"),
            ("who", ", ".join(event.actors)),
            ("says who", f"{event.claimant} ({'claim' if event.claimed else 'reported as fact'})"),
            ("killed", fatalities),
            ("injured", event.injured),
            ("precision", f"geo {event.geo_precision}, time {event.time_precision}"),
            ("article", _article_label(reading)),
        ])
        + _quote(event.sentence)
    )


def _event_line(event: Event, reading: Reading) -> str:
    """One event in a place's list: type, date, who, who says so, the sentence."""
    numbers = ""
    if event.fatalities is not None:
        bound = "more than " if event.fatalities_lower_bound else ""
        numbers = f", {bound}{event.fatalities} killed"
    if event.injured is not None:
        numbers += f", {event.injured} injured"
    return (
        f"<li><b>{_e(event.type)}</b> {_e(event.date or 'date unknown')}"
        f" — {_e(', '.join(event.actors) or 'actors not named')}{_e(numbers)}"
        f" — per {_e(event.claimant)}{' (claim)' if event.claimed else ''}"
        f"{_quote(event.sentence)}<small>{_e(_article_label(reading))}</small></li>"
    )


def _where(event: Event) -> str:
    if event.derived is not None:
        return event.derived.description
    return event.place.title if event.place else ""


def _event_features(items: list[tuple[Event, Reading]]) -> list[dict[str, Any]]:
    """Features for events: one per place or derived area, listing its events.

    Events at the same site, district or derived area share one feature whose popup
    lists them, so ten thousand reports from a district draw one polygon, not ten
    thousand stacked copies of it; site features are clustered on the map.
    """
    groups: dict[str, list[tuple[Event, Reading]]] = {}
    for event, reading in items:
        if event.derived is not None:
            key = f"derived:{event.derived.description}"
        elif event.place is not None:
            key = event.place.id
        else:
            continue
        groups.setdefault(key, []).append((event, reading))
    features = []
    for key in sorted(groups):
        members = groups[key]
        first = members[0][0]
        geometry = _shape_of(first.place, first.derived)
        where = _where(first)
        if len(members) == 1:
            popup = _event_popup(first, members[0][1], where)
        else:
            shown = members[:MAX_EVENTS_PER_POPUP]
            popup = f"<b>{len(members)} events: {_e(where)}</b><ol>" + "".join(
                _event_line(e, r) for e, r in shown) + "</ol>"
            if len(members) > len(shown):
                popup += f"<p>… and {len(members) - len(shown)} more here (see the export)</p>"
        kinds = sorted({e.type for e, _r in members})
        count = f"{len(members)} events" if len(members) > 1 else "1 event"
        # Known only to the city or a wide area: drawn as that outline, unfilled, so it
        # neither hides the districts nor pretends to a spot.
        wide = first.geo_precision >= 3 or (
            first.place is not None and first.derived is None
            and first.place.kind in {"area", "city"}
        )
        features.append(_feature(geometry, {
            "tooltip": _e(f"{count} ({', '.join(kinds)}) — {where}"),
            "popup": popup, "wide": wide, "point": geometry.geom_type == "Point"}))
    return features


def _place_features(readings: list[Reading]) -> list[dict[str, Any]]:
    """One feature per place mentioned as a location, quoting every sentence naming it."""
    grouped: dict[str, list[tuple[Mention, Reading]]] = {}
    for reading in readings:
        for mention in reading.mentions:
            place = mention.place
            if place is None or mention.role != "location" or place.kind == "country":
                continue
            grouped.setdefault(place.id, []).append((mention, reading))
    return [_mention_feature(items) for _place_id, items in sorted(grouped.items())]


def _mention_feature(items: list[tuple[Mention, Reading]]) -> dict[str, Any]:
    mention = items[0][0]
    place = mention.place
    assert place is not None
    geometry = _shape_of(place, None)
    quotes = []
    for item, source in items:
        text = item.sentence or item.text
        quotes.append(_quote(text) + f"<small>{_e(_article_label(source))}</small>")
    popup = (
        f"<b>{_e(place.title)}</b>"
        + _rows([
            ("as written", "; ".join(sorted({m.text for m, _r in items}))),
            ("mentions", len(items)),
            ("kind", place.kind),
            ("precision", place.precision + (f" (±{place.uncertainty_m:g} m)"
                                             if place.uncertainty_m else "")),
            ("matched by", mention.method),
            ("geometry from", place.geometry_source),
            ("note", place.note),
        ])
        + "".join(quotes)
    )
    return _feature(geometry, {"tooltip": _e(f"{place.title} ({len(items)} mentions)"),
                               "popup": popup})


def _derived_features(reading: Reading) -> list[dict[str, Any]]:
    features = []
    seen = set()
    for mention in reading.mentions:
        derived = mention.derived
        if derived is None or derived.description in seen:
            continue
        seen.add(derived.description)
        popup = "<b>derived area</b>" + _rows([
            ("rule", derived.rule), ("how", derived.description),
            ("article", _article_label(reading)),
        ])
        features.append(_feature(derived.geometry,
                                 {"tooltip": _e(derived.description), "popup": popup}))
    return features


def _area_extent(place: Place, date: str | None, gazetteer: Gazetteer
                 ) -> tuple[Any, str]:
    """An area's shape on ``date``: the union of the districts recorded in it then.

    Eastern Aleppo shrank through the offensive; a report of 5 December that says
    "rebel-held eastern Aleppo" means the pocket of that day, not of 14 November.
    """
    from shapely.ops import unary_union

    day, members = place.members_as_of(date)
    if not place.members_on or day is None:
        return _shape_of(place, None), ""
    shapes = [_shape_of(member, None) for member_id in members
              if (member := gazetteer.get(member_id)) is not None]
    if not shapes:
        return _shape_of(place, None), ""
    note = (f"Drawn as it stood on {day}: the {len(members)} districts the cited reports put "
            f"in it that day (held or contested). {place.note}")
    return unary_union(shapes), note


def _control_features(readings: list[Reading], gazetteer: Gazetteer,
                      as_of: str | None = None) -> tuple[list[dict[str, Any]], str | None]:
    claims: list[ControlClaim] = [c for r in readings for c in r.control]
    dates = [r.article.published for r in readings if r.article.published]
    latest = as_of or (max(dates) if dates else None)
    features = []
    order = {"area": 0, "city": 0, "district": 1, "landmark": 2}
    # The dated history (geoaleppo.history) where there is a day to ask about.
    found: Sequence[PlaceStatus | Status] = (
        history(claims, until=latest).status_on(latest) if latest
        else status_on(claims, latest))
    statuses = sorted(found, key=lambda s: (order.get(s.place.kind, 3), s.place.id))
    for status in statuses:
        geometry, extent_note = _area_extent(status.place, latest, gazetteer)
        if geometry is None:
            continue
        lines = "".join(
            f"<li><b>{_e(c.status)}</b> per {_e(c.claimant)} ({_e(c.date or '')}, "
            f"{_e(c.article.title if c.article else '')}): {_quote(c.sentence)}</li>"
            for c in status.claims
        )
        note = ""
        if status.place.kind == "area":
            note = f"<p><i>{_e(extent_note or status.place.note)}</i></p>"
        popup = f"<b>{_e(status.place.title)}: {_e(status.status)}</b>{note}<ul>{lines}</ul>"
        features.append(_feature(geometry, {
            "tooltip": _e(f"{status.place.title}: {status.status}"),
            "popup": popup, "status": status.status}))
    return features, latest


def _context_features(gazetteer: Gazetteer) -> list[dict[str, Any]]:
    features = []
    for place in gazetteer:
        if place.kind != "district" or place.geometry is None:
            continue
        if place.geometry.geom_type == "Point" or place.parent != "aleppo":
            continue
        features.append(_feature(place.geometry,
                                 {"tooltip": _e(place.title), "popup": _e(place.title)}))
    return features


def build_map(
    readings: list[Reading],
    gazetteer: Gazetteer,
    *,
    title: str | None = None,
    offline: bool = False,
    as_of: str | None = None,
) -> str:
    """The map's HTML for ``readings`` (deterministic: same input, same bytes); control
    as of ``as_of`` (ISO day; default: the latest article's date)."""
    import folium
    from folium.plugins import Fullscreen

    from geoaleppo import offline as self_contained

    fmap = folium.Map(
        location=[36.2, 37.16], zoom_start=13, tiles=None if offline else "OpenStreetMap",
        control_scale=True, prefer_canvas=False, maxZoom=18,
    )
    if offline:
        self_contained.trim_defaults(fmap)
    control_features, latest = _control_features(readings, gazetteer, as_of)
    _add_layer(fmap, "Context: Aleppo neighbourhoods", _context_features(gazetteer),
               {"color": "#616161", "weight": 1, "fillOpacity": 0.0, "opacity": 0.6},
               show=True)
    control_group = folium.FeatureGroup(name="Control", show=True)
    for status, colour in STATUS_COLOURS.items():
        subset = [f for f in control_features if f["properties"]["status"] == status]
        if not subset:
            continue
        style = {"color": colour, "weight": 2, "fillColor": colour, "fillOpacity": 0.35}
        if status == ControlStatus.CONTESTED:
            style = {"color": colour, "weight": 2, "fillOpacity": 0.6,
                     "className": "geoaleppo-contested"}
        _geojson(subset, style).add_to(control_group)
    control_group.add_to(fmap)
    event_features: list[dict[str, Any]] = []
    for name, kinds, colour in EVENT_LAYERS:
        features = _event_features([
            (event, reading)
            for reading in readings
            for event in reading.events
            if (kinds is None and not any(event.type in k for _, k, _ in EVENT_LAYERS if k))
            or (kinds is not None and event.type in kinds)
        ])
        event_features += features
        _add_layer(fmap, name, features, {"color": colour, "weight": 2, "fillColor": colour,
                                          "fillOpacity": 0.25}, point_colour=colour)
    mentions = _place_features(readings)
    _add_layer(fmap, "Places mentioned", mentions,
               {"color": "#1f78b4", "weight": 1, "fillOpacity": 0.1, "dashArray": "4 4"},
               point_colour="#1f78b4", show=False)
    _add_layer(fmap, "Derived areas",
               [f for r in readings for f in _derived_features(r)],
               {"color": "#000000", "weight": 2, "fillOpacity": 0.05, "dashArray": "6 4"})
    Fullscreen(position="topleft").add_to(fmap)
    folium.LayerControl(collapsed=False).add_to(fmap)
    _add_chrome(fmap, readings, title, latest, offline)
    # Fit to what happened, not to every capital the story mentions in passing.
    bounds = _bounds(control_features + event_features) or _bounds(mentions)
    if bounds:
        fmap.fit_bounds(bounds)
    root = fmap.get_root()
    page = self_contained.stable_ids(root.render(), root)
    if offline:
        page = self_contained.inline_assets(page)
    return page


def _geojson(features: list[dict[str, Any]], style: dict[str, Any], point_colour: str = ""):
    import folium

    marker = None
    if point_colour:
        marker = folium.CircleMarker(radius=6, color=point_colour, fill=True,
                                     fill_color=point_colour, fill_opacity=0.8, weight=1)
    _refuse_template_syntax(features, "features")
    return folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        style_function=lambda _feature, style=style: style,
        marker=marker,
        tooltip=folium.GeoJsonTooltip(fields=["tooltip"], labels=False),
        popup=folium.GeoJsonPopup(fields=["popup"], labels=False, max_width=420),
    )


def _add_layer(fmap: Any, name: str, features: list[dict[str, Any]], style: dict[str, Any],
               *, point_colour: str = "", show: bool = True) -> None:
    import folium
    from folium.plugins import MarkerCluster

    group = folium.FeatureGroup(name=name, show=show)
    points = [f for f in features if f["properties"].get("point")]
    narrow = [f for f in features
              if not f["properties"].get("wide") and not f["properties"].get("point")]
    wide = [f for f in features if f["properties"].get("wide")]
    if points:
        # Site events cluster: thousands of pins would hide each other and the map.
        cluster = MarkerCluster(options={"showCoverageOnHover": False, "maxClusterRadius": 40})
        _geojson(points, style, point_colour).add_to(cluster)
        cluster.add_to(group)
    if narrow:
        _geojson(narrow, style, point_colour).add_to(group)
    if wide:
        _geojson(wide, {**style, "fillOpacity": 0.0, "dashArray": "2 6", "weight": 2}
                 ).add_to(group)
    group.add_to(fmap)


def _bounds(features: list[dict[str, Any]]) -> list[list[float]] | None:
    from shapely.geometry import shape

    shapes = [shape(f["geometry"]) for f in features]
    shapes = [s for s in shapes if s.bounds[2] - s.bounds[0] < 0.5]  # not countries
    if not shapes:
        return None
    west = min(s.bounds[0] for s in shapes)
    south = min(s.bounds[1] for s in shapes)
    east = max(s.bounds[2] for s in shapes)
    north = max(s.bounds[3] for s in shapes)
    return [[round(south, 6), round(west, 6)], [round(north, 6), round(east, 6)]]


def _legend_html() -> str:
    swatches = []
    for status, colour in STATUS_COLOURS.items():
        if status == ControlStatus.CONTESTED:
            swatch = (
                "<svg width='18' height='12'><rect width='18' height='12' "
                f"fill='url(#{_HATCH_ID}-legend)' stroke='{colour}'/></svg>"
            )
        elif status == ControlStatus.UNKNOWN:
            swatch = (f"<svg width='18' height='12'><rect width='18' height='12' fill='none' "
                      f"stroke='{colour}'/></svg>")
        else:
            swatch = (f"<svg width='18' height='12'><rect width='18' height='12' fill='{colour}' "
                      f"fill-opacity='0.5' stroke='{colour}'/></svg>")
        label = "unknown (outline only)" if status == ControlStatus.UNKNOWN else status
        swatches.append(f"<div>{swatch} {_e(label)}</div>")
    events = "".join(
        f"<div><svg width='18' height='12'><circle cx='9' cy='6' r='5' fill='{colour}'/></svg> "
        f"{_e(name)}</div>" for name, _kinds, colour in EVENT_LAYERS
    )
    return (
        "<div class='geoaleppo-legend'><b>Reported control</b>" + "".join(swatches)
        + "<b>Events</b>" + events
        + "<div><svg width='18' height='12'><rect width='18' height='12' fill='none' "
        "stroke='#000' stroke-dasharray='4 2'/></svg> derived area</div>"
        + "<div class='geoaleppo-note'>Outlines: Columbia CSR (MIT); events as reported, "
        "precision as known.</div></div>"
    )


def _add_chrome(fmap: Any, readings: list[Reading], title: str | None, latest: str | None,
                offline: bool) -> None:
    """Title, legend and the hatch pattern, as Leaflet controls so they stay in fullscreen."""
    from branca.element import Element, MacroElement
    from jinja2 import Template

    if title is None:
        titles = sorted({r.article.title for r in readings})
        title = titles[0] if len(titles) == 1 else f"{len(readings)} reports"
    subtitle = f"control as reported up to {latest}" if latest else "date unknown"
    if offline:
        subtitle += " · offline map: base tiles need a network"
    title_html = (f"<div class='geoaleppo-title'><b>{_e(title)}</b><br>"
                  f"<span>{_e(subtitle)}</span></div>")
    static = resources.files("geoaleppo") / "static"
    style = static.joinpath("map.css").read_text("utf-8")
    script = static.joinpath("map.js").read_text("utf-8")
    fmap.get_root().header.add_child(Element(f"<style>\n{style}</style>"))
    fmap.get_root().header.add_child(Element(f"<script>\n{script}</script>"))

    class Chrome(MacroElement):
        _template = Template(
            "{% macro script(this, kwargs) %}"
            "geoaleppoChrome({{ this._parent.get_name() }}, {{ this.title_html|tojson }}, "
            "{{ this.legend_html|tojson }}, {{ this.hatch|tojson }});"
            "{% endmacro %}"
        )

        def __init__(self) -> None:
            super().__init__()
            self._name = "GeoaleppoChrome"
            self.title_html = title_html
            self.legend_html = _legend_html()
            self.hatch = _HATCH_ID
            _refuse_template_syntax([self.title_html, self.legend_html], "title and legend")

    fmap.add_child(Chrome())


def write_map(readings: list[Reading], gazetteer: Gazetteer, path: Path, *,
              title: str | None = None, offline: bool = False,
              as_of: str | None = None) -> int:
    """Write the map to ``path`` atomically; returns its size in bytes."""
    if path.suffix.lower() not in {".html", ".htm"}:
        msg = f"{path}: a map is an .html file"
        raise ExportError(msg)
    if not path.parent.exists():
        msg = f"{path}: directory {path.parent} does not exist"
        raise ExportError(msg)
    page = build_map(readings, gazetteer, title=title, offline=offline, as_of=as_of)
    try:
        write_atomic(path, page)
    except OSError as exc:
        msg = f"{path}: cannot write: {exc.strerror or exc}"
        raise ExportError(msg) from exc
    return len(page.encode("utf-8"))


__all__ = ["build_map", "write_map"]
