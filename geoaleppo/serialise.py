"""The one place where model values become JSON objects and GeoJSON features.

Every command's ``--json`` output and every export goes through these functions, so a
field has one name and one format everywhere.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TextIO, overload

from geoaleppo.model import (
    Article,
    ClaimBasis,
    ControlClaim,
    ControlStatus,
    DerivedArea,
    Event,
    EventType,
    Mention,
    Place,
    Reading,
    Resolution,
    Side,
    Unresolved,
)
from geoaleppo.store import round_coordinates

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

    from geoaleppo.gazetteer import Gazetteer

COORDINATE_DECIMALS = 6


def coordinate(value: float | None) -> float | None:
    return None if value is None else round(value, COORDINATE_DECIMALS)


def place_json(place: Place, *, geometry: bool = False) -> dict[str, Any]:
    """A place as a flat JSON object (lat/lon is a point inside the place)."""
    data: dict[str, Any] = {
        "id": place.id,
        "name": place.title,
        "kind": place.kind,
        "precision": place.precision,
        "lat": coordinate(place.lat),
        "lon": coordinate(place.lon),
        "names": [{"text": n.text, "lang": n.lang} for n in place.names],
        "parent": place.parent,
        "country": place.country or None,
        "uncertainty_m": place.uncertainty_m,
        "sources": list(place.sources),
        "geometry_source": place.geometry_source,
        "links": list(place.links),
        "note": place.note or None,
    }
    if place.members:
        data["members"] = list(place.members)
    if geometry:
        data["geometry"] = geometry_json(place.geometry)
    return data


@overload
def geometry_json(geometry: None, *, tolerance: float = 0.0) -> None: ...
@overload
def geometry_json(geometry: BaseGeometry, *, tolerance: float = 0.0) -> dict[str, Any]: ...
def geometry_json(geometry: BaseGeometry | None, *, tolerance: float = 0.0
                  ) -> dict[str, Any] | None:
    """A shapely geometry as RFC 7946 GeoJSON: lon/lat, exterior rings counter-clockwise,
    six decimals. ``tolerance`` (degrees) simplifies lines and outlines for display."""
    if geometry is None:
        return None
    from shapely.geometry import MultiPolygon, Polygon, mapping
    from shapely.geometry.polygon import orient

    shaped = geometry
    if tolerance and shaped.geom_type != "Point":
        shaped = shaped.simplify(tolerance, preserve_topology=True)
    if isinstance(shaped, Polygon):
        shaped = orient(shaped, sign=1.0)
    elif isinstance(shaped, MultiPolygon):
        shaped = MultiPolygon([orient(part, sign=1.0) for part in shaped.geoms])
    raw = mapping(shaped)
    return {"type": raw["type"], "coordinates": round_coordinates(raw["coordinates"])}


def resolution_json(resolution: Resolution) -> dict[str, Any]:
    """One ``resolve`` result; ``id``/``lat``/``lon`` are null when nothing matched."""
    place = resolution.place
    data: dict[str, Any] = {
        "query": resolution.query,
        "resolved": place is not None,
        "id": place.id if place else None,
        "name": place.title if place else None,
        "kind": place.kind if place else None,
        "lat": coordinate(place.lat) if place else None,
        "lon": coordinate(place.lon) if place else None,
        "precision": place.precision if place else None,
        "uncertainty_m": place.uncertainty_m if place else None,
        "method": resolution.method,
        "score": round(resolution.score, 3),
        "candidates": [
            {
                "id": c.place.id,
                "name": c.place.title,
                "kind": c.place.kind,
                "country": c.place.country or None,
                "method": c.method,
                "score": round(c.score, 3),
            }
            for c in resolution.candidates
        ],
    }
    return data


def derived_json(derived: DerivedArea | None) -> dict[str, Any] | None:
    if derived is None:
        return None
    return {
        "rule": derived.rule,
        "description": derived.description,
        "anchors": list(derived.anchors),
        "lat": coordinate(derived.lat),
        "lon": coordinate(derived.lon),
        "geometry": geometry_json(derived.geometry),
    }


def mention_json(mention: Mention) -> dict[str, Any]:
    place = mention.place
    return {
        "text": mention.text,
        "start": mention.start,
        "end": mention.end,
        "sentence_index": mention.sentence_index,
        "place_id": place.id if place else None,
        "place": place.title if place else None,
        "kind": place.kind if place else None,
        "lat": coordinate(place.lat) if place else None,
        "lon": coordinate(place.lon) if place else None,
        "precision": place.precision if place else None,
        "role": mention.role,
        "method": mention.method,
        "confidence": round(mention.confidence, 3),
        "derived": derived_json(mention.derived),
        "sentence": mention.sentence,
    }


def event_json(event: Event) -> dict[str, Any]:
    place = event.place
    lat = event.derived.lat if event.derived else (place.lat if place else None)
    lon = event.derived.lon if event.derived else (place.lon if place else None)
    return {
        "type": event.type,
        "trigger": event.trigger,
        "sentence": event.sentence,
        "sentence_index": event.sentence_index,
        "place_id": place.id if place else None,
        "place": place.title if place else None,
        "lat": coordinate(lat),
        "lon": coordinate(lon),
        "date": event.date,
        "date_end": event.date_end,
        "time_precision": event.time_precision,
        "geo_precision": event.geo_precision,
        "geo_precision_label": GEO_PRECISION_LABELS.get(event.geo_precision, "unknown"),
        "actors": list(event.actors),
        "claimant": event.claimant,
        "claimed": event.claimed,
        "reported_as": "claim" if event.claimed else "fact",
        "fatalities": event.fatalities,
        "fatalities_lower_bound": event.fatalities_lower_bound,
        "fatalities_qualifier": event.fatalities_qualifier,
        "injured": event.injured,
        "derived": derived_json(event.derived),
        "article_id": event.article.id if event.article else None,
    }


GEO_PRECISION_LABELS = {1: "site", 2: "district", 3: "city or wider"}


def control_json(claim: ControlClaim) -> dict[str, Any]:
    return {
        "status": claim.status,
        "place_id": claim.place.id,
        "place": claim.place.title,
        "lat": coordinate(claim.place.lat),
        "lon": coordinate(claim.place.lon),
        "date": claim.date,
        "claimant": claim.claimant,
        "sentence": claim.sentence,
        "sentence_index": claim.sentence_index,
        "basis": claim.basis,
        "article_id": claim.article.id if claim.article else None,
    }


def unresolved_json(item: Unresolved) -> dict[str, Any]:
    return {
        "text": item.text,
        "start": item.start,
        "end": item.end,
        "sentence_index": item.sentence_index,
        "suggestions": list(item.suggestions),
        "sentence": item.sentence,
    }


def reading_json(reading: Reading) -> dict[str, Any]:
    """Everything read out of one article, as ``parse --json`` prints it."""
    article = reading.article
    return {
        "article": {
            "id": article.id,
            "source": article.source,
            "title": article.title,
            "published": article.published,
            "outlet": article.outlet,
            "dateline": list(article.dateline),
        },
        "mentions": [mention_json(m) for m in reading.mentions],
        "unresolved": [unresolved_json(u) for u in reading.unresolved],
        "events": [event_json(e) for e in reading.events],
        "control": [control_json(c) for c in reading.control],
        "warnings": list(reading.warnings),
    }


def dumps(value: Any, *, indent: int | None = 2) -> str:
    """JSON text as geoaleppo writes it: UTF-8 characters kept, keys in model order."""
    return json.dumps(value, ensure_ascii=False, indent=indent)


_READING_LISTS: tuple[tuple[str, Callable[[Any], dict[str, Any]]], ...] = (
    ("mentions", mention_json),
    ("unresolved", unresolved_json),
    ("events", event_json),
    ("control", control_json),
)


def write_reading(reading: Reading, stream: TextIO, *, indent: int | None = 2) -> None:
    """Write ``reading_json(reading)`` to ``stream`` one item at a time.

    The text is exactly what ``dumps(reading_json(reading), indent=indent)`` gives, but a
    50 MB article's hundreds of thousands of mentions are never all held as JSON at once.
    """
    whole = reading_json(Reading(article=reading.article, warnings=reading.warnings))

    def item_text(value: Any, depth: int) -> str:
        text = json.dumps(value, ensure_ascii=False, indent=indent)
        if indent is None:
            return text
        return text.replace("\n", "\n" + " " * (indent * depth))

    pad = "" if indent is None else " " * indent
    newline = "" if indent is None else "\n"
    separator = ", " if indent is None else ",\n"
    stream.write("{" + newline)
    keys = list(whole)
    for position, key in enumerate(keys):
        stream.write(f"{pad}{json.dumps(key)}: ")
        converter: Callable[[Any], dict[str, Any]] | None = dict(_READING_LISTS).get(key)
        if converter is None:
            stream.write(item_text(whole[key], 1))
        else:
            items = getattr(reading, key)
            if not items:
                stream.write("[]")
            else:
                stream.write("[" + newline)
                for number, item in enumerate(items):
                    if number:
                        stream.write(separator)
                    stream.write(pad * 2 + item_text(converter(item), 2))
                stream.write(newline + pad + "]")
        if position < len(keys) - 1:
            stream.write(separator)
    stream.write(newline + "}")


# -- GeoJSON features ---------------------------------------------------------------------
def feature(geometry: BaseGeometry, properties: dict[str, Any], *, tolerance: float = 0.0,
            feature_id: str | None = None) -> dict[str, Any]:
    """One GeoJSON feature (see :func:`geometry_json` for ``tolerance``)."""
    built: dict[str, Any] = {"type": "Feature"}
    if feature_id is not None:
        built["id"] = feature_id
    built["properties"] = properties
    built["geometry"] = geometry_json(geometry, tolerance=tolerance)
    return built


def feature_collection_text(features: list[dict[str, Any]]) -> str:
    """RFC 7946 text: no ``crs`` member, compact, deterministic."""
    document = {"type": "FeatureCollection", "features": features}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"


PLACE_FIELDS = (
    ("place_id", "str"), ("place", "str"), ("kind", "str"), ("precision", "str"),
    ("uncertainty_m", "float"), ("lat", "float"), ("lon", "float"),
)
_DERIVED_FIELDS = (
    ("derived_rule", "str"), ("derived_description", "str"), ("derived_anchors", "str"),
)
_ARTICLE_FIELDS = (
    ("article", "str"), ("article_source", "str"), ("published", "date"), ("outlet", "str"),
    ("article_id", "str"),
)
#: The flat columns of each layer, in order, with the type a GeoPackage field gets (a
#: ``date`` is an ISO date string in GeoJSON and CSV, a DATE in a GeoPackage).
LAYER_FIELDS: dict[str, tuple[tuple[str, str], ...]] = {
    "events": (
        ("layer", "str"), ("event_id", "str"), ("type", "str"), ("event_type", "str"),
        ("sub_event_type", "str"), ("trigger", "str"), ("date", "date"), ("date_end", "date"),
        ("time_precision", "int"), ("actors", "str"), ("claimant", "str"),
        ("claimed", "bool"), ("reported_as", "str"), ("fatalities", "int"),
        ("fatalities_lower_bound", "bool"), ("injured", "int"), ("sentence", "str"),
        ("sentence_index", "int"), *PLACE_FIELDS, ("geo_precision", "int"),
        ("geo_precision_label", "str"), *_DERIVED_FIELDS, *_ARTICLE_FIELDS,
    ),
    "control": (
        ("layer", "str"), ("status", "str"), ("basis", "str"), ("date", "date"),
        ("claimant", "str"), ("sentence", "str"), ("sentence_index", "int"), *PLACE_FIELDS,
        *_ARTICLE_FIELDS,
    ),
    "mentions": (
        ("layer", "str"), ("role", "str"), ("text", "str"), ("start", "int"), ("end", "int"),
        ("method", "str"), ("confidence", "float"), ("sentence", "str"),
        ("sentence_index", "int"), *PLACE_FIELDS, *_DERIVED_FIELDS, *_ARTICLE_FIELDS,
    ),
}
_LAYER_VALUE = {"events": "event", "control": "control", "mentions": "mention"}


def flat_value(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return "; ".join(str(item) for item in value)
    return value


def flat_properties(layer: str, data: dict[str, Any], place: Place | None,
                    article: Article) -> dict[str, Any]:
    """``data`` (an item's JSON from this module, plus any columns the caller adds) as
    the flat, ordered columns of ``layer`` (:data:`LAYER_FIELDS`): lists joined with
    ``"; "``, the derived area and the article spread into columns of their own."""
    derived = data.pop("derived", None) or {}
    values = {
        **data,
        "layer": _LAYER_VALUE[layer],
        "kind": place.kind if place else None,
        "precision": place.precision if place else None,
        "uncertainty_m": place.uncertainty_m if place else None,
        "derived_rule": derived.get("rule"),
        "derived_description": derived.get("description"),
        "derived_anchors": derived.get("anchors"),
        "article": article.title,
        "article_source": article.source,
        "published": article.published,
        "outlet": article.outlet,
        "article_id": article.id,
    }
    return {name: flat_value(values.get(name)) for name, _kind in LAYER_FIELDS[layer]}


# -- reading back ---------------------------------------------------------------------------
def reading_from_json(data: dict[str, Any], gazetteer: Gazetteer) -> Reading:
    """The :class:`Reading` that :func:`reading_json` wrote, read back.

    Places are looked up by id in ``gazetteer`` (the one the reading was made with, for
    a lossless round trip); a place it lacks is rebuilt from the fields the JSON gives.
    Events and claims are linked to the reading's article again. The article's text is
    not in the JSON: every mention, event and claim quotes its own sentence.
    """
    fields = data["article"]
    article = Article(
        title=fields["title"],
        published=fields["published"],
        outlet=fields["outlet"],
        dateline=tuple(fields["dateline"]),
        source=fields["source"],
        id=fields["id"],
    )
    return Reading(
        article=article,
        mentions=tuple(_mention(item, gazetteer) for item in data["mentions"]),
        unresolved=tuple(_unresolved(item) for item in data["unresolved"]),
        events=tuple(_event(item, gazetteer, article) for item in data["events"]),
        control=tuple(_claim(item, gazetteer, article) for item in data["control"]),
        warnings=tuple(data["warnings"]),
    )


def _place(item: dict[str, Any], gazetteer: Gazetteer) -> Place | None:
    place_id = item["place_id"]
    if place_id is None:
        return None
    known = gazetteer.get(place_id)
    if known is not None:
        return known
    return Place(id=place_id, title=item["place"], kind=item.get("kind") or "landmark",
                 precision=item.get("precision") or "city", lat=item["lat"], lon=item["lon"])


def _derived(item: dict[str, Any] | None) -> DerivedArea | None:
    if item is None:
        return None
    from shapely.geometry import shape

    return DerivedArea(rule=item["rule"], description=item["description"],
                       anchors=tuple(item["anchors"]), geometry=shape(item["geometry"]),
                       lat=item["lat"], lon=item["lon"])


def _mention(item: dict[str, Any], gazetteer: Gazetteer) -> Mention:
    return Mention(
        text=item["text"], start=item["start"], end=item["end"],
        sentence_index=item["sentence_index"], place=_place(item, gazetteer),
        role=item["role"], method=item["method"], confidence=item["confidence"],
        derived=_derived(item["derived"]), sentence=item["sentence"],
    )


def _unresolved(item: dict[str, Any]) -> Unresolved:
    return Unresolved(text=item["text"], start=item["start"], end=item["end"],
                      sentence_index=item["sentence_index"],
                      suggestions=tuple(item["suggestions"]), sentence=item["sentence"])


def _event(item: dict[str, Any], gazetteer: Gazetteer, article: Article) -> Event:
    return Event(
        type=EventType(item["type"]), sentence=item["sentence"],
        sentence_index=item["sentence_index"], place=_place(item, gazetteer),
        date=item["date"], time_precision=item["time_precision"],
        geo_precision=item["geo_precision"], actors=tuple(Side(a) for a in item["actors"]),
        claimant=item["claimant"], claimed=item["claimed"], fatalities=item["fatalities"],
        fatalities_lower_bound=item["fatalities_lower_bound"],
        fatalities_qualifier=item["fatalities_qualifier"], injured=item["injured"],
        date_end=item["date_end"], derived=_derived(item["derived"]),
        trigger=item["trigger"], article=article,
    )


def _claim(item: dict[str, Any], gazetteer: Gazetteer, article: Article) -> ControlClaim:
    place = _place(item, gazetteer)
    assert place is not None  # a claim is always about a place
    return ControlClaim(
        status=ControlStatus(item["status"]), place=place, date=item["date"],
        claimant=item["claimant"], sentence=item["sentence"],
        sentence_index=item["sentence_index"], article=article,
        basis=ClaimBasis(item["basis"]),
    )
