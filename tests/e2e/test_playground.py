"""The playground in a real browser: the numbers a learner reads, and the clicks that change them.

Every expectation is computed here with NumPy from T, B and the seed (docs/math.md's formulas:
dL/dT = G @ Bᵀ, dL/dB = Tᵀ @ G) and compared with the text the page draws: the values written
in the heatmap cells (4 significant digits), the sentences, the code block and the URL.
"""

from __future__ import annotations

import re

import numpy as np
from playwright.sync_api import Page, expect

from tests.helpers.browser import (
    PLAYGROUND_CHARTS,
    assert_chart_shows,
    cell,
    chart,
    chart_text,
    choose_radio,
    choose_select,
    click_chart_cell,
    code_text,
    editor,
    markdown_texts,
    open_app,
    query,
    rerun,
    runs_finished,
    selectbox,
    snap,
    type_into_cell,
    wait_for_app,
)

SO_T = np.array(
    [
        [0.8363, 0.4719, 0.9783],
        [0.3379, 0.6548, 0.3835],
        [0.7846, 0.9173, 0.2393],
        [0.5418, 0.3875, 0.4276],
        [0.0948, 0.2637, 0.8039],
    ]
)
SO_B = np.array(
    [
        [0.43842274, -0.53439844, -0.07710262],
        [1.5658046, -0.1012345, -0.2744976],
        [1.4204658, 1.2609464, -0.43640924],
    ]
)
SO = {"preset": "so-question", "seed": "ones"}
ROW_SUMS = ["−0.1731", "1.19", "2.245"]  # B's row sums as the dL/dT cells write them
ZEROS = ["0", "0", "0"]


def seed_matrix(m: int, n: int, cells: list[tuple[int, int]]) -> np.ndarray:
    G = np.zeros((m, n))
    for i, j in cells:
        G[i, j] = 1.0
    return G


def assert_gradients_shown(page: Page, T: np.ndarray, B: np.ndarray, G: np.ndarray) -> None:
    """Y, G, dL/dT and dL/dB in the charts are what the formulas give for T, B and G."""
    assert_chart_shows(page, "Y", T @ B)
    assert_chart_shows(page, "G", G)
    assert_chart_shows(page, "dL/dT", G @ B.T)
    assert_chart_shows(page, "dL/dB", T.T @ G)


def alert_texts(page: Page, kind: str) -> list[str]:
    """The text of every alert of one kind: 'Warning', 'Info', 'Success' or 'Error'."""
    alerts = page.get_by_test_id("stAlert").filter(has=page.get_by_test_id(f"stAlertContent{kind}"))
    return [a.inner_text() for a in alerts.all()]


# --- the reference case, opened from share links ----------------------------------------------


def test_all_ones_seed_shows_row_sums_of_B(page: Page, app_url: str) -> None:
    open_app(page, app_url, SO)
    snap(page, "01_so_question_ones")

    sentences = alert_texts(page, "Info")
    assert any("B's row sums [−0.17307832, 1.1900725, 2.245003]" in s for s in sentences), sentences
    assert chart_text(page, "dL/dT") == [ROW_SUMS] * 5
    assert chart_text(page, "B")[0] == ["0.4384", "−0.5344", "−0.0771"]
    assert chart_text(page, "G") == [["1"] * 3] * 5
    assert_gradients_shown(page, SO_T, SO_B, np.ones((5, 3)))

    code = code_text(page)
    assert "dT, dB = tape.gradient(Y, [T, B])" in code
    assert "output_gradients=" not in code
    assert "T = tf.constant([[0.8363, 0.4719, 0.9783]," in code
    assert "[0.0948, 0.2637, 0.8039]], dtype=tf.float32)" in code
    assert "B = tf.constant([[0.43842274, -0.53439844, -0.07710262]," in code
    assert "[1.4204658, 1.2609464, -0.43640924]], dtype=tf.float32)" in code

    assert any("agree" in s for s in alert_texts(page, "Success"))
    assert query(page) == SO


def test_one_entry_seed_gives_column_of_B_in_one_row(page: Page, app_url: str) -> None:
    open_app(page, app_url, {"preset": "so-question", "seed": "entry:0,0"})

    assert chart_text(page, "dL/dT") == [["0.4384", "1.566", "1.42"]] + [ZEROS] * 4
    assert_gradients_shown(page, SO_T, SO_B, seed_matrix(5, 3, [(0, 0)]))
    assert "output_gradients=G" in code_text(page)
    assert not any("row sums" in s for s in alert_texts(page, "Info"))
    expect(page.get_by_test_id("stRadio").get_by_role("radio", name="One entry")).to_be_checked()


