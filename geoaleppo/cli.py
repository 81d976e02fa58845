"""The ``geoaleppo`` command line: it parses arguments, calls the library, prints.

Nothing imports this module; what ``parse`` prints of a reading is in ``cli_summary``.
Library errors (:class:`GeoaleppoError`) become one line on stderr and exit code 1;
usage mistakes exit 2 (Click's convention). Heavy libraries (folium, geopandas) are
imported inside the commands that need them so ``--help`` and ``resolve`` start fast.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import io
import os
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from geoaleppo import __version__
from geoaleppo._terminal import Command, table
from geoaleppo.cli_summary import print_summary
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


def checked_day(value: str | None, option: str) -> str | None:
    import datetime as dt

    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise fail(f"{option} {value!r} is not a date like 2016-12-05", 2) from None


def checked_date(value: str | None) -> str | None:
    return checked_day(value, "--date")


class ArticleBatch:
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


def read_all(articles: list[str], date: str | None, gazetteer: Path | None,
              columns: Columns | None = None):
    """Every reading of ``articles`` (see :class:`ArticleBatch`) and how many failed."""
    batch = ArticleBatch(articles, date, gazetteer, columns)
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
    readings, failures = read_all(articles, checked_date(date), gazetteer)
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
            print_summary(reading)
    if failures:
        raise typer.Exit(code=EXIT_ERROR)


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
                     help="Draw control as of this day (default: the latest article's date); "
                          "with a time slider, the day it opens on."),
    ] = None,
    slider: Annotated[
        bool | None,
        typer.Option("--slider/--no-slider",
                     help="A time slider over the days of the reports (default: when they "
                          "were published on more than one day)."),
    ] = None,
    corroborated: Annotated[
        bool,
        typer.Option("--corroborated",
                     help="Draw only control claims an independent source repeats."),
    ] = False,
    text_column: TextColumnOption = "article_content",
    title_column: TitleColumnOption = "article_title",
    date_column: DateColumnOption = "date",
    source_column: SourceColumnOption = "source",
    gazetteer: GazetteerOption = None,
) -> None:
    """Make a Folium HTML map: reported control, clashes, shelling, captures, places.

    Several articles make one map of the dated control history of all of them. Reports
    published on more than one day (a corpus file, a directory) get a time slider: a
    day at a time, with a play button, control as it stood that day and that day's
    events. A single report is drawn as of its date; --slider gives one that narrates
    weeks (a Wikipedia account) a slider too.

    Examples:

    \b
      geoaleppo map maps/aleppo-2016-12-05.txt -o aleppo.html --offline
      geoaleppo map reports/*.txt -o november.html --title "Aleppo, November 2016"
      geoaleppo map corpus.csv -o battle.html --as-of 2016-12-01 --offline
      geoaleppo map account.md --slider -o offensive.html
    """
    from geoaleppo import gazetteer as gz
    from geoaleppo.corpus import Columns
    from geoaleppo.maps import write_map
    from geoaleppo.popups import plural

    columns = Columns(text=text_column, title=title_column, date=date_column,
                      source=source_column)
    _import_folium_without_pandas()
    readings, failures = read_all(articles, checked_date(date), gazetteer, columns)
    if not readings:
        raise typer.Exit(code=EXIT_ERROR)
    with clean_errors():
        size = write_map(readings, gz.load(gazetteer), output,
                         title=None if title is None else shown(title), offline=offline,
                         as_of=checked_day(as_of, "--as-of"), slider=slider,
                         corroborated=corroborated)
    typer.echo(f"{shown(output)}: {size / 1024:.0f} KB, "
               f"{plural(sum(len(r.events) for r in readings), 'event')}", err=True)
    if failures:
        raise typer.Exit(code=EXIT_ERROR)


class _NoPandas:
    """An import finder (see ``sys.meta_path``) that says pandas is not installed; not an
    ``importlib.abc.MetaPathFinder``, whose import would slow every command's start."""

    def find_spec(self, fullname: str, path: object, target: object = None) -> None:
        if fullname == "pandas" or fullname.startswith("pandas."):
            msg = f"No module named {fullname!r} (not needed here)"
            raise ModuleNotFoundError(msg, name=fullname)


def _import_folium_without_pandas() -> None:
    """Import folium as if pandas were missing, when nothing has imported pandas yet.

    folium imports pandas only to accept DataFrames of coordinates, which a map made
    here never passes; pandas is nearly half of folium's import time, and so of a small
    map's. Only this command, in its own process, does this: a notebook's folium keeps
    pandas.
    """
    if "folium" in sys.modules or "pandas" in sys.modules:
        return
    finder = _NoPandas()
    sys.meta_path.insert(0, finder)
    try:
        import folium  # noqa: F401
    finally:
        sys.meta_path.remove(finder)


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
    readings, failures = read_all(articles, checked_date(date), gazetteer)
    if not readings:
        raise typer.Exit(code=EXIT_ERROR)
    with clean_errors():
        counts = write_export(readings, output)
    typer.echo(f"{shown(output)}: " + ", ".join(f"{v} {k}" for k, v in counts.items()),
               err=True)
    if failures:
        raise typer.Exit(code=EXIT_ERROR)


# The corpus and gazetteer commands live in modules of their own and register on the
# apps above when imported: after everything they use from here is defined.
from geoaleppo import cli_corpus, cli_gazetteer  # noqa: E402, F401


def main() -> None:
    """Console-script entry point."""
    # Output is UTF-8 whatever the locale, and a lone surrogate that slips past shown()
    # is escaped: Python would write it as an invalid byte (UTF-8 mode) or crash on it.
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(encoding="utf-8", errors="backslashreplace")
    # A command's gazetteer, matcher tables and world cities, a million objects or so,
    # live until it exits; at the collector's default threshold it walks them all again
    # every few hundred allocations, tens of milliseconds of a map's start.
    gc.set_threshold(_COLLECT_EVERY, *gc.get_threshold()[1:])
    try:
        app()
        status = EXIT_OK  # in standalone mode Click always ends with SystemExit
    except BrokenPipeError:
        # `geoaleppo ... | head` closes the pipe early; that is not an error.
        sys.stderr.close()
        raise SystemExit(EXIT_OK) from None
    except OSError as error:  # standard output on a full disk, say
        _say_output_lost(error)
        status = EXIT_ERROR
    except SystemExit as done:
        status = _exit_status(done.code)
    _exit_without_teardown(status)
    raise SystemExit(status)


_COLLECT_EVERY = 50_000  # allocations between young collections (Python's default: 700)


def _exit_status(code: object) -> int:
    """The status ``sys.exit(code)`` ends a process with (a message goes to stderr)."""
    if code is None:
        return EXIT_OK
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return EXIT_ERROR


def _say_output_lost(error: OSError) -> None:
    with contextlib.suppress(OSError):
        print(f"geoaleppo: error: could not write the output: {error.strerror or error}",
              file=sys.stderr)


def _exit_without_teardown(status: int) -> None:
    """End the process at once with ``status`` once the exit handlers have run and the
    standard streams are flushed; or return, leaving the exit to the interpreter, while
    a thread other than this one is alive (it may still be writing).

    The interpreter's own exit frees every object one by one: for the tables a command
    loads, a sixth of a second, longer than reading the seed article. Nothing is left
    for it to do here: every file a command writes is closed, and renamed, by then.
    """
    if threading.active_count() > 1:
        return
    atexit._run_exitfuncs()
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        pass  # a reader that stopped early (`| head`) is not an error
    except OSError as error:
        if status == EXIT_OK:  # else the failure that set the status is already told
            _say_output_lost(error)
        status = EXIT_ERROR
    with contextlib.suppress(OSError):
        sys.stderr.flush()
    os._exit(status)
