"""The same gradient in TensorFlow, PyTorch and JAX: complete programs and what each one gives.

For the current T, B, seed G and dtype, every framework gets three programs, each complete and
runnable with the matrices written inline: its default behaviour for a non-scalar Y, the seeded
call, and the Jacobian call. Each comes with its outcome: what it prints, or the framework's exact
error. PyTorch and JAX are not dependencies of the app, so the numbers are computed here by
TensorFlow in the same dtype; tests/unit/test_frameworks.py executes every program with the real torch
and jax and checks it against these outcomes.

One thing TensorFlow cannot tell about PyTorch and JAX is the sign of some zeros: see
`may_be_negative_zero`. A zero whose sign depends on the framework's kernel is listed in the
outcome's `unsigned_zeros`, and the page shows it as ±0.0.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from core.codegen import _literal as literal  # the exact nested-list form of the TensorFlow programs
from core.codegen import constants
from core.engine import analytic_gradients, tensorflow, tf_gradients, tf_jacobians
from core.explain import agreement
from core.textforms import shortest_text
from core.validate import check_dtype, check_magnitude, check_product, check_seed

Framework = Literal["tensorflow", "pytorch", "jax"]
Step = Literal["default", "seeded", "jacobian"]
FRAMEWORKS: tuple[Framework, ...] = ("tensorflow", "pytorch", "jax")
STEPS: tuple[Step, ...] = ("default", "seeded", "jacobian")

TESTED_WITH: dict[str, str] = {"torch": "2.13.0", "jax": "0.10.2"}
"""The releases tests/unit/test_frameworks.py runs the programs with (pinned in requirements-frameworks.txt)."""

TORCH_SCALAR_ERROR = ("RuntimeError", "grad can be implicitly created only for scalar outputs")
"""`Y.backward()` on a Y with more than one entry: the exception's type and message, verbatim."""

JAX_SCALAR_ERROR = ("TypeError", "Gradient only defined for scalar-output functions. Output had shape: {shape}.")
"""`jax.grad` of a function whose output is not a scalar (a 1×1 matrix is not one either)."""

Printed = tuple[tuple[str, "str | np.ndarray"], ...]


@dataclass(frozen=True)
class Outcome:
    """What a program gives: what it prints and the arrays it leaves behind, or the error it raises."""

    printed: Printed = ()  # (what, value) in print order: a shape's text, or an array (NumPy prints it)
    values: Mapping[str, np.ndarray] = field(default_factory=dict)  # the program's variables: expected arrays
    error: tuple[str, str] | None = None  # (exception type, message)
    unsigned_zeros: Mapping[str, np.ndarray] = field(default_factory=dict)  # what → zeros printed 0. or -0.

    @property
    def text(self) -> str:
        """The program's output as a terminal shows it, or `ErrorType: message`.

        A zero marked in `unsigned_zeros` shows as 0. here; the program may print -0. instead.
        """
        if self.error:
            return f"{self.error[0]}: {self.error[1]}"
        return "\n".join(str(value) for _, value in self.printed)

    def table(self, what: str) -> list[list[str]]:
        """The printed array `what`, each entry as its shortest text (the digits the program prints).

        A zero whose sign depends on the framework's kernel is ±0.0.
        """
        cells = shortest_text(dict(self.printed)[what])
        for i, j in np.argwhere(self.unsigned_zeros.get(what, np.zeros((0, 0), bool))):
            cells[i][j] = "±0.0"
        return cells

    @property
    def has_unsigned_zeros(self) -> bool:
        return any(mask.any() for mask in self.unsigned_zeros.values())


@dataclass(frozen=True)
class Snippet:
    """One complete program of `framework` for `step`, and its outcome."""

    framework: Framework
    step: Step
    code: str
    outcome: Outcome


@dataclass(frozen=True)
class Comparison:
    """Every framework's programs for one problem, and TensorFlow's numbers checked against the formula."""

    snippets: Mapping[Framework, Mapping[Step, Snippet]]
    dtype: str
    difference: float  # largest |TensorFlow − (G @ Bᵀ, Tᵀ @ G)| of the seeded gradients
    tolerance: float  # what float rounding in `dtype` allows for that difference

    @property
    def ok(self) -> bool:
        """True when TensorFlow agrees with the formula; False is a bug to show loudly."""
        return self.difference <= self.tolerance


# --- the programs -------------------------------------------------------------------------------
# Lines other than the matrices stay short: the page shows three programs side by side.

MODULE = {"tensorflow": "tf", "pytorch": "torch", "jax": "jnp"}


