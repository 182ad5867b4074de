"""The playground page driven through Streamlit's AppTest: widgets, editors, share URLs, messages.

Every test opens its own session (nothing leaks between tests) and checks the numbers the page
shows: the URL it writes, the sentences and worked sums, the generated TensorFlow code and the
matrices in the "every matrix as numbers" tabs. Clicks on the Plotly heatmaps cannot be simulated
here; their callbacks are unit-tested at the end with a stand-in session state, and the real clicks
are covered by the browser tests.
"""

from __future__ import annotations

import re
from types import SimpleNamespace

import numpy as np
import pytest

import core
from core.seeds import SeedSpec
from core.textforms import format_matrix, format_number
from tests.helpers.apptest import (
    chart_titles,
    code_matrix,
    edit,
    editor_texts,
    editor_values,
    editors,
    shown,
    shown_text,
    start,
    url,
    values,
)
from tests.helpers.paths import ROOT
from ui import playground as ps
from ui import viewport

SO = core.preset("so-question")
SO_T, SO_B = SO.T, SO.B
ROW_SUMS_SENTENCE = "B's row sums [−0.17307832, 1.1900725, 2.245003]"
ROW_SUMS_F32 = np.array([-0.17307831, 1.1900724, 2.245003], dtype=np.float32)
CHECK_OK = "TensorFlow, the formulas dL/dT = G @ Bᵀ, dL/dB = Tᵀ @ G and finite differences agree."
CHECK_BAD = "This is a bug"


def ok(at) -> None:
    """The run raised nothing and the three methods agreed (the green message is there)."""
    assert not at.exception, [e.value for e in at.exception]
    assert [s for s in values(at.success) if s.startswith(CHECK_OK)], values(at.success) + values(at.error)
    assert not [e for e in values(at.error) if CHECK_BAD in e]


def dT_shown(at) -> np.ndarray:
    return shown(at, "dL/dT")


# --- seeds, one widget at a time ------------------------------------------------------------------


def test_ones_seed_via_widget_states_b_row_sums_and_calls_tape_gradient_without_seed():
    at = start(preset="so-question", seed="entry:1,2")
    at.radio(key="w_seed_mode").set_value("ones").run()
    ok(at)
    assert url(at) == {"preset": "so-question", "seed": "ones"}
    assert at.session_state["playground"].seed == SeedSpec("ones")
    sentences = [s for s in values(at.info) if s.startswith("With the all-ones seed")]
    assert len(sentences) == 1
    assert ROW_SUMS_SENTENCE in sentences[0]
    code = at.code[0].value
    assert "dT, dB = tape.gradient(Y, [T, B])\n" in code
    assert "output_gradients=G" not in code
    assert code_matrix(code, "G") is None
    assert code_matrix(code, "B") == SO_B.tolist()
    # Five identical rows, printed as TensorFlow prints them in float32.
    assert shown_text(at, "dL/dT") == [["-0.17307831", "1.1900724", "2.245003"]] * 5
    np.testing.assert_array_equal(dT_shown(at).astype(np.float32), np.tile(ROW_SUMS_F32, (5, 1)))


def test_entry_seed_via_widget_puts_a_one_at_that_cell_of_g():
    at = start()
    at.radio(key="w_seed_mode").set_value("entry").run()
    ok(at)
    assert url(at)["seed"] == "entry:0,0"
    at.selectbox(key="w_seed_entry").set_value("1,2").run()
    ok(at)
    assert url(at) == {"preset": "so-question", "seed": "entry:1,2"}
    assert at.session_state["playground"].seed == SeedSpec("entry", cells=((1, 2),))
    code = at.code[0].value
    assert "dT, dB = tape.gradient(Y, [T, B], output_gradients=G)" in code
    expected_G = np.zeros((5, 3))
    expected_G[1, 2] = 1
    assert code_matrix(code, "G") == expected_G.tolist()
    np.testing.assert_array_equal(shown(at, "G"), expected_G)
    # Row 1 of dL/dT is column 2 of B; every other row is zero.
    assert shown_text(at, "dL/dT")[1] == ["-0.07710262", "-0.2744976", "-0.43640924"]
    expected_dT = np.zeros((5, 3), dtype=np.float32)
    expected_dT[1] = SO_B[:, 2].astype(np.float32)
    np.testing.assert_array_equal(dT_shown(at).astype(np.float32), expected_dT)
    assert not [s for s in values(at.info) if s.startswith("With the all-ones seed")]


