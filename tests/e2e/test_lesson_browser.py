"""The playground's lesson in a real browser: what a class sees on the first screen, and how it reads.

- the lesson (the sentence, the editors, B → dL/dT) fits the first screen of a 1024×768 projector
  and of a 1440×900 laptop without scrolling;
- every number drawn on a cell contrasts at least 4.5:1 with the cell, read from a screenshot;
- the stepper walks the picked entry's sum term by term, framing exactly the current term's cells;
- a click on B's row sum frames (dotted) that row of B and the column of dL/dT it becomes, and so
  does the pointer resting on it (in the browser alone, ui/link_hover.py), or on that column;
- after an edit of T, the changed cells carry corner marks and the page says dL/dT could not change;
- the presenter view (`present=1`): sidebar folded, bigger numbers (ui.present.FONT), the check and code folded.

Marks are read from the charts' own layout (`gd.layout.shapes`), not from pixels; numbers are
computed here from core.presets and compared with the text the page draws.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any

import numpy as np
from PIL import Image
from playwright.sync_api import Browser, BrowserContext, Page, expect

from core.explain import fmt
from core.figures import contrast, heatmap_text
from core.presets import PRESETS
from tests.helpers.browser import (
    CHARTS,
    PLAYGROUND_CHARTS,
    chart,
    chart_row_sums,
    chart_shape,
    chart_text,
    click_chart_cell,
    drawn_columns,
    new_context,
    rerun,
    script_state_changes,
    snap,
    type_into_cell,
    wait_for_app,
)
from ui import present

SO = PRESETS["so-question"]
SO_T, SO_B = np.array(SO.T), np.array(SO.B)
ROW_SUMS = [heatmap_text(x) for x in SO_B.sum(axis=1)]  # as the cells write them
SENTENCE = "Every row of dL/dT is B's row sums: −0.1731, 1.19, 2.245."
VARIED = {  # a link whose cells run from −3 to 3: light and dark blues and reds, and white
    "T": "-3,-1.5,0.25;0.5,2,3;-2.25,1,-0.75;1.5,-0.3,2.7",
    "B": "3,-3,1.2;-0.6,2.4,-1.8;0.3,-2.7,1.5",
}
SCREENS = {"projector": {"width": 1024, "height": 768}, "laptop": {"width": 1440, "height": 900}}
MATRIX_CHARTS = ("B", "dL/dT", "dL/dB", "T", "Y", "G")

# --- waiting for the playground ---------------------------------------------------------------


def wait_drawn(page: Page, after: int | None = None) -> None:
    """Wait for a script run (the one after `after`, if given), then for the seven charts to draw."""
    wait_for_app(page, charts=PLAYGROUND_CHARTS, after=after)


def open_page(page: Page, url: str) -> None:
    page.goto(url)
    wait_drawn(page)


def fresh_page(browser: Browser, viewport: dict[str, int]) -> tuple[BrowserContext, Page]:
    """A new context (a new Streamlit session, default sidebar state) at this viewport."""
    context = new_context(browser, viewport=viewport)
    return context, context.new_page()


def act(page: Page, action: Callable[[], None]) -> None:
    """Do something that reruns the page (or its fragment) and wait until the charts are drawn again."""
    rerun(page, action, charts=None)
    wait_drawn(page)


def until(read: Callable[[], Any], expected: Any, page: Page, timeout_ms: int = 10_000) -> Any:
    """Read until the value is `expected` (plotly redraws a moment after a run ends); return the last read."""
    waited = 0
    value = read()
    while value != expected and waited < timeout_ms:
        page.wait_for_timeout(100)
        waited += 100
        value = read()
    return value


# --- reading the charts -----------------------------------------------------------------------


def shapes(page: Page, name: str) -> list[dict]:
    """The chart's Plotly shapes, from the chart's own layout in the DOM."""
    index = CHARTS.index(name)
    chart(page, name)  # checks the title: the right chart
    return page.evaluate(f"() => document.querySelectorAll('.js-plotly-plot')[{index}].layout.shapes || []")


def framed(page: Page, name: str, width: float, dash: str) -> set[tuple[int, int]]:
    """The cells (row, column) of a chart framed with a line of this width and dash."""
    cells = set()
    for s in shapes(page, name):
        line = s.get("line") or {}
        if s.get("type") == "rect" and line.get("width") == width and line.get("dash", "solid") == dash:
            cells.add(_cell_of(s))
    return cells


def dotted(page: Page, name: str) -> set[tuple[int, int]]:
    """The cells of a chart framed with a dotted line (a followed row sum and the column it becomes)."""
    return {_cell_of(s) for s in shapes(page, name) if (s.get("line") or {}).get("dash") == "dot"}


def _cell_of(shape: dict) -> tuple[int, int]:
    return round((shape["y0"] + shape["y1"]) / 2), round((shape["x0"] + shape["x1"]) / 2)


PATH_POINT = re.compile(r"(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)")


def corner_marks(page: Page, name: str) -> set[tuple[int, int]]:
    """The cells with a filled triangle in their top-right corner (a cell the last edit changed)."""
    cells = set()
    for s in shapes(page, name):
        if s.get("type") != "path":
            continue
        (x, top), (x2, _), _ = [(float(a), float(b)) for a, b in PATH_POINT.findall(s["path"])]
        if x2 < x:  # drawn leftwards from the cell's right edge: the top-right corner
            i, j = round(top + 0.5), round(x - 0.5)
            assert abs(top - (i - 0.5)) < 1e-9 and abs(x - (j + 0.5)) < 1e-9, f"{name}: corner mark off a cell {s}"
            cells.add((i, j))
    return cells


def inside(box: dict[str, float] | None, viewport: dict[str, int]) -> bool:
    return (
        box is not None
        and box["x"] >= 0
        and box["y"] >= 0
        and box["x"] + box["width"] <= viewport["width"]
        and box["y"] + box["height"] <= viewport["height"]
    )


CELL_TEXTS_JS = """(plot) => ({
  area: (() => { const r = plot.querySelector('.nsewdrag').getBoundingClientRect();
                 return {x: r.x, y: r.y, width: r.width, height: r.height}; })(),
  texts: [...plot.querySelectorAll('.textpoint text')].map((t) => {
    const r = t.getBoundingClientRect();
    return {text: t.textContent, fill: getComputedStyle(t).fill, size: getComputedStyle(t).fontSize,
            x: r.x, y: r.y, width: r.width, height: r.height};
  }),
})"""


def cell_texts(page: Page, name: str) -> dict:
    """The chart's plot area and each cell number's text, fill, font size and box (viewport pixels)."""
    return chart(page, name).evaluate(CELL_TEXTS_JS)


def rgb(css: str) -> np.ndarray:
    found = re.fullmatch(r"rgba?\((\d+), (\d+), (\d+)(?:, [\d.]+)?\)", css.strip())
    assert found, f"not an rgb() colour: {css!r}"
    return np.array([float(v) for v in found.groups()])


# --- 1. the lesson fits the first screen --------------------------------------------------------


def test_the_lesson_is_on_the_first_screen(browser: Browser, app_url: str) -> None:
    for screen, viewport in SCREENS.items():
        context, page = fresh_page(browser, viewport)
        try:
            open_page(page, app_url + "/")
            snap(page, f"lesson_first_screen_{screen}")
            drawn = cell_texts(page, "dL/dT")
            assert [t["text"] for t in drawn["texts"]] == ROW_SUMS * 5, screen
            assert ROW_SUMS == ["−0.1731", "1.19", "2.245"]
            outside = [
                (t["text"], t["x"], t["y"], t["width"], t["height"]) for t in drawn["texts"] if not inside(t, viewport)
            ]
            assert not outside, f"{screen} {viewport}: numbers of dL/dT below or beside the first screen: {outside}"

            sentence = page.get_by_test_id("stAlert").filter(has_text=SENTENCE)
            expect(sentence).to_have_count(1)
            assert sentence.inner_text().strip().endswith(SENTENCE), sentence.inner_text()
            assert inside(sentence.bounding_box(), viewport), f"{screen}: the sentence at {sentence.bounding_box()}"
            if screen == "projector":  # the default sidebar state at 1024 px: open
                expect(page.get_by_test_id("stSidebar")).to_be_visible()
            for name in ("T", "B"):
                box = page.get_by_role("table", name=name, exact=True).bounding_box()
                assert inside(box, viewport), f"{screen}: the editor of {name} at {box}"
            if screen == "laptop":
                box = chart(page, "dL/dB").bounding_box()
                assert inside(box, viewport), f"{screen}: dL/dB at {box}"
        finally:
            context.close()


# --- 2. contrast of every number with its cell, read from a screenshot --------------------------


def background_of(image: Image.Image, cell: dict[str, float], text: dict[str, float]) -> np.ndarray:
    """The cell's colour: the colour of most pixels of its lower half, away from the frame and the number.

    Left out: a margin along the cell's edges as wide as the widest frame reaches (frames sit 6 % inside
    a cell and are 3 to 5 px wide; the 1 px gaps and the row sums' separator lie there too), the top
    half (the corner triangles) and the number's box grown by 1 px. What is left must be mostly one colour.
    """
    w, h = cell["right"] - cell["x"], cell["bottom"] - cell["y"]
    left, right = cell["x"] + 0.06 * w + 3.5, cell["right"] - 0.06 * w - 3.5
    top, bottom = cell["y"] + h / 2, cell["bottom"] - 0.06 * h - 3.5
    box = (round(left), round(top), round(right), round(bottom))
    pixels = np.array(image.crop(box).convert("RGB"), dtype=int)
    ys, xs = np.mgrid[box[1] : box[3], box[0] : box[2]]
    off_text = ~(
        (xs >= text["x"] - 1)
        & (xs <= text["x"] + text["width"] + 1)
        & (ys >= text["y"] - 1)
        & (ys <= text["y"] + text["height"] + 1)
    )
    kept = pixels[off_text]
    assert len(kept) >= 9, (cell, text, "no room beside the number")
    colours, counts = np.unique(kept, axis=0, return_counts=True)
    assert counts.max() >= 0.6 * len(kept), f"no flat cell colour around the number: {colours.tolist()} × {counts}"
    return colours[counts.argmax()].astype(float)


def contrasts(page: Page, name: str) -> list[tuple[str, float, list[int], str]]:
    """(number, contrast, cell colour, text colour) of each number drawn on the chart."""
    chart(page, name).scroll_into_view_if_needed()
    page.mouse.move(0, 0)  # no hover label over a cell
    drawn = cell_texts(page, name)
    area, texts = drawn["area"], drawn["texts"]
    rows, _ = chart_shape(page, name)
    cols = len(texts) // rows
    viewport = page.viewport_size
    assert viewport is not None
    assert inside(area, viewport), f"{name}: plot area {area} not on screen after scrolling"
    image = Image.open(io.BytesIO(page.screenshot()))
    found = []
    for index, text in enumerate(texts):
        i, j = divmod(index, cols)
        w, h = area["width"] / cols, area["height"] / rows
        cell = {"x": area["x"] + j * w, "right": area["x"] + (j + 1) * w}
        cell |= {"y": area["y"] + i * h, "bottom": area["y"] + (i + 1) * h}
        assert cell["x"] <= text["x"] and text["x"] + text["width"] <= cell["right"], f"{name}[{i},{j}] spills over"
        back, ink = background_of(image, cell, text), rgb(text["fill"])
        found.append((text["text"], contrast(back, ink), back.round().astype(int).tolist(), text["fill"]))
    return found


def test_every_number_contrasts_with_its_cell(browser: Browser, app_url: str) -> None:
    viewport = SCREENS["projector"]
    for label, link in (("so-question", "/"), ("varied", "/?T={T}&B={B}".format(**VARIED))):
        context, page = fresh_page(browser, viewport)
        try:
            open_page(page, app_url + link)
            if label == "varied":
                assert chart_text(page, "T")[0] == ["−3", "−1.5", "0.25"]
                assert chart_text(page, "B")[0] == ["3", "−3", "1.2"]
            weak, seen = [], 0
            for name in MATRIX_CHARTS:
                for text, ratio, back, ink in contrasts(page, name):
                    seen += 1
                    if ratio < 4.5:
                        weak.append(f"{name} {text!r}: {ratio:.2f}:1 ({ink} on rgb{tuple(back)})")
            assert seen == {"so-question": 12 + 15 + 9 + 15 + 15 + 15, "varied": 12 + 12 + 9 + 12 + 12 + 12}[label]
            assert not weak, f"{label}: numbers below 4.5:1 against their cells: {weak}"
        finally:
            context.close()


# --- 3. the stepper walks every term --------------------------------------------------------------


def test_the_stepper_walks_every_term_of_the_sum(browser: Browser, app_url: str) -> None:
    context, page = fresh_page(browser, {"width": 1400, "height": 3000})
    try:
        open_page(page, app_url + "/?preset=so-question&focus=dT:0,0")
        totals, total = [], 0.0
        for q in range(3):  # dL/dT[0,0] = Σ_q G[0,q]·B[0,q], G all ones: B[0,:]'s partial sums
            total += 1.0 * float(SO_B[0, q])
            totals.append(fmt(total))
        assert totals == ["0.43842274", "−0.0959757", "−0.17307832"]

        step_text = page.get_by_test_id("stMarkdownContainer").filter(has_text=re.compile(r"^Term \d+ of \d+:"))
        expect(step_text).to_have_count(0)
        assert framed(page, "G", 5, "solid") == set() and framed(page, "B", 5, "solid") == set()
        act(page, lambda: page.get_by_role("button", name="Step through the sum").click())
        nxt = page.get_by_role("button", name="Next term ▶")
        prev = page.get_by_role("button", name="◀ Previous term")
        for p in (1, 2, 3):
            expect(step_text).to_have_count(1)
            expect(step_text).to_contain_text(
                re.compile(rf"^Term {p} of 3: .* Running total: {re.escape(totals[p - 1])}\.$")
            )
            term = {(0, p - 1)}  # G[0,p-1]·B[0,p-1]
            g = until(lambda: framed(page, "G", 5, "solid"), term, page)
            b = until(lambda: framed(page, "B", 5, "solid"), term, page)
            assert (g, b) == (term, term), f"term {p}: heavy cells G {g}, B {b}"
            dashed_B = {(0, q) for q in range(3)} - term  # the other terms stay dashed
            assert framed(page, "B", 3, "dash") == dashed_B, f"term {p}"
            (expect(prev).to_be_disabled if p == 1 else expect(prev).to_be_enabled)()
            if p < 3:
                expect(nxt).to_be_enabled()
                act(page, nxt.click)
        expect(nxt).to_be_disabled()
        expect(page.get_by_test_id("stAlert").filter(has_text="All 3 terms added")).to_contain_text(
            "dL/dT[0,0] = −0.17307832"
        )
        snap(page, "lesson_stepper_last_term")

        act(page, lambda: page.get_by_role("button", name="Whole sum").click())
        expect(step_text).to_have_count(0)
        expect(page.get_by_role("button", name="Step through the sum")).to_be_visible()
        expect(nxt).to_have_count(0)
        assert until(lambda: framed(page, "G", 5, "solid"), set(), page) == set()
        assert framed(page, "B", 5, "solid") == set()
        assert framed(page, "B", 3, "dash") == {(0, 0), (0, 1), (0, 2)}
        assert framed(page, "dL/dT", 5, "solid") == {(0, 0)}  # the picked entry itself
    finally:
        context.close()


# --- 4. a row sum of B becomes a column of dL/dT -------------------------------------------------


def test_clicking_a_row_sum_frames_its_row_and_column(browser: Browser, app_url: str) -> None:
    context, page = fresh_page(browser, {"width": 1400, "height": 3000})
    try:
        open_page(page, app_url + "/")
        assert chart_row_sums(page, "B") == ROW_SUMS
        assert chart_text(page, "dL/dT") == [ROW_SUMS] * 5
        assert drawn_columns(page, "B") == 4
        assert dotted(page, "B") == set() and dotted(page, "dL/dT") == set()

        click_chart_cell(page, "B", 1, 3)  # B's Σ cell in row 1
        snap(page, "lesson_row_sum_1")
        expected_B = {(1, 0), (1, 1), (1, 2), (1, 3)}
        expected_dT = {(i, 1) for i in range(5)}
        assert until(lambda: dotted(page, "B"), expected_B, page) == expected_B
        assert until(lambda: dotted(page, "dL/dT"), expected_dT, page) == expected_dT
        assert dotted(page, "dL/dB") == set()
        assert [row[1] for row in chart_text(page, "dL/dT")] == [chart_row_sums(page, "B")[1]] * 5 == ["1.19"] * 5
    finally:
        context.close()


HOVER_FRAMES_JS = """() => {
  const out = {};
  document.querySelectorAll('.gf-link-hover').forEach((el) => {
    const title = el.closest('.js-plotly-plot').querySelector('.gtitle').textContent;
    const name = title.startsWith('dL/dT') ? 'dL/dT' : title.split(' ')[0];
    (out[name] = out[name] || []).push({cell: el.dataset.cell, box: el.getBoundingClientRect().toJSON()});
  });
  return out;
}"""


def hover(page: Page, name: str, i: int, j: int) -> dict[str, set[tuple[int, int]]]:
    """Rest the pointer on cell (i, j) of chart `name`; the hover frames drawn, per chart, each checked
    to lie inside the cell it names."""
    cols, (rows, _) = drawn_columns(page, name), chart_shape(page, name)
    box = chart(page, name).locator(".nsewdrag").first.bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] * (j + 0.5) / cols, box["y"] + box["height"] * (i + 0.5) / rows
    page.mouse.move(x, y)
    page.mouse.move(x + 1, y)
    page.wait_for_timeout(HOVER_MS)
    frames: dict[str, set[tuple[int, int]]] = {}
    for chart_name, drawn in page.evaluate(HOVER_FRAMES_JS).items():
        area = chart(page, chart_name).locator(".nsewdrag").first.bounding_box()
        n_cols, (n_rows, _) = drawn_columns(page, chart_name), chart_shape(page, chart_name)
        w, h = area["width"] / n_cols, area["height"] / n_rows
        for frame in drawn:
            a, b = map(int, frame["cell"].split(","))
            left, top = area["x"] + b * w, area["y"] + a * h
            f = frame["box"]
            assert left - 1 <= f["left"] and f["right"] <= left + w + 1, (chart_name, a, b, f)
            assert top - 1 <= f["top"] and f["bottom"] <= top + h + 1, (chart_name, a, b, f)
            frames.setdefault(chart_name, set()).add((a, b))
    return frames


HOVER_MS = 400


def test_hovering_a_row_of_B_frames_the_column_of_dT_it_becomes(browser: Browser, app_url: str) -> None:
    context, page = fresh_page(browser, SCREENS["projector"])
    try:
        open_page(page, app_url + "/")
        runs = script_state_changes(page)
        assert hover(page, "B", 1, 3) == {"B": {(1, 0), (1, 1), (1, 2), (1, 3)}, "dL/dT": {(i, 1) for i in range(5)}}
        snap(page, "lesson_hover_row_sum_1")
        # and back: a cell of dL/dT frames the row of B it is made of
        assert hover(page, "dL/dT", 3, 2) == {
            "B": {(2, 0), (2, 1), (2, 2), (2, 3)},
            "dL/dT": {(i, 2) for i in range(5)},
        }
        assert hover(page, "dL/dB", 0, 0) == {}  # dL/dB is no part of this link
        page.mouse.move(2, 2)
        page.wait_for_timeout(HOVER_MS)
        assert page.evaluate(HOVER_FRAMES_JS) == {}
        assert script_state_changes(page) == runs  # all in the browser: no rerun
        # a one-entry seed: row 2 of dL/dT is column 0 of B, so B[1,0] alone becomes dL/dT[2,1]
        open_page(page, app_url + "/?seed=entry:2,0")
        assert hover(page, "B", 1, 0) == {"B": {(1, 0)}, "dL/dT": {(2, 1)}}
        assert hover(page, "B", 1, 2) == {}
    finally:
        context.close()


# --- 5. what an edit changed ---------------------------------------------------------------------


def test_an_edit_of_T_marks_what_changed_and_says_dT_did_not(browser: Browser, app_url: str) -> None:
    context, page = fresh_page(browser, {"width": 1400, "height": 3000})
    try:
        open_page(page, app_url + "/")
        for name in ("T", "Y", "dL/dT"):
            assert corner_marks(page, name) == set(), name
        same = page.get_by_test_id("stCaptionContainer").filter(has_text="did not change")
        expect(same).to_have_count(0)

        before = script_state_changes(page)
        type_into_cell(page, "T", 1, 1, "2", charts=None)
        wait_drawn(page, after=before)
        snap(page, "lesson_edited_T_1_1")
        expect(same).to_have_text("dL/dT did not change: dL/dT = G @ Bᵀ has no T in it.")
        assert chart_text(page, "T")[1] == ["0.3379", "2", "0.3835"]
        assert chart_text(page, "dL/dT") == [ROW_SUMS] * 5
        assert until(lambda: corner_marks(page, "T"), {(1, 1)}, page) == {(1, 1)}
        assert corner_marks(page, "Y") == {(1, 0), (1, 1), (1, 2)}
        assert corner_marks(page, "dL/dT") == set()
        assert corner_marks(page, "B") == set() and corner_marks(page, "G") == set()
    finally:
        context.close()


# --- 6. the presenter view ------------------------------------------------------------------------


def test_the_presenter_view(browser: Browser, app_url: str) -> None:
    viewport = SCREENS["projector"]
    context, page = fresh_page(browser, viewport)
    try:
        open_page(page, app_url + "/?present=1")
        snap(page, "lesson_presenter")
        sidebar = page.get_by_test_id("stSidebar")  # Streamlit 1.67 sets no aria-expanded: folded is hidden
        assert sidebar.get_attribute("aria-expanded") in (None, "false")
        expect(sidebar).to_be_hidden()  # at 1024 px the sidebar is open by default (test 1's screen shows it)
        drawn = cell_texts(page, "dL/dT")
        assert {t["size"] for t in drawn["texts"]} == {f"{present.FONT}px"}
        off_screen = [t["text"] for t in drawn["texts"] if not inside(t, viewport)]
        assert not off_screen, f"the projector shows dL/dT only after scrolling: {off_screen}"
        assert chart_text(page, "dL/dT") == [ROW_SUMS] * 5
        more = page.get_by_test_id("stExpander").filter(has_text="Check, code and numbers")
        expect(more).to_have_count(1)
        expect(more.locator("details")).to_have_count(1)
        assert more.locator("details").get_attribute("open") is None, "the check and code are unfolded"
        expect(more.get_by_test_id("stCode").first).to_be_hidden()
        share = page.get_by_test_id("stCode").last
        expect(share).to_contain_text("present=1")
        expect(share).not_to_contain_text("import tensorflow")
    finally:
        context.close()

    context, page = fresh_page(browser, viewport)
    try:
        open_page(page, app_url + "/?present=banana")
        warning = page.get_by_test_id("stAlert").filter(has_text="“present”")
        expect(warning).to_have_count(1)
        expect(warning).to_contain_text("“banana” is not one of the choices: 0, 1.")
        expect(page.get_by_test_id("stException")).to_have_count(0)
        sizes = {t["size"] for t in cell_texts(page, "dL/dT")["texts"]}
        assert sizes == {"16px"}, sizes
        assert "present" not in page.url
    finally:
        context.close()
