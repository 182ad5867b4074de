"""core.figures: one colour convention (zero is white), values written in the cells, clickable cells.

Figures are checked as data (the Plotly objects), not as pictures: the colour range is symmetric so
that zero lands on the white centre of the colour scale, each cell's text is its value, frames sit
on the right cells, and Streamlit's selection payload turns back into (row, column).
"""

from __future__ import annotations

import json

import numpy as np
import plotly.graph_objects as go
import plotly.io
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import core
from core import figures
from core.figures import DIVERGING, clicked_cell, fit_font, heatmap_text, matrix_extent, matrix_figure

MINUS = "\N{MINUS SIGN}"


def heatmap(fig: go.Figure) -> go.Heatmap:
    (trace,) = [t for t in fig.data if t.type == "heatmap"]
    return trace


def scatter(fig: go.Figure) -> go.Scatter:
    (trace,) = [t for t in fig.data if t.type == "scatter"]
    return trace


def rects(fig: go.Figure, dash: str, width: float | None = None) -> list[tuple[int, int]]:
    """The cells (row, column) framed with line style `dash` (and `width`), read back from the shapes."""
    cells = []
    for s in fig.layout.shapes:
        if s.type != "rect" or s.line.dash != dash or (width is not None and s.line.width != width):
            continue
        assert round(s.x1 - s.x0, 6) == round(s.y1 - s.y0, 6) == round(1 - 2 * 0.06, 6)
        cells.append((round((s.y0 + s.y1) / 2), round((s.x0 + s.x1) / 2)))
    return cells


# --- heatmap_text -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("x", "expected"),
    [
        (0.0, "0"),
        (-0.0, "0"),
        (1.0, "1"),
        (-0.17307831, MINUS + "0.1731"),
        (1.1900724, "1.19"),
        (2.245003, "2.245"),
        (12345.678, "1.235e+04"),
        (-1e-5, f"{MINUS}1e{MINUS}05"),
        (np.float32(0.43842274), "0.4384"),
        (float("inf"), "∞"),
        (float("-inf"), MINUS + "∞"),
        (float("nan"), "NaN"),
    ],
)
def test_cell_text(x, expected):
    assert heatmap_text(x) == expected


# --- colours -------------------------------------------------------------------------------------


def test_colour_scale_is_white_exactly_in_the_middle():
    assert [0.5, "#ffffff"] in DIVERGING
    positions = [p for p, _ in DIVERGING]
    assert positions == sorted(positions) and positions[0] == 0.0 and positions[-1] == 1.0
    # the scale is mirrored around the middle: as many blues below as reds above
    assert [round(1 - p, 9) for p in reversed(positions)] == positions


@pytest.mark.parametrize(
    "M",
    [
        np.array([[1.0, -3.0], [0.5, 2.0]]),
        np.array([[0.1, 0.2, 0.3]]),  # all positive: white still means zero
        np.array([[-7.0], [-1.0]]),  # all negative
        np.array([[5.0]]),
    ],
)
def test_heatmap_range_is_symmetric_so_zero_is_white(M):
    fig = matrix_figure(M, "M")
    h = heatmap(fig)
    limit = np.max(np.abs(M))
    assert h.zmin == -limit
    assert h.zmax == limit
    middle = (0 - h.zmin) / (h.zmax - h.zmin)
    assert middle == 0.5
    assert dict((p, c) for p, c in h.colorscale)[middle] == "#ffffff"
    np.testing.assert_array_equal(np.array(h.z), M)


def test_all_zero_matrix_does_not_divide_by_zero():
    with np.errstate(all="raise"):
        fig = matrix_figure(np.zeros((2, 3)), "G")
    h = heatmap(fig)
    assert (h.zmin, h.zmax) == (-1.0, 1.0)
    assert np.all(np.isfinite(np.array(h.z)))
    assert list(scatter(fig).text) == ["0"] * 6


def test_nan_and_inf_give_finite_colours_and_readable_text():
    M = np.array([[np.nan, np.inf], [-np.inf, -2.0]])
    fig = matrix_figure(M, "Y")
    h = heatmap(fig)
    z = np.array(h.z, dtype=float)
    assert np.all(np.isfinite(z))
    np.testing.assert_array_equal(z, [[0, 0], [0, -2]])
    assert (h.zmin, h.zmax) == (-2.0, 2.0)
    assert list(scatter(fig).text) == ["NaN", "∞", MINUS + "∞", MINUS + "2"]


