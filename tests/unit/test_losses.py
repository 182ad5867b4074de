"""core.losses: a scalar loss on Y, the seed dL/dY it produces, and the same gradients either way.

For each loss TensorFlow differentiates the real L(Y); `tape.gradient(Y, …, output_gradients=seed)`
with the formula's seed must give the same dL/dT and dL/dB. The reference case with reduce_mean is
the learner's question scaled: every row of dL/dT is B's row sums divided by 15.
"""

from __future__ import annotations

import ast
import contextlib
import io
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import core
from core import losses
from core.codegen import loss_code
from core.explain import fmt
from core.textforms import parse_cell, parse_choice

SO = core.preset("so-question")
T, B = SO.T, SO.B
Y = T @ B
TARGET = np.arange(15, dtype=np.float64).reshape(5, 3) / 10 - 0.3
ROW_SUMS = B.sum(axis=1)  # [-0.17307832, 1.19007246, 2.24500296] in float64


def result(loss: str, dtype: str = "float32", entry=(1, 2)) -> losses.LossResult:
    return losses.loss_gradients(T, B, loss, TARGET if loss == "sq-error" else None, entry, dtype)


def expected_seed(loss: str, entry=(1, 2)) -> np.ndarray:
    """dL/dY written out by hand for the reference case."""
    if loss == "sum":
        return np.ones((5, 3))
    if loss == "mean":
        return np.full((5, 3), 1 / 15)
    if loss == "sq-error":
        return 2 * (Y - TARGET) / 15
    G = np.zeros((5, 3))
    G[entry] = 1
    return G


def expected_L(loss: str, entry=(1, 2)) -> float:
    if loss == "sum":
        return float(Y.sum())
    if loss == "mean":
        return float(Y.mean())
    if loss == "sq-error":
        return float(np.mean((Y - TARGET) ** 2))
    return float(Y[entry])


# --- every loss: the real loss and its seed agree -------------------------------------------------


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("loss", losses.LOSSES)
def test_gradient_of_the_loss_equals_gradient_with_its_seed(loss, dtype):
    r = result(loss, dtype)
    assert r.loss == loss
    tolerance = 1e-6 if dtype == "float32" else 1e-14
    for got in (r.from_loss.dT, r.from_loss.dB, r.from_seed.dT, r.from_seed.dB):
        assert got.dtype == np.dtype(dtype)
    assert r.from_loss.dT.shape == r.from_seed.dT.shape == (5, 3)
    assert r.from_loss.dB.shape == r.from_seed.dB.shape == (3, 3)
    np.testing.assert_allclose(r.from_loss.dT, r.from_seed.dT, rtol=tolerance, atol=tolerance)
    np.testing.assert_allclose(r.from_loss.dB, r.from_seed.dB, rtol=tolerance, atol=tolerance)
    biggest = max(np.max(np.abs(r.from_loss.dT - r.from_seed.dT)), np.max(np.abs(r.from_loss.dB - r.from_seed.dB)))
    assert r.largest_difference == pytest.approx(float(biggest), abs=0)
    assert r.largest_difference <= 4 * tolerance
    # Both equal the analytic gradient for the hand-written seed.
    G = expected_seed(loss)
    np.testing.assert_allclose(r.from_loss.dT, G @ B.T, rtol=10 * tolerance, atol=10 * tolerance)
    np.testing.assert_allclose(r.from_loss.dB, T.T @ G, rtol=10 * tolerance, atol=10 * tolerance)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("loss", losses.LOSSES)
def test_tensorflows_seed_equals_the_formulas_seed(loss, dtype):
    r = result(loss, dtype)
    assert r.seed_tf.shape == r.seed_formula.shape == (5, 3)
    assert r.seed_tf.dtype == np.dtype(dtype)
    np.testing.assert_array_equal(r.seed_formula, expected_seed(loss))
    tolerance = 1e-6 if dtype == "float32" else 1e-14
    np.testing.assert_allclose(r.seed_tf, r.seed_formula, rtol=tolerance, atol=tolerance)


