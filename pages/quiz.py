"""Predict, then reveal: a small random problem, the student's prediction, and where each number comes from."""

from __future__ import annotations

import pandas as pd
import streamlit as st

import core
from core import classroom, explain, quiz
from core.codegen import tensorflow_code
from ui import classes, common, download, shared, url
from ui.language import error_text, language, translator

t = translator()

CHART = {"displayModeBar": False}
ss = st.session_state

common.ensure_app_navigation()
ss.setdefault("quiz_scores", {})  # problem seed → right at its first check


def on_new_problem() -> None:
    """Draw a random problem and put its number in the address bar (the share link)."""
    ss.quiz_q = quiz.new_q(avoid=ss.get("quiz_q"))
    st.query_params["q"] = str(ss.quiz_q)


st.title(t("quiz.title"))
st.markdown(t("quiz.intro"))
common.show_url_errors()

# --- a class (the student link ?class=CODE): its problem, a nickname, answers sent to the teacher --
class_code = common.page_param("class", classroom.parse_code_param, None)  # a bad code is named in a warning
collecting = False  # whether this run's Check goes to a teacher
class_problem = teacher_q = None
if class_code is not None:
    info, reachable = classes.class_status(class_code)
    if not reachable:
        st.warning(t("quiz.class_unavailable"), icon="📡")
        collecting = True  # the answer waits in the session
    elif info is None:
        st.warning(t("quiz.class_unknown", code=class_code), icon="🏫")
    elif info.ended is not None:
        st.info(t("quiz.class_ended"), icon="🏁")
    else:
        collecting = True
        st.markdown(t("quiz.class_joined", code=class_code))
        nickname = st.text_input(
            t("quiz.nickname"), key="class_nickname", max_chars=classroom.NICKNAME_LENGTH, help=t("quiz.nickname_help")
        )
        classes.join(class_code, nickname)
        teacher_q = info.problem
        class_problem = classes.teachers_new_problem(info)
        if class_problem is not None:
            ss.class_seen_problem = class_problem  # switched to once; later runs keep the student's choice
        classes.follow_teacher(class_code)
    classes.flush()  # answers that waited for the database

# --- which problem: the teacher's new one, else the link's q, else the session's, else a fresh one --
linked = common.page_param("q", quiz.parse_q, None)  # a bad q is named in a warning
if class_problem is not None:
    q = class_problem
elif linked is not None:
    q = linked
elif "quiz_q" in ss and "q" not in st.query_params:
    q = ss.quiz_q  # back from another page, which drops the query string
else:
    q = quiz.new_q(avoid=ss.get("quiz_q"))
ss.quiz_q = q
if st.query_params.get("q") != str(q):
    st.query_params["q"] = str(q)

problem = quiz.make_problem(q)
if teacher_q is not None and q == teacher_q:
    st.caption(t("quiz.class_problem"))
m, k, n = problem.shape
rows, cols = problem.answer_shape

top_left, top_right = st.columns([3, 2], vertical_alignment="center")
top_left.markdown(t("quiz.problem", q=q, m=m, k=k, n=n))
score_slot = top_right.empty()  # filled at the end, after this run's check has been scored
st.button(t("quiz.new"), on_click=on_new_problem, help=t("quiz.new_help"), icon="🎲")
if not problem.agrees:
    diff = float(abs(problem.answer - problem.analytic).max())
    st.error(t("quiz.disagree", diff=explain.fmt(diff, 3)), icon="🚨")

# --- the problem --------------------------------------------------------------------------------
figures = st.columns(3)
figures[0].plotly_chart(shared.figure(problem.T, "T"), config=CHART, width="content")
figures[1].plotly_chart(shared.figure(problem.B, "B"), config=CHART, width="content")
figures[2].plotly_chart(shared.figure(problem.G, "G", title=t("quiz.G_title", m=m, n=n)), config=CHART, width="content")
kind = problem.seed.kind
st.markdown(
    t(
        f"quiz.seed.{kind}",
        loss=core.seeds.seed_loss(problem.seed),
        count=len(problem.seed.cells),
        index=problem.seed.index,
    )
)

# --- the question and the prediction ----------------------------------------------------------
ask, code = st.columns([2, 3])
with code:
    st.code(quiz.question_code(problem), language="python")
    with st.expander(t("quiz.hint_heading")):
        st.markdown(t("quiz.hint"))
with ask:
    if problem.cell is not None:
        st.markdown(t("quiz.ask_one", entry=problem.label(*problem.cell)))
    else:
        st.markdown(t("quiz.ask_all", name=problem.name, rows=rows, cols=cols))
    with st.form(f"quiz_form_{q}", border=True):
        if problem.cell is not None:
            prediction = st.text_input(
                t("quiz.your_one", entry=problem.label(*problem.cell)),
                key=f"quiz_entry_{q}",
                placeholder="3, −2, 2.5 …",
                help=t("quiz.input_help"),
            )
        else:
            st.markdown(t("quiz.your_all", name=problem.name, rows=rows, cols=cols), help=t("quiz.input_help"))
            # Text cells, not number cells: what was typed reaches `quiz.check`, which names the cell
            # of a typo ("abc") and accepts a real minus sign or a fraction.
            blank = pd.DataFrame([[""] * cols] * rows, columns=[str(j) for j in range(cols)], dtype="string")
            # No index column: its read-only row numbers took the keyboard's focus first, and what was
            # typed there was dropped (issue 19); the grid's rows are the matrix's, top to bottom.
            prediction = st.data_editor(
                blank,
                key=f"quiz_editor_{q}",
                num_rows="fixed",
                hide_index=True,
                column_config={str(j): st.column_config.TextColumn(str(j)) for j in range(cols)},
            )
        submitted = st.form_submit_button(t("quiz.check"), type="primary")

