"""The Jacobian's block matrix as a figure a student can read: numbers that fit, blocks you can see.

A Jacobian of Y = T @ B is mostly structural zeros, so a zero is written as a centred dot "·" and
the nonzero blocks stand out; lines are drawn at the block edges (rows come in groups of n, one
group per row a of Y; columns in groups of `col_block`, one per row of T or of B: see
`core.jacobian.block_view`). The rows a seed weights get a dark bar between their label and the
cells, never a frame over the numbers; when the seed weights every row (the all-ones seed), no row
is marked and the page says so. Colours, and each number's white or black, follow core.figures.

Sizing rule. Numbers are drawn at FONT (12) px, rows are ROW px high, and each column is as wide as
the longest text in it (estimated from Source Sans's advance widths, the font Streamlit gives
plotly) plus PAD. Streamlit never draws a chart wider than its column (a wider figure is squeezed
to fit, and its numbers then run into each other), so the precision is chosen to fit:

1. the most significant digits among DIGITS (4, 3, 2) with which the whole figure fits FIT px, the
   main column at 1024×768 with the sidebar open (the reference case's 15×15 fits at 2 digits);
2. otherwise the most with which it fits WIDE px, the main column at 1440×900 (an 8×8 link's
   24×24 slice, core.jacobian.MAX_ROWS × MAX_COLS, fits there at 4 digits for values like −1.234,
   but is squeezed in a narrower window);
3. otherwise 2 digits, and the figure is as wide as it must be.

A figure that does not fit FIT even at 2 digits is cut first (`fit`): whole blocks of columns are
dropped from the right until it does, so the 1024×768 projector never gets a squeezed matrix; an
8×8 link's 24×24 slice keeps its first two blocks of 8 columns. The page says what is shown.

The hover shows every value in full. Column labels are horizontal when widening the columns to
them keeps the figure within the same width, else rotated (dark, FONT px, like the row labels).
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import unicodedata
from collections.abc import Iterable, Sequence

import numpy as np
import plotly.graph_objects as go

from core.figures import (
    DIVERGING,
    OUTLINE,
    TABLE_TITLE,
    TABLE_WORDS,
    axis,
    cell_colour,
    chart_label,
    chart_table,
    heatmap_text,
    text_colour,
    title_width,
)
from core.jacobian import BlockView

FONT = 12
"""Pixels of every number and label: the smallest size the page uses for text."""
ROW = 24
"""Pixels per row: room for a 12 px number with its ascent and descent."""
PAD = 5
"""Pixels added to the widest text of a column: the number never touches the cell's edge."""
MIN_COLUMN = 14
"""Narrowest column (one of dots only)."""
DIGITS = (4, 3, 2)
"""Significant digits to try, most first (4 is what every other heatmap writes)."""
FIT = 564
"""Main column at 1024×768 with the sidebar open: 1024 − 300 (sidebar) − 2 × 80 (padding)."""
WIDE = 980
"""Main column at 1440×900 with the sidebar open."""
MARK = 8
"""Pixels of the strip between the row labels and the cells that holds the seeded rows' bars."""
LABEL_STANDOFF = 10
"""Pixels between a row label and the plot area (plotly's own distance, with some to spare)."""
RIGHT = 4
TOP = 34  # the title's line
LABEL_COLOUR = "#31333F"
"""Streamlit's text colour: 12.6:1 on white (the theme's default tick grey is 3.6:1)."""
LINE_COLOUR = "#31333F"
DOT = "·"
DOT_COLOUR = "#6b7280"
"""A structural zero recedes: grey, yet 4.8:1 on the white of a zero cell."""

# Advance widths in em of Source Sans (measured in Chromium); anything else counts 0.6 em, a wide
# (CJK) character 1 em.
_EM = {
    **dict.fromkeys("0123456789", 0.5),
    ".": 0.25,
    ",": 0.25,
    DOT: 0.25,
    "\N{MINUS SIGN}": 0.5,
    "+": 0.5,
    "-": 0.32,
    "e": 0.5,
    "[": 0.3,
    "]": 0.3,
    "Y": 0.52,
    "T": 0.56,
    "B": 0.61,
    "∞": 0.75,
    "N": 0.66,
    "a": 0.5,
}


def text_px(text: str, size: int = FONT) -> float:
    """Pixels `text` takes at `size` in Source Sans (an estimate a little on the wide side)."""
    ems = sum(
        _EM.get(c, 1.0 if unicodedata.east_asian_width(c) in "WF" else 0.6)
        for c in text.replace("<b>", "").replace("</b>", "")
    )
    return ems * size


