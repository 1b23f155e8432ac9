"""How long a translator waits for ``untm`` to answer: wall time of whole processes.

Runs each command ``--runs`` times as a new process (as a shell would) and prints the median and
the slowest, beside ``python -c pass`` (the interpreter's own start, the floor) in the same run.

    .venv/bin/python benchmarks/cli_start.py --runs 15

``python -X importtime -c "from untm.cli import main; main(['term', 'lookup', '南朝鲜'])"`` shows
what each command imports.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

BIN = Path(sys.executable).with_name("untm")
COMMANDS = (
    ("python -c pass (floor)", [sys.executable, "-c", "pass"]),
    ("untm --version", [str(BIN), "--version"]),
    ("untm --help", [str(BIN), "--help"]),
    ("untm term lookup 南朝鲜", [str(BIN), "term", "lookup", "南朝鲜"]),
    ("untm tm --help", [str(BIN), "tm", "--help"]),
)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    print("| command | median s | max s |\n|---|---|---|")
    for label, command in COMMANDS:
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
            times.append(time.perf_counter() - start)
        print(f"| {label} | {statistics.median(times):.3f} | {max(times):.3f} |")


if __name__ == "__main__":
    main()
