"""Why un.srx is compiled into one pattern per language: speed against rule-by-rule matching.

Both engines apply the same shipped rules with the same SRX semantics (first matching rule at a
position decides) and must give identical sentences; only the strategy differs:

* ``untm``: ``CompiledRules`` — one combined pattern of the break rules finds candidate
  positions, one ordered alternation of all rules decides at each candidate;
* ``rule-by-rule``: at every position, try each rule's before/after regexes in order (the
  textbook SRX loop).

    .venv/bin/python benchmarks/srx_engine.py [--paragraphs 400] [--repeat 3]
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import sys
import time
from pathlib import Path

import regex

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from aligner.segment import Segmenter  # noqa: E402
from aligner.srx import Rule  # noqa: E402


class RuleByRule:
    """The reference loop: every position, every rule, in order."""

    def __init__(self, rules: tuple[Rule, ...]) -> None:
        self.rules = [
            (
                rule.breaks,
                regex.compile(f"(?<={rule.before})" if rule.before else ""),
                regex.compile(rule.after or ""),
            )
            for rule in rules
        ]

    def split(self, text: str) -> list[str]:
        cuts = [0]
        for pos in range(1, len(text)):
            for breaks, before, after in self.rules:
                if before.match(text, pos) and after.match(text, pos):
                    if breaks:
                        cuts.append(pos)
                    break
        cuts.append(len(text))
        return [text[a:b].strip() for a, b in itertools.pairwise(cuts) if text[a:b].strip()]


def paragraphs(lang: str, count: int) -> list[str]:
    data = ROOT / ".." / "shared" / "data" / "unpc-dev"
    lines = (data / f"UNv1.0.devset.{lang}").read_text(encoding="utf-8").splitlines()
    joiner = "" if lang == "zh" else " "
    return [joiner.join(lines[i : i + 3]) for i in range(0, 3 * count, 3)]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--paragraphs", type=int, default=400, help="3-sentence paragraphs per language")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    shipped = Segmenter.shipped()
    print(
        f"{'lang':4} {'rules':>5} {'chars':>8} {'untm s':>8} {'rule-by-rule s':>15} "
        f"{'speed-up':>9} {'same':>5}"
    )
    for lang in ("zh", "ru", "en"):
        texts = paragraphs(lang, args.paragraphs)
        compiled = shipped.compiled(lang)
        naive = RuleByRule(compiled.rules)
        fast_times, slow_times = [], []
        for _ in range(args.repeat):
            start = time.perf_counter()
            fast = [shipped.split(t, lang) for t in texts]
            fast_times.append(time.perf_counter() - start)
            start = time.perf_counter()
            slow = [naive.split(t) for t in texts]
            slow_times.append(time.perf_counter() - start)
        fast_s, slow_s = statistics.median(fast_times), statistics.median(slow_times)
        print(
            f"{lang:4} {len(compiled.rules):>5} {sum(map(len, texts)):>8} {fast_s:>8.3f} {slow_s:>15.3f} "
            f"{slow_s / fast_s:>8.0f}x {fast == slow!s:>5}"
        )


if __name__ == "__main__":
    main()