def test_only_non_finite_values_fall_back_to_unit_range():
    fig = matrix_figure(np.array([[np.nan, np.inf]]), "Y")
    assert (heatmap(fig).zmin, heatmap(fig).zmax) == (-1.0, 1.0)


# --- text and cells ------------------------------------------------------------------------------


@settings(max_examples=20, deadline=None)
@given(
    st.integers(1, 8).flatmap(
        lambda m: st.integers(1, 8).flatmap(
            lambda n: hnp.arrays(np.float64, (m, n), elements=st.floats(-1e6, 1e6, allow_nan=False))
        )
    )
)
def test_every_cell_shows_its_value_at_its_position(M):
    fig = matrix_figure(M, "M")
    rows, cols = M.shape
    s = scatter(fig)
    assert list(s.text) == [heatmap_text(x) for x in M.ravel()]
    assert all("-" not in t for t in s.text)
    x, y = np.array(s.x), np.array(s.y)
    custom = np.array(s.customdata)
    assert custom.shape == (rows * cols, 2)
    for idx, (i, j) in enumerate(np.ndindex(rows, cols)):
        assert (y[idx], x[idx]) == (i, j)  # x is the column, y the row
        assert tuple(custom[idx]) == (i, j)
        assert s.text[idx] == heatmap_text(M[i, j])
    h = heatmap(fig)
    assert h.zmin == -h.zmax
    assert h.zmax == (np.max(np.abs(M)) or 1.0)


def test_reference_gradient_cells_read_like_tensorflow():
    so = core.preset("so-question")
    dT = core.tf_gradients(so.T, so.B).dT
    fig = matrix_figure(dT, "dL/dT")
    assert list(scatter(fig).text[:3]) == [MINUS + "0.1731", "1.19", "2.245"]
    assert fig.layout.title.text == "dL/dT (5×3)"
    assert "dL/dT[%{customdata[0]},%{customdata[1]}]" in scatter(fig).hovertemplate
    assert list(scatter(fig).hovertext[:3]) == ["-0.17307831", "1.1900724", "2.245003"]


def test_title_defaults_to_name_and_shape_and_can_be_given():
    assert matrix_figure(np.ones((2, 3)), "T").layout.title.text == "T (2×3)"
    assert matrix_figure(np.ones((2, 3)), "T", title="seed G").layout.title.text == "seed G"


def test_axes_put_row_0_on_top_and_show_every_index():
    fig = matrix_figure(np.ones((3, 4)), "B")
    assert list(fig.layout.xaxis.tickvals) == [0, 1, 2, 3]
    assert list(fig.layout.yaxis.tickvals) == [0, 1, 2]
    assert list(fig.layout.yaxis.range) == [2.5, -0.5]  # reversed: row 0 at the top, like a matrix
    assert list(fig.layout.xaxis.range) == [-0.5, 3.5]
    assert fig.layout.xaxis.side == "top"


def test_size_grows_with_the_matrix():
    small, large = matrix_figure(np.ones((1, 1)), "a"), matrix_figure(np.ones((8, 8)), "a")
    assert large.layout.width > small.layout.width
    assert large.layout.height > small.layout.height
    _, cell_h = figures.cell_size(["1"])
    assert large.layout.height - small.layout.height == 7 * cell_h


def test_cells_grow_with_their_numbers_and_the_font_never_shrinks():
    short, long = figures.cell_size(["1"]), figures.cell_size(["−0.1731"])
    assert short[1] == long[1] == round(figures.ROW_PER_FONT * figures.FONT)
    assert long[0] > short[0] >= short[1]
    assert long[0] >= figures.text_width("−0.1731", figures.FONT) + figures.FONT * 0.8 - 1
    fig = matrix_figure(np.full((5, 5), -0.17307831), "dL/dT")
    assert fig.data[1].textfont.size == figures.FONT >= 14
    assert matrix_figure(np.ones((2, 2)), "Y", font_size=22).data[1].textfont.size == 22


def test_axis_labels_and_title_are_dark_enough_to_read_on_white():
    fig = matrix_figure(np.ones((2, 3)), "T")
    white = np.array([255.0, 255.0, 255.0])
    for font in (fig.layout.xaxis.tickfont, fig.layout.yaxis.tickfont, fig.layout.title.font):
        assert figures.contrast(figures._rgb(font.color), white) >= 4.5
        assert font.size >= 13


