"""Hostile links and typed payloads in a real browser: nothing runs, nothing breaks, the bad value is named.

Two parts, both on one shared browser page (one `page.goto` per URL, so every URL is a fresh
Streamlit session, the way a student opens a link):

1. Injection. Every page is opened with a URL whose every parameter (the six of `core.problem.PARAMS`
   and the pages' own `wrt`, `loss`, `entry`, `target`, `q`, `lang`) carries script, HTML or
   Markdown; the twelve payloads rotate over the twelve parameters with a different offset on each
   page. Afterwards `window.__pwned` is undefined, no dialog opened, no element built from a payload
   exists (no inline `on…` handler anywhere, no `img[src=x]`, no `javascript:` URL, no link or image
   inside an alert), the page's title and main element are there, and each parameter the page reads
   is named in a warning that quotes the payload as typed. Web addresses in a parameter, and payloads
   typed into a cell of T and into the quiz's answer box, have tests of their own.

2. The hostile corpus `tests/data/hostile_urls.json` (`{"name", "query", "param"}` per case; a
   small inline corpus stands in while the file is missing). Each case is opened on one page that
   reads its parameter (rotating over those pages): no traceback, the page's title and main element
   are there, nothing ran, a warning names `param` (or, for a case without one, no link warning at
   all), and `/_stcore/health` still answers. One page load costs 2–7 s on the shared 2-core
   machine, so a browser run of the whole corpus takes about ten minutes; by default the browser
   takes, for every parameter, the PER_PARAM case(s) a browser adds most to, in this order: a
   repeated key (which value wins is up to the frontend and the server), non-ASCII or control
   characters (URL encoding), Markdown or a web address, HTML (part 1 already puts those in every
   parameter on every page); plus every case without a parameter, except a single plain valid
   value (`q=+7`). Cases that only exercise value parsing (NaN, out-of-range indices, 9×9 …) are
   server-side logic that AppTest runs over the whole corpus (tests/app/test_hostile_input.py).
   `GRADFLOW_E2E_ALL_HOSTILE=1` runs every case in the browser. URLs over 16 KiB are checked over
   plain HTTP instead: Streamlit's server (uvicorn with h11) may refuse such a request line before
   the app sees it; either answer is fine as long as it is a clean one (200 or 4xx) and the server
   stays healthy.
"""

from __future__ import annotations

import json
import os
import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Browser, Dialog, Page, expect

from core import quiz
from core.problem import PARAMS
from tests.helpers.browser import (
    cell,
    editor,
    new_context,
    open_app,
    rerun,
    type_into_cell,
    wait_for_app,
)
from tests.helpers.paths import DATA, TITLES
from tests.helpers.server import healthy
from ui.text import text

CORPUS = DATA / "hostile_urls.json"
HEALTH_TIMEOUT_S = 10  # one health check, while the server may still be busy with the last link
PER_PARAM = 1  # corpus cases per parameter in the browser (see the module docstring)
LONG_URL = 16 * 1024  # h11's limit on an incomplete request line: beyond it uvicorn may answer 400

PAGES = ("playground", "jacobian", "losses", "pitfalls", "frameworks", "quiz", "chain", "teacher")
PATHS = {name: "" if name == "playground" else name for name in PAGES}  # the playground is the site root
PROBLEM_PAGES = ("playground", "jacobian", "losses", "pitfalls", "frameworks")  # read PARAMS
OWN_PARAMS = {
    "jacobian": ("wrt",),
    "losses": ("loss", "entry", "target"),
    "quiz": ("q", "class"),
    "chain": ("X", "W1", "W2", "b1", "b2", "act"),
    "teacher": ("class", "key"),
}
CHAIN_SHARED = ("preset", "seed", "dtype")  # /chain reads these of PARAMS too, for its own network
EVERY_PAGE = ("lang",)  # the language switch, read by app.py before any page runs
ALL_PARAMS = (
    *PARAMS,
    "wrt",
    "loss",
    "entry",
    "target",
    "q",
    "X",
    "W1",
    "W2",
    "b1",
    "b2",
    "act",
    "class",
    "key",
    *EVERY_PAGE,
)


