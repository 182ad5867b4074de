"""The quiz in a real browser: a shared problem link, a typed prediction, the verdict and the score.

Expected answers come from `core.quiz`, the same library the page calls. The answer grid is a
glide-data-grid canvas inside a form: typing into it reruns nothing until Check is pressed.
"""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

from core import quiz
from core.explain import fmt
from tests.helpers.browser import ROW_PX, after_next_frame, markdown_texts, query, rerun, snap, wait_for_app

WHOLE = 42  # asks for all of dL/dB (3×2)
PROBLEM_CHARTS = 3  # T, B and the seed G
VERDICT_CHARTS = 4  # … and TensorFlow's gradient after a check
EDIT_DEBOUNCE_MS = 150  # how long the data editor waits before it reports an edit
# Keys at a person's pace: when the second key of "13" follows the first within a millisecond, the
# grid's cell editor (opened by the first key) shows "13" but sometimes commits nothing on Enter.
KEY_DELAY_MS = 100


def one_entry_q() -> int:
    """The first problem seed whose question is one non-zero entry of a gradient."""
    return next(q for q in range(1000) if (p := quiz.make_problem(q)).cell is not None and p.answer[p.cell] != 0)


def open_quiz(page: Page, app_url: str, q: int) -> None:
    """Open /quiz?q=… the way a student follows a teacher's link."""
    page.goto(app_url + "/")  # the first page load of a fresh server registers the pages
    wait_for_app(page)
    page.goto(f"{app_url}/quiz?q={q}")
    wait_for_app(page, charts=PROBLEM_CHARTS)
    expect(page.get_by_text(re.compile(rf"^Problem {q}:"))).to_be_visible()


def type_grid(page: Page, cells: list[list[str]]) -> None:
    """Type every cell of the answer grid from the keyboard, column by column from the right.

    One click selects the top right cell; typing opens its editor and Enter commits and moves the
    selection one row down (it stays put on the last row). A click on a cell that is already
    selected would open its editor instead, so after the first click only keys move the selection.
    """
    canvas = page.get_by_test_id("stDataFrame").first.locator('canvas[data-testid="data-grid-canvas"]')
    expect(canvas).to_be_visible()
    box = canvas.bounding_box()
    assert box is not None
    rows, cols = len(cells), len(cells[0])
    page.mouse.click(box["x"] + box["width"] - 15, box["y"] + ROW_PX * 1.5)
    after_next_frame(page)
    cell_input = page.get_by_test_id("portal").locator(".gdg-clip-region input, .gdg-clip-region textarea")
    for j in reversed(range(cols)):
        for _ in range(rows):  # back to the top row (more presses than needed are harmless)
            page.keyboard.press("ArrowUp")
        for i in range(rows):
            page.keyboard.type(cells[i][j], delay=KEY_DELAY_MS)
            expect(cell_input).to_have_value(cells[i][j])
            after_next_frame(page)
            page.keyboard.press("Enter")  # commits the cell; inside a form this starts no run
            expect(cell_input).to_have_count(0)
            # The grid hands each edit to the form after a 150 ms debounce (Streamlit's
            # DataFrame.tsx); a click on Check inside that window would miss the last edit.
            page.wait_for_timeout(EDIT_DEBOUNCE_MS * 2)
        page.keyboard.press("ArrowLeft")


def alert(page: Page, kind: str) -> Locator:
    """The text of the alert of one kind ('Success', 'Error', 'Warning'), without its icon."""
    return page.get_by_test_id(f"stAlertContent{kind}").get_by_test_id("stMarkdownContainer")


def press_check(page: Page) -> None:
    """Press Check and wait for its run (any chart count: a typo shows no verdict chart)."""
    rerun(page, lambda: page.get_by_role("button", name="Check").click(), charts=None)


def score(page: Page) -> str:
    (line,) = [s for s in markdown_texts(page) if s.startswith("Score this session")]
    return line


def test_shared_link_typed_answer_is_correct_and_scores_one_of_one(page: Page, app_url: str) -> None:
    open_quiz(page, app_url, WHOLE)
    assert score(page) == "Score this session: no problem checked yet."
    snap(page, "quiz_01_problem_42")

    answer = quiz.make_problem(WHOLE).answer
    type_grid(page, [[fmt(x) for x in row] for row in answer])
    snap(page, "quiz_02_typed")
    press_check(page)

    expect(alert(page, "Success")).to_have_text("Correct: all 6 entries of dL/dB are right.")
    expect(page.locator(".js-plotly-plot")).to_have_count(VERDICT_CHARTS)  # TensorFlow's dL/dB joins T, B, G
    assert score(page) == "Score this session: 1 of 1 correct."
    assert query(page)["q"] == str(WHOLE)
    snap(page, "quiz_03_correct")


