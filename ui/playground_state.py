"""The playground's session state: one canonical problem, widgets that mirror it, and callbacks.

Canonical values live under non-widget keys (`T_cells`, `B_cells`, `seed`, `dtype`, `focus`,
`preset`), so a widget that is not drawn on some run (Streamlit then forgets its state) loses
nothing. Widgets are set from the canonical values before they are drawn and write back through
their callbacks. Matrix editors keep a student's edits in their own state; the editor keys carry a
version that changes only when the matrices are replaced (preset, resize, link), so an edit is
never lost by a rerun.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import streamlit as st

import core
from core import seeds
from core import state as qs
from core.figures import clicked_cell
from core.seeds import SeedSpec
from ui import language
from ui.matrix_editor import cell_value, committed_texts, matrix_editor

ss = st.session_state

Cells = list[list[Any]]


# --- loading a problem ------------------------------------------------------------------------


def init_from_url() -> None:
    """Load the problem the URL describes on a session's first run, or when a link changed it.

    Moving between pages drops the query string, and every successful run writes the state back
    into it. So a URL that is empty, unchanged since the previous run (a callback may have loaded
    a preset the URL does not show yet, or a run may have stopped on bad input before writing),
    or equal to one this session wrote recently means "keep the session's state". Recently, not
    only last: the browser sends each rerun with the address bar it has, so a rerun an edit
    triggers can still carry the URL from before the previous run's write; taking that for a new
    link would undo the edit.
    """
    query = {key: value for key, value in st.query_params.to_dict().items() if key in qs.PARAMS}
    changed = query != ss.get("seen_query")  # by a link or the address bar, not by this session
    ss.seen_query = query
    if "T_cells" in ss and (not query or not changed or _query_key(query) in ss.get("own_queries", ())):
        return
    problem, errors = qs.from_query(query)
    ss.url_errors = errors
    ss.setdefault("editor_v", 0)
    ss.setdefault("click_v", 0)
    load(problem)


OWN_QUERIES = 16
"""How many of its own recent URLs a session recognises as its own (see init_from_url)."""


def _query_key(query: dict[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(query.items()))


def _remember_own(query: dict[str, str]) -> None:
    """Record a URL this session wrote, keeping the last OWN_QUERIES."""
    key = _query_key(query)
    ss.own_queries = (*(q for q in ss.get("own_queries", ()) if q != key), key)[-OWN_QUERIES:]


def current_problem() -> qs.Problem:
    """The last valid problem of this session (what pages other than the playground show)."""
    init_from_url()
    return ss.problem


def load(problem: qs.Problem) -> None:
    """Replace every canonical value with `problem` and reset the editors to show it."""
    ss.T_cells = problem.T.tolist()
    ss.B_cells = problem.B.tolist()
    ss.seed = problem.seed
    ss.G_cells = problem.seed.matrix(problem.T.shape[0], problem.B.shape[1]).tolist()
    ss.dtype = problem.dtype
    ss.focus = problem.focus
    ss.preset = problem.preset or ss.get("preset") or core.DEFAULT_PRESET
    ss.problem = problem
    ss.last_query = qs.to_query(problem)
    _remember_own(ss.last_query)
    ss.editor_v = ss.get("editor_v", 0) + 1


# --- matrix editors -----------------------------------------------------------------------------


def editor_key(name: str) -> str:
    """The matrix editor's key for matrix `name` ('T', 'B' or 'G'), versioned by `load`/resize."""
    return f"{name}_editor_{ss.editor_v}"


def editor(name: str) -> Cells:
    """Draw the matrix editor of `name` ('T', 'B' or 'G'); its cells as the student left them.

    They are stored as the canonical cells at once: an editor's own state is dropped when the
    student opens another page, and a new editor then starts from these, every typed value kept.
    """
    cells = matrix_editor(name, ss[f"{name}_cells"], editor_key(name))
    ss[f"{name}_cells"] = cells
    return cells


def current_cells(name: str) -> Cells:
    """Matrix `name` as the student sees it now: the editor's last sent cells, or the stored ones.

    For callbacks, which run before the page draws (and reads) the editors.
    """
    cells = ss[f"{name}_cells"]
    texts = committed_texts(ss.get(editor_key(name)), len(cells), len(cells[0]))
    return [list(row) for row in cells] if texts is None else [[cell_value(x) for x in row] for row in texts]


def _resized(cells: Cells, rows: int, cols: int) -> Cells:
    """Crop or pad with zeros, keeping every value the student typed that still fits."""
    return [[cells[i][j] if i < len(cells) and j < len(cells[0]) else 0.0 for j in range(cols)] for i in range(rows)]


# --- callbacks --------------------------------------------------------------------------------


CUSTOM = "custom"
"""The preset picker's value while the matrices on screen are no preset (edited, or from a link)."""


def preset_shown() -> str:
    """The preset whose matrices are on screen now, or CUSTOM once a cell differs from it."""
    chosen = core.PRESETS.get(ss.preset)
    if chosen is None:
        return CUSTOM
    same = ss.T_cells == chosen.T.tolist() and ss.B_cells == chosen.B.tolist()
    return chosen.name if same else CUSTOM


def on_preset() -> None:
    """A preset was picked: show its matrices with TensorFlow's default seed."""
    if ss.w_preset == CUSTOM:  # "your own matrices" is where edits lead, not something to load
        return
    chosen = core.preset(ss.w_preset)
    load(qs.Problem(T=chosen.T, B=chosen.B, preset=chosen.name, dtype=ss.dtype))


