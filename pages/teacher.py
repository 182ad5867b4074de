"""The teacher's view of a class: create it, show its links and QR code, watch the answers arrive."""

from __future__ import annotations

import pandas as pd
import streamlit as st

import store
from core import classroom, quiz
from core.explain import fmt
from ui import classes, common, url, viewport
from ui.language import inert, translator, url_param

t = translator()
ss = st.session_state
DAYS = store.class_days()

common.ensure_app_navigation()


def on_new_class() -> None:
    """Create a class and open its teacher link: the address bar then holds the only way back to it."""
    if not classes.NEW_CLASSES.allow(classes.client_address()):
        ss.teacher_notice = "rate"
        return
    db = classes.class_store()
    try:
        if db is None:
            raise store.UnavailableError("no database")
        code, key = db.create_class()
        db.purge_older_than(DAYS)
    except store.StoreError:
        ss.teacher_notice = "unavailable"
        return
    ss.teacher_opened = (code, key)
    url.write({"class": code, "key": key, **url_param()})


def on_put(code: str, q: int | str | None) -> None:
    """Put problem `q` in front of the class (None: students choose; "chosen": the number typed).

    The typed number is read here, not passed in: a callback's arguments are those of the run
    before the click, and the number may have changed with it.
    """
    if q == "chosen":
        q = int(ss.teacher_q)
    db = classes.class_store()
    try:
        if db is None:
            raise store.UnavailableError("no database")
        db.set_problem(code, q)
    except store.StoreError:
        ss.teacher_notice = "unavailable"


def on_end(code: str) -> None:
    """End the class: it takes no more answers."""
    db = classes.class_store()
    try:
        if db is None:
            raise store.UnavailableError("no database")
        db.end_class(code)
    except store.StoreError:
        ss.teacher_notice = "unavailable"


def reveals(mistakes: tuple[str, ...]) -> str:
    """The known mistakes a wrong value matches, in words."""
    return "; ".join(t(f"class.diag.{m}") for m in mistakes) or t("class.diag.none")


@st.fragment(run_every=classes.REFRESH_SECONDS)
def dashboard(code: str) -> None:
    """The class as it is now: re-read every REFRESH_SECONDS without rerunning the rest of the page."""
    db = classes.class_store()
    try:
        summary = None if db is None else db.class_summary(code)
        table = "" if db is None else db.answers_csv(code)
    except store.StoreError:
        summary = None
    if summary is None:
        st.warning(t("teacher.unavailable"), icon="📡")
        return
    info = summary.info
    if info.ended is not None:
        st.info(t("teacher.ended"), icon="🏁")
    st.markdown(t("teacher.current", q=info.problem) if info.problem is not None else t("teacher.current_none"))
    left, right = st.columns(2)
    left.metric(t("teacher.students"), summary.students)
    right.metric(t("teacher.answers"), sum(p.answers for p in summary.problems))
    if summary.nicknames:
        st.caption(t("teacher.nicknames", names=inert(", ".join(summary.nicknames))))
    if not summary.problems:
        st.info(t("teacher.none_yet"), icon="⏳")
    current_first = sorted(summary.problems, key=lambda p: (p.q != info.problem, -p.q))
    for p in current_first:
        line = t("teacher.problem_line", q=p.q, n=p.answers, k=p.right, share=f"{p.share_right:.0%}")
        st.markdown(line + (" " + t("teacher.in_front") if p.q == info.problem else ""))
        st.progress(p.share_right)
        for entry in p.entries:
            st.markdown(
                t("teacher.entry_line", entry=entry.label, value=fmt(entry.answer), right=entry.right, n=entry.answers)
            )
            if entry.wrong:  # a small HTML table: its text is on the page (a dataframe draws on a canvas)
                st.table(
                    pd.DataFrame(
                        {
                            t("teacher.col_count"): [w.count for w in entry.wrong],
                            t("teacher.col_reveals"): [reveals(w.mistakes) for w in entry.wrong],
                        },
                        index=pd.Index([fmt(w.value) for w in entry.wrong], name=t("teacher.col_value")),
                    )
                )
    st.caption(t("teacher.first_only") + " " + t("teacher.refresh", seconds=classes.REFRESH_SECONDS))
    st.download_button(
        t("teacher.csv"), data=table, file_name=f"gradflow-class-{code}.csv", mime="text/csv", on_click="ignore"
    )


st.title(t("teacher.title"))
st.markdown(t("teacher.intro"))
common.show_url_errors()

code = common.page_param("class", classroom.parse_code_param, None)
key = common.page_param("key", classroom.parse_key_param, None)
linked = "class" in st.query_params or "key" in st.query_params
st.button(t("teacher.new"), on_click=on_new_class, help=t("teacher.new_help", days=DAYS), icon="🏫", type="secondary")
notice = viewport.once("teacher_notice", ss.pop("teacher_notice", None))
if notice:
    st.warning(t("teacher.rate_limited") if notice == "rate" else t("teacher.unavailable"), icon="⏳")

opened = False
if code is not None and key is not None:
    if ss.get("teacher_opened") == (code, key):
        opened = True  # checked once per session: scrypt is deliberately slow
    else:
        db = classes.class_store()
        try:
            opened = db is not None and db.open_class(code, key) is not None
        except store.StoreError:
            db = None
        if db is None:
            st.warning(t("teacher.unavailable"), icon="📡")
            linked = False  # not a wrong link: the database is away
        elif opened:
            ss.teacher_opened = (code, key)
if linked and not opened:
    st.error(t("teacher.no_class", days=DAYS), icon="🔒")  # the same for a wrong key and an unknown class

if opened:
    student_link = classes.page_url("quiz", {"class": code})
    links, picture = st.columns([3, 1])
    links.markdown(t("teacher.student_link", code=code))
    links.code(student_link, language=None, wrap_lines=True)
    links.markdown(t("teacher.teacher_link"))
    links.code(classes.page_url("teacher", {"class": code, "key": key}), language=None, wrap_lines=True)
    picture.image(classes.qr_png(student_link), caption=t("teacher.qr_caption"), width=220)

    # One wrapping row: every button keeps its whole label, the last ones go below on a narrow screen.
    controls = st.container(horizontal=True, vertical_alignment="bottom")
    controls.number_input(
        t("teacher.put_label"), min_value=quiz.Q_MIN, max_value=quiz.Q_MAX, step=1, key="teacher_q", width=180
    )
    controls.button(t("teacher.put"), on_click=on_put, args=(code, "chosen"), icon="📌")
    controls.button(t("teacher.put_random"), on_click=lambda: on_put(code, quiz.new_q()), icon="🎲")
    controls.button(t("teacher.put_free"), on_click=on_put, args=(code, None))
    controls.button(t("teacher.end"), on_click=on_end, args=(code,), help=t("teacher.end_help"), icon="🏁")
    st.divider()
    dashboard(code)
