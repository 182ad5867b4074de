"""core.codegen: the TensorFlow program shown on the page, run for real, gives the page's numbers.

The generated source is executed in a fresh namespace; its `dT` and `dB` must equal
`core.tf_gradients` bit for bit (same dtype, same TensorFlow ops), and what it prints must show the
digits the learner saw.
"""

from __future__ import annotations

import contextlib
import io

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import core
from core import seeds
from core.codegen import tensorflow_code

DTYPES = ("float32", "float64")


@pytest.fixture(scope="module")
def so():
    return core.preset("so-question")


def run(code: str) -> tuple[dict, str]:
    """Execute the generated program; its namespace and everything it printed.

    TensorFlow is imported the app's way first (core.engine.ONEDNN_ENV), as in the server that
    shows the program: the program's own `import tensorflow` then gets that module.
    """
    core.engine.tensorflow()
    namespace: dict = {}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "<generated>", "exec"), namespace)
    return namespace, out.getvalue()


def assert_same_as_core(T, B, G, dtype):
    namespace, _ = run(tensorflow_code(T, B, G, dtype))
    dT, dB = namespace["dT"].numpy(), namespace["dB"].numpy()
    expected = core.tf_gradients(T, B, G, dtype)
    assert dT.dtype == expected.dT.dtype == np.dtype(dtype)
    assert dB.dtype == expected.dB.dtype == np.dtype(dtype)
    np.testing.assert_array_equal(dT, expected.dT)
    np.testing.assert_array_equal(dB, expected.dB)
    assert dT.tobytes() == expected.dT.tobytes()
    assert dB.tobytes() == expected.dB.tobytes()
    return namespace


# --- the reference case ------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", DTYPES)
def test_reference_default_seed_matches_core(so, dtype):
    assert_same_as_core(so.T, so.B, None, dtype)


@pytest.mark.parametrize("dtype", DTYPES)
def test_reference_one_entry_seed_matches_core(so, dtype):
    namespace = assert_same_as_core(so.T, so.B, seeds.one_entry(5, 3, 0, 0), dtype)
    np.testing.assert_array_equal(namespace["G"].numpy(), seeds.one_entry(5, 3, 0, 0).astype(dtype))


@pytest.mark.parametrize("dtype", DTYPES)
def test_reference_weights_seed_matches_core(so, dtype):
    W = np.arange(15, dtype=np.float64).reshape(5, 3) / 7 - 1
    assert_same_as_core(so.T, so.B, W, dtype)


def test_default_seed_code_has_no_output_gradients_and_no_g(so):
    code = tensorflow_code(so.T, so.B, None)
    statements = [line for line in code.splitlines() if not line.startswith("#")]
    assert not any("output_gradients" in line for line in statements)
    assert "G = " not in code
    assert "dT, dB = tape.gradient(Y, [T, B])\n" in code
    namespace, _ = run(code)
    assert "G" not in namespace


def test_seeded_code_passes_output_gradients(so):
    code = tensorflow_code(so.T, so.B, seeds.one_entry(5, 3, 0, 0))
    assert "dT, dB = tape.gradient(Y, [T, B], output_gradients=G)\n" in code
    assert "G = tf.constant(" in code


@pytest.mark.parametrize("dtype", DTYPES)
def test_code_names_the_dtype(so, dtype):
    code = tensorflow_code(so.T, so.B, np.ones((5, 3)), dtype)
    assert code.count(f"dtype=tf.{dtype})") == 3
    other = "float64" if dtype == "float32" else "float32"
    assert other not in code


def test_default_dtype_is_float32(so):
    assert tensorflow_code(so.T, so.B, None) == tensorflow_code(so.T, so.B, None, "float32")


