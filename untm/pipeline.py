"""The application's pipeline: read → align → units → write, in one place.

The click commands, the web page, the batch runner, tests and benchmarks all call these
functions, so that the figure a benchmark prints is the figure of the path a user's command
takes. Nothing here prints: warnings are returned for the caller to show.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from uncore.errors import InputError, UsageError
from uncore.lang import dominant_script, language, script_matches

if TYPE_CHECKING:
    from aligner.align import AlignConfig, Side
    from aligner.beads import Bead
    from tmx.units import TranslationUnit

OUTPUT_FORMATS = (".tmx", ".tsv", ".json", ".align")


# --- reading ---------------------------------------------------------------------------------


def presegmented_side(text: str, lang: str) -> Side:
    """One sentence per line; blank lines separate paragraphs (a bead then seldom crosses one).
    Sentence numbers count non-blank lines, 0-based. Control characters XML cannot carry are
    layout here (``uncore.xmlchars.layout_to_text``)."""
    from aligner.align import Side
    from uncore.xmlchars import layout_to_text

    text = layout_to_text(text)
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
    return Side(language(lang).code, tuple(sentences), tuple(paragraphs) if para > 0 else None)


def read_side(path: Path, lang: str, *, presegmented: bool = False) -> Side:
    """Any input (PDF, PDF text, DOCX, HTML, plain or presegmented text, UTF-8 or UTF-16) as
    one language's side of an alignment."""
    code = language(lang).code
    if not path.exists():
        raise InputError("no such file", path=path)
    if path.is_dir():
        raise InputError("is a directory, not a document", path=path)
    if presegmented and _is_text(path):
        from aligner.read import read_text_file

        try:
            return presegmented_side(read_text_file(path), code)
        except OSError as error:
            raise InputError(f"cannot read: {error.strerror or error}", path=path) from error
    from aligner.align import document_side
    from aligner.read import read_document

    return document_side(read_document(path, code))


def _is_text(path: Path) -> bool:
    """``--presegmented`` is about text files: a PDF, DOCX or HTML file among them is still read
    by its own reader (by its magic bytes, as ``read_document`` does)."""
    from aligner.read import detect_format

    try:
        with path.open("rb") as handle:
            head = handle.read(2048)
    except OSError as error:
        raise InputError(f"cannot read: {error.strerror or error}", path=path) from error
    return detect_format(path, head) == "text"


@dataclass(frozen=True)
class Sides:
    """The sides of one document, their files, and what a user should be told about them."""

    sides: tuple[Side, ...]
    paths: tuple[Path, ...]
    pivot: str
    warnings: tuple[str, ...] = ()


def read_sides(
    paths: Sequence[Path], langs: Sequence[str], *, source: str | None = None, presegmented: bool = False
) -> Sides:
    """Read one file per language, checking what ``untm align`` checks: one language per file,
    each language once, no empty file, the script matches the language, the lengths agree."""
    if len(paths) < 2:
        raise UsageError("give at least two files (one per language)")
    if len(langs) != len(paths):
        raise UsageError(f"give one --lang per file: {len(paths)} files but {len(langs)} --lang")
    codes = [language(code).code for code in langs]
    if len(set(codes)) != len(codes):
        raise UsageError(f"each language may be given once (got {', '.join(codes)})")
    pivot = language(source).code if source else codes[0]
    if pivot not in codes:
        raise UsageError(f"--source {source} is not among the --lang values ({', '.join(codes)})")
    sides: list[Side] = []
    warnings: list[str] = []
    for path, code in zip(paths, codes, strict=True):
        side = read_side(path, code, presegmented=presegmented)
        if not side.sentences:
            raise InputError("no text to align (empty file)", path=path)
        sample = " ".join(side.sentences[:50])[:1000]  # enough letters to tell a script, cheaply
        if not script_matches(code, sample):
            warnings.append(
                f"{path}: text is mostly in {dominant_script(sample)} script, "
                f"which does not match --lang {code}"
            )
        sides.append(side)
    warnings.extend(unequal_lengths(sides, paths))
    return Sides(tuple(sides), tuple(paths), pivot, tuple(warnings))


