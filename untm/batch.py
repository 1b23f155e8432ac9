"""Aligning a collection of documents on Dask: one task per document, the same pipeline as
``untm align``.

A UN language service aligns a session's or a year's documents, not one; one process at a
few hundred sentences a second takes days for that, so the work goes to Dask ``distributed``
— a ``LocalCluster`` on a laptop, an existing scheduler on a cluster, an in-process cluster in
tests. A task is a whole document: its inputs are a few paths and settings (nothing large is
pickled), each worker builds the aligner preset (dictionary, termbase automaton) once and
keeps it, and writes the document's TMX itself, atomically. A document that fails is a row of
the report, never the end of the batch.

Where the documents come from (``discover``):

* a folder with one sub-folder per document, one file per language named by its code:
  ``A_72_565/ru.pdf``, ``A_72_565/zh.docx``, ``A_72_565/en.html`` (the language is the name up
  to the first dot, so ``zh.para.txt`` is Chinese);
* a CSV or TSV manifest with the columns ``doc_id``, ``lang``, ``path`` (paths relative to the
  manifest);
* a folder of files named as the UN names them: ``A_72_565-RU.pdf``, ``A_72_565_C.pdf`` — the
  symbol, ``-`` or ``_``, then the language as a two-letter code (``AR ZH EN FR RU ES``, any
  case) or the UN's one-letter code (``A`` Arabic, ``C`` Chinese, ``E`` English, ``F`` French,
  ``R`` Russian, ``S`` Spanish).
"""

from __future__ import annotations

import contextlib
import csv
import functools
import html
import json
import os
import re
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from uncore.atomic import atomic_output
from uncore.errors import InputError, UntmError, UsageError
from uncore.lang import language

REPORT_JSON = "report.json"
REPORT_HTML = "report.html"
UN_ORDER = ("ar", "zh", "en", "fr", "ru", "es")
# The UN's one-letter language codes at the end of a document file name (A_72_565_C.pdf).
UN_LETTERS = {"A": "ar", "C": "zh", "E": "en", "F": "fr", "R": "ru", "S": "es"}
_DOCUMENT_SUFFIXES = {".pdf", ".docx", ".html", ".htm", ".xhtml", ".txt"}
_UN_NAME = re.compile(r"^(?P<doc>.+?)[-_](?P<lang>[A-Za-z]{2}|[ACEFRS])$")


@dataclass(frozen=True)
class DocumentSpec:
    """One document of the collection: its id and one file per language (in the order found)."""

    doc_id: str
    files: tuple[tuple[str, Path], ...]

    @property
    def langs(self) -> tuple[str, ...]:
        return tuple(lang for lang, _ in self.files)


@dataclass(frozen=True)
class Settings:
    """Everything that changes a document's result; small, so it travels with every task."""

    langs: tuple[str, ...] = ()
    source: str | None = None
    presegmented: bool = False
    use_termbase: bool = True
    termbase: str | None = None
    long_merges: bool = True
    scorer: str = "cpu"  # as ``untm align --scorer``


@dataclass
class DocumentReport:
    """One row of the report: what was found, what was made, and what went wrong."""

    doc_id: str
    languages: list[str]
    status: str = "ok"  # ok | failed | skipped (resume)
    output: str | None = None
    sentences: dict[str, int] = field(default_factory=dict)
    units: int = 0
    flagged: int = 0
    mean_confidence: float | None = None
    seconds: float = 0.0
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # how the aligner went about it


# --- finding the documents ---------------------------------------------------------------------


def discover(source: Path) -> tuple[list[DocumentSpec], list[DocumentReport]]:
    """The documents of a collection, and a report row for each one that cannot run as found
    (two files for one language, an unknown language code, a missing file)."""
    if not source.exists():
        raise InputError("no such file or folder", path=source)
    if source.is_file():
        return _from_manifest(source)
    entries = sorted(source.iterdir())
    if any(entry.is_dir() for entry in entries):
        return _from_subfolders([entry for entry in entries if entry.is_dir()])
    return _from_un_names([entry for entry in entries if entry.is_file()])