def _matrix(framework: Framework, name: str, M: np.ndarray, dtype: str, grad: bool = False) -> str:
    """`name = <framework's constant>(<exact nested list>, dtype=…)`, rows aligned under the '['."""
    if framework == "tensorflow":
        return f"{name} = tf.constant({literal(M, 17)}, dtype=tf.{dtype})"
    if framework == "pytorch":
        requires = ", requires_grad=True" if grad else ""
        return f"{name} = torch.tensor({literal(M, 18)}, dtype=torch.{dtype}{requires})"
    return f"{name} = jnp.array({literal(M, 15)}, dtype=jnp.{dtype})"


def _seed(framework: Framework, G: np.ndarray | None, dtype: str, like: str = "Y") -> list[str]:
    """The seed G: the current one written out, or all ones (TensorFlow's default) made explicit."""
    if G is None:
        return ["# the seed dL/dY: all ones", f"G = {MODULE[framework]}.ones_like({like})"]
    return ["# the seed dL/dY", _matrix(framework, "G", G, dtype)]


def _head(framework: Framework, T: np.ndarray, B: np.ndarray, dtype: str, grad: bool = False) -> list[str]:
    """Imports and the matrices T and B."""
    if framework == "tensorflow":
        return constants(T, B, dtype)
    if framework == "pytorch":
        imports = ["import torch"] if grad else ["import torch", "from torch.autograd.functional import jacobian"]
        return [*imports, "", _matrix("pytorch", "T", T, dtype, grad), _matrix("pytorch", "B", B, dtype, grad)]
    x64 = (
        ["", "# JAX uses float32 unless told:", 'jax.config.update("jax_enable_x64", True)']
        if dtype == "float64"
        else []
    )
    return [
        "import jax",
        "import jax.numpy as jnp",
        *x64,
        "",
        _matrix("jax", "T", T, dtype),
        _matrix("jax", "B", B, dtype),
    ]


TAPE = ["with tf.GradientTape() as tape:", "    tape.watch([T, B])", "    Y = tf.matmul(T, B)"]
JAX_F = ["def f(T, B):", "    return T @ B"]


def _contraction(framework: Framework) -> list[str]:
    module = MODULE[framework]
    return [
        "# seed-weighted sum of J's rows:",
        f'dT = {module}.einsum("ab,abij->ij", G, J_T)',
        f'dB = {module}.einsum("ab,abjp->jp", G, J_B)',
    ]


def _print(framework: Framework, jacobian: bool = False) -> list[str]:
    shapes = ["print(J_T.shape)", "print(J_B.shape)"] if jacobian else []
    if framework == "jax":
        return [*shapes, "print(dT)", "print(dB)"]
    return [*shapes, "print(dT.numpy())", "print(dB.numpy())"]


def _program(*parts: list[str]) -> str:
    """The parts joined by blank lines, as one program."""
    return "\n\n".join("\n".join(part) for part in parts if part) + "\n"


def _tensorflow(step: Step, head: list[str], written: list[str], ones: list[str]) -> str:
    if step == "default":
        calls = [
            "# No seed given: TensorFlow",
            "# silently differentiates sum(Y).",
            "dT, dB = tape.gradient(Y, [T, B])",
        ]
        return _program(head, TAPE, calls + _print("tensorflow"))
    if step == "seeded":
        calls = ["dT, dB = tape.gradient(", "    Y, [T, B], output_gradients=G", ")"]
        return _program(head + written, TAPE, ones + calls + _print("tensorflow"))
    tape = ["with tf.GradientTape(persistent=True) as tape:", *TAPE[1:]]
    calls = ["J_T = tape.jacobian(Y, T)", "J_B = tape.jacobian(Y, B)", *ones, *_contraction("tensorflow")]
    return _program(head + written, tape, calls + _print("tensorflow", jacobian=True))


def _pytorch(step: Step, head: list[str], written: list[str], ones: list[str]) -> str:
    if step == "default":
        return _program(head, ["Y = T @ B", "Y.backward()", "dT, dB = T.grad, B.grad", *_print("pytorch")])
    if step == "seeded":
        calls = ["Y = T @ B", *ones, "Y.backward(gradient=G)", "dT, dB = T.grad, B.grad"]
        return _program(head + written, calls + _print("pytorch"))
    calls = ["J_T, J_B = jacobian(torch.matmul, (T, B))", *ones, *_contraction("pytorch")]
    return _program(head + written, calls + _print("pytorch", jacobian=True))


