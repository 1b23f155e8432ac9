"""Strict/lax F1 on ../shared/data/unpc-align-dev through the pipeline ``untm align`` runs,
on a fixed split by document: a tuning half and a test half.

    .venv/bin/python benchmarks/align_unpc.py [--docs N] [--runs NAME,...] [--gale-church] [--no-termbase]
        [--scorer cpu|neural|neural-regions|neural-all] [--half tuning|test|both] [--rule margin=3,context=0]
        [--set WEIGHT=VALUE ...]
    .venv/bin/python benchmarks/align_unpc.py --weak-report
    .venv/bin/python benchmarks/align_unpc.py --scorer neural-regions --half tuning --per-document

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

The configuration is ``untm align``'s on this machine, printed below the tables: where the
system has Müller's English–Russian dictionary (Debian's ``mueller7-dict``) the pairwise runs
with Russian use it (``aligner.scorers.russian``); ``UNTM_RU_DICTIONARY=none`` measures them
without it.

Sentences/s counts every sentence of every input file of a run (three per document three-way,
two pairwise) over the wall time of the pipeline call, reading included. ``--half tuning``
runs only the tuning half's documents (the split is ``half`` below, fixed). With an encoder,
its model is loaded before the runs (``untm align`` loads it on the first text it encodes) and
the time it took is printed below the table.

``--weak-report`` aligns the tuning half with ``cpu`` and scores no run: for every candidate
rule of ``WEAK_RULES`` it prints the share of the progressive joins' sentences that the rule's
windows would send to the encoder, and how many of the cpu path's strict errors lie wholly
inside them (the errors the encoder could reach): how ``RegionRule`` was chosen
(docs/neural.md). ``--rule`` changes ``RegionRule`` fields for a run; ``--per-document`` lists
the documents that ``--scorer neural-regions`` scores better and worse than ``cpu``.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np
from align_common import gale_church_links, table, with_weights

from aligner.align import AlignConfig, RegionRule, Side, Weakness
from aligner.evaluate import Link, count, read_align, score
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
    everywhere: int = 0  # documents ``--scorer neural`` aligned again with the encoder everywhere


def fresh_cache(config: AlignConfig) -> tuple[AlignConfig, list[EmbeddingCache]]:
    """``config`` with a new embedding cache for each embedding scorer (one ``untm align`` call
    builds its configuration, and so its cache, for one document: ``pipeline.fresh_run``), and
    those caches."""
    mine = pipeline.fresh_run(config)
    return mine, [s.cache for s in mine.scorers if isinstance(s, EmbeddingScorer)]


def document_inputs(doc: Path, langs: tuple[str, ...], paragraphs: bool, work: Path) -> list[Path]:
    """The presegmented text of each of ``doc``'s ``langs`` (blank lines between paragraphs, or
    none), written once into ``work``: the files the CLI would be given."""
    paths = []
    for lang in langs:
        path = work / f"{doc.name}.{lang}.{'para' if paragraphs else 'flat'}.txt"
        if not path.exists():
            path.write_text(presegmented_text(doc, lang, paragraphs), encoding="utf-8")
        paths.append(path)
    return paths


def scored_pairs(doc: Path, langs: tuple[str, ...], beads: Any) -> Iterator[tuple[str, str, Any, list[Any]]]:
    """(src, tgt, gold links, run's links) for each pair of ``langs``: a three-way run is scored
    against ``gold.{a-b}``, a pairwise run against ``gold.pairwise.{a-b}``."""
    for src, tgt in PAIRS:
        if src not in langs or tgt not in langs:
            continue
        gold = f"gold.{src}-{tgt}.align" if len(langs) > 2 else f"gold.pairwise.{src}-{tgt}.align"
        links = [(b.get(src), b.get(tgt)) for b in beads if b.get(src) or b.get(tgt)]
        yield src, tgt, read_align(doc / gold), links


def run_pipeline(
    docs: list[Path], langs: tuple[str, ...], paragraphs: bool, config: AlignConfig, work: Path
) -> Run:
    """Align each document's ``langs`` through the CLI's pipeline; score the three-way run
    (pivot ru) against ``gold.{a-b}``, a pairwise run against ``gold.pairwise.{a-b}``."""
    run = Run({})
    for doc in docs:
        paths = document_inputs(doc, langs, paragraphs, work)
        mine, caches = fresh_cache(config)
        start = time.perf_counter()
        read = pipeline.read_sides(paths, list(langs), source=langs[0], presegmented=True)
        result = pipeline.align(read, mine)
        run.seconds += time.perf_counter() - start
        run.sentences += sum(len(s.sentences) for s in read.sides)
        run.encoded += sum(c.encoded for c in caches)
        run.everywhere += bool(result.notes)
        for src, tgt, gold, links in scored_pairs(doc, langs, result.beads):
            run.pairs.setdefault((half(doc), src, tgt), []).append((gold, links))
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


@dataclass
class Join:
    """One progressive join of a run, as ``AlignConfig.observe_joins`` reports it."""

    units: list[dict[str, tuple[int, ...]]]
    lang: str
    weakness: Weakness

    def sentences(self, a: int, b: int) -> set[tuple[str, int]]:
        """The sentences of steps ``a .. b-1``: their units' in every language, and the joining
        language's."""
        out: set[tuple[str, int]] = set()
        for step in self.weakness.steps[a:b]:
            out.update(
                (k, i) for u in range(step.i0, step.i1) for k, idx in self.units[u].items() for i in idx
            )
            out.update((self.lang, j) for j in range(step.j0, step.j1))
        return out


def old_rule(w: Weakness) -> np.ndarray:
    """The weak beads of the first ``RegionRule``: a non-furniture omission or a two-sided bead
    with a confidence below 0.5 (one bead of context)."""
    return (w.omission & ~w.furniture) | (~w.omission & (w.confidence < 0.5))


#: Candidate rules for the weak beads, judged on the cpu beads alone (``--weak-report``).
WEAK_RULES: dict[str, Callable[[Weakness], np.ndarray] | tuple[Callable[[Weakness], np.ndarray], int]] = {
    "until now: omission (not furniture) or confidence < 0.5": lambda w: old_rule(w),
    **{
        f"omission (not furniture) or confidence < {c:g}": (
            lambda w, c=c: (w.omission & ~w.furniture) | (~w.omission & (w.confidence < c))
        )
        for c in (0.2, 0.05)
    },
    "omission (not furniture)": lambda w: w.omission & ~w.furniture,
    **{
        f"confidence < {c:g}, both sides": (lambda w, c=c: ~w.omission & (w.confidence < c))
        for c in (0.5, 0.2)
    },
    "changed by the second pass": lambda w: w.changed & ~w.furniture,
    **{
        f"margin < {m:g}": (lambda w, m=m: (w.margin < m) & ~w.furniture)
        for m in (0.25, 0.5, 1.0, 2.0, 3.0, 4.0, 6.0, 8.0)
    },
    **{
        f"margin < {m:g}, no context": (lambda w, m=m: (w.margin < m) & ~w.furniture, 0)
        for m in (1.0, 2.0, 3.0, 4.0, 6.0)
    },
    **{
        f"margin < {m:g} and (omission or confidence < 0.5)": (lambda w, m=m: (w.margin < m) & old_rule(w))
        for m in (1.0, 2.0, 4.0, 8.0)
    },
}


def link_errors(gold: list[Link], links: list[Link]) -> list[set[tuple[int, int]]]:
    """The strict errors of one pair, each as its sentences (side 0 or 1, index): a predicted
    link that is not gold, and a gold link with both sides that was not predicted."""
    norm = {(tuple(a), tuple(b)) for a, b in links}
    want = {(tuple(a), tuple(b)) for a, b in gold}
    wrong = [x for x in norm if x not in want] + [x for x in want if x[0] and x[1] and x not in norm]
    return [{(0, i) for i in a} | {(1, j) for j in b} for a, b in wrong]


def weak_report(docs: list[Path], work: Path, use_termbase: bool) -> None:
    """For each run type of the tuning half: the cpu beads' strict errors against gold, and for
    each candidate rule of ``WEAK_RULES`` (one step of context either side, as ``RegionRule``)
    the share of the joins' sentences its windows hold and the errors whose every sentence
    lies in a window (the errors the encoder could reach)."""
    base = default_config(use_termbase=use_termbase, scorer="cpu")
    runs = {
        "three-way, paragraphs": (THREE, True),
        "three-way, flat": (THREE, False),
        **{f"pairwise, paragraphs {a}-{b}": ((a, b), True) for a, b in PAIRS},
        **{f"pairwise, flat {a}-{b}": ((a, b), False) for a, b in PAIRS},
    }
    totals = {name: [0, 0, 0] for name in WEAK_RULES}  # slots flagged, errors reached, (unused)
    all_slots = all_errors = 0
    lines = []
    for run_name, (langs, paragraphs) in runs.items():
        slots = errors = 0
        flagged = dict.fromkeys(WEAK_RULES, 0)
        reached = dict.fromkeys(WEAK_RULES, 0)
        for doc in docs:
            joins: list[Join] = []
            config = dataclasses.replace(
                base,
                observe_joins=lambda units, lang, w, joins=joins: joins.append(Join(list(units), lang, w)),
            )
            paths = document_inputs(doc, langs, paragraphs, work)
            read = pipeline.read_sides(paths, list(langs), source=langs[0], presegmented=True)
            result = pipeline.align(read, config)
            found: list[set[tuple[str, int]]] = []
            for src, tgt, gold, links in scored_pairs(doc, langs, result.beads):
                for error in link_errors(gold, links):
                    found.append({((src, tgt)[side], i) for side, i in error})
            errors += len(found)
            slots += sum(len(j.sentences(0, len(j.weakness.steps))) for j in joins)
            for name, rule in WEAK_RULES.items():
                weak, context = rule if isinstance(rule, tuple) else (rule, 1)
                inside: set[tuple[str, int]] = set()
                for join in joins:
                    for a, b in RegionRule.around(weak(join.weakness), context):
                        part = join.sentences(a, b)
                        flagged[name] += len(part)
                        inside |= part
                reached[name] += sum(error <= inside for error in found)
        all_slots += slots
        all_errors += errors
        for name in WEAK_RULES:
            totals[name][0] += flagged[name]
            totals[name][1] += reached[name]
        lines.append((run_name, slots, errors, flagged, reached))
    print(f"weak-bead rules on the cpu beads, tuning half ({len(docs)} documents)")
    print("(one step of context either side unless said)\n")
    print("| rule | sentences in windows (all runs) | errors reached (all runs) |")
    print("|---|---|---|")
    for name, (flag, reach, _) in totals.items():
        print(
            f"| {name} | {flag / all_slots:.1%} | {reach} / {all_errors} ({reach / max(all_errors, 1):.0%}) |"
        )
    print("\nper run: sentences in windows / errors reached\n")
    print("| rule | " + " | ".join(name for name, *_ in lines) + " |")
    print("|---|" + "---|" * len(lines))
    for name in WEAK_RULES:
        cells = [f"{f[name] / sl:.1%} / {r[name]} of {e}" for _, sl, e, f, r in lines]
        print(f"| {name} | " + " | ".join(cells) + " |")


def per_document(docs: list[Path], config: AlignConfig, cpu: AlignConfig, work: Path) -> None:
    """For each untm run type: the documents where ``config`` scores a pair better than ``cpu``
    (strict F1) and those where it scores one worse, so a gain is seen to come from more than
    one document."""
    print("| run | documents better (pairs) | documents worse (pairs) |\n|---|---|---|")
    for name, run in systems(config, work).items():
        if name.startswith("NLTK"):
            continue
        baseline = systems(cpu, work)[name]
        better: dict[str, int] = {}
        worse: dict[str, int] = {}
        for doc in docs:
            for a, b in zip(baseline([doc]), run([doc]), strict=True):
                for key, scored in b.pairs.items():
                    diff = score(scored).strict_f1 - score(a.pairs[key]).strict_f1
                    if diff:
                        side = better if diff > 0 else worse
                        side[doc.name] = side.get(doc.name, 0) + 1
        cells = [", ".join(f"{d} ({n})" for d, n in sorted(x.items())) or "none" for x in (better, worse)]
        print(f"| {name} | {len(better)}: {cells[0]} | {len(worse)}: {cells[1]} |")


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


def bootstrap(
    scored: list[tuple[list[Link], list[Link]]], resamples: int, seed: int = 0
) -> tuple[float, float, float]:
    """Strict F1 over ``resamples`` draws of as many documents, with replacement: its 5th and
    95th percentiles and the share of draws under 0.99. What another set of the same size and
    construction (the held-out documents) may show, if the errors fall by document as here."""
    counts = [count(gold, links) for gold, links in scored]
    arr = np.array([(c.pred, c.pred_strict, c.gold, c.gold_strict) for c in counts], dtype=np.float64)
    draws = np.random.default_rng(seed).integers(0, len(arr), size=(resamples, len(arr)))
    pred, pred_strict, gold, gold_strict = arr[draws].sum(axis=1).T
    p, r = pred_strict / np.maximum(pred, 1), gold_strict / np.maximum(gold, 1)
    f1 = np.where(p + r > 0, 2 * p * r / np.maximum(p + r, 1e-12), 0.0)
    low, high = np.percentile(f1, [5, 95])
    return float(low), float(high), float(np.mean(f1 < 0.99))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=50, help="the first N documents (both halves)")
    parser.add_argument(
        "--runs", default="", help="runs by number, e.g. 1,3 (1-4: untm, in table order; 5: Gale-Church)"
    )
    parser.add_argument("--gale-church", action="store_true", help="add NLTK's Gale-Church")
    parser.add_argument("--no-termbase", action="store_true")
    parser.add_argument(
        "--scorer",
        choices=pipeline.SCORERS,
        default="cpu",
        help="as untm align --scorer",
    )
    parser.add_argument(
        "--half", choices=("tuning", "test", "both"), default="both", help="run one half's documents only"
    )
    parser.add_argument(
        "--weak-report",
        action="store_true",
        help="no alignment scores: which cpu beads each candidate weak-bead rule marks (tuning half)",
    )
    parser.add_argument(
        "--rule",
        default="",
        help="with --scorer neural-regions, RegionRule fields to change, e.g. margin=4,context=1",
    )
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="WEIGHT=VALUE",
        help="override a field of aligner.scorers.combine.Weights (A/B runs on the tuning half)",
    )
    parser.add_argument(
        "--per-document",
        action="store_true",
        help="with --scorer neural-regions: the documents it scores better and worse than cpu",
    )
    parser.add_argument(
        "--bootstrap",
        type=int,
        default=0,
        metavar="N",
        help="also N resamples of each half's documents: a 90 %% interval of each strict F1",
    )
    args = parser.parse_args()
    if args.bootstrap < 0:
        parser.error(f"--bootstrap: {args.bootstrap} is not a number of resamples (0: none)")
    config = with_weights(default_config(use_termbase=not args.no_termbase, scorer=args.scorer), args.set)
    if args.rule and config.regions is not None:
        fields = {f.name: f.type for f in dataclasses.fields(config.regions)}
        changes = {
            k: (int(v) if fields[k] == "int" else float(v))
            for k, v in (x.split("=") for x in args.rule.split(","))
        }
        config = dataclasses.replace(config, regions=dataclasses.replace(config.regions, **changes))
    docs = sorted(p for p in DATA.iterdir() if p.is_dir())[: args.docs]
    if args.weak_report:
        with tempfile.TemporaryDirectory() as tmp:
            weak_report([d for d in docs if half(d) == "tuning"], Path(tmp), not args.no_termbase)
        return
    docs = [d for d in docs if args.half in ("both", half(d))]
    if args.per_document:
        with tempfile.TemporaryDirectory() as tmp:
            cpu = default_config(use_termbase=not args.no_termbase, scorer="cpu")
            per_document(docs, config, cpu, Path(tmp))
        return
    rows: dict[str, list] = {"tuning": [], "test": []}
    spread: dict[str, list] = {"tuning": [], "test": []}
    speeds = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        chosen = systems(config, work)
        names = [n for n in chosen if not n.startswith("NLTK")] + (
            ["NLTK Gale-Church (our length params)"] if args.gale_church else []
        )
        if args.runs:
            names = [list(chosen)[int(k) - 1] for k in args.runs.split(",")]
        start = time.perf_counter()
        for scorer in config.scorers:  # the encoder loads its model on its first text
            if isinstance(scorer, EmbeddingScorer):
                scorer.encoder.encode(["warm-up"])
        load = time.perf_counter() - start
        run_pipeline(docs[:1], ("zh", "en"), False, config, work)  # warm-up: dictionary, jieba
        for name in names:
            runs = chosen[name](docs)
            seconds = sum(r.seconds for r in runs)
            sentences = sum(r.sentences for r in runs)
            speeds.append(
                (name, sentences, seconds, sum(r.encoded for r in runs), sum(r.everywhere for r in runs))
            )
            for run in runs:
                for (part, src, tgt), scored in sorted(run.pairs.items()):
                    scores = score(scored)
                    rows[part].append((f"{src}-{tgt}", name, scores, sentences / seconds))
                    if args.bootstrap:
                        spread[part].append((f"{src}-{tgt}", name, scores, bootstrap(scored, args.bootstrap)))
    for part in ("tuning", "test"):
        if args.half not in ("both", part):
            continue
        in_half = sum(half(d) == part for d in docs)
        parity = "even" if part == "tuning" else "odd"
        title = f"unpc-align-dev, {part} half ({in_half} documents, {parity} numbers)"
        order = [f"{a}-{b}" for a, b in PAIRS]
        print(table(sorted(rows[part], key=lambda r: (names.index(r[1]), order.index(r[0]))), title))
        if args.bootstrap:
            print(f"{title}: {args.bootstrap:,} resamples of its documents")
            print("| pair | system | strict F1 | 90 % of resamples | resamples < 0.99 |")
            print("|---|---|---|---|---|")
            for pair, name, scores, (low, high, under) in sorted(
                spread[part], key=lambda r: (names.index(r[1]), order.index(r[0]))
            ):
                print(f"| {pair} | {name} | {scores.strict_f1:.4f} | {low:.4f}-{high:.4f} | {under:.0%} |")
            print()
    print(
        "| run | sentences | seconds | sentences/s | texts encoded | documents aligned again everywhere |"
        "\n|---|---|---|---|---|---|"
    )
    for name, sentences, seconds, encoded, again in speeds:
        print(
            f"| {name} | {sentences:,} | {seconds:.1f} | {sentences / seconds:,.0f} | {encoded:,} | {again} |"
        )
    if any(isinstance(s, EmbeddingScorer) for s in config.scorers):
        print(f"\nencoder's model loaded in {load:.1f} s, before the runs (untm align: on its first text)")
    print(f"\nconfig: {config.signature()}")


if __name__ == "__main__":
    main()
