"""What the page says about the numbers: agreement of the three methods, worked sums, precision.

Each function returns plain data and sentences built from `core.strings`, so the playground only
lays them out and a notebook can print them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.engine import Gradients
from core.strings import text

EPS = {"float32": float(np.finfo(np.float32).eps), "float64": float(np.finfo(np.float64).eps)}


def fmt(x: float, digits: int = 8) -> str:
    """A number as a person reads it: up to `digits` significant digits, a real minus sign."""
    s = f"{float(x):.{digits}g}"
    if s in ("-0", "0"):
        return "0"
    return s.replace("-", "−")


@dataclass(frozen=True)
class Agreement:
    """Largest differences of TensorFlow and of finite differences from the analytic result."""

    tf_vs_analytic: float
    numeric_vs_analytic: float
    tf_tolerance: float
    numeric_tolerance: float

    @property
    def ok(self) -> bool:
        """True when both differences are within float tolerance; False is a bug to show loudly."""
        return self.tf_vs_analytic <= self.tf_tolerance and self.numeric_vs_analytic <= self.numeric_tolerance


def _max_diff(a: Gradients, b: Gradients) -> float:
    return float(max(np.max(np.abs(a.dT.astype(np.float64) - b.dT)), np.max(np.abs(a.dB.astype(np.float64) - b.dB))))


def agreement(
    T: np.ndarray,
    B: np.ndarray,
    G: np.ndarray,
    tf: Gradients,
    analytic: Gradients,
    numeric: Gradients,
    dtype: str,
) -> Agreement:
    """Compare the three results; tolerances scale with the size of the terms being summed.

    A gradient entry is a sum of products; rounding error grows with Σ|term|, not with the
    (possibly cancelled) result, so that sum sets the scale. Inputs are also rounded to `dtype`.
    """
    scale_T = np.abs(G) @ np.abs(B).T
    scale_B = np.abs(T).T @ np.abs(G)
    scale = float(max(scale_T.max(), scale_B.max(), np.finfo(np.float64).tiny))
    terms = max(T.shape[0], B.shape[1])
    # Below the dtype's smallest normal number precision is absolute, not relative (1e-50 is 0 in
    # float32), so rounding there can cost up to `tiny` times the other factor of each product.
    largest = max(np.abs(T).max(), np.abs(B).max(), np.abs(G).max())
    underflow = terms * float(np.finfo(dtype).tiny) * (1.0 + float(largest))
    # Finite differences divide the rounding error of the whole L = Σ G⊙(T @ B) by the step
    # (at least 1e-3), which dominates when one large product sits beside small entries.
    with np.errstate(over="ignore"):  # inf only when L itself overflows, and then the check fails anyway
        loss_terms = float(np.sum(np.abs(G) * (np.abs(T) @ np.abs(B))))
    loss_rounding = (sum(T.shape) + B.shape[1] + 2) * EPS["float64"] * loss_terms / 1e-3
    return Agreement(
        tf_vs_analytic=_max_diff(tf, analytic),
        numeric_vs_analytic=_max_diff(numeric, analytic),
        tf_tolerance=4 * (terms + 2) * EPS[dtype] * scale + underflow,
        numeric_tolerance=1e-7 * scale + loss_rounding,
    )


def largest_difference(a: np.ndarray, b: np.ndarray) -> float:
    """max |a − b| over all entries, in float64."""
    return float(np.max(np.abs(np.asarray(a, dtype=np.float64) - np.asarray(b, dtype=np.float64))))


def same_within_float(difference: float, reference: list[np.ndarray], dtype: str, terms: int) -> bool:
    """Is `difference` rounding only? Relative to the largest reference entry (at least 1), per term summed.

    Used where two TensorFlow computations of one gradient are compared (a Jacobian's weighted rows
    against tape.gradient, a real loss against its seed): 1e-5 in float32, 1e-12 in float64.
    """
    scale = max(1.0, *(float(np.max(np.abs(r))) for r in reference))
    return difference <= (1e-5 if dtype == "float32" else 1e-12) * scale * terms


@dataclass(frozen=True)
class WorkedSum:
    """One gradient entry written out as its sum of contributions."""

    entry: str  # e.g. "dL/dT[0,1]"
    symbols: str  # "G[0,0]·B[1,0] + G[0,1]·B[1,1] + …"
    numbers: str  # "1·1.5658046 + 1·(−0.1012345) + …"
    value: float  # the analytic (float64) value
    cells_G: tuple[tuple[int, int], ...]  # the cells of G that take part
    cells_other: tuple[tuple[int, int], ...]  # the cells of B (for dT) or T (for dB)


def _paren(x: float) -> str:
    s = fmt(x)
    return f"({s})" if s.startswith("−") else s


def worked_sum(T: np.ndarray, B: np.ndarray, G: np.ndarray, wrt: str, i: int, j: int) -> WorkedSum:
    """dL/dT[i,j] = Σ_p G[i,p]·B[j,p]  or  dL/dB[i,j] = Σ_a T[a,i]·G[a,j], written out term by term."""
    if wrt == "T":
        n = B.shape[1]
        cells_G = tuple((i, p) for p in range(n))
        cells_B = tuple((j, p) for p in range(n))
        symbols = " + ".join(f"G[{i},{p}]·B[{j},{p}]" for p in range(n))
        numbers = " + ".join(f"{_paren(G[i, p])}·{_paren(B[j, p])}" for p in range(n))
        value = float(G[i, :] @ B[j, :])
        return WorkedSum(f"dL/dT[{i},{j}]", symbols, numbers, value, cells_G, cells_B)
    m = T.shape[0]
    cells_G = tuple((a, j) for a in range(m))
    cells_T = tuple((a, i) for a in range(m))
    symbols = " + ".join(f"T[{a},{i}]·G[{a},{j}]" for a in range(m))
    numbers = " + ".join(f"{_paren(T[a, i])}·{_paren(G[a, j])}" for a in range(m))
    value = float(T[:, i] @ G[:, j])
    return WorkedSum(f"dL/dB[{i},{j}]", symbols, numbers, value, cells_G, cells_T)


@dataclass(frozen=True)
class Marks:
    """The cells the picked entry's sum reads, for the charts to frame: all its terms (dashed), and
    the stepper's current term (heavy), in T, B and G."""

    T: tuple[tuple[int, int], ...] = ()
    B: tuple[tuple[int, int], ...] = ()
    G: tuple[tuple[int, int], ...] = ()
    step_T: tuple[tuple[int, int], ...] = ()
    step_B: tuple[tuple[int, int], ...] = ()
    step_G: tuple[tuple[int, int], ...] = ()


