"""The banded DP against a plain reference implementation on random costs."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from aligner.dp import DEFAULT_MOVES, LITERARY_MOVES, Band, margins, mask_invalid, search, valid_cells


def reference(cost_fn, n: int, m: int, moves) -> tuple[float, list[tuple[int, int, int, int]]]:
    """Textbook O(n*m) DP over (i, j) with Python loops."""
    best = {(0, 0): (0.0, None)}
    for i in range(n + 1):
        for j in range(m + 1):
            if (i, j) == (0, 0):
                continue
            options = []
            for a, b in moves:
                if i - a >= 0 and j - b >= 0 and (i - a, j - b) in best:
                    options.append((best[(i - a, j - b)][0] + cost_fn(a, b, i, j), (i - a, j - b)))
            if options:
                best[(i, j)] = min(options)
    path, cell = [], (n, m)
    while cell != (0, 0):
        prev = best[cell][1]
        path.append((prev[0], cell[0], prev[1], cell[1]))
        cell = prev
    return best[(n, m)][0], path[::-1]


def random_costs(n: int, m: int, seed: int):
    rng = np.random.default_rng(seed)
    table = {(a, b): rng.uniform(0, 5, size=(n + 1, m + 1)) for a, b in DEFAULT_MOVES}
    # a cheap diagonal-ish path so the optimum stays near the diagonal
    for i in range(n + 1):
        j = round(i * m / max(n, 1))
        table[(1, 1)][i, j] *= 0.05
    return lambda a, b, i, j: float(table[(a, b)][i, j])


def costs_for(band: Band, cost_fn, moves) -> np.ndarray:
    _, cols = band.grid()
    out = np.empty((len(moves), band.n + 1, band.width))
    for t, (a, b) in enumerate(moves):
        for i in range(band.n + 1):
            for k in range(band.width):
                j = cols[i, k]
                out[t, i, k] = cost_fn(a, b, i, j) if 0 <= j <= band.m else np.inf
    return mask_invalid(out, band, moves)


@pytest.mark.parametrize(("n", "m", "seed"), [(6, 6, 1), (9, 12, 2), (15, 10, 3), (1, 4, 4), (5, 0, 5)])
def test_full_band_matches_reference(n: int, m: int, seed: int) -> None:
    cost_fn = random_costs(n, m, seed)
    band = Band.full(n, m)
    steps = search(costs_for(band, cost_fn, DEFAULT_MOVES), band, DEFAULT_MOVES)
    want_cost, want_path = reference(cost_fn, n, m, DEFAULT_MOVES)
    assert sum(s.cost for s in steps) == pytest.approx(want_cost)
    assert [(s.i0, s.i1, s.j0, s.j1) for s in steps] == want_path


def test_band_around_the_diagonal_finds_the_diagonal_optimum() -> None:
    n, m = 60, 66
    cost_fn = random_costs(n, m, 7)
    centers = np.arange(n + 1) * m / n
    band = Band.around(centers, 8, n, m)
    assert band.width == 17
    steps = search(costs_for(band, cost_fn, DEFAULT_MOVES), band, DEFAULT_MOVES)
    want_cost, _ = reference(cost_fn, n, m, DEFAULT_MOVES)
    assert sum(s.cost for s in steps) == pytest.approx(want_cost)
    assert steps[0].i0 == 0 and steps[0].j0 == 0 and steps[-1].i1 == n and steps[-1].j1 == m


def test_beads_tile_both_sides() -> None:
    n, m = 20, 25
    band = Band.full(n, m)
    steps = search(costs_for(band, random_costs(n, m, 9), DEFAULT_MOVES), band, DEFAULT_MOVES)
    assert (steps[0].i0, steps[0].j0) == (0, 0) and (steps[-1].i1, steps[-1].j1) == (n, m)
    for prev, nxt in itertools.pairwise(steps):
        assert (prev.i1, prev.j1) == (nxt.i0, nxt.j0)


def test_band_without_the_end_is_refused() -> None:
    band = Band(np.zeros(4, dtype=np.int64), 2, 3, 5)
    with pytest.raises(ValueError, match="band"):
        search(np.zeros((len(DEFAULT_MOVES), 4, 2)), band, DEFAULT_MOVES)


@pytest.mark.parametrize(
    ("n", "m", "seed"), [(1, 1, 11), (2, 3, 12), (6, 6, 13), (9, 12, 14), (4, 0, 15), (40, 33, 16)]
)
def test_plain_python_search_is_the_numpy_search(monkeypatch, n: int, m: int, seed: int) -> None:
    """Narrow bands are searched in plain Python: the same path and the same costs, to the
    last bit (ties included: integer costs tie often, and the ``(0, 1)`` move's running
    minimum must pick as numpy's does)."""
    from aligner import dp

    for moves in (DEFAULT_MOVES, LITERARY_MOVES):
        rng = np.random.default_rng(seed)
        for costs_of in (
            lambda shape, rng=rng: rng.uniform(0, 5, size=shape),
            lambda shape, rng=rng: rng.integers(0, 3, size=shape).astype(np.float64),
        ):
            for band in (Band.full(n, m), Band.around(np.arange(n + 1) * m / max(n, 1), 2, n, m)):
                costs = mask_invalid(costs_of((len(moves), n + 1, band.width)), band, moves)
                monkeypatch.setattr(dp, "SMALL_WIDTH", 0)
                vectorised = search(costs.copy(), band, moves)
                monkeypatch.setattr(dp, "SMALL_WIDTH", 10_000)
                plain = search(costs.copy(), band, moves)
                assert plain == vectorised


def test_valid_cells_are_the_unmasked_cells() -> None:
    centers = np.arange(31) * 40 / 30
    for band in (Band.full(5, 7), Band.around(centers, 4, 30, 40)):
        cells = valid_cells(band, LITERARY_MOVES)
        masked = mask_invalid(np.zeros((len(LITERARY_MOVES), band.n + 1, band.width)), band, LITERARY_MOVES)
        assert sorted(cells.flat.tolist()) == np.flatnonzero(np.isfinite(masked)).tolist()
        _, cols = band.grid()
        for t in range(len(LITERARY_MOVES)):
            x = slice(cells.bounds[t], cells.bounds[t + 1])
            assert (cells.move[x] == t).all()
            assert (cols.ravel()[cells.flat[x] - t * band.cells] == cells.j[x]).all()


@pytest.mark.parametrize(
    ("n", "m", "seed", "half"), [(6, 6, 21, 0), (9, 12, 22, 0), (5, 0, 23, 0), (40, 44, 24, 6)]
)
def test_margins_are_the_cheapest_path_without_each_step(n: int, m: int, seed: int, half: int) -> None:
    """``margins``: the textbook DP with the step's bead forbidden, less the best path's cost,
    on the full matrix and in a band."""
    for moves in (DEFAULT_MOVES, LITERARY_MOVES):
        rng = np.random.default_rng(seed)
        table = {move: rng.integers(0, 4, size=(n + 1, m + 1)).astype(np.float64) for move in moves}

        def cost_fn(a, b, i, j, table=table):
            return float(table[(a, b)][i, j])

        band = Band.around(np.arange(n + 1) * m / max(n, 1), half, n, m) if half else Band.full(n, m)
        costs = costs_for(band, cost_fn, moves)
        steps = search(costs, band, moves)
        best = sum(s.cost for s in steps)
        found = margins(costs, band, moves, steps)
        for s, margin in zip(steps, found, strict=True):
            step = (s.i1 - s.i0, s.j1 - s.j0, s.i1, s.j1)

            def forbidden(a, b, i, j, step=step, band=band):
                inside = 0 <= j - band.lo[i] < band.width
                return np.inf if (a, b, i, j) == step or not inside else cost_fn(a, b, i, j)

            try:
                other, _ = reference(forbidden, n, m, moves)
            except (KeyError, TypeError):  # no other path
                other = np.inf
            assert margin == pytest.approx(other - best)


@pytest.mark.parametrize("seed", [31, 32, 33])
def test_impossible_cells_inside_the_rows_of_a_full_band(monkeypatch, seed: int) -> None:
    """A window that ``aligner.align`` searches again is a full rectangle whose cells outside the
    cpu band cost +inf, so runs of (0, 1) moves meet impossible cells in the middle of a row
    (they used to enter the running sum as 1e12, whose rounding broke the back-pointers): the
    numpy and the plain search find the textbook optimum, and the margins are exact there too."""
    from aligner import dp

    n, m, reach = 60, 75, 6
    rng = np.random.default_rng(seed)
    table = {move: rng.uniform(0, 5, size=(n + 1, m + 1)) for move in LITERARY_MOVES}
    for move in LITERARY_MOVES:
        rows, cols = np.indices((n + 1, m + 1))
        table[move][np.abs(cols - rows * m / n) > reach] = np.inf

    def cost_fn(a, b, i, j):
        return float(table[(a, b)][i, j])

    band = Band.full(n, m)
    costs = costs_for(band, cost_fn, LITERARY_MOVES)
    want_cost, want_path = reference(cost_fn, n, m, LITERARY_MOVES)
    found = []
    for small in (0, 10_000):
        monkeypatch.setattr(dp, "SMALL_WIDTH", small)
        found.append(search(costs.copy(), band, LITERARY_MOVES))
    assert found[0] == found[1]
    assert sum(s.cost for s in found[0]) == pytest.approx(want_cost)
    assert [(s.i0, s.i1, s.j0, s.j1) for s in found[0]] == want_path
    assert (margins(costs, band, LITERARY_MOVES, found[0]) >= -1e-9).all()
