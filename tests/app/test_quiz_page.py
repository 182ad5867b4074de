"""The quiz page driven through Streamlit's AppTest: predict, check, score, share link, bad input.

Each test opens its own session at `/quiz?q=…`, as a teacher's link does. The expected answers come
from `core.quiz` (the page must agree with the library a teacher uses in a notebook).

Streamlit 1.67's AppTest, with a pages/ folder next to app.py, would run pages/quiz.py on its own
(the legacy multipage mode) after `switch_page`; the page's `ensure_app_navigation` would then
rerun every run and swallow the Check click. The fixture pins the switch the way app.py's
`st.navigation` leaves it on a server (tests/app/conftest.py), and a test checks that app.py's
navigation ran the quiz.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from core import quiz
from core.explain import fmt
from tests.helpers.apptest import APP, TIMEOUT, url, values


def shown(elements) -> list[str]:
    """Alert texts as rendered: quoted text has its markdown characters backslash-escaped (ui.language.inert)."""
    return [re.sub(r"\\(.)", r"\1", v) for v in values(elements)]


WHOLE = 42  # q=42 asks for all of dL/dB = [[0, 0], [0, 0], [0, 3]]
SCORE_NONE = "Score this session: no problem checked yet."


def one_entry_q() -> int:
    """The first problem seed whose question is a single entry of dL/dT with a non-zero answer."""
    return next(
        q
        for q in range(1000)
        if (p := quiz.make_problem(q)).cell is not None and p.wrt == "T" and p.answer[p.cell] != 0
    )


# Run the quiz through app.py's st.navigation, as a server does; record each navigation run
# (`app_navigation` and `navigation_calls` in tests/app/conftest.py).
pytestmark = pytest.mark.usefixtures("app_navigation")


def open_quiz(q: str | None) -> AppTest:
    """A fresh session opened at /quiz, with `?q=…` when q is given."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    if q is not None:
        at.query_params["q"] = q
    at.switch_page("pages/quiz.py")
    return at.run()