def unequal_lengths(sides: Sequence[Side], paths: Sequence[Path]) -> Iterator[str]:
    """Versions far longer or shorter than the first one allows for (in the first language's
    characters, through the estimated length ratio): probably not the same document, or a
    truncated file."""
    from aligner.scorers.length import LengthModel, text_length

    base = sum(text_length(s) for s in sides[0].sentences)
    for side, path in zip(sides[1:], paths[1:], strict=True):
        expected = base * LengthModel.for_pair(sides[0].lang, side.lang).c
        found = sum(text_length(s) for s in side.sentences)
        if expected > 0 and not 1 / 3 <= found / expected <= 3:
            yield (
                f"{path}: {found:,} characters where about {expected:,.0f} were "
                f"expected from {paths[0]}; are these versions of the same document?"
            )


# --- the production preset ---------------------------------------------------------------------


def termbase_scorer(concepts: Iterable[Any] | None = None, revision: str = "bundled") -> Any:
    """Termbase concepts as alignment evidence: the given ones (a user's termbase), else the
    bundled UN termbase; None when the termbase library is not installed."""
    try:
        from aligner.scorers.lexical import TermbaseScorer
        from termbase.store import bundled_concepts
    except ImportError:
        return None
    # the UN system's names (Security Council, 安全理事会…) occur in a large share of UN sentences
    # in every language: as alignment evidence they pulled merges apart (unpc-align-dev
    # three-way ru-zh 0.9925 -> 0.9917), so they are left out of it (the user's own concepts
    # and the States stay); lookup and QA use the whole termbase
    chosen = [c for c in (bundled_concepts() if concepts is None else concepts) if not _un_system(c)]
    return TermbaseScorer(tuple(chosen), revision=revision)


def _un_system(concept: Any) -> bool:
    return "un-system.tsv" in (concept.source or "")


def open_termbase_concepts(path: Path | str | None) -> tuple[tuple[Any, ...], str]:
    """The concepts of the user's termbase (``None``: ``$UNTM_TERMBASE`` or the default one,
    seeded from the bundled termbase) and its revision, for alignment evidence."""
    from termbase.store import Termbase

    termbase = Termbase.open(path)
    try:
        concepts = tuple(termbase)
        revision = f"rev{termbase.revision},{len(concepts)}"
    finally:
        termbase.close()
    return concepts, revision


#: ``--scorer`` of ``untm align`` and ``untm align-batch`` (``default_config``)
SCORERS = ("cpu", "neural", "neural-regions", "neural-all")


def default_config(
    use_termbase: bool = True,
    long_merges: bool = True,
    embeddings: Path | None = None,
    *,
    concepts: Iterable[Any] | None = None,
    revision: str = "bundled",
    scorer: str = "cpu",
) -> AlignConfig:
    """What ``untm align`` uses: anchors, CC-CEDICT, cognates, the system's Russian dictionary
    where there is one (``aligner.scorers.russian``, read on first use, two-language runs only)
    and the termbase (``concepts``, else the bundled one); ``long_merges`` (the default) also
    allows 1-4, 4-1, 2-3 and 3-2 beads: free translation needs them, and on UN documents they
    cost at most 0.0007 strict F1 (docs/bench-align.md). ``scorer``: ``cpu`` (no model);
    with the ``neural`` extra's encoder, ``neural-regions`` (only the sentences of the regions
    the cpu beads leave in doubt are embedded: UN documents), ``neural-all`` (every sentence:
    literary and free translation) or ``neural`` (the regions, and every sentence when they
    hold more than ``LITERARY_DOUBT`` of the text: the one choice for both); docs/neural.md."""
    from aligner.align import LITERARY_DOUBT, AlignConfig, RegionRule
    from aligner.dp import DEFAULT_MOVES, LITERARY_MOVES
    from aligner.scorers.combine import Weights

    scorers = list(evidence_scorers())
    if use_termbase:
        extra = termbase_scorer(concepts, revision)
        if extra is not None:
            scorers.append(extra)
    weights = Weights()
    if embeddings is not None:
        from aligner.scorers.embedding import EmbeddingScorer, SentenceTransformerEncoder

        scorers.append(EmbeddingScorer(SentenceTransformerEncoder(embeddings)))
    if scorer != "cpu":
        from aligner.scorers.neural import NEURAL_WEIGHTS, neural_scorer

        scorers.append(neural_scorer(regions=scorer != "neural-all"))
        weights = NEURAL_WEIGHTS
    regions = {
        "neural": RegionRule(everywhere_above=LITERARY_DOUBT),
        "neural-regions": RegionRule(),
    }.get(scorer)
    return AlignConfig(
        scorers=tuple(scorers),
        moves=LITERARY_MOVES if long_merges else DEFAULT_MOVES,
        weights=weights,
        regions=regions,
    )


