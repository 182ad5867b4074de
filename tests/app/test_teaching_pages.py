"""The /jacobian and /losses pages driven through Streamlit's AppTest, as the real app runs them.

Every test starts its own session of app.py, so `st.navigation` registers the pages and runs the one
asked for; the numbers on the page (sentences, heatmap data, metric, URL) are checked against
TensorFlow through `core`. Bad link parameters must give a warning that names the parameter, never
a traceback.

A Streamlit quirk shapes the fixture below. With a `pages/` folder next to app.py, Streamlit runs in
legacy "MPA v1" mode (it runs `pages/jacobian.py` directly, without app.py) until some run has
called `st.navigation` in the process, and AppTest resets that switch before every run. So a plain
`AppTest` that switches to /jacobian never executes app.py. `app` pins the switch the way a
server is after app.py has run once; `test_first_visit_to_a_teaching_page_runs_app_navigation`
shows what happens without it.
"""

from __future__ import annotations

import base64
import json
import re
from typing import Any

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import core
from core import jacobian as jac
from core import jacobian_figure as jac_figure
from core import losses
from core.explain import fmt
from core.textforms import format_matrix
from tests.helpers import real_app
from tests.helpers.apptest import APP, TIMEOUT, editor_texts, editor_values, url
from tests.helpers.apptest import values as texts
from ui.text import text as t

SO = core.preset("so-question")
SO_T, SO_B = SO.T, SO.B
TEACHING_TITLES = {t("nav.playground"), t("nav.jacobian"), t("nav.losses")}
SHAPES = (
    "`tape.jacobian(Y, T).shape` = (5, 3, 5, 3)  ·  `tape.jacobian(Y, B).shape` = (5, 3, 3, 3)  ·  "
    "`tape.batch_jacobian(Y, T).shape` = (5, 3, 3)"
)
CHECK = "The weighted sum of rows equals `tape.gradient`: largest difference "
AGREE = "The two agree: largest difference "


# --- running the real app -------------------------------------------------------------------------


@pytest.fixture(scope="module", autouse=True)
def tensorflow_imported():
    """Import TensorFlow before the first AppTest run, so no run waits for the import (seconds)."""
    core.tf_jacobians(SO_T, SO_B)


class RealApp(real_app.RealApp):
    """tests/helpers/real_app.py's RealApp, also checking that every run registered the teaching pages."""

    def run(self, at: AppTest) -> AppTest:
        super().run(at)
        assert set(self.navigation_calls[0]) >= TEACHING_TITLES
        return at


@pytest.fixture
def app(app_navigation: list[list[str]]) -> RealApp:
    """tests/app/conftest.py's `app`, with the check above."""
    return RealApp(app_navigation)


def one(elements: Any, start: str) -> str:
    """The single text among `elements` that starts with `start`."""
    found = [value for value in texts(elements) if value.startswith(start)]
    assert len(found) == 1, (start, texts(elements))
    return found[0]


def charts(at: AppTest) -> dict[str, dict]:
    """Every heatmap's Plotly spec, by title."""
    specs = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    return {spec["layout"]["title"]["text"]: spec for spec in specs if "title" in spec["layout"]}  # not the legend


def z(spec: dict) -> np.ndarray:
    """The heatmap's values (Plotly sends NumPy arrays as base64 `bdata`)."""
    data = spec["data"][0]["z"]
    if isinstance(data, dict):
        shape = tuple(int(s) for s in str(data["shape"]).split(","))
        return np.frombuffer(base64.b64decode(data["bdata"]), dtype=data["dtype"]).reshape(shape)
    return np.array(data, dtype=np.float64)


def framed_rows(spec: dict) -> list[int]:
    """The rows with a frame across the whole width (the rows of the weights G the seed picks)."""
    cols = z(spec).shape[1]
    return [
        int(shape["y0"] + 0.5)
        for shape in spec["layout"].get("shapes", [])
        if shape["x0"] == -0.5 and shape["x1"] == cols - 0.5 and shape["y1"] - shape["y0"] == 1
    ]


