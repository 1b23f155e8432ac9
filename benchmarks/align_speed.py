"""Speed and memory of pairwise alignment as the text grows: sentences aligned per second and
peak RSS for zh-en pairs of about 2,500 / 5,000 / 10,000 sentences per side, built by
concatenating the unpc-align-dev documents (repeated in order when they run out). Each size
runs in a fresh process so peak RSS is its own. NLTK's Gale–Church (quadratic, pure Python)
runs as the peer on a smaller pair (``--peer-size``), with untm on the same pair.

    .venv/bin/python benchmarks/align_speed.py [--sizes 2500,5000,10000] [--peer-size 800] [--repeat 1]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data" / "unpc-align-dev"


def build(size: int) -> tuple[list[str], list[str], list]:
    from aligner.evaluate import read_align

    zh: list[str] = []
    en: list[str] = []
    gold: list = []
    docs = sorted(p for p in DATA.iterdir() if p.is_dir())
    k = 0
    while len(zh) < size:
        doc = docs[k % len(docs)]
        k += 1
        oz, oe = len(zh), len(en)
        zh += (doc / "zh.txt").read_text(encoding="utf-8").splitlines()
        en += (doc / "en.txt").read_text(encoding="utf-8").splitlines()
        gold += [
            (tuple(i + oz for i in s), tuple(j + oe for j in t))
            for s, t in read_align(doc / "gold.zh-en.align")
        ]
    return zh, en, gold


def child(size: int, system: str) -> None:
    from aligner.align import Side, align_pair
    from aligner.evaluate import score
    from untm.pipeline import default_config

    zh, en, gold = build(size)
    config = default_config()
    align_pair(Side("zh", tuple(zh[:50])), Side("en", tuple(en[:50])), config)  # load dictionary, jieba
    base_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    if system == "untm":
        links = [(b.src, b.tgt) for b in align_pair(Side("zh", tuple(zh)), Side("en", tuple(en)), config)]
    else:
        from align_common import gale_church_links

        links = gale_church_links(zh, en, "zh", "en")
    elapsed = time.perf_counter() - start
    s = score([(gold, links)])
    print(
        json.dumps(
            {
                "size": len(zh),
                "en": len(en),
                "seconds": elapsed,
                "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "rss_before_mb": base_rss / 1024,
                "strict_f1": s.strict_f1,
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="2500,5000,10000")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--peer-size", type=int, default=800)
    parser.add_argument("--child", nargs=2)
    args = parser.parse_args()
    if args.child:
        child(int(args.child[0]), args.child[1])
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    runs = [(size, "untm") for size in sizes]
    runs += [(args.peer_size, "untm"), (args.peer_size, "nltk-gale-church")]
    print(
        "| system | zh sentences | en sentences | seconds (median) | sentences/s | peak RSS MB | "
        "time ratio to previous size | strict F1 |"
    )
    print("|---|---|---|---|---|---|---|---|")
    previous = None
    for size, system in runs:
        results = []
        for _ in range(args.repeat):
            out = subprocess.run(
                [sys.executable, __file__, "--child", str(size), system],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            results.append(json.loads(out.strip().splitlines()[-1]))
        seconds = statistics.median(r["seconds"] for r in results)
        r = results[0]
        ratio = f"{seconds / previous:.2f}" if previous and system == "untm" and size > sizes[0] else "-"
        speed = (r["size"] + r["en"]) / seconds
        print(
            f"| {system} | {r['size']:,} | {r['en']:,} | {seconds:.1f} | {speed:,.0f} "
            f"| {max(x['rss_mb'] for x in results):.0f} | {ratio} | {r['strict_f1']:.4f} |",
            flush=True,
        )
        previous = seconds if system == "untm" else previous


if __name__ == "__main__":
    main()
