"""core.jacobian: the full Jacobian dY/dT (and dY/dB) as a labelled block matrix, and its seed-weighted sum.

Every layout claim is checked against TensorFlow's own Jacobian (`core.tf_jacobians`): row a·n+b is
Y[a,b], column i·k+j is T[i,j] (row-major, as in TensorFlow's guide); dY/dT is kron(I_m, Bᵀ) and
dY/dB is kron(T, I_n); weighting the rows by the seed gives exactly what `tape.gradient` returns.
"""

from __future__ import annotations

import contextlib
import io
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import core
from core import jacobian as jac
from core.codegen import jacobian_code

SO = core.preset("so-question")
ROW_SUMS_F32 = np.array([-0.17307831, 1.1900724, 2.245003], dtype=np.float32)
B_COLUMN_0_F32 = np.array([0.43842274, 1.5658046, 1.4204658], dtype=np.float32)


def f32_close(actual: np.ndarray, expected: np.ndarray, scale: float = 1.0) -> None:
    """Equal up to float32 rounding of a short sum."""
    np.testing.assert_allclose(actual, expected, rtol=1e-6, atol=1e-6 * scale)


@pytest.fixture(scope="module")
def so_jacobians() -> tuple[np.ndarray, np.ndarray]:
    return core.tf_jacobians(SO.T, SO.B)


# --- labels and the reference case's block matrices ---------------------------------------------


def test_labels_are_row_major():
    assert jac.labels("Y", 2, 3) == ["Y[0,0]", "Y[0,1]", "Y[0,2]", "Y[1,0]", "Y[1,1]", "Y[1,2]"]
    assert jac.labels("T", 1, 1) == ["T[0,0]"]
    assert jac.labels("B", 3, 1) == ["B[0,0]", "B[1,0]", "B[2,0]"]


def test_reference_block_view_wrt_t_is_15_by_15_with_y_and_t_labels(so_jacobians):
    J_T, _ = so_jacobians
    assert J_T.shape == (5, 3, 5, 3)
    assert J_T.dtype == np.float32
    view = jac.block_view(J_T, "T")
    assert view.values.shape == (15, 15)
    assert view.full_shape == (15, 15)
    assert view.sliced is False
    assert view.row_labels == [f"Y[{a},{b}]" for a in range(5) for b in range(3)]
    assert view.col_labels == [f"T[{i},{j}]" for i in range(5) for j in range(3)]
    assert view.row_labels[:4] == ["Y[0,0]", "Y[0,1]", "Y[0,2]", "Y[1,0]"]
    assert view.col_labels[-1] == "T[4,2]"


def test_reference_block_view_wrt_b_is_15_by_9_with_b_labels(so_jacobians):
    _, J_B = so_jacobians
    assert J_B.shape == (5, 3, 3, 3)
    view = jac.block_view(J_B, "B")
    assert view.values.shape == (15, 9)
    assert view.full_shape == (15, 9)
    assert view.sliced is False
    assert view.row_labels == [f"Y[{a},{b}]" for a in range(5) for b in range(3)]
    assert view.col_labels == [f"B[{j},{p}]" for j in range(3) for p in range(3)]


def test_reference_rows_and_columns_are_row_major_against_tensorflow(so_jacobians):
    """Row a·n+b is Y[a,b], column i·k+j is T[i,j]; its value is ∂Y[a,b]/∂T[i,j] = δ(a,i)·B[j,b]."""
    J_T, _ = so_jacobians
    view = jac.block_view(J_T, "T")
    m, k, n = 5, 3, 3
    B32 = SO.B.astype(np.float32)
    for a in range(m):
        for b in range(n):
            r = a * n + b
            assert view.row_labels[r] == f"Y[{a},{b}]"
            for i in range(m):
                for j in range(k):
                    c = i * k + j
                    assert view.col_labels[c] == f"T[{i},{j}]"
                    assert view.values[r, c] == J_T[a, b, i, j]
                    assert view.values[r, c] == (B32[j, b] if a == i else 0.0)


def test_reference_dy_db_entries_are_t_times_delta(so_jacobians):
    """Row a·n+b, column j·n+p of dY/dB holds T[a,j]·δ(b,p)."""
    _, J_B = so_jacobians
    view = jac.block_view(J_B, "B")
    T32 = SO.T.astype(np.float32)
    for a in range(5):
        for b in range(3):
            for j in range(3):
                for p in range(3):
                    assert view.col_labels[j * 3 + p] == f"B[{j},{p}]"
                    assert view.values[a * 3 + b, j * 3 + p] == (T32[a, j] if b == p else 0.0)


