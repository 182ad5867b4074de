"""Where seeds come from: a scalar loss on Y, the seed dL/dY it produces, and the same gradients."""

from __future__ import annotations

import numpy as np
import streamlit as st

import core
from core import losses
from core.codegen import LOSS_LINES, loss_code
from core.explain import fmt
from ui import common, download, shared, url
from ui.language import error_text, translator
from ui.matrix_editor import matrix_editor

t = translator()

CHART = {"displayModeBar": False}
ss = st.session_state

common.ensure_app_navigation()
problem = url.current_problem()
st.title(t("loss.title"))
st.markdown(t("loss.intro"))
common.require_tensorflow()
common.show_url_errors()
T, B, dtype = problem.T, problem.B, problem.dtype
m, k, n = problem.shape

loss = common.page_param("loss", losses.check_loss, "mean")
entry = common.page_param("entry", lambda v: core.textforms.parse_cell(v, m, n), (0, 0))
target = common.page_param("target", lambda v: losses.check_target(core.parse_matrix(v, "target"), m, n), None)
common.problem_summary(problem, with_seed=False)  # here the loss makes the seed

if "w_loss" not in ss or ss.get("loss_query") != st.query_params.to_dict():
    ss.w_loss = loss
    ss.w_loss_entry = f"{entry[0]},{entry[1]}"
    ss.loss_target = np.zeros((m, n)).tolist() if target is None else target.tolist()
    ss.loss_target_v = ss.get("loss_target_v", 0) + 1
st.radio(t("loss.pick"), losses.LOSSES, key="w_loss", format_func=lambda name: t(f"loss.{name}"), horizontal=True)
loss = ss.w_loss
extra: dict[str, str] = {"loss": loss}
if loss == "entry":
    cells = [f"{i},{j}" for i in range(m) for j in range(n)]
    if ss.w_loss_entry not in cells:
        ss.w_loss_entry = "0,0"
    st.selectbox(t("loss.entry_pick"), cells, key="w_loss_entry", format_func=lambda c: f"Y[{c}]")
    entry = core.textforms.parse_cell(ss.w_loss_entry, m, n)
    extra["entry"] = ss.w_loss_entry
if loss == "sq-error":
    st.markdown(t("loss.target", m=m, n=n))
    ss.loss_target = matrix_editor("target", ss.loss_target, key=f"loss_target_{ss.loss_target_v}")

try:
    target_matrix = losses.check_target(ss.loss_target, m, n) if loss == "sq-error" else None
    result = losses.loss_gradients(T, B, loss, target_matrix, entry, dtype)
except core.InputError as error:
    st.error(error_text(error), icon="✋")
    st.stop()
if target_matrix is not None:
    extra["target"] = core.format_matrix(target_matrix)

st.metric(t("loss.value", dtype=dtype), fmt(result.L))

st.subheader(t("loss.seed_heading"))
st.markdown(t(f"loss.seed.{loss}", mn=m * n, value=fmt(1 / (m * n)), i=entry[0], j=entry[1]))
left, right = st.columns(2)
left.plotly_chart(
    shared.figure(result.seed_tf, "dL/dY", title=t("loss.seed_tf_title", m=m, n=n)), config=CHART, width="content"
)
right.plotly_chart(
    shared.figure(result.seed_formula, "G", title=t("loss.seed_formula_title", m=m, n=n)),
    config=CHART,
    width="content",
)

st.subheader(t("loss.grad_heading"))
for wrt, rows, cols in (("T", m, k), ("B", k, n)):
    left, right = st.columns(2)
    left.plotly_chart(
        shared.figure(
            getattr(result.from_loss, f"d{wrt}"),
            f"dL/d{wrt}",
            title=t("loss.from_loss_title", wrt=wrt, rows=rows, cols=cols),
        ),
        config=CHART,
        width="content",
    )
    right.plotly_chart(
        shared.figure(
            getattr(result.from_seed, f"d{wrt}"),
            f"dL/d{wrt}",
            title=t("loss.from_seed_title", wrt=wrt, rows=rows, cols=cols),
        ),
        config=CHART,
        width="content",
    )
if result.agrees:
    st.success(t("loss.agree", diff=fmt(result.largest_difference, 3), dtype=dtype), icon="✅")
else:
    st.error(t("loss.disagree", diff=fmt(result.largest_difference, 3)), icon="🚨")
if loss == "mean":
    st.info(t("loss.mean_rows", mn=m * n, values=", ".join(fmt(v) for v in result.mean_row_sums)), icon="💡")

st.subheader(t("loss.code_heading"))
program = loss_code(T, B, loss, target_matrix, entry, dtype)
st.code(program, language="python")
cells = [(t("nb.loss.program", loss=LOSS_LINES[loss].format(i=entry[0], j=entry[1])), program)]
query = url.publish(problem, extra)
download.notebook_button("losses", t("nav.losses"), cells, download.about(problem, with_seed=False), query)
ss.loss_query = st.query_params.to_dict()
