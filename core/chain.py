"""Backprop through two layers: the gradient that arrives at a matmul from the layer above is its seed.

The network, in DESIGN.md's notation::

    Z = X @ W1 + b1,   H = act(Z),   Y = H @ W2 + b2,   L = sum(G ⊙ Y)

`tf_chain` runs it under one `tf.GradientTape` and asks the tape for every gradient at once (the
engine the page is about); `chain_formulas` is the analytic check in float64 NumPy, `chain_numeric`
the finite-difference one, and `as_two_playgrounds` feeds dL/dZ to the first matmul alone, as the
playground's `output_gradients`, to show that it is that matmul's seed. Every function validates its
input first and raises `InputError` naming the matrix and the cell.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from core.engine import tensorflow, tf_gradients
from core.errors import InputError
from core.explain import EPS, fmt
from core.seeds import SeedSpec, format_seed, parse_seed
from core.strings import clip, text
from core.textforms import format_matrix, parse_matrix
from core.validate import as_matrix, check_dtype, check_seed

ACTIVATIONS = ("relu", "tanh", "sigmoid", "identity")
"""The activations `act` may name: each has a TensorFlow op and a derivative NumPy can check."""

STEP = 1e-6
"""The central-difference step, relative to each entry (at least 1e-6 absolute).

