"""Score the reader on the hand-read development set in tests/devset/.

Each ``tests/devset/<unit_id>.json`` holds an article's text and an analyst's reading
of it (see tests/devset/README.md). This module reads each text with
``geoaleppo.reader.read_text`` and compares. It uses nothing of geoaleppo but the
reader's public result (mentions, events, control claims and their places' points),
so refactors of the reader's internals do not touch it.

The hand readings annotate the places the text locates things at, and the places that
act; they do not annotate demonyms or place names that qualify a noun ("Syrian
government forces", "the Aleppo-based group"), so the reader's mentions of role
``modifier`` take no part in the scores.

Run ``python tests/devset_score.py`` for the figures and the misses by article.
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEVSET = Path(__file__).parent / "devset"
#: A predicted place counts as the gold one within this distance of its point.
RADIUS_M = 800.0
#: Event dates may differ by this many days ("on Sunday" read against the wrong day).
DATE_SLACK_DAYS = 1

Point = tuple[float, float]


def distance_m(a: Point, b: Point) -> float:
    """Great-circle distance in metres between two (lat, lon) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6_371_008.8 * math.asin(math.sqrt(h))


def _value(x: Any) -> str:
    """An enum member's value, or the string itself."""
    return str(getattr(x, "value", x))


def _point(item: Any) -> Point | None:
    """The point of a predicted item's place, if it has one."""
    place = getattr(item, "place", None)
    if place is None:
        return None
    return (place.lat, place.lon)


def _gold_point(item: dict[str, Any]) -> Point | None:
    """A gold item's point: its gazetteer place's, or its parent's."""
    if item.get("lat") is None:
        return None
    return (item["lat"], item["lon"])


def _near(a: Point | None, b: Point | None) -> bool:
    return a is not None and b is not None and distance_m(a, b) <= RADIUS_M


def _days_apart(a: str | None, b: str | None) -> int | None:
    if not a or not b:
        return None
    from datetime import date

    return abs((date.fromisoformat(a[:10]) - date.fromisoformat(b[:10])).days)


def _place_name(item: Any) -> str:
    place = getattr(item, "place", None)
    return "no place" if place is None else f"{place.id}"


def _gold_name(item: dict[str, Any]) -> str:
    if item.get("place"):
        return item["place"]
    if item.get("parent"):
        return f"(not in gazetteer, in {item['parent']})"
    return "(not in gazetteer)"


@dataclass
class Ratio:
    """hits out of total, printed as a share."""

    hits: int = 0
    total: int = 0

    def add(self, hit: bool) -> None:
        self.total += 1
        self.hits += int(hit)

    @property
    def value(self) -> float:
        return self.hits / self.total if self.total else 0.0

    def __str__(self) -> str:
        return f"{self.value:.3f} ({self.hits}/{self.total})"


@dataclass
class Score:
    """The development-set figures, with what was missed in each article."""

    mention_recall: Ratio = field(default_factory=Ratio)
    role_accuracy: Ratio = field(default_factory=Ratio)
    mention_precision: Ratio = field(default_factory=Ratio)
    event_recall: Ratio = field(default_factory=Ratio)
    event_recall_dated: Ratio = field(default_factory=Ratio)
    event_precision: Ratio = field(default_factory=Ratio)
    control_recall: Ratio = field(default_factory=Ratio)
    control_precision: Ratio = field(default_factory=Ratio)
    #: Gold location mentions and events at places the gazetteer lacks (not scored).
    gaps: dict[str, int] = field(default_factory=lambda: {"mentions": 0, "events": 0})
    misses: dict[str, list[str]] = field(default_factory=dict)

    def figures(self) -> dict[str, float]:
        return {
            name: getattr(self, name).value
            for name in (
                "mention_recall",
                "role_accuracy",
                "mention_precision",
                "event_recall",
                "event_recall_dated",
                "event_precision",
                "control_recall",
                "control_precision",
            )
        }

    def report(self) -> str:
        lines = [f"development set: {len(self.misses)} articles, radius {RADIUS_M:.0f} m"]
        labels = {
            "mention_recall": "mention recall (location, within 800 m)",
            "role_accuracy": "role accuracy (of gold mentions found)",
            "mention_precision": "mention precision",
            "event_recall": "event type-and-place recall",
            "event_recall_dated": "  ... and date within a day",
            "event_precision": "event precision",
            "control_recall": "control status-and-place recall",
            "control_precision": "control precision",
        }
        for name, label in labels.items():
            lines.append(f"  {label:<42} {getattr(self, name)}")
        lines.append(
            f"  not scored, places the gazetteer lacks: {self.gaps['mentions']} location "
            f"mentions, {self.gaps['events']} events"
        )
        return "\n".join(lines)

    def report_misses(self) -> str:
        lines = []
        for article, misses in self.misses.items():
            if misses:
                lines.append(f"{article}:")
                lines.extend(f"  {m}" for m in misses)
        return "\n".join(lines)