def test_custom_weights_from_a_link_with_own_matrices(page: Page, app_url: str) -> None:
    open_app(page, app_url, {"T": "1,2;3,4", "B": "5,6;7,8", "seed": "weights:1,0;0,2"})
    snap(page, "03_custom_weights")

    T, B, G = np.array([[1.0, 2], [3, 4]]), np.array([[5.0, 6], [7, 8]]), np.array([[1.0, 0], [0, 2]])
    assert chart_text(page, "Y") == [["19", "22"], ["43", "50"]]
    assert chart_text(page, "G") == [["1", "0"], ["0", "2"]]
    assert chart_text(page, "dL/dT") == [["5", "7"], ["12", "16"]]
    assert chart_text(page, "dL/dB") == [["1", "6"], ["2", "8"]]
    assert_gradients_shown(page, T, B, G)
    expect(page.get_by_test_id("stRadio").get_by_role("radio", name="Custom weights")).to_be_checked()
    weights_grid, first_chart = editor(page, "G").bounding_box(), chart(page, "T").bounding_box()
    assert weights_grid and first_chart and weights_grid["y"] < first_chart["y"], "no weights grid among the inputs"
    assert "G = tf.constant([[1, 0],\n" in code_text(page)
    assert query(page) == {"T": "1,2;3,4", "B": "5,6;7,8", "seed": "weights:1,0;0,2"}


# --- clicking Y seeds entries ------------------------------------------------------------------


def test_clicking_a_cell_of_Y_takes_the_gradient_of_that_entry(page: Page, app_url: str) -> None:
    open_app(page, app_url, SO)
    click_chart_cell(page, "Y", 1, 1)
    snap(page, "04_clicked_Y_1_1")

    assert query(page)["seed"] == "entry:1,1"
    assert chart_text(page, "dL/dT") == [ZEROS, ["−0.5344", "−0.1012", "1.261"], ZEROS, ZEROS, ZEROS]
    assert_gradients_shown(page, SO_T, SO_B, seed_matrix(5, 3, [(1, 1)]))
    expect(page.get_by_test_id("stRadio").get_by_role("radio", name="One entry")).to_be_checked()
    expect(selectbox(page, "Entry of Y")).to_have_value("Y[1,1]")


def test_clicking_cells_of_Y_in_set_mode_adds_and_removes_them(page: Page, app_url: str) -> None:
    open_app(page, app_url, SO)
    choose_radio(page, "Seed G = dL/dY", "A set of entries")
    assert query(page)["seed"] == "entries:0,0"

    click_chart_cell(page, "Y", 1, 1)
    assert query(page)["seed"] == "entries:0,0;1,1"
    click_chart_cell(page, "Y", 3, 2)
    assert query(page)["seed"] == "entries:0,0;1,1;3,2"
    assert_gradients_shown(page, SO_T, SO_B, seed_matrix(5, 3, [(0, 0), (1, 1), (3, 2)]))
    snap(page, "05_entries_three")

    click_chart_cell(page, "Y", 1, 1)  # a second click takes it out again
    assert query(page)["seed"] == "entries:0,0;3,2"
    assert_gradients_shown(page, SO_T, SO_B, seed_matrix(5, 3, [(0, 0), (3, 2)]))
    chips = page.get_by_test_id("stMultiSelect").filter(has_text="Entries of Y")
    expect(chips).to_contain_text("Y[0,0]")
    expect(chips).to_contain_text("Y[3,2]")
    expect(chips).not_to_contain_text("Y[1,1]")


# --- clicking a gradient entry writes out its sum ---------------------------------------------


def test_clicking_a_gradient_entry_writes_out_its_sum(page: Page, app_url: str) -> None:
    open_app(page, app_url, SO)

    click_chart_cell(page, "dL/dT", 1, 2)
    snap(page, "06_focus_dT_1_2")
    assert query(page)["focus"] == "dT:1,2"
    texts = markdown_texts(page)
    assert "dL/dT[1,2] = G[1,0]·B[2,0] + G[1,1]·B[2,1] + G[1,2]·B[2,2]" in texts
    assert "= 1·1.4204658 + 1·1.2609464 + 1·(−0.43640924) = 2.245003" in texts
    tf_says = page.get_by_test_id("stCaptionContainer").filter(has_text="TensorFlow (float32) gives dL/dT[1,2] =")
    expect(tf_says).to_have_text("TensorFlow (float32) gives dL/dT[1,2] = 2.245003.")

    click_chart_cell(page, "dL/dB", 2, 0)
    assert query(page)["focus"] == "dB:2,0"
    texts = markdown_texts(page)
    symbols = " + ".join(f"T[{a},2]·G[{a},0]" for a in range(5))
    assert f"dL/dB[2,0] = {symbols}" in texts
    column_sum = SO_T[:, 2].sum()
    assert f"= 0.9783·1 + 0.3835·1 + 0.2393·1 + 0.4276·1 + 0.8039·1 = {column_sum:.8g}" in texts
    assert chart_text(page, "dL/dB")[2][0] == f"{column_sum:.4g}"
    expect(selectbox(page, "Gradient entry")).to_have_value("dL/dB[2,0]")

    click_chart_cell(page, "dL/dB", 2, 0)  # the same entry again clears it
    assert "focus" not in query(page)
    assert any("Click a cell of dL/dT or dL/dB" in s for s in alert_texts(page, "Info"))


