"""Scoring the reader on public geoparsing corpora (TR-News, LGL, GeoWebNews).

The corpora come from "A Pragmatic Guide to Geoparsing Evaluation" (Gritta et al.) and are
used to measure, never shipped; :mod:`geoaleppo.corpora` reads them.

Scores are end to end: the reader has to find the toponyms as well as resolve them.

Detection
    A predicted mention matches a gold toponym when their spans overlap; matching is one
    to one (greatest overlap first). TR-News and LGL annotate toponyms used as places, so
    the headline row counts only mentions whose role is ``location`` or ``dateline``; a
    second row counts every role. In GWN the toponyms to detect are those whose type is in
    :data:`GWN_COUNTED_TYPES` (those present in the file); a mention overlapping only a gold
    toponym of another type (a demonym, a "Syria-based" modifier) is neither right nor
    wrong and is left out of precision. A further row scores every role against every
    gold type, and recall is broken down by gold type.
Resolution
    On the pairs matched with every role counted against every gold toponym, where the
    gold has coordinates and the mention a place: the share within 1, 5 and 161 km
    (geodesic, WGS84), the median error, and the share whose place links to the gold
    GeoNames id (``geonames:<id>`` in :attr:`Place.links`).
Metonymy (GWN)
    On matched toponyms whose gold type is Literal or Metonymic: ``location`` and
    ``dateline`` read as literal, ``actor`` as metonymic; beside it the share of the
    majority class, the score of always guessing it. A ``modifier`` ("Russian jets",
    "U.S.-backed") is read as neither and left out, as GWN's own modifier and demonym
    types are; nor is it listed among role errors.
"""

from __future__ import annotations

import statistics
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geoaleppo.corpora import (
    GoldArticle,
    aligned_span,
    iter_corpus,
    survey,
)
from geoaleppo.model import Mention
from geoaleppo.scores import (
    THRESHOLDS_KM,
    DetectionScore,
    MetonymyScore,
    Report,
    ResolutionScore,
)

if TYPE_CHECKING:
    from geoaleppo.gazetteer import Gazetteer

__all__ = [
    "GWN_COUNTED_TYPES",
    "DetectionScore",
    "MetonymyScore",
    "Report",
    "ResolutionScore",
    "evaluate",
    "match_spans",
]

#: GWN types that name a place and so should be found (whatever the role).
GWN_COUNTED_TYPES: tuple[str, ...] = (
    "Literal",
    "Metonymic",
    "Homonym",
    "Embedded_Literal",
    "Embedded_Non_Lit",
)
LITERAL_ROLES = frozenset({"location", "dateline"})
#: How many entries each error list keeps.
TOP_ERRORS = 15
_MAX_ERROR_MESSAGES = 5


def match_spans(
    gold: list[tuple[int, int]], predicted: list[tuple[int, int]]
) -> dict[int, int]:
    """One-to-one matching of overlapping spans, greatest overlap first: {pred: gold}."""
    candidates = []
    for p, (ps, pe) in enumerate(predicted):
        for g, (gs, ge) in enumerate(gold):
            overlap = min(pe, ge) - max(ps, gs)
            if overlap > 0:
                candidates.append((-overlap, abs(ps - gs) + abs(pe - ge), p, g))
    candidates.sort()
    result: dict[int, int] = {}
    taken: set[int] = set()
    for _overlap, _distance, p, g in candidates:
        if p not in result and g not in taken:
            result[p] = g
            taken.add(g)
    return result


