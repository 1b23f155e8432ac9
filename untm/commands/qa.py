"""``untm qa``: check translations for non-UN terms, missing or inconsistent terms, wrong
numbers, dates and symbols, memory deviations and punctuation.

A thin layer over ``qa``: this module only turns the inputs into units (a memory file,
two or three documents aligned on the fly, or one document checked on its own), opens the
termbase and the memory, and writes the report. Exit status: 0 when nothing at or above
``--fail-on`` was found, 1 when something was, 2 on bad input or usage.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import click

from qa import CHECK_IDS, CHECKS, IgnoreList, Severity, run_checks, select_checks
from qa.report import FORMATS, TABLE_COLUMNS, render_text, summarize, table_rows, write_xlsx
from tmx.units import TranslationUnit
from uncore.errors import InputError, UsageError
from uncore.lang import data_language, language
from untm import __version__
from untm.inputs import InputPath
from untm.options import termbase_option
from untm.output import emit, render_table

# Files read as translation memories / bilingual files; anything else is a document.
_UNIT_SUFFIXES = {".tmx", ".xlf", ".xliff", ".po", ".pot", ".tsv", ".csv", ".xlsx"}
_IN = InputPath(text_suffix=".txt")


def _checks_help() -> str:
    return "; ".join(f"{c.id} ({c.severity.value})" for c in CHECKS)


@click.command()
@click.argument("inputs", nargs=-1, required=True, type=_IN)
@termbase_option(
    "Termbase: a SQLite file or a postgresql:// URL. Default: the user's termbase, created from the "
    "bundled UN termbase on first use.",
)
@click.option("--no-termbase", is_flag=True, help="Run without a termbase (no term checks).")
@click.option(
    "--tm",
    "tm_path",
    type=str,
    default=None,
    help="Translation memory store (untm tm: a file or a postgresql:// URL) for the tm-deviation check.",
)
@click.option(
    "-s",
    "--source-lang",
    default=None,
    metavar="LANG",
    help="Source language (default: the TMX srclang, else the first version; for documents, the first file).",
)
@click.option(
    "-t",
    "--target-lang",
    "target_langs",
    multiple=True,
    metavar="LANG",
    help="Target language(s) to check (repeatable; default: every other language).",
)
@click.option(
    "--checks",
    "checks_spec",
    default=None,
    metavar="ID,...",
    help=f"Checks to run (default: all that apply). {_checks_help()}.",
)
@click.option(
    "--ignore",
    "ignore_path",
    type=_IN,
    default=None,
    help="Ignore file: findings to silence (see docs/qa.md for the format).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="table",
    show_default=True,
    help="Report format (xlsx needs -o).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the report to this file (atomically) instead of standard output.",
)
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "never"]),
    default="error",
    show_default=True,
    help="Exit 1 when a finding at or above this severity is found.",
)
@click.option(
    "--tm-threshold",
    type=click.FloatRange(0, 100),
    default=60.0,
    show_default=True,
    help="chrF below which a target deviates from the memory's translation.",
)
@click.pass_context
def qa(
    ctx: click.Context,
    inputs: tuple[Path, ...],
    termbase_path: Path | None,
    no_termbase: bool,
    tm_path: str | None,
    source_lang: str | None,
    target_langs: tuple[str, ...],
    checks_spec: str | None,
    ignore_path: Path | None,
    fmt: str,
    output: Path | None,
    fail_on: str,
    tm_threshold: float,
) -> None:
    """Check translations: terms, numbers, symbols, memory, punctuation.

    INPUT is a TMX, XLIFF, PO, TSV/CSV or XLSX file; or two or three documents (PDF text,
    DOCX, HTML, plain text) in different languages, aligned on the fly, the first being the
    source; or one document, checked on its own (deprecated terms, punctuation). A document's
    language comes from --source-lang/--target-lang or its name (report.zh.txt).

    \b
    Examples:
      untm qa examples/A72-samarkand-communique.zh.txt
      untm qa memory.tmx --source-lang en --target-lang zh --format html -o qa.html
      untm qa report.ru.docx report.zh.docx --fail-on warning
    """
    if fmt == "xlsx" and output is None:
        raise UsageError("--format xlsx writes a file: give -o FILE.xlsx")
    checks = [c.strip() for c in checks_spec.split(",") if c.strip()] if checks_spec else None
    source = language(source_lang).code if source_lang else None
    targets = [language(t).code for t in target_langs] or None
    termbase = None if no_termbase else _open_termbase(ctx, termbase_path)
    units, source, targets = _read_inputs(list(inputs), source, targets, termbase)

    memory = _open_memory(ctx, tm_path) if tm_path else None
    chosen = select_checks(checks, termbase=termbase is not None, memory=memory is not None)
    ignore = IgnoreList.load(ignore_path) if ignore_path else None

    counter = _Counter()
    findings = list(
        run_checks(
            counter.count(units),
            termbase=termbase,
            memory=memory,
            source=source,
            targets=targets,
            checks=chosen,
            ignore=ignore,
            tm_threshold=tm_threshold,
        )
    )
    parameters: dict[str, Any] = {
        "untm": __version__,
        "inputs": [str(p) for p in inputs],
        "source": source,
        "targets": targets,
        "checks": list(chosen),
        "termbase": _termbase_info(termbase),
        "memory": str(tm_path) if tm_path else None,
        "tm_threshold": tm_threshold if memory is not None else None,
        "ignore": str(ignore_path) if ignore_path else None,
        "fail_on": fail_on,
        "units": counter.n,
        "languages": list(counter.languages),
    }
    summary = summarize(findings, parameters)
    if fmt == "xlsx":
        assert output is not None
        write_xlsx(findings, summary, output)
    elif fmt == "table":
        emit(_table(findings, summary), output)
    else:
        emit(render_text(findings, summary, fmt), output)
    if fail_on != "never":
        threshold = Severity(fail_on)
        if any(f.severity.at_least(threshold) for f in findings):
            ctx.exit(1)


class _Counter:
    """Counts the units as they stream past (for the summary) without holding them."""

    def __init__(self) -> None:
        self.n = 0
        self.languages: dict[str, None] = {}

    def count(self, units: Iterable[TranslationUnit]) -> Iterator[TranslationUnit]:
        for unit in units:
            self.n += 1
            for variant in unit.variants:
                if variant.lang not in self.languages:
                    self.languages[variant.lang] = None
            yield unit


def _table(findings: list[Any], summary: dict[str, Any]) -> str:
    counts = summary["by_severity"]
    line = (
        f"{summary['findings']} findings in {summary['units']} units "
        f"({counts['error']} errors, {counts['warning']} warnings, {counts['info']} info)  "
        f"{summary['signature']}\n"
    )
    if not findings:
        return line
    return render_table(table_rows(findings), TABLE_COLUMNS) + line


def _open_termbase(ctx: click.Context, path: Path | str | None) -> Any:
    from termbase.store import open_termbase
    from untm.commands.term import note_if_outdated

    base = open_termbase(path)
    note_if_outdated(base)
    ctx.call_on_close(base.close)
    return base


def _termbase_info(termbase: Any) -> dict[str, Any] | None:
    if termbase is None:
        return None
    return {
        "path": str(termbase.path) if termbase.path else None,
        "revision": termbase.revision,
        "concepts": len(termbase),
    }


def _open_memory(ctx: click.Context, path: str | Path) -> Any:
    from tmx.store import open_memory

    store = open_memory(path, readonly=True)
    ctx.call_on_close(store.close)
    return store


def _read_inputs(
    paths: list[Path], source: str | None, targets: list[str] | None, termbase: Any = None
) -> tuple[Iterable[TranslationUnit], str | None, list[str] | None]:
    """Units from the inputs, with the source and target languages they imply. Documents are
    aligned exactly as `untm align` aligns them (``untm.pipeline``, the production preset, the
    same warnings), with the termbase QA uses as alignment evidence."""
    memories = [p for p in paths if p.suffix.lower() in _UNIT_SUFFIXES]
    if memories:
        if len(paths) != 1:
            raise UsageError(
                "give one memory or bilingual file (TMX, XLIFF, PO, TSV, CSV, XLSX) "
                "at a time, or two or three documents"
            )
        if source is None:
            from tmx.convert import source_language

            declared = source_language(paths[0])
            source = language(declared).code if declared else None
            if source is not None:
                _check_declared_source(paths[0], source, targets)
        return _memory_units(paths[0], source, targets), source, targets
    if len(paths) > 3:
        raise UsageError(
            "give one document (monolingual checks) or two or three documents (aligned on the fly)"
        )
    langs = _document_languages(paths, source, targets)
    if len(paths) == 1:
        from aligner.read import read_document

        document = read_document(paths[0], langs[0])
        if not any(text.strip() for text in document.paragraphs):
            raise InputError("no text to check (empty file)", path=paths[0])
        return _paragraph_units(document), None, [langs[0]]
    return _aligned_units(paths, langs, termbase), langs[0], langs[1:]


def _check_declared_source(path: Path, source: str, targets: list[str] | None) -> None:
    """A header ``srclang`` that none of the first units has would turn the check around
    (the source read as a translation): say so instead of guessing."""
    from itertools import islice

    seen: set[str] = set()
    for unit in islice(_memory_units(path, source, targets), 200):
        seen.update(data_language(v.lang).code for v in unit.variants)
        if source in seen:
            return
    if seen:
        raise UsageError(
            f"{path}: the header names the source language {source!r}, but the units are in "
            f"{', '.join(sorted(seen))}: give the source with --source-lang"
        )


def _known(tag: str) -> bool:
    try:
        language(tag)
    except UsageError:
        return False
    return True


def _memory_units(path: Path, source: str | None, targets: list[str] | None) -> Iterator[TranslationUnit]:
    from tmx.convert import read_units

    target = targets[0] if targets and len(targets) == 1 else None
    for unit in read_units(path, source=source, target=target):
        # the parts of a bead (``untm align``'s TMX) repeat its text: it is checked whole, once
        if unit.prop("x-untm-kind") != "part":
            yield unit


def _document_languages(paths: list[Path], source: str | None, targets: list[str] | None) -> list[str]:
    """The language of each document: --source-lang for the first and --target-lang for the
    rest when given, else the language code in the file name (A-72-1.zh.txt, report_ru.docx)."""
    given: list[str | None]
    if len(paths) == 1:
        given = [targets[0] if targets else source]
    else:
        given = [source, *(targets or [])]
        given += [None] * (len(paths) - len(given))
    langs: list[str] = []
    for path, lang in zip(paths, given, strict=False):
        found = lang or _language_from_name(path)
        if found is None:
            raise UsageError(
                f"cannot tell the language of {path.name}: give --source-lang / "
                f"--target-lang or name it like report.zh.txt"
            )
        langs.append(found)
    if len(set(langs)) != len(langs):
        raise UsageError(f"each document must be in a different language (got {', '.join(langs)})")
    return langs


def _language_from_name(path: Path) -> str | None:
    stem = path.name.rsplit(".", 1)[0]
    for part in reversed(stem.replace("_", ".").replace("-", ".").split(".")):
        if 2 <= len(part) <= 3 and part.isalpha():
            try:
                return language(part).code
            except UsageError:
                continue
    return None


def _paragraph_units(document: Any) -> Iterator[TranslationUnit]:
    """One unit per paragraph; its tuid is the paragraph number (1-based)."""
    for number, text in enumerate(document.paragraphs, 1):
        if text.strip():
            yield TranslationUnit.from_texts({document.lang: text}, tuid=str(number))


def _aligned_units(paths: list[Path], langs: list[str], termbase: Any) -> list[TranslationUnit]:
    """Align the documents (the first is the pivot) as `untm align` does; one unit per bead,
    omissions included (a sentence with no counterpart is a finding, not a gap)."""
    from untm import pipeline

    read = pipeline.read_sides(paths, langs, source=langs[0])
    for warning in read.warnings:
        click.echo(f"untm: warning: {warning}", err=True)
    if termbase is not None:
        config = pipeline.default_config(concepts=tuple(termbase), revision=f"rev{termbase.revision}")
    else:
        config = pipeline.default_config(use_termbase=False)
    result = pipeline.align(read, config)
    return list(pipeline.beads_to_units(result.beads, result.sides, result.pivot, skip_single=False))


__all__ = ["CHECK_IDS", "qa"]
