"""CPU of the look-up page's two requests, in process: the hits (``/search``) and their renderings
(``/search?…&spot=1``, translation spotting), on the soak's memory and queries.

``web_soak.py`` measures latency under load, which on a shared machine moves with everyone
else's work; this measures what a request costs (``time.process_time`` around Flask's test
client, no lane, so the spotting runs in this process), and can compare trees A/B: each
``--tree`` (a checkout of untm, e.g. ``git worktree add /tmp/old REV``) runs in its own
process, in turns, over the same queries (``--rounds`` seeds)::

    .venv/bin/python benchmarks/web_renderings_cpu.py                      # this tree
    .venv/bin/python benchmarks/web_renderings_cpu.py --tree /tmp/old --tree . --rounds 3

The memory is ``web_soak.py``'s (built there: ``--cache``/soak-300000.sqlite).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

HERE = Path(__file__).resolve().parent


def measure(tree: Path, memory: Path, queries: int, seed: int) -> dict[str, list[float]]:
    """In this process, with ``tree``'s untm: CPU seconds of each first and renderings request."""
    os.chdir(tree)
    sys.path[:0] = [str(tree), str(HERE)]
    from untm.web.app import create_app

    search_path = list(sys.path)
    import web_soak  # (it puts this checkout first on the path: the tree's packages must stay first)

    sys.path[:] = search_path

    app = create_app(tm_path=memory)
    app.extensions["untm"].warm()
    client = app.test_client()
    headers = {"X-Untm-Partial": "1"}
    first: list[float] = []
    renderings: list[float] = []
    for query in web_soak.queries(seed)[:queries]:
        path = "/search?q=" + urllib.parse.quote(query)
        started = time.process_time()
        answer = client.get(path, headers=headers)
        first.append(time.process_time() - started)
        if b'data-spotting="pending"' not in answer.data:
            continue
        started = time.process_time()
        answer = client.get(path + "&spot=1", headers=headers)
        renderings.append(time.process_time() - started)
        if answer.status_code != 200:
            raise SystemExit(f"{query!r}: {answer.status_code}")
    return {"first": first, "renderings": renderings}


def summary(values: list[float]) -> str:
    ms = sorted(v * 1000 for v in values)
    return (
        f"median {statistics.median(ms):5.1f}  mean {statistics.mean(ms):5.1f}  "
        f"p95 {ms[int(0.95 * len(ms))]:6.1f} ms CPU (n={len(ms)})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tree", action="append", type=Path, help="an untm checkout (default: this one)")
    parser.add_argument("--queries", type=int, default=200, help="soak queries per round")
    parser.add_argument("--rounds", type=int, default=1, help="rounds (query seeds 7, 8, …), trees in turn")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/untm-bench"))
    parser.add_argument("--units", type=int, default=300_000)
    parser.add_argument("--worker", nargs=2, metavar=("TREE", "SEED"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    memory = args.cache / f"soak-{args.units}.sqlite"
    if args.worker:
        print(json.dumps(measure(Path(args.worker[0]).resolve(), memory, args.queries, int(args.worker[1]))))
        return
    if not memory.exists():
        raise SystemExit(f"{memory}: no such memory (web_soak.py --units {args.units} builds it)")
    trees = [t.resolve() for t in args.tree or [HERE.parent]]
    results: dict[Path, dict[str, list[float]]] = {t: {"first": [], "renderings": []} for t in trees}
    for k in range(args.rounds):
        for tree in trees:
            command = [sys.executable, __file__, "--worker", str(tree), str(7 + k), "--queries"]
            command += [str(args.queries), "--cache", str(args.cache), "--units", str(args.units)]
            done = subprocess.run(command, check=True, capture_output=True, text=True)
            measured = json.loads(done.stdout.strip().splitlines()[-1])
            for kind, values in measured.items():
                results[tree][kind] += values
            print(f"round {k + 1}, {tree}: renderings {summary(measured['renderings'])}", flush=True)
    print()
    for tree in trees:
        print(f"{tree}\n  first      {summary(results[tree]['first'])}")
        print(f"  renderings {summary(results[tree]['renderings'])}")


if __name__ == "__main__":
    main()
