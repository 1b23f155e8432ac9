"""``untm align`` and ``untm align-eval``: a thin layer over ``aligner.align`` and
``aligner.evaluate``. The output file's extension picks the format; everything is written
atomically, so bad input never leaves a partial file behind."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import click

from aligner.align import AlignConfig, Side, align_sides, default_scorers, document_side
from aligner.beads import Bead
from aligner.dp import DEFAULT_MOVES, LITERARY_MOVES
from aligner.evaluate import Link, format_align, score_paths
from uncore.atomic import atomic_output
from uncore.errors import InputError, UsageError
from uncore.lang import dominant_script, language, script_matches
from untm.output import emit, render_rows

OUTPUT_FORMATS = (".tmx", ".tsv", ".json", ".align")


def read_presegmented(path: Path, lang: str) -> Side:
    """One sentence per line; blank lines separate paragraphs (then alignment is hierarchical).
    Sentence numbers count non-blank lines, 0-based."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(f"cannot read: {error.strerror or error}", path=path) from error
    if b"\x00" in data[:65536]:
        raise InputError("not a text file (contains NUL bytes)", path=path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError("not UTF-8 text", path=path, line=data[: error.start].count(b"\n") + 1) from error
    sentences: list[str] = []
    paragraphs: list[int] = []
    para, blank_seen = 0, False
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            blank_seen = True
            continue
        if blank_seen and sentences:
            para += 1
        blank_seen = False
        sentences.append(stripped)
        paragraphs.append(para)
    has_paragraphs = para > 0
    return Side(language(lang).code, tuple(sentences), tuple(paragraphs) if has_paragraphs else None)


def termbase_scorer():  # type: ignore[no-untyped-def]
    """The bundled UN termbase's concepts as alignment evidence (None if unavailable)."""
    try:
        from aligner.scorers.lexical import TermbaseScorer
        from termbase.store import bundled_concepts

        return TermbaseScorer(tuple(bundled_concepts()), revision="bundled")
    except ImportError:
        return None


def default_config(use_termbase: bool = True, long_merges: bool = True,
                   embeddings: Path | None = None) -> AlignConfig:
    """What ``untm align`` uses: anchors, CC-CEDICT, cognates and the bundled termbase;
    ``long_merges`` (the default) also allows 1-4, 4-1, 2-3 and 3-2 beads: free translation needs
    them, and on UN documents they cost at most 0.0007 strict F1 (docs/bench-align.md)."""
    scorers = list(default_scorers())
    if use_termbase:
        extra = termbase_scorer()
        if extra is not None:
            scorers.append(extra)
    if embeddings is not None:
        from aligner.scorers.embedding import EmbeddingScorer, SentenceTransformerEncoder

        scorers.append(EmbeddingScorer(SentenceTransformerEncoder(embeddings)))
    return AlignConfig(scorers=tuple(scorers), moves=LITERARY_MOVES if long_merges else DEFAULT_MOVES)


def _join(texts: Sequence[str], lang: str) -> str:
    return language(lang).joiner.join(texts)


def _texts(bead: Bead, sides: Sequence[Side]) -> dict[str, str]:
    return {s.lang: _join([s.sentences[i] for i in bead.get(s.lang)], s.lang) for s in sides}


def write_output(path: Path, beads: Sequence[Bead], sides: Sequence[Side], source: str,
                 signature: str) -> None:
    suffix = path.suffix.lower()
    if suffix == ".align":
        if len(sides) != 2:
            raise UsageError(".align output is bilingual: give exactly two files")
        first, second = sides[0].lang, sides[1].lang
        links: list[Link] = [(bead.get(first), bead.get(second)) for bead in beads]
        emit(format_align(links), path)
    elif suffix == ".json":
        data = {
            "signature": signature, "source": source, "languages": [s.lang for s in sides],
            "beads": [{"score": round(b.score, 4), "flagged": b.flagged,
                       "indices": {lang: list(idx) for lang, idx in b.indices.items()},
                       "text": {k: v for k, v in _texts(b, sides).items() if v}} for b in beads],
        }
        emit(json.dumps(data, ensure_ascii=False, indent=1) + "\n", path)
    elif suffix == ".tsv":
        rows = [{"score": f"{b.score:.3f}", "flagged": "1" if b.flagged else "0", **_texts(b, sides)}
                for b in beads]
        emit(render_rows(rows, "tsv", ["score", "flagged", *[s.lang for s in sides]]), path)
    elif suffix == ".tmx":
        from tmx.units import TranslationUnit
        from tmx.writer import TmxWriter

        props = [("x-untm-aligner", signature)]
        left_out = 0
        with TmxWriter(path, srclang=source, props=props) as writer:
            for number, b in enumerate(beads, 1):
                texts = {lang: text for lang, text in _texts(b, sides).items() if text}
                if len(texts) < 2:  # an omission has no translation to remember
                    left_out += 1
                    continue
                unit_props = [("x-untm-score", f"{b.score:.3f}")]
                if b.flagged:
                    unit_props.append(("x-untm-flagged", "yes"))
                unit = TranslationUnit.from_texts(texts, tuid=str(number), props=unit_props)
                if source not in texts:  # TMX 1.4b: a <tu> may name its own source language
                    unit = replace(unit, srclang=next(iter(texts)))
                writer.write(unit)
        if left_out:
            click.echo(f"{left_out} beads with a single language (omissions) left out of the TMX; "
                       "use .tsv or .json to see them", err=True)
    else:
        raise UsageError(f"unknown output format {suffix or '(none)'!r}: "
                         f"use one of {', '.join(OUTPUT_FORMATS)}")


def _warn_unequal(sides: Sequence[Side], files: Sequence[Path]) -> None:
    """Warn when a version is far longer or shorter than the first one allows for (in the
    first language's characters, through the estimated length ratio): probably not the same
    document, or a truncated file."""
    from aligner.scorers.length import LengthModel, text_length

    base = sum(text_length(s) for s in sides[0].sentences)
    for side, path in zip(sides[1:], files[1:], strict=True):
        expected = base * LengthModel.for_pair(sides[0].lang, side.lang).c
        found = sum(text_length(s) for s in side.sentences)
        if expected > 0 and not 1 / 3 <= found / expected <= 3:
            click.echo(f"untm: warning: {path}: {found:,} characters where about {expected:,.0f} were "
                       f"expected from {files[0]}; are these versions of the same document?", err=True)


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--lang", "-l", "langs", multiple=True, required=True,
              help="Language of each FILE, in the same order (repeat: --lang ru --lang zh --lang en).")
