"""The team store: the translation memory on PostgreSQL beside SQLite, on the same units.

Starts a throw-away PostgreSQL server (Debian's ``postgresql``; ``tests/pgserver.py``), imports
``--units`` units (the unpc-dev tuples replicated as in ``benchmarks/tm_store.py``) into both
stores through ``tmx.store.open_memory`` — the path ``untm tm import --tm URL`` takes — and
prints, per store: import rate, concordance (search) p50/p95 and fuzzy match p50/p95 over the
same queries, then search p95 on PostgreSQL under 8 concurrent reader threads while a second
import runs, and the plans and timings of a two-character Chinese query through ``pg_trgm``
against the character-bigram index.

    .venv/bin/python benchmarks/tm_store_pg.py --units 200000 --queries 200
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

sys.path.insert(0, str(ROOT / "benchmarks"))
from tm_store import load, match_queries, percentile, replicate, search_queries  # noqa: E402

from tests import pgserver  # noqa: E402
from tmx.store import open_memory  # noqa: E402


def latencies(store: object, queries: list, kind: str) -> list[float]:  # type: ignore[type-arg]
    out = []
    for query in queries:
        start = time.perf_counter()
        if kind == "search":
            lang, text = query
            store.search(text, lang, limit=50)  # type: ignore[attr-defined]
        else:
            source, target, _row, segment = query
            store.match(segment, source, target, minimum=70)  # type: ignore[attr-defined]
        out.append((time.perf_counter() - start) * 1000)
    return out


def _reader(url: str, queries: list, stop: Any, out: Any) -> None:  # type: ignore[type-arg]
    """One translator's look-ups, in a process of its own (as on a team: one process each)."""
    times: list[float] = []
    with open_memory(url, readonly=True) as store:
        i = 0
        while not stop.is_set():
            times.extend(latencies(store, [queries[i % len(queries)]], "search"))
            i += 1
    out.put(times)


def concurrent_readers(
    url: str,
    queries: list,
    lines: dict[str, list[str]],
    extra: int,  # type: ignore[type-arg]
    readers: int = 8,
) -> tuple[list[float], float]:
    """Search latencies of ``readers`` processes while ``extra`` new units import."""
    context = multiprocessing.get_context("spawn")
    stop, out = context.Event(), context.Queue()
    processes = [context.Process(target=_reader, args=(url, queries, stop, out)) for _ in range(readers)]
    for process in processes:
        process.start()
    time.sleep(3)  # the readers have started and connected
    start = time.perf_counter()
    with open_memory(url) as writer:
        units = list(replicate(lines, 4000 * 1000 + extra))[4000 * 1000 :]  # fresh copies: all new
        writer.import_units(units)
    import_seconds = time.perf_counter() - start
    stop.set()
    times = [t for _ in processes for t in out.get()]
    for process in processes:
        process.join()
    return times, import_seconds


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--units", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument(
        "--concurrent-import", type=int, default=20_000, help="units imported while 8 readers search"
    )
    args = parser.parse_args()
    rng = random.Random(7)
    lines = load()
    searches = search_queries(lines, args.queries, rng)
    matches = match_queries(lines, args.queries, rng)
    print(f"{args.units:,} units (unpc-dev en/ru/zh replicated), {args.queries} queries of each kind\n")
    print("| store | import TU/s | search p50 ms | search p95 ms | match p50 ms | match p95 ms |")
    print("|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp, pgserver.server() as url:
        for name, location in (("SQLite", str(Path(tmp) / "m.sqlite")), ("PostgreSQL", url)):
            store = open_memory(location)
            start = time.perf_counter()
            store.import_units(replicate(lines, args.units))
            rate = args.units / (time.perf_counter() - start)
            s = latencies(store, searches, "search")
            m = latencies(store, matches, "match")
            print(
                f"| {name} | {rate:,.0f} | {statistics.median(s):.1f} | {percentile(s, 0.95):.1f} | "
                f"{statistics.median(m):.1f} | {percentile(m, 0.95):.1f} |"
            )
            store.close()
        times, seconds = concurrent_readers(url, searches, lines, args.concurrent_import)
        print(
            f"\nPostgreSQL, 8 concurrent readers while {args.concurrent_import:,} units import "
            f"({seconds:.1f} s): {len(times)} searches, p50 {statistics.median(times):.1f} ms, "
            f"p95 {percentile(times, 0.95):.1f} ms, p99 {percentile(times, 0.99):.1f} ms"
        )
        import psycopg

        with psycopg.connect(url) as conn:
            conn.execute("SET enable_seqscan = on")
            for label, sql, param in (
                (
                    "pg_trgm LIKE '%朝鲜%'",
                    "SELECT tu FROM untm_seg WHERE lang = 'zh' AND text LIKE %s",
                    "%朝鲜%",
                ),
                (
                    "bigram grams @> '{朝鲜}'",
                    "SELECT tu FROM untm_seg WHERE lang = 'zh' AND grams @> %s::text[]",
                    ["朝鲜"],
                ),
            ):
                plan = conn.execute("EXPLAIN (ANALYZE, BUFFERS OFF, COSTS OFF) " + sql, (param,)).fetchall()
                print(f"\n{label}:")
                for (row,) in plan:
                    print(f"    {row}")


if __name__ == "__main__":
    main()