def _lang_code(text: str) -> str | None:
    try:
        return language(text).code
    except UntmError:
        return None


def _collect(rows: Iterable[tuple[str, str, Path, str]]) -> tuple[list[DocumentSpec], list[DocumentReport]]:
    """Group (doc_id, lang, path, where) rows into documents; ``where`` names a row in errors."""
    files: dict[str, dict[str, Path]] = {}
    problems: dict[str, list[str]] = {}
    for doc_id, raw_lang, path, where in rows:
        files.setdefault(doc_id, {})
        code = _lang_code(raw_lang)
        if code is None:
            problems.setdefault(doc_id, []).append(f"{where}: unknown language code {raw_lang!r}")
        elif code in files[doc_id]:
            problems.setdefault(doc_id, []).append(
                f"{where}: a second file for {code} ({files[doc_id][code].name} and {path.name})"
            )
        elif not path.is_file():
            problems.setdefault(doc_id, []).append(f"{where}: no such file {path}")
        else:
            files[doc_id][code] = path
    specs, failed = [], []
    for doc_id, by_lang in files.items():
        if doc_id in problems:
            failed.append(
                DocumentReport(doc_id, sorted(by_lang), status="failed", error="; ".join(problems[doc_id]))
            )
        else:
            specs.append(DocumentSpec(doc_id, tuple(by_lang.items())))
    return specs, failed


def _from_subfolders(folders: Sequence[Path]) -> tuple[list[DocumentSpec], list[DocumentReport]]:
    rows = []
    for folder in folders:
        for path in sorted(folder.iterdir()):
            if path.is_file() and not path.name.startswith("."):
                rows.append((folder.name, path.name.split(".", 1)[0], path, str(path)))
    return _collect(rows)


def _from_un_names(paths: Sequence[Path]) -> tuple[list[DocumentSpec], list[DocumentReport]]:
    rows = []
    for path in paths:
        if path.suffix.lower() not in _DOCUMENT_SUFFIXES:
            continue
        found = _UN_NAME.match(path.stem)
        if found is None:
            rows.append((path.stem, "?", path, f"{path}: no language suffix (-RU, _C, …)"))
            continue
        raw = found["lang"]
        lang = UN_LETTERS.get(raw, raw.lower()) if len(raw) == 1 else raw.lower()
        rows.append((found["doc"], lang, path, str(path)))
    return _collect(rows)


def _from_manifest(path: Path) -> tuple[list[DocumentSpec], list[DocumentReport]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"cannot read the manifest: {error}", path=path) from error
    delimiter = "\t" if path.suffix.lower() == ".tsv" or "\t" in text.split("\n", 1)[0] else ","
    reader = csv.DictReader(text.splitlines(), delimiter=delimiter)
    missing = {"doc_id", "lang", "path"} - set(reader.fieldnames or ())
    if missing:
        raise InputError(
            f"the manifest needs the columns doc_id, lang, path (missing: {', '.join(sorted(missing))})",
            path=path,
            line=1,
        )
    rows = []
    for number, row in enumerate(reader, 2):
        doc_id, lang, file = ((row.get(key) or "").strip() for key in ("doc_id", "lang", "path"))
        if not doc_id or not lang or not file:
            raise InputError("empty doc_id, lang or path", path=path, line=number)
        target = Path(file) if Path(file).is_absolute() else path.parent / file
        rows.append((doc_id, lang, target, f"{path}:{number}"))
    return _collect(rows)


# --- one document --------------------------------------------------------------------------------


