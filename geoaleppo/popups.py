"""The words on the map: popups and tooltips, as HTML built from escaped text.

Everything here is made of :func:`escape`\\ d pieces and fixed markup, so an article's
``<script>`` or ``{{ … }}`` arrives on the page as text. Articles are named by outlet,
title and date, numbers are given as the article gave them ("at least 21"), and counts
take their plural.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from geoaleppo.model import Article, ControlClaim, Event, Mention, Place

if TYPE_CHECKING:
    from geoaleppo.fusion import FusedEvent

# Braces leave as character references, which the browser shows as braces and no
# template engine reads: defence in depth, since map text never reaches a template.
_BRACES_AS_REFERENCES = str.maketrans({"{": "&#123;", "}": "&#125;"})

#: A place's popup lists this many of its events, then says how many more there are
#: (the export has them all).
MAX_EVENTS_PER_POPUP = 10
#: A fused event's popup quotes this many of its other reports, and a control section
#: this many claims, then counts the rest.
MAX_REPORTS_PER_POPUP = 3
MAX_CLAIMS_PER_SECTION = 8
#: A place's popup quotes this many of the sentences naming it, then counts the rest.
MAX_QUOTES_PER_PLACE = 10


def escape(value: object) -> str:
    """``value`` as HTML text (None as nothing)."""
    return html.escape("" if value is None else str(value), quote=True).translate(
        _BRACES_AS_REFERENCES)


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """ "1 event", "2 events"."""
    return f"{count} {noun if count == 1 else (nouns or noun + 's')}"


def rows(items: Iterable[tuple[str, object]]) -> str:
    """A two-column table of the items that have a value."""
    cells = "".join(
        f"<tr><th>{escape(label)}</th><td>{escape(value)}</td></tr>" for label, value in items
        if value not in (None, "", ())
    )
    return f"<table class='geoaleppo-popup'>{cells}</table>"


def quote(sentence: str) -> str:
    return f"<blockquote>{escape(sentence)}</blockquote>"


def article_label(article: Article | None) -> str:
    """An article as a reader knows it: outlet, title, date."""
    if article is None:
        return "article unknown"
    parts = [article.outlet, f"“{article.title}”" if article.title else None,
             article.published or "date unknown"]
    return ", ".join(part for part in parts if part)


def killed(event: Event) -> str | None:
    """The death toll in the article's words: "at least 21", "7"."""
    if event.fatalities is None:
        return None
    qualifier = event.fatalities_qualifier
    if not qualifier and event.fatalities_lower_bound:
        qualifier = "at least"
    return f"{qualifier} {event.fatalities}".strip()


def _when(event: Event) -> str:
    if not event.date:
        return "date unknown"
    return event.date + (f" to {event.date_end}" if event.date_end else "")


def event_popup(event: Event, where: str) -> str:
    """One event: what, where, when, who, who says so, the toll, the sentence."""
    return (
        f"<b>{escape(event.type)}</b>"
        + rows([
            ("where", where),
            ("when", _when(event)),
            ("who", ", ".join(event.actors)),
            ("says who", f"{event.claimant} "
                         f"({'claim' if event.claimed else 'reported as fact'})"),
            ("killed", killed(event)),
            ("injured", event.injured),
            ("precision", f"geo {event.geo_precision}, time {event.time_precision}"),
            ("article", article_label(event.article)),
        ])
        + quote(event.sentence)
    )


def _event_line(event: Event) -> str:
    numbers = ""
    toll = killed(event)
    if toll is not None:
        numbers = f", {toll} killed"
    if event.injured is not None:
        numbers += f", {event.injured} injured"
    return (
        f"<li><b>{escape(event.type)}</b> {escape(_when(event))}"
        f" — {escape(', '.join(event.actors) or 'actors not named')}{escape(numbers)}"
        f" — per {escape(event.claimant)}{' (claim)' if event.claimed else ''}"
        f"{quote(event.sentence)}<small>{escape(article_label(event.article))}</small></li>"
    )


