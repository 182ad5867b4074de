"""Gradflow's entry point: the language switch and page navigation. Each page lives in pages/."""

import streamlit as st

from server.turns import TURNS
from server.widgets import forget_stale_widgets
from ui import a11y, present, viewport
from ui.common import tensorflow_notice
from ui.language import choose_language, t

# Runs of this process take turns, first come first served (server/turns.py says why; docs/server.md).
with TURNS.turn():
    viewport.begin_run()  # is this run a redraw for the page's new size? (ui/viewport.py)
    sidebar = "collapsed" if present.settle() else "auto"  # the presenter view starts with it folded
    st.set_page_config(page_title="Gradflow", page_icon="🧮", layout="wide", initial_sidebar_state=sidebar)
    forget_stale_widgets()
    choose_language()
    a11y.style()  # WCAG 2.1 AA colours and focus ring on every page (ui/a11y.py)
    a11y.script()
    viewport.watch()  # the room the charts may grow into (ui/viewport.py)
    present.warn_bad_value()
    present.switch()
    tensorflow_notice()

    navigation = st.navigation(
        [
            st.Page("pages/playground.py", title=t("nav.playground"), icon="🧮", url_path="playground", default=True),
            st.Page("pages/chain.py", title=t("nav.chain"), icon="⛓️", url_path="chain"),
            st.Page("pages/jacobian.py", title=t("nav.jacobian"), icon="🧊", url_path="jacobian"),
            st.Page("pages/losses.py", title=t("nav.losses"), icon="🎯", url_path="losses"),
            st.Page("pages/pitfalls.py", title=t("nav.pitfalls"), icon="🕳️", url_path="pitfalls"),
            st.Page("pages/frameworks.py", title=t("nav.frameworks"), icon="🔀", url_path="frameworks"),
            st.Page("pages/quiz.py", title=t("nav.quiz"), icon="❓", url_path="quiz"),
            st.Page("pages/teacher.py", title=t("nav.teacher"), icon="🏫", url_path="teacher"),
        ]
    )
    try:
        navigation.run()
    finally:
        viewport.end_run()  # a fragment's run after this one is never a redraw
