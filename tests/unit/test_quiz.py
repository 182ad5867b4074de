"""core.quiz: problems from a problem seed, answers from TensorFlow, and the check of a prediction."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import core
from core import quiz
from core.explain import fmt
from core.seeds import SEED_KINDS

MANY = range(400)  # problem seeds swept by the tests over "every problem"


@pytest.fixture(scope="module")
def problems() -> list[quiz.QuizProblem]:
    return [quiz.make_problem(q) for q in MANY]


def first(problems, predicate) -> quiz.QuizProblem:
    return next(p for p in problems if predicate(p))


def as_text(M: np.ndarray) -> list[list[str]]:
    """A gradient typed the way a student types it: '3', '−2' (a real minus sign), '0'."""
    return [[fmt(x) for x in row] for row in M]


# --- problems ---------------------------------------------------------------------------------


def test_same_problem_seed_gives_the_same_problem():
    a, b = quiz.make_problem(42), quiz.make_problem(42)
    for field in ("T", "B", "G", "answer"):
        np.testing.assert_array_equal(getattr(a, field), getattr(b, field))
    assert (a.q, a.seed, a.wrt, a.cell) == (b.q, b.seed, b.wrt, b.cell)


def test_problem_42_is_stable_across_versions():
    # A teacher's link must keep showing the same problem: these numbers are the contract.
    p = quiz.make_problem(42)
    np.testing.assert_array_equal(p.T, [[0, 0, 3]])
    np.testing.assert_array_equal(p.B, [[-3, 1], [-2, -3], [0, 3]])
    assert p.seed == core.SeedSpec("col", index=1)
    assert (p.wrt, p.cell) == ("B", None)
    np.testing.assert_array_equal(p.answer, [[0, 0], [0, 0], [0, 3]])


def test_different_problem_seeds_give_different_problems(problems):
    distinct = {(p.T.tobytes(), p.B.tobytes(), p.G.tobytes(), p.wrt, p.cell) for p in problems}
    assert len(distinct) > 0.95 * len(problems)


def test_shapes_are_at_most_3_and_entries_small_integers(problems):
    for p in problems:
        m, k, n = p.shape
        assert 1 <= m <= 3 and 1 <= k <= 3 and 1 <= n <= 3, p.q
        assert p.B.shape == (k, n) and p.G.shape == (m, n)
        for M, (low, high) in ((p.T, quiz.VALUES), (p.B, quiz.VALUES), (p.G, quiz.WEIGHTS)):
            assert np.array_equal(M, np.round(M)), p.q
            assert M.min() >= low and M.max() <= high, p.q
            assert M.any(), f"problem {p.q} has an all-zero matrix"
        assert p.answer.shape == ((m, k) if p.wrt == "T" else (k, n))
        assert np.array_equal(p.answer, np.round(p.answer)), "answers are whole numbers"


def test_every_seed_kind_and_both_question_kinds_appear(problems):
    assert set(Counter(p.seed.kind for p in problems)) == set(SEED_KINDS)
    asked = Counter((p.wrt, p.cell is None) for p in problems)
    assert set(asked) == {("T", True), ("T", False), ("B", True), ("B", False)}


def test_seed_matrix_is_what_the_seed_kind_says(problems):
    for p in problems:
        m, _, n = p.shape
        np.testing.assert_array_equal(p.G, p.seed.matrix(m, n))
        if p.seed.kind == "entries":
            assert 2 <= len(p.seed.cells) <= 3 and len(set(p.seed.cells)) == len(p.seed.cells)


def test_one_asked_entry_lies_inside_the_gradient(problems):
    for p in problems:
        if p.cell is not None:
            rows, cols = p.answer_shape
            assert 0 <= p.cell[0] < rows and 0 <= p.cell[1] < cols
            assert p.cells() == [p.cell]
        else:
            assert len(p.cells()) == p.answer.size


def test_answers_are_tensorflow_and_equal_the_formulas(problems):
    for p in problems:
        assert p.agrees, p.q
        formula = p.G @ p.B.T if p.wrt == "T" else p.T.T @ p.G
        np.testing.assert_array_equal(p.answer, formula)
        np.testing.assert_array_equal(p.analytic, formula)


def test_answer_with_the_all_ones_seed_repeats_b_row_sums():
    p = first([quiz.make_problem(q) for q in MANY], lambda p: p.seed.kind == "ones" and p.wrt == "T")
    for row in p.answer:
        np.testing.assert_array_equal(row, p.B.sum(axis=1))


@pytest.mark.parametrize("q", [-1, 1_000_000, 2.0, "7", True, None])
def test_make_problem_refuses_what_is_not_a_problem_number(q):
    with pytest.raises(core.InputError, match="not a problem number"):
        quiz.make_problem(q)


def test_problem_numbers_at_both_ends_work():
    assert quiz.make_problem(quiz.Q_MIN).q == 0
    assert quiz.make_problem(quiz.Q_MAX).q == 999_999


# --- the q= of a share link -------------------------------------------------------------------


@pytest.mark.parametrize(("text", "q"), [("42", 42), (" 7 ", 7), ("0", 0), ("999999", 999_999), ("000042", 42)])
def test_parse_q_reads_a_problem_number(text, q):
    assert quiz.parse_q(text) == q


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("abc", "“abc” is not a problem number: use a whole number from 0 to 999999."),
        ("", "“” is not a problem number"),
        ("4.2", "“4.2” is not a problem number"),
        ("１２", "“１２” is not a problem number"),
        ("-5", "“-5” is not a problem number: problem numbers run from 0 to 999999."),
        ("1000000", "“1000000” is not a problem number: problem numbers run from 0 to 999999."),
        ("99999999", "“99999999” is not a problem number"),
        ("9" * 5000, "is not a problem number"),  # far too long for int(): refused before it
    ],
)
def test_parse_q_refuses_anything_else_and_says_what_q_is(text, message):
    with pytest.raises(core.InputError) as caught:
        quiz.parse_q(text)
    assert message in caught.value.message
    assert len(caught.value.message) < 200


def test_new_q_is_a_valid_problem_number_other_than_the_current_one():
    for _ in range(200):
        q = quiz.new_q(avoid=5)
        assert q != 5 and quiz.Q_MIN <= q <= quiz.Q_MAX


# --- checking a prediction --------------------------------------------------------------------


def test_the_right_whole_gradient_is_all_correct(problems):
    for p in problems:
        prediction = as_text(p.answer) if p.cell is None else fmt(p.answer[p.cell])
        result = quiz.check(p, prediction)
        assert result.correct and not result.wrong, p.q
        assert result.right == len(result.entries) == len(p.cells())
        assert all(e.worked is None for e in result.entries)


def test_one_wrong_entry_is_marked_with_its_worked_sum():
    p = quiz.make_problem(42)  # dL/dB = [[0, 0], [0, 0], [0, 3]]
    typed = [["0", "0"], ["0", "−0"], ["0", "2"]]
    result = quiz.check(p, typed)
    assert not result.correct
    assert result.right == 5
    (wrong,) = result.wrong
    assert (wrong.label, wrong.cell, wrong.predicted, wrong.answer) == ("dL/dB[2,1]", (2, 1), 2.0, 3.0)
    assert wrong.worked.entry == "dL/dB[2,1]"
    assert wrong.worked.symbols == "T[0,2]·G[0,1]"
    assert wrong.worked.numbers == "3·1"
    assert wrong.worked.value == 3.0


def test_worked_sums_of_wrong_entries_add_up_to_the_answer(problems):
    for p in problems:
        wrong = p.answer + 1
        prediction = as_text(wrong) if p.cell is None else fmt(wrong[p.cell])
        result = quiz.check(p, prediction)
        assert result.right == 0 and len(result.wrong) == len(p.cells())
        for e in result.wrong:
            assert e.worked.entry == e.label
            assert e.worked.value == e.answer
            terms = p.shape[2] if p.wrt == "T" else p.shape[0]  # Σ over p (n terms) or over i (m terms)
            assert e.worked.symbols.count("·") == terms


def test_mixed_prediction_marks_exactly_the_wrong_cells():
    p = first([quiz.make_problem(q) for q in MANY], lambda p: p.cell is None and p.answer.size >= 4)
    guess = p.answer.copy()
    guess[0, 0] += 1
    guess[-1, -1] -= 2
    result = quiz.check(p, guess.tolist())
    assert {e.cell for e in result.wrong} == {(0, 0), (p.answer.shape[0] - 1, p.answer.shape[1] - 1)}
    assert result.right == p.answer.size - 2


def test_a_dataframe_from_the_data_editor_is_accepted():
    pd = pytest.importorskip("pandas")
    p = quiz.make_problem(42)
    frame = pd.DataFrame(as_text(p.answer), columns=["0", "1"], dtype="string")
    assert quiz.check(p, frame).correct
    frame.iloc[1, 0] = pd.NA  # a cell the student left empty
    with pytest.raises(core.InputError, match=r"^Your dL/dB\[1,0\] is empty"):
        quiz.check(p, frame)


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("3", 3.0),
        ("-2", -2.0),
        ("−2", -2.0),  # U+2212, the minus sign the page itself writes
        (" 2.5 ", 2.5),
        ("+4", 4.0),
        ("7/2", 3.5),
        ("−7 / 2", -3.5),
        ("1e1", 10.0),
    ],
)
def test_parse_prediction_reads_what_a_student_types(typed, value):
    assert quiz.parse_prediction(typed, "dL/dT[0,0]") == value


def test_parse_prediction_takes_numbers_too():
    assert quiz.parse_prediction(3, "dL/dT[0,0]") == 3.0
    assert quiz.parse_prediction(np.float64(-1.5), "dL/dT[0,0]") == -1.5


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("abc", "Your dL/dT[1,0] is “abc”, which is not a number."),
        ("2,5", "Your dL/dT[1,0] is “2,5”, which is not a number."),
        ("nan", "Your dL/dT[1,0] is “nan”, which is not a number."),
        ("inf", "Your dL/dT[1,0] is “inf”, which is not a number."),
        ("1/0", "Your dL/dT[1,0] is “1/0”, which is not a number."),
        ("1_000", "Your dL/dT[1,0] is “1_000”, which is not a number."),
        ("1e999", "Your dL/dT[1,0] is “1e999”, which is too large"),
        ("", "Your dL/dT[1,0] is empty: type a number there."),
        ("   ", "Your dL/dT[1,0] is empty: type a number there."),
        (None, "Your dL/dT[1,0] is empty: type a number there."),
        (float("nan"), "Your dL/dT[1,0] is empty: type a number there."),  # an empty data editor cell
        ("x" * 10_000, "Your dL/dT[1,0] is “xxxxxxxxxxxxxxxxxxxxxxx…”, which is not a number."),
    ],
)
def test_bad_prediction_names_the_cell(typed, message):
    with pytest.raises(core.InputError) as caught:
        quiz.parse_prediction(typed, "dL/dT[1,0]")
    assert caught.value.message.startswith(message)


def test_check_names_the_first_bad_cell_and_judges_nothing():
    p = quiz.make_problem(42)  # dL/dB is 3×2
    typed = [["0", "0"], ["0", "zero"], ["0", ""]]
    with pytest.raises(core.InputError) as caught:
        quiz.check(p, typed)
    assert caught.value.message.startswith("Your dL/dB[1,1] is “zero”, which is not a number.")


def test_check_of_one_entry_names_that_entry():
    p = first([quiz.make_problem(q) for q in MANY], lambda p: p.cell is not None and p.wrt == "T")
    i, j = p.cell
    with pytest.raises(core.InputError, match=rf"Your dL/dT\[{i},{j}\] is “abc”"):
        quiz.check(p, "abc")
    assert quiz.check(p, fmt(p.answer[i, j])).correct  # fmt writes a real minus sign: "−2"


@pytest.mark.parametrize("typed", [[["0", "0"], ["0", "0"]], [["0"] * 3] * 3, "3", [["0", "0"], ["0"], ["0", "3"]]])
def test_a_whole_gradient_of_the_wrong_shape_is_refused(typed):
    with pytest.raises(core.InputError, match=r"Your dL/dB needs 3×2 entries"):
        quiz.check(quiz.make_problem(42), typed)


@settings(max_examples=60, deadline=None)
@given(q=st.integers(quiz.Q_MIN, quiz.Q_MAX), offset=st.integers(-5, 5).filter(bool))
def test_any_problem_right_is_right_and_off_by_any_amount_is_wrong(q, offset):
    p = quiz.make_problem(q)
    assert p.agrees
    for cell in p.cells():
        guess = p.answer.copy()
        guess[cell] += offset
        prediction = guess.tolist() if p.cell is None else str(guess[cell])
        result = quiz.check(p, prediction)
        assert [e.cell for e in result.wrong] == [cell]


# --- what the page writes about a problem -------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "loss"),
    [
        (core.SeedSpec("ones"), "sum(Y)"),
        (core.SeedSpec("entry", cells=((1, 0),)), "Y[1,0]"),
        (core.SeedSpec("entries", cells=((0, 1), (2, 0))), "Y[0,1] + Y[2,0]"),
        (core.SeedSpec("row", index=2), "sum(Y[2, :])"),
        (core.SeedSpec("col", index=0), "sum(Y[:, 0])"),
        (core.SeedSpec("weights", weights=((1.0, 2.0),)), "sum(G ⊙ Y)"),
    ],
)
def test_seed_loss_names_the_loss_the_seed_stands_for(spec, loss):
    assert core.seeds.seed_loss(spec) == loss


def test_question_code_asks_for_the_value_to_predict():
    whole = quiz.make_problem(42)
    assert quiz.question_code(whole).endswith("print(dB)  # ?")
    assert "output_gradients=G" in quiz.question_code(whole)
    ones = first([quiz.make_problem(q) for q in MANY], lambda p: p.seed.kind == "ones" and p.cell is not None)
    code = quiz.question_code(ones)
    assert "dT, dB = tape.gradient(Y, [T, B])\n" in code
    assert code.endswith(f"print(d{ones.wrt}[{ones.cell[0]}, {ones.cell[1]}])  # ?")
