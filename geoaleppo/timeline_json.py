"""Corpus timelines as JSON and as the flat columns of their export layers.

The fields of a reading come from :mod:`geoaleppo.serialise`; a fused event is a
``parse`` event plus its reports, and an interval carries the claims behind it in the
same JSON as ``parse`` gives them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from geoaleppo.serialise import PLACE_FIELDS, control_json, coordinate, event_json, flat_value

if TYPE_CHECKING:
    from geoaleppo.fusion import FusedEvent
    from geoaleppo.history import Interval
    from geoaleppo.model import Event
    from geoaleppo.timeline import Timeline


def source_json(event: Event) -> dict[str, Any]:
    """One report behind a fused event: the article, who says so, and its sentence."""
    article = event.article
    return {
        "article_id": article.id if article else None,
        "source": article.source if article else None,
        "title": article.title if article else None,
        "published": article.published if article else None,
        "outlet": article.outlet if article else None,
        "claimant": event.claimant,
        "claimed": event.claimed,
        "date": event.date,
        "place_id": event.place.id if event.place else None,
        "fatalities": event.fatalities,
        "sentence": event.sentence,
        "sentence_index": event.sentence_index,
    }


def fused_event_json(fused: FusedEvent) -> dict[str, Any]:
    """A fused event: the fields of a ``parse`` event (for the report that stands for
    it, with the fused place, day, sides and lowest toll), the toll's middle and highest
    figures with who gave each, ``reports`` (how many articles) and ``sources``."""
    data = event_json(fused.event)
    place, toll = fused.place, fused.toll
    derived = fused.event.derived
    data.update({
        "place_id": place.id if place else None,
        "place": place.title if place else None,
        "lat": coordinate(derived.lat if derived else place.lat if place else None),
        "lon": coordinate(derived.lon if derived else place.lon if place else None),
        "date": fused.date,
        "date_end": fused.date_end,
        "actors": list(fused.actors),
        "claimed": fused.reported_as != "fact",
        "reported_as": fused.reported_as,
        "fatalities": toll.low,
        "fatalities_lower_bound": toll.low_is_bound,
        "fatalities_claimant": toll.low_claimant or None,
        "fatalities_best": toll.best,
        "fatalities_best_claimant": toll.best_claimant or None,
        "fatalities_high": toll.high,
        "fatalities_high_claimant": toll.high_claimant or None,
        "reports": fused.article_count,
        "sources": [source_json(e) for e in fused.reports],
    })
    if fused.toll.low is None:
        data["fatalities_qualifier"] = ""
    return data


def interval_json(interval: Interval) -> dict[str, Any]:
    """One interval of a place's control history, with the claims behind it."""
    return {
        "status": interval.status,
        "start": interval.start,
        "end": interval.end,
        "claimed": interval.claimed,
        "claims": [control_json(c) for c in interval.claims],
    }


def timeline_json(timeline: Timeline) -> dict[str, Any]:
    """A timeline as ``timeline --json`` prints it: ``places``, each with ``place_id``,
    ``name``, ``lat``, ``lon`` and its ``intervals``; the fused ``events``; and ``days``,
    the days on which something changed hands."""
    intervals = timeline.intervals()
    places = []
    for place_history in timeline.history.places:
        kept = [i for i in intervals if i.place.id == place_history.place.id]
        if not kept:
            continue
        place = place_history.place
        places.append({
            "place_id": place.id,
            "name": place.title,
            "kind": place.kind,
            "lat": coordinate(place.lat),
            "lon": coordinate(place.lon),
            "intervals": [interval_json(i) for i in kept],
        })
    return {
        "from": timeline.start,
        "to": timeline.end,
        "view": "corroborated" if timeline.history.corroborated else "claimed",
        "articles": timeline.articles,
        "days": list(timeline.days),
        "places": places,
        "events": [fused_event_json(e) for e in timeline.events],
    }


#: Flat columns of a timeline's export layers, as LAYER_FIELDS has them for a reading's.
TIMELINE_FIELDS: dict[str, tuple[tuple[str, str], ...]] = {
    "intervals": (
        ("layer", "str"), ("place_id", "str"), ("place", "str"), ("kind", "str"),
        ("precision", "str"), ("uncertainty_m", "float"), ("lat", "float"), ("lon", "float"),
        ("status", "str"), ("start", "str"), ("end", "str"), ("claimed", "bool"),
        ("claims", "int"), ("basis", "str"), ("claimants", "str"), ("article_ids", "str"),
        ("sentence", "str"),
    ),
    "fused_events": (
        ("layer", "str"), ("event_id", "str"), ("type", "str"), ("trigger", "str"),
        ("date", "str"), ("date_end", "str"), ("time_precision", "int"), ("actors", "str"),
        ("claimant", "str"), ("claimed", "bool"), ("reported_as", "str"),
        ("fatalities", "int"), ("fatalities_lower_bound", "bool"),
        ("fatalities_claimant", "str"), ("fatalities_best", "int"),
        ("fatalities_high", "int"), ("injured", "int"), ("reports", "int"),
        ("outlets", "str"), ("claimants", "str"), ("article_ids", "str"),
        ("sentence", "str"), ("sentence_index", "int"), *PLACE_FIELDS,
        ("geo_precision", "int"), ("geo_precision_label", "str"),
    ),
}


def _distinct(values: Any) -> list[Any]:
    return sorted({v for v in values if v})


def interval_properties(interval: Interval) -> dict[str, Any]:
    """An interval as the flat columns of the ``intervals`` layer."""
    place, claims = interval.place, interval.claims
    values = {
        "layer": "interval",
        "place_id": place.id, "place": place.title, "kind": place.kind,
        "precision": place.precision, "uncertainty_m": place.uncertainty_m,
        "lat": coordinate(place.lat), "lon": coordinate(place.lon),
        "status": interval.status, "start": interval.start, "end": interval.end,
        "claimed": interval.claimed, "claims": len(claims),
        "basis": _distinct(c.basis for c in claims),
        "claimants": _distinct(c.claimant for c in claims),
        "article_ids": _distinct(c.article.id for c in claims if c.article),
        "sentence": claims[0].sentence if claims else None,
    }
    return {name: flat_value(values.get(name)) for name, _kind in TIMELINE_FIELDS["intervals"]}


def fused_event_properties(fused: FusedEvent, event_id: str) -> dict[str, Any]:
    """A fused event as the flat columns of the ``fused_events`` layer."""
    data = fused_event_json(fused)
    place = fused.place
    values = {
        **data,
        "layer": "fused_event",
        "event_id": event_id,
        "kind": place.kind if place else None,
        "precision": place.precision if place else None,
        "uncertainty_m": place.uncertainty_m if place else None,
        "outlets": _distinct(e.article.outlet for e in fused.reports if e.article),
        "claimants": _distinct(e.claimant for e in fused.reports),
        "article_ids": _distinct(e.article.id for e in fused.reports if e.article),
    }
    return {name: flat_value(values.get(name)) for name, _kind in TIMELINE_FIELDS["fused_events"]}
