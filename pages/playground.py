"""The playground: edit T and B, pick a seed, and see which entries contribute to which gradient.

The page lays out what the session's state (ui.playground) and core return, in small parts: the
sidebar, the editors, then a fragment (a click on a chart reruns only it) with the seed panel, the
heatmaps, the written-out sum, the check, and the code, numbers and share link.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

import core
import core.lesson
from core import explain
from core.codegen import tensorflow_code
from core.explain import Marks, WorkedSum
from core.figures import FONT, Cell
from core.lesson import Lesson, with_row_sums
from core.result import Result
from core.seeds import SEED_KINDS, SeedSpec
from server.turns import in_turn
from ui import common, download, link_hover, present, shared, touch, url, viewport
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
    both = st.container(horizontal=True, gap="large")
    left, right = both.container(width="content"), both.container(width="content")
    with left:
        st.markdown(t("pg.T_label", m=m, k=k))
        T_cells = ps.editor("T")
    with right:
        st.markdown(t("pg.B_label", k=k, n=n))
        B_cells = ps.editor("B")
    return T_cells, B_cells


# --- the fragment's parts --------------------------------------------------------------------------


def seed_panel(m: int, n: int, panel: DeltaGenerator) -> tuple[SeedSpec, DeltaGenerator]:
    """The seed mode and its picker (the keyboard way to choose it); the seed, its weights as typed.

    A one-line picker goes into `beside`, a row below the radio that then holds the lesson's
    sentence: on a projector every line above the gradients counts.
    """
    panel.radio(
        t("pg.seed_mode"),
        SEED_KINDS,
        key="w_seed_mode",
        on_change=ps.on_seed_mode,
        format_func=lambda kind: t(f"seed.{kind}"),
        horizontal=True,
    )
    beside = panel.container(horizontal=True, vertical_alignment="bottom")
    y_cells = [f"{i},{j}" for i in range(m) for j in range(n)]
    spec = ps.state().seed

    def choose(label: str, options: object, key: str, shown: object, many: bool = False) -> object:
        widget = beside.multiselect if many else beside.selectbox
        width = 320 if many else 180
        return widget(label, options, key=key, on_change=ps.on_seed_detail, format_func=shown, width=width)

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
    if picker != "weights":
        return spec, beside
    return core.seeds.edited(spec, core.check_seed(picked, m, n)), beside  # as typed, checked cell by cell


def lesson_sentence(the_lesson: Lesson, changed: dict[str, tuple[Cell, ...]], row: DeltaGenerator) -> None:
    """The one live sentence: what the seed makes true; and, after an edit, a gradient that could not change."""
    with row.container():
        st.info(f"**{the_lesson.sentence(language())}**", icon="💡")
        same = core.lesson.unchanged_gradient(changed)
        if same:
            st.caption(t(f"lesson.same_{same}"))


def _clicks(key: str, callback: Callable[[str], None]) -> dict[str, object]:
    """plotly_chart's options for a chart whose cell clicks go to `callback(key)`."""
    return {"key": key, "on_select": lambda: callback(key), "selection_mode": "points"}


def draw_row(charts: list[tuple[go.Figure, dict[str, object]]]) -> None:
    """Charts side by side at their own widths, wrapping below one another where the page is narrow."""
    row = st.container(horizontal=True, gap="medium")
    for figure, options in charts:
        row.plotly_chart(figure, config=CHART, width=figure.layout.width, **options)


def base_font() -> int:
    """The numbers' font before the page knows its width: bigger in the presenter view."""
    return present.FONT if present.presenting() else FONT


def lesson_charts(
    B: np.ndarray, result: Result, the_lesson: Lesson, marks: Marks, changed: dict[str, tuple[Cell, ...]]
) -> int:
    """B (with its row sums when they are the lesson) → dL/dT, and dL/dB: the answer, on the first screen.

    Returns the font its numbers are drawn at, the most the rows below it may use."""
    s, (m, k, n) = ps.state(), ps.state().shape
    from_B, to_dT = the_lesson.link(s.link) if s.link is not None else ((), ())
    focus = s.focus
    b_key = f"click_B_{s.click_v}"
    b_values, b_title = (with_row_sums(B), t("pg.lesson_B_title", k=k, n=n)) if the_lesson.row_sums else (B, None)
    titles = {"T": t("pg.grad_title", wrt="T", rows=m, cols=k), "B": t("pg.grad_title", wrt="B", rows=k, cols=n)}
    # the font the row fills the page's width with (ui/viewport.py), the lesson staying on the first screen
    row = [(b_values, "B", b_title), (result.tf.dT, "dL/dT", titles["T"]), (result.tf.dB, "dL/dB", titles["B"])]
    font = viewport.chart_font(row, base_font())

    def gradient(wrt: str, values: np.ndarray, linked: tuple[Cell, ...]) -> tuple:
        key = f"click_d{wrt}_{s.click_v}"
        target = {"link_target": True} if wrt == "T" else {}
        figure = shared.figure(
            values,
            f"dL/d{wrt}",
            title=titles[wrt],
            picked=[focus[1:]] if focus and focus[0] == wrt else [],
            linked=linked,
            changed=changed[f"d{wrt}"],
            clickable=True,
            font_size=font,
            picker=t("pg.focus"),
            **target,
        )
        return figure, _clicks(key, lambda clicked: ps.on_gradient_click(clicked, wrt))

    draw_row(
        [
            (
                shared.figure(
                    b_values,
                    "B",
                    title=b_title,
                    sum_column=the_lesson.row_sums,
                    highlight=marks.B,
                    picked=marks.step_B,
                    linked=from_B,
                    changed=changed["B"],
                    clickable=True,
                    font_size=font,
                    # hovering a row of B frames what it becomes in dL/dT (ui/link_hover.py)
                    row_links=tuple(the_lesson.link(p) for p in range(k)),
                    picker=t("pg.link"),
                ),
                _clicks(b_key, ps.on_b_click),
            ),
            gradient("T", result.tf.dT, to_dT),
            gradient("B", result.tf.dB, ()),
        ]
    )
    return font


