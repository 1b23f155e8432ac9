"""Strict/lax F1 on ../shared/data/unpc-align-dev: zh-en, ru-en, ru-zh pairwise and three-way
(pivot ru; each pair read off the multi-way beads), with NLTK's Gale–Church on the same input.

    .venv/bin/python benchmarks/align_unpc.py [--docs N] [--no-gale-church] [--no-termbase]

Configuration: what ``untm align`` uses (anchors, CC-CEDICT, cognates, bundled termbase).
The "pairwise ceiling" row is no aligner: it scores the gold with its n-n beads split
(``pairwise_ceiling``), the most any aligner that sees only the pair's two texts can reach.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from align_common import gale_church_links, table

from aligner.align import Side, align_pair, align_sides
from aligner.evaluate import Link, read_align, score
from untm.pipeline import default_config

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "unpc-align-dev"
PAIRS = (("zh", "en"), ("ru", "en"), ("ru", "zh"))


def load(doc: Path, lang: str) -> Side:
    return Side(lang, tuple((doc / f"{lang}.txt").read_text(encoding="utf-8").splitlines()))


def load_paragraphs(doc: Path, lang: str) -> Side:
    """``{lang}.txt`` sentences numbered by the ``{lang}.para.txt`` paragraph they are in."""
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
    return Side(lang, sentences, tuple(numbers))


def pairwise_ceiling(gold: list[Link]) -> list[Link]:
    """The best a pairwise aligner can do: the gold with every n-n bead (n ≥ 2) split into n
    1-1 beads. unpc-align-dev's bilingual gold is read off the multi-way gold, so where the
    third language merged two sentences the pair gets a 2-2 bead that its own two texts do not
    show; seen from the pair alone, two 1-1 beads are the right answer."""
    out: list[Link] = []
    for src, tgt in gold:
        if len(src) == len(tgt) > 1:
            out.extend(((s,), (t,)) for s, t in zip(src, tgt, strict=True))
        else:
            out.append((src, tgt))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=50)
    parser.add_argument("--no-gale-church", action="store_true")
    parser.add_argument("--no-termbase", action="store_true")
    args = parser.parse_args()
    config = default_config(use_termbase=not args.no_termbase)
    docs = sorted(p for p in DATA.iterdir() if p.is_dir())[: args.docs]
    align_pair(load(docs[0], "zh"), load(docs[0], "en"), config)  # warm-up: dictionary, jieba
    rows = []
    for src, tgt in PAIRS:
        runs: dict[str, list] = {
            "pairwise ceiling (gold n-n beads split)": [],
            "untm pairwise": [],
            "untm pairwise, paragraphs first": [],
            "NLTK Gale-Church (defaults)": [],
            "NLTK Gale-Church (our length params)": [],
        }
        times = dict.fromkeys(runs, 0.0)
        sentences = 0
        for doc in docs:
            gold = read_align(doc / f"gold.{src}-{tgt}.align")
            s, t = load(doc, src), load(doc, tgt)
            sentences += len(s.sentences) + len(t.sentences)
            for name in runs:
                if name.startswith("NLTK") and args.no_gale_church:
                    continue
                start = time.perf_counter()
                if name.startswith("pairwise ceiling"):
                    links = pairwise_ceiling(gold)
                elif name == "untm pairwise":
                    links = [(b.src, b.tgt) for b in align_pair(s, t, config)]
                elif name == "untm pairwise, paragraphs first":
                    hs, ht = load_paragraphs(doc, src), load_paragraphs(doc, tgt)
                    links = [(b.src, b.tgt) for b in align_pair(hs, ht, config)]
                elif "defaults" in name:
                    links = gale_church_links(s.sentences, t.sentences)
                else:
                    links = gale_church_links(s.sentences, t.sentences, src, tgt)
                times[name] += time.perf_counter() - start
                runs[name].append((gold, links))
        for name, pairs in runs.items():
            if pairs:
                speed = None if name.startswith("pairwise ceiling") else sentences / times[name]
                rows.append((f"{src}-{tgt}", name, score(pairs), speed))
    for multiway in ("progressive", "pivot"):
        run_config = dataclasses.replace(config, multiway=multiway)
        three: dict[tuple[str, str], list] = {p: [] for p in PAIRS}
        start = time.perf_counter()
        sentences = 0
        for doc in docs:
            sides = [load(doc, "ru"), load(doc, "zh"), load(doc, "en")]
            sentences += sum(len(s.sentences) for s in sides)
            beads = align_sides(sides, pivot="ru", config=run_config)
            for src, tgt in PAIRS:
                links = [(b.get(src), b.get(tgt)) for b in beads if b.get(src) or b.get(tgt)]
                three[(src, tgt)].append((read_align(doc / f"gold.{src}-{tgt}.align"), links))
        elapsed = time.perf_counter() - start
        for (src, tgt), pairs in three.items():
            rows.append(
                (f"{src}-{tgt}", f"untm three-way, {multiway} (pivot ru)", score(pairs), sentences / elapsed)
            )
    print(table(rows, f"unpc-align-dev, {len(docs)} documents"))
    print(f"config: {config.signature()}")


if __name__ == "__main__":
    main()