def load_devset(directory: Path = DEVSET) -> list[dict[str, Any]]:
    """The gold readings, in file-name order."""
    return [
        json.loads(path.read_text(encoding="utf-8")) for path in sorted(directory.glob("*.json"))
    ]


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def score_mentions(
    gold: dict[str, Any], mentions: Sequence[Any], score: Score, misses: list[str]
) -> None:
    """Recall, role accuracy and precision of the predicted mentions of one article
    (modifiers left out: the hand readings do not annotate them)."""
    mentions = [m for m in mentions if _value(m.role) != "modifier"]
    for g in gold["mentions"]:
        if g["point"] != "gazetteer":
            if g["role"] == "location":
                score.gaps["mentions"] += 1
            continue
        span = (g["start"], g["end"])
        overlapping = [m for m in mentions if _overlaps(span, (m.start, m.end))]
        found = [m for m in overlapping if _near(_point(m), _gold_point(g))]
        if g["role"] == "location":
            score.mention_recall.add(bool(found))
        if found:
            role = _value(found[0].role)
            score.role_accuracy.add(role == g["role"])
            if role != g["role"]:
                misses.append(f"role {g['text']!r}@{g['start']}: {role}, gold {g['role']}")
        elif g["role"] == "location":
            if overlapping:
                misses.append(_misread("mention", g["text"], g["start"], overlapping[0], g))
            else:
                misses.append(f"mention {g['text']!r}@{g['start']}: not found, gold {g['place']}")
    ignored = [(i["start"], i["end"]) for i in gold["ignore"]]
    for m in mentions:
        span = (m.start, m.end)
        if any(_overlaps(span, i) for i in ignored):
            continue
        matches = [g for g in gold["mentions"] if _overlaps(span, (g["start"], g["end"]))]
        hit = any(_near(_point(m), _gold_point(g)) for g in matches)
        score.mention_precision.add(hit)
        if not hit:
            if matches:
                misses.append(_misread("wrong place", m.text, m.start, m, matches[0]))
            else:
                misses.append(f"spurious mention {m.text!r}@{m.start}: {_place_name(m)}")


def _misread(label: str, text: str, start: int, predicted: Any, g: dict[str, Any]) -> str:
    """A miss line: what was read where, how far from the gold point, and the gold place."""
    a, b = _point(predicted), _gold_point(g)
    far = "" if a is None or b is None else f" ({distance_m(a, b) / 1000:.1f} km off)"
    return f"{label} {text!r}@{start}: read as {_place_name(predicted)}{far}, gold {_gold_name(g)}"


def _event_matches(event: Any, g: dict[str, Any]) -> bool:
    """Same type, near the same place; a restatement only in its own sentence."""
    if _value(event.type) != g["type"] or not _near(_point(event), _gold_point(g)):
        return False
    if g.get("restates"):
        sentence = event.sentence or ""
        return g["quote"] in sentence or (bool(sentence) and sentence in g["quote"])
    return True


def score_events(
    gold: dict[str, Any], events: Sequence[Any], score: Score, misses: list[str]
) -> None:
    """Type-and-place recall and precision of the predicted events of one article."""
    for g in gold["events"]:
        if g.get("restates"):
            continue
        if g["point"] != "gazetteer":
            score.gaps["events"] += 1
            continue
        found = [e for e in events if _event_matches(e, g)]
        score.event_recall.add(bool(found))
        apart = [_days_apart(e.date, g.get("date")) for e in found]
        score.event_recall_dated.add(any(d is None or d <= DATE_SLACK_DAYS for d in apart))
        if not found:
            same_type = sorted({_place_name(e) for e in events if _value(e.type) == g["type"]})
            also = f" (predicted {g['type']} at: {', '.join(same_type)})" if same_type else ""
            misses.append(
                f"event {g['type']} at {g['place']} on {g.get('date')}: missed{also} "
                f"[{g['quote'][:70]}]"
            )
    for e in events:
        hit = any(_event_matches(e, g) for g in gold["events"])
        score.event_precision.add(hit)
        if not hit:
            misses.append(
                f"spurious event {_value(e.type)} at {_place_name(e)} on {e.date} "
                f"[{e.sentence[:70]}]"
            )


def score_control(
    gold: dict[str, Any], claims: Sequence[Any], score: Score, misses: list[str]
) -> None:
    """Status-and-place recall and precision of the predicted control claims."""

    def matches(c: Any, g: dict[str, Any]) -> bool:
        return _value(c.status) == g["status"] and _near(_point(c), _gold_point(g))

    for g in gold["control"]:
        if g["point"] != "gazetteer":
            continue
        hit = any(matches(c, g) for c in claims)
        score.control_recall.add(hit)
        if not hit:
            misses.append(f"control {g['status']} {g['place']}: missed [{g['quote'][:60]}]")
    for c in claims:
        hit = any(matches(c, g) for g in gold["control"])
        score.control_precision.add(hit)
        if not hit:
            misses.append(f"spurious control {_value(c.status)} {_place_name(c)}")


def score(articles: Iterable[dict[str, Any]] | None = None) -> Score:
    """Read every development article with the reader and score the readings."""
    from geoaleppo.reader import read_text

    result = Score()
    for gold in load_devset() if articles is None else articles:
        reading = read_text(gold["text"], published=gold["published"], source=gold["unit_id"])
        misses: list[str] = []
        score_mentions(gold, reading.mentions, result, misses)
        score_events(gold, reading.events, result, misses)
        score_control(gold, reading.control, result, misses)
        result.misses[f"{gold['unit_id']} {gold['source']} {gold['published']}"] = misses
    return result


def main(argv: Sequence[str] = ()) -> int:
    """Print the figures, then the misses by article."""
    result = score()
    print(result.report())
    if "--quiet" not in argv:
        print()
        print(result.report_misses())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
