"""Benchmarks (`make bench`): reader throughput, resolve latency, maps at scale.

Prints a table and writes bench/out/results.json. Figures depend on the machine; the
README quotes the ones measured on the project's 2-core build machine.

* reader: synthetic ~1,000-word reports made of the bundled article's sentences in a
  seeded random order, read one after another on one core (and real LGL news articles
  when the public evaluation corpus sits beside the repository in ../shared/eval);
* resolve: names of real reporting, resolved one at a time;
* timeline: the 760 FA-KES articles of ../shared/corpus read into a timeline (skipped
  when ../shared is missing);
* maps: 1k, 10k and 100k synthetic events spread over the gazetteer's districts and
  heritage sites, written as offline maps, then loaded in headless Chromium with the
  network blocked.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from geoaleppo import gazetteer as gz  # noqa: E402
from geoaleppo.model import Article, Event, Reading  # noqa: E402
from geoaleppo.reader import read_text  # noqa: E402
from geoaleppo.text import parse_header, sentences  # noqa: E402

SEED = ROOT / "maps" / "aleppo-2016-12-05.txt"
OUT = ROOT / "bench" / "out"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


def synthetic_articles(count: int, words: int = 1000) -> list[str]:
    """Reports of ~``words`` words: the bundled article's sentences in a seeded order.

    A sentence comes back only after all the others (the same order again), so no memo
    of recent sentences can make a repeat cheap: each sentence is read as if new.
    """
    text = SEED.read_text("utf-8")
    body = [s.text for s in sentences(text, parse_header(text).body_start)]
    rng = random.Random(20161205)
    articles = []
    for number in range(count):
        order = rng.sample(body, len(body))
        chosen: list[str] = []
        while sum(len(s.split()) for s in chosen) < words:
            chosen.append(order[len(chosen) % len(order)])
        header = f"Report {number} on Aleppo\nMonday 05/December/2016\nBy: Bench Wire\n\n"
        paragraphs = [" ".join(chosen[i : i + 3]) for i in range(0, len(chosen), 3)]
        articles.append(header + "\n".join(paragraphs) + "\n")
    return articles


def _rates(texts: list[str], index: gz.Gazetteer, rounds: int) -> list[float]:
    """Articles a second for each of ``rounds`` passes over ``texts``, one after another."""
    rates = []
    for _ in range(rounds):
        start = time.perf_counter()
        for text in texts:
            read_text(text, gazetteer=index)
        rates.append(len(texts) / (time.perf_counter() - start))
    return rates


def bench_reader(index: gz.Gazetteer, count: int, rounds: int = 3) -> dict[str, float]:
    """Reading speed: the median of ``rounds`` passes, with the slowest and fastest, since a
    shared machine's speed drifts by a fifth from one minute to the next."""
    articles = synthetic_articles(count)
    read_text(articles[0], gazetteer=index)  # warm caches: the gazetteer, world extract
    words = sum(len(a.split()) for a in articles)
    rates = _rates(articles, index, rounds)
    middle = statistics.median(rates)
    result = {"articles": count, "words_per_article": round(words / count),
              "articles_per_s": round(middle, 1),
              "articles_per_s_range": [round(min(rates), 1), round(max(rates), 1)],
              "words_per_s": round(middle * words / count)}
    corpus = ROOT.parent / "shared" / "eval" / "LGL.xml"
    if corpus.exists():
        from geoaleppo.corpora import load_corpus

        texts = [a.text for a in load_corpus(corpus)]
        real_words = sum(len(t.split()) for t in texts)
        middle = statistics.median(_rates(texts, index, rounds))
        result["lgl_articles_per_s"] = round(middle, 1)
        result["lgl_words_per_s"] = round(middle * real_words / len(texts))
    return result


def bench_large_article(sizes_mb: list[int]) -> list[dict[str, float]]:
    """`geoaleppo parse --jsonl` on one huge report: time and peak memory, to show both
    grow linearly with the article's size."""
    import resource
    import subprocess

    body = SEED.read_text("utf-8").split("\n", 6)[6]
    rows = []
    for megabytes in sizes_mb:
        path = OUT / f"article-{megabytes}mb.txt"
        with path.open("w", encoding="utf-8") as stream:
            stream.write("A long report\nMonday 05/December/2016\nBy: Bench Wire\n\n")
            while stream.tell() < megabytes * 1_000_000:
                stream.write(body + "\n")
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "geoaleppo", "parse", str(path), "--jsonl"],
                       stdout=subprocess.DEVNULL, check=True)
        elapsed = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        rows.append({"megabytes": megabytes, "seconds": round(elapsed, 1),
                     "peak_mb": round(max(peak, before) / 1024)})
        path.unlink()
    return rows


