"""Server memory per student: the figures behind deploy/'s resource requests and limits.

    .venv/bin/python bench/memory_bench.py [--sessions 20] [--class-size 30] [--python PATH]

Starts the server the way `make run` and the Docker image do (`python serve.py`, which imports
TensorFlow before Streamlit starts) on a free port on 127.0.0.1, then reads the server process's
resident memory from /proc (VmRSS, split into anonymous and file-backed pages, and the peak VmHWM):

1. once /_stcore/health answers (TensorFlow loaded, no session yet);
2. after one browser session has loaded the playground (script run finished, charts drawn);
3. after `--sessions` sessions are open at once, each its own browser context (one student each),
   opened a few at a time in a single headless Chromium and left idle.

The server runs on `--python` (default: this interpreter). The figures in deploy/ come from a venv
holding requirements.txt alone, as the image does: in the dev venv, TensorFlow's import also loads
JAX when requirements-frameworks.txt is installed, which adds memory the image never has; the bench
says so when it sees it.

It prints the base, the memory each additional idle session adds, and a suggested Kubernetes
memory request and limit for `--class-size` students on one replica. Everything stays on the
loopback interface; the run is capped at 170 s (`--time-limit`) and always stops the server; on
a busy machine it reports the sessions that loaded by then. A benchmark, not a test: `make test`
never runs it. Linux only (/proc); needs Debian's Chromium (/usr/bin/chromium or `chromium` on PATH).
The server is started and stopped, and Chromium launched, with the tests' own helpers
(tests/helpers/server.py and tests/helpers/browser.py).
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import re
import signal
import sys
import time
from pathlib import Path

from playwright.sync_api import Browser, Page, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tests.helpers, when run as a script from bench/

from tests.helpers.browser import find_chromium, launch_chromium  # noqa: E402
from tests.helpers.server import Server, ServerError, free_port, serve_command  # noqa: E402

LOADED = '[data-testid="stApp"][data-test-script-state="notRunning"]'
CHART = ".js-plotly-plot"
RUN_LIMIT_S = 170.0  # default cap on the whole run, server start included; later sessions are left out
START_TIMEOUT_S = 90.0
PAGE_TIMEOUT_S = 60.0
EXTRAS = {"jax", "jaxlib", "torch"}  # in the dev venv for tests (requirements-frameworks.txt), not in the image
SETTLE_S = 2.0  # after each stage, before reading /proc
WAVE = 3  # sessions opened at once after the first
MI = 1024 * 1024


def memory(pid: int) -> dict[str, float]:
    """VmRSS, RssAnon, RssFile and VmHWM of `pid`, in MiB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "RssAnon", "RssFile", "VmHWM"):
            fields[key] = int(value.split()[0]) / 1024
    return fields


def loaded_extras(pid: int) -> list[str]:
    """The packages of EXTRAS whose files `pid` has mapped."""
    mapped = set(re.findall(r"site-packages/([^/]+)/", Path(f"/proc/{pid}/maps").read_text()))
    return sorted(EXTRAS & mapped)


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time `pid` has used so far."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    after_name = stat.rpartition(")")[2].split()
    return (int(after_name[11]) + int(after_name[12])) / os.sysconf("SC_CLK_TCK")


def open_session(browser: Browser, url: str) -> Page:
    """A new browser context (its own cookies: one student) with the app opening in it."""
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(url + "/", wait_until="commit", timeout=PAGE_TIMEOUT_S * 1000)
    return page


def loaded(page: Page, deadline: float) -> bool:
    """Wait, until `deadline` at most, for the page's first script run to finish with charts drawn."""
    try:
        for selector in (CHART, LOADED):
            remaining_ms = max(1.0, (deadline - time.monotonic()) * 1000)
            page.locator(selector).first.wait_for(state="visible", timeout=min(PAGE_TIMEOUT_S * 1000, remaining_ms))
    except PlaywrightTimeoutError:
        return False
    return True


def round_up(mib: float, step: int) -> int:
    return int(math.ceil(mib / step) * step)


