"""Beads: the units an alignment is made of.

A *bead* groups consecutive sentences of each language that translate each other. Pairwise
alignment (the DP) works on ``PairBead``; the public result of ``aligner.align.align`` is a list
of multi-way ``Bead`` objects, one per future translation unit. A language that has nothing in
a bead (an omission, page furniture) is simply absent from ``indices``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class PairBead:
    """Sentences ``src`` of one side aligned with sentences ``tgt`` of the other (0-based,
    consecutive, either may be empty), with the DP cost of the bead and a confidence in [0, 1]."""

    src: tuple[int, ...]
    tgt: tuple[int, ...]
    cost: float = 0.0
    score: float = 0.0

    @property
    def kind(self) -> tuple[int, int]:
        return (len(self.src), len(self.tgt))


@dataclass(frozen=True)
class Bead:
    """One multi-way bead: ``indices[lang]`` are that language's sentence indices (0-based,
    consecutive). ``score`` is a confidence in [0, 1]; ``flagged`` marks beads a reviser should
    look at first (low confidence, or material present in only some languages)."""

    indices: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    score: float = 0.0
    flagged: bool = False

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(lang for lang, idx in self.indices.items() if idx)

    def get(self, lang: str) -> tuple[int, ...]:
        return tuple(self.indices.get(lang, ()))

    def pair(self, src: str, tgt: str) -> PairBead:
        """The bilingual view of this bead (what the evaluation reads off multi-way runs)."""
        return PairBead(self.get(src), self.get(tgt), score=self.score)
