"""Mine candidate term pairs from an aligned memory, for a terminologist to review.

Method: every segment pair contributes the *set* of its source and target n-grams; pairs of
n-grams that occur together in many segment pairs, and rarely apart, are candidates. Scored
by the Dice coefficient 2·c(s,t)/(c(s)+c(t)) (Smadja, McKeown & Hatzivassiloglou 1996) and
ranked with Dunning's log-likelihood ratio G² (Dunning 1993) as the tie-breaker for reliability.
Only pairs that are each other's best partner (by Dice) are kept, which removes most partial
n-grams (Республика ↔ 大韩民国 loses to Республика Корея ↔ 大韩民国).

Source and target are cut into words with the matcher's own keys (pymorphy3 lemmas for
Russian, Snowball stems for English), and Chinese with jieba, so inflected forms pool their
counts; candidates are shown in their most frequent surface form.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from uncore.lang import language
from uncore.lang.normalize import normalize
from uncore.lang.scripts import has_han
from uncore.lang.words import chinese_words, word_key

_WORD = re.compile(r"\w+(?:['’-]\w+)*")


@dataclass(frozen=True)
class Candidate:
    """A proposed term pair with its evidence."""

    source: str
    target: str
    dice: float
    llr: float
    count: int  # segment pairs containing both
    source_count: int
    target_count: int


@dataclass(frozen=True)
class _Gram:
    key: tuple[str, ...]
    surface: str


def _words(text: str, lang: str) -> list[list[tuple[str, str]]]:
    """Runs of (key, surface) words, split at punctuation so n-grams never cross it."""
    code = language(lang).code
    runs: list[list[tuple[str, str]]] = []
    if not language(code).joins_words:
        run: list[tuple[str, str]] = []
        for word in chinese_words(normalize(text)):
            if has_han(word) or word.isalnum():
                run.append((word, word))
            elif run:
                runs.append(run)
                run = []
        if run:
            runs.append(run)
        return runs
    keyfn = word_key(code)
    assert keyfn is not None  # languages written with spaces have a word key
    pieces = re.split(r"[,.;:!?()\[\]«»\"“”/]", text)
    for piece in pieces:
        run = [(keyfn(m.group()), m.group()) for m in _WORD.finditer(piece)]
        if run:
            runs.append(run)
    return runs


def ngrams(text: str, lang: str, max_n: int = 4) -> dict[tuple[str, ...], str]:
    """Every n-gram (n ≤ ``max_n``) of ``text`` as key tuple → surface. N-grams that start or
    end with a digit or a one-letter word are left out: terms rarely do, and they are noise."""
    joiner = language(lang).joiner
    out: dict[tuple[str, ...], str] = {}
    for run in _words(text, lang):
        for i in range(len(run)):
            for n in range(1, max_n + 1):
                if i + n > len(run):
                    break
                gram = run[i : i + n]
                first, last = gram[0][1], gram[-1][1]
                if _weak(first) or _weak(last):
                    continue
                out.setdefault(tuple(k for k, _ in gram), joiner.join(s for _, s in gram))
    return out


def _weak(word: str) -> bool:
    return word.isdigit() or (len(word) < 2) or (len(word) < 3 and not has_han(word) and word.islower())


def extract(
    pairs: Iterable[tuple[str, str]],
    source: str,
    target: str,
    *,
    min_count: int = 3,
    max_n: int = 4,
    max_share: float = 0.2,
    limit: int | None = None,
) -> list[Candidate]:
    """Candidate (source, target) term pairs from aligned ``pairs`` of texts, best first.

    ``min_count``: minimum segment pairs with both; ``max_share``: n-grams found in more than
    this share of segments are function words, not terms.
    """
    segments: list[tuple[dict[tuple[str, ...], str], dict[tuple[str, ...], str]]] = []
    src_freq: Counter[tuple[str, ...]] = Counter()
    tgt_freq: Counter[tuple[str, ...]] = Counter()
    for src_text, tgt_text in pairs:
        s, t = ngrams(src_text, source, max_n), ngrams(tgt_text, target, max_n)
        segments.append((s, t))
        src_freq.update(s.keys())
        tgt_freq.update(t.keys())
    total = len(segments)
    if total == 0:
        return []
    ceiling = max(min_count, max_share * total)
    src_ok = {k for k, c in src_freq.items() if min_count <= c <= ceiling}
    tgt_ok = {k for k, c in tgt_freq.items() if min_count <= c <= ceiling}
    joint: Counter[tuple[tuple[str, ...], tuple[str, ...]]] = Counter()
    src_surface: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    tgt_surface: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    for s, t in segments:
        s_keys = [k for k in s if k in src_ok]
        t_keys = [k for k in t if k in tgt_ok]
        for k in s_keys:
            src_surface[k][s[k]] += 1
        for k in t_keys:
            tgt_surface[k][t[k]] += 1
        for sk in s_keys:
            for tk in t_keys:
                joint[(sk, tk)] += 1
    best_for_src: dict[tuple[str, ...], tuple[float, tuple[str, ...]]] = {}
    best_for_tgt: dict[tuple[str, ...], tuple[float, tuple[str, ...]]] = {}
    scored: dict[tuple[tuple[str, ...], tuple[str, ...]], float] = {}
    for (sk, tk), both in joint.items():
        if both < min_count:
            continue
        # prefer longer n-grams on ties: they are the maximal term, not a fragment of it
        dice = 2.0 * both / (src_freq[sk] + tgt_freq[tk]) + 1e-6 * (len(sk) + len(tk))
        scored[(sk, tk)] = dice
        if dice > best_for_src.get(sk, (0.0, ()))[0]:
            best_for_src[sk] = (dice, tk)
        if dice > best_for_tgt.get(tk, (0.0, ()))[0]:
            best_for_tgt[tk] = (dice, sk)
    out: list[Candidate] = []
    for sk, (dice, tk) in best_for_src.items():
        if best_for_tgt[tk][1] != sk:
            continue
        both = joint[(sk, tk)]
        out.append(
            Candidate(
                source=src_surface[sk].most_common(1)[0][0],
                target=tgt_surface[tk].most_common(1)[0][0],
                dice=round(min(dice, 1.0), 4),
                llr=round(_llr(both, src_freq[sk], tgt_freq[tk], total), 1),
                count=both,
                source_count=src_freq[sk],
                target_count=tgt_freq[tk],
            )
        )
    out.sort(key=lambda c: (-c.dice, -c.llr))
    return out[:limit] if limit else out


def _llr(k11: int, c1: int, c2: int, n: int) -> float:
    """Dunning's G² for a 2×2 contingency table (co-occurrence of two n-grams in n segments)."""
    k12, k21 = c1 - k11, c2 - k11
    k22 = n - k11 - k12 - k21

    def h(*counts: int) -> float:
        total = sum(counts)
        return sum(c * math.log(c / total) for c in counts if c > 0)

    return 2.0 * (h(k11, k12, k21, k22) - h(k11 + k12, k21 + k22) - h(k11 + k21, k12 + k22))


def pairs_from_units(units: Iterable, source: str, target: str) -> Iterator[tuple[str, str]]:
    """(source text, target text) from translation units that have both languages."""
    for unit in units:
        s, t = unit.text(source), unit.text(target)
        if s and t:
            yield s, t
