"""A playground problem (T, B, seed, dtype, picked entry) and its share-URL query parameters.

`from_query` never fails: a bad parameter is reported as a `ParamError` naming it and replaced by
a sensible value, so a tampered link still opens a working page. `to_query` is its inverse.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np

from core.errors import InputError
from core.presets import DEFAULT_PRESET, PRESETS, preset
from core.seeds import SeedSpec, format_seed, parse_seed
from core.strings import clip
from core.textforms import format_focus, format_matrix, parse_focus, parse_matrix
from core.validate import check_dtype

Focus = tuple[str, int, int]
"""A gradient entry: ("T", i, j) for dL/dT[i,j] or ("B", j, p) for dL/dB[j,p]."""

PARAMS = ("preset", "T", "B", "seed", "dtype", "focus")


@dataclass(frozen=True)
class Problem:
    """Everything the playground shows is a function of this."""

    T: np.ndarray
    B: np.ndarray
    seed: SeedSpec = SeedSpec("ones")  # noqa: RUF009 (frozen, so one shared default is safe)
    dtype: str = "float32"
    preset: str | None = DEFAULT_PRESET
    focus: Focus | None = None

    @property
    def shape(self) -> tuple[int, int, int]:
        """(m, k, n) for T m×k and B k×n."""
        return self.T.shape[0], self.T.shape[1], self.B.shape[1]

    def matches_preset(self) -> bool:
        """True when T and B are still exactly the named preset's matrices."""
        if self.preset not in PRESETS:
            return False
        p = PRESETS[self.preset]
        return np.array_equal(p.T, self.T) and np.array_equal(p.B, self.B)


@dataclass(frozen=True)
class ParamError:
    """A query parameter that could not be used, and why."""

    param: str
    error: InputError


def default_problem() -> Problem:
    """The reference case with TensorFlow's default seed: what a first visit shows."""
    p = preset(DEFAULT_PRESET)
    return Problem(T=p.T, B=p.B)


def focus_in_range(focus: Focus, m: int, k: int, n: int) -> bool:
    """True when the picked entry exists in dL/dT (m×k) or dL/dB (k×n)."""
    wrt, i, j = focus
    rows, cols = (m, k) if wrt == "T" else (k, n)
    return 0 <= i < rows and 0 <= j < cols


def from_query(params: Mapping[str, str]) -> tuple[Problem, list[ParamError]]:
    """The problem a share URL describes, and the parameters that had to be ignored."""
    errors: list[ParamError] = []
    base = default_problem()
    name = params.get("preset")
    if name is not None:
        try:
            chosen = preset(name)
            base = Problem(T=chosen.T, B=chosen.B, preset=chosen.name)
        except InputError as e:
            errors.append(ParamError("preset", e))

    T, B = base.T, base.B
    parsed: dict[str, np.ndarray] = {}
    for key in ("T", "B"):
        if key in params:
            try:
                parsed[key] = parse_matrix(params[key], key)
            except InputError as e:
                errors.append(ParamError(key, e))
    T, B = parsed.get("T", T), parsed.get("B", B)
    if T.shape[1] != B.shape[0]:
        e = InputError("err.inner_mismatch", m=T.shape[0], k=T.shape[1], k2=B.shape[0], n=B.shape[1])
        errors.append(ParamError("B" if "B" in parsed else "T", e))
        T, B = base.T, base.B
    problem = replace(base, T=T, B=B, preset=base.preset if not parsed else None)
    if problem.preset is None and replace(problem, preset=base.preset).matches_preset():
        problem = replace(problem, preset=base.preset)
    m, k, n = problem.shape

    if "seed" in params:
        try:
            spec = parse_seed(params["seed"])
            spec.matrix(m, n)  # checks indices and weights against Y's shape
            problem = replace(problem, seed=spec)
        except InputError as e:
            errors.append(ParamError("seed", e))

    if "dtype" in params:
        try:
            problem = replace(problem, dtype=check_dtype(params["dtype"]))
        except InputError as e:
            errors.append(ParamError("dtype", e))

    if "focus" in params:
        try:
            focus = parse_focus(params["focus"])
            if not focus_in_range(focus, m, k, n):
                raise InputError("err.focus_out_of_range", text=clip(params["focus"]), m=m, k=k, n=n)
            problem = replace(problem, focus=focus)
        except InputError as e:
            errors.append(ParamError("focus", e))
    return problem, errors


def to_query(problem: Problem) -> dict[str, str]:
    """The query parameters that restore `problem` exactly (matrices to the last bit)."""
    query: dict[str, str] = {}
    if problem.matches_preset():
        query["preset"] = str(problem.preset)
    else:
        query["T"] = format_matrix(problem.T)
        query["B"] = format_matrix(problem.B)
    query["seed"] = format_seed(problem.seed)
    if problem.dtype != "float32":
        query["dtype"] = problem.dtype
    if problem.focus is not None:
        query["focus"] = format_focus(problem.focus)
    return query