def reads(page_name: str) -> tuple[str, ...]:
    """The URL parameters `page_name` reads (and names in a warning when they are bad)."""
    shared = PARAMS if page_name in PROBLEM_PAGES else CHAIN_SHARED if page_name == "chain" else ()
    return (*shared, *OWN_PARAMS.get(page_name, ()), *EVERY_PAGE)


def readers(param: str) -> tuple[str, ...]:
    return tuple(name for name in PAGES if param in reads(name))


# --- what an injected element or a run script would leave behind --------------------------------

SCRIPT_PAYLOADS = (
    "<script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=1">',
    '"><svg onload=window.__pwned=1>',
    "javascript:window.__pwned=1",
    "<svg/onload=alert(1)>",  # 21 characters: not shortened by the 24-character quote limit
    "<body onload=alert(1)>",
    "'\"><iframe src=javascript:alert(1)>",
    "<a href=javascript:alert(1)>x</a>",
    "${alert(1)}{{7*7}}<b>b</b>",
)
MARKDOWN_PAYLOADS = (  # each at most 24 characters (quoted whole), no "," or ";" (T's cell separators)
    "![pwned](x)",
    "[pwned](javascript:f())",
    "**pwned** _x_ `y` ~~z~~",
)
URL_PAYLOADS = ("[pwned](https://ev.il)", "https://ev.il/pwned")
# Elements a payload could have created. Streamlit, React, plotly and glide set no inline event
# attribute (`on…`) anywhere on these pages, and the app's own alerts hold no link and no image, so
# any one of these is an injection.
INJECTED_JS = """() => {
  const found = [];
  const show = (el) => el.outerHTML.slice(0, 160);
  for (const el of document.querySelectorAll('*'))
    for (const name of el.getAttributeNames())
      if (name.toLowerCase().startsWith('on')) found.push(show(el));
  for (const el of document.querySelectorAll(
      'iframe, object, embed, img[src="x"], [href^="javascript:" i], [src^="javascript:" i], '
      + '[data-testid="stAlert"] a[href], [data-testid="stAlert"] img'))
    found.push(show(el));
  for (const el of document.querySelectorAll('script'))
    if (/pwned|alert\\(/.test(el.textContent)) found.push(show(el));
  return found;
}"""


@dataclass
class Tab:
    """The shared browser page and the dialogs it has seen since the last `clear`."""

    page: Page
    dialogs: list[str] = field(default_factory=list)

    def clear(self) -> None:
        self.dialogs.clear()


@pytest.fixture(scope="module")
def tab(browser: Browser) -> Iterator[Tab]:
    """One context and page for the whole module; each `goto` still starts a fresh session."""
    context = new_context(browser)
    page = context.new_page()
    shared = Tab(page)

    def on_dialog(dialog: Dialog) -> None:
        shared.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    yield shared
    context.close()


def visit(tab: Tab, app_url: str, page_name: str, query: dict[str, str | list[str]]) -> None:
    """Open `page_name` with `query` (URL-encoded, repeated keys for lists) and wait for the run."""
    tab.clear()
    tab.page.goto(f"{app_url}/{PATHS[page_name]}?{urlencode(query, doseq=True)}")
    wait_for_app(tab.page)  # also: no traceback (stException) on the page


def assert_nothing_ran(tab: Tab) -> None:
    page = tab.page
    assert page.evaluate("typeof window.__pwned") == "undefined", "a payload ran: window.__pwned is set"
    assert not tab.dialogs, f"a payload opened a dialog: {tab.dialogs}"
    injected = page.evaluate(INJECTED_JS)
    assert not injected, f"elements built from a payload: {injected}"


