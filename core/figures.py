"""Plotly figures of matrices: one colour convention for signed values, zero always white.

Each matrix is a heatmap for colour, with a scatter trace on top that writes the value in each
cell and makes the cell clickable: Streamlit returns point selections for scatter traces but not
for heatmaps, so a click on a cell arrives as the selected point's `customdata` (row, column).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable

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

FONT = 16
"""Numbers on cells are 16 px by default (the presenter view: 22 px); never below 14 px (see `cell_size`)."""
ROW_PER_FONT = 2.2  # a cell's height in font sizes: the number and a line of air above and below it
CHAR_EM = 0.58  # an average digit, minus sign or point of the page's sans-serif, in ems
MARGIN = {"l": 30, "r": 8, "t": 50, "b": 4}
INK = "#000000"
"""Every mark is drawn in black: at least 3.3:1 against every colour of DIVERGING (its darkest
red, #b2182b, is the closest) and 19:1 against white, so marks differ by their shape, never by hue."""
LABEL = "#31333f"  # axis labels and titles: the page's text colour, 12.6:1 on white
OUTLINE = INK  # kept for callers that draw their own frames (the Jacobian's rows)
HIGHLIGHT = INK

MARKS = {
    "seeded": {"width": 3, "dash": "solid"},
    "contributing": {"width": 3, "dash": "dash"},
    "linked": {"width": 3, "dash": "dot"},
    "picked": {"width": 5, "dash": "solid"},
}
"""How each kind of marked cell is framed: a solid line for a seeded cell of Y (or G), a dashed one
for a cell that takes part in the picked entry's sum, a dotted one for a row sum of B and the column
of dL/dT it becomes, and a heavy one with a filled corner for the picked entry (and the stepper's
current term). A cell the last edit changed gets a small triangle in its top-right corner."""

Cell = tuple[int, int]


def title_width(title: str, size: int = 15) -> int:
    """Pixels a one-line title needs at font `size`: the figure is widened so no title is cut off.

    An estimate (the browser measures, Python cannot): wide characters (Chinese) take a full em,
    others about 0.6 em, which errs on the wide side for Latin text.
    """
    ems = sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.6 for c in title)
    return round(ems * size) + 12


SHAPE_IN_TITLE = re.compile(r"\s*\((\d+)×(\d+)\)")
CHART_LABEL = "{name}, {rows} by {cols}"
"""A chart's accessible name in English; the pages pass their language's (ui/text: `a11y.chart`)."""


TABLE_WORDS = {
    "seeded": "seeded entry of Y",
    "contributing": "adds up to the picked entry",
    "linked": "a row of B and the column of dL/dT it becomes",
    "picked": "picked entry",
    "changed": "changed by the last edit",
}
"""What each mark means, as a chart's table says it beside a cell's number (English; the pages pass theirs)."""
TABLE_TITLE = "{label}: the numbers as a table"


def chart_table(
    texts: list[str],
    rows: list[str],
    cols: list[str],
    marked: dict[str, Iterable[Cell]],
    words: dict[str, str] | None = None,
    title: str = "",
) -> dict:
    """A chart's numbers as a table for `layout.meta.table` (ui/a11y.py's script builds a real HTML table
    of it under the chart): row and column headers, each cell's number as shown and the marks on it."""
    words = {**TABLE_WORDS, **(words or {})}
    notes: dict[tuple[int, int], list[str]] = {}
    for kind in TABLE_WORDS:
        for i, j in marked.get(kind, ()):
            notes.setdefault((int(i), int(j)), []).append(words[kind])
    width = len(cols)
    cells = [
        [texts[i * width + j] + (f" ({'; '.join(notes[i, j])})" if (i, j) in notes else "") for j in range(width)]
        for i in range(len(rows))
    ]
    return {"title": title, "rows": rows, "cols": cols, "cells": cells}


