"""CPU of the look-up page's two requests, in process: the hits (``/search``) and their renderings
(``/search?…&spot=1``, translation spotting), on the soak's memory and queries.

``web_soak.py`` measures latency under load, which on a shared machine moves with everyone
else's work; this measures what a request costs (``time.process_time`` around Flask's test
client, no lane, so the spotting runs in this process), and can compare trees A/B: each
``--tree`` (a checkout of untm, e.g. ``git worktree add /tmp/old REV``) runs in its own
process, in turns, over the same queries (``--rounds`` seeds; drawn by this tree's
``web_soak.py``, so that trees whose bundled termbases differ still get the same ones)::

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


def measure(tree: Path, memory: Path, asks: list[str]) -> dict[str, Any]:
    """In this process, with ``tree``'s untm: CPU seconds of each first and renderings request,
    and the digest of the renderings answers."""
    os.chdir(tree)
    sys.path.insert(0, str(tree))
    from untm.web.app import create_app

    app = create_app(tm_path=memory)
    app.extensions["untm"].warm()
    client = app.test_client()
    headers = {"X-Untm-Partial": "1"}
    first: list[float] = []
    renderings: list[float] = []
    digests = {"first": hashlib.sha256(), "renderings": hashlib.sha256()}
    for query in asks:
        path = "/search?q=" + urllib.parse.quote(query)
        started = time.process_time()
        answer = client.get(path, headers=headers)
        first.append(time.process_time() - started)
        digests["first"].update(answer.data)
        if b'data-spotting="pending"' not in answer.data:
            continue
        started = time.process_time()
        answer = client.get(path + "&spot=1", headers=headers)
        renderings.append(time.process_time() - started)
        if answer.status_code != 200:
            raise SystemExit(f"{query!r}: {answer.status_code}")
        digests["renderings"].update(answer.data)
    return {
        "first": first,
        "renderings": renderings,
        "digests": {kind: digest.hexdigest()[:12] for kind, digest in digests.items()},
    }


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
    parser.add_argument("--worker", nargs=2, metavar=("TREE", "QUERIES"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    memory = args.cache / f"soak-{args.units}.sqlite"
    if args.worker:
        asks = json.loads(Path(args.worker[1]).read_text(encoding="utf-8"))
        print(json.dumps(measure(Path(args.worker[0]).resolve(), memory, asks)))
        return
    if not memory.exists():
        raise SystemExit(f"{memory}: no such memory (web_soak.py --units {args.units} builds it)")
    trees = [t.resolve() for t in args.tree or [HERE.parent]]
    results: dict[Path, dict[str, list[float]]] = {t: {"first": [], "renderings": []} for t in trees}
    sys.path.insert(0, str(HERE))
    import web_soak

    for k in range(args.rounds):
        # the queries of this tree's web_soak (they draw terms from the bundled termbase), the
        # same for every tree
        asks = web_soak.queries(7 + k)[: args.queries]
        with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8", delete=False) as file:
            json.dump(asks, file, ensure_ascii=False)
        for tree in trees:
            command = [sys.executable, __file__, "--worker", str(tree), file.name]
            command += ["--cache", str(args.cache), "--units", str(args.units)]
            try:
                done = subprocess.run(command, check=True, capture_output=True, text=True)
            except subprocess.CalledProcessError as error:
                Path(file.name).unlink()
                raise SystemExit(f"{tree}: {error.stderr[-2000:]}") from error
            measured = json.loads(done.stdout.strip().splitlines()[-1])
            for kind in ("first", "renderings"):
                results[tree][kind] += measured[kind]
            print(
                f"round {k + 1}, {tree}: renderings {summary(measured['renderings'])}, "
                f"digests {measured['digests']['first']} / {measured['digests']['renderings']}",
                flush=True,
            )
        Path(file.name).unlink()
    print()
    for tree in trees:
        print(f"{tree}\n  first      {summary(results[tree]['first'])}")
        print(f"  renderings {summary(results[tree]['renderings'])}")


if __name__ == "__main__":
    main()
