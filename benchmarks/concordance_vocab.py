"""What the vocabulary look-up costs a concordance search, read word by word or from its trigram
index, as the vocabulary grows to the size of a real memory's.

A query's first and last word may be the end and the start of a longer word, so the SQLite store
turns them into the vocabulary words that end or start with them (``MemoryStore._vocabulary``).
Reading every word costs time in proportion to the vocabulary; the trigram index
(``parts_<lang>``) finds the words holding a part without reading the others.

The soak memory of ``benchmarks/web_soak.py`` repeats the 4,000 unpc-dev units, so its Russian
vocabulary is small (~17,000 words); a memory of 300,000 distinct UN units has far more word
forms. The large vocabulary here is that one plus every form of its Russian words in
pymorphy3's dictionary (~150,000 real forms, in a copy of the memory): the units and the index
are unchanged, only the vocabulary grows. The Russian queries of ``web_soak.py`` are searched
with the trigram index and with every word read (the index hidden from the store), alternated
query by query in one process; the hits must be the same.

    .venv/bin/python benchmarks/concordance_vocab.py [--units 300000] [--queries 300] [--limit 30]
"""

from __future__ import annotations

import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from concordance_ru import russian_soak  # noqa: E402
from web_soak import percentile  # noqa: E402

from tmx.store import MemoryStore  # noqa: E402


def large_vocabulary(memory: Path, target: Path) -> None:
    """A copy of ``memory`` whose Russian vocabulary also holds every dictionary form of its
    words (the trigger fills the trigram index)."""
    if target.exists():
        return
    import pymorphy3

    shutil.copy(memory, target)
    with MemoryStore(target) as store:  # a read-write open: the trigram index exists
        words = [w for (w,) in store.conn.execute("SELECT term FROM words_ru")]
        morph = pymorphy3.MorphAnalyzer()
        forms = {form.word for w in words if w.isalpha() for form in morph.parse(w)[0].lexeme}
        with store.conn:
            store.conn.executemany("INSERT OR IGNORE INTO words_ru VALUES (?)", ((f,) for f in sorted(forms)))


def main() -> None:
    args, memory, russian = russian_soak(__doc__)
    with MemoryStore(memory):  # a read-write open gives a memory made before it the index
        pass
    large = args.cache / f"soak-{args.units}-vocabulary.sqlite"
    large_vocabulary(memory, large)

    print(f"{len(russian)} Russian queries, limit {args.limit}, {args.units:,} units\n")
    print("| Russian vocabulary | words | look-up | search p50 ms | p95 ms | mean ms |")
    print("|---|---|---|---|---|---|")
    for name, path in (("the soak memory's", memory), ("+ every dictionary form", large)):
        store = MemoryStore(path, readonly=True)
        size = store.conn.execute("SELECT count(*) FROM words_ru").fetchone()[0]
        indexed = set(store._part_indexes())
        for query in russian[:20]:  # warm-up: pymorphy3, the page cache
            store.search(query, "ru", limit=args.limit)
        times: dict[str, list[float]] = {"trigram index": [], "every word read": []}
        for i, query in enumerate(russian):
            found = {}
            for how in ("trigram index", "every word read")[:: 1 if i % 2 else -1]:
                store._parts = indexed if how == "trigram index" else set()
                start = time.perf_counter()
                hits = store.search(query, "ru", limit=args.limit)
                times[how].append((time.perf_counter() - start) * 1000)
                found[how] = [h.tu_id for h in hits]
            if found["trigram index"] != found["every word read"]:
                raise SystemExit(f"different hits for {query!r}")
        for how, ms in times.items():
            print(
                f"| {name} | {size:,} | {how} | {statistics.median(ms):.1f} | "
                f"{percentile(ms, 95):.1f} | {statistics.fmean(ms):.1f} |"
            )
        store.close()


if __name__ == "__main__":
    main()
