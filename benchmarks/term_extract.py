"""How many bundled UN country names does `untm term extract` rediscover from the UNPC dev set?

    .venv/bin/python benchmarks/term_extract.py [--pairs ru-zh,en-zh,ru-en] [--min-count 2]

For each language pair, the 4,000 UNPC dev sentence pairs are mined with
``termbase.extract.extract`` (Dice, mutual best). *Attainable* countries are those the
TermMatcher finds on both sides of at least ``min-count`` of the same sentence pairs (a name
that occurs once cannot be mined by co-occurrence). A country is *rediscovered* when some
candidate pair is, on both sides, exactly a term of that country (any status, any inflection:
the candidate is matched with TermMatcher and the hit must cover it whole).
Peer run in the same script: the same n-grams ranked by raw co-occurrence count instead of Dice
(``--peer``), the naive miner.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from termbase.extract import Candidate, extract, ngrams  # noqa: E402
from termbase.store import Termbase  # noqa: E402
from uncore.lang.terms import TermMatcher  # noqa: E402

UNPC = ROOT / ".." / "shared" / "data" / "unpc-dev" / "UNv1.0.devset."


def lines(lang: str) -> list[str]:
    return (Path(str(UNPC) + lang)).read_text(encoding="utf-8").splitlines()


def whole(matcher: TermMatcher, text: str, lang: str) -> set[str]:
    """Countries of which ``text`` is exactly a term."""
    return {
        h.concept_id
        for h in matcher.find(text, lang)
        if h.start == 0 and h.end >= len(text.rstrip()) and h.concept_id.startswith("country-")
    }


def peer(pairs: list[tuple[str, str]], src: str, tgt: str, min_count: int) -> list[Candidate]:
    """Naive miner: for each source n-gram, the target n-gram it co-occurs with most often."""
    joint: Counter[tuple[str, str]] = Counter()
    sf: Counter[str] = Counter()
    tf: Counter[str] = Counter()
    for s_text, t_text in pairs:
        s = set(ngrams(s_text, src).values())
        t = set(ngrams(t_text, tgt).values())
        sf.update(s)
        tf.update(t)
        for a in s:
            if sf[a] < 1:
                continue
            for b in t:
                joint[(a, b)] += 1
    best: dict[str, tuple[int, str]] = {}
    for (a, b), n in joint.items():
        if n >= min_count and n > best.get(a, (0, ""))[0]:
            best[a] = (n, b)
    return [Candidate(a, b, 0.0, 0.0, n, sf[a], tf[b]) for a, (n, b) in best.items()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", default="ru-zh,en-zh,ru-en")
    parser.add_argument("--min-count", type=int, default=2)
    parser.add_argument("--peer", action="store_true", help="also run the naive co-occurrence-count miner")
    args = parser.parse_args()
    base = Termbase.open(":memory:")
    matcher = TermMatcher(base, ["zh", "ru", "en"])
    text = {lang: lines(lang) for lang in ("zh", "ru", "en")}
    print("| pair  | miner | s | candidates | attainable | rediscovered | recall | in top 100 |")
    print("|-------|-------|--:|-----------:|-----------:|-------------:|-------:|-----------:|")
    for pair in args.pairs.split(","):
        src, tgt = pair.split("-")
        pairs = list(zip(text[src], text[tgt], strict=True))
        both: Counter[str] = Counter()
        for s, t in pairs:
            found_s = {h.concept_id for h in matcher.find(s, src)}
            found_t = {h.concept_id for h in matcher.find(t, tgt)}
            both.update(c for c in found_s & found_t if c.startswith("country-"))
        attainable = {c for c, n in both.items() if n >= args.min_count}
        miners = [("Dice", lambda p=pairs, s=src, t=tgt: extract(p, s, t, min_count=args.min_count))]
        if args.peer:
            miners.append(("count", lambda p=pairs, s=src, t=tgt: peer(p, s, t, args.min_count)))
        for name, run in miners:
            start = time.perf_counter()
            candidates = run()
            seconds = time.perf_counter() - start
            found: set[str] = set()
            top_countries = 0
            ranked = sorted(candidates, key=lambda c: (-c.dice, -c.count))
            for rank, cand in enumerate(ranked):
                hit = whole(matcher, cand.source, src) & whole(matcher, cand.target, tgt)
                found |= hit
                top_countries += bool(hit) and rank < 100
            got = len(found & attainable)
            print(
                f"| {pair} | {name:<5} | {seconds:>7.1f} | {len(candidates):>10} | {len(attainable):>10} |"
                f" {got:>12} | {got / max(len(attainable), 1):>6.0%} | {top_countries:>4} |"
            )
            if name == "Dice":
                missed = sorted(attainable - found)
                print(f"<!-- {pair} missed: {', '.join(missed[:15])}{' …' if len(missed) > 15 else ''} -->")


if __name__ == "__main__":
    main()
