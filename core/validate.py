"""Checks that turn whatever a student typed into float64 matrices, or an `InputError` saying why not.

Everything that computes calls these first, so TensorFlow only ever sees finite float matrices of
compatible shapes and its own (opaque) errors cannot reach the page.
"""

from __future__ import annotations

import math
import numbers
import re
from typing import Any

import numpy as np

from core.errors import InputError
from core.limits import MAX_DIM
from core.strings import clip

NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
"""A plain ASCII decimal number. Stricter than `float()`, which also takes '1_0', 'nan' and '１'."""

NON_FINITE_WORDS = {"nan", "+nan", "-nan", "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"}


def parse_number(raw: str, name: str, i: int, j: int) -> float:
    """The float written in `raw` for cell `name[i,j]`, or an `InputError` naming the cell."""
    s = raw.strip()
    if not s:
        raise InputError("err.empty_cell", name=name, i=i, j=j)
    if s.lower() in NON_FINITE_WORDS:
        key = "err.nan_cell" if "nan" in s.lower() else "err.inf_cell"
        raise InputError(key, name=name, i=i, j=j)
    if not NUMBER.fullmatch(s):
        raise InputError("err.not_a_number", name=name, i=i, j=j, value=clip(s))
    value = float(s)
    if math.isinf(value):  # '1e999' is a number, but not a finite one
        raise InputError("err.inf_cell", name=name, i=i, j=j)
    return value


def _cell(value: Any, name: str, i: int, j: int) -> float:
    """One cell as a finite float; None is an empty cell, text must be a plain number."""
    if value is None:
        raise InputError("err.empty_cell", name=name, i=i, j=j)
    if isinstance(value, str):
        return parse_number(value, name, i, j)
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise InputError("err.not_a_number", name=name, i=i, j=j, value=clip(value))
    try:
        x = float(value)
    except OverflowError:  # an int such as 10**400 has no float
        raise InputError("err.inf_cell", name=name, i=i, j=j) from None
    if math.isnan(x):
        raise InputError("err.nan_cell", name=name, i=i, j=j)
    if math.isinf(x):
        raise InputError("err.inf_cell", name=name, i=i, j=j)
    return x


def _check_shape(rows: int, cols: int, name: str) -> None:
    if rows == 0 or cols == 0:
        raise InputError("err.empty_matrix", name=name)
    if rows > MAX_DIM or cols > MAX_DIM:
        raise InputError("err.too_large", name=name, rows=rows, cols=cols, limit=MAX_DIM)


def _rows_of(value: Any, name: str) -> list[list[Any]]:
    """A nested list of rows from a list of lists, an array or a DataFrame, refusing ragged rows."""
    if hasattr(value, "to_numpy"):  # a pandas DataFrame: a notebook user's table (core is a library too)
        value = value.to_numpy(dtype=object)
    if isinstance(value, np.ndarray):
        if value.ndim != 2:
            raise InputError("err.not_2d", name=name, ndim=value.ndim)
        _check_shape(value.shape[0], value.shape[1], name)
        return value.tolist()
    if not isinstance(value, (list, tuple)) or not all(isinstance(r, (list, tuple)) for r in value):
        raise InputError("err.not_2d", name=name, ndim=1 if isinstance(value, (list, tuple)) else 0)
    rows = [list(r) for r in value]
    if not rows or not rows[0]:
        raise InputError("err.empty_matrix", name=name)
    for r, row in enumerate(rows):
        if len(row) != len(rows[0]):
            raise InputError("err.ragged", name=name, row=r, got=len(row), expected=len(rows[0]))
    _check_shape(len(rows), len(rows[0]), name)
    return rows


def as_matrix(value: Any, name: str) -> np.ndarray:
    """`value` as a finite float64 matrix of at most MAX_DIM×MAX_DIM, or an InputError naming the cell."""
    if isinstance(value, np.ndarray) and value.ndim == 2 and value.dtype.kind in "fiu":
        _check_shape(value.shape[0], value.shape[1], name)
        matrix = value.astype(np.float64)
        if np.isfinite(matrix).all():
            return matrix
    rows = _rows_of(value, name)
    return np.array([[_cell(x, name, i, j) for j, x in enumerate(row)] for i, row in enumerate(rows)])


def check_product(T: Any, B: Any) -> tuple[np.ndarray, np.ndarray]:
    """T and B as float64 matrices whose product T @ B is defined."""
    T = as_matrix(T, "T")
    B = as_matrix(B, "B")
    if T.shape[1] != B.shape[0]:
        raise InputError("err.inner_mismatch", m=T.shape[0], k=T.shape[1], k2=B.shape[0], n=B.shape[1])
    return T, B


def check_seed(G: Any, m: int, n: int, name: str = "G") -> np.ndarray:
    """The seed G as a float64 m×n matrix (Y's shape)."""
    G = as_matrix(G, name)
    if G.shape != (m, n):
        raise InputError("err.seed_shape", rows=G.shape[0], cols=G.shape[1], m=m, n=n)
    return G


def check_dtype(dtype: str) -> str:
    """'float32' or 'float64', the two precisions the app compares."""
    if dtype not in ("float32", "float64"):
        raise InputError("err.dtype", dtype=clip(dtype))
    return dtype


def check_magnitude(T: np.ndarray, B: np.ndarray, G: np.ndarray | None, dtype: str) -> None:
    """Refuse numbers whose products could overflow `dtype`, before any of them turns into inf.

    Every entry of Y, dL/dT and dL/dB is a sum of at most max(m, k, n) products of two inputs, so
    that count times the two largest magnitudes bounds them all; past the dtype's largest finite
    value the figures and checks would show inf or NaN instead of numbers.
    """
    largest = float(np.finfo(dtype).max)
    G_max = 1.0 if G is None else float(np.max(np.abs(G)))
    T_max, B_max = float(np.max(np.abs(T))), float(np.max(np.abs(B)))
    terms = max(T.shape[0], T.shape[1], B.shape[1])
    with np.errstate(over="ignore"):
        bound = terms * max(T_max * B_max, G_max * B_max, T_max * G_max, T_max, B_max, G_max)
    if not bound < largest:
        reach = f"about {bound:.3g}" if np.isfinite(bound) else f"more than {np.finfo(np.float64).max:.3g}"
        raise InputError("err.overflow", dtype=dtype, bound=reach, largest=f"{largest:.3g}")
