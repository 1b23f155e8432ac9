"""What finding Russian queries inflected costs the SQLite concordance: the same Russian queries
searched as written only (the store's substring search) and as ``tm search`` runs them (also
inflected, ``tmx.store.inflection``), alternated query by query in one process on the soak
memory of ``benchmarks/web_soak.py`` (built there on first use: ``--units`` units of unpc-dev).

Queries: the Russian ones among ``web_soak.py``'s (termbase terms, two or three words cut from
UN sentences, pasted sentences). Prints p50/p95 of both and how many queries find more units.

    .venv/bin/python benchmarks/concordance_ru.py [--units 300000] [--queries 300] [--limit 30]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from web_soak import build_memory, percentile, queries  # noqa: E402

from tmx.store import open_memory  # noqa: E402


def russian_soak(description: str | None) -> tuple[argparse.Namespace, Path, list[str]]:
    """The options of the Russian concordance benchmarks, the soak memory (built on first use)
    and the Russian queries among the soak's."""
    parser = argparse.ArgumentParser(
        description=description, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--units", type=int, default=300_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--limit", type=int, default=30)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/untm-bench"))
    args = parser.parse_args()

    args.cache.mkdir(parents=True, exist_ok=True)
    memory = args.cache / f"soak-{args.units}.sqlite"
    build_memory(memory, args.units)
    russian = [q for q in queries(7) if any("а" <= c <= "я" for c in q.lower())][: args.queries]
    return args, memory, russian


def main() -> None:
    args, memory, russian = russian_soak(__doc__)
    store = open_memory(memory, readonly=True)
    for query in russian[:20]:  # warm-up: pymorphy3, the page cache
        store.search(query, "ru", limit=args.limit)
    times: dict[str, list[float]] = {"as written": [], "also inflected": []}
    more = 0
    for i, query in enumerate(russian):
        found = {}
        for name in ("as written", "also inflected") if i % 2 else ("also inflected", "as written"):
            start = time.perf_counter()
            if name == "as written":
                hits = store._literal("ru", query, args.limit)  # the substring search alone
            else:
                hits = store.search(query, "ru", limit=args.limit)
            times[name].append((time.perf_counter() - start) * 1000)
            found[name] = len(hits)
        more += found["also inflected"] > found["as written"]
    print(f"{len(russian)} Russian queries, limit {args.limit}, {args.units:,} units\n")
    print("| search | p50 ms | p95 ms | max ms |")
    print("|---|---|---|---|")
    for name, values in times.items():
        print(
            f"| {name} | {statistics.median(values):.1f} | {percentile(values, 95):.1f} | {max(values):.0f} |"
        )
    print(f"\nqueries finding more units when inflected: {more} of {len(russian)}")


if __name__ == "__main__":
    main()
