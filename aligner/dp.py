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
from math import isfinite

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


@dataclass(frozen=True, eq=False)
class Cells:
    """The cells of a band where a bead can end, for every move: ``move[x]`` is the index into
    ``moves`` of cell ``x``, ``i[x]``/``j[x]`` its row and column, and ``flat[x]`` its position in
    the flattened cost array of shape ``(len(moves), n+1, width)``. Cells come move by move, in
    row-major order; every other cell of the cost array is +inf (``mask_invalid``'s complement).
    A scorer costs these cells only."""

    move: np.ndarray
    i: np.ndarray
    j: np.ndarray
    flat: np.ndarray
    bounds: tuple[int, ...]  # the cells of move t are ``bounds[t] : bounds[t + 1]``

    def __len__(self) -> int:
        return len(self.flat)


def valid_cells(band: Band, moves: Sequence[tuple[int, int]]) -> Cells:
    """The cells of ``band`` where a bead of each move starts inside the text and ends in it."""
    rows, cols = band.grid()
    size = (band.n + 1) * band.width
    parts: list[tuple[int, np.ndarray]] = []
    for t, (a, b) in enumerate(moves):
        ok = (rows >= a) & (cols >= b) & (cols <= band.m)
        parts.append((t, np.flatnonzero(ok)))
    index = np.concatenate([x for _, x in parts]) if parts else np.zeros(0, dtype=np.int64)
    move = np.concatenate([np.full(len(x), t) for t, x in parts]) if parts else np.zeros(0, dtype=np.int64)
    bounds = (0, *np.cumsum([len(x) for _, x in parts]).tolist())
    return Cells(move, rows.ravel()[index], cols.ravel()[index], move * size + index, bounds)


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
    if width <= SMALL_WIDTH:
        return _search_small(costs.tolist(), band, moves, zero)
    total, back = _forward(costs, band, moves, zero)
    if not np.isfinite(total[n, m - lo[n]]):
        raise ValueError("no alignment path inside the band")
    return _trace(back.tolist(), costs, lo.tolist(), n, m, moves)


def _forward(
    costs: np.ndarray, band: Band, moves: Sequence[tuple[int, int]], zero: list[int]
) -> tuple[np.ndarray, np.ndarray]:
    """The cheapest total from (0, 0) to every cell of ``band`` and the move that reaches it."""
    n, width, lo = band.n, band.width, band.lo
    total = np.full((n + 1, width), np.inf)
    back = np.full((n + 1, width), -1, dtype=np.int8)
    # All moves with source sentences at once: candidate (move, k) is the total of the cell the
    # bead starts from plus its cost; the first cheapest move wins, as in a loop over moves
    # that keeps a candidate only when it is strictly cheaper.
    sourced = [t for t, (a, _) in enumerate(moves) if a > 0]
    move_of = np.array(sourced, dtype=np.int8)
    src_len = np.array([moves[t][0] for t in sourced], dtype=np.int64)
    tgt_len = np.array([moves[t][1] for t in sourced], dtype=np.int64)
    own = costs[sourced]
    columns = np.arange(width)
    start_col = columns[None, :] - tgt_len[:, None]  # before the shift between the two rows' bands
    # a row where every move is live, in a band whose rows all start at column 0 (the full
    # matrix), takes its candidates from the same columns: worked out once
    full = not lo.any()
    from_col = np.minimum(np.maximum(start_col, 0), width - 1)
    from_ok = start_col >= 0
    # where a run of (0, 1) moves starts: the first cell of a row, and every cell the move
    # cannot reach (its cost is +inf: outside the text, or outside the band of a window that
    # ``aligner.align`` searches again); the runs are summed from there, so an impossible cell
    # never enters a sum (a finite stand-in of 1e12 did, and rounded the costs after it away)
    starts = {}
    for t in zero:
        reach = np.isfinite(costs[t])
        reach[:, 0] = False
        starts[t] = [np.flatnonzero(~row) for row in reach]
    all_live = int(src_len.max()) if len(sourced) else 0
    for i in range(n + 1):
        best = np.full(width, np.inf)
        came = np.full(width, -1, dtype=np.int8)
        if i == 0:
            best[0] = 0.0
        if len(sourced) and i >= all_live and full:
            prev = np.where(from_ok, total[(i - src_len)[:, None], from_col], np.inf)
        elif len(sourced) and i >= int(src_len.min()):
            live = src_len <= i
            rows = np.where(live, i - src_len, 0)
            k_prev = start_col + (lo[i] - lo[rows])[:, None]
            ok = (k_prev >= 0) & (k_prev < width) & live[:, None]
            prev = np.where(ok, total[rows[:, None], np.minimum(np.maximum(k_prev, 0), width - 1)], np.inf)
        else:
            prev = None
        if prev is not None:
            cand = prev + own[:, i, :]
            pick = cand.argmin(axis=0)
            cheapest = cand[pick, columns]
            better = cheapest < best
            best = np.where(better, cheapest, best)
            came = np.where(better, move_of[pick], came)
        for t in zero:  # D[k] = min(E[k], D[k-1] + c[k])  ==  C[k] + min_{q<=k}(E[q] - C[q])
            ends = [*starts[t][i][1:].tolist(), width]
            for a, b in zip(starts[t][i].tolist(), ends, strict=True):
                if b - a < 2:
                    continue
                cum = np.cumsum(np.concatenate([[0.0], costs[t, i, a + 1 : b]]))
                run = cum + np.minimum.accumulate(best[a:b] - cum)
                better = run < best[a:b] - 1e-9
                best[a:b] = np.where(better, run, best[a:b])
                came[a:b][better] = t
        total[i] = best
        back[i] = came
    return total, back


