"""Backprop through two layers: the gradient that arrives at a matmul from the layer above is its seed.

The page lays out what core.chain returns for the session's network (ui.chain): the forward pass
with the seed on Y, the backward heatmaps in the order the tape computes them, the picked entry's
sum, the three checks, and the TensorFlow program that prints the same numbers.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import streamlit as st

import core
from core import chain
from core.codegen import chain_code
from core.explain import fmt
from core.figures import FONT
from core.seeds import SEED_KINDS
from ui import chain as cs
from ui import common, download, present, shared, touch, url, viewport
from ui.language import error_text, inert, language, translator

t = translator()

CHART = {"displayModeBar": False}


def sidebar(s: cs.ChainState) -> None:
    """The network's preset, activation and precision."""
    with st.sidebar:
        st.selectbox(
            t("chain.preset"),
            [*chain.CHAIN_PRESETS, cs.CUSTOM],
            key="w_chain_preset",
            on_change=cs.on_preset,
            format_func=lambda name: t("chain.preset_custom") if name == cs.CUSTOM else name,
        )
        if s.problem.matches_preset():
            st.caption(s.problem.description(language()))
        st.radio(t("chain.act"), chain.ACTIVATIONS, key="w_chain_act", on_change=cs.on_act, horizontal=True)
        st.radio(t("chain.dtype"), ["float32", "float64"], key="w_chain_dtype", on_change=cs.on_dtype, horizontal=True)


def link_errors(s: cs.ChainState) -> None:
    """Each link parameter (or typed matrix) that could not be used, named, once."""
    shown = viewport.once("chain_errors", [(problem, s.link_errors) for problem in s.errors])
    s.errors = []
    for problem, from_link in shown:
        message = error_text(problem.error)
        if from_link:
            st.warning(t("err.url_param", param=problem.param, message=message), icon="🔗")
        else:
            st.error(message, icon="✋")


def editors() -> None:
    """The matrices as text, folded: a link or a preset is how most students arrive."""
    with st.expander(t("chain.edit")):
        st.caption(t("chain.edit_help"))
        row = st.container(horizontal=True)
        for name in cs.EDITED:
            row.text_input(name, key=f"w_chain_{name}", on_change=cs.on_matrix, max_chars=core.MAX_TEXT_LENGTH)


def draw(figures: list[tuple[go.Figure, dict[str, object]]]) -> None:
    """Charts side by side at their own widths, wrapping where the page is narrow."""
    row = st.container(horizontal=True, gap="medium")
    for figure, options in figures:
        row.plotly_chart(figure, config=CHART, width=figure.layout.width, **options)


def heatmap(M: np.ndarray, name: str, title: str, lit: dict[str, tuple], **options: object) -> go.Figure:
    """One matrix as the playground draws it, the cells the picked entry's sum reads lit (`lit[name]`)."""
    font = present.FONT if present.presenting() else FONT
    return shared.figure(np.atleast_2d(M), name, title=title, highlight=lit.get(name, ()), font_size=font, **options)


def forward(c: chain.Chain, s: cs.ChainState, lit: dict[str, tuple]) -> None:
    """X → Z = X @ W1 + b1 → H = act(Z) → Y = H @ W2 + b2, the seed framed on Y (a click seeds a cell)."""
    st.subheader(t("chain.forward_heading"))
    st.markdown(t("chain.forward_text", act=c.act))
    y_key = f"chain_click_Y_{s.click_v}"
    G = np.asarray(c.G, dtype=np.float64)
    draw(
        [
            (heatmap(c.X, "X", t("chain.X_title", shape=_shape(c.X)), lit), {}),
            (heatmap(c.W1, "W1", t("chain.W1_title", shape=_shape(c.W1)), lit), {}),
            (heatmap(c.Z, "Z", t("chain.Z_title", shape=_shape(c.Z)), lit), {}),
            (heatmap(c.H, "H", t("chain.H_title", act=c.act, shape=_shape(c.H)), lit), {}),
            (heatmap(c.W2, "W2", t("chain.W2_title", shape=_shape(c.W2)), lit), {}),
            (
                heatmap(
                    c.Y,
                    "Y",
                    t("chain.Y_title", shape=_shape(c.Y)),
                    lit,
                    outline=core.seeds.seeded_cells(G),
                    clickable=True,
                ),
                {"key": y_key, "on_select": lambda: cs.on_y_click(y_key, G), "selection_mode": "points"},
            ),
        ]
    )
    st.radio(
        t("chain.seed_mode"),
        SEED_KINDS,
        key="w_chain_seed",
        on_change=cs.on_seed_kind,
        args=(G,),
        format_func=lambda kind: t(f"seed.{kind}"),
        horizontal=True,
        help=t("chain.seed_help"),
    )
    seed = s.problem.seed
    loss = t("chain.loss", loss=core.seeds.seed_loss(seed))
    st.caption(t("chain.seed_ones_help") if seed.is_default else t(f"seed.{seed.kind}.help") + " " + loss)


