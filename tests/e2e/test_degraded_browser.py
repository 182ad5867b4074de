"""A server whose TensorFlow cannot be imported still starts, says so, and teaches with the formulas.

The server is started as `make run` and the Docker image start it (`python serve.py`), with a fake
`tensorflow` package first on the path whose import kills the process with SIGILL: what the real
wheel does on a CPU without the instructions it was built for. serve.py's trial import in a child
process sees the signal, and the server must come up anyway, name the problem on every page, and
show the formulas' gradients (dL/dT = G @ Bᵀ: B's row sums in every row for the all-ones seed).
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest
from playwright.sync_api import Page, expect

import core
from tests.helpers.browser import PLAYGROUND_CHARTS, assert_chart_shows, open_app, wait_for_app
from tests.helpers.server import Server, free_port, healthy, serve_command
from ui.text import text

SO = core.preset("so-question")
FAKE_TENSORFLOW = "import os, signal\nos.kill(os.getpid(), signal.SIGILL)\n"
START_TIMEOUT_S = 90


@pytest.fixture(scope="module")
def degraded_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`python serve.py` with an importable-but-fatal `tensorflow` first on the path."""
    fake = tmp_path_factory.mktemp("fake_tf")
    (fake / "tensorflow").mkdir()
    (fake / "tensorflow" / "__init__.py").write_text(FAKE_TENSORFLOW)
    port = free_port()
    env = {"PYTHONPATH": str(fake), "PATH": "/usr/bin:/bin", "HOME": str(fake)}
    with Server(serve_command(port), port=port, env=env, log=fake / "server.log") as server:
        server.wait_healthy(START_TIMEOUT_S)
        assert "TensorFlow unavailable: importing TensorFlow was killed by SIGILL" in server.output
        yield server.url


def notice(page: Page) -> str:
    alerts = page.get_by_test_id("stAlert").all_inner_texts()
    found = [a for a in alerts if "TensorFlow could not be loaded on this server" in a]
    assert len(found) == 1, alerts
    return found[0]


def test_playground_names_the_problem_and_shows_the_formulas_gradients(page: Page, degraded_url: str) -> None:
    open_app(page, degraded_url, {"preset": "so-question"})
    assert "SIGILL" in notice(page)
    row_sums = SO.B.sum(axis=1).astype(np.float32)
    assert_chart_shows(page, "dL/dT", np.tile(row_sums, (5, 1)))
    assert_chart_shows(page, "Y", (SO.T @ SO.B).astype(np.float32))
    body = page.locator("section.main, [data-testid=stMain]").first.inner_text()
    assert "Without TensorFlow, the formulas are checked by finite differences" in body


@pytest.mark.parametrize("path", ["jacobian", "losses", "pitfalls", "frameworks"])
def test_pages_that_run_tensorflow_say_so_and_link_to_the_playground(page: Page, degraded_url: str, path: str) -> None:
    page.goto(f"{degraded_url}/{path}?preset=so-question")
    wait_for_app(page)
    notice(page)
    expect(page.get_by_text(text("common.no_tf_page"))).to_be_visible()
    page.get_by_test_id("stMain").get_by_role("link", name=text("nav.playground")).click()
    wait_for_app(page, charts=PLAYGROUND_CHARTS)
    assert page.url.split("?")[0].rstrip("/").endswith(("playground", str(degraded_url.rsplit(":", 1)[1])))


def test_the_quiz_still_checks_answers(page: Page, degraded_url: str) -> None:
    page.goto(f"{degraded_url}/quiz?q=42")
    wait_for_app(page)
    notice(page)
    assert not page.get_by_test_id("stException").count()


def test_the_server_is_still_healthy_after_every_page(degraded_url: str) -> None:
    assert healthy(degraded_url)