def alert_texts(page: Page) -> list[str]:
    """The alerts' text as a reader sees it: the word joiners (U+2060) that keep a quoted web address
    from becoming a link (ui.language.inert) are invisible, so they are dropped here."""
    return [" ".join(t.replace("\u2060", "").split()) for t in page.get_by_test_id("stAlert").all_inner_texts()]


def link_warning_prefix(param: str) -> str:
    """How the warning about a bad link parameter starts, e.g. 'The link's “T” value was not used:'."""
    return text("err.url_param", param=param, message="").strip()


def assert_named(page: Page, param: str) -> None:
    """A visible warning names `param` as a link parameter that was not used."""
    prefix = link_warning_prefix(param)
    warnings = page.get_by_test_id("stAlert").filter(has_text=prefix)
    expect(warnings.first, f"no warning names “{param}”").to_be_visible()


def quoted(payload: str) -> str:
    """The payload as a message quotes it: whitespace collapsed, cut to the quote limit."""
    shown = " ".join(payload.split())
    return shown if len(shown) <= 24 else shown[:23]


def assert_main_content(page: Page, page_name: str) -> None:
    """The page's title and its main element are there: the link did not empty the page."""
    expect(page.get_by_role("heading", level=1).first).to_have_text(text(TITLES[page_name]))
    main = page.get_by_test_id("stMain")
    if page_name == "playground":
        expect(editor(page, "T")).to_be_visible()
        expect(editor(page, "B")).to_be_visible()
    elif page_name == "teacher":
        expect(main.get_by_role("button", name=text("teacher.new"))).to_be_visible()
    elif page_name in ("pitfalls", "frameworks"):
        expect(main.get_by_test_id("stCode").nth(5)).to_be_visible()
    else:
        expect(main.locator(".js-plotly-plot").first).to_be_visible()


# --- 1. injection ---------------------------------------------------------------------------------


def rotated(payloads: tuple[str, ...], params: tuple[str, ...], offset: int) -> dict[str, str]:
    """Every parameter gets a payload; neighbours get different ones; `offset` shifts the pairing."""
    return {param: payloads[(i + offset) % len(payloads)] for i, param in enumerate(params)}


@pytest.mark.parametrize("page_name", PAGES)
def test_script_html_and_markdown_in_every_parameter_stay_text(tab: Tab, app_url: str, page_name: str) -> None:
    # 12 payloads over 18 parameters, neighbours different; the offset (5 is prime to 12) pairs them
    # differently on each page.
    query = rotated(SCRIPT_PAYLOADS + MARKDOWN_PAYLOADS, ALL_PARAMS, PAGES.index(page_name) * 5)
    visit(tab, app_url, page_name, query)

    assert_nothing_ran(tab)  # includes: no link and no image inside an alert
    assert_main_content(tab.page, page_name)
    alerts = "\n".join(alert_texts(tab.page))
    for param in reads(page_name):
        assert_named(tab.page, param)
        shown = quoted(query[param])
        assert shown in alerts, f"“{param}”: {shown!r} is not quoted as typed in {alerts!r}"


@pytest.mark.parametrize("page_name", ["playground", "losses"])
def test_a_url_in_a_parameter_is_not_made_a_link(tab: Tab, app_url: str, page_name: str) -> None:
    query = rotated(URL_PAYLOADS, ALL_PARAMS, 0)
    visit(tab, app_url, page_name, query)

    assert_nothing_ran(tab)
    alerts = "\n".join(alert_texts(tab.page))
    for param in reads(page_name):
        assert query[param] in alerts, f"“{param}”: {query[param]!r} is not shown as typed in {alerts!r}"


def test_payload_typed_into_a_cell_of_T_stays_text(tab: Tab, app_url: str) -> None:
    tab.clear()
    open_app(tab.page, app_url, {"preset": "so-question"})
    for payload in ('<img src=x onerror="window.__pwned=1">', "<svg/onload=alert(1)>"):
        type_into_cell(tab.page, "T", 0, 0, payload, charts=None)
        assert_nothing_ran(tab)
        expect(cell(tab.page, "T", 0, 0)).to_have_value(payload)  # kept as typed, to be corrected
        errors = "\n".join(alert_texts(tab.page))
        assert f"T[0,0] is “{quoted(payload)}" in errors, f"typed {payload!r}, the message says {errors!r}"