def legend_and_link(k: int) -> None:
    """What each mark means (shapes, not colours), and the keyboard way to follow a row of B."""
    left, right = st.columns([3, 2])
    with left:
        labels = {
            "seeded": t("pg.legend_seeded"),
            "contributing": t("pg.legend_contributing"),
            "linked": t("pg.legend_linked"),
            "picked": t("pg.legend_picked"),
            "changed": t("pg.legend_changed"),
        }
        st.caption(t("pg.legend"), help=t("pg.colours"))
        st.plotly_chart(shared.legend(tuple(labels.items())), config=CHART, width="stretch")
    with right:
        st.selectbox(
            t("pg.link"),
            ["none", *(str(p) for p in range(k))],
            key="w_link",
            on_change=ps.on_link_select,
            format_func=lambda p: t("pg.link_none") if p == "none" else t("pg.link_option", p=p),
            help=t("pg.link_help"),
        )


def forward_charts(
    T: np.ndarray,
    G: np.ndarray,
    result: Result,
    marks: Marks,
    changed: dict[str, tuple[Cell, ...]],
    most: int,
) -> None:
    """T, Y = T @ B (a click seeds a cell) and the seed G: the forward pass, below the lesson.

    Its numbers grow with the page's width like the lesson's, but never beyond `most` (the lesson's)."""
    s, (m, _, n) = ps.state(), ps.state().shape
    y_title, g_title = t("pg.Y_title", m=m, n=n), t("pg.G_title", m=m, n=n)
    rows = [(T, "T", None), (result.tf.y, "Y", y_title), (G, "G", g_title)]
    font = viewport.chart_font(rows, base_font(), first_screen=False, most=most)
    y_key = f"click_Y_{s.click_v}"
    st.subheader(t("pg.forward_heading"))
    st.caption(t(f"seed.{s.seed.kind}.help") + " " + t("pg.colours"))
    draw_row(
        [
            (
                shared.figure(T, "T", highlight=marks.T, picked=marks.step_T, changed=changed["T"], font_size=font),
                {},
            ),
            (
                shared.figure(
                    result.tf.y,
                    "Y",
                    title=y_title,
                    outline=core.seeds.seeded_cells(G),
                    changed=changed["Y"],
                    clickable=True,
                    font_size=font,
                    picker=t("pg.seed_mode"),
                ),
                _clicks(y_key, ps.on_y_click),
            ),
            (
                shared.figure(
                    G,
                    "G",
                    title=g_title,
                    highlight=marks.G,
                    picked=marks.step_G,
                    changed=changed["G"],
                    font_size=font,
                ),
                {},
            ),
        ]
    )


def written_sum(T: np.ndarray, B: np.ndarray, G: np.ndarray, result: Result, worked: WorkedSum | None) -> None:
    """The picked gradient entry's sum written out (or how to pick one), with TensorFlow's value and a stepper."""
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
    # A polite live region (ui/a11y.py gives every `live_` container aria-live), there before and after
    # a pick, so a screen reader reads the new sum out once when another entry is picked.
    with st.container(key="live_sum"):
        if not worked:
            st.info(t("pg.contrib_hint"), icon="👆")
            return
        focus = s.focus
        tf_value = (result.tf.dT if focus[0] == "T" else result.tf.dB)[focus[1], focus[2]]
        st.markdown(t("pg.sum_symbols", entry=worked.entry, symbols=worked.symbols))
        st.markdown(t("pg.sum_numbers", numbers=worked.numbers, value=explain.fmt(worked.value)))
        if not result.tensorflow_error:
            st.caption(t("pg.sum_tf", dtype=s.dtype, value=explain.fmt(tf_value), entry=worked.entry))
    stepper(explain.sum_steps(T, B, G, worked), worked.entry)