def test_a_sum_column_is_set_apart_and_labelled_sigma():
    fig = matrix_figure(np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 9.0]]), "B", sum_column=True)
    assert list(fig.layout.xaxis.ticktext) == [0, 1, "Σ"]
    lines = [s for s in fig.layout.shapes if s.type == "line"]
    assert len(lines) == 1 and lines[0].x0 == lines[0].x1 == 1.5


def test_no_frames_by_default():
    assert matrix_figure(np.ones((2, 2)), "Y").layout.shapes == ()


def test_each_mark_has_its_own_line_style_in_near_black():
    fig = matrix_figure(
        np.ones((3, 4)),
        "Y",
        outline=[(0, 1), (2, 3)],
        highlight=[(1, 0)],
        linked=[(2, 0)],
        picked=[(1, 1)],
        changed=[(0, 3)],
    )
    assert rects(fig, "solid", 3) == [(0, 1), (2, 3)]  # seeded
    assert rects(fig, "dash") == [(1, 0)]  # contributing
    assert rects(fig, "dot") == [(2, 0)]  # linked
    assert rects(fig, "solid", 5) == [(1, 1)]  # picked, heavy ...
    corners = [s for s in fig.layout.shapes if s.type == "path"]
    assert len(corners) == 2  # ... with a corner mark, and the changed cell's corner
    assert {s.line.color for s in fig.layout.shapes if s.type == "rect"} == {figures.INK}
    assert all(s.layer == "above" for s in fig.layout.shapes)


def test_the_marks_reach_3_to_1_against_every_cell_colour():
    ink = figures._rgb(figures.INK)
    for t in np.linspace(-1, 1, 201):
        assert figures.contrast(ink, figures.cell_colour(t, 1.0)) >= 3.0


def test_frames_accept_numpy_cells_and_generators():
    seeded = [tuple(c) for c in np.argwhere(np.eye(3) != 0)]
    fig = matrix_figure(np.eye(3), "G", outline=seeded, highlight=((i, 0) for i in range(3)))
    assert rects(fig, "solid") == [(0, 0), (1, 1), (2, 2)]
    assert rects(fig, "dash") == [(0, 0), (1, 0), (2, 0)]


def test_the_legend_draws_each_mark_as_the_charts_do():
    labels = {kind: kind.upper() for kind in figures.LEGEND_KINDS}
    fig = go.Figure(figures.legend_figure(labels).to_dict())  # validated
    assert [a.text for a in fig.layout.annotations] == [k.upper() for k in figures.LEGEND_KINDS]
    rows = [round(figures.LEGEND_GAP * r) for r in range(4)]  # samples LEGEND_GAP cells apart
    assert rects(fig, "dash") == [(rows[1], 0)] and rects(fig, "dot") == [(rows[2], 0)]
    assert rects(fig, "solid", 3) == [(rows[0], 0)] and rects(fig, "solid", 5) == [(rows[3], 0)]


# --- clicking ------------------------------------------------------------------------------------


def test_clickable_leaves_clickmode_and_dragmode_to_streamlit():
    fig = matrix_figure(np.ones((2, 2)), "Y", clickable=True)
    assert fig.layout.clickmode is None
    assert fig.layout.dragmode is None


def test_not_clickable_turns_clicks_and_drags_off():
    fig = matrix_figure(np.ones((2, 2)), "Y")
    assert fig.layout.clickmode == "none"
    assert fig.layout.dragmode is False
    for axis in (fig.layout.xaxis, fig.layout.yaxis):
        assert axis.fixedrange is True


def test_clicked_cell_from_streamlit_selection():
    event = {
        "selection": {
            "points": [{"curve_number": 1, "point_number": 7, "x": 1, "y": 2, "customdata": {"0": 2, "1": 1}}],
            "point_indices": [7],
            "box": [],
            "lasso": [],
        }
    }
    assert clicked_cell(event) == (2, 1)


def test_clicked_cell_takes_the_first_point_and_accepts_float_coordinates():
    event = {"selection": {"points": [{"x": 0.0, "y": 3.0}, {"x": 2, "y": 2}]}}
    assert clicked_cell(event) == (3, 0)


class AttributeDict(dict):
    """Like Streamlit's event: a dict that also answers attribute access."""

    __getattr__ = dict.__getitem__


def test_clicked_cell_accepts_a_dict_subclass():
    assert clicked_cell(AttributeDict(selection=AttributeDict(points=[{"x": 4, "y": 0}]))) == (0, 4)


