"""ui.shared: one figure and one result per process for equal arguments, never a wrong one."""

from __future__ import annotations

import numpy as np
import pytest

import core
from core.engine import TENSORFLOW_ERROR_ENV
from ui import shared

SO = core.preset("so-question")
ONES = np.ones((5, 3))


@pytest.fixture(autouse=True)
def empty_caches():
    shared.clear()
    yield
    shared.clear()


def test_equal_arguments_share_one_figure_and_others_get_their_own():
    first = shared.figure(SO.T, "T", highlight=((0, 1),))
    assert shared.figure(SO.T.copy(), "T", highlight=((0, 1),)) is first
    assert shared.figure(SO.T, "T") is not first
    changed = SO.T.copy()
    changed[4, 2] += 1e-7
    other = shared.figure(changed, "T", highlight=((0, 1),))
    assert other is not first
    assert other.data[1].hovertext[-1] != first.data[1].hovertext[-1]


def test_cells_in_any_iterable_give_the_same_figure():
    listed = shared.figure(SO.T, "T", outline=[(0, 1), (2, 2)])
    assert shared.figure(SO.T, "T", outline=((i, j) for i, j in [(0, 1), (2, 2)])) is listed


def test_a_shared_figure_serialises_as_the_one_core_draws_on_every_call():
    drawn = core.figures.matrix_figure(SO.B, "B", clickable=True)
    shared_figure = shared.figure(SO.B, "B", clickable=True)
    assert shared_figure.to_dict() == drawn.to_dict()
    first = shared_figure.to_dict()
    first["layout"] = {}  # a caller replacing a part of its copy changes nothing shared
    assert shared_figure.to_dict() == drawn.to_dict()


def test_equal_matrices_share_one_result_with_read_only_arrays():
    result = shared.compute(SO.T, SO.B, ONES, True, "float32")
    assert shared.compute(SO.T.copy(), SO.B.copy(), ONES.copy(), True, "float32") is result
    np.testing.assert_allclose(result.tf.dT, np.tile(SO.B.sum(axis=1), (5, 1)), rtol=1e-6)
    with pytest.raises(ValueError, match="read-only"):
        result.tf.dT[0, 0] = 0.0
    assert shared.compute(SO.T, SO.B, ONES, True, "float64") is not result
    assert shared.compute(SO.T, SO.B, ONES, False, "float32") is not result


def test_whether_tensorflow_works_is_part_of_the_key(monkeypatch):
    with_tf = shared.compute(SO.T, SO.B, ONES, True, "float32")
    monkeypatch.setenv(TENSORFLOW_ERROR_ENV, "ImportError: no TensorFlow here")
    without = shared.compute(SO.T, SO.B, ONES, True, "float32")
    assert with_tf.tensorflow_error is None
    assert without.tensorflow_error == "ImportError: no TensorFlow here"


def test_an_input_error_is_raised_every_time_not_cached():
    huge = np.full((5, 3), 1e308)
    for _ in range(2):
        with pytest.raises(core.InputError):
            shared.compute(huge, SO.B, ONES, True, "float32")