def test_reference_dy_dt_is_block_diagonal_with_every_block_b_transposed(so_jacobians):
    J_T, _ = so_jacobians
    flat = jac.block_view(J_T, "T").values
    B32T = SO.B.T.astype(np.float32)
    for a in range(5):
        for i in range(5):
            block = flat[3 * a : 3 * a + 3, 3 * i : 3 * i + 3]
            np.testing.assert_array_equal(block, B32T if a == i else np.zeros((3, 3)))


def test_reference_structure_matches_tensorflow(so_jacobians):
    J_T, J_B = so_jacobians
    kron_T, kron_B = jac.structure(SO.T, SO.B)
    assert kron_T.shape == (15, 15)
    assert kron_B.shape == (15, 9)
    np.testing.assert_array_equal(J_T.reshape(15, 15), kron_T.astype(np.float32))
    np.testing.assert_array_equal(J_B.reshape(15, 9), kron_B.astype(np.float32))
    # The difference the page prints is float32 rounding of B, far below a visible digit.
    assert 0 < np.max(np.abs(J_T.reshape(15, 15) - kron_T)) < 1e-7


def test_reference_all_ones_weighted_sum_is_five_rows_of_b_row_sums(so_jacobians):
    J_T, _ = so_jacobians
    dT = jac.weighted_sum(J_T, np.ones((5, 3)))
    assert dT.shape == (5, 3)
    f32_close(dT, np.tile(ROW_SUMS_F32, (5, 1)), scale=3)
    np.testing.assert_allclose(dT, core.tf_gradients(SO.T, SO.B).dT, rtol=0, atol=1e-6)


def test_reference_one_entry_seed_picks_row_y00(so_jacobians):
    J_T, _ = so_jacobians
    G = core.seeds.one_entry(5, 3, 0, 0)
    assert jac.seeded_rows(G) == [0]
    dT = jac.weighted_sum(J_T, G)
    np.testing.assert_array_equal(dT[0], B_COLUMN_0_F32)
    np.testing.assert_array_equal(dT[1:], np.zeros((4, 3)))
    # The learner's wrong guess 3.424693 is the sum of this row, not the gradient.
    assert float(np.sum(dT)) == pytest.approx(3.424693, abs=1e-6)


# --- seeded rows -----------------------------------------------------------------------------


def test_seeded_rows_are_the_row_major_indices_of_nonzero_seed_cells():
    assert jac.seeded_rows(core.seeds.one_entry(5, 3, 1, 2)) == [5]
    assert jac.seeded_rows(core.seeds.one_entry(5, 3, 4, 2)) == [14]
    assert jac.seeded_rows(core.seeds.ones(2, 2)) == [0, 1, 2, 3]
    assert jac.seeded_rows(core.seeds.row(5, 3, 2)) == [6, 7, 8]
    assert jac.seeded_rows(core.seeds.column(5, 3, 1)) == [1, 4, 7, 10, 13]
    assert jac.seeded_rows(np.zeros((3, 3))) == []
    assert jac.seeded_rows(np.array([[0.0, -2.5], [1e-30, 0.0]])) == [1, 2]
    assert all(isinstance(r, int) for r in jac.seeded_rows(core.seeds.ones(2, 2)))


def test_seeded_rows_label_the_seeded_cells():
    G = core.seeds.entries(4, 3, [(0, 2), (3, 1), (2, 0)])
    names = jac.labels("Y", 4, 3)
    assert [names[r] for r in jac.seeded_rows(G)] == ["Y[0,2]", "Y[2,0]", "Y[3,1]"]


# --- the size guard ----------------------------------------------------------------------------


def test_8x8x8_block_matrix_is_sliced_to_24x24_with_matching_labels():
    rng = np.random.default_rng(8)
    T, B = rng.normal(size=(8, 8)), rng.normal(size=(8, 8))
    J_T, J_B = core.tf_jacobians(T, B)
    assert J_T.shape == (8, 8, 8, 8)
    for J, wrt in ((J_T, "T"), (J_B, "B")):
        view = jac.block_view(J, wrt)
        assert view.full_shape == (64, 64)
        assert view.sliced is True
        assert view.values.shape == (jac.MAX_ROWS, jac.MAX_COLS) == (24, 24)
        assert view.row_labels == jac.labels("Y", 8, 8)[:24]
        assert view.col_labels == jac.labels(wrt, 8, 8)[:24]
        assert view.row_labels[-1] == "Y[2,7]"
        assert view.col_labels[-1] == f"{wrt}[2,7]"
        np.testing.assert_array_equal(view.values, J.reshape(64, 64)[:24, :24])
        # Each shown cell is the Jacobian entry its two labels name.
        for r in (0, 9, 23):
            a, b = map(int, re.findall(r"\d+", view.row_labels[r]))
            for c in (0, 13, 23):
                i, j = map(int, re.findall(r"\d+", view.col_labels[c]))
                assert view.values[r, c] == J[a, b, i, j]


