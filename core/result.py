"""Everything the playground shows for one problem, computed in one call."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.engine import Gradients, analytic_gradients, numeric_gradients, tf_gradients
from core.errors import InputError
from core.explain import Agreement, PrecisionRow, agreement, precision_rows


@dataclass(frozen=True)
class Result:
    """TensorFlow's gradients (the engine), the analytic and numeric checks, and their agreement."""

    T: np.ndarray
    B: np.ndarray
    G: np.ndarray
    dtype: str
    tf: Gradients
    analytic: Gradients
    numeric: Gradients
    agreement: Agreement
    precision: list[PrecisionRow] | None  # None when the numbers do not fit float32


def compute(T: np.ndarray, B: np.ndarray, G: np.ndarray, default_seed: bool, dtype: str) -> Result:
    """Gradients of L = sum(G ⊙ (T @ B)) three ways; InputError when the numbers cannot be computed.

    `default_seed` calls TensorFlow without output_gradients (its implicit all-ones seed), exactly
    as the learner's code does, instead of passing G = ones explicitly.
    """
    tf = tf_gradients(T, B, None if default_seed else G, dtype)
    analytic = analytic_gradients(T, B, G)
    numeric = numeric_gradients(T, B, G)
    try:
        dT32 = tf.dT if dtype == "float32" else tf_gradients(T, B, None if default_seed else G).dT
        precision = precision_rows(T, B, G, dT32)
    except InputError:
        precision = None
    return Result(
        T=T,
        B=B,
        G=G,
        dtype=dtype,
        tf=tf,
        analytic=analytic,
        numeric=numeric,
        agreement=agreement(T, B, G, tf, analytic, numeric, dtype),
        precision=precision,
    )
