"""core.explain: the agreement check, worked sums, the all-ones sentence and the precision table.

The agreement check must pass for TensorFlow's own results and fail loudly for a result that is
off by more than float tolerance. Worked sums are compared as text, character for character, and
as numbers against the analytic gradient.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import core
from core import explain, seeds
from core.engine import Gradients
from core.strings import text

MINUS = "\N{MINUS SIGN}"


@pytest.fixture(scope="module")
def so():
    return core.preset("so-question")


def three_ways(T, B, G, dtype):
    tf = core.tf_gradients(T, B, G, dtype)
    return tf, core.analytic_gradients(T, B, G), core.numeric_gradients(T, B, G)


# --- fmt ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("x", "digits", "expected"),
    [
        (1.0, 8, "1"),
        (0.0, 8, "0"),
        (-0.0, 8, "0"),
        (-0.17307832000000006, 8, MINUS + "0.17307832"),
        (1.1900724999999999, 8, "1.1900725"),
        (2.24500296, 8, "2.245003"),
        (1.23456789012, 8, "1.2345679"),
        (1.23456789012, 3, "1.23"),
        (-2.5, 2, MINUS + "2.5"),
        (123456789.0, 8, "1.2345679e+08"),
        (1e-5, 8, f"1e{MINUS}05"),
        (-1e-9, 8, f"{MINUS}1e{MINUS}09"),
        (np.float32(-0.17307831), 8, MINUS + "0.17307831"),
        (3, 8, "3"),
    ],
)
def test_fmt(x, digits, expected):
    assert explain.fmt(x, digits) == expected


def test_fmt_never_uses_an_ascii_hyphen():
    for x in (-1.0, -1e-300, -1e300, -0.5, -123.456):
        assert "-" not in explain.fmt(x)
        assert explain.fmt(x).startswith(MINUS)


# --- agreement ----------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_agreement_reference_case(so, dtype):
    G = np.ones((5, 3))
    a = explain.agreement(so.T, so.B, G, *three_ways(so.T, so.B, None, dtype), dtype)
    assert a.ok
    assert 0 <= a.tf_vs_analytic <= a.tf_tolerance
    assert 0 <= a.numeric_vs_analytic <= a.numeric_tolerance
    if dtype == "float32":
        assert a.tf_vs_analytic > 0  # float32 really does round: −0.17307831 against −0.17307832
    assert a.tf_tolerance < 1e-4
    assert a.numeric_tolerance < 1e-5


def floats(limit):
    return st.floats(-limit, limit, allow_nan=False, allow_infinity=False)


@st.composite
def problems(draw, limit=1.0):
    m, k, n = (draw(st.integers(1, 8)) for _ in range(3))
    T = draw(hnp.arrays(np.float64, (m, k), elements=floats(limit)))
    B = draw(hnp.arrays(np.float64, (k, n), elements=floats(limit)))
    G = draw(
        st.sampled_from(
            [
                seeds.ones(m, n),
                seeds.one_entry(m, n, m - 1, 0),
                seeds.row(m, n, 0),
                seeds.column(m, n, n - 1),
                seeds.reduce_mean_seed(m, n),
            ]
        )
        | hnp.arrays(np.float64, (m, n), elements=floats(limit))
    )
    return T, B, G, draw(st.sampled_from(["float32", "float64"]))


@settings(max_examples=20, deadline=None)
@given(problems(limit=1e30))
def test_agreement_ok_for_random_problems_with_large_and_tiny_numbers(problem):
    T, B, G, dtype = problem
    try:
        results = three_ways(T, B, G, dtype)
    except core.InputError as e:  # numbers whose products overflow the dtype are refused up front
        assert e.key == "err.overflow"
        return
    a = explain.agreement(T, B, G, *results, dtype)
    assert a.ok, a


@pytest.mark.parametrize(
    ("T", "B", "G"),
    [
        ([[1.0]], [[1e-50]], [[1.0]]),  # B underflows to 0 in float32
        ([[1e30]], [[1e-50]], [[1.0]]),  # … beside a large factor
        ([[0.0]], [[1.0]], [[3.3e-59]]),  # the seed underflows
        ([[1e-30, 1.0]], [[1e-20], [1.0]], [[1.0]]),  # a product below float32's smallest normal
    ],
)
def test_agreement_ok_when_float32_underflows(T, B, G):
    """TensorFlow's float32 is right about 1e-50 (it is 0 there); that is rounding, not a bug."""
    T, B, G = np.array(T), np.array(B), np.array(G)
    tf, analytic, numeric = three_ways(T, B, G, "float32")
    a = explain.agreement(T, B, G, tf, analytic, numeric, "float32")
    assert a.ok, a
    wrong = Gradients(tf.y, tf.dT + np.float32(1e-3 + 10 * a.tf_tolerance), tf.dB)
    assert not explain.agreement(T, B, G, wrong, analytic, numeric, "float32").ok