def choose_langs(spec: DocumentSpec, settings: Settings) -> tuple[list[tuple[str, Path]], str]:
    """The files to align, in order, and the pivot: ``settings.langs`` when given (each must be
    there), else every language found in the UN order; the pivot is ``settings.source``, else
    the first language given, else English when present, else the first found."""
    found = dict(spec.files)
    if settings.langs:
        absent = [lang for lang in settings.langs if lang not in found]
        if absent:
            raise InputError(f"no {', '.join(absent)} version (found: {', '.join(spec.langs) or 'none'})")
        chosen = [(lang, found[lang]) for lang in settings.langs]
    else:
        order = {code: i for i, code in enumerate(UN_ORDER)}
        chosen = sorted(found.items(), key=lambda item: (order.get(item[0], len(order)), item[0]))
    if len(chosen) < 2:
        raise InputError(f"only one language ({', '.join(spec.langs) or 'none'}): nothing to align")
    codes = [lang for lang, _ in chosen]
    if settings.source:
        pivot = settings.source
    elif settings.langs:
        pivot = settings.langs[0]
    else:
        pivot = "en" if "en" in codes else codes[0]
    if pivot not in codes:
        raise InputError(f"the source language {pivot} has no version (found: {', '.join(codes)})")
    return chosen, pivot


@functools.lru_cache(maxsize=4)
def worker_config(settings: Settings) -> Any:
    """The aligner preset, built once per worker process and settings (dictionary, termbase;
    with ``settings.langs``, the term automata and lemmatisers of those languages too)."""
    from aligner.align import prepare
    from untm import pipeline

    concepts, revision = None, ""
    if settings.use_termbase:
        concepts, revision = pipeline.open_termbase_concepts(settings.termbase)
    config = pipeline.default_config(
        use_termbase=settings.use_termbase,
        long_merges=settings.long_merges,
        concepts=concepts,
        revision=revision,
        scorer=settings.scorer,
    )
    with contextlib.suppress(UntmError):  # a warm-up: an unknown -l code is each document's error
        prepare(config, settings.langs)  # with -l: what the first document would load, now
    return config


def output_path(outdir: Path, doc_id: str) -> Path:
    safe = re.sub(r"[^\w.-]+", "_", doc_id).strip("._") or "document"
    return outdir / f"{safe}.tmx"


def align_document(spec: DocumentSpec, outdir: str, settings: Settings) -> DocumentReport:
    """Read, align and write one document (the same calls as ``untm align``); every failure is
    caught and reported, and nothing is left half-written (the writer is atomic)."""
    from untm import pipeline

    started = time.perf_counter()
    report = DocumentReport(spec.doc_id, list(spec.langs))
    try:
        chosen, pivot = choose_langs(spec, settings)
        report.languages = [lang for lang, _ in chosen]
        read = pipeline.read_sides(
            [path for _, path in chosen],
            [lang for lang, _ in chosen],
            source=pivot,
            presegmented=settings.presegmented,
        )
        result = pipeline.align(read, pipeline.fresh_run(worker_config(settings)))
        target = output_path(Path(outdir), spec.doc_id)
        pipeline.write_alignment(target, result)
        report.output = target.name
        report.sentences = {side.lang: len(side.sentences) for side in result.sides}
        paired = [b for b in result.beads if sum(1 for idx in b.indices.values() if idx) >= 2]
        report.units = len(paired)
        report.flagged = sum(b.flagged for b in paired)
        report.mean_confidence = round(sum(b.score for b in paired) / len(paired), 4) if paired else None
        report.warnings = list(result.warnings)
        report.notes = list(result.notes)
    except UntmError as error:
        report.status, report.error = "failed", str(error)
    except Exception as error:  # a broken document must never stop the batch
        report.status, report.error = "failed", f"{type(error).__name__}: {error}"
    report.seconds = round(time.perf_counter() - started, 3)
    return report


# --- the collection ------------------------------------------------------------------------------


@dataclass(frozen=True)
class BatchResult:
    reports: tuple[DocumentReport, ...]
    seconds: float
    workers: int

    @property
    def failed(self) -> int:
        return sum(r.status == "failed" for r in self.reports)