def on_shape() -> None:
    """m, k or n changed: resize T, B and the weights, and keep the seed and picked entry valid."""
    m, k, n = ss.w_m, ss.w_k, ss.w_n
    ss.T_cells = _resized(current_cells("T"), m, k)
    ss.B_cells = _resized(current_cells("B"), k, n)
    ss.G_cells = _resized(current_cells("G"), m, n)
    ss.seed = seeds.edited(seeds.resize_seed(ss.seed, m, n), ss.G_cells)  # weights: as the editor has them
    if ss.focus is not None and not qs.focus_in_range(ss.focus, m, k, n):
        ss.focus = None
    ss.editor_v += 1


def _cell_label(cell: tuple[int, int]) -> str:
    return f"{cell[0]},{cell[1]}"


def _parse_label(label: str) -> tuple[int, int]:
    i, j = label.split(",")
    return int(i), int(j)


def _set_seed(spec: SeedSpec) -> None:
    """Make `spec` the seed; a seed of weights also replaces the G editor's cells (a fresh editor shows them)."""
    ss.seed = spec
    if seeds.picker(spec) == "weights":
        ss.G_cells = [list(r) for r in spec.weights]
        ss.editor_v += 1


def on_seed_mode() -> None:
    """The seed mode changed: carry over what fits (the picked cell, or the current G as weights)."""
    m, n = shape()[0], shape()[2]
    _set_seed(seeds.switched(ss.seed, ss.w_seed_mode, seed_matrix_or_ones(ss.seed, m, n)))


PICKED = {
    "cell": lambda: _parse_label(ss.w_seed_entry),
    "cells": lambda: [_parse_label(x) for x in ss.w_seed_entries],
    "row": lambda: ss.w_seed_row,
    "col": lambda: ss.w_seed_col,
}
"""What each seed picker (core.seeds.Picker) holds, read from its widget."""


def on_seed_detail() -> None:
    """The entry, entries, row or column picker changed (the keyboard way to choose a seed)."""
    ss.seed = seeds.picked(ss.seed.kind, PICKED[seeds.picker(ss.seed)]())


def on_y_click(key: str) -> None:
    """A cell of Y was clicked: seed it (toggle it in a set, take its row or column, flip its weight)."""
    cell = clicked_cell(ss.get(key))
    ss.click_v += 1  # a fresh chart next run, so the same cell can be clicked again
    if cell is None:
        return
    G = np.array(current_cells("G"), dtype=float) if seeds.picker(ss.seed) == "weights" else None
    _set_seed(seeds.clicked(ss.seed, cell, G))


def on_gradient_click(key: str, wrt: str) -> None:
    """A cell of dL/dT or dL/dB was clicked: write its sum out (a second click on it clears it)."""
    cell = clicked_cell(ss.get(key))
    ss.click_v += 1
    if cell is not None:
        focus = (wrt, *cell)
        ss.focus = None if ss.focus == focus else focus


def on_focus_select() -> None:
    """The keyboard way to pick a gradient entry."""
    ss.focus = None if ss.w_focus == "none" else core.textforms.parse_focus(ss.w_focus)


def on_dtype() -> None:
    ss.dtype = ss.w_dtype


# --- reading ----------------------------------------------------------------------------------


def shape() -> tuple[int, int, int]:
    """(m, k, n) of the matrices on screen."""
    return len(ss.T_cells), len(ss.T_cells[0]), len(ss.B_cells[0])


def seed_matrix_or_ones(spec: SeedSpec, m: int, n: int) -> np.ndarray:
    try:
        return spec.matrix(m, n)
    except core.InputError:
        return np.ones((m, n))


def mirror_widgets() -> None:
    """Set the sidebar's widgets from the canonical state before they are drawn (widgets mirror, never own).

    The seed's widgets live in the page's fragment, which calls `mirror_seed_widgets` itself.
    """
    m, k, n = shape()
    ss.w_m, ss.w_k, ss.w_n = m, k, n
    ss.w_dtype = ss.dtype


def mirror_seed_widgets() -> None:
    """Set the seed's and the focus's widgets, which live in the page's seed fragment."""
    spec: SeedSpec = ss.seed
    ss.w_seed_mode = spec.kind
    first = spec.cells[0] if spec.cells else (0, 0)
    ss.w_seed_entry = _cell_label(first)
    ss.w_seed_entries = [_cell_label(c) for c in spec.cells]
    ss.w_seed_row, ss.w_seed_col = seeds.anchor(spec)
    ss.w_focus = "none" if ss.focus is None else core.textforms.format_focus(ss.focus)


def problem_from(T: np.ndarray, B: np.ndarray, spec: SeedSpec) -> qs.Problem:
    """The canonical problem for the validated matrices on screen (what the URL carries)."""
    problem = qs.Problem(T=T, B=B, seed=spec, dtype=ss.dtype, preset=ss.preset, focus=ss.focus)
    return problem if problem.matches_preset() else replace(problem, preset=None)


def sync_url(problem: qs.Problem, extra: dict[str, str] | None = None) -> None:
    """Remember `problem` and write it (a page's own `extra` parameters and the language too) into the URL.

    Written only when it changed, so the address bar is always a share link of what is shown.
    """
    ss.problem = problem
    ss.last_query = qs.to_query(problem)
    _remember_own(ss.last_query)
    ss.seen_query = ss.last_query  # our own write is no change "from outside" next run
    query = ss.last_query | (extra or {}) | language.url_param()
    if st.query_params.to_dict() != query:
        st.query_params.from_dict(query)
