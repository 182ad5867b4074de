"""/chain in a real browser: a share link shows PyTorch's gradients, a click writes an entry's sum out.

The issue's link (tanh, float64, a weights seed, both biases) is opened as a student would open it;
the gradients read off the heatmaps are PyTorch's autograd on the same network, to the 4 significant
digits a cell shows, and the written-out sum carries TensorFlow's full value.
"""

from __future__ import annotations

from urllib.parse import urlencode

import numpy as np
import pytest
from playwright.sync_api import Page, expect

from core.explain import fmt
from tests.helpers.browser import assert_chart_shows, click_chart_cell, query, wait_for_app

LINK = {
    "X": "0.5,-1,2;1.5,0.25,-0.5",
    "W1": "0.3,-0.2,0.1,0.7;-0.6,0.4,0.9,-0.1;0.2,0.8,-0.5,0.3",
    "W2": "1,-0.5;0.25,0.75;-1.5,0.5;0.6,-0.4",
    "b1": "0.1,-0.2,0.3,0",
    "b2": "-0.5,0.25",
    "act": "tanh",
    "seed": "weights:1,-2;0.5,3",
    "dtype": "float64",
}
CHARTS = 15  # X, W1, Z, H, W2, Y; dL/dY, dL/dW2, dL/db2, dL/dH, act'(Z), dL/dZ, dL/dW1, dL/db1, dL/dX


def matrix(text: str) -> np.ndarray:
    return np.array([[float(x) for x in row.split(",")] for row in text.split(";")])


def pytorch_gradients() -> dict[str, np.ndarray]:
    """PyTorch's autograd on the link's network: the numbers the page must show."""
    torch = pytest.importorskip("torch")
    x, w1, w2, c1, c2 = (
        torch.tensor(matrix(LINK[name]) if name[0] != "b" else matrix(LINK[name])[0], requires_grad=True)
        for name in ("X", "W1", "W2", "b1", "b2")
    )
    y = torch.tanh(x @ w1 + c1) @ w2 + c2
    y.backward(torch.tensor([[1.0, -2.0], [0.5, 3.0]], dtype=torch.float64))
    return {"dL/dX": x.grad, "dL/dW1": w1.grad, "dL/dW2": w2.grad, "dL/db1": c1.grad[None], "dL/db2": c2.grad[None]}


def test_the_issues_link_shows_pytorchs_gradients_and_keeps_every_parameter(page: Page, app_url: str) -> None:
    expected = pytorch_gradients()
    page.goto(f"{app_url}/chain?{urlencode(LINK)}")
    wait_for_app(page, charts=CHARTS)
    for name, gradient in expected.items():
        assert_chart_shows(page, name, gradient.numpy())
    body = page.locator("body")
    expect(body).to_contain_text("As two playgrounds")
    expect(page.get_by_test_id("stAlertContentSuccess")).to_have_count(3)
    assert query(page) == LINK


def test_a_click_on_a_gradient_entry_writes_its_sum_with_tensorflows_value(page: Page, app_url: str) -> None:
    expected = pytorch_gradients()
    page.goto(f"{app_url}/chain?{urlencode(LINK)}")
    wait_for_app(page, charts=CHARTS)
    click_chart_cell(page, "dL/dW1", 1, 0, charts=CHARTS)
    body = page.locator("body")
    expect(body).to_contain_text("dL/dW1[1,0] = X[0,1]·dZ[0,0] + X[1,1]·dZ[1,0]")
    expect(body).to_contain_text(f"TensorFlow (float64) gives dL/dW1[1,0] = {fmt(expected['dL/dW1'][1, 0].item())}.")
    click_chart_cell(page, "Y = H", 0, 1, charts=CHARTS)  # a weights seed: a click flips that weight
    assert query(page)["seed"] == "weights:1,0;0.5,3"