@pytest.mark.parametrize(
    ("m", "k", "n", "shown", "sliced"),
    [
        (8, 1, 4, (24, 8), True),  # 32×8: only the rows are cut
        (1, 8, 8, (8, 8), False),  # 8×8 for dY/dT
        (4, 6, 6, (24, 24), False),  # exactly at the limit
        (5, 5, 5, (24, 24), True),  # 25×25: one over in each direction
    ],
)
def test_slicing_cuts_only_the_side_that_is_too_long(m, k, n, shown, sliced):
    rng = np.random.default_rng(m * 100 + k * 10 + n)
    J_T, _ = core.tf_jacobians(rng.normal(size=(m, k)), rng.normal(size=(k, n)))
    view = jac.block_view(J_T, "T")
    assert view.full_shape == (m * n, m * k)
    assert view.values.shape == shown
    assert view.sliced is sliced
    assert (len(view.row_labels), len(view.col_labels)) == shown


# --- random shapes against TensorFlow ---------------------------------------------------------

shapes = st.tuples(st.integers(1, 4), st.integers(1, 4), st.integers(1, 4))
values = st.floats(-3, 3, allow_nan=False, width=32)


@st.composite
def problems(draw):
    m, k, n = draw(shapes)
    T = draw(hnp.arrays(np.float64, (m, k), elements=values))
    B = draw(hnp.arrays(np.float64, (k, n), elements=values))
    G = draw(hnp.arrays(np.float64, (m, n), elements=values))
    return T, B, G


@settings(max_examples=8, deadline=None)
@given(problems())
def test_structure_equals_tensorflows_jacobian_for_random_shapes(problem):
    T, B, _ = problem
    m, k, n = T.shape[0], T.shape[1], B.shape[1]
    J_T, J_B = core.tf_jacobians(T, B, "float64")
    kron_T, kron_B = jac.structure(T, B)
    assert kron_T.shape == (m * n, m * k)
    assert kron_B.shape == (m * n, k * n)
    np.testing.assert_array_equal(J_T.reshape(m * n, m * k), kron_T)
    np.testing.assert_array_equal(J_B.reshape(m * n, k * n), kron_B)


@settings(max_examples=8, deadline=None)
@given(problems())
def test_weighted_sum_equals_tape_gradient_for_random_seeds(problem):
    T, B, G = problem
    J_T, J_B = core.tf_jacobians(T, B, "float64")
    grad = core.tf_gradients(T, B, G, "float64")
    scale = 1.0 + float(np.max(np.abs(G))) * 3 * 4
    np.testing.assert_allclose(jac.weighted_sum(J_T, G), grad.dT, rtol=1e-12, atol=1e-12 * scale)
    np.testing.assert_allclose(jac.weighted_sum(J_B, G), grad.dB, rtol=1e-12, atol=1e-12 * scale)
    np.testing.assert_allclose(jac.weighted_sum(J_T, G), G @ B.T, rtol=1e-12, atol=1e-12 * scale)
    np.testing.assert_allclose(jac.weighted_sum(J_B, G), T.T @ G, rtol=1e-12, atol=1e-12 * scale)


@settings(max_examples=8, deadline=None)
@given(problems())
def test_weighted_sum_float32_equals_tape_gradient_float32(problem):
    T, B, G = problem
    J_T, J_B = core.tf_jacobians(T, B)
    grad = core.tf_gradients(T, B, G)
    assert grad.dT.dtype == np.float32
    scale = 1.0 + float(np.max(np.abs(G))) * 3 * 4
    np.testing.assert_allclose(jac.weighted_sum(J_T, G), grad.dT, rtol=1e-5, atol=1e-6 * scale)
    np.testing.assert_allclose(jac.weighted_sum(J_B, G), grad.dB, rtol=1e-5, atol=1e-6 * scale)


@pytest.mark.parametrize(("m", "k", "n"), [(1, 1, 1), (1, 4, 1), (1, 3, 5), (6, 2, 1), (4, 1, 3)])
def test_odd_shapes_block_view_structure_and_weighted_sum(m, k, n):
    rng = np.random.default_rng(m + 7 * k + 49 * n)
    T, B, G = rng.normal(size=(m, k)), rng.normal(size=(k, n)), rng.normal(size=(m, n))
    J_T, J_B = core.tf_jacobians(T, B, "float64")
    assert J_T.shape == (m, n, m, k)
    assert J_B.shape == (m, n, k, n)
    assert jac.block_view(J_T, "T").values.shape == (m * n, m * k)
    assert jac.block_view(J_B, "B").values.shape == (m * n, k * n)
    kron_T, kron_B = jac.structure(T, B)
    np.testing.assert_array_equal(J_T.reshape(m * n, m * k), kron_T)
    np.testing.assert_array_equal(J_B.reshape(m * n, k * n), kron_B)
    np.testing.assert_allclose(jac.weighted_sum(J_T, G), core.tf_gradients(T, B, G, "float64").dT, atol=1e-12)
    np.testing.assert_allclose(jac.weighted_sum(J_B, G), core.tf_gradients(T, B, G, "float64").dB, atol=1e-12)


