"""Issue 19 without a browser: the colours chosen for WCAG 2.1 AA, and the charts' accessible names.

Contrast is computed with core.figures.contrast (WCAG's formula). The browser test
(tests/e2e/test_axe_browser.py) runs axe-core over the rendered pages; these say why the colours pass.
"""

from __future__ import annotations

import re
import tomllib
from typing import Any
from unittest import mock

import numpy as np
import pytest
import streamlit as st

from core.figures import _rgb, chart_label, chart_title_shape, contrast, legend_figure, matrix_figure
from core.jacobian import block_view
from core.jacobian_figure import block_figure
from tests.helpers.paths import ROOT
from ui import a11y
from ui.text import text

HEX = re.compile(r"#[0-9a-fA-F]{6}\b")
# Streamlit 1.67's light theme: the page, the sidebar and panels, the code background (in the main
# area and in the sidebar), and what axe found captions on.
PAGE, SIDEBAR, PANEL = "#ffffff", "#f8f8f7", "#fafafa"
CODE_BACKGROUNDS = (a11y.CODE_BACKGROUND, "#f1f1f0")


def drawn(draw: Any) -> str:
    """The body of the one st.html (main area or sidebar) that `draw` makes."""
    bodies: list[str] = []

    def html(body: str, **_: Any) -> None:
        bodies.append(body)

    with mock.patch.object(st, "html", html), mock.patch.object(st.sidebar, "html", html):
        draw()
    (body,) = bodies
    return body


def over(colour: str, background: str, alpha: float) -> np.ndarray:
    """`colour` at opacity `alpha` over `background`, as the browser blends it."""
    return alpha * _rgb(colour) + (1 - alpha) * _rgb(background)


# --- colours ------------------------------------------------------------------------------------


@pytest.mark.parametrize("token", list(a11y.CODE_COLOURS))
def test_every_syntax_colour_reads_on_the_code_background(token: str) -> None:
    for background in CODE_BACKGROUNDS:
        ratio = contrast(_rgb(a11y.CODE_COLOURS[token]), _rgb(background))
        assert ratio >= 4.5, f"{token} {a11y.CODE_COLOURS[token]} on {background}: {ratio:.2f}:1"


def test_the_style_uses_exactly_the_tested_colours() -> None:
    style = drawn(a11y.style)
    assert style.startswith("<style>") and style.endswith("</style>")  # a style only: no room on the page
    colours = set(a11y.CODE_COLOURS.values()) | set(a11y.TABLE_COLOURS.values()) | {a11y.FOCUS}
    assert {c.lower() for c in HEX.findall(style)} == colours
    assert "prefers-reduced-motion" in style


def test_the_focus_ring_stands_out_on_every_background() -> None:
    for background in (PAGE, SIDEBAR, PANEL, "#f1f0ee"):
        assert contrast(_rgb(a11y.FOCUS), _rgb(background)) >= 3.0  # WCAG 1.4.11, non-text contrast


def test_the_charts_tables_read_well() -> None:
    text, background, rule = (_rgb(a11y.TABLE_COLOURS[k]) for k in ("text", "background", "rule"))
    assert contrast(text, background) >= 4.5
    assert contrast(rule, background) >= 3.0


def test_captions_in_the_themes_text_colour_at_60_percent_read_on_every_background() -> None:
    theme = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["theme"]
    assert theme["base"] == "light"
    for background in (PAGE, SIDEBAR, PANEL):
        ratio = contrast(over(theme["textColor"], background, 0.6), _rgb(background))
        assert ratio >= 4.5, f"captions on {background}: {ratio:.2f}:1"


def test_the_script_sets_the_language_names_the_charts_and_makes_live_regions() -> None:
    script = drawn(a11y.script)
    assert script.startswith("<script>") and script.endswith("</script>")
    assert "'zh-Hans'" in script and "'en'" in script
    assert "aria-label" in script and "layout.meta" in script
    assert "st-key-live_" in script and "'polite'" in script
    assert "textContent" in script and "innerHTML" not in script  # the tables are text, never markup
    # Streamlit's DOMPurify drops a script whose text holds "<" before a letter or "/" (SAFE_FOR_XML).
    assert not re.search(r"<[/\w]", script.removeprefix("<script>").removesuffix("</script>"))


