"""The alignment search: a banded dynamic programme over beads, independent of the scorers.

The caller hands over a cost array ``costs[t, i, k]``: the cost of a bead of kind
``moves[t] = (a, b)`` that *ends* at cell ``(i, j = band.lo[i] + k)``, i.e. covers source
sentences ``i-a .. i-1`` and target sentences ``j-b .. j-1``. Where the numbers come from
(lengths, anchors, dictionaries, embeddings) is none of this module's business, as in
Vecalign/Bertalign (STYLE.md).

Only cells inside the band are searched. The band has a fixed width per row and follows a
coarse path (``Band.around``), so time and memory grow linearly with the document length
(Thompson & Koehn 2019, "Vecalign", §3: coarse-to-fine search around a projected path).
Rows are processed one at a time and vectorised over the band with numpy.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

#: bead kinds searched by default (source sentences, target sentences)
DEFAULT_MOVES: tuple[tuple[int, int], ...] = (
    (1, 1),
    (1, 0),
    (0, 1),
    (1, 2),
    (2, 1),
    (2, 2),
    (1, 3),
    (3, 1),
)
#: longer merges for literary translation, where one sentence often becomes three or four
LITERARY_MOVES: tuple[tuple[int, int], ...] = (*DEFAULT_MOVES, (1, 4), (4, 1), (2, 3), (3, 2))

_BIG = 1e12  # finite stand-in for "impossible" inside cumulative sums


@dataclass(frozen=True)
class Band:
    """Cells searched: row ``i`` (source sentences consumed, 0..n) covers target positions
    ``lo[i] .. lo[i] + width - 1`` (clipped to 0..m by the caller's costs)."""

    lo: np.ndarray
    width: int
    n: int
    m: int

    @classmethod
    def full(cls, n: int, m: int) -> Band:
        return cls(np.zeros(n + 1, dtype=np.int64), m + 1, n, m)

    @classmethod
    def around(cls, centers: np.ndarray, half_width: int, n: int, m: int) -> Band:
        """A band of ``2*half_width+1`` columns centred on ``centers[i]`` (one per row, a path
        from (0, 0) to (n, m) found at a coarser resolution)."""
        width = min(2 * half_width + 1, m + 1)
        lo = np.clip(np.round(centers).astype(np.int64) - half_width, 0, m + 1 - width)
        return cls(lo, width, n, m)

    def grid(self) -> tuple[np.ndarray, np.ndarray]:
        """Row and column index of every cell, each of shape ``(n+1, width)``."""
        rows = np.broadcast_to(np.arange(self.n + 1)[:, None], (self.n + 1, self.width))
        cols = self.lo[:, None] + np.arange(self.width)[None, :]
        return rows, cols

    @property
    def cells(self) -> int:
        return (self.n + 1) * self.width


@dataclass(frozen=True)
class Step:
    """One bead of the best path: source ``i0:i1``, target ``j0:j1``, and its cost."""

    i0: int
    i1: int
    j0: int
    j1: int
    cost: float


def mask_invalid(costs: np.ndarray, band: Band, moves: Sequence[tuple[int, int]]) -> np.ndarray:
    """Set to +inf every cell whose bead would start before the text or run past its end."""
    rows, cols = band.grid()
    for t, (a, b) in enumerate(moves):
        bad = (rows - a < 0) | (cols - b < 0) | (cols > band.m)
        costs[t][bad] = np.inf
    return costs


def search(costs: np.ndarray, band: Band, moves: Sequence[tuple[int, int]]) -> list[Step]:
    """Minimum-cost path of beads from (0, 0) to (n, m) inside ``band``.

    ``costs`` has shape ``(len(moves), n+1, band.width)``; invalid cells must be +inf
    (see ``mask_invalid``). The only move with no source sentence allowed is ``(0, 1)``;
    it is solved within a row in closed form (a running minimum), so no Python loop runs
    over columns.
    """
    n, m, width, lo = band.n, band.m, band.width, band.lo
    if costs.shape != (len(moves), n + 1, width):
        raise ValueError(f"costs shape {costs.shape} does not match band {(len(moves), n + 1, width)}")
    if not (lo[0] == 0 and lo[n] <= m < lo[n] + width):
        raise ValueError("band must contain the start (0, 0) and the end (n, m)")
    zero = [t for t, (a, b) in enumerate(moves) if a == 0]
    if any(moves[t] != (0, 1) for t in zero):
        raise ValueError("the only move without source sentences may be (0, 1)")
    total = np.full((n + 1, width), np.inf)
    back = np.full((n + 1, width), -1, dtype=np.int8)
    columns = np.arange(width)
    for i in range(n + 1):
        best = np.full(width, np.inf)
        came = np.full(width, -1, dtype=np.int8)
        if i == 0:
            best[0] = 0.0
        for t, (a, b) in enumerate(moves):
            if a == 0 or a > i:
                continue
            r = i - a
            k_prev = columns + (lo[i] - b - lo[r])
            ok = (k_prev >= 0) & (k_prev < width)
            prev = np.full(width, np.inf)
            prev[ok] = total[r, k_prev[ok]]
            cand = prev + costs[t, i]
            better = cand < best
            best[better] = cand[better]
            came[better] = t
        for t in zero:  # D[k] = min(E[k], D[k-1] + c[k])  ==  C[k] + min_{q<=k}(E[q] - C[q])
            step = np.where(np.isfinite(costs[t, i]), costs[t, i], _BIG).astype(np.float64)
            step[0] = 0.0
            cum = np.cumsum(step)
            run = cum + np.minimum.accumulate(best - cum)
            better = run < best - 1e-9
            best = np.where(better, run, best)
            came[better] = t
        total[i] = best
        back[i] = came
    k = m - lo[n]
    if not np.isfinite(total[n, k]):
        raise ValueError("no alignment path inside the band")
    steps: list[Step] = []
    i, j = n, m
    while i > 0 or j > 0:
        t = int(back[i, j - lo[i]])
        if t < 0:
            raise ValueError("broken back-pointer (band too narrow?)")
        a, b = moves[t]
        steps.append(Step(i - a, i, j - b, j, float(costs[t, i, j - lo[i]])))
        i, j = i - a, j - b
    steps.reverse()
    return steps