def events_popup(events: Sequence[Event], where: str) -> str:
    """The events at one place: the one in full, or a numbered list of the first few."""
    if len(events) == 1:
        return event_popup(events[0], where)
    shown = events[:MAX_EVENTS_PER_POPUP]
    popup = (f"<b>{escape(plural(len(events), 'event'))}: {escape(where)}</b><ol>"
             + "".join(_event_line(e) for e in shown) + "</ol>")
    if len(events) > len(shown):
        popup += f"<p>… and {len(events) - len(shown)} more here (see the export)</p>"
    return popup


def fused_popup(fused: Sequence[FusedEvent], where: str) -> str:
    """Fused events at one place: each as :func:`events_popup` gives its standing report,
    then who else reported it, with their sentences."""
    popup = events_popup([f.event for f in fused], where)
    for item in fused[:MAX_EVENTS_PER_POPUP]:
        others = [e for e in item.reports if e is not item.event]
        if not others:
            continue
        heading = (f"{escape(item.type)} of {escape(item.date or 'unknown date')}: "
                   f"{plural(item.article_count, 'article')}, {escape(item.reported_as)}")
        popup += (f"<p><b>{heading}</b>; also reported by</p><ul>"
                  + "".join(f"<li>{escape(e.claimant)}{quote(e.sentence)}"
                            f"<small>{escape(article_label(e.article))}</small></li>"
                            for e in others[:MAX_REPORTS_PER_POPUP]))
        if len(others) > MAX_REPORTS_PER_POPUP:
            popup += f"<li>… and {plural(len(others) - MAX_REPORTS_PER_POPUP, 'more report')}</li>"
        popup += "</ul>"
    return popup


def events_tooltip(events: Sequence[Event], where: str) -> str:
    kinds = ", ".join(sorted({str(e.type) for e in events}))
    return escape(f"{plural(len(events), 'event')} ({kinds}) — {where}")


def place_popup(place: Place, items: Sequence[tuple[Mention, Article]]) -> str:
    """A place the articles name: as written, how it was matched, where its shape is from,
    and every sentence naming it (with the article it is in)."""
    quotes = "".join(
        quote(mention.sentence or mention.text)
        + f"<small>{escape(article_label(article))}</small>"
        for mention, article in items[:MAX_QUOTES_PER_PLACE])
    if len(items) > MAX_QUOTES_PER_PLACE:
        more = plural(len(items) - MAX_QUOTES_PER_PLACE, "more sentence")
        quotes += f"<p>… and {more} naming it (see the export)</p>"
    precision = place.precision + (f" (±{place.uncertainty_m:g} m)" if place.uncertainty_m
                                   else "")
    return (
        f"<b>{escape(place.title)}</b>"
        + rows([
            ("as written", "; ".join(sorted({m.text for m, _a in items}))),
            ("named", plural(len(items), "time")),
            ("kind", place.kind),
            ("precision", precision),
            ("matched by", items[0][0].method if items else None),
            ("geometry from", place.geometry_source),
            ("note", place.note),
        ])
        + quotes
    )


def control_section(place: Place, status: str, claims: Sequence[ControlClaim],
                    note: str = "", *, limit: int | None = None) -> str:
    """One place's reported control and the claims behind it (the first ``limit``)."""
    shown = claims if limit is None else claims[:limit]
    lines = "".join(
        f"<li><b>{escape(claim.status)}</b> per {escape(claim.claimant)}"
        f" ({escape(claim.date or 'undated')}; {escape(article_label(claim.article))}):"
        f" {quote(claim.sentence)}</li>"
        for claim in shown
    )
    if len(claims) > len(shown):
        lines += f"<li>… and {plural(len(claims) - len(shown), 'more claim')}</li>"
    note_html = f"<p><i>{escape(note)}</i></p>" if note else ""
    return (f"<div class='geoaleppo-control'><b>{escape(place.title)}: {escape(status)}</b>"
            f"{note_html}<ul>{lines}</ul></div>")


def names_tooltip(place: Place) -> str:
    """A place's name, with its Arabic name where the gazetteer has one."""
    arabic = next((n.text for n in place.names if n.lang == "ar"), "")
    return escape(place.title) + (f" · <span dir='rtl' lang='ar'>{escape(arabic)}</span>"
                                  if arabic else "")
