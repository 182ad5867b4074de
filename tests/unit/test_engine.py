"""core.engine: TensorFlow's gradients of Y = T @ B against the formula and finite differences.

The reference case is the learner's own 5×3 @ 3×3 example (docs/math.md), checked to the digit
TensorFlow prints in float32. Random cases compare the three independent ways of computing the
gradient, the full Jacobians and their contraction with the seed.
"""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import core
from tests.helpers.paths import ROOT

# --- the reference case ------------------------------------------------------------------------

ROW_SUMS_F32 = np.array([-0.17307831, 1.1900724, 2.245003], dtype=np.float32)
ROW_SUMS_DIGITS = ("-0.17307831", "1.1900724", "2.245003")
B_COLUMN_0_F32 = np.array([0.43842274, 1.5658046, 1.4204658], dtype=np.float32)
B_COLUMN_0_DIGITS = ("0.43842274", "1.5658046", "1.4204658")
WRONG_GUESS = 3.424693  # the learner's dY[0,0]/dT "summed": the sum of B's first column


@pytest.fixture(scope="module")
def so():
    return core.preset("so-question")


def test_reference_all_ones_seed_gives_five_identical_rows_of_b_row_sums(so):
    g = core.tf_gradients(so.T, so.B)
    assert g.dT.dtype == np.float32
    assert g.dT.shape == (5, 3)
    for i in range(5):
        np.testing.assert_array_equal(g.dT[i], ROW_SUMS_F32)
        assert g.dT[i].tolist() == ROW_SUMS_F32.tolist()


def test_reference_float32_row_prints_the_digits_tensorflow_prints(so):
    row = core.tf_gradients(so.T, so.B).dT[0]
    assert [str(x) for x in row] == list(ROW_SUMS_DIGITS)
    for digits in ROW_SUMS_DIGITS:
        assert digits in str(row)
        assert digits in repr(row)


def test_reference_seed_on_y00_gives_b_column_0_then_zeros(so):
    g = core.tf_gradients(so.T, so.B, core.seeds.one_entry(5, 3, 0, 0))
    assert g.dT.dtype == np.float32
    np.testing.assert_array_equal(g.dT[0], B_COLUMN_0_F32)
    assert [str(x) for x in g.dT[0]] == list(B_COLUMN_0_DIGITS)
    for digits in B_COLUMN_0_DIGITS:
        assert digits in str(g.dT[0])
    np.testing.assert_array_equal(g.dT[1:], np.zeros((4, 3), dtype=np.float32))
    assert not np.any(g.dT[1:])


def test_reference_analytic_row_sums_in_float64(so):
    a = core.analytic_gradients(so.T, so.B)
    assert a.dT.dtype == np.float64
    expected = so.B.sum(axis=1)
    for i in range(5):
        np.testing.assert_allclose(a.dT[i], expected, rtol=0, atol=1e-15)
    assert round(float(a.dT[0, 0]), 8) == -0.17307832
    assert round(float(a.dT[0, 1]), 7) == 1.1900725
    assert round(float(a.dT[0, 2]), 8) == 2.24500296
    np.testing.assert_allclose(a.dT.astype(np.float32), core.tf_gradients(so.T, so.B).dT, rtol=0, atol=2e-7)


def test_reference_learners_wrong_guess_appears_nowhere_in_the_gradient(so):
    # It is what one gets by adding up the non-zero row of the Y[0,0] gradient ...
    g00 = core.tf_gradients(so.T, so.B, core.seeds.one_entry(5, 3, 0, 0))
    assert float(g00.dT[0].sum()) == pytest.approx(WRONG_GUESS, abs=1e-6)
    assert float(so.B[:, 0].sum()) == pytest.approx(WRONG_GUESS, abs=1e-6)
    # ... but it is not an entry of any gradient the learner asked for.
    for seed in (None, core.seeds.one_entry(5, 3, 0, 0)):
        for dtype in ("float32", "float64"):
            g = core.tf_gradients(so.T, so.B, seed, dtype)
            for grad in (g.dT, g.dB):
                assert np.all(np.abs(grad.astype(np.float64) - WRONG_GUESS) > 1e-4)