def no_exception(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "Quiz: predict the gradient, then check it"


def button(at: AppTest, label: str):
    (found,) = [b for b in at.button if b.label == label]
    return found


def check(at: AppTest) -> AppTest:
    at = button(at, "Check").click().run()
    no_exception(at)
    return at


def type_entry(at: AppTest, q: int, typed: str) -> AppTest:
    at.text_input(key=f"quiz_entry_{q}").input(typed)
    return check(at)


def type_gradient(at: AppTest, q: int, cells: list[list[str | None]]) -> AppTest:
    """Fill the answer grid as a student would (the editor's edit list), then press Check."""
    edited = {i: {str(j): value for j, value in enumerate(row)} for i, row in enumerate(cells)}
    at.session_state[f"quiz_editor_{q}"] = {"edited_rows": edited, "added_rows": [], "deleted_rows": []}
    return check(at)


def score(at: AppTest) -> str:
    (line,) = [s for s in values(at.markdown) if s.startswith("Score this session")]
    return line


def problem_line(at: AppTest) -> str:
    (line,) = [s for s in values(at.markdown) if s.startswith("Problem **")]
    return line


# --- predicting ---------------------------------------------------------------------------------


def test_correct_single_entry_is_marked_correct_and_scores_one_of_one():
    q = one_entry_q()
    p = quiz.make_problem(q)
    label = p.label(*p.cell)
    at = open_quiz(str(q))
    no_exception(at)
    assert score(at) == SCORE_NONE
    assert f"**Predict {label}**: one number." in values(at.markdown)
    assert at.text_input(key=f"quiz_entry_{q}").label == f"Your {label}"

    at = type_entry(at, q, fmt(p.answer[p.cell]))  # fmt writes a negative answer with U+2212

    assert values(at.success) == [f"Correct: {label} = {fmt(p.answer[p.cell])}."]
    assert score(at) == "Score this session: **1 of 1** correct."
    assert not [s for s in values(at.markdown) if "Where the wrong entries come from" in s]
    assert url(at)["q"] == str(q)


def test_correct_whole_gradient_is_marked_correct():
    p = quiz.make_problem(WHOLE)
    at = open_quiz(str(WHOLE))
    assert "**Predict all of dL/dB** (3×2): one number in every cell." in values(at.markdown)
    at = type_gradient(at, WHOLE, [[fmt(x) for x in row] for row in p.answer])
    assert values(at.success) == ["Correct: all 6 entries of dL/dB are right."]
    assert "TensorFlow's dL/dB: every entry is as you predicted." in values(at.caption)
    assert score(at) == "Score this session: **1 of 1** correct."


def test_wrong_entry_shows_its_contributions():
    at = open_quiz(str(WHOLE))
    at = type_gradient(at, WHOLE, [["0", "0"], ["0", "−0"], ["0", "2"]])
    assert values(at.error) == ["Not quite: 5 of 6 entries of dL/dB are right."]
    assert "Where the wrong entries come from" in [h.value for h in at.subheader]
    shown = values(at.markdown)
    assert "**dL/dB[2,1]** = T[0,2]·G[0,1]" in shown
    assert "= 3·1 = **3** (you wrote 2)" in shown
    assert not [s for s in shown if s.startswith("**dL/dB[0,0]**")], "right entries are not written out"
    (table,) = [d.value for d in at.dataframe if "verdict" in d.value.columns]
    assert table["verdict"].tolist() == ["✓ right"] * 5 + ["✗ wrong"]
    assert table["TensorFlow"].tolist() == ["0", "0", "0", "0", "0", "3"]
    assert score(at) == "Score this session: **0 of 1** correct."


def test_wrong_single_entry_says_what_was_typed_and_the_answer():
    q = one_entry_q()
    p = quiz.make_problem(q)
    label, answer = p.label(*p.cell), p.answer[p.cell]
    at = type_entry(open_quiz(str(q)), q, fmt(answer + 1))
    assert values(at.error) == [f"Not quite: you wrote {fmt(answer + 1)}, but {label} = {fmt(answer)}."]
    assert [s for s in values(at.markdown) if s.startswith(f"**{label}** = ")]


def test_text_that_is_not_a_number_names_the_cell_and_scores_nothing():
    q = one_entry_q()
    p = quiz.make_problem(q)
    label = p.label(*p.cell)
    at = type_entry(open_quiz(str(q)), q, "abc")
    assert shown(at.error) == [f"Your {label} is “abc”, which is not a number. Type it like 3, −2, 2.5 or 7/2."]
    assert not at.success
    assert score(at) == SCORE_NONE


def test_a_typo_after_a_right_answer_clears_the_old_verdict():
    q = one_entry_q()
    p = quiz.make_problem(q)
    at = type_entry(open_quiz(str(q)), q, fmt(p.answer[p.cell]))
    at = type_entry(at, q, "abc")  # used to unpack a cleared verdict and raise
    assert not at.success
    assert [e for e in values(at.error) if "“abc”, which is not a number" in e]
    assert score(at) == "Score this session: **1 of 1** correct."


def test_empty_cell_of_the_grid_is_named():
    at = type_gradient(open_quiz(str(WHOLE)), WHOLE, [["0", "0"], [None, "0"], ["0", "3"]])
    assert shown(at.error) == ["Your dL/dB[1,0] is empty: type a number there."]
    assert score(at) == SCORE_NONE


def test_each_problem_counts_once_at_its_first_check():
    p = quiz.make_problem(WHOLE)
    right = [[fmt(x) for x in row] for row in p.answer]
    at = type_gradient(open_quiz(str(WHOLE)), WHOLE, [["1", "0"], ["0", "0"], ["0", "3"]])
    assert score(at) == "Score this session: **0 of 1** correct."
    at = type_gradient(at, WHOLE, right)
    assert values(at.success) == ["Correct: all 6 entries of dL/dB are right."]
    assert "checking again does not change the score" in " ".join(values(at.caption))
    assert score(at) == "Score this session: **0 of 1** correct."

    q = one_entry_q()
    at.query_params["q"] = str(q)  # a second problem, opened from a link in the same session
    at = type_entry(at.run(), q, fmt(quiz.make_problem(q).answer[quiz.make_problem(q).cell]))
    assert score(at) == "Score this session: **1 of 2** correct."


# --- the problem seed in the URL ----------------------------------------------------------------


def test_the_link_shows_the_problem_it_names(navigation_calls):
    p = quiz.make_problem(WHOLE)
    at = open_quiz(str(WHOLE))
    no_exception(at)
    assert navigation_calls, "app.py's st.navigation did not run the quiz"
    assert problem_line(at) == "Problem **42**: T is 1×3, B is 3×2, so Y = T @ B is 1×2."
    assert "The seed G is 1 on column 1 of Y and 0 elsewhere, so L = sum(Y[:, 1])." in values(at.markdown)
    assert at.code[0].value.endswith("print(dB)  # ?")
    assert at.code[-1].value.endswith("?q=42")  # the share link
    assert p.seed.kind == "col"


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("abc", "“abc” is not a problem number: use a whole number from 0 to 999999."),
        ("-5", "“-5” is not a problem number: problem numbers run from 0 to 999999."),
        ("99999999", "“99999999” is not a problem number: problem numbers run from 0 to 999999."),
    ],
)
def test_bad_q_warns_naming_q_and_shows_a_fresh_problem(raw, reason):
    at = open_quiz(raw)
    no_exception(at)
    assert values(at.warning) == [f"The link's “q” value was not used: {reason}"]
    q = quiz.parse_q(url(at)["q"])  # the fresh problem's number, written into the URL
    assert problem_line(at).startswith(f"Problem **{q}**:")
    assert len(at.button) == 2  # New problem and Check: the page is whole


