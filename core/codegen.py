"""The TensorFlow program that reproduces what the page shows, ready to copy and run."""

from __future__ import annotations

import numpy as np

from core.textforms import format_number


def _number(x: float) -> str:
    """`x` as Python source that evaluates to exactly `x` (the source `-0` is the integer 0, so -0.0)."""
    s = format_number(x)
    return "-0.0" if s == "-0" else s


def _literal(M: np.ndarray, indent: int) -> str:
    """A nested Python list literal with exact numbers, one row per line, aligned under the '['."""
    rows = ["[" + ", ".join(_number(x) for x in row) + "]" for row in np.asarray(M, dtype=float)]
    pad = " " * indent
    return "[" + (",\n" + pad).join(rows) + "]"


def tensorflow_code(T: np.ndarray, B: np.ndarray, G: np.ndarray | None, dtype: str = "float32") -> str:
    """Python source computing Y = T @ B and tape.gradient(Y, [T, B]) with the page's seed.

    G None means the call without output_gradients (TensorFlow's implicit all-ones seed).
    """
    lines = [
        "import tensorflow as tf",
        "",
        f"T = tf.constant({_literal(T, 17)}, dtype=tf.{dtype})",
        f"B = tf.constant({_literal(B, 17)}, dtype=tf.{dtype})",
    ]
    if G is not None:
        lines.append(f"G = tf.constant({_literal(G, 17)}, dtype=tf.{dtype})  # the seed dL/dY")
    lines += [
        "",
        "with tf.GradientTape() as tape:",
        "    tape.watch([T, B])",
        "    Y = tf.matmul(T, B)",
        "",
    ]
    if G is None:
        lines += [
            "# No output_gradients: TensorFlow differentiates sum(Y), the all-ones seed.",
            "dT, dB = tape.gradient(Y, [T, B])",
        ]
    else:
        lines += [
            "# output_gradients=G: differentiate L = sum(G * Y).",
            "dT, dB = tape.gradient(Y, [T, B], output_gradients=G)",
        ]
    lines += ["print(dT)", "print(dB)"]
    return "\n".join(lines) + "\n"


def constants(T: np.ndarray, B: np.ndarray, dtype: str) -> list[str]:
    """The import line and the exact T and B literals that start every generated program."""
    return [
        "import tensorflow as tf",
        "",
        f"T = tf.constant({_literal(T, 17)}, dtype=tf.{dtype})",
        f"B = tf.constant({_literal(B, 17)}, dtype=tf.{dtype})",
    ]


def jacobian_code(T: np.ndarray, B: np.ndarray, G: np.ndarray | None = None, dtype: str = "float32") -> str:
    """Python source for the full Jacobians, their shapes, batch_jacobian, and the seed contraction.

    G None stands for TensorFlow's default all-ones seed.
    """
    m, n = T.shape[0], B.shape[1]
    lines = [
        *constants(T, B, dtype),
        "",
        "with tf.GradientTape(persistent=True) as tape:",
        "    tape.watch([T, B])",
        "    Y = tf.matmul(T, B)",
        "",
        f"J_T = tape.jacobian(Y, T)        # shape {(m, n, m, T.shape[1])}",
        f"J_B = tape.jacobian(Y, B)        # shape {(m, n, B.shape[0], n)}",
        f"J_batch = tape.batch_jacobian(Y, T)  # shape {(m, n, T.shape[1])}: the diagonal blocks",
        "",
        "# The gradient is the seed-weighted sum of the Jacobian's rows:",
        "G = tf.ones_like(Y)" if G is None else f"G = tf.constant({_literal(G, 17)}, dtype=tf.{dtype})",
        "dT = tf.einsum('ab,abij->ij', G, J_T)  # equals tape.gradient(Y, T, output_gradients=G)",
        "print(J_T.shape, J_B.shape, J_batch.shape)",
        "print(dT)",
    ]
    return "\n".join(lines) + "\n"


LOSS_LINES = {
    "sum": "L = tf.reduce_sum(Y)",
    "mean": "L = tf.reduce_mean(Y)",
    "sq-error": "L = tf.reduce_mean(tf.square(Y - target))",
    "entry": "L = Y[{i}, {j}]",
}


