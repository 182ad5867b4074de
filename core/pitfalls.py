"""The mistakes learners make with GradientTape, each one run live by TensorFlow.

Every pitfall is a snippet of source code; the page shows that very text and the outcome of
executing it on the current T and B: the value, `None`, or TensorFlow's exact error message.
So nothing on the page is a claim that was not just observed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Literal

import numpy as np

from core.engine import tensorflow, tf_gradients
from core.errors import InputError
from core.validate import check_dtype, check_magnitude, check_product

SETUP = """T = tf.constant(T_values, dtype=tf.{dtype})
B = tf.constant(B_values, dtype=tf.{dtype})
m, n = T.shape[0], B.shape[1]
"""


@dataclass(frozen=True)
class Pitfall:
    """A mistake (`code`) and its repair (`fix`); both end by assigning `result`."""

    key: str
    code: str
    fix: str


PITFALLS: tuple[Pitfall, ...] = (
    Pitfall(
        "twice",
        """with tf.GradientTape() as tape:
    tape.watch(T)
    Y = tf.matmul(T, B)
dY_dT = tape.gradient(Y, T)
result = tape.gradient(Y[0, 0], T)  # a second call on the same tape
""",
        """with tf.GradientTape(persistent=True) as tape:
    tape.watch(T)
    Y = tf.matmul(T, B)
    Y00 = Y[0, 0]  # slice while the tape is recording
dY_dT = tape.gradient(Y, T)
result = tape.gradient(Y00, T)
del tape  # a persistent tape holds its resources until deleted
""",
    ),
    Pitfall(
        "slice_outside",
        """with tf.GradientTape(persistent=True) as tape:
    tape.watch(T)
    Y = tf.matmul(T, B)
result = tape.gradient(Y[0, 0], T)  # Y[0, 0] is computed after recording stopped
""",
        """with tf.GradientTape() as tape:
    tape.watch(T)
    Y = tf.matmul(T, B)
    Y00 = Y[0, 0]
result = tape.gradient(Y00, T)
""",
    ),
    Pitfall(
        "unwatched",
        """with tf.GradientTape() as tape:
    Y = tf.matmul(T, B)  # T is a tf.constant: the tape does not watch it
result = tape.gradient(Y, T)
""",
        """T_var = tf.Variable(T)  # variables are watched automatically (or call tape.watch(T))
with tf.GradientTape() as tape:
    Y = tf.matmul(T_var, B)
result = tape.gradient(Y, T_var)
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
""",
        """T_float = tf.cast(tf.round(T * 10), tf.float32)
B_float = tf.cast(tf.round(B * 10), tf.float32)
with tf.GradientTape() as tape:
    tape.watch(T_float)
    Y = tf.matmul(T_float, B_float)
result = tape.gradient(Y, T_float)
""",
    ),
    Pitfall(
        "seed_shape",
        """G = tf.ones((m + 1, n + 1), dtype=T.dtype)  # Y is m×n
with tf.GradientTape() as tape:
    tape.watch(T)
    Y = tf.matmul(T, B)
result = tape.gradient(Y, T, output_gradients=G)
""",
        """with tf.GradientTape() as tape:
    tape.watch(T)
    Y = tf.matmul(T, B)
G = tf.ones_like(Y)  # the seed must have Y's shape and dtype
result = tape.gradient(Y, T, output_gradients=G)
""",
    ),
    Pitfall(
        "seed_dtype",
        """G = tf.ones((m, n), dtype=tf.float64)  # but Y is float32
with tf.GradientTape() as tape:
    tape.watch(T)
    Y = tf.matmul(T, B)
result = tape.gradient(Y, T, output_gradients=G)
""",
        """G = tf.ones((m, n), dtype=tf.float64)
with tf.GradientTape() as tape:
    tape.watch(T)
    Y = tf.matmul(T, B)
result = tape.gradient(Y, T, output_gradients=tf.cast(G, Y.dtype))
""",
    ),
    Pitfall(
        "unconnected",
        """with tf.GradientTape() as tape:
    Y = tf.matmul(T, B)  # T not watched, as before
result = tape.gradient(Y, T, unconnected_gradients=tf.UnconnectedGradients.ZERO)
""",
        """with tf.GradientTape() as tape:
    tape.watch(T)
    Y = tf.matmul(T, B)
result = tape.gradient(Y, T)
""",
    ),
)


@dataclass(frozen=True)
class Outcome:
    """What running a snippet gave: a value, None, or an error, plus anything TensorFlow logged."""

    kind: Literal["value", "none", "error"]
    text: str  # the printed value, "None", or "ErrorType: message"
    value: np.ndarray | None = None
    log: str = ""


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def wrong_seed_message(T: object, B: object, dtype: str = "float32", lang: str = "en") -> str:
    """What core says for the `seed_shape` pitfall's seed ((m+1)×(n+1)), where TensorFlow is opaque."""
    T, B = check_product(T, B)
    try:
        tf_gradients(T, B, np.ones((T.shape[0] + 1, B.shape[1] + 1)), dtype)
    except InputError as error:
        return error.message_in(lang)
    raise AssertionError("core accepted a seed whose shape is not Y's")  # pragma: no cover


def setup_code(dtype: str) -> str:
    """The lines that define T, B, m and n before every snippet."""
    return SETUP.format(dtype=dtype)


def run(code: str, T: object, B: object, dtype: str = "float32") -> Outcome:
    """Execute `code` after the setup lines, with TensorFlow, and report what happened."""
    T, B = check_product(T, B)
    dtype = check_dtype(dtype)
    check_magnitude(T, B, None, dtype)
    tf = tensorflow()
    namespace: dict[str, object] = {"tf": tf, "T_values": T, "B_values": B}
    collector = _Collect()
    logger = tf.get_logger()
    logger.addHandler(collector)
    try:
        exec(setup_code(dtype) + code, namespace)  # our own snippets, shown verbatim on the page
    except Exception as error:  # the point is to show TensorFlow's own error, whatever it is
        message = str(error).strip().replace("\n", " ")
        return Outcome("error", f"{type(error).__name__}: {message}", log="\n".join(collector.messages))
    finally:
        logger.removeHandler(collector)
    result = namespace.get("result")
    log = "\n".join(collector.messages)
    if result is None:
        return Outcome("none", "None", log=log)
    value = np.asarray(result)
    return Outcome("value", str(value), value=value, log=log)