def sum_marks(worked: WorkedSum | None, step: int = 0) -> Marks:
    """Which cells of T, B and G to frame for `worked` (dL/dT reads G and B, dL/dB reads T and G).

    `step` is the stepper's term, counted from 1 (0: no term singled out); its two cells are drawn
    heavy and left out of the dashed ones, so each cell carries one mark.
    """
    if worked is None:
        return Marks()
    other = "B" if worked.entry.startswith("dL/dT") else "T"
    now = step - 1 if 0 < step <= len(worked.cells_G) else None
    step_G = (worked.cells_G[now],) if now is not None else ()
    step_other = (worked.cells_other[now],) if now is not None else ()
    cells = {
        other: tuple(c for c in worked.cells_other if c not in step_other),
        "G": tuple(c for c in worked.cells_G if c not in step_G),
        f"step_{other}": step_other,
        "step_G": step_G,
    }
    return Marks(**cells)


@dataclass(frozen=True)
class Step:
    """One term of a written-out sum, and the total so far."""

    symbol: str  # "G[0,1]·B[2,1]"
    a: float
    b: float
    product: float
    total: float


def sum_steps(T: np.ndarray, B: np.ndarray, G: np.ndarray, worked: WorkedSum) -> list[Step]:
    """The terms of `worked` in order, each with the running total (exact float64 arithmetic)."""
    steps, total = [], 0.0
    is_T = worked.entry.startswith("dL/dT")
    symbols = worked.symbols.split(" + ")
    for symbol, g, o in zip(symbols, worked.cells_G, worked.cells_other, strict=True):
        a, b = (float(G[g]), float(B[o])) if is_T else (float(T[o]), float(G[g]))
        total += a * b
        steps.append(Step(symbol, a, b, a * b, total))
    return steps


def all_ones_sentence(B: np.ndarray, lang: str = "en") -> str:
    """The plain sentence that answers the learner's question for the all-ones seed."""
    sums = ", ".join(fmt(s) for s in B.sum(axis=1))
    return text("explain.all_ones", lang, sums=sums)


@dataclass(frozen=True)
class PrecisionRow:
    """One entry of dL/dT in float32 (what TensorFlow prints by default) beside float64."""

    entry: str
    float32: str  # the shortest decimal that identifies the float32: what TensorFlow prints
    float32_exact: str  # the same float32 written to 17 significant digits
    float64: str
    difference: str  # float32 − float64, in scientific notation


def precision_rows(T: np.ndarray, B: np.ndarray, G: np.ndarray, dT32: np.ndarray) -> list[PrecisionRow]:
    """Row 0 of dL/dT as TensorFlow's float32 prints it next to the float64 analytic value.

    float32 keeps about 7 significant digits: each input is rounded to the nearest float32 and each
    product and sum rounds again, so the last printed digit can differ from exact arithmetic.
    """
    exact = G[0] @ B.T
    return [
        PrecisionRow(
            entry=f"dL/dT[0,{j}]",
            float32=repr(np.float32(dT32[0, j])).removeprefix("np.float32(").removesuffix(")"),
            float32_exact=f"{float(dT32[0, j]):.17g}",
            float64=f"{exact[j]:.17g}",
            difference=f"{float(np.float64(dT32[0, j]) - exact[j]):.2e}",
        )
        for j in range(B.shape[0])
    ]