@pytest.mark.parametrize("loss", losses.LOSSES)
def test_loss_value(loss):
    assert float(result(loss, "float64").L) == pytest.approx(expected_L(loss), rel=1e-14, abs=1e-14)
    assert float(result(loss, "float32").L) == pytest.approx(expected_L(loss), rel=1e-6, abs=1e-6)


# --- the named seeds ---------------------------------------------------------------------------


def test_sum_seed_is_all_ones_and_gives_b_row_sums():
    r = result("sum")
    np.testing.assert_array_equal(r.seed_tf, np.ones((5, 3), dtype=np.float32))
    np.testing.assert_array_equal(r.from_loss.dT, np.tile(np.float32([-0.17307831, 1.1900724, 2.245003]), (5, 1)))
    # reduce_sum is exactly TensorFlow's default: no output_gradients at all.
    np.testing.assert_array_equal(r.from_loss.dT, core.tf_gradients(T, B).dT)


def test_reference_mean_rows_are_b_row_sums_over_15():
    r = result("mean")
    assert float(r.L) == pytest.approx(float(Y.mean()), rel=1e-6)
    np.testing.assert_allclose(r.seed_tf, np.full((5, 3), 1 / 15), rtol=1e-7)
    for i in range(5):
        np.testing.assert_allclose(r.from_loss.dT[i], ROW_SUMS / 15, rtol=2e-6, atol=1e-8)
        np.testing.assert_allclose(r.from_seed.dT[i], ROW_SUMS / 15, rtol=2e-6, atol=1e-8)
    # dL/dB: every column is T's column sums over 15.
    for p in range(3):
        np.testing.assert_allclose(r.from_loss.dB[:, p], T.sum(axis=0) / 15, rtol=2e-6)
    # The numbers the page writes in its sentence.
    assert [fmt(v) for v in ROW_SUMS / 15] == ["−0.011538555", "0.079338167", "0.14966686"]


def test_sq_error_seed_with_a_target():
    r = result("sq-error", "float64")
    np.testing.assert_allclose(r.seed_tf, 2 * (Y - TARGET) / 15, rtol=1e-14, atol=1e-15)
    np.testing.assert_allclose(r.from_loss.dT, (2 * (Y - TARGET) / 15) @ B.T, rtol=1e-13, atol=1e-15)
    assert float(r.L) == pytest.approx(float(np.mean((Y - TARGET) ** 2)), rel=1e-14)


def test_sq_error_against_y_itself_has_zero_seed_and_zero_gradients():
    r = losses.loss_gradients(T, B, "sq-error", Y, dtype="float64")
    assert float(r.L) == pytest.approx(0, abs=1e-28)
    np.testing.assert_allclose(r.seed_tf, 0, atol=1e-15)
    np.testing.assert_allclose(r.from_loss.dT, 0, atol=1e-15)


def test_sq_error_without_target_is_against_zeros():
    r = losses.loss_gradients(T, B, "sq-error", None, dtype="float64")
    np.testing.assert_allclose(r.seed_formula, 2 * Y / 15, rtol=1e-15)
    assert float(r.L) == pytest.approx(float(np.mean(Y**2)), rel=1e-14)


@pytest.mark.parametrize("entry", [(0, 0), (1, 2), (4, 1)])
def test_entry_seed_is_one_hot_and_picks_a_column_of_b(entry):
    r = result("entry", entry=entry)
    a, b = entry
    one_hot = np.zeros((5, 3))
    one_hot[a, b] = 1
    np.testing.assert_array_equal(r.seed_formula, one_hot)
    np.testing.assert_array_equal(r.seed_tf, one_hot.astype(np.float32))
    np.testing.assert_array_equal(r.from_loss.dT[a], B[:, b].astype(np.float32))
    assert not np.any(np.delete(r.from_loss.dT, a, axis=0))
    assert float(r.L) == pytest.approx(float(Y[a, b]), rel=1e-6)


def test_reference_entry_00_is_the_learners_second_printout():
    r = result("entry", entry=(0, 0))
    np.testing.assert_array_equal(r.from_loss.dT[0], np.float32([0.43842274, 1.5658046, 1.4204658]))
    np.testing.assert_array_equal(r.from_loss.dT[1:], np.zeros((4, 3), dtype=np.float32))


