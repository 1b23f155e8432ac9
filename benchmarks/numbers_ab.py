"""A/B check and timing of ``uncore.lang.numbers.extract_numbers`` against an older copy of the
module (a file outside the repository, e.g. one written with
``git show <commit>:uncore/numbers.py > /tmp/numbers_old.py``).

Correctness first: both versions run on every text of ../shared/data/unpc-dev (en, zh, ru,
12,000 texts, each also in the other two languages' rules) and on every string literal of the
test suite and on forms written for each alternative of the patterns that the new version
guards with a cheaper search (in en, zh, ru, fr, es, ar), with ``spelled`` on and off, and
``paragraph_label`` / ``has_digits`` / ``number_values`` too; any difference in the token lists
is printed and the script exits 1. Then timing: old and new interleaved in one process, CPU
time, best of ``--rounds``, per language, on the unpc-dev texts in their own language; with
``--qa N``, also all of ``untm qa``'s checks on the first N segments of
benchmarks/qa_throughput.py, with QA's extraction switched between the old and the new module
(interleaved, best of ``--rounds``; the findings must be the same).

    .venv/bin/python benchmarks/numbers_ab.py --old /tmp/numbers_old.py [--rounds 5] [--qa 8000]
"""

from __future__ import annotations

import argparse
import ast
import importlib.util
import sys
import time
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import uncore.lang.numbers as new  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "unpc-dev"
LANGS = ("en", "zh", "ru")


def load_old(path: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location("numbers_old", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["numbers_old"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def corpus() -> dict[str, list[str]]:
    return {
        lang: (DATA / f"UNv1.0.devset.{lang}").read_text(encoding="utf-8").split("\n")[:4000]
        for lang in LANGS
    }


def test_strings() -> list[str]:
    out: set[str] = set()
    for path in (ROOT / "tests").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                out.add(node.value)
    return sorted(out)


def forms() -> list[str]:
    """One text per alternative of the guarded patterns: ordinal suffixes, time markers, dates."""
    out = [f"в 1990-{s} годах и 72-{s} сессии" for s in new._RU_ORDINAL_SUFFIX.split("|")]
    out += [
        f"the 72{s.replace(chr(92), '')} session, 3{s.replace(chr(92), '')}"
        for s in new._EN_ORDINAL_SUFFIX.split("|")
    ]
    for t in (
        "3 a.m.",
        "10.30 p.m.",
        "12 noon",
        "10 h",
        "10h",
        "下午3时",
        "3时30分",
        "15 ч.",
        "15 час.",
        "15 часов 30 мин.",
        "15:00",
        "1310 hours",
        "1310hrs",
        "2359Z",
        "0900 to 1100 hours",
        "0900-1100 hrs",
        "0900 and 1100 hours",
        "at 0300",
        "At 1545",
        "14.11.2017",
        "1.1.2015",
        "14 November 2017",
        "14 ноября 2017 года",
        "1er janvier 2015",
        "14 de noviembre de 2017",
        "November 14, 2017",
        "in May 2015",
        "в мае 2015 года",
        "mayo de 2015",
        "2017年11月14日",
        "百分之五",
        "百分之5",
        "第72次",
        "第七十二届",
        "5-7 March 2015",
        "juin 2015",
        "7 يناير 2015",
    ):
        out += [t, f"x {t} y", f"Le {t}, et 3."]
    return out


def as_tuples(tokens) -> list[tuple]:  # type: ignore[no-untyped-def]
    return [(t.kind, t.value, t.start, t.end, t.surface, t.spelled) for t in tokens]


def compare(old: ModuleType, cases: list[tuple[str, str]]) -> int:
    bad = 0
    for text, lang in cases:
        for spelled in (False, True):
            a = as_tuples(old.extract_numbers(text, lang, spelled=spelled))
            b = as_tuples(new.extract_numbers(text, lang, spelled=spelled))
            if a != b:
                bad += 1
                if bad <= 20:
                    print(f"DIFF {lang} spelled={spelled} {text[:120]!r}\n  old {a}\n  new {b}")
        la, lb = old.paragraph_label(text), new.paragraph_label(text)
        if (la and as_tuples([la])) != (lb and as_tuples([lb])):
            bad += 1
            print(f"DIFF label {text[:120]!r}: {la} / {lb}")
        if old.has_digits(text) != new.has_digits(text):
            bad += 1
            print(f"DIFF has_digits {text[:120]!r}")
    return bad


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--old", required=True, help="path of the old numbers.py")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--no-timing", action="store_true")
    parser.add_argument(
        "--qa",
        type=int,
        default=0,
        metavar="N",
        help="also time all QA checks on N segments, old vs new extraction",
    )
    args = parser.parse_args()
    old = load_old(args.old)
    texts = corpus()
    cases = [(t, lang) for lang in LANGS for t in texts[lang]]
    cases += [(t, other) for lang in LANGS for t in texts[lang] for other in LANGS if other != lang]
    strings = test_strings() + forms()
    cases += [(s, lang) for s in strings for lang in ("en", "zh", "ru", "fr", "es", "ar")]
    bad = compare(old, cases)
    print(f"{len(cases):,} (text, language) cases × spelled on/off: {bad} differences")
    if bad:
        sys.exit(1)
    if args.no_timing:
        return
    print("\n| language | texts | old µs/text | new µs/text | speed-up |\n|---|---|---|---|---|")
    for lang in LANGS:
        best = {"old": float("inf"), "new": float("inf")}
        for _ in range(args.rounds):
            for name, module in (("old", old), ("new", new)):
                start = time.process_time()
                for text in texts[lang]:
                    module.extract_numbers(text, lang, spelled=False)
                best[name] = min(best[name], time.process_time() - start)
        n = len(texts[lang])
        print(
            f"| {lang} | {n:,} | {best['old'] / n * 1e6:.1f} | {best['new'] / n * 1e6:.1f} | "
            f"{best['old'] / best['new']:.2f}× |"
        )
    if args.qa:
        qa_ab(old, args.qa, args.rounds)


def qa_ab(old: ModuleType, n: int, rounds: int) -> None:
    import qa.view as view
    from qa import run_checks
    from termbase.store import Termbase
    from uncore.lang.terms import TermMatcher

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from qa_throughput import load, segments  # type: ignore[import-not-found]

    matcher = TermMatcher(Termbase.open(":memory:"), LANGS)
    units = list(segments(load(), n))
    best = {"old": float("inf"), "new": float("inf")}
    found: dict[str, list[object]] = {}
    for _ in range(rounds):
        for name, module in (("old", old), ("new", new)):
            view.extract_numbers = module.extract_numbers  # type: ignore[attr-defined]
            start = time.process_time()
            findings: list[object] = list(run_checks(units, matcher, source="en"))
            best[name] = min(best[name], time.process_time() - start)
            found[name] = findings
    view.extract_numbers = new.extract_numbers  # type: ignore[attr-defined]
    assert found["old"] == found["new"], "the findings differ"
    print(
        f"\nall QA checks, {n:,} segments, {len(found['new']):,} findings (same): "
        f"old {n / best['old']:,.0f}, new {n / best['new']:,.0f} segments/s (CPU, best of "
        f"{rounds}): {best['old'] / best['new']:.2f}×"
    )


if __name__ == "__main__":
    main()
