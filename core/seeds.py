"""Seeds: the upstream gradient G = dL/dY, an m×n matrix of weights on Y's entries.

`tape.gradient(Y, T)` with a non-scalar Y uses the all-ones seed; `output_gradients=G` picks any
other. The constructors here return plain arrays; `SeedSpec` is the named choice a page or a URL
makes ("row 2", "entry 0,0"), turned into an array once Y's shape is known.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import numpy as np

from core.errors import InputError
from core.validate import as_matrix, check_seed

SeedKind = Literal["ones", "entry", "entries", "row", "col", "weights"]
SEED_KINDS: tuple[SeedKind, ...] = ("ones", "entry", "entries", "row", "col", "weights")


def ones(m: int, n: int) -> np.ndarray:
    """G = 1 everywhere: TensorFlow's default, i.e. L = sum(Y)."""
    return np.ones((m, n))


def one_entry(m: int, n: int, i: int, j: int) -> np.ndarray:
    """G = e_(i,j): L = Y[i,j], the gradient of one entry of Y."""
    return entries(m, n, [(i, j)])


def entries(m: int, n: int, cells: Iterable[tuple[int, int]]) -> np.ndarray:
    """G = 1 on the listed cells of Y, 0 elsewhere: L is the sum of those entries."""
    cells = list(cells)
    if len(cells) > m * n:
        raise InputError("err.too_many_entries", count=len(cells), cells=m * n)
    G = np.zeros((m, n))
    for i, j in cells:
        if not (0 <= i < m and 0 <= j < n):
            raise InputError("err.entry_out_of_range", i=i, j=j, m=m, n=n, m_last=m - 1, n_last=n - 1)
        G[i, j] = 1.0
    return G


def row(m: int, n: int, i: int) -> np.ndarray:
    """G = 1 on row i of Y: L = sum(Y[i, :])."""
    if not 0 <= i < m:
        raise InputError("err.row_out_of_range", i=i, m=m, m_last=m - 1)
    G = np.zeros((m, n))
    G[i, :] = 1.0
    return G


def column(m: int, n: int, j: int) -> np.ndarray:
    """G = 1 on column j of Y: L = sum(Y[:, j])."""
    if not 0 <= j < n:
        raise InputError("err.col_out_of_range", j=j, n=n, n_last=n - 1)
    G = np.zeros((m, n))
    G[:, j] = 1.0
    return G


def weights(W: object, m: int, n: int) -> np.ndarray:
    """G = W, any m×n weights: L = sum(W ⊙ Y)."""
    return check_seed(W, m, n)


# --- the seeds that losses produce ------------------------------------------------------------


def reduce_sum_seed(m: int, n: int) -> np.ndarray:
    """L = reduce_sum(Y) gives dL/dY = 1: the same seed TensorFlow uses by default."""
    return ones(m, n)


def reduce_mean_seed(m: int, n: int) -> np.ndarray:
    """L = reduce_mean(Y) gives dL/dY = 1/(m·n) in every cell."""
    return np.full((m, n), 1.0 / (m * n))


def squared_error_seed(Y: object, target: object) -> np.ndarray:
    """L = reduce_mean((Y − target)²) gives dL/dY = 2(Y − target)/N with N = m·n."""
    Y = as_matrix(Y, "Y")
    target = as_matrix(target, "target")
    if target.shape != Y.shape:
        m, n = Y.shape
        raise InputError("err.target_shape", rows=target.shape[0], cols=target.shape[1], m=m, n=n)
    return 2.0 * (Y - target) / Y.size


@dataclass(frozen=True)
class SeedSpec:
    """A named seed choice, independent of Y's shape until `matrix(m, n)` is asked for.

    `cells` holds the (i, j) of `entry`/`entries`, `index` the row or column of `row`/`col`, and
    `weights` the rows of a `weights` seed. Indices count from 0, as in Python and TensorFlow.
    """

    kind: SeedKind = "ones"
    cells: tuple[tuple[int, int], ...] = ()
    index: int = 0
    weights: tuple[tuple[float, ...], ...] = ()

    def matrix(self, m: int, n: int) -> np.ndarray:
        """The m×n seed G this choice means for Y of shape (m, n)."""
        if self.kind == "ones":
            return ones(m, n)
        if self.kind in ("entry", "entries"):
            return entries(m, n, self.cells)
        if self.kind == "row":
            return row(m, n, self.index)
        if self.kind == "col":
            return column(m, n, self.index)
        return weights([list(r) for r in self.weights], m, n)

    @property
    def is_default(self) -> bool:
        """True for the all-ones seed, which `tape.gradient` uses when given no output_gradients."""
        return self.kind == "ones"


def seeded_cells(G: np.ndarray) -> list[tuple[int, int]]:
    """The cells of Y that the seed G weights (nonzero), row-major: the ones L depends on."""
    return [(int(i), int(j)) for i, j in np.argwhere(G != 0)]


def resize_seed(spec: SeedSpec, m: int, n: int) -> SeedSpec:
    """The seed kept valid for a new Y shape: cells outside dropped, a row or column clamped."""
    if spec.kind in ("entry", "entries"):
        cells = tuple((i, j) for i, j in spec.cells if i < m and j < n)
        return SeedSpec(spec.kind, cells=cells) if cells else SeedSpec("entry", cells=((0, 0),))
    if spec.kind == "row":
        return SeedSpec("row", index=min(spec.index, m - 1))
    if spec.kind == "col":
        return SeedSpec("col", index=min(spec.index, n - 1))
    if spec.kind == "weights":
        W = [
            [spec.weights[i][j] if i < len(spec.weights) and j < len(spec.weights[0]) else 0.0 for j in range(n)]
            for i in range(m)
        ]
        return SeedSpec("weights", weights=tuple(tuple(r) for r in W))
    return spec
