"""The playground: edit T and B, pick a seed, and see which entries contribute to which gradient.

The page lays out what the session's state (ui.playground) and core return, in small parts: the
sidebar, the editors, then a fragment (a click on a chart reruns only it) with the seed panel, the
heatmaps, the written-out sum, the check, and the code, numbers and share link.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

import core
from core import explain
from core.codegen import tensorflow_code
from core.result import Result
from core.seeds import SEED_KINDS, SeedSpec
from server.turns import in_turn
from ui import common, download, shared, touch, url
from ui import playground as ps
from ui.language import error_text, language, translator

t = translator()

ss = st.session_state
CHART = {"displayModeBar": False}


def sidebar() -> DeltaGenerator:
    """Shapes and precision; returns the slot where the preset picker goes once the editors are read."""
    with st.sidebar:
        preset_slot = st.container()  # filled once the editors are read: edited matrices are no preset
        st.markdown(t("pg.shapes"))
        shape_inputs = st.container(horizontal=True, wrap=False)  # three equal widths: one block, not four
        for key, label in (("w_m", "m"), ("w_k", "k"), ("w_n", "n")):
            shape_inputs.number_input(label, 1, core.MAX_DIM, step=1, key=key, on_change=ps.on_shape)
        st.radio(t("pg.dtype"), ["float32", "float64"], key="w_dtype", on_change=ps.on_dtype, horizontal=True)
    return preset_slot


def preset_picker(slot: DeltaGenerator) -> None:
    """The preset picker, showing "your own matrices" once a cell differs from the preset."""
    ss.w_preset = ps.state().preset_shown()
    with slot:
        st.selectbox(
            t("pg.preset"),
            [*core.PRESETS, ps.CUSTOM],
            key="w_preset",
            on_change=ps.on_preset,
            format_func=lambda name: t("pg.preset_custom") if name == ps.CUSTOM else name,
            help=t("pg.preset_help"),
        )
        if ss.w_preset in core.PRESETS:
            st.caption(core.PRESETS[ss.w_preset].description(language()))


def editors() -> tuple[ps.Cells, ps.Cells]:
    """The editors of T and B, side by side; their cells as the student left them."""
    m, k, n = ps.state().shape
    left, right = st.columns(2)
    with left:
        st.markdown(t("pg.T_label", m=m, k=k))
        T_cells = ps.editor("T")
    with right:
        st.markdown(t("pg.B_label", k=k, n=n))
        B_cells = ps.editor("B")
    return T_cells, B_cells


# --- the fragment's parts --------------------------------------------------------------------------


def seed_panel(m: int, n: int) -> SeedSpec:
    """The seed mode and its picker (the keyboard way to choose it); the seed, its weights as typed."""
    st.subheader(t("pg.seed_heading"))
    st.radio(
        t("pg.seed_mode"),
        SEED_KINDS,
        key="w_seed_mode",
        on_change=ps.on_seed_mode,
        format_func=lambda kind: t(f"seed.{kind}"),
        horizontal=True,
    )
    y_cells = [f"{i},{j}" for i in range(m) for j in range(n)]
    spec = ps.state().seed

    def choose(label: str, options: object, key: str, shown: object, many: bool = False) -> object:
        widget = st.multiselect if many else st.selectbox
        return widget(label, options, key=key, on_change=ps.on_seed_detail, format_func=shown)

    pickers = {  # each kind's picker (core.seeds.Picker)
        "cell": lambda: choose(t("pg.seed_entry"), y_cells, "w_seed_entry", lambda c: f"Y[{c}]"),
        "cells": lambda: choose(t("pg.seed_entries"), y_cells, "w_seed_entries", lambda c: f"Y[{c}]", many=True),
        "row": lambda: choose(t("pg.seed_row"), range(m), "w_seed_row", lambda i: f"Y[{i}, :]"),
        "col": lambda: choose(t("pg.seed_col"), range(n), "w_seed_col", lambda j: f"Y[:, {j}]"),
        "weights": lambda: ps.editor("G"),
        "none": lambda: None,
    }
    picker = core.seeds.picker(spec)
    picked = pickers[picker]()
    st.caption(t(f"seed.{spec.kind}.help"))
    if picker != "weights":
        return spec
    return core.seeds.edited(spec, core.check_seed(picked, m, n))  # as typed, checked cell by cell


def figures(T: np.ndarray, B: np.ndarray, G: np.ndarray, result: Result, worked: explain.WorkedSum | None) -> None:
    """T, B, Y on top; the seed and the gradients below. Y and the gradients are clickable."""
    s, (m, k, n) = ps.state(), ps.state().shape
    focus, tf_result = s.focus, result.tf
    st.subheader(t("pg.figures_heading"))
    st.caption(t("pg.figures_help"))
    hl_T = worked.cells_other if worked and focus[0] == "B" else ()
    hl_B = worked.cells_other if worked and focus[0] == "T" else ()
    hl_G = worked.cells_G if worked else ()
    y_key = f"click_Y_{s.click_v}"

    def gradient_chart(wrt: str, values: np.ndarray, rows: int, cols: int) -> tuple[object, dict]:
        """dL/dT or dL/dB, its picked entry framed, and what a click on one of its cells does."""
        key = f"click_d{wrt}_{s.click_v}"
        figure = shared.figure(
            values,
            f"dL/d{wrt}",
            title=t("pg.grad_title", wrt=wrt, rows=rows, cols=cols),
            outline=[focus[1:]] if focus and focus[0] == wrt else [],
            clickable=True,
        )
        return figure, {"key": key, "on_select": lambda: ps.on_gradient_click(key, wrt), "selection_mode": "points"}

    seeded = core.seeds.seeded_cells(G)
    rows_of_figures = (
        (
            (shared.figure(T, "T", highlight=hl_T), {}),
            (shared.figure(B, "B", highlight=hl_B), {}),
            (
                shared.figure(tf_result.y, "Y", title=t("pg.Y_title", m=m, n=n), outline=seeded, clickable=True),
                {"key": y_key, "on_select": lambda: ps.on_y_click(y_key), "selection_mode": "points"},
            ),
        ),
        (
            (shared.figure(G, "G", title=t("pg.G_title", m=m, n=n), highlight=hl_G), {}),
            gradient_chart("T", tf_result.dT, m, k),
            gradient_chart("B", tf_result.dB, k, n),
        ),
    )
    # Two rows of three, each chart as wide as the wider one of its column, so the rows line up
    # (T over G, B over dL/dT, Y over dL/dB): two containers, where columns sent eight blocks.
    slots = [max(top.layout.width, bottom.layout.width) for (top, _), (bottom, _) in zip(*rows_of_figures, strict=True)]
    for row_figures in rows_of_figures:
        row = st.container(horizontal=True, gap="medium")
        for (figure, clicks), slot in zip(row_figures, slots, strict=True):
            row.plotly_chart(figure, config=CHART, width=slot, **clicks)


def written_sum(result: Result, worked: explain.WorkedSum | None, dtype: str) -> None:
    """The picked gradient entry's sum written out (or how to pick one), with TensorFlow's value."""
    s, (m, k, n) = ps.state(), ps.state().shape
    st.subheader(t("pg.contrib_heading"))
    focus_options = (
        ["none"]
        + [f"dT:{i},{j}" for i in range(m) for j in range(k)]
        + [f"dB:{j},{p}" for j in range(k) for p in range(n)]
    )
    st.selectbox(
        t("pg.focus"),
        focus_options,
        key="w_focus",
        on_change=ps.on_focus_select,
        format_func=lambda f: t("pg.focus_none") if f == "none" else f"dL/{f[:2]}[{f[3:]}]",
    )
    if worked:
        focus = s.focus
        tf_value = (result.tf.dT if focus[0] == "T" else result.tf.dB)[focus[1], focus[2]]
        st.markdown(t("pg.sum_symbols", entry=worked.entry, symbols=worked.symbols))
        st.markdown(t("pg.sum_numbers", numbers=worked.numbers, value=explain.fmt(worked.value)))
        if not result.tensorflow_error:
            st.caption(t("pg.sum_tf", dtype=dtype, value=explain.fmt(tf_value), entry=worked.entry))
    else:
        st.info(t("pg.contrib_hint"), icon="👆")


def check(B: np.ndarray, spec: SeedSpec, result: Result, dtype: str) -> None:
    """TensorFlow against the formula and finite differences; the row-sums sentence for the all-ones seed."""
    agree = result.agreement
    st.subheader(t("pg.check_heading"))
    numbers = t(
        "pg.check_numbers",
        tf=f"{agree.tf_vs_analytic:.3g}",
        tf_tol=f"{agree.tf_tolerance:.3g}",
        fd=f"{agree.numeric_vs_analytic:.3g}",
        fd_tol=f"{agree.numeric_tolerance:.3g}",
        dtype=dtype,
    )
    if result.tensorflow_error:
        fd = {"fd": f"{agree.numeric_vs_analytic:.3g}", "fd_tol": f"{agree.numeric_tolerance:.3g}"}
        (st.success if agree.ok else st.error)(t("pg.check_no_tf", **fd), icon="🧮")
    elif agree.ok:
        st.success(t("pg.check_ok") + "\n\n" + numbers, icon="✅")
    else:
        st.error(t("pg.check_bad") + "\n\n" + numbers, icon="🚨")
    if spec.is_default:
        st.info(explain.all_ones_sentence(B, language()), icon="💡")


def code_numbers_and_share(
    T: np.ndarray, B: np.ndarray, G: np.ndarray, spec: SeedSpec, result: Result, problem: core.problem.Problem
) -> None:
    """The TensorFlow program (and its notebook), float32 against float64, the numbers, the share link.

    The problem is written into the address bar here, once (ui.url.publish), and its parameters
    serve the notebook and the share link.
    """
    dtype = problem.dtype
    params = url.publish(problem)
    st.subheader(t("pg.code_heading"))
    program = tensorflow_code(T, B, None if spec.is_default else G, dtype)
    st.code(program, language="python")
    cells = [(t("nb.pg.program", seed=core.format_seed(spec), dtype=dtype), program)]
    download.notebook_button("playground", t("nav.playground"), cells, download.about(problem), params)

    # The two expanders below are filled only while open (on_change="rerun" makes `.open` known):
    # most reruns never show them, and their tables were a fifth of each rerun's work and payload.
    precision = st.expander(t("pg.precision_heading"), key="x_precision", on_change="rerun")
    with precision:
        st.markdown(t("pg.precision_text"))
        if precision.open and result.precision is None:
            st.info(t("pg.precision_unavailable"), icon="🔢")
        elif precision.open:
            columns = {
                "entry": t("pg.col_entry"),
                "float32_exact": t("pg.col_float32_exact"),
                "float32": t("pg.col_float32"),
                "float64": t("pg.col_float64"),
                "difference": t("pg.col_difference"),
            }
            st.table(pd.DataFrame([r.__dict__ for r in result.precision]).rename(columns=columns))

    numbers = st.expander(t("pg.numbers_heading"), key="x_numbers", on_change="rerun")
    with numbers:
        st.caption(t("pg.numbers_help", dtype=dtype))
        if numbers.open:
            tf_result = result.tf
            matrices = {"T": T, "B": B, "Y": tf_result.y, "G": G, "dL/dT": tf_result.dT, "dL/dB": tf_result.dB}
            for tab, values in zip(st.tabs(list(matrices)), matrices.values(), strict=True):
                tab.dataframe(pd.DataFrame(core.textforms.shortest_text(values)), width="content")
            csv = core.textforms.matrices_csv(matrices)
            st.download_button(t("pg.download"), csv, file_name="gradflow.csv", mime="text/csv")

    st.markdown(t("pg.share"))
    st.code(url.share_link(params), language=None, wrap_lines=True)


@st.fragment
@in_turn  # a click reruns only this fragment, not app.py: it takes its turn here
def seed_and_gradients(T: np.ndarray, B: np.ndarray) -> None:
    """Everything that depends on the seed or the focus: a click on Y or on a gradient reruns only this.

    T and B are the validated matrices of the last full run (editing them reruns the whole page).
    """
    ps.mirror_seed_widgets()
    s, (m, _, n) = ps.state(), ps.state().shape
    dtype = s.dtype
    try:
        spec = seed_panel(m, n)
        G = spec.matrix(m, n)
        result = shared.compute(T, B, G, spec.is_default, dtype)
    except core.InputError as error:
        st.error(error_text(error), icon="✋")
        return
    worked = explain.worked_sum(T, B, G, *s.focus) if s.focus else None
    figures(T, B, G, result, worked)
    written_sum(result, worked, dtype)
    check(B, spec, result, dtype)
    code_numbers_and_share(T, B, G, spec, result, s.problem_from(T, B, spec))


# --- the page --------------------------------------------------------------------------------------

common.ensure_app_navigation()
url.load()
ps.mirror_widgets()

st.title(t("pg.title"))
st.markdown(t("pg.intro"))
common.show_url_errors()

preset_slot = sidebar()
T_cells, B_cells = editors()
preset_picker(preset_slot)

# --- validate T and B: a message naming the cell, and everything typed stays in the editors ---
try:
    T, B = core.check_product(T_cells, B_cells)
except core.InputError as error:
    st.error(error_text(error), icon="✋")
    st.stop()

seed_and_gradients(T, B)
touch.hover_on_touch()  # one tap on a chart's cell picks it on a phone, as one click does