def previous_reports(outdir: Path) -> dict[str, DocumentReport]:
    """The report rows of an earlier run in ``outdir`` (for ``--resume``)."""
    path = outdir / REPORT_JSON
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {row["doc_id"]: DocumentReport(**row) for row in data["documents"]}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def run_batch(
    specs: Sequence[DocumentSpec],
    outdir: Path,
    settings: Settings,
    *,
    client: Any,
    resume: bool = False,
    progress: Callable[[DocumentReport], None] | None = None,
) -> BatchResult:
    """Align ``specs`` on the Dask ``client``'s cluster, each document's TMX in ``outdir``.

    With ``resume`` a document whose TMX is there (complete: it was written atomically) is not
    aligned again; its row is taken from the earlier report."""
    from distributed import as_completed

    outdir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    earlier = previous_reports(outdir) if resume else {}
    reports: dict[str, DocumentReport] = {}
    todo = []
    for spec in specs:
        done = earlier.get(spec.doc_id)
        if resume and output_path(outdir, spec.doc_id).exists() and done is not None and done.status == "ok":
            done.status = "skipped"
            reports[spec.doc_id] = done
            if progress:
                progress(done)
        else:
            todo.append(spec)
    # Largest documents first (Dask runs tasks in the order they were submitted): a long
    # document started last would leave the other workers idle at the end of the batch.
    order = sorted(range(len(todo)), key=lambda i: -_input_size(todo[i]))
    futures = [
        client.submit(
            align_document, todo[i], str(outdir), settings, key=f"align-{i}-{todo[i].doc_id}", pure=False
        )
        for i in order
    ]
    for future in as_completed(futures):
        report = future.result()
        reports[report.doc_id] = report
        if progress:
            progress(report)
        future.release()
    ordered = tuple(reports[spec.doc_id] for spec in specs)
    workers = len(client.scheduler_info().get("workers", {}))
    return BatchResult(ordered, round(time.perf_counter() - started, 3), workers)


def _input_size(spec: DocumentSpec) -> int:
    """Bytes of a document's files (0 for one that cannot be read here: its worker reports it)."""
    size = 0
    for _, path in spec.files:
        with contextlib.suppress(OSError):
            size += path.stat().st_size
    return size


def local_client(workers: int, *, processes: bool = True) -> Any:
    """A Dask client on a local cluster of ``workers`` single-threaded processes (the aligner
    is pure Python: threads would share one GIL)."""
    from distributed import Client, LocalCluster

    cluster = LocalCluster(
        n_workers=workers, threads_per_worker=1, processes=processes, dashboard_address=None, silence_logs=40
    )
    return Client(cluster)


def remote_client(address: str) -> Any:
    from distributed import Client

    try:
        return Client(address, timeout="10s")
    except (OSError, TimeoutError) as error:
        raise UsageError(f"cannot reach the Dask scheduler at {address}: {error}") from error


# --- report and merge ----------------------------------------------------------------------------


def write_reports(
    outdir: Path, result: BatchResult, failed_early: Sequence[DocumentReport], settings: Settings
) -> None:
    """``report.json`` and ``report.html`` in ``outdir`` (atomically)."""
    rows = [*result.reports, *failed_early]
    sentences = sum(sum(r.sentences.values()) for r in rows if r.status == "ok")
    data = {
        "settings": asdict(settings),
        "workers": result.workers,
        "seconds": result.seconds,
        "documents_total": len(rows),
        "documents_ok": sum(r.status == "ok" for r in rows),
        "documents_skipped": sum(r.status == "skipped" for r in rows),
        "documents_failed": sum(r.status == "failed" for r in rows),
        "sentences": sentences,
        "documents": [asdict(r) for r in rows],
    }
    with atomic_output(outdir / REPORT_JSON, "w") as handle:
        handle.write(json.dumps(data, ensure_ascii=False, indent=1) + "\n")
    with atomic_output(outdir / REPORT_HTML, "w") as handle:
        handle.write(render_html(data))