if submitted:
    try:
        result = quiz.check(problem, prediction)
    except core.InputError as error:
        st.error(error_text(error), icon="✋")
        ss.pop("quiz_result", None)  # an earlier verdict would read as the verdict on what is typed now
    else:
        ss.quiz_result = (q, result)
        ss.quiz_rechecked = q in ss.quiz_scores
        ss.quiz_scores.setdefault(q, result.correct)
        if collecting:
            classes.queue_answer(class_code, q, result, ss.get("class_nickname", ""))
            classes.flush()

# --- the verdict, kept until the problem changes -------------------------------------------------
answer_program = None  # the answer's program, once the verdict shows it
shown_q, result = ss.get("quiz_result", (None, None))
if shown_q == q and result is not None:
    if problem.cell is not None:
        (entry,) = result.entries
        value = explain.fmt(entry.answer)
        if entry.correct:
            st.success(t("quiz.correct_one", entry=entry.label, value=value), icon="✅")
        else:
            st.error(t("quiz.wrong_one", yours=explain.fmt(entry.predicted), entry=entry.label, value=value), icon="❌")
    elif result.correct:
        st.success(t("quiz.correct_all", total=len(result.entries), name=problem.name), icon="✅")
    else:
        st.error(
            t("quiz.wrong_all", right=result.right, total=len(result.entries), name=problem.name),
            icon="❌",
        )
    if ss.get("quiz_rechecked"):
        st.caption(t("quiz.rechecked"))
    outcome, waiting = classes.last_outcome()
    if class_code is not None and outcome == "saved":
        st.caption("✔️ " + t("quiz.saved"))
    elif class_code is not None and outcome == "pending":
        st.warning(t("quiz.pending", count=waiting), icon="📡")
    elif class_code is not None and outcome == "limited":
        st.warning(t("quiz.rate_limited", count=waiting), icon="⏳")
    elif class_code is not None and outcome == "ended":
        st.info(t("quiz.class_ended"), icon="🏁")

    left, right = st.columns([2, 3])
    framed = [e.cell for e in result.wrong] if problem.cell is None else [problem.cell]
    left.plotly_chart(shared.figure(problem.answer, problem.name, outline=framed), config=CHART, width="content")
    if problem.cell is not None:
        left.caption(t("quiz.answer_help_one", name=problem.name))
    else:
        if result.correct:
            left.caption(t("quiz.answer_help_right", name=problem.name))
        else:
            left.caption(t("quiz.answer_help_all", name=problem.name))
        marks = {True: t("quiz.mark_right"), False: t("quiz.mark_wrong")}
        right.dataframe(
            pd.DataFrame(
                {
                    t("quiz.col_entry"): [e.label for e in result.entries],
                    t("quiz.col_yours"): [explain.fmt(e.predicted) for e in result.entries],
                    t("quiz.col_answer"): [explain.fmt(e.answer) for e in result.entries],
                    t("quiz.col_verdict"): [marks[e.correct] for e in result.entries],
                }
            ),
            hide_index=True,
            width="content",
        )

    if result.wrong:
        st.subheader(t("quiz.contrib_heading"))
        st.markdown(t("quiz.contrib_intro"))
        for entry in result.wrong:
            st.markdown(t("quiz.sum_symbols", entry=entry.worked.entry, symbols=entry.worked.symbols))
            st.markdown(
                t(
                    "quiz.sum_numbers",
                    numbers=entry.worked.numbers,
                    value=explain.fmt(entry.worked.value),
                    yours=explain.fmt(entry.predicted),
                )
            )
    if problem.seed.is_default and problem.wrt == "T":
        st.info(explain.all_ones_sentence(problem.B, language()), icon="💡")
    with st.expander(t("quiz.code_heading")):
        G = None if problem.seed.is_default else problem.G
        answer_program = tensorflow_code(problem.T, problem.B, G, "float64")
        st.code(answer_program, language="python")

# --- the notebook: the question's program, and the answer's once it is shown -------------------
cells = [(t("nb.quiz.question"), quiz.question_code(problem))]
if answer_program is not None:
    cells.append((t("nb.quiz.answer"), answer_program))
download.notebook_button("quiz", t("nav.quiz"), cells, t("quiz.problem", q=q, m=m, k=k, n=n), {"q": str(q)})

# --- score and share ----------------------------------------------------------------------------
scores = ss.quiz_scores
if scores:
    score_slot.markdown(t("quiz.score", right=sum(scores.values()), total=len(scores)), help=t("quiz.score_help"))
else:
    score_slot.markdown(t("quiz.score_none"), help=t("quiz.score_help"))
st.divider()
st.markdown(t("quiz.share"))
st.code(url.share_link({"q": str(q)}), language=None, wrap_lines=True)