@click.option("--source", help="Original language, the pivot every other language is aligned to "
              "(default: the first --lang).")
@click.option("--presegmented", is_flag=True,
              help="Files hold one sentence per line (blank lines separate paragraphs).")
@click.option("--no-termbase", is_flag=True, help="Do not use the bundled UN termbase as evidence.")
@click.option("--embeddings", type=click.Path(file_okay=False, path_type=Path),
              help="Also score with a sentence-transformers model in this local folder (e.g. LaBSE); "
              "needs the sentence-transformers package; nothing is downloaded.")
@click.option("--long-merges/--no-long-merges", default=True, show_default=True,
              help="Also look for 1-4, 4-1, 2-3 and 3-2 beads (free translation); "
                   "--no-long-merges keeps to 1-1, 1-0, 0-1, 1-2, 2-1, 2-2, 1-3, 3-1 and is faster.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Output file; its extension picks the format: .tmx, .tsv, .json or .align.")
def align(files: tuple[Path, ...], langs: tuple[str, ...], source: str | None, presegmented: bool,
          no_termbase: bool, embeddings: Path | None, long_merges: bool, output: Path) -> None:
    """Align two or more language versions of a document into translation units.

    Paragraphs are aligned first, then sentences inside aligned paragraphs; merges (1-2, 2-1,
    2-2, 1-3…) are found and omissions or page furniture are left unpaired. With three or more
    languages every unit holds the same content in each language. Each unit has a confidence
    score; low-confidence units and omissions are flagged for review.

    \b
    Examples:
      untm align A-72-565.ru.pdf A-72-565.zh.pdf A-72-565.en.pdf -l ru -l zh -l en -o a72.tmx
      untm align zh.txt en.txt -l zh -l en --presegmented -o zh-en.align
    """
    if len(files) < 2:
        raise UsageError("give at least two files (one per language)")
    if len(langs) != len(files):
        raise UsageError(f"give one --lang per file: {len(files)} files but {len(langs)} --lang")
    if output.suffix.lower() not in OUTPUT_FORMATS:
        raise UsageError(f"unknown output format {output.suffix or '(none)'!r}: "
                         f"use one of {', '.join(OUTPUT_FORMATS)}")
    if output.suffix.lower() == ".align" and len(files) != 2:
        raise UsageError(".align output is bilingual: give exactly two files")
    codes = [language(code).code for code in langs]
    if len(set(codes)) != len(codes):
        raise UsageError(f"each language may be given once (got {', '.join(codes)})")
    sides = []
    for path, code in zip(files, codes, strict=True):
        if not path.exists():
            raise InputError("no such file", path=path)
        if presegmented:
            side = read_presegmented(path, code)
        else:
            from aligner.read import read_document

            side = document_side(read_document(path, code))
        if not side.sentences:
            raise InputError("no text to align (empty file)", path=path)
        sample = " ".join(side.sentences[:200])
        if not script_matches(code, sample):
            click.echo(f"untm: warning: {path}: text is mostly in {dominant_script(sample)} script, "
                       f"which does not match --lang {code}", err=True)
        sides.append(side)
    _warn_unequal(sides, files)
    pivot = language(source).code if source else codes[0]
    if pivot not in codes:
        raise UsageError(f"--source {source} is not among the --lang values ({', '.join(codes)})")
    config = default_config(use_termbase=not no_termbase, long_merges=long_merges, embeddings=embeddings)
    beads = align_sides(sides, pivot=pivot, config=config)
    write_output(output, beads, sides, pivot, config.signature())
    flagged = sum(b.flagged for b in beads)
    click.echo(f"{len(beads)} beads ({flagged} flagged for review) -> {output}", err=True)


@click.command("align-eval")
@click.option("--gold", required=True, type=click.Path(exists=True, path_type=Path),
              help="Gold alignment (.align file, or a directory of them).")
@click.option("--pred", required=True, type=click.Path(exists=True, path_type=Path),
              help="Predicted alignment (.align file, or a directory with the same file names).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "tsv"]), default="table",
              show_default=True, help="Output format.")
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
        {"metric": "strict", "precision": f"{s.strict_p:.4f}", "recall": f"{s.strict_r:.4f}",
         "f1": f"{s.strict_f1:.4f}"},
        {"metric": "lax", "precision": f"{s.lax_p:.4f}", "recall": f"{s.lax_r:.4f}", "f1": f"{s.lax_f1:.4f}"},
    ]
    click.echo(render_rows(rows, fmt), nl=False)


__all__ = ["align", "align_eval", "atomic_output"]
