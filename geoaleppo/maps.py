"""Folium maps of readings: reported control, events as symbols, places, derived areas.

The page is a folium map whose layers are drawn by geoaleppo's own script
(``static/map.js``) from one JSON document (:func:`map_document`). The document goes
into the page as data, in a ``<script type="application/json">`` element that no
template engine ever reads, so nothing an article says can run as code; every text in
it is escaped HTML (:mod:`geoaleppo.popups`).

Cartographic order, bottom to top, enforced by Leaflet panes: neighbourhood outlines
(context, which take the pointer only where nothing lies above), control fills, derived
areas as outlines, places mentioned, event symbols, labels (which never take it).
Precision stays honest: an event at a site is a symbol on the site, one known to a
district a symbol at the district's point whose outline shows on hover, and one known
only to the city or wider is listed in a panel, never drawn over the city.

Reports of more than one day get a time slider (:mod:`geoaleppo.timeslider`): the page
then draws control and events one day at a time; what each thing looks like is
:mod:`geoaleppo.cartography`'s, shared by both.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geoaleppo import popups
from geoaleppo.cartography import (
    CONTEXT_LAYER,
    DISPLAY_TOLERANCE_DEG,
    EVENT_LAYERS,
    STATUS_COLOURS,
    display_feature,
    display_shape,
    is_wide,
    symbol_anchor,
    symbol_of,
)
from geoaleppo.control import Status, status_on
from geoaleppo.errors import ExportError
from geoaleppo.gazetteer import Gazetteer
from geoaleppo.history import PlaceStatus, history
from geoaleppo.model import (
    Article,
    ControlClaim,
    DerivedArea,
    Event,
    Mention,
    Place,
    Reading,
)
from geoaleppo.serialise import geometry_json
from geoaleppo.store import write_atomic, write_failure

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

# Places labelled at every zoom whatever the articles say: what a reader orients by.
_LANDMARK_LABELS = ("old-city", "aleppo-citadel")


# -- events ----------------------------------------------------------------------------
def _event_features(events: Iterable[Event]) -> dict[str, list[dict[str, Any]]]:
    """One symbol per place (or derived area) and kind of symbol, listing its events.

    Ten thousand reports from one district are one symbol with a count, not ten
    thousand stacked copies. The symbol stands at the site, the district's point, or
    the derived area's point; a district's or area's outline rides along for hover.
    """
    groups: dict[tuple[str, str], list[Event]] = {}
    for event in events:
        if is_wide(event):
            continue
        key = (f"derived:{event.derived.description}" if event.derived
               else event.place.id if event.place else "")
        groups.setdefault((symbol_of(event.type), key), []).append(event)
    layers: dict[str, list[dict[str, Any]]] = {symbol: [] for _n, _k, symbol, _c in EVENT_LAYERS}
    for (symbol, _key), found in sorted(groups.items()):
        # Listed by day and article, so the same reports in any order give the same page.
        members = sorted(found, key=lambda e: (e.date or "", e.article.id if e.article else "",
                                               e.sentence_index, e.trigger))
        where, point, _outline_key, outline = symbol_anchor(members[0], members[0].place)
        layers[symbol].append(display_feature(point, {
            "count": len(members),
            "tooltip": popups.events_tooltip(members, where),
            "popup": popups.events_popup(members, where),
            "outline": geometry_json(outline, tolerance=DISPLAY_TOLERANCE_DEG),
        }))
    return layers


def _unplaced(events: Iterable[Event]) -> list[dict[str, str]]:
    """Reports known only to the city or wider, or to no place: the panel's list."""
    items = []
    for event in events:
        if not is_wide(event):
            continue
        where = event.place.title if event.place else "no place given"
        items.append({"title": popups.escape(f"{event.type} — {where}, {event.date or '?'}"),
                      "popup": popups.event_popup(event, where)})
    return sorted(items, key=lambda item: (item["title"], item["popup"]))


# -- control ---------------------------------------------------------------------------
def _area_extent(place: Place, date: str | None, gazetteer: Gazetteer
                 ) -> tuple[BaseGeometry, str]:
    """An area's shape on ``date``: the union of the districts recorded in it then.

    Eastern Aleppo shrank through the offensive; a report of 5 December that says
    "rebel-held eastern Aleppo" means the pocket of that day, not of 14 November.
    """
    from shapely.ops import unary_union

    day, members = place.members_as_of(date)
    shapes = [display_shape(member) for member_id in members
              if (member := gazetteer.get(member_id)) is not None]
    if not place.members_on or day is None or not shapes:
        return display_shape(place), place.note
    note = (f"Drawn as it stood on {day}: the {popups.plural(len(members), 'district')} "
            "the cited reports put in it that day (held or contested).")
    return unary_union(shapes), note


