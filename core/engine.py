"""Gradients of L = sum(G ⊙ Y) for Y = T @ B, three independent ways.

TensorFlow's `GradientTape` is the engine the product is about; the analytic formulas
dL/dT = G @ Bᵀ and dL/dB = Tᵀ @ G (float64 NumPy) are the check; central finite differences are
a third check that uses neither. Every function validates its input first and raises `InputError`.
"""

from __future__ import annotations

import functools
import os
import sys
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import numpy as np

from core.seeds import ones
from core.validate import check_dtype, check_magnitude, check_product, check_seed


@dataclass(frozen=True)
class Gradients:
    """Y = T @ B and the gradients of L = sum(G ⊙ Y) with respect to T and B."""

    y: np.ndarray
    dT: np.ndarray
    dB: np.ndarray


@dataclass(frozen=True)
class Contributions:
    """The terms of each gradient entry's sum.

    `dT[i, j, p] = G[i,p]·B[j,p]`, summed over p gives dL/dT[i,j];
    `dB[j, p, i] = T[i,j]·G[i,p]`, summed over i gives dL/dB[j,p].
    """

    dT: np.ndarray
    dB: np.ndarray


TENSORFLOW_ERROR_ENV = "GRADFLOW_TENSORFLOW_ERROR"
"""When set, why TensorFlow must not be imported in this process; the app then serves the formulas.

serve.py sets it after a trial import in a child process failed: on a CPU without the instructions
TensorFlow's wheels are built for, the import kills the process (SIGILL), which no `except` catches.
"""


ONEDNN_ENV = "TF_ENABLE_ONEDNN_OPTS"
"""TensorFlow's documented switch for its oneDNN kernels, which Gradflow turns off (set to "0").

oneDNN picks its kernel by the CPU it runs on, and the kernels add in different orders: on a CPU
with AVX-512 the all-ones seed's dL/dT[0,0] is -0.1730783 instead of the question's -0.17307831
(one unit in float32's last place). TensorFlow's own start-up message names this variable for
"slightly different numerical results due to floating-point round-off errors from different
computation orders". Without oneDNN, TensorFlow's Eigen kernels are the same code on every x86
machine, so every server prints the reference case's digits, and 8×8 products are no slower.
It is set, not defaulted: a deployment's environment must not change the digits a lesson shows.
"""


TENSORFLOW_EXTRAS = ("keras", "jax")
"""Packages `import tensorflow` imports when they are installed, which Gradflow never uses."""


@functools.cache
def tensorflow() -> ModuleType:
    """TensorFlow, imported once per process (the import takes seconds, so never per rerun), alone.

    `import tensorflow` also imports Keras (to register its optimizers) and JAX (for TFLite) when
    they are installed; the app uses neither (JAX is installed for tests only). With `keras` in
    `sys.modules`, Streamlit calls `keras.backend.clear_session()` after every script run: a full
    garbage collection, and TensorFlow's kernel cache cleared, so the next gradient rebuilds its
    kernels. JAX adds a callback to every garbage collection. TensorFlow catches the ImportError of
    both, so they are blocked for its import only (Python's documented `sys.modules[name] = None`)
    and importable again afterwards. This saves ~70 MiB, ~2 s of import and ~10 ms of every rerun
    (docs/speed.md).
    """
    known = os.environ.get(TENSORFLOW_ERROR_ENV)
    if known:
        raise ImportError(known)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    os.environ[ONEDNN_ENV] = "0"  # before the import: the same digits on every CPU (ONEDNN_ENV says why)
    blocked = [name for name in TENSORFLOW_EXTRAS if name not in sys.modules]
    for name in blocked:
        sys.modules[name] = None  # type: ignore[assignment]  # `import name` raises ImportError
    try:
        import tensorflow as tf
    finally:
        for name in blocked:
            if sys.modules.get(name, ...) is None:
                del sys.modules[name]
    return tf


@functools.cache
def _import_problem() -> str | None:
    try:
        tensorflow()
    except Exception as error:  # a broken install raises anything from ImportError to OSError
        return f"{type(error).__name__}: {error}"
    return None


def tensorflow_problem() -> str | None:
    """Why TensorFlow cannot be used here (one line), or None when it imports: the degraded mode's switch."""
    return os.environ.get(TENSORFLOW_ERROR_ENV) or _import_problem()


