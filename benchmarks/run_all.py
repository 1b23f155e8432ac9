"""Run every benchmark at a size that fits a laptop, one after another (`make bench`).

The full-size runs recorded in docs/benchmarks.md used the larger arguments given there; this
script is for checking that the numbers still hold after a change. Each script prints its own
table; this one only sequences them and stops at the first that fails.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

RUNS: tuple[tuple[str, ...], ...] = (
    ("segmentation.py", "--repeat", "1"),
    ("srx_engine.py", "--paragraphs", "200", "--repeat", "1"),
    ("tmx_io.py", "--tus", "50000", "--tt-tus", "20000", "--repeat", "1"),
    ("termbase_lookup.py", "--concepts", "20000", "--queries", "200", "--segments", "5000"),
    ("term_extract.py",),
    ("align_unpc.py", "--docs", "10"),
    ("align_mac.py",),
    ("align_doubt.py", "--docs", "10"),
    ("align_speed.py", "--sizes", "1000,2000,4000", "--repeat", "1", "--peer-size", "400"),
    ("qa_planted.py",),
    ("qa_throughput.py", "--segments", "20000", "--repeat", "1"),
    ("tm_store.py", "--units", "50000", "--queries", "50", "--peer-queries", "2"),
)


def main() -> int:
    for script, *args in RUNS:
        command = [sys.executable, str(HERE / script), *args]
        print(f"\n$ {' '.join(['python', 'benchmarks/' + script, *args])}", flush=True)
        result = subprocess.run(command, check=False)
        if result.returncode != 0:
            print(f"benchmark {script} failed with exit code {result.returncode}", file=sys.stderr)
            return result.returncode
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
