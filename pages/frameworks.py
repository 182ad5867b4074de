"""The same gradient in TensorFlow, PyTorch and JAX on the current matrices: per step, one tab per framework.

Tabs, not three columns: each program keeps the page's full width (a column is a third of it, and
its code scrolled sideways where the keyboard cannot reach it), and switching tabs shows the three
programs in the same place, so what differs stands out. A tab's label carries the icon of what the
default call does (silence or refusal), so the verdicts are visible before a tab is opened.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

import core
from core import frameworks as fw
from core.explain import fmt
from ui import common, download, url
from ui.language import error_text, translator

t = translator()
common.ensure_app_navigation()

problem = url.current_problem()
st.title(t("fw.title"))
st.markdown(t("fw.intro"))
common.require_tensorflow()
common.show_url_errors()
common.problem_summary(problem)
T, B, dtype = problem.T, problem.B, problem.dtype
m, _, n = problem.shape

try:
    comparison = fw.compare(T, B, None if problem.seed.is_default else problem.seed.matrix(m, n), dtype)
except core.InputError as error:
    st.error(error_text(error), icon="✋")
    st.stop()

st.info(t("fw.numbers_source", dtype=dtype, torch=fw.TESTED_WITH["torch"], jax=fw.TESTED_WITH["jax"]), icon="🧪")
if problem.seed.is_default:
    st.caption(t("fw.seed_default"))
if dtype == "float64":
    st.caption(t("fw.jax_x64"))


def verdict(snippet: fw.Snippet) -> str:
    """The icon of what the default call does (TensorFlow's silence, a scalar accepted, a refusal); '' otherwise."""
    if snippet.step != "default":
        return ""
    if snippet.framework == "tensorflow":
        return "🤫"
    return "☝️" if snippet.outcome.error is None else "✋"  # ☝️: PyTorch, and Y has a single entry


def behaviour(snippet: fw.Snippet) -> None:
    """One sentence on what the call does; the default's refusal or silence stands out."""
    icon = verdict(snippet)
    if not icon:
        st.markdown(t(f"fw.{snippet.framework}.{snippet.step}"))
    elif icon == "🤫":
        st.warning(t("fw.tensorflow.default"), icon=icon)
    elif icon == "☝️":
        st.warning(t("fw.pytorch.default_scalar", message=fw.TORCH_SCALAR_ERROR[1]), icon=icon)
    else:
        st.error(t(f"fw.{snippet.framework}.default"), icon=icon)


def outcome(snippet: fw.Snippet) -> None:
    """The error verbatim, or what the program prints: shapes as text, matrices as tables."""
    if snippet.outcome.error:
        st.caption(t("fw.raises"))
        st.code(snippet.outcome.text, language=None, wrap_lines=True)
        return
    st.caption(t("fw.prints", dtype=dtype))
    shapes = [value for _, value in snippet.outcome.printed if isinstance(value, str)]
    if shapes:
        st.code("\n".join(shapes), language=None, wrap_lines=True)
    for what, value in snippet.outcome.printed:
        if not isinstance(value, str):
            st.markdown(f"`{what}` ({value.shape[0]}×{value.shape[1]})")
            st.dataframe(
                pd.DataFrame(snippet.outcome.table(what)),
                key=f"fw_{snippet.framework}_{snippet.step}_{what}",
                width="content",  # a matrix's columns side by side, not spread over the whole width
            )
    if snippet.outcome.has_unsigned_zeros:  # ±0.0: the framework's kernel picks 0. or -0.
        st.caption(t("fw.zero_sign", framework=t(f"fw.{snippet.framework}.name")))


for step in fw.STEPS:
    st.subheader(t(f"fw.step.{step}"))
    snippets = [comparison.snippets[framework][step] for framework in fw.FRAMEWORKS]
    labels = [f"{t(f'fw.{s.framework}.name')} {verdict(s)}".rstrip() for s in snippets]
    for snippet, tab in zip(snippets, st.tabs(labels), strict=True):
        with tab:
            st.code(snippet.code, language="python", wrap_lines=True)  # a narrow screen wraps, never clips
            behaviour(snippet)
            outcome(snippet)
    if step == "jacobian":
        st.markdown(t("fw.contraction"))

diff, tol = fmt(comparison.difference, 3), fmt(comparison.tolerance, 3)
if comparison.ok:
    st.success(t("fw.check", diff=diff, tol=tol), icon="✅")
else:
    st.error(t("fw.check_bad", diff=diff, tol=tol), icon="🚨")

st.subheader(t("fw.trap_heading"))
st.markdown(t("fw.trap"))

notebook_cells = []  # the nine programs in page order; a program that raises says so and is tagged
for step in fw.STEPS:
    for framework in fw.FRAMEWORKS:
        snippet = comparison.snippets[framework][step]
        heading = f"## {t(f'fw.step.{step}')}\n\n" if framework == fw.FRAMEWORKS[0] else ""
        said = heading + f"**{t(f'fw.{framework}.name')}**"
        raises = snippet.outcome.error is not None
        notebook_cells.append((said + ("\n\n" + t("nb.fw.raises") if raises else ""), snippet.code, raises))
download.notebook_button(
    "frameworks", t("nav.frameworks"), notebook_cells, download.about(problem), url.publish(problem)
)
