"""Termbase speed: lookups over a 100,000-concept synthetic termbase, and TermMatcher throughput.

    .venv/bin/python benchmarks/termbase_lookup.py [--concepts 100000] [--queries 300] [--segments 100000]

Part 1 builds a synthetic termbase (en/ru/zh terms made of words drawn from the UNPC dev set,
10 % of concepts with a deprecated variant), imports it into SQLite in one transaction, and
times ``termbase.lookup.lookup`` per query (exact, prefix, one-typo fuzzy, misses), printing
medians and p95 in ms. Peer run: the same fuzzy queries scored with rapidfuzz against every
term (no script/length bucketing), the obvious implementation.

Part 2 times ``TermMatcher.find`` with the bundled UN termbase over UNPC dev segments
(zh, ru, en in turn; the 12,000 distinct ones first, cold caches, then cycled to --segments).
Peer run: a substring loop over every term of the language (no automaton, no lemmas) on the
distinct segments.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rapidfuzz import fuzz, process  # noqa: E402

import uncore.lang.words as words_module  # noqa: E402
from termbase.lookup import _fuzzy_index, lookup  # noqa: E402
from termbase.model import Concept, Status, Term, TermType  # noqa: E402
from termbase.store import Termbase  # noqa: E402
from uncore.lang.normalize import normalize  # noqa: E402
from uncore.lang.scripts import is_han  # noqa: E402
from uncore.lang.terms import TermMatcher  # noqa: E402

UNPC = ROOT / ".." / "shared" / "data" / "unpc-dev" / "UNv1.0.devset."


def _lines(lang: str) -> list[str]:
    return (Path(str(UNPC) + lang)).read_text(encoding="utf-8").splitlines()


def synthetic(n: int, rng: random.Random) -> list[Concept]:
    en_words = sorted({w for line in _lines("en") for w in line.split() if w.isalpha() and len(w) > 3})
    ru_words = sorted({w for line in _lines("ru") for w in line.split() if w.isalpha() and len(w) > 3})
    zh_chars = sorted({ch for line in _lines("zh") for ch in line if is_han(ch)})
    concepts = []
    for i in range(n):
        k = rng.randint(1, 4)
        terms = [
            Term("en", " ".join(rng.sample(en_words, k))),
            Term("ru", " ".join(rng.sample(ru_words, k))),
            Term("zh", "".join(rng.sample(zh_chars, rng.randint(2, 8)))),
        ]
        if i % 10 == 0:
            terms.append(Term("en", " ".join(rng.sample(en_words, k)), Status.DEPRECATED, TermType.VARIANT))
        concepts.append(Concept(f"syn-{i}", tuple(terms), subject="synthetic"))
    return concepts


def typo(text: str, rng: random.Random) -> str:
    i = rng.randrange(len(text))
    return text[:i] + text[i + 1 :] if len(text) > 4 else text + "x"


def timed(func, queries):  # type: ignore[no-untyped-def]
    times = []
    for q in queries:
        start = time.perf_counter()
        func(q)
        times.append((time.perf_counter() - start) * 1000)
    return times


def row(name: str, times: list[float]) -> str:
    times = sorted(times)
    p95 = times[int(0.95 * (len(times) - 1))]
    return f"| {name:<38} | {len(times):>6} | {statistics.median(times):>9.3f} | {p95:>9.3f} |"


def part1(n: int, queries: int) -> None:
    rng = random.Random(42)
    concepts = synthetic(n, rng)
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        base = Termbase.open(Path(tmp) / "syn.sqlite", seed=False)
        base.import_concepts(concepts)
        imported = time.perf_counter() - start
        terms = [t for c in concepts for t in c.terms]
        sample = rng.sample(terms, queries)
        start = time.perf_counter()
        _fuzzy_index(base)
        index_s = time.perf_counter() - start
        exact = [t.text for t in sample]
        prefix = [t.text[: max(2, len(t.text) * 2 // 3)] for t in sample]
        fuzzy_q = [typo(t.text, rng) for t in sample]
        misses = ["zzqx" + str(i) for i in range(queries // 3)]
        print(f"\n## Lookup over {n:,} concepts ({len(terms):,} terms)\n")
        print(f"import (one transaction): {imported:.1f} s; fuzzy index built once: {index_s:.2f} s\n")
        print("| queries                                | count | median ms |   p95 ms |")
        print("|----------------------------------------|-------:|----------:|----------:|")
        all_times: list[float] = []
        runs = (
            ("exact (any language)", exact),
            ("prefix (first 2/3)", prefix),
            ("fuzzy (one character deleted)", fuzzy_q),
            ("miss (falls through to fuzzy)", misses),
        )
        for name, qs in runs:
            times = timed(lambda q: lookup(base, q, limit=10), qs)
            all_times.extend(times)
            print(row(name, times))
        print(row("all of the above", all_times))
        norms = [norm for norm, _ in base.norms()]

        def peer_fuzzy(q: str) -> object:
            return process.extract(normalize(q), norms, scorer=fuzz.ratio, score_cutoff=75, limit=30)

        peer = timed(peer_fuzzy, fuzzy_q[: max(30, queries // 5)])
        print(row("peer: fuzzy over all terms, no buckets", peer))
        hit = 0
        for q, t in zip(fuzzy_q, sample, strict=True):
            found = lookup(base, q, limit=10)
            hit += bool(found) and found[0].term.text == t.text
        print(f"\nfuzzy queries whose first result is the intended term: {hit}/{len(fuzzy_q)}")
        base.close()


def part2(segments: int) -> None:
    # Part 1 lemmatised the same UNPC vocabulary: start from empty caches for an honest cold run.
    words_module.ru_lemma.cache_clear()
    words_module.word_key.cache_clear()
    words_module.stem.cache_clear()
    base = Termbase.open(":memory:")
    start = time.perf_counter()
    matcher = TermMatcher(base, ["zh", "ru", "en"])
    build = time.perf_counter() - start
    texts = {lang: _lines(lang) for lang in ("zh", "ru", "en")}
    distinct = [
        (lang, line)
        for i in range(len(texts["en"]))
        for lang, line in ((lang, texts[lang][i]) for lang in ("zh", "ru", "en"))
    ]
    print(f"\n## TermMatcher with the bundled termbase ({len(base)} concepts; built in {build:.2f} s)\n")
    print("| run                                     | segments | seconds | segments/s | hits |")
    print("|-----------------------------------------|---------:|--------:|-----------:|-----:|")
    start = time.perf_counter()
    hits = sum(len(matcher.find(text, lang)) for lang, text in distinct)
    cold = time.perf_counter() - start
    print(
        f"| distinct UNPC segments (cold caches)    | {len(distinct):>8} | {cold:>7.2f} |"
        f" {len(distinct) / cold:>10.0f} | {hits:>4} |"
    )
    cycled = [distinct[i % len(distinct)] for i in range(segments)]
    start = time.perf_counter()
    hits = sum(len(matcher.find(text, lang)) for lang, text in cycled)
    warm = time.perf_counter() - start
    label = f"cycled to {segments:,} segments"
    print(f"| {label:<39} | {segments:>8} | {warm:>7.2f} | {segments / warm:>10.0f} | {hits:>4} |")
    langs = ("zh", "ru", "en")
    by_lang = {lang: [normalize(t.text) for c in base for t in c.terms_in(lang)] for lang in langs}
    peer_set = distinct[:3000]
    start = time.perf_counter()
    peer_hits = 0
    for lang, text in peer_set:
        norm = normalize(text)
        peer_hits += sum(1 for term in by_lang[lang] if term in norm)
    peer = time.perf_counter() - start
    print(
        f"| peer: substring loop over all terms     | {len(peer_set):>8} | {peer:>7.2f} |"
        f" {len(peer_set) / peer:>10.0f} | {peer_hits:>4} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--concepts", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--segments", type=int, default=100_000)
    parser.add_argument("--part", choices=("all", "lookup", "match"), default="all")
    args = parser.parse_args()
    if args.part in ("all", "lookup"):
        part1(args.concepts, args.queries)
    if args.part in ("all", "match"):
        part2(args.segments)


if __name__ == "__main__":
    main()
