"""Regenerate the screenshots the README and docs/ show, from the app as `make run` serves it.

    .venv/bin/python docs/screenshots.py [--out docs]

Starts `python serve.py` on a free loopback port and, in headless Chromium (Debian's, as the
browser tests use it), opens the reference case three ways and /chain once, and saves the first screen of each:

- docs/playground.png: a laptop, 1440×900, English;
- docs/presenter.png: a 1024×768 projector with `present=1`;
- docs/phone.png: a phone's touch screen, 390×844, Chinese;
- docs/chain.png: /chain's first screen at 1440×900.

A screenshot shows the fonts the machine has: Chinese needs a CJK font (Debian: fonts-noto-cjk)
and the navigation's icons an emoji font (fonts-noto-color-emoji), or they come out as boxes. The
script says which is missing and goes on. Not a test: it asserts nothing but that each page ran.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

from tests.helpers.browser import PHONE as TEST_PHONE  # noqa: E402
from tests.helpers.browser import find_chromium, launch_chromium, new_context, wait_for_app  # noqa: E402
from tests.helpers.server import Server, free_port, serve_command  # noqa: E402

LAPTOP = {"viewport": {"width": 1440, "height": 900}}
PROJECTOR = {"viewport": {"width": 1024, "height": 768}}
PHONE = {**TEST_PHONE, "device_scale_factor": 1}  # the browser tests' phone, saved at its CSS size
SHOTS: list[tuple[str, str, dict[str, Any]]] = [
    ("playground.png", "/?preset=so-question", LAPTOP),
    ("presenter.png", "/?preset=so-question&present=1", PROJECTOR),
    ("phone.png", "/?preset=so-question&lang=zh", PHONE),
    ("chain.png", "/chain?preset=two-layer", LAPTOP),
]
FONTS = {"zh": "CJK font (fonts-noto-cjk)", "und-zsye": "emoji font (fonts-noto-color-emoji)"}
"""fontconfig language tags and what lacks without them (und-zsye: emoji presentation)."""


def missing_fonts() -> list[str]:
    """The fonts fontconfig does not have that the screenshots need (empty without fc-list: unknown)."""
    if shutil.which("fc-list") is None:
        return []
    missing = []
    for lang, what in FONTS.items():
        found = subprocess.run(["fc-list", f":lang={lang}"], capture_output=True, text=True, check=False).stdout
        if not found.strip():
            missing.append(what)
    return missing


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    args = parser.parse_args()
    chromium = find_chromium()
    if chromium is None:
        sys.exit("no Chromium: apt-get install chromium")
    for what in missing_fonts():
        print(f"warning: no {what}: some text will show as boxes", file=sys.stderr)
    port = free_port()
    server = Server(serve_command(port), port=port, env={**os.environ, "GRADFLOW_WORKERS": "1"})
    try:
        server.wait_healthy(120)
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright, chromium)
            for name, path, options in SHOTS:
                context = new_context(browser, **options)
                page = context.new_page()
                page.goto(server.url + path)
                wait_for_app(page)
                page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot .textpoint text').length > 0")
                page.wait_for_timeout(1000)  # the charts' fonts and the sidebar's transition
                page.screenshot(path=str(args.out / name))
                print(f"{args.out / name}: {path} at {options['viewport']['width']}×{options['viewport']['height']}")
                context.close()
            browser.close()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
