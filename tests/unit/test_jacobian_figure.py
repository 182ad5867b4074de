"""core.jacobian_figure: the block matrix with dots for zeros, block lines, widths from the text, legible colours.

Checked as data (the Plotly objects, validated by building a `go.Figure` with validation on); the
browser check that the numbers fit their cells is tests/e2e/test_jacobian_layout_browser.py.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import pytest

import core
from core import jacobian as jac
from core import jacobian_figure as jf
from core.figures import _rgb, cell_colour, contrast

SO = core.preset("so-question")
WHITE = np.array([255.0, 255.0, 255.0])


@pytest.fixture(scope="module")
def views() -> dict[str, jac.BlockView]:
    J_T, J_B = core.tf_jacobians(SO.T, SO.B)
    return {"T": jac.block_view(J_T, "T"), "B": jac.block_view(J_B, "B")}


def validated(fig: go.Figure) -> go.Figure:
    """The same figure rebuilt with Plotly's validation on: an unknown property raises."""
    return go.Figure(fig.to_dict())


def lines(fig: go.Figure, vertical: bool) -> list[float]:
    return sorted(
        (s.x0 if vertical else s.y0) for s in fig.layout.shapes if s.name == "block" and (s.x0 == s.x1) == vertical
    )


def seed_bars(fig: go.Figure) -> list[int]:
    return [int(s.y0 // jf.ROW) for s in fig.layout.shapes if s.name == "seed"]


def test_the_reference_case_validates_and_writes_zeros_as_dots(views):
    fig = validated(jf.block_figure(views["T"], [], name="dY/dT"))
    heat, cells = fig.data
    assert (heat.type, cells.type) == ("heatmap", "scatter")
    texts = np.array(cells.text).reshape(15, 15)
    values = views["T"].values
    assert (texts == jf.DOT).sum() == (values == 0).sum() == 15 * 15 - 5 * 9
    assert all(t != jf.DOT for t in texts[values != 0])
    assert "0" not in set(texts.ravel())
    # the nonzero blocks are Bᵀ, written with the digits that fit (B's column 0 first)
    assert list(texts[0, :3]) == [jf.number_text(x, 2) for x in SO.B[:, 0].astype(np.float32)]
    np.testing.assert_array_equal(np.array(heat.z), values)


@pytest.mark.parametrize(
    ("x", "digits", "expected"),
    [(0.0, 4, "·"), (-0.0, 2, "·"), (-0.53440, 4, "−0.5344"), (-0.53440, 2, "−0.53"), (-0.0771, 2, "−0.077")],
)
def test_number_text(x, digits, expected):
    assert jf.number_text(x, digits) == expected


def test_block_lines_sit_at_the_block_edges(views):
    # dY/dT: rows in groups of n = 3 (one per row a of Y), columns in groups of k = 3 (one per row i of T)
    fig = jf.block_figure(views["T"], [], name="dY/dT")
    x_edges, y_edges = list(fig.data[0].x), list(fig.data[0].y)
    assert len(x_edges) == 16 and len(y_edges) == 16
    assert lines(fig, vertical=False) == [y_edges[r] for r in (3, 6, 9, 12)]
    assert lines(fig, vertical=True) == [x_edges[c] for c in (3, 6, 9, 12)]
    assert jf.block_lines(15, 3) == [3, 6, 9, 12] and jf.block_lines(24, 8) == [8, 16]


def test_block_lines_follow_the_shapes_of_a_non_square_problem():
    T, B = np.arange(1.0, 9.0).reshape(2, 4), np.arange(1.0, 13.0).reshape(4, 3)  # m=2, k=4, n=3
    J_T, J_B = core.tf_jacobians(T, B)
    view_T, view_B = jac.block_view(J_T, "T"), jac.block_view(J_B, "B")
    assert (view_T.row_block, view_T.col_block, view_B.col_block) == (3, 4, 3)
    np.testing.assert_array_equal(view_T.values, jac.structure(T, B)[0])
    fig_T, fig_B = jf.block_figure(view_T, [], name="dY/dT"), jf.block_figure(view_B, [], name="dY/dB")
    assert lines(fig_T, vertical=True) == [fig_T.data[0].x[4]]  # T[0,:] | T[1,:]
    assert lines(fig_T, vertical=False) == [fig_T.data[0].y[3]]  # Y[0,:] | Y[1,:]
    assert lines(fig_B, vertical=True) == [fig_B.data[0].x[c] for c in (3, 6, 9)]  # B's rows j


def test_each_column_is_as_wide_as_its_longest_text(views):
    fig = jf.block_figure(views["B"], [], name="dY/dB")  # 15×9: fits at 4 digits
    texts = np.array(fig.data[1].text).reshape(15, 9)
    widths = np.diff(fig.data[0].x)
    for j in range(9):
        longest = max(jf.text_px(s) for s in texts[:, j])
        label = jf.text_px(views["B"].col_labels[j])
        assert widths[j] == max(np.ceil(longest) + jf.PAD, np.ceil(label) + 4, jf.MIN_COLUMN)
    assert any(len(s) == 6 for s in texts.ravel())  # 4 significant digits: 0.8363
    # a column of dots only is narrow, one with a long number wide
    assert jf.column_widths([["·"], ["·"]]) == [jf.MIN_COLUMN]
    assert jf.column_widths([["−0.5344"], ["·"]]) == [int(np.ceil(jf.text_px("−0.5344"))) + jf.PAD]


def test_the_reference_case_fits_the_narrowest_main_column(views):
    fig = jf.block_figure(views["T"], [], name="dY/dT", title="dY/dT: (5, 3, 5, 3) → 15×15")
    assert fig.layout.width <= jf.FIT
    plot = fig.layout.width - fig.layout.margin.l - fig.layout.margin.r
    assert plot == pytest.approx(fig.layout.xaxis.range[1] - fig.layout.xaxis.range[0])  # 1 unit = 1 px
    assert fig.layout.xaxis.tickangle == 0  # column labels fit horizontally
    assert fig.data[1].textfont.size >= 12 and fig.layout.xaxis.tickfont.size >= 12


def test_an_8x8_slice_is_cut_to_whole_blocks_that_fit_the_narrowest_main_column():
    rng = np.random.default_rng(8)
    T, B = np.round(rng.normal(size=(8, 8)), 3), np.round(rng.normal(size=(8, 8)), 3)
    J_T, J_B = core.tf_jacobians(T, B)
    for J, wrt, cols in ((J_T, "T", 8), (J_B, "B", 16)):
        view = jac.block_view(J, wrt)
        assert jf.least_width(view) > jf.FIT  # the 24×24 slice would be squeezed at 1024 px
        shown = jf.fit(view)
        assert shown.values.shape == (24, cols) and shown.sliced
        assert shown.col_labels == view.col_labels[:cols] and shown.row_labels == view.row_labels
        np.testing.assert_array_equal(shown.values, view.values[:, :cols])
        assert jf.least_width(shown) <= jf.FIT < jf.least_width(jf._columns(view, cols + 8))
        fig = validated(jf.block_figure(shown, range(64), name=f"dY/d{wrt}"))
        assert fig.layout.width <= jf.FIT
        assert lines(fig, vertical=True) == [fig.data[0].x[c] for c in range(8, cols, 8)]
        assert seed_bars(fig) == []  # all 64 rows seeded


def test_a_view_that_fits_is_not_cut(views):
    assert jf.fit(views["T"]) is views["T"] and jf.fit(views["B"]) is views["B"]
    one_block = jac.BlockView(
        np.ones((2, 3)) * -1.2345, ["Y[0,0]", "Y[0,1]"], ["T[0,0]", "T[0,1]", "T[0,2]"], (2, 3), False, 2, 3
    )
    assert jf.fit(one_block, budget=10).values.shape == (2, 3)  # the first block is always kept


def test_text_colours_reach_4_5_to_1_on_their_cells(views):
    for wrt, view in views.items():
        fig = jf.block_figure(view, [0], name=f"dY/d{wrt}")
        values = view.values.ravel()
        limit = float(np.max(np.abs(values)))
        for x, colour in zip(values, fig.data[1].textfont.color, strict=True):
            assert contrast(_rgb(colour), cell_colour(x, limit)) >= 4.5, (x, colour)
    for colour in (jf.LABEL_COLOUR, jf.LINE_COLOUR, jf.DOT_COLOUR):
        assert contrast(_rgb(colour), WHITE) >= 4.5


def test_seeded_rows_get_a_bar_beside_them_not_a_frame_over_the_cells(views):
    fig = validated(jf.block_figure(views["T"], [3, 4, 5], name="dY/dT"))
    assert seed_bars(fig) == [3, 4, 5]
    for bar in (s for s in fig.layout.shapes if s.name == "seed"):
        assert bar.x1 <= 0  # left of the first cell, in the strip before the labels' cells
    assert fig.layout.xaxis.range[0] == -jf.MARK
    # every row seeded (all ones): no bar and no strip; rows past a slice are not drawn
    ones = jf.block_figure(views["T"], range(15), name="dY/dT")
    assert seed_bars(ones) == [] and ones.layout.xaxis.range[0] == 0
    assert not [s for s in ones.layout.shapes if s.type == "rect"]
    assert seed_bars(jf.block_figure(views["T"], [14, 40], name="dY/dT")) == [14]
