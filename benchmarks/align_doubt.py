"""How much of a text the cpu beads leave in doubt: the share of each run's sentences inside the
windows ``RegionRule`` searches again with the encoder, on UN documents (unpc-align-dev, each
half, the eight runs of ``align_unpc.py``: three-way and the three pairs, with paragraphs and
flat), on the UDHR (six languages, read from its HTML pages: paragraphs) and on literary
chapters (mac-dev, half A and half B). ``untm align --scorer neural``
aligns a run again with the encoder on every sentence when the share is above
``aligner.align.LITERARY_DOUBT``; this prints the spread that threshold was set in.

    .venv/bin/python benchmarks/align_doubt.py [--docs N]

Every run goes through ``untm.pipeline`` with ``default_config(scorer="neural-regions")`` (the
neural extra is needed), as ``untm align --presegmented`` reads the files, counting with
``aligner.align.Doubt``.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from align_mac import DATA as MAC
from align_mac import HALVES as MAC_HALVES
from align_unpc import DATA, THREE, document_inputs, half

from aligner.align import LITERARY_DOUBT, AlignConfig, Doubt
from uncore.errors import UsageError
from untm import pipeline
from untm.pipeline import default_config

UDHR = Path(__file__).resolve().parents[2] / "shared" / "data" / "udhr"
UDHR_FILES = {"zh": "cmn_hans", "ru": "rus", "en": "eng", "fr": "fra", "es": "spa", "ar": "arb"}
UDHR_RUNS = (("en", "zh"), ("ru", "zh"), ("ru", "en"), ("en", "fr"), ("en", "ar"), ("en", "es"), THREE)

RUNS = (
    ("three-way, paragraphs", THREE, True),
    ("three-way, flat", THREE, False),
    ("zh-en, paragraphs", ("zh", "en"), True),
    ("ru-en, paragraphs", ("ru", "en"), True),
    ("ru-zh, paragraphs", ("ru", "zh"), True),
    ("zh-en, flat", ("zh", "en"), False),
    ("ru-en, flat", ("ru", "en"), False),
    ("ru-zh, flat", ("ru", "zh"), False),
)


def doubt(paths: list[Path], langs: tuple[str, ...], config: AlignConfig, presegmented: bool = True) -> float:
    """The share of the run's sentences in windows of doubt, as ``--scorer neural`` counts it."""
    assert config.regions is not None
    mine = pipeline.fresh_run(config)
    count = Doubt(config.regions)
    read = pipeline.read_sides(paths, list(langs), source=langs[0], presegmented=presegmented)
    pipeline.align(read, dataclasses.replace(mine, observe_joins=count))
    return count.share


def spread(shares: list[float]) -> list[str]:
    shares = sorted(shares)
    return [f"{shares[0]:.3f}", f"{shares[len(shares) // 2]:.3f}", f"{shares[-1]:.3f}", str(len(shares))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=0, help="only the first N documents (0: all)")
    args = parser.parse_args()
    try:
        config = default_config(scorer="neural-regions")
    except UsageError as error:  # the extra is not installed
        print(f"(nothing to measure: {error})")
        return
    docs = sorted(DATA.glob("doc*"))[: args.docs or None]
    rows: list[list[str]] = []
    un: dict[str, list[float]] = {"tuning": [], "test": []}
    with tempfile.TemporaryDirectory() as tmp:
        for name, langs, paragraphs in RUNS:
            shares: dict[str, list[float]] = {"tuning": [], "test": []}
            for doc in docs:
                shares[half(doc)].append(
                    doubt(document_inputs(doc, langs, paragraphs, Path(tmp)), langs, config)
                )
            for which, found in shares.items():
                un[which] += found
                if found:
                    rows.append([f"UN {which}: {name}", *spread(found)])
    for which, found in un.items():
        rows.append([f"UN {which}: all runs", *spread(found)])
    found = [
        doubt([UDHR / f"{UDHR_FILES[lang]}.html" for lang in langs], langs, config, presegmented=False)
        for langs in UDHR_RUNS
    ]
    names = ", ".join(f"{'-'.join(langs)} {x:.3f}" for langs, x in zip(UDHR_RUNS, found, strict=True))
    rows.append([f"UDHR: {names}", *spread(found)])
    for which, chapters in MAC_HALVES.items():
        found = [doubt([MAC / "zh" / c, MAC / "en" / c], ("zh", "en"), config) for c in chapters]
        rows.append([f"mac-dev {which}: " + ", ".join(f"{x:.3f}" for x in found), *spread(found)])
    print(
        f"share of a run's sentences in windows of doubt (threshold of --scorer neural: {LITERARY_DOUBT:g})"
    )
    print("| runs | min | median | max | runs |\n|---|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
