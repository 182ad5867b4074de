"""Predict, then reveal: a small random problem whose gradient a student works out by hand.

`make_problem(q)` turns a problem seed `q` (0 to 999999, the `q=` of a share link) into the same
T, B, seed G and question on every machine: integers only, shapes up to 3×3, so every answer is
an integer that a student can reach with pencil and paper. The answer is TensorFlow's own
gradient (float64), checked against the formulas dL/dT = G @ Bᵀ and dL/dB = Tᵀ @ G. `check`
marks each predicted entry right or wrong and writes out the sum of every wrong one.
"""

from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from core.codegen import _literal as literal  # the exact nested-list form of the TensorFlow programs
from core.codegen import constants
from core.engine import analytic_gradients, tensorflow_problem, tf_gradients
from core.errors import InputError
from core.explain import WorkedSum, worked_sum
from core.seeds import SeedSpec, random_seed
from core.strings import clip
from core.validate import NUMBER

Q_MIN, Q_MAX = 0, 999_999
"""The problem seeds a share link may carry (`?q=42`)."""

MAX_SIDE = 3  # m, k, n each 1 to 3: every entry is a sum of at most three products
VALUES = (-3, 3)  # entries of T and B
WEIGHTS = (-2, 3)  # entries of a custom-weights seed
TOLERANCE = 1e-9  # answers are integers; this only absorbs a typed 2.9999999999
Q_TEXT = re.compile(r"[+-]?\d+", re.ASCII)
FRACTION = re.compile(r"([+-]?\d{1,9})\s*/\s*(\d{1,9})", re.ASCII)


@dataclass(frozen=True)
class QuizProblem:
    """T (m×k), B (k×n), the seed G (m×n), and which of dL/dT, dL/dB (one entry or all) to predict."""

    q: int
    T: np.ndarray
    B: np.ndarray
    seed: SeedSpec
    G: np.ndarray
    wrt: str  # "T" or "B"
    cell: tuple[int, int] | None  # the entry to predict; None means every entry of dL/d{wrt}
    answer: np.ndarray  # TensorFlow's dL/d{wrt}, float64
    analytic: np.ndarray  # the formula's dL/d{wrt}, float64

    @property
    def shape(self) -> tuple[int, int, int]:
        """(m, k, n) for T m×k and B k×n."""
        return self.T.shape[0], self.T.shape[1], self.B.shape[1]

    @property
    def answer_shape(self) -> tuple[int, int]:
        """The shape of dL/d{wrt}: m×k for T, k×n for B."""
        return self.answer.shape

    @property
    def name(self) -> str:
        """The gradient asked about, 'dL/dT' or 'dL/dB'."""
        return f"dL/d{self.wrt}"

    @property
    def agrees(self) -> bool:
        """TensorFlow and the formula give the same gradient (False would be a bug, shown loudly)."""
        return bool(np.allclose(self.answer, self.analytic, rtol=0, atol=TOLERANCE))

    def label(self, i: int, j: int) -> str:
        """How an entry is named on the page and in messages, e.g. 'dL/dT[1,0]'."""
        return f"{self.name}[{i},{j}]"

    def cells(self) -> list[tuple[int, int]]:
        """The entries the student predicts, row by row."""
        if self.cell is not None:
            return [self.cell]
        return [(i, j) for i in range(self.answer.shape[0]) for j in range(self.answer.shape[1])]


@dataclass(frozen=True)
class EntryVerdict:
    """One predicted entry: what the student typed, TensorFlow's value, and the sum if wrong."""

    label: str
    cell: tuple[int, int]
    predicted: float
    answer: float
    correct: bool
    worked: WorkedSum | None  # the entry's sum of contributions, for wrong entries only


@dataclass(frozen=True)
class QuizCheck:
    """The verdict on a whole prediction, entry by entry."""

    entries: tuple[EntryVerdict, ...]

    @property
    def correct(self) -> bool:
        """Every predicted entry is right."""
        return all(e.correct for e in self.entries)

    @property
    def right(self) -> int:
        """How many entries are right."""
        return sum(e.correct for e in self.entries)

    @property
    def wrong(self) -> tuple[EntryVerdict, ...]:
        """The wrong entries, each with its worked sum."""
        return tuple(e for e in self.entries if not e.correct)