def test_agreement_ok_for_a_large_product_beside_small_entries():
    """A 1.8e13 loss beside small entries: finite differences stay within the rounding tolerance."""
    T, B, G = np.array([[1173088.0]]), np.array([[1.4996476e7, 1.0]]), np.ones((1, 2))
    tf, analytic, numeric = three_ways(T, B, G, "float32")
    a = explain.agreement(T, B, G, tf, analytic, numeric, "float32")
    assert a.ok, a
    wrong = Gradients(numeric.y, numeric.dT, numeric.dB + np.array([[1e3, 0.0]]))
    assert not explain.agreement(T, B, G, tf, analytic, wrong, "float32").ok


@pytest.mark.filterwarnings("ignore:overflow encountered:RuntimeWarning")
def test_agreement_when_the_loss_itself_would_overflow_float64():
    """Each product (1e300) fits float64, but L = G·T·B = 1e450 does not: refuse, or still agree."""
    T = B = G = np.array([[1e150]])
    try:
        result = core.compute(T, B, G, False, "float64")
    except core.InputError:
        return
    assert np.isfinite(result.numeric.dT).all()
    assert result.agreement.ok, result.agreement


@settings(max_examples=25, deadline=None)
@given(problems())
def test_agreement_ok_for_random_problems_and_not_ok_when_perturbed(problem):
    T, B, G, dtype = problem
    tf, analytic, numeric = three_ways(T, B, G, dtype)
    good = explain.agreement(T, B, G, tf, analytic, numeric, dtype)
    assert good.ok, good
    # tolerances are far below 1e-3 for numbers up to 1 on an 8×8 problem
    assert good.tf_tolerance < 1e-4
    assert good.numeric_tolerance < 1e-5

    bad_tf = Gradients(y=tf.y, dT=tf.dT + np.asarray(1e-3, dtype=tf.dT.dtype), dB=tf.dB)
    a = explain.agreement(T, B, G, bad_tf, analytic, numeric, dtype)
    assert not a.ok
    assert a.tf_vs_analytic > a.tf_tolerance
    assert a.tf_vs_analytic == pytest.approx(1e-3, abs=good.tf_vs_analytic + 1e-6)
    assert a.numeric_vs_analytic == good.numeric_vs_analytic

    bad_tf_dB = Gradients(y=tf.y, dT=tf.dT, dB=tf.dB - np.asarray(1e-3, dtype=tf.dB.dtype))
    assert not explain.agreement(T, B, G, bad_tf_dB, analytic, numeric, dtype).ok

    bad_numeric = Gradients(y=numeric.y, dT=numeric.dT, dB=numeric.dB + 1e-3)
    a = explain.agreement(T, B, G, tf, analytic, bad_numeric, dtype)
    assert not a.ok
    assert a.numeric_vs_analytic > a.numeric_tolerance
    assert a.tf_vs_analytic == good.tf_vs_analytic


def test_agreement_one_wrong_entry_is_enough(so):
    G = np.ones((5, 3))
    tf, analytic, numeric = three_ways(so.T, so.B, None, "float32")
    dT = tf.dT.copy()
    dT[4, 2] += np.float32(1e-3)
    assert not explain.agreement(so.T, so.B, G, Gradients(tf.y, dT, tf.dB), analytic, numeric, "float32").ok


def test_agreement_all_zero_seed_is_ok_with_a_positive_tolerance():
    T, B, G = np.ones((2, 2)), np.ones((2, 2)), np.zeros((2, 2))
    a = explain.agreement(T, B, G, *three_ways(T, B, G, "float32"), "float32")
    assert a.ok
    assert a.tf_vs_analytic == 0 and a.numeric_vs_analytic == 0
    assert a.tf_tolerance > 0


# --- worked sums --------------------------------------------------------------------------------


def test_worked_sum_dT_reference_case(so):
    G = np.ones((5, 3))
    w = explain.worked_sum(so.T, so.B, G, "T", 0, 1)
    assert w.entry == "dL/dT[0,1]"
    assert w.symbols == "G[0,0]·B[1,0] + G[0,1]·B[1,1] + G[0,2]·B[1,2]"
    assert w.numbers == f"1·1.5658046 + 1·({MINUS}0.1012345) + 1·({MINUS}0.2744976)"
    assert w.value == core.analytic_gradients(so.T, so.B).dT[0, 1]
    assert explain.fmt(w.value) == "1.1900725"
    assert w.cells_G == ((0, 0), (0, 1), (0, 2))
    assert w.cells_other == ((1, 0), (1, 1), (1, 2))