def chart_title_shape(title: str, rows: int, cols: int) -> tuple[str, int, int]:
    """(name, rows, cols) a chart is announced by: its title without a shape written in it, "(m×n)",
    and that shape (B's chart with its row sums is 3×4 but titled "B (3×3)"), else `rows` × `cols`."""
    found = SHAPE_IN_TITLE.search(title)
    if found:
        rows, cols = int(found[1]), int(found[2])
        title = SHAPE_IN_TITLE.sub("", title, count=1)
    return " ".join(title.split()), rows, cols


def chart_label(title: str, rows: int, cols: int, pattern: str = CHART_LABEL) -> str:
    """A chart's accessible name: its title with the shape in words, e.g. "dL/dT (5×3)" → "dL/dT, 5 by 3"."""
    name, rows, cols = chart_title_shape(title, rows, cols)
    return pattern.format(name=name, rows=rows, cols=cols)


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


def text_width(text: str, font_size: int) -> float:
    """Pixels a number written at `font_size` takes (an estimate on the wide side: CHAR_EM per character)."""
    return len(text) * CHAR_EM * font_size


def cell_size(texts: Iterable[str], font_size: int = FONT) -> tuple[int, int]:
    """(width, height) of a matrix's cells in pixels: room for its longest number with air around it.

    The rule that keeps numbers readable: the font never shrinks to fit, the cells grow instead.
    Heights are `ROW_PER_FONT` font sizes (35 px at 16 px); widths are the widest number plus
    0.8 em, never narrower than tall. An 8×8 matrix of 4-digit numbers at 16 px is then about
    8 × 73 px wide, which fits beside the sidebar at 1024 px; pages lay charts out in a wrapping
    row, so a chart that does not fit beside the others goes below them instead of shrinking.
    """
    height = round(ROW_PER_FONT * font_size)
    widest = max((text_width(t, font_size) for t in texts), default=0.0)
    return max(round(widest + 0.8 * font_size), height), height


def axis(**options: object) -> dict:
    """A matrix chart's axis: fixed (no zoom or pan), no grid or zero line, plus `options`."""
    return {"fixedrange": True, "showgrid": False, "zeroline": False, **options}


def _frame(cell: Cell, line: dict, inset: float = 0.0) -> dict:
    i, j = cell
    return {
        "type": "rect",
        "x0": j - 0.5 + inset,
        "x1": j + 0.5 - inset,
        "y0": i - 0.5 + inset,
        "y1": i + 0.5 - inset,
        "line": {"color": INK, **line},
        "layer": "above",
    }


def _corner(cell: Cell, corner: str, size: float = 0.28) -> dict:
    """A filled triangle in a corner of the cell ('tl' for the picked entry, 'tr' for a changed cell)."""
    i, j = cell
    top, x = i - 0.5, (j - 0.5 if corner == "tl" else j + 0.5)
    dx = size if corner == "tl" else -size
    return {
        "type": "path",
        "path": f"M {x},{top} L {x + dx},{top} L {x},{top + size * 1.4} Z",
        "fillcolor": INK,
        "line": {"color": "#ffffff", "width": 1},
        "layer": "above",
    }


def marks(
    *,
    seeded: Iterable[Cell] = (),
    contributing: Iterable[Cell] = (),
    linked: Iterable[Cell] = (),
    picked: Iterable[Cell] = (),
    changed: Iterable[Cell] = (),
) -> list[dict]:
    """Plotly shapes for the marked cells, each kind with its own line style (MARKS) or corner mark."""
    shapes: list[dict] = []
    for kind, cells in (("contributing", contributing), ("linked", linked), ("seeded", seeded)):
        shapes += [_frame(c, MARKS[kind], inset=0.06) for c in cells]
    for c in picked:
        shapes += [_frame(c, MARKS["picked"], inset=0.06), _corner(c, "tl")]
    shapes += [_corner(c, "tr", size=0.22) for c in changed]
    return shapes


def default_title(name: str, rows: int, cols: int) -> str:
    """A chart's title when the page gives none: its name and shape, "T (5×3)"."""
    return f"{name} ({rows}×{cols})"