def bench_resolve(index: gz.Gazetteer) -> dict[str, float]:
    names = ["Al Shaar", "al-Sha'ar", "the citadel", "Old City", "eye hospital", "Al Myassar",
             "eastern Aleppo", "Karm al-Jabal", "Bab al-Hadid", "الشعار", "Geneva",
             "Damascus", "Sheikh Khodr", "Kadi Askar", "Xyzzy"]
    index.resolve("warm up")
    start = time.perf_counter()
    rounds = 100
    for _ in range(rounds):
        for name in names:
            index.resolve(name)
    elapsed = time.perf_counter() - start
    return {"resolves": rounds * len(names),
            "ms_per_resolve": round(1000 * elapsed / (rounds * len(names)), 3)}


def synthetic_reading(index: gz.Gazetteer, count: int) -> Reading:
    districts = [p for p in index if p.kind == "district" and p.parent == "aleppo"
                 and p.geometry is not None and p.geometry.geom_type != "Point"]
    sites = [p for p in index if p.kind == "landmark" and p.precision == "site"]
    rng = random.Random(count)
    kinds = ["clash", "shelling", "air strike", "capture", "advance", "attack", "casualties"]
    day = dt.date(2016, 11, 15)
    events = []
    for number in range(count):
        place = rng.choice(sites) if rng.random() < 0.3 else rng.choice(districts)
        kind = rng.choice(kinds)
        date = (day + dt.timedelta(days=rng.randrange(21))).isoformat()
        events.append(Event(
            type=kind, sentence=f"Synthetic report {number}: {kind} in {place.title}.",
            sentence_index=number, place=place, date=date, time_precision=1,
            geo_precision=1 if place.precision == "site" else 2,
            actors=("Syrian government forces and allies", "rebels/opposition"),
            claimant="bench", fatalities=rng.randrange(5) or None, trigger=kind,
        ))
    article = Article(title=f"{count} synthetic events", published="2016-12-05",
                      source=f"synthetic-{count}")
    return Reading(article=article, events=tuple(events))


def bench_maps(index: gz.Gazetteer, sizes: list[int], browser: bool) -> list[dict[str, float]]:
    from geoaleppo.maps import write_map

    OUT.mkdir(parents=True, exist_ok=True)
    rows = []
    for size in sizes:
        reading = synthetic_reading(index, size)
        path = OUT / f"map-{size}.html"
        start = time.perf_counter()
        write_map([reading], index, path, offline=True)
        generated = time.perf_counter() - start
        row = {"events": size, "generate_s": round(generated, 2),
               "size_mb": round(path.stat().st_size / 1e6, 2)}
        if browser:
            row["load_s"] = round(load_time(path), 2)
        rows.append(row)
    return rows


