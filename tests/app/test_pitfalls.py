"""The pitfalls page's snippets, run by TensorFlow: each mistake gives its real outcome, each repair the numbers."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import core
from core import pitfalls
from tests.helpers.paths import APP, ROOT
from tests.helpers.programs import as_shown, run_fresh, tensors
from ui.text import text as t

SO = core.preset("so-question")
BY_KEY = {p.key: p for p in pitfalls.PITFALLS}
ROW_SUMS = np.ones((5, 3), dtype=np.float32) @ SO.B.T.astype(np.float32)


def run(
    key: str, which: str = "mistake", T: np.ndarray = SO.T, B: np.ndarray = SO.B, dtype: str = "float32"
) -> pitfalls.Run:
    return pitfalls.run(getattr(BY_KEY[key], which)(dtype), T, B, dtype)


def test_calling_gradient_twice_raises_tensorflows_runtime_error():
    outcome = run("twice")
    assert outcome.status == "error"
    assert outcome.text == (
        "RuntimeError: A non-persistent GradientTape can only be used to compute one set of gradients (or jacobians)"
    )


@pytest.mark.parametrize("key", ["twice", "slice_outside"])
def test_the_repairs_give_the_gradient_of_y00_row_0_is_column_0_of_b(key):
    outcome = run(key, "repair")
    assert outcome.status == "value"
    expected = np.zeros((5, 3), dtype=np.float32)
    expected[0] = SO.B[:, 0].astype(np.float32)
    np.testing.assert_array_equal(outcome.value, expected)


@pytest.mark.parametrize("key", ["slice_outside", "unwatched"])
def test_slicing_outside_and_an_unwatched_constant_give_none(key):
    outcome = run(key)
    assert (outcome.status, outcome.text, outcome.value) == ("none", "None", None)


def test_an_integer_input_is_watched_with_a_warning_and_gives_none():
    outcome = run("integer")
    assert (outcome.status, outcome.text) == ("none", "None")
    # What the text says: tape.watch warns (TensorFlow logs it for the first 5 integer tensors of a
    # process only, so a fresh process shows it) and still watches the integer tensor.
    script = (
        "import tensorflow as tf\n"
        "v = tf.Variable([[1, 2]])\n"
        "with tf.GradientTape(watch_accessed_variables=False) as tape:\n"
        "    tape.watch(v)\n"
        "print([w is v for w in tape.watched_variables()])\n"
    )
    fresh = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    assert "The dtype of the watched tensor must be floating" in fresh.stderr
    assert fresh.stdout.strip() == "[True]"
    fixed = run("integer", "repair")
    B10 = np.round(SO.B * 10)
    np.testing.assert_allclose(fixed.value, np.ones((5, 3)) @ B10.T)


def test_a_seed_of_the_wrong_shape_gives_the_opaque_matmul_error_and_core_a_clear_one():
    outcome = run("seed_shape")
    assert outcome.status == "error"
    assert outcome.text.startswith("InvalidArgumentError:")
    assert "Matrix size-incompatible" in outcome.text
    with pytest.raises(core.InputError, match=r"The seed G is 6×4 but Y = T @ B is 5×3"):
        core.tf_gradients(SO.T, SO.B, np.ones((6, 4)))


@pytest.mark.parametrize(
    ("dtype", "message"),
    [
        ("float32", "expected to be a double tensor but is a float tensor"),
        ("float64", "expected to be a float tensor but is a double tensor"),
    ],
)
def test_a_seed_of_the_wrong_dtype_fails_inside_matmul_at_either_precision(dtype, message):
    outcome = run("seed_dtype", dtype=dtype)
    assert outcome.status == "error"
    assert message in outcome.text
    other = pitfalls.OTHER_DTYPE[dtype]
    assert f"dtype=tf.{other})  # but Y is {dtype}" in BY_KEY["seed_dtype"].mistake(dtype)
    assert f"Here Y is {dtype} and the seed {other}." in t("pf.seed_dtype.why", dtype=dtype, other=other)
    repaired = run("seed_dtype", "repair", dtype=dtype)
    assert repaired.value.dtype == np.dtype(dtype)


def test_unconnected_zero_hides_the_missing_watch_behind_zeros():
    outcome = run("unconnected")
    np.testing.assert_array_equal(outcome.value, np.zeros((5, 3), dtype=np.float32))


ROW_SUMS_BY_KEY = ["unwatched", "variable_replaced", "numpy_inside", "non_differentiable", "seed_shape", "seed_dtype"]


@pytest.mark.parametrize("key", [*ROW_SUMS_BY_KEY, "unconnected"])
def test_the_other_repairs_give_the_row_sums_of_b(key):
    outcome = run(key, "repair")
    assert outcome.status == "value"
    np.testing.assert_allclose(outcome.value, ROW_SUMS, rtol=1e-6)
    np.testing.assert_allclose(tensors(outcome.text)[0], outcome.value, rtol=1e-7)  # it printed the value


@pytest.mark.parametrize("key", ["variable_replaced", "numpy_inside", "non_differentiable", "assign_inside"])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_the_pitfalls_students_hit_most_give_none_silently(key, dtype):
    outcome = run(key, dtype=dtype)
    assert (outcome.status, outcome.text, outcome.value) == ("none", "None", None)


def test_the_straight_through_repair_rounds_forward_and_passes_the_gradient_back():
    T = np.array([[0.4, 1.6], [-0.7, 2.2]])
    B = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    outcome = run("non_differentiable", "repair", T, B, "float64")
    np.testing.assert_array_equal(outcome.value, np.ones((2, 3)) @ B.T)


def test_an_assign_inside_the_tape_repaired_gives_twice_the_row_sums():
    outcome = run("assign_inside", "repair", dtype="float64")
    np.testing.assert_allclose(outcome.value, 2 * np.ones((5, 3)) @ SO.B.T, rtol=1e-15)


def test_eleven_pitfalls_each_with_a_title_and_a_reason_in_both_languages():
    assert len(pitfalls.PITFALLS) >= 11
    assert len(BY_KEY) == len(pitfalls.PITFALLS)
    for key in BY_KEY:
        for lang in ("en", "zh"):
            assert t(f"pf.{key}.title", lang=lang) and t(f"pf.{key}.why", lang=lang, dtype="float32", other="float64")


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_every_snippet_runs_on_odd_shapes_without_escaping_errors(dtype):
    T, B = np.array([[2.0]]), np.array([[3.0, -1.0]])
    for pitfall in pitfalls.PITFALLS:
        for which in ("mistake", "repair"):
            outcome = pitfalls.run(getattr(pitfall, which)(dtype), T, B, dtype)
            assert outcome.status in ("value", "none", "error")
            assert not outcome.text.startswith(("NameError", "ImportError", "SyntaxError")), outcome.text
            if which == "repair":
                assert outcome.status == "value", (pitfall.key, outcome)
                assert outcome.value.dtype == np.dtype(dtype), pitfall.key


def test_a_snippet_runs_with_no_name_given_beforehand():
    """The shown setup must define everything: without `import tensorflow as tf`, a snippet fails."""
    assert pitfalls.setup_code(SO.T, SO.B, "float32").startswith("import tensorflow as tf\n")
    outcome = pitfalls.run("print(np.zeros(1))\nresult = None\n", SO.T, SO.B)
    assert outcome.text == "NameError: name 'np' is not defined"


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_setup_and_snippets_copied_as_shown_print_the_same_in_a_fresh_python(dtype, tmp_path):
    """What a learner does: paste the setup lines and a snippet into a new Python, and run it."""
    T, B = np.array([[1.5, -0.0], [0.25, 3.0]]), np.array([[2.0, -1.0, 0.5], [-0.0, 4.0, 1.25]])
    runs = [(p, which) for p in pitfalls.PITFALLS for which in ("mistake", "repair")]
    programs = [pitfalls.setup_code(T, B, dtype) + "\n" + getattr(p, which)(dtype) for p, which in runs]
    # One fresh interpreter runs every program, each in a namespace of its own, as a new file would.
    for (p, which), result in zip(runs, run_fresh(programs, tmp_path), strict=True):
        shown = pitfalls.run(getattr(p, which)(dtype), T, B, dtype).text
        assert as_shown(result) == shown, (p.key, which)


def test_bad_matrices_raise_input_error_before_any_snippet_runs():
    with pytest.raises(core.InputError):
        pitfalls.run(BY_KEY["twice"].mistake("float32"), [[1.0, 2.0]], [[1.0, 2.0]])


# --- the page --------------------------------------------------------------------------------------


def open_page(**query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    for key, value in query.items():
        at.query_params[key] = value
    at.switch_page("pages/pitfalls.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.usefixtures("app_navigation")  # as on a server once app.py has run
def test_the_page_shows_every_pitfall_with_its_real_outcome():
    at = open_page(preset="so-question")
    headings = [h.value for h in at.subheader]
    assert headings == [t(f"pf.{p.key}.title") for p in pitfalls.PITFALLS]
    code = [c.value for c in at.code]
    assert any(c.startswith("RuntimeError: A non-persistent GradientTape") for c in code)
    assert any("Matrix size-incompatible" in c for c in code)
    assert any(c.startswith("tf.Tensor(\n[[-0.17307831  1.1900724   2.245003  ]") for c in code)
    assert "The seed G is 6×4 but Y = T @ B is 5×3: the seed needs Y's shape." in [i.value for i in at.info]
    assert len(at.warning) == 7  # the seven snippets whose result is None
    assert code[0] == pitfalls.setup_code(SO.T, SO.B, "float32").rstrip("\n")
    assert code[0].startswith("import tensorflow as tf\n")
    assert BY_KEY["seed_dtype"].mistake("float32").rstrip("\n") in code
    assert dict(at.query_params) == {"preset": "so-question", "seed": "ones"}


@pytest.mark.usefixtures("app_navigation")  # as on a server once app.py has run
def test_at_float64_the_dtype_pitfall_still_shows_the_mismatch():
    at = open_page(preset="so-question", dtype="float64")
    code = [c.value for c in at.code]
    assert BY_KEY["seed_dtype"].mistake("float64").rstrip("\n") in code
    assert any("expected to be a float tensor but is a double tensor" in c for c in code)
    assert any("Here Y is float64 and the seed float32." in m.value for m in at.markdown)


@pytest.mark.usefixtures("app_navigation")  # as on a server once app.py has run
def test_a_tampered_link_is_named_and_the_page_still_runs():
    at = open_page(T="1,2;abc")
    assert any("“T”" in w.value for w in at.warning)
    assert len(at.subheader) == len(pitfalls.PITFALLS)


def test_a_seed_with_only_the_wrong_number_of_rows_silently_gives_a_gradient_of_the_wrong_shape():
    """What pf.seed_shape.why says in parentheses: TensorFlow does not check the seed's shape."""
    code = (
        "with tf.GradientTape() as tape:\n"
        "    tape.watch(T)\n"
        "    Y = tf.matmul(T, B)\n"
        "result = tape.gradient(Y, T, output_gradients=tf.ones((m + 1, n), dtype=T.dtype))\n"
        "print(result.shape)\n"
    )
    outcome = pitfalls.run(code, SO.T, SO.B)
    assert (outcome.status, outcome.text) == ("value", "(6, 3)")  # Y and dL/dT are 5×3
    assert "silently returns a gradient of the wrong shape" in t("pf.seed_shape.why")