def backward(c: chain.Chain, s: cs.ChainState, lit: dict[str, tuple]) -> None:
    """The gradients in the tape's order, from the seed down to dL/dX; a click writes an entry's sum out."""
    st.subheader(t("chain.backward_heading"))
    st.markdown(t("chain.backward_text"))
    focus = s.focus

    def gradient(name: str, M: np.ndarray, title: str, drawn: str | None = None) -> tuple[go.Figure, dict[str, object]]:
        key = f"chain_click_{name}_{s.click_v}"
        picked = [focus[1:]] if focus and focus[0] == name else []
        figure = heatmap(M, drawn or name, title, lit, picked=picked, clickable=True)
        return figure, {"key": key, "on_select": lambda: cs.on_gradient_click(key, name), "selection_mode": "points"}

    upper = [gradient("dY", c.dY, t("chain.dY_title", shape=_shape(c.dY)), drawn="G")]
    upper.append(gradient("dW2", c.dW2, t("chain.dW2_title", shape=_shape(c.dW2))))
    if c.db2 is not None:
        upper.append(gradient("db2", c.db2, t("chain.db2_title", n=len(c.db2))))
    upper.append(gradient("dH", c.dH, t("chain.dH_title", shape=_shape(c.dH))))
    draw(upper)
    draw(
        [
            (heatmap(c.act_slope, "act'(Z)", t("chain.slope_title", act=c.act, shape=_shape(c.Z)), lit), {}),
            gradient("dZ", c.dZ, t("chain.dZ_title", shape=_shape(c.dZ))),
        ]
    )
    dead = [j for j in range(c.Z.shape[1]) if not np.any(c.act_slope[:, j])]
    if dead:
        st.info(t("chain.dead_units", units=", ".join(str(j) for j in dead)), icon="🪦")
    lower = [gradient("dW1", c.dW1, t("chain.dW1_title", shape=_shape(c.dW1)))]
    if c.db1 is not None:
        lower.append(gradient("db1", c.db1, t("chain.db1_title", n=len(c.db1))))
    lower.append(gradient("dX", c.dX, t("chain.dX_title", shape=_shape(c.dX))))
    draw(lower)


def written_sum(c: chain.Chain, s: cs.ChainState, worked: chain.ChainSum | None) -> None:
    """The picked entry's sum written out (or how to pick one), and TensorFlow's value of it."""
    st.subheader(t("chain.sum_heading"))
    options = ["none"] + [
        f"{name}:{i},{j}"
        for name in chain.GRADIENTS
        if _gradient(c, name) is not None
        for i in range(np.atleast_2d(_gradient(c, name)).shape[0])
        for j in range(np.atleast_2d(_gradient(c, name)).shape[1])
    ]
    st.session_state.w_chain_focus = cs.format_focus(s.focus)
    st.selectbox(
        t("chain.focus"),
        options,
        key="w_chain_focus",
        on_change=cs.on_focus_select,
        format_func=lambda f: t("chain.focus_none") if f == "none" else _entry_label(f),
    )
    if worked is None:
        st.info(t("chain.sum_hint"), icon="👆")
        return
    name, i, j = s.focus
    tf_value = np.atleast_2d(_gradient(c, name))[i, j]
    st.markdown(t("chain.sum_symbols", entry=worked.entry, symbols=worked.symbols))
    st.markdown(t("chain.sum_numbers", numbers=worked.numbers, value=fmt(worked.value)))
    st.caption(t("chain.sum_tf", dtype=c.dtype, value=fmt(tf_value), entry=worked.entry))
    if name == "dZ":
        if worked.stopped:
            st.info(t("chain.sum_stopped", entry=worked.entry), icon="🚦")
        else:
            st.info(t("chain.sum_passed", entry=worked.entry), icon="🚦")


