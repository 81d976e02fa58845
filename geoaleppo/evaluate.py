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
    majority class, the score of always guessing it.
"""

from __future__ import annotations

import statistics
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from geoaleppo.corpora import (
    REALIGN_WINDOW,
    GoldArticle,
    aligned_span,
    iter_corpus,
    survey,
)
from geoaleppo.model import Mention

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
THRESHOLDS_KM: tuple[float, ...] = (1.0, 5.0, 161.0)
#: How many entries each error list keeps.
TOP_ERRORS = 15
_MAX_ERROR_MESSAGES = 5


# -- scores ------------------------------------------------------------------------------
def _ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


@dataclass(frozen=True, slots=True)
class DetectionScore:
    """Toponym detection under one choice of counted mentions and gold toponyms.

    ``ignored`` mentions overlapped only gold toponyms of types not counted; they are
    left out of ``predicted``.
    """

    label: str
    gold: int
    predicted: int
    matched: int
    ignored: int = 0

    @property
    def precision(self) -> float | None:
        return _ratio(self.matched, self.predicted)

    @property
    def recall(self) -> float | None:
        return _ratio(self.matched, self.gold)

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None or p + r == 0:
            return None if p is None or r is None else 0.0
        return 2 * p * r / (p + r)

    def to_json(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "gold": self.gold,
            "predicted": self.predicted,
            "matched": self.matched,
            "ignored": self.ignored,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
        }


@dataclass(frozen=True, slots=True)
class ResolutionScore:
    """Resolution on matched pairs: ``pairs`` have gold coordinates and a predicted place."""

    pairs: int = 0
    within: tuple[tuple[float, int], ...] = ()  # (threshold km, pairs within it)
    median_km: float | None = None
    geonames_pairs: int = 0  # pairs whose gold has a GeoNames id
    geonames_exact: int = 0
    unresolved: int = 0  # matched pairs with gold coordinates but no predicted place
    far_exact: int = 0  # pairs beyond the last threshold that are exact GeoNames matches

    def share_within(self, km: float) -> float | None:
        for threshold, count in self.within:
            if threshold == km:
                return _ratio(count, self.pairs)
        raise KeyError(km)

    @property
    def geonames_rate(self) -> float | None:
        return _ratio(self.geonames_exact, self.geonames_pairs)

    def to_json(self) -> dict[str, Any]:
        return {
            "pairs": self.pairs,
            "within_km": {f"{km:g}": _ratio(n, self.pairs) for km, n in self.within},
            "median_km": self.median_km,
            "geonames_pairs": self.geonames_pairs,
            "geonames_exact": self.geonames_exact,
            "geonames_rate": self.geonames_rate,
            "unresolved": self.unresolved,
            "far_exact": self.far_exact,
        }


@dataclass(frozen=True, slots=True)
class MetonymyScore:
    """Literal vs metonymic on matched Literal/Metonymic gold toponyms.

    ``confusion`` counts (gold type, predicted reading) pairs.
    """

    n: int
    correct: int
    literal: int
    metonymic: int
    confusion: tuple[tuple[str, str, int], ...] = ()

    @property
    def accuracy(self) -> float | None:
        return _ratio(self.correct, self.n)

    @property
    def baseline(self) -> float | None:
        return _ratio(max(self.literal, self.metonymic), self.n)

    def to_json(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "correct": self.correct,
            "accuracy": self.accuracy,
            "gold_literal": self.literal,
            "gold_metonymic": self.metonymic,
            "majority_baseline": self.baseline,
            "confusion": [
                {"gold": gold, "predicted": predicted, "count": count}
                for gold, predicted, count in self.confusion
            ],
        }


@dataclass(frozen=True, slots=True)
class Report:
    """Everything :func:`evaluate` measured on one corpus.

    ``detection[0]`` is the headline detection score. The error lists hold the most
    frequent cases as (phrase, count) or (description, count), most frequent first.
    """

    corpus: str
    articles: int  # articles read
    failed: int  # articles whose reading raised; skipped
    failures: tuple[str, ...]  # the first few error messages
    gold_toponyms: int  # in articles read, of every type
    failed_gold_toponyms: int  # in skipped articles
    predicted: int  # mentions of every role in articles read
    matched: int  # one-to-one overlaps, every role vs every gold toponym
    exact_spans: int  # of those, spans identical to the gold
    offset_mismatches: int  # gold toponyms whose offsets do not select their phrase
    realigned: int  # of those, found within REALIGN_WINDOW characters and moved there
    seconds: float
    detection: tuple[DetectionScore, ...]
    resolution: ResolutionScore
    metonymy: MetonymyScore | None = None
    gold_types: tuple[tuple[str, int], ...] = ()  # (type, count), GWN only
    counted_types: tuple[str, ...] = ()
    recall_by_type: tuple[tuple[str, int, int], ...] = ()  # (type, matched, gold)
    false_negatives: tuple[tuple[str, int], ...] = ()
    false_positives: tuple[tuple[str, int], ...] = ()
    wrong_resolutions: tuple[tuple[str, int], ...] = ()
    role_errors: tuple[tuple[str, int], ...] = ()

    @property
    def articles_per_second(self) -> float | None:
        return self.articles / self.seconds if self.seconds > 0 else None

    def to_json(self) -> dict[str, Any]:
        def listed(pairs: tuple[tuple[str, int], ...]) -> list[dict[str, Any]]:
            return [{"what": what, "count": count} for what, count in pairs]

        return {
            "corpus": self.corpus,
            "articles": self.articles,
            "failed": self.failed,
            "failures": list(self.failures),
            "gold_toponyms": self.gold_toponyms,
            "failed_gold_toponyms": self.failed_gold_toponyms,
            "predicted": self.predicted,
            "matched": self.matched,
            "exact_spans": self.exact_spans,
            "offset_mismatches": self.offset_mismatches,
            "realigned": self.realigned,
            "seconds": self.seconds,
            "articles_per_second": self.articles_per_second,
            "detection": [d.to_json() for d in self.detection],
            "resolution": self.resolution.to_json(),
            "metonymy": self.metonymy.to_json() if self.metonymy else None,
            "gold_types": dict(self.gold_types),
            "counted_types": list(self.counted_types),
            "recall_by_type": {
                kind: {"matched": m, "gold": g, "recall": _ratio(m, g)}
                for kind, m, g in self.recall_by_type
            },
            "false_negatives": listed(self.false_negatives),
            "false_positives": listed(self.false_positives),
            "wrong_resolutions": listed(self.wrong_resolutions),
            "role_errors": listed(self.role_errors),
        }

    def rows(self) -> list[tuple[str, str, str]]:
        """(metric, value, detail) rows of :meth:`table`, timing last."""
        rows: list[tuple[str, str, str]] = [
            ("articles read", str(self.articles), ""),
            ("articles failed (skipped)", str(self.failed),
             f"{self.failed_gold_toponyms} gold toponyms" if self.failed else ""),
            ("gold toponyms", str(self.gold_toponyms), ""),
            ("gold offset mismatches", str(self.offset_mismatches),
             f"{self.realigned} realigned within {REALIGN_WINDOW} chars"
             if self.offset_mismatches else ""),
            ("predicted mentions", str(self.predicted), "every role"),
            ("matched", str(self.matched), f"{self.exact_spans} exact spans"),
        ]
        if self.counted_types:
            rows.append(("gold types counted", "", ", ".join(self.counted_types)))
        for d in self.detection:
            detail = f"{d.matched}/{d.predicted}"
            if d.ignored:
                detail += f", {d.ignored} ignored"
            rows.append((f"precision ({d.label})", _fmt(d.precision), detail))
            rows.append((f"recall ({d.label})", _fmt(d.recall), f"{d.matched}/{d.gold}"))
            rows.append((f"F1 ({d.label})", _fmt(d.f1), ""))
        for kind, m, g in self.recall_by_type:
            rows.append((f"recall, type {kind}", _fmt(_ratio(m, g)), f"{m}/{g}"))
        res = self.resolution
        rows.append(("resolution pairs", str(res.pairs),
                     f"{res.unresolved} matched without a place"))
        for km, n in res.within:
            rows.append((f"within {km:g} km", _fmt(_ratio(n, res.pairs)), f"{n}/{res.pairs}"))
        rows.append(("median error km", _fmt(res.median_km, 1), ""))
        rows.append(("exact GeoNames match", _fmt(res.geonames_rate),
                     f"{res.geonames_exact}/{res.geonames_pairs}"))
        rows.append((f"exact GeoNames match beyond {THRESHOLDS_KM[-1]:g} km",
                     str(res.far_exact), "the right place, a distant representative point"))
        if self.metonymy is not None:
            met = self.metonymy
            rows.append(("literal/metonymic accuracy", _fmt(met.accuracy),
                         f"{met.correct}/{met.n}"))
            rows.append(("majority-class baseline", _fmt(met.baseline),
                         f"{met.literal} literal, {met.metonymic} metonymic"))
        rows.append(("seconds elapsed", _fmt(self.seconds, 1), ""))
        rows.append(("articles/s", _fmt(self.articles_per_second, 2), ""))
        return rows

    def table(self) -> str:
        """A plain fixed-width table, one metric a row; only the timing rows vary by run."""
        rows = [("metric", "value", "detail"), *self.rows()]
        # Column widths come from the stable rows only, so a longer timing figure
        # never shifts the rest of the table between runs.
        stable = [r for r in rows if r[0] not in {"seconds elapsed", "articles/s"}]
        width = max(len(r[0]) for r in stable)
        value_width = max(len(r[1]) for r in stable)
        lines = [f"{self.corpus}"]
        for metric, value, detail in rows:
            lines.append(f"{metric:<{width}}  {value:>{value_width}}  {detail}".rstrip())
        return "\n".join(lines)

    def error_lists(self) -> str:
        """The error lists as plain text, for whoever tunes the reader."""
        parts = []
        for title, pairs in (
            ("false negatives (gold toponyms no mention overlaps)", self.false_negatives),
            ("false positives (mentions overlapping no gold toponym)", self.false_positives),
            ("wrong resolutions (over 161 km, not the gold GeoNames id)",
             self.wrong_resolutions),
            ("role errors", self.role_errors),
        ):
            parts.append(f"{self.corpus}: {title}")
            parts.extend(f"  {count:5d}  {what}" for what, count in pairs)
            if not pairs:
                parts.append("  (none)")
        return "\n".join(parts)


def _fmt(value: float | None, digits: int = 3) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


# -- matching ----------------------------------------------------------------------------
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
        if tally.gwn and toponym.kind in ("Literal", "Metonymic"):
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
) -> Report:
    """Read every article of the corpus at ``path`` and score the reading.

    ``limit`` reads only the first so many articles; ``progress(done, total)`` is called
    after each one. An article whose reading raises is counted as failed and skipped.
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
    gazetteer = load()
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
