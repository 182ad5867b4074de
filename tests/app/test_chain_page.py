"""The /chain page driven through AppTest, as the real app runs it: every link parameter, bad links,
both languages, the widgets, and the numbers on the page against core.tf_chain's.

Each test opens a fresh session of app.py at /chain (tests/app/conftest.py's `app`); the heatmaps'
values are read from the Plotly specs the page sends, and the program it shows is run with exec.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import core
from core import chain
from core.textforms import format_matrix
from tests.helpers.apptest import url
from tests.helpers.apptest import values as texts
from tests.helpers.real_app import RealApp
from ui.text import text as t

LINK = {
    "X": "0.5,-1,2;1.5,0.25,-0.5",
    "W1": "0.3,-0.2,0.1,0.7;-0.6,0.4,0.9,-0.1;0.2,0.8,-0.5,0.3",
    "W2": "1,-0.5;0.25,0.75;-1.5,0.5;0.6,-0.4",
    "b1": "0.1,-0.2,0.3,0",
    "b2": "-0.5,0.25",
    "act": "tanh",
    "seed": "weights:1,-2;0.5,3",
    "dtype": "float64",
}
"""The issue's example: tanh, float64, a weights seed, both biases (the numbers PyTorch checks in
tests/unit/test_chain.py)."""


@pytest.fixture(scope="module", autouse=True)
def tensorflow_imported() -> None:
    """Import TensorFlow before the first AppTest run, so no run waits for the import."""
    p = chain.CHAIN_PRESETS["two-layer"]
    core.tf_chain(p.X, p.W1, p.W2)


def open_chain(app: RealApp, **query: str) -> AppTest:
    return app.open_query("chain", query)


def charts(at: AppTest) -> dict[str, np.ndarray]:
    """Every heatmap's values, by the start of its title (up to the first ' (' or ' ='): 'dL/dW1', 'X', …)."""
    found = {}
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        title = spec["layout"].get("title", {}).get("text")
        if title:
            found[title.split(" (")[0].split(" =")[0]] = np.array(spec["data"][0]["z"], dtype=np.float64)
    return found


def expected(problem: dict[str, Any]) -> chain.Chain:
    p, errors = chain.chain_from_query(problem)
    assert errors == []
    return core.tf_chain(p.X, p.W1, p.W2, p.b1, p.b2, p.act, None if p.seed.is_default else p.seed, p.dtype)


def link_warnings(at: AppTest) -> list[str]:
    return [w.value for w in at.warning if w.icon == "🔗"]


def test_a_first_visit_shows_the_two_layer_network_and_its_checks(app):
    at = open_chain(app)
    assert [x.value for x in at.title] == [t("chain.title")]
    assert not link_warnings(at) and not at.error
    assert len(at.success) == 3  # the tape, finite differences, the two playgrounds
    assert url(at) == {"preset": "two-layer", "seed": "ones"}
    shown, c = charts(at), expected({})
    for name in ("X", "W1", "Z", "H", "W2", "Y", "dL/dY", "dL/dW2", "dL/db2", "dL/dH", "dL/dZ", "dL/dW1", "dL/db1"):
        assert name in shown, (name, list(shown))
    np.testing.assert_array_equal(shown["dL/dW1"], c.dW1)
    np.testing.assert_array_equal(shown["dL/dX"], c.dX)
    np.testing.assert_array_equal(shown["dL/db1"], c.db1[None, :])


def test_every_parameter_of_a_link_is_used_and_kept(app):
    at = open_chain(app, **LINK)
    assert not link_warnings(at) and not at.error
    c = expected(LINK)
    shown = charts(at)
    for name in ("dW1", "dW2", "dX", "dH", "dZ"):
        np.testing.assert_array_equal(shown[f"dL/{name}"], getattr(c, name), err_msg=name)
    np.testing.assert_array_equal(shown["dL/db1"], c.db1[None, :])
    np.testing.assert_array_equal(shown["dL/db2"], c.db2[None, :])
    np.testing.assert_array_equal(shown["dL/dY"], [[1, -2], [0.5, 3]])
    np.testing.assert_array_equal(shown["Y"], c.Y)
    assert url(at) == LINK | {"seed": "weights:1,-2;0.5,3"}
    assert all("float64" in s for s in (texts(at.success)[0], texts(at.success)[2]))


def test_the_program_shown_runs_and_prints_the_numbers_shown(app):
    at = open_chain(app, **LINK)
    (program,) = [code.value for code in at.code if code.language == "python"]
    namespace: dict[str, Any] = {}
    exec(compile(program, "<chain program>", "exec"), namespace)
    c = expected(LINK)
    for name in ("dX", "dW1", "db1", "dZ", "dH", "dW2", "db2"):
        np.testing.assert_allclose(namespace[name].numpy(), getattr(c, name), rtol=1e-15, atol=0, err_msg=name)
    shown = charts(at)
    np.testing.assert_allclose(namespace["dW1"].numpy(), shown["dL/dW1"], rtol=1e-15, atol=0)


def test_the_program_without_biases_and_with_the_default_seed_runs_too(app):
    at = open_chain(app, preset="question")
    (program,) = [code.value for code in at.code if code.language == "python"]
    assert "output_gradients" not in program.split("tape.gradient")[1] and "b1" not in program
    namespace: dict[str, Any] = {}
    exec(compile(program, "<chain program>", "exec"), namespace)
    np.testing.assert_array_equal(namespace["dW1"].numpy(), charts(at)["dL/dW1"])


def test_the_presets(app):
    dead = open_chain(app, preset="dead-relu")
    assert [i.value for i in dead.info if "Dead hidden units: 2" in i.value]
    np.testing.assert_array_equal(charts(dead)["dL/dW1"][:, 2], 0)
    question = open_chain(app, preset="question")
    np.testing.assert_array_equal(charts(question)["X"], core.preset("so-question").T)
    assert url(question)["preset"] == "question"


@pytest.mark.parametrize(
    ("query", "param", "says"),
    [
        ({"X": "1,2,3;4,5,6"}, "X", "W1 has 2 rows but X has 3 columns"),
        ({"X": "1,x;3,4"}, "X", "X[0,1] is “x”"),
        ({"W1": "1,nan;3,4"}, "W1", "W1[0,1] is NaN"),
        ({"W2": "inf"}, "W2", "W2[0,0] is infinite"),
        ({"b1": "1,2"}, "b1", "b1 has 2 entries but W1 has 3 columns"),
        ({"b2": "1;2"}, "b2", "b2 is one row"),
        ({"X": ";".join(["1,2"] * 9)}, "X", "X is 9×2"),
        ({"act": "gelu"}, "act", "no activation called “gelu”"),
        ({"preset": "so-question"}, "preset", "no preset called “so-question”"),
        ({"dtype": "float16"}, "dtype", "float32 or float64"),
        ({"seed": "row:7"}, "seed", "row 7 of Y"),
        ({"seed": "weights:1,2"}, "seed", "Y = H @ W2 is 3×2"),
        ({"seed": "<script>alert(1)</script>"}, "seed", "is not understood"),
    ],
)
def test_a_bad_link_names_the_parameter_and_still_shows_a_network(app, query, param, says):
    at = open_chain(app, **query)
    (warning,) = link_warnings(at)
    assert warning.startswith(t("err.url_param", param=param, message="")[:20]) and f"“{param}”" in warning
    assert says in warning, warning
    assert "<script>" not in warning  # quoted text is made inert
    assert len(at.success) == 3 and not at.error
    assert url(at).get(param) != query[param]  # the address bar holds a working link again
    assert chain.chain_from_query(url(at))[1] == []


def test_numbers_too_large_for_float32_are_refused_with_a_message_not_a_traceback(app):
    at = open_chain(app, X="1e30,1;1,1", W1="1e10;1", W2="1")
    assert [e.value for e in at.error if "too large for float32" in e.value]
    assert not at.success


def test_chinese(app):
    at = open_chain(app, lang="zh", act="gelu")
    assert [x.value for x in at.title] == [t("chain.title", "zh")]
    (warning,) = link_warnings(at)
    assert "没有名为“gelu”的激活函数" in warning
    assert t("chain.check_two", "zh", diff="0", tol="x", dtype="float32")[:10] in texts(at.success)[2]
    assert url(at)["lang"] == "zh"


def test_the_presenter_view_is_kept_in_the_link_and_folds_the_checks_and_code(app):
    at = open_chain(app, present="1")
    assert url(at)["present"] == "1"
    (folded,) = [e for e in at.expander if e.label == t("pg.more_heading")]
    assert len(folded.success) == 3 and folded.code


def test_widgets_write_the_link(app):
    at = open_chain(app)
    at.radio(key="w_chain_act").set_value("tanh")
    app.run(at)
    p = chain.CHAIN_PRESETS["two-layer"]
    assert url(at)["act"] == "tanh" and url(at)["X"] == format_matrix(p.X) and "preset" not in url(at)
    at.radio(key="w_chain_seed").set_value("row")
    app.run(at)
    assert url(at)["seed"] == "row:0"
    at.radio(key="w_chain_dtype").set_value("float64")
    app.run(at)
    assert url(at)["dtype"] == "float64"
    c = core.tf_chain(p.X, p.W1, p.W2, p.b1, p.b2, "tanh", "row:0", "float64")
    np.testing.assert_array_equal(charts(at)["dL/dW1"], c.dW1)
    at.selectbox(key="w_chain_preset").set_value("question")
    app.run(at)
    assert url(at) == {"preset": "question", "seed": "row:0", "dtype": "float64"}


def test_a_typed_matrix_that_does_not_chain_is_named_and_the_network_kept(app):
    at = open_chain(app)
    at.text_input(key="w_chain_X").set_value("1,2,3")
    app.run(at)
    assert [e.value for e in at.error if "W1 has 2 rows but X has 3 columns" in e.value]
    assert url(at)["preset"] == "two-layer" and len(at.success) == 3
    assert at.text_input(key="w_chain_X").value == "1,2,3"  # what was typed stays, to be fixed
    at.text_input(key="w_chain_X").set_value("1,2;3,4")
    at.text_input(key="w_chain_b1").set_value("")
    app.run(at)
    assert not at.error and url(at)["X"] == "1,2;3,4" and "b1" not in url(at) and url(at)["b2"] == "0.5,-0.5"
    assert "dL/db1" not in charts(at) and "preset" not in url(at)


def test_a_picked_gradient_entry_is_written_out_with_its_cells_lit(app):
    at = open_chain(app)
    at.selectbox(key="w_chain_focus").set_value("dW1:1,0")
    app.run(at)
    c = expected({})
    formulas = chain.chain_sum(core.chain_formulas(c.X, c.W1, c.W2, c.b1, c.b2, c.act), "dW1", 1, 0)
    assert [m.value for m in at.markdown if m.value.startswith("**dL/dW1[1,0]** = X[0,1]·dZ[0,0]")]
    assert [m.value for m in at.markdown if m.value.endswith(f"**{core.explain.fmt(formulas.value)}**")]
    assert [x.value for x in at.caption if f"dL/dW1[1,0] = {core.explain.fmt(c.dW1[1, 0])}" in x.value]
    specs = {json.loads(ch.proto.spec)["layout"]["title"]["text"].split(" (")[0]: ch for ch in at.get("plotly_chart")}
    x_shapes = json.loads(specs["X"].proto.spec)["layout"].get("shapes", [])
    assert len(x_shapes) == 3  # X[:,1], the three cells the sum reads, framed


def test_a_dead_relu_entry_says_the_activation_stopped_it(app):
    at = open_chain(app, preset="dead-relu")
    at.selectbox(key="w_chain_focus").set_value("dZ:0,2")
    app.run(at)
    assert [i.value for i in at.info if i.value.startswith("The activation stopped this entry")]