def marked_rows(spec: dict) -> list[int]:
    """The block matrix's rows with a seed bar beside them (core.jacobian_figure), by row index."""
    bars = [shape for shape in spec["layout"].get("shapes", []) if shape.get("name") == "seed"]
    return [int(bar["y0"] // jac_figure.ROW) for bar in bars]


def number(sentence: str, before: str) -> float:
    """The number written right after `before` in a sentence (a real minus sign read as '-')."""
    found = re.search(re.escape(before) + r"\s*([−\-0-9.e+]+)", sentence)
    assert found, (before, sentence)
    return float(found.group(1).rstrip(".").replace("−", "-"))


# --- /jacobian ----------------------------------------------------------------------------------


def test_jacobian_reference_case_shapes_structure_and_check(app):
    at = app.open("jacobian", preset="so-question")
    assert texts(at.title) == [t("jac.title")]
    assert not at.warning
    assert "Showing **so-question**: T is 5×3, B is 3×3, seed `ones`, float32." in texts(at.markdown)
    assert SHAPES in texts(at.markdown)
    assert "(5, 3, 5, 3)" in SHAPES and "(5, 3, 3, 3)" in SHAPES and "(5, 3, 3)" in SHAPES
    assert one(at.caption, "`batch_jacobian` treats the first axis as a batch")

    J_T, _ = core.tf_jacobians(SO_T, SO_B)
    kron_T, _ = jac.structure(SO_T, SO_B)
    tiny = float(np.max(np.abs(J_T.reshape(15, 15) - kron_T)))
    structure = one(at.markdown, "Rows are the entries Y[a,b], columns the entries T[i,j]")
    assert "it is kron(I_m, Bᵀ)" in structure
    assert structure.endswith(f"Largest difference between TensorFlow's Jacobian and kron(I_m, Bᵀ): {tiny:.2g}.")
    assert 0 < number(structure, "kron(I_m, Bᵀ):") < 1e-7

    block = charts(at)["dY/dT: (5, 3, 5, 3) → 15×15"]
    np.testing.assert_array_equal(z(block), J_T.reshape(15, 15))
    assert block["layout"]["yaxis"]["ticktext"] == [f"Y[{a},{b}]" for a in range(5) for b in range(3)]
    assert block["layout"]["xaxis"]["ticktext"] == [f"T[{i},{j}]" for i in range(5) for j in range(3)]
    assert marked_rows(block) == []  # the all-ones seed picks every row: the legend says so instead
    assert one(at.caption, "· is a zero.") == t("jac.marks_all", block=3)

    assert one(at.info, "The seed is all ones, so dL/dT is the plain sum of all the Jacobian's rows")
    check = one(at.success, CHECK)
    assert 0 <= number(check, "largest difference") < 1e-6
    assert not [e for e in texts(at.error) if "bug" in e]
    summed = charts(at)["Σ weight × row, folded: dL/dT (5×3)"]
    gradient = charts(at)["tape.gradient: dL/dT (5×3)"]
    np.testing.assert_array_equal(z(gradient), core.tf_gradients(SO_T, SO_B).dT)
    np.testing.assert_allclose(z(summed), z(gradient), rtol=0, atol=1e-6)
    np.testing.assert_allclose(z(gradient)[3], SO_B.sum(axis=1), rtol=1e-6)

    code = at.code[0].value
    assert "# shape (5, 3, 5, 3)" in code and "# shape (5, 3, 3, 3)" in code and "# shape (5, 3, 3)" in code
    assert url(at) == {"preset": "so-question", "seed": "ones"}


def test_jacobian_wrt_b_from_the_link_stays_in_the_url_and_the_radio_switches_back(app):
    at = app.open("jacobian", preset="so-question", wrt="B", seed="row:1")
    assert at.radio(key="jac_wrt").value == "B"
    structure = one(at.markdown, "Rows are the entries Y[a,b], columns the entries B[j,p]")
    assert "the matrix is kron(T, I_n)" in structure
    assert number(structure, "kron(T, I_n):") < 1e-7
    block = charts(at)["dY/dB: (5, 3, 3, 3) → 15×9"]
    np.testing.assert_array_equal(z(block), np.kron(SO_T, np.eye(3)).astype(np.float32))
    assert block["layout"]["xaxis"]["ticktext"] == [f"B[{j},{p}]" for j in range(3) for p in range(3)]
    assert marked_rows(block) == [3, 4, 5]  # row 1 of Y: Y[1,0], Y[1,1], Y[1,2]
    assert one(at.info, "The seed weights 3 of the Jacobian's 15 rows")
    assert number(one(at.success, CHECK), "largest difference") < 1e-6
    # dL/dB for the seed on row 1 of Y: every column is row 1 of T.
    gradient = z(charts(at)["tape.gradient: dL/dB (3×3)"])
    np.testing.assert_allclose(gradient, np.tile(SO_T[1][:, None], (1, 3)), rtol=1e-6)
    assert url(at) == {"preset": "so-question", "seed": "row:1", "wrt": "B"}

    at.radio(key="jac_wrt").set_value("T")
    app.run(at)
    assert "dY/dT: (5, 3, 5, 3) → 15×15" in charts(at)
    assert one(at.markdown, "Rows are the entries Y[a,b], columns the entries T[i,j]")
    assert url(at) == {"preset": "so-question", "seed": "row:1"}

    at.radio(key="jac_wrt").set_value("B")
    app.run(at)
    assert "dY/dB: (5, 3, 3, 3) → 15×9" in charts(at)
    assert url(at) == {"preset": "so-question", "seed": "row:1", "wrt": "B"}


def test_jacobian_one_entry_seed_frames_one_row_and_names_it(app):
    at = app.open("jacobian", preset="so-question", seed="entry:0,0")
    assert "Showing **so-question**: T is 5×3, B is 3×3, seed `entry:0,0`, float32." in texts(at.markdown)
    info = one(at.info, "The seed picks one entry")
    assert info == t("jac.bridge_one", wrt="T", entry="Y[0,0]")
    assert "Y[0,0]" in info
    assert marked_rows(charts(at)["dY/dT: (5, 3, 5, 3) → 15×15"]) == [0]
    assert one(at.caption, "· is a zero.") == t("jac.marks_some", block=3)
    weights = charts(at)["weights G"]
    assert framed_rows(weights) == [0]
    np.testing.assert_array_equal(z(weights).ravel(), np.eye(15)[0])
    # The gradient is row Y[0,0] of the Jacobian: B's column 0, then zeros (docs/math.md's second printout).
    summed = z(charts(at)["Σ weight × row, folded: dL/dT (5×3)"])
    gradient = z(charts(at)["tape.gradient: dL/dT (5×3)"])
    expected = np.zeros((5, 3), dtype=np.float32)
    expected[0] = np.float32([0.43842274, 1.5658046, 1.4204658])
    np.testing.assert_array_equal(gradient, expected)
    np.testing.assert_array_equal(summed, expected)
    assert one(at.success, CHECK) == CHECK + "0."
    assert "G = tf.constant([[1, 0, 0]," in at.code[0].value
    assert url(at) == {"preset": "so-question", "seed": "entry:0,0"}


def test_jacobian_of_an_8x8_problem_shows_a_labelled_slice_of_whole_blocks_that_fit(app):
    rng = np.random.default_rng(8)
    T, B = np.round(rng.normal(size=(8, 8)), 3), np.round(rng.normal(size=(8, 8)), 3)
    at = app.open("jacobian", T=format_matrix(T), B=format_matrix(B))
    assert not at.warning
    assert "Showing **your own matrices**: T is 8×8, B is 8×8, seed `ones`, float32." in texts(at.markdown)
    assert one(at.info, "The block matrix is") == (
        "The block matrix is 64×64, too large to draw legibly: shown are its first 24 rows and 8 columns "
        "(the labels say which)."
    )
    assert "`tape.jacobian(Y, T).shape` = (8, 8, 8, 8)" in one(at.markdown, "`tape.jacobian(Y, T).shape`")
    block = charts(at)["dY/dT: (8, 8, 8, 8) → 64×64"]
    J_T, _ = core.tf_jacobians(T, B)
    # 24 rows; of the columns, the first block of 8 (one row of T): two blocks would not fit 1024 px
    np.testing.assert_array_equal(z(block), J_T.reshape(64, 64)[:24, :8])
    assert block["layout"]["yaxis"]["ticktext"] == jac.labels("Y", 8, 8)[:24]
    assert block["layout"]["xaxis"]["ticktext"] == jac.labels("T", 8, 8)[:8]
    assert block["layout"]["yaxis"]["ticktext"][-1] == "Y[2,7]"
    assert marked_rows(block) == []  # every row of the 64 is seeded
    assert z(charts(at)["weights G"]).shape == (24, 1)
    # The check covers the whole gradient, not only the slice on screen.
    gradient = z(charts(at)["tape.gradient: dL/dT (8×8)"])
    np.testing.assert_allclose(gradient, np.tile(B.sum(axis=1), (8, 1)), rtol=1e-5, atol=1e-5)
    assert number(one(at.success, CHECK), "largest difference") < 1e-5
    assert url(at) == {"T": format_matrix(T), "B": format_matrix(B), "seed": "ones"}


def test_jacobian_float64_link_has_exact_structure(app):
    at = app.open("jacobian", preset="so-question", dtype="float64")
    assert "Showing **so-question**: T is 5×3, B is 3×3, seed `ones`, float64." in texts(at.markdown)
    structure = one(at.markdown, "Rows are the entries Y[a,b]")
    assert structure.endswith("Largest difference between TensorFlow's Jacobian and kron(I_m, Bᵀ): 0.")
    np.testing.assert_array_equal(z(charts(at)["dY/dT: (5, 3, 5, 3) → 15×15"]), np.kron(np.eye(5), SO_B.T))
    assert number(one(at.success, CHECK), "largest difference") < 1e-14
    assert url(at) == {"preset": "so-question", "seed": "ones", "dtype": "float64"}


def test_jacobian_bad_wrt_is_named_in_a_warning_and_the_page_still_works(app):
    at = app.open("jacobian", preset="so-question", wrt="Z", seed="col:2")
    assert texts(at.warning) == ["The link's “wrt” value was not used: “Z” is not one of the choices: T, B."]
    assert at.radio(key="jac_wrt").value == "T"
    assert SHAPES in texts(at.markdown)
    assert marked_rows(charts(at)["dY/dT: (5, 3, 5, 3) → 15×15"]) == [2, 5, 8, 11, 14]
    assert number(one(at.success, CHECK), "largest difference") < 1e-6
    assert url(at) == {"preset": "so-question", "seed": "col:2"}


def test_jacobian_tampered_t_is_named_in_a_warning_and_the_reference_case_shown(app):
    at = app.open("jacobian", preset="so-question", T="1,2;3,x", seed="entry:4,2", dtype="float16")
    assert texts(at.warning) == [
        "The link's “T” value was not used: T[1,1] is “x”, which is not a number.",
        "The link's “dtype” value was not used: The dtype must be float32 or float64, not “float16”.",
    ]
    assert "Showing **so-question**: T is 5×3, B is 3×3, seed `entry:4,2`, float32." in texts(at.markdown)
    assert one(at.info, "The seed picks one entry") == t("jac.bridge_one", wrt="T", entry="Y[4,2]")
    assert SHAPES in texts(at.markdown)
    assert one(at.success, CHECK)
    assert url(at) == {"preset": "so-question", "seed": "entry:4,2"}


@pytest.mark.parametrize("page", ["jacobian", "losses"])
def test_numbers_too_large_for_float32_give_the_overflow_message_not_a_traceback(app, page):
    at = app.open(page, T="1e30,1e30", B="1e30;1e30", loss="sum")
    (error,) = texts(at.error)
    assert error.startswith("These numbers are too large for float32")
    summary = "Showing **your own matrices**: T is 1×2, B is 2×1, " + ("seed `ones`, " if page == "jacobian" else "")
    assert summary + "float32." in texts(at.markdown)
    assert not at.success


# --- /losses ------------------------------------------------------------------------------------


def test_losses_reference_mean_rows_are_b_row_sums_over_15(app):
    at = app.open("losses", preset="so-question", loss="mean")
    assert texts(at.title) == [t("loss.title")]
    assert not at.warning
    assert at.radio(key="w_loss").value == "mean"
    row_sums = ", ".join(fmt(v) for v in SO_B.sum(axis=1) / 15)
    assert row_sums == "−0.011538555, 0.079338167, 0.14966686"
    assert texts(at.info) == [
        f"Every row of dL/dT is B's row sums divided by m·n = 15: [{row_sums}]. The mean spreads "
        "the all-ones seed evenly, so the answer to the original question is simply scaled."
    ]
    expected = losses.loss_gradients(SO_T, SO_B, "mean")
    (metric,) = at.metric
    assert metric.label == "L (float32)"
    assert metric.value == fmt(expected.L) == "0.60783142"
    assert "dL/dY = 1/(m·n) = 1/15 = 0.066666667 in every cell." in texts(at.markdown)
    assert number(one(at.success, AGREE), "largest difference") <= 1e-6
    shown = charts(at)
    np.testing.assert_allclose(z(shown["dL/dY by TensorFlow (5×3)"]), np.full((5, 3), 1 / 15), rtol=1e-7)
    np.testing.assert_array_equal(z(shown["the formula's seed (5×3)"]), np.full((5, 3), 1 / 15))
    for title in ("from L: dL/dT (5×3)", "from the seed: dL/dT (5×3)"):
        for row in z(shown[title]):
            np.testing.assert_allclose(row, SO_B.sum(axis=1) / 15, rtol=2e-6)
    assert "L = tf.reduce_mean(Y)" in at.code[0].value
    assert url(at) == {"preset": "so-question", "seed": "ones", "loss": "mean"}


LOSS_VIEWS = {
    "sum": ("dL/dY = 1 in every cell", {"loss": "sum"}),
    "sq-error": ("dL/dY = 2(Y − target)/N with N = m·n = 15.", {"loss": "sq-error", "target": "0,0,0;" * 4 + "0,0,0"}),
    "entry": ("dL/dY is 1 at Y[0,0] and 0 elsewhere (one-hot).", {"loss": "entry", "entry": "0,0"}),
    "mean": ("dL/dY = 1/(m·n) = 1/15 = 0.066666667 in every cell.", {"loss": "mean"}),
}


def test_losses_radio_switches_the_loss_and_the_url(app):
    at = app.open("losses", preset="so-question")
    assert at.radio(key="w_loss").value == "mean"  # the page's default
    for name, (sentence, query) in LOSS_VIEWS.items():
        at.radio(key="w_loss").set_value(name)
        app.run(at)
        assert url(at) == {"preset": "so-question", "seed": "ones", **query}, name
        assert one(at.markdown, "dL/dY").startswith(sentence)
        expected = losses.loss_gradients(SO_T, SO_B, name)
        assert at.metric[0].value == fmt(expected.L), name
        assert number(one(at.success, AGREE), "largest difference") <= 1e-6
        np.testing.assert_array_equal(z(charts(at)["dL/dY by TensorFlow (5×3)"]), expected.seed_tf)
        assert (name == "mean") == bool(at.info), name  # the row-sums sentence belongs to the mean


def test_losses_entry_from_the_link_is_one_hot_and_the_picker_moves_it(app):
    at = app.open("losses", preset="so-question", loss="entry", entry="1,2")
    assert at.radio(key="w_loss").value == "entry"
    assert at.selectbox(key="w_loss_entry").value == "1,2"
    assert "dL/dY is 1 at Y[1,2] and 0 elsewhere (one-hot)." in texts(at.markdown)
    one_hot = np.zeros((5, 3))
    one_hot[1, 2] = 1
    np.testing.assert_array_equal(z(charts(at)["dL/dY by TensorFlow (5×3)"]), one_hot)
    np.testing.assert_array_equal(z(charts(at)["the formula's seed (5×3)"]), one_hot)
    dT = z(charts(at)["from L: dL/dT (5×3)"])
    np.testing.assert_array_equal(dT[1], SO_B[:, 2].astype(np.float32))
    assert not np.any(np.delete(dT, 1, axis=0))
    assert at.metric[0].value == fmt(losses.loss_gradients(SO_T, SO_B, "entry", entry=(1, 2)).L)
    assert "L = Y[1, 2]" in at.code[0].value
    assert url(at) == {"preset": "so-question", "seed": "ones", "loss": "entry", "entry": "1,2"}

    at.selectbox(key="w_loss_entry").set_value("4,0")
    app.run(at)
    assert "dL/dY is 1 at Y[4,0] and 0 elsewhere (one-hot)." in texts(at.markdown)
    np.testing.assert_array_equal(z(charts(at)["from L: dL/dT (5×3)"])[4], SO_B[:, 0].astype(np.float32))
    assert url(at)["entry"] == "4,0"


def test_losses_squared_error_against_a_target_from_the_link(app):
    target = np.arange(15, dtype=np.float64).reshape(5, 3) / 4 - 1
    at = app.open("losses", preset="so-question", loss="sq-error", target=format_matrix(target))
    assert not at.warning
    np.testing.assert_array_equal(editor_values(at, "target"), target)
    expected = losses.loss_gradients(SO_T, SO_B, "sq-error", target)
    assert at.metric[0].value == fmt(expected.L)
    Y = SO_T @ SO_B
    np.testing.assert_allclose(z(charts(at)["the formula's seed (5×3)"]), 2 * (Y - target) / 15, rtol=1e-15)
    np.testing.assert_allclose(z(charts(at)["dL/dY by TensorFlow (5×3)"]), 2 * (Y - target) / 15, atol=1e-6)
    np.testing.assert_allclose(z(charts(at)["from L: dL/dT (5×3)"]), (2 * (Y - target) / 15) @ SO_B.T, atol=1e-6)
    assert number(one(at.success, AGREE), "largest difference") <= 1e-6
    assert url(at) == {"preset": "so-question", "seed": "ones", "loss": "sq-error", "target": format_matrix(target)}

    # A student types 5 into target[1,2]: the loss, the seed and the link follow.
    cells = editor_texts(at, "target")
    cells[1][2] = "5"
    at.session_state[f"loss_target_{at.session_state['loss_target_v']}"] = {"cells": cells}
    app.run(at)
    edited = target.copy()
    edited[1, 2] = 5.0
    assert at.metric[0].value == fmt(losses.loss_gradients(SO_T, SO_B, "sq-error", edited).L)
    np.testing.assert_allclose(z(charts(at)["the formula's seed (5×3)"]), 2 * (Y - edited) / 15, rtol=1e-15)
    assert url(at)["target"] == format_matrix(edited)
    np.testing.assert_array_equal(editor_values(at, "target"), edited)


@pytest.mark.parametrize(
    ("query", "param", "message", "fallback"),
    [
        (
            {"loss": "foo"},
            "loss",
            "There is no loss called “foo”. The losses are: sum, mean, sq-error, entry.",
            {"loss": "mean"},
        ),
        (
            {"loss": "entry", "entry": "9,9"},
            "entry",
            "Y[9,9] is outside Y, which is 5×3: rows run 0 to 4 and columns 0 to 2.",
            {"loss": "entry", "entry": "0,0"},
        ),
        (
            {"loss": "sq-error", "target": "abc"},
            "target",
            "target[0,0] is “abc”, which is not a number.",
            {"loss": "sq-error", "target": "0,0,0;" * 4 + "0,0,0"},
        ),
    ],
)
def test_losses_bad_link_parameter_is_named_and_replaced(app, query, param, message, fallback):
    at = app.open("losses", preset="so-question", seed="row:7", **query)
    assert texts(at.warning) == [
        "The link's “seed” value was not used: The seed picks row 7 of Y, but Y has 5 row(s) (0 to 4).",
        f"The link's “{param}” value was not used: {message}",
    ]
    assert at.radio(key="w_loss").value == fallback["loss"]
    assert at.metric[0].value == fmt(losses.loss_gradients(SO_T, SO_B, fallback["loss"]).L)
    assert one(at.success, AGREE)
    assert url(at) == {"preset": "so-question", "seed": "ones", **fallback}


def test_losses_target_of_the_wrong_shape_says_target_not_seed(app):
    at = app.open("losses", preset="so-question", loss="sq-error", target="1,2")
    assert texts(at.warning) == [
        "The link's “target” value was not used: The target is 1×2 but Y is 5×3: it needs Y's shape."
    ]


def test_losses_malformed_entry_is_not_called_a_seed(app):
    at = app.open("losses", preset="so-question", loss="entry", entry="a,b")
    (warning,) = texts(at.warning)
    assert warning.startswith("The link's “entry” value was not used:")
    assert "seed" not in warning


# --- one session, several pages -----------------------------------------------------------------


def test_the_playgrounds_seed_carries_over_to_the_teaching_pages(app):
    at = app.open("playground", preset="so-question")
    at.radio(key="w_seed_mode").set_value("entry")
    app.run(at)
    at.selectbox(key="w_seed_entry").set_value("1,2")
    app.run(at)
    assert url(at) == {"preset": "so-question", "seed": "entry:1,2"}

    at.query_params.clear()  # following a navigation link drops the query string
    at.switch_page("pages/jacobian.py")
    app.run(at)
    assert not at.warning
    assert "Showing **so-question**: T is 5×3, B is 3×3, seed `entry:1,2`, float32." in texts(at.markdown)
    assert one(at.info, "The seed picks one entry") == t("jac.bridge_one", wrt="T", entry="Y[1,2]")
    assert marked_rows(charts(at)["dY/dT: (5, 3, 5, 3) → 15×15"]) == [5]
    gradient = z(charts(at)["tape.gradient: dL/dT (5×3)"])
    np.testing.assert_array_equal(gradient[1], SO_B[:, 2].astype(np.float32))
    assert url(at) == {"preset": "so-question", "seed": "entry:1,2"}

    at.query_params.clear()
    at.switch_page("pages/losses.py")
    app.run(at)
    assert "Showing **so-question**: T is 5×3, B is 3×3, float32." in texts(at.markdown)
    assert url(at) == {"preset": "so-question", "seed": "entry:1,2", "loss": "mean"}

    at.query_params.clear()
    at.switch_page("pages/playground.py")
    app.run(at)
    assert at.radio(key="w_seed_mode").value == "entry"
    assert at.selectbox(key="w_seed_entry").value == "1,2"
    assert url(at) == {"preset": "so-question", "seed": "entry:1,2"}


def test_edits_outlive_a_visit_to_another_page(app):
    """Another page drops the T editor's state; back on the playground a new editor shows the edits."""
    at = app.open("playground", preset="so-question")
    cells = editor_texts(at, "T")
    cells[1][1], cells[4][0] = "2", "-1.5"
    at.session_state[f"T_editor_{at.session_state['playground'].editor_v}"] = {"cells": cells}
    app.run(at)
    edited = SO_T.copy()
    edited[1, 1], edited[4, 0] = 2.0, -1.5
    assert url(at)["T"] == format_matrix(edited)

    at.query_params.clear()  # following a navigation link drops the query string
    at.switch_page("pages/losses.py")
    app.run(at)
    assert "Showing **your own matrices**: T is 5×3, B is 3×3, float32." in texts(at.markdown)
    assert url(at)["T"] == format_matrix(edited)

    at.query_params.clear()
    at.switch_page("pages/playground.py")
    app.run(at)
    np.testing.assert_array_equal(editor_values(at, "T"), edited)
    assert url(at)["T"] == format_matrix(edited)
    np.testing.assert_allclose(z(charts(at)[t("pg.Y_title", m=5, n=3)]), edited @ SO_B, rtol=1e-6)


# --- the Streamlit quirk --------------------------------------------------------------------------


def test_first_visit_to_a_teaching_page_runs_app_navigation(navigation_calls):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["preset"] = "so-question"
    at.switch_page("pages/jacobian.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert texts(at.title) == [t("jac.title")]  # the page itself works…
    assert navigation_calls, "app.py's st.navigation never ran"  # …but app.py did not run