def test_entries_seed_via_multiselect_seeds_each_picked_cell():
    at = start()
    at.radio(key="w_seed_mode").set_value("entries").run()
    ok(at)
    assert url(at)["seed"] == "entries:0,0"
    at.multiselect(key="w_seed_entries").set_value(["0,1", "3,2"]).run()
    ok(at)
    assert url(at) == {"preset": "so-question", "seed": "entries:0,1;3,2"}
    expected_G = np.zeros((5, 3))
    expected_G[0, 1] = expected_G[3, 2] = 1
    assert code_matrix(at.code[0].value, "G") == expected_G.tolist()
    expected_dT = np.zeros((5, 3), dtype=np.float32)
    expected_dT[0] = SO_B[:, 1].astype(np.float32)
    expected_dT[3] = SO_B[:, 2].astype(np.float32)
    np.testing.assert_array_equal(dT_shown(at).astype(np.float32), expected_dT)


def test_entries_seed_emptied_falls_back_to_all_ones():
    at = start(seed="entries:0,1;3,2")
    at.multiselect(key="w_seed_entries").set_value([]).run()
    ok(at)
    assert url(at) == {"preset": "so-question", "seed": "ones"}
    assert at.radio(key="w_seed_mode").value == "ones"


def test_row_seed_via_widget_gives_row_sums_in_that_row_only():
    at = start()
    at.radio(key="w_seed_mode").set_value("row").run()
    ok(at)
    assert url(at)["seed"] == "row:0"
    at.selectbox(key="w_seed_row").set_value(4).run()
    ok(at)
    assert url(at) == {"preset": "so-question", "seed": "row:4"}
    expected_G = np.zeros((5, 3))
    expected_G[4] = 1
    assert code_matrix(at.code[0].value, "G") == expected_G.tolist()
    dT = dT_shown(at).astype(np.float32)
    np.testing.assert_array_equal(dT[4], ROW_SUMS_F32)
    np.testing.assert_array_equal(dT[:4], np.zeros((4, 3)))


def test_col_seed_via_widget_gives_that_column_of_b_in_every_row():
    at = start()
    at.radio(key="w_seed_mode").set_value("col").run()
    ok(at)
    assert url(at)["seed"] == "col:0"
    at.selectbox(key="w_seed_col").set_value(2).run()
    ok(at)
    assert url(at) == {"preset": "so-question", "seed": "col:2"}
    expected_G = np.zeros((5, 3))
    expected_G[:, 2] = 1
    assert code_matrix(at.code[0].value, "G") == expected_G.tolist()
    for row in dT_shown(at).astype(np.float32):
        np.testing.assert_array_equal(row, SO_B[:, 2].astype(np.float32))


def test_weights_seed_edited_in_the_g_editor_goes_into_url_code_and_gradient():
    at = start()
    at.radio(key="w_seed_mode").set_value("weights").run()
    ok(at)
    # The all-ones seed carries over as weights.
    assert url(at)["seed"] == "weights:1,1,1;1,1,1;1,1,1;1,1,1;1,1,1"
    np.testing.assert_array_equal(editor_values(at, "G"), np.ones((5, 3)))
    edit(at, "G", {(1, 0): 2.5, (3, 2): -0.125})
    ok(at)
    G = np.ones((5, 3))
    G[1, 0], G[3, 2] = 2.5, -0.125
    assert url(at) == {"preset": "so-question", "seed": "weights:1,1,1;2.5,1,1;1,1,1;1,1,-0.125;1,1,1"}
    assert code_matrix(at.code[0].value, "G") == G.tolist()
    np.testing.assert_allclose(dT_shown(at), G @ SO_B.T, rtol=1e-6)
    np.testing.assert_allclose(shown(at, "dL/dB"), SO_T.T @ G, rtol=1e-6)
    # Another rerun keeps the edit (it lives in the editor's state).
    at.selectbox(key="w_focus").set_value("dT:1,0").run()
    ok(at)
    assert url(at)["seed"] == "weights:1,1,1;2.5,1,1;1,1,1;1,1,-0.125;1,1,1"


def test_empty_cell_in_g_names_the_cell():
    query = {"preset": "so-question", "seed": "weights:1,0,0;0,1,0;1,1,1;0,0,2;2,2,0"}
    at = start(**query)
    ok(at)
    assert not at.warning
    np.testing.assert_array_equal(editor_values(at, "G"), [[1, 0, 0], [0, 1, 0], [1, 1, 1], [0, 0, 2], [2, 2, 0]])
    edit(at, "G", {(2, 1): None})
    assert not at.exception
    assert values(at.error) == ["G[2,1] is empty: type a number there."]
    assert not at.success
    assert url(at) == query


# --- presets ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(core.PRESETS))
def test_preset_via_widget_loads_its_matrices_and_names_it_in_the_url(name):
    other = "small-integers" if name != "small-integers" else "identity"
    at = start(preset=other, seed="row:1", focus="dT:0,0")
    at.selectbox(key="w_preset").set_value(name).run()
    ok(at)
    chosen = core.preset(name)
    assert url(at) == {"preset": name, "seed": "ones"}
    assert at.session_state["playground"].T_cells == chosen.T.tolist()
    assert at.session_state["playground"].B_cells == chosen.B.tolist()
    assert at.session_state["playground"].focus is None
    np.testing.assert_array_equal(editor_values(at, "T"), chosen.T)
    np.testing.assert_array_equal(editor_values(at, "B"), chosen.B)
    m, k = chosen.T.shape
    n = chosen.B.shape[1]
    assert f"**T** ({m}×{k})" in values(at.markdown)
    assert f"**B** ({k}×{n})" in values(at.markdown)
    assert chosen.description() in values(at.caption)
    np.testing.assert_allclose(dT_shown(at), np.ones((m, n)) @ chosen.B.T, rtol=1e-6)


