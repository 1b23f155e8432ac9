"""``untm tmx …``: validate, inspect, merge, filter, split and convert translation memories.

A thin layer over the ``tmx`` library: every command streams, writes its output atomically
(nothing appears when the input turns out to be broken) and reports user errors as one line.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import click

from tmx.convert import FORMATS, detect_format, read_units, source_language, write_units
from tmx.merge import merge_files
from tmx.reader import read_header, read_tmx
from tmx.select import UnitFilter, filter_units, parse_pair, split_pair
from tmx.stats import memory_stats
from tmx.validate import validate_file
from tmx.writer import TmxWriter
from uncore.errors import UsageError
from uncore.lang import parse_mapping, primary_subtag
from untm.inputs import InputPath, shown
from untm.output import emit, output_options, render_rows
from untm.progress import counted, progress

_TMX_IN = InputPath(text_suffix=".tmx")
_OUT = click.Path(dir_okay=False, path_type=Path)


def _lang_map_option(func: Any) -> Any:
    return click.option(
        "--lang-map",
        default=None,
        metavar="CODE=TAG,...",
        help="Language tags to write, e.g. zh=zh-CN,ru=ru-RU.",
    )(func)


def _quiet_option(func: Any) -> Any:
    return click.option("-q", "--quiet", is_flag=True, help="No progress bar on a terminal.")(func)


def _header_options(path: Path) -> dict[str, Any]:
    """Carry adminlang/datatype over from the input so a filtered file says what the original said."""
    header = read_header(path)
    return {"adminlang": header.adminlang or "en", "datatype": header.datatype or "plaintext"}


def _srclang(path: Path, wanted: str | None) -> str:
    if wanted:
        return wanted
    header = read_header(path)
    return header.srclang or "*all*"


@click.group()
def tmx() -> None:
    """Validate, inspect, merge, filter, split and convert TMX memories.

    \b
    Example:
      untm tmx stats memory.tmx
      untm tmx split memory.tmx --pair ru-zh -o memory.ru-zh.tmx
    """


@tmx.command()
@click.argument("files", nargs=-1, required=True, type=_TMX_IN)
@click.option(
    "--dtd",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="TMX DTD to validate against (default: the bundled TMX 1.4b DTD).",
)
@click.option(
    "--max-per-rule",
    default=50,
    show_default=True,
    help="List at most this many findings of each rule (the rest are counted).",
)
@output_options(default="table", formats=("table", "json"))
@_quiet_option
def validate(
    files: tuple[Path, ...], dtd: Path | None, max_per_rule: int, fmt: str, output: Path | None, quiet: bool
) -> None:
    """Check TMX files against the TMX 1.4b DTD and the rules CAT tools rely on.

    Exit status 1 when a file has errors (warnings alone do not fail).

    \b
    Example:
      untm tmx validate memory.tmx
      untm tmx validate memory.tmx --format json -o report.json
    """
    reports = []
    for path in files:
        with progress(unit="TU", desc=path.name, quiet=quiet) as bar:
            report = validate_file(path, dtd, max_per_rule, progress=bar.update)
        reports.append(dataclasses.replace(report, path=shown(report.path)))
    if fmt == "json":
        data = [
            {
                "path": r.path,
                "valid": r.valid,
                "units": r.units,
                "errors": r.errors,
                "suppressed": r.suppressed,
                "problems": [p.as_dict() for p in r.problems],
            }
            for r in reports
        ]
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    else:
        lines = []
        for r in reports:
            for p in r.problems:
                where = f"{r.path}:{p.line}" if p.line else r.path
                lines.append(f"{where}: {p.severity}: [{p.rule}] {p.message}")
            if r.suppressed:
                lines.append(f"{r.path}: … {r.suppressed} more findings not listed")
            verdict = "valid" if r.valid else f"INVALID ({r.errors} errors)"
            lines.append(f"{r.path}: {verdict}, {r.units} units")
        text = "\n".join(lines) + "\n"
    emit(text, output)
    if not all(r.valid for r in reports):
        raise click.exceptions.Exit(1)


@tmx.command()
@click.argument("file", type=_TMX_IN)
@click.option(
    "--srclang", default=None, help="Source language for duplicate detection (default: the header's)."
)
@output_options()
def stats(file: Path, srclang: str | None, fmt: str, output: Path | None) -> None:
    """Count units, languages, segments per language and duplicates.

    \b
    Example:
      untm tmx stats memory.tmx
      untm tmx stats memory.tmx --format json
    """
    header = read_header(file)
    result = memory_stats(read_tmx(file), srclang or header.srclang)
    rows = [
        {"language": s.lang, "segments": s.segments, "characters": s.characters} for s in result.languages
    ]
    if fmt == "json":
        data = {
            "path": str(file),
            "srclang": header.srclang,
            "units": result.units,
            "duplicate_units": result.duplicate_units,
            "conflicting_sources": result.conflicting_sources,
            "variants_per_unit": result.variants_per_unit,
            "languages": rows,
        }
        emit(json.dumps(data, ensure_ascii=False, indent=2) + "\n", output)
        return
    if fmt in ("csv", "tsv"):
        emit(render_rows(rows, fmt, ["language", "segments", "characters"]), output)
        return
    summary = (
        f"file: {file}\nsource language: {header.srclang}\nunits: {result.units}\n"
        f"duplicate units: {result.duplicate_units}\n"
        f"same source, other translation: {result.conflicting_sources}\n"
        f"variants per unit: {', '.join(f'{k}: {v}' for k, v in result.variants_per_unit.items())}"
        "\n\n"
    )
    emit(summary + render_rows(rows, "table", ["language", "segments", "characters"]), output)


@tmx.command()
@click.argument("files", nargs=-1, required=True, type=_TMX_IN)
@click.option("-o", "--output", "target", required=True, type=_OUT, help="Merged TMX to write.")
@click.option("--srclang", default=None, help="Source language (default: the first file's).")
@click.option(
    "--report",
    "report_fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="Format of the conflict report on standard output.",
)
@_lang_map_option
@_quiet_option
def merge(
    files: tuple[Path, ...],
    target: Path,
    srclang: str | None,
    report_fmt: str,
    lang_map: str | None,
    quiet: bool,
) -> None:
    """Merge TMX files: identical units once; on conflicting translations of the same source
    segment keep the newest (changedate, else creationdate) and report the conflict.

    \b
    Example:
      untm tmx merge 2015.tmx 2016.tmx 2017.tmx -o all.tmx
    """
    with progress(unit="TU", desc="merging", quiet=quiet) as bar:
        result = merge_files(files, target, srclang, lang_map=parse_mapping(lang_map), progress=bar.update)
    conflicts = [c.__dict__ for c in result.conflicts]
    if report_fmt == "json":
        data = {
            "read": result.read,
            "written": result.written,
            "duplicates": result.duplicates,
            "conflicts": conflicts,
        }
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    click.echo(
        f"{result.read} units read, {result.duplicates} duplicates dropped, "
        f"{len(conflicts)} conflicts, {result.written} units written to {target}"
    )
    if conflicts:
        click.echo(
            render_rows(conflicts, "table", ["source", "kept", "dropped", "kept_date", "dropped_date"]),
            nl=False,
        )


def _parse_props(values: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    props = []
    for value in values:
        name, sep, content = value.partition("=")
        if not sep or not name:
            raise UsageError(f"bad --prop {value!r}: expected TYPE=VALUE")
        props.append((name, content))
    return tuple(props)


@tmx.command(name="filter")
@click.argument("file", type=_TMX_IN)
@click.option("-o", "--output", "target", required=True, type=_OUT, help="TMX to write.")
@click.option(
    "--lang",
    "langs",
    multiple=True,
    help="Keep only these languages (repeat); units missing one are dropped.",
)
@click.option(
    "--prop",
    "props",
    multiple=True,
    metavar="TYPE=VALUE",
    help="Keep units carrying this <prop> (repeat: all must match).",
)
@click.option("--min-score", type=float, default=None, help="Minimum x-untm-score.")
@click.option("--max-score", type=float, default=None, help="Maximum x-untm-score.")
@click.option("--min-length", type=int, default=None, help="Minimum characters in every segment.")
@click.option("--max-length", type=int, default=None, help="Maximum characters in every segment.")
@click.option(
    "--flagged",
    type=click.Choice(["yes", "no"]),
    default=None,
    help="Keep only the units the aligner flagged for review (yes) or only the others (no; "
    "units without the x-untm-flagged prop count as not flagged).",
)
@_lang_map_option
def filter_(
    file: Path,
    target: Path,
    langs: tuple[str, ...],
    props: tuple[str, ...],
    min_score: float | None,
    max_score: float | None,
    min_length: int | None,
    max_length: int | None,
    flagged: str | None,
    lang_map: str | None,
) -> None:
    """Keep the units (and languages) you want.

    \b
    Example:
      untm tmx filter memory.tmx --lang ru --lang zh --min-score 0.5 -o checked.tmx
      untm tmx filter memory.tmx --flagged no -o reviewed.tmx
    """
    rule = UnitFilter(
        tuple(langs),
        _parse_props(props),
        min_score,
        max_score,
        min_length,
        max_length,
        None if flagged is None else flagged == "yes",
    )
    srclang = _srclang(file, None)
    if (
        langs
        and srclang != "*all*"
        and not any(primary_subtag(lang) == primary_subtag(srclang) for lang in langs)
    ):
        srclang = langs[0]
    with TmxWriter(target, srclang=srclang, lang_map=parse_mapping(lang_map), **_header_options(file)) as out:
        out.write_all(filter_units(read_tmx(file), rule))
        count = out.count
    click.echo(f"{count} units written to {target}", err=True)


@tmx.command()
@click.argument("file", type=_TMX_IN)
@click.option(
    "--pair",
    "pairs",
    multiple=True,
    required=True,
    metavar="SRC-TGT",
    help="Direction to extract, e.g. ru-zh (repeat for several).",
)
@click.option(
    "-o", "--output", "target", type=_OUT, default=None, help="Output file (only with a single --pair)."
)
@click.option(
    "-d",
    "--out-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Directory for FILE.SRC-TGT.tmx (default: beside the input).",
)
@_lang_map_option
def split(
    file: Path, pairs: tuple[str, ...], target: Path | None, out_dir: Path | None, lang_map: str | None
) -> None:
    """Write bilingual per-direction TMX files (Trados and Phrase take only bilingual TMX).

    \b
    Example:
      untm tmx split memory.tmx --pair ru-zh --pair zh-ru -d bilingual/
    """
    if target is not None and len(pairs) != 1:
        raise UsageError("-o takes a single --pair; use -d DIR for several")
    mapping = parse_mapping(lang_map)
    options = _header_options(file)
    for spec in pairs:
        source, dest = parse_pair(spec)
        path = target or (out_dir or file.parent) / f"{file.stem}.{source}-{dest}.tmx"
        src_tag = next(
            (
                v.lang
                for tu in read_tmx(file)
                for v in tu.variants
                if primary_subtag(v.lang) == primary_subtag(source)
            ),
            source,
        )
        with TmxWriter(path, srclang=src_tag, lang_map=mapping, **options) as out:
            out.write_all(split_pair(read_tmx(file), source, dest))
            count = out.count
        click.echo(f"{count} units {source}→{dest} written to {path}", err=True)


@tmx.command()
@click.argument("source_file", metavar="INPUT", type=InputPath(text_suffix=".tsv", dir_okay=True))
@click.option(
    "-o",
    "--output",
    "target",
    required=True,
    type=_OUT,
    help="File to write (a Moses corpus: the prefix or one of its files).",
)
@click.option(
    "--from",
    "from_fmt",
    type=click.Choice(FORMATS),
    default=None,
    help="Input format (default: from the file name).",
)
@click.option(
    "--to",
    "to_fmt",
    type=click.Choice(FORMATS),
    default=None,
    help="Output format (default: from the file name).",
)
@click.option("--source", "source_lang", default=None, help="Source language (default: the TMX header's).")
@click.option("--target", "target_lang", default=None, help="Target language of XLIFF/PO.")
@click.option(
    "--langs",
    default=None,
    metavar="L1,L2,...",
    help="Languages (columns / Moses files) to read or write, in order.",
)
@_lang_map_option
@_quiet_option
def convert(
    source_file: Path,
    target: Path,
    from_fmt: str | None,
    to_fmt: str | None,
    source_lang: str | None,
    target_lang: str | None,
    langs: str | None,
    lang_map: str | None,
    quiet: bool,
) -> None:
    """Convert between TMX, TSV, CSV, XLSX, XLIFF 1.2, PO and Moses plain-text pairs.

    \b
    Example:
      untm tmx convert memory.tmx --source ru --target zh-CN -o memory.xlf
      untm tmx convert glossary.xlsx -o glossary.tmx --source ru
      untm tmx convert corpus.ru --langs ru,zh -o corpus.tmx
    """
    lang_list = [part.strip() for part in langs.split(",") if part.strip()] if langs else None
    in_fmt = detect_format(source_file, from_fmt)
    out_fmt = detect_format(target, to_fmt)
    source = source_lang or source_language(source_file, in_fmt)
    if source is None and lang_list:
        source = lang_list[0]
    units = read_units(
        source_file,
        in_fmt,
        langs=lang_list if in_fmt in ("tsv", "csv", "xlsx", "moses") else None,
        source=source_lang,
        target=target_lang,
    )
    first = next(units, None)
    if first is None:
        raise UsageError("the input has no units", path=source_file)
    units = _chain(first, units)
    source = source or first.variants[0].lang
    if out_fmt in ("tsv", "csv", "xlsx", "moses") and not lang_list:
        lang_list = list(first.languages)  # the languages of the first unit, in its order
    if out_fmt in ("xliff", "po") and (not source or not target_lang):
        raise UsageError(f"{out_fmt} is bilingual: give --source and --target")
    with progress(unit="TU", desc="converting", quiet=quiet) as bar:
        count = write_units(
            target,
            counted(units, bar),
            out_fmt,
            langs=lang_list,
            source=source,
            target=target_lang,
            lang_map=parse_mapping(lang_map) if out_fmt == "tmx" else None,
        )
    click.echo(f"{count} units written to {target}", err=True)


def _chain(first: Any, rest: Any) -> Any:
    yield first
    yield from rest
