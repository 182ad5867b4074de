"""Degraded mode: without TensorFlow the app says so and serves the formulas' results.

serve.py sets GRADFLOW_TENSORFLOW_ERROR when its trial import fails (tests/e2e/test_degraded_browser.py
starts a real server that way); here the variable is set directly, in core and through AppTest.
"""

from __future__ import annotations

import numpy as np
import pytest

import core
from core.engine import TENSORFLOW_ERROR_ENV
from tests.helpers.apptest import shown, start, values
from ui.text import text

SO = core.preset("so-question")
REASON = "ImportError: libtensorflow_framework.so.2: cannot open shared object file"


@pytest.fixture
def without_tensorflow(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TENSORFLOW_ERROR_ENV, REASON)


def test_tensorflow_problem_is_none_when_tensorflow_imports():
    assert core.tensorflow_problem() is None


def test_tensorflow_problem_reports_the_reason(without_tensorflow):
    assert core.tensorflow_problem() == REASON


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_compute_serves_the_formulas_in_the_page_s_dtype(without_tensorflow, dtype):
    G = np.ones((5, 3))
    result = core.compute(SO.T, SO.B, G, True, dtype)
    assert result.tensorflow_error == REASON
    assert result.tf.dT.dtype == np.dtype(dtype)
    np.testing.assert_array_equal(result.tf.dT, (G @ SO.B.T).astype(dtype))
    np.testing.assert_array_equal(result.tf.dB, (SO.T.T @ G).astype(dtype))
    assert result.agreement.ok and result.precision is None


def test_compute_still_refuses_overflow_without_tensorflow(without_tensorflow):
    with pytest.raises(core.InputError) as info:
        core.compute(np.full((2, 2), 1e30), np.full((2, 2), 1e30), np.ones((2, 2)), True, "float32")
    assert info.value.key == "err.overflow"


def test_the_quiz_answer_is_the_formula_s(without_tensorflow):
    from core import quiz

    problem = quiz.make_problem(42)
    np.testing.assert_array_equal(problem.answer, problem.analytic)


def test_playground_says_so_and_shows_the_formulas(without_tensorflow):
    at = start(preset="so-question")
    assert not at.exception
    notices = [w for w in values(at.warning) if w.startswith(text("common.no_tf", reason="")[:40])]
    assert len(notices) == 1 and REASON[:60] in notices[0]
    np.testing.assert_array_equal(
        shown(at, "dL/dT").astype(np.float32), np.tile(SO.B.sum(axis=1).astype(np.float32), (5, 1))
    )
    assert any(v.startswith("Without TensorFlow") for v in values(at.success))


def test_the_notice_is_absent_when_tensorflow_works():
    at = start(preset="so-question")
    assert not [w for w in values(at.warning) if "TensorFlow could not be loaded" in w]
