"""The playground's state: one object per session, and the callbacks that change it.

Everything the playground shows is a function of one `Playground` object, kept in the session
under `KEY`: the cells of T and B as the student left them (a cell may hold text being typed), the
seed, the precision, the picked gradient entry, the preset, and the last valid problem (what the
other pages show and the URL carries). The URL reaches it through one function (`ui.url.load`,
with core.problem.from_query) and leaves it through one (`ui.url.publish`, with to_query).

Widgets mirror it, never own it: `mirror_widgets` sets their keys from the state before they are
drawn, and their callbacks write back into it. So a widget that is not drawn on some run (Streamlit
then forgets its state) loses nothing. The matrix editors keep a student's edits in their own state;
their keys carry `editor_v`, which changes only when the matrices are replaced (preset, resize,
link, a seed of weights set by a click), so an edit is never lost by a rerun. Every seed kind's
behaviour is in core.seeds.KINDS: nothing here asks which kind a seed is.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import streamlit as st

import core
from core import lesson, seeds
from core import problem as qs
from core.figures import clicked_cell
from core.seeds import SeedSpec
from ui.matrix_editor import cell_value, committed_texts, matrix_editor

Cells = list[list[Any]]
KEY = "playground"
"""The session-state key of the one `Playground` object."""

CUSTOM = "custom"
"""The preset picker's value while the matrices on screen are no preset (edited, or from a link)."""

OWN_QUERIES = 16
"""How many of its own recent URLs a session recognises as its own (see ui.url.load)."""

ss = st.session_state


@dataclass
class Playground:
    """One session's playground. Cells are lists (what the editors hold), everything else core's types."""

    T_cells: Cells
    B_cells: Cells
    G_cells: Cells  # the weights editor's cells: the seed's matrix when it was set
    seed: SeedSpec
    dtype: str
    focus: qs.Focus | None
    preset: str
    problem: qs.Problem  # the last valid problem: what other pages show and the URL carries
    editor_v: int = 0  # the matrix editors' key version
    click_v: int = 0  # the clickable charts' key version: a fresh chart, so a cell can be clicked again
    seen_query: dict[str, str] = field(default_factory=dict)  # the URL's parameters at the last run
    own_queries: tuple[tuple[tuple[str, str], ...], ...] = ()  # the URLs this session wrote, newest last
    url_errors: list[qs.ParamError] = field(default_factory=list)  # a link's bad parameters, shown once
    step: int = 0  # the stepper's term in the picked entry's sum (1 = the first term), 0 = the whole sum
    link: int | None = None  # the row p of B followed to column p of dL/dT, if one was picked
    drawn: dict[str, np.ndarray] = field(default_factory=dict)  # the matrices the last run drew
    changed: dict[str, tuple[tuple[int, int], ...]] = field(default_factory=dict)  # their cells the last edit changed

    def note_drawn(
        self, matrices: dict[str, np.ndarray], redraw: bool = False
    ) -> dict[str, tuple[tuple[int, int], ...]]:
        """Remember what this run draws; return, for each matrix, the cells that differ from last run.

        A `redraw` (the same numbers drawn again for a new page size) keeps the last run's answer."""
        same = redraw and self.drawn.keys() == matrices.keys()  # compared only in a redraw, not on every run
        if same and all(np.array_equal(self.drawn[name], M, equal_nan=True) for name, M in matrices.items()):
            return self.changed
        self.changed = {name: lesson.changed_cells(self.drawn.get(name), M) for name, M in matrices.items()}
        self.drawn = {name: np.array(M, copy=True) for name, M in matrices.items()}
        return self.changed

    def load(self, problem: qs.Problem) -> None:
        """Replace every value with `problem` and reset the editors to show it."""
        m, _, n = problem.shape
        self.T_cells, self.B_cells = problem.T.tolist(), problem.B.tolist()
        self.G_cells = problem.seed.matrix(m, n).tolist()
        self.seed, self.dtype, self.focus = problem.seed, problem.dtype, problem.focus
        self.preset = problem.preset or self.preset or core.DEFAULT_PRESET
        self.problem = problem
        self.editor_v += 1

    @property
    def shape(self) -> tuple[int, int, int]:
        """(m, k, n) of the matrices on screen."""
        return len(self.T_cells), len(self.T_cells[0]), len(self.B_cells[0])

    def editor_key(self, name: str) -> str:
        """The matrix editor's key for matrix `name` ('T', 'B' or 'G'), versioned by `load`/resize."""
        return f"{name}_editor_{self.editor_v}"

    def set_seed(self, spec: SeedSpec) -> None:
        """Make `spec` the seed; a seed of weights also replaces the G editor's cells (a fresh editor shows them)."""
        self.seed = spec
        if seeds.picker(spec) == "weights":
            self.G_cells = [list(r) for r in spec.weights]
            self.editor_v += 1

    def problem_from(self, T: np.ndarray, B: np.ndarray, spec: SeedSpec) -> qs.Problem:
        """The problem for the validated matrices on screen (what the URL carries)."""
        problem = qs.Problem(T=T, B=B, seed=spec, dtype=self.dtype, preset=self.preset, focus=self.focus)
        return problem if problem.matches_preset() else replace(problem, preset=None)

    def preset_shown(self) -> str:
        """The preset whose matrices are on screen now, or CUSTOM once a cell differs from it."""
        chosen = core.PRESETS.get(self.preset)
        if chosen is None:
            return CUSTOM
        same = self.T_cells == chosen.T.tolist() and self.B_cells == chosen.B.tolist()
        return chosen.name if same else CUSTOM


