"""Text laid out for a terminal: command help as Click writes it, and aligned tables.

Only :mod:`geoaleppo.cli` uses this; it is kept apart so the CLI stays an adapter.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from typer._click import Context, HelpFormatter  # Typer's own copy of Click


class Command(typer.core.TyperCommand):
    """A command whose help names values as its metavars say, as Click would.

    Typer adds each parameter's Python type ("NAME <list[str]>", "--date <str>") and
    braces a required argument in the usage line ("{NAME}..."), which reads as if the
    type or the braces were to be typed.
    """

    def collect_usage_pieces(self, ctx: Context) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if isinstance(param, typer.core.TyperArgument):
                pieces.append(_argument_name(param))
            else:
                pieces.extend(param.get_usage_pieces(ctx))
        return pieces

    def format_options(self, ctx: Context, formatter: HelpFormatter) -> None:
        arguments, options = [], []
        for param in self.get_params(ctx):
            if isinstance(param, typer.core.TyperOption) and param.metavar is None:
                param.metavar = (param.name or "value").upper()  # flags show none anyway
            record = param.get_help_record(ctx)
            if record is None:
                continue
            name, text = record
            # Click writes a range as "x>=1"; say it in words.
            text = re.sub(r"\bx>=(\S+?)(?=[];])", r"at least \1", text)
            if isinstance(param, typer.core.TyperArgument):
                arguments.append((_argument_name(param), text))
            else:
                options.append((name, text))
        for title, rows in (("Arguments", arguments), ("Options", options)):
            if rows:
                with formatter.section(title):
                    formatter.write_dl(rows)


def _argument_name(param: typer.core.TyperArgument) -> str:
    name = param.metavar or (param.name or "").upper()
    name = name if param.required else f"[{name}]"
    return name + ("..." if param.nargs != 1 else "")


def cell(text: str) -> str:
    """One table cell: control characters (tabs, line breaks, escapes) as spaces."""
    return "".join(" " if unicodedata.category(c) == "Cc" else c for c in text)


def width(text: str) -> int:
    """Columns ``text`` takes on a terminal: combining marks none, wide characters two."""
    return sum(0 if unicodedata.combining(c) else
               2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def table(rows: list[list[str]], *, aligned: bool) -> list[str]:
    """Rows as lines: columns padded to line up, or separated by tabs for other tools."""
    rows = [[cell(text) for text in row] for row in rows]
    for row in rows:
        while row and not row[-1]:
            row.pop()
    if not aligned:
        return ["\t".join(row) for row in rows]
    widths: dict[int, int] = {}
    for row in rows:
        for column, text in enumerate(row[:-1]):
            widths[column] = max(widths.get(column, 0), width(text))
    return ["  ".join(text + " " * (widths.get(column, 0) - width(text))
                      if column < len(row) - 1 else text
                      for column, text in enumerate(row)).rstrip()
            for row in rows]