# --- the keyboard way -------------------------------------------------------------------------


def test_row_seed_chosen_with_the_keyboard_widgets(page: Page, app_url: str) -> None:
    open_app(page, app_url, SO)
    choose_radio(page, "Seed G = dL/dY", "A row")
    assert query(page)["seed"] == "row:0"
    choose_select(page, "Row of Y", "Y[3, :]")
    snap(page, "07_row_3")

    assert query(page)["seed"] == "row:3"
    G = np.zeros((5, 3))
    G[3, :] = 1
    assert chart_text(page, "dL/dT") == [ZEROS, ZEROS, ZEROS, ROW_SUMS, ZEROS]
    assert_gradients_shown(page, SO_T, SO_B, G)


# --- editing T --------------------------------------------------------------------------------


def test_editing_a_cell_of_T_updates_Y_and_dL_dB(page: Page, app_url: str) -> None:
    open_app(page, app_url, SO)
    type_into_cell(page, "T", 1, 1, "2")
    snap(page, "08_edited_T_1_1")

    T = SO_T.copy()
    T[1, 1] = 2.0
    assert chart_text(page, "T")[1] == ["0.3379", "2", "0.3835"]
    assert chart_text(page, "dL/dB")[1] == ["4.04"] * 3  # column 1 of T now sums to 4.0404
    assert chart_text(page, "dL/dT") == [ROW_SUMS] * 5  # the all-ones gradient does not involve T
    assert_gradients_shown(page, T, SO_B, np.ones((5, 3)))
    params = query(page)
    assert "preset" not in params
    assert (
        params["T"]
        == "0.8363,0.4719,0.9783;0.3379,2,0.3835;0.7846,0.9173,0.2393;0.5418,0.3875,0.4276;0.0948,0.2637,0.8039"
    )
    assert (
        params["B"]
        == "0.43842274,-0.53439844,-0.07710262;1.5658046,-0.1012345,-0.2744976;1.4204658,1.2609464,-0.43640924"
    )
    assert params["seed"] == "ones"
    assert "[0.3379, 2, 0.3835]," in code_text(page)


def test_each_edit_runs_the_page_once(page: Page, app_url: str) -> None:
    """One run per edit: the editor once answered each run with its edits again, one or two more runs."""
    open_app(page, app_url, SO)
    T = SO_T.copy()
    for i, j, value in ((0, 0, "1"), (2, 1, "2.5"), (4, 2, "-1")):
        before = runs_finished(page)
        type_into_cell(page, "T", i, j, value)
        T[i, j] = float(value)
        page.wait_for_timeout(1500)  # those extra runs came 0.2 to 0.5 s after the edit's own
        assert runs_finished(page) - before == 1, f"T[{i},{j}] = {value}"
    assert_gradients_shown(page, T, SO_B, np.ones((5, 3)))


def test_the_editor_moves_like_a_spreadsheet_and_escape_takes_a_typed_text_back(page: Page, app_url: str) -> None:
    open_app(page, app_url, SO)
    T = SO_T.copy()
    type_into_cell(page, "T", 0, 0, "1")  # Enter sends the cell and moves down
    T[0, 0] = 1.0
    expect(cell(page, "T", 1, 0)).to_be_focused()

    before = runs_finished(page)
    page.keyboard.type("9")  # replaces the selected text
    page.keyboard.press("Escape")
    expect(cell(page, "T", 1, 0)).to_have_value("0.3379")
    page.wait_for_timeout(500)
    assert runs_finished(page) == before  # nothing was sent

    page.keyboard.type("2")
    rerun(page, lambda: page.keyboard.press("Tab"))  # leaving a changed cell sends it
    T[1, 0] = 2.0
    expect(cell(page, "T", 1, 1)).to_be_focused()
    page.keyboard.type("-3")
    rerun(page, lambda: page.keyboard.press("ArrowUp"))
    T[1, 1] = -3.0
    expect(cell(page, "T", 0, 1)).to_be_focused()
    assert chart_text(page, "T")[:2] == [["1", "0.4719", "0.9783"], ["2", "−3", "0.3835"]]
    assert_gradients_shown(page, T, SO_B, np.ones((5, 3)))


