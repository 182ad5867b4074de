"""Plotly figures of matrices: one colour convention for signed values, zero always white.

Each matrix is a heatmap for colour, with a scatter trace on top that writes the value in each
cell and makes the cell clickable: Streamlit returns point selections for scatter traces but not
for heatmaps, so a click on a cell arrives as the selected point's `customdata` (row, column).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

import numpy as np
import plotly.graph_objects as go

DIVERGING = [
    [0.0, "#2166ac"],
    [0.25, "#92c5de"],
    [0.5, "#ffffff"],
    [0.75, "#f4a582"],
    [1.0, "#b2182b"],
]
"""Blue for negative, red for positive, exactly white at zero (the centre of a symmetric range)."""

CELL = 52  # pixels per cell: room for a 7-character number at 12 px
MARGIN = {"l": 34, "r": 8, "t": 70, "b": 8}
OUTLINE = "#111111"  # cells of Y that the seed picks, and the picked gradient entry
HIGHLIGHT = "#f59e0b"  # cells whose values take part in the picked entry's sum

Cell = tuple[int, int]


def title_width(title: str, size: int = 15) -> int:
    """Pixels a one-line title needs at font `size`: the figure is widened so no title is cut off.

    An estimate (the browser measures, Python cannot): wide characters (Chinese) take a full em,
    others about 0.6 em, which errs on the wide side for Latin text.
    """
    ems = sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.6 for c in title)
    return round(ems * size) + 12


def heatmap_text(x: float) -> str:
    """A value as written inside its cell: 4 significant digits, a real minus sign."""
    if not np.isfinite(x):
        return "∞" if x > 0 else ("−∞" if x < 0 else "NaN")
    s = f"{x:.4g}"
    return "0" if s in ("0", "-0") else s.replace("-", "−")


TEXT_COLOURS = ("#ffffff", "#000000")
"""A cell's number is written in whichever of these contrasts more with the cell: one of them always
reaches 4.58:1 (WCAG's 4.5:1 for text), since white and black meet at luminance 0.179 at √21:1."""


def _rgb(colour: str) -> np.ndarray:
    return np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)], dtype=float)


def cell_colour(value: float, limit: float) -> np.ndarray:
    """The RGB (0–255) Plotly paints for `value` on DIVERGING over [−limit, limit]: linear between stops."""
    t = min(max((value / limit + 1.0) / 2.0, 0.0), 1.0) if limit else 0.5
    stops = [p for p, _ in DIVERGING]
    k = min(int(np.searchsorted(stops, t, side="right")) - 1, len(stops) - 2)
    (p0, c0), (p1, c1) = DIVERGING[k], DIVERGING[k + 1]
    w = (t - p0) / (p1 - p0)
    return (1 - w) * _rgb(c0) + w * _rgb(c1)


def luminance(rgb: np.ndarray) -> float:
    """WCAG 2.1 relative luminance of an sRGB colour given as 0–255 channels."""
    c = np.asarray(rgb, dtype=float) / 255.0
    linear = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return float(linear @ [0.2126, 0.7152, 0.0722])


def contrast(a: np.ndarray, b: np.ndarray) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_colour(background: np.ndarray) -> str:
    """White or black, whichever reads better on `background` (computed, not a threshold on the value)."""
    return max(TEXT_COLOURS, key=lambda colour: contrast(_rgb(colour), background))


def _rectangles(cells: Iterable[Cell], colour: str, width: float, dash: str = "solid") -> list[dict]:
    return [
        {
            "type": "rect",
            "x0": j - 0.5,
            "x1": j + 0.5,
            "y0": i - 0.5,
            "y1": i + 0.5,
            "line": {"color": colour, "width": width, "dash": dash},
            "layer": "above",
        }
        for i, j in cells
    ]