def _control_features(claims: list[ControlClaim], as_of: str | None, gazetteer: Gazetteer,
                      *, corroborated: bool = False) -> list[dict[str, Any]]:
    """A fill per place with reported control, as of ``as_of``; smallest on top.

    Each carries its popup section, and the page lists every section whose place
    contains a click (a district inside the Old City inside eastern Aleppo): a place
    that another covers still answers a click inside it.
    """
    drawn = []
    # The dated history (geoaleppo.history) where there is a day to ask about.
    found: Sequence[PlaceStatus | Status] = (
        history(claims, until=as_of, corroborated=corroborated).status_on(as_of) if as_of
        else status_on(claims, as_of))
    for status in found:
        geometry, note = _area_extent(status.place, as_of, gazetteer)
        drawn.append((geometry, status, note))
    drawn.sort(key=lambda item: (-item[0].area, item[1].place.id))
    features = []
    for order, (geometry, status, note) in enumerate(drawn):
        place = status.place
        features.append(display_feature(geometry, {
            "status": str(status.status),
            "place": popups.escape(place.title),
            "order": order,
            "rough": bool(place.uncertainty_m) and place.geometry is not None
            and place.geometry.geom_type == "Point",
            "tooltip": popups.escape(f"{place.title}: {status.status}"),
            "section": popups.control_section(place, status.status, status.claims, note),
        }))
    return features


# -- places, areas, context, labels ------------------------------------------------------
def _place_features(readings: list[Reading]) -> list[dict[str, Any]]:
    """One point per place named as a location, quoting every sentence naming it."""
    from shapely.geometry import Point

    grouped: dict[str, list[tuple[Mention, Article]]] = {}
    places: dict[str, Place] = {}
    for reading in readings:
        for mention in reading.mentions:
            place = mention.place
            if place is None or mention.role != "location" or place.kind == "country":
                continue
            grouped.setdefault(place.id, []).append((mention, reading.article))
            places[place.id] = place
    # The same reports in any order quote the same sentences in the same order.
    def in_order(item: tuple[Mention, Article]) -> tuple[str, str, int]:
        return (item[1].published or "", item[1].id, item[0].start)

    return [
        display_feature(Point(places[place_id].lon, places[place_id].lat), {
            "tooltip": popups.escape(f"{places[place_id].title} "
                                     f"({popups.plural(len(items), 'mention')})"),
            "popup": popups.place_popup(places[place_id], sorted(items, key=in_order)),
        })
        for place_id, items in sorted(grouped.items())
    ]


def _derived_features(readings: list[Reading]) -> list[dict[str, Any]]:
    features = []
    seen: set[str] = set()
    for reading in sorted(readings, key=lambda r: (r.article.published or "", r.article.id)):
        for mention in reading.mentions:
            derived = mention.derived
            if derived is None or derived.description in seen:
                continue
            seen.add(derived.description)
            features.append(display_feature(derived.geometry, {
                "tooltip": popups.escape(derived.description),
                "popup": _derived_popup(derived, reading.article),
            }))
    return features


def _derived_popup(derived: DerivedArea, article: Article) -> str:
    return "<b>derived area</b>" + popups.rows([
        ("rule", derived.rule), ("how", derived.description),
        ("article", popups.article_label(article)),
    ])


def _neighbourhoods(gazetteer: Gazetteer) -> list[Place]:
    return [place for place in gazetteer
            if place.kind == "district" and place.parent == "aleppo"
            and place.geometry is not None and place.geometry.geom_type != "Point"]


def _context_features(gazetteer: Gazetteer) -> list[dict[str, Any]]:
    return [
        display_feature(place.geometry, {"id": place.id, "tooltip": popups.names_tooltip(place),
                                  "popup": f"<b>{popups.names_tooltip(place)}</b>"})
        for place in _neighbourhoods(gazetteer) if place.geometry is not None
    ]


