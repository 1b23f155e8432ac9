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

Part 3 (``--part coverage``, #13) reads the built UN termbase (``--terms``, default
``termbase/bundled/un-terms.tsv``) and prints its concepts by category and language, how the
UN-system renderings were sourced, the held-out hit rate (tests/termbase/heldout_un_bodies.tsv,
found through ``untm term lookup``'s code path in en, zh and ru), and lookup latency with the
bundled concepts padded by SYNTHETIC concepts (labelled ``syn-*``, subject "synthetic (latency
run only)") to ``--latency-concepts`` (default 5,000): every en/zh/ru name of the UN system
looked up as written, plus word-within-name, inflected Russian, prefix and miss queries.

    .venv/bin/python benchmarks/termbase_lookup.py --part coverage [--terms /tmp/un-terms.tsv]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from dataclasses import replace
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


def part3(terms_path: Path, latency_concepts: int) -> None:
    import csv

    from termbase.evidence import find_everywhere, source_kind
    from termbase.tabular import read_table

    bundled = read_table(terms_path, "tsv")
    system = [c for c in bundled if (c.source or "").startswith("UN usage: termbase/bundled/un-system.tsv")]
    langs = ("en", "zh", "ru", "fr", "es", "ar")
    print(f"\n## Coverage of {terms_path.name} ({len(bundled)} concepts)\n")
    print("| category | concepts | " + " | ".join(langs) + " | en+zh+ru |")
    print("|---|---:|" + "---:|" * (len(langs) + 1))
    by_subject: dict[str, list[Concept]] = {}
    for concept in bundled:
        by_subject.setdefault(concept.subject or "(none)", []).append(concept)
    for subject, concepts in [*by_subject.items(), ("**all**", bundled), ("**UN system (#13)**", system)]:
        counts = [sum(1 for c in concepts if c.preferred(lang)) for lang in langs]
        trio = sum(1 for c in concepts if all(c.preferred(lang) for lang in ("en", "zh", "ru")))
        print(f"| {subject} | {len(concepts)} | " + " | ".join(map(str, counts)) + f" | {trio} |")
    kinds: dict[str, int] = {}
    for concept in system:
        for term in concept.terms:
            kind = source_kind(term.source or "")
            kinds[kind] = kinds.get(kind, 0) + 1
    print("\nUN-system terms by source: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))

    base = Termbase.open(":memory:", seed=False)
    base.import_concepts(bundled)
    heldout = Path(ROOT / "tests" / "termbase" / "heldout_un_bodies.tsv").read_text(encoding="utf-8")
    rows = list(
        csv.DictReader([x for x in heldout.splitlines() if not x.startswith("#")], delimiter="\t", quoting=3)
    )
    exact = found = 0
    misses = []
    for item in rows:
        concept_id, by_name = find_everywhere(base, {"en": item["en"], "zh": item["zh"], "ru": item["ru"]})
        exact += by_name
        found += concept_id is not None
        if not by_name:
            misses.append(f"{item['en']} -> {concept_id or 'nothing'}")
    print(
        f"\nheld-out ({len(rows)} UN bodies/instruments from unpc-dev): {exact} found by their own names in"
        f" en, zh and ru ({exact / len(rows):.0%}); {found} with some concept in all three"
        f" ({found / len(rows):.0%})"
    )
    for miss in misses:
        print(f"  not by name: {miss}")

    rng = random.Random(13)
    padding = max(0, latency_concepts - len(bundled))
    synthetic_concepts = [replace(c, subject="synthetic (latency run only)") for c in synthetic(padding, rng)]
    with tempfile.TemporaryDirectory() as tmp:
        disk = Termbase.open(Path(tmp) / "latency.sqlite", seed=False)
        disk.import_concepts([*bundled, *synthetic_concepts])
        names = [t.text for c in system for t in c.terms if t.lang in ("en", "zh", "ru")]
        queries = {
            "UN-system names as written": names,
            "word inside a name": ["Korea", "安理会", "Security Council", "ЮНИСЕФ", "Peacebuilding", "人权"],
            "inflected Russian": [
                "Совета Безопасности",
                "Генеральной Ассамблеи",
                "Детского фонда",
                "Республике Корея",
            ],
            "prefix": [n[: max(2, len(n) * 2 // 3)] for n in names[::7]],
            "miss (falls through to fuzzy)": [f"zzqx{i}" for i in range(50)],
        }
        _fuzzy_index(disk)  # built once per process, on its first fuzzy lookup (not timed)
        print(
            f"\n## Lookup latency: {len(bundled)} bundled + {padding} SYNTHETIC = {len(disk)} concepts"
            " (SQLite on disk, one process)\n"
        )
        print("| queries                                | count | median ms |   p95 ms |")
        print("|----------------------------------------|-------:|----------:|----------:|")
        every: list[float] = []
        for name, qs in queries.items():
            times = timed(lambda q: lookup(disk, q, limit=20), qs)
            every.extend(times)
            print(row(name, times))
        print(row("all", every))
        flat = [q for qs in queries.values() for q in qs]
        cpu = time.process_time()
        for q in flat:
            lookup(disk, q, limit=20)
        cpu_ms = (time.process_time() - cpu) * 1000 / len(flat)
        print(
            f"\nCPU time per lookup, all queries again: {cpu_ms:.2f} ms (wall times above include other load)"
        )
        print(
            f"slowest lookup: {max(every):.2f} ms;"
            f" lookups over 10 ms: {sum(t > 10 for t in every)} of {len(every)}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--concepts", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--segments", type=int, default=100_000)
    parser.add_argument("--part", choices=("all", "lookup", "match", "coverage"), default="all")
    parser.add_argument("--terms", type=Path, default=ROOT / "termbase" / "bundled" / "un-terms.tsv")
    parser.add_argument("--latency-concepts", type=int, default=5_000)
    args = parser.parse_args()
    if args.part in ("all", "lookup"):
        part1(args.concepts, args.queries)
    if args.part in ("all", "match"):
        part2(args.segments)
    if args.part in ("all", "coverage"):
        part3(args.terms, args.latency_concepts)


if __name__ == "__main__":
    main()