def single_entry_q() -> int:
    """A quiz problem that asks for one entry, so its answer box is a text input."""
    return next(q for q in range(1, 1000) if quiz.make_problem(q).cell is not None)


def check_quiz_answer(page: Page, typed: str) -> None:
    page.get_by_test_id("stTextInput").locator("input").fill(typed)
    rerun(page, lambda: page.get_by_role("button", name=text("quiz.check"), exact=True).click(), charts=None)


def test_script_typed_into_the_quiz_answer_stays_text(tab: Tab, app_url: str) -> None:
    visit(tab, app_url, "quiz", {"q": str(single_entry_q())})
    for payload in SCRIPT_PAYLOADS[:2]:
        check_quiz_answer(tab.page, payload)
        assert_nothing_ran(tab)
        errors = "\n".join(alert_texts(tab.page))
        assert quoted(payload)[:10] in errors, f"typed {payload!r}, the message says {errors!r}"


def test_markdown_typed_into_the_quiz_answer_stays_text(tab: Tab, app_url: str) -> None:
    visit(tab, app_url, "quiz", {"q": str(single_entry_q())})
    for payload in MARKDOWN_PAYLOADS[:2]:
        check_quiz_answer(tab.page, payload)
        errors = "\n".join(alert_texts(tab.page))
        assert_nothing_ran(tab)
        assert payload in errors, f"typed {payload!r}, the message says {errors!r}"


# --- 2. the hostile corpus ------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    name: str
    query: dict[str, str | list[str]]
    param: str | None
    page_name: str

    @property
    def url_length(self) -> int:
        return len(PATHS[self.page_name]) + 2 + len(urlencode(self.query, doseq=True))


INLINE_CORPUS = [  # used only while tests/data/hostile_urls.json does not exist
    {"name": "T-script", "query": {"T": "<script>alert(1)</script>"}, "param": "T"},
    {"name": "seed-markdown-link", "query": {"seed": "[x](https://ev.il)"}, "param": "seed"},
    {"name": "dtype-repeated-last-bad", "query": {"dtype": ["float64", "<b>x</b>"]}, "param": "dtype"},
    {"name": "wrt-markdown-link", "query": {"wrt": "[x](https://ev.il)"}, "param": "wrt"},
    {"name": "target-markdown-link", "query": {"loss": "sq-error", "target": "[x](y)"}, "param": "target"},
    {"name": "q-repeated-last-bad", "query": {"q": ["42", "<script>alert(1)</script>"]}, "param": "q"},
    {"name": "lang-markdown-link", "query": {"lang": "[x](https://ev.il)"}, "param": "lang"},
    {"name": "preset-100kB", "query": {"preset": "1," * 51200}, "param": "preset"},
    {"name": "empty-query", "query": {}, "param": None},
]


def page_for(raw: dict, index: int) -> str:
    """A page that reads the case's parameter (and its page-specific keys), rotating by `index`."""
    keys = set(raw["query"]) | ({raw["param"]} if raw["param"] else set())
    for name, own in OWN_PARAMS.items():
        if keys & set(own):
            return name
    candidates = readers(raw["param"]) if raw["param"] in ALL_PARAMS else PAGES
    return candidates[index % len(candidates)]


MARKDOWN = re.compile(r"\[[^\]]*\]\([^)]*\)")  # [text](url) or ![alt](url)
URL = re.compile(r"https?://|www\.", re.IGNORECASE)


def values(query: dict[str, str | list[str]]) -> list[str]:
    """The value the app reads for each key: the last one of a repeated key."""
    return [v[-1] if isinstance(v, list) else v for v in query.values() if v]


