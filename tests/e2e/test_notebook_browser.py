"""The notebook to take home, downloaded in a real browser from a share link of the playground.

The click asks the server for a file it has not made yet (the button's `data` is a callable, run on
that request); the browser saves it, and the test reads it as a student's Jupyter would.
"""

from __future__ import annotations

import json
from pathlib import Path

from playwright.sync_api import Page

from tests.helpers.browser import code_text, open_app, query, script_state_changes

LINK = {"T": "0.1,2;-3.25,1e-05", "B": "1.5,-0.333,0;2,7,0.125", "seed": "entry:1,2", "dtype": "float64"}
T_LITERAL = "T = tf.constant([[0.1, 2],\n                 [-3.25, 1e-05]], dtype=tf.float64)"
B_LITERAL = "B = tf.constant([[1.5, -0.333, 0],\n                 [2, 7, 0.125]], dtype=tf.float64)"
G_LITERAL = "G = tf.constant([[0, 0, 0],\n                 [0, 0, 1]], dtype=tf.float64)"


def test_download_as_notebook_gives_the_program_shown_with_the_links_exact_matrices(page: Page, app_url: str) -> None:
    open_app(page, app_url, LINK)
    shown = code_text(page)
    assert T_LITERAL in shown and B_LITERAL in shown  # the page itself writes the link's numbers

    runs = script_state_changes(page)
    with page.expect_download(timeout=30_000) as downloading:
        page.get_by_role("button", name="Download as notebook").click()
    download = downloading.value
    assert download.suggested_filename == "gradflow-playground.ipynb"
    book = json.loads(Path(download.path()).read_text(encoding="utf-8"))

    assert book["nbformat"] == 4
    assert book["metadata"]["kernelspec"]["name"] == "python3"
    code = ["".join(cell["source"]) for cell in book["cells"] if cell["cell_type"] == "code"]
    assert code == [shown.rstrip("\n")]
    for literal in (T_LITERAL, B_LITERAL, G_LITERAL):
        assert literal in code[0]
    assert "dT, dB = tape.gradient(Y, [T, B], output_gradients=G)" in code[0]
    first = "".join(book["cells"][0]["source"])
    assert first.startswith("# Gradflow · Playground")
    assert f"{app_url}/?T=0.1,2;-3.25,1e-05&B=1.5,-0.333,0;2,7,0.125&seed=entry:1,2&dtype=float64" in first
    assert script_state_changes(page) == runs  # on_click="ignore": the download made no rerun
    assert query(page) == LINK
