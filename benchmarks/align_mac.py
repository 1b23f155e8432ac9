"""Strict/lax F1 on ../shared/data/mac-dev (zh-en literary chapters, manual gold), default
configuration (long merges on), with --no-long-merges, with the neural scorers (``--scorer
neural``, ``neural-regions`` and ``neural-all``, when the ``neural`` extra is installed), and
NLTK's Gale–Church on the same input. Scores are given for all six chapters and for each half:
the neural weights were tuned on half A (chapters 001-003) only; half B (004-006) is the
held-out test.

Two paths: ``align_pair`` (the pairwise search alone) and ``(CLI)`` rows, which go through
``untm.pipeline.read_sides`` and ``untm.pipeline.align`` on the chapter files as ``untm align
--presegmented`` reads them (the progressive multi-way code with two languages).

    .venv/bin/python benchmarks/align_mac.py [--rows "default (CLI),neural-regions (CLI)"] [--per-chapter]

``--rows``: only the rows whose name contains one of the comma-separated parts.

Published on this set (Liu & Zhu 2022), strict / lax F1: Bertalign 0.911/0.998, Vecalign
0.863/0.997, Bleualign 0.641/0.873, Hunalign+dict 0.610/0.852, Gale-Church 0.485/0.737.
mac-dev is copyrighted: it is read in place and never copied.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from align_common import gale_church_links, table

from aligner.align import AlignConfig, Side, align_pair
from aligner.evaluate import Link, read_align, score
from aligner.scorers.embedding import EmbeddingScorer
from uncore.errors import UsageError
from untm import pipeline
from untm.pipeline import default_config

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "mac-dev"


#: the fixed split: tune on A, report B as the held-out figure
HALVES = {"A (tuning)": ("001", "002", "003"), "B (test)": ("004", "005", "006")}


def cli_links(chapter: str, config: AlignConfig, again: list[str] | None = None) -> list[Link]:
    """The chapter aligned as ``untm align zh/NNN en/NNN -l zh -l en --presegmented`` does it;
    ``again`` gets the chapter when ``--scorer neural`` aligned it again everywhere."""
    read = pipeline.read_sides(
        [DATA / "zh" / chapter, DATA / "en" / chapter], ["zh", "en"], source="zh", presegmented=True
    )
    result = pipeline.align(read, config)
    if result.notes and again is not None:
        again.append(chapter)
    return [(b.get("zh"), b.get("en")) for b in result.beads]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--rows", default="", help="only rows whose name contains one of these (comma-separated)"
    )
    parser.add_argument("--per-chapter", action="store_true", help="also each chapter's strict F1 per row")
    args = parser.parse_args()
    wanted = [part for part in args.rows.split(",") if part]
    default = default_config()
    basic = default_config(long_merges=False)
    try:
        neural = default_config(scorer="neural-all")
        regions = default_config(scorer="neural-regions")
    except UsageError as error:  # the extra is not installed
        print(f"(neural rows left out: {error})")
        neural = regions = None
    names = sorted(p.name for p in (DATA / "gold").glob("*.align"))
    texts = {
        n: (
            Side("zh", tuple((DATA / "zh" / n[:-6]).read_text(encoding="utf-8").splitlines())),
            Side("en", tuple((DATA / "en" / n[:-6]).read_text(encoding="utf-8").splitlines())),
        )
        for n in names
    }
    align_pair(*texts[names[0]], default)  # warm-up: dictionary, jieba
    rows = []
    systems = {
        "untm default (long merges)": lambda zh, en: [(b.src, b.tgt) for b in align_pair(zh, en, default)],
        "untm --no-long-merges": lambda zh, en: [(b.src, b.tgt) for b in align_pair(zh, en, basic)],
        **(
            {
                "untm --scorer neural-all": lambda zh, en: [
                    (b.src, b.tgt) for b in align_pair(zh, en, neural)
                ],
                "untm --scorer neural-regions": lambda zh, en: [
                    (b.src, b.tgt) for b in align_pair(zh, en, regions)
                ],
            }
            if neural is not None and regions is not None
            else {}
        ),
        "NLTK Gale-Church (defaults)": lambda zh, en: gale_church_links(zh.sentences, en.sentences),
        "NLTK Gale-Church (our length params)": lambda zh, en: gale_church_links(
            zh.sentences, en.sentences, "zh", "en"
        ),
    }
    # the CLI rows get configurations of their own: a fresh embedding cache, so their speed
    # includes encoding
    cli = {"untm default (CLI)": default_config()}
    if neural is not None:
        cli["untm --scorer neural (CLI)"] = default_config(scorer="neural")
        cli["untm --scorer neural-regions (CLI)"] = default_config(scorer="neural-regions")
        cli["untm --scorer neural-all (CLI)"] = default_config(scorer="neural-all")
    again: dict[str, list[str]] = {name: [] for name in cli}
    halves: dict[str, list] = {half: [] for half in HALVES}
    per_chapter: dict[str, dict[str, float]] = {}
    untm = [name for name in systems if name.startswith("untm")]
    for name in [*untm, *cli, *(name for name in systems if name not in untm)]:
        if wanted and not any(part in name for part in wanted):
            continue
        pairs, sentences, start = {}, 0, time.perf_counter()
        for n in names:
            zh, en = texts[n]
            sentences += len(zh.sentences) + len(en.sentences)
            found = cli_links(n[:-6], cli[name], again[name]) if name in cli else systems[name](zh, en)
            pairs[n[:-6]] = (read_align(DATA / "gold" / n), found)
        speed = sentences / (time.perf_counter() - start)
        rows.append(("zh-en", name, score(list(pairs.values())), speed))
        per_chapter[name] = {c: score([pair]).strict_f1 for c, pair in pairs.items()}
        for half, chapters in HALVES.items():
            halves[half].append(("zh-en", name, score([pairs[c] for c in chapters]), None))
    print(table(rows, f"mac-dev, {len(names)} chapters (sentences/s: zh + en sentences per second)"))
    for half, chapters in HALVES.items():
        print(table(halves[half], f"half {half}: chapters {', '.join(chapters)}"))
    if args.per_chapter:
        print("strict F1 per chapter\n| system | " + " | ".join(n[:-6] for n in names) + " |")
        print("|---|" + "---|" * len(names))
        for name in per_chapter:
            print(f"| {name} | " + " | ".join(f"{per_chapter[name][n[:-6]]:.4f}" for n in names) + " |")
    for name, config in cli.items():
        encoded = sum(s.cache.encoded for s in config.scorers if isinstance(s, EmbeddingScorer))
        if encoded:
            print(f"{name}: {encoded:,} texts encoded")
        if again[name]:
            print(
                f"{name}: aligned again with the encoder on every sentence: chapters {', '.join(again[name])}"
            )
    print(f"config: {default.signature()}")
    if neural is not None:
        print(f"neural-all: {neural.signature()}")
        print(f"neural (CLI): {cli['untm --scorer neural (CLI)'].signature()}")
        print(f"neural-regions (CLI): {cli['untm --scorer neural-regions (CLI)'].signature()}")


if __name__ == "__main__":
    main()