def new_playground(problem: qs.Problem) -> Playground:
    """A session's first playground, showing `problem`."""
    state = Playground(
        T_cells=[],
        B_cells=[],
        G_cells=[],
        seed=problem.seed,
        dtype=problem.dtype,
        focus=None,
        preset="",
        problem=problem,
    )
    state.load(problem)
    return state


def state() -> Playground:
    """This session's playground (ui.url.load makes it on the session's first run)."""
    return ss[KEY]


# --- matrix editors -----------------------------------------------------------------------------


def editor(name: str) -> Cells:
    """Draw the matrix editor of `name` ('T', 'B' or 'G'); its cells as the student left them.

    They are stored in the state at once: an editor's own state is dropped when the student opens
    another page, and a new editor then starts from these, every typed value kept.
    """
    s = state()
    cells = matrix_editor(name, getattr(s, f"{name}_cells"), s.editor_key(name))
    setattr(s, f"{name}_cells", cells)
    return cells


def current_cells(name: str) -> Cells:
    """Matrix `name` as the student sees it now: the editor's last sent cells, or the stored ones.

    For callbacks, which run before the page draws (and reads) the editors.
    """
    s = state()
    cells = getattr(s, f"{name}_cells")
    texts = committed_texts(ss.get(s.editor_key(name)), len(cells), len(cells[0]))
    return [list(row) for row in cells] if texts is None else [[cell_value(x) for x in row] for row in texts]


def _resized(cells: Cells, rows: int, cols: int) -> Cells:
    """Crop or pad with zeros, keeping every value the student typed that still fits."""
    return [[cells[i][j] if i < len(cells) and j < len(cells[0]) else 0.0 for j in range(cols)] for i in range(rows)]


# --- widgets: keys set from the state before they are drawn, and their callbacks ------------------


def mirror_widgets() -> None:
    """Set the sidebar's widgets from the state before they are drawn (widgets mirror, never own).

    The seed's widgets live in the page's fragment, which calls `mirror_seed_widgets` itself.
    """
    s = state()
    ss.w_m, ss.w_k, ss.w_n = s.shape
    ss.w_dtype = s.dtype


def _cell_label(cell: tuple[int, int]) -> str:
    return f"{cell[0]},{cell[1]}"


def _parse_label(label: str) -> tuple[int, int]:
    i, j = label.split(",")
    return int(i), int(j)


def mirror_seed_widgets() -> None:
    """Set the seed's and the focus's widgets, which live in the page's seed fragment."""
    s = state()
    ss.w_seed_mode = s.seed.kind
    ss.w_seed_entry = _cell_label(s.seed.cells[0] if s.seed.cells else (0, 0))
    ss.w_seed_entries = [_cell_label(c) for c in s.seed.cells]
    ss.w_seed_row, ss.w_seed_col = seeds.anchor(s.seed)
    ss.w_focus = "none" if s.focus is None else core.textforms.format_focus(s.focus)
    ss.w_link = "none" if s.link is None else str(s.link)


