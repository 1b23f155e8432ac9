"""Benchmark the translation memory store: import rate, database size, search and match latency.

The 4,000 en/ru/zh tuples of ../shared/data/unpc-dev are replicated to ``--units`` units. Copy
``c`` (c ≥ 1) appends `` [c]`` to every segment of the tuple, so no two copies are duplicates
(the store's de-duplication would otherwise collapse them to 4,000) while the text, and
therefore the trigram statistics, stay those of real UN sentences repeated.

The import is ``untm tm import FILE.tmx`` (the CLI, in this process) of those units written to
a TMX file first (not timed): the file is read and the units prepared in a second process while
this one writes the memory (``tmx.store.importer``). ``MemoryStore.import_units`` of the same units
from a Python generator (one process, a preparing thread) is measured on up to 100,000 units.

Peers, run in the same process on the same data, so the ratios hold on a busy machine:
  * import: the same rows inserted without the full-text index (what the index costs), and
    into bare FTS5 indexes of each design measured (``PEER_INDEXES``), without untm's code
    (up to 100,000 units, from the generator);
  * search: a plain ``instr()`` scan of the language's segments, in a plain table of all the
    segments (what the index saves);
  * match: exhaustive rapidfuzz scoring of every segment of the language (on a few queries:
    it is slow), which also gives the recall of the indexed candidate search.

Usage:
  .venv/bin/python benchmarks/tm_store.py --units 1000000 --queries 200
Prints a markdown table; deletes the database unless ``--keep``.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from click.testing import CliRunner  # noqa: E402

from tmx.fuzzy import match_percentage  # noqa: E402
from tmx.store import MemoryStore  # noqa: E402
from tmx.units import TranslationUnit  # noqa: E402
from tmx.writer import TmxWriter  # noqa: E402
from untm.cli import main as untm_main  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "unpc-dev"
LANGS = ("en", "ru", "zh")
SUFFIX = re.compile(r" \[\d+\]$")


def load() -> dict[str, list[str]]:
    return {lang: (DATA / f"UNv1.0.devset.{lang}").read_text(encoding="utf-8").splitlines() for lang in LANGS}


def replicate(lines: dict[str, list[str]], total: int, first_copy: int = 0) -> Iterator[TranslationUnit]:
    """``total`` units: the tuples, then copy c ≥ 1 of them with `` [c]`` appended; copies
    numbered from ``first_copy`` (a later import of units no memory holds yet)."""
    n = len(lines["en"])
    for i in range(total):
        copy, row = divmod(i, n)
        copy += first_copy
        suffix = f" [{copy}]" if copy else ""
        yield TranslationUnit.from_texts({lang: lines[lang][row] + suffix for lang in LANGS})


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def timed(func: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = func()
    return (time.perf_counter() - start) * 1000, result


def search_queries(lines: dict[str, list[str]], count: int, rng: random.Random) -> list[tuple[str, str]]:
    """Substrings of real segments: 2–3 words (en, ru) or 2–4 characters (zh)."""
    queries = []
    while len(queries) < count:
        lang = LANGS[len(queries) % 3]
        text = rng.choice(lines[lang])
        if lang == "zh":
            width = rng.choice((3, 4))
            if len(text) <= width:
                continue
            start = rng.randrange(len(text) - width)
            queries.append((lang, text[start : start + width]))
        else:
            words = text.split()
            if len(words) < 4:
                continue
            start = rng.randrange(len(words) - 3)
            queries.append((lang, " ".join(words[start : start + rng.choice((2, 3))])))
    return queries


def perturb(text: str, lang: str, rng: random.Random, donor: str) -> str:
    """A realistic near-miss, two edits: drop one word and replace another with a word of another
    sentence (Chinese: drop one or two characters, replace two with two of another sentence)."""
    if lang == "zh":
        cut = rng.randrange(max(1, len(text) - 2))
        text = text[:cut] + text[cut + rng.choice((1, 2)) :]
        at, take = rng.randrange(max(1, len(text) - 2)), rng.randrange(max(1, len(donor) - 2))
        return text[:at] + donor[take : take + 2] + text[at + 2 :]
    words = text.split()
    del words[rng.randrange(len(words))]
    words[rng.randrange(len(words))] = rng.choice(donor.split())
    return " ".join(words)


def match_queries(
    lines: dict[str, list[str]], count: int, rng: random.Random
) -> list[tuple[str, str, int, str]]:
    pairs = (("ru", "zh"), ("en", "ru"), ("zh", "en"))
    out: list[tuple[str, str, int, str]] = []
    while len(out) < count:
        src, tgt = pairs[len(out) % 3]
        row = rng.randrange(len(lines[src]))
        text = lines[src][row]
        if len(text) < 40:  # headings: too short for a meaningful near-miss
            continue
        out.append((src, tgt, row, perturb(text, src, rng, rng.choice(lines[src]))))
    return out


PEER_INDEXES = {
    # store format 2 (up to commit dea6ca3): a trigram index with positions for every language
    "trigram": {lang: "tokenize='trigram', content='', columnsize=0" for lang in LANGS},
    # store format 3: words without positions for en/ru, trigrams with positions for zh
    "words+zh-trigram": {
        "en": "tokenize='unicode61 remove_diacritics 0', content='', columnsize=0, detail=none",
        "ru": "tokenize='unicode61 remove_diacritics 0', content='', columnsize=0, detail=none",
        "zh": "tokenize='trigram', content='', columnsize=0",
    },
    # store format 4: ascii tokenizer, words without positions for en/ru, for zh the characters
    # spaced out (PEER_PREPARE) with positions
    "ascii-words+zh-chars": {
        "en": "tokenize='ascii', content='', columnsize=0, detail=none",
        "ru": "tokenize='ascii', content='', columnsize=0, detail=none",
        "zh": "tokenize='ascii', content='', columnsize=0",
    },
}
PEER_PREPARE = {("ascii-words+zh-chars", "zh"): " ".join}


def _peer_import(
    path: Path, lines: dict[str, list[str]], units: int, batch_size: int, index: str | None
) -> float:
    """Insert the same segments into a plain table (``index`` None), or only into the FTS5
    indexes ``PEER_INDEXES[index]``, without any untm code."""
    conn = sqlite3.connect(path)
    conn.executescript(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
        "CREATE TABLE seg(id INTEGER PRIMARY KEY, tu INT, lang TEXT, text TEXT)"
    )
    fts = index is not None
    for lang, options in PEER_INDEXES.get(index or "", {}).items():
        conn.execute(f"CREATE VIRTUAL TABLE fts_{lang} USING fts5(text, {options})")
    start = time.perf_counter()
    seg_id = 0
    batch: dict[str, list[tuple[int, str]]] = {lang: [] for lang in LANGS}

    def flush() -> None:
        with conn:
            for lang, rows in batch.items():
                if fts:
                    conn.executemany(f"INSERT INTO fts_{lang}(rowid, text) VALUES (?, ?)", rows)
                else:
                    conn.executemany(
                        "INSERT INTO seg VALUES (?, 0, ?, ?)", [(i, lang, text) for i, text in rows]
                    )
                rows.clear()

    prepare = {lang: PEER_PREPARE.get((index or "", lang)) for lang in LANGS}
    for n, unit in enumerate(replicate(lines, units), 1):
        for v in unit.variants:
            seg_id += 1
            step = prepare[v.lang]
            batch[v.lang].append((seg_id, step(v.text) if step else v.text))
        if n % batch_size == 0:
            flush()
    flush()
    rate = units / (time.perf_counter() - start)
    conn.close()
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--peer-queries", type=int, default=6, help="queries for the slow scan peers")
    parser.add_argument("--batch", type=int, default=5000)
    parser.add_argument("--dir", type=Path, default=None, help="where to put the database")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    lines = load()
    rng = random.Random(7)
    workdir = Path(tempfile.mkdtemp(prefix="untm-bench-", dir=args.dir))
    db = workdir / "memory.sqlite"
    rows: list[tuple[str, str, str]] = []
    try:
        # --- import: the CLI on a TMX file; the peers ---------------------------------------
        tmx_path = workdir / "units.tmx"
        start = time.perf_counter()
        with TmxWriter(tmx_path, srclang="en") as writer:
            writer.write_all(replicate(lines, args.units))
        write_seconds = time.perf_counter() - start
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        start, cpu_start = time.perf_counter(), time.process_time()
        result = CliRunner().invoke(
            untm_main,
            ["tm", "import", str(tmx_path), "--tm", str(db), "--batch", str(args.batch), "--format", "json"],
        )
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
        if result.exit_code != 0:
            raise SystemExit(f"untm tm import failed: {result.output}")
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        child_cpu = (after.ru_utime + after.ru_stime) - (children.ru_utime + children.ru_stime)
        tmx_size = tmx_path.stat().st_size
        tmx_path.unlink()
        store = MemoryStore(db)
        added = len(store)
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size = db.stat().st_size
        free = (
            store.conn.execute("PRAGMA freelist_count").fetchone()[0]
            * store.conn.execute("PRAGMA page_size").fetchone()[0]
        )
        peer_units = min(args.units, 100_000)
        generator_db = workdir / "generator.sqlite"
        with MemoryStore(generator_db) as other:
            gen_start, gen_cpu = time.perf_counter(), time.process_time()
            other.import_units(replicate(lines, peer_units), batch_size=args.batch)
            gen_rate = peer_units / (time.perf_counter() - gen_start)
            gen_cpu = time.process_time() - gen_cpu
        peer_rates = {
            name: _peer_import(
                workdir / f"peer-{name}.sqlite",
                lines,
                peer_units,
                args.batch,
                None if name == "plain" else name,
            )
            for name in ("plain", *PEER_INDEXES)
        }
        rate = added / seconds
        rows.append(
            (
                "import",
                f"`untm tm import` of a {tmx_size / 1e6:,.0f} MB TMX file (written in "
                f"{write_seconds:.0f} s beforehand): {added:,} units in {seconds:.1f} s = "
                f"**{rate:,.0f} TU/s** (CPU: this process {cpu:.0f} s, the reading process "
                f"{child_cpu:.0f} s; includes the final FTS optimize). `import_units` of "
                f"{peer_units:,} units from a generator, one process: {gen_rate:,.0f} TU/s "
                f"(CPU {gen_cpu:.1f} s)",
                f"same rows, {peer_units:,} units, no untm code: plain SQLite table "
                f"{peer_rates.pop('plain'):,.0f} TU/s; bare FTS5 indexes: "
                + "; ".join(f"{name} {r:,.0f} TU/s" for name, r in peer_rates.items()),
            )
        )
        text_bytes = sum(len(s.encode()) for lang in LANGS for s in lines[lang])
        rows.append(
            (
                "database size",
                f"{size / 1e6:,.0f} MB on disk, of which {free / 1e6:,.0f} MB free pages "
                f"left by the optimize (reused by the next import; VACUUM returns them) = "
                f"{(size - free) / added:,.0f} B/TU live",
                f"text alone: {text_bytes * args.units / 4000 / 1e6:,.0f} MB",
            )
        )
        # the scan peers read a plain table of every segment
        _peer_import(workdir / "peer-scan.sqlite", lines, args.units, args.batch, None)
        scan_db = sqlite3.connect(workdir / "peer-scan.sqlite")

        # --- concordance -------------------------------------------------------------------
        queries = search_queries(lines, args.queries, rng)
        store.search(queries[0][1], queries[0][0])  # warm-up
        latencies = []
        found = 0
        for lang, query in queries:
            ms, hits = timed(lambda lang=lang, query=query: store.search(query, lang, limit=50))
            latencies.append(ms)
            found += bool(hits)
        scan = []
        for lang, query in queries[: args.peer_queries]:
            ms, _ = timed(
                lambda lang=lang, query=query: scan_db.execute(
                    "SELECT id FROM seg WHERE lang = ? AND instr(text, ?) LIMIT 50", (lang, query)
                ).fetchall()
            )
            scan.append(ms)
        rows.append(
            (
                "search (limit 50)",
                f"median {statistics.median(latencies):.1f} ms, "
                f"p95 {percentile(latencies, 0.95):.1f} ms ({len(queries)} queries, {found} with hits)",
                f"instr() scan: median {statistics.median(scan):.1f} ms",
            )
        )
        short, short_scan = [], []
        for query in ("会议", "大会", "秘书", "韩国", "缅甸", "尼泊"):  # 韩国: not in unpc-dev
            ms, _ = timed(lambda query=query: store.search(query, "zh", limit=50))
            short.append(ms)
            ms, _ = timed(
                lambda query=query: scan_db.execute(
                    "SELECT id FROM seg WHERE lang = 'zh' AND instr(text, ?) LIMIT 50", (query,)
                ).fetchall()
            )
            short_scan.append(ms)
        rows.append(
            (
                "search, 2-character zh words",
                f"median {statistics.median(short):.1f} ms, max {max(short):.1f} ms "
                "(会议 大会 秘书 韩国 缅甸 尼泊; a phrase of two characters)",
                f"instr() scan up to 50 hits: median {statistics.median(short_scan):.1f} ms, "
                f"max {max(short_scan):,.0f} ms",
            )
        )

        # --- fuzzy match -------------------------------------------------------------------
        mqueries = match_queries(lines, args.queries, rng)
        latencies, recall = [], 0
        for src, tgt, row, text in mqueries:
            ms, matches = timed(lambda src=src, tgt=tgt, text=text: store.match(text, src, tgt, minimum=50))
            latencies.append(ms)
            if matches and SUFFIX.sub("", matches[0].source) == lines[src][row]:
                recall += 1
        brute, brute_recall = [], 0
        for src, _tgt, row, text in mqueries[: args.peer_queries]:

            def exhaustive(src: str = src, text: str = text) -> tuple[int, str]:
                best = (-1, "")
                for (seg,) in scan_db.execute("SELECT text FROM seg WHERE lang = ?", (src,)):
                    score = match_percentage(text, seg, src)
                    if score > best[0]:
                        best = (score, seg)
                return best

            ms, best = timed(exhaustive)
            brute.append(ms)
            brute_recall += SUFFIX.sub("", best[1]) == lines[src][row]  # type: ignore[index]
        rows.append(
            (
                "match (min 50)",
                f"median {statistics.median(latencies):.1f} ms, "
                f"p95 {percentile(latencies, 0.95):.1f} ms; "
                f"top-1 is the edited sentence in {recall}/{len(mqueries)}",
                f"exhaustive rapidfuzz: median {statistics.median(brute):,.0f} ms; "
                f"top-1 {brute_recall}/{len(brute)}",
            )
        )
        store.close()
        scan_db.close()
    finally:
        if not args.keep:
            for path in workdir.iterdir():
                path.unlink()
            workdir.rmdir()
    print(
        f"\nuntm tm store, {args.units:,} units (unpc-dev ×{args.units / 4000:g}), "
        f"SQLite {sqlite3.sqlite_version}, {os.cpu_count()} CPUs\n"
    )
    print("| measure | untm | peer |")
    print("|---|---|---|")
    for name, value, peer in rows:
        print(f"| {name} | {value} | {peer} |")
    if args.keep:
        print(f"\nkept: {db}")


if __name__ == "__main__":
    main()
