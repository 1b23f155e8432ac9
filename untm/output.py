"""The output switches every listing command shares (``--format``, ``-o``), in the spirit of
sqlite-utils: the same rows as a table for people, or JSON/CSV/TSV for pipelines."""

from __future__ import annotations

import io
import json
import shutil
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from uncore.atomic import atomic_output
from uncore.cells import CsvRows, cell_value, to_tsv
from uncore.lang import display_width

F = TypeVar("F", bound=Callable[..., Any])

FORMATS = ("table", "json", "csv", "tsv")


def output_options(default: str = "table", formats: Sequence[str] = FORMATS) -> Callable[[F], F]:
    """Add ``--format`` and ``-o/--output`` to a command."""

    def decorate(func: F) -> F:
        func = click.option(
            "-o",
            "--output",
            type=click.Path(dir_okay=False, path_type=Path),
            default=None,
            help="Write to this file (atomically) instead of standard output.",
        )(func)
        func = click.option(
            "--format",
            "fmt",
            type=click.Choice(list(formats)),
            default=default,
            show_default=True,
            help="Output format.",
        )(func)
        return func

    return decorate


def render_rows(rows: Sequence[dict[str, Any]], fmt: str, columns: Sequence[str] | None = None) -> str:
    """Render rows (dicts with the same keys) as table, json, csv or tsv text."""
    cols = list(columns) if columns else (list(rows[0]) if rows else [])
    if fmt == "json":
        return json.dumps(list(rows), ensure_ascii=False, indent=2) + "\n"
    if fmt == "tsv":  # real TSV: no quoting; tabs, line breaks and backslashes escaped
        lines = ["\t".join(to_tsv(str(c)) for c in cols)]
        lines += [
            "\t".join("" if row.get(c) is None else to_tsv(str(row.get(c))) for c in cols) for row in rows
        ]
        return "\n".join(lines) + "\n"
    if fmt == "csv":
        buf = io.StringIO()
        writer = CsvRows(buf)  # CR quoted; formula-looking text guarded (uncore.cells)
        writer.writerow(cols)
        for row in rows:
            writer.writerow(["" if row.get(c) is None else cell_value(row.get(c)) for c in cols])
        return buf.getvalue()
    return render_table(rows, cols)


def render_table(rows: Iterable[dict[str, Any]], cols: Sequence[str]) -> str:
    """A plain aligned table that accounts for double-width CJK characters."""
    rows = list(rows)
    cells = [[("" if r.get(c) is None else str(r.get(c))).replace("\n", " ") for c in cols] for r in rows]
    widths = [max([display_width(c)] + [display_width(row[i]) for row in cells]) for i, c in enumerate(cols)]

    def line(values: Sequence[str]) -> str:
        padded = (v + " " * (w - display_width(v)) for v, w in zip(values, widths, strict=True))
        return "  ".join(padded).rstrip()

    out = [line(list(cols)), line(["-" * w for w in widths])]
    out.extend(line(row) for row in cells)
    return Table("\n".join(out) + "\n")


class Table(str):
    """Text of a table for people: ``emit`` fits its lines to the terminal (cut with …), and only
    there; a file, a pipe or another format gets every character."""


def fit(text: str, width: int) -> str:
    """Each line of ``text`` cut to ``width`` display columns (CJK counts two), with …."""
    out = []
    for line in text.split("\n"):
        if display_width(line) <= width:
            out.append(line)
            continue
        kept, used = [], 0
        for ch in line:
            w = display_width(ch)
            if used + w > width - 1:
                break
            kept.append(ch)
            used += w
        out.append("".join(kept) + "…")
    return "\n".join(out)


def emit(text: str, output: Path | None) -> None:
    """Write ``text`` to ``output`` atomically, or to standard output."""
    if output is None or str(output) == "-":
        if isinstance(text, Table) and sys.stdout.isatty():
            text = fit(text, shutil.get_terminal_size().columns)
        click.echo(text, nl=False)
        return
    with atomic_output(output) as handle:
        handle.write(text)