def on_preset() -> None:
    """A preset was picked: show its matrices with TensorFlow's default seed."""
    if ss.w_preset == CUSTOM:  # "your own matrices" is where edits lead, not something to load
        return
    s, chosen = state(), core.preset(ss.w_preset)
    s.load(qs.Problem(T=chosen.T, B=chosen.B, preset=chosen.name, dtype=s.dtype))


def on_shape() -> None:
    """m, k or n changed: resize T, B and the weights, and keep the seed and picked entry valid."""
    s, (m, k, n) = state(), (ss.w_m, ss.w_k, ss.w_n)
    s.T_cells = _resized(current_cells("T"), m, k)
    s.B_cells = _resized(current_cells("B"), k, n)
    s.G_cells = _resized(current_cells("G"), m, n)
    s.seed = seeds.resize_seed(s.seed, m, n)
    if seeds.picker(s.seed) == "weights":  # the weights as the editor has them, typed text and all
        s.seed = SeedSpec("weights", weights=tuple(tuple(r) for r in s.G_cells))
    if s.focus is not None and not qs.focus_in_range(s.focus, m, k, n):
        s.focus = None
    s.step = 0
    s.link = None if s.link is None or s.link >= k else s.link
    s.editor_v += 1


def seed_matrix_or_ones(spec: SeedSpec, m: int, n: int) -> np.ndarray:
    """The seed's matrix, or all ones where it does not fit Y (weights of another shape)."""
    try:
        return spec.matrix(m, n)
    except core.InputError:
        return np.ones((m, n))


def on_seed_mode() -> None:
    """The seed mode changed: carry over what fits (the picked cell, or the current G as weights)."""
    s = state()
    m, _, n = s.shape
    s.set_seed(seeds.switched(s.seed, ss.w_seed_mode, seed_matrix_or_ones(s.seed, m, n)))


PICKED = {
    "cell": lambda: _parse_label(ss.w_seed_entry),
    "cells": lambda: [_parse_label(x) for x in ss.w_seed_entries],
    "row": lambda: ss.w_seed_row,
    "col": lambda: ss.w_seed_col,
}
"""What each seed picker (core.seeds.Picker) holds, read from its widget."""


def on_seed_detail() -> None:
    """The entry, entries, row or column picker changed (the keyboard way to choose a seed)."""
    s = state()
    s.seed = seeds.picked(s.seed.kind, PICKED[seeds.picker(s.seed)]())


def on_y_click(key: str) -> None:
    """A cell of Y was clicked: seed it (toggle it in a set, take its row or column, flip its weight)."""
    s = state()
    cell = clicked_cell(ss.get(key))
    s.click_v += 1  # a fresh chart next run, so the same cell can be clicked again
    if cell is None:
        return
    G = np.array(current_cells("G"), dtype=float) if seeds.picker(s.seed) == "weights" else None
    s.set_seed(seeds.clicked(s.seed, cell, G))


def on_gradient_click(key: str, wrt: str) -> None:
    """A cell of dL/dT or dL/dB was clicked: write its sum out (a second click on it clears it)."""
    s = state()
    cell = clicked_cell(ss.get(key))
    s.click_v += 1
    if cell is not None:
        focus = (wrt, *cell)
        s.focus = None if s.focus == focus else focus
        s.step = 0


def on_focus_select() -> None:
    """The keyboard way to pick a gradient entry."""
    s = state()
    s.focus = None if ss.w_focus == "none" else core.textforms.parse_focus(ss.w_focus)
    s.step = 0


def on_dtype() -> None:
    s = state()
    s.dtype = ss.w_dtype


def on_b_click(key: str) -> None:
    """A cell of B (or its row sum) was clicked: follow its row p to column p of dL/dT (again: stop)."""
    s = state()
    cell = clicked_cell(ss.get(key))
    s.click_v += 1
    if cell is not None:
        s.link = None if s.link == cell[0] else cell[0]


def on_link_select() -> None:
    """The keyboard way to follow a row of B."""
    state().link = None if ss.w_link == "none" else int(ss.w_link)


def on_step(delta: int, terms: int) -> None:
    """Walk the picked entry's sum one term back or forth (0: the whole sum at once)."""
    s = state()
    s.step = 0 if delta == 0 else min(max(s.step + delta, 1), terms)