def _overlaps_any(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(min(span[1], e) > max(span[0], s) for s, e in spans)


def _place_label(mention: Mention) -> str:
    place = mention.place
    if place is None:
        return "(no place)"
    geonames = next((link for link in place.links if link.startswith("geonames:")), "")
    title = f"{place.title}, {place.country}" if place.country else place.title
    label = f"{title} [{place.id}]"
    if geonames and geonames != place.id:
        label += f" {geonames}"
    return label


def _geonames_match(mention: Mention, geonameid: int) -> bool:
    assert mention.place is not None
    wanted = f"geonames:{geonameid}"
    return wanted in mention.place.links or mention.place.id == wanted


# -- evaluation --------------------------------------------------------------------------
@dataclass
class _Tally:
    """Running counts while articles are read."""

    gwn: bool = False
    detections: dict[str, list[int]] = field(default_factory=dict)  # label -> [g, p, m, i]
    type_gold: Counter[str] = field(default_factory=Counter)
    type_matched: Counter[str] = field(default_factory=Counter)
    errors_km: list[float] = field(default_factory=list)
    unresolved: int = 0
    far_exact: int = 0
    geonames_pairs: int = 0
    geonames_exact: int = 0
    metonymy: Counter[tuple[str, str]] = field(default_factory=Counter)
    fn: Counter[str] = field(default_factory=Counter)
    fp: Counter[str] = field(default_factory=Counter)
    wrong: Counter[str] = field(default_factory=Counter)
    roles: Counter[str] = field(default_factory=Counter)
    gold: int = 0
    predicted: int = 0
    matched: int = 0
    exact: int = 0
    mismatches: int = 0
    realigned: int = 0

    def detect(
        self,
        label: str,
        gold: list[tuple[int, int]],
        predicted: list[tuple[int, int]],
        neutral: list[tuple[int, int]] | None = None,
    ) -> dict[int, int]:
        pairs = match_spans(gold, predicted)
        ignored = sum(
            1 for p, span in enumerate(predicted)
            if p not in pairs and neutral and _overlaps_any(span, neutral)
        )
        counts = self.detections.setdefault(label, [0, 0, 0, 0])
        counts[0] += len(gold)
        counts[1] += len(predicted) - ignored
        counts[2] += len(pairs)
        counts[3] += ignored
        return pairs


def _score_article(article: GoldArticle, mentions: tuple[Mention, ...], tally: _Tally,
                   geod: Any) -> None:
    gold = article.toponyms
    tally.gold += len(gold)
    tally.predicted += len(mentions)
    tally.mismatches += article.offset_mismatches()
    gold_spans = []
    for toponym in gold:
        span, moved = aligned_span(article.text, toponym)
        gold_spans.append(span)
        tally.realigned += moved
    all_spans = [(m.start, m.end) for m in mentions]
    literal = [i for i, m in enumerate(mentions) if m.role in LITERAL_ROLES]
    literal_spans = [all_spans[i] for i in literal]
    literal_matched: set[int] = set()

    if tally.gwn:
        counted = [i for i, t in enumerate(gold) if t.kind in GWN_COUNTED_TYPES]
        counted_spans = [gold_spans[i] for i in counted]
        other_spans = [gold_spans[i] for i, t in enumerate(gold)
                       if t.kind not in GWN_COUNTED_TYPES]
        tally.detect("every role vs counted types", counted_spans, all_spans, other_spans)
        tally.detect("location+dateline vs counted types", counted_spans, literal_spans,
                     other_spans)
        headline_gold = set(counted)
    else:
        literal_pairs = tally.detect("location+dateline", gold_spans, literal_spans)
        headline_gold = set(range(len(gold)))
        literal_matched = set(literal_pairs.values())
    pairs = tally.detect("every role vs every gold toponym" if tally.gwn else "every role",
                         gold_spans, all_spans)
    matched_gold = {g: p for p, g in pairs.items()}
    tally.matched += len(pairs)
    tally.exact += sum(all_spans[p] == gold_spans[g] for p, g in pairs.items())

    for g, toponym in enumerate(gold):
        if toponym.kind is not None:
            tally.type_gold[toponym.kind] += 1
            if g in matched_gold:
                tally.type_matched[toponym.kind] += 1
        if g in headline_gold and g not in matched_gold:
            tally.fn[toponym.phrase] += 1
    for p, mention in enumerate(mentions):
        if p not in pairs and not _overlaps_any(all_spans[p], gold_spans):
            tally.fp[f"{mention.text} ({mention.role})"] += 1

    for g, p in sorted(matched_gold.items()):
        toponym, mention = gold[g], mentions[p]
        literal_reading = mention.role in LITERAL_ROLES
        if mention.role == "modifier":
            pass  # neither literal nor metonymic: no role error either
        elif tally.gwn and toponym.kind in ("Literal", "Metonymic"):
            reading = "literal" if literal_reading else "metonymic"
            tally.metonymy[(toponym.kind, reading)] += 1
            if (toponym.kind == "Literal") != literal_reading:
                tally.roles[f"{toponym.phrase} (gold {toponym.kind}, read {mention.role})"] += 1
        elif not tally.gwn and g not in literal_matched:
            tally.roles[f"{toponym.phrase} (read {mention.role})"] += 1
        if toponym.lat is None or toponym.lon is None:
            continue
        if mention.place is None:
            tally.unresolved += 1
            continue
        _az, _back, metres = geod.inv(toponym.lon, toponym.lat,
                                      mention.place.lon, mention.place.lat)
        km = metres / 1000.0
        tally.errors_km.append(km)
        exact = toponym.geonameid is not None and _geonames_match(mention, toponym.geonameid)
        if toponym.geonameid is not None:
            tally.geonames_pairs += 1
            tally.geonames_exact += exact
        if km > THRESHOLDS_KM[-1] and exact:
            tally.far_exact += 1  # the right place, but a distant representative point
        elif km > THRESHOLDS_KM[-1]:
            read = "" if mention.text == toponym.phrase else f" (read {mention.text!r})"
            tally.wrong[f"{toponym.phrase}{read} -> {_place_label(mention)}"] += 1


def _top(counter: Counter[str], n: int = TOP_ERRORS) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(counter.items(), key=lambda item: (-item[1], item[0]))[:n])


