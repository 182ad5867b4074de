"""The full Jacobian dY/dT (or dY/dB) as a block matrix, and how the seed collapses it to the gradient."""

from __future__ import annotations

import streamlit as st

import core
from core import jacobian as jac
from core import jacobian_figure
from core.codegen import jacobian_code
from core.explain import fmt
from ui import common, download, shared, url
from ui.language import error_text, translator

t = translator()

CHART = {"displayModeBar": False}
ss = st.session_state

common.ensure_app_navigation()
problem = url.current_problem()
st.title(t("jac.title"))
st.markdown(t("jac.intro"))
common.require_tensorflow()
common.show_url_errors()
wrt = common.page_param("wrt", lambda v: core.textforms.parse_choice(v, ("T", "B")), "T")
common.problem_summary(problem)

T, B, dtype = problem.T, problem.B, problem.dtype
m, k, n = problem.shape
G = problem.seed.matrix(m, n)
try:
    J_T, J_B = core.tf_jacobians(T, B, dtype)
    J_batch = core.tf_batch_jacobian(T, B, dtype)
    gradient = core.tf_gradients(T, B, None if problem.seed.is_default else G, dtype)
except core.InputError as error:
    st.error(error_text(error), icon="✋")
    st.stop()

wrt = st.radio(t("jac.wrt"), ["T", "B"], index=["T", "B"].index(wrt), horizontal=True, key="jac_wrt")
J, expected, grad = (
    (J_T, jac.structure(T, B)[0], gradient.dT) if wrt == "T" else (J_B, jac.structure(T, B)[1], gradient.dB)
)
rows, cols = (m, k) if wrt == "T" else (k, n)

st.subheader(t("jac.shapes_heading"))
st.markdown(t("jac.shapes", JT=J_T.shape, JB=J_B.shape, JBatch=J_batch.shape))
st.caption(t("jac.batch"))

# --- the block matrix -------------------------------------------------------------------------
st.subheader(t("jac.block_heading"))
view = jacobian_figure.fit(jac.block_view(J, wrt))  # whole blocks that fit the 1024 px projector
structure_diff = jac.structure_difference(J, expected)
st.markdown(t(f"jac.block_{wrt}", diff=f"{structure_diff:.2g}"))
if view.sliced:
    st.info(
        t(
            "jac.sliced",
            rows=view.full_shape[0],
            cols=view.full_shape[1],
            shown_rows=len(view.row_labels),
            shown_cols=len(view.col_labels),
        ),
        icon="✂️",
    )
seeded = jac.seeded_rows(G)
picked = [r for r in seeded if r < len(view.row_labels)]
st.plotly_chart(
    shared.block_figure(
        view, seeded, name=f"dY/d{wrt}", title=f"dY/d{wrt}: {J.shape} → {view.full_shape[0]}×{view.full_shape[1]}"
    ),
    config=CHART,
    width="content",
)
st.caption(t("jac.marks_all", block=n) if len(seeded) == m * n else t("jac.marks_some", block=n))

# --- the bridge to tape.gradient --------------------------------------------------------------
st.subheader(t("jac.bridge_heading"))
st.markdown(t("jac.bridge", wrt=wrt))
if problem.seed.is_default:
    st.info(t("jac.bridge_ones", wrt=wrt), icon="💡")
elif len(seeded) == 1 and G.ravel()[seeded[0]] == 1:
    a, b = divmod(seeded[0], n)
    st.info(t("jac.bridge_one", wrt=wrt, entry=f"Y[{a},{b}]"), icon="💡")
else:
    st.info(t("jac.bridge_some", count=len(seeded), rows=m * n), icon="💡")

check = jac.bridge(J, G, grad, dtype)
# Side by side while they fit, the next one on a new line when they do not (1024 px with the sidebar).
row = st.container(horizontal=True, gap="medium")
row.plotly_chart(
    shared.figure(
        G.reshape(m * n, 1)[: len(view.row_labels)],
        "G",
        title=t("jac.weights_title", rows=m * n),
        outline_rows=picked if len(seeded) < m * n else (),
        row_labels=view.row_labels,
        cell=34,
    ),
    config=CHART,
    width="content",
)
row.plotly_chart(
    shared.figure(check.summed, f"dL/d{wrt}", title=t("jac.sum_title", wrt=wrt, rows=rows, cols=cols)),
    config=CHART,
    width="content",
)
row.plotly_chart(
    shared.figure(grad, f"dL/d{wrt}", title=t("jac.grad_title", wrt=wrt, rows=rows, cols=cols)),
    config=CHART,
    width="content",
)
if check.ok:
    st.success(t("jac.check", diff=fmt(check.difference, 3)), icon="✅")
else:
    st.error(t("jac.check_bad", diff=fmt(check.difference, 3)), icon="🚨")

st.subheader(t("jac.code_heading"))
program = jacobian_code(T, B, None if problem.seed.is_default else G, dtype)
st.code(program, language="python")
extra = {"wrt": wrt} if wrt != "T" else {}
query = url.publish(problem, extra)
download.notebook_button(
    "jacobian", t("nav.jacobian"), [(t("nb.jac.program"), program)], download.about(problem), query
)