def test_without_q_a_problem_is_drawn_and_kept_for_the_session():
    at = open_quiz(None)
    no_exception(at)
    q = url(at)["q"]
    quiz.parse_q(q)
    del at.query_params["q"]  # like coming back from another page, which drops the query string
    at.run()
    assert url(at)["q"] == q
    assert problem_line(at).startswith(f"Problem **{q}**:")


def test_new_problem_changes_q_in_the_url_and_clears_the_verdict():
    at = type_gradient(open_quiz(str(WHOLE)), WHOLE, [["0", "0"], ["0", "0"], ["0", "3"]])
    assert at.success
    at = button(at, "New problem").click().run()
    no_exception(at)
    q = quiz.parse_q(url(at)["q"])
    assert q != WHOLE
    assert problem_line(at).startswith(f"Problem **{q}**:")
    assert not at.success and not at.error
    assert score(at) == "Score this session: **1 of 1** correct."
    p = quiz.make_problem(q)
    m, k, n = p.shape
    assert problem_line(at) == f"Problem **{q}**: T is {m}×{k}, B is {k}×{n}, so Y = T @ B is {m}×{n}."


def test_answer_chart_frames_the_wrong_cells():
    import json

    at = type_gradient(open_quiz(str(WHOLE)), WHOLE, [["0", "0"], ["0", "0"], ["1", "3"]])
    specs = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    titles = [s["layout"]["title"]["text"] for s in specs]
    assert titles == ["T (1×3)", "B (3×2)", "seed G (1×2)", "dL/dB (3×2)"]
    frames = [shape for shape in specs[-1]["layout"]["shapes"] if shape["type"] == "rect"]
    assert [((f["x0"] + f["x1"]) / 2, (f["y0"] + f["y1"]) / 2) for f in frames] == [(0, 2)]  # column 0, row 2
    cells = np.array(specs[-1]["data"][1]["text"]).reshape(3, 2)
    assert cells.tolist() == [["0", "0"], ["0", "0"], ["0", "3"]]