_STYLE = (
    "body{font-family:sans-serif}table{border-collapse:collapse}"
    "td,th{border:1px solid #ccc;padding:2px 6px}tr.failed{background:#fdd}"
)
_COLUMNS = (
    "document",
    "status",
    "languages",
    "sentences",
    "units",
    "flagged",
    "mean confidence",
    "seconds",
    "error / warnings / notes",
)


def render_html(data: dict[str, Any]) -> str:
    """The report as one self-contained page (escaped: document ids and errors come from files)."""
    esc = html.escape
    head = "".join(f"<th>{esc(name)}</th>" for name in _COLUMNS)
    body = []
    for row in data["documents"]:
        confidence = "" if row["mean_confidence"] is None else f"{row['mean_confidence']:.3f}"
        cells = (
            row["doc_id"],
            row["status"],
            " ".join(row["languages"]),
            ", ".join(f"{k} {v}" for k, v in row["sentences"].items()),
            str(row["units"]),
            str(row["flagged"]),
            confidence,
            f"{row['seconds']:.2f}",
            row["error"] or "; ".join([*row["warnings"], *row.get("notes", [])]),
        )
        tds = "".join(f"<td>{esc(c)}</td>" for c in cells)
        body.append(f'<tr class="{esc(row["status"])}">{tds}</tr>')
    summary = (
        f"{data['documents_ok']} aligned, {data['documents_skipped']} skipped (already done), "
        f"{data['documents_failed']} failed of {data['documents_total']}; {data['sentences']:,} "
        f"sentences in {data['seconds']:.1f} s on {data['workers']} workers"
    )
    return (
        f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>untm align-batch report'
        f"</title><style>{_STYLE}</style></head><body>\n<h1>untm align-batch</h1>\n"
        f"<p>{esc(summary)}</p>\n<table><tr>{head}</tr>\n" + "\n".join(body) + "</table></body></html>\n"
    )


def merge_outputs(outdir: Path, reports: Sequence[DocumentReport], target: Path) -> tuple[int, int]:
    """One de-duplicated TMX of every aligned document, in document order: tuids become
    ``<doc_id>:<tuid>`` (unique), the document id is kept as ``x-untm-doc``, and a unit whose
    segments repeat an earlier one is left out. Returns (written, duplicates)."""
    from dataclasses import replace

    from tmx.identity import content_key
    from tmx.reader import read_header, read_tmx
    from tmx.writer import TmxWriter

    done = [r for r in reports if r.status in ("ok", "skipped") and r.output]
    if not done:
        raise UsageError("nothing to merge: no document was aligned")
    first = outdir / done[0].output  # type: ignore[operator]
    header = read_header(first)
    seen: set[bytes] = set()
    written = duplicates = 0
    with TmxWriter(
        target, srclang=header.srclang or "*all*", props=[("x-untm-merged-documents", str(len(done)))]
    ) as writer:
        for report in done:
            for unit in read_tmx(outdir / report.output):  # type: ignore[operator]
                key = content_key(unit)
                if key in seen:
                    duplicates += 1
                    continue
                seen.add(key)
                unit = replace(
                    unit,
                    tuid=f"{report.doc_id}:{unit.tuid}",
                    props=(*unit.props, ("x-untm-doc", report.doc_id)),
                )
                writer.write(unit)
                written += 1
    return written, duplicates


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


def iter_rows(reports: Iterable[DocumentReport]) -> Iterator[dict[str, Any]]:
    for r in reports:
        yield {
            "document": r.doc_id,
            "status": r.status,
            "languages": " ".join(r.languages),
            "sentences": sum(r.sentences.values()),
            "units": r.units,
            "flagged": r.flagged,
            "seconds": f"{r.seconds:.2f}",
            "error": r.error or "",
        }
