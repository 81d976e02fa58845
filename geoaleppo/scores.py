"""The figures an evaluation reports: detection, resolution and metonymy scores.

:mod:`geoaleppo.evaluate` counts what the reader got right on a corpus; these types hold
the counts, work out the rates and print the report. They are plain values that
serialise to the JSON ``geoaleppo evaluate -o`` writes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from geoaleppo.corpora import REALIGN_WINDOW

if TYPE_CHECKING:
    from geoaleppo.model import Place

#: The distances resolution is scored within.
THRESHOLDS_KM: tuple[float, ...] = (1.0, 5.0, 161.0)

def most_common(counter: Counter[str], n: int) -> tuple[tuple[str, int], ...]:
    """The ``n`` commonest entries, most first, ties in alphabetical order (so a report
    is the same from run to run)."""
    return tuple(sorted(counter.items(), key=lambda item: (-item[1], item[0]))[:n])


def is_geonames_match(place: Place, geonameid: int) -> bool:
    """Whether ``place`` is the gold's GeoNames entry (its id, or one it links to)."""
    wanted = f"geonames:{geonameid}"
    return place.id == wanted or wanted in place.links


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
