"""Results and figures shared by every session of a server process, so a rerun reuses them.

A class works from the same presets and links, and most reruns (a click on a seed, a widget, a
reload) change only a few of a page's matrices: the gradients of the same T, B and G, and the
figure of an unchanged matrix, are the same objects for every student. They are cached with
Streamlit's `st.cache_resource` (one copy per process, no pickling; `core` stays free of
Streamlit), bounded so a class typing new numbers all day cannot grow the server.

Both are pure functions of their arguments, and the cached objects are read-only by contract:
Streamlit's `plotly_chart` serialises a figure without changing it, and the pages only read a
Result (its NumPy arrays are marked read-only, so a mistake fails loudly instead of changing
another student's numbers). Without the cache a playground rerun spent about a fifth of its
server time building the same six figures and gradients again (bench/rerun_bench.py, README).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import plotly.graph_objects as go
import streamlit as st

import core
from core.figures import matrix_figure
from core.result import Result

FIGURES = 512
"""Figures kept per process: six per playground state, a few kilobytes each."""

RESULTS = 256
"""Results kept per process: the gradients of one T, B, G and precision each, a few kilobytes."""


@st.cache_resource(max_entries=FIGURES, show_spinner=False)
def figure(M: np.ndarray, name: str, **options: object) -> go.Figure:
    """`core.figures.matrix_figure(M, name, **options)`, built once per process for equal arguments."""
    return matrix_figure(M, name, **options)  # type: ignore[arg-type]


def compute(T: np.ndarray, B: np.ndarray, G: np.ndarray, default_seed: bool, dtype: str) -> Result:
    """`core.compute`, once per process for equal matrices; an InputError is raised, never cached.

    Whether TensorFlow can be used is part of the key: its result and the formulas' differ.
    """
    return _compute(T, B, G, default_seed, dtype, core.tensorflow_problem())


@st.cache_resource(max_entries=RESULTS, show_spinner=False)
def _compute(
    T: np.ndarray, B: np.ndarray, G: np.ndarray, default_seed: bool, dtype: str, tensorflow_problem: str | None
) -> Result:
    result = core.compute(T, B, G, default_seed, dtype)
    _read_only(result)
    return result


def _read_only(value: object) -> None:
    """Mark every NumPy array in a (nested) dataclass read-only: a shared result must not change."""
    if isinstance(value, np.ndarray):
        value.flags.writeable = False
    elif dataclasses.is_dataclass(value):
        for field in dataclasses.fields(value):
            _read_only(getattr(value, field.name))