def loss_code(
    T: np.ndarray,
    B: np.ndarray,
    loss: str,
    target: np.ndarray | None = None,
    entry: tuple[int, int] = (0, 0),
    dtype: str = "float32",
) -> str:
    """Python source differentiating a real scalar loss of Y = T @ B, and printing dL/dY (the seed)."""
    lines = constants(T, B, dtype)
    if loss == "sq-error":
        lines.append(
            f"target = tf.constant({_literal(np.zeros((1, 1)) if target is None else target, 22)}, dtype=tf.{dtype})"
        )
    lines += [
        "",
        "with tf.GradientTape(persistent=True) as tape:",
        "    tape.watch([T, B])",
        "    Y = tf.matmul(T, B)",
        "    " + LOSS_LINES[loss].format(i=entry[0], j=entry[1]),
        "",
        "dT, dB, seed = tape.gradient(L, [T, B, Y])  # seed = dL/dY",
        "print(seed)",
        "print(dT)",
        "print(dB)",
    ]
    return "\n".join(lines) + "\n"


CHAIN_ACTS = {"relu": "tf.nn.relu", "tanh": "tf.tanh", "sigmoid": "tf.sigmoid", "identity": "tf.identity"}
"""Each activation of core.chain as the TensorFlow function the program calls."""


def chain_code(
    X: np.ndarray,
    W1: np.ndarray,
    W2: np.ndarray,
    b1: np.ndarray | None,
    b2: np.ndarray | None,
    act: str,
    G: np.ndarray | None,
    dtype: str = "float32",
) -> str:
    """Python source for the two-layer network under one tape, printing every gradient the /chain page shows.

    A bias that is None is left out; G None means no output_gradients (the all-ones seed). The tape
    is asked for the gradients with respect to the intermediates Z and H too, which backprop
    computes anyway: dL/dZ is the seed of the first matmul.
    """
    lines = [
        "import tensorflow as tf",
        "",
        f"X = tf.constant({_literal(X, 17)}, dtype=tf.{dtype})",
        f"W1 = tf.constant({_literal(W1, 18)}, dtype=tf.{dtype})",
        f"W2 = tf.constant({_literal(W2, 18)}, dtype=tf.{dtype})",
    ]
    for name, bias in (("b1", b1), ("b2", b2)):
        if bias is not None:
            vector = "[" + ", ".join(_number(x) for x in np.asarray(bias, dtype=float)) + "]"
            lines.append(f"{name} = tf.constant({vector}, dtype=tf.{dtype})")
    if G is not None:
        lines.append(f"G = tf.constant({_literal(G, 17)}, dtype=tf.{dtype})  # the seed dL/dY")
    watched = ["X", "W1", *(["b1"] if b1 is not None else []), "W2", *(["b2"] if b2 is not None else [])]
    lines += [
        "",
        "with tf.GradientTape() as tape:",
        f"    tape.watch([{', '.join(watched)}])",
        "    Z = tf.matmul(X, W1)" + (" + b1" if b1 is not None else ""),
        f"    H = {CHAIN_ACTS[act]}(Z)",
        "    Y = tf.matmul(H, W2)" + (" + b2" if b2 is not None else ""),
        "",
    ]
    sources = ["X", "W1", *(["b1"] if b1 is not None else []), "Z", "H", "W2", *(["b2"] if b2 is not None else [])]
    targets = ", ".join(f"d{s}" for s in sources)
    if G is None:
        lines.append("# No output_gradients: TensorFlow differentiates sum(Y), the all-ones seed.")
        lines.append(f"{targets} = tape.gradient(Y, [{', '.join(sources)}])")
    else:
        lines.append("# output_gradients=G: differentiate L = sum(G * Y).")
        lines.append(f"{targets} = tape.gradient(Y, [{', '.join(sources)}], output_gradients=G)")
    lines += [f'print("d{s} =", d{s}.numpy())' for s in reversed(sources)]
    return "\n".join(lines) + "\n"