def margins(
    costs: np.ndarray, band: Band, moves: Sequence[tuple[int, int]], steps: Sequence[Step]
) -> np.ndarray:
    """For each step of ``steps`` (the best path ``search`` found on ``costs``), how much more the
    cheapest path that does not take that step costs: 0 where another path is as cheap, large
    where the step is beyond doubt. The min-marginals of the DP, from a forward and a backward
    pass (the backward pass is the forward pass on the reversed problem). Exact: a path without
    the step covers one of its sentences with another bead, and the cheapest path through any
    other bead covering one of its sentences does not take the step."""
    n, m, width, lo = band.n, band.m, band.width, band.lo
    zero = [t for t, (a, _) in enumerate(moves) if a == 0]
    forward, _ = _forward(costs, band, moves, zero)
    # the reversed problem: cell (i, j) becomes (n - i, m - j), a bead ending at (i, j) one
    # ending where it started, (n - i + a, m - j + b)
    lo_r = np.maximum(0, m - lo[::-1] - width + 1)
    band_r = Band(lo_r, width, n, m)
    rows_r, cols_r = band_r.grid()
    reversed_costs = np.full_like(costs, np.inf)
    for t, (a, b) in enumerate(moves):
        i, j = n - rows_r + a, m - cols_r + b
        k = j - lo[np.minimum(i, n)]
        ok = (i <= n) & (k >= 0) & (k < width) & (cols_r <= m)
        reversed_costs[t][ok] = costs[t, i[ok], k[ok]]
    backward_r, _ = _forward(reversed_costs, band_r, moves, zero)
    rows, cols = band.grid()
    k_r = (m - cols) - lo_r[n - rows]
    inside = (cols <= m) & (k_r >= 0) & (k_r < width)
    backward = np.full((n + 1, width), np.inf)
    backward[inside] = backward_r[(n - rows)[inside], k_r[inside]]
    best = forward[n, m - lo[n]]
    through = np.full_like(costs, np.inf)  # the cheapest path through each bead
    for t, (a, b) in enumerate(moves):
        i0, j0 = rows - a, cols - b
        k0 = j0 - lo[np.maximum(i0, 0)]
        ok = (i0 >= 0) & (k0 >= 0) & (k0 < width) & (cols <= m) & np.isfinite(costs[t])
        through[t][ok] = forward[i0[ok], k0[ok]] + costs[t][ok] + backward[ok]
    index = {move: t for t, move in enumerate(moves)}
    for s in steps:
        through[index[(s.i1 - s.i0, s.j1 - s.j0)], s.i1, s.j1 - lo[s.i1]] = np.inf
    by_source = np.full(n + 1, np.inf)  # by_source[x]: the cheapest other bead covering source x
    by_target = np.full(m + 1, np.inf)
    for t, (a, b) in enumerate(moves):
        row = through[t].min(axis=1)  # beads ending in row i cover source i - a .. i - 1
        for d in range(1, a + 1):
            np.minimum(by_source[: n + 1 - d], row[d:], out=by_source[: n + 1 - d])
        if b:
            col = np.full(m + 1 + b, np.inf)
            np.minimum.at(col, np.minimum(cols, m + b).ravel(), through[t].ravel())
            for d in range(1, b + 1):
                np.minimum(by_target[: m + 1 - d], col[d : m + 1], out=by_target[: m + 1 - d])
    out = np.empty(len(steps))
    for x, s in enumerate(steps):
        other = min(by_source[s.i0 : s.i1].min(initial=np.inf), by_target[s.j0 : s.j1].min(initial=np.inf))
        out[x] = other - best
    return out