def _margins(
    font_size: int, row_labels: list[str] | None = None, col_labels: list[str] | None = None
) -> tuple[dict[str, int], int, int]:
    """(margins, tick size, title size) of a matrix chart at `font_size`: room for the title and labels."""
    margin = dict(MARGIN)
    tick_size = max(13, font_size - 2)
    if row_labels:
        margin["l"] = 12 + round(0.6 * tick_size * max(len(label) for label in row_labels))
    title_size = max(15, font_size)
    margin["t"] = round(1.5 * title_size + 1.4 * tick_size + 4)  # the title, then the column numbers
    if col_labels:
        margin["t"] = 40 + round(0.6 * tick_size * max(len(label) for label in col_labels))
    return margin, tick_size, title_size


def _width(cols: int, cell_w: int, margin: dict[str, int], title: str, title_size: int) -> int:
    return max(cols * cell_w + margin["l"] + margin["r"], title_width(title, title_size), 150)


def matrix_extent(M: np.ndarray, name: str, *, title: str | None = None) -> Callable[[int], tuple[int, int]]:
    """font size → (width, height) in pixels of `matrix_figure(M, name, title=title, font_size=…)`,
    without building it: what a page needs to choose the font its charts fit with (`fit_font`).
    The numbers are written out once, whatever number of fonts are tried."""
    M = np.asarray(M, dtype=np.float64)
    rows, cols = M.shape
    texts = [heatmap_text(x) for x in M.ravel()]
    title = title or default_title(name, rows, cols)

    def extent(font_size: int) -> tuple[int, int]:
        cell_w, cell_h = cell_size(texts, font_size)
        margin, _, title_size = _margins(font_size)
        return _width(cols, cell_w, margin, title, title_size), rows * cell_h + margin["t"] + margin["b"]

    return extent


def fit_font(
    extents: Callable[[int], list[tuple[int, int]]],
    width: int,
    *,
    gap: int,
    base: int = FONT,
    most: int | None = None,
    spare_height: int = 0,
) -> int:
    """The largest font, from `base` up to `most` (1.5 × base), at which a row of charts fills `width`.

    `extents(font)` gives each chart's (width, height) at that font; the charts stand `gap` pixels
    apart. A font is taken only if the whole row still fits the width and its tallest chart grows by
    at most `spare_height` pixels over its height at `base` (what the window has beyond the height
    the page was laid out for, so the lesson stays on the first screen). The font never goes below
    `base`: where even the base row does not fit, the charts wrap instead (`cell_size`).
    """
    most = most if most is not None else round(1.5 * base)
    base_height = max((h for _, h in extents(base)), default=0)
    best = base
    for font in range(base + 1, most + 1):
        sizes = extents(font)
        row = sum(w for w, _ in sizes) + gap * max(len(sizes) - 1, 0)
        if row > width or max((h for _, h in sizes), default=0) - base_height > spare_height:
            break
        best = font
    return best


