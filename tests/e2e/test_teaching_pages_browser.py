"""The teaching pages in a real browser: opened from a share link, they show TensorFlow's numbers."""

from __future__ import annotations

from urllib.parse import urlencode

from playwright.sync_api import Page, expect

from tests.helpers.browser import query, wait_for_app


def cells(page: Page, title: str) -> list[str]:
    """The values written in the cells of the heatmap whose title starts with `title`, row-major."""
    chart = page.locator(".js-plotly-plot").filter(has=page.locator(".gtitle", has_text=title)).first
    return chart.locator(".textpoint text").all_text_contents()


def open_page(page: Page, app_url: str, path: str, params: dict[str, str], charts: int | None) -> None:
    page.goto(f"{app_url}/{path}?{urlencode(params)}")
    wait_for_app(page, charts=charts)


def test_jacobian_link_shows_the_shapes_and_one_row_per_one_entry_seed(page: Page, app_url: str) -> None:
    open_page(page, app_url, "jacobian", {"preset": "so-question", "seed": "entry:0,0"}, charts=4)
    body = page.locator("body")
    expect(body).to_contain_text("(5, 3, 5, 3)")
    expect(body).to_contain_text("(5, 3, 3)")
    expect(body).to_contain_text("the gradient of Y[0,0] is row Y[0,0]")
    expect(body).to_contain_text("The weighted sum of rows equals")
    assert cells(page, "tape.gradient: dL/dT") == ["0.4384", "1.566", "1.42"] + ["0"] * 12
    assert query(page) == {"preset": "so-question", "seed": "entry:0,0"}


def test_losses_link_with_the_mean_divides_the_row_sums_by_15(page: Page, app_url: str) -> None:
    open_page(page, app_url, "losses", {"preset": "so-question", "loss": "mean"}, charts=6)
    body = page.locator("body")
    expect(body).to_contain_text("B's row sums divided by m·n = 15: [−0.011538555, 0.079338167, 0.14966686]")
    expect(body).to_contain_text("The two agree")
    assert cells(page, "from L: dL/dT") == ["−0.01154", "0.07934", "0.1497"] * 5
    assert query(page)["loss"] == "mean"


def test_pitfalls_show_tensorflows_own_error_text(page: Page, app_url: str) -> None:
    open_page(page, app_url, "pitfalls", {"preset": "so-question"}, charts=None)
    body = page.locator("body")
    expect(body).to_contain_text("A non-persistent GradientTape can only be used to compute one set of gradients")
    expect(body).to_contain_text("Matrix size-incompatible")
    expect(body).to_contain_text("The seed G is 6×4 but Y = T @ B is 5×3")


def test_frameworks_show_the_pytorch_and_jax_refusals(page: Page, app_url: str) -> None:
    open_page(page, app_url, "frameworks", {"preset": "so-question"}, charts=None)
    body = page.locator("body")
    expect(body).to_contain_text("grad can be implicitly created only for scalar outputs")
    expect(body).to_contain_text("Gradient only defined for scalar-output functions")
