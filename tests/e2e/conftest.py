"""Browser tests: one real `streamlit run` per test module, driven by Debian's Chromium.

This follows Streamlit's own end-to-end suite: a module-scoped fixture starts the server on a
free port and polls `/_stcore/health` (tests/helpers/server.py); one shared helper,
`tests.helpers.browser.wait_for_app`, waits for a script run to finish, so no test sleeps blindly.
Every test under this folder is marked `e2e` (`pytest -m "not e2e"` runs the rest of the suite
without a browser).

Set `E2E_SCREENS=/some/dir` to save a screenshot of each key state the tests reach.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.helpers.browser import PHONE, find_chromium, launch_chromium, new_context
from tests.helpers.server import Server, free_port, streamlit_command

HERE = Path(__file__).resolve().parent
HEALTH_TIMEOUT_S = 90  # the server is up fast; the first run imports TensorFlow (slow)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test in tests/e2e (and only those) as `e2e`."""
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Start `streamlit run app.py` on a free port; yield its base URL; stop it afterwards."""
    port = free_port()
    log_path = tmp_path_factory.mktemp("streamlit") / "server.log"
    env = {**os.environ, "GRADFLOW_DATA_DIR": str(tmp_path_factory.mktemp("class-data"))}  # never the app's data/
    env.pop("GRADFLOW_DATABASE_URL", None)
    with Server(streamlit_command(port), port=port, log=log_path, env=env) as server:
        print(f"streamlit at {server.url}, log in {log_path}")  # shown with a failing test's captured output
        server.wait_healthy(HEALTH_TIMEOUT_S)
        yield server.url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless (Playwright's own browser download is not used)."""
    executable = find_chromium()
    if executable is None:
        reason = "Chromium is not installed (/usr/bin/chromium or `chromium` on PATH); `make chromium` installs it"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright, executable)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh browser context (so a fresh Streamlit session) with a tall viewport."""
    context = new_context(browser)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    """A fresh touch-screen context the size of a phone (PHONE), with the run counter the helpers wait on."""
    context = new_context(browser, **PHONE)
    page = context.new_page()
    yield page
    context.close()
