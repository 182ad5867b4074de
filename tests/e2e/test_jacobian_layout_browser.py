"""/jacobian's block matrix in a real browser: every number fits its own cell, none runs into another.

Measured where the student sees it, at 1024×768 (the sidebar open, the narrowest main column the app
is laid out for) and at 1440×900: the bounding box of each number drawn in the block matrix (the
scatter trace's `.textpoint text`) must lie within its cell, whose edges are read from the heatmap's
own coordinates through plotly's axes, and no two boxes may overlap. Numbers are ≥ 12 px, and the
row and column labels dark enough to read (WCAG contrast ≥ 4.5:1 on white).
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

import numpy as np
import pytest
from playwright.sync_api import Browser, Page

from core.textforms import format_matrix
from tests.helpers.browser import new_context, snap, wait_for_app

SIZES = {"1024x768": {"width": 1024, "height": 768}, "1440x900": {"width": 1440, "height": 900}}
SLACK_PX = 0.5  # rounding of the browser's boxes

# For the block matrix (the first chart titled dY/d…): each drawn number's box, its cell's box (from
# the heatmap's x and y: edges when there is one more than cells, centres otherwise), the font
# size, and the fill of the axis labels.
MEASURE_JS = """
() => {
  const plot = [...document.querySelectorAll('.js-plotly-plot')]
    .find((p) => (p.querySelector('.gtitle')?.textContent || '').startsWith('dY/d'));
  if (!plot) return null;
  const heat = plot._fullData.find((t) => t.type === 'heatmap');
  const rows = heat.z.length, cols = heat.z[0].length;
  const edges = (given, n) => {
    if (given && given.length === n + 1) return given.map(Number);
    const centres = given && given.length === n ? given.map(Number) : [...Array(n).keys()];
    return [...centres.map((c) => c - 0.5), centres[n - 1] + 0.5];
  };
  const xe = edges(heat.x, cols), ye = edges(heat.y, rows);
  const xa = plot._fullLayout.xaxis, ya = plot._fullLayout.yaxis;
  const svg = plot.querySelector('svg.main-svg').getBoundingClientRect();
  const px = (axis, v, origin) => origin + axis._offset + axis.l2p(v);
  const texts = [...plot.querySelectorAll('.textpoint text')];
  const numbers = texts.map((t, idx) => {
    const i = Math.floor(idx / cols), j = idx % cols;
    const box = t.getBoundingClientRect();
    const xs = [px(xa, xe[j], svg.left), px(xa, xe[j + 1], svg.left)];
    const ys = [px(ya, ye[i], svg.top), px(ya, ye[i + 1], svg.top)];
    return {
      text: t.textContent, i, j,
      box: [box.left, box.top, box.right, box.bottom],
      cell: [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)],
      size: parseFloat(getComputedStyle(t).fontSize),
    };
  });
  const labels = [...plot.querySelectorAll('.xtick text, .ytick text')].map((t) => getComputedStyle(t).fill);
  return {rows, cols, numbers, labels, title: plot.querySelector('.gtitle').textContent};
}
"""


def luminance(rgb: tuple[float, float, float]) -> float:
    c = np.asarray(rgb) / 255.0
    linear = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return float(linear @ [0.2126, 0.7152, 0.0722])


def contrast_on_white(fill: str) -> float:
    r, g, b = (float(v) for v in re.findall(r"[\d.]+", fill)[:3])
    return 1.05 / (luminance((r, g, b)) + 0.05)


def overlaps(a: list[float], b: list[float]) -> bool:
    return min(a[2], b[2]) - max(a[0], b[0]) > SLACK_PX and min(a[3], b[3]) - max(a[1], b[1]) > SLACK_PX


def outside(box: list[float], cell: list[float]) -> bool:
    return (
        box[0] < cell[0] - SLACK_PX
        or box[1] < cell[1] - SLACK_PX
        or box[2] > cell[2] + SLACK_PX
        or box[3] > cell[3] + SLACK_PX
    )


def open_jacobian(browser: Browser, app_url: str, size: str, params: dict[str, str]) -> tuple[Page, dict]:
    context = new_context(browser, viewport=SIZES[size])
    page = context.new_page()
    page.goto(f"{app_url}/jacobian?{urlencode(params)}")
    wait_for_app(page, charts=4)
    page.wait_for_function("() => document.fonts.status === 'loaded'")
    measured = page.evaluate(MEASURE_JS)
    assert measured, "no block matrix (a chart titled dY/d…) on the page"
    return page, measured


def assert_readable(measured: dict) -> None:
    numbers = measured["numbers"]
    assert len(numbers) == measured["rows"] * measured["cols"], "one number (or dot) per cell"
    small = sorted({n["size"] for n in numbers if n["size"] < 12})
    assert not small, f"numbers smaller than 12 px: {small}"
    spilled = [(n["text"], n["i"], n["j"]) for n in numbers if outside(n["box"], n["cell"])]
    assert not spilled, f"numbers running out of their cells (text, row, column): {spilled[:10]}"
    # Neighbours only: a number inside its own cell cannot reach any other.
    crowded = [
        (a["text"], b["text"], a["i"], a["j"])
        for a in numbers
        for b in numbers
        if (a["i"], a["j"]) < (b["i"], b["j"]) and abs(a["i"] - b["i"]) <= 1 and abs(a["j"] - b["j"]) <= 1
        if overlaps(a["box"], b["box"])
    ]
    assert not crowded, f"numbers drawn over each other (texts, row, column): {crowded[:10]}"
    pale = sorted({fill for fill in measured["labels"] if contrast_on_white(fill) < 4.5})
    assert not pale, f"row or column labels too pale on white: {pale}"


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(
    "params",
    [
        {"preset": "so-question"},
        {"preset": "so-question", "seed": "entry:0,0", "wrt": "B"},
        {"preset": "so-question", "lang": "zh"},
    ],
    ids=["reference", "wrt-B", "zh"],
)
def test_block_matrix_numbers_fit_their_cells(browser: Browser, app_url: str, size: str, params: dict) -> None:
    page, measured = open_jacobian(browser, app_url, size, params)
    assert measured["title"].startswith("dY/dB" if params.get("wrt") == "B" else "dY/dT")
    snap(page, f"jacobian_{'_'.join(params.values())}_{size}".replace(":", "").replace(",", ""))
    assert_readable(measured)
    page.context.close()


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(("wrt", "cols"), [("T", 8), ("B", 16)])
def test_an_8x8_link_shows_whole_blocks_that_fit_even_at_1024(browser: Browser, app_url: str, size: str, wrt, cols):
    rng = np.random.default_rng(8)
    T, B = np.round(rng.normal(size=(8, 8)), 3), np.round(rng.normal(size=(8, 8)), 3)
    params = {"T": format_matrix(T), "B": format_matrix(B), "wrt": wrt}
    page, measured = open_jacobian(browser, app_url, size, params)
    assert (measured["rows"], measured["cols"]) == (24, cols)  # 8 columns per block, none cut in half
    snap(page, f"jacobian_8x8_{wrt}_{size}")
    assert_readable(measured)
    page.context.close()
