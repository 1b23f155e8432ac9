"""The team store: the translation memory on PostgreSQL beside SQLite, on the same units.

Starts a throw-away PostgreSQL server (Debian's ``postgresql``; ``tests/pgserver.py``), writes
``--units`` units (the unpc-dev tuples replicated as in ``benchmarks/tm_store.py``) to a TMX file
(not timed) and imports it into each store with ``untm tm import FILE --tm LOCATION`` (the CLI,
in this process), then prints, per store: import rate, concordance (search) p50/p95 and fuzzy
match p50/p95 over the same queries (search: a second pass; the first pass's p95, in a process
whose caches are cold, beside it; the stores asked in turns, query by query, so that a load
that comes and goes weighs on each alike); then search latencies on PostgreSQL from 8 reader
processes while a second import runs, and the plans and timings of a two-character Chinese
query through ``pg_trgm`` against the character-bigram keys.

``--compare-rev REV`` also runs the PostgreSQL store of git revision ``REV`` (its
``tmx/store/postgres.py``, its ``import_from`` on the same file) in the same run: an A/B on
one machine at one time.

    .venv/bin/python benchmarks/tm_store_pg.py --units 200000 --queries 200 [--compare-rev c326242]
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import multiprocessing
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import types
from collections import defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

sys.path.insert(0, str(ROOT / "benchmarks"))
from click.testing import CliRunner  # noqa: E402
from tm_store import load, match_queries, percentile, replicate, search_queries  # noqa: E402

from tests import pgserver  # noqa: E402
from tmx.convert import read_units  # noqa: E402
from tmx.store import open_memory  # noqa: E402
from tmx.store.postgres import query_char_keys  # noqa: E402
from tmx.writer import TmxWriter  # noqa: E402
from untm.cli import main as untm_main  # noqa: E402


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


def interleaved(stores: list[Any], queries: list, kind: str) -> list[list[float]]:  # type: ignore[type-arg]
    """Each store's latencies for ``queries``, the stores asked in turns for each query (the
    first to be asked rotating)."""
    out: list[list[float]] = [[] for _ in stores]
    for i, query in enumerate(queries):
        for k in range(len(stores)):
            at = (i + k) % len(stores)
            out[at] += latencies(stores[at], [query], kind)
    return out


def _reader(url: str, queries: list, stop: Any, out: Any) -> None:  # type: ignore[type-arg]
    """One translator's look-ups, in a process of its own (as on a team: one process each),
    after one untimed pass over the queries (a server that has been running a while)."""
    times: list[float] = []
    with open_memory(url, readonly=True) as store:
        latencies(store, queries, "search")
        out.put("ready")
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
    for _ in processes:  # every reader has made its warm-up pass
        out.get()
    start = time.perf_counter()
    with open_memory(url) as writer:
        writer.import_units(replicate(lines, extra, first_copy=1_000_000))  # all new
    import_seconds = time.perf_counter() - start
    stop.set()
    times = [t for _ in processes for t in out.get()]
    for process in processes:
        process.join()
    return times, import_seconds


def store_at(rev: str) -> Any:
    """The ``tmx.store.postgres`` module of git revision ``rev``, loaded under another name."""
    source = subprocess.run(
        ["git", "show", f"{rev}:tmx/store/postgres.py"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    name = f"untm_postgres_{rev}"
    module = types.ModuleType(name)
    sys.modules[name] = module
    exec(compile(source, f"{rev}:tmx/store/postgres.py", "exec"), module.__dict__)
    return module


class ServerPhases:
    """Where the server spends an import: ``pg_stat_activity`` of the database sampled every
    0.1 s from a thread of this process; seconds per statement (its first words), and "idle in
    transaction" (the server waiting for the importer, that is for the reading process)."""

    def __init__(self, url: str) -> None:
        self.url, self.seconds = url, defaultdict[str, float](float)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> ServerPhases:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()

    def _sample(self) -> None:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            last = time.perf_counter()
            while not self.stop.wait(0.1):
                rows = conn.execute(
                    "SELECT state, query FROM pg_stat_activity WHERE datname = current_database() "
                    "AND pid <> pg_backend_pid() AND backend_type = 'client backend' "
                    "AND xact_start IS NOT NULL"
                ).fetchall()
                now = time.perf_counter()
                for state, query in rows:
                    phase = "waiting for the importer" if state != "active" else " ".join(query.split()[:6])
                    self.seconds[phase] += now - last
                last = now

    def summary(self) -> str:
        ordered = sorted(self.seconds.items(), key=lambda item: -item[1])
        return ", ".join(f"{phase} {seconds:.1f} s" for phase, seconds in ordered)


