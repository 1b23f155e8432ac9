"""Translation spotting on the UN Parallel Corpus: is the highlighted span the known rendering?

    .venv/bin/python benchmarks/spotting.py [--half A|B|both] [--limit 200] [--show 0]
    .venv/bin/python benchmarks/spotting.py --tree /tmp/old        # another checkout's spotting

The memory is the 4,000 trilingual units of unpc-dev in a real memory store (the store the page
searches). Queries: the English terms of the bundled termbase that unpc-dev uses, in units
whose Chinese and Russian also hold one of that concept's terms (found by the term finder, with
inflection): those terms are the known renderings. For every hit of a query (``store.search``,
as the page does) and each of zh and ru, the spotting is right when the highlighted span
contains a known rendering present in that segment and is at most twice its length.

The queries come from the termbase, so spotting *with* the termbase as evidence finds them by
construction; the honest figure is the configuration without it ("memory + CC-CEDICT"), which
is what a phrase outside the termbase ("sustainable development") gets. Queries are split into
halves by concept id: rules were tuned looking at half A only; half B is the report.

Each configuration also prints a digest of every spotting (spans, renderings, keys): a change
meant to be faster only must leave it as it was.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
if "--tree" in sys.argv[:-1]:  # another checkout's untm, before this one's (imported right below)
    sys.path.insert(0, str(Path(sys.argv[sys.argv.index("--tree") + 1]).resolve()))

from termbase.store import bundled_concepts  # noqa: E402
from tests.tmx.unpc import unpc_units  # noqa: E402
from tmx.store import lang_key, open_memory  # noqa: E402
from uncore.lang.terms import TermMatcher  # noqa: E402
from untm.spotting import Background, spot  # noqa: E402

LANGS = ("zh", "ru")


def half_of(concept_id: str) -> str:
    return "A" if hashlib.blake2b(concept_id.encode(), digest_size=1).digest()[0] % 2 == 0 else "B"


def queries(matcher: TermMatcher, units: list, concepts: list) -> list[tuple[str, str]]:
    """(query, concept id): English terms that occur in some unit whose zh and ru hold the concept."""
    by_id = {c.id: c for c in concepts}
    seen: dict[str, str] = {}
    for unit in units:
        texts = {lang_key(v.lang): v.text for v in unit.variants}
        found = {lang: {h.concept_id: h for h in matcher.find(texts[lang], lang)} for lang in ("en", *LANGS)}
        for concept_id, hit in found["en"].items():
            if all(concept_id in found[lang] for lang in LANGS) and not hit.status.is_bad:
                term = next((t.text for t in by_id[concept_id].terms_in("en") if t.text == hit.surface), None)
                if term and term not in seen and len(term) >= 3:
                    seen[term] = concept_id
    return sorted(seen.items())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--half", choices=["A", "B", "both"], default="both")
    parser.add_argument("--limit", type=int, default=30, help="hits per query (the page spots 30, shows 20)")
    parser.add_argument("--background", type=int, default=2000, help="memory segments sampled")
    parser.add_argument("--show", type=int, default=0, help="print this many wrong spans")
    parser.add_argument("--tree", type=Path, help="spot with this checkout's untm (e.g. git worktree add)")
    args = parser.parse_args()

    units = unpc_units(4000)
    concepts = bundled_concepts()
    matcher = TermMatcher(concepts, ("en", "zh", "ru"))
    with tempfile.TemporaryDirectory() as tmp:
        store = open_memory(Path(tmp) / "unpc.sqlite")
        store.import_units(units)
        sample = list(store.export_units())[: args.background]
        started = time.perf_counter()
        background = Background(
            {lang: [t for u in sample if (t := u.text(lang))] for lang in ("en", "zh", "ru")}
        )
        built = time.perf_counter() - started
        pairs = queries(matcher, units, concepts)
        print(
            f"{len(units)} units, {len(pairs)} queries (A {sum(half_of(c) == 'A' for _, c in pairs)}, "
            f"B {sum(half_of(c) == 'B' for _, c in pairs)}); background of {len(sample)} segments "
            f"built in {built:.1f} s"
        )

        def word_hits(word: str) -> list[dict[str, str]]:
            return [
                {lang_key(v.lang): v.text for v in hit.unit.variants}
                for hit in store.search(word, lang="en", limit=args.limit)
            ]

        rows = []
        digests: list[str] = []
        shown = 0
        for config, terms in (("memory + CC-CEDICT", None), ("with the termbase", matcher)):
            stats: dict[tuple[str, str], list[int]] = defaultdict(
                lambda: [0, 0, 0, 0]
            )  # judged, right, none, queries
            times: list[float] = []
            digest = hashlib.sha256()
            for query, concept_id in pairs:
                half = half_of(concept_id)
                if args.half != "both" and half != args.half:
                    continue
                hits = store.search(query, lang="en", limit=args.limit)
                texts = [{lang_key(v.lang): v.text for v in hit.unit.variants} for hit in hits]
                started = time.perf_counter()
                spotted = spot(query, "en", texts, background, terms=terms, word_hits=word_hits)
                times.append(time.perf_counter() - started)
                digest.update(
                    repr(
                        (
                            sorted(spotted.spans.items()),
                            sorted(spotted.renderings.items()),
                            sorted(spotted.keys.items()),
                        )
                    ).encode()
                )
                for lang in LANGS:
                    stats[(half, lang)][3] += 1
                    for index, hit in enumerate(texts):
                        text = hit.get(lang)
                        if not text:
                            continue
                        known = [
                            (h.start, h.end) for h in matcher.find(text, lang) if h.concept_id == concept_id
                        ]
                        english = [h for h in matcher.find(hit["en"], "en") if h.concept_id == concept_id]
                        if not known or not any(h.surface.lower() == query.lower() for h in english):
                            # the segment does not use a known rendering, or the query is part of
                            # a longer term there (Cyprus in Republic of Cyprus): not judged
                            continue
                        cell = stats[(half, lang)]
                        cell[0] += 1
                        spans = spotted.spans.get((index, lang), ())
                        if not spans:
                            cell[2] += 1
                        elif any(
                            s <= ks and ke <= e and e - s <= 2 * (ke - ks)
                            for s, e in spans
                            for ks, ke in known
                        ):
                            cell[1] += 1
                        elif shown < args.show and config.startswith("memory"):
                            shown += 1
                            s, e = spans[0]
                            print(
                                f"  [{half}] {query!r} {lang}: marked {text[s:e]!r}, "
                                f"known {[text[a:b] for a, b in known]}"
                            )
            times.sort()
            for (half, lang), (judged, right, none, nq) in sorted(stats.items()):
                rows.append((config, half, lang, nq, judged, right, none, times[len(times) // 2] * 1000))
            digests.append(f"{config}: spottings digest {digest.hexdigest()[:16]}")
        print(
            f"\n{'evidence':<20} {'half':<4} {'lang':<4} {'queries':>7} {'hits':>6} {'right %':>8} "
            f"{'none %':>7} {'median ms':>10}"
        )
        for config, half, lang, nq, judged, right, none, ms in rows:
            print(
                f"{config:<20} {half:<4} {lang:<4} {nq:>7} {judged:>6} {100 * right / max(1, judged):>7.1f}% "
                f"{100 * none / max(1, judged):>6.1f}% {ms:>10.1f}"
            )
        print("", *digests, sep="\n")
        store.close()


if __name__ == "__main__":
    main()
