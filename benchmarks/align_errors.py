"""Error analysis on ../shared/data/unpc-align-dev: every wrong region (predicted beads that
are not gold and the gold beads they overlap), with the texts, and a count per error class.

    .venv/bin/python benchmarks/align_errors.py [--half tuning|test|all] [--pair ru-zh] [--flat]
                                                [--docs A:B] [--quiet]

The run is the one ``benchmarks/align_unpc.py`` scores, through ``untm.pipeline``: by default
three-way (pivot ru) with paragraphs against the multi-way gold (``gold.tuples.tsv``); with
``--pair`` the pair alone against its own gold (``gold.pairwise.*``); ``--flat`` drops the
paragraphs. Look at the tuning half (the default): the test half is for reporting.

Classes ("all languages" = the languages of the run):

* A: a bead present in only some languages (the others dropped it) glued into a neighbour;
* B: a dropped sentence placed on the wrong side, or the wrong sentence left unpaired;
* C: a gold bead with all its languages split (a sentence left unpaired, a merge missed);
* D: every bead in all languages, merge boundaries wrong.

Each region is also marked when it holds a heading (``aligner.scorers.combine.is_heading``)
and when a gold bead in it pairs sentences more than 3 standard deviations apart in length
(a sentence translated only in part: the generator merged it in one language next to a drop).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from align_common import with_weights
from align_unpc import DATA, half, load, presegmented_text

from aligner.evaluate import read_align
from aligner.read.furniture import furniture_kind
from aligner.scorers.combine import is_heading
from aligner.scorers.length import LengthModel, text_length
from untm import pipeline
from untm.pipeline import default_config

LANGS = ("zh", "ru", "en")  # column order of gold.tuples.tsv
Sentence = tuple[str, int]
Region = frozenset[Sentence]


def gold_beads(doc: Path, pair: tuple[str, str] | None = None) -> list[Region]:
    """The multi-way gold, or with ``pair`` the pair's own gold."""
    if pair is not None:
        src, tgt = pair
        return [
            frozenset([(src, i) for i in s] + [(tgt, j) for j in t])
            for s, t in read_align(doc / f"gold.pairwise.{src}-{tgt}.align")
        ]
    out = []
    for line in (doc / "gold.tuples.tsv").read_text(encoding="utf-8").splitlines():
        out.append(
            frozenset(
                (lang, int(i))
                for lang, column in zip(LANGS, line.split("\t"), strict=True)
                for i in column.split(",")
                if i
            )
        )
    return out


