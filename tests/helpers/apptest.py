"""Small helpers for driving the real Streamlit app with `streamlit.testing.v1.AppTest`.

Each helper starts or reads one fresh `AppTest`; nothing is shared between tests. The first run in a
process imports TensorFlow (several seconds), hence the generous timeout.
"""

from __future__ import annotations

import ast
import json
import re
from typing import Any

import numpy as np
import pandas as pd
from streamlit.testing.v1 import AppTest

from tests.helpers.paths import APP
from ui.matrix_editor import NAME as MATRIX_EDITOR
from ui.matrix_editor import cell_text

TIMEOUT = 30
"""Seconds per run: the first run in a process imports TensorFlow."""


def start(**query: str) -> AppTest:
    """A fresh session of the app opened at `?query…`, after its first run."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    return at


def url(at: AppTest) -> dict[str, str]:
    """The query parameters the page wrote into the address bar, as a plain dict."""
    return {key: at.query_params[key] for key in at.query_params}


def editors(at: AppTest) -> list[Any]:
    """The matrix editors on the page (every page also holds ui/viewport.py's measuring component)."""
    return [e for e in at.get("bidi_component") if e.proto.component_name == MATRIX_EDITOR]


def editor_element(at: AppTest, name: str) -> Any:
    """The matrix editor of `name` ('T', 'B' or 'G') on the page, as AppTest holds it."""
    found = [e for e in editors(at) if json.loads(e.proto.json)["name"] == name]
    assert len(found) == 1, f"{len(found)} editors of {name} on the page"
    return found[0]


def editor_texts(at: AppTest, name: str) -> list[list[str]]:
    """The cells the editor of `name` was drawn with, as it writes them."""
    return json.loads(editor_element(at, name).proto.json)["cells"]


def edit(at: AppTest, name: str, cells: dict[tuple[int, int], Any]) -> AppTest:
    """Type into the matrix editor of `name` ('T', 'B' or 'G') as a student would, then rerun.

    The editor sends every cell's text when one is finished (ui/matrix_editor.py). A value of
    None is a cleared cell, a number is typed as its shortest text, a string as it is.
    """
    key = f"{name}_editor_{at.session_state['playground'].editor_v}"
    texts = [list(row) for row in editor_texts(at, name)]
    for (i, j), value in cells.items():
        texts[i][j] = cell_text(value)
    at.session_state[key] = {"cells": texts}
    return at.run()


def editor_values(at: AppTest, name: str) -> np.ndarray:
    """The matrix the editor of `name` shows, as numbers."""
    return np.array([[float(x) for x in row] for row in editor_texts(at, name)])


def shown_text(at: AppTest, name: str) -> list[list[str]]:
    """Matrix `name` ('T', 'B', 'Y', 'G', 'dL/dT', 'dL/dB') as the 'every matrix' tabs print it.

    The expander holding the tabs is filled only while open, so it is opened first, as a student would.
    """
    if not at.tabs and "x_numbers" in at.session_state and not at.session_state["x_numbers"]:
        at.session_state["x_numbers"] = True
        at.run()
    (tab,) = [tab for tab in at.tabs if tab.label == name]
    frame: pd.DataFrame = tab.dataframe[0].value
    return [[str(x) for x in row] for row in frame.to_numpy()]


def shown(at: AppTest, name: str) -> np.ndarray:
    """Matrix `name` from the 'every matrix' tabs, read back as float64 (exact: the text round-trips)."""
    return np.array(shown_text(at, name), dtype=np.float64)


def chart_titles(at: AppTest) -> list[str]:
    """The titles of the heatmaps (the charts with a title), in page order."""
    specs = [json.loads(chart.proto.spec)["layout"] for chart in at.get("plotly_chart")]
    return [layout["title"]["text"] for layout in specs if "title" in layout]  # not the marks' legend


def code_matrix(code: str, name: str) -> list[list[float]] | None:
    """The nested list literal of `name = tf.constant([...], …)` in the generated code, if any."""
    found = re.search(rf"^{name} = tf\.constant\((\[\[.*?\]\]), dtype=", code, re.DOTALL | re.MULTILINE)
    return ast.literal_eval(found.group(1)) if found else None


def values(elements: Any) -> list[str]:
    """The text of each element of an ElementList (markdown, alerts, captions, code)."""
    return [element.value for element in elements]