# --- share URLs ----------------------------------------------------------------------------------

ROUND_TRIPS = [
    (
        {"preset": "so-question", "seed": "entry:0,0", "focus": "dT:0,1"},
        "**dL/dT[0,1]** = G[0,0]·B[1,0] + G[0,1]·B[1,1] + G[0,2]·B[1,2]",
        "= 1·1.5658046 + 0·(−0.1012345) + 0·(−0.2744976) = **1.5658046**",
    ),
    (
        {"T": "1,2;3,4", "B": "5,6;7,8", "seed": "weights:1,0;0,2", "focus": "dB:1,1"},
        "**dL/dB[1,1]** = T[0,1]·G[0,1] + T[1,1]·G[1,1]",
        "= 2·0 + 4·2 = **8**",
    ),
    (
        {"T": "1,2;3,4", "B": "5,6;7,8", "seed": "weights:1,0;0,2", "dtype": "float64", "focus": "dT:1,0"},
        "**dL/dT[1,0]** = G[1,0]·B[0,0] + G[1,1]·B[0,1]",
        "= 0·5 + 2·6 = **12**",
    ),
    (
        {"preset": "small-integers", "seed": "row:1", "focus": "dB:2,0"},
        "**dL/dB[2,0]** = T[0,2]·G[0,0] + T[1,2]·G[1,0]",
        "= 0·0 + 2·1 = **2**",
    ),
    (
        {"preset": "identity", "seed": "col:2", "dtype": "float64", "focus": "dT:4,2"},
        "**dL/dT[4,2]** = G[4,0]·B[2,0] + G[4,1]·B[2,1] + G[4,2]·B[2,2]",
        "= 0·0 + 0·0 + 1·1 = **1**",
    ),
    (
        {"preset": "random", "seed": "entries:0,0;3,1", "focus": "dT:3,2"},
        "**dL/dT[3,2]** = G[3,0]·B[2,0] + G[3,1]·B[2,1]",
        "= 0·0.95 + 1·0.6 = **0.6**",
    ),
    (
        {"T": "-1.5", "B": "0.25", "seed": "entry:0,0", "focus": "dB:0,0"},
        "**dL/dB[0,0]** = T[0,0]·G[0,0]",
        "= (−1.5)·1 = **−1.5**",
    ),
    ({"T": "0.1,0.2", "B": "0.3;0.4", "seed": "ones", "dtype": "float64"}, None, None),
    ({"T": "1e-05;-2.5e+20", "B": "3,-4", "seed": "col:1"}, None, None),
]


@pytest.mark.parametrize(("query", "symbols", "numbers"), ROUND_TRIPS)
def test_url_round_trip_restores_the_problem_and_its_worked_sum(query, symbols, numbers):
    at = start(**query)
    ok(at)
    assert not at.warning, values(at.warning)
    assert url(at) == query
    assert at.session_state["playground"].dtype == query.get("dtype", "float32")
    assert at.radio(key="w_dtype").value == query.get("dtype", "float32")
    if "focus" in query:
        assert at.selectbox(key="w_focus").value == query["focus"]
    if symbols is None:
        assert "Click a cell of dL/dT or dL/dB above, or pick one here, to see its sum written out." in values(at.info)
        return
    shown = values(at.markdown)
    assert symbols in shown
    assert numbers in shown
    # A second run changes nothing.
    at.run()
    ok(at)
    assert url(at) == query


def test_url_with_matrices_equal_to_a_preset_is_shortened_to_the_preset_name():
    at = start(T=format_matrix(SO_T), B=format_matrix(SO_B), seed="row:2")
    ok(at)
    assert url(at) == {"preset": "so-question", "seed": "row:2"}


# --- the worked sum, picked with the keyboard -------------------------------------------------------


