"""The ``gazetteer`` and ``assets`` commands: look up, check, export and extend the
gazetteer, and fetch the pinned map assets.

Part of the command line (:mod:`geoaleppo.cli`), which imports this module so that its
commands register; nothing else imports it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from geoaleppo.cli import (
    EXIT_ERROR,
    Command,
    GazetteerOption,
    JsonOption,
    assets_app,
    clean_errors,
    fail,
    gazetteer_app,
    shown,
)


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
    from geoaleppo import entries
    from geoaleppo import gazetteer as gz

    directory = gazetteer or gz.default_directory()
    problems = entries.validate(directory)
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