def row(label: str, m: dict[str, float]) -> str:
    return f"{label:<34}{m['VmRSS']:>9.0f}{m['RssAnon']:>9.0f}{m['RssFile']:>9.0f}{m['VmHWM']:>9.0f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", type=int, default=20, help="idle sessions open at once (default 20)")
    parser.add_argument("--class-size", type=int, default=30, help="students per replica to size for (default 30)")
    parser.add_argument("--python", default=sys.executable, help="the server's interpreter (default: this one)")
    parser.add_argument(
        "--time-limit", type=float, default=RUN_LIMIT_S, help=f"seconds for the whole run (default {RUN_LIMIT_S:.0f})"
    )
    options = parser.parse_args()
    if options.sessions < 2:
        parser.error("--sessions must be at least 2")
    chromium = find_chromium()
    if not Path("/proc/self/status").exists() or chromium is None:
        print("needs Linux /proc and Chromium (/usr/bin/chromium or `chromium` on PATH)", file=sys.stderr)
        return 2

    started = time.monotonic()
    deadline = started + options.time_limit
    port = free_port()
    command = serve_command(port, python=options.python)
    server = Server(command, port=port)
    url = server.url
    try:
        try:
            server.wait_healthy(min(deadline - time.monotonic(), START_TIMEOUT_S))
        except ServerError as error:
            raise SystemExit(f"the server {error.reason}") from None
        ready_s = time.monotonic() - started
        time.sleep(SETTLE_S)
        up = memory(server.pid)
        extras = loaded_extras(server.pid)

        with sync_playwright() as p:
            browser = launch_chromium(p, chromium)
            cpu_before = cpu_seconds(server.pid)
            if not loaded(open_session(browser, url), deadline):
                raise SystemExit("the first session did not load in time")
            time.sleep(SETTLE_S)
            one = memory(server.pid)
            # The others arrive a few at a time (more would only make one laptop's Chromium
            # the bottleneck) and stay open, idle, until the measurement.
            sessions = 1
            while sessions < options.sessions and time.monotonic() < deadline - 15:
                wave = [open_session(browser, url) for _ in range(min(WAVE, options.sessions - sessions))]
                sessions += sum(loaded(page, deadline - 10) for page in wave)
                print(f"{sessions} sessions open after {time.monotonic() - started:.0f} s", file=sys.stderr)
            cpu_spent = cpu_seconds(server.pid) - cpu_before
            time.sleep(SETTLE_S)
            many = memory(server.pid)
            browser.close()
    finally:
        if server.stop(timeout=15) not in (0, -signal.SIGTERM):
            print(server.output, file=sys.stderr)
    if sessions < 2:
        raise SystemExit("no further session loaded in time: no per-session figure")

    peak = max(m["VmHWM"] for m in (up, one, many))
    per_session = max(0.0, (many["VmRSS"] - one["VmRSS"]) / (sessions - 1))
    class_rss = one["VmRSS"] + per_session * (options.class_size - 1)
    request = round_up(class_rss, 64)
    limit = round_up(max(class_rss, peak) * 1.5, 128)

    print(f"Gradflow memory bench: {platform.machine()}, Python {platform.python_version()}, {os.cpu_count()} CPUs")
    print(f"server: {' '.join(command)}, healthy after {ready_s:.1f} s")
    if extras:
        print(f"warning: the server loaded {', '.join(extras)}, which the image does not have: use --python")
    if sessions < options.sessions:
        print(f"only {sessions} of {options.sessions} sessions loaded in {options.time_limit:.0f} s; figures use those")
        print("(sessions that were still loading hold memory too: the per-session figure is an upper bound)")
    print()
    print(f"{'MiB':<34}{'VmRSS':>9}{'RssAnon':>9}{'RssFile':>9}{'VmHWM':>9}")
    print(row("server up, no session", up))
    print(row("after 1 session", one))
    print(row(f"after {sessions} idle sessions", many))
    print()
    print(f"base (TensorFlow loaded, no session):   {up['VmRSS']:.0f} MiB")
    print(f"first session adds:                     {one['VmRSS'] - up['VmRSS']:.1f} MiB")
    print(f"each further idle session adds:         {per_session:.2f} MiB")
    print(f"peak RSS (VmHWM) during the run:        {peak:.0f} MiB")
    print(f"server CPU, {sessions} first page loads:      {cpu_spent:.1f} s ({cpu_spent / sessions:.2f} s each)")
    print()
    print(f"expected for {options.class_size} students on one replica: {class_rss:.0f} MiB")
    print(f"suggested memory request: {request}Mi (expected, rounded up to 64 Mi)")
    print(f"suggested memory limit:   {limit}Mi (1.5 x max(expected, peak), rounded up to 128 Mi)")
    print(f"bench time: {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