def matrix_figure(
    M: np.ndarray,
    name: str,
    *,
    title: str | None = None,
    outline: Iterable[Cell] = (),
    highlight: Iterable[Cell] = (),
    clickable: bool = False,
    outline_rows: Iterable[int] = (),
    row_labels: list[str] | None = None,
    col_labels: list[str] | None = None,
    cell: int = CELL,
    font_size: int = 12,
) -> go.Figure:
    """Heatmap of `M` titled with its shape, its values written in the cells.

    `outline` draws a black frame (seeded cells of Y, the picked gradient entry) and
    `outline_rows` one around whole rows (the Jacobian rows a seed picks); `highlight` an amber
    one (contributing cells). `clickable` turns on point selection for the cells. `row_labels`
    and `col_labels` replace the 0, 1, … ticks (a Jacobian's `Y[a,b]` and `T[i,j]`).
    """
    M = np.asarray(M, dtype=np.float64)
    rows, cols = M.shape
    finite = np.where(np.isfinite(M), M, 0.0)
    limit = float(np.max(np.abs(finite))) or 1.0
    ii, jj = np.meshgrid(range(rows), range(cols), indexing="ij")
    text_colours = [text_colour(cell_colour(x, limit)) for x in finite.ravel()]
    heatmap = {
        "type": "heatmap",
        "z": finite.tolist(),  # plain lists: NumPy arrays would be base64-encoded on every rerun
        "zmin": -limit,
        "zmax": limit,
        "colorscale": DIVERGING,
        "showscale": False,
        "hoverinfo": "skip",
        "xgap": 1,
        "ygap": 1,
    }
    cells = {
        "type": "scatter",
        "x": jj.ravel().tolist(),
        "y": ii.ravel().tolist(),
        "mode": "markers+text",
        "text": [heatmap_text(x) for x in M.ravel()],
        "textfont": {"size": font_size, "color": text_colours},
        "marker": {"symbol": "square", "size": cell - 6, "color": "rgba(0,0,0,0)"},
        "customdata": np.stack([ii.ravel(), jj.ravel()], axis=1).tolist(),
        "hovertext": [f"{x:.8g}" for x in M.ravel()],
        "hovertemplate": f"{name}[%{{customdata[0]}},%{{customdata[1]}}] = %{{hovertext}}<extra></extra>",
        "showlegend": False,
        "selected": {"marker": {"opacity": 1}},
        "unselected": {"marker": {"opacity": 1}},
    }
    margin = dict(MARGIN)
    if row_labels:
        margin["l"] = 12 + 7 * max(len(label) for label in row_labels)
    if col_labels:
        margin["t"] = 40 + 7 * max(len(label) for label in col_labels)
    rows_frame = [
        {
            "type": "rect",
            "x0": -0.5,
            "x1": cols - 0.5,
            "y0": r - 0.5,
            "y1": r + 0.5,
            "line": {"color": OUTLINE, "width": 2},
            "layer": "above",
        }
        for r in outline_rows
    ]
    title = title or f"{name} ({rows}×{cols})"
    layout = {
        "title": {"text": title, "x": 0.0, "xanchor": "left", "y": 0.99, "yanchor": "top", "font": {"size": 15}},
        "width": max(cols * cell + margin["l"] + margin["r"], title_width(title), 150),
        "height": rows * cell + margin["t"] + margin["b"],
        "margin": margin,
        "plot_bgcolor": "#e5e7eb",  # shows through the gaps as thin cell borders
        "paper_bgcolor": "rgba(0,0,0,0)",
        "shapes": _rectangles(highlight, HIGHLIGHT, 3, "solid") + _rectangles(outline, OUTLINE, 3) + rows_frame,
        # Clickable charts leave clickmode and dragmode to Streamlit, which sets them for selection.
        **({} if clickable else {"dragmode": False, "clickmode": "none"}),
        "hovermode": "closest",
        "showlegend": False,
        # No template: Streamlit's default one holds only colour scales and a colourway, which these
        # figures set or never use, yet it was two thirds of each figure's bytes. The browser
        # applies Streamlit's theme (fonts, text colours) with or without it.
        "template": {},
        "xaxis": {
            "side": "top",
            "tickvals": list(range(cols)),
            "ticktext": col_labels or list(range(cols)),
            "tickangle": -90 if col_labels else 0,
            "range": [-0.5, cols - 0.5],
            "fixedrange": True,
            "showgrid": False,
            "zeroline": False,
            "constrain": "domain",
        },
        "yaxis": {
            "tickvals": list(range(rows)),
            "ticktext": row_labels or list(range(rows)),
            "range": [rows - 0.5, -0.5],
            "fixedrange": True,
            "showgrid": False,
            "zeroline": False,
            "scaleanchor": "x",
            "constrain": "domain",
        },
    }
    # One constructor call, and no validation on the rerun path: six figures are drawn on every
    # rerun of the playground, and Plotly's validators cost four times what building the figure
    # does (bench/rerun_bench.py). tests/unit/test_figures.py validates every kind of figure instead.
    return go.Figure(data=[heatmap, cells], layout=layout, _validate=False)


def clicked_cell(event: object) -> Cell | None:
    """The (row, column) of the cell a user clicked, from Streamlit's plotly selection state.

    The scatter trace puts each cell's marker at x = column, y = row, so those say which cell.
    """
    try:
        point = event["selection"]["points"][0]  # type: ignore[index]
        return int(point["y"]), int(point["x"])
    except (KeyError, IndexError, TypeError, ValueError):
        return None