values = st.floats(-4, 4, allow_nan=False, width=32)


@st.composite
def problems(draw):
    m, k, n = draw(st.tuples(st.integers(1, 4), st.integers(1, 4), st.integers(1, 4)))
    T_ = draw(hnp.arrays(np.float64, (m, k), elements=values))
    B_ = draw(hnp.arrays(np.float64, (k, n), elements=values))
    target = draw(hnp.arrays(np.float64, (m, n), elements=values))
    entry = (draw(st.integers(0, m - 1)), draw(st.integers(0, n - 1)))
    return T_, B_, target, entry


@settings(max_examples=6, deadline=None)
@given(problems(), st.sampled_from(losses.LOSSES))
def test_random_shapes_loss_and_seed_agree_in_float64(problem, loss):
    T_, B_, target, entry = problem
    r = losses.loss_gradients(T_, B_, loss, target, entry, "float64")
    scale = 1 + np.max(np.abs(T_)) * np.max(np.abs(B_)) + np.max(np.abs(target))
    np.testing.assert_allclose(r.seed_tf, r.seed_formula, rtol=1e-12, atol=1e-12 * scale)
    np.testing.assert_allclose(r.from_loss.dT, r.from_seed.dT, rtol=1e-12, atol=1e-12 * scale**2)
    np.testing.assert_allclose(r.from_loss.dB, r.from_seed.dB, rtol=1e-12, atol=1e-12 * scale**2)


# --- bad input ---------------------------------------------------------------------------------


def test_unknown_loss_name_lists_the_losses():
    with pytest.raises(core.InputError) as caught:
        losses.check_loss("foo")
    assert caught.value.key == "err.loss_unknown"
    assert caught.value.message == "There is no loss called “foo”. The losses are: sum, mean, sq-error, entry."
    with pytest.raises(core.InputError, match="There is no loss called “Mean”"):
        losses.loss_gradients(T, B, "Mean")
    assert losses.check_loss("sq-error") == "sq-error"


def test_a_huge_loss_name_is_clipped_in_the_message():
    with pytest.raises(core.InputError) as caught:
        losses.check_loss("x" * 5000)
    assert len(caught.value.message) < 120
    assert "…" in caught.value.message


@pytest.mark.parametrize(("entry", "i", "j"), [((5, 0), 5, 0), ((0, 3), 0, 3), ((9, 9), 9, 9), ((-1, 0), -1, 0)])
def test_entry_outside_y_is_refused(entry, i, j):
    with pytest.raises(core.InputError) as caught:
        losses.loss_gradients(T, B, "entry", entry=entry)
    assert caught.value.key == "err.entry_out_of_range"
    assert caught.value.message == (f"The seed picks Y[{i},{j}], but Y is 5×3: rows run 0 to 4 and columns 0 to 2.")


def test_target_of_the_wrong_shape_is_refused():
    with pytest.raises(core.InputError) as caught:
        losses.loss_gradients(T, B, "sq-error", np.zeros((3, 5)))
    assert caught.value.key == "err.target_shape"
    assert caught.value.message == "The target is 3×5 but Y is 5×3: it needs Y's shape."


def test_target_with_a_bad_cell_names_the_cell():
    bad = np.zeros((5, 3)).tolist()
    bad[2][1] = "abc"
    with pytest.raises(core.InputError, match=r"target\[2,1\] is “abc”, which is not a number"):
        losses.loss_gradients(T, B, "sq-error", bad)
    bad[2][1] = float("nan")
    with pytest.raises(core.InputError, match=r"target\[2,1\] is NaN"):
        losses.loss_gradients(T, B, "sq-error", bad)


def test_other_bad_input_is_an_input_error_not_a_tensorflow_error():
    with pytest.raises(core.InputError, match="must equal B's number of rows"):
        losses.loss_gradients(np.ones((2, 3)), np.ones((2, 2)), "mean")
    with pytest.raises(core.InputError, match="float32 or float64"):
        losses.loss_gradients(T, B, "mean", dtype="int32")
    with pytest.raises(core.InputError, match="too large for float32"):
        losses.loss_gradients(T * 1e20, B * 1e20, "sum")


