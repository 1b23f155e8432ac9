"""``untm align-batch``: a collection of documents aligned on Dask (``untm.batch``)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from uncore.errors import UsageError
from uncore.lang import language
from untm.options import scorer_option, termbase_option
from untm.progress import Progress, wanted


@click.command("align-batch")
@click.argument("source", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    "outdir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for <doc_id>.tmx, report.json and report.html.",
)
@click.option(
    "--lang",
    "-l",
    "langs",
    multiple=True,
    help="Languages to align, in this order (repeat); default: every language found.",
)
@click.option(
    "--source",
    "source_lang",
    help="Original language, the pivot (default: the first --lang, else English when present).",
)
@click.option(
    "--presegmented",
    is_flag=True,
    help="Text files hold one sentence per line (blank lines separate paragraphs).",
)
@termbase_option(
    "Termbase whose concepts are alignment evidence (default: the user's "
    "termbase, as for `untm align`; on a cluster it must be at this path on every worker).",
    dest="termbase",
)
@click.option("--no-termbase", is_flag=True, help="No termbase evidence.")
@click.option(
    "--long-merges/--no-long-merges",
    default=True,
    show_default=True,
    help="Also look for 1-4, 4-1, 2-3 and 3-2 beads.",
)
@scorer_option(
    "As for `untm align`: neural also asks the optional sentence encoder about the beads the "
    "cpu search leaves in doubt (pip install 'untm[neural]', on every worker)."
)
@click.option(
    "--workers",
    type=click.IntRange(1, 512),
    default=None,
    help="Local worker processes (default: the number of cores). Ignored with --scheduler.",
)
@click.option("--scheduler", metavar="ADDRESS", help="An existing Dask scheduler, e.g. tcp://host:8786.")
@click.option("--resume", is_flag=True, help="Skip documents whose TMX an earlier run completed.")
@click.option(
    "--merge",
    "merge_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write one de-duplicated TMX of all documents here.",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress display.")
def align_batch(
    source: Path,
    outdir: Path,
    langs: tuple[str, ...],
    source_lang: str | None,
    presegmented: bool,
    termbase: Path | None,
    no_termbase: bool,
    long_merges: bool,
    scorer: str,
    workers: int | None,
    scheduler: str | None,
    resume: bool,
    merge_path: Path | None,
    quiet: bool,
) -> None:
    """Align a whole collection of documents, on this machine or a Dask cluster.

    SOURCE is a folder with one sub-folder per document (A_72_565/ru.pdf, A_72_565/zh.docx,
    A_72_565/en.html…), a CSV/TSV manifest with columns doc_id, lang, path, or a folder of
    files named as the UN names them (A_72_565-RU.pdf, A_72_565_C.pdf). Each document is
    aligned as `untm align` aligns it and written to OUTDIR/<doc_id>.tmx; a document that
    fails is reported in OUTDIR/report.json and report.html and skipped.

    \b
    Examples:
      untm align-batch session72/ -o tm/ -l ru -l zh -l en --source ru --merge all.tmx
      untm align-batch docs.csv -o tm/ --scheduler tcp://scheduler.example:8786 --resume
    """
    from termbase.store import default_path as default_termbase
    from untm import batch

    codes = tuple(language(code).code for code in langs)
    if len(set(codes)) != len(codes):
        raise UsageError(f"each language may be given once (got {', '.join(codes)})")
    pivot = language(source_lang).code if source_lang else None
    if pivot and codes and pivot not in codes:
        raise UsageError(f"--source {source_lang} is not among the --lang values ({', '.join(codes)})")
    if scorer != "cpu":
        from aligner.scorers.neural import require_extra

        require_extra()
    specs, failed_early = batch.discover(source)
    if not specs and not failed_early:
        raise UsageError(f"{source}: no documents found (see `untm align-batch --help` for the layouts)")
    settings = batch.Settings(
        langs=codes,
        source=pivot,
        presegmented=presegmented,
        use_termbase=not no_termbase,
        termbase=None if no_termbase else str(termbase or default_termbase()),
        long_merges=long_merges,
        scorer=scorer,
    )
    outdir.mkdir(parents=True, exist_ok=True)
    if scheduler:
        client = batch.remote_client(scheduler)
    else:
        client = batch.local_client(workers or batch.default_workers())
    bar = Progress(total=len(specs), unit="doc", show=wanted(quiet))

    def done(report: Any) -> None:
        bar.note(f"{report.doc_id} {report.status}")
        bar.update()

    try:
        result = batch.run_batch(specs, outdir, settings, client=client, resume=resume, progress=done)
    finally:
        bar.close()
        cluster = getattr(client, "cluster", None)
        client.close()
        if cluster is not None and not scheduler:
            cluster.close()
    batch.write_reports(outdir, result, failed_early, settings)
    for report in (*result.reports, *failed_early):
        if report.status == "failed":
            click.echo(f"untm: warning: {report.doc_id}: {report.error}", err=True)
        for note in report.notes:
            click.echo(f"untm: note: {report.doc_id}: {note}", err=True)
    if merge_path is not None:
        written, duplicates = batch.merge_outputs(outdir, result.reports, merge_path)
        click.echo(f"merged {written} units ({duplicates} duplicates left out) -> {merge_path}", err=True)
    ok = sum(r.status == "ok" for r in result.reports)
    skipped = sum(r.status == "skipped" for r in result.reports)
    failed = result.failed + len(failed_early)
    sentences = sum(sum(r.sentences.values()) for r in result.reports if r.status == "ok")
    click.echo(
        f"{ok} documents aligned, {skipped} skipped, {failed} failed; {sentences:,} sentences "
        f"in {result.seconds:.1f} s on {result.workers} workers -> {outdir / batch.REPORT_JSON}",
        err=True,
    )
    if ok + skipped == 0:
        sys.exit(1)
