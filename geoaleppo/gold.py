"""Resolution given the gold toponyms: how Mordecai 3's published figures are measured.

:func:`evaluate_gold` reads each article of a corpus as the reader would, to learn the
story's country from its other places, then resolves every gold toponym phrase in that
country and scores the answer against the gold, toponym by toponym. Detection plays no
part: a toponym the reader would not have found is still resolved.

Each gold phrase is resolved from the reader's own mention when one covers exactly the
gold span (the reading in context, its judgement of far towns included), and otherwise
from the phrase alone, ranked for the story's country as the reader ranks
(:meth:`Gazetteer.resolve`).

Scores, like with like with Mordecai 3's README:

exact
    Share of gold toponyms with a GeoNames id whose resolved place is that id (the place
    or one it links to). A toponym left unresolved counts as wrong.
within 161 km
    Share of gold toponyms with coordinates resolved within 161 km (100 miles) of them,
    an exact id counting as within: Mordecai answers GeoNames entries, so an exact id is
    the gold's own point, while here a country or a state may stand at another
    representative point. Within 1 and 5 km are given beside it, for finer places.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geoaleppo.corpora import GoldArticle, aligned_span, iter_corpus, survey
from geoaleppo.model import Mention, Place
from geoaleppo.scores import THRESHOLDS_KM, is_geonames_match, most_common
from geoaleppo.setting import (
    Setting,
    dotted_state,
    pair_after,
    resolve_in,
    story_country,
    story_setting,
)

if TYPE_CHECKING:
    from geoaleppo.gazetteer import Gazetteer

__all__ = ["MORDECAI3", "GoldResolution", "evaluate_gold", "resolve_gold"]

#: Mordecai 3's published figures given the gold toponyms: (exact share, within 161 km),
#: keyed by the corpus file's name.
MORDECAI3: dict[str, tuple[float, float]] = {
    "TR-News.xml": (0.843, 0.873),
    "LGL.xml": (0.794, 0.827),
    "GWN.xml": (0.901, 0.941),
}
_TOP = 20


@dataclass(frozen=True, slots=True)
class GoldResolution:
    """What resolving the gold toponyms of a corpus scored."""

    corpus: str
    articles: int
    toponyms: int  # gold toponyms with coordinates
    with_id: int  # of those, with a GeoNames id
    exact: int
    within: tuple[tuple[float, int], ...]  # (km, toponyms within it, exact counted in)
    unresolved: int
    from_reading: int  # resolved from the reader's own mention of the gold span
    seconds: float
    misses: tuple[tuple[str, int], ...] = ()  # "phrase -> what it became", most common first

    @property
    def exact_rate(self) -> float | None:
        return self.exact / self.with_id if self.with_id else None

    def within_rate(self, km: float) -> float | None:
        count = dict(self.within)[km]
        return count / self.toponyms if self.toponyms else None

    @property
    def published(self) -> tuple[float, float] | None:
        return MORDECAI3.get(self.corpus)

    def to_json(self) -> dict[str, Any]:
        published = self.published
        return {
            "corpus": self.corpus,
            "articles": self.articles,
            "toponyms": self.toponyms,
            "with_geonames_id": self.with_id,
            "exact": self.exact,
            "exact_rate": self.exact_rate,
            "within_km": {f"{km:g}": self.within_rate(km) for km, _n in self.within},
            "unresolved": self.unresolved,
            "from_reading": self.from_reading,
            "seconds": self.seconds,
            "mordecai3": None if published is None else {
                "exact_rate": published[0], "within_161_km": published[1]},
            "misses": [{"what": what, "count": count} for what, count in self.misses],
        }

    def table(self) -> str:
        """The figures beside Mordecai 3's, one a row."""
        published = self.published
        rows = [("metric", "geoaleppo", "Mordecai 3", "detail")]
        rows.append(("gold toponyms with coordinates", str(self.toponyms), "",
                     f"{self.articles} articles"))
        rows.append(("exact GeoNames match", _fmt(self.exact_rate),
                     _fmt(published[0]) if published else "-",
                     f"{self.exact}/{self.with_id} with a GeoNames id"))
        for km, count in self.within:
            mordecai = _fmt(published[1]) if published and km == 161.0 else ""
            rows.append((f"within {km:g} km", _fmt(self.within_rate(km)), mordecai,
                         f"{count}/{self.toponyms}"))
        rows.append(("unresolved", str(self.unresolved), "", ""))
        rows.append(("resolved from the reader's mention", str(self.from_reading), "",
                     "the rest from the phrase, in the story's country"))
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        lines = [f"{self.corpus}: resolution given the gold toponyms"]
        for metric, ours, theirs, detail in rows:
            lines.append(f"{metric:<{widths[0]}}  {ours:>{widths[1]}}  "
                         f"{theirs:>{widths[2]}}  {detail}".rstrip())
        return "\n".join(lines)

    def miss_list(self) -> str:
        lines = [f"{self.corpus}: commonest misses (not the gold id, over 161 km)"]
        lines.extend(f"  {count:5d}  {what}" for what, count in self.misses)
        if not self.misses:
            lines.append("  (none)")
        return "\n".join(lines)


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def resolve_gold(phrase: str, gazetteer: Gazetteer, story_country: str, *,
                 where: Setting | None = None, pair: str | None = None) -> Place | None:
    """The place the reader would give ``phrase`` in a story about ``story_country``,
    set in the divisions of ``where`` or paired with the state ``pair`` ("US.KY")."""
    from geoaleppo.matching import matcher_for

    if not phrase.strip():
        return None
    state = dotted_state(phrase, gazetteer)
    if state is not None:
        return state
    choice = matcher_for(gazetteer).best(phrase, phrase[:1].isupper(), story_country)
    # What the reader's matcher finds, unless only a loose spelling matched: then
    # resolve, which weighs a demonym against it ("Syrian" is Syria, not as-Siryan).
    place = (choice.candidate.place
             if choice is not None and choice.candidate.method != "skeleton"
             else gazetteer.resolve(phrase, context_country=story_country).place)
    if where is not None or pair is not None:
        where = where or Setting(story_country)
        place = resolve_in(phrase, where, gazetteer, pair=pair, current=place) or place
    return place


