"""``untm align-batch`` throughput on Dask: all of unpc-align-dev as one collection, with 1 and 2
local workers, beside hunalign run document by document on the same files.

Measures the path ``untm align-batch`` takes (``untm.batch.run_batch`` → ``untm.pipeline``), with
paragraph-structured input (``{lang}.para.txt``). Prints, per run: wall seconds of the batch
(cluster already started and each worker's preset built, which are reported apart), sentences/s
(all languages' sentences), sentences/s per core of alignment alone (from the workers' own
per-document times), sentences per CPU-second of the workers (their process CPU time over the
batch), the scheduling overhead per document (wall × workers − alignment time, over the
documents), and each worker's resident memory after the run. With ``--repeat`` the rates are
medians and the other figures those of the run with the median wall time.

hunalign is built from its public source (``fetch`` danielvarga/hunalign, ``make`` in
``src/hunalign``; never committed) and given with ``--hunalign PATH``; it runs on the flat
sentence files of the first pair (``{lang}.txt``) with an empty dictionary, one process per
document as its users run it.

    python benchmarks/align_batch.py --langs ru,en --hunalign /tmp/hunalign/src/hunalign/hunalign
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from untm import batch  # noqa: E402

DEV = ROOT.parent / "shared" / "data" / "unpc-align-dev"


def manifest(langs: list[str], folder: Path, limit: int | None) -> Path:
    docs = sorted(p.name for p in DEV.iterdir() if p.is_dir())[:limit]
    path = folder / "manifest.csv"
    rows = ["doc_id,lang,path"]
    rows += [f"{d},{lang},{DEV / d / f'{lang}.para.txt'}" for d in docs for lang in langs]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def rss_mb() -> float:
    import psutil

    return psutil.Process().memory_info().rss / 2**20


def build_preset(settings: batch.Settings) -> None:
    """On a worker: the aligner preset, kept there (it holds term automata, which stay put)."""
    batch.worker_config(settings)


def run(
    workers: int, specs: list[batch.DocumentSpec], settings: batch.Settings, out: Path
) -> dict[str, float]:
    started = time.perf_counter()
    client = batch.local_client(workers)
    client.run(build_preset, settings)  # each worker builds the preset once, as in a real batch
    ready = time.perf_counter() - started
    try:
        cpu_before = client.run(time.process_time)
        result = batch.run_batch(specs, out, settings, client=client)
        cpu_after = client.run(time.process_time)
        memory = list(client.run(rss_mb).values())
    finally:
        cluster = client.cluster
        client.close()
        cluster.close()
    ok = [r for r in result.reports if r.status == "ok"]
    sentences = sum(sum(r.sentences.values()) for r in ok)
    align_seconds = sum(r.seconds for r in ok)
    return {
        "workers": workers,
        "documents": len(ok),
        "failed": result.failed,
        "sentences": sentences,
        "start": ready,
        "wall": result.seconds,
        "rate": sentences / result.seconds,
        "per_core": sentences / align_seconds,
        # the workers' CPU time over the batch (alignment, writing, their share of Dask): steadier
        # than wall-clock figures on a machine that other work shares
        "per_cpu": sentences / sum(cpu_after[w] - cpu_before[w] for w in cpu_after),
        "overhead_ms": 1000 * (result.seconds * workers - align_seconds) / max(1, len(ok)),
        "rss_mb": max(memory),
    }


def hunalign(binary: Path, langs: list[str], limit: int | None) -> dict[str, float]:
    docs = sorted(p.name for p in DEV.iterdir() if p.is_dir())[:limit]
    first, second = langs[0], langs[1]
    with tempfile.NamedTemporaryFile("w", suffix=".dic") as empty:
        started = time.perf_counter()
        sentences = 0
        for doc in docs:
            a, b = DEV / doc / f"{first}.txt", DEV / doc / f"{second}.txt"
            sentences += sum(1 for _ in a.open(encoding="utf-8")) + sum(1 for _ in b.open(encoding="utf-8"))
            subprocess.run(
                [str(binary), "-text", empty.name, str(a), str(b)],
                check=True,
                cwd=Path(empty.name).parent,  # hunalign leaves a translate.txt behind
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        wall = time.perf_counter() - started
    return {"documents": len(docs), "sentences": sentences, "wall": wall, "rate": sentences / wall}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--langs", default="ru,en", help="languages, the first is the pivot (default ru,en)")
    parser.add_argument("--workers", default="1,2", help="worker counts to compare (default 1,2)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per worker count (median reported)")
    parser.add_argument("--limit", type=int, default=None, help="only the first N documents")
    parser.add_argument("--hunalign", type=Path, default=None, help="a hunalign binary to run beside")
    args = parser.parse_args()
    langs = args.langs.split(",")
    settings = batch.Settings(langs=tuple(langs), presegmented=True)
    print(f"unpc-align-dev as a collection, languages {'-'.join(langs)}, paragraphs (.para.txt)")
    print(
        f"{'engine':<22}{'docs':>5}{'sentences':>10}{'start s':>9}{'wall s':>8}{'sent/s':>9}"
        f"{'sent/s/core':>12}{'sent/CPU-s':>11}{'overhead ms/doc':>16}{'RSS MB/worker':>14}"
    )
    rates: dict[int, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        specs, failed = batch.discover(manifest(langs, Path(tmp), args.limit))
        assert not failed, failed
        for workers in (int(w) for w in args.workers.split(",")):
            runs = [
                run(workers, specs, settings, Path(tmp) / f"out{workers}-{i}") for i in range(args.repeat)
            ]
            row = sorted(runs, key=lambda r: r["wall"])[len(runs) // 2]
            rates[workers] = statistics.median(r["rate"] for r in runs)
            label = f"untm dask {workers} worker(s)"
            print(
                f"{label:<22}{row['documents']:>5}{row['sentences']:>10}"
                f"{row['start']:>9.1f}{row['wall']:>8.1f}{rates[workers]:>9.0f}{row['per_core']:>12.0f}"
                f"{statistics.median(r['per_cpu'] for r in runs):>11.0f}"
                f"{row['overhead_ms']:>16.1f}{row['rss_mb']:>14.0f}"
            )
    if args.hunalign:
        h = hunalign(args.hunalign, langs, args.limit)
        print(
            f"{'hunalign (flat, 1 proc)':<22}{h['documents']:>5}{h['sentences']:>10}{'':>9}"
            f"{h['wall']:>8.1f}"
            f"{h['rate']:>9.0f}{h['rate']:>12.0f}{'':>11}{'':>16}{'':>14}"
        )
    if 1 in rates and 2 in rates:
        print(f"speed-up with 2 workers: {rates[2] / rates[1]:.2f}x")


if __name__ == "__main__":
    main()