def test_focus_via_widget_writes_out_the_sum_of_one_gradient_entry():
    at = start()
    assert "Click a cell of dL/dT or dL/dB above, or pick one here, to see its sum written out." in values(at.info)
    at.selectbox(key="w_focus").set_value("dT:1,2").run()
    ok(at)
    assert url(at) == {"preset": "so-question", "seed": "ones", "focus": "dT:1,2"}
    assert at.session_state["playground"].focus == ("T", 1, 2)
    shown = values(at.markdown)
    assert "**dL/dT[1,2]** = G[1,0]·B[2,0] + G[1,1]·B[2,1] + G[1,2]·B[2,2]" in shown
    assert "= 1·1.4204658 + 1·1.2609464 + 1·(−0.43640924) = **2.245003**" in shown
    assert "TensorFlow (float32) gives dL/dT[1,2] = 2.245003." in values(at.caption)

    at.selectbox(key="w_focus").set_value("dB:0,1").run()
    ok(at)
    assert url(at)["focus"] == "dB:0,1"
    shown = values(at.markdown)
    assert "**dL/dB[0,1]** = T[0,0]·G[0,1] + T[1,0]·G[1,1] + T[2,0]·G[2,1] + T[3,0]·G[3,1] + T[4,0]·G[4,1]" in shown
    assert "= 0.8363·1 + 0.3379·1 + 0.7846·1 + 0.5418·1 + 0.0948·1 = **2.5954**" in shown

    at.selectbox(key="w_focus").set_value("none").run()
    ok(at)
    assert at.session_state["playground"].focus is None
    assert "focus" not in url(at)
    assert not [s for s in values(at.markdown) if s.startswith("**dL/d")]


# --- shapes --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seed", "seed_after"),
    [
        ("entry:4,2", "entry:0,0"),  # outside the new Y: back to the first cell
        ("entry:1,2", "entry:1,2"),
        ("entries:0,1;4,2;1,0", "entries:0,1;1,0"),
        ("row:4", "row:1"),
        ("col:2", "col:2"),
        ("weights:1,2,3;4,5,6;7,8,9;1,1,1;2,2,2", "weights:1,2,3;4,5,6"),
    ],
)
def test_fewer_rows_crops_t_and_y_and_keeps_the_seed_valid(seed, seed_after):
    at = start(seed=seed, focus="dT:3,1")
    at.number_input(key="w_m").set_value(2).run()
    ok(at)
    assert at.session_state["playground"].T_cells == SO_T[:2].tolist()
    assert at.session_state["playground"].B_cells == SO_B.tolist()
    np.testing.assert_array_equal(editor_values(at, "T"), SO_T[:2])
    assert shown(at, "Y").shape == (2, 3)
    np.testing.assert_allclose(shown(at, "Y"), SO_T[:2] @ SO_B, rtol=1e-6)
    assert "Y = T @ B (2×3)" in chart_titles(at)
    assert "**T** (2×3)" in values(at.markdown)
    assert at.session_state["playground"].focus is None  # dL/dT[3,1] no longer exists
    assert url(at) == {"T": format_matrix(SO_T[:2]), "B": format_matrix(SO_B), "seed": seed_after}


def test_fewer_rows_keeps_a_focus_that_still_exists():
    at = start(focus="dB:2,2")
    at.number_input(key="w_m").set_value(1).run()
    ok(at)
    assert at.session_state["playground"].focus == ("B", 2, 2)
    assert url(at)["focus"] == "dB:2,2"
    assert "= 0.9783·1 = **0.9783**" in values(at.markdown)


def test_changing_k_resizes_t_columns_and_b_rows_and_keeps_typed_values():
    at = start(focus="dT:0,2")
    edit(at, "T", {(0, 1): 9.0})
    edit(at, "B", {(1, 2): -3.0})
    ok(at)
    at.number_input(key="w_k").set_value(2).run()
    ok(at)
    T = SO_T[:, :2].copy()
    T[0, 1] = 9.0
    B = SO_B[:2].copy()
    B[1, 2] = -3.0
    assert at.session_state["playground"].T_cells == T.tolist()
    assert at.session_state["playground"].B_cells == B.tolist()
    np.testing.assert_array_equal(editor_values(at, "T"), T)
    np.testing.assert_array_equal(editor_values(at, "B"), B)
    assert "**T** (5×2)" in values(at.markdown)
    assert "**B** (2×3)" in values(at.markdown)
    assert at.session_state["playground"].focus is None
    assert url(at) == {"T": format_matrix(T), "B": format_matrix(B), "seed": "ones"}
    np.testing.assert_allclose(shown(at, "Y"), T @ B, rtol=1e-6)

    at.number_input(key="w_k").set_value(4).run()
    ok(at)
    T4 = np.hstack([T, np.zeros((5, 2))])
    B4 = np.vstack([B, np.zeros((2, 3))])
    assert at.session_state["playground"].T_cells == T4.tolist()
    assert at.session_state["playground"].B_cells == B4.tolist()
    assert url(at)["T"] == format_matrix(T4)
    np.testing.assert_allclose(dT_shown(at), np.ones((5, 3)) @ B4.T, rtol=1e-6)


def test_changing_n_resizes_b_columns_and_the_weights():
    at = start(preset="small-integers", seed="weights:1,2;3,4")
    at.number_input(key="w_n").set_value(3).run()
    ok(at)
    assert at.session_state["playground"].B_cells == [[2.0, 1.0, 0.0], [0.0, -1.0, 0.0], [1.0, 3.0, 0.0]]
    assert url(at)["seed"] == "weights:1,2,0;3,4,0"
    np.testing.assert_array_equal(editor_values(at, "G"), [[1, 2, 0], [3, 4, 0]])