def fresh_run(config: AlignConfig) -> AlignConfig:
    """``config`` for one more document: a new embedding cache for each embedding scorer (the
    encoder and its model are shared). ``untm align`` builds its configuration per call; a
    batch worker keeps one per settings, and one cache for all its documents would grow
    without need (a document's texts rarely recur in the next)."""
    from aligner.scorers.embedding import EmbeddingCache, EmbeddingScorer

    if not any(isinstance(s, EmbeddingScorer) for s in config.scorers):
        return config
    scorers = tuple(
        replace(s, cache=EmbeddingCache()) if isinstance(s, EmbeddingScorer) else s for s in config.scorers
    )
    return replace(config, scorers=scorers)


def evidence_scorers() -> tuple[Any, ...]:
    """The evidence ``untm align`` aligns on (``default_config`` adds the termbase and an
    encoder) and cuts beads into parts on (``aligner.parts``): the aligner's default scorers
    and, where the system has it, the Russian dictionary. In parts, a Russian sentence joined
    by the translator is then cut where its words meet the other languages' sentences: on the
    joined UN sentences of ``benchmarks/align_parts.py``, Russian two-sentence joins cut right
    98 → 121 of 182, three-sentence 3 → 10 of 23, no wrong cut added."""
    from aligner.align import default_scorers
    from aligner.scorers.russian import russian_dictionary_scorer

    russian = russian_dictionary_scorer()
    return default_scorers() + ((russian,) if russian is not None else ())


def parts_signature() -> str:
    """``x-untm-parts`` in a TMX header: the cutting settings and the scorers they use."""
    from aligner.parts import SplitSettings

    return f"{SplitSettings().signature()} scorers={'+'.join(s.signature() for s in evidence_scorers())}"


#: presegmented texts at least this long without a blank line are documents that lost their
#: paragraphs (a short list of sentences has none to lose)
FLAT_NOTE_FROM = 30


def flat_input_note(read: Sides, presegmented: bool, config: AlignConfig | None = None) -> str | None:
    """What a user giving whole documents as bare sentence lists should know: paragraphs keep
    beads from crossing them. On unpc-align-dev's test half, pairwise ru-zh is 0.9895 flat
    against 0.9956 with paragraphs, and resampled sets of as many documents fall under 0.99 in
    54 % of draws flat, none with paragraphs (docs/benchmarks.md, eighteenth session); where
    paragraphs cannot be had, ``--scorer neural`` takes it to 0.9928 (said unless ``config``
    already has an encoder). None when a file has paragraphs or the texts are short."""
    from aligner.scorers.embedding import EmbeddingScorer

    if not presegmented or any(side.paragraphs is not None for side in read.sides):
        return None
    if min(len(side.sentences) for side in read.sides) < FLAT_NOTE_FROM:
        return None
    return (
        "no blank line between paragraphs in any file, so beads may cross paragraph ends: a blank "
        "line where each paragraph ends (or the documents themselves: DOCX, PDF, HTML) aligns "
        "more reliably"
        + (
            ""
            if config is not None and any(isinstance(s, EmbeddingScorer) for s in config.scorers)
            else "; without them, --scorer neural re-checks the beads left in doubt"
        )
    )


