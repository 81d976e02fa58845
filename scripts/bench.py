"""Benchmarks (`make bench`): reader throughput, resolve latency, maps at scale.

Prints a table and writes bench/out/results.json. Figures depend on the machine; the
README quotes the ones measured on the project's 2-core build machine.

* reader: synthetic ~1,000-word reports made of the bundled article's sentences in a
  seeded random order, read one after another on one core (and real LGL news articles
  when the public evaluation corpus sits beside the repository in ../shared/eval);
* resolve: names of real reporting, resolved one at a time;
* timeline: the 760 FA-KES articles of ../shared/corpus read into a timeline (skipped
  when ../shared is missing);
* geotext: the reader against geotext (a plain city finder) on those 760 articles, in
  the same process, round for round, so the machine's drift cancels out of the ratio;
* startup: fresh processes: the offline seed map against ``import folium``, ``--help``
  against ``import typer``, and a process's first article;
* batch: `geoaleppo batch` on those 760 articles with one Dask worker and with two: the
  scaling efficiency, articles a second a worker, peak memory a worker;
* maps: 1k, 10k and 100k synthetic events spread over the gazetteer's districts and
  heritage sites, written as offline maps, then loaded in headless Chromium with the
  network blocked.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

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


FAKES = ROOT.parent / "shared" / "corpus" / "fakes-dev.csv"


def fakes_articles() -> list[tuple[str, str | None]] | None:
    """(text, publication date) of the 760 FA-KES articles as `geoaleppo.corpus` composes
    them, or None (and a note on stderr) when ../shared is missing."""
    if not FAKES.exists():
        print(f"bench: {FAKES} is missing; no FA-KES figures", file=sys.stderr)
        return None
    from geoaleppo.corpus import ArticleText, iter_articles

    return [(item.text, item.published) for item in iter_articles([FAKES])
            if isinstance(item, ArticleText)]


def bench_geotext(index: gz.Gazetteer, rounds: int = 7) -> dict[str, float] | None:
    """The reader and geotext over the same FA-KES texts, one round of each in turn, on
    one core: the median of each and the ratio of the medians. Timed in CPU seconds of
    this process, which other jobs on a shared machine disturb far less than the clock
    on the wall (the wall-clock ratio is given too)."""
    articles = fakes_articles()
    if articles is None:
        return None
    from geotext import GeoText

    read_text(articles[0][0], published=articles[0][1], gazetteer=index)  # warm up both
    GeoText(articles[0][0])
    rates: dict[str, list[float]] = {"reader": [], "geotext": [], "reader_wall": [],
                                     "geotext_wall": []}

    def timed(name: str, read: Callable[[], object]) -> None:
        cpu, wall = time.process_time(), time.perf_counter()
        read()
        rates[name].append(len(articles) / (time.process_time() - cpu))
        rates[f"{name}_wall"].append(len(articles) / (time.perf_counter() - wall))

    for _ in range(rounds):
        timed("reader", lambda: [read_text(text, published=published, gazetteer=index)
                                 for text, published in articles])
        timed("geotext", lambda: [GeoText(text) for text, _published in articles])
    median = {name: statistics.median(values) for name, values in rates.items()}
    return {"articles": len(articles), "rounds": rounds,
            "reader_articles_per_s": round(median["reader"], 1),
            "geotext_articles_per_s": round(median["geotext"], 1),
            "ratio": round(median["geotext"] / median["reader"], 1),
            "wall_clock_ratio": round(median["geotext_wall"] / median["reader_wall"], 1)}


def _wall(command: list[str]) -> float:
    import subprocess

    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True,
                   cwd=ROOT)
    return time.perf_counter() - start


def bench_startup(runs: int = 7) -> dict[str, float]:
    """Wall times of fresh processes, each against the import it cannot do without: the
    offline seed map against ``import folium``, ``--help`` against ``import typer``; the
    commands take turns, and each figure is the median of ``runs``. Also the first
    article of a process: loading the gazetteer and reading one short report."""
    geoaleppo = str(Path(sys.executable).parent / "geoaleppo")
    OUT.mkdir(parents=True, exist_ok=True)
    commands = {
        "import_folium": [sys.executable, "-c", "import folium"],
        "map": [geoaleppo, "map", str(SEED), "--offline", "-o", str(OUT / "seed-map.html")],
        "import_typer": [sys.executable, "-c", "import typer"],
        "help": [geoaleppo, "--help"],
        "first_article": [sys.executable, "-c", FIRST_ARTICLE],
    }
    # The package's bytecode is compiled, as installing a wheel does: a checkout run with
    # PYTHONDONTWRITEBYTECODE set would otherwise compile every module at each start.
    import compileall

    compileall.compile_dir(ROOT / "geoaleppo", quiet=1)
    for command in commands.values():  # the caches on disk are made, as after one use
        _wall(command)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            times[name].append(_wall(command))
    median = {name: statistics.median(values) for name, values in times.items()}
    import subprocess

    in_process = [float(subprocess.run([sys.executable, "-c", FIRST_ARTICLE], check=True,
                                       capture_output=True, text=True).stdout)
                  for _ in range(runs)]
    return {
        **{f"{name}_s": round(value, 3) for name, value in median.items()},
        "map_vs_import_folium": round(median["map"] / median["import_folium"], 2),
        "help_vs_import_typer": round(median["help"] / median["import_typer"], 2),
        "first_article_in_process_s": round(statistics.median(in_process), 3),
        "runs": runs,
    }


def bench_batch(partition_sizes: tuple[int, ...] = (76, 20)) -> dict[str, Any] | None:
    """`geoaleppo batch` (run_batch) on the 760 FA-KES articles with one worker and with
    two: articles a second while the workers read (until the last partition is back),
    the scaling efficiency rate(2) / (2 × rate(1)), and each worker's peak memory.

    Each cluster is started and warmed (every worker has loaded the gazetteer) before
    the timed run, so the rates are of reading, not of starting processes; the client's
    work after the last partition (the GeoParquet tables, the timeline) is timed apart.

    The figures are for the first partition size: 76 articles make ten partitions, five
    a worker, each some tenths of a second of reading, so neither Dask's few
    milliseconds a task nor the last partition's wait weighs much, as on a real corpus
    at the default of 100. The others are measured the same way, for comparison.
    """
    if not FAKES.exists():
        print(f"bench: {FAKES} is missing; no batch figures", file=sys.stderr)
        return None
    import shutil
    import tempfile

    results = []
    for partition_size in partition_sizes:
        result: dict[str, Any] = {"articles": None, "partition_size": partition_size}
        with tempfile.TemporaryDirectory(prefix="geoaleppo-bench-") as scratch:
            for workers in (1, 2):
                figures = _timed_batch(Path(scratch), workers, partition_size)
                result["articles"] = figures.pop("articles")
                result[f"workers_{workers}"] = figures
                shutil.rmtree(Path(scratch) / "out", ignore_errors=True)
        one, two = result["workers_1"]["articles_per_s"], result["workers_2"]["articles_per_s"]
        result["scaling_efficiency"] = round(two / (2 * one), 2)
        result["articles_per_s_per_worker"] = round(two / 2, 1)
        result["peak_mb_per_worker"] = max(result["workers_2"]["peak_mb"])
        results.append(result)
    first, *others = results
    first["other_partition_sizes"] = [
        {key: other[key] for key in ("partition_size", "scaling_efficiency",
                                     "articles_per_s_per_worker")} for other in others]
    return first


def _timed_batch(scratch: Path, workers: int, partition_size: int) -> dict[str, Any]:
    import os
    import threading

    import psutil
    from distributed import Client, LocalCluster

    from geoaleppo.batch import run_batch

    warm = scratch / "warm.csv"
    with FAKES.open(encoding="utf-8", newline="") as stream:
        lines = stream.read().splitlines(keepends=True)
    warm.write_text("".join(lines[:1] + lines[1:200]), "utf-8")  # the header, then rows
    start = time.perf_counter()
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                      host="127.0.0.1", dashboard_address=None) as cluster, \
            Client(cluster) as client:
        started = time.perf_counter() - start
        address = cluster.scheduler_address
        # A partition a worker at least, so each loads the gazetteer before the clock runs.
        run_batch([warm], scratch / "warm-out", scheduler=address, partition_size=5)
        pids = sorted(client.run(os.getpid).values())
        peaks = dict.fromkeys(pids, 0)
        done = threading.Event()

        def sample() -> None:
            processes = [psutil.Process(pid) for pid in pids]
            while not done.is_set():
                for process in processes:
                    with contextlib.suppress(psutil.Error):
                        peaks[process.pid] = max(peaks[process.pid], process.memory_info().rss)
                done.wait(0.02)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        read_at: list[float] = []

        def progress(finished: int, known: int | None) -> None:
            if known is not None and finished == known and not read_at:
                read_at.append(time.perf_counter())

        def cpu() -> float:  # the workers' CPU seconds so far
            return sum(sum(psutil.Process(pid).cpu_times()[:2]) for pid in pids)

        workers_cpu, client_cpu = cpu(), time.process_time()
        start = time.perf_counter()
        batch = run_batch([FAKES], scratch / "out", scheduler=address,
                          partition_size=partition_size, progress=progress)
        end = time.perf_counter()
        workers_cpu, client_cpu = cpu() - workers_cpu, time.process_time() - client_cpu
        done.set()
        sampler.join()
    reading = read_at[0] - start
    # Where the CPU went: the workers' reading, and this process (the client), which
    # receives each partition and writes it, then the tables and the timeline.
    return {"articles": batch.articles, "cluster_start_s": round(started, 2),
            "read_s": round(reading, 2), "articles_per_s": round(batch.articles / reading, 1),
            "after_reading_s": round(end - read_at[0], 2),
            "workers_cpu_s": round(workers_cpu, 2), "client_cpu_s": round(client_cpu, 2),
            "peak_mb": [round(peaks[pid] / 2**20) for pid in pids]}


# Prints the seconds a fresh process takes from importing the reader to its first
# reading: the gazetteer loaded, the matcher built (or found on disk), a report read.
FIRST_ARTICLE = """
import time
start = time.perf_counter()
from geoaleppo.reader import read_text
read_text("Aleppo\\n\\nRebels shelled Salaheddine and Damascus on 3 December 2016.\\n")
print(time.perf_counter() - start)
"""

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
    if not FAKES.exists():
        print(f"bench: {FAKES} is missing; no slider figures", file=sys.stderr)
        return None
    from geoaleppo.corpus import read_sources
    from geoaleppo.maps import write_map
    from geoaleppo.reader import ReadFailure

    readings = [r for r in read_sources([FAKES], gazetteer=index)
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


SECTIONS = ("large", "reader", "resolve", "timeline", "geotext", "startup", "batch", "slider",
            "maps")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--large", default="5,10", help="sizes in MB of one huge article")
    parser.add_argument("--only", default=",".join(SECTIONS),
                        help=f"the sections to run, comma-separated ({', '.join(SECTIONS)}); "
                             "the others keep their figures in results.json")
    args = parser.parse_args(argv)
    wanted = [name for name in args.only.split(",") if name]
    unknown = sorted(set(wanted) - set(SECTIONS))
    if unknown:
        parser.error(f"unknown section(s): {', '.join(unknown)}")
    index = gz.load()
    OUT.mkdir(parents=True, exist_ok=True)
    runs: dict[str, Callable[[], Any]] = {
        "large": lambda: bench_large_article([int(s) for s in args.large.split(",") if s]),
        "reader": lambda: bench_reader(index, args.articles),
        "resolve": lambda: bench_resolve(index),
        "timeline": lambda: bench_timeline(index),
        "geotext": lambda: bench_geotext(index),
        "startup": lambda: bench_startup(),
        "batch": lambda: bench_batch(),
        "slider": lambda: bench_slider(
            index, not args.no_browser and Path("/usr/bin/chromium").exists()),
        "maps": lambda: bench_maps(
            index, [int(s) for s in args.sizes.split(",")],
            browser=not args.no_browser and Path("/usr/bin/chromium").exists()),
    }
    keys = {"large": "large_article"}
    path = OUT / "results.json"
    try:  # a run of some sections keeps the figures of the others
        results: dict[str, Any] = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        results = {}
    for name in SECTIONS:
        if name in wanted:
            results[keys.get(name, name)] = runs[name]()
            report(name, results[keys.get(name, name)])
    path.write_text(json.dumps(results, indent=2) + "\n", "utf-8")
    return 0


def report(section: str, figures: Any) -> None:
    """Print one section's figures."""
    if figures is None:
        return
    if section == "reader":
        low, high = figures["articles_per_s_range"]
        print(f"reader: {figures['articles_per_s']} articles/s of "
              f"~{figures['words_per_article']} words ({figures['words_per_s']} words/s) on "
              f"one core; median of 3 passes, {low} to {high}")
        if "lgl_words_per_s" in figures:
            print(f"reader on LGL news: {figures['lgl_articles_per_s']} articles/s "
                  f"({figures['lgl_words_per_s']} words/s)")
    elif section == "resolve":
        print(f"resolve: {figures['ms_per_resolve']} ms a name")
    elif section == "timeline":
        print(f"timeline of {figures['articles']} FA-KES articles: {figures['seconds']} s "
              f"({figures['articles_per_s']} articles/s); {figures['fused_events']} fused "
              f"events from {figures['reports']} reports, {figures['places']} places, "
              f"{figures['change_days']} days with changes")
    elif section == "geotext":
        print(f"reader vs geotext on {figures['articles']} FA-KES articles, one core: "
              f"{figures['reader_articles_per_s']} vs {figures['geotext_articles_per_s']} "
              f"articles a CPU second, geotext {figures['ratio']} times faster "
              f"({figures['wall_clock_ratio']} by the wall clock; medians of "
              f"{figures['rounds']} interleaved rounds)")
    elif section == "startup":
        print(f"offline seed map {figures['map_s']} s, import folium "
              f"{figures['import_folium_s']} s: {figures['map_vs_import_folium']} times; "
              f"--help {figures['help_s']} s, import typer {figures['import_typer_s']} s: "
              f"{figures['help_vs_import_typer']} times (medians of {figures['runs']})")
        print(f"first article of a process: {figures['first_article_in_process_s']} s "
              f"(import, gazetteer, matcher, one report; {figures['first_article_s']} s "
              "with the interpreter's start)")
    elif section == "batch":
        for workers in (1, 2):
            row = figures[f"workers_{workers}"]
            print(f"batch, {workers} worker(s): {row['articles_per_s']} articles/s while "
                  f"reading ({row['read_s']} s), then {row['after_reading_s']} s of tables "
                  f"and timeline; cluster start {row['cluster_start_s']} s; CPU: workers "
                  f"{row['workers_cpu_s']} s, client {row['client_cpu_s']} s; peak "
                  f"{', '.join(map(str, row['peak_mb']))} MB a worker")
        print(f"batch scaling 1 to 2 workers: efficiency {figures['scaling_efficiency']}, "
              f"{figures['articles_per_s_per_worker']} articles/s a worker, peak "
              f"{figures['peak_mb_per_worker']} MB a worker ({figures['articles']} articles, "
              f"partitions of {figures['partition_size']})")
        for other in figures.get("other_partition_sizes", []):
            print(f"batch scaling with partitions of {other['partition_size']}: efficiency "
                  f"{other['scaling_efficiency']}, {other['articles_per_s_per_worker']} "
                  "articles/s a worker")
    elif section == "slider":
        load = (f"loads in {figures['load_s']} s, a jump to a day draws in "
                f"{figures['jump_ms_median']} ms (median of {figures['jumps']}, slowest "
                f"{figures['jump_ms_max']} ms)" if "load_s" in figures else "not loaded")
        print(f"time-slider map of {figures['articles']} FA-KES articles: "
              f"{figures['size_mb']} MB written in {figures['generate_s']} s; {load}")
    elif section == "large":
        for row in figures:
            print(f"one {row['megabytes']} MB article: {row['seconds']} s, "
                  f"peak {row['peak_mb']} MB resident")
    elif section == "maps":
        print("events    generate  size     load (headless chromium, offline)")
        for row in figures:
            load = f"{row['load_s']} s" if "load_s" in row else "-"
            print(f"{row['events']:>7}   {row['generate_s']:>5} s  {row['size_mb']:>5} MB  "
                  f"{load}")


if __name__ == "__main__":
    raise SystemExit(main())
