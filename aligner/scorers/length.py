"""Gale–Church length cost with ratios and variances estimated per language pair.

Gale & Church (1993), "A program for aligning sentences in bilingual corpora", §3: the length
of a translation is modelled as ``l_t ~ N(c * l_s, s2 * l_s)``; a bead's cost is
``-log P(|δ|) - log P(kind)`` with ``δ = (l_t - c*l_s) / sqrt(s2 * l_s)`` and ``P(|δ|)`` the
two-sided normal tail. ``c`` and ``s2`` come from ``aligner/params/length.json`` (estimated from
the UN Parallel Corpus dev set and the UDHR: ``python -m aligner.params.estimate``); lengths are
non-space characters, so Chinese counts characters. Beads with an empty side (omissions, page
furniture) cost only their prior: a length model cannot say anything about a missing sentence.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

import numpy as np

from aligner.params import length_params
from uncore.lang import language

#: prior probability of each bead kind. 1-1, 2-1/1-2 (together), 2-2 and 1-0/0-1 (together)
#: are Gale & Church's Table 5 (0.89, 0.089, 0.011, 0.0099); longer merges get small,
#: hand-set mass — not fitted to any evaluation set.
PRIORS: Mapping[tuple[int, int], float] = {
    (1, 1): 0.89,
    (1, 0): 0.00495,
    (0, 1): 0.00495,
    (2, 1): 0.0445,
    (1, 2): 0.0445,
    (2, 2): 0.011,
    (3, 1): 0.004,
    (1, 3): 0.004,
    (4, 1): 0.001,
    (1, 4): 0.001,
    (3, 2): 0.001,
    (2, 3): 0.001,
}


#: the kinds whose priors a text never re-estimates (``LengthModel.with_priors_from``)
_FIXED: Mapping[tuple[int, int], float] = {kind: p for kind, p in PRIORS.items() if 0 in kind}


@lru_cache(maxsize=4096)
def _reestimated(
    counts: frozenset[tuple[tuple[int, int], int]], strength: float
) -> Mapping[tuple[int, int], float]:
    """The priors for ``counts`` of the kinds of a first alignment; cached, since most blocks
    are a single 1-1 bead (read-only: models share it)."""
    count = dict(counts)
    total = sum(count.values()) + strength
    free = 1.0 - sum(_FIXED.values())  # mass left for beads with both sides
    table = sum(p for kind, p in PRIORS.items() if kind not in _FIXED)
    priors = {
        kind: free * (count.get(kind, 0) + strength * p / table) / total
        for kind, p in PRIORS.items()
        if kind not in _FIXED
    }
    return MappingProxyType({**priors, **_FIXED})


def text_length(text: str) -> int:
    """Non-space characters: the unit the parameters were estimated in. (``str.split`` cuts at
    exactly the characters ``str.isspace`` accepts, and is five times faster than testing each.)"""
    return len("".join(text.split()))


_SQRT2 = math.sqrt(2.0)


def neg_log_tail(x: np.ndarray) -> np.ndarray:
    """``-log(2 * (1 - Φ(|x|)))`` = ``-log erfc(|x|/√2)``, computed without underflow.

    Abramowitz & Stegun 7.1.26 gives ``erfc(z) ≈ poly(t) * exp(-z²)`` with ``t = 1/(1+p z)``
    (|error| < 1.5e-7), so ``-log erfc(z) = z² - log poly(t)`` stays finite for any ``z``.
    """
    z = np.abs(x) / _SQRT2
    t = 1.0 / (1.0 + 0.3275911 * z)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    return z * z - np.log(poly)


@dataclass(frozen=True)
class LengthModel:
    """Length cost for one ordered language pair."""

    c: float
    s2: float
    source: str = "estimated"
    priors: Mapping[tuple[int, int], float] | None = None  # None: ``PRIORS``

    def prior(self, a: int, b: int) -> float:
        return (self.priors or PRIORS).get((a, b), 1e-4)

    def with_priors_from(self, kinds: Sequence[tuple[int, int]], strength: float = 50.0) -> LengthModel:
        """The same model with bead-kind priors re-estimated from a first alignment of the text
        itself (one Viterbi-EM step; ``strength`` pseudo-beads of ``PRIORS`` keep rare kinds
        possible). A literary translation that splits sentences gets cheaper 1-2 and 1-3 beads;
        a literal one keeps Gale & Church's.

        Omissions (1-0, 0-1) keep Gale & Church's priors: a first pass leaves a sentence unpaired
        exactly where its evidence is missing, so counting those beads would feed the first
        pass's errors back into the second (on mac-dev, re-estimating them too loses 0.03 F1)."""
        counts: dict[tuple[int, int], int] = {}
        for kind in kinds:
            if kind not in _FIXED:
                counts[kind] = counts.get(kind, 0) + 1
        return dataclasses.replace(self, priors=_reestimated(frozenset(counts.items()), strength))

    @classmethod
    def for_pair(cls, src_lang: str, tgt_lang: str) -> LengthModel:
        """Estimated parameters for the pair; for a pair without data, compose through English
        (``c = c(src→en) * c(en→tgt)``) or fall back to Gale & Church's ``c=1, s2=6.8``."""
        src, tgt = language(src_lang).code, language(tgt_lang).code
        params = length_params()
        if src == tgt:
            return cls(1.0, params.get("en-fr", {}).get("s2", 6.8) / 2, "same language")
        key = f"{src}-{tgt}"
        if key in params:
            return cls(params[key]["c"], params[key]["s2"], key)
        to_en, from_en = params.get(f"{src}-en"), params.get(f"en-{tgt}")
        if to_en and from_en:
            return cls(
                to_en["c"] * from_en["c"],
                to_en["s2"] * from_en["c"] + from_en["s2"] * to_en["c"],
                f"{src}-en-{tgt}",
            )
        return cls(1.0, 6.8, "gale-church default")

    def cost(self, ls: np.ndarray, lt: np.ndarray, a: int, b: int) -> np.ndarray:
        """Cost of beads of kind ``(a, b)`` whose sides have lengths ``ls`` and ``lt``."""
        prior = -math.log(self.prior(a, b))
        if a == 0 or b == 0:
            return np.full(np.shape(ls), prior)
        return self.mismatch(ls, lt) + prior

    def mismatch(self, ls: np.ndarray, lt: np.ndarray) -> np.ndarray:
        """``-log P(|δ|)``: the cost of a bead with both sides without its kind's prior."""
        scale = np.maximum((ls + lt / self.c) / 2.0, 1.0)  # symmetric: mean source-equivalent length
        delta = (lt - self.c * ls) / np.sqrt(self.s2 * scale)
        return neg_log_tail(delta)

    def mismatches(self, ls: Sequence[float], lt: Sequence[float]) -> list[float]:
        """``mismatch`` for a few beads, in plain Python: the same operations on the same
        floats, numpy's logarithm included (``math.log`` may differ from it in the last bit),
        without numpy's cost per call on tiny arrays."""
        polys, squares = [], []
        for x, y in zip(ls, lt, strict=True):
            scale = max((x + y / self.c) / 2.0, 1.0)
            z = abs((y - self.c * x) / math.sqrt(self.s2 * scale)) / _SQRT2
            t = 1.0 / (1.0 + 0.3275911 * z)
            polys.append(
                t
                * (
                    0.254829592
                    + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))
                )
            )
            squares.append(z * z)
        if not polys:
            return []
        return [square - log for square, log in zip(squares, np.log(polys).tolist(), strict=True)]

    def probability(self, ls: np.ndarray, lt: np.ndarray) -> np.ndarray:
        """``P(|δ|)`` in [0, 1]: how plausible the two lengths are for a translation."""
        return np.exp(-self.mismatch(ls, lt))

    def signature(self) -> str:
        return f"length(c={self.c:g},s2={self.s2:g},from={self.source})"


def lengths(texts: Sequence[str]) -> np.ndarray:
    return np.array([text_length(t) for t in texts], dtype=np.float64)