def test_worked_sum_dT_one_entry_seed(so):
    G = seeds.one_entry(5, 3, 0, 0)
    w = explain.worked_sum(so.T, so.B, G, "T", 0, 2)
    assert w.numbers == f"1·1.4204658 + 0·1.2609464 + 0·({MINUS}0.43640924)"
    assert w.value == 1.4204658
    w = explain.worked_sum(so.T, so.B, G, "T", 3, 2)
    assert w.symbols == "G[3,0]·B[2,0] + G[3,1]·B[2,1] + G[3,2]·B[2,2]"
    assert w.value == 0
    assert w.cells_G == ((3, 0), (3, 1), (3, 2))


def test_worked_sum_dB_reference_case(so):
    G = np.ones((5, 3))
    w = explain.worked_sum(so.T, so.B, G, "B", 1, 2)
    assert w.entry == "dL/dB[1,2]"
    assert w.symbols == "T[0,1]·G[0,2] + T[1,1]·G[1,2] + T[2,1]·G[2,2] + T[3,1]·G[3,2] + T[4,1]·G[4,2]"
    assert w.numbers == "0.4719·1 + 0.6548·1 + 0.9173·1 + 0.3875·1 + 0.2637·1"
    assert w.value == pytest.approx(2.6952, abs=1e-15)
    assert w.value == pytest.approx(core.analytic_gradients(so.T, so.B).dB[1, 2], rel=1e-15)
    assert w.cells_G == ((0, 2), (1, 2), (2, 2), (3, 2), (4, 2))
    assert w.cells_other == ((0, 1), (1, 1), (2, 1), (3, 1), (4, 1))


def test_worked_sum_negative_numbers_get_parentheses_and_a_real_minus():
    T = np.array([[-1.5, 2.0], [0.25, -0.0]])
    B = np.array([[3.0], [-4.0]])
    G = np.array([[-2.0], [1e-5]])
    w = explain.worked_sum(T, B, G, "B", 0, 0)
    assert w.symbols == "T[0,0]·G[0,0] + T[1,0]·G[1,0]"
    assert w.numbers == f"({MINUS}1.5)·({MINUS}2) + 0.25·1e{MINUS}05"
    assert w.value == pytest.approx(3.0000025, rel=1e-15)
    w = explain.worked_sum(T, B, G, "B", 1, 0)
    assert w.numbers == f"2·({MINUS}2) + 0·1e{MINUS}05"  # −0.0 is written 0, without parentheses
    w = explain.worked_sum(T, B, G, "T", 0, 1)
    assert w.symbols == "G[0,0]·B[1,0]"
    assert w.numbers == f"({MINUS}2)·({MINUS}4)"
    assert w.value == 8
    assert "-" not in w.numbers


def test_worked_sum_1x1():
    w = explain.worked_sum(np.array([[3.0]]), np.array([[-2.0]]), np.array([[0.5]]), "T", 0, 0)
    assert (w.entry, w.symbols, w.numbers, w.value) == ("dL/dT[0,0]", "G[0,0]·B[0,0]", f"0.5·({MINUS}2)", -1.0)
    assert w.cells_G == ((0, 0),) and w.cells_other == ((0, 0),)


@st.composite
def worked_cases(draw):
    T, B, G, _ = draw(problems())
    m, k, n = T.shape[0], T.shape[1], B.shape[1]
    wrt = draw(st.sampled_from("TB"))
    rows, cols = (m, k) if wrt == "T" else (k, n)
    return T, B, G, wrt, draw(st.integers(0, rows - 1)), draw(st.integers(0, cols - 1))