# --- batch_jacobian --------------------------------------------------------------------------


def test_reference_batch_jacobian_is_the_diagonal_blocks(so_jacobians):
    J_T, _ = so_jacobians
    J_batch = core.tf_batch_jacobian(SO.T, SO.B)
    assert J_batch.shape == (5, 3, 3)
    assert J_batch.dtype == np.float32
    for a in range(5):
        np.testing.assert_array_equal(J_batch[a], J_T[a, :, a, :])
        np.testing.assert_array_equal(J_batch[a], SO.B.T.astype(np.float32))


@pytest.mark.parametrize(("m", "k", "n"), [(1, 1, 1), (2, 4, 3), (6, 1, 5), (3, 5, 1)])
def test_batch_jacobian_shape_and_diagonal_blocks_for_other_shapes(m, k, n):
    rng = np.random.default_rng(31 * m + 7 * k + n)
    T, B = rng.normal(size=(m, k)), rng.normal(size=(k, n))
    J_T, _ = core.tf_jacobians(T, B, "float64")
    J_batch = core.tf_batch_jacobian(T, B, "float64")
    assert J_batch.shape == (m, n, k)
    assert J_batch.dtype == np.float64
    for a in range(m):
        np.testing.assert_array_equal(J_batch[a], J_T[a, :, a, :])
    np.testing.assert_array_equal(J_batch, np.broadcast_to(B.T, (m, n, k)))


def test_jacobians_refuse_bad_input_with_input_error():
    with pytest.raises(core.InputError, match=r"T's number of columns \(3\) must equal B's number of rows \(2\)"):
        core.tf_jacobians(np.ones((2, 3)), np.ones((2, 2)))
    with pytest.raises(core.InputError, match="not “float16”"):
        core.tf_batch_jacobian(np.ones((2, 2)), np.ones((2, 2)), "float16")


# --- the generated code ----------------------------------------------------------------------


def run_code(code: str) -> tuple[dict, str]:
    namespace: dict = {}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "<jacobian_code>", "exec"), namespace)
    return namespace, out.getvalue()


@pytest.mark.parametrize(
    ("seed", "dtype"),
    [(None, "float32"), (core.seeds.one_entry(5, 3, 0, 0), "float32"), (core.seeds.row(5, 3, 3), "float64")],
)
def test_jacobian_code_runs_and_prints_the_shapes_it_claims(seed, dtype):
    code = jacobian_code(SO.T, SO.B, seed, dtype)
    assert "J_T = tape.jacobian(Y, T)        # shape (5, 3, 5, 3)" in code
    assert "J_B = tape.jacobian(Y, B)        # shape (5, 3, 3, 3)" in code
    assert "tape.batch_jacobian(Y, T)  # shape (5, 3, 3)" in code
    namespace, printed = run_code(code)
    assert printed.splitlines()[0] == "(5, 3, 5, 3) (5, 3, 3, 3) (5, 3, 3)"
    assert tuple(namespace["J_T"].shape) == (5, 3, 5, 3)
    assert tuple(namespace["J_B"].shape) == (5, 3, 3, 3)
    assert tuple(namespace["J_batch"].shape) == (5, 3, 3)
    dT = namespace["dT"].numpy()
    assert dT.dtype == np.dtype(dtype)
    expected = core.tf_gradients(SO.T, SO.B, seed, dtype).dT
    tolerance = 1e-6 if dtype == "float32" else 1e-14
    np.testing.assert_allclose(dT, expected, rtol=tolerance, atol=tolerance)
    J_T, J_B = core.tf_jacobians(SO.T, SO.B, dtype)
    np.testing.assert_array_equal(namespace["J_T"].numpy(), J_T)
    np.testing.assert_array_equal(namespace["J_B"].numpy(), J_B)


def test_jacobian_code_default_seed_gives_b_row_sums():
    namespace, _ = run_code(jacobian_code(SO.T, SO.B))
    f32_close(namespace["dT"].numpy(), np.tile(ROW_SUMS_F32, (5, 1)), scale=3)


def test_jacobian_code_for_other_shape_states_its_shapes():
    rng = np.random.default_rng(2)
    T, B = rng.normal(size=(2, 4)), rng.normal(size=(4, 3))
    namespace, printed = run_code(jacobian_code(T, B))
    assert printed.splitlines()[0] == "(2, 3, 2, 4) (2, 3, 4, 3) (2, 3, 4)"
    np.testing.assert_allclose(namespace["dT"].numpy(), core.tf_gradients(T, B).dT, rtol=1e-6, atol=1e-6)