def test_grid_with_negative_and_two_digit_numbers_marks_the_one_wrong_entry(page: Page, app_url: str) -> None:
    q = 4  # all of dL/dT (3×3) for custom weights: [[1, 13, 1], [-2, 4, -2], [12, 6, -9]]
    p = quiz.make_problem(q)
    typed = [["1", "13", "0"], ["-2", "4", "-2"], ["12", "6", "-9"]]
    (wrong,) = quiz.check(p, typed).wrong
    assert wrong.cell == (0, 2)
    open_quiz(page, app_url, q)

    type_grid(page, typed)
    press_check(page)

    expect(alert(page, "Error")).to_have_text("Not quite: 8 of 9 entries of dL/dT are right.")
    shown = markdown_texts(page)
    assert f"{wrong.label} = {wrong.worked.symbols}" in shown
    assert f"= {wrong.worked.numbers} = {fmt(wrong.answer)} (you wrote 0)" in shown
    snap(page, "quiz_04_grid_wrong")


def test_wrong_entry_shows_contributions_and_a_typo_names_the_cell(page: Page, app_url: str) -> None:
    q = one_entry_q()
    p = quiz.make_problem(q)
    label, answer = p.label(*p.cell), p.answer[p.cell]
    open_quiz(page, app_url, q)
    field = page.get_by_role("textbox", name=f"Your {label}", exact=True)

    field.fill("abc")
    press_check(page)
    expect(alert(page, "Error")).to_contain_text(f"Your {label} is “abc”, which is not a number.")
    assert score(page) == "Score this session: no problem checked yet."

    field.fill(fmt(answer + 1))
    press_check(page)
    expect(alert(page, "Error")).to_have_text(f"Not quite: you wrote {fmt(answer + 1)}, but {label} = {fmt(answer)}.")
    expect(page.get_by_role("heading", name="Where the wrong entries come from")).to_be_visible()
    assert [s for s in markdown_texts(page) if s.startswith(f"{label} = ")], "the worked sum is written out"
    assert score(page) == "Score this session: 0 of 1 correct."
    snap(page, "quiz_05_wrong")


def test_tab_into_the_grid_and_typing_edits_the_first_cell(page: Page, app_url: str) -> None:
    """From the keyboard alone: the grid's first focus is an editable cell, so a typed digit is kept.

    Issue 19: the grid had a read-only index column (row numbers), which took the focus, and what
    was typed there was silently dropped.
    """
    open_quiz(page, app_url, WHOLE)
    canvas = page.get_by_test_id("stDataFrame").first.locator('canvas[data-testid="data-grid-canvas"]')
    for _ in range(60):  # the sidebar, the page's links, the code, the hint: then the grid
        page.keyboard.press("Tab")
        if canvas.evaluate("(c) => c === document.activeElement"):
            break
    else:
        raise AssertionError("Tab never reached the answer grid")
    page.keyboard.type("7", delay=KEY_DELAY_MS)
    after_next_frame(page)
    cell_input = page.get_by_test_id("portal").locator(".gdg-clip-region input, .gdg-clip-region textarea")
    expect(cell_input).to_have_value("7")


def test_new_problem_writes_a_new_q_into_the_address_bar(page: Page, app_url: str) -> None:
    open_quiz(page, app_url, WHOLE)
    rerun(page, lambda: page.get_by_role("button", name="New problem").click(), charts=PROBLEM_CHARTS)
    q = quiz.parse_q(query(page)["q"])
    assert q != WHOLE
    expect(page.get_by_text(re.compile(rf"^Problem {q}:"))).to_be_visible()
    expect(page.get_by_test_id("stCode").last).to_contain_text(f"/quiz?q={q}")


def test_bad_q_in_the_link_warns_and_opens_a_fresh_problem(page: Page, app_url: str) -> None:
    page.goto(app_url + "/")
    wait_for_app(page)
    page.goto(f"{app_url}/quiz?q=abc")
    wait_for_app(page, charts=PROBLEM_CHARTS)
    expect(alert(page, "Warning")).to_contain_text("The link's “q” value was not used: “abc” is not a problem number")
    quiz.parse_q(query(page)["q"])