def test_reference_float64_dtype_gives_float64_arrays_matching_the_formula(so):
    g = core.tf_gradients(so.T, so.B, dtype="float64")
    a = core.analytic_gradients(so.T, so.B)
    for array in (g.y, g.dT, g.dB):
        assert array.dtype == np.float64
    np.testing.assert_allclose(g.dT, a.dT, rtol=0, atol=1e-12)
    np.testing.assert_allclose(g.dB, a.dB, rtol=0, atol=1e-12)
    np.testing.assert_allclose(g.y, so.T @ so.B, rtol=0, atol=1e-12)
    np.testing.assert_allclose(g.dT[0], [-0.17307832, 1.1900725, 2.24500296], rtol=0, atol=1e-8)


def test_reference_db_is_column_sums_of_t_in_every_column(so):
    a = core.analytic_gradients(so.T, so.B)
    np.testing.assert_allclose(a.dB, np.repeat(so.T.sum(axis=0)[:, None], 3, axis=1), atol=1e-15)
    np.testing.assert_allclose(a.dB[:, 0], [2.5954, 2.6952, 2.8326], atol=1e-12)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_seed_none_equals_explicit_all_ones_seed(so, dtype):
    default = core.tf_gradients(so.T, so.B, None, dtype)
    explicit = core.tf_gradients(so.T, so.B, core.seeds.ones(5, 3), dtype)
    np.testing.assert_array_equal(default.dT, explicit.dT)
    np.testing.assert_array_equal(default.dB, explicit.dB)
    for fn in (core.analytic_gradients, core.numeric_gradients):
        np.testing.assert_array_equal(fn(so.T, so.B).dT, fn(so.T, so.B, np.ones((5, 3))).dT)
        np.testing.assert_array_equal(fn(so.T, so.B).dB, fn(so.T, so.B, np.ones((5, 3))).dB)


def test_numeric_gradients_reproduce_the_reference_case(so):
    n = core.numeric_gradients(so.T, so.B)
    a = core.analytic_gradients(so.T, so.B)
    np.testing.assert_allclose(n.dT, a.dT, rtol=0, atol=1e-9)
    np.testing.assert_allclose(n.dB, a.dB, rtol=0, atol=1e-9)


def test_row_and_column_seeds_on_the_reference_case(so):
    g = core.analytic_gradients(so.T, so.B, core.seeds.row(5, 3, 2))
    np.testing.assert_allclose(g.dT[2], so.B.sum(axis=1), atol=1e-15)
    assert not np.any(np.delete(g.dT, 2, axis=0))
    np.testing.assert_allclose(g.dB, np.repeat(so.T[2][:, None], 3, axis=1), atol=1e-15)
    g = core.tf_gradients(so.T, so.B, core.seeds.column(5, 3, 1), "float64")
    np.testing.assert_allclose(g.dT, np.tile(so.B[:, 1], (5, 1)), atol=1e-15)


def test_small_integers_by_hand():
    T = [[1, 2, 0], [3, -1, 2]]
    B = [[2, 1], [0, -1], [1, 3]]
    G = [[1, 0], [0, 2]]
    # dL/dT = G @ Bᵀ, dL/dB = Tᵀ @ G, worked out by hand.
    dT = [[2, 0, 1], [2, -2, 6]]
    dB = [[1, 6], [2, -2], [0, 4]]
    for g in (
        core.tf_gradients(T, B, G, "float32"),
        core.tf_gradients(T, B, G, "float64"),
        core.analytic_gradients(T, B, G),
    ):
        np.testing.assert_array_equal(g.dT, dT)
        np.testing.assert_array_equal(g.dB, dB)
        np.testing.assert_array_equal(g.y, [[2, -1], [8, 10]])
    n = core.numeric_gradients(T, B, G)
    np.testing.assert_allclose(n.dT, dT, atol=1e-9)
    np.testing.assert_allclose(n.dB, dB, atol=1e-9)


