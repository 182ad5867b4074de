"""The pitfalls page's snippets, run by TensorFlow: each mistake gives its real outcome, each repair the numbers."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest
from tests_paths import APP

import core
from core import pitfalls
from core.strings import text as t

ROOT = Path(__file__).resolve().parent.parent

SO = core.preset("so-question")
BY_KEY = {p.key: p for p in pitfalls.PITFALLS}
ROW_SUMS = np.ones((5, 3), dtype=np.float32) @ SO.B.T.astype(np.float32)


def run(key: str, which: str = "code", T: np.ndarray = SO.T, B: np.ndarray = SO.B) -> pitfalls.Outcome:
    return pitfalls.run(getattr(BY_KEY[key], which), T, B)


def test_calling_gradient_twice_raises_tensorflows_runtime_error():
    outcome = run("twice")
    assert outcome.kind == "error"
    assert outcome.text == (
        "RuntimeError: A non-persistent GradientTape can only be used to compute one set of gradients (or jacobians)"
    )


@pytest.mark.parametrize("key", ["twice", "slice_outside"])
def test_the_repairs_give_the_gradient_of_y00_row_0_is_column_0_of_b(key):
    outcome = run(key, "fix")
    assert outcome.kind == "value"
    expected = np.zeros((5, 3), dtype=np.float32)
    expected[0] = SO.B[:, 0].astype(np.float32)
    np.testing.assert_array_equal(outcome.value, expected)


@pytest.mark.parametrize("key", ["slice_outside", "unwatched"])
def test_slicing_outside_and_an_unwatched_constant_give_none(key):
    outcome = run(key)
    assert (outcome.kind, outcome.text, outcome.value) == ("none", "None", None)


def test_an_integer_input_gives_none_and_tensorflows_warning():
    outcome = run("integer")
    assert outcome.kind == "none"
    # TensorFlow logs this warning for the first 5 watched integer tensors of a process only, and
    # other tests run the snippet first: a fresh process shows what a fresh server logs.
    script = (
        "import core; from core import pitfalls; p = core.preset('so-question'); "
        "code = next(x for x in pitfalls.PITFALLS if x.key == 'integer').code; print(pitfalls.run(code, p.T, p.B).log)"
    )
    fresh = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    assert "The dtype of the watched tensor must be floating" in fresh.stdout
    fixed = run("integer", "fix")
    B10 = np.round(SO.B * 10)
    np.testing.assert_allclose(fixed.value, np.ones((5, 3)) @ B10.T)


def test_a_seed_of_the_wrong_shape_gives_the_opaque_matmul_error_and_core_a_clear_one():
    outcome = run("seed_shape")
    assert outcome.kind == "error"
    assert outcome.text.startswith("InvalidArgumentError:")
    assert "Matrix size-incompatible" in outcome.text
    with pytest.raises(core.InputError, match=r"The seed G is 6×4 but Y = T @ B is 5×3"):
        core.tf_gradients(SO.T, SO.B, np.ones((6, 4)))


def test_a_seed_of_the_wrong_dtype_fails_inside_matmul():
    outcome = run("seed_dtype")
    assert outcome.kind == "error"
    assert "expected to be a double tensor but is a float tensor" in outcome.text


def test_unconnected_zero_hides_the_missing_watch_behind_zeros():
    outcome = run("unconnected")
    np.testing.assert_array_equal(outcome.value, np.zeros((5, 3), dtype=np.float32))


@pytest.mark.parametrize("key", ["unwatched", "seed_shape", "seed_dtype", "unconnected"])
def test_the_other_repairs_give_the_row_sums_of_b(key):
    outcome = run(key, "fix")
    assert outcome.kind == "value"
    np.testing.assert_allclose(outcome.value, ROW_SUMS, rtol=1e-6)


def test_every_snippet_runs_on_odd_shapes_without_escaping_errors():
    T, B = np.array([[2.0]]), np.array([[3.0, -1.0]])
    for pitfall in pitfalls.PITFALLS:
        for which in ("code", "fix"):
            outcome = pitfalls.run(getattr(pitfall, which), T, B)
            assert outcome.kind in ("value", "none", "error")
            if which == "fix":
                assert outcome.kind == "value", (pitfall.key, outcome)


def test_bad_matrices_raise_input_error_before_any_snippet_runs():
    with pytest.raises(core.InputError):
        pitfalls.run(BY_KEY["twice"].code, [[1.0, 2.0]], [[1.0, 2.0]])


# --- the page --------------------------------------------------------------------------------------


def open_page(**query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    for key, value in query.items():
        at.query_params[key] = value
    PagesManager.uses_pages_directory = False  # as on a server once app.py has run
    at.switch_page("pages/pitfalls.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_page_shows_every_pitfall_with_its_real_outcome():
    at = open_page(preset="so-question")
    headings = [h.value for h in at.subheader]
    assert headings == [t(f"pf.{p.key}.title") for p in pitfalls.PITFALLS]
    code = [c.value for c in at.code]
    assert any(c.startswith("RuntimeError: A non-persistent GradientTape") for c in code)
    assert any("Matrix size-incompatible" in c for c in code)
    assert any(c.startswith("[[-0.17307831  1.1900724   2.245003  ]") for c in code)
    assert "The seed G is 6×4 but Y = T @ B is 5×3: the seed needs Y's shape." in [i.value for i in at.info]
    assert len(at.warning) == 3  # the three snippets that return None
    assert dict(at.query_params) == {"preset": "so-question", "seed": "ones"}


def test_a_tampered_link_is_named_and_the_page_still_runs():
    at = open_page(T="1,2;abc")
    assert any("“T”" in w.value for w in at.warning)
    assert len(at.subheader) == len(pitfalls.PITFALLS)