def client_cpu() -> float:
    """CPU seconds of this process and of its children that have ended (the reading process)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def server_cpu(url: str) -> float:
    """CPU seconds of the PostgreSQL server of ``url`` so far: the postmaster, its live processes
    and those it has reaped (a backend's time moves to its parent's account when it ends)."""
    import psutil

    port = f"port={urlparse(url).port}"
    for process in psutil.process_iter(["name", "cmdline"]):
        if process.info["name"] == "postgres" and port in " ".join(process.info["cmdline"] or ()):
            times = process.cpu_times()
            total = times.user + times.system + times.children_user + times.children_system
            for kid in process.children():
                with contextlib.suppress(psutil.Error):
                    kid_times = kid.cpu_times()
                    total += kid_times.user + kid_times.system
            return total
    return 0.0


def imported(name: str, location: str, tmx: Path, module: Any, units: int) -> tuple[Any, float]:
    """The store at ``location`` after importing ``tmx`` into it, and the import's seconds.
    Prints the CPU the import took, the server's included: its sum over the units bounds the
    rate on this machine's cores, whatever runs in parallel."""
    postgres = location.startswith("postgresql:")
    phases = ServerPhases(location) if postgres else None
    client, server = client_cpu(), server_cpu(location) if postgres else 0.0
    with phases or contextlib.nullcontext():
        store, seconds = _imported(name, location, tmx, module)
    client, server = client_cpu() - client, (server_cpu(location) - server) if postgres else 0.0
    cores = os.cpu_count() or 1
    per_unit = (client + server) / units * 1e6
    print(
        f"<!-- {name} import CPU: untm {client:.1f} s + server {server:.1f} s = {per_unit:.0f} µs a unit; "
        f"on {cores} cores at most {cores * 1e6 / per_unit:,.0f} TU/s for this work -->",
        flush=True,
    )
    if phases is not None:
        print(f"<!-- {name} import, server: {phases.summary()} -->", flush=True)
    return store, seconds


