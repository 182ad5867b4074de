"""Where seeds come from: a scalar loss L(Y) differentiated by TensorFlow, and the seed dL/dY it implies.

The page compares TensorFlow's gradient of the real loss with `tape.gradient(Y, …,
output_gradients=seed)`: they agree, which shows that a seed is nothing but dL/dY.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from core import seeds
from core.engine import Gradients, tensorflow, tf_gradients
from core.errors import InputError
from core.explain import largest_difference, same_within_float
from core.strings import clip
from core.validate import as_matrix, check_dtype, check_magnitude, check_product

LossName = Literal["sum", "mean", "sq-error", "entry"]
LOSSES: tuple[LossName, ...] = ("sum", "mean", "sq-error", "entry")


@dataclass(frozen=True)
class LossResult:
    """L, the seed dL/dY and the gradients, from the real loss and from the seed."""

    loss: LossName
    L: float
    seed_tf: np.ndarray  # dL/dY as TensorFlow differentiates the loss
    seed_formula: np.ndarray  # the seed the formula predicts: ones, 1/(mn), 2(Y−target)/N, one-hot
    from_loss: Gradients  # tape.gradient(L, [T, B])
    from_seed: Gradients  # tape.gradient(Y, [T, B], output_gradients=seed_formula)
    largest_difference: float
    agrees: bool  # the difference is float rounding only
    mean_row_sums: np.ndarray  # B's row sums / (m·n): every row of dL/dT for the reduce_mean loss


def check_target(target: object, m: int, n: int) -> np.ndarray:
    """The squared error's target as an m×n matrix (Y's shape), or an InputError saying so."""
    target = as_matrix(target, "target")
    if target.shape != (m, n):
        raise InputError("err.target_shape", rows=target.shape[0], cols=target.shape[1], m=m, n=n)
    return target


def check_loss(name: str) -> LossName:
    """One of LOSSES, or an InputError listing them."""
    if name not in LOSSES:
        raise InputError("err.loss_unknown", name=clip(name), names=", ".join(LOSSES))
    return name  # type: ignore[return-value]


def formula_seed(
    loss: LossName, T: np.ndarray, B: np.ndarray, target: np.ndarray | None, entry: tuple[int, int]
) -> np.ndarray:
    """dL/dY by hand: ones for reduce_sum, 1/(m·n) for reduce_mean, 2(Y−target)/N, or one-hot."""
    m, n = T.shape[0], B.shape[1]
    if loss == "sum":
        return seeds.reduce_sum_seed(m, n)
    if loss == "mean":
        return seeds.reduce_mean_seed(m, n)
    if loss == "sq-error":
        return seeds.squared_error_seed(T @ B, target)
    return seeds.one_entry(m, n, *entry)


def loss_gradients(
    T: object,
    B: object,
    loss: str,
    target: object = None,
    entry: tuple[int, int] = (0, 0),
    dtype: str = "float32",
) -> LossResult:
    """TensorFlow's gradients of the scalar loss L(Y), Y = T @ B, beside the seed-based result."""
    T, B = check_product(T, B)
    loss = check_loss(loss)
    dtype = check_dtype(dtype)
    m, n = T.shape[0], B.shape[1]
    target = np.zeros((m, n)) if target is None else as_matrix(target, "target")
    G = formula_seed(loss, T, B, target, entry)
    check_magnitude(T, B, G, dtype)
    tf = tensorflow()
    t, b = tf.constant(T, dtype=dtype), tf.constant(B, dtype=dtype)
    with tf.GradientTape() as tape:
        tape.watch([t, b])
        y = tf.matmul(t, b)
        tape.watch(y)
        if loss == "sum":
            L = tf.reduce_sum(y)
        elif loss == "mean":
            L = tf.reduce_mean(y)
        elif loss == "sq-error":
            L = tf.reduce_mean(tf.square(y - tf.constant(target, dtype=dtype)))
        else:
            L = y[entry[0], entry[1]]
    dT, dB, dY = tape.gradient(L, [t, b, y])
    from_loss = Gradients(y=y.numpy(), dT=dT.numpy(), dB=dB.numpy())
    from_seed = tf_gradients(T, B, G, dtype)
    difference = max(largest_difference(from_loss.dT, from_seed.dT), largest_difference(from_loss.dB, from_seed.dB))
    agrees = same_within_float(difference, [from_seed.dT, from_seed.dB], dtype, max(m, T.shape[1], n))
    return LossResult(
        loss=loss,
        L=float(L.numpy()),
        seed_tf=dY.numpy(),
        seed_formula=G,
        from_loss=from_loss,
        from_seed=from_seed,
        largest_difference=difference,
        agrees=agrees,
        mean_row_sums=B.sum(axis=1) / (m * n),
    )