def load_time(path: Path) -> float:
    """Seconds from navigation until Leaflet has drawn the layers, network blocked."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        context = browser.new_context(offline=True)
        page = context.new_page()
        page.route("**/*", lambda route: route.continue_()
                   if route.request.url.startswith(("file:", "data:")) else route.abort())
        start = time.perf_counter()
        page.goto(path.as_uri(), wait_until="load", timeout=120_000)
        page.wait_for_function(
            "document.querySelectorAll('path.leaflet-interactive').length > 0"
            " && document.querySelector('.leaflet-control-layers')", timeout=120_000)
        elapsed = time.perf_counter() - start
        browser.close()
    return elapsed


def bench_timeline(index: gz.Gazetteer) -> dict[str, float] | None:
    """A timeline of the 760 FA-KES articles (../shared/corpus/fakes-dev.csv), read as
    `geoaleppo timeline` reads it: the corpus streamed, events fused, history built."""
    corpus = ROOT.parent / "shared" / "corpus" / "fakes-dev.csv"
    if not corpus.exists():
        print(f"bench: {corpus} is missing; no timeline figures", file=sys.stderr)
        return None
    from geoaleppo.corpus import read_sources
    from geoaleppo.reader import ReadFailure
    from geoaleppo.timeline import timeline

    start = time.perf_counter()
    readings = (r for r in read_sources([corpus], gazetteer=index)
                if not isinstance(r, ReadFailure))
    built = timeline(readings, index)
    elapsed = time.perf_counter() - start
    return {
        "articles": built.articles,
        "seconds": round(elapsed, 2),
        "articles_per_s": round(built.articles / elapsed, 1),
        "fused_events": len(built.events),
        "reports": sum(len(e.reports) for e in built.events),
        "places": len(built.history.places),
        "change_days": len(built.days),
    }


# Jumps to each day in turn, timed until the browser has drawn it (two animation frames).
_JUMPS = """async (days) => {
  const m = Object.values(window).find(v => v instanceof L.Map), times = [];
  for (const day of days) {
    const start = performance.now();
    m.geoaleppoShowDay(day);
    await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
    times.push(performance.now() - start);
  }
  return times;
}"""


def bench_slider(index: gz.Gazetteer, browser: bool) -> dict[str, float] | None:
    """The time-slider map of the 760 FA-KES articles: written offline, its size, its
    load in headless Chromium and the time a jump to a day takes to draw."""
    corpus = ROOT.parent / "shared" / "corpus" / "fakes-dev.csv"
    if not corpus.exists():
        print(f"bench: {corpus} is missing; no slider figures", file=sys.stderr)
        return None
    from geoaleppo.corpus import read_sources
    from geoaleppo.maps import write_map
    from geoaleppo.reader import ReadFailure

    readings = [r for r in read_sources([corpus], gazetteer=index)
                if not isinstance(r, ReadFailure)]
    path = OUT / "slider-fakes.html"
    start = time.perf_counter()
    write_map(readings, index, path, offline=True)
    row: dict[str, float] = {"articles": len(readings),
                             "generate_s": round(time.perf_counter() - start, 2),
                             "size_mb": round(path.stat().st_size / 1e6, 2)}
    if not browser:
        return row
    row["load_s"] = round(load_time(path), 2)
    days = sorted({r.article.published for r in readings if r.article.published})
    rng = random.Random(760)
    chosen = [rng.choice(days) for _ in range(30)]
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = chromium.new_context(offline=True).new_page()
        page.goto(path.as_uri(), wait_until="load", timeout=120_000)
        page.wait_for_selector(".geoaleppo-slider", timeout=120_000)
        times = page.evaluate(_JUMPS, chosen)
        chromium.close()
    row["jumps"] = len(times)
    row["jump_ms_median"] = round(statistics.median(times), 1)
    row["jump_ms_max"] = round(max(times), 1)
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--large", default="5,10", help="sizes in MB of one huge article")
    args = parser.parse_args(argv)
    index = gz.load()
    OUT.mkdir(parents=True, exist_ok=True)
    results = {
        "large_article": bench_large_article([int(s) for s in args.large.split(",") if s]),
        "reader": bench_reader(index, args.articles),
        "resolve": bench_resolve(index),
        "timeline": bench_timeline(index),
        "slider": bench_slider(index, not args.no_browser and Path("/usr/bin/chromium").exists()),
        "maps": bench_maps(index, [int(s) for s in args.sizes.split(",")],
                           browser=not args.no_browser and Path("/usr/bin/chromium").exists()),
    }
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "results.json").write_text(json.dumps(results, indent=2) + "\n", "utf-8")
    reader = results["reader"]
    low, high = reader["articles_per_s_range"]
    print(f"reader: {reader['articles_per_s']} articles/s of ~{reader['words_per_article']} "
          f"words ({reader['words_per_s']} words/s) on one core; median of 3 passes, "
          f"{low} to {high}")
    if "lgl_words_per_s" in reader:
        print(f"reader on LGL news: {reader['lgl_articles_per_s']} articles/s "
              f"({reader['lgl_words_per_s']} words/s)")
    print(f"resolve: {results['resolve']['ms_per_resolve']} ms a name")
    line = results["timeline"]
    if line:
        print(f"timeline of {line['articles']} FA-KES articles: {line['seconds']} s "
              f"({line['articles_per_s']} articles/s); {line['fused_events']} fused events "
              f"from {line['reports']} reports, {line['places']} places, "
              f"{line['change_days']} days with changes")
    slider = results["slider"]
    if slider:
        load = (f"loads in {slider['load_s']} s, a jump to a day draws in "
                f"{slider['jump_ms_median']} ms (median of {slider['jumps']}, slowest "
                f"{slider['jump_ms_max']} ms)" if "load_s" in slider else "not loaded")
        print(f"time-slider map of {slider['articles']} FA-KES articles: "
              f"{slider['size_mb']} MB written in {slider['generate_s']} s; {load}")
    for row in results["large_article"]:
        print(f"one {row['megabytes']} MB article: {row['seconds']} s, "
              f"peak {row['peak_mb']} MB resident")
    print("events    generate  size     load (headless chromium, offline)")
    for row in results["maps"]:
        load = f"{row['load_s']} s" if "load_s" in row else "-"
        print(f"{row['events']:>7}   {row['generate_s']:>5} s  {row['size_mb']:>5} MB  {load}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