def number_text(x: float, digits: int = 4) -> str:
    """A value as its cell writes it: "·" for an exact zero, else `digits` significant digits."""
    if x == 0:
        return DOT
    if digits == 4 or not np.isfinite(x):
        return heatmap_text(x)
    return f"{x:.{digits}g}".replace("-", "\N{MINUS SIGN}")


def column_widths(texts: Sequence[Sequence[str]]) -> list[int]:
    """Pixels of each column: its longest text, plus PAD, at least MIN_COLUMN."""
    columns = zip(*texts, strict=True) if texts else []
    return [max(MIN_COLUMN, math.ceil(max(text_px(s) for s in column)) + PAD) for column in columns]


def edges(widths: Iterable[float]) -> list[float]:
    """Where each cell starts, and where the last one ends (0 first)."""
    return [0.0, *np.cumsum(list(widths), dtype=float).tolist()]


def block_lines(count: int, group: int) -> list[int]:
    """The indices (0 < i < count) of the cells a block starts at: every `group`-th one."""
    return list(range(group, count, group)) if group > 0 else []


def least_width(view: BlockView) -> int:
    """Pixels `view`'s figure takes at its narrowest: 2 digits, rotated labels, a seed strip."""
    left = math.ceil(max((text_px(label) for label in view.row_labels), default=0)) + LABEL_STANDOFF
    widths = column_widths([[number_text(x, DIGITS[-1]) for x in row] for row in np.asarray(view.values)])
    return left + MARK + sum(widths) + RIGHT


def fit(view: BlockView, budget: int = FIT) -> BlockView:
    """`view` cut to the whole blocks of columns (`col_block` each) whose figure fits `budget` px.

    The first block is always kept; a view that fits is returned as it is. A cut view is `sliced`
    and its labels say which columns are shown (the page's note counts them).
    """
    cols = len(view.col_labels)
    block = max(view.col_block, 1)
    while cols > block and least_width(_columns(view, cols)) > budget:
        cols -= block
        cols -= cols % block
    return view if cols == len(view.col_labels) else _columns(view, cols)


def _columns(view: BlockView, cols: int) -> BlockView:
    """`view`'s first `cols` columns."""
    if cols == len(view.col_labels):
        return view
    values = np.asarray(view.values)[:, :cols]
    return dataclasses.replace(view, values=values, col_labels=view.col_labels[:cols], sliced=True)