@pytest.mark.parametrize(
    "event",
    [
        None,
        {},
        {"selection": {}},
        {"selection": {"points": []}},
        {"selection": None},
        {"selection": {"points": None}},
        {"selection": {"points": [{}]}},
        {"selection": {"points": [{"x": 1}]}},
        {"selection": {"points": [{"x": None, "y": 1}]}},
        {"selection": {"points": [{"x": "a", "y": "b"}]}},
        "selection",
        42,
        [],
    ],
)
def test_clicked_cell_is_none_for_empty_or_malformed_payloads(event):
    assert clicked_cell(event) is None


def test_a_click_on_a_figure_cell_round_trips():
    """The point Streamlit reports is a scatter point: its x, y are what the figure put there."""
    fig = matrix_figure(np.arange(6.0).reshape(2, 3), "Y", clickable=True)
    s = scatter(fig)
    for idx in range(6):
        point = {"x": int(s.x[idx]), "y": int(s.y[idx]), "customdata": list(s.customdata[idx])}
        assert clicked_cell({"selection": {"points": [point]}}) == tuple(s.customdata[idx])


def _wire(fig: go.Figure) -> dict:
    """The figure as Streamlit sends it, without the template and empty lists (validation adds or drops those)."""
    spec = json.loads(plotly.io.to_json(fig, validate=False))
    spec["layout"].pop("template", None)
    spec["layout"] = {k: v for k, v in spec["layout"].items() if v != []}
    return spec


@pytest.mark.parametrize(
    "fig",
    [
        matrix_figure(np.array([[1.5, np.nan], [np.inf, -2.0]]), "Y", outline=[(0, 1)], highlight=[(1, 0)]),
        matrix_figure(np.ones((3, 2)), "dL/dT", title="梯度 dL/dT (3×2)", clickable=True),
        matrix_figure(
            np.eye(2), "J", outline_rows=[1], row_labels=["Y[0,0]", "Y[0,1]"], col_labels=["T[0,0]", "T[0,1]"]
        ),
        matrix_figure(np.zeros((1, 1)), "G"),
        matrix_figure(np.full((8, 8), -1e300), "B", font_size=10),
    ],
    ids=["frames-and-non-finite", "clickable-titled", "jacobian-labels", "one-cell", "largest"],
)
def test_figures_built_without_validation_are_valid_plotly(fig):
    """matrix_figure skips Plotly's validators for speed; Plotly's validating constructor must accept
    every kind of figure it draws and read it back unchanged (a misspelt property would raise here)."""
    validated = go.Figure(json.loads(plotly.io.to_json(fig, validate=False)))
    assert _wire(validated) == _wire(fig)


def test_figures_carry_no_template():
    """Streamlit's default Plotly template (colour scales the figures set themselves) stays off the wire."""
    fig = matrix_figure(np.ones((2, 2)), "T")
    assert json.loads(plotly.io.to_json(fig, validate=False))["layout"]["template"] == {}


# --- numbers readable on their cells ---------------------------------------------------------------


def test_the_colours_plotly_paints_at_the_stops_and_between():
    np.testing.assert_array_equal(figures.cell_colour(0.0, 2.0), [255, 255, 255])
    np.testing.assert_array_equal(figures.cell_colour(2.0, 2.0), figures._rgb("#b2182b"))
    np.testing.assert_array_equal(figures.cell_colour(-2.0, 2.0), figures._rgb("#2166ac"))
    np.testing.assert_allclose(figures.cell_colour(1.5, 2.0), (figures._rgb("#f4a582") + figures._rgb("#b2182b")) / 2)


def test_wcag_contrast_of_known_pairs():
    assert figures.contrast(figures._rgb("#ffffff"), figures._rgb("#000000")) == pytest.approx(21.0)
    assert figures.contrast(figures._rgb("#777777"), figures._rgb("#ffffff")) == pytest.approx(4.48, abs=0.01)


@given(hnp.arrays(np.float64, hnp.array_shapes(min_dims=2, max_dims=2, max_side=8), elements=st.floats(-1e6, 1e6)))
@settings(max_examples=60, deadline=None)
def test_every_number_reaches_4_5_to_1_against_its_cell(M):
    """The text colour is chosen per cell from the colour Plotly paints it (issue: 2.8–4.3:1 before)."""
    figure = matrix_figure(M, "T")
    limit = float(np.max(np.abs(M))) or 1.0
    colours = figure.data[1].textfont.color
    for value, colour in zip(M.ravel(), colours, strict=True):
        background = figures.cell_colour(value, limit)
        assert figures.contrast(figures._rgb(colour), background) >= 4.5, (value, colour)