# --- problems ---------------------------------------------------------------------------------


def check_q(q: Any) -> int:
    """A problem seed as an int in 0..999999, or an InputError saying what a problem number is."""
    if isinstance(q, bool) or not isinstance(q, (int, np.integer)) or not Q_MIN <= q <= Q_MAX:
        raise InputError("quiz.err.q_range", text=clip(q), low=Q_MIN, high=Q_MAX)
    return int(q)


def parse_q(text: str) -> int:
    """The `q=` of a share link: a whole number from 0 to 999999."""
    s = str(text).strip()
    if not Q_TEXT.fullmatch(s):
        raise InputError("quiz.err.q_malformed", text=clip(s), low=Q_MIN, high=Q_MAX)
    if len(s.lstrip("+-").lstrip("0")) > len(str(Q_MAX)):  # a whole number, but far outside; int() of it is skipped
        raise InputError("quiz.err.q_range", text=clip(s), low=Q_MIN, high=Q_MAX)
    digits = s.lstrip("+-").lstrip("0") or "0"  # "0042" is 42; int() of 4300+ digits would raise
    return check_q(-int(digits) if s.startswith("-") else int(digits))


def new_q(avoid: int | None = None) -> int:
    """A fresh random problem seed (never `avoid`, the problem on screen)."""
    while True:
        q = random.randint(Q_MIN, Q_MAX)
        if q != avoid:
            return q


def _integers(rng: np.random.Generator, shape: tuple[int, int], bounds: tuple[int, int]) -> np.ndarray:
    """Small random integers as float64, drawn again until not all zero (an all-zero T says nothing)."""
    while True:
        M = rng.integers(bounds[0], bounds[1] + 1, size=shape).astype(np.float64)
        if M.any():
            return M


def make_problem(problem_seed: int) -> QuizProblem:
    """The problem numbered `problem_seed`: the same numbers and question for everyone who opens it."""
    q = check_q(problem_seed)
    rng = np.random.default_rng(q)
    m, k, n = (int(x) for x in rng.integers(1, MAX_SIDE + 1, size=3))
    T = _integers(rng, (m, k), VALUES)
    B = _integers(rng, (k, n), VALUES)
    spec = random_seed(rng, m, n, lambda shape: _integers(rng, shape, WEIGHTS))
    G = spec.matrix(m, n)
    wrt = "T" if rng.integers(2) == 0 else "B"
    formula = getattr(analytic_gradients(T, B, G), f"d{wrt}")
    cell = _asked_cell(rng, formula) if rng.integers(2) == 0 else None
    # The all-ones seed goes in as no output_gradients at all: what tape.gradient(Y, T) does.
    if tensorflow_problem():  # degraded mode: the formula's answer, which TensorFlow's equals for integers
        answer = formula
    else:
        tf = tf_gradients(T, B, None if spec.is_default else G, dtype="float64")
        answer = getattr(tf, f"d{wrt}").astype(np.float64)
    return QuizProblem(q=q, T=T, B=B, seed=spec, G=G, wrt=wrt, cell=cell, answer=answer, analytic=formula)


def _asked_cell(rng: np.random.Generator, gradient: np.ndarray) -> tuple[int, int]:
    """The one entry to predict: three times in four one that is not zero, when there is such an entry.

    Sparse seeds leave most of a gradient zero; asking mostly for zeros would teach little.
    """
    nonzero = [tuple(int(x) for x in c) for c in np.argwhere(gradient != 0)]
    pool = nonzero if nonzero and rng.random() < 0.75 else [(i, j) for i, j in np.ndindex(gradient.shape)]
    return pool[int(rng.integers(len(pool)))]