# --- odd shapes ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("T", "B"),
    [
        pytest.param([[3.0]], [[-2.0]], id="1x1"),
        pytest.param([[1.0, 2.0, 3.0, 4.0]], [[1.0], [-1.0], [0.5], [2.0]], id="1xk@kx1"),
        pytest.param([[2.0]], [[1.0, -3.0, 0.25, 7.0, 5.0]], id="1x1@1xn"),
        pytest.param([[1.0], [-2.0], [0.5], [4.0]], [[3.0]], id="mx1@1x1"),
        pytest.param([[1.0], [2.0], [3.0]], [[1.0, -1.0, 2.0, 0.5]], id="mx1@1xn(outer)"),
        pytest.param(np.arange(8.0)[None, :], np.arange(8.0)[:, None] - 3, id="1x8@8x1"),
        pytest.param(np.full((8, 8), 0.5), np.eye(8), id="8x8"),
    ],
)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_odd_shapes_tensorflow_matches_formula(T, B, dtype):
    T, B = np.asarray(T), np.asarray(B)
    m, k = T.shape
    n = B.shape[1]
    g = core.tf_gradients(T, B, dtype=dtype)
    assert g.y.shape == (m, n)
    assert g.dT.shape == (m, k)
    assert g.dB.shape == (k, n)
    assert g.dT.dtype == np.dtype(dtype)
    # These small values are exact in float32, and so are their sums.
    np.testing.assert_array_equal(g.dT, np.tile(B.sum(axis=1), (m, 1)))
    np.testing.assert_array_equal(g.dB, np.tile(T.sum(axis=0)[:, None], (1, n)))
    a = core.analytic_gradients(T, B)
    np.testing.assert_array_equal(a.dT, g.dT)
    np.testing.assert_array_equal(a.dB, g.dB)
    J_T, J_B = core.tf_jacobians(T, B, dtype)
    assert J_T.shape == (m, n, m, k)
    assert J_B.shape == (m, n, k, n)
    np.testing.assert_array_equal(core.contract(J_T, np.ones((m, n))), a.dT)
    np.testing.assert_array_equal(core.contract(J_B, np.ones((m, n))), a.dB)


def test_one_by_one_every_way():
    T, B, G = [[3.0]], [[-2.0]], [[5.0]]
    for g in (
        core.tf_gradients(T, B, G),
        core.tf_gradients(T, B, G, "float64"),
        core.analytic_gradients(T, B, G),
    ):
        assert g.dT.tolist() == [[-10.0]]
        assert g.dB.tolist() == [[15.0]]
    n = core.numeric_gradients(T, B, G)
    assert n.dT[0, 0] == pytest.approx(-10.0, abs=1e-9)
    assert n.dB[0, 0] == pytest.approx(15.0, abs=1e-9)
    c = core.contributions(T, B, G)
    assert c.dT.tolist() == [[[-10.0]]]
    assert c.dB.tolist() == [[[15.0]]]
    J_T, J_B = core.tf_jacobians(T, B, "float64")
    assert J_T.tolist() == [[[[-2.0]]]]
    assert J_B.tolist() == [[[[3.0]]]]


# --- random cases ---------------------------------------------------------------------------

DIM = st.integers(1, core.MAX_DIM)
VALUE = st.floats(-10, 10, allow_nan=False, allow_infinity=False)


@st.composite
def products(draw, with_seed: bool = True):
    """(T, B, G): T m×k, B k×n, G m×n, with finite values in [-10, 10]."""
    m, k, n = draw(DIM), draw(DIM), draw(DIM)
    T = draw(hnp.arrays(np.float64, (m, k), elements=VALUE))
    B = draw(hnp.arrays(np.float64, (k, n), elements=VALUE))
    if not with_seed:
        return T, B, None
    G = draw(
        st.one_of(
            st.none(),
            hnp.arrays(np.float64, (m, n), elements=VALUE),
            st.builds(core.seeds.one_entry, st.just(m), st.just(n), st.integers(0, m - 1), st.integers(0, n - 1)),
            st.builds(core.seeds.row, st.just(m), st.just(n), st.integers(0, m - 1)),
            st.builds(core.seeds.column, st.just(m), st.just(n), st.integers(0, n - 1)),
        )
    )
    return T, B, G