def test_the_reference_case_numbers_that_were_hard_to_read_now_reach_4_5_to_1():
    """Y's 1.596 and 1.718 and T's 0.6548 were white on mid red at 2.8–4.3:1."""
    Y = core.preset("so-question").T @ core.preset("so-question").B
    T = core.preset("so-question").T
    for M, value in ((Y, 1.596), (Y, 1.718), (T, 0.6548)):
        i, j = np.argwhere(np.isclose(M, value, atol=5e-4))[0]
        limit = float(np.max(np.abs(M)))
        colour = matrix_figure(M, "M").data[1].textfont.color[i * M.shape[1] + j]
        assert figures.contrast(figures._rgb(colour), figures.cell_colour(M[i, j], limit)) >= 4.5


def test_row_links_travel_in_the_layout_meta_for_the_hover_script():
    from core.lesson import lesson

    B = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    the_lesson = lesson(B, np.ones((2, 2)))
    links = tuple(the_lesson.link(p) for p in range(3))
    source = go.Figure(figures.matrix_figure(B, "B", row_links=links).to_dict())  # validated
    assert source.layout.meta["gradflow"] == "link-source"
    assert source.layout.meta["links"][1] == [[[1, 0], [1, 1], [1, 2]], [[0, 1], [1, 1]]]
    target = go.Figure(figures.matrix_figure(np.ones((2, 3)), "dL/dT", link_target=True).to_dict())
    assert target.layout.meta["gradflow"] == "link-target"
    assert "gradflow" not in figures.matrix_figure(B, "B").layout.meta  # the name and table only


# --- charts that fill the page's width (issue 18: core.figures.fit_font, ui/viewport.py) ----------------


@pytest.mark.parametrize("font", [14, 16, 19, 24])
@pytest.mark.parametrize("title", [None, "dL/dT (5×3)", "B (3×3) and its row sums Σ", "B（3×3）及其行和 Σ"])
def test_matrix_extent_is_the_size_the_figure_gets(font, title):
    M = np.arange(15.0).reshape(5, 3) / 7 - 1
    figure = matrix_figure(M, "T", title=title, font_size=font)
    assert matrix_extent(M, "T", title=title)(font) == (figure.layout.width, figure.layout.height)


def _row(*shapes: tuple[int, int]):
    """extents(font) of a row of matrices of 4-digit numbers with these shapes."""
    matrices = [np.full(shape, -0.1731) for shape in shapes]
    sized = [matrix_extent(M, "M") for M in matrices]
    return lambda font: [extent(font) for extent in sized]


def test_fit_font_grows_the_numbers_until_the_row_fills_the_width():
    extents = _row((3, 4), (5, 3), (3, 3))
    at_base = sum(w for w, _ in extents(16)) + 2 * 32
    assert fit_font(extents, at_base, gap=32) == 16  # exactly the base row: no room to grow
    font = fit_font(extents, 1092, gap=32, spare_height=10_000)
    assert font > 16
    assert sum(w for w, _ in extents(font)) + 2 * 32 <= 1092 < sum(w for w, _ in extents(font + 1)) + 2 * 32


def test_fit_font_never_shrinks_below_the_base_and_stops_at_one_and_a_half_times_it():
    extents = _row((5, 3), (3, 3))
    assert fit_font(extents, 200, gap=32) == 16  # too narrow even at the base: the row wraps instead
    assert fit_font(extents, 100_000, gap=32, spare_height=100_000) == 24
    assert fit_font(extents, 100_000, gap=32, base=19, spare_height=100_000) == 28
    assert fit_font(extents, 100_000, gap=32, most=20, spare_height=100_000) == 20


def test_fit_font_keeps_the_lesson_on_the_first_screen():
    """Only the window's height beyond the layout's design height may go to taller charts."""
    extents = _row((3, 4), (5, 3), (3, 3))
    assert fit_font(extents, 100_000, gap=32, spare_height=0) == 16  # 1024×768 or 1366×768: no growth
    base_height = max(h for _, h in extents(16))
    font = fit_font(extents, 100_000, gap=32, spare_height=60)  # a window 60 px taller than 768
    assert 16 < font < 24
    assert max(h for _, h in extents(font)) - base_height <= 60 < max(h for _, h in extents(font + 1)) - base_height
