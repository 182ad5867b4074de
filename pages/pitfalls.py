"""GradientTape pitfalls, each run live by TensorFlow on the current matrices."""

from __future__ import annotations

import streamlit as st

import core
from core import pitfalls
from core.codegen import constants
from ui import common
from ui import playground_state as ps
from ui.language import error_text, language, translator

t = translator()

common.ensure_app_navigation()
problem = ps.current_problem()
st.title(t("pf.title"))
st.markdown(t("pf.intro"))
common.require_tensorflow()
common.show_url_errors()
common.problem_summary(problem)
T, B, dtype = problem.T, problem.B, problem.dtype
m, n = T.shape[0], B.shape[1]

st.markdown(t("pf.setup"))
st.code("\n".join(constants(T, B, dtype)[2:]) + "\nm, n = T.shape[0], B.shape[1]\n", language="python")


def show(outcome: pitfalls.Outcome) -> None:
    """The outcome as TensorFlow produced it: error text verbatim, None, or the printed value."""
    if outcome.kind == "error":
        st.error(t("pf.outcome_error"), icon="💥")
        st.code(outcome.text, language=None, wrap_lines=True)
    elif outcome.kind == "none":
        st.warning(t("pf.outcome_none"), icon=":material/block:")
    else:
        st.success(t("pf.outcome_value"), icon="✅")
        st.code(outcome.text, language=None)
    if outcome.log:
        st.caption(t("pf.logged", log=outcome.log))


for pitfall in pitfalls.PITFALLS:
    st.subheader(t(f"pf.{pitfall.key}.title"))
    st.markdown(t(f"pf.{pitfall.key}.why"))
    try:
        mistake = pitfalls.run(pitfall.code, T, B, dtype)
        repair = pitfalls.run(pitfall.fix, T, B, dtype)
    except core.InputError as error:
        st.error(error_text(error), icon="✋")
        continue
    left, right = st.columns(2)
    with left:
        st.markdown(f"**{t('pf.mistake')}**")
        st.code(pitfall.code, language="python", wrap_lines=True)
        show(mistake)
        if pitfall.key == "seed_shape":
            st.markdown(t("pf.core_message"))
            st.info(pitfalls.wrong_seed_message(T, B, dtype, language()), icon="🧭")
    with right:
        st.markdown(f"**{t('pf.repair')}**")
        st.code(pitfall.fix, language="python", wrap_lines=True)
        show(repair)

ps.sync_url(problem)