def block_figure(
    view: BlockView,
    seeded_rows: Iterable[int],
    *,
    name: str,
    title: str | None = None,
    label: str | None = None,
    table_words: Iterable[tuple[str, str]] = (),
    table_title: str | None = None,
) -> go.Figure:
    """The block matrix of `view` (a core.jacobian.BlockView), its seeded rows marked; see the module.

    `seeded_rows` are the full matrix's row indices the seed weights (core.jacobian.seeded_rows);
    those beyond a slice are not drawn, and none is marked when all of them are seeded. `name`
    ("dY/dT") heads the hover text. `label` is the chart's accessible name, and its numbers go with
    it as a table, a marked row's header saying it is seeded (as core.figures.matrix_figure's:
    `label`, `table_words`, `table_title`).
    """
    M = np.asarray(view.values, dtype=np.float64)
    rows, cols = M.shape
    seeded = sorted(set(int(r) for r in seeded_rows))
    marked = [] if len(seeded) >= view.full_shape[0] else [r for r in seeded if r < rows]
    mark = MARK if marked else 0
    left = math.ceil(max((text_px(label) for label in view.row_labels), default=0)) + LABEL_STANDOFF
    label_px = [math.ceil(text_px(label)) for label in view.col_labels]
    title = title or f"{name} ({rows}×{cols})"

    def total(widths: list[int]) -> int:
        return left + mark + sum(widths) + RIGHT

    candidates = [(d, column_widths([[number_text(x, d) for x in row] for row in M])) for d in DIGITS]
    digits, widths = next(
        ((d, w) for limit in (FIT, WIDE) for d, w in candidates if total(w) <= limit),
        candidates[-1],
    )
    budget = next((limit for limit in (FIT, WIDE) if total(widths) <= limit), total(widths))
    widened = [max(w, px + 4) for w, px in zip(widths, label_px, strict=True)]
    horizontal = total(widened) <= budget
    if horizontal:
        widths = widened
    top = TOP + (FONT + 8 if horizontal else max(label_px, default=0) + 8)

    x_edges, y_edges = edges(widths), edges([ROW] * rows)
    x_mid = [(a + b) / 2 for a, b in itertools.pairwise(x_edges)]
    y_mid = [(a + b) / 2 for a, b in itertools.pairwise(y_edges)]
    finite = np.where(np.isfinite(M), M, 0.0)
    limit = float(np.max(np.abs(finite))) if finite.size else 0.0
    limit = limit or 1.0
    texts = [number_text(x, digits) for x in M.ravel()]
    colours = [
        DOT_COLOUR if s == DOT else text_colour(cell_colour(x, limit))
        for s, x in zip(texts, finite.ravel(), strict=True)
    ]
    ii, jj = np.meshgrid(range(rows), range(cols), indexing="ij")
    heatmap = {
        "type": "heatmap",
        "x": x_edges,
        "y": y_edges,
        "z": finite.tolist(),
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
        "x": [x_mid[j] for j in jj.ravel()],
        "y": [y_mid[i] for i in ii.ravel()],
        "mode": "text",
        "text": texts,
        "textposition": "middle center",
        "textfont": {"size": FONT, "color": colours},
        "customdata": [[view.row_labels[i], view.col_labels[j]] for i, j in zip(ii.ravel(), jj.ravel(), strict=True)],
        "hovertext": [f"{x:.8g}" for x in M.ravel()],
        "hovertemplate": "∂%{customdata[0]} / ∂%{customdata[1]} = %{hovertext}<extra></extra>",
        "showlegend": False,
    }
    right_end = x_edges[-1]
    shapes = [
        {  # the strip behind the seed bars is white, not the grey that shows through the cell gaps
            "type": "rect",
            "name": "strip",
            "x0": -mark,
            "x1": 0,
            "y0": 0,
            "y1": y_edges[-1],
            "fillcolor": "#ffffff",
            "line": {"width": 0},
            "layer": "below",
        }
    ] * bool(mark)
    shapes += [
        {
            "type": "rect",
            "name": "seed",
            "x0": -mark + 2,
            "x1": -2,
            "y0": y_edges[r] + 2,
            "y1": y_edges[r + 1] - 2,
            "fillcolor": OUTLINE,
            "line": {"width": 0},
            "layer": "above",
        }
        for r in marked
    ]
    shapes += [
        {
            "type": "line",
            "name": "block",
            "x0": 0,
            "x1": right_end,
            "y0": y_edges[r],
            "y1": y_edges[r],
            "line": {"color": LINE_COLOUR, "width": 1.5},
            "layer": "above",
        }
        for r in block_lines(rows, view.row_block)
    ]
    shapes += [
        {
            "type": "line",
            "name": "block",
            "x0": x_edges[c],
            "x1": x_edges[c],
            "y0": 0,
            "y1": y_edges[-1],
            "line": {"color": LINE_COLOUR, "width": 1.5},
            "layer": "above",
        }
        for c in block_lines(cols, view.col_block)
    ]
    designed = total(widths)
    width = max(designed, title_width(title), 150)
    ticks = {"size": FONT, "color": LABEL_COLOUR}
    seeded_word = {**TABLE_WORDS, **dict(table_words)}["seeded"]  # a marked row's header says so in its table
    layout = {
        "title": {"text": title, "x": 0.0, "xanchor": "left", "y": 0.99, "yanchor": "top", "font": {"size": 15}},
        "width": width,
        "height": rows * ROW + top + 4,
        # A title wider than the grid widens the right margin, so the cells keep their designed size.
        "margin": {"l": left, "r": RIGHT + width - designed, "t": top, "b": 4},
        "plot_bgcolor": "#e5e7eb",  # shows through the gaps as thin cell borders
        "paper_bgcolor": "rgba(0,0,0,0)",
        "meta": {
            "label": (label := label or chart_label(title, rows, cols)),
            "table": chart_table(
                texts,
                [f"{row} ({seeded_word})" if i in marked else str(row) for i, row in enumerate(view.row_labels)],
                [str(col) for col in view.col_labels],
                {},
                title=table_title or TABLE_TITLE.format(label=label),
            ),
        },
        "shapes": shapes,
        "dragmode": False,
        "clickmode": "none",
        "hovermode": "closest",
        "showlegend": False,
        "template": {},
        "xaxis": axis(
            side="top",
            tickvals=x_mid,
            ticktext=view.col_labels,
            tickangle=0 if horizontal else -90,
            tickfont=ticks,
            ticks="",
            range=[-mark, right_end],
        ),
        "yaxis": axis(tickvals=y_mid, ticktext=view.row_labels, tickfont=ticks, ticks="", range=[y_edges[-1], 0]),
    }
    # As core.figures.matrix_figure: no validation on the rerun path (the unit tests validate).
    return go.Figure(data=[heatmap, cells], layout=layout, _validate=False)
