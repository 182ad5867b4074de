"""Results and figures shared by every session of a server process, so a rerun reuses them.

A class works from the same presets and links, and most reruns (a click on a seed, a widget, a
reload) change only a few of a page's matrices: the gradients of the same T, B and G, and the
figure of an unchanged matrix, are the same objects for every student. They are kept in
`functools.lru_cache`s, bounded so a class typing new numbers all day cannot grow the server.
(Streamlit's `st.cache_resource` does the same but hashes its arguments in ~0.4 ms per call,
more than a shared figure then costs; here a key is the arrays' bytes, shape and dtype.)

Both are pure functions of their arguments, and the shared objects are read-only by contract:
Streamlit's `plotly_chart` serialises a figure without changing it, and the pages only read a
Result (its NumPy arrays are marked read-only, so a mistake fails loudly instead of changing
another student's numbers). Without them a playground rerun spent about a third of its server
time building the same six figures and gradients again (bench/rerun_bench.py, docs/speed.md).
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterable
from typing import Any

import numpy as np
import plotly.graph_objects as go

import core
from core.figures import chart_title_shape, legend_figure, matrix_figure
from core.jacobian import BlockView
from core.jacobian_figure import block_figure as draw_block_figure
from core.result import Result
from ui.language import t

FIGURES = 256
"""Figures kept per process: six per playground state; at most ~14 MiB (an 8×8 one is ~56 KiB)."""

RESULTS = 256
"""Results kept per process: at most ~2 MiB (an 8×8 one, with its three ways, is ~9 KiB)."""

ArrayKey = tuple[bytes, tuple[int, ...], str]


class SharedFigure(go.Figure):
    """A figure that is built once and serialised on many reruns: `to_dict` is computed once.

    Plotly's `to_dict` deep-copies the figure and walks it for NumPy arrays on every call (~0.5 ms
    for a matrix's heatmap, the largest single cost of drawing it); Streamlit's `plotly_chart`
    calls it on every rerun and only reads the result. A shared figure is never changed, so its
    dictionary is made once; each call gets a fresh top level over the same (read-only) parts.
    """

    _shared_dict: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        if self._shared_dict is None:
            self._shared_dict = super().to_dict()
        return dict(self._shared_dict)


def chart_name(title: str, rows: int, cols: int) -> str:
    """A chart's accessible name in this session's language: "dL/dT, 5 by 3" (core.figures.chart_title_shape)."""
    name, rows, cols = chart_title_shape(title, rows, cols)
    return t("a11y.chart", name=name, rows=rows, cols=cols)


def figure(M: np.ndarray, name: str, **options: Any) -> go.Figure:
    """`core.figures.matrix_figure(M, name, **options)`, built once per process for equal arguments.

    Its accessible name (`label`) is said in this session's language, e.g. "dL/dT, 5 by 3", and so
    are its table's title and the marks' meanings (`table_title`, `table_words`). A clickable chart
    names the widget that does from the keyboard what a click on it does (`picker`, its label).
    """
    picker = options.pop("picker", None)
    if "label" not in options:
        rows, cols = np.shape(M)
        options["label"] = chart_name(options.get("title") or f"{name} ({rows}×{cols})", rows, cols)
        options.setdefault("table_title", t("a11y.table", label=options["label"]))
        if picker:  # what a click on the chart does, the keyboard does with this widget
            options["label"] += t("a11y.picker", picker=picker)
    options.setdefault("table_title", t("a11y.table", label=options["label"]))
    if "table_words" not in options:  # the legend's words for the marks
        options["table_words"] = (
            ("seeded", t("pg.legend_seeded")),
            ("contributing", t("pg.legend_contributing")),
            ("linked", t("pg.legend_linked")),
            ("picked", t("pg.legend_picked")),
            ("changed", t("pg.legend_changed")),
        )
    return _figure(_array_key(M), name, tuple(sorted((k, _hashable(v)) for k, v in options.items())))


@functools.lru_cache(maxsize=FIGURES)
def _figure(M: ArrayKey, name: str, options: tuple[tuple[str, Any], ...]) -> go.Figure:
    drawn = matrix_figure(_array(M), name, **dict(options))
    return SharedFigure(drawn.to_dict(), _validate=False)


def block_figure(view: BlockView, seeded_rows: Iterable[int], **options: Any) -> go.Figure:
    """`core.jacobian_figure.block_figure(view, seeded_rows, **options)`, built once per process for equal arguments."""
    if "label" not in options:
        rows, cols = np.shape(view.values)
        options["label"] = chart_name(options.get("title") or f"{options.get('name')} ({rows}×{cols})", rows, cols)
    options.setdefault("table_title", t("a11y.table", label=options["label"]))
    options.setdefault("table_words", (("seeded", t("pg.legend_seeded")),))
    key = tuple((field.name, _hashable(getattr(view, field.name))) for field in dataclasses.fields(view))
    return _block_figure(key, tuple(int(r) for r in seeded_rows), tuple(sorted(options.items())))


@functools.lru_cache(maxsize=FIGURES)
def _block_figure(
    view: tuple[tuple[str, Any], ...], seeded_rows: tuple[int, ...], options: tuple[tuple[str, Any], ...]
) -> go.Figure:
    fields = dict(view)
    fields.update(
        values=_array(fields["values"]), row_labels=list(fields["row_labels"]), col_labels=list(fields["col_labels"])
    )
    drawn = draw_block_figure(BlockView(**fields), seeded_rows, **dict(options))
    return SharedFigure(drawn.to_dict(), _validate=False)


@functools.lru_cache(maxsize=8)
def legend(labels: tuple[tuple[str, str], ...]) -> go.Figure:
    """`core.figures.legend_figure(dict(labels))`, built once per process and language.

    Here, not in the page: a page script is executed anew on every run, so a cache defined there
    was a new, empty one each time (the legend was rebuilt on every rerun, ~5 % of its server time).
    """
    return SharedFigure(legend_figure(dict(labels)).to_dict(), _validate=False)


def compute(T: np.ndarray, B: np.ndarray, G: np.ndarray, default_seed: bool, dtype: str) -> Result:
    """`core.compute`, once per process for equal matrices; an InputError is raised, never cached.

    Whether TensorFlow can be used is part of the key: its result and the formulas' differ.
    """
    return _compute(_array_key(T), _array_key(B), _array_key(G), default_seed, dtype, core.tensorflow_problem())


@functools.lru_cache(maxsize=RESULTS)
def _compute(
    T: ArrayKey, B: ArrayKey, G: ArrayKey, default_seed: bool, dtype: str, tensorflow_problem: str | None
) -> Result:
    result = core.compute(_array(T), _array(B), _array(G), default_seed, dtype)
    _read_only(result)
    return result


def clear() -> None:
    """Forget every shared figure and result (tests that change how they are made)."""
    _figure.cache_clear()
    _block_figure.cache_clear()
    _compute.cache_clear()
    legend.cache_clear()


def _array_key(M: np.ndarray) -> ArrayKey:
    """What makes two arrays equal for these functions: their bytes, shape and dtype."""
    M = np.asarray(M)
    return M.tobytes(), M.shape, M.dtype.str


def _array(key: ArrayKey) -> np.ndarray:
    data, shape, dtype = key
    return np.frombuffer(data, dtype=dtype).reshape(shape)  # read-only: it views the key's bytes


def _hashable(value: Any) -> Any:
    """Cells (outline=[(0, 1)]) and labels as tuples, whatever iterable they came in; arrays by their key."""
    if isinstance(value, np.ndarray):
        return _array_key(value)
    if isinstance(value, Iterable) and not isinstance(value, str):
        return tuple(_hashable(v) for v in value)
    return value


def _read_only(value: object) -> None:
    """Mark every NumPy array in a (nested) dataclass read-only: a shared result must not change."""
    if isinstance(value, np.ndarray):
        value.flags.writeable = False
    elif dataclasses.is_dataclass(value):
        for field in dataclasses.fields(value):
            _read_only(getattr(value, field.name))