def missing_dictionary_note(read: Sides, config: AlignConfig) -> str | None:
    """What a user aligning Russian with English or Chinese alone should know when the system
    has no Russian dictionary (``aligner.scorers.russian``): on unpc-align-dev's test half it
    takes pairwise ru-en 0.9917 → 0.9958 and ru-zh 0.9843 → 0.9895 (flat) and flags fewer
    right units. None when the dictionary is there, the user turned it off, or the run does not
    use it."""
    from aligner.scorers.russian import ENV, RussianDictionaryScorer

    langs = [side.lang for side in read.sides]
    if len(langs) != 2 or not RussianDictionaryScorer().applies(*langs) or os.environ.get(ENV):
        return None
    if any(isinstance(s, RussianDictionaryScorer) for s in config.scorers):
        return None
    return (
        "no Russian dictionary on this system: Russian words meet the other language through "
        "cognates only (Debian/Ubuntu: apt install mueller7-dict; or "
        f"{ENV}=FILE; {ENV}=none hides this note)"
    )


@dataclass(frozen=True)
class Alignment:
    """A document's sides, their beads and the settings that made them."""

    sides: tuple[Side, ...]
    beads: tuple[Bead, ...]
    pivot: str
    signature: str
    warnings: tuple[str, ...] = field(default=())
    notes: tuple[str, ...] = field(default=())  # how the aligner went about it, for stderr

    @property
    def flagged(self) -> int:
        return sum(b.flagged for b in self.beads)


