"""The playground on a phone: a 390×844 touch screen (an iPhone 12-14's viewport), no mouse.

On a touch screen there is no hover before a tap, and plotly.js (as Streamlit bundles it) selects
a point on click from the point it last hovered: a tap on a cell of Y did nothing the first time,
and a second tap seeded whichever cell the first one had touched (ui/touch.py has the details).
Here one tap on Y[1,2] must seed that entry, and the gradients drawn must be the formulas' for it.
"""

from __future__ import annotations

import numpy as np
from playwright.sync_api import Page

from tests.helpers.browser import (
    PLAYGROUND_CHARTS,
    assert_chart_shows,
    chart,
    chart_shape,
    open_app,
    query,
    script_state_changes,
    wait_for_app,
)

SO = {"preset": "so-question", "seed": "ones"}
SO_T = np.array(
    [
        [0.8363, 0.4719, 0.9783],
        [0.3379, 0.6548, 0.3835],
        [0.7846, 0.9173, 0.2393],
        [0.5418, 0.3875, 0.4276],
        [0.0948, 0.2637, 0.8039],
    ]
)
SO_B = np.array(
    [
        [0.43842274, -0.53439844, -0.07710262],
        [1.5658046, -0.1012345, -0.2744976],
        [1.4204658, 1.2609464, -0.43640924],
    ]
)
RERUN_WAIT_MS = 8_000  # a tap's rerun starts within a second; no rerun by then means the tap was lost

# What sticks out past the right edge of the viewport: the widest elements, outermost first.
OVERFLOW_JS = """() => [...document.querySelectorAll('body *')]
  .map((e) => [e, e.getBoundingClientRect()])
  .filter(([e, r]) => r.right > document.documentElement.clientWidth + 0.5 && r.width > 0)
  .slice(0, 8)
  .map(([e, r]) => `${e.tagName.toLowerCase()}${e.dataset.testid ? '[' + e.dataset.testid + ']' : ''}`
       + `.${String(e.className?.baseVal ?? e.className).split(' ')[0]} right=${Math.round(r.right)}`)"""


def test_the_page_does_not_scroll_sideways(phone: Page, app_url: str) -> None:
    open_app(phone, app_url, SO)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width} px wide on a 390 px screen; past the edge: {phone.evaluate(OVERFLOW_JS)}"


def tap_cell(page: Page, name: str, i: int, j: int) -> None:
    """One tap at the centre of cell (i, j) of a chart, and the rerun it must start (no retry, no hover)."""
    rows, cols = chart_shape(page, name)
    plot_area = chart(page, name).locator(".nsewdrag").first
    plot_area.scroll_into_view_if_needed()
    box = plot_area.bounding_box()
    assert box is not None, f"{name}: plot area not found"
    before = script_state_changes(page)
    page.touchscreen.tap(box["x"] + box["width"] * (j + 0.5) / cols, box["y"] + box["height"] * (i + 0.5) / rows)
    page.wait_for_function(f"window.__e2eScriptStateChanges > {before}", timeout=RERUN_WAIT_MS)
    wait_for_app(page, charts=PLAYGROUND_CHARTS, after=before)


def assert_seeded_entry(page: Page, i: int, j: int) -> None:
    """The seed is "one entry" Y[i,j], and the charts show its G and the formulas' gradients."""
    assert query(page)["seed"] == f"entry:{i},{j}"
    G = np.zeros((5, 3))
    G[i, j] = 1.0
    assert_chart_shows(page, "G", G)
    assert_chart_shows(page, "dL/dT", G @ SO_B.T)
    assert_chart_shows(page, "dL/dB", SO_T.T @ G)


def test_one_tap_on_a_cell_of_Y_seeds_it(phone: Page, app_url: str) -> None:
    open_app(phone, app_url, SO)
    tap_cell(phone, "Y", 1, 2)
    assert_seeded_entry(phone, 1, 2)
    tap_cell(phone, "Y", 3, 0)  # the cell tapped, not the one tapped before (plotly's last hover)
    assert_seeded_entry(phone, 3, 0)
