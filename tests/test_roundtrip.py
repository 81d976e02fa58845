"""A reading goes out as the JSON `parse --json` writes and comes back the same, and the
reader gives the same readings alone, in threads and in processes."""

from __future__ import annotations

import json
import random
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geoaleppo import gazetteer as gz
from geoaleppo.model import Reading
from geoaleppo.reader import read_text
from geoaleppo.serialise import dumps, reading_from_json, reading_json

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "maps" / "aleppo-2016-12-05.txt"
SEED_TEXT = SEED.read_text("utf-8")
SEED_SENTENCES = [line for line in SEED_TEXT.splitlines() if len(line) > 40]
EXTRA = [
    "Rebels said they shelled the Old City within a kilometre of the citadel on Sunday.",
    "Clashes raged between Al Shaar and Tariq al-Bab, the Syrian Observatory said.",
    "Government forces captured Karm al-Myassar, state TV said, and 12 people were killed.",
    "Moscow said talks with Washington would start on Tuesday.",
    "Fighting west of the Umayyad Mosque killed at least 21 people, medics said.",
]


def round_trip(reading: Reading) -> Reading:
    text = dumps(reading_json(reading))
    return reading_from_json(json.loads(text), gz.load())


def test_the_seed_reading_comes_back_equal() -> None:
    reading = read_text(SEED_TEXT, source="seed")
    back = round_trip(reading)
    assert back == reading
    assert dumps(reading_json(back)) == dumps(reading_json(reading))
    # Events and claims come back linked to their article, not to a copy of nothing.
    assert all(event.article is back.article for event in back.events)
    assert all(claim.article is back.article for claim in back.control)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from(SEED_SENTENCES + EXTRA), min_size=1, max_size=8),
    st.sampled_from([None, "2016-12-05", "2016-08-14"]),
    st.text(max_size=30),
)
def test_any_reading_round_trips_losslessly(lines: list[str], published: str | None,
                                            title: str) -> None:
    text = f"{title}\n\n" + "\n".join(lines) + "\n"
    reading = read_text(text, published=published, source="generated")
    back = round_trip(reading)
    assert back == reading
    assert dumps(reading_json(back)) == dumps(reading_json(reading))


def _articles() -> list[str]:
    rng = random.Random(5)
    pool = SEED_SENTENCES + EXTRA
    return [f"Report {n}\nMonday 05/December/2016\n\n" + " ".join(rng.sample(pool, 6))
            for n in range(12)]


def _json_of(text: str) -> str:
    return dumps(reading_json(read_text(text, source="same")))


@pytest.mark.slow
def test_threads_and_processes_read_as_one_reader_does() -> None:
    articles = _articles()
    alone = [_json_of(text) for text in articles]
    with ThreadPoolExecutor(max_workers=4) as pool:
        in_threads = list(pool.map(_json_of, articles))
    with ProcessPoolExecutor(max_workers=2) as pool:
        in_processes = list(pool.map(_json_of, articles))
    assert in_threads == alone
    assert in_processes == alone