# --- precision ----------------------------------------------------------------------------------


def test_precision_and_numbers_expanders_are_filled_only_when_opened():
    """Closed (the default), they send no tables; opened, the numbers are the reference case's."""
    at = start()
    ok(at)
    assert (len(at.table), len(at.tabs), len(csv_buttons(at))) == (0, 0, 0)
    at.session_state["x_precision"] = True
    at.run()
    ok(at)
    (table,) = at.table
    frame = table.value
    assert list(frame.columns)[:2] == ["entry", "TensorFlow float32 prints"]
    assert "-0.17307831" in frame.to_numpy().astype(str).tolist()[0]
    assert not at.tabs  # the other expander stays closed and empty
    at.session_state["x_numbers"] = True
    at.run()
    ok(at)
    assert [tab.label for tab in at.tabs] == ["T", "B", "Y", "G", "dL/dT", "dL/dB"]
    assert shown_text(at, "dL/dT")[0] == ["-0.17307831", "1.1900724", "2.245003"]
    assert len(csv_buttons(at)) == 1


def csv_buttons(at) -> list:
    """The "every matrix as numbers" expander's CSV download (the notebook's button is always there)."""
    return [b for b in at.get("download_button") if b.proto.label == "Download all as CSV"]


def test_dtype_float64_via_widget_goes_into_code_url_and_check():
    at = start()
    at.radio(key="w_dtype").set_value("float64").run()
    ok(at)
    assert url(at) == {"preset": "so-question", "seed": "ones", "dtype": "float64"}
    code = at.code[0].value
    assert code.count("dtype=tf.float64") == 2  # T and B; the all-ones seed needs no G
    assert "float32" not in code
    assert [s for s in values(at.success) if "TensorFlow (float64)" in s]
    # float64 prints B's row sums to 17 digits, not float32's -0.17307831.
    assert shown_text(at, "dL/dT")[0] == ["-0.17307832000000006", "1.1900724999999999", "2.2450029599999994"]

    at.radio(key="w_seed_mode").set_value("entry").run()
    ok(at)
    assert at.code[0].value.count("dtype=tf.float64") == 3  # T, B and G
    at.radio(key="w_dtype").set_value("float32").run()
    ok(at)
    assert url(at) == {"preset": "so-question", "seed": "entry:0,0"}
    assert at.code[0].value.count("dtype=tf.float32") == 3
    assert shown_text(at, "dL/dT")[0] == ["0.43842274", "1.5658046", "1.4204658"]


# --- bad input ------------------------------------------------------------------------------------


def test_empty_cell_in_t_names_the_cell_and_keeps_everything_else():
    at = start()
    before = url(at)
    edit(at, "T", {(1, 2): None})
    assert not at.exception
    assert values(at.error) == ["T[1,2] is empty: type a number there."]
    assert not at.success
    # Every other typed value stays; the cleared cell stays empty.
    T_cells = SO_T.tolist()
    T_cells[1][2] = None
    assert at.session_state["playground"].T_cells == T_cells
    assert at.session_state["playground"].B_cells == SO_B.tolist()
    assert len(editors(at)) == 2
    assert editor_texts(at, "T") == [["" if x is None else format_number(x) for x in row] for row in T_cells]
    np.testing.assert_array_equal(editor_values(at, "B"), SO_B)
    assert url(at) == before
    # Another rerun (any widget) keeps the message and the typed values.
    at.radio(key="w_dtype").set_value("float64").run()
    assert not at.exception
    assert values(at.error) == ["T[1,2] is empty: type a number there."]
    assert at.session_state["playground"].T_cells == T_cells
    assert url(at) == before
    at.radio(key="w_dtype").set_value("float32").run()
    # Typing a number again brings the page back, with the new number in the URL.
    edit(at, "T", {(1, 2): 0.5})
    ok(at)
    T = SO_T.copy()
    T[1, 2] = 0.5
    assert url(at) == {"T": format_matrix(T), "B": format_matrix(SO_B), "seed": "ones"}


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("abc", "B[2,0] is “abc”, which is not a number."),
        ("1,5", "B[2,0] is “1,5”, which is not a number."),
        ("nan", "B[2,0] is NaN (not a number): type a real number there."),
        ("1e999", "B[2,0] is infinite: type a finite number there."),
    ],
)
def test_text_typed_into_a_cell_is_named_and_stays_in_the_editor(typed, message):
    at = start()
    before = url(at)
    edit(at, "B", {(2, 0): typed})
    assert not at.exception
    assert values(at.error) == [message]
    assert editor_texts(at, "B")[2][0] == typed  # nothing typed is lost, so it can be corrected
    assert not at.get("plotly_chart")
    assert url(at) == before
    edit(at, "B", {(2, 0): "2"})
    ok(at)
    B = SO_B.copy()
    B[2, 0] = 2.0
    np.testing.assert_allclose(shown(at, "dL/dT"), np.ones((5, 3)) @ B.T, rtol=1e-6)