# --- the charts' names ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "shape", "expected"),
    [
        ("dL/dT (5×3)", (5, 3), "dL/dT, 5 by 3"),
        ("B and its row sums Σ (3×3)", (3, 4), "B and its row sums Σ, 3 by 3"),  # the shape the title says
        ("seed G = dL/dY", (5, 3), "seed G = dL/dY, 5 by 3"),
        ("tape.gradient: dL/dT (1×1) ", (1, 1), "tape.gradient: dL/dT, 1 by 1"),
    ],
)
def test_a_charts_name_says_its_shape_in_words(title: str, shape: tuple[int, int], expected: str) -> None:
    assert chart_label(title, *shape) == expected


def test_the_chinese_name_comes_from_the_catalogue() -> None:
    name, rows, cols = chart_title_shape("dL/dT (5×3)", 5, 3)
    assert text("a11y.chart", "zh", name=name, rows=rows, cols=cols) == "dL/dT，5 行 3 列"
    assert text("a11y.chart", "en", name=name, rows=rows, cols=cols) == "dL/dT, 5 by 3"


def test_a_heatmaps_table_has_its_headers_numbers_and_marks_in_words() -> None:
    M = np.array([[1.0, -2.5, 0.0], [0.4384, 3.0, 1e-9]])
    fig = matrix_figure(M, "G", outline=[(0, 1)], picked=iter([(1, 2)]), changed=[(0, 1)])
    table = fig.layout.meta["table"]
    assert table["title"] == "G, 2 by 3: the numbers as a table"
    assert table["rows"] == ["0", "1"] and table["cols"] == ["0", "1", "2"]
    assert table["cells"] == [
        ["1", "−2.5 (seeded entry of Y; changed by the last edit)", "0"],
        ["0.4384", "3", "1e−09 (picked entry)"],
    ]
    assert len(fig.layout.shapes) > 0  # the marks are still drawn (an iterator is read once, for both)
    words = (("picked", "所选元素"),)
    zh = matrix_figure(M, "G", picked=[(0, 0)], table_words=words, table_title="G：数值表")
    assert zh.layout.meta["table"]["title"] == "G：数值表"
    assert zh.layout.meta["table"]["cells"][0][0] == "1 (所选元素)"


def test_the_sum_column_is_a_column_of_the_table() -> None:
    B = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 9.0]])  # the last column: the row sums
    table = matrix_figure(B, "B", sum_column=True, title="B (2×2)").layout.meta["table"]
    assert table["cols"] == ["0", "1", "Σ"]
    assert [row[-1] for row in table["cells"]] == ["3", "9"]


def test_every_kind_of_chart_carries_its_name() -> None:
    assert matrix_figure(np.zeros((5, 3)), "dL/dT").layout.meta["label"] == "dL/dT, 5 by 3"
    assert matrix_figure(np.ones((2, 2)), "G", label="G，2 行 2 列").layout.meta["label"] == "G，2 行 2 列"
    legend = legend_figure({"seeded": "seeded entry of Y", "picked": "picked entry"})
    assert legend.layout.meta["label"] == "seeded entry of Y; picked entry"
    B = np.arange(9.0).reshape(3, 3)
    J = np.einsum("ai,jb->abij", np.eye(5), B)  # dY/dT[a,b,i,j] = δ(a,i)·B[j,b]
    view = block_view(J, "T")
    rows, cols = np.shape(view.values)
    block = block_figure(view, [0], name="dY/dT")
    assert block.layout.meta["label"] == f"dY/dT, {rows} by {cols}"
    table = block.layout.meta["table"]
    assert table["rows"][0] == f"{view.row_labels[0]} (seeded entry of Y)"  # the seeded row says so
    assert table["rows"][1:] == [str(r) for r in view.row_labels[1:]]
    assert table["cols"] == [str(c) for c in view.col_labels]
    assert len(table["cells"]) == rows and all(len(row) == cols for row in table["cells"])


def test_a_clickable_chart_names_the_widget_that_does_its_click_from_the_keyboard():
    from ui import shared

    shared.clear()
    meta = shared.figure(np.ones((5, 3)), "dL/dT", picker="Gradient entry").layout.meta
    assert meta["label"] == "dL/dT, 5 by 3; a click on a cell does what “Gradient entry” does from the keyboard"
    assert meta["table"]["title"] == "dL/dT, 5 by 3: the numbers as a table"  # the table keeps the plain name
    assert shared.figure(np.ones((5, 3)), "dL/dT").layout.meta["label"] == "dL/dT, 5 by 3"
