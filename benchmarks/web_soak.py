"""Soak the look-up page: `untm serve` on a large memory, several clients at once, for minutes.

The server is the real one (``untm serve`` on 127.0.0.1, waitress, per-thread SQLite
connections), started by this script and stopped by it. The memory holds ``--units`` units built
from the 4,000 en/ru/zh tuples of ../shared/data/unpc-dev (copy ``c`` appends `` [c]``, so no two
are duplicates; the text is real UN text repeated) and is kept in ``--cache`` between runs.

Each client (a thread with its own keep-alive connection) loops for ``--seconds``: it picks a
query the way a translator types one — a term of the bundled termbase in zh/ru/en (南朝鲜,
Генеральная Ассамблея), two or three words cut from a UN sentence (concordance), or now and then
a whole sentence pasted (fuzzy match) — and asks ``/search?q=…`` (the fragment the page fetches),
then, as the page does, ``/search?q=…&spot=1`` for the renderings of the query in the hits (timed
apart: the hits are on screen before it).

Prints the latency percentiles, errors (any status but 200, any exception), how many of the
requests were distinct queries (the server caches answers until the memory or termbase changes;
``--no-cache`` measures without it), and the server's RSS (all its processes) at the start, the
end and its maximum (sampled every 5 s), as a markdown table.

    .venv/bin/python benchmarks/web_soak.py --units 300000 --clients 8 --seconds 600
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tmx.units import TranslationUnit  # noqa: E402
from tmx.writer import TmxWriter  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "unpc-dev"
LANGS = ("en", "ru", "zh")
UNTM = str(Path(sys.executable).with_name("untm"))


def lines() -> dict[str, list[str]]:
    return {lang: (DATA / f"UNv1.0.devset.{lang}").read_text(encoding="utf-8").splitlines() for lang in LANGS}


def build_memory(path: Path, units: int) -> None:
    if path.exists():
        return
    text = lines()
    n = len(text["en"])
    tmx = path.with_suffix(".tmx")
    with TmxWriter(tmx, srclang="en") as writer:
        for k in range(units):
            c, i = divmod(k, n)
            suffix = f" [{c}]" if c else ""
            writer.write(TranslationUnit.from_texts({lang: text[lang][i] + suffix for lang in LANGS}))
    subprocess.run([UNTM, "tm", "import", str(tmx), "--tm", str(path), "-q"], check=True)
    tmx.unlink()


def queries(seed: int) -> list[str]:
    """Terms, concordance phrases and pasted sentences, in the proportions 4 : 5 : 1."""
    from termbase.store import bundled_concepts

    rng = random.Random(seed)
    terms = [t.text for c in bundled_concepts() for t in c.terms if t.lang in LANGS]
    text = lines()
    phrases = []
    for lang in LANGS:
        for line in rng.sample(text[lang], 3000):
            if lang == "zh":
                start = rng.randrange(max(1, len(line) - 4))
                phrases.append(line[start : start + rng.choice((2, 3, 4))])
            else:
                words = line.split()
                if len(words) > 3:
                    start = rng.randrange(len(words) - 2)
                    phrases.append(" ".join(words[start : start + rng.choice((2, 3))]))
    sentences = [line for lang in LANGS for line in rng.sample(text[lang], 1000) if 40 <= len(line) <= 300]
    out = []
    for _ in range(60000):
        roll = rng.random()
        pool = terms if roll < 0.4 else phrases if roll < 0.9 else sentences
        out.append(rng.choice(pool))
    return out


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def client(
    port: int,
    asks: list[str],
    until: float,
    times: list[float],
    errors: list[str],
    spot_times: list[float] | None = None,
) -> None:
    """Ask as the page does: the hits (``/search``), then, when the answer says their renderings
    are pending, the renderings (``/search?…&spot=1``), timed apart in ``spot_times``."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    k = 0
    while time.monotonic() < until:
        query = asks[k % len(asks)]
        k += 1
        path = "/search?q=" + urllib.parse.quote(query)
        for step, record in ((path, times), (path + "&spot=1", spot_times)):
            start = time.perf_counter()
            try:
                conn.request("GET", step, headers={"Host": f"127.0.0.1:{port}", "X-Untm-Partial": "1"})
                response = conn.getresponse()
                body = response.read()
                if response.status != 200:
                    errors.append(f"{response.status} {query!r}")
            except (OSError, http.client.HTTPException) as error:
                errors.append(f"{type(error).__name__} {query!r}")
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                break
            if record is not None:
                record.append(time.perf_counter() - start)
            if record is spot_times or b'data-spotting="pending"' not in body:
                break
    conn.close()


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--units", type=int, default=300_000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=600)
    parser.add_argument("--threads", type=int, default=8, help="waitress threads (untm serve --threads)")
    parser.add_argument("--workers", type=int, default=None, help="untm serve --workers (default: its own)")
    parser.add_argument("--no-cache", action="store_true", help="serve with its answer cache off")
    parser.add_argument(
        "--no-lane", action="store_true", help="spot renderings in the request's thread (no niced lane)"
    )
    parser.add_argument(
        "--lane-workers",
        type=int,
        default=None,
        help="processes in each server's spotting lane (UNTM_WEB_LANE_WORKERS; default: the server's)",
    )
    parser.add_argument("--cache", type=Path, default=Path("/tmp/untm-bench"))
    parser.add_argument(
        "--memory",
        type=Path,
        default=None,
        help="soak this memory instead (e.g. the large-vocabulary copy concordance_vocab.py makes)",
    )
    args = parser.parse_args()

    args.cache.mkdir(parents=True, exist_ok=True)
    memory = args.memory or args.cache / f"soak-{args.units}.sqlite"
    started = time.perf_counter()
    if args.memory is None:
        build_memory(memory, args.units)
    size = f"{args.units:,} units; " if args.memory is None else ""
    print(f"memory: {memory} ({size}ready in {time.perf_counter() - started:.0f} s)")
    port = free_port()
    command = [UNTM, "serve", "--tm", str(memory), "--port", str(port), "--threads", str(args.threads)]
    if args.workers:
        command += ["--workers", str(args.workers)]
    env = dict(
        os.environ, UNTM_WEB_CACHE="0" if args.no_cache else "1", UNTM_WEB_LANE="0" if args.no_lane else "1"
    )
    if args.lane_workers:
        env["UNTM_WEB_LANE_WORKERS"] = str(args.lane_workers)
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.1)
        process = psutil.Process(server.pid)
        asks = queries(7)
        # one warm-up pass per client's share: the first query of each thread opens its connections
        warm_times: list[float] = []
        client(port, asks[:50], time.monotonic() + 10, warm_times, [])

        def server_rss() -> int:
            return sum(p.memory_info().rss for p in [process, *process.children()])

        rss = [server_rss()]
        until = time.monotonic() + args.seconds
        times: list[list[float]] = [[] for _ in range(args.clients)]
        spots: list[list[float]] = [[] for _ in range(args.clients)]
        errors: list[str] = []
        threads = [
            threading.Thread(
                target=client,
                args=(port, asks[k * 997 :] + asks[: k * 997], until, times[k], errors, spots[k]),
            )
            for k in range(args.clients)
        ]
        for thread in threads:
            thread.start()
        while any(thread.is_alive() for thread in threads):
            time.sleep(5)
            rss.append(server_rss())
        for thread in threads:
            thread.join()
        latencies = [t for per in times for t in per]
        spot_ms = [t * 1000 for per in spots for t in per]
        asked = [asks[(k * 997 + j) % len(asks)] for k in range(args.clients) for j in range(len(times[k]))]
        distinct = len(set(asked))
    finally:
        server.terminate()
        server.wait(timeout=30)
    ms = [t * 1000 for t in latencies]
    lanes = args.lane_workers or "default"
    print(
        f"\n{args.clients} clients, {args.seconds:.0f} s, {len(ms):,} requests ({distinct:,} distinct "
        f"queries), server --threads {args.threads} --workers {args.workers or 'default'}, "
        f"answer cache {'off' if args.no_cache else 'on'}, spotting lane "
        f"{'off' if args.no_lane else f'on ({lanes} processes per server)'}\n"
    )
    print("| requests | errors | req/s | p50 ms | p95 ms | p99 ms | max ms | RSS start / end / max MB |")
    print("|---|---|---|---|---|---|---|---|")
    mb = [r / 2**20 for r in rss]
    print(
        f"| {len(ms):,} | {len(errors)} | {len(ms) / args.seconds:.1f} | {statistics.median(ms):.1f} | "
        f"{percentile(ms, 95):.1f} | {percentile(ms, 99):.1f} | {max(ms):.0f} | "
        f"{mb[0]:.0f} / {mb[-1]:.0f} / {max(mb):.0f} |"
    )
    if spot_ms:
        print(
            f"\nrenderings (the page's second request, spot=1) for {len(spot_ms):,} of them: "
            f"p50 {statistics.median(spot_ms):.1f} ms, p95 {percentile(spot_ms, 95):.1f} ms, "
            f"p99 {percentile(spot_ms, 99):.1f} ms, max {max(spot_ms):.0f} ms"
        )
    per_minute = [f"{m:.0f}" for m in mb[:: max(1, round(60 / 5))]]
    print(f"\nserver RSS (MB) at the start and then every minute: {' '.join(per_minute)}")
    if errors:
        print("\nfirst errors:", *errors[:10], sep="\n  ")
    slow = sorted(zip(latencies, range(len(latencies)), strict=True))[-5:]
    print(f"\nslowest {len(slow)} requests (ms): {', '.join(f'{t * 1000:.0f}' for t, _ in slow)}")


if __name__ == "__main__":
    main()
