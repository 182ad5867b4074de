"""core.lesson: the one sentence each seed makes true, the row-sum link, and what an edit changed;
core.explain's marks and steps for the stepper through a sum."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from core import explain, seeds
from core.lesson import changed_cells, lesson, unchanged_gradient, with_row_sums
from core.presets import PRESETS

SO = PRESETS["so-question"]
T, B = SO.T, SO.B


def test_the_all_ones_seed_says_every_row_is_b_row_sums_as_the_cells_write_them():
    the_lesson = lesson(B, np.ones((5, 3)))
    assert the_lesson.case == "ones" and the_lesson.row_sums
    assert the_lesson.sentence() == "Every row of dL/dT is B's row sums: −0.1731, 1.19, 2.245."
    assert the_lesson.sentence("zh") == "dL/dT 的每一行都是 B 的行和：−0.1731, 1.19, 2.245。"
    dT = np.ones((5, 3)) @ B.T
    for p, value in enumerate(the_lesson.values):  # the sentence is true
        assert np.allclose(dT[:, p], value)


def test_one_entry_says_which_row_is_which_column_of_b():
    the_lesson = lesson(B, seeds.one_entry(5, 3, 2, 1))
    assert the_lesson.sentence() == "Row 2 of dL/dT is column 1 of B: −0.5344, −0.1012, 1.261. Every other row is 0."
    dT = seeds.one_entry(5, 3, 2, 1) @ B.T
    assert np.allclose(dT[2], B[:, 1]) and not dT[[0, 1, 3, 4]].any()


@pytest.mark.parametrize(
    ("G", "case", "i", "j"),
    [
        (seeds.row(5, 3, 3), "row", 3, 0),
        (seeds.column(5, 3, 2), "col", 0, 2),
        (np.zeros((5, 3)), "zero", 0, 0),
        (seeds.entries(5, 3, [(0, 0), (1, 1)]), "mixed", 0, 0),
        (np.full((5, 3), 2.0), "mixed", 0, 0),  # a scaled seed is no longer the row sums
        (seeds.one_entry(5, 3, 1, 1) * 3, "mixed", 0, 0),
    ],
)
def test_the_case_is_read_from_g_not_from_how_it_was_chosen(G, case, i, j):
    the_lesson = lesson(B, G)
    assert (the_lesson.case, the_lesson.i, the_lesson.j) == (case, i, j)


def test_custom_weights_of_all_ones_get_the_all_ones_sentence():
    spec = seeds.SeedSpec("weights", weights=((1.0, 1.0, 1.0),) * 5)
    assert lesson(B, spec.matrix(5, 3)).case == "ones"


def test_the_link_follows_row_p_of_b_to_column_p_of_dl_dt():
    ones = lesson(B, np.ones((5, 3)))
    from_B, to_dT = ones.link(1)
    assert from_B == ((1, 0), (1, 1), (1, 2), (1, 3))  # the row and its Σ cell
    assert to_dT == tuple((i, 1) for i in range(5))
    entry = lesson(B, seeds.one_entry(5, 3, 2, 1))
    assert entry.link(0) == (((0, 1),), ((2, 0),))  # dL/dT[2,0] is B[0,1]
    row = lesson(B, seeds.row(5, 3, 4))
    assert row.link(2)[1] == ((4, 2),)


def test_b_with_row_sums_adds_one_column():
    shown = with_row_sums(B)
    assert shown.shape == (3, 4)
    assert np.allclose(shown[:, 3], B.sum(axis=1)) and np.array_equal(shown[:, :3], B)


@settings(max_examples=60, deadline=None)
@given(arrays(np.float64, (3, 2), elements=st.floats(-5, 5)), st.integers(0, 3), st.integers(0, 1))
def test_every_sentence_the_lesson_states_is_true(B_, i, j):
    for G in (np.ones((4, 2)), seeds.row(4, 2, i), seeds.column(4, 2, j), seeds.one_entry(4, 2, i, j)):
        the_lesson, dT = lesson(B_, G), G @ B_.T
        rows = [the_lesson.i] if the_lesson.case in ("row", "entry") else range(4)
        for r in rows:
            assert np.allclose(dT[r], the_lesson.values)
        assert not np.delete(dT, list(rows), axis=0).any()


def test_changed_cells_compares_exactly_and_nan_equals_nan():
    before = np.array([[1.0, np.nan], [3.0, 4.0]])
    after = np.array([[1.0, np.nan], [3.0000001, 4.0]])
    assert changed_cells(before, after) == ((1, 0),)
    assert changed_cells(None, after) == ()
    assert changed_cells(np.ones((2, 3)), after) == ()  # a new shape: nothing to compare


def test_an_edit_to_one_matrix_names_the_gradient_it_cannot_change():
    assert unchanged_gradient({"T": ((1, 1),), "B": (), "G": ()}) == "T"
    assert unchanged_gradient({"T": (), "B": ((0, 0),), "G": ()}) == "B"
    assert unchanged_gradient({"T": ((1, 1),), "B": ((0, 0),), "G": ()}) is None
    assert unchanged_gradient({"T": (), "B": (), "G": ((0, 0),)}) is None
    assert unchanged_gradient({}) is None


def test_sum_steps_add_up_to_the_entry_term_by_term():
    worked = explain.worked_sum(T, B, np.ones((5, 3)), "T", 0, 0)
    steps = explain.sum_steps(T, B, np.ones((5, 3)), worked)
    assert [s.symbol for s in steps] == ["G[0,0]·B[0,0]", "G[0,1]·B[0,1]", "G[0,2]·B[0,2]"]
    assert [s.b for s in steps] == list(B[0])
    assert np.allclose([s.total for s in steps], np.cumsum(B[0]))
    assert steps[-1].total == pytest.approx(worked.value)
    worked_B = explain.worked_sum(T, B, np.ones((5, 3)), "B", 2, 1)
    steps_B = explain.sum_steps(T, B, np.ones((5, 3)), worked_B)
    assert [s.a for s in steps_B] == list(T[:, 2]) and steps_B[-1].total == pytest.approx(T[:, 2].sum())


def test_sum_marks_single_out_the_current_term_and_dash_the_others():
    worked = explain.worked_sum(T, B, np.ones((5, 3)), "T", 0, 2)
    none = explain.sum_marks(worked)
    assert none.B == ((2, 0), (2, 1), (2, 2)) and none.G == ((0, 0), (0, 1), (0, 2)) and not none.step_B
    second = explain.sum_marks(worked, 2)
    assert second.step_B == ((2, 1),) and second.step_G == ((0, 1),)
    assert second.B == ((2, 0), (2, 2)) and second.G == ((0, 0), (0, 2))
    worked_B = explain.worked_sum(T, B, np.ones((5, 3)), "B", 1, 0)
    assert explain.sum_marks(worked_B, 5).step_T == ((4, 1),)
    assert explain.sum_marks(None, 1) == explain.Marks()


def test_a_row_that_adds_up_to_zero_is_written_as_zero_not_as_rounding_noise():
    B_ = np.array([[3.0, -3.0, 1.2], [-0.6, 2.4, -1.8]])
    assert B_.sum(axis=1)[1] != 0  # float64 says −2.22e−16
    assert with_row_sums(B_)[1, 3] == 0.0
    assert lesson(B_, np.ones((2, 3))).sentence() == "Every row of dL/dT is B's row sums: 1.2, 0."