@pytest.mark.parametrize("state", [{"cells": "1;2"}, {"cells": [["1"]]}, {"cells": [[1, 2, 3]] * 5}, "x"])
def test_a_tampered_editor_state_is_ignored_and_the_page_computes(state):
    at = start()
    at.session_state[f"T_editor_{at.session_state['playground'].editor_v}"] = state
    at.run()
    ok(at)
    np.testing.assert_array_equal(editor_values(at, "T"), SO_T)
    assert url(at) == {"preset": "so-question", "seed": "ones"}


def test_tampered_url_warns_about_each_bad_parameter_and_still_computes():
    at = start(T="1,2;3", B="abc", seed="entry:99,99")
    ok(at)
    warnings = values(at.warning)
    assert len(warnings) == 3
    assert warnings[0].startswith("The link's “T” value was not used: T: row 1 has 1 number(s)")
    assert warnings[1] == "The link's “B” value was not used: B[0,0] is “abc”, which is not a number."
    assert warnings[2].startswith("The link's “seed” value was not used: The seed picks Y[99,99], but Y is 5×3")
    assert url(at) == {"preset": "so-question", "seed": "ones"}
    assert at.session_state["playground"].T_cells == SO_T.tolist()
    # The warnings belong to the link that was opened, not to every later run.
    at.radio(key="w_seed_mode").set_value("row").run()
    ok(at)
    assert not at.warning


@pytest.mark.parametrize(
    ("param", "value", "message"),
    [
        ("preset", "../../etc/passwd", "There is no preset called “../../etc/passwd”."),
        ("seed", "entry:1", "The seed “entry:1”: an entry is written as two indices “i,j”"),
        ("dtype", "float16", "The dtype must be float32 or float64, not “float16”."),
        ("focus", "dZ:0,0", "“dZ:0,0” is not a gradient entry"),
        ("focus", "dT:5,0", "“dT:5,0” is outside the gradients: dL/dT is 5×3"),
        ("seed", "rows:1", "The seed “rows:1” is not understood."),
        ("T", "x" * 5000, "T is 5000 characters long; the limit is 4096."),
    ],
)
def test_one_bad_url_parameter_gives_one_warning_naming_it(param, value, message):
    at = start(**{param: value})
    ok(at)
    warnings = values(at.warning)
    assert len(warnings) == 1
    assert warnings[0].startswith(f"The link's “{param}” value was not used: ")
    assert message in warnings[0]
    assert url(at) == {"preset": "so-question", "seed": "ones"}


def test_inner_dimension_mismatch_in_url_is_explained():
    at = start(T="1,2;3,4", B="1,2,3")
    ok(at)
    assert values(at.warning) == [
        "The link's “B” value was not used: T is 2×2 and B is 1×3: for Y = T @ B, "
        "T's number of columns (2) must equal B's number of rows (1)."
    ]
    assert url(at) == {"preset": "so-question", "seed": "ones"}


# --- random problems: the three methods agree -------------------------------------------------------


@pytest.mark.parametrize(
    ("m", "k", "n", "weights"),
    [
        (1, 1, 1, False),
        (1, 8, 1, True),
        (8, 1, 1, False),
        (8, 1, 8, True),
        (3, 4, 2, True),
        (8, 8, 8, False),
    ],
)
def test_random_problem_from_url_agrees_three_ways(m, k, n, weights):
    rng = np.random.default_rng(1000 * m + 100 * k + 10 * n + weights)
    T = rng.uniform(-10, 10, (m, k))
    B = rng.uniform(-10, 10, (k, n))
    G = rng.uniform(-2, 2, (m, n)) if weights else np.ones((m, n))
    query = {"T": format_matrix(T), "B": format_matrix(B), "seed": "weights:" + format_matrix(G) if weights else "ones"}
    at = start(**query)
    ok(at)
    assert not at.warning, values(at.warning)
    assert url(at) == query
    assert at.session_state["playground"].T_cells == T.tolist()
    assert at.session_state["playground"].B_cells == B.tolist()
    assert f"**T** ({m}×{k})" in values(at.markdown)
    assert f"Y = T @ B ({m}×{n})" in chart_titles(at)
    scale = np.abs(G) @ np.abs(B).T
    np.testing.assert_array_less(np.abs(dT_shown(at) - G @ B.T), 1e-5 * scale.max())
    scale = np.abs(T).T @ np.abs(G)
    np.testing.assert_array_less(np.abs(shown(at, "dL/dB") - T.T @ G), 1e-5 * scale.max())


# --- typed values survive every other widget -------------------------------------------------------


