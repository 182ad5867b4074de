"""core.validate: every bad input becomes one `InputError` whose message says what is wrong."""

from __future__ import annotations

import math

import numpy as np
import pytest

import core
from core.validate import as_matrix, check_dtype, check_product, check_seed, parse_number

# --- the error type -----------------------------------------------------------------------


def test_input_error_is_a_value_error_with_key_and_params():
    with pytest.raises(core.InputError) as info:
        as_matrix([[1.0, None]], "T")
    error = info.value
    assert isinstance(error, ValueError)
    assert error.key == "err.empty_cell"
    assert error.params == {"name": "T", "i": 0, "j": 1}
    assert error.message == str(error) == "T[0,1] is empty: type a number there."


def test_input_error_can_be_caught_as_value_error():
    with pytest.raises(ValueError, match="not a number"):
        as_matrix([["abc"]], "B")


# --- good input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        [[1, 2], [3, 4]],
        ((1, 2), (3, 4)),
        [[1.0, 2.0], [3.0, 4.0]],
        [["1", " 2 "], ["3.0", "4e0"]],
        np.array([[1, 2], [3, 4]], dtype=np.int64),
        np.array([[1, 2], [3, 4]], dtype=np.uint8),
        np.array([[1, 2], [3, 4]], dtype=np.float32),
        np.array([["1", "2"], ["3", "4"]]),
        np.array([[1, 2], [3, 4]], dtype=object),
        [[np.float32(1), np.int64(2)], [np.float64(3), 4]],
    ],
)
def test_as_matrix_accepts_numbers_in_any_plain_form(value):
    M = as_matrix(value, "T")
    assert M.dtype == np.float64
    assert M.shape == (2, 2)
    np.testing.assert_array_equal(M, [[1.0, 2.0], [3.0, 4.0]])


@pytest.mark.parametrize(
    ("text", "value"),
    [("0", 0.0), ("-0", -0.0), ("+1.5", 1.5), (".5", 0.5), ("5.", 5.0), ("1e-3", 1e-3), ("2E+2", 200.0)],
)
def test_plain_decimal_text_is_a_number(text, value):
    x = parse_number(text, "T", 0, 0)
    assert x == value
    assert math.copysign(1, x) == math.copysign(1, value)


def test_as_matrix_accepts_a_dataframe():
    pd = pytest.importorskip("pandas")
    # A cleared cell in a numeric column comes back from pandas as NaN, in an object column as None.
    with pytest.raises(core.InputError, match=r"T\[1,1\] is NaN"):
        as_matrix(pd.DataFrame([[1.0, 2.0], [3.0, None]]), "T")
    with pytest.raises(core.InputError, match=r"T\[1,1\] is empty"):
        as_matrix(pd.DataFrame([[1.0, "2"], [3.0, None]], dtype=object), "T")
    np.testing.assert_array_equal(as_matrix(pd.DataFrame([[1, 2]]), "T"), [[1.0, 2.0]])


def test_limit_is_inclusive():
    assert as_matrix(np.ones((core.MAX_DIM, core.MAX_DIM)), "T").shape == (core.MAX_DIM, core.MAX_DIM)
    assert as_matrix([[1.0] * core.MAX_DIM], "T").shape == (1, core.MAX_DIM)


def test_as_matrix_does_not_alias_the_callers_array():
    A = np.ones((2, 2))
    M = as_matrix(A, "T")
    M[0, 0] = 5.0
    assert A[0, 0] == 1.0


# --- shapes ----------------------------------------------------------------------------------


def test_inner_sizes_that_differ_name_both_shapes():
    with pytest.raises(core.InputError) as info:
        check_product(np.ones((5, 3)), np.ones((2, 4)))
    message = str(info.value)
    assert info.value.key == "err.inner_mismatch"
    assert "5×3" in message
    assert "2×4" in message
    assert "(3)" in message
    assert "(2)" in message


def test_compatible_product_passes():
    T, B = check_product([[1, 2, 3]], [[1], [2], [3]])
    assert T.shape == (1, 3)
    assert B.shape == (3, 1)


@pytest.mark.parametrize("shape", [(3, 5), (5, 1), (1, 3), (2, 2)])
def test_seed_of_the_wrong_shape(shape):
    with pytest.raises(core.InputError) as info:
        check_seed(np.ones(shape), 5, 3)
    assert info.value.key == "err.seed_shape"
    assert f"{shape[0]}×{shape[1]}" in str(info.value)
    assert "5×3" in str(info.value)


def test_seed_of_the_right_shape_passes():
    np.testing.assert_array_equal(check_seed([[1, 0, 2]], 1, 3), [[1.0, 0.0, 2.0]])


