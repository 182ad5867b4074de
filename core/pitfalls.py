"""The mistakes learners make with GradientTape, each one run live by TensorFlow.

Every pitfall is a snippet of source code; the page shows the setup program and that very text,
and `run` executes exactly what is shown (setup + snippet, in a namespace of its own, with no
name given to it beforehand) on the current T and B. Each snippet ends by printing `result`, and
the page shows what it printed, or TensorFlow's exact error. So nothing on the page is a claim
that was not just observed, and a learner who copies the two blocks gets the same output.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Literal

import numpy as np

from core.codegen import constants
from core.engine import tensorflow, tf_gradients
from core.errors import InputError
from core.validate import check_dtype, check_magnitude, check_product

OTHER_DTYPE = {"float32": "float64", "float64": "float32"}
"""The dtype a mismatched seed gets: never Y's own, at either precision."""


@dataclass(frozen=True)
class Pitfall:
    """A mistake (`code`) and its repair (`fix`), as templates of the precision.

    Both end by printing `result`. `{dtype}` stands for the page's dtype and `{other}` for the
    other float dtype; `mistake` and `repair` give the text that is shown and run.
    """

    key: str
    code: str
    fix: str

    def mistake(self, dtype: str) -> str:
        """The mistake's source at `dtype`."""
        return self.code.format(dtype=dtype, other=OTHER_DTYPE[dtype])

    def repair(self, dtype: str) -> str:
        """The repair's source at `dtype`."""
        return self.fix.format(dtype=dtype, other=OTHER_DTYPE[dtype])


PITFALLS: tuple[Pitfall, ...] = (
    Pitfall(
        "twice",
        """with tf.GradientTape() as tape:
    tape.watch(T)
    Y = tf.matmul(T, B)
dY_dT = tape.gradient(Y, T)
result = tape.gradient(Y[0, 0], T)  # a second call on the same tape
print(result)
""",
        """with tf.GradientTape(persistent=True) as tape:
    tape.watch(T)
    Y = tf.matmul(T, B)
    Y00 = Y[0, 0]  # slice while the tape is recording
dY_dT = tape.gradient(Y, T)
result = tape.gradient(Y00, T)
del tape  # a persistent tape holds its resources until deleted
print(result)
""",
    ),
    Pitfall(
        "slice_outside",
        """with tf.GradientTape(persistent=True) as tape:
    tape.watch(T)
    Y = tf.matmul(T, B)
result = tape.gradient(Y[0, 0], T)  # Y[0, 0] is computed after recording stopped
print(result)
""",
        """with tf.GradientTape() as tape:
    tape.watch(T)
    Y = tf.matmul(T, B)
    Y00 = Y[0, 0]
result = tape.gradient(Y00, T)
print(result)
""",
    ),
    Pitfall(
        "unwatched",
        """with tf.GradientTape() as tape:
    Y = tf.matmul(T, B)  # T is a tf.constant: the tape does not watch it
result = tape.gradient(Y, T)
print(result)
""",
        """T_var = tf.Variable(T)  # variables are watched automatically (or call tape.watch(T))
with tf.GradientTape() as tape:
    Y = tf.matmul(T_var, B)
result = tape.gradient(Y, T_var)
print(result)
""",
    ),
    Pitfall(
        "variable_replaced",
        """T_var = tf.Variable(T)
T_var = T_var - 0.5  # a step of "training": T_var is now a Tensor, the Variable is gone
with tf.GradientTape() as tape:
    Y = tf.matmul(T_var, B)
result = tape.gradient(Y, T_var)
print(result)
""",
        """T_var = tf.Variable(T)
T_var.assign_sub(0.5 * tf.ones_like(T))  # changes the Variable in place
with tf.GradientTape() as tape:
    Y = tf.matmul(T_var, B)
result = tape.gradient(Y, T_var)
print(result)
""",
    ),
    Pitfall(
        "numpy_inside",
        """with tf.GradientTape() as tape:
    tape.watch(T)
    Y = tf.constant(T.numpy() @ B.numpy())  # NumPy did the product: the tape saw none of it
result = tape.gradient(Y, T)
print(result)
""",
        """with tf.GradientTape() as tape:
    tape.watch(T)
    Y = tf.matmul(T, B)  # stay with TensorFlow operations inside the tape
result = tape.gradient(Y, T)
print(result)
""",
    ),
    Pitfall(
        "non_differentiable",
        """with tf.GradientTape() as tape:
    tape.watch(T)
    Y = tf.matmul(tf.round(T), B)  # tf.round has no gradient
result = tape.gradient(Y, T)
print(result)
""",
        """with tf.GradientTape() as tape:
    tape.watch(T)
    T_rounded = T + tf.stop_gradient(tf.round(T) - T)  # rounded forward, identity backward
    Y = tf.matmul(T_rounded, B)
result = tape.gradient(Y, T)
print(result)
""",
    ),
    Pitfall(
        "assign_inside",
        """T_var = tf.Variable(T)
S = tf.Variable(tf.zeros_like(T))
with tf.GradientTape() as tape:
    S.assign(2 * T_var)  # assign is stateful: the tape does not differentiate through it
    Y = tf.matmul(S, B)
result = tape.gradient(Y, T_var)
print(result)
""",
        """T_var = tf.Variable(T)
with tf.GradientTape() as tape:
    S = 2 * T_var  # a Tensor computed from T_var: the tape records it
    Y = tf.matmul(S, B)
result = tape.gradient(Y, T_var)
print(result)
""",
    ),
    Pitfall(
        "integer",
        """T_int = tf.cast(tf.round(T * 10), tf.int32)
B_int = tf.cast(tf.round(B * 10), tf.int32)
with tf.GradientTape() as tape:
    tape.watch(T_int)
    Y = tf.matmul(T_int, B_int)
result = tape.gradient(Y, T_int)
print(result)
""",
        """T_float = tf.cast(tf.round(T * 10), tf.{dtype})
B_float = tf.cast(tf.round(B * 10), tf.{dtype})
with tf.GradientTape() as tape:
    tape.watch(T_float)
    Y = tf.matmul(T_float, B_float)
result = tape.gradient(Y, T_float)
print(result)
""",
    ),
    Pitfall(
        "seed_shape",
        """G = tf.ones((m + 1, n + 1), dtype=T.dtype)  # Y is m×n
with tf.GradientTape() as tape:
    tape.watch(T)
    Y = tf.matmul(T, B)
result = tape.gradient(Y, T, output_gradients=G)
print(result)
""",
        """with tf.GradientTape() as tape:
    tape.watch(T)
    Y = tf.matmul(T, B)
G = tf.ones_like(Y)  # the seed must have Y's shape and dtype
result = tape.gradient(Y, T, output_gradients=G)
print(result)
""",
    ),
    Pitfall(
        "seed_dtype",
        """G = tf.ones((m, n), dtype=tf.{other})  # but Y is {dtype}
with tf.GradientTape() as tape:
    tape.watch(T)
    Y = tf.matmul(T, B)
result = tape.gradient(Y, T, output_gradients=G)
print(result)
""",
        """G = tf.ones((m, n), dtype=tf.{other})
with tf.GradientTape() as tape:
    tape.watch(T)
    Y = tf.matmul(T, B)
result = tape.gradient(Y, T, output_gradients=tf.cast(G, Y.dtype))
print(result)
""",
    ),
    Pitfall(
        "unconnected",
        """with tf.GradientTape() as tape:
    Y = tf.matmul(T, B)  # T not watched, as before
result = tape.gradient(Y, T, unconnected_gradients=tf.UnconnectedGradients.ZERO)
print(result)
""",
        """with tf.GradientTape() as tape:
    tape.watch(T)
    Y = tf.matmul(T, B)
result = tape.gradient(Y, T)
print(result)
""",
    ),
)