def browser_priority(raw: dict) -> int | None:
    """How much a browser adds for this case (lower first); None: value parsing only, AppTest's job."""
    query = raw["query"]
    if any(isinstance(v, list) for v in query.values()):
        return 0  # a repeated key: which value wins is up to the frontend and the server
    texts = values(query)
    if any(not v.isascii() or not v.isprintable() for v in texts):
        return 1  # non-ASCII or control characters through URL encoding
    if any(MARKDOWN.search(v) or URL.search(v) for v in texts):
        return 2  # Markdown and web addresses; part 1 puts Markdown in every parameter on every page
    if any("<" in v or "javascript:" in v.lower() for v in texts):
        return 3  # HTML; part 1 covers it for every parameter on every page
    return None


def parsing_only(raw: dict) -> bool:
    """One known parameter with a plain ASCII value (`q=+7`): nothing for a browser to add."""
    (key, *others) = raw["query"] or {"": ""}
    return not others and key in ALL_PARAMS and browser_priority(raw) is None


def load_cases() -> list[Case]:
    """The corpus cases for this file: per parameter the PER_PARAM ones a browser adds most to,
    every parameter-less case, and every over-long URL (checked over HTTP)."""
    raw_cases = json.loads(CORPUS.read_text(encoding="utf-8")) if CORPUS.exists() else INLINE_CORPUS
    run_all = os.environ.get("GRADFLOW_E2E_ALL_HOSTILE") == "1"
    cases = [Case(raw["name"], raw["query"], raw["param"], page_for(raw, i)) for i, raw in enumerate(raw_cases)]
    chosen: list[Case] = []
    per_param: dict[str, list[tuple[int, int, Case]]] = {}
    for index, (raw, case) in enumerate(zip(raw_cases, cases, strict=True)):
        priority = browser_priority(raw)
        if run_all or case.url_length > LONG_URL or (case.param is None and not parsing_only(raw)):
            chosen.append(case)
        elif priority is not None:
            per_param.setdefault(case.param, []).append((priority, index, case))
    for ranked in per_param.values():
        chosen += [case for _, _, case in sorted(ranked, key=lambda r: r[:2])[:PER_PARAM]]
    return sorted(chosen, key=cases.index)


CASES = load_cases()


BROWSER_CASES = [pytest.param(c, id=c.name) for c in CASES if c.url_length <= LONG_URL]


@pytest.mark.parametrize("case", BROWSER_CASES)
def test_hostile_link_is_named_and_the_page_keeps_working(tab: Tab, app_url: str, case: Case) -> None:
    visit(tab, app_url, case.page_name, case.query)  # fails on a traceback (stException)

    assert_nothing_ran(tab)
    assert_main_content(tab.page, case.page_name)
    if case.param is not None:
        assert_named(tab.page, case.param)
    else:  # nothing the page reads was wrong: no warning about the link
        prefixes = [link_warning_prefix(param) for param in ALL_PARAMS]
        stray = [a for a in alert_texts(tab.page) if any(p in a for p in prefixes)]
        assert not stray, f"{case.name}: unexpected link warnings {stray}"
    assert healthy(app_url, HEALTH_TIMEOUT_S), "the server is not healthy after this link"


@pytest.mark.parametrize("case", [c for c in CASES if c.url_length > LONG_URL], ids=lambda c: c.name)
def test_overlong_link_gets_a_clean_answer_and_the_server_stays_healthy(app_url: str, case: Case) -> None:
    url = f"{app_url}/{PATHS[case.page_name]}?{urlencode(case.query, doseq=True)}"
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            status = response.status
    except urllib.error.HTTPError as error:  # its body may be cut off by the server closing
        status = error.code
    assert status == 200 or 400 <= status < 500, f"{case.name}: HTTP {status} for a {len(url)}-byte URL"
    assert healthy(app_url, HEALTH_TIMEOUT_S), "the server is not healthy after this link"