def matrix_figure(
    M: np.ndarray,
    name: str,
    *,
    title: str | None = None,
    outline: Iterable[Cell] = (),
    highlight: Iterable[Cell] = (),
    picked: Iterable[Cell] = (),
    linked: Iterable[Cell] = (),
    changed: Iterable[Cell] = (),
    clickable: bool = False,
    outline_rows: Iterable[int] = (),
    row_labels: list[str] | None = None,
    col_labels: list[str] | None = None,
    sum_column: bool = False,
    cell: int | None = None,
    font_size: int = FONT,
    row_links: Iterable[tuple[Iterable[Cell], Iterable[Cell]]] = (),
    link_target: bool = False,
    label: str | None = None,
    table_words: Iterable[tuple[str, str]] = (),
    table_title: str | None = None,
) -> go.Figure:
    """Heatmap of `M` titled with its shape, its values written in the cells.

    `outline` frames the seeded cells (solid), `highlight` the cells that take part in the picked
    entry's sum (dashed), `linked` a row sum and the column it becomes (dotted), `picked` the picked
    entry (heavy, with a corner); `changed` puts a corner triangle on cells the last edit changed;
    `outline_rows` frames whole rows (the Jacobian rows a seed picks). `clickable` turns on point
    selection. `row_labels` and `col_labels` replace the 0, 1, … ticks. `sum_column` says M's last
    column is its row sums: it is set apart by a wider gap and labelled Σ. `cell` forces square cells
    of that size; by default `cell_size` sizes them from the numbers at `font_size`. `label` is the
    chart's accessible name (`layout.meta.label`, which ui/a11y.py's script gives the chart's
    element as its aria-label); by default `chart_label` of the title, in English. The numbers go
    with it as a table (`chart_table`, `layout.meta.table`): `table_words` say what each mark means
    (pairs of kind and words), `table_title` heads it (by default TABLE_TITLE, in English).

    `row_links[p]` is (cells of this chart, cells of the `link_target` chart): hovering a cell of
    the first kind frames both, dotted (ui/link_hover.py reads them from `layout.meta`), the way
    picking row p in the page's "follow a row" box does on the server.
    """
    M = np.asarray(M, dtype=np.float64)
    rows, cols = M.shape
    outline, highlight, picked, linked, changed = map(tuple, (outline, highlight, picked, linked, changed))
    finite = np.where(np.isfinite(M), M, 0.0)
    limit = float(np.max(np.abs(finite))) or 1.0
    ii, jj = np.meshgrid(range(rows), range(cols), indexing="ij")
    texts = [heatmap_text(x) for x in M.ravel()]
    text_colours = [text_colour(cell_colour(x, limit)) for x in finite.ravel()]
    cell_w, cell_h = (cell, cell) if cell else cell_size(texts, font_size)
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
        "text": texts,
        "textfont": {"size": font_size, "color": text_colours},
        # The marker covers the whole cell, so a tap anywhere on it is a tap on the point.
        "marker": {"symbol": "square", "size": min(cell_w, cell_h) - 4, "color": "rgba(0,0,0,0)"},
        "customdata": np.stack([ii.ravel(), jj.ravel()], axis=1).tolist(),
        "hovertext": [f"{x:.8g}" for x in M.ravel()],
        "hovertemplate": f"{name}[%{{customdata[0]}},%{{customdata[1]}}] = %{{hovertext}}<extra></extra>",
        "showlegend": False,
        "selected": {"marker": {"opacity": 1}},
        "unselected": {"marker": {"opacity": 1}},
    }
    margin, tick_size, title_size = _margins(font_size, row_labels, col_labels)
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
    separator = (
        [
            {
                "type": "line",
                "x0": cols - 1.5,
                "x1": cols - 1.5,
                "y0": -0.5,
                "y1": rows - 0.5,
                "line": {"color": "#ffffff", "width": 6},
                "layer": "above",
            }
        ]
        if sum_column
        else []
    )
    ticks = col_labels or [*range(cols - 1), "Σ"] if sum_column else col_labels or list(range(cols))
    title = title or default_title(name, rows, cols)
    # The hover link's data (ui/link_hover.py) beside the accessible name and table (ui/a11y.py).
    links: dict[str, object] = {"gradflow": "link-target"} if link_target else {}
    if row_links:
        links = {"gradflow": "link-source", "links": [[list(map(list, a)), list(map(list, b))] for a, b in row_links]}
    layout = {
        "title": {
            "text": title,
            "x": 0.0,
            "xanchor": "left",
            "y": 0.99,
            "yanchor": "top",
            "font": {"size": title_size, "color": LABEL},
        },
        "width": _width(cols, cell_w, margin, title, title_size),
        "height": rows * cell_h + margin["t"] + margin["b"],
        "margin": margin,
        "plot_bgcolor": "#e5e7eb",  # shows through the gaps as thin cell borders
        "paper_bgcolor": "rgba(0,0,0,0)",
        "meta": {
            "label": (label := label or chart_label(title, rows, cols)),
            "table": chart_table(
                texts,
                [str(r) for r in (row_labels or range(rows))],
                [str(c) for c in ticks],
                {
                    "seeded": outline,
                    "contributing": highlight,
                    "linked": linked,
                    "picked": picked,
                    "changed": changed,
                },
                dict(table_words),
                table_title or TABLE_TITLE.format(label=label),
            ),
            **links,
        },
        "shapes": separator
        + marks(seeded=outline, contributing=highlight, linked=linked, picked=picked, changed=changed)
        + rows_frame,
        # Clickable charts leave clickmode and dragmode to Streamlit, which sets them for selection.
        **({} if clickable else {"dragmode": False, "clickmode": "none"}),
        "hovermode": "closest",
        "showlegend": False,
        # No template: Streamlit's default one holds only colour scales and a colourway, which these
        # figures set or never use, yet it was two thirds of each figure's bytes. The browser
        # applies Streamlit's theme (fonts, text colours) with or without it.
        "template": {},
        "xaxis": axis(
            side="top",
            tickvals=list(range(cols)),
            ticktext=ticks,
            tickangle=-90 if col_labels else 0,
            tickfont={"size": tick_size, "color": LABEL},
            range=[-0.5, cols - 0.5],
        ),
        "yaxis": axis(
            tickvals=list(range(rows)),
            ticktext=row_labels or list(range(rows)),
            tickfont={"size": tick_size, "color": LABEL},
            range=[rows - 0.5, -0.5],
        ),
    }
    # One constructor call, and no validation on the rerun path: six figures are drawn on every
    # rerun of the playground, and Plotly's validators cost four times what building the figure
    # does (bench/rerun_bench.py). tests/unit/test_figures.py validates every kind of figure instead.
    return go.Figure(data=[heatmap, cells], layout=layout, _validate=False)