def _inputs(T: Any, B: Any, seed: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    T, B = check_product(T, B)
    G = None if seed is None else check_seed(seed, T.shape[0], B.shape[1])
    return T, B, G


def tf_gradients(T: Any, B: Any, seed: Any = None, dtype: str = "float32") -> Gradients:
    """`tape.gradient(Y, [T, B], output_gradients=seed)` for Y = tf.matmul(T, B).

    `seed=None` passes no output_gradients, which is TensorFlow's default (the all-ones seed).
    `dtype` float32 reproduces the digits a learner sees; the arrays keep that dtype.
    """
    T, B, G = _inputs(T, B, seed)
    dtype = check_dtype(dtype)
    check_magnitude(T, B, G, dtype)
    tf = tensorflow()
    t = tf.constant(T, dtype=dtype)
    b = tf.constant(B, dtype=dtype)
    with tf.GradientTape() as tape:
        tape.watch([t, b])
        y = tf.matmul(t, b)
    upstream = None if G is None else tf.constant(G, dtype=dtype)
    dT, dB = tape.gradient(y, [t, b], output_gradients=upstream)
    return Gradients(y=y.numpy(), dT=dT.numpy(), dB=dB.numpy())


def analytic_gradients(T: Any, B: Any, seed: Any = None) -> Gradients:
    """dL/dT = G @ Bᵀ and dL/dB = Tᵀ @ G in float64; seed None means G = ones."""
    T, B, G = _inputs(T, B, seed)
    if G is None:
        G = ones(T.shape[0], B.shape[1])
    check_magnitude(T, B, G, "float64")
    return Gradients(y=T @ B, dT=G @ B.T, dB=T.T @ G)


def numeric_gradients(T: Any, B: Any, seed: Any = None) -> Gradients:
    """dL/dT and dL/dB by central finite differences of L = sum(G ⊙ (T @ B)), in float64."""
    T, B, G = _inputs(T, B, seed)
    if G is None:
        G = ones(T.shape[0], B.shape[1])
    check_magnitude(T, B, G, "float64")
    # L adds m·n·k products and could overflow where each gradient entry does not. L is linear in
    # each of T, B and G, so scale each to at most 1 by a power of two (exact in binary floating
    # point), difference the scaled L, and scale the gradients back.
    a, b, c = (_power_of_two(X) for X in (T, B, G))
    T_scaled, B_scaled, G_scaled = T / a, B / b, G / c

    def loss(T_: np.ndarray, B_: np.ndarray) -> float:
        return float(np.sum(G_scaled * (T_ @ B_)))

    def differences(X: np.ndarray, L: Any) -> np.ndarray:
        grad = np.empty_like(X)
        for idx in np.ndindex(X.shape):
            h = 1e-3 * max(1.0, abs(X[idx]))
            up, down = X.copy(), X.copy()
            up[idx] += h
            down[idx] -= h
            grad[idx] = (L(up) - L(down)) / (up[idx] - down[idx])
        return grad

    dT = differences(T_scaled, lambda T_: loss(T_, B_scaled)) * (b * c)
    dB = differences(B_scaled, lambda B_: loss(T_scaled, B_)) * (a * c)
    return Gradients(y=T @ B, dT=dT, dB=dB)


def _power_of_two(X: np.ndarray) -> float:
    """The power of two at or above max|X| (1 for an all-zero X): dividing by it is exact."""
    largest = float(np.max(np.abs(X)))
    return 1.0 if largest == 0 else float(2.0 ** np.ceil(np.log2(largest)))


@functools.cache
def _jacobian_function() -> Any:
    """A compiled `tape.jacobian`, traced once per shape and dtype and then reused.

    Eager `tape.jacobian` re-plans its vectorised loop on every call (about 90 ms for the
    reference case); inside `tf.function` that plan is built once, and later calls cost about a
    millisecond while still being TensorFlow's own derivative.
    """
    tf = tensorflow()

    @tf.function(reduce_retracing=True)
    def jacobians(t: Any, b: Any) -> tuple[Any, Any]:
        with tf.GradientTape(persistent=True) as tape:
            tape.watch([t, b])
            y = tf.matmul(t, b)
        return tape.jacobian(y, t), tape.jacobian(y, b)

    return jacobians


def tf_jacobians(T: Any, B: Any, dtype: str = "float32") -> tuple[np.ndarray, np.ndarray]:
    """TensorFlow's full Jacobians dY/dT, shape (m, n, m, k), and dY/dB, shape (m, n, k, n)."""
    T, B, _ = _inputs(T, B, None)
    dtype = check_dtype(dtype)
    check_magnitude(T, B, None, dtype)
    tf = tensorflow()
    dY_dT, dY_dB = _jacobian_function()(tf.constant(T, dtype=dtype), tf.constant(B, dtype=dtype))
    return dY_dT.numpy(), dY_dB.numpy()


@functools.cache
def _batch_jacobian_function() -> Any:
    """A compiled `tape.batch_jacobian`, reused across calls like `_jacobian_function`."""
    tf = tensorflow()

    @tf.function(reduce_retracing=True)
    def batch_jacobian(t: Any, b: Any) -> Any:
        with tf.GradientTape() as tape:
            tape.watch(t)
            y = tf.matmul(t, b)
        return tape.batch_jacobian(y, t)

    return batch_jacobian


def tf_batch_jacobian(T: Any, B: Any, dtype: str = "float32") -> np.ndarray:
    """TensorFlow's `tape.batch_jacobian(Y, T)`, shape (m, n, k): row a of Y against row a of T.

    It is the Jacobian's diagonal blocks only, J[a, :, a, :], which is all there is for a product
    whose row a depends on row a of T alone; for matmul every block is Bᵀ.
    """
    T, B, _ = _inputs(T, B, None)
    dtype = check_dtype(dtype)
    check_magnitude(T, B, None, dtype)
    tf = tensorflow()
    return _batch_jacobian_function()(tf.constant(T, dtype=dtype), tf.constant(B, dtype=dtype)).numpy()


def contract(J: np.ndarray, G: np.ndarray) -> np.ndarray:
    """Σ_(a,b) G[a,b]·J[a,b,…]: the seed-weighted sum of the Jacobian's rows, i.e. the gradient."""
    return np.tensordot(G, J, axes=([0, 1], [0, 1]))


def contributions(T: Any, B: Any, seed: Any = None) -> Contributions:
    """Each gradient entry's terms: G[i,p]·B[j,p] for dL/dT[i,j], T[i,j]·G[i,p] for dL/dB[j,p]."""
    T, B, G = _inputs(T, B, seed)
    if G is None:
        G = ones(T.shape[0], B.shape[1])
    dT_terms = G[:, None, :] * B[None, :, :]  # [i, j, p]
    dB_terms = T.T[:, None, :] * G.T[None, :, :]  # [j, p, i]
    return Contributions(dT=dT_terms, dB=dB_terms)
