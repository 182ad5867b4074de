"""A student's first visit: from opening the link to the first heatmap's numbers on screen, cold cache.

    .venv/bin/python bench/first_chart_bench.py [--pairs 7] [--goal-ratio 1.1] [--viewport 1440x900]
        [--workers N] [--python PATH] [--server-option=... ...]

Starts Gradflow the way `make run` does (bench/ws_client.py's Server: `python serve.py`, one worker
per usable CPU) and, beside it, the floor: a Streamlit page that draws one Plotly heatmap with its
numbers (ws_client.HEATMAP_SCRIPT, plain Streamlit, the same config), which is what any Streamlit
page with a chart costs a browser: Streamlit's JavaScript, Plotly's chunk, a websocket and one run.
Both servers stay up; the visits are interleaved in pairs, the order alternating from pair to pair,
and every visit is a new Chromium context (an empty cache, as a student's first visit). A visit is
timed from navigation start to the animation frame in which a heatmap first shows numbers in its
cells; the app's time is also given to the frame in which all its charts have drawn their numbers
(informative). The figure judged is the median over the pairs of the app's time divided by the
floor's in the same pair, so a machine that slows down for a while slows both sides of a pair.
Prints every pair, the medians and the verdict; exits 1 when the median ratio misses `--goal-ratio`.
A benchmark, not a test: `make test` never runs it. Needs Chromium (`make chromium`).
"""

from __future__ import annotations

import argparse
import statistics
import sys

from playwright.sync_api import Browser, sync_playwright
from ws_client import Server, add_server_arguments, machine_line

from tests.helpers.browser import CHARTS, find_chromium, launch_chromium

TIMEOUT_MS = 120_000
# Marks, in ms since navigation start, the first frame in which a heatmap cell shows a number and
# the first in which `want` charts (those with numbers: not the marks' legend) all show theirs.
FIRST_CHART_JS = """
(() => {
  const marks = (window.__fc = {});
  const frame = () => {
    const now = performance.now();
    const plots = [...document.querySelectorAll('.js-plotly-plot')];
    // Gradflow writes its numbers as a text trace over the cells, the floor with the heatmap's own
    // texttemplate: either way, numbers drawn in the plot.
    const numbered = plots.filter((p) => p.querySelector('.textpoint text, .heatmap-label text')).length;
    if (marks.first === undefined && numbered > 0) marks.first = now;
    if (marks.all === undefined && numbered >= window.__fcWant) marks.all = now;
    if (marks.all === undefined) requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
})();
"""


def visit(browser: Browser, url: str, want: int, viewport: tuple[int, int]) -> dict[str, float]:
    """One cold visit: a new context (empty cache), open `url`, wait for `want` charts with numbers."""
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
    try:
        context.add_init_script(f"window.__fcWant = {want};")
        context.add_init_script(FIRST_CHART_JS)
        page = context.new_page()
        page.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
        page.wait_for_function("window.__fc && window.__fc.all !== undefined", timeout=TIMEOUT_MS)
        return page.evaluate("window.__fc")
    finally:
        context.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pairs", type=int, default=7, help="visits of each page, interleaved (default 7)")
    parser.add_argument("--goal-ratio", type=float, default=1.1, help="the app's first chart / the floor's")
    parser.add_argument("--viewport", default="1440x900", help="the window in CSS pixels (default: a laptop)")
    add_server_arguments(parser)
    args = parser.parse_args()
    executable = find_chromium()
    if executable is None:
        print("no Chromium (make chromium)", file=sys.stderr)
        return 2
    viewport = tuple(int(x) for x in args.viewport.split("x"))
    numbered = sum(1 for name in CHARTS if name != "legend")
    print(machine_line("first chart"))
    with (
        Server("heatmap", args.python, args.server_option) as floor,
        Server("app", args.python, args.server_option, args.workers) as app,
        sync_playwright() as playwright,
    ):
        floor.start()
        app.start()
        browser = launch_chromium(playwright, executable)
        sides = {"floor": (floor.url + "/", 1), "app": (app.url + "/", numbered)}
        visit(browser, *sides["floor"], viewport)  # Chromium's own first start, counted for neither
        rows = []
        for pair in range(args.pairs):
            order = ("floor", "app") if pair % 2 == 0 else ("app", "floor")
            got = {side: visit(browser, *sides[side], viewport) for side in order}
            rows.append(got)
            print(
                f"pair {pair + 1} ({order[0]} first): floor {got['floor']['first']:.0f} ms, "
                f"Gradflow {got['app']['first']:.0f} ms (all {numbered} charts {got['app']['all']:.0f} ms), "
                f"ratio {got['app']['first'] / got['floor']['first']:.2f}"
            )
        browser.close()
    floor_ms = statistics.median(r["floor"]["first"] for r in rows)
    app_ms = statistics.median(r["app"]["first"] for r in rows)
    all_ms = statistics.median(r["app"]["all"] for r in rows)
    ratio = statistics.median(r["app"]["first"] / r["floor"]["first"] for r in rows)
    print(machine_line("after"))
    print(
        f"first heatmap with numbers, cold cache, median of {len(rows)}: floor (one heatmap) {floor_ms:.0f} ms, "
        f"Gradflow {app_ms:.0f} ms (all charts {all_ms:.0f} ms)"
    )
    met = ratio <= args.goal_ratio
    print(f"goal: median ratio ≤ {args.goal_ratio:g}: {ratio:.2f}, {'met' if met else 'MISSED'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