@settings(max_examples=40, deadline=None)
@given(worked_cases())
def test_worked_sum_random_entries(case):
    T, B, G, wrt, i, j = case
    w = explain.worked_sum(T, B, G, wrt, i, j)
    analytic = core.analytic_gradients(T, B, G)
    expected = (analytic.dT if wrt == "T" else analytic.dB)[i, j]
    assert w.value == pytest.approx(expected, rel=1e-12, abs=1e-12)
    assert w.entry == f"dL/d{wrt}[{i},{j}]"
    other = B if wrt == "T" else T
    terms = B.shape[1] if wrt == "T" else T.shape[0]
    assert len(w.cells_G) == len(w.cells_other) == terms
    assert w.symbols.count(" + ") == w.numbers.count(" + ") == terms - 1
    # the cells are the ones the symbols name, in the same order
    symbol_terms = w.symbols.split(" + ")
    for term, g, o in zip(symbol_terms, w.cells_G, w.cells_other, strict=True):
        g_text, o_text = f"G[{g[0]},{g[1]}]", f"{'B' if wrt == 'T' else 'T'}[{o[0]},{o[1]}]"
        assert term == (f"{g_text}·{o_text}" if wrt == "T" else f"{o_text}·{g_text}")
    if wrt == "T":
        assert all(c == (i, p) for p, c in enumerate(w.cells_G))
        assert all(c == (j, p) for p, c in enumerate(w.cells_other))
    else:
        assert all(c == (a, j) for a, c in enumerate(w.cells_G))
        assert all(c == (a, i) for a, c in enumerate(w.cells_other))
    by_cells = math.fsum(G[g] * other[o] for g, o in zip(w.cells_G, w.cells_other, strict=True))
    assert by_cells == pytest.approx(w.value, rel=1e-12, abs=1e-12)
    assert "-" not in w.numbers


# --- the all-ones sentence ----------------------------------------------------------------------


def test_all_ones_sentence_reference_case(so):
    sentence = explain.all_ones_sentence(so.B)
    assert f"[{MINUS}0.17307832, 1.1900725, 2.245003]" in sentence
    assert sentence == text("explain.all_ones", sums=f"{MINUS}0.17307832, 1.1900725, 2.245003")
    assert "tape.gradient(Y, T)" in sentence
    assert "{" not in sentence


def test_all_ones_sentence_unknown_language_falls_back_to_english(so):
    assert explain.all_ones_sentence(so.B, "xx") == explain.all_ones_sentence(so.B)


def test_all_ones_sentence_one_row():
    assert "[6]" in explain.all_ones_sentence(np.array([[1.0, 2.0, 3.0]]))


# --- precision rows -----------------------------------------------------------------------------


def test_precision_rows_reference_case(so):
    G = np.ones((5, 3))
    rows = explain.precision_rows(so.T, so.B, G, core.tf_gradients(so.T, so.B).dT)
    assert [r.entry for r in rows] == ["dL/dT[0,0]", "dL/dT[0,1]", "dL/dT[0,2]"]
    assert [r.float32 for r in rows] == ["-0.17307831", "1.1900724", "2.245003"]
    # float64 with 17 significant digits: the float noise of the sum is shown as is
    assert rows[0].float64 == "-0.17307832000000006"
    assert rows[1].float64.startswith(("1.1900724999999", "1.1900725"))
    assert rows[2].float64.startswith(("2.245002959999", "2.24500296"))
    row_sums = [math.fsum(r) for r in so.B.tolist()]
    for r, exact in zip(rows, row_sums, strict=True):
        assert float(r.float64) == pytest.approx(exact, abs=1e-15)  # within 2 ulp of the exact sum
        assert np.float32(r.float32_exact) == np.float32(r.float32)  # the same float32, all digits
        assert float(r.float32_exact) == float(np.float32(r.float32))
        difference = float(r.difference)
        assert r.difference == f"{difference:.2e}"
        assert difference != 0
        assert abs(difference) < 1e-7
        assert difference == pytest.approx(float(r.float32_exact) - float(r.float64), rel=1e-2)
    assert rows[0].float32_exact.startswith("-0.1730783")
    assert rows[0].float32_exact != rows[0].float64


def test_precision_rows_in_float64_difference_is_zero_or_tiny(so):
    G = np.ones((5, 3))
    rows = explain.precision_rows(so.T, so.B, G, core.tf_gradients(so.T, so.B, None, "float64").dT)
    for r in rows:
        assert abs(float(r.difference)) < 1e-15


def test_precision_rows_use_row_0_of_the_seed(so):
    G = seeds.one_entry(5, 3, 0, 0)
    rows = explain.precision_rows(so.T, so.B, G, core.tf_gradients(so.T, so.B, G).dT)
    assert [r.float32 for r in rows] == ["0.43842274", "1.5658046", "1.4204658"]
    assert [float(r.float64) for r in rows] == [0.43842274, 1.5658046, 1.4204658]
    G = seeds.one_entry(5, 3, 1, 0)
    rows = explain.precision_rows(so.T, so.B, G, core.tf_gradients(so.T, so.B, G).dT)
    assert [r.float32 for r in rows] == ["0.0", "0.0", "0.0"]
    assert [r.float64 for r in rows] == ["0", "0", "0"]
    assert [float(r.difference) for r in rows] == [0, 0, 0]