def evaluate_gold(
    path: Path | str,
    *,
    limit: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    gazetteer: Gazetteer | None = None,
) -> GoldResolution:
    """Resolve every gold toponym of the corpus at ``path`` in its story's context."""
    from pyproj import Geod

    from geoaleppo.gazetteer import load
    from geoaleppo.reader import read_text

    path = Path(path)
    started = time.perf_counter()
    total, _typed = survey(path)
    if limit is not None:
        total = min(total, max(limit, 0))
    gazetteer = gazetteer or load()
    geod = Geod(ellps="WGS84")
    tally: Counter[str] = Counter()
    within = dict.fromkeys(THRESHOLDS_KM, 0)
    misses: Counter[str] = Counter()
    articles = 0
    for index, article in enumerate(iter_corpus(path)):
        if index >= total:
            break
        try:
            reading = read_text(article.text, source=f"{path.name}#{article.id}",
                                gazetteer=gazetteer)
        except Exception:  # one bad article must not end the run; its toponyms count as missed
            reading = None
        articles += reading is not None
        if reading is None:
            continue
        country = story_country(reading.mentions, "SY", gazetteer, article.text)
        where = story_setting(article.text, reading.mentions, gazetteer, country)
        for phrase, place, from_reading, toponym in _resolved(article, reading.mentions,
                                                              gazetteer, where):
            if toponym.lat is None or toponym.lon is None:
                continue
            tally["toponyms"] += 1
            tally["from_reading"] += from_reading
            exact = place is not None and toponym.geonameid is not None and is_geonames_match(
                place, toponym.geonameid)
            if toponym.geonameid is not None:
                tally["with_id"] += 1
                tally["exact"] += exact
            if place is None:
                tally["unresolved"] += 1
                misses[f"{phrase} -> (unresolved)"] += 1
                continue
            km = geod.inv(toponym.lon, toponym.lat, place.lon, place.lat)[2] / 1000.0
            for threshold in THRESHOLDS_KM:
                within[threshold] += exact or km <= threshold
            if not exact and km > THRESHOLDS_KM[-1]:
                found = f"{place.title}, {place.country}" if place.country else place.title
                misses[f"{phrase} -> {found} [{place.id}]"] += 1
        if progress is not None:
            progress(index + 1, total)
    return GoldResolution(
        corpus=path.name,
        articles=articles,
        toponyms=tally["toponyms"],
        with_id=tally["with_id"],
        exact=tally["exact"],
        within=tuple(within.items()),
        unresolved=tally["unresolved"],
        from_reading=tally["from_reading"],
        seconds=time.perf_counter() - started,
        misses=most_common(misses, _TOP),
    )


def _resolved(article: GoldArticle, mentions: tuple[Mention, ...], gazetteer: Gazetteer,
              where: Setting) -> list[tuple[str, Place | None, bool, Any]]:
    """(phrase, place, whether from the reader's mention, toponym) per gold toponym."""
    by_span = {(m.start, m.end): m for m in mentions if m.place is not None}
    found = []
    for toponym in article.toponyms:
        span, _moved = aligned_span(article.text, toponym)
        phrase = article.text[span[0]:span[1]] or toponym.phrase
        mention = by_span.get(span)
        pair = pair_after(article.text, span[1], mentions, gazetteer)
        if mention is not None:
            # The reader reads a name that qualifies a noun ("the Gainesville sewer
            # system") in the story's country only: its setting is applied here too.
            place = mention.place
            if place is not None and (where.divisions or where.paired or where.anchors or pair):
                place = resolve_in(phrase, where, gazetteer, pair=pair, current=place) or place
            found.append((phrase, place, True, toponym))
        else:
            found.append((phrase, resolve_gold(phrase, gazetteer, where.country, where=where,
                                               pair=pair), False, toponym))
    return found
