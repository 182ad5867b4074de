"""What the current seed makes true about dL/dT, in one sentence, and the cells that show it.

dL/dT = G @ Bᵀ, so column p of dL/dT is built from row p of B alone: dL/dT[i,p] = Σ_q G[i,q]·B[p,q].
For the seeds a class meets first this collapses to something one can see on the screen:

- all ones: every row of dL/dT is B's row sums (the original question);
- one row i of ones: row i of dL/dT is B's row sums, the other rows are 0;
- one entry (i,j): row i of dL/dT is column j of B, the other rows are 0;
- one column j of ones: every row of dL/dT is column j of B;
- anything else: row i of dL/dT mixes B's columns with row i of the seed as weights.

The case is read from G itself, not from how the seed was chosen, so custom weights that happen to
be all ones get the all-ones sentence. `link(p)` says which cells of B feed column p of dL/dT and
which cells of dL/dT they become, for the page to frame both.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from core.figures import heatmap_text
from core.strings import text

Cell = tuple[int, int]
Case = Literal["zero", "ones", "row", "entry", "col", "mixed"]


@dataclass(frozen=True)
class Lesson:
    """The seed's lesson for B of shape (k, n) and G of shape (m, n)."""

    case: Case
    i: int  # the seeded row of Y ('row', 'entry'), else 0
    j: int  # the seeded column of Y ('entry', 'col'), else 0
    values: tuple[float, ...]  # the numbers the sentence names: B's row sums, or column j of B
    rows: tuple[int, ...]  # the rows of dL/dT that are not zero by the seed (rows of G with a weight)
    k: int
    n: int

    @property
    def row_sums(self) -> bool:
        """True when the sentence is about B's row sums: B is drawn with them beside it."""
        return self.case in ("ones", "row")

    def sentence(self, lang: str = "en") -> str:
        """The one sentence the page shows, numbers as the cells write them (4 significant digits)."""
        numbers = ", ".join(heatmap_text(x) for x in self.values)
        return text(f"lesson.{self.case}", lang, i=self.i, j=self.j, values=numbers)

    def link(self, p: int) -> tuple[tuple[Cell, ...], tuple[Cell, ...]]:
        """(cells of B, cells of dL/dT): what becomes column p of dL/dT, and where it lands.

        With row sums drawn, B's cells include its Σ cell (p, n), the last column of B's chart.
        """
        if self.case in ("entry", "col"):
            from_B: tuple[Cell, ...] = ((p, self.j),)
        else:
            from_B = tuple((p, q) for q in range(self.n)) + (((p, self.n),) if self.row_sums else ())
        return from_B, tuple((i, p) for i in self.rows)


def lesson(B: np.ndarray, G: np.ndarray) -> Lesson:
    """The lesson of seed G for the product with B (G of Y's shape m×n, B of shape k×n)."""
    B, G = np.asarray(B, dtype=float), np.asarray(G, dtype=float)
    k, n = B.shape
    weighted = np.flatnonzero(np.any(G != 0, axis=1))
    rows = tuple(int(i) for i in weighted)
    sums = tuple(float(s) for s in row_sums(B))

    def made(case: Case, i: int = 0, j: int = 0, values: tuple[float, ...] = ()) -> Lesson:
        return Lesson(case, i, j, values, rows, k, n)

    if not rows:
        return made("zero")
    if np.all(G == 1):
        return made("ones", values=sums)
    nonzero = np.argwhere(G != 0)
    if len(rows) == 1 and np.all(G[rows[0]] == 1):
        return made("row", i=rows[0], values=sums)
    if len(nonzero) == 1 and G[tuple(nonzero[0])] == 1:
        i, j = (int(x) for x in nonzero[0])
        return made("entry", i=i, j=j, values=tuple(float(x) for x in B[:, j]))
    columns = np.flatnonzero(np.any(G != 0, axis=0))
    if len(columns) == 1 and np.all(G[:, columns[0]] == 1):
        j = int(columns[0])
        return made("col", j=j, values=tuple(float(x) for x in B[:, j]))
    return made("mixed")


def row_sums(B: np.ndarray) -> np.ndarray:
    """B's row sums, a sum within float64's rounding of zero written as 0.

    −0.6 + 2.4 − 1.8 is 0 to a student, and −2.22e−16 in float64: anything smaller than the sum's
    worst rounding error (n·ε·Σ|x|) is shown as the 0 the numbers typed add up to.
    """
    B = np.asarray(B, dtype=float)
    sums = B.sum(axis=1)
    bound = B.shape[1] * np.finfo(float).eps * np.abs(B).sum(axis=1)
    return np.where(np.abs(sums) <= bound, 0.0, sums)


def with_row_sums(B: np.ndarray) -> np.ndarray:
    """B with its row sums as one more column: what B's chart shows when the lesson is about them."""
    B = np.asarray(B, dtype=float)
    return np.hstack([B, row_sums(B)[:, None]])


# --- what the last edit changed ---------------------------------------------------------------------


def changed_cells(before: np.ndarray | None, after: np.ndarray) -> tuple[Cell, ...]:
    """The cells whose value differs between two drawings of a matrix (none when its shape changed).

    Values are compared exactly, NaN equal to NaN: a number that prints the same but is not the same
    still changed, and the mark says so.
    """
    if before is None or np.shape(before) != np.shape(after):
        return ()
    a, b = np.asarray(before, dtype=float), np.asarray(after, dtype=float)
    differ = ~((a == b) | (np.isnan(a) & np.isnan(b)))
    return tuple((int(i), int(j)) for i, j in np.argwhere(differ))


def unchanged_gradient(changed: dict[str, tuple[Cell, ...]]) -> str | None:
    """'T' or 'B': the gradient an edit could not change, when the edit touched only one matrix.

    dL/dT = G @ Bᵀ has no T in it, and dL/dB = Tᵀ @ G no B: editing T alone leaves dL/dT exactly as
    it was, which looks like a broken page unless it says so. `changed` maps 'T', 'B', 'G' to the
    cells that changed.
    """
    touched = {name for name in ("T", "B", "G") if changed.get(name)}
    return next(iter(touched)) if touched in ({"T"}, {"B"}) else None
