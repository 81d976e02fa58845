"""The ``geoaleppo`` command line: it parses arguments, calls the library, prints.

Nothing imports this module. Library errors (:class:`GeoaleppoError`) become one line on
stderr and exit code 1; usage mistakes exit 2 (Click's convention). Heavy libraries
(folium, geopandas) are imported inside the commands that need them so ``--help`` and
``resolve`` start fast.
"""

from __future__ import annotations

import contextlib
import io
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from geoaleppo import __version__
from geoaleppo._terminal import Command, cell, table
from geoaleppo.errors import GeoaleppoError

if TYPE_CHECKING:
    from geoaleppo.corpus import Columns

EXIT_OK = 0
EXIT_ERROR = 1


app = typer.Typer(
    name="geoaleppo",
    help=(
        "Turn news reports of the battle for Aleppo into sourced places, events, control "
        "claims and maps.\n\n"
        "Exit codes: 0 success, 1 bad input or data (one-line message on stderr), "
        "2 usage error.\n\n"
        "Examples:\n\n"
        "\b\n"
        "  geoaleppo resolve \"Al Shaar\" \"the citadel\" --json\n"
        "  geoaleppo parse maps/aleppo-2016-12-05.txt --json\n"
        "  geoaleppo map maps/aleppo-2016-12-05.txt -o map.html --offline"
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
gazetteer_app = typer.Typer(
    help=(
        "List, show, validate, export and extend the gazetteer.\n\n"
        "Examples:\n\n\b\n  geoaleppo gazetteer list --kind district\n"
        "  geoaleppo gazetteer show ash-shaar"
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
)
assets_app = typer.Typer(
    help=(
        "Fetch the pinned web assets that --offline maps inline.\n\n"
        "Example:\n\n\b\n  geoaleppo assets fetch"
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(gazetteer_app, name="gazetteer")
app.add_typer(assets_app, name="assets")

GazetteerOption = Annotated[
    Path | None,
    typer.Option(
        "--gazetteer",
        metavar="DIR",
        envvar="GEOALEPPO_GAZETTEER",
        help="Gazetteer directory (default: the bundled one).",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for machines.")]


def shown(value: object) -> str:
    """``value`` as text any terminal or pipe takes: a file name's bytes that are not
    UTF-8 as backslash escapes (see :func:`geoaleppo.text.printable`)."""
    from geoaleppo.text import printable

    return printable(str(value))


def fail(message: str, code: int = EXIT_ERROR) -> typer.Exit:
    """Print ``message`` as one line on stderr and return the exit to raise."""
    first_line = " ".join(shown(message).split())
    typer.echo(f"geoaleppo: error: {first_line}", err=True)
    return typer.Exit(code=code)


@contextlib.contextmanager
def clean_errors() -> Iterator[None]:
    """Turn geoaleppo's own errors into a one-line message and exit code 1."""
    try:
        yield
    except GeoaleppoError as exc:
        raise fail(str(exc)) from None
    except KeyboardInterrupt:
        raise fail("interrupted", 130) from None


def _version(value: bool) -> None:
    if value:
        typer.echo(f"geoaleppo {__version__}")
        raise typer.Exit


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """geoaleppo: maps you can trust from conflict reports."""


# -- resolve -----------------------------------------------------------------------------
@app.command(cls=Command)
def resolve(
    names: Annotated[
        list[str], typer.Argument(metavar="NAME", help="Place names, any spelling or script.")
    ],
    json_output: JsonOption = False,
    gazetteer: GazetteerOption = None,
    candidates: Annotated[
        int, typer.Option(metavar="N", help="How many ranked candidates to show per name.",
                          min=1)
    ] = 3,
) -> None:
    """Resolve place names to gazetteer entries, one result per NAME, in order.

    Each line gives the name, id, title, kind, lat,lon, precision, how it matched and
    the runners-up: in aligned columns on a terminal, separated by tabs when piped.
    A name that does not resolve still gets its line ("unresolved"; in JSON a null id
    and coordinates), and the exit code is then 1. An empty NAME is an error.

    Examples:

    \b
      geoaleppo resolve "Al Shaar" "the citadel" "الشعار" "eye hospital"
      geoaleppo resolve "Al Myassar" --json
      geoaleppo resolve "Kadi Askar" | cut -f2
    """
    from geoaleppo import gazetteer as gz
    from geoaleppo.serialise import dumps, resolution_json

    names = [shown(name) for name in names]
    for number, name in enumerate(names, start=1):
        if not name.strip():
            raise fail(f"an empty name (NAME {number}): give a place name to resolve")
    with clean_errors():
        index = gz.load(gazetteer)
        results = [index.resolve(name, limit=max(candidates, 1)) for name in names]
    if json_output:
        typer.echo(dumps([resolution_json(r) for r in results]))
    else:
        rows = []
        for result in results:
            place = result.place
            if place is None:
                rows.append([result.query, "unresolved"])
                continue
            others = ", ".join(c.place.id for c in result.candidates[1:candidates])
            rows.append([result.query, place.id, place.title, place.kind,
                         f"{place.lat:.6f},{place.lon:.6f}", place.precision,
                         result.method or "", f"(also: {others})" if others else ""])
        for line in table(rows, aligned=sys.stdout.isatty()):
            typer.echo(line)
    missing = [r.query for r in results if r.place is None]
    if missing:
        raise fail(f"{len(missing)} of {len(results)} names did not resolve: "
                   + ", ".join(repr(name) for name in missing))


# -- parse -------------------------------------------------------------------------------
ArticlesArgument = Annotated[
    list[str],
    typer.Argument(metavar="SOURCE",
                   help="Article files (UTF-8), directories, CSV or JSON Lines corpora, "
                        "or - for standard input."),
]
TextColumnOption = Annotated[
    str, typer.Option("--text-column", metavar="NAME",
                      help="CSV corpora: the column with the text.")]
TitleColumnOption = Annotated[
    str, typer.Option("--title-column", metavar="NAME",
                      help="CSV corpora: the column with the title.")]
DateColumnOption = Annotated[
    str, typer.Option("--date-column", metavar="NAME",
                      help="CSV corpora: the column with the date (M/D/YY or ISO).")]
SourceColumnOption = Annotated[
    str, typer.Option("--source-column", metavar="NAME",
                      help="CSV corpora: the column with the outlet.")]
DateOption = Annotated[
    str | None,
    typer.Option("--date", metavar="YYYY-MM-DD",
                 help="Publication date, when the text gives none."),
]


def _checked_day(value: str | None, option: str) -> str | None:
    import datetime as dt

    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise fail(f"{option} {value!r} is not a date like 2016-12-05", 2) from None


def _checked_date(value: str | None) -> str | None:
    return _checked_day(value, "--date")


class _Batch:
    """The readings of a command's sources, streamed one at a time with a progress bar on
    a terminal; a bad article is reported on stderr (one line) and counted, and the rest
    still come out."""

    def __init__(self, sources: list[str], date: str | None, gazetteer: Path | None,
                 columns: Columns | None = None) -> None:
        from geoaleppo import gazetteer as gz

        with clean_errors():
            self.index = gz.load(gazetteer)
        self.sources, self.date, self.columns = sources, date, columns
        self.failures = 0

    def __iter__(self) -> Iterator:
        from geoaleppo import corpus
        from geoaleppo.reader import ReadFailure

        corpora = (*corpus.CSV_SUFFIXES, *corpus.JSONL_SUFFIXES)
        # A count is known only when every source is one article.
        files_only = all(s != "-" and Path(s).is_file() and Path(s).suffix.lower() not in
                         corpora for s in self.sources)
        show = sys.stderr.isatty() and not (files_only and len(self.sources) == 1)
        results = corpus.read_sources(self.sources, published=self.date,
                                      gazetteer=self.index,
                                      columns=self.columns)
        with typer.progressbar(results, length=len(self.sources) if files_only else None,
                               label="Reading", file=sys.stderr, hidden=not show) as progress:
            for result in progress:
                if isinstance(result, ReadFailure):
                    typer.echo(f"geoaleppo: error: {shown(result.message)}", err=True)
                    self.failures += 1
                    continue
                for warning in result.warnings:
                    typer.echo(f"geoaleppo: warning: {shown(warning)}", err=True)
                yield result


def _read_all(articles: list[str], date: str | None, gazetteer: Path | None,
              columns: Columns | None = None):
    """Every reading of ``articles`` (see :class:`_Batch`) and how many failed."""
    batch = _Batch(articles, date, gazetteer, columns)
    readings = list(batch)
    return readings, batch.failures


@app.command(cls=Command)
def parse(
    articles: ArticlesArgument,
    date: DateOption = None,
    json_output: JsonOption = False,
    jsonl: Annotated[bool, typer.Option("--jsonl", help="One JSON line per article.")] = False,
    gazetteer: GazetteerOption = None,
) -> None:
    """Read articles: place mentions and roles, events, control claims, who says so.

    Without --json or --jsonl, prints a summary per article: how its place names are
    used, its events with their deaths, its control claims, and the names the
    gazetteer lacks. A bad file is reported on stderr and the others still come out;
    the exit code is then 1.

    Examples:

    \b
      geoaleppo parse maps/aleppo-2016-12-05.txt
      geoaleppo parse maps/aleppo-2016-12-05.txt --json
      cat report.txt | geoaleppo parse - --date 2016-12-13 --jsonl
    """
    from geoaleppo.serialise import dumps, reading_json, write_reading

    if json_output and jsonl:
        raise fail("--json and --jsonl cannot be used together: choose one", 2)
    readings, failures = _read_all(articles, _checked_date(date), gazetteer)
    if jsonl:
        for reading in readings:
            write_reading(reading, sys.stdout, indent=None)
            sys.stdout.write("\n")
    elif json_output and len(articles) == 1 and len(readings) == 1:
        # Streamed item by item: a 50 MB report never sits in memory as one JSON string.
        write_reading(readings[0], sys.stdout)
        sys.stdout.write("\n")
    elif json_output:
        typer.echo(dumps([reading_json(r) for r in readings]))
    else:
        for reading in readings:
            _print_summary(reading)
    if failures:
        raise typer.Exit(code=EXIT_ERROR)


def _print_summary(reading) -> None:
    article = reading.article
    published = f"published {article.published}" if article.published else "date unknown"
    typer.echo(cell(f"{article.source}: {article.title} ({published})"))
    roles = Counter(m.role for m in reading.mentions if m.place is not None)
    names = [f"{roles['location']} as locations"]
    if roles["actor"]:
        names.append(f"{roles['actor']} standing for a government (\"Moscow said\")")
    if roles["dateline"]:
        names.append(f"{roles['dateline']} in the dateline")
    names.append(f"{len(reading.unresolved)} not in the gazetteer")
    typer.echo(f"  place names: {', '.join(names)}")
    # Deaths are not summed: two sources often report the same deaths.
    deadly = sum(1 for e in reading.events if e.fatalities)
    with_deaths = f" ({deadly} with deaths reported)" if reading.events else ""
    typer.echo(f"  {_count(len(reading.events), 'event')}{with_deaths}, "
               f"{_count(len(reading.control), 'control claim')}")
    rows = []
    for event in reading.events:
        rows.append(["  ", event.date or "date unknown", event.type,
                     event.place.title if event.place else "place unknown",
                     ", ".join(event.actors) or "sides unknown",
                     f"per {event.claimant}" if event.claimant else "", _casualties(event)])
    _print_section("events", rows)
    rows = [["  ", claim.date or "date unknown", claim.place.title, claim.status,
             f"per {claim.claimant}" if claim.claimant else ""] for claim in reading.control]
    _print_section("control claims", rows)
    rows = [["  ", item.text,
             f"did you mean {', '.join(item.suggestions)}?" if item.suggestions else ""]
            for item in reading.unresolved]
    _print_section("not in the gazetteer", rows)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


def _casualties(event) -> str:
    parts = []
    if event.fatalities:
        at_least = "at least " if event.fatalities_lower_bound else ""
        parts.append(f"{at_least}{event.fatalities} killed")
    if event.injured:
        parts.append(f"{event.injured} injured")
    return ", ".join(parts)


def _print_section(title: str, rows: list[list[str]]) -> None:
    if rows:
        typer.echo(f"  {title}:")
        for line in table(rows, aligned=True):
            typer.echo(line)


# -- map and export ----------------------------------------------------------------------
@app.command("map", cls=Command)
def map_command(
    articles: ArticlesArgument,
    output: Annotated[
        Path, typer.Option("-o", "--output", metavar="FILE.html", help="HTML file to write.")
    ],
    offline: Annotated[
        bool,
        typer.Option("--offline", help="Inline Leaflet and the rest: renders with no network."),
    ] = False,
    title: Annotated[
        str | None, typer.Option(metavar="TEXT", help="Map title (default: the article's).")
    ] = None,
    date: DateOption = None,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", metavar="YYYY-MM-DD",
                     help="Draw control as of this day (default: the latest article's date)."),
    ] = None,
    gazetteer: GazetteerOption = None,
) -> None:
    """Make a Folium HTML map: reported control, clashes, shelling, captures, places.

    Several articles make one map: all their events, control as of the latest date (or
    --as-of), from the dated control history of all of them.

    Examples:

    \b
      geoaleppo map maps/aleppo-2016-12-05.txt -o aleppo.html --offline
      geoaleppo map reports/*.txt -o november.html --title "Aleppo, November 2016"
    """
    from geoaleppo import gazetteer as gz
    from geoaleppo.maps import write_map

    readings, failures = _read_all(articles, _checked_date(date), gazetteer)
    if not readings:
        raise typer.Exit(code=EXIT_ERROR)
    with clean_errors():
        size = write_map(readings, gz.load(gazetteer), output,
                         title=None if title is None else shown(title), offline=offline,
                         as_of=_checked_day(as_of, "--as-of"))
    typer.echo(f"{shown(output)}: {size / 1024:.0f} KB, "
               f"{sum(len(r.events) for r in readings)} events", err=True)
    if failures:
        raise typer.Exit(code=EXIT_ERROR)


@app.command("export", cls=Command)
def export_command(
    articles: ArticlesArgument,
    output: Annotated[
        Path, typer.Option("-o", "--output", metavar="FILE",
                           help="FILE.geojson, FILE.csv or FILE.gpkg.")
    ],
    date: DateOption = None,
    gazetteer: GazetteerOption = None,
) -> None:
    """Export events, control claims and mentions as GeoJSON, ACLED-style CSV or GeoPackage.

    The format follows the extension. Every feature carries its sentence, article and
    claimant.

    Examples:

    \b
      geoaleppo export maps/aleppo-2016-12-05.txt -o events.geojson
      geoaleppo export reports/*.txt -o events.csv
      geoaleppo export maps/aleppo-2016-12-05.txt -o aleppo.gpkg
    """
    from geoaleppo.exports import checked_export_path, write_export

    with clean_errors():  # before reading: a wrong extension costs no time
        checked_export_path(output)
    readings, failures = _read_all(articles, _checked_date(date), gazetteer)
    if not readings:
        raise typer.Exit(code=EXIT_ERROR)
    with clean_errors():
        counts = write_export(readings, output)
    typer.echo(f"{shown(output)}: " + ", ".join(f"{v} {k}" for k, v in counts.items()),
               err=True)
    if failures:
        raise typer.Exit(code=EXIT_ERROR)


# -- timeline ----------------------------------------------------------------------------
@app.command("timeline", cls=Command)
def timeline_command(
    sources: ArticlesArgument,
    json_output: JsonOption = False,
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", metavar="FILE",
                     help="Also write FILE.csv (intervals), FILE.geojson or FILE.gpkg "
                          "(intervals and fused events)."),
    ] = None,
    start: Annotated[str | None, typer.Option("--from", metavar="YYYY-MM-DD",
                                              help="First day.")] = None,
    end: Annotated[str | None, typer.Option("--to", metavar="YYYY-MM-DD",
                                            help="Last day.")] = None,
    corroborated: Annotated[
        bool, typer.Option("--corroborated",
                           help="Leave out a side's claims about its own gains that no "
                                "independent source repeats."),
    ] = False,
    diff: Annotated[
        tuple[str, str] | None,
        typer.Option("--diff", metavar="DATE1 DATE2",
                     help="Print what changed hands between two days."),
    ] = None,
    date: DateOption = None,
    text_column: TextColumnOption = "article_content",
    title_column: TitleColumnOption = "article_title",
    date_column: DateColumnOption = "date",
    source_column: SourceColumnOption = "source",
    gazetteer: GazetteerOption = None,
) -> None:
    """Read a corpus into a dated control history and fused events.

    Every place gets intervals of status (government-held, rebel-held, contested,
    Kurdish-held) with the claims behind each; the same event told by several reports is
    one fused event with all of them. Without --json, prints the changes of hands by day.
    A bad article is reported on stderr and the rest still count; the exit code is 1.

    Example:

      geoaleppo timeline ../shared/corpus/fakes-dev.csv --from 2016-09-01 --json
      geoaleppo timeline reports/ --diff 2016-11-26 2016-12-05
    """
    from geoaleppo.corpus import Columns
    from geoaleppo.serialise import dumps, timeline_json
    from geoaleppo.timeline import changes_table, diff_table, timeline

    first, last = _checked_day(start, "--from"), _checked_day(end, "--to")
    if first and last and first > last:
        raise fail(f"--from {first} is after --to {last}", 2)
    days = (_checked_day(diff[0], "--diff"), _checked_day(diff[1], "--diff")) if diff else None
    if output is not None:
        from geoaleppo.exports import checked_export_path

        with clean_errors():  # before reading: a wrong extension costs no time
            checked_export_path(output)
    columns = Columns(text=text_column, title=title_column, date=date_column,
                      source=source_column)
    batch = _Batch(sources, _checked_date(date), gazetteer, columns)
    with clean_errors():
        built = timeline(batch, batch.index, start=first, end=last,
                         corroborated=corroborated)
    if not built.articles:
        raise typer.Exit(code=EXIT_ERROR)
    if output is not None:
        from geoaleppo.exports import write_timeline_export

        with clean_errors():
            counts = write_timeline_export(built, output)
        typer.echo(f"{output}: " + ", ".join(f"{v} {k}" for k, v in counts.items()), err=True)
    if json_output:
        typer.echo(dumps(timeline_json(built)))
    elif days is not None:
        typer.echo(diff_table(built, days[0] or "", days[1] or ""))
    else:
        typer.echo(changes_table(built))
    if batch.failures:
        raise typer.Exit(code=EXIT_ERROR)


# -- evaluate ----------------------------------------------------------------------------
@app.command(cls=Command)
def evaluate(
    corpus: Annotated[
        Path, typer.Argument(metavar="CORPUS.xml", help="TR-News, LGL or GeoWebNews XML corpus.")
    ],
    output: Annotated[
        Path | None, typer.Option("-o", "--output", metavar="FILE.json",
                                  help="Also write the report as JSON.")
    ] = None,
    limit: Annotated[
        int | None, typer.Option(metavar="N", help="Only the first N articles.", min=1)
    ] = None,
    errors: Annotated[
        bool, typer.Option("--errors", help="Also list the commonest misses and mistakes.")
    ] = False,
    json_output: JsonOption = False,
    gazetteer: GazetteerOption = None,
) -> None:
    """Score the reader on a public geoparsing corpus: P/R/F1, accuracy in km, metonymy.

    Examples:

    \b
      geoaleppo evaluate ../shared/eval/TR-News.xml -o tr-news.json --errors
      geoaleppo evaluate ../shared/eval/LGL.xml --limit 50 --json
    """
    from geoaleppo import evaluate as scoring
    from geoaleppo import gazetteer as gz
    from geoaleppo.serialise import dumps
    from geoaleppo.store import write_atomic, write_failure

    with clean_errors():
        index = gz.load(gazetteer)
    with clean_errors(), typer.progressbar(length=1, label="Scoring", file=sys.stderr,
                           hidden=not sys.stderr.isatty()) as bar:
        def progress(done: int, total: int) -> None:
            bar.length = total
            bar.update(1)

        report = scoring.evaluate(corpus, limit=limit, progress=progress, gazetteer=index)
    document = report.to_json()
    if output is not None:
        try:
            write_atomic(output, dumps(document) + "\n")
        except OSError as exc:
            raise fail(f"{output}: cannot write: {write_failure(output, exc)}") from None
    typer.echo(dumps(document) if json_output else report.table())
    if errors and not json_output:
        typer.echo("\n" + report.error_lists())


# -- batch -------------------------------------------------------------------------------
@app.command()
def batch(
    sources: Annotated[
        list[Path],
        typer.Argument(metavar="SOURCE", help="Article files, directories or JSON Lines corpora."),
    ],
    outdir: Annotated[Path, typer.Option("-o", "--output", help="Directory to write into.")],
    workers: Annotated[
        int | None,
        typer.Option(help="Worker processes of the local cluster (default: the cores).", min=1),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(help="Use this running Dask scheduler's workers (tcp://HOST:PORT)."),
    ] = None,
    partition_size: Annotated[
        int, typer.Option(help="Articles per partition (unit of work and of --resume).", min=1)
    ] = 100,
    resume: Annotated[
        bool, typer.Option("--resume", help="Keep the partitions an earlier run completed.")
    ] = False,
    article_timeout: Annotated[
        float, typer.Option(help="Seconds one article may take (0: no limit).", min=0)
    ] = 30.0,
    gazetteer: GazetteerOption = None,
) -> None:
    """Read a whole corpus on a Dask cluster: readings, GeoParquet tables, a manifest.

    Without --scheduler, a local cluster of --workers processes does the reading. OUTDIR
    gets readings/part-NNNNN.jsonl, events.parquet, control.parquet, mentions.parquet and
    manifest.json. A bad article is an error in the manifest and on stderr, and the exit
    code is then 1; the output is the same whatever the workers.

    Example:

      geoaleppo batch articles/ corpus.jsonl -o out --workers 4
    """
    from geoaleppo.batch import run_batch

    bar = typer.progressbar(length=1, label="Partitions", file=sys.stderr,
                            hidden=not sys.stderr.isatty())

    def progress(done: int, total: int | None) -> None:
        bar.length = max(total or done + 1, 1)
        bar.update(done - bar.pos)

    def dashboard(link: str) -> None:
        typer.echo(f"Dask dashboard: {link}", err=True)

    with clean_errors(), bar:
        result = run_batch(sources, outdir, workers=workers, scheduler=scheduler,
                           partition_size=partition_size, resume=resume,
                           article_timeout=article_timeout, gazetteer=gazetteer,
                           progress=progress, on_dashboard=dashboard)
    for failure in result.failures:
        typer.echo(f"geoaleppo: error: {failure.message}", err=True)
    kept = f", {result.resumed} resumed" if result.resumed else ""
    typer.echo(f"{outdir}: {result.readings} of {result.articles} articles read in "
               f"{result.partitions} partitions{kept}; "
               + ", ".join(f"{v} {k}" for k, v in result.counts.items()), err=True)
    if result.failures:
        raise typer.Exit(code=EXIT_ERROR)


# -- gazetteer ---------------------------------------------------------------------------
@gazetteer_app.command("list", cls=Command)
def gazetteer_list(
    kind: Annotated[
        str | None, typer.Option(metavar="KIND", help="Only places of this kind.")
    ] = None,
    json_output: JsonOption = False,
    gazetteer: GazetteerOption = None,
) -> None:
    """List gazetteer entries (id, kind, precision, title).

    Examples:

    \b
      geoaleppo gazetteer list --kind district
      geoaleppo gazetteer list --json --gazetteer my-gazetteer/
    """
    from geoaleppo import gazetteer as gz
    from geoaleppo.model import KINDS
    from geoaleppo.serialise import dumps, place_json

    if kind is not None and kind not in KINDS:
        raise fail(f"unknown kind {kind!r}; choose from {', '.join(KINDS)}", 2)
    with clean_errors():
        places = [p for p in gz.load(gazetteer) if kind is None or p.kind == kind]
    if json_output:
        typer.echo(dumps([place_json(p) for p in places]))
        return
    for place in places:
        typer.echo(f"{place.id}\t{place.kind}\t{place.precision}\t{place.title}")


@gazetteer_app.command("show", cls=Command)
def gazetteer_show(
    place_id: Annotated[str, typer.Argument(metavar="ID", help="Entry id, e.g. ash-shaar.")],
    gazetteer: GazetteerOption = None,
) -> None:
    """Show one entry as JSON, with its names, sources and geometry.

    Example:

    \b
      geoaleppo gazetteer show aleppo-eye-hospital
    """
    from geoaleppo import gazetteer as gz
    from geoaleppo.serialise import dumps, place_json

    with clean_errors():
        index = gz.load(gazetteer)
        place = index.get(place_id)
        table = gz.sources(index.directory)
    if place is None:
        raise fail(f"no entry {place_id!r} in the gazetteer")
    data = place_json(place, geometry=True)
    data["sources"] = [{"id": s, **table.get(s, {})} for s in place.sources]
    typer.echo(dumps(data))


@gazetteer_app.command("validate", cls=Command)
def gazetteer_validate(gazetteer: GazetteerOption = None) -> None:
    """Check every file and entry; print each problem as FILE: ENTRY: REASON.

    Exit code 1 when there is any problem.

    Examples:

    \b
      geoaleppo gazetteer validate
      geoaleppo gazetteer validate --gazetteer my-gazetteer/
    """
    from geoaleppo import gazetteer as gz

    directory = gazetteer or gz.default_directory()
    problems = gz.validate(directory)
    for problem in problems:
        typer.echo(f"geoaleppo: error: {shown(problem)}", err=True)
    if problems:
        raise typer.Exit(code=EXIT_ERROR)
    with clean_errors():
        index = gz.load(directory)
    typer.echo(f"{shown(directory)}: {len(index)} places, {index.name_count()} names, "
               "no problems")


@gazetteer_app.command("export", cls=Command)
def gazetteer_export(
    output: Annotated[
        Path, typer.Option("-o", "--output", metavar="FILE.geojson", help="GeoJSON file to write.")
    ],
    gazetteer: GazetteerOption = None,
) -> None:
    """Write the whole gazetteer as one RFC 7946 GeoJSON FeatureCollection.

    Example:

    \b
      geoaleppo gazetteer export -o gazetteer.geojson
    """
    from geoaleppo import gazetteer as gz
    from geoaleppo.exports import write_gazetteer_geojson

    with clean_errors():
        count = write_gazetteer_geojson(gz.load(gazetteer), output)
    typer.echo(f"{shown(output)}: {count} features", err=True)


@gazetteer_app.command("add", cls=Command)
def gazetteer_add(
    name: Annotated[str, typer.Argument(metavar="NAME", help="The place's main name.")],
    kind: Annotated[str, typer.Option(help="country, region, city, area, district or landmark.")],
    source: Annotated[
        str, typer.Option(help="Where the location comes from (a citation).")
    ],
    lat: Annotated[float | None, typer.Option(help="Latitude (WGS84).")] = None,
    lon: Annotated[float | None, typer.Option(help="Longitude (WGS84).")] = None,
    geometry: Annotated[
        Path | None,
        typer.Option(metavar="FILE", help="A GeoJSON file with the outline instead of a point."),
    ] = None,
    alias: Annotated[
        list[str] | None, typer.Option(metavar="NAME", help="Another name (repeatable).")
    ] = None,
    arabic: Annotated[str | None, typer.Option(help="The name in Arabic script.")] = None,
    parent: Annotated[str | None, typer.Option(help="Id of the enclosing place.")] = None,
    precision: Annotated[
        str | None, typer.Option(help="site, landmark, district, area, city or country.")
    ] = None,
    uncertainty: Annotated[
        float | None,
        typer.Option(metavar="METRES",
                     help="How far the place may lie from the point, in metres (stored as "
                          "uncertainty_m; maps draw the circle)."),
    ] = None,
    licence: Annotated[str, typer.Option(help="Licence of the source.")] = "",
    url: Annotated[str, typer.Option(help="Link to the source.")] = "",
    note: Annotated[str, typer.Option(help="Anything a later reader should know.")] = "",
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check and print; write nothing.")
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Add even if the name or a place 50 m away exists.")
    ] = False,
    json_output: JsonOption = False,
    gazetteer: GazetteerOption = None,
) -> None:
    """Add a place to the gazetteer (additions.geojson), after checking it.

    Refused, with the reason: coordinates out of range or swapped; an Aleppo parent for a
    point outside Aleppo; a name that already resolves elsewhere or a place of the same
    kind within 50 m (unless --force); no source; an --uncertainty that is not a
    positive number of metres. Accepted with a warning on stderr: a point inside the
    outline of a district other than its --parent (the warning names the district).

    Concurrent adds take turns under the directory's lock and all land; an interrupted
    add changes nothing.

    Examples (a surveyed point; a point known only to within 400 m):

    \b
      geoaleppo gazetteer add "Jandoul roundabout" --lat LAT --lon LON \\
          --kind landmark --parent aleppo --source "a survey you cite (its licence)"
      geoaleppo gazetteer add "Ard al-Hamra market" --lat LAT --lon LON \\
          --uncertainty 400 --kind landmark --parent aleppo --source "a report you cite"
    """
    from geoaleppo import curation
    from geoaleppo.serialise import dumps

    if geometry is not None and (lat is not None or lon is not None):
        raise fail("give either --lat/--lon or --geometry, not both", 2)
    with clean_errors():
        shape = curation.read_geometry_file(geometry) if geometry else None
        entry = curation.NewEntry(
            name=name,
            kind=kind,
            source=source,
            lat=lat,
            lon=lon,
            geometry=shape,
            aliases=tuple(alias or ()),
            arabic=arabic,
            parent=parent,
            precision=precision,
            note=note,
            licence=licence,
            url=url,
            uncertainty_m=uncertainty,
        )
        feature = curation.add(
            entry, gazetteer, force=force, dry_run=dry_run,
            on_warning=lambda text: typer.echo(f"geoaleppo: warning: {text}", err=True),
        )
    if json_output:
        typer.echo(dumps(feature))
        return
    verb = "would add" if dry_run else "added"
    lon_out, lat_out = feature["properties"]["point"]
    typer.echo(f"{verb} {feature['id']} ({kind}) at {lat_out:.6f},{lon_out:.6f}")


# -- assets ------------------------------------------------------------------------------
@assets_app.command("fetch", cls=Command)
def assets_fetch(
    dest: Annotated[
        Path | None,
        typer.Option(metavar="DIR", help="Where to put them (default: the user cache)."),
    ] = None,
) -> None:
    """Download the pinned Leaflet/jQuery packages with npm and check their integrity.

    Run once at setup (make install runs it); --offline maps then need no network.

    Examples:

    \b
      geoaleppo assets fetch
      GEOALEPPO_ASSETS=/srv/geoaleppo-assets geoaleppo assets fetch
    """
    from geoaleppo import assets

    with clean_errors():
        where = assets.fetch_assets(dest)
    typer.echo(f"map assets ready in {where}")


def main() -> None:
    """Console-script entry point."""
    # Output is UTF-8 whatever the locale, and a lone surrogate that slips past shown()
    # is escaped: Python would write it as an invalid byte (UTF-8 mode) or crash on it.
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(encoding="utf-8", errors="backslashreplace")
    try:
        app()
    except BrokenPipeError:
        # `geoaleppo ... | head` closes the pipe early; that is not an error.
        sys.stderr.close()
        raise SystemExit(EXIT_OK) from None