The network is not linear in its inputs (the playground's matmul is, and can take 1e-3): the error
of a central difference is about step² times the third derivative, so 1e-6 keeps it near 1e-12 for
tanh and sigmoid, while float64 rounding of L divided by the step stays near 1e-10."""


def _relu(Z: np.ndarray) -> np.ndarray:
    return np.maximum(Z, 0.0)


def _relu_slope(Z: np.ndarray) -> np.ndarray:
    return (Z > 0).astype(np.float64)  # TensorFlow's ReluGrad: 0 at Z = 0 (the kink)


def _sigmoid(Z: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * Z))  # no overflow in exp for large |Z|


def _sigmoid_slope(Z: np.ndarray) -> np.ndarray:
    s = _sigmoid(Z)
    return s * (1.0 - s)


NUMPY_ACTS: dict[str, tuple[Callable[[np.ndarray], np.ndarray], Callable[[np.ndarray], np.ndarray]]] = {
    "relu": (_relu, _relu_slope),
    "tanh": (np.tanh, lambda Z: 1.0 - np.tanh(Z) ** 2),
    "sigmoid": (_sigmoid, _sigmoid_slope),
    "identity": (lambda Z: Z.copy(), np.ones_like),
}
"""Each activation and its derivative act'(Z), elementwise, in NumPy."""

TF_ACTS = {"relu": "tf.nn.relu", "tanh": "tf.tanh", "sigmoid": "tf.sigmoid", "identity": "tf.identity"}
"""Each activation's TensorFlow function, as written in the generated program."""

SLOPE_BOUND = {"relu": 1.0, "tanh": 1.0, "sigmoid": 0.25, "identity": 1.0}
"""The largest |act'(Z)|: the factor by which dL/dZ can exceed dL/dH."""


@dataclass(frozen=True)
class Chain:
    """The network's inputs, every intermediate and every gradient of L = sum(G ⊙ Y).

    A bias that was not given is None, and so is its gradient. `act_slope` is act'(Z), the
    elementwise factor between dL/dH and dL/dZ (0 where a ReLU is dead). Arrays from TensorFlow keep
    the dtype it computed in; the formulas' and finite differences' are float64.
    """

    X: np.ndarray
    W1: np.ndarray
    W2: np.ndarray
    b1: np.ndarray | None
    b2: np.ndarray | None
    act: str
    G: np.ndarray
    Z: np.ndarray
    H: np.ndarray
    Y: np.ndarray
    act_slope: np.ndarray
    dY: np.ndarray
    dW2: np.ndarray
    db2: np.ndarray | None
    dH: np.ndarray
    dZ: np.ndarray
    dW1: np.ndarray
    db1: np.ndarray | None
    dX: np.ndarray
    dtype: str = "float64"
    default_seed: bool = False

    def gradients(self) -> dict[str, np.ndarray]:
        """The gradients in the order the tape computes them (a missing bias left out)."""
        named = {
            "dY": self.dY,
            "dW2": self.dW2,
            "db2": self.db2,
            "dH": self.dH,
            "dZ": self.dZ,
            "dW1": self.dW1,
            "db1": self.db1,
            "dX": self.dX,
        }
        return {name: value for name, value in named.items() if value is not None}


@dataclass(frozen=True)
class ChainInputs:
    """Validated float64 inputs: X (m×k), W1 (k×h), W2 (h×n), biases as vectors, the seed G (m×n)."""

    X: np.ndarray
    W1: np.ndarray
    W2: np.ndarray
    b1: np.ndarray | None
    b2: np.ndarray | None
    act: str
    G: np.ndarray
    default_seed: bool


# --- validation ----------------------------------------------------------------------------------


def check_act(act: str) -> str:
    """`act` if it names an activation (relu, tanh, sigmoid, identity), else InputError listing them."""
    if act not in ACTIVATIONS:
        raise InputError("err.act_unknown", name=clip(act), names=", ".join(ACTIVATIONS))
    return act


def _bias(b: Any, name: str, width: int, weights: str) -> np.ndarray | None:
    """A bias as a vector of length `width` (the columns of `weights`); one row or a flat list."""
    if b is None:
        return None
    if isinstance(b, np.ndarray) and b.ndim == 1:
        b = b[None, :]
    elif isinstance(b, (list, tuple)) and not any(isinstance(x, (list, tuple, np.ndarray)) for x in b):
        b = [list(b)]
    B = as_matrix(b, name)
    if B.shape[0] != 1:
        raise InputError("err.bias_rows", name=name, rows=B.shape[0])
    if B.shape[1] != width:
        raise InputError("err.bias_length", name=name, length=B.shape[1], weights=weights, cols=width)
    return B[0]


def _seed(seed: Any, m: int, n: int) -> tuple[np.ndarray, bool]:
    """The seed G (m×n) from None (all ones), a SeedSpec, its text form (`row:1`) or a matrix.

    True with it when the seed is TensorFlow's default (None, `ones`): the tape is then called
    without output_gradients, exactly as the learner's code does.
    """
    if isinstance(seed, str):
        seed = parse_seed(seed)
    if seed is None or (isinstance(seed, SeedSpec) and seed.is_default):
        return np.ones((m, n)), True
    try:
        if isinstance(seed, SeedSpec):
            return seed.matrix(m, n), False
        return check_seed(seed, m, n), False
    except InputError as error:
        if error.key != "err.seed_shape":
            raise
        raise InputError(
            "err.chain_seed_shape", rows=error.params["rows"], cols=error.params["cols"], m=m, n=n
        ) from None


def check_chain(
    X: Any, W1: Any, W2: Any, b1: Any = None, b2: Any = None, act: str = "relu", seed: Any = None
) -> ChainInputs:
    """Every input as float64, shapes that chain (named when they do not), biases and seed fitting."""
    act = check_act(act)
    X, W1, W2 = as_matrix(X, "X"), as_matrix(W1, "W1"), as_matrix(W2, "W2")
    for left, L, right, R in (("X", X, "W1", W1), ("W1", W1, "W2", W2)):
        if R.shape[0] != L.shape[1]:
            raise InputError("err.chain_inner", right=right, rows=R.shape[0], left=left, cols=L.shape[1])
    bias1 = _bias(b1, "b1", W1.shape[1], "W1")
    bias2 = _bias(b2, "b2", W2.shape[1], "W2")
    G, default = _seed(seed, X.shape[0], W2.shape[1])
    return ChainInputs(X, W1, W2, bias1, bias2, act, G, default)


def check_chain_magnitude(inputs: ChainInputs, dtype: str) -> None:
    """Refuse numbers whose values or gradients could overflow `dtype`, before any becomes inf.

    Each bound is the same formula with every matrix replaced by its absolute values, so it bounds
    every partial sum too, in whatever order TensorFlow adds; bounded activations (tanh, sigmoid)
    bound H by 1.
    """
    i = inputs
    largest = float(np.finfo(dtype).max)
    absolute = [np.abs(M) for M in (i.X, i.W1, i.W2, i.G)]
    X, W1, W2, G = absolute
    b1 = 0.0 if i.b1 is None else np.abs(i.b1)
    b2 = 0.0 if i.b2 is None else np.abs(i.b2)
    with np.errstate(over="ignore", invalid="ignore"):
        Z = X @ W1 + b1
        H = Z if i.act in ("relu", "identity") else np.ones_like(Z)
        Y = H @ W2 + b2
        dH = G @ W2.T
        dZ = dH * SLOPE_BOUND[i.act]
        bounds = [M for M in (*absolute, Z, H, Y, dH, dZ, X.T @ dZ, dZ @ W1.T, H.T @ G) if M.size]
        bounds += [G.sum(axis=0), dZ.sum(axis=0)]
        bound = max(float(np.max(M)) for M in bounds)
    if not bound < largest:
        reach = f"about {bound:.3g}" if np.isfinite(bound) else f"more than {np.finfo(np.float64).max:.3g}"
        raise InputError("err.chain_overflow", dtype=dtype, bound=reach, largest=f"{largest:.3g}")


# --- three ways to the gradients ------------------------------------------------------------------


def tf_chain(
    X: Any,
    W1: Any,
    W2: Any,
    b1: Any = None,
    b2: Any = None,
    act: str = "relu",
    seed: Any = None,
    dtype: str = "float32",
) -> Chain:
    """Every intermediate and gradient of L = sum(G ⊙ Y), from one `tf.GradientTape` over the network.

    `seed=None` passes no output_gradients (TensorFlow's all-ones default); otherwise a SeedSpec, its
    text form as in a share link (`entry:0,1`, `weights:1,0;0,2`) or an m×n matrix. The tape is
    asked once for the gradients with respect to the inputs and the intermediates Z, H and Y (the
    gradient with respect to Y is the seed itself), which is what backprop computes anyway.
    """
    inputs = check_chain(X, W1, W2, b1, b2, act, seed)
    dtype = check_dtype(dtype)
    check_chain_magnitude(inputs, dtype)
    tf = tensorflow()
    x, w1, w2 = (tf.constant(M, dtype=dtype) for M in (inputs.X, inputs.W1, inputs.W2))
    c1 = None if inputs.b1 is None else tf.constant(inputs.b1, dtype=dtype)
    c2 = None if inputs.b2 is None else tf.constant(inputs.b2, dtype=dtype)
    activation = _tf_activation(inputs.act)
    with tf.GradientTape() as tape:
        tape.watch([v for v in (x, w1, w2, c1, c2) if v is not None])
        z = tf.matmul(x, w1) if c1 is None else tf.matmul(x, w1) + c1
        h = activation(z)
        y = tf.matmul(h, w2) if c2 is None else tf.matmul(h, w2) + c2
    sources = {"dX": x, "dW1": w1, "db1": c1, "dZ": z, "dH": h, "dW2": w2, "db2": c2, "dY": y}
    present = {name: v for name, v in sources.items() if v is not None}
    upstream = None if inputs.default_seed else tf.constant(inputs.G, dtype=dtype)
    found = dict(zip(present, tape.gradient(y, list(present.values()), output_gradients=upstream), strict=True))
    grads = {name: found[name].numpy() if name in found else None for name in sources}
    if grads["dY"] is None or upstream is None:  # y is the target: its gradient is the seed it was given
        grads["dY"] = np.ones(y.shape, dtype=dtype) if upstream is None else upstream.numpy()
    return Chain(
        X=inputs.X,
        W1=inputs.W1,
        W2=inputs.W2,
        b1=inputs.b1,
        b2=inputs.b2,
        act=inputs.act,
        G=inputs.G,
        Z=z.numpy(),
        H=h.numpy(),
        Y=y.numpy(),
        act_slope=NUMPY_ACTS[inputs.act][1](z.numpy().astype(np.float64)).astype(dtype),
        dtype=dtype,
        default_seed=inputs.default_seed,
        **grads,
    )


@functools.lru_cache(maxsize=len(ACTIVATIONS))
def _tf_activation(act: str) -> Callable[[Any], Any]:
    tf = tensorflow()
    return {"relu": tf.nn.relu, "tanh": tf.tanh, "sigmoid": tf.sigmoid, "identity": tf.identity}[act]


def _forward(i: ChainInputs, X: np.ndarray, W1: np.ndarray, W2: np.ndarray, b1: Any, b2: Any) -> tuple:
    act = NUMPY_ACTS[i.act][0]
    Z = X @ W1 + (0.0 if b1 is None else b1)
    H = act(Z)
    return Z, H, H @ W2 + (0.0 if b2 is None else b2)


def chain_formulas(
    X: Any, W1: Any, W2: Any, b1: Any = None, b2: Any = None, act: str = "relu", seed: Any = None
) -> Chain:
    """The analytic gradients in float64: dW2 = Hᵀ G, db2 = Σ_rows G, dH = G W2ᵀ,
    dZ = dH ⊙ act'(Z), dW1 = Xᵀ dZ, db1 = Σ_rows dZ, dX = dZ W1ᵀ."""
    i = check_chain(X, W1, W2, b1, b2, act, seed)
    check_chain_magnitude(i, "float64")
    Z, H, Y = _forward(i, i.X, i.W1, i.W2, i.b1, i.b2)
    G = i.G
    slope = NUMPY_ACTS[i.act][1](Z)
    dH = G @ i.W2.T
    dZ = dH * slope
    return Chain(
        X=i.X,
        W1=i.W1,
        W2=i.W2,
        b1=i.b1,
        b2=i.b2,
        act=i.act,
        G=G,
        Z=Z,
        H=H,
        Y=Y,
        act_slope=slope,
        dY=G.copy(),
        dW2=H.T @ G,
        db2=None if i.b2 is None else G.sum(axis=0),
        dH=dH,
        dZ=dZ,
        dW1=i.X.T @ dZ,
        db1=None if i.b1 is None else dZ.sum(axis=0),
        dX=dZ @ i.W1.T,
        default_seed=i.default_seed,
    )


def chain_numeric(
    X: Any, W1: Any, W2: Any, b1: Any = None, b2: Any = None, act: str = "relu", seed: Any = None
) -> dict[str, np.ndarray]:
    """dL/dX, dL/dW1, dL/db1, dL/dW2, dL/db2 by central finite differences of L, in float64.

    Uses neither TensorFlow nor the formulas. Where a ReLU's Z lies within a step of 0 (its kink)
    the difference straddles the kink and differs from the derivative: `kinks` says where.
    """
    i = check_chain(X, W1, W2, b1, b2, act, seed)
    check_chain_magnitude(i, "float64")
    inputs = {"X": i.X, "W1": i.W1, "b1": i.b1, "W2": i.W2, "b2": i.b2}

    def loss(name: str, value: np.ndarray) -> float:
        args = {**inputs, name: value}
        return float(np.sum(i.G * _forward(i, args["X"], args["W1"], args["W2"], args["b1"], args["b2"])[2]))

    grads: dict[str, np.ndarray] = {}
    for name, M in inputs.items():
        if M is None:
            continue
        grad = np.empty_like(M)
        for idx in np.ndindex(M.shape):
            h = STEP * max(1.0, abs(M[idx]))
            up, down = M.copy(), M.copy()
            up[idx] += h
            down[idx] -= h
            grad[idx] = (loss(name, up) - loss(name, down)) / (up[idx] - down[idx])
        grads[f"d{name}"] = grad
    return grads


def kinks(chain: Chain) -> list[tuple[int, int]]:
    """The cells of Z where a ReLU sits on its kink at 0, within what can move Z across it.

    Two things can: a finite-difference step (one input moved by STEP·max(1, |input|) moves a cell
    of Z by that times the largest input it multiplies, or by the step of b1), and rounding Z to
    `dtype` (a few ulps of the sum of |terms|; TensorFlow also flushes subnormal numbers to zero).
    """
    if chain.act != "relu":
        return []
    Z = np.asarray(chain.Z, dtype=np.float64)
    x, w = (float(np.max(np.abs(M))) for M in (chain.X, chain.W1))
    b = 0.0 if chain.b1 is None else float(np.max(np.abs(chain.b1)))
    step = STEP * max(max(1.0, x) * w, max(1.0, w) * x, max(1.0, b))
    rounding = 4 * (chain.X.shape[1] + 1) * EPS[chain.dtype] * (chain.X.shape[1] * x * w + b)
    reach = step + rounding + float(np.finfo(chain.dtype).tiny)
    return [(int(a), int(c)) for a, c in np.argwhere(np.abs(Z) <= reach)]


@dataclass(frozen=True)
class TwoPlaygrounds:
    """The second matmul and the first as two separate playgrounds, each its own TensorFlow tape.

    The upper one is Y = H @ W2 with the page's seed G, giving dL/dH and dL/dW2; the lower one is
    Z = X @ W1 with output_gradients = dL/dZ (dL/dH through act'), giving dL/dX and dL/dW1.
    """

    dH: np.ndarray
    dW2: np.ndarray
    dX: np.ndarray
    dW1: np.ndarray


def as_two_playgrounds(chain: Chain) -> TwoPlaygrounds:
    """The chain's seeds fed to each matmul alone through `core.tf_gradients` (the playground's engine)."""
    dtype = chain.dtype
    H = np.asarray(chain.H, dtype=np.float64)
    dZ = np.asarray(chain.dZ, dtype=np.float64)
    upper = tf_gradients(H, chain.W2, None if chain.default_seed else chain.G, dtype)
    lower = tf_gradients(chain.X, chain.W1, dZ, dtype)
    return TwoPlaygrounds(dH=upper.dT, dW2=upper.dB, dX=lower.dT, dW1=lower.dB)


@dataclass(frozen=True)
class ChainCheck:
    """Largest differences from the formulas (TensorFlow, finite differences, two playgrounds) and tolerances."""

    tf_vs_formulas: float
    numeric_vs_formulas: float
    two_vs_tape: float
    tf_tolerance: float
    numeric_tolerance: float
    two_tolerance: float
    kinks: tuple[tuple[int, int], ...] = ()

    @property
    def tf_ok(self) -> bool:
        """TensorFlow's tape agrees with the formulas within float rounding."""
        return self.tf_vs_formulas <= self.tf_tolerance

    @property
    def numeric_ok(self) -> bool:
        """Finite differences agree with the formulas (not expected across a ReLU's kink)."""
        return self.numeric_vs_formulas <= self.numeric_tolerance

    @property
    def two_ok(self) -> bool:
        """The two single-matmul tapes give the whole tape's dL/dW1, dL/dX, dL/dW2 and dL/dH."""
        return self.two_vs_tape <= self.two_tolerance

    @property
    def ok(self) -> bool:
        """Every check agrees; False is a bug, shown loudly.

        At a ReLU's kink (Z = 0, or float32 rounding Z to the other side of 0) the derivative is not
        defined: TensorFlow takes slope 0, finite differences straddle both slopes, and the float64
        formulas may see the other side, so only the two playgrounds (same tape, same Z) must agree.
        """
        return self.two_ok and ((self.tf_ok and self.numeric_ok) or bool(self.kinks))


def _largest(a: Mapping[str, Any], b: Mapping[str, Any], names: tuple[str, ...]) -> float:
    pairs = [(a[n], b[n]) for n in names if a.get(n) is not None and b.get(n) is not None]
    return max(float(np.max(np.abs(np.asarray(x, np.float64) - np.asarray(y, np.float64)))) for x, y in pairs)


def _scale(f: Chain) -> float:
    """The size of the terms the gradients add (rounding grows with Σ|term|, not the cancelled result)."""
    absG, absW2, absX, absW1 = (np.abs(M) for M in (f.G, f.W2, f.X, f.W1))
    dH = absG @ absW2.T
    dZ = dH * SLOPE_BOUND[f.act]
    H = np.abs(f.H)
    terms = [dH, dZ, absX.T @ dZ, dZ @ absW1.T, H.T @ absG, np.abs(f.Y), np.abs(f.Z), absG.sum(axis=0)]
    return max(1.0, *(float(np.max(t)) for t in terms))


def check_chain_gradients(
    chain: Chain, formulas: Chain, numeric: Mapping[str, np.ndarray], two: TwoPlaygrounds
) -> ChainCheck:
    """The tape and finite differences against the formulas, and the two playgrounds against the tape."""
    names = ("dW2", "db2", "dH", "dZ", "dW1", "db1", "dX", "Y")
    tape = {**chain.gradients(), "Y": chain.Y}
    exact = {**formulas.gradients(), "Y": formulas.Y}
    depth = 2 * (max(chain.X.shape) + max(chain.W1.shape) + max(chain.W2.shape)) + 8
    scale = _scale(formulas)
    eps = EPS[chain.dtype]
    return ChainCheck(
        tf_vs_formulas=_largest(tape, exact, names),
        numeric_vs_formulas=_largest(numeric, exact, ("dX", "dW1", "db1", "dW2", "db2")),
        two_vs_tape=_largest(vars(two), tape, ("dH", "dW2", "dX", "dW1")),
        tf_tolerance=4 * depth * eps * scale,
        numeric_tolerance=1e-6 * scale,
        two_tolerance=4 * depth * eps * scale,
        kinks=tuple(kinks(chain)),
    )


# --- presets and the page's share link ------------------------------------------------------------


@dataclass(frozen=True)
class ChainProblem:
    """Everything the chain page shows is a function of this (and its share link restores it)."""

    X: np.ndarray
    W1: np.ndarray
    W2: np.ndarray
    b1: np.ndarray | None = None
    b2: np.ndarray | None = None
    act: str = "relu"
    seed: SeedSpec = SeedSpec("ones")  # noqa: RUF009 (frozen, so one shared default is safe)
    dtype: str = "float32"
    preset: str | None = None

    def matches_preset(self) -> bool:
        """True when every matrix and the activation are still exactly the named preset's."""
        if self.preset not in CHAIN_PRESETS:
            return False
        p = CHAIN_PRESETS[self.preset]
        return p.act == self.act and all(_same(getattr(p, n), getattr(self, n)) for n in ("X", "W1", "W2", "b1", "b2"))

    def description(self, lang: str = "en") -> str:
        """What the preset shows, in `lang` (empty for the student's own matrices)."""
        return text(f"chain.preset.{self.preset}", lang) if self.matches_preset() else ""


def _same(a: np.ndarray | None, b: np.ndarray | None) -> bool:
    return (a is None and b is None) or (a is not None and b is not None and np.array_equal(a, b))


def _vector(text_form: str, name: str) -> np.ndarray:
    M = parse_matrix(text_form, name)
    if M.shape[0] != 1:
        raise InputError("err.bias_rows", name=name, rows=M.shape[0])
    return M[0]


def _fixed(M: np.ndarray) -> np.ndarray:
    """A preset's matrix, read-only: every session shares it (tests/e2e/test_isolation_browser.py)."""
    M = np.array(M)
    M.setflags(write=False)
    return M


_QUESTION_T = "0.8363,0.4719,0.9783;0.3379,0.6548,0.3835;0.7846,0.9173,0.2393;0.5418,0.3875,0.4276;0.0948,0.2637,0.8039"
_QUESTION_B = "0.43842274,-0.53439844,-0.07710262;1.5658046,-0.1012345,-0.2744976;1.4204658,1.2609464,-0.43640924"

CHAIN_PRESETS: dict[str, ChainProblem] = {
    "two-layer": ChainProblem(
        X=_fixed(parse_matrix("1,2;0.5,-1;-1,0.5", "X")),
        W1=_fixed(parse_matrix("0.5,-1,0.25;1,0.5,-0.5", "W1")),
        W2=_fixed(parse_matrix("1,-0.5;0.5,1;-1,0.5", "W2")),
        b1=_fixed(_vector("0.1,0.2,-0.1", "b1")),
        b2=_fixed(_vector("0.5,-0.5", "b2")),
        act="relu",
        preset="two-layer",
    ),
    "dead-relu": ChainProblem(
        X=_fixed(parse_matrix("1,2;2,1;-1,1", "X")),
        W1=_fixed(parse_matrix("1,-1,0.5;0.5,1,-1", "W1")),
        W2=_fixed(parse_matrix("1,0.5;-1,0.5;1,0.5", "W2")),
        b1=_fixed(_vector("0.25,-0.5,-4", "b1")),
        act="relu",
        preset="dead-relu",
    ),
    "question": ChainProblem(
        X=_fixed(parse_matrix(_QUESTION_T, "X")),
        W1=_fixed(parse_matrix(_QUESTION_B, "W1")),
        W2=_fixed(parse_matrix("1,-0.5;-0.5,1;0.25,0.5", "W2")),
        act="relu",
        preset="question",
    ),
}
"""Named networks: a small two-layer default, one whose hidden unit 2 is dead for every row
(b1 = −4 puts Z[:,2] below 0, so dL/dW1's column 2 is zero) and unit 1 for row 1 only, and one
whose X is the question's T and W1 its B."""

DEFAULT_CHAIN_PRESET = "two-layer"

CHAIN_PARAMS = ("preset", "X", "W1", "W2", "b1", "b2", "act", "seed", "dtype")
"""The share link's parameters (`lang` and `present` belong to every page)."""


@dataclass(frozen=True)
class ChainParamError:
    """A query parameter that could not be used, and why."""

    param: str
    error: InputError


def chain_preset(name: str) -> ChainProblem:
    """The network called `name`, or an InputError listing the ones there are."""
    try:
        return CHAIN_PRESETS[name]
    except KeyError:
        raise InputError("err.preset_unknown", name=clip(name), names=", ".join(CHAIN_PRESETS)) from None


def chain_from_query(params: Mapping[str, str]) -> tuple[ChainProblem, list[ChainParamError]]:
    """The network a share link describes, and the parameters that had to be ignored (never raises).

    A matrix that does not chain with the others is refused by name and the preset's matrices kept,
    so a tampered link still opens a working page with the reason on it.
    """
    errors: list[ChainParamError] = []
    problem = CHAIN_PRESETS[DEFAULT_CHAIN_PRESET]
    if "preset" in params:
        try:
            problem = chain_preset(params["preset"])
        except InputError as error:
            errors.append(ChainParamError("preset", error))
    base = problem
    parsed: dict[str, Any] = {}
    for name in ("X", "W1", "W2", "b1", "b2"):
        if name in params:
            try:
                parse = _vector if name.startswith("b") else parse_matrix
                parsed[name] = parse(params[name], name) if params[name].strip() or name[0] != "b" else None
            except InputError as error:
                errors.append(ChainParamError(name, error))
    if "act" in params:
        try:
            parsed["act"] = check_act(params["act"].strip())
        except InputError as error:
            errors.append(ChainParamError("act", error))
    if parsed:
        if any(name in params for name in ("X", "W1", "W2", "b1", "b2")):  # the link's own network:
            parsed = {"b1": None, "b2": None} | parsed  # a bias it does not give is no bias
        candidate = replace(problem, **parsed, preset=None)
        try:
            check_chain(candidate.X, candidate.W1, candidate.W2, candidate.b1, candidate.b2, candidate.act)
            problem = candidate
        except InputError as error:
            errors.append(ChainParamError(_blame(error, parsed), error))
        if replace(problem, preset=base.preset).matches_preset():
            problem = replace(problem, preset=base.preset)
    m, n = problem.X.shape[0], problem.W2.shape[1]
    if "seed" in params:
        try:
            spec = parse_seed(params["seed"])
            _seed(spec, m, n)  # indices and weights against Y's shape
            problem = replace(problem, seed=spec)
        except InputError as error:
            errors.append(ChainParamError("seed", error))
    if "dtype" in params:
        try:
            problem = replace(problem, dtype=check_dtype(params["dtype"].strip()))
        except InputError as error:
            errors.append(ChainParamError("dtype", error))
    return problem, errors


def _blame(error: InputError, parsed: Mapping[str, Any]) -> str:
    """The link parameter a shape error is about: the matrix the message names first that the link set."""
    named = [error.params.get(key) for key in ("right", "name", "left")]
    return next((name for name in named if name in parsed), next(iter(parsed)))


def chain_to_query(problem: ChainProblem) -> dict[str, str]:
    """The query parameters that restore `problem` exactly (matrices to the last bit)."""
    query: dict[str, str] = {}
    if problem.matches_preset():
        query["preset"] = str(problem.preset)
    else:
        query |= {"X": format_matrix(problem.X), "W1": format_matrix(problem.W1), "W2": format_matrix(problem.W2)}
        for name in ("b1", "b2"):
            bias = getattr(problem, name)
            if bias is not None:
                query[name] = format_matrix(bias[None, :])
        query["act"] = problem.act
    query["seed"] = format_seed(problem.seed)
    if problem.dtype != "float32":
        query["dtype"] = problem.dtype
    return query


# --- one gradient entry written out ---------------------------------------------------------------

Cell = tuple[int, int]

GRADIENTS = ("dY", "dW2", "db2", "dH", "dZ", "dW1", "db1", "dX")
"""The gradients in the order the tape computes them, from the seed down to the input."""


@dataclass(frozen=True)
class ChainSum:
    """One gradient entry written out: its sum (or product) in symbols and in numbers, and the cells it reads.

    `cells` maps a matrix's name as the page draws it (X, W1, H, W2, G, dH, dZ, act'(Z)) to the
    cells that take part; `stopped` is True for a dL/dZ entry the activation let nothing through
    (act'(Z) = 0: a dead ReLU).
    """

    entry: str
    symbols: str
    numbers: str
    value: float
    cells: dict[str, tuple[Cell, ...]]
    stopped: bool = False


def _paren(x: float) -> str:
    s = fmt(x)
    return f"({s})" if s.startswith("−") else s


def _terms(entry: str, terms: list[tuple[str, Cell, float, str, Cell, float]]) -> ChainSum:
    """A sum of products a·b, each a term (name_a, cell_a, a, name_b, cell_b, b)."""
    symbols = " + ".join(f"{na}[{ca[0]},{ca[1]}]·{nb}[{cb[0]},{cb[1]}]" for na, ca, _, nb, cb, _ in terms)
    numbers = " + ".join(f"{_paren(a)}·{_paren(b)}" for _, _, a, _, _, b in terms)
    cells: dict[str, tuple[Cell, ...]] = {}
    for na, ca, _, nb, cb, _ in terms:
        cells[na] = (*cells.get(na, ()), ca)
        cells[nb] = (*cells.get(nb, ()), cb)
    return ChainSum(entry, symbols, numbers, float(sum(a * b for _, _, a, _, _, b in terms)), cells)


def chain_sum(c: Chain, name: str, i: int, j: int) -> ChainSum:
    """The entry [i, j] of gradient `name` (one of GRADIENTS; a bias's entry is [0, j]) written out.

    Products of the same matmul as the playground (dL/dW2 = Hᵀ G, dL/dH = G W2ᵀ, dL/dW1 = Xᵀ dZ,
    dL/dX = dZ W1ᵀ), the elementwise step dL/dZ = dL/dH ⊙ act'(Z), a bias's column sum of its
    layer's seed, and the seed itself. The numbers are the float64 values of `c`.
    """
    H, G, dH, dZ, slope = (np.asarray(M, dtype=np.float64) for M in (c.H, c.G, c.dH, c.dZ, c.act_slope))
    X, W1, W2 = c.X, c.W1, c.W2
    m, n, h = X.shape[0], W2.shape[1], W1.shape[1]
    if name == "dY":
        return ChainSum(f"dL/dY[{i},{j}]", f"G[{i},{j}]", _paren(G[i, j]), float(G[i, j]), {"G": ((i, j),)})
    if name == "dW2":
        return _terms(f"dL/dW2[{i},{j}]", [("H", (a, i), H[a, i], "G", (a, j), G[a, j]) for a in range(m)])
    if name == "dH":
        return _terms(f"dL/dH[{i},{j}]", [("G", (i, p), G[i, p], "W2", (j, p), W2[j, p]) for p in range(n)])
    if name == "dW1":
        return _terms(f"dL/dW1[{i},{j}]", [("X", (a, i), X[a, i], "dZ", (a, j), dZ[a, j]) for a in range(m)])
    if name == "dX":
        return _terms(f"dL/dX[{i},{j}]", [("dZ", (i, p), dZ[i, p], "W1", (j, p), W1[j, p]) for p in range(h)])
    if name == "dZ":
        found = _terms(f"dL/dZ[{i},{j}]", [("dH", (i, j), dH[i, j], "act'(Z)", (i, j), slope[i, j])])
        return replace(found, cells={**found.cells, "Z": ((i, j),)}, stopped=bool(slope[i, j] == 0))
    if name in ("db1", "db2"):
        seed, seed_name = (dZ, "dZ") if name == "db1" else (G, "G")
        cells = tuple((a, j) for a in range(m))
        symbols = " + ".join(f"{seed_name}[{a},{j}]" for a in range(m))
        numbers = " + ".join(_paren(seed[a, j]) for a in range(m))
        return ChainSum(f"dL/d{name[1:]}[{j}]", symbols, numbers, float(seed[:, j].sum()), {seed_name: cells})
    raise InputError("err.choice", text=clip(name), choices=", ".join(GRADIENTS))
