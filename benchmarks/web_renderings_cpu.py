"""CPU of the look-up page's two requests, in process: the hits (``/search``) and their renderings
(``/search?…&spot=1``, translation spotting), on the soak's memory and queries.

``web_soak.py`` measures latency under load, which on a shared machine moves with everyone
else's work; this measures what a request costs (``time.process_time`` around Flask's test
client, no lane, so the spotting runs in this process), and can compare trees A/B: each
``--tree`` (a checkout of untm, e.g. ``git worktree add /tmp/old REV``) runs in its own
process, over the same queries (``--rounds`` seeds; drawn by this tree's ``web_soak.py``, so
that trees whose bundled termbases differ still get the same ones), asked of the trees in turn
query by query, so that other people's load, coming and going, weighs on every tree alike::

    .venv/bin/python benchmarks/web_renderings_cpu.py                      # this tree
    .venv/bin/python benchmarks/web_renderings_cpu.py --tree /tmp/old --tree . --rounds 3

The memory is ``web_soak.py``'s (built there: ``--cache``/soak-300000.sqlite). Each tree's
answers (the HTML fragments) are hashed, per round, the hits' and the renderings' apart: a
change meant to cost less only must leave the digests equal.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
PREFIX = "@@ "  # a worker's lines for the benchmark (anything else it prints is not)


def serve(tree: Path, memory: Path) -> None:
    """In this process, with ``tree``'s untm: for each query read from stdin (a JSON string a
    line), the CPU seconds of its first and renderings requests and the digests of their
    answers, as a JSON line on stdout (after a line saying it is ready)."""
    os.chdir(tree)
    sys.path.insert(0, str(tree))
    from untm.web.app import create_app

    app = create_app(tm_path=memory)
    app.extensions["untm"].warm()
    client = app.test_client()
    headers = {"X-Untm-Partial": "1"}
    print(PREFIX + "ready", flush=True)
    for line in sys.stdin:
        path = "/search?q=" + urllib.parse.quote(json.loads(line))
        started = time.process_time()
        answer = client.get(path, headers=headers)
        reply: dict[str, Any] = {"first": time.process_time() - started, "renderings": None}
        reply["digests"] = [hashlib.sha256(answer.data).hexdigest(), ""]
        if b'data-spotting="pending"' in answer.data:
            started = time.process_time()
            answer = client.get(path + "&spot=1", headers=headers)
            reply["renderings"] = time.process_time() - started
            if answer.status_code != 200:
                raise SystemExit(f"{path}: {answer.status_code}")
            reply["digests"][1] = hashlib.sha256(answer.data).hexdigest()
        print(PREFIX + json.dumps(reply), flush=True)


class Worker:
    """A ``serve`` process of one tree."""

    def __init__(self, tree: Path, args: argparse.Namespace) -> None:
        self.tree = tree
        self.errors = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115 (closed by close)
        command = [sys.executable, __file__, "--worker", str(tree), "--cache", str(args.cache)]
        command += ["--units", str(args.units)]
        self.process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.errors, text=True
        )
        self.read()

    def read(self) -> str:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            if line.startswith(PREFIX):
                return line[len(PREFIX) :]
        self.errors.seek(0)
        raise SystemExit(f"{self.tree}: the worker ended\n{self.errors.read()[-2000:]}")

    def ask(self, query: str) -> dict[str, Any]:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(query) + "\n")
        self.process.stdin.flush()
        answer: dict[str, Any] = json.loads(self.read())
        return answer

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=60)
        self.errors.close()


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
    parser.add_argument("--worker", metavar="TREE", help=argparse.SUPPRESS)
    args = parser.parse_args()
    memory = args.cache / f"soak-{args.units}.sqlite"
    if args.worker:
        serve(Path(args.worker).resolve(), memory)
        return
    if not memory.exists():
        raise SystemExit(f"{memory}: no such memory (web_soak.py --units {args.units} builds it)")
    trees = [t.resolve() for t in args.tree or [HERE.parent]]
    results: dict[Path, dict[str, list[float]]] = {t: {"first": [], "renderings": []} for t in trees}
    sys.path.insert(0, str(HERE))
    import web_soak

    for k in range(args.rounds):
        # the queries of this tree's web_soak (they draw terms from the bundled termbase), the
        # same for every tree, asked of the trees' processes in turn, query by query (the
        # order flipped at each), so that a load that comes and goes weighs on them alike
        workers = [Worker(tree, args) for tree in trees]
        measured: dict[Path, dict[str, list[float]]] = {
            w.tree: {"first": [], "renderings": []} for w in workers
        }
        digests = {w.tree: [hashlib.sha256(), hashlib.sha256()] for w in workers}
        for i, query in enumerate(web_soak.queries(7 + k)[: args.queries]):
            for worker in workers if i % 2 == 0 else workers[::-1]:
                answer = worker.ask(query)
                measured[worker.tree]["first"].append(answer["first"])
                if answer["renderings"] is not None:
                    measured[worker.tree]["renderings"].append(answer["renderings"])
                for digest, of in zip(digests[worker.tree], answer["digests"], strict=True):
                    digest.update(of.encode())
        for worker in workers:
            worker.close()
            for kind in ("first", "renderings"):
                results[worker.tree][kind] += measured[worker.tree][kind]
            first, renderings = (d.hexdigest()[:12] for d in digests[worker.tree])
            print(
                f"round {k + 1}, {worker.tree}: renderings {summary(measured[worker.tree]['renderings'])}, "
                f"digests {first} / {renderings}",
                flush=True,
            )
    print()
    for tree in trees:
        print(f"{tree}\n  first      {summary(results[tree]['first'])}")
        print(f"  renderings {summary(results[tree]['renderings'])}")


if __name__ == "__main__":
    main()