def _seed(G, m, n):
    return np.ones((m, n)) if G is None else G


def _float32_bound(T, B, G):
    """A bound on float32 rounding: a few ulps of the sum of the absolute values of each term."""
    T32, B32, G32 = (np.abs(np.asarray(x, np.float32).astype(np.float64)) for x in (T, B, G))
    return 1e-5 * (G32 @ B32.T), 1e-5 * (T32.T @ G32)


def _input_rounding(T, B, G):
    """The gradients of the float32-rounded inputs, computed exactly enough in float64."""
    T32, B32, G32 = (np.asarray(x, np.float32).astype(np.float64) for x in (T, B, G))
    return G32 @ B32.T, T32.T @ G32


@settings(max_examples=40, deadline=None)
@given(products())
def test_tensorflow_float64_analytic_and_numeric_agree(case):
    T, B, G = case
    m, n = T.shape[0], B.shape[1]
    tf64 = core.tf_gradients(T, B, G, "float64")
    an = core.analytic_gradients(T, B, G)
    nu = core.numeric_gradients(T, B, G)
    # The formula itself, written independently of core.
    Gm = _seed(G, m, n)
    np.testing.assert_allclose(an.dT, Gm @ B.T, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(an.dB, T.T @ Gm, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(an.y, T @ B, rtol=1e-12, atol=1e-12)
    for other in (tf64, nu):
        assert other.dT.shape == (m, T.shape[1])
        assert other.dB.shape == B.shape
        np.testing.assert_allclose(other.dT, an.dT, rtol=1e-6, atol=1e-6)
        np.testing.assert_allclose(other.dB, an.dB, rtol=1e-6, atol=1e-6)
    assert tf64.dT.dtype == tf64.dB.dtype == np.float64
    np.testing.assert_allclose(tf64.y, T @ B, rtol=1e-12, atol=1e-12)


@settings(max_examples=30, deadline=None)
@given(products())
def test_tensorflow_float32_matches_formula_to_float32_precision(case):
    T, B, G = case
    m, n = T.shape[0], B.shape[1]
    Gm = _seed(G, m, n)
    tf32 = core.tf_gradients(T, B, G, "float32")
    assert tf32.dT.dtype == tf32.dB.dtype == tf32.y.dtype == np.float32
    exact_dT, exact_dB = _input_rounding(T, B, Gm)
    bound_dT, bound_dB = _float32_bound(T, B, Gm)
    assert np.all(np.abs(tf32.dT - exact_dT) <= bound_dT + 1e-30)
    assert np.all(np.abs(tf32.dB - exact_dB) <= bound_dB + 1e-30)
    # And against the float64 formula on the unrounded inputs, with float32's tolerance.
    an = core.analytic_gradients(T, B, G)
    # Terms are at most 10·10 and there are at most 8 of them: 1e-3 covers float32 rounding.
    np.testing.assert_allclose(tf32.dT, an.dT, rtol=1e-5, atol=1e-3)
    np.testing.assert_allclose(tf32.dB, an.dB, rtol=1e-5, atol=1e-3)


@settings(max_examples=30, deadline=None)
@given(products())
def test_jacobians_have_the_documented_structure_and_contract_to_the_gradient(case):
    T, B, G = case
    m, k = T.shape
    n = B.shape[1]
    Gm = _seed(G, m, n)
    J_T, J_B = core.tf_jacobians(T, B, "float64")
    assert J_T.shape == (m, n, m, k)
    assert J_B.shape == (m, n, k, n)
    # J_T[a,b,i,j] = δ(a,i)·B[j,b];  J_B[a,b,j,p] = T[a,j]·δ(b,p)
    expected_J_T = np.einsum("ai,jb->abij", np.eye(m), B)
    expected_J_B = np.einsum("aj,bp->abjp", T, np.eye(n))
    # Exact copies, except that TensorFlow's CPU kernels flush subnormal numbers to zero.
    np.testing.assert_allclose(J_T, expected_J_T, rtol=0, atol=np.finfo(np.float64).tiny)
    np.testing.assert_allclose(J_B, expected_J_B, rtol=0, atol=np.finfo(np.float64).tiny)
    an = core.analytic_gradients(T, B, G)
    np.testing.assert_allclose(core.contract(J_T, Gm), an.dT, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(core.contract(J_B, Gm), an.dB, rtol=1e-12, atol=1e-12)
    tf64 = core.tf_gradients(T, B, G, "float64")
    np.testing.assert_allclose(core.contract(J_T, Gm), tf64.dT, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(core.contract(J_B, Gm), tf64.dB, rtol=1e-9, atol=1e-9)


@settings(max_examples=15, deadline=None)
@given(products(with_seed=False))
def test_float32_jacobians_are_float32_copies_of_b_and_t(case):
    T, B, _ = case
    m, n = T.shape[0], B.shape[1]
    J_T, J_B = core.tf_jacobians(T, B)
    assert J_T.dtype == J_B.dtype == np.float32
    tiny = np.finfo(np.float32).tiny  # subnormals are flushed to zero
    expected_J_T = np.einsum("ai,jb->abij", np.eye(m), B).astype(np.float32)
    expected_J_B = np.einsum("aj,bp->abjp", T, np.eye(n)).astype(np.float32)
    np.testing.assert_allclose(J_T, expected_J_T, rtol=0, atol=tiny)
    np.testing.assert_allclose(J_B, expected_J_B, rtol=0, atol=tiny)


@settings(max_examples=40, deadline=None)
@given(products())
def test_contributions_are_the_terms_of_each_gradient_entry(case):
    T, B, G = case
    m, k = T.shape
    n = B.shape[1]
    Gm = _seed(G, m, n)
    c = core.contributions(T, B, G)
    assert c.dT.shape == (m, k, n)  # [i, j, p]
    assert c.dB.shape == (k, n, m)  # [j, p, i]
    for i in range(m):
        for j in range(k):
            for p in range(n):
                assert c.dT[i, j, p] == Gm[i, p] * B[j, p]
                assert c.dB[j, p, i] == T[i, j] * Gm[i, p]
    an = core.analytic_gradients(T, B, G)
    np.testing.assert_allclose(c.dT.sum(axis=-1), an.dT, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(c.dB.sum(axis=-1), an.dB, rtol=1e-12, atol=1e-12)


def test_contributions_reference_entry(so):
    c = core.contributions(so.T, so.B)
    np.testing.assert_array_equal(c.dT[3, 0], so.B[0])  # all-ones seed: the terms are B's row 0
    np.testing.assert_array_equal(c.dB[1, 2], so.T[:, 1])
    c = core.contributions(so.T, so.B, core.seeds.one_entry(5, 3, 0, 0))
    np.testing.assert_array_equal(c.dT[0, :, 0], so.B[:, 0])
    assert np.count_nonzero(c.dT) == 3
    assert round(float(c.dT.sum(axis=-1)[0, 0]), 8) == 0.43842274


def test_contract_is_the_seed_weighted_sum_of_jacobian_rows():
    rng = np.random.default_rng(7)
    J = rng.normal(size=(2, 3, 4, 5))
    G = rng.normal(size=(2, 3))
    expected = sum(G[a, b] * J[a, b] for a in range(2) for b in range(3))
    np.testing.assert_allclose(core.contract(J, G), expected, rtol=1e-12, atol=1e-12)
    assert core.contract(J, G).shape == (4, 5)


# --- bad input through the engine ----------------------------------------------------------


@pytest.mark.parametrize(
    "fn",
    [
        core.tf_gradients,
        core.analytic_gradients,
        core.numeric_gradients,
        core.contributions,
        lambda T, B, seed=None: core.tf_jacobians(T, B),
    ],
    ids=["tf_gradients", "analytic", "numeric", "contributions", "tf_jacobians"],
)
def test_engine_functions_raise_input_error_not_tensorflow_errors(fn):
    with pytest.raises(core.InputError, match=r"5×3.*2×2"):
        fn(np.ones((5, 3)), np.ones((2, 2)))
    with pytest.raises(core.InputError, match=r"T\[0,1\]"):
        fn([[1.0, float("nan")]], [[1.0], [2.0]])
    with pytest.raises(core.InputError, match="empty"):
        fn([], [[1.0]])


@pytest.mark.parametrize("fn", [core.tf_gradients, core.analytic_gradients, core.numeric_gradients])
def test_engine_functions_check_the_seed_shape(fn):
    with pytest.raises(core.InputError, match=r"2×2.*5×3"):
        fn(np.ones((5, 3)), np.ones((3, 3)), np.ones((2, 2)))
    with pytest.raises(core.InputError, match=r"G\[0,0\]"):
        fn(np.ones((1, 1)), np.ones((1, 1)), [[float("inf")]])


@pytest.mark.parametrize("dtype", ["float16", "int32", "", "Float32", None])
def test_bad_dtype_raises_input_error(so, dtype):
    with pytest.raises(core.InputError, match="float32 or float64"):
        core.tf_gradients(so.T, so.B, dtype=dtype)
    with pytest.raises(core.InputError, match="float32 or float64"):
        core.tf_jacobians(so.T, so.B, dtype=dtype)


def test_tensorflow_is_the_tensorflow_module_and_cached():
    tf = core.tensorflow()
    assert tf.__name__ == "tensorflow"
    assert core.tensorflow() is tf
    assert hasattr(tf, "GradientTape")


def in_fresh_process(script: str, **env: str | None) -> list[str]:
    """Run `script` in a new Python, as the server starts (TensorFlow may import, quietly); its
    printed lines. `env` sets (or, with None, removes) variables of the inherited environment."""
    env = {"TF_CPP_MIN_LOG_LEVEL": "3", "GRADFLOW_TENSORFLOW_ERROR": None, **env}
    environment = {**os.environ, **{k: v for k, v in env.items() if v is not None}}
    for name in (k for k, v in env.items() if v is None):
        environment.pop(name, None)
    run = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr[-2000:]
    return run.stdout.strip().splitlines()


def test_tensorflow_comes_without_keras_and_jax_which_stay_importable():
    """In a fresh process (as the server's): Streamlit would clear Keras' session after every run,
    and JAX would hook every garbage collection. Neither may be left loaded, nor made unimportable."""
    script = (
        "import sys, importlib.util, core\n"
        "tf = core.tensorflow()\n"
        "x = tf.constant([[1.0, 2.0]])\n"
        "with tf.GradientTape() as tape:\n"
        "    tape.watch(x)\n"
        "    y = tf.reduce_sum(x * x)\n"
        "print(tape.gradient(y, x).numpy().tolist())\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in core.engine.TENSORFLOW_EXTRAS))\n"
        "print([importlib.util.find_spec(m) is not None for m in core.engine.TENSORFLOW_EXTRAS])\n"
    )
    gradient, loaded, findable = in_fresh_process(script)[-3:]
    assert gradient == "[[2.0, 4.0]]"
    assert loaded == "[]"
    assert findable == "[True, True]"  # both are installed for the tests, and still found after the import


@pytest.mark.parametrize("deployment", ["1", None])
def test_the_reference_digits_do_not_depend_on_the_cpu_or_the_environment(deployment):
    """oneDNN adds in an order that depends on the CPU (AVX-512: dL/dT[0,0] prints -0.1730783).
    In a fresh process, even one whose environment turns oneDNN on, core turns it off before
    TensorFlow's import, and the all-ones seed prints the question's digits."""
    script = (
        "import os, core\n"
        "p = core.preset('so-question')\n"
        "print(core.tf_gradients(p.T, p.B).dT[0])\n"
        "print(os.environ[core.engine.ONEDNN_ENV])\n"
    )
    row, switch = in_fresh_process(script, TF_ENABLE_ONEDNN_OPTS=deployment)[-2:]
    assert row == "[-0.17307831  1.1900724   2.245003  ]"
    assert switch == "0"