def evaluate(
    path: Path | str,
    *,
    limit: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    gazetteer: Gazetteer | None = None,
) -> Report:
    """Read every article of the corpus at ``path`` and score the reading.

    ``limit`` reads only the first so many articles; ``progress(done, total)`` is called
    after each one; ``gazetteer`` is the one to read with (default: the bundled one, or
    ``$GEOALEPPO_GAZETTEER``). An article whose reading raises is counted as failed and skipped.
    GWN scoring (types, metonymy) is used when the corpus's toponyms have a ``<type>``.
    """
    from pyproj import Geod

    from geoaleppo.gazetteer import load
    from geoaleppo.reader import read_text

    path = Path(path)
    started = time.perf_counter()
    total, typed = survey(path)
    if limit is not None:
        total = min(total, max(limit, 0))
    gazetteer = gazetteer or load()
    geod = Geod(ellps="WGS84")
    tally = _Tally(gwn=typed)
    articles = failed = failed_gold = 0
    failures: list[str] = []
    for index, article in enumerate(iter_corpus(path)):
        if index >= total:
            break
        try:
            reading = read_text(article.text, source=f"{path.name}#{article.id}",
                                gazetteer=gazetteer)
        except Exception as exc:  # one bad article must not end the run
            failed += 1
            failed_gold += len(article.toponyms)
            if len(failures) < _MAX_ERROR_MESSAGES:
                failures.append(f"article {article.id}: {type(exc).__name__}: {exc}")
        else:
            articles += 1
            _score_article(article, reading.mentions, tally, geod)
        if progress is not None:
            progress(index + 1, total)
    seconds = time.perf_counter() - started
    return _report(path, tally, articles, failed, failed_gold, failures, seconds)


def _report(path: Path, tally: _Tally, articles: int, failed: int, failed_gold: int,
            failures: list[str], seconds: float) -> Report:
    detection = tuple(
        DetectionScore(label, *counts) for label, counts in tally.detections.items()
    )
    errors = tally.errors_km
    resolution = ResolutionScore(
        pairs=len(errors),
        within=tuple((km, sum(e <= km for e in errors)) for km in THRESHOLDS_KM),
        median_km=statistics.median(errors) if errors else None,
        geonames_pairs=tally.geonames_pairs,
        geonames_exact=tally.geonames_exact,
        unresolved=tally.unresolved,
        far_exact=tally.far_exact,
    )
    metonymy = None
    counted_types: tuple[str, ...] = ()
    if tally.gwn:
        confusion = tally.metonymy
        literal = confusion[("Literal", "literal")] + confusion[("Literal", "metonymic")]
        metonymic = confusion[("Metonymic", "literal")] + confusion[("Metonymic", "metonymic")]
        metonymy = MetonymyScore(
            n=literal + metonymic,
            correct=confusion[("Literal", "literal")] + confusion[("Metonymic", "metonymic")],
            literal=literal,
            metonymic=metonymic,
            confusion=tuple((g, p, n) for (g, p), n in sorted(confusion.items())),
        )
        counted_types = tuple(t for t in GWN_COUNTED_TYPES if tally.type_gold[t])
    return Report(
        corpus=path.name,
        articles=articles,
        failed=failed,
        failures=tuple(failures),
        gold_toponyms=tally.gold,
        failed_gold_toponyms=failed_gold,
        predicted=tally.predicted,
        matched=tally.matched,
        exact_spans=tally.exact,
        offset_mismatches=tally.mismatches,
        realigned=tally.realigned,
        seconds=seconds,
        detection=detection,
        resolution=resolution,
        metonymy=metonymy,
        gold_types=tuple(sorted(tally.type_gold.items(), key=lambda kv: (-kv[1], kv[0]))),
        counted_types=counted_types,
        recall_by_type=tuple(
            (kind, tally.type_matched[kind], n)
            for kind, n in sorted(tally.type_gold.items(), key=lambda kv: (-kv[1], kv[0]))
        ),
        false_negatives=_top(tally.fn),
        false_positives=_top(tally.fp),
        wrong_resolutions=_top(tally.wrong),
        role_errors=_top(tally.roles),
    )
