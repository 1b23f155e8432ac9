"""Strict/lax F1 on ../shared/data/unpc-align-dev: zh-en, ru-en, ru-zh pairwise and three-way
(pivot ru; each pair read off the multi-way beads), with NLTK's Gale–Church on the same input.

    .venv/bin/python benchmarks/align_unpc.py [--docs N] [--no-gale-church]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aligner.align import Side, align_pair, align_sides
from aligner.evaluate import read_align, score
from benchmarks.align_common import gale_church_links, table

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "unpc-align-dev"
PAIRS = (("zh", "en"), ("ru", "en"), ("ru", "zh"))


def load(doc: Path, lang: str) -> Side:
    return Side(lang, tuple((doc / f"{lang}.txt").read_text(encoding="utf-8").splitlines()))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=50)
    parser.add_argument("--no-gale-church", action="store_true")
    args = parser.parse_args()
    docs = sorted(p for p in DATA.iterdir() if p.is_dir())[: args.docs]
    rows = []
    for src, tgt in PAIRS:
        pairs, gc_pairs, t_ours, t_gc, sentences = [], [], 0.0, 0.0, 0
        for doc in docs:
            gold = read_align(doc / f"gold.{src}-{tgt}.align")
            s, t = load(doc, src), load(doc, tgt)
            sentences += len(s.sentences) + len(t.sentences)
            start = time.perf_counter()
            beads = align_pair(s, t)
            t_ours += time.perf_counter() - start
            pairs.append((gold, [(b.src, b.tgt) for b in beads]))
            if not args.no_gale_church:
                start = time.perf_counter()
                gc = gale_church_links(s.sentences, t.sentences)
                t_gc += time.perf_counter() - start
                gc_pairs.append((gold, gc))
        rows.append((f"{src}-{tgt}", "untm pairwise", score(pairs), sentences / t_ours))
        if gc_pairs:
            rows.append((f"{src}-{tgt}", "NLTK Gale-Church", score(gc_pairs), sentences / t_gc))
    three: dict[tuple[str, str], list] = {p: [] for p in PAIRS}
    start = time.perf_counter()
    sentences = 0
    for doc in docs:
        sides = [load(doc, "ru"), load(doc, "zh"), load(doc, "en")]
        sentences += sum(len(s.sentences) for s in sides)
        beads = align_sides(sides, pivot="ru")
        for src, tgt in PAIRS:
            links = [(b.get(src), b.get(tgt)) for b in beads if b.get(src) or b.get(tgt)]
            three[(src, tgt)].append((read_align(doc / f"gold.{src}-{tgt}.align"), links))
    elapsed = time.perf_counter() - start
    for (src, tgt), pairs in three.items():
        rows.append((f"{src}-{tgt}", "untm three-way (pivot ru)", score(pairs), sentences / elapsed))
    print(table(rows, f"unpc-align-dev, {len(docs)} documents"))


if __name__ == "__main__":
    main()