@pytest.mark.parametrize(
    "value",
    [[], [[]], (), np.zeros((0, 3)), np.zeros((3, 0)), np.array([[]]), [[], []]],
    ids=["[]", "[[]]", "()", "zeros(0,3)", "zeros(3,0)", "array([[]])", "[[],[]]"],
)
def test_empty_matrices(value):
    with pytest.raises(core.InputError, match="B is empty") as info:
        as_matrix(value, "B")
    assert info.value.key == "err.empty_matrix"


@pytest.mark.parametrize(
    ("value", "row", "got", "expected"),
    [
        ([[1, 2], [3]], 1, 1, 2),
        ([[1], [2, 3]], 1, 2, 1),
        ([[1, 2, 3], [4, 5, 6], [7, 8]], 2, 2, 3),
        ([[1, 2], []], 1, 0, 2),
    ],
)
def test_ragged_rows(value, row, got, expected):
    with pytest.raises(core.InputError) as info:
        as_matrix(value, "T")
    assert info.value.key == "err.ragged"
    assert info.value.params == {"name": "T", "row": row, "got": got, "expected": expected}
    assert f"row {row} has {got}" in str(info.value)


@pytest.mark.parametrize(
    ("value", "ndim"),
    [
        ([1, 2, 3], 1),
        ((1.0, 2.0), 1),
        (np.array([1.0, 2.0, 3.0]), 1),
        (np.ones((2, 2, 2)), 3),
        (np.float64(3.0), 0),
        (3.0, 0),
        ("1,2;3,4", 0),
        ([[1, 2], 3], 1),
    ],
)
def test_input_that_is_not_a_matrix(value, ndim):
    with pytest.raises(core.InputError, match="must be a matrix") as info:
        as_matrix(value, "T")
    assert info.value.key == "err.not_2d"
    assert info.value.params["ndim"] == ndim


@pytest.mark.parametrize(
    "value",
    [
        np.ones((9, 9)),
        np.ones((100, 100)),
        np.ones((9, 1)),
        np.ones((1, 9)),
        [[1.0] * 9] * 9,
        [[1.0] * 100] * 100,
        [[1.0] * 9],
        [[1.0]] * 9,
    ],
    ids=["9x9", "100x100", "9x1", "1x9", "list9x9", "list100x100", "list1x9", "list9x1"],
)
def test_shapes_beyond_the_limit(value):
    rows, cols = np.shape(value)
    with pytest.raises(core.InputError) as info:
        as_matrix(value, "T")
    assert info.value.key == "err.too_large"
    assert info.value.params["limit"] == core.MAX_DIM
    message = str(info.value)
    assert f"{rows}×{cols}" in message
    assert f"at most {core.MAX_DIM}" in message


def test_too_large_through_the_engine():
    with pytest.raises(core.InputError, match=f"at most {core.MAX_DIM}"):
        core.tf_gradients(np.ones((9, 9)), np.ones((9, 9)))
    with pytest.raises(core.InputError, match=f"at most {core.MAX_DIM}"):
        core.tf_jacobians(np.ones((100, 100)), np.ones((100, 100)))


# --- cells -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "bad",
    [float("nan"), np.nan, np.float32("nan"), "nan", "NaN", "-nan", " nan "],
    ids=repr,
)
def test_nan_cell_is_named(bad):
    value = [[1.0, 2.0], [bad, 4.0]]
    with pytest.raises(core.InputError, match=r"T\[1,0\] is NaN") as info:
        as_matrix(value, "T")
    assert info.value.key == "err.nan_cell"
    assert info.value.params == {"name": "T", "i": 1, "j": 0}


@pytest.mark.parametrize(
    "bad",
    [float("inf"), -float("inf"), np.inf, -np.inf, "inf", "-inf", "Infinity", "+INF", "1e999", "-1e999"],
    ids=repr,
)
def test_infinite_cell_is_named(bad):
    value = [[1.0, 2.0], [bad, 4.0]]
    with pytest.raises(core.InputError, match=r"T\[1,0\] is infinite") as info:
        as_matrix(value, "T")
    assert info.value.key == "err.inf_cell"


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_cell_in_a_float_array_is_named(bad):
    A = np.ones((3, 2))
    A[2, 1] = bad
    with pytest.raises(core.InputError, match=r"B\[2,1\]"):
        as_matrix(A, "B")


