"""axe-core on every page, in English and Chinese, at a desktop and a phone size: no WCAG 2.1 A/AA violation.

Issue 19. axe-core (pinned in the Makefile, `make axe` puts it at .axe/axe.min.js) is injected into
each page once its run is over and its charts are drawn, with every expander opened (the code
blocks are in them), and run with the rules tagged wcag2a, wcag2aa, wcag21a and wcag21aa. A
violation fails the test with its rule, the elements (axe's CSS selector) and, for colour contrast,
the two colours and their ratio.

Every chart must also be named (role=figure with an aria-label such as "dL/dT, 5 by 3", ui/a11y.py),
and every heatmap hold its numbers as a table. The last tests: the keyboard path to T[0,0], and a
chart's table opened from the keyboard shows the chart's numbers.

One server for the module; each case is a fresh page load (a fresh Streamlit session) in a context
of its size.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.helpers.browser import PLAYGROUND_CHARTS, after_next_frame, new_context, rerun, snap, wait_for_app
from tests.helpers.paths import ROOT

AXE = ROOT / ".axe" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
LANGS = ("en", "zh")

# (url path, share-link parameters, heatmaps drawn once the run is over, lazy expanders) per page of app.py
PAGES: dict[str, tuple[str, dict[str, str], int | None, bool]] = {
    "playground": ("", {"preset": "so-question", "focus": "dT:0,1"}, PLAYGROUND_CHARTS, True),
    "jacobian": ("jacobian", {"preset": "so-question"}, 4, False),
    "losses": ("losses", {"preset": "so-question"}, 6, False),
    "pitfalls": ("pitfalls", {"preset": "so-question"}, None, False),
    "frameworks": ("frameworks", {"preset": "so-question"}, None, False),
    "quiz": ("quiz", {"q": "42"}, 3, False),
    "chain": ("chain", {"preset": "dead-relu"}, 14, False),  # no b2: no dL/db2 chart
}

RUN_AXE_JS = """(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})
  .then((results) => results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => ({
      target: n.target.join(' '),
      data: (n.any.concat(n.all, n.none).find((check) => check.data && check.data.fgColor) || {}).data || null,
    })),
  })))"""

SHOWN_NODES = 12  # per rule in a failure message; the count says how many more there are


def describe(violations: list[dict[str, Any]]) -> str:
    """The violations, one rule a paragraph: id, count, help, then each element with its colours."""
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}, {len(v['nodes'])} elements): {v['help']}")
        for node in v["nodes"][:SHOWN_NODES]:
            data = node["data"]
            colours = (
                f"  text {data['fgColor']} on {data['bgColor']}, {data['contrastRatio']}:1"
                f" (needs {data['expectedContrastRatio']}, {data['fontSize']} {data['fontWeight']})"
                if data
                else ""
            )
            lines.append(f"    {node['target']}{colours}")
        if len(v["nodes"]) > SHOWN_NODES:
            lines.append(f"    … and {len(v['nodes']) - SHOWN_NODES} more")
    return "\n".join(lines)


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.exists():
        reason = f"{AXE.relative_to(ROOT)} is missing: `make axe` downloads the pinned axe-core"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return AXE.read_text()


@pytest.fixture(scope="module")
def warm(browser: Browser, app_url: str) -> str:
    """The server, once its first run (TensorFlow's import) is over and the pages are registered."""
    context = new_context(browser)
    page = context.new_page()
    page.goto(app_url + "/")
    wait_for_app(page, charts=PLAYGROUND_CHARTS)
    context.close()
    return app_url


@pytest.fixture(params=list(SIZES))
def sized_page(request: pytest.FixtureRequest, browser: Browser) -> Iterator[Page]:
    context = new_context(browser, viewport=SIZES[request.param])
    page = context.new_page()
    yield page
    context.close()


def open_every_expander(page: Page, charts: int | None, lazy: bool) -> None:
    """Open each closed expander; a lazy one reruns the page to fill itself."""
    for details in page.get_by_test_id("stExpander").locator("details").all():
        if details.get_attribute("open") is not None:
            continue
        summary = details.locator("> summary")
        if lazy:
            rerun(page, summary.click, charts=charts)
        else:
            summary.click()
        expect(details).to_have_attribute("open", "")
    expect(page.locator('[data-testid="stExpander"] details:not([open])')).to_have_count(0)
    wait_for_app(page, charts=charts)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", list(PAGES))
def test_no_wcag_violations(sized_page: Page, warm: str, axe_source: str, name: str, lang: str) -> None:
    page = sized_page
    path, params, charts, lazy = PAGES[name]
    page.goto(f"{warm}/{path}?{urlencode(params | {'lang': lang})}")
    wait_for_app(page, charts=charts)
    open_every_expander(page, charts, lazy)
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans" if lang == "zh" else "en")
    after_next_frame(page)  # ui/a11y.py's script marks the scrollable regions in an animation frame
    if name == "playground":  # the written-out sum is read out when another entry is picked
        expect(page.locator(".st-key-live_sum")).to_have_attribute("aria-live", "polite")
        expect(page.locator(".st-key-live_sum")).to_contain_text("dL/dT[0,1]")
    charts_named = page.locator(".js-plotly-plot").evaluate_all(
        "(charts) => charts.map((c) => [c.getAttribute('role'), c.getAttribute('aria-label')])"
    )
    assert all(role == "figure" and label for role, label in charts_named), f"a chart without a name: {charts_named}"
    for chart in page.locator(".js-plotly-plot").all():  # every heatmap's numbers as a table inside it
        if chart.evaluate("(c) => Boolean(c.layout.meta && c.layout.meta.table)"):
            expect(chart.locator("details.gradflow-numbers > table th[scope=row]").first).to_be_attached()
    page.add_script_tag(content=axe_source)
    violations = page.evaluate(RUN_AXE_JS, TAGS)
    if violations:
        pytest.fail(f"/{path} in {lang}:\n{describe(violations)}", pytrace=False)


# --- the keyboard ----------------------------------------------------------------------------------

DEEP_FOCUS_JS = """() => {
  let e = document.activeElement;
  while (e && e.shadowRoot && e.shadowRoot.activeElement) e = e.shadowRoot.activeElement;
  const style = getComputedStyle(e);
  return {label: e.getAttribute('aria-label'), testid: e.getAttribute('data-testid'),
          outline: [style.outlineStyle, style.outlineWidth, style.outlineColor]};
}"""


@pytest.mark.parametrize("size", list(SIZES))
def test_tab_from_a_fresh_load_reaches_T00_in_four_presses_with_the_focus_visible(
    browser: Browser, warm: str, size: str
) -> None:
    context = new_context(browser, viewport=SIZES[size])
    page = context.new_page()
    try:
        page.goto(f"{warm}/?preset=so-question")
        wait_for_app(page, charts=PLAYGROUND_CHARTS)
        page.keyboard.press("Tab")
        focused = page.evaluate(DEEP_FOCUS_JS)
        assert focused["testid"] == "stSkipToContent", focused
        assert focused["outline"] == ["solid", "3px", "rgb(0, 84, 163)"], focused  # ui/a11y.py's ring, 7.5:1
        page.keyboard.press("Enter")  # to the main area
        presses = 1
        while page.evaluate(DEEP_FOCUS_JS)["label"] != "T[0,0]":
            assert presses < 4, f"T[0,0] not reached in four presses of Tab; at {page.evaluate(DEEP_FOCUS_JS)}"
            page.keyboard.press("Tab")
            presses += 1
    finally:
        context.close()


def test_a_charts_table_opens_from_the_keyboard_with_the_charts_numbers(browser: Browser, warm: str) -> None:
    context = new_context(browser, viewport=SIZES["desktop"])
    page = context.new_page()
    try:
        page.goto(f"{warm}/?preset=so-question&focus=dT:0,1")
        wait_for_app(page, charts=PLAYGROUND_CHARTS)
        chart = page.locator(".js-plotly-plot").filter(has=page.locator(".gtitle", has_text="dL/dT")).first
        # its name says which widget does from the keyboard what a click on it does
        name = "dL/dT, 5 by 3; a click on a cell does what “Gradient entry” does from the keyboard"
        expect(chart).to_have_attribute("aria-label", name)
        expect(page.get_by_role("combobox", name="Gradient entry", exact=True)).to_be_attached()
        box = chart.locator("details.gradflow-numbers")
        summary = box.locator("summary")
        expect(summary).to_have_text("dL/dT, 5 by 3: the numbers as a table")
        summary.focus()
        expect(summary).to_be_visible()  # out of sight until the keyboard reaches it
        page.keyboard.press("Enter")
        expect(box).to_have_attribute("open", "")
        table = box.locator("table")
        expect(table).to_be_visible()
        expect(table.locator("caption")).to_have_text(name)
        expect(table.locator("thead th")).to_have_text(["0", "1", "2"])
        expect(table.locator("tbody th")).to_have_text(["0", "1", "2", "3", "4"])
        shown = chart.locator(".textpoint text").all_text_contents()
        cells = [re.sub(r" \(.*\)$", "", c) for c in table.locator("tbody td").all_text_contents()]
        assert cells == shown  # the numbers exactly as the chart writes them
        assert "(picked entry (or the term being added))" in table.locator("tbody tr").first.inner_text()
        snap(page, "axe-table-open")
    finally:
        context.close()