def test_a_block_pasted_from_a_spreadsheet_fills_the_cells_from_the_cursor(page: Page, app_url: str) -> None:
    open_app(page, app_url, SO)
    target = cell(page, "B", 1, 1)
    target.click()
    before = runs_finished(page)
    paste = """(el, text) => {
        const data = new DataTransfer();
        data.setData('text/plain', text);
        el.dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true}));
    }"""
    rerun(page, lambda: target.evaluate(paste, "1\t2\t7\n3\t4\t7\n7\t7\t7\n"))  # a 3×3 block from B[1,1]
    B = SO_B.copy()
    B[1:, 1:] = [[1, 2], [3, 4]]  # what falls outside the matrix is dropped
    assert chart_text(page, "B")[1:] == [["1.566", "1", "2"], ["1.42", "3", "4"]]
    assert_gradients_shown(page, SO_T, B, np.ones((5, 3)))
    page.wait_for_timeout(500)
    assert runs_finished(page) - before == 1  # one run for the whole block


def test_text_in_a_cell_is_marked_named_and_kept(page: Page, app_url: str) -> None:
    open_app(page, app_url, SO)
    type_into_cell(page, "T", 2, 1, "1..5", charts=None)
    expect(cell(page, "T", 2, 1)).to_have_value("1..5")
    expect(cell(page, "T", 2, 1)).to_have_class(re.compile(r"\bbad\b"))
    assert any("T[2,1] is “1..5”, which is not a number." in a for a in alert_texts(page, "Error"))
    expect(page.locator(".js-plotly-plot")).to_have_count(0)
    cell(page, "T", 2, 1).press("ControlOrMeta+a")
    page.keyboard.type("9" * 70)
    expect(cell(page, "T", 2, 1)).to_have_value("9" * 64)  # a cell takes 64 characters
    page.keyboard.press("Escape")
    expect(cell(page, "T", 2, 1)).to_have_value("1..5")
    type_into_cell(page, "T", 2, 1, "1.5")
    expect(cell(page, "T", 2, 1)).not_to_have_class(re.compile(r"\bbad\b"))
    T = SO_T.copy()
    T[2, 1] = 1.5
    assert_gradients_shown(page, T, SO_B, np.ones((5, 3)))


def test_picking_the_example_again_after_an_edit_restores_it(page: Page, app_url: str) -> None:
    open_app(page, app_url, SO)
    type_into_cell(page, "T", 1, 1, "2")
    assert chart_text(page, "T")[1][1] == "2"
    expect(selectbox(page, "Example")).to_have_value("— your own matrices —")

    selectbox(page, "Example").click()
    page.locator('[role="option"]').filter(has_text=re.compile(r"^so-question$")).click()
    expect(chart(page, "T").locator(".textpoint text").nth(4)).to_have_text("0.6548", timeout=10_000)
    wait_for_app(page, charts=PLAYGROUND_CHARTS)
    assert query(page) == SO


# --- bad links and precision ------------------------------------------------------------------


def test_tampered_link_names_each_bad_parameter_and_still_works(page: Page, app_url: str) -> None:
    page.goto(f"{app_url}/?T=1,2;3&B=abc&seed=entry:99,99")
    wait_for_app(page, charts=PLAYGROUND_CHARTS)
    snap(page, "09_tampered_link")

    warnings = alert_texts(page, "Warning")
    assert len(warnings) == 3, warnings
    for param, detail in (("T", "row 1 has 1 number(s)"), ("B", "“abc”"), ("seed", "Y[99,99]")):
        assert any(f"The link's “{param}” value was not used" in w and detail in w for w in warnings), (param, warnings)
    assert chart_text(page, "dL/dT") == [ROW_SUMS] * 5
    assert_gradients_shown(page, SO_T, SO_B, np.ones((5, 3)))
    expect(page.get_by_test_id("stException")).to_have_count(0)
    assert query(page) == SO


def test_float64_changes_the_code_and_the_link(page: Page, app_url: str) -> None:
    open_app(page, app_url, SO)
    choose_radio(page, "Precision", "float64")
    snap(page, "10_float64")

    code = code_text(page)
    assert code.count("dtype=tf.float64") == 2
    assert "float32" not in code
    assert query(page) == {**SO, "dtype": "float64"}
    assert any("TensorFlow (float64)" in s for s in alert_texts(page, "Success"))
    assert chart_text(page, "dL/dT") == [ROW_SUMS] * 5