def _labels(readings: list[Reading], gazetteer: Gazetteer) -> list[dict[str, Any]]:
    """Names on the map: neighbourhoods from zoom 14; at every zoom the Old City, the
    citadel and the places the articles name."""
    named = {m.place.id for r in readings for m in r.mentions
             if m.place is not None and m.role == "location"
             and m.place.kind in {"district", "area", "landmark"}}
    labels = {}
    for place in _neighbourhoods(gazetteer):
        labels[place.id] = {"lat": place.lat, "lon": place.lon, "minor": True,
                            "text": popups.escape(place.title)}
    for place_id in (*_LANDMARK_LABELS, *sorted(named)):
        named_place = gazetteer.get(place_id)
        if named_place is not None:
            labels[place_id] = {"lat": named_place.lat, "lon": named_place.lon,
                                "minor": False, "text": popups.escape(named_place.title)}
    # A neighbourhood whose name would sit on a named place's (the eye hospital stands in
    # Qadi Askar's outline) yields to it.
    taken = {(label["lat"], label["lon"]) for label in labels.values() if not label["minor"]}
    return [labels[key] for key in sorted(labels)
            if not (labels[key]["minor"] and (labels[key]["lat"], labels[key]["lon"]) in taken)]


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


# -- the document ------------------------------------------------------------------------
def map_document(readings: list[Reading], gazetteer: Gazetteer, *, title: str | None = None,
                 as_of: str | None = None, offline: bool = False, slider: bool | None = None,
                 corroborated: bool = False) -> dict[str, Any]:
    """Everything the page draws, as one JSON-ready value (texts are escaped HTML).

    Control is drawn as reported up to ``as_of`` (default: the latest article's date).
    With ``slider`` (default: when the reports were published on more than one day) the
    page gets a time slider (:mod:`geoaleppo.timeslider`) that opens on ``as_of``; with
    ``corroborated`` it draws only what independent sources repeat.
    """
    from geoaleppo import timeslider

    dates = [r.article.published for r in readings if r.article.published]
    as_of = as_of or (max(dates) if dates else None)
    if title is None:
        titles = sorted({r.article.title for r in readings})
        title = titles[0] if len(titles) == 1 else popups.plural(len(readings), "report")
    context = _context_features(gazetteer)
    days = None
    if timeslider.wants_slider(readings) if slider is None else slider:
        days = timeslider.slider_document(
            readings, gazetteer, day=as_of, corroborated=corroborated,
            context_ids=frozenset(f["properties"]["id"] for f in context))
    places = _place_features(readings)
    if days is not None:
        as_of = days["day"]
        control: list[dict[str, Any]] = []
        symbols = days["eventLayers"]
        unplaced = []  # the slider lists each day's own (days["unplaced"])
        shapes = [{"geometry": g} for g in days["shapes"].values()]
        placed = shapes + [f for layer in symbols.values() for f in layer]
    else:
        events = [event for reading in readings for event in reading.events]
        claims = [claim for reading in readings for claim in reading.control]
        control = _control_features(claims, as_of, gazetteer, corroborated=corroborated)
        symbols = _event_features(events)
        unplaced = _unplaced(events)
        placed = control + [f for layer in symbols.values() for f in layer]
    subtitle = f"control as reported up to {as_of}" if as_of else "date unknown"
    if corroborated:
        subtitle += " · corroborated claims only"
    if offline:
        subtitle += " · offline map: base tiles need a network"
    document = {
        "title": popups.escape(title),
        "subtitle": popups.escape(subtitle),
        "asOf": as_of,
        "bounds": _bounds(placed) or _bounds(places),
        "statusColours": {str(k): v for k, v in STATUS_COLOURS.items()},
        "statusOrder": [str(k) for k in STATUS_COLOURS],
        "contextName": CONTEXT_LAYER,
        "context": context,
        "control": control,
        "eventLayers": [{"name": name, "symbol": symbol, "colour": colour,
                         "features": [] if days is not None else symbols[symbol]}
                        for name, _kinds, symbol, colour in EVENT_LAYERS],
        "places": places,
        "derived": _derived_features(readings),
        "labels": _labels(readings, gazetteer),
        "unplaced": unplaced,
        "credit": "Outlines: Columbia CSR, “Conflict Urbanism: Aleppo” (MIT); events as "
                  "reported, precision as known.",
    }
    if days is not None:
        document["timeline"] = days
    return document