def _trace(
    back: list[list[int]], costs, lo: list[int], n: int, m: int, moves: Sequence[tuple[int, int]]
) -> list[Step]:
    """The path back from (n, m); ``costs`` indexed ``[t][i][k]`` (an array or nested lists)."""
    steps: list[Step] = []
    i, j = n, m
    while i > 0 or j > 0:
        t = int(back[i][j - lo[i]])
        if t < 0:
            raise ValueError("broken back-pointer (band too narrow?)")
        a, b = moves[t]
        steps.append(Step(i - a, i, j - b, j, float(costs[t][i][j - lo[i]])))
        i, j = i - a, j - b
    steps.reverse()
    return steps


#: bands at most this wide are searched in plain Python: numpy's overhead per call (a dozen
#: calls per row and move) outweighs a narrow row's arithmetic, and most UN paragraphs are one
#: sentence
SMALL_WIDTH = 40


def _search_small(
    costs: list[list[list[float]]], band: Band, moves: Sequence[tuple[int, int]], zero: list[int]
) -> list[Step]:
    """``search`` in plain Python, with the same floating-point operations in the same order
    (the running minimum of the ``(0, 1)`` move included), so the path and costs are identical."""
    n, m, width = band.n, band.m, band.width
    lo = band.lo.tolist()
    inf = np.inf
    total: list[list[float]] = []
    back: list[list[int]] = []
    for i in range(n + 1):
        best = [inf] * width
        came = [-1] * width
        if i == 0:
            best[0] = 0.0
        for t, (a, b) in enumerate(moves):
            if a == 0 or a > i:
                continue
            prev_row = total[i - a]
            shift = lo[i] - b - lo[i - a]
            row = costs[t][i]
            for k in range(max(0, -shift), min(width, width - shift)):
                cand = prev_row[k + shift] + row[k]
                if cand < best[k]:
                    best[k] = cand
                    came[k] = t
        for t in zero:  # see ``search``: D[k] = C[k] + min_{q<=k}(E[q] - C[q])
            row = costs[t][i]
            cum = 0.0
            low = inf
            for k in range(width):
                if k == 0 or not isfinite(row[k]):  # a run starts (``_forward``)
                    cum = 0.0
                    low = best[k] - cum
                else:
                    cum = cum + row[k]
                    low = min(low, best[k] - cum)
                run = cum + low
                if run < best[k] - 1e-9:
                    best[k] = run
                    came[k] = t
        total.append(best)
        back.append(came)
    if not isfinite(total[n][m - lo[n]]):
        raise ValueError("no alignment path inside the band")
    return _trace(back, costs, lo, n, m, moves)
