"""Shared helpers of the browser tests (tests/e2e) and bench/: Debian's Chromium, wait for a script
run, read the charts, click and type.

Selectors used here (Streamlit 1.67, plotly.js as bundled by it, glide-data-grid):

- app state: `[data-testid="stApp"]` with `data-test-connection-state="CONNECTED"` and
  `data-test-script-state="notRunning"`; `stSkeleton` while elements load; `stException` for a
  traceback.
- charts: `.js-plotly-plot`, in page order T, B, Y, G, dL/dT, dL/dB; title `.gtitle`; cell values
  `.textpoint text` (row-major, as the scatter trace lists them); the plot area `.nsewdrag`.
- matrix editors (ui/matrix_editor.py, in a shadow root Playwright reaches into): a table named
  by its matrix ('T', 'B', 'G', 'target'), one text input per cell labelled `T[i,j]`.
- the quiz's data editor (glide-data-grid): `[data-testid="stDataFrame"]`, its canvas
  `canvas[data-testid="data-grid-canvas"]`; header row and body rows are 35 px high.
- widgets: `stRadio`, `stSelectbox`, `stMultiSelect` by label; options of an open select are
  `[role="option"]` in the popover; alerts `stAlert`; code blocks `stCode`.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import numpy as np
from playwright.sync_api import Browser, BrowserContext, Locator, Page, Playwright, expect
from playwright.sync_api import Error as PlaywrightError

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True, "device_scale_factor": 3}
"""A phone's touch screen (an iPhone 12-14's viewport), no mouse."""
VIEWPORT = {"width": 1400, "height": 3000}  # the main area scrolls inside; tall shows it all
APP = '[data-testid="stApp"]'
RUN_TIMEOUT_MS = 90_000  # the first script run of a server imports TensorFlow
HOVER_SETTLE_MS = 300  # plotly registers a click only on a point it has seen hovered
# Keys at a person's pace in the quiz's glide-data-grid, by waiting for the page's next frame
# (`after_next_frame`):
# - glide-data-grid focuses itself in the animation frame after a click (DataFrame.js:
#   `requestAnimationFrame(() => ….focus())`). A key pressed before that frame opens the cell
#   editor, which the grid then takes the focus from: the next '.' is dropped ('1.5' became '15'
#   in 4 of 15 cells typed at once, in none typed a frame later).
# - An Enter pressed in the same frame as the last typed key often commits nothing (no run; 2 of
#   the first 5 edits in each of two tries, none of 28 with a frame between them).
AFTER_NEXT_FRAME_JS = "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"
CHARTS = ("B", "dL/dT", "dL/dB", "legend", "T", "Y", "G")
"""The playground's charts in page order: the lesson row (B, dL/dT, dL/dB), the marks' legend, then T, Y, G."""
PLAYGROUND_CHARTS = len(CHARTS)
CHART_TITLES = {
    "T": r"T \(\d+×\d+\)",
    "B": r"B \(\d+×\d+\)",
    "Y": r"Y = T @ B \(\d+×\d+\)",
    "G": r"seed G = dL/dY \(\d+×\d+\)",
    "dL/dT": r"dL/dT \(\d+×\d+\)",
    "dL/dB": r"dL/dB \(\d+×\d+\)",
}
ROW_PX = 35  # glide-data-grid row height in Streamlit (the header row too)

# Whether one websocket frame is a ForwardMsg whose `script_finished` (field 6, an enum) is set:
# the message's top-level protobuf fields are walked, skipping the others by wire type. A length is
# read into a variable before it moves the cursor: `i += varint()` would add it to the cursor as it
# was before the length was read, and land inside the field (tests/e2e/test_run_counter.py).
FINISHES_JS = """(data) => {
  if (!(data instanceof ArrayBuffer)) return false;
  const b = new Uint8Array(data);
  let i = 0;
  const varint = () => {
    let x = 0, shift = 0, c;
    do { c = b[i++]; x += (c & 0x7f) * 2 ** shift; shift += 7; } while (c & 0x80 && i < b.length);
    return x;
  };
  while (i < b.length) {
    const tag = varint(), field = Math.floor(tag / 8), wire = tag % 8;
    if (field === 6 && wire === 0) return true;
    if (wire === 0) varint();
    else if (wire === 2) { const length = varint(); i += length; }
    else if (wire === 1) i += 8;
    else if (wire === 5) i += 4;
    else return false;
  }
  return false;
}"""

# Counts every change of stApp's script state and every run the server reports finished, so a
# helper can wait for the run an action starts: the state is still "notRunning" for a moment after a
# click, before the rerun begins, and a fragment rerun can finish within one frame, so that React
# never shows "running" at all; then only its script_finished message tells that it ran.
RUN_COUNTER_JS = f"""
window.__e2eScriptStateChanges = 0;
window.__e2eRunsFinished = 0;
new MutationObserver((records) => {{ window.__e2eScriptStateChanges += records.length; }})
  .observe(document, {{subtree: true, attributes: true, attributeFilter: ["data-test-script-state"]}});
{{
  const finishes = {FINISHES_JS};
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {{
    constructor(...args) {{
      super(...args);
      this.addEventListener("message", (e) => {{
        if (finishes(e.data)) {{ window.__e2eScriptStateChanges += 1; window.__e2eRunsFinished += 1; }}
      }});
    }}
  }};
}}
"""


# --- the browser ------------------------------------------------------------------------------


def find_chromium() -> str | None:
    """Debian's Chromium (Playwright's own browser download is not used), or None when it is missing."""
    if Path("/usr/bin/chromium").exists():
        return "/usr/bin/chromium"
    return shutil.which("chromium")


def launch_chromium(playwright: Playwright, executable: str) -> Browser:
    """Chromium at `executable`, headless, with the flags every browser test and benchmark uses."""
    return playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)


def new_context(browser: Browser, **options: Any) -> BrowserContext:
    """A fresh context (a fresh Streamlit session) with the tall viewport and the run counter installed."""
    context = browser.new_context(**{"viewport": VIEWPORT, **options})
    context.add_init_script(RUN_COUNTER_JS)
    return context


# --- waiting ----------------------------------------------------------------------------------


def script_state_changes(page: Page) -> int:
    """How often the script state has changed so far; pass it to `wait_for_app(after=…)`."""
    return int(page.evaluate("window.__e2eScriptStateChanges || 0"))


def runs_finished(page: Page) -> int:
    """How many script runs (full or fragment) the server has reported finished to this page."""
    return int(page.evaluate("window.__e2eRunsFinished || 0"))


VIEWPORT_SETTLED_JS = "document.documentElement.dataset.gfViewport === 'settled'"
"""True once the server has drawn with the size the page has (every page of the app measures it)."""


def wait_for_app(page: Page, charts: int | None = None, after: int | None = None) -> None:
    """Wait like Streamlit's own e2e suite until a script run has finished and its output shows.

    Connected, then no run pending (`notRunning`), then no skeleton left. `after`: a count from
    `script_state_changes` taken before an action, so the wait first sees the run that action
    started. `charts`: also wait until exactly that many plotly charts have drawn their cells (the
    playground's legend, its labels).
    Afterwards no traceback (`stException`) may be on the page.
    """
    _wait_for_run(page, charts, after)
    _assert_no_traceback(page)
    # The page's size reaches the server after the first run and asks for one more (ui/viewport.py):
    # wait until the server has drawn with the size the page has, so no such run lands mid-test.
    if not page.evaluate(VIEWPORT_SETTLED_JS):
        page.wait_for_function(VIEWPORT_SETTLED_JS, timeout=RUN_TIMEOUT_MS)
        _wait_for_run(page, charts, None)
        _wait_until_quiet(page, charts)
        _assert_no_traceback(page)


QUIET_MS = 400
"""How long a page that has just redrawn for its size must stay without a new run to count as settled."""


def _wait_until_quiet(page: Page, charts: int | None) -> None:
    """Wait QUIET_MS, then for the page as the last run left it, until no run started meanwhile.

    The page can be marked settled, and the redraw's run reported finished over the WebSocket, a
    moment before Streamlit has put that run's charts on the page: once in twenty loads here a test
    then found 13 charts (the seven old ones and six new ones being drawn; CI: three extra charts
    without numbers, and once the lesson's charts still at their base size). Any later run (a
    second size report when the page's width moves again) is waited out the same way.
    """
    for _ in range(10):
        changes = script_state_changes(page)
        page.wait_for_timeout(QUIET_MS)
        _wait_for_run(page, charts, None)
        if script_state_changes(page) == changes:
            return


def _assert_no_traceback(page: Page) -> None:
    tracebacks = page.get_by_test_id("stException").all_inner_texts()
    assert not tracebacks, f"the app raised (see the server log): {tracebacks}"


def _wait_for_run(page: Page, charts: int | None, after: int | None) -> None:
    page.wait_for_selector(f'{APP}[data-test-connection-state="CONNECTED"]', state="attached", timeout=RUN_TIMEOUT_MS)
    if after is not None:
        page.wait_for_function(f"(window.__e2eScriptStateChanges || 0) > {after}", timeout=RUN_TIMEOUT_MS)
    page.wait_for_selector(f'{APP}[data-test-script-state="notRunning"]', state="attached", timeout=RUN_TIMEOUT_MS)
    expect(page.get_by_test_id("stSkeleton")).to_have_count(0, timeout=RUN_TIMEOUT_MS)
    if charts is not None:  # a traceback ends the wait early, to be reported below
        page.wait_for_function(
            """(n) => {
                if (document.querySelector('[data-testid="stException"]')) return true;
                const plots = document.querySelectorAll('.js-plotly-plot');
                return plots.length === n && [...plots].every((p) => p.querySelector('.textpoint text, .annotation'));
            }""",
            arg=charts,
            timeout=RUN_TIMEOUT_MS,
        )


def rerun(page: Page, action: Callable[[], None], charts: int | None = PLAYGROUND_CHARTS) -> None:
    """Do `action` (which must make the app rerun) and wait for that run to finish."""
    before = script_state_changes(page)
    action()
    wait_for_app(page, charts=charts, after=before)


def open_app(
    page: Page, base_url: str, params: dict[str, str] | None = None, charts: int | None = PLAYGROUND_CHARTS
) -> None:
    """Open the app with these query parameters (URL-encoded) and wait for its first run."""
    page.goto(base_url + (f"/?{urlencode(params)}" if params else "/"))
    wait_for_app(page, charts=charts)


def query(page: Page) -> dict[str, str]:
    """The page's current query parameters, decoded (the app keeps the URL a share link)."""
    return {key: values[-1] for key, values in parse_qs(urlsplit(page.url).query).items()}


def snap(page: Page, name: str) -> None:
    """Save a full-page screenshot to $E2E_SCREENS/name.png when that variable is set."""
    folder = os.environ.get("E2E_SCREENS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


# --- charts -----------------------------------------------------------------------------------


def chart(page: Page, name: str) -> Locator:
    """The heatmap of matrix `name`: one of the playground's CHARTS, checked by its title; on another
    page (/chain) the first chart whose title starts with the name ("dL/dW1 = Xᵀ dL/dZ (2×3)")."""
    if name not in CHARTS:
        title = page.locator(".gtitle", has_text=re.compile(rf"^{re.escape(name)}[ (=]"))
        return page.locator(".js-plotly-plot").filter(has=title).first
    locator = page.locator(".js-plotly-plot").nth(CHARTS.index(name))
    expect(locator.locator(".gtitle")).to_have_text(re.compile(CHART_TITLES[name]))
    return locator


def chart_shape(page: Page, name: str) -> tuple[int, int]:
    """(rows, columns) read from the chart's title, e.g. "dL/dT (5×3)"."""
    title = chart(page, name).locator(".gtitle").text_content() or ""
    rows, cols = re.search(r"\((\d+)×(\d+)\)", title).groups()  # type: ignore[union-attr]
    return int(rows), int(cols)


def chart_text(page: Page, name: str) -> list[list[str]]:
    """The numbers written in the chart's cells, exactly as shown, as rows of strings."""
    rows, cols = chart_shape(page, name)
    drawn = cols + 1 if "Σ" in (chart(page, name).locator(".gtitle").text_content() or "") else cols
    cells = chart(page, name).locator(".textpoint text").all_text_contents()
    assert len(cells) == rows * drawn, f"{name}: {len(cells)} cell labels for a {rows}×{cols} matrix"
    return [cells[i * drawn : i * drawn + cols] for i in range(rows)]  # without B's row sums, if drawn


def chart_row_sums(page: Page, name: str = "B") -> list[str]:
    """The row sums drawn beside a matrix (B's, with the all-ones seed), as shown."""
    rows, cols = chart_shape(page, name)
    cells = chart(page, name).locator(".textpoint text").all_text_contents()
    assert len(cells) == rows * (cols + 1), f"{name}: no row sums drawn"
    return [cells[i * (cols + 1) + cols] for i in range(rows)]


def as_number(shown: str) -> float:
    """A number as the page writes it (U+2212 minus sign) as a float."""
    return float(shown.replace("−", "-"))


def chart_values(page: Page, name: str) -> np.ndarray:
    """The chart's cell labels as numbers (4 significant digits)."""
    return np.array([[as_number(x) for x in row] for row in chart_text(page, name)])


def assert_chart_shows(page: Page, name: str, expected: np.ndarray) -> None:
    """The chart shows `expected` to the 4 significant digits its cells carry."""
    expected = np.asarray(expected, dtype=float)
    shown = chart_values(page, name)
    assert shown.shape == expected.shape, f"{name}: shape {shown.shape}, expected {expected.shape}"
    np.testing.assert_allclose(shown, expected, rtol=6e-4, atol=1e-12, err_msg=f"{name} as shown in its chart")


def drawn_columns(page: Page, name: str) -> int:
    """Columns drawn in a chart: the matrix's own, plus B's Σ column when the row sums are shown."""
    rows, _ = chart_shape(page, name)
    return chart(page, name).locator(".textpoint text").count() // rows


def click_chart_cell(page: Page, name: str, i: int, j: int, charts: int = PLAYGROUND_CHARTS) -> None:
    """Click cell (i, j) of a clickable chart and wait for the rerun it causes.

    Plotly only selects a point it has hovered, so the pointer moves there, then a pixel
    aside, then clicks. If no run starts (the click was not registered), it tries once more.
    """
    rows, _ = chart_shape(page, name)
    cols = drawn_columns(page, name)  # j may be B's Σ column, when the row sums are drawn
    box = chart(page, name).locator(".nsewdrag").first.bounding_box()
    assert box is not None, f"{name}: plot area not found"
    x = box["x"] + box["width"] * (j + 0.5) / cols
    y = box["y"] + box["height"] * (i + 0.5) / rows
    before = script_state_changes(page)
    for attempt in range(2):
        page.mouse.move(x, y)
        page.wait_for_timeout(HOVER_SETTLE_MS)
        page.mouse.move(x + 1, y)
        page.wait_for_timeout(HOVER_SETTLE_MS)
        page.mouse.click(x, y)
        try:
            page.wait_for_function(f"window.__e2eScriptStateChanges > {before}", timeout=8_000)
            break
        except PlaywrightError:
            if attempt:
                raise
    wait_for_app(page, charts=charts, after=before)
    page.mouse.move(0, 0)  # leave no hover label over the next reading


# --- widgets ----------------------------------------------------------------------------------


def choose_radio(page: Page, label: str, option: str, charts: int | None = PLAYGROUND_CHARTS) -> None:
    """Pick `option` in the radio group labelled `label`."""
    group = page.get_by_test_id("stRadio").filter(has=page.get_by_text(label, exact=True))
    rerun(page, lambda: group.get_by_text(option, exact=True).click(), charts=charts)


def selectbox(page: Page, label: str) -> Locator:
    """The input of the selectbox labelled `label`; its value is the option shown."""
    return page.get_by_test_id("stSelectbox").get_by_role("combobox", name=label, exact=True)


def choose_select(page: Page, label: str, option: str, charts: int | None = PLAYGROUND_CHARTS) -> None:
    """Open the selectbox labelled `label` and pick the option shown as `option`."""
    selectbox(page, label).click()
    option_locator = page.locator('[role="option"]').filter(has_text=re.compile(f"^{re.escape(option)}$"))
    rerun(page, lambda: option_locator.click(), charts=charts)


# --- matrix editors ---------------------------------------------------------------------------


def editor(page: Page, name: str) -> Locator:
    """The matrix editor of `name` ('T', 'B', 'G' in custom-weights mode, 'target' on /losses)."""
    return page.get_by_role("table", name=name, exact=True)


def cell(page: Page, name: str, i: int, j: int) -> Locator:
    """The text input of cell (i, j) of matrix `name`'s editor."""
    return page.get_by_label(f"{name}[{i},{j}]", exact=True)


def type_in_cell(page: Page, name: str, i: int, j: int, value: str) -> None:
    """Click cell (i, j) of an editor and replace what it holds by `value`, typed; no Enter yet."""
    box = cell(page, name, i, j)
    box.click()
    box.press("ControlOrMeta+a")
    if value:
        page.keyboard.type(value)
    else:
        page.keyboard.press("Delete")
    expect(box).to_have_value(value)


def type_into_cell(page: Page, name: str, i: int, j: int, value: str, charts: int | None = PLAYGROUND_CHARTS) -> None:
    """Replace cell (i, j) of an editor with `value` the way a student does, and wait for the rerun.

    Enter sends the cell at once (the editor has no debounce) and moves down a row.
    """
    type_in_cell(page, name, i, j, value)
    rerun(page, lambda: page.keyboard.press("Enter"), charts=charts)


def after_next_frame(page: Page) -> None:
    """Return once the page has drawn the next frame: what a click scheduled for it has run."""
    page.evaluate(AFTER_NEXT_FRAME_JS)


# --- text on the page -------------------------------------------------------------------------


def markdown_texts(page: Page) -> list[str]:
    """Every markdown block's visible text (titles, sentences, alerts' bodies)."""
    return [t.strip() for t in page.get_by_test_id("stMarkdownContainer").all_inner_texts()]


def code_text(page: Page) -> str:
    """The TensorFlow program shown under "The same in TensorFlow"."""
    blocks = page.get_by_test_id("stCode").all_inner_texts()
    programs = [b for b in blocks if "import tensorflow as tf" in b]
    assert len(programs) == 1, f"expected one TensorFlow program, found {len(programs)}"
    return programs[0]