def _script_json(value: Any) -> str:
    """JSON that cannot end the ``<script>`` element it sits in, nor open a comment.

    Only ``</`` (an end tag) and ``<!`` (a comment, which changes how the browser looks
    for the end) can leave a data script; each becomes a JSON escape that parses to the
    same text. (Escaping every ``<`` would cost six bytes a tag in popup-heavy maps.)
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return text.replace("</", "<\\/").replace("<!", "\\u003c!")


def folium_map(
    readings: list[Reading],
    gazetteer: Gazetteer,
    *,
    title: str | None = None,
    offline: bool = False,
    as_of: str | None = None,
    slider: bool | None = None,
    corroborated: bool = False,
) -> Any:
    """The map as a :class:`folium.Map`: a notebook shows it inline; :func:`build_map`
    renders it to a self-contained, reproducible page."""
    import folium
    from branca.element import Figure, MacroElement
    from jinja2 import Template

    from geoaleppo import assets

    document = map_document(readings, gazetteer, title=title, as_of=as_of, offline=offline,
                            slider=slider, corroborated=corroborated)
    fmap = folium.Map(location=[36.2, 37.16], zoom_start=13,
                      tiles=None if offline else "OpenStreetMap", control_scale=True,
                      maxZoom=18)
    # Only what the map uses, each file with its integrity hash: no Bootstrap, no
    # Font Awesome, no jQuery (the layers are drawn by static/map.js).
    fmap.default_js, fmap.default_css = [], []
    static = resources.files("geoaleppo") / "static"
    root = fmap.get_root()
    assert isinstance(root, Figure)
    root.header.add_child(_raw(assets.asset_tags()), name="geoaleppo_assets")
    root.header.add_child(_raw("<style>\n" + static.joinpath("map.css").read_text("utf-8")
                               + "</style>"), name="geoaleppo_style")
    root.header.add_child(_raw("<script>\n" + static.joinpath("map.js").read_text("utf-8")
                               + "</script>"), name="geoaleppo_script")
    root.html.add_child(_raw('<script type="application/json" id="geoaleppo-data">'
                             + _script_json(document) + "</script>"), name="geoaleppo_data")

    class Draw(MacroElement):
        # Fixed text: the map's name is the only thing filled in.
        _template = Template(
            "{% macro script(this, kwargs) %}"
            "geoaleppoMap({{ this._parent.get_name() }}, "
            "JSON.parse(document.getElementById('geoaleppo-data').textContent));"
            "{% endmacro %}"
        )

    fmap.add_child(Draw())
    return fmap


def build_map(
    readings: list[Reading],
    gazetteer: Gazetteer,
    *,
    title: str | None = None,
    offline: bool = False,
    as_of: str | None = None,
    slider: bool | None = None,
    corroborated: bool = False,
) -> str:
    """The map's HTML for ``readings`` (deterministic: same input, same bytes)."""
    from geoaleppo import offline as self_contained

    fmap = folium_map(readings, gazetteer, title=title, offline=offline, as_of=as_of,
                      slider=slider, corroborated=corroborated)
    root = fmap.get_root()
    page = self_contained.stable_ids(root.render(), root)
    if offline:
        page = self_contained.inline_assets(page)
    return page


def _raw(text: str) -> Any:
    """An element whose text goes into the page as it is.

    branca renders a child by calling its ``render`` and puts the result into the page
    template as a value, never as template source, so this text is never evaluated.
    """
    from branca.element import Element

    class Raw(Element):
        def render(self, **_kwargs: Any) -> str:
            return text

    return Raw()


def write_map(readings: list[Reading], gazetteer: Gazetteer, path: Path, *,
              title: str | None = None, offline: bool = False, as_of: str | None = None,
              slider: bool | None = None, corroborated: bool = False) -> int:
    """Write the map to ``path`` atomically; returns its size in bytes."""
    if path.suffix.lower() not in {".html", ".htm"}:
        msg = f"{path}: a map is an .html file"
        raise ExportError(msg)
    try:
        parent_exists = path.parent.exists()
    except OSError as exc:  # a name over 255 bytes, a loop of symbolic links
        msg = f"{path}: cannot write: {write_failure(path, exc)}"
        raise ExportError(msg) from exc
    if not parent_exists:
        msg = f"{path}: directory {path.parent} does not exist"
        raise ExportError(msg)
    page = build_map(readings, gazetteer, title=title, offline=offline, as_of=as_of,
                     slider=slider, corroborated=corroborated)
    try:
        write_atomic(path, page)
    except OSError as exc:
        msg = f"{path}: cannot write: {write_failure(path, exc)}"
        raise ExportError(msg) from exc
    return len(page.encode("utf-8"))


__all__ = ["EVENT_LAYERS", "STATUS_COLOURS", "build_map", "folium_map", "map_document",
           "write_map"]
