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

A/B against an older commit in the same run (``--compare-rev REV``): REV is checked out with
``git worktree add`` (kept in /tmp for the next run) and two worker processes, this script with
``--tree`` pointing at REV's tree and at this one, run the same all-checks workload in turns
(old, new, new, old, …; each warmed up by one untimed run first), so load on a shared machine
falls on both alike. Both read the same termbase table (by default REV's bundled one, so that
edits to the bundled termbase since REV do not count as code changes), and the report says
whether the two produced the same findings (a digest of every finding, in order).

    .venv/bin/python benchmarks/qa_throughput.py --compare-rev 5a9a8aa --segments 20000 --repeat 7
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# a --compare-rev worker measures the code of the tree it is given, with this script's workload
CODE = Path(sys.argv[sys.argv.index("--tree") + 1]) if "--tree" in sys.argv else ROOT
sys.path.insert(0, str(CODE))

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


def worker(tree: str, table: str, n: int) -> None:
    """One side of ``--compare-rev``: build the matcher from ``table``, then, for each ``run``
    line on stdin, check ``n`` segments and answer with one JSON line (wall and CPU seconds,
    findings and their digest)."""
    from termbase.tabular import read_table

    texts = load()
    matcher = TermMatcher(read_table(table, "tsv"), ("en", "zh", "ru"))

    def once() -> dict[str, object]:
        digest = hashlib.sha256()
        count = 0
        wall, cpu = time.perf_counter(), time.process_time()
        for finding in run_checks(segments(texts, n), matcher, source="en"):
            digest.update(json.dumps(finding.as_dict(), sort_keys=True, ensure_ascii=False).encode())
            count += 1
        return {
            "wall": time.perf_counter() - wall,
            "cpu": time.process_time() - cpu,
            "findings": count,
            "digest": digest.hexdigest()[:16],
            "tree": tree,
        }

    once()  # warm-up: the matcher's word caches, pymorphy3's
    print("ready", flush=True)
    for line in sys.stdin:
        if line.strip() == "run":
            print(json.dumps(once()), flush=True)


def compare(rev: str, n: int, repeat: int, table: str | None) -> None:
    """``--compare-rev``: REV's tree and this one, in turns, in two worker processes."""
    sha = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", rev], check=True, capture_output=True, text=True
    ).stdout.strip()
    old_tree = Path(f"/tmp/qa-bench-{sha}")
    if not (old_tree / "qa").is_dir():
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(old_tree), sha],
            check=True,
            capture_output=True,
        )
    table = table or str(old_tree / "termbase" / "bundled" / "un-terms.tsv")
    sides = {"old": old_tree, "new": ROOT}
    procs = {
        name: subprocess.Popen(
            [
                sys.executable,
                __file__,
                "--worker",
                "--tree",
                str(tree),
                "--table",
                table,
                "--segments",
                str(n),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for name, tree in sides.items()
    }
    for proc in procs.values():
        assert proc.stdout is not None
        proc.stdout.readline()  # "ready"
    results: dict[str, list[dict[str, object]]] = {name: [] for name in sides}
    for i in range(repeat):
        for name in ("old", "new") if i % 2 == 0 else ("new", "old"):
            proc = procs[name]
            assert proc.stdin is not None and proc.stdout is not None
            proc.stdin.write("run\n")
            proc.stdin.flush()
            results[name].append(json.loads(proc.stdout.readline()))
    for proc in procs.values():
        assert proc.stdin is not None
        proc.stdin.close()
        proc.wait()

    def med(name: str, key: str) -> float:
        return statistics.median(float(r[key]) for r in results[name])  # type: ignore[arg-type]

    print(
        f"{n:,} bilingual segments (en→zh, en→ru) from unpc-dev; termbase table {table}; "
        f"{repeat} runs per side, alternated; medians\n"
    )
    print("| code | segments/s (CPU) | segments/s (wall) | CPU s per run | findings | digest |")
    print("|---|---|---|---|---|---|")
    for name, label in (("old", f"{sha} (--compare-rev)"), ("new", "this tree")):
        last = results[name][-1]
        runs = ", ".join(f"{float(r['cpu']):.2f}" for r in results[name])  # type: ignore[arg-type]
        print(
            f"| {label} | {n / med(name, 'cpu'):,.0f} | {n / med(name, 'wall'):,.0f} | "
            f"{runs} | "
            f"{last['findings']:,} | {last['digest']} |"
        )
    print(
        f"\nnew / old: {med('old', 'cpu') / med('new', 'cpu'):.2f}× (CPU), "
        f"{med('old', 'wall') / med('new', 'wall'):.2f}× (wall)"
    )
    digests = {str(r["digest"]) for side in results.values() for r in side}
    print("findings identical: " + ("yes" if len(digests) == 1 else f"NO ({sorted(digests)})"))
    if len(digests) != 1:
        sys.exit(1)


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
    parser.add_argument("--compare-rev", metavar="REV", help="A/B: REV's code against this tree's")
    parser.add_argument("--table", help="termbase table for --compare-rev (default: REV's bundled one)")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--tree", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.tree, args.table, args.segments)
        return
    if args.compare_rev:
        compare(args.compare_rev, args.segments, args.repeat, args.table)
        return
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