LEGEND_KINDS = ("seeded", "contributing", "linked", "picked", "changed")
LEGEND_ROW = 32  # pixels per legend entry
LEGEND_GAP = 1.4  # legend samples, in cells apart


def legend_figure(labels: dict[str, str], font_size: int = 14) -> go.Figure:
    """The marks' legend as a small chart: each mark drawn on a sample cell exactly as the heatmaps
    draw it (`marks`), its meaning beside it, one entry per line (so it fits a phone too). The
    samples sit LEGEND_GAP cells apart, so their frames never touch. Its accessible name lists the
    meanings (`layout.meta.label`, as `matrix_figure`'s)."""
    kinds = [kind for kind in LEGEND_KINDS if kind in labels]
    at = {kind: (LEGEND_GAP * r, 0) for r, kind in enumerate(kinds)}
    shapes = [shape for kind in kinds for shape in marks(**{kind: [at[kind]]})]
    fills = [{**_frame(at[kind], {"width": 0}, inset=0.06), "fillcolor": "#f4a582", "layer": "below"} for kind in kinds]
    last = LEGEND_GAP * (len(kinds) - 1)
    layout = {
        "height": len(kinds) * LEGEND_ROW + 4,
        "margin": {"l": 2, "r": 2, "t": 2, "b": 2},
        "xaxis": {"range": [-0.5, 10.0], "visible": False, "fixedrange": True},
        "yaxis": {"range": [last + 0.6, -0.6], "visible": False, "fixedrange": True},
        "plot_bgcolor": "rgba(0,0,0,0)",
        "paper_bgcolor": "rgba(0,0,0,0)",
        "dragmode": False,
        "clickmode": "none",
        "hovermode": False,
        "showlegend": False,
        "template": {},
        "meta": {"label": "; ".join(labels[kind] for kind in kinds)},
        "shapes": fills + shapes,
        "annotations": [
            {
                "x": 0.7,
                "y": at[kind][0],
                "text": labels[kind],
                "showarrow": False,
                "xanchor": "left",
                "font": {"size": font_size, "color": LABEL},
            }
            for kind in kinds
        ],
    }
    return go.Figure(layout=layout, _validate=False)


def clicked_cell(event: object) -> Cell | None:
    """The (row, column) of the cell a user clicked, from Streamlit's plotly selection state.

    The scatter trace puts each cell's marker at x = column, y = row, so those say which cell.
    """
    try:
        point = event["selection"]["points"][0]  # type: ignore[index]
        return int(point["y"]), int(point["x"])
    except (KeyError, IndexError, TypeError, ValueError):
        return None