def regions(gold: list[Region], pred: list[Region]) -> list[tuple[list[Region], list[Region]]]:
    """Connected groups of wrong predicted and missed gold beads (linked by shared sentences)."""
    wrong = [("p", b) for b in pred if b not in set(gold)] + [("g", b) for b in gold if b not in set(pred)]
    parent = list(range(len(wrong)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    owner: dict[Sentence, int] = {}
    for n, (_, bead) in enumerate(wrong):
        for s in bead:
            if s in owner:
                parent[find(n)] = find(owner[s])
            else:
                owner[s] = n
    groups: dict[int, list[tuple[str, Region]]] = {}
    for n, item in enumerate(wrong):
        groups.setdefault(find(n), []).append(item)
    return [([b for t, b in g if t == "g"], [b for t, b in g if t == "p"]) for g in groups.values()]


def langs(bead: Region) -> set[str]:
    return {lang for lang, _ in bead}


def error_class(gold: list[Region], pred: list[Region], k: int) -> str:
    """The class of a wrong region of a run over ``k`` languages (module docstring)."""
    partial_gold = (
        [b for b in gold if 1 < len(langs(b)) < k] if k > 2 else [b for b in gold if len(langs(b)) < k]
    )
    partial_pred = [b for b in pred if len(langs(b)) < k]
    if partial_gold and not partial_pred and all(any(b < q for q in pred) for b in partial_gold):
        return "A partial bead glued into a neighbour"
    if partial_gold and partial_pred:
        return "B drop on the wrong side / wrong sentence unpaired"
    if not partial_gold and partial_pred:
        return "C full bead split"
    return "D merge boundary"


def mismatched(bead: Region, texts: dict[str, tuple[str, ...]]) -> bool:
    present = sorted(langs(bead))
    for x, a in enumerate(present):
        for b in present[x + 1 :]:
            model = LengthModel.for_pair(a, b)
            ls = sum(text_length(texts[a][i]) for lang, i in bead if lang == a)
            lt = sum(text_length(texts[b][i]) for lang, i in bead if lang == b)
            scale = max((ls + lt / model.c) / 2, 1.0)
            if abs(lt - model.c * ls) / np.sqrt(model.s2 * scale) > 3:
                return True
    return False


def show(bead: Region) -> str:
    return " ".join(f"{lang}{sorted(i for g, i in bead if g == lang)}" for lang in LANGS)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--half", default="tuning", choices=("tuning", "test", "all"))
    parser.add_argument("--pair", help="a pairwise run, e.g. ru-zh, against gold.pairwise.*")
    parser.add_argument("--flat", action="store_true", help="without the paragraphs")
    parser.add_argument("--docs", default="0:50", help="range of documents, A:B")
    parser.add_argument("--quiet", action="store_true", help="counts only")
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="WEIGHT=VALUE",
        help="override a field of aligner.scorers.combine.Weights (A/B runs)",
    )
    parser.add_argument("--width", type=int, default=110, help="characters shown per sentence")
    args = parser.parse_args()
    a, b = (int(x) for x in args.docs.split(":"))
    config = with_weights(default_config(), args.set)
    pair = tuple(args.pair.split("-")) if args.pair else None
    run_langs = pair or ("ru", "zh", "en")
    counts: Counter[str] = Counter()
    marks: Counter[str] = Counter()
    work = Path(tempfile.mkdtemp())
    docs = sorted(p for p in DATA.iterdir() if p.is_dir())[a:b]
    for doc in [d for d in docs if args.half in ("all", half(d))]:
        texts = {lang: load(doc, lang).sentences for lang in LANGS}
        paths = []
        for lang in run_langs:
            paths.append(work / f"{doc.name}.{lang}.txt")
            paths[-1].write_text(presegmented_text(doc, lang, not args.flat), encoding="utf-8")
        read = pipeline.read_sides(paths, list(run_langs), source=run_langs[0], presegmented=True)
        beads = pipeline.align(read, config).beads
        pred = [frozenset((lang, i) for lang, idx in bead.indices.items() for i in idx) for bead in beads]
        for gold, wrong in regions(gold_beads(doc, pair), pred):
            kind = error_class(gold, wrong, len(run_langs))
            counts[kind] += 1
            sentences = sorted(
                {s for bead in gold + wrong for s in bead}, key=lambda s: (LANGS.index(s[0]), s[1])
            )
            heading = any(is_heading(texts[lang][i]) for lang, i in sentences)
            partial = any(mismatched(bead, texts) for bead in gold)
            marks["heading"] += heading
            marks["gold bead |delta| > 3"] += partial
            if args.quiet:
                continue
            tags = ("  [heading]" if heading else "") + ("  [|delta|>3]" if partial else "")
            print(f"=== {doc.name}  {kind}{tags}")
            print("gold:", " | ".join(show(x) for x in gold))
            print("pred:", " | ".join(show(x) for x in wrong))
            for lang, i in sentences:
                furniture = furniture_kind(texts[lang][i])
                print(f"  {lang}{i}{f' [{furniture}]' if furniture else ''}: {texts[lang][i][: args.width]}")
    run = f"{'-'.join(run_langs)}{', flat' if args.flat else ', paragraphs'}"
    print(f"\n{sum(counts.values())} wrong regions in documents {a}-{b - 1}, {args.half} half ({run})")
    for kind, n in sorted(counts.items()):
        print(f"{n:4d}  {kind}")
    for mark, n in sorted(marks.items()):
        print(f"{n:4d}  with {mark}")


if __name__ == "__main__":
    main()
