"""Throughput of ``untm qa``'s checks: segments per second for all checks against the full
bundled termbase, on 100,000 bilingual segments built from ../shared/data/unpc-dev (the 4,000
real en/zh/ru tuples cycled: English source with a Chinese target, then with a Russian one).

A "segment" is one bilingual unit (source + target). The termbase matcher is built once
(its build time is printed apart). Medians over ``--repeat`` runs; wall time and process CPU
time are both shown because the machine is shared. Peer run in the same script: the
``deprecated-term`` check with the Aho-Corasick matcher against the same check done with a loop
of one compiled regular expression per termbase term (what the issue rules out), on the same
segments, reported as a ratio.

    .venv/bin/python benchmarks/qa_throughput.py [--segments 100000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from qa import run_checks  # noqa: E402
from termbase.store import Termbase  # noqa: E402
from tmx.units import TranslationUnit  # noqa: E402
from uncore.lang.terms import TermMatcher  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "unpc-dev"


def load() -> dict[str, list[str]]:
    return {
        lang: (DATA / f"UNv1.0.devset.{lang}").read_text(encoding="utf-8").split("\n")[:4000]
        for lang in ("en", "zh", "ru")
    }


def segments(texts: dict[str, list[str]], n: int) -> Iterator[TranslationUnit]:
    size = len(texts["en"])
    for i in range(n):
        j = i % size
        target = "zh" if (i // size) % 2 == 0 else "ru"
        yield TranslationUnit((_v("en", texts["en"][j]), _v(target, texts[target][j])), tuid=str(i))


def _v(lang: str, text: str):  # type: ignore[no-untyped-def]
    from tmx.units import Variant

    return Variant(lang, text)


def timed(func) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    wall, cpu = time.perf_counter(), time.process_time()
    func()
    return time.perf_counter() - wall, time.process_time() - cpu


class RegexLoop:
    """The peer: one compiled pattern per term, tried one after the other."""

    def __init__(self, termbase: Termbase, langs: tuple[str, ...]) -> None:
        self.patterns: dict[str, list[tuple[re.Pattern[str], object]]] = {lang: [] for lang in langs}
        for concept in termbase:
            for term in concept.terms:
                lang = term.lang.split("-")[0]
                if lang in self.patterns:
                    boundary = "" if lang == "zh" else r"\b"
                    self.patterns[lang].append((re.compile(boundary + re.escape(term.text) + boundary), term))

    def count(self, text: str, lang: str) -> int:
        return sum(1 for pattern, _ in self.patterns[lang] for _ in pattern.finditer(text))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--segments", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--peer-segments", type=int, default=10_000)
    parser.add_argument(
        "--per-check", action="store_true", help="also time each check alone on the peer segments"
    )
    args = parser.parse_args()
    texts = load()
    termbase = Termbase.open(":memory:")
    build_wall, _ = timed(lambda: TermMatcher(termbase, ("en", "zh", "ru")))
    matcher = TermMatcher(termbase, ("en", "zh", "ru"))
    counts: list[int] = []

    def run_all() -> None:
        counts.append(sum(1 for _ in run_checks(segments(texts, args.segments), matcher, source="en")))

    runs = [timed(run_all) for _ in range(args.repeat)]
    wall = statistics.median(r[0] for r in runs)
    cpu = statistics.median(r[1] for r in runs)

    peer_units = list(segments(texts, args.peer_segments))

    def automaton() -> None:
        for _ in run_checks(peer_units, matcher, source="en", checks=["deprecated-term"]):
            pass

    loop = RegexLoop(termbase, ("en", "zh", "ru"))

    def regex_loop() -> None:
        for u in peer_units:
            for v in u.variants:
                loop.count(v.text, v.lang)

    ac = [timed(automaton) for _ in range(args.repeat)]
    rx = [timed(regex_loop) for _ in range(args.repeat)]
    ac_cpu = statistics.median(r[1] for r in ac)
    rx_cpu = statistics.median(r[1] for r in rx)
    n_terms = sum(len(v) for v in loop.patterns.values())

    print(
        f"{args.segments:,} bilingual segments (en→zh, en→ru) from unpc-dev; termbase "
        f"{len(termbase)} concepts; median of {args.repeat}; matcher build {build_wall:.2f} s wall\n"
    )
    print("| run | segments/s (wall) | segments/s (CPU) | findings |")
    print("|---|---|---|---|")
    print(f"| all checks | {args.segments / wall:,.0f} | {args.segments / cpu:,.0f} | {counts[-1]:,} |")
    print(
        f"| deprecated-term, Aho-Corasick matcher ({args.peer_segments:,}) | "
        f"{args.peer_segments / statistics.median(r[0] for r in ac):,.0f} | "
        f"{args.peer_segments / ac_cpu:,.0f} | - |"
    )
    print(
        f"| peer: loop of {n_terms} regexes, every term ({args.peer_segments:,}) | "
        f"{args.peer_segments / statistics.median(r[0] for r in rx):,.0f} | "
        f"{args.peer_segments / rx_cpu:,.0f} | - |"
    )
    print(
        f"\nautomaton / regex-loop CPU ratio: {rx_cpu / ac_cpu:.2f}× (the loop grows with the "
        f"number of terms; the automaton does not)"
    )
    if args.per_check:
        from qa import CHECK_IDS

        print(f"\n| check alone ({args.peer_segments:,} segments) | segments/s (CPU, median) |")
        print("|---|---|")
        for check in [c for c in CHECK_IDS if c != "tm-deviation"]:

            def one(check: str = check) -> None:
                for _ in run_checks(peer_units, matcher, source="en", checks=[check]):
                    pass

            cpu_one = statistics.median(timed(one)[1] for _ in range(args.repeat))
            print(f"| {check} | {args.peer_segments / cpu_one:,.0f} |")


if __name__ == "__main__":
    main()
