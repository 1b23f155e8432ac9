"""Strict/lax F1 on ../shared/data/unpc-align-dev through the pipeline ``untm align`` runs,
on a fixed split by document: a tuning half and a test half.

    .venv/bin/python benchmarks/align_unpc.py [--docs N] [--runs NAME,...] [--gale-church] [--no-termbase]
        [--scorer cpu|neural-regions] [--half tuning|test|both]

Every run writes the documents as ``untm align --presegmented`` reads them (one sentence per
line) into a temporary folder and goes through ``untm.pipeline.read_sides`` and
``untm.pipeline.align`` with ``default_config(scorer=...)`` — the code the CLI runs, checks
included; with an encoder, each document gets a fresh embedding cache, as one ``untm align``
call does, and the table below the scores counts the texts sent to the encoder:

* ``three-way, paragraphs``: ``{lang}.txt`` with a blank line between the paragraphs of
  ``{lang}.para.txt`` — the path real documents take (every reader's output has paragraphs);
  pivot ru, each pair read off the multi-way beads and scored against ``gold.{a-b}.align``;
* ``three-way, flat``: ``{lang}.txt`` as it is (no paragraph level);
* ``pairwise, paragraphs`` / ``pairwise, flat``: two files only, scored against the pair's own
  beads, ``gold.pairwise.{a-b}.align`` (a merge in the third language does not join two of the
  pair's sentences there);
* ``--gale-church``: NLTK's Gale–Church on the flat pair, our length parameters (a peer).

Sentences/s counts every sentence of every input file of a run (three per document three-way,
two pairwise) over the wall time of the pipeline call, reading included. ``--half tuning``
runs only the tuning half's documents (the split is ``half`` below, fixed).
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from align_common import gale_church_links, table

from aligner.align import AlignConfig, Side
from aligner.evaluate import Link, read_align, score
from aligner.scorers.embedding import EmbeddingCache, EmbeddingScorer
from untm import pipeline
from untm.pipeline import default_config

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "unpc-align-dev"
PAIRS = (("zh", "en"), ("ru", "en"), ("ru", "zh"))
THREE = ("ru", "zh", "en")  # file order of the three-way runs; ru is the pivot (--source ru)


def half(doc: Path) -> str:
    """The fixed split by document: even numbers tune, odd numbers test. Decisions about the
    aligner are taken on the tuning half only; the test half is the figure to report."""
    return "tuning" if int(doc.name[3:]) % 2 == 0 else "test"


def load(doc: Path, lang: str) -> Side:
    return Side(lang, tuple((doc / f"{lang}.txt").read_text(encoding="utf-8").splitlines()))


def paragraph_numbers(doc: Path, lang: str) -> tuple[int, ...]:
    """The ``{lang}.para.txt`` paragraph of each line of ``{lang}.txt``."""
    sentences = load(doc, lang).sentences
    text = (doc / f"{lang}.para.txt").read_text(encoding="utf-8")
    numbers: list[int] = []
    k = 0
    for number, para in enumerate(p for p in text.split("\n\n") if p.strip()):
        rest = para.strip()
        while rest and k < len(sentences) and rest.startswith(sentences[k]):
            rest = rest[len(sentences[k]) :].lstrip()
            numbers.append(number)
            k += 1
    if k != len(sentences):
        raise SystemExit(f"{doc}: {lang}.para.txt does not match {lang}.txt")
    return tuple(numbers)


def load_paragraphs(doc: Path, lang: str) -> Side:
    """``{lang}.txt`` sentences numbered by the ``{lang}.para.txt`` paragraph they are in."""
    return Side(lang, load(doc, lang).sentences, paragraph_numbers(doc, lang))


def presegmented_text(doc: Path, lang: str, paragraphs: bool) -> str:
    """What a user gives ``untm align --presegmented``: a sentence per line, and with
    ``paragraphs`` a blank line where a paragraph ends."""
    side = load(doc, lang)
    if not paragraphs:
        return "\n".join(side.sentences) + "\n"
    numbers = paragraph_numbers(doc, lang)
    lines: list[str] = []
    for i, sentence in enumerate(side.sentences):
        if i and numbers[i] != numbers[i - 1]:
            lines.append("")
        lines.append(sentence)
    return "\n".join(lines) + "\n"


@dataclass
class Run:
    """One system's scored documents and its time, for a table row per half and pair."""

    pairs: dict[tuple[str, str, str], list[tuple[list[Link], list[Link]]]]
    seconds: float = 0.0
    sentences: int = 0
    encoded: int = 0  # texts sent to the encoder (0 without one)


def fresh_cache(config: AlignConfig) -> tuple[AlignConfig, list[EmbeddingCache]]:
    """``config`` with a new embedding cache for each embedding scorer (one ``untm align`` call
    builds its configuration, and so its cache, for one document), and those caches."""
    scorers, caches = [], []
    for scorer in config.scorers:
        if isinstance(scorer, EmbeddingScorer):
            scorer = dataclasses.replace(scorer, cache=EmbeddingCache())
            caches.append(scorer.cache)
        scorers.append(scorer)
    return dataclasses.replace(config, scorers=tuple(scorers)), caches


