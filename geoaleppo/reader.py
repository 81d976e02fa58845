"""Reading an article: the one path every entry point (CLI, maps, evaluation) goes through.

:func:`read_text` takes the text as read and returns a :class:`~geoaleppo.model.Reading`
with the article's header, its place mentions and their roles, what could not be
resolved, its events and its control claims.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from geoaleppo import attribution, captures, control, events, mentions, modifiers
from geoaleppo import unresolved as unplaced
from geoaleppo.dates import Narrative
from geoaleppo.errors import GeoaleppoError
from geoaleppo.gazetteer import Gazetteer, load
from geoaleppo.lexicon import Clause
from geoaleppo.model import Article, Event, Mention, Reading, Side, article_id
from geoaleppo.text import parse_header, printable, read_article, sentences


def read_text(
    text: str,
    *,
    source: str = "-",
    published: dt.date | str | None = None,
    gazetteer: Gazetteer | None = None,
    warnings: list[str] | None = None,
) -> Reading:
    """Read ``text`` into mentions, events and control claims.

    Parameters
    ----------
    text
        The article as read; offsets in the result index into it.
    source
        Where the text came from (a path, or ``-``), carried into provenance; bytes of a
        file name that are not UTF-8 become backslash escapes (see
        :func:`geoaleppo.text.printable`).
    published
        The publication date when the text's header does not give one.
    gazetteer
        The gazetteer to resolve places with (default: the bundled one).
    """
    gazetteer = gazetteer or load()
    header = parse_header(text)
    date = header.published
    if date is None and published is not None:
        date = published if isinstance(published, dt.date) else dt.date.fromisoformat(published)
    # Places are read everywhere, the headline included; events only from the body, so a
    # headline that sums up the first paragraph does not report its events twice.
    split = sentences(text, 0)
    # Each sentence is split into words once, for every step that reads it: the mentions
    # (which words the text has), the events, the control it claims and its source.
    clauses = [Clause(sentence.text) for sentence in split]
    found = mentions.find_mentions(text, split, gazetteer, dateline=header.dateline,
                                   words=frozenset().union(*(c.words for c in clauses)))
    unresolved = modifiers.explained_away(
        unplaced.find_unresolved(text, split, gazetteer, modifiers.places_proper(found)), found)
    article = Article(
        title=header.title,
        published=date.isoformat() if date else None,
        outlet=header.outlet,
        dateline=tuple(name for name, _s, _e in header.dateline),
        source=printable(source),
        text=text,
        id=article_id(text),
    )
    by_sentence: dict[int, list[Mention]] = {}
    for mention in found:
        by_sentence.setdefault(mention.sentence_index, []).append(mention)
    city = _story_city(found, gazetteer)
    context = events.Context(
        published=date,
        default_claimant=attribution.default_claimant(text, header.outlet),
        default_place=city,
        text=text,
        article=article,
    )
    all_events: list[Event] = []
    claims = []
    previous_locations: list[Mention] = []
    previous_sides: tuple[Side, ...] = ()
    previous_paragraph = -1
    # The date the text stands at carries from sentence to sentence ("On 27 September
    # ... The next day ..."); before the text gives one, the publication date holds.
    narrative = Narrative(text, date)
    for sentence in split:
        if sentence.end <= header.body_start:
            continue
        if sentence.paragraph != previous_paragraph:
            previous_locations, previous_sides = [], ()
            previous_paragraph = sentence.paragraph
        here = by_sentence.get(sentence.index, [])
        # The sentence's source is worked out once, for both the events it reports and
        # the control it claims.
        clause = clauses[sentence.index]
        reports = events.reports_events(clause)
        claims_control = bool(here) and control.mentions_control(clause)
        dates = narrative.dates_of(clause, sentence.start, wanted=reports or claims_control)
        if reports or claims_control:
            claim = attribution.claim_of(sentence, clause, text, context.default_claimant)
            if reports:
                all_events.extend(events.extract(sentence, clause, here, previous_locations,
                                                 previous_sides, context, claim, dates=dates))
            if claims_control:
                claims.extend(control.claims_from_text(sentence, clause, here, article,
                                                       claim.claimant, dates=dates))
        locations = [m for m in here if m.role == "location" and m.place is not None
                     and m.place.kind not in {"country", "city"}]
        if locations:
            previous_locations = locations
        if locations or not previous_sides:
            previous_sides = events.sides_in(clause) or previous_sides
    # Where each sentence names each place, so a claim is made about the place a
    # capture took, not every place its sentence names.
    named: dict[int, list[tuple[str, int]]] = {}
    for mention in found:
        if mention.place is not None and mention.role == "location":
            offset = mention.start - split[mention.sentence_index].start
            named.setdefault(mention.sentence_index, []).append((mention.place.id, offset))
    claims.extend(captures.claims_from_events(all_events, named))
    claims = control.unique(sorted(claims, key=lambda c: (c.sentence_index, c.place.id, c.status)))
    return Reading(
        article=article,
        mentions=tuple(found),
        unresolved=tuple(unresolved),
        events=tuple(all_events),
        control=tuple(claims),
        warnings=tuple(warnings or ()),
    )


def _story_city(found: list[Mention], gazetteer: Gazetteer):
    """The city an article is about, where events it does not locate are put.

    The city it names most as a place, its districts counting for Aleppo; Aleppo wins a
    tie. A story that names no city has none, and its unlocated events stay unplaced.
    """
    votes: Counter[str] = Counter()
    for mention in found:
        place = mention.place
        if place is None or mention.role != "location":
            continue
        if place.kind == "city":
            votes[place.id] += 1
        elif place.country == "SY" and place.kind in {"district", "area", "landmark"}:
            votes["aleppo"] += 1
    if not votes:
        return None
    best = max(sorted(votes), key=lambda place_id: (votes[place_id], place_id == "aleppo"))
    return gazetteer.get(best)


@dataclass(frozen=True, slots=True)
class ReadFailure:
    """An article that could not be read, and why (one line)."""

    source: str
    message: str


def read_files(
    paths: Iterable[Path | str],
    *,
    published: dt.date | str | None = None,
    gazetteer: Gazetteer | None = None,
) -> Iterator[Reading | ReadFailure]:
    """Read each file in turn (``-`` for standard input), as :func:`read_file` does.

    A file that cannot be read gives a :class:`ReadFailure` in its place and the rest are
    still read: in a batch, one bad file costs only itself.
    """
    gazetteer = gazetteer or load()
    for path in paths:
        try:
            yield read_file(path, published=published, gazetteer=gazetteer)
        except GeoaleppoError as exc:
            yield ReadFailure(printable(path), str(exc))


def read_file(
    path: Path | str,
    *,
    published: dt.date | str | None = None,
    gazetteer: Gazetteer | None = None,
) -> Reading:
    """Read an article file (``-`` for standard input); see :func:`read_text`."""
    text, warnings = read_article(path)
    return read_text(text, source=str(path), published=published, gazetteer=gazetteer,
                     warnings=warnings)