@pytest.mark.parametrize(
    "bad",
    [
        "abc",
        "１",  # FULLWIDTH DIGIT ONE: float() takes it, a plain number does not
        "٣",  # ARABIC-INDIC DIGIT THREE
        "1.５",
        "0x10",
        "1_000",
        "1,5",
        "1 000",
        "--1",
        "1e",
        "e5",
        ".",
        "+",
        "1/2",
        "½",
        "²",
        "1.2.3",
        "3j",
        "nanx",
        "infinite",
    ],
)
def test_non_numeric_text_cell_is_named_and_quoted(bad):
    with pytest.raises(core.InputError) as info:
        as_matrix([[1.0, 2.0], [3.0, bad]], "T")
    assert info.value.key == "err.not_a_number"
    assert info.value.params["value"] == bad.strip()
    message = str(info.value)
    assert message.startswith("T[1,1] is ")
    assert bad in message
    assert "not a number" in message


@pytest.mark.parametrize("bad", [None, "", "   ", "\t"], ids=repr)
def test_empty_cell_is_named(bad):
    with pytest.raises(core.InputError, match=r"B\[0,2\] is empty") as info:
        as_matrix([[1.0, 2.0, bad]], "B")
    assert info.value.key == "err.empty_cell"


def test_none_in_an_object_array_is_an_empty_cell():
    with pytest.raises(core.InputError, match=r"T\[1,1\] is empty"):
        as_matrix(np.array([[1.0, 2.0], [3.0, None]], dtype=object), "T")


@pytest.mark.parametrize("bad", [True, False, np.True_, np.False_])
def test_bool_cell_is_not_a_number(bad):
    with pytest.raises(core.InputError, match=r"T\[0,0\] is .*not a number") as info:
        as_matrix([[bad]], "T")
    assert info.value.key == "err.not_a_number"


def test_bool_array_is_not_numbers():
    with pytest.raises(core.InputError, match=r"T\[0,0\] is “True”"):
        as_matrix(np.array([[True, False]]), "T")


@pytest.mark.parametrize("bad", [1 + 2j, b"1", [1.0], {"a": 1}, object()], ids=repr)
def test_other_objects_are_not_numbers(bad):
    with pytest.raises(core.InputError, match=r"T\[0,1\]") as info:
        as_matrix([[1.0, bad]], "T")
    assert info.value.key == "err.not_a_number"


@pytest.mark.parametrize("big", [10**400, -(10**400)], ids=["1e400", "-1e400"])
def test_an_integer_too_large_for_a_float_is_an_infinite_cell(big):
    with pytest.raises(core.InputError, match=r"T\[0,0\] is infinite"):
        as_matrix([[big]], "T")


def test_quoted_value_is_clipped():
    with pytest.raises(core.InputError) as info:
        as_matrix([["x" * 10_000]], "T")
    assert len(str(info.value)) < 200
    assert "…" in str(info.value)


def test_first_bad_cell_is_reported_in_reading_order():
    with pytest.raises(core.InputError, match=r"T\[0,2\]"):
        as_matrix([[1, 2, "a"], [None, 5, 6]], "T")


# --- dtype -----------------------------------------------------------------------------------


@pytest.mark.parametrize("good", ["float32", "float64"])
def test_dtype_accepted(good):
    assert check_dtype(good) == good


@pytest.mark.parametrize("bad", ["float16", "float", "int32", "f4", "FLOAT32", " float32", "", None, 32])
def test_bad_dtype_string(bad):
    with pytest.raises(core.InputError, match="must be float32 or float64") as info:
        check_dtype(bad)
    assert info.value.key == "err.dtype"
    assert str(bad) in str(info.value)


# --- nothing from TensorFlow escapes ---------------------------------------------------------


@pytest.mark.parametrize(
    ("T", "B", "seed", "dtype"),
    [
        (np.ones((2, 3)), np.ones((2, 3)), None, "float32"),
        (np.ones((3, 1)), np.ones((3, 1)), None, "float64"),
        (np.ones((2, 2)), np.ones((2, 2)), np.ones((3, 3)), "float32"),
        (np.ones((2, 2)), np.ones((2, 2)), np.ones(4), "float32"),
        (np.ones((2, 2)), np.ones((2, 2)), None, "bfloat16"),
        ([["1", "x"]], [[1], [1]], None, "float32"),
        ([[1, 2]], [[1], [np.nan]], None, "float64"),
    ],
)
def test_no_tensorflow_exception_escapes(T, B, seed, dtype):
    try:
        core.tf_gradients(T, B, seed, dtype)
    except core.InputError:
        pass
    except Exception as other:  # pragma: no cover - the failure path: a TensorFlow or NumPy error
        pytest.fail(f"{type(other).__module__}.{type(other).__name__} escaped: {other}")
    else:  # pragma: no cover
        pytest.fail("bad input was accepted")