def _jax(step: Step, head: list[str], written: list[str], ones: list[str]) -> str:
    if step == "default":
        calls = ["grad = jax.grad(f, argnums=(0, 1))", "dT, dB = grad(T, B)"]
        return _program(head, JAX_F, calls + _print("jax"))
    if step == "seeded":
        calls = ["Y, vjp = jax.vjp(f, T, B)", *ones, "dT, dB = vjp(G)"]
        return _program(head + written, JAX_F, calls + _print("jax"))
    calls = ["jac = jax.jacrev(f, argnums=(0, 1))", "J_T, J_B = jac(T, B)", *ones, *_contraction("jax")]
    return _program(head + written, JAX_F, calls + _print("jax", jacobian=True))


PROGRAMS = {"tensorflow": _tensorflow, "pytorch": _pytorch, "jax": _jax}


def program(framework: Framework, step: Step, T: np.ndarray, B: np.ndarray, G: np.ndarray | None, dtype: str) -> str:
    """The complete program of `framework` for `step`; G None is the all-ones seed (TensorFlow's default).

    A seed of numbers is written beside T and B; the all-ones seed is made once Y exists.
    """
    head = _head(framework, T, B, dtype, grad=step != "jacobian")
    written = [] if G is None else _seed(framework, G, dtype)
    like = {"pytorch": "T @ B", "jax": "f(T, B)"}.get(framework, "Y") if step == "jacobian" else "Y"
    ones = _seed(framework, None, dtype, like) if G is None else []
    return PROGRAMS[framework](step, head, written, ones)


# --- the sign of a zero --------------------------------------------------------------------------
# In round-to-nearest, x + y is -0 only when x and y both are, so a sum of products is -0 only if
# every product is -0. When every product is, the kernel decides: one that starts from the first
# product gives -0, one that starts from +0 gives 0. Which kernel runs depends on the framework,
# the shapes (matrix-vector, outer product, the remainder after full vector registers) and the
# processor: for Y = T @ B with 1×1 matrices and T = -0, TensorFlow and JAX print dL/dB as -0.,
# PyTorch as 0. Such a zero's sign is known for TensorFlow, which computed it here, and for no
# other framework.


def may_be_negative_zero(x: np.ndarray, y: np.ndarray, axis: Any, unknown: np.ndarray | None = None) -> np.ndarray:
    """Where the sum over `axis` of the products x·y (broadcast, in x's dtype) may come out as -0.

    That is where every product is -0, or any product is so small that a fused multiply-add may
    round the sum to a zero of either sign. `unknown` marks factors y that are zeros of unknown sign.
    """
    with np.errstate(under="ignore"):
        product = x * y
    dtype = np.finfo(product.dtype)
    small = (np.abs(product) < dtype.tiny / dtype.eps) & (x != 0) & (y != 0)
    negative_zero = (product == 0) & np.signbit(product)
    if unknown is not None:
        negative_zero = negative_zero | unknown
    return np.any(small, axis=axis) | np.all(negative_zero, axis=axis)


def _unsigned_zeros(
    T: np.ndarray, B: np.ndarray, W: np.ndarray, J_T: np.ndarray | None = None, J_B: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """For dL/dT and dL/dB with seed W (all in one dtype), the zeros whose sign a kernel decides.

    Without Jacobians, the sums of the seeded call: dT[i,j] = Σ_p W[i,p]·B[j,p] and
    dB[j,p] = Σ_i T[i,j]·W[i,p]. With them, the einsums over (a, b) of W[a,b]·J[a,b,…], where each
    Jacobian entry is itself a sum (of E[i,p]·B[j,p] and T[i,j]·E[i,p], E the one-hot seed of Y[a,b]).
    """
    if J_T is None or J_B is None:
        dT = may_be_negative_zero(W[:, None, :], B[None, :, :], axis=2)  # [i, j, p]
        dB = may_be_negative_zero(T[:, :, None], W[:, None, :], axis=0)  # [i, j, p]
        return dT, dB
    m, n = W.shape
    E = np.eye(m * n, dtype=W.dtype).reshape(m, n, m, n)  # E[a, b] is the seed of Y[a, b] alone
    unknown_T = (J_T == 0) & may_be_negative_zero(E[:, :, :, None, :], B[None, None, None], axis=4)
    unknown_B = (J_B == 0) & may_be_negative_zero(T[None, None, :, :, None], E[:, :, :, None, :], axis=2)
    zeros_positive = np.zeros((), W.dtype)  # J + 0 turns -0 into 0; the unknown ones are marked
    dT = may_be_negative_zero(W[:, :, None, None], J_T + zeros_positive, axis=(0, 1), unknown=unknown_T)
    dB = may_be_negative_zero(W[:, :, None, None], J_B + zeros_positive, axis=(0, 1), unknown=unknown_B)
    return dT, dB


# --- what each program gives --------------------------------------------------------------------


def _gradients(
    dT: np.ndarray, dB: np.ndarray, printed: Printed = (), unsigned: tuple[np.ndarray, np.ndarray] | None = None
) -> Outcome:
    """The gradients as printed; `unsigned` (PyTorch, JAX) makes their zeros 0. and marks those that may be -0."""
    if unsigned is None:
        return Outcome(printed=(*printed, ("dL/dT", dT), ("dL/dB", dB)), values={"dT": dT, "dB": dB})
    dT, dB = dT + np.zeros((), dT.dtype), dB + np.zeros((), dB.dtype)  # -0 + 0 is 0
    marks = {"dL/dT": (dT == 0) & unsigned[0], "dL/dB": (dB == 0) & unsigned[1]}
    return Outcome(printed=(*printed, ("dL/dT", dT), ("dL/dB", dB)), values={"dT": dT, "dB": dB}, unsigned_zeros=marks)


def _shape_text(framework: Framework, shape: tuple[int, ...]) -> str:
    """A shape as `print(J.shape)` writes it: PyTorch's torch.Size, a tuple elsewhere."""
    return f"torch.Size({list(shape)})" if framework == "pytorch" else str(shape)


def _inputs(T: Any, B: Any, G: Any, dtype: str) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, str]:
    T, B = check_product(T, B)
    G = None if G is None else check_seed(G, T.shape[0], B.shape[1])
    dtype = check_dtype(dtype)
    check_magnitude(T, B, G, dtype)
    return T, B, G, dtype