def _imported(name: str, location: str, tmx: Path, module: Any) -> tuple[Any, float]:
    start = time.perf_counter()
    if module is None:
        result = CliRunner().invoke(
            untm_main, ["tm", "import", str(tmx), "--tm", location, "--format", "json"]
        )
        if result.exit_code != 0:
            raise SystemExit(f"untm tm import failed ({name}): {result.output}")
        seconds = time.perf_counter() - start
        return open_memory(location), seconds
    store = module.PostgresMemoryStore(location)
    store.import_from(functools.partial(read_units, tmx), origin=str(tmx))
    return store, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--units", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument(
        "--concurrent-import", type=int, default=20_000, help="units imported while 8 readers search"
    )
    parser.add_argument("--compare-rev", help="also the PostgreSQL store of this git revision")
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    parser.add_argument(
        "--shared-buffers",
        help="the server's shared_buffers (e.g. 6GB: a quarter of the memory, as the README's team "
        "set-up advises; default PostgreSQL's 128MB)",
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=7,
        help="the queries' random seed (7: the set the searches were tuned on; report another beside it)",
    )
    args = parser.parse_args()
    rng = random.Random(args.seed)
    lines = load()
    searches = search_queries(lines, args.queries, rng)
    matches = match_queries(lines, args.queries, rng)
    print(
        f"{args.units:,} units (unpc-dev en/ru/zh replicated), {args.queries} queries of each kind "
        f"(seed {args.seed}); "
        f"PostgreSQL shared_buffers {args.shared_buffers or '128MB (its default)'}\n"
    )
    print(
        "| store | import TU/s | search p50 ms | search p95 ms (first pass) | match p50 ms | match p95 ms |"
    )
    print("|---|---|---|---|---|---|")
    settings = {"shared_buffers": args.shared_buffers} if args.shared_buffers else None
    with tempfile.TemporaryDirectory() as tmp, pgserver.server(settings=settings) as server:
        tmx = Path(tmp) / "units.tmx"
        with TmxWriter(tmx, srclang="en") as writer:
            writer.write_all(replicate(lines, args.units))
        runs: list[tuple[str, str, Any]] = [("PostgreSQL", pgserver.new_database(server), None)]
        if args.compare_rev:
            runs.append(
                (
                    f"PostgreSQL @ {args.compare_rev}",
                    pgserver.new_database(server),
                    store_at(args.compare_rev),
                )
            )
        if not args.no_sqlite:
            runs.insert(0, ("SQLite", str(Path(tmp) / "m.sqlite"), None))
        url = next(location for name, location, _ in runs if name == "PostgreSQL")
        stores = [(name, *imported(name, where, tmx, module, args.units)) for name, where, module in runs]
        # the stores' latencies taken in turns, query by query (the order rotating), so that a
        # load that comes and goes weighs on each alike
        cold = interleaved([store for _, store, _ in stores], searches, "search")  # caches empty
        warm = interleaved([store for _, store, _ in stores], searches, "search")
        fuzzy = interleaved([store for _, store, _ in stores], matches, "match")
        for (name, store, seconds), c, s, m in zip(stores, cold, warm, fuzzy, strict=True):
            print(
                f"| {name} | {args.units / seconds:,.0f} | {statistics.median(s):.1f} | "
                f"{percentile(s, 0.95):.1f} ({percentile(c, 0.95):.1f}) | {statistics.median(m):.1f} | "
                f"{percentile(m, 0.95):.1f} |",
                flush=True,
            )
            store.close()
        times, seconds = concurrent_readers(url, searches, lines, args.concurrent_import)
        print(
            f"\nPostgreSQL, 8 concurrent readers while {args.concurrent_import:,} units import "
            f"({seconds:.1f} s): {len(times)} searches, p50 {statistics.median(times):.1f} ms, "
            f"p95 {percentile(times, 0.95):.1f} ms, p99 {percentile(times, 0.99):.1f} ms"
        )
        import psycopg

        with psycopg.connect(url) as conn:  # one transaction, rolled back: the trigram index goes
            conn.execute("SET enable_seqscan = on")
            conn.execute(
                "CREATE INDEX untm_seg_trgm_zh ON untm_seg USING gin (text gin_trgm_ops) WHERE lang = 'zh'"
            )
            conn.execute("ANALYZE untm_seg")
            for label, sql, param in (
                (
                    "pg_trgm LIKE '%朝鲜%'",
                    "SELECT tu FROM untm_seg WHERE lang = 'zh' AND text LIKE %s",  # pg_trgm index present
                    "%朝鲜%",
                ),
                (
                    "bigram keys @> (朝鲜)",
                    "SELECT tu FROM untm_seg WHERE lang = 'zh' AND keys @> %s::int4[]",
                    query_char_keys("朝鲜"),
                ),
            ):
                plan = conn.execute("EXPLAIN (ANALYZE, BUFFERS OFF, COSTS OFF) " + sql, (param,)).fetchall()
                print(f"\n{label}:")
                for (row,) in plan:
                    print(f"    {row}")
            conn.rollback()


if __name__ == "__main__":
    main()