def test_typed_values_survive_seed_dtype_and_focus_changes():
    at = start(preset="small-integers")
    edit(at, "T", {(0, 1): 7.5})
    edit(at, "B", {(2, 0): -4.0})
    ok(at)
    T = [[1, 7.5, 0], [3, -1, 2]]
    B = [[2, 1], [0, -1], [-4, 3]]
    expected = {"T": "1,7.5,0;3,-1,2", "B": "2,1;0,-1;-4,3"}
    for key, widget, value in [
        ("w_seed_mode", "radio", "weights"),  # replaces the editors (a new G grid)
        ("w_seed_mode", "radio", "row"),
        ("w_dtype", "radio", "float64"),
        ("w_focus", "selectbox", "dT:1,2"),
        ("w_seed_mode", "radio", "ones"),
    ]:
        getattr(at, widget)(key=key).set_value(value).run()
        ok(at)
        assert {k: url(at)[k] for k in ("T", "B")} == expected, (key, value)
        np.testing.assert_array_equal(shown(at, "T"), T)
        np.testing.assert_array_equal(shown(at, "B"), B)
    assert "= 1·(−4) + 1·3 = **−1**" in values(at.markdown)  # dL/dT[1,2] = row 2 of B summed
    assert url(at) == expected | {"seed": "ones", "dtype": "float64", "focus": "dT:1,2"}


# --- numbers at the edge of float32 ------------------------------------------------------------------


@pytest.mark.parametrize("tiny", ["1e-40", "1e-50"])
def test_numbers_below_float32s_smallest_normal_are_not_reported_as_a_bug(tiny):
    # TensorFlow flushes them to zero; that is float32's range, not a disagreement of the methods.
    at = start(T=tiny, B=tiny)
    ok(at)
    assert url(at) == {"T": tiny, "B": tiny, "seed": "ones"}


BIG = {"T": "1e+30,1;2,3", "B": "10000000000;1", "seed": "ones"}  # fits float64, overflows float32
TOO_LARGE_FOR_FLOAT32 = "These numbers are too large for float32: a sum of products of T, B and the seed could reach"


def test_numbers_too_large_for_float32_are_refused_with_a_message():
    at = start(**BIG)
    assert not at.exception
    (message,) = values(at.error)
    assert message.startswith(TOO_LARGE_FOR_FLOAT32)
    assert not at.success
    assert url(at) == BIG


def test_float64_via_widget_computes_numbers_too_large_for_float32():
    at = start(**BIG)
    at.radio(key="w_dtype").set_value("float64").run()
    ok(at)
    assert url(at) == BIG | {"dtype": "float64"}
    assert shown(at, "Y").tolist() == [[1e40 + 1], [2e10 + 3]]


def test_link_with_float64_and_numbers_too_large_for_float32_opens():
    at = start(**BIG, dtype="float64")
    ok(at)
    assert url(at) == BIG | {"dtype": "float64"}


def test_link_that_stops_on_an_error_can_be_repaired_in_the_editor():
    at = start(T="1e30,1;2,3", B="1e10;1")  # the same numbers as BIG, written by hand
    assert values(at.error)[0].startswith(TOO_LARGE_FOR_FLOAT32)
    edit(at, "T", {(0, 0): 1.0})
    ok(at)
    assert url(at) == {"T": "1,1;2,3", "B": "10000000000;1", "seed": "ones"}


# --- click callbacks, with a stand-in session state ------------------------------------------------


class FakeState(dict):
    """Enough of st.session_state for the callbacks: item and attribute access, `get`, `in`."""

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name, value):
        self[name] = value


def click(row: int, col: int) -> dict:
    """Streamlit's selection state for a click on the heatmap marker of cell (row, col)."""
    return {"selection": {"points": [{"x": col, "y": row, "point_index": 0}]}}


@pytest.fixture
def fake_ss(monkeypatch):
    """The session the callbacks see: a FakeState holding the playground, and the playground itself."""
    playground = ps.Playground(
        T_cells=[[1.0, 2.0], [3.0, 4.0]],
        B_cells=[[5.0, 6.0, 7.0], [8.0, 9.0, 10.0]],
        G_cells=[[1.0, 1.0, 1.0], [1.0, 1.0, 1.0]],
        seed=SeedSpec("ones"),
        dtype="float32",
        focus=None,
        preset="custom",
        problem=core.problem.default_problem(),
        editor_v=1,
        click_v=0,
    )
    session = FakeState({ps.KEY: playground})
    monkeypatch.setattr(ps, "ss", session)
    return SimpleNamespace(session=session, state=playground)


def test_click_on_y_with_ones_seed_seeds_that_entry(fake_ss):
    fake_ss.session["click_Y_0"] = click(1, 2)
    ps.on_y_click("click_Y_0")
    assert fake_ss.state.seed == SeedSpec("entry", cells=((1, 2),))
    assert fake_ss.state.click_v == 1


