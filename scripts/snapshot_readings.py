"""Write the full JSON reading of a fixed set of texts, one line each, to compare refactors.

A change that must not change what the reader reads is checked by running this before
and after it and comparing the two files (``cmp``, or ``--compare OLD`` to list the texts
that differ). The texts: the bundled article, the benchmark's synthetic reports, every
article of the public geoparsing corpora and of the development corpus, and Wikipedia's
dated accounts. Corpora that are missing are skipped and named on stderr.

    python scripts/snapshot_readings.py -o /tmp/before.jsonl
    python scripts/snapshot_readings.py -o /tmp/after.jsonl --compare /tmp/before.jsonl
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from bench import SEED, synthetic_articles  # noqa: E402

from geoaleppo import gazetteer as gz  # noqa: E402
from geoaleppo.corpora import iter_corpus  # noqa: E402
from geoaleppo.reader import read_text  # noqa: E402
from geoaleppo.serialise import dumps, reading_json  # noqa: E402

SHARED = ROOT.parent / "shared"


def texts(shared: Path) -> Iterator[tuple[str, str, str | None]]:
    """(name, text, publication date) of every text in the snapshot, in a fixed order."""
    yield "seed", SEED.read_text("utf-8"), None
    for number, text in enumerate(synthetic_articles(20)):
        yield f"synthetic-{number}", text, None
    for corpus in ("TR-News.xml", "LGL.xml", "GWN.xml"):
        path = shared / "eval" / corpus
        if not path.exists():
            print(f"snapshot: {path} is missing; skipped", file=sys.stderr)
            continue
        for number, article in enumerate(iter_corpus(path)):
            yield f"{corpus}-{number}", article.text, None
    fakes = shared / "corpus" / "fakes-dev.csv"
    if fakes.exists():
        with fakes.open(encoding="utf-8", newline="") as stream:
            for number, row in enumerate(csv.DictReader(stream)):
                text = f"{row['article_title']}\n\n{row['article_content']}\n"
                yield f"fakes-{number}", text, None
    for account in sorted((shared / "corpus" / "wikipedia").glob("*.md")):
        yield f"wikipedia-{account.stem}", account.read_text("utf-8"), "2016-12-31"


def _by_name(path: Path) -> dict[str, str]:
    # Not splitlines(): JSON text may hold U+2028 and other line separators.
    lines = path.read_text("utf-8").split("\n")
    return dict(line.split("\t", 1) for line in lines if line)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path, required=True)
    parser.add_argument("--shared", type=Path, default=SHARED)
    parser.add_argument("--compare", type=Path, help="an earlier snapshot to compare with")
    args = parser.parse_args(argv)
    index = gz.load()
    with args.output.open("w", encoding="utf-8") as out:
        for name, text, published in texts(args.shared):
            reading = read_text(text, source=name, published=published, gazetteer=index)
            out.write(f"{name}\t{dumps(reading_json(reading), indent=None)}\n")
    if args.compare is None:
        return 0
    before, after = _by_name(args.compare), _by_name(args.output)
    changed = sorted(name for name in before.keys() | after.keys()
                     if before.get(name) != after.get(name))
    for name in changed:
        print(f"differs: {name}")
    print(f"{len(after)} texts, {len(changed)} differ")
    return 1 if changed else 0


if __name__ == "__main__":
    raise SystemExit(main())