def compare(T: Any, B: Any, G: Any = None, dtype: str = "float32") -> Comparison:
    """The nine programs for Y = T @ B with seed G (None: all ones, TensorFlow's default) and their outcomes.

    Gradients are TensorFlow's in `dtype` (`tape.gradient`, `tape.jacobian` and `tf.einsum`, as
    its programs compute them); PyTorch and JAX do the same float arithmetic, so they print the
    same numbers, up to rounding in the last digit, except the sign of a zero whose every term is
    -0 (see `may_be_negative_zero`).
    """
    T, B, G, dtype = _inputs(T, B, G, dtype)
    m, n = T.shape[0], B.shape[1]
    seed = np.ones((m, n)) if G is None else G
    default = tf_gradients(T, B, None, dtype)
    seeded = tf_gradients(T, B, seed, dtype)
    J_T, J_B = tf_jacobians(T, B, dtype)
    W = seed.astype(dtype)
    tf = tensorflow()
    dT_J = tf.einsum("ab,abij->ij", tf.constant(W), tf.constant(J_T)).numpy()
    dB_J = tf.einsum("ab,abjp->jp", tf.constant(W), tf.constant(J_B)).numpy()
    Tc, Bc = T.astype(dtype), B.astype(dtype)
    unsigned = {
        "default": _unsigned_zeros(Tc, Bc, np.ones((m, n), dtype)),
        "seeded": _unsigned_zeros(Tc, Bc, W),
        "jacobian": _unsigned_zeros(Tc, Bc, W, J_T, J_B),
    }

    def outcome(framework: Framework, step: Step) -> Outcome:
        marks = None if framework == "tensorflow" else unsigned[step]  # TensorFlow's zeros are its own
        if step == "seeded":
            return _gradients(seeded.dT, seeded.dB, unsigned=marks)
        if step == "jacobian":
            shapes = (
                ("J_T.shape", _shape_text(framework, J_T.shape)),
                ("J_B.shape", _shape_text(framework, J_B.shape)),
            )
            result = _gradients(dT_J, dB_J, shapes, marks)
            values = {"J_T": J_T, "J_B": J_B, **result.values}
            return Outcome(printed=result.printed, values=values, unsigned_zeros=result.unsigned_zeros)
        if framework == "jax":  # jax.grad wants shape (); even a 1×1 Y is refused
            return Outcome(error=(JAX_SCALAR_ERROR[0], JAX_SCALAR_ERROR[1].format(shape=(m, n))))
        if framework == "pytorch" and m * n > 1:  # a one-entry tensor counts as a scalar
            return Outcome(error=TORCH_SCALAR_ERROR)
        return _gradients(default.dT, default.dB, unsigned=marks)

    snippets = {
        framework: {
            step: Snippet(framework, step, program(framework, step, T, B, G, dtype), outcome(framework, step))
            for step in STEPS
        }
        for framework in FRAMEWORKS
    }
    analytic = analytic_gradients(T, B, seed)
    check = agreement(T, B, seed, seeded, analytic, analytic, dtype)  # finite differences play no part here
    return Comparison(snippets=snippets, dtype=dtype, difference=check.tf_vs_analytic, tolerance=check.tf_tolerance)
