"""Both interface languages in a real browser: every page reads in Chinese, with English's numbers.

Issue 9. Each page is opened from a share link with `lang=zh`; its visible prose (markdown, alerts,
captions, widget labels, headings, buttons, tabs, expander labels and their contents, the sidebar,
plot titles) may hold no English sentence. Code blocks, data editors and dataframes are left out:
code and TensorFlow's own output are shown verbatim in both languages. The same link with
`lang=en` must read in English and show exactly the same numbers. Then the switch: the sidebar
radio turns the page Chinese, the language follows the sidebar navigation and the URL, and a
shared link restores it; without `lang=` the browser's locale decides.

An "English sentence" is a run of at least three consecutive English words, a word being a
whitespace-separated token made of letters only (2 or more, an optional 's, surrounding quotes or
punctuation). So code-like tokens never count: Y, T, B, G, dL/dT, tape.gradient(Y, T), sum(Y),
reduce_sum(Y), float32, so-question and the other preset names. What is left to allow is listed
below, explicitly.

Every wait goes through `wait_for_app`, which also fails on a traceback (`stException`). The pages
are read through one browser context; every `goto` starts a fresh Streamlit session. The last test
checks that narrow charts are widened for their (longer, Chinese) titles.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from core.strings import LANGUAGES
from tests.helpers.browser import (
    PLAYGROUND_CHARTS,
    RUN_TIMEOUT_MS,
    chart_text,
    choose_radio,
    new_context,
    open_app,
    query,
    rerun,
    snap,
    wait_for_app,
)
from ui.text import CATALOGUES

EN, ZH = CATALOGUES["en"], CATALOGUES["zh"]  # core's sentences and the pages'

# --- what may stay English in a Chinese page --------------------------------------------------

ALLOWED_WORDS = frozenset({"TensorFlow", "PyTorch", "JAX", "GradientTape", "NumPy", "Gradflow", "MatMul"})
"""Product names: never counted as English words (so "TensorFlow PyTorch JAX" is no sentence)."""

ALLOWED_PHRASES = (
    # fw.trap quotes PyTorch's documentation word for word, followed by its translation
    "the Jacobian-vector product would be computed",
)
"""English quoted on purpose inside a Chinese sentence."""

ALLOWED_TAILS: tuple[str, ...] = ()
"""Chinese lead-ins after which the rest of the line is a library's verbatim output. None at present:
every library output (errors, what a program printed) is shown in a code block, which is skipped."""

WORD = re.compile(r"""^[(“"'‘]*([A-Za-z]{2,})(?:['’]s)?[)”"'’,;:.!?]*$""")
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
EN_PAGE_CJK = ("Language · 语言", "中文")  # the language switch names itself in both languages

# Hidden while the visible text is read: code, the grids (numbers on a canvas), icon ligatures
# ("keyboard_arrow_down"), and the charts, whose titles are read from the SVG separately.
VISIBLE_TEXT_JS = """
() => {
  const skip = ['stCode', 'stCodeBlock', 'stDataFrame', 'stDataEditor', 'stIconMaterial']
    .map((id) => `[data-testid="${id}"]`).join(',') + ',.js-plotly-plot';
  const hidden = [...document.querySelectorAll(skip)];
  const display = hidden.map((el) => el.style.display);
  hidden.forEach((el) => { el.style.display = 'none'; });
  try {
    const roots = [...document.querySelectorAll('[data-testid="stSidebar"], [data-testid="stMain"]')];
    const titles = document.querySelectorAll('.js-plotly-plot :is(.gtitle, .g-xtitle, .g-ytitle, .annotation-text)');
    return [...roots.map((root) => root.innerText), ...[...titles].map((t) => t.textContent)].join('\\n');
  } finally {
    hidden.forEach((el, i) => { el.style.display = display[i]; });
  }
}
"""
# How far each chart's title runs past the right edge of its figure, in px (> 0: cut off).
TITLE_OVERFLOW_JS = """
() => [...document.querySelectorAll('.js-plotly-plot')].map((plot) => {
  const title = plot.querySelector('.gtitle').getBoundingClientRect();
  const figure = plot.querySelector('svg.main-svg').getBoundingClientRect();
  return [plot.querySelector('.gtitle').textContent, Math.round(title.right - figure.right)];
})
"""
NUMBER = re.compile(r"[−-]?\d+(?:\.\d+)?(?:e[−+-]?\d+)?")


def english_runs(shown: str) -> list[str]:
    """Every run of ≥ 3 consecutive English words in `shown`, line by line, after the allow-lists."""
    runs: list[str] = []
    for line in shown.splitlines():
        for lead_in in ALLOWED_TAILS:
            if lead_in in line:
                line = line[: line.index(lead_in)]
        for phrase in ALLOWED_PHRASES:
            line = line.replace(phrase, " ¦ ")
        run: list[str] = []
        for token in [*line.split(), "¦"]:
            word = WORD.match(token)
            if word and word.group(1) not in ALLOWED_WORDS:
                run.append(token)
                continue
            if len(run) >= 3:
                runs.append(" ".join(run))
            run = []
    return runs


def chinese_outside_the_switch(shown: str) -> list[str]:
    """Lines of an English page that carry Chinese characters, the language switch aside."""
    for allowed in EN_PAGE_CJK:
        shown = shown.replace(allowed, "")
    return [line for line in shown.splitlines() if CJK.search(line)]


# --- the pages --------------------------------------------------------------------------------


@dataclass(frozen=True)
class AppPage:
    path: str  # "" for the playground, the default page
    params: dict[str, str]  # the share link, without `lang`
    charts: int | None  # heatmaps drawn once the run is over (None: no wait for charts)
    title: str  # the key of its st.title
    key_numbers: Callable[[Page], Any] = field(default=lambda page: None)
    filled_on_open: tuple[str, ...] = ()  # test ids its expanders' reruns add once opened (lazy expanders)


def _playground_numbers(page: Page) -> dict[str, Any]:
    return {"Y": chart_text(page, "Y"), "dL/dT": chart_text(page, "dL/dT")}


def _jacobian_numbers(page: Page) -> list[str]:
    """The shapes of tape.jacobian and batch_jacobian, e.g. (5, 3, 5, 3)."""
    shapes = re.findall(r"\(\d+(?:, \d+)+\)", main(page).inner_text())
    assert shapes, "no shape like (5, 3, 5, 3) on the Jacobian page"
    return shapes


def _losses_numbers(page: Page) -> dict[str, Any]:
    """The loss value and the row sums divided by m·n of the mean's explanation."""
    row_sums = [re.findall(r"\[[^\]]*\d[^\]]*\]", alert) for alert in page.get_by_test_id("stAlert").all_inner_texts()]
    value = page.get_by_test_id("stMetricValue").all_inner_texts()
    assert value, "no loss value on the losses page"
    return {"L": value, "row sums": [found for found in row_sums if found]}


PAGES = {
    "playground": AppPage(
        "",
        {"preset": "so-question", "focus": "dT:0,1"},
        PLAYGROUND_CHARTS,
        "pg.title",
        _playground_numbers,
        ("stTable", "stTabs"),
    ),
    "jacobian": AppPage("jacobian", {"preset": "so-question"}, 4, "jac.title", _jacobian_numbers),
    "losses": AppPage("losses", {"preset": "so-question"}, 6, "loss.title", _losses_numbers),
    "pitfalls": AppPage("pitfalls", {"preset": "so-question"}, None, "pf.title"),
    "frameworks": AppPage("frameworks", {"preset": "so-question"}, None, "fw.title"),
    "quiz": AppPage("quiz", {"q": "42"}, 3, "quiz.title"),
}


def main(page: Page) -> Locator:
    return page.get_by_test_id("stMain")


def title(page: Page) -> Locator:
    """The page's st.title."""
    return main(page).locator("h1").first


def open_page(page: Page, app_url: str, spec: AppPage, lang: str) -> None:
    page.goto(f"{app_url}/{spec.path}?{urlencode(spec.params | {'lang': lang})}")
    wait_for_app(page, charts=spec.charts)


def visible_text(page: Page, spec: AppPage) -> str:
    """The prose of the sidebar and the main area, every expander opened, code and grids left out."""
    for details in page.get_by_test_id("stExpander").locator("details").all():
        if details.get_attribute("open") is not None:
            continue
        summary = details.locator("> summary")
        if spec.filled_on_open:  # a lazy expander reruns to fill itself: open the next once it has
            rerun(page, summary.click, charts=spec.charts)
        else:
            summary.click()
        expect(details).to_have_attribute("open", "")
    closed = page.locator('[data-testid="stExpander"] details:not([open])')
    expect(closed).to_have_count(0)
    for test_id in spec.filled_on_open:
        expect(page.get_by_test_id(test_id).first).to_be_visible(timeout=RUN_TIMEOUT_MS)
    wait_for_app(page, charts=spec.charts)
    return page.evaluate(VISIBLE_TEXT_JS)


def shown_numbers(page: Page, spec: AppPage) -> dict[str, Any]:
    """Every number the page shows outside its prose: chart cells, code and output blocks, key ones."""
    charts = page.locator(".js-plotly-plot")
    return {
        "charts": [plot.locator(".textpoint text").all_text_contents() for plot in charts.all()],
        "code": [NUMBER.findall(block) for block in page.get_by_test_id("stCode").all_inner_texts()],
        "key": spec.key_numbers(page),
    }


# --- fixtures ---------------------------------------------------------------------------------


def _new_page(browser: Browser, locale: str) -> Page:
    context = new_context(browser, locale=locale)
    return context.new_page()


@pytest.fixture(scope="module")
def shared_page(browser: Browser) -> Iterator[Page]:
    """One context for reading every page in both languages (English browser: only `lang=` decides)."""
    page = _new_page(browser, "en-US")
    yield page
    page.context.close()


@pytest.fixture
def new_page(browser: Browser) -> Iterator[Callable[[str], Page]]:
    """Fresh contexts (a fresh browser) with the given locale, closed after the test."""
    pages: list[Page] = []

    def make(locale: str) -> Page:
        pages.append(_new_page(browser, locale))
        return pages[-1]

    yield make
    for page in pages:
        page.context.close()


# --- 1 and 2: every page in Chinese, with the numbers of the English page ----------------------


@pytest.mark.parametrize("name", list(PAGES))
def test_page_reads_in_chinese_and_shows_the_numbers_of_english(shared_page: Page, app_url: str, name: str) -> None:
    spec, page = PAGES[name], shared_page

    open_page(page, app_url, spec, "zh")
    expect(title(page)).to_have_text(ZH[spec.title])
    snap(page, f"lang_zh_{name}")
    zh_numbers = shown_numbers(page, spec)
    zh_text = visible_text(page, spec)
    zh_english = english_runs(zh_text)

    open_page(page, app_url, spec, "en")
    expect(title(page)).to_have_text(EN[spec.title])
    en_numbers = shown_numbers(page, spec)
    en_text = visible_text(page, spec)
    en_chinese = chinese_outside_the_switch(en_text)

    # the detectors see the prose at all: each finds its language on the page written in it
    assert english_runs(en_text), f"{name}: no English sentence found with lang=en"
    assert chinese_outside_the_switch(zh_text), f"{name}: no Chinese found with lang=zh"
    assert zh_numbers == en_numbers, f"{name}: the numbers differ between lang=zh and lang=en"
    assert any(zh_numbers["charts"] + zh_numbers["code"]), f"{name}: no numbers found to compare"
    assert not en_chinese, f"{name} with lang=en shows Chinese: {en_chinese}"
    assert not zh_english, f"{name} with lang=zh shows English sentences: {zh_english}"


# --- 3 and 4: the switch, the navigation, the link; the browser's locale ------------------------


def test_english_browser_switches_to_chinese_for_every_page_and_the_shared_link(
    new_page: Callable[[str], Page], app_url: str
) -> None:
    page = new_page("en-US")
    open_app(page, app_url, {"preset": "so-question"})  # no lang=: an English browser reads English
    expect(title(page)).to_have_text(EN["pg.title"])
    assert "lang" not in query(page)
    y_in_english = chart_text(page, "Y")

    choose_radio(page, ZH["lang.label"], LANGUAGES["zh"])
    expect(title(page)).to_have_text(ZH["pg.title"])
    assert query(page)["lang"] == "zh"
    assert query(page)["preset"] == "so-question"
    assert chart_text(page, "Y") == y_in_english

    sidebar = page.get_by_test_id("stSidebar")
    link = sidebar.get_by_test_id("stSidebarNavLink").filter(has_text=ZH["nav.jacobian"])
    rerun(page, link.click, charts=PAGES["jacobian"].charts)
    expect(title(page)).to_have_text(ZH["jac.title"])
    assert urlsplit(page.url).path == "/jacobian"
    assert query(page)["lang"] == "zh", f"the language was lost on the way to another page: {page.url}"
    expect(sidebar.get_by_role("radio", name=LANGUAGES["zh"])).to_be_checked()
    expect(sidebar.get_by_test_id("stSidebarNavLink").first).to_contain_text(ZH["nav.playground"])
    expect(main(page).get_by_test_id("stPageLink")).to_contain_text(ZH["common.edit_link"])

    shared = new_page("en-US")  # a classmate's English browser: only the link says Chinese
    shared.goto(page.url)
    wait_for_app(shared, charts=PAGES["jacobian"].charts)
    expect(title(shared)).to_have_text(ZH["jac.title"])
    assert query(shared)["lang"] == "zh"


def test_chinese_browser_opens_in_chinese_unless_the_link_says_english(
    new_page: Callable[[str], Page], app_url: str
) -> None:
    page = new_page("zh-CN")
    page.goto(f"{app_url}/")
    wait_for_app(page)
    expect(title(page)).to_have_text(ZH["pg.title"])
    expect(page.get_by_test_id("stSidebarNavLink").first).to_contain_text(ZH["nav.playground"])
    assert query(page)["lang"] == "zh"  # the page's link now opens in Chinese anywhere

    page.goto(f"{app_url}/quiz?q=42&lang=en")  # a light page: only the language matters here
    wait_for_app(page)
    expect(title(page)).to_have_text(EN["quiz.title"])
    assert query(page)["lang"] == "en"  # and its link stays English


# --- layout: the Chinese titles of narrow charts -------------------------------------------------


def test_chart_titles_fit_their_charts_in_chinese(shared_page: Page, app_url: str) -> None:
    page = shared_page
    spec = AppPage("jacobian", {"preset": "small-integers", "seed": "row:1", "wrt": "B"}, 4, "jac.title")
    open_page(page, app_url, spec, "zh")
    expect(title(page)).to_have_text(ZH["jac.title"])
    cut_off = [(shown, px) for shown, px in page.evaluate(TITLE_OVERFLOW_JS) if px > 0]
    assert not cut_off, f"chart titles running past their figure (title, px): {cut_off}"
