"""The "Download as notebook" button every page that shows a program draws under its programs.

A page passes its programs exactly as its `st.code` blocks show them, each with a sentence in the
reader's language; the notebook itself (core.notebook) is built only when the button is clicked:
`data` is a callable, which Streamlit 1.67 runs when the browser asks for the file, and
`on_click="ignore"` downloads without a rerun. So a normal rerun pays for a few sentences only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import streamlit as st

from core import format_seed
from core import problem as qs
from core.notebook import Cell, notebook
from ui import url
from ui.language import t

MIME = "application/x-ipynb+json"


def about(problem: qs.Problem, with_seed: bool = True) -> str:
    """One sentence naming the problem: the preset (or "your own matrices"), shapes, seed, dtype."""
    m, k, n = problem.shape
    name = problem.preset if problem.matches_preset() else t("common.own_matrices")
    shape = {"name": name, "m": m, "k": k, "n": n, "dtype": problem.dtype}
    if with_seed:
        return t("nb.problem", seed=format_seed(problem.seed), **shape)
    return t("nb.problem_no_seed", **shape)


def notebook_button(page: str, title: str, cells: Sequence[Cell], problem: str, query: Mapping[str, str]) -> None:
    """Draw the button that downloads `gradflow-<page>.ipynb`: `cells` after a first cell naming it all.

    page: the file name's part (`playground`); title: the page's name as the reader sees it;
    cells: (markdown, code) or (markdown, code, raises) in page order, the code exactly as shown;
    problem: a sentence naming the problem (`about(...)`); query: the share link's parameters.
    Every text is settled here, in the script run: the callable runs outside it, on the click.
    """
    heading = f"Gradflow · {title}"
    intro = t("nb.intro", page=title, problem=problem, link=url.share_link(query))
    frozen = tuple(cells)
    st.download_button(
        t("nb.download"),
        data=lambda: notebook(heading, frozen, intro),
        file_name=f"gradflow-{page}.ipynb",
        mime=MIME,
        on_click="ignore",
        icon=":material/download:",
        help=t("nb.download_help"),
    )
