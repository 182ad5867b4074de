"""The /chain page's state: one object per session, one way in from the URL, one way out.

As on the playground (ui/url.py), a share link is read once into the session's `ChainState`
(core.chain.chain_from_query names each bad parameter and keeps a working network), and every run
writes the state back (core.chain.chain_to_query), so the address bar is always a share link of
what is on screen. The callbacks here are the page's widgets and clicks; nothing else writes the state.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import streamlit as st

from core import seeds
from core.chain import (
    CHAIN_PARAMS,
    CHAIN_PRESETS,
    ChainParamError,
    ChainProblem,
    chain_from_query,
    chain_to_query,
)
from core.figures import clicked_cell
from core.textforms import format_matrix
from ui import language, present, url

KEY = "chain"
OWN_QUERIES = 8
"""Queries this session wrote that still count as "ours" (see ui.url.load for why several)."""
CUSTOM = "custom"
"""The preset picker's value for the student's own network."""
EDITED = ("X", "W1", "W2", "b1", "b2")
"""The matrices a student can type, in their text form (rows by ';', entries by ',')."""

Focus = tuple[str, int, int]
"""A gradient entry: (name in core.chain.GRADIENTS, row, column); a bias's row is 0."""


@dataclass
class ChainState:
    """Everything the /chain page shows for this session (the seed is on Y, as on the playground)."""

    problem: ChainProblem
    focus: Focus | None = None
    click_v: int = 0
    seen_query: dict[str, str] = field(default_factory=dict)
    own_queries: tuple[tuple[tuple[str, str], ...], ...] = ()
    errors: list[ChainParamError] = field(default_factory=list)
    link_errors: bool = True  # the errors came from a link (a warning), not from a typed matrix


def state() -> ChainState:
    """This session's chain state (load() creates it)."""
    return st.session_state[KEY]


def load() -> ChainState:
    """The network the URL describes on a session's first run or when a link changed it; else the session's."""
    query = {key: value for key, value in st.query_params.to_dict().items() if key in CHAIN_PARAMS}
    if KEY not in st.session_state:
        problem, errors = chain_from_query(query)
        st.session_state[KEY] = ChainState(problem, seen_query=query, errors=errors)
        _mirror(state())
        return state()
    s = state()
    changed, s.seen_query = query != s.seen_query, query
    if query and changed and url.query_key(query) not in s.own_queries:
        s.problem, s.errors = chain_from_query(query)
        s.link_errors, s.focus = True, None
        _mirror(s)
    return s


def publish(s: ChainState) -> dict[str, str]:
    """Write the state into the URL (with the language and presenter view); the share link's parameters."""
    params = chain_to_query(s.problem)
    s.own_queries = url.remembered(s.own_queries, params, OWN_QUERIES)
    s.seen_query = params
    url.write(params | language.url_param() | present.url_param())
    return params


def _mirror(s: ChainState) -> None:
    """Set the widgets to the state (after a link or a preset replaced it)."""
    p, ss = s.problem, st.session_state
    ss.w_chain_preset = p.preset if p.matches_preset() else CUSTOM
    ss.w_chain_act = p.act
    ss.w_chain_dtype = p.dtype
    ss.w_chain_seed = p.seed.kind
    for name in EDITED:
        value = getattr(p, name)
        ss[f"w_chain_{name}"] = "" if value is None else format_matrix(np.atleast_2d(value))


def _set(s: ChainState, problem: ChainProblem) -> None:
    s.problem, s.focus, s.errors = problem, None, []
    _mirror(s)


# --- callbacks ------------------------------------------------------------------------------------


def on_preset() -> None:
    """A preset picked: its network, keeping the seed and dtype where they fit."""
    s, name = state(), st.session_state.w_chain_preset
    if name in CHAIN_PRESETS:
        chosen = CHAIN_PRESETS[name]
        m, n = chosen.X.shape[0], chosen.W2.shape[1]
        _set(s, replace(chosen, seed=seeds.resize_seed(s.problem.seed, m, n), dtype=s.problem.dtype))


def on_act() -> None:
    s = state()
    _set(s, _named(replace(s.problem, act=st.session_state.w_chain_act)))


def on_dtype() -> None:
    s = state()
    s.problem = replace(s.problem, dtype=st.session_state.w_chain_dtype)


def on_matrix() -> None:
    """A matrix typed: the network rebuilt through the share-link parser, so a typed matrix is checked
    exactly as a link's (the cell, the shapes); a bad one is named and the last good network kept."""
    s, ss = state(), st.session_state
    query = chain_to_query(replace(s.problem, preset=None)) | {n: ss[f"w_chain_{n}"] for n in EDITED}
    query = {key: value for key, value in query.items() if value.strip() or key not in ("b1", "b2")}
    problem, errors = chain_from_query(query)
    if not errors:  # a bad matrix stays typed in its box, named; the page keeps the last good network
        s.problem, s.focus = _named(problem), None
    s.errors, s.link_errors = errors, False
    ss.w_chain_preset = s.problem.preset if s.problem.matches_preset() else CUSTOM


def _named(problem: ChainProblem) -> ChainProblem:
    """The problem with the preset's name when its network is still exactly a preset's."""
    for name in CHAIN_PRESETS:
        if replace(problem, preset=name).matches_preset():
            return replace(problem, preset=name)
    return replace(problem, preset=None)


def on_seed_kind(G: np.ndarray) -> None:
    """Another kind of seed: keep what fits of the current one (its cell, its cells, its weights)."""
    s = state()
    s.problem = replace(s.problem, seed=seeds.switched(s.problem.seed, st.session_state.w_chain_seed, G))


def on_y_click(key: str, G: np.ndarray) -> None:
    """A cell of Y clicked: seed it as the playground does (the entry, a toggle, its row or column, a weight)."""
    s = state()
    cell = clicked_cell(st.session_state.get(key))
    s.click_v += 1  # a fresh chart next run, so the same cell can be clicked again
    if cell is not None:
        s.problem = replace(s.problem, seed=seeds.clicked(s.problem.seed, cell, G))
        st.session_state.w_chain_seed = s.problem.seed.kind


def on_gradient_click(key: str, name: str) -> None:
    """A gradient entry clicked: write its sum out (a second click on it clears it)."""
    s = state()
    cell = clicked_cell(st.session_state.get(key))
    s.click_v += 1
    if cell is not None:
        focus = (name, *cell)
        s.focus = None if s.focus == focus else focus
        st.session_state.w_chain_focus = format_focus(s.focus)


def on_focus_select() -> None:
    """The keyboard way to pick a gradient entry."""
    state().focus = parse_focus(st.session_state.w_chain_focus)


def format_focus(focus: Focus | None) -> str:
    """`dW1:0,2` for an entry, `none` for no entry: the picker's values."""
    return "none" if focus is None else f"{focus[0]}:{focus[1]},{focus[2]}"


def parse_focus(value: str) -> Focus | None:
    """The inverse of `format_focus` (the picker offers only valid values)."""
    if value == "none":
        return None
    name, _, cell = value.partition(":")
    i, j = cell.split(",")
    return name, int(i), int(j)