# --- the generated code ----------------------------------------------------------------------


def run_code(code: str) -> dict:
    namespace: dict = {}
    with contextlib.redirect_stdout(io.StringIO()):
        exec(compile(code, "<loss_code>", "exec"), namespace)
    return namespace


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("loss", losses.LOSSES)
def test_loss_code_reproduces_the_gradients_of_the_loss(loss, dtype):
    target = TARGET if loss == "sq-error" else None
    r = losses.loss_gradients(T, B, loss, target, (3, 1), dtype)
    code = loss_code(T, B, loss, target, (3, 1), dtype)
    assert f"dtype=tf.{dtype}" in code
    namespace = run_code(code)
    for name, expected in (("dT", r.from_loss.dT), ("dB", r.from_loss.dB), ("seed", r.seed_tf)):
        got = namespace[name].numpy()
        assert got.dtype == expected.dtype == np.dtype(dtype)
        np.testing.assert_array_equal(got, expected)
    assert float(namespace["L"].numpy()) == r.L


def test_loss_code_names_the_loss_it_differentiates():
    assert "L = tf.reduce_mean(Y)" in loss_code(T, B, "mean")
    assert "L = tf.reduce_sum(Y)" in loss_code(T, B, "sum")
    assert "L = Y[4, 2]" in loss_code(T, B, "entry", entry=(4, 2))
    code = loss_code(T, B, "sq-error", TARGET)
    assert "L = tf.reduce_mean(tf.square(Y - target))" in code
    literal = re.search(r"^target = tf\.constant\((\[\[.*?\]\]), dtype=tf\.float32\)$", code, re.DOTALL | re.MULTILINE)
    assert literal is not None
    assert ast.literal_eval(literal.group(1)) == TARGET.tolist()  # exact: the code holds every bit


# --- the text forms of a page's own parameters --------------------------------------------------


@pytest.mark.parametrize(("text", "cell"), [("0,0", (0, 0)), ("1,2", (1, 2)), (" 4 , 2 ", (4, 2)), ("04,0", (4, 0))])
def test_parse_cell_reads_a_cell_of_y(text, cell):
    assert parse_cell(text, 5, 3) == cell


@pytest.mark.parametrize(
    ("text", "key", "message"),
    [
        ("5,0", "err.cell_out_of_range", "Y[5,0] is outside Y, which is 5×3: rows run 0 to 4 and columns 0 to 2."),
        ("0,3", "err.cell_out_of_range", "Y[0,3] is outside Y, which is 5×3: rows run 0 to 4 and columns 0 to 2."),
        ("1", "err.cell_malformed", None),
        ("1,2,3", "err.cell_malformed", None),
        ("", "err.cell_malformed", None),
        ("a,b", "err.cell_malformed", None),
        ("-1,0", "err.cell_malformed", None),
        ("1.5,0", "err.cell_malformed", None),
    ],
)
def test_parse_cell_refuses_bad_cells(text, key, message):
    with pytest.raises(core.InputError) as caught:
        parse_cell(text, 5, 3)
    assert caught.value.key == key
    assert caught.value.message
    if message is not None:
        assert caught.value.message == message


def test_parse_cell_refuses_huge_text_before_parsing():
    with pytest.raises(core.InputError) as caught:
        parse_cell("1," * 3000, 5, 3)
    assert caught.value.key == "err.text_too_long"


def test_parse_choice_accepts_exactly_the_choices():
    assert parse_choice("T", ("T", "B")) == "T"
    assert parse_choice("B", ("T", "B")) == "B"
    assert parse_choice(" B ", ("T", "B")) == "B"


@pytest.mark.parametrize("text", ["Z", "t", "", "TB", "T,B"])
def test_parse_choice_refuses_anything_else(text):
    with pytest.raises(core.InputError) as caught:
        parse_choice(text, ("T", "B"))
    assert caught.value.key == "err.choice"
    assert caught.value.message == f"“{text}” is not one of the choices: T, B."
