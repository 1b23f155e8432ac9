"""``untm align`` and ``untm align-eval``: a thin layer over ``aligner.align`` and
``aligner.evaluate``. The output file's extension picks the format; everything is written
atomically, so bad input never leaves a partial file behind."""

from __future__ import annotations

from pathlib import Path

import click

from aligner.evaluate import score_paths
from untm import pipeline
from untm.inputs import InputPath
from untm.options import scorer_option, termbase_option
from untm.output import render_rows
from untm.progress import progress

PROGRESS_FROM = 1000  # sentences: below this an alignment takes about a second, no bar


@click.command()
@click.argument("files", nargs=-1, required=True, type=InputPath(exists=False))
@click.option(
    "--lang",
    "-l",
    "langs",
    multiple=True,
    required=True,
    help="Language of each FILE, in the same order (repeat: --lang ru --lang zh --lang en).",
)
@click.option(
    "--source",
    help="Original language, the pivot every other language is aligned to (default: the first --lang).",
)
@click.option(
    "--presegmented", is_flag=True, help="Files hold one sentence per line (blank lines separate paragraphs)."
)
@termbase_option(
    "Termbase whose concepts are alignment evidence (default: the user's termbase, "
    "created from the bundled UN termbase on first use; the one `untm qa` uses).",
)
@click.option("--no-termbase", is_flag=True, help="Do not use a termbase as evidence.")
@click.option(
    "--embeddings",
    type=click.Path(file_okay=False, path_type=Path),
    help="Also score with a sentence-transformers model in this local folder (e.g. LaBSE); "
    "needs the sentence-transformers package; nothing is downloaded.",
)
@scorer_option(
    "cpu: lengths, numbers, dictionary, termbase (no model). neural: also a multilingual "
    "sentence encoder around the beads the cpu search leaves in doubt (UN documents: 1.3-1.8x "
    "cpu's time), and on every sentence when those hold more than 13% of the text (literary or "
    "free translation: much slower). neural-regions / neural-all: only the first / only the "
    "second way. The neural scorers need pip install 'untm[neural]' (docs/neural.md)."
)
@click.option(
    "--long-merges/--no-long-merges",
    default=True,
    show_default=True,
    help="Also look for 1-4, 4-1, 2-3 and 3-2 beads (free translation); "
    "--no-long-merges keeps to 1-1, 1-0, 0-1, 1-2, 2-1, 2-2, 1-3, 3-1 and is faster.",
)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Output file; its extension picks the format: .tmx, .tsv, .json or .align.",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress bar on a terminal.")
def align(
    files: tuple[Path, ...],
    langs: tuple[str, ...],
    source: str | None,
    presegmented: bool,
    termbase_path: Path | None,
    no_termbase: bool,
    embeddings: Path | None,
    scorer: str,
    long_merges: bool,
    output: Path,
    quiet: bool,
) -> None:
    """Align two or more language versions of a document into translation units.

    Paragraphs are aligned first, then sentences inside aligned paragraphs; merges (1-2, 2-1,
    2-2, 1-3…) are found and omissions or page furniture are left unpaired. With three or more
    languages every unit holds the same content in each language. Each unit has a confidence
    score; low-confidence units and omissions are flagged for review.

    Russian with English or Chinese alone is matched through a general English-Russian
    dictionary where the system has one (Debian/Ubuntu: apt install mueller7-dict; or
    UNTM_RU_DICTIONARY=FILE); without it, through cognates only.

    \b
    Examples:
      untm align A-72-565.ru.pdf A-72-565.zh.pdf A-72-565.en.pdf -l ru -l zh -l en -o a72.tmx
      untm align zh.txt en.txt -l zh -l en --presegmented -o zh-en.align
      untm align novel.zh.txt novel.en.txt -l zh -l en --presegmented --scorer neural -o n.align
    """
    pipeline.check_output(output, len(files))
    read = pipeline.read_sides(files, langs, source=source, presegmented=presegmented)
    for warning in read.warnings:
        click.echo(f"untm: warning: {warning}", err=True)
    concepts, revision = (None, "") if no_termbase else pipeline.open_termbase_concepts(termbase_path)
    config = pipeline.default_config(
        use_termbase=not no_termbase,
        long_merges=long_merges,
        embeddings=embeddings,
        scorer=scorer,
        concepts=concepts,
        revision=revision,
    )
    for note in (
        pipeline.flat_input_note(read, presegmented, config),
        pipeline.missing_dictionary_note(read, config),
    ):
        if note:
            click.echo(f"untm: note: {note}", err=True)
    small = sum(len(side.sentences) for side in read.sides) < PROGRESS_FROM
    with progress(total=pipeline.align_work(read), unit="sent", desc="aligning", quiet=quiet or small) as bar:
        result = pipeline.align(read, config, progress=bar.update, restart=bar.restart)
    for note in result.notes:
        click.echo(f"untm: note: {note}", err=True)
    left_out = pipeline.write_alignment(output, result)
    if left_out:
        click.echo(
            f"{left_out} beads without every language (omissions) left out of the TMX; "
            "use .tsv or .json to see them",
            err=True,
        )
    click.echo(f"{len(result.beads)} beads ({result.flagged} flagged for review) -> {output}", err=True)


@click.command("align-eval")
@click.option(
    "--gold",
    required=True,
    type=click.Path(exists=True, path_type=Path),
    help="Gold alignment (.align file, or a directory of them).",
)
@click.option(
    "--pred",
    required=True,
    type=click.Path(exists=True, path_type=Path),
    help="Predicted alignment (.align file, or a directory with the same file names).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "tsv"]),
    default="table",
    show_default=True,
    help="Output format.",
)
def align_eval(gold: Path, pred: Path, fmt: str) -> None:
    """Strict and lax precision, recall and F1 of an alignment against gold.

    Scored as Vecalign and Bertalign do: precision over every predicted bead (1-0 and 0-1
    included), recall over gold beads with sentences on both sides; counts summed over all
    files before dividing.

    \b
    Example:
      untm align-eval --gold gold/ --pred pred/
    """
    s = score_paths(gold, pred)
    rows = [
        # numbers stay numbers (JSON), rounded as the table shows them
        {
            "metric": "strict",
            "precision": round(s.strict_p, 4),
            "recall": round(s.strict_r, 4),
            "f1": round(s.strict_f1, 4),
        },
        {
            "metric": "lax",
            "precision": round(s.lax_p, 4),
            "recall": round(s.lax_r, 4),
            "f1": round(s.lax_f1, 4),
        },
    ]
    if fmt != "json":  # the table and TSV show four decimals
        rows = [{k: f"{v:.4f}" if isinstance(v, float) else v for k, v in row.items()} for row in rows]
    click.echo(render_rows(rows, fmt), nl=False)


__all__ = ["align", "align_eval"]