def _entry_label(value: str) -> str:
    name, _, cell = value.partition(":")
    return f"dL/d{name[1:]}[{cell.split(',')[1]}]" if name.startswith("db") else f"dL/d{name[1:]}[{cell}]"


def _gradient(c: chain.Chain, name: str) -> np.ndarray | None:
    return c.dY if name == "dY" else getattr(c, name)


def _shape(M: np.ndarray) -> str:
    rows, cols = np.atleast_2d(M).shape
    return f"{rows}×{cols}"


def verdict(ok: bool, result: chain.ChainCheck, sentence: str) -> None:
    """One check: green when it agrees; at a ReLU's kink a caution (no derivative there); else loudly red."""
    if ok:
        st.success(sentence, icon="✅")
    elif result.kinks:
        st.warning(sentence, icon="📐")
    else:
        st.error(t("chain.check_bad") + "\n\n" + sentence, icon="🚨")


def checks(result: chain.ChainCheck, dtype: str) -> None:
    """TensorFlow against the formulas, finite differences, and the network as two playgrounds."""
    st.subheader(t("chain.check_heading"))
    verdict(
        result.tf_ok,
        result,
        t("chain.check_tf", diff=f"{result.tf_vs_formulas:.3g}", tol=f"{result.tf_tolerance:.3g}", dtype=dtype),
    )
    verdict(
        result.numeric_ok,
        result,
        t("chain.check_fd", diff=f"{result.numeric_vs_formulas:.3g}", tol=f"{result.numeric_tolerance:.3g}"),
    )
    verdict(
        result.two_ok,
        result,
        t("chain.check_two", diff=f"{result.two_vs_tape:.3g}", tol=f"{result.two_tolerance:.3g}", dtype=dtype),
    )
    if result.kinks:
        cells = ", ".join(f"Z[{i},{j}]" for i, j in result.kinks)
        st.info(t("chain.kinks", cells=cells), icon="📐")


def program(c: chain.Chain, s: cs.ChainState, params: dict[str, str]) -> None:
    """The TensorFlow program that prints exactly the gradients shown, its notebook, and the share link."""
    st.subheader(t("chain.code_heading"))
    code = chain_code(c.X, c.W1, c.W2, c.b1, c.b2, c.act, None if c.default_seed else c.G, c.dtype)
    st.code(code, language="python")
    name = s.problem.preset if s.problem.matches_preset() else t("common.own_matrices")
    about = t("chain.about", name=inert(name), act=c.act, seed=core.format_seed(s.problem.seed), dtype=c.dtype)
    download.notebook_button("chain", t("nav.chain"), [(t("chain.nb_program"), code)], about, params)
    st.markdown(t("chain.share"))
    st.code(url.share_link(params), language=None, wrap_lines=True)


# --- the page ------------------------------------------------------------------------------------

common.ensure_app_navigation()
s = cs.load()
st.title(t("chain.title"))
st.markdown(t("chain.intro"))
common.require_tensorflow()
link_errors(s)
sidebar(s)
editors()
p = s.problem
try:
    args = {"X": p.X, "W1": p.W1, "W2": p.W2, "b1": p.b1, "b2": p.b2, "act": p.act, "seed": p.seed}
    c = core.tf_chain(**args, dtype=p.dtype)
    formulas = core.chain_formulas(**args)
    result = core.check_chain_gradients(c, formulas, core.chain_numeric(**args), core.as_two_playgrounds(c))
except core.InputError as error:
    st.error(error_text(error), icon="✋")
    st.stop()
if s.focus is not None and s.focus[0] in chain.GRADIENTS and _gradient(c, s.focus[0]) is not None:
    worked = chain.chain_sum(formulas, *s.focus)
else:
    s.focus, worked = None, None
lit = dict(worked.cells) if worked else {}
params = cs.publish(s)
forward(c, s, lit)
backward(c, s, lit)
written_sum(c, s, worked)
# In the presenter view the checks and the code fold away, as on the playground: the room reads the gradients.
with st.expander(t("pg.more_heading")) if present.presenting() else st.container():
    checks(result, p.dtype)
    program(c, s, params)
touch.hover_on_touch()  # one tap on a chart's cell picks it on a phone, as one click does
