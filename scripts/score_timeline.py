"""Score `geoaleppo timeline` on the development set of dated control changes.

../shared/corpus/dev-timeline.csv holds 176 control changes read by hand from three
Wikipedia accounts of the 2016 Aleppo offensives (dev-timeline.md explains them). The
timeline of the three accounts is scored on the rows whose place the gazetteer knows: a
row is a hit when the timeline gives its status on the row's day or the day after.

The annotated status is the row's controller, read through the timeline's precedence
(README, "Dated control history"): a partial capture ("government (partial, ~70%)")
makes a place contested; everything else keeps its controller ("government (rebel
assault repelled)" is government-held). Misses are listed with a cause worked out from
the timeline: no claim about the place at all; no claim that day or the next (the status
is carried from an earlier day); or claims that day whose outcome differs.

    python scripts/score_timeline.py [--shared ../shared] [--misses]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"

#: The development set's places (canonical_place) that the gazetteer knows, with its id.
#: Checked by hand against the gazetteer; places it lacks (hills, villages, the 1070
#: project, the Kindi hospital, Minyan) are left out, and so are near-misses that are
#: not the same place (Rashidin 5 is a suburb within al-Rashidin; the Old City row is
#: about blocks near the citadel; Al-Hikmah is a school, not Hamdaniyah).
KNOWN_PLACES: dict[str, str] = {
    "Handarat camp": "handarat",
    "Sheikh Saeed": "sheikh-saeed",
    "Farafira": "al-farafra",
    "Suleiman al-Halabi": "suleiman-al-halabi",
    "Bustan al-Basha": "bustan-al-basha",
    "Shuqayf Industrial Area": "shqayyef",
    "Shuqayf district": "shqayyef",
    "Awijah": "owaija",
    "Al-Amiriya": "al-amiriyeh",
    "Salah al-Din": "salah-ad-deen",
    "Al-Aradh al-Hamra": "ard-al-hamra",
    "Dahiyat al-Assad": "dahiyat-al-assad",
    "New Aleppo": "new-aleppo",
    "Al-Zahra district": "az-zahra",
    "Ramouseh": "ad-ramouseh-industrial-district",
    "Sheikh Maqsoud": "ash-sheikh-maqsoud",
}
_CONTROLLERS = {"government": "government-held", "rebels": "rebel-held",
                "contested": "contested", "kurdish": "Kurdish-held"}


@dataclass(frozen=True)
class Row:
    date: str
    place: str
    place_id: str
    controller: str
    expected: str
    evidence: str


@dataclass
class Score:
    rows: int = 0
    known: int = 0
    hits: int = 0
    misses: list[tuple[Row, str, str]] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.hits / self.known if self.known else 0.0

    def causes(self) -> Counter[str]:
        return Counter(cause for _row, _got, cause in self.misses)


def expected_status(controller: str) -> str:
    """The status the timeline should give for an annotated controller."""
    head, _, note = controller.partition("(")
    if "partial" in note:
        return "contested"
    return _CONTROLLERS[head.strip().lower()]


def rows(shared: Path) -> list[Row]:
    found = []
    with (shared / "corpus" / "dev-timeline.csv").open(encoding="utf-8", newline="") as f:
        for line in csv.DictReader(f):
            place_id = KNOWN_PLACES.get(line["canonical_place"], "")
            found.append(Row(line["date"], line["canonical_place"], place_id,
                             line["new_controller"], expected_status(line["new_controller"]),
                             line["evidence"]))
    return found


def accounts(shared: Path) -> list[Path]:
    return sorted((shared / "corpus" / "wikipedia").glob("*.md"))


def timeline_document(shared: Path = SHARED, *, corroborated: bool = False) -> dict:
    """What `geoaleppo timeline ACCOUNTS... --json` prints for the three accounts."""
    from geoaleppo import gazetteer as gz
    from geoaleppo.corpus import read_sources
    from geoaleppo.reader import ReadFailure
    from geoaleppo.timeline import timeline
    from geoaleppo.timeline_json import timeline_json

    index = gz.load()
    readings = [r for r in read_sources([str(p) for p in accounts(shared)], gazetteer=index)
                if not isinstance(r, ReadFailure)]
    return timeline_json(timeline(readings, index, corroborated=corroborated))


def score(shared: Path = SHARED, *, corroborated: bool = False) -> Score:
    """Score the timeline of the three accounts (its JSON) on the development set."""
    document = timeline_document(shared, corroborated=corroborated)
    intervals = {place["place_id"]: place["intervals"] for place in document["places"]}
    result = Score()
    for row in rows(shared):
        result.rows += 1
        if not row.place_id:
            continue
        result.known += 1
        following = (dt.date.fromisoformat(row.date) + dt.timedelta(days=1)).isoformat()
        place = intervals.get(row.place_id, [])
        got = [_status(place, day) for day in (row.date, following)]
        if row.expected in got:
            result.hits += 1
        else:
            result.misses.append((row, " / ".join(g or "-" for g in got),
                                  _cause(place, row, following)))
    return result


def _status(intervals: list[dict], day: str) -> str | None:
    for interval in intervals:
        if interval["start"] <= day and (interval["end"] is None or day <= interval["end"]):
            return str(interval["status"])
    return None


def _cause(intervals: list[dict], row: Row, following: str) -> str:
    if not intervals:
        return "no claim about the place"
    days = {claim["date"] for interval in intervals for claim in interval["claims"]}
    if not days & {row.date, following}:
        if intervals[0]["start"] > following:
            return "no claim yet (the place's first claim comes later)"
        return "no claim that day or the next (status carried from earlier)"
    return "claims that day, another outcome"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=SHARED)
    parser.add_argument("--misses", action="store_true", help="list every miss")
    parser.add_argument("--corroborated", action="store_true")
    args = parser.parse_args(argv)
    if not (args.shared / "corpus" / "dev-timeline.csv").exists():
        print(f"score_timeline: {args.shared}/corpus/dev-timeline.csv is missing",
              file=sys.stderr)
        return 1
    result = score(args.shared, corroborated=args.corroborated)
    print(f"dev-timeline: {result.hits}/{result.known} rows whose place the gazetteer "
          f"knows ({result.rate:.1%}); {result.rows} rows in all")
    for cause, count in result.causes().most_common():
        print(f"  {count:3d} missed: {cause}")
    if args.misses:
        for row, got, cause in result.misses:
            print(f"\n{row.date} {row.place} [{row.place_id}] expected {row.expected} "
                  f"({row.controller}); got {got}: {cause}\n    {row.evidence[:200]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
