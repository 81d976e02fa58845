"""The summary ``geoaleppo parse`` prints of a reading, for a person to read."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

import typer

from geoaleppo._terminal import cell, table

if TYPE_CHECKING:
    from geoaleppo.model import Event, Reading


# The distinct modifiers a summary names ("Russian", "Aleppo" of "Aleppo-based").
_MODIFIERS_SHOWN = 4


def print_summary(reading: Reading) -> None:
    """What ``geoaleppo parse`` prints for a reading: its places by role, its events and
    control claims, and the names the gazetteer lacks, with suggestions."""
    article = reading.article
    published = f"published {article.published}" if article.published else "date unknown"
    typer.echo(cell(f"{article.source}: {article.title} ({published})"))
    roles = Counter(m.role for m in reading.mentions if m.place is not None)
    names = [f"{roles['location']} as locations"]
    if roles["actor"]:
        names.append(f"{roles['actor']} standing for a government (\"Moscow said\")")
    if roles["dateline"]:
        names.append(f"{roles['dateline']} in the dateline")
    if roles["modifier"]:
        words = sorted({m.text for m in reading.mentions if m.role == "modifier"})
        shown = ", ".join(words[:_MODIFIERS_SHOWN]) + (", …" if len(words) > _MODIFIERS_SHOWN
                                                       else "")
        names.append(f"{roles['modifier']} qualifying a noun, kept off the map ({shown})")
    names.append(f"{len(reading.unresolved)} not in the gazetteer")
    typer.echo(f"  place names: {', '.join(names)}")
    # Deaths are not summed: two sources often report the same deaths.
    deadly = sum(1 for e in reading.events if e.fatalities)
    with_deaths = f" ({deadly} with deaths reported)" if reading.events else ""
    typer.echo(f"  {_count(len(reading.events), 'event')}{with_deaths}, "
               f"{_count(len(reading.control), 'control claim')}")
    rows = []
    for event in reading.events:
        rows.append(["  ", event.date or "date unknown", event.type,
                     event.place.title if event.place else "place unknown",
                     ", ".join(event.actors) or "sides unknown",
                     f"per {event.claimant}" if event.claimant else "", _casualties(event)])
    _print_section("events", rows)
    rows = [["  ", claim.date or "date unknown", claim.place.title, claim.status,
             f"per {claim.claimant}" if claim.claimant else ""] for claim in reading.control]
    _print_section("control claims", rows)
    rows = [["  ", item.text,
             f"did you mean {', '.join(item.suggestions)}?" if item.suggestions else ""]
            for item in reading.unresolved]
    _print_section("not in the gazetteer", rows)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


def _casualties(event: Event) -> str:
    parts = []
    if event.fatalities:
        at_least = "at least " if event.fatalities_lower_bound else ""
        parts.append(f"{at_least}{event.fatalities} killed")
    if event.injured:
        parts.append(f"{event.injured} injured")
    return ", ".join(parts)


def _print_section(title: str, rows: list[list[str]]) -> None:
    if rows:
        typer.echo(f"  {title}:")
        for line in table(rows, aligned=True):
            typer.echo(line)