def align_work(read: Sides, config: AlignConfig | None = None) -> int:
    """How many blocks of sentences the aligner will report done for ``read`` (a progress bar's
    total): the pivot's sentences once per trial of the progressive join (k(k-1)/2 for k
    languages, with or without paragraphs); once per other language in the pivot mode."""
    pivot = next((side for side in read.sides if side.lang == read.pivot), None)
    n = len(pivot.sentences) if pivot else 0
    k = len(read.sides)
    if config is not None and config.multiway == "pivot":
        return n * (k - 1)
    return n * (k * (k - 1) // 2)


def align(
    read: Sides,
    config: AlignConfig | None = None,
    progress: Callable[[int], None] | None = None,
    restart: Callable[[], None] | None = None,
) -> Alignment:
    """Align the sides read by ``read_sides`` with ``config`` (default: ``default_config()``);
    ``progress`` is told how much of ``align_work(read)`` each finished block covered, and
    ``restart`` that the work starts again (``--scorer neural`` on a text the cpu evidence
    leaves much in doubt: aligned again with the encoder on every sentence, said in a note)."""
    from aligner.align import align_sides, everywhere

    config = config or default_config()
    again: list[float] = []

    def aligned_again(share: float) -> None:
        again.append(share)
        if restart is not None:
            restart()

    config = replace(config, on_everywhere=aligned_again)
    if progress is not None:
        config = replace(config, progress=progress)
    beads = align_sides(read.sides, pivot=read.pivot, config=config)
    notes: tuple[str, ...] = ()
    if again:
        config = everywhere(config)
        notes = (
            f"the cpu evidence left {again[0]:.0%} of the sentences in doubt (literary or free "
            "translation?): aligned with the encoder on every sentence (as --scorer neural-all)",
        )
    return Alignment(read.sides, tuple(beads), read.pivot, config.signature(), read.warnings, notes)


# --- beads → units → files ---------------------------------------------------------------------


def bead_texts(bead: Bead, sides: Sequence[Side]) -> dict[str, str]:
    """Each language's text of a bead (its sentences joined as the language joins them)."""
    return {s.lang: language(s.lang).joiner.join(s.sentences[i] for i in bead.get(s.lang)) for s in sides}


def beads_to_units(
    beads: Iterable[Bead],
    sides: Sequence[Side],
    source: str,
    *,
    skip_single: bool = True,
    labels_apart: bool = False,
    skip_partial: bool = False,
    parts: bool = False,
) -> Iterator[TranslationUnit]:
    """Translation units of the beads, numbered from 1 in bead order (the number is the tuid),
    with the score and review flag as props. With ``skip_single`` a bead with one language only
    (an omission: nothing to remember) yields no unit, but still takes its number; with
    ``skip_partial`` (TMX) neither does a bead that lacks any of the aligned languages. A CAT
    tool fills a segment from whatever language a unit has when the project's target is
    missing: OmegaT put the Russian "Генеральная Ассамблея," into a Chinese translation of the
    UDHR's "The General Assembly" from a ru+en unit of a three-way alignment.

    With ``labels_apart`` (TMX) a paragraph label (``12.``, ``(a)``, ``第一条``) leaves the text
    for the variant's ``x-untm-label`` prop: a CAT tool segments it apart, and the sentence must
    match in the next document, whatever number it has there. The labels of a bead not flagged
    for review make a unit of their own (``x-untm-kind`` = ``label``; each mapping once), so the
    label segment is filled too (``(a)`` → ``a)`` in Russian). A flagged bead's labels make one
    too when every language writes the same label (``143.`` / ``143.`` / ``143.``): that mapping
    holds whether or not the sentences were paired right.

    With ``parts`` (TMX) a bead whose languages have different sentence counts (two English
    sentences, one Chinese) is also written as its parts, when ``aligner.parts.split_bead``
    finds where the joined sentence divides (``x-untm-kind`` = ``part``): a CAT tool that
    segments by sentence looks each sentence up alone. A bead flagged for review is not cut."""
    from tmx.units import TranslationUnit

    scorers = evidence_scorers() if parts else ()  # once, not per bead cut
    seen_labels: set[tuple[tuple[str, str], ...]] = set()
    for number, bead in enumerate(beads, 1):
        texts = {lang: text for lang, text in bead_texts(bead, sides).items() if text}
        if not texts or (skip_single and len(texts) < 2) or (skip_partial and len(texts) < len(sides)):
            continue
        props = [("x-untm-score", f"{bead.score:.3f}"), ("x-untm-flagged", "yes" if bead.flagged else "no")]
        labels = _labels(texts) if labels_apart else {}
        if labels:
            mapping = tuple(labels.items())
            # with a language missing, only a label written the same in all (87. / 87.) is safe
            # for a CAT tool to fill from whichever language it finds
            complete = len(labels) > 1 and (
                not skip_partial or len(labels) == len(sides) or len(set(labels.values())) == 1
            )
            if complete and (not bead.flagged or _same_label(texts)) and mapping not in seen_labels:
                seen_labels.add(mapping)
                yield _unit(
                    TranslationUnit.from_texts(
                        labels, tuid=f"{number}-label", props=[("x-untm-kind", "label"), *props]
                    ),
                    source,
                )
            unit = _labelled_unit(texts, labels, tuid=str(number), props=props)
        else:
            unit = TranslationUnit.from_texts(texts, tuid=str(number), props=props)
        yield _unit(unit, source)
        if parts:
            yield from _part_units(bead, sides, source, number, props, labels_apart, scorers)


def _part_units(
    bead: Bead,
    sides: Sequence[Side],
    source: str,
    number: int,
    props: list[tuple[str, str]],
    labels_apart: bool,
    scorers: Sequence[Any],
) -> Iterator[TranslationUnit]:
    from aligner.parts import split_bead
    from aligner.read.furniture import split_label
    from tmx.units import TranslationUnit

    if bead.flagged:  # a bead a reviser should look at first is not cut into smaller claims
        return
    sentences = {}
    for side in sides:
        found = [side.sentences[i] for i in bead.get(side.lang)]
        if found and labels_apart:  # the label is a unit of its own (see beads_to_units)
            found[0] = split_label(found[0])[1]
        if found:
            sentences[side.lang] = found
    if len({len(found) for found in sentences.values()}) < 2:
        return
    for j, texts in enumerate(split_bead(sentences, scorers), 1):
        part = TranslationUnit.from_texts(
            texts, tuid=f"{number}-part{j}", props=[("x-untm-kind", "part"), *props]
        )
        yield _unit(part, source)


def _unit(unit: TranslationUnit, source: str) -> TranslationUnit:
    if unit.text(source) is None:  # TMX 1.4b: a <tu> may name its own source language
        return replace(unit, srclang=unit.variants[0].lang)
    return unit


def _labels(texts: dict[str, str]) -> dict[str, str]:
    """Each language's leading paragraph label, for the texts that have one."""
    from aligner.read.furniture import split_label

    found = {}
    for lang, text in texts.items():
        label, _ = split_label(text)
        if label is not None:
            found[lang] = label
    return found


def _same_label(texts: dict[str, str]) -> bool:
    """Every text starts with a label and the labels agree once normalised (``(a)`` = ``a)``)."""
    from aligner.scorers.combine import label_key

    keys = {label_key(text) for text in texts.values()}
    return len(keys) == 1 and bool(next(iter(keys)))


def _labelled_unit(
    texts: dict[str, str], labels: dict[str, str], *, tuid: str, props: list[tuple[str, str]]
) -> TranslationUnit:
    from aligner.read.furniture import split_label
    from tmx.units import TranslationUnit, Variant

    variants = []
    for lang, text in texts.items():
        if lang in labels:
            variants.append(Variant(lang, split_label(text)[1], props=(("x-untm-label", labels[lang]),)))
        else:
            variants.append(Variant(lang, text))
    return TranslationUnit(tuple(variants), tuid=tuid, props=tuple(props))


def write_alignment(
    path: Path | str, result: Alignment, *, extra_props: Sequence[tuple[str, str]] = ()
) -> int:
    """Write ``result`` to ``path`` in the format its extension names (``-``: standard output,
    not for .tmx), atomically. Returns the number of single-language beads left out (TMX)."""
    from untm.output import emit

    target = Path(path) if str(path) != "-" else None
    suffix = (Path(path).suffix.lower() if target else ".tsv") if str(path) != "-" else ".tsv"
    sides, beads, source = result.sides, result.beads, result.pivot
    if suffix == ".align":
        from aligner.evaluate import format_align

        if len(sides) != 2:
            raise UsageError(".align output is bilingual: give exactly two files")
        first, second = sides[0].lang, sides[1].lang
        emit(format_align([(b.get(first), b.get(second)) for b in beads]), target)
    elif suffix == ".json":
        data = {
            "signature": result.signature,
            "source": source,
            "languages": [s.lang for s in sides],
            "beads": [
                {
                    "score": round(b.score, 4),
                    "flagged": b.flagged,
                    "indices": {lang: list(idx) for lang, idx in b.indices.items()},
                    "text": {k: v for k, v in bead_texts(b, sides).items() if v},
                }
                for b in beads
            ],
        }
        emit(json.dumps(data, ensure_ascii=False, indent=1) + "\n", target)
    elif suffix == ".tsv":
        # the table format `tm import`, `tmx convert` and `qa` read back (tmx.formats.table),
        # omissions included (one language filled)
        from tmx.formats.table import tsv_lines

        units = beads_to_units(beads, sides, source, skip_single=False)
        emit("".join(tsv_lines(units, [s.lang for s in sides])), target)
    elif suffix == ".tmx":
        from tmx.writer import TmxWriter

        if target is None:
            raise UsageError("TMX output needs a file name (-o FILE.tmx)")
        written = 0
        header = [("x-untm-aligner", result.signature), ("x-untm-parts", parts_signature())]
        with TmxWriter(target, srclang=source, props=[*header, *extra_props]) as writer:
            for unit in beads_to_units(
                beads, sides, source, labels_apart=True, skip_partial=True, parts=True
            ):
                writer.write(unit)
                written += unit.prop("x-untm-kind") is None  # a bead's own unit, not a label or part
        return len(beads) - written
    else:
        raise UsageError(
            f"unknown output format {suffix or '(none)'!r}: use one of {', '.join(OUTPUT_FORMATS)}"
        )
    return 0


def check_output(path: Path | str, n_inputs: int) -> None:
    """Refuse an output name before any work is done."""
    if str(path) == "-":
        return
    suffix = Path(path).suffix.lower()
    if suffix not in OUTPUT_FORMATS:
        raise UsageError(
            f"unknown output format {suffix or '(none)'!r}: use one of {', '.join(OUTPUT_FORMATS)}"
        )
    if suffix == ".align" and n_inputs != 2:
        raise UsageError(".align output is bilingual: give exactly two files")
