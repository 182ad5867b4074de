"""The full Jacobian dY/dT (or dY/dB) laid out as a block matrix, and its link to the gradient.

TensorFlow's guide flattens a Jacobian of shape (m, n, m, k) row-major into an (m·n)×(m·k)
matrix: one row per entry Y[a,b], one column per entry T[i,j]. Weighting those rows by the seed
G and adding them up gives dL/dT, which is exactly what `tape.gradient` does without ever building
the Jacobian.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.engine import contract
from core.explain import largest_difference, same_within_float

MAX_ROWS = 24
MAX_COLS = 24
"""Largest block matrix drawn whole (the 8×8 limit could make it 64×64); beyond it, a labelled slice."""


@dataclass(frozen=True)
class BlockView:
    """A Jacobian flattened to 2-D, with the labels of its rows and columns, perhaps sliced."""

    values: np.ndarray  # the (possibly sliced) block matrix
    row_labels: list[str]  # "Y[a,b]"
    col_labels: list[str]  # "T[i,j]" or "B[j,p]"
    full_shape: tuple[int, int]  # (m·n, m·k) before slicing
    sliced: bool
    row_block: int = 1  # rows come in groups of n, one per row a of Y
    col_block: int = 1  # columns in groups of c, one per row of the source (k for T, n for B)


def labels(name: str, rows: int, cols: int) -> list[str]:
    """Row-major labels name[i,j] for a rows×cols matrix, in the order of a flattened Jacobian."""
    return [f"{name}[{i},{j}]" for i in range(rows) for j in range(cols)]


def block_view(J: np.ndarray, wrt: str) -> BlockView:
    """J of shape (m, n, r, c) as an (m·n)×(r·c) block matrix, sliced to MAX_ROWS×MAX_COLS."""
    m, n, r, c = J.shape
    flat = J.reshape(m * n, r * c)
    rows, cols = min(m * n, MAX_ROWS), min(r * c, MAX_COLS)
    return BlockView(
        values=flat[:rows, :cols],
        row_labels=labels("Y", m, n)[:rows],
        col_labels=labels(wrt, r, c)[:cols],
        full_shape=flat.shape,
        sliced=(rows, cols) != flat.shape,
        row_block=n,
        col_block=c,
    )


def structure(T: np.ndarray, B: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The Jacobians' closed forms as block matrices: kron(I_m, Bᵀ) for dY/dT, kron(T, I_n) for dY/dB."""
    m, n = T.shape[0], B.shape[1]
    return np.kron(np.eye(m), B.T), np.kron(T, np.eye(n))


@dataclass(frozen=True)
class Bridge:
    """The seed-weighted sum of a Jacobian's rows beside tape.gradient, and whether they agree."""

    summed: np.ndarray
    difference: float
    ok: bool


def bridge(J: np.ndarray, G: np.ndarray, gradient: np.ndarray, dtype: str) -> Bridge:
    """Σ_(a,b) G[a,b]·row Y[a,b] of J, folded to the source's shape, compared with tape.gradient."""
    summed = weighted_sum(J, G)
    difference = largest_difference(summed, gradient)
    terms = max(J.shape[0], J.shape[1], J.shape[2], J.shape[3])
    return Bridge(summed, difference, same_within_float(difference, [gradient], dtype, terms))


def structure_difference(J: np.ndarray, closed_form: np.ndarray) -> float:
    """Largest difference between TensorFlow's Jacobian, flattened, and its closed form (a kron)."""
    m, n, r, c = J.shape
    return largest_difference(J.reshape(m * n, r * c), closed_form)


def seeded_rows(G: np.ndarray) -> list[int]:
    """Indices of the block matrix's rows that the seed weights (nonzero G[a,b], row-major)."""
    return [int(r) for r in np.flatnonzero(G.ravel())]


def weighted_sum(J: np.ndarray, G: np.ndarray) -> np.ndarray:
    """Σ_(a,b) G[a,b]·(row Y[a,b] of the block matrix), in the source's shape: the gradient.

    The page's name for core.engine.contract, the one place the contraction is written.
    """
    return contract(J, G)