def stepper(steps: list[explain.Step], entry: str) -> None:
    """Add the sum's products one at a time, the two cells of the current term drawn heavy."""
    s, count = ps.state(), len(steps)
    buttons = st.container(horizontal=True)
    if s.step == 0:
        buttons.button(t("pg.step_start"), key="w_step_start", on_click=ps.on_step, args=(1, count), icon="👣")
        return
    buttons.button(t("pg.step_prev"), key="w_step_prev", on_click=ps.on_step, args=(-1, count), disabled=s.step == 1)
    buttons.button(t("pg.step_next"), key="w_step_next", on_click=ps.on_step, args=(1, count), disabled=s.step == count)
    buttons.button(t("pg.step_all"), key="w_step_all", on_click=ps.on_step, args=(0, count))
    now = steps[s.step - 1]
    fmt = explain.fmt
    st.markdown(
        t(
            "pg.step_term",
            p=s.step,
            count=count,
            symbol=now.symbol,
            a=fmt(now.a),
            b=fmt(now.b),
            product=fmt(now.product),
            total=fmt(now.total),
        )
    )
    if s.step == count:
        st.success(t("pg.step_done", count=count, entry=entry, total=fmt(now.total)), icon="🏁")


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


def code(T: np.ndarray, B: np.ndarray, G: np.ndarray, spec: SeedSpec, problem: core.problem.Problem) -> dict[str, str]:
    """The TensorFlow program and its notebook; returns the share link's parameters.

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
    return params


def precision_and_numbers(T: np.ndarray, B: np.ndarray, G: np.ndarray, result: Result, dtype: str) -> None:
    """float32 against float64, and every matrix as numbers: two folded sections."""
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


def share(params: dict[str, str]) -> None:
    """The share link of exactly this view."""
    st.markdown(t("pg.share"))
    st.code(url.share_link(params), language=None, wrap_lines=True)


@st.fragment
@in_turn  # a click reruns only this fragment, not app.py: it takes its turn here
def seed_and_gradients(T: np.ndarray, B: np.ndarray) -> None:
    """Everything that depends on the seed or the focus: a click on Y or on a gradient reruns only this.

    T and B are the validated matrices of the last full run (editing them reruns the whole page).
    The lesson comes first (the seed, the sentence, B → dL/dT and dL/dB), then the forward pass,
    the written-out sum, and the sections a class does not need to read the lesson.
    """
    ps.mirror_seed_widgets()
    s, (m, k, n) = ps.state(), ps.state().shape
    dtype = s.dtype
    panel = st.container()
    try:
        spec, beside = seed_panel(m, n, panel)
        G = spec.matrix(m, n)
        result = shared.compute(T, B, G, spec.is_default, dtype)
    except core.InputError as error:
        st.error(error_text(error), icon="✋")
        return
    worked = explain.worked_sum(T, B, G, *s.focus) if s.focus else None
    marks = explain.sum_marks(worked, s.step)
    tf_result = result.tf
    drawn = {"T": T, "B": B, "G": G, "Y": tf_result.y, "dT": tf_result.dT, "dB": tf_result.dB}
    changed = s.note_drawn(drawn, redraw=viewport.redrawing())
    the_lesson = core.lesson.lesson(B, G)
    lesson_sentence(the_lesson, changed, beside)
    font = lesson_charts(B, result, the_lesson, marks, changed)
    legend_and_link(k)
    st.markdown(t("pg.intro"))
    forward_charts(T, G, result, marks, changed, most=font)
    written_sum(T, B, G, result, worked)
    # In the presenter view the check and the code fold away (expanders cannot hold expanders, so
    # the precision and numbers sections, folded anyway, stay outside).
    with st.expander(t("pg.more_heading")) if present.presenting() else st.container():
        check(B, spec, result, dtype)
        params = code(T, B, G, spec, s.problem_from(T, B, spec))
    precision_and_numbers(T, B, G, result, dtype)
    share(params)


# --- the page --------------------------------------------------------------------------------------

common.ensure_app_navigation()
url.load()
ps.mirror_widgets()

# The page's only style (literal, as tests/deploy/test_server_settings.py requires of st.html): less
# empty space above and beside the lesson, and a smaller title, so it fits a 1024×768 projector; in
# the presenter view the title is one line, not a headline (the room reads the numbers).
st.html("""<style>
[data-testid="stMainBlockContainer"] { padding-top: 3.75rem; padding-left: 1.5rem; padding-right: 1.5rem; }
[data-testid="stMainBlockContainer"] h1 { font-size: 1.75rem; padding-top: 0; }
</style>""")
if present.presenting():
    st.html("""<style>
[data-testid="stMainBlockContainer"] h1 { font-size: 1.25rem; padding-bottom: 0; }
</style>""")
st.title(t("pg.title"))
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
link_hover.frame_links_on_hover()  # hovering a row of B frames the column of dL/dT it becomes
