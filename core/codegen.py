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