def run_pipeline(
    docs: list[Path], langs: tuple[str, ...], paragraphs: bool, config: AlignConfig, work: Path
) -> Run:
    """Align each document's ``langs`` through the CLI's pipeline; score the three-way run
    (pivot ru) against ``gold.{a-b}``, a pairwise run against ``gold.pairwise.{a-b}``."""
    run = Run({})
    for doc in docs:
        paths = []
        for lang in langs:
            path = work / f"{doc.name}.{lang}.{'para' if paragraphs else 'flat'}.txt"
            if not path.exists():
                path.write_text(presegmented_text(doc, lang, paragraphs), encoding="utf-8")
            paths.append(path)
        mine, caches = fresh_cache(config)
        start = time.perf_counter()
        read = pipeline.read_sides(paths, list(langs), source=langs[0], presegmented=True)
        result = pipeline.align(read, mine)
        run.seconds += time.perf_counter() - start
        run.sentences += sum(len(s.sentences) for s in read.sides)
        run.encoded += sum(c.encoded for c in caches)
        for src, tgt in PAIRS:
            if src not in langs or tgt not in langs:
                continue
            gold = f"gold.{src}-{tgt}.align" if len(langs) > 2 else f"gold.pairwise.{src}-{tgt}.align"
            links = [(b.get(src), b.get(tgt)) for b in result.beads if b.get(src) or b.get(tgt)]
            run.pairs.setdefault((half(doc), src, tgt), []).append((read_align(doc / gold), links))
    return run


def run_gale_church(docs: list[Path]) -> Run:
    run = Run({})
    for doc in docs:
        for src, tgt in PAIRS:
            s, t = load(doc, src), load(doc, tgt)
            start = time.perf_counter()
            links = gale_church_links(s.sentences, t.sentences, src, tgt)
            run.seconds += time.perf_counter() - start
            run.sentences += len(s.sentences) + len(t.sentences)
            gold = read_align(doc / f"gold.pairwise.{src}-{tgt}.align")
            run.pairs.setdefault((half(doc), src, tgt), []).append((gold, links))
    return run


def systems(config: AlignConfig, work: Path) -> dict[str, Callable[[list[Path]], list[Run]]]:
    """Every run by name; a pairwise system runs once per pair."""

    def pairwise(paragraphs: bool) -> Callable[[list[Path]], list[Run]]:
        return lambda docs: [run_pipeline(docs, pair, paragraphs, config, work) for pair in PAIRS]

    return {
        "three-way, paragraphs": lambda docs: [run_pipeline(docs, THREE, True, config, work)],
        "three-way, flat": lambda docs: [run_pipeline(docs, THREE, False, config, work)],
        "pairwise, paragraphs": pairwise(True),
        "pairwise, flat": pairwise(False),
        "NLTK Gale-Church (our length params)": lambda docs: [run_gale_church(docs)],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=50, help="the first N documents (both halves)")
    parser.add_argument(
        "--runs", default="", help="runs by number, e.g. 1,3 (1-4: untm, in table order; 5: Gale-Church)"
    )
    parser.add_argument("--gale-church", action="store_true", help="add NLTK's Gale-Church")
    parser.add_argument("--no-termbase", action="store_true")
    parser.add_argument(
        "--scorer", choices=("cpu", "neural-regions"), default="cpu", help="as untm align --scorer"
    )
    parser.add_argument(
        "--half", choices=("tuning", "test", "both"), default="both", help="run one half's documents only"
    )
    args = parser.parse_args()
    config = default_config(use_termbase=not args.no_termbase, scorer=args.scorer)
    docs = sorted(p for p in DATA.iterdir() if p.is_dir())[: args.docs]
    docs = [d for d in docs if args.half in ("both", half(d))]
    rows: dict[str, list] = {"tuning": [], "test": []}
    speeds = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        chosen = systems(config, work)
        names = [n for n in chosen if not n.startswith("NLTK")] + (
            ["NLTK Gale-Church (our length params)"] if args.gale_church else []
        )
        if args.runs:
            names = [list(chosen)[int(k) - 1] for k in args.runs.split(",")]
        run_pipeline(docs[:1], ("zh", "en"), False, config, work)  # warm-up: dictionary, jieba
        for name in names:
            runs = chosen[name](docs)
            seconds = sum(r.seconds for r in runs)
            sentences = sum(r.sentences for r in runs)
            speeds.append((name, sentences, seconds, sum(r.encoded for r in runs)))
            for run in runs:
                for (part, src, tgt), scored in sorted(run.pairs.items()):
                    rows[part].append((f"{src}-{tgt}", name, score(scored), sentences / seconds))
    for part in ("tuning", "test"):
        if args.half not in ("both", part):
            continue
        count = sum(half(d) == part for d in docs)
        parity = "even" if part == "tuning" else "odd"
        title = f"unpc-align-dev, {part} half ({count} documents, {parity} numbers)"
        order = [f"{a}-{b}" for a, b in PAIRS]
        print(table(sorted(rows[part], key=lambda r: (names.index(r[1]), order.index(r[0]))), title))
    print("| run | sentences | seconds | sentences/s | texts encoded |\n|---|---|---|---|---|")
    for name, sentences, seconds, encoded in speeds:
        print(f"| {name} | {sentences:,} | {seconds:.1f} | {sentences / seconds:,.0f} | {encoded:,} |")
    print(f"\nconfig: {config.signature()}")


if __name__ == "__main__":
    main()
