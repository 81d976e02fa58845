"""The commands that read a whole corpus: ``timeline``, ``batch`` and ``evaluate``.

Part of the command line (:mod:`geoaleppo.cli`), which imports this module so that its
commands register; nothing else imports it.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from geoaleppo.cli import (
    EXIT_ERROR,
    ArticleBatch,
    ArticlesArgument,
    Command,
    DateColumnOption,
    DateOption,
    GazetteerOption,
    JsonOption,
    SourceColumnOption,
    TextColumnOption,
    TitleColumnOption,
    app,
    checked_date,
    checked_day,
    clean_errors,
    fail,
)


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
    from geoaleppo.serialise import dumps
    from geoaleppo.timeline import changes_table, diff_table, timeline
    from geoaleppo.timeline_json import timeline_json

    first, last = checked_day(start, "--from"), checked_day(end, "--to")
    if first and last and first > last:
        raise fail(f"--from {first} is after --to {last}", 2)
    days = (checked_day(diff[0], "--diff"), checked_day(diff[1], "--diff")) if diff else None
    if output is not None:
        from geoaleppo.exports import checked_export_path

        with clean_errors():  # before reading: a wrong extension costs no time
            checked_export_path(output)
    columns = Columns(text=text_column, title=title_column, date=date_column,
                      source=source_column)
    batch = ArticleBatch(sources, checked_date(date), gazetteer, columns)
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
    gold_toponyms: Annotated[
        bool, typer.Option("--gold-toponyms",
                           help="Resolution only: resolve each gold toponym in its story's "
                                "context, scored as Mordecai 3's published figures are.")
    ] = False,
    json_output: JsonOption = False,
    gazetteer: GazetteerOption = None,
) -> None:
    """Score the reader on a public geoparsing corpus: P/R/F1, accuracy in km, metonymy.

    With --gold-toponyms, resolution alone: exact GeoNames matches and within 161 km,
    beside Mordecai 3's published figures.

    Examples:

    \b
      geoaleppo evaluate ../shared/eval/TR-News.xml -o tr-news.json --errors
      geoaleppo evaluate ../shared/eval/LGL.xml --limit 50 --json
      geoaleppo evaluate ../shared/eval/GWN.xml --gold-toponyms --errors
    """
    from geoaleppo import evaluate as scoring
    from geoaleppo import gazetteer as gz
    from geoaleppo import gold
    from geoaleppo.serialise import dumps
    from geoaleppo.store import write_atomic, write_failure

    with clean_errors():
        index = gz.load(gazetteer)
    with clean_errors(), typer.progressbar(length=1, label="Scoring", file=sys.stderr,
                           hidden=not sys.stderr.isatty()) as bar:
        def progress(done: int, total: int) -> None:
            bar.length = total
            bar.update(1)

        report: scoring.Report | gold.GoldResolution
        if gold_toponyms:
            report = gold.evaluate_gold(corpus, limit=limit, progress=progress, gazetteer=index)
        else:
            report = scoring.evaluate(corpus, limit=limit, progress=progress, gazetteer=index)
    document = report.to_json()
    if output is not None:
        try:
            write_atomic(output, dumps(document) + "\n")
        except OSError as exc:
            raise fail(f"{output}: cannot write: {write_failure(output, exc)}") from None
    typer.echo(dumps(document) if json_output else report.table())
    if errors and not json_output:
        typer.echo("\n" + (report.miss_list() if isinstance(report, gold.GoldResolution)
                           else report.error_lists()))


# -- batch -------------------------------------------------------------------------------
@app.command(cls=Command)
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
