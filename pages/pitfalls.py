"""GradientTape pitfalls, each run live by TensorFlow on the current matrices."""

from __future__ import annotations

import streamlit as st

import core
from core import pitfalls
from ui import common, download, url
from ui.language import error_text, language, translator

t = translator()

common.ensure_app_navigation()
problem = url.current_problem()
st.title(t("pf.title"))
st.markdown(t("pf.intro"))
common.require_tensorflow()
common.show_url_errors()
common.problem_summary(problem)
T, B, dtype = problem.T, problem.B, problem.dtype

st.markdown(t("pf.setup"))
setup = pitfalls.setup_code(T, B, dtype)
st.code(setup, language="python")
cells: list[tuple[str, str, bool]] = [(t("pf.setup"), setup, False)]  # the notebook: setup, then every snippet


def show(outcome: pitfalls.Run) -> None:
    """The outcome as TensorFlow produced it: its error verbatim, or what the program printed."""
    if outcome.status == "error":
        st.error(t("pf.outcome_error"), icon="💥")
        st.code(outcome.text, language=None, wrap_lines=True)
        return
    if outcome.status == "none":
        st.warning(t("pf.outcome_none"), icon=":material/block:")
    else:
        st.success(t("pf.outcome_value"), icon="✅")
    st.code(outcome.text, language=None)  # unwrapped: a matrix's rows stay whole in a narrow column


for pitfall in pitfalls.PITFALLS:
    st.subheader(t(f"pf.{pitfall.key}.title"))
    st.markdown(t(f"pf.{pitfall.key}.why", dtype=dtype, other=pitfalls.OTHER_DTYPE[dtype]))
    mistake_code, repair_code = pitfall.mistake(dtype), pitfall.repair(dtype)
    try:
        mistake = pitfalls.run(mistake_code, T, B, dtype)
        repair = pitfalls.run(repair_code, T, B, dtype)
    except core.InputError as error:
        st.error(error_text(error), icon="✋")
        continue
    left, right = st.columns(2)
    with left:
        st.markdown(f"**{t('pf.mistake')}**")
        st.code(mistake_code, language="python", wrap_lines=True)
        show(mistake)
        if pitfall.key == "seed_shape":
            st.markdown(t("pf.core_message"))
            st.info(pitfalls.wrong_seed_message(T, B, dtype, language()), icon="🧭")
    with right:
        st.markdown(f"**{t('pf.repair')}**")
        st.code(repair_code, language="python", wrap_lines=True)
        show(repair)
    title = t(f"pf.{pitfall.key}.title")
    cells.append((f"**{title}** · {t('pf.mistake')}", mistake_code, mistake.status == "error"))
    cells.append((f"**{title}** · {t('pf.repair')}", repair_code, repair.status == "error"))

download.notebook_button("pitfalls", t("nav.pitfalls"), cells, download.about(problem), url.publish(problem))