@dataclass(frozen=True)
class Run:
    """What running a snippet gave: what it printed (a value, or None), or the error it raised."""

    status: Literal["value", "none", "error"]
    text: str  # what the program printed, or "ErrorType: message"
    value: np.ndarray | None = None  # `result` as NumPy, when it is a tensor


def wrong_seed_message(T: object, B: object, dtype: str = "float32", lang: str = "en") -> str:
    """What core says for the `seed_shape` pitfall's seed ((m+1)×(n+1)), where TensorFlow is opaque."""
    T, B = check_product(T, B)
    try:
        tf_gradients(T, B, np.ones((T.shape[0] + 1, B.shape[1] + 1)), dtype)
    except InputError as error:
        return error.message_in(lang)
    raise AssertionError("core accepted a seed whose shape is not Y's")  # pragma: no cover


def setup_code(T: np.ndarray, B: np.ndarray, dtype: str) -> str:
    """The program every snippet starts from: the import, the exact T and B, and m and n."""
    return "\n".join([*constants(T, B, dtype), "m, n = T.shape[0], B.shape[1]"]) + "\n"


def run(code: str, T: object, B: object, dtype: str = "float32") -> Run:
    """Execute the setup program and then `code`, exactly as shown, and report what happened.

    The namespace starts empty, as a fresh Python does, so a name the shown code does not define
    (`tf` without its import, say) fails here as it would for a learner. Only `print` is redirected
    to a buffer, so that what the page shows is what the program printed.
    """
    T, B = check_product(T, B)
    dtype = check_dtype(dtype)
    check_magnitude(T, B, None, dtype)
    tensorflow()  # imported once per process, with Gradflow's settings, before the snippet imports it
    printed = io.StringIO()

    def print_(*args: object, **kwargs: object) -> None:
        print(*args, **{**kwargs, "file": printed})

    namespace: dict[str, object] = {"__name__": "__main__", "print": print_}
    source = setup_code(T, B, dtype) + "\n" + code
    try:
        exec(compile(source, "<pitfall>", "exec"), namespace)  # our own snippets, shown verbatim on the page
    except Exception as error:  # the point is to show TensorFlow's own error, whatever it is
        message = str(error).strip().replace("\n", " ")
        return Run("error", f"{type(error).__name__}: {message}")
    result = namespace.get("result")
    text = printed.getvalue().rstrip("\n")
    if result is None:
        return Run("none", text)
    return Run("value", text, value=np.asarray(result))