def question_code(problem: QuizProblem) -> str:
    """The TensorFlow program whose result the student predicts, ending in the asked-for value.

    Complete as shown (the import and the problem's T, B and G first), so that a student who copies
    it into a fresh Python sees the answer printed.
    """
    call = (
        "dT, dB = tape.gradient(Y, [T, B])"
        if problem.seed.is_default
        else "dT, dB = tape.gradient(Y, [T, B], output_gradients=G)"
    )
    asked = f"d{problem.wrt}" if problem.cell is None else f"d{problem.wrt}[{problem.cell[0]}, {problem.cell[1]}]"
    return matrices_code(problem) + "\n".join(
        [
            "",
            "with tf.GradientTape() as tape:",
            "    tape.watch([T, B])",
            "    Y = tf.matmul(T, B)",
            call,
            f"print({asked})  # ?",
        ]
    )


def matrices_code(problem: QuizProblem) -> str:
    """The import and the lines defining T, B (and G, unless the seed is all ones): the question's start.

    float64, like the answer's program; the entries are small integers, so nothing is rounded.
    """
    lines = constants(problem.T, problem.B, "float64")
    if not problem.seed.is_default:
        lines.append(f"G = tf.constant({literal(problem.G, 17)}, dtype=tf.float64)  # the seed dL/dY")
    return "\n".join(lines) + "\n"


# --- checking a prediction --------------------------------------------------------------------


def parse_prediction(raw: Any, label: str) -> float:
    """A typed number: '3', '-2', '2.5', '−2' (a real minus sign) or '7/2'; else an InputError naming `label`."""
    if raw is None or (isinstance(raw, float) and math.isnan(raw)):
        raise InputError("quiz.err.empty", entry=label)
    if isinstance(raw, (int, float, np.integer, np.floating)) and not isinstance(raw, bool):
        value = float(raw)
    else:
        s = str(raw).strip().replace("\u2212", "-")
        if not s:
            raise InputError("quiz.err.empty", entry=label)
        fraction = FRACTION.fullmatch(s)
        if fraction and int(fraction.group(2)) != 0:
            value = int(fraction.group(1)) / int(fraction.group(2))
        elif NUMBER.fullmatch(s):
            value = float(s)
        else:
            raise InputError("quiz.err.not_a_number", entry=label, value=clip(str(raw).strip()))
    if not math.isfinite(value):
        raise InputError("quiz.err.not_finite", entry=label, value=clip(str(raw).strip()))
    return value


def _predicted(problem: QuizProblem, prediction: Any) -> dict[tuple[int, int], Any]:
    """The typed value of each asked entry: one value for one entry, rows of values for all."""
    if problem.cell is not None:
        return {problem.cell: prediction}
    if hasattr(prediction, "notna"):  # a DataFrame from st.data_editor; an empty cell is <NA> there
        cells = prediction.astype(object)
        prediction = cells.where(cells.notna(), None).to_numpy(dtype=object).tolist()
    rows, cols = problem.answer_shape
    shape_ok = (
        isinstance(prediction, (list, tuple, np.ndarray))
        and len(prediction) == rows
        and all(isinstance(r, (list, tuple, np.ndarray)) and len(r) == cols for r in prediction)
    )
    if not shape_ok:
        raise InputError("quiz.err.shape", name=problem.name, rows=rows, cols=cols)
    return {(i, j): prediction[i][j] for i, j in problem.cells()}


def check(problem: QuizProblem, prediction: Any) -> QuizCheck:
    """Each predicted entry right or wrong (within 1e-9), with the worked sum of every wrong one.

    `prediction` is the typed text (or number) of the one entry asked for, or rows of them when
    the whole gradient is asked for. Every entry is read before any is judged, so a typo is
    reported (naming its cell) rather than counted as a wrong answer.
    """
    typed = {cell: parse_prediction(raw, problem.label(*cell)) for cell, raw in _predicted(problem, prediction).items()}
    verdicts = []
    for (i, j), predicted in typed.items():
        answer = float(problem.answer[i, j])
        correct = abs(predicted - answer) <= TOLERANCE
        worked = None if correct else worked_sum(problem.T, problem.B, problem.G, problem.wrt, i, j)
        verdicts.append(EntryVerdict(problem.label(i, j), (i, j), predicted, answer, correct, worked))
    return QuizCheck(tuple(verdicts))
