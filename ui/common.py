"""Pieces every page shares: the problem summary, link warnings, and the page's own URL parameters."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import streamlit as st

import core
from core import problem as qs
from core.strings import clip
from ui import url, viewport
from ui.language import error_text, t

V = TypeVar("V")


def show_url_errors() -> None:
    """Warn once about every link parameter that could not be used, naming it."""
    for problem in url.pop_url_errors():
        st.warning(t("err.url_param", param=problem.param, message=error_text(problem.error)), icon="🔗")


def page_param(name: str, parse: Callable[[str], V], default: V) -> V:
    """A page's own query parameter (e.g. `loss`), parsed; a bad value is named in a warning.

    The page's next address drops a bad value, so the warning is shown once (and again in a redraw)."""
    raw = st.query_params.get(name)
    value, error = default, None
    if raw is not None:
        try:
            value = parse(raw)
        except core.InputError as bad:
            error = bad
    shown = viewport.once(f"param_{name}", error)
    if shown is not None:
        st.warning(t("err.url_param", param=name, message=error_text(shown)), icon="🔗")
    return value


def problem_summary(problem: qs.Problem, with_seed: bool = True) -> None:
    """One line saying which matrices and seed this page shows, and where to edit them."""
    m, k, n = problem.shape
    name = problem.preset if problem.matches_preset() else t("common.own_matrices")
    shape = {"name": name, "m": m, "k": k, "n": n, "dtype": problem.dtype}
    if with_seed:
        st.markdown(t("common.summary", seed=core.format_seed(problem.seed), **shape))
    else:
        st.markdown(t("common.summary_no_seed", **shape))
    st.page_link("pages/playground.py", label=t("common.edit_link"), icon="✏️")


def ensure_app_navigation() -> None:
    """Make sure app.py's st.navigation runs, even on a fresh server's first visit to a sub-page.

    Streamlit still honours the legacy `pages/` folder: until some session has run app.py's
    `st.navigation`, a request for /jacobian runs pages/jacobian.py alone, in the legacy mode, with
    file names in the sidebar and no page config. The first `st.navigation` call switches the whole
    server to the current mode; this does the same and reruns, so the page comes back through
    app.py. It costs one extra run, once per server.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def tensorflow_notice() -> None:
    """Say plainly, on every page, when this server runs without TensorFlow (the degraded mode)."""
    reason = core.tensorflow_problem()
    if reason:
        st.warning(t("common.no_tf", reason=clip(reason, 160)), icon="⚠️")


def require_tensorflow() -> None:
    """Stop a page that runs TensorFlow itself when the server has none, pointing to the playground."""
    if core.tensorflow_problem():
        st.info(t("common.no_tf_page"), icon="🧮")
        st.page_link("pages/playground.py", label=t("nav.playground"), icon="🧮")
        st.stop()