def test_float32_code_prints_the_reference_digits(so):
    namespace, printed = run(tensorflow_code(so.T, so.B, None, "float32"))
    dT_text, dB_text = printed.split("tf.Tensor(")[1:]
    for digits in ("-0.17307831", "1.1900724", "2.245003"):
        assert dT_text.count(digits) == 5
    assert "shape=(5, 3), dtype=float32" in dT_text
    assert "shape=(3, 3), dtype=float32" in dB_text
    assert printed == str(namespace["dT"]) + "\n" + str(namespace["dB"]) + "\n"


def test_one_entry_code_prints_b_column_0_then_zeros(so):
    _, printed = run(tensorflow_code(so.T, so.B, seeds.one_entry(5, 3, 0, 0), "float32"))
    dT_text = printed.split("tf.Tensor(")[1]
    assert "[0.43842274 1.5658046  1.4204658 ]" in dT_text
    assert dT_text.count("[0.         0.         0.        ]") == 4


def test_code_is_a_complete_program_ending_in_a_newline(so):
    code = tensorflow_code(so.T, so.B, None)
    assert code.startswith("import tensorflow as tf\n")
    assert code.endswith("print(dT)\nprint(dB)\n")
    compile(code, "<generated>", "exec")


# --- exact literals ----------------------------------------------------------------------------

AWKWARD = [0.1 + 0.2, 1e-300, -5e-324, 1 / 3, -2.5e300, 123456789.123456789, -0.0, 1e16, 2.0**-1074]


def test_literals_read_back_exactly_in_float64():
    T = np.array([AWKWARD[:3], AWKWARD[3:6], AWKWARD[6:]])
    B = np.array([[1.0, 0.0], [0.0, 1.0], [1e-300, -1.0]])
    namespace, _ = run(tensorflow_code(T, B, None, "float64"))
    got_T = namespace["T"].numpy()
    assert got_T.dtype == np.float64
    assert got_T.tobytes() == T.tobytes()  # to the last bit, sign of zero included
    assert namespace["B"].numpy().tobytes() == B.tobytes()


def test_literal_text_is_the_shortest_round_trip_repr():
    code = tensorflow_code(np.array([[0.1 + 0.2, 1e-300, 2.0]]), np.array([[1.0], [-0.5], [3.0]]), None, "float64")
    assert "[[0.30000000000000004, 1e-300, 2]]" in code
    assert "[[1],\n                 [-0.5],\n                 [3]]" in code


def test_seed_literal_reads_back_exactly():
    G = np.array([[0.1 + 0.2, -1e-300], [1 / 3, 7.0]])
    namespace, _ = run(tensorflow_code(np.eye(2), np.eye(2), G, "float64"))
    assert namespace["G"].numpy().tobytes() == G.tobytes()


# --- random shapes -----------------------------------------------------------------------------

finite = st.floats(-100, 100, allow_nan=False, allow_infinity=False, allow_subnormal=False)


@st.composite
def problems(draw):
    m, k, n = (draw(st.integers(1, 8)) for _ in range(3))
    T = draw(hnp.arrays(np.float64, (m, k), elements=finite))
    B = draw(hnp.arrays(np.float64, (k, n), elements=finite))
    G = draw(st.none() | hnp.arrays(np.float64, (m, n), elements=finite))
    return T, B, G, draw(st.sampled_from(DTYPES))


@settings(max_examples=12, deadline=None)
@given(problems())
def test_random_problems_match_core_exactly(problem):
    assert_same_as_core(*problem)


@pytest.mark.parametrize("dtype", DTYPES)
def test_negative_zero_keeps_its_sign(dtype):
    """`-0` in Python source is the integer 0; the program must still see -0.0 like the page does."""
    T, B = np.array([[-0.0, 1.0]]), np.array([[-0.0], [-0.0]])
    code = tensorflow_code(T, B, None, dtype)
    assert "[[-0.0, 1]]" in code
    namespace = assert_same_as_core(T, B, None, dtype)
    assert np.signbit(namespace["T"].numpy()[0, 0])
    assert np.signbit(namespace["B"].numpy()).all()
