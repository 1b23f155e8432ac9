"""``untm segment``: read a document and print its blocks split into sentences."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from aligner.document import Document
from aligner.read import FORMATS, read_document
from aligner.read.pdftext import looks_like_pdf_text, read_pdf_text
from aligner.read.plain import read_plain_text
from aligner.segment import Segmenter, shipped_srx_bytes
from aligner.srx import to_omegat_conf
from uncore.errors import InputError, UsageError
from uncore.lang import language
from untm.output import emit


@click.command(short_help="Read a document (PDF, DOCX, HTML, text) into blocks and sentences.")
@click.argument("file", required=False)
@click.option("--lang", "-l", help="Language of the document (zh, ru, en, fr, es, ar…).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output: indented text for people, JSON for pipelines.",
)
@click.option(
    "--input-format",
    type=click.Choice(["auto", *FORMATS]),
    default="auto",
    show_default=True,
    help="Force a reader; 'auto' looks at the file's bytes and extension.",
)
@click.option(
    "--srx",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Segment with these SRX 2.0 rules instead of the shipped UN rules.",
)
@click.option(
    "--export-srx",
    metavar="PATH|-",
    help="Write the rules in use (the shipped un.srx unless --srx) as SRX 2.0 and stop; "
    "a PATH ending in .conf gets OmegaT 3.x's project format (omegat/segmentation.conf).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file (atomically) instead of standard output.",
)
def segment(
    file: str | None,
    lang: str | None,
    fmt: str,
    input_format: str,
    srx: Path | None,
    export_srx: str | None,
    output: Path | None,
) -> None:
    """Split a document into blocks (headings, paragraphs, list items) and sentences.

    FILE may be PDF-extracted text, plain text, a PDF, a Word .docx or an HTML page; '-' reads
    text from standard input. Wrapped lines are re-flowed, page furniture (symbols, job
    numbers, page numbers) dropped, labels such as '1.' or '(a)' kept apart.

    \b
    Examples:
      untm segment examples/A72-samarkand-communique.zh.txt --lang zh
      untm segment report.pdf --lang ru --format json -o report.ru.json
      untm segment --export-srx my-rules.srx      # edit, then: --srx my-rules.srx
      untm segment --export-srx PROJECT/omegat/segmentation.conf   # OmegaT 3.x project rules
    """
    segmenter = Segmenter.from_srx(srx) if srx else Segmenter.shipped()
    if export_srx is not None:
        if export_srx.endswith(".conf"):
            data = to_omegat_conf(segmenter.rules)
        else:
            data = segmenter.to_xml() if srx else shipped_srx_bytes()  # the shipped file keeps its comments
        if export_srx == "-":
            click.echo(data.decode("utf-8"), nl=False)
        else:
            emit_bytes(data, Path(export_srx))
        return
    if file is None:
        raise UsageError("give a FILE to segment (or --export-srx PATH)")
    if not lang:
        raise UsageError("give the document's language with --lang (e.g. --lang zh)")
    code = language(lang).code
    document = _read(file, code, None if input_format == "auto" else input_format)
    if not document.blocks:
        raise InputError("no text to segment (empty input)", path=None if file == "-" else file)
    rows: list[dict[str, Any]] = [
        {
            "index": index,
            "kind": block.kind.value,
            "label": block.label,
            "source_line": block.source_line,
            "text": block.text,
            "sentences": segmenter.split(block.text, code),
        }
        for index, block in enumerate(document.blocks, 1)
    ]
    if fmt == "json":
        emit(json.dumps(rows, ensure_ascii=False, indent=2) + "\n", output)
        return
    out = []
    for row in rows:
        head = f"#{row['index']} {row['kind']}"
        if row["label"]:
            head += f" {row['label']}"
        if row["source_line"]:
            head += f"  (line {row['source_line']})"
        out.append(head)
        out.extend(f"    {sentence}" for sentence in row["sentences"])
    emit("\n".join(out) + ("\n" if out else ""), output)


def _read(file: str, code: str, fmt: str | None) -> Document:
    if file != "-":
        return read_document(file, code, fmt)
    text = sys.stdin.read()
    if fmt == "pdftext" or (fmt is None and looks_like_pdf_text(text)):
        return read_pdf_text(text, code, path="<stdin>")
    if fmt not in (None, "text", "pdftext"):
        raise UsageError(f"standard input can only be read as text, not {fmt}")
    return read_plain_text(text, code, path="<stdin>")


def emit_bytes(data: bytes, path: Path) -> None:
    from uncore.atomic import atomic_output

    with atomic_output(path, "wb") as handle:
        handle.write(data)
