"""Everything the playground shows for one problem, computed in one call."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from core.engine import Gradients, analytic_gradients, numeric_gradients, tensorflow_problem, tf_gradients
from core.errors import InputError
from core.explain import Agreement, PrecisionRow, agreement, precision_rows
from core.validate import check_dtype, check_magnitude


@dataclass(frozen=True)
class Result:
    """TensorFlow's gradients (the engine), the analytic and numeric checks, and their agreement.

    Without TensorFlow (`tensorflow_error` says why) `tf` holds the formula's values in `dtype`, so
    the page still shows every gradient; the page says so.
    """

    T: np.ndarray
    B: np.ndarray
    G: np.ndarray
    dtype: str
    tf: Gradients
    analytic: Gradients
    numeric: Gradients
    agreement: Agreement
    default_seed: bool = False
    tensorflow_error: str | None = None

    @functools.cached_property
    def precision(self) -> list[PrecisionRow] | None:
        """float32 against float64 for each dL/dT entry; None when the numbers do not fit float32,
        or without TensorFlow. Computed when first asked: the page shows it only on request, and in
        float64 it costs a second TensorFlow call."""
        if self.tensorflow_error:
            return None
        seed = None if self.default_seed else self.G
        try:
            dT32 = self.tf.dT if self.dtype == "float32" else tf_gradients(self.T, self.B, seed).dT
            return precision_rows(self.T, self.B, self.G, dT32)
        except InputError:
            return None


def compute(T: np.ndarray, B: np.ndarray, G: np.ndarray, default_seed: bool, dtype: str) -> Result:
    """Gradients of L = sum(G ⊙ (T @ B)) three ways; InputError when the numbers cannot be computed.

    `default_seed` calls TensorFlow without output_gradients (its implicit all-ones seed), exactly
    as the learner's code does, instead of passing G = ones explicitly.
    """
    analytic = analytic_gradients(T, B, G)
    numeric = numeric_gradients(T, B, G)
    missing = tensorflow_problem()
    if missing:
        check_magnitude(T, B, G, check_dtype(dtype))  # the overflow guard tf_gradients applies
        tf = Gradients(*(a.astype(dtype) for a in (analytic.y, analytic.dT, analytic.dB)))
    else:
        tf = tf_gradients(T, B, None if default_seed else G, dtype)
    return Result(
        T=T,
        B=B,
        G=G,
        dtype=dtype,
        tf=tf,
        analytic=analytic,
        numeric=numeric,
        agreement=agreement(T, B, G, tf, analytic, numeric, dtype),
        default_seed=default_seed,
        tensorflow_error=missing,
    )
