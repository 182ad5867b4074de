"""/frameworks is readable on a projector, a laptop and a phone: no code is clipped, nothing scrolls sideways.

A code block that is wider than its box hides the end of its lines behind a horizontal scrollbar,
which the keyboard cannot reach (Streamlit's `pre` takes no focus). At 1024×768 (a classroom
projector, the sidebar open as Streamlit shows it there), 1440×900 and 390×844 (a phone, the
sidebar collapsed) every program's `pre` must fit its box (scrollWidth <= clientWidth) and the page
must not be wider than the window. Programs behind a tab are measured with their tab open: a hidden
`pre` has no width, so each tab is clicked in turn, and every block must have been seen.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from tests.helpers.browser import new_context, snap, wait_for_app

SIZES = {
    "projector": {"width": 1024, "height": 768},
    "laptop": {"width": 1440, "height": 900},
    "phone": {"width": 390, "height": 844},
}
SIDEBAR_OPEN = {"projector": True, "laptop": True, "phone": False}
"""What Streamlit does with the sidebar at each width on a first visit (collapsed below 768 px)."""

# Every code block's pre, numbered once; then the sizes of those now shown (a hidden one has no box).
MEASURE_JS = """() => {
  const pres = [...document.querySelectorAll('[data-testid="stCode"] pre')];
  pres.forEach((pre, i) => { pre.dataset.e2eIndex = String(i); });
  return pres
    .filter((pre) => pre.getClientRects().length > 0)
    .map((pre) => ({
      index: Number(pre.dataset.e2eIndex),
      scrollWidth: pre.scrollWidth,
      clientWidth: pre.clientWidth,
      text: pre.innerText.split("\\n")[0],
    }));
}"""


@pytest.fixture(params=list(SIZES))
def sized_page(request: pytest.FixtureRequest, browser: Browser) -> Iterator[tuple[str, Page]]:
    """A fresh session in a window of one of SIZES."""
    context = new_context(browser, viewport=SIZES[request.param])
    yield request.param, context.new_page()
    context.close()


def measure_every_code_block(page: Page) -> dict[int, dict]:
    """Each code block's widths, read while it shows: first as the page opens, then with each tab open."""
    seen = {m["index"]: m for m in page.evaluate(MEASURE_JS)}
    tabs = page.get_by_test_id("stMain").get_by_role("tab")
    for i in range(tabs.count()):
        tab = tabs.nth(i)
        tab.scroll_into_view_if_needed()
        tab.click()
        seen.update({m["index"]: m for m in page.evaluate(MEASURE_JS)})
    return seen


def test_no_code_block_is_clipped_and_the_page_never_scrolls_sideways(sized_page: tuple[str, Page], app_url: str):
    size, page = sized_page
    width = SIZES[size]["width"]
    page.goto(f"{app_url}/frameworks?preset=so-question")
    wait_for_app(page)
    sidebar = page.get_by_test_id("stSidebar")
    assert sidebar.get_attribute("data-collapsed") == ("false" if SIDEBAR_OPEN[size] else "true")
    snap(page, f"frameworks_{size}")

    blocks = measure_every_code_block(page)
    total = page.get_by_test_id("stCode").count()
    assert total >= 9 + 3  # nine programs, and what they print or raise
    assert sorted(blocks) == list(range(total)), "some code blocks were never shown"
    clipped = [
        f"{b['text']!r}: {b['scrollWidth']} px of text in a {b['clientWidth']} px box"
        for b in blocks.values()
        if b["scrollWidth"] > b["clientWidth"]
    ]
    assert not clipped, f"{len(clipped)} of {total} code blocks scroll sideways at {width} px: {clipped}"
    assert all(b["clientWidth"] > 0 for b in blocks.values())

    page_width = page.evaluate("document.documentElement.scrollWidth")
    assert page_width <= width, f"the page is {page_width} px wide in a {width} px window"
    main = page.get_by_test_id("stMain").evaluate("(main) => [main.scrollWidth, main.clientWidth]")
    assert main[0] <= main[1], f"the main area scrolls sideways: {main[0]} px in {main[1]} px"