def test_click_on_y_toggles_entries_and_falls_back_to_ones(fake_ss):
    fake_ss.state.seed = SeedSpec("entries", cells=((0, 0),))
    for cell, expected in [
        ((1, 1), SeedSpec("entries", cells=((0, 0), (1, 1)))),
        ((0, 0), SeedSpec("entries", cells=((1, 1),))),
        ((1, 1), SeedSpec("ones")),
    ]:
        key = f"click_Y_{fake_ss.state.click_v}"
        fake_ss.session[key] = click(*cell)
        ps.on_y_click(key)
        assert fake_ss.state.seed == expected
    assert fake_ss.state.click_v == 3


@pytest.mark.parametrize(("kind", "expected"), [("row", SeedSpec("row", index=1)), ("col", SeedSpec("col", index=2))])
def test_click_on_y_takes_its_row_or_column(fake_ss, kind, expected):
    fake_ss.state.seed = SeedSpec(kind, index=0)
    fake_ss.session["click_Y_0"] = click(1, 2)
    ps.on_y_click("click_Y_0")
    assert fake_ss.state.seed == expected


def test_click_on_y_with_weights_flips_that_weight_and_keeps_typed_weights(fake_ss):
    fake_ss.state.seed = SeedSpec("weights", weights=((1.0, 1.0, 1.0), (1.0, 1.0, 1.0)))
    fake_ss.session["G_editor_1"] = {"cells": [["1", "2.5", "1"], ["1", "1", "1"]]}  # what the G editor last sent
    fake_ss.session["click_Y_0"] = click(1, 2)
    ps.on_y_click("click_Y_0")
    assert fake_ss.state.G_cells == [[1.0, 2.5, 1.0], [1.0, 1.0, 0.0]]
    assert fake_ss.state.seed == SeedSpec("weights", weights=((1.0, 2.5, 1.0), (1.0, 1.0, 0.0)))
    fake_ss.session["click_Y_1"] = click(1, 2)
    ps.on_y_click("click_Y_1")
    assert fake_ss.state.G_cells == [[1.0, 2.5, 1.0], [1.0, 1.0, 1.0]]


def test_click_on_y_outside_any_cell_changes_nothing_but_the_chart(fake_ss):
    fake_ss.session["click_Y_0"] = {"selection": {"points": []}}
    ps.on_y_click("click_Y_0")
    assert fake_ss.state.seed == SeedSpec("ones")
    assert fake_ss.state.click_v == 1


def test_click_on_a_gradient_entry_picks_it_and_a_second_click_clears_it(fake_ss):
    fake_ss.session["click_dT_0"] = click(1, 0)
    ps.on_gradient_click("click_dT_0", "T")
    assert fake_ss.state.focus == ("T", 1, 0)
    fake_ss.session["click_dB_1"] = click(1, 0)
    ps.on_gradient_click("click_dB_1", "B")
    assert fake_ss.state.focus == ("B", 1, 0)
    fake_ss.session["click_dB_2"] = click(1, 0)
    ps.on_gradient_click("click_dB_2", "B")
    assert fake_ss.state.focus is None
    assert fake_ss.state.click_v == 3


# --- one state object, one way in from the URL and one way out ----------------------------------

WIDGET_KEY = re.compile(r"w_\w+|x_\w+|[TBG]_editor_\d+|click_(Y|B|dT|dB)_\d+|gf_viewport")
"""Widget keys: they mirror the state (w_*), fold sections (x_*), or version an editor or a chart."""


def test_the_playground_keeps_its_state_in_one_object_under_one_key():
    at = start(preset="so-question", seed="entry:1,2", focus="dT:0,1", dtype="float64")
    ok(at)
    keys = set(at.session_state._state.filtered_state)
    # besides the language and what the app knows of the page's size (ui/viewport.py), shared by every page
    assert {key for key in keys if not WIDGET_KEY.fullmatch(key)} == {ps.KEY, "lang", viewport.STATE}
    state = at.session_state[ps.KEY]
    assert isinstance(state, ps.Playground)
    assert (state.seed, state.focus, state.dtype) == (SeedSpec("entry", cells=((1, 2),)), ("T", 0, 1), "float64")
    link = {key: value for key, value in url(at).items() if key in core.problem.PARAMS}
    assert core.problem.to_query(state.problem) == link  # the address bar is the state


def test_only_ui_url_turns_the_problem_into_a_url_and_back():
    """TensorFlow Playground's rule: one function from the URL to the state, one back (ui/url.py)."""
    root = ROOT
    calls = re.compile(r"\b(to_query|from_query)\(|query_params\.from_dict")
    found = [
        f"{path.relative_to(root)}:{number}"
        for folder in ("ui", "pages")
        for path in sorted((root / folder).rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if calls.search(line)
    ]
    assert found and all(place.startswith("ui/url.py:") for place in found), found
