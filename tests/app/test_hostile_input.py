"""Hostile links: every case of tests/data/hostile_urls.json opened on every page of the real app.

Each case is a query string (a list value is a repeated parameter, `?T=a&T=b`) and the parameter
the page must name in a message, or null when nothing is to be said (unknown parameters are
ignored silently, and of a repeated parameter only the last value counts, as `st.query_params`
reads it). A page names a parameter only if it reads it (`READS`): the quiz ignores T, the
playground ignores q. "Naming" means a link warning (icon 🔗) or an input error (icon ✋, e.g.
numbers whose product overflows) whose text has the parameter's name as a word.

For every (case, page) the page must: raise nothing and show no traceback; still show its main
content (for a link warning, the fallback problem's numbers); say what the case expects and
nothing else; quote at most a clipped piece of any value (a 100 kB value stays out of the page);
render no user text as HTML or as a markdown link; and leave a repaired share link in the address
bar. The browser tests (tests/e2e) open the same file against a live server.

Every case opens a fresh session, so no case sees what an earlier one left in session state.
"""

from __future__ import annotations

import functools
import gc
import json
import re
from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

import core
from core import chain, losses, pitfalls, quiz
from core import problem as qs
from tests.helpers.apptest import editors
from tests.helpers.paths import DATA, TITLES
from tests.helpers.real_app import RealApp, pin_navigation_mode, skip_component_discovery, spy_navigation
from ui import a11y, link_hover, touch
from ui.text import text

CORPUS = DATA / "hostile_urls.json"
CASES: list[dict[str, Any]] = json.loads(CORPUS.read_text(encoding="utf-8"))

LANG = "lang"
PROBLEM = {*qs.PARAMS, LANG}
READS: dict[str, set[str]] = {
    "playground": PROBLEM,
    "jacobian": PROBLEM | {"wrt"},
    "losses": PROBLEM | {"loss", "entry", "target"},
    "pitfalls": PROBLEM,
    "frameworks": PROBLEM,
    "quiz": {"q", "class", LANG},
    "chain": {*chain.CHAIN_PARAMS, LANG},
    "teacher": {"class", "key", LANG},
}
"""The URL parameters each page reads (core.problem.PARAMS through ui.url, its own
through ui.common.page_param, and app.py's language switch); /chain reads its own network
(core.chain.CHAIN_PARAMS, through ui.chain); the quiz's student link and /teacher read a class code
and a teacher key (core.classroom)."""

EXPECTED_ON: dict[tuple[str, str], str] = {
    ("chain", "all-good"): "preset",  # the playground's preset "identity" is no network of /chain's
}
"""Where a case's expectation differs on one page: (page, case) → the parameter named there."""

LINK_ICON, INPUT_ICON = "🔗", "✋"
MESSAGE_LIMIT = 600
"""Longest message a case may produce: a sentence plus a clipped quote, never the value itself."""
PAGE_TEXT_LIMIT = 60_000
"""All the text a page shows (sentences, code, captions), for any case: far below a 100 kB value."""
MARKDOWN_LINK = re.compile(r"(?<!\\)\[[^\]\n]*\]\([^)\n]*\)")
"""`[text](url)` or `![](url)` that markdown would turn into a link or a remote image (outside code spans)."""
CODE_SPAN = re.compile(r"`[^`\n]*`")


# --- the corpus -------------------------------------------------------------------------------


def test_the_corpus_is_well_formed() -> None:
    """The format the browser tests read too: name, query (str or list of str), param (str or null)."""
    assert len(CASES) >= 100
    names = [case["name"] for case in CASES]
    assert len(set(names)) == len(names), "case names must be unique"
    every_param = set().union(*READS.values())
    for case in CASES:
        assert set(case) == {"name", "query", "param"}, case["name"]
        assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9-]*", case["name"]), case["name"]
        for value in case["query"].values():
            assert isinstance(value, str) or (isinstance(value, list) and all(isinstance(v, str) for v in value))
        assert case["param"] is None or (case["param"] in case["query"] and case["param"] in every_param)
    covered = {case["param"] for case in CASES}
    assert covered >= every_param, f"no case names {every_param - covered}"


def test_every_parameter_gets_the_generic_hostile_values() -> None:
    """Empty, HTML/script, a javascript: URL and a 100 kB value, in every parameter any page reads."""
    generic = ("empty", "script", "img-onerror", "javascript-url", "100kB")
    names = {case["name"] for case in CASES}
    missing = [f"{p}-{g}" for p in sorted(set().union(*READS.values())) for g in generic if f"{p}-{g}" not in names]
    assert not missing


# --- reading what a page shows ----------------------------------------------------------------


def elements(at: AppTest) -> Iterator[Any]:
    """Every element (not container) of the page, main area and sidebar."""
    for root in (at.main, at.sidebar):
        for node in root:
            if not hasattr(node, "children"):
                yield node


def element_text(element: Any) -> str:
    """The text an element carries to the browser (for charts and tables: their serialized spec)."""
    value = getattr(element, "value", None)
    if isinstance(value, str):
        return value
    proto = getattr(element, "proto", None)
    return proto.SerializeToString().decode("utf-8", "replace") if proto is not None else ""


def names(param: str, message: str) -> bool:
    """True when `message` has `param` as a word (not inside another name: 'T' is not in 'Text')."""
    return re.search(rf"(?<![A-Za-z0-9_]){re.escape(param)}(?![A-Za-z0-9_])", message) is not None


def values_of(case: dict[str, Any]) -> list[str]:
    return [v for value in case["query"].values() for v in ([value] if isinstance(value, str) else value)] + [
        str(key) for key in case["query"]
    ]


def main_content(at: AppTest, page: str, stopped: bool) -> list[str]:
    """What is missing from the page's main content (empty when it is all there).

    `stopped`: an input error (✋) ended the computation; the page then still shows its title and
    the inputs to fix (the playground's editors, the other pages' one-line summary).
    """
    missing = []
    if [x.value for x in at.title] != [text(TITLES[page])]:
        missing.append(f"title {[x.value for x in at.title]}")
    charts = len(at.get("plotly_chart"))
    if page == "playground":
        if len(editors(at)) < 2:
            missing.append("the T and B editors")
        if not stopped and (charts != 7 or not at.success):
            missing.append(f"6 heatmaps, the marks' legend and the check (charts: {charts})")
    elif page == "chain":
        if not stopped and (charts < 13 or len(at.success) + len(at.warning) < 3):
            missing.append(f"the network's heatmaps and the three checks (charts: {charts})")
    elif page == "quiz":
        if charts < 3 or not at.get("form"):
            missing.append(f"the problem's heatmaps and the prediction form (charts: {charts})")
    elif page == "teacher":
        if not at.button:  # "New class"; a link's class is shown only with its key
            missing.append("the New class button")
    else:
        if not any("T is" in x.value for x in at.markdown):
            missing.append("the problem summary")
        if not stopped:
            expect = {
                "jacobian": charts >= 4 and bool(at.success),
                "losses": charts >= 6 and len(at.metric) == 1 and bool(at.success),
                "pitfalls": len(at.subheader) >= len(pitfalls.PITFALLS),
                "frameworks": bool(at.success) and len(at.code) >= 9,
            }[page]
            if not expect:
                missing.append(f"the computed content (charts: {charts})")
    return missing


def url_is_repaired(at: AppTest, page: str) -> list[str]:
    """What is still wrong with the address bar after the run (empty when it is a clean share link)."""
    url = {key: at.query_params[key] for key in at.query_params}
    last = {key: value[-1] if isinstance(value, list) else value for key, value in url.items()}
    wrong = []
    if page == "quiz":
        try:
            quiz.parse_q(last.get("q", ""))
        except core.InputError as error:
            wrong.append(f"q: {error}")
        return wrong  # the quiz writes only q; it leaves the rest of the link as it came
    if page == "teacher":
        return wrong  # the teacher page writes no link of its own; it leaves the link as it came
    unknown = set(last) - READS[page]
    if unknown:
        wrong.append(f"unknown parameters kept: {sorted(unknown)[:5]}")
    if page == "chain":  # its own network, not the playground's problem
        _, chain_errors = chain.chain_from_query({k: v for k, v in last.items() if k in chain.CHAIN_PARAMS})
        return wrong + [f"{e.param}: {e.error}" for e in chain_errors]
    _, errors = qs.from_query({key: value for key, value in last.items() if key in qs.PARAMS})
    wrong += [f"{e.param}: {e.error}" for e in errors]
    if page == "losses" and last.get("loss") not in losses.LOSSES:
        wrong.append(f"loss: {last.get('loss')!r}")
    if page == "jacobian" and last.get("wrt", "T") not in ("T", "B"):
        wrong.append(f"wrt: {last.get('wrt')!r}")
    return wrong


# --- the app ----------------------------------------------------------------------------------


@pytest.fixture(scope="module", autouse=True)
def tensorflow_imported() -> Iterator[None]:
    """Import TensorFlow before the first run, then freeze the heap it leaves behind.

    Streamlit calls keras' clear_session, a full gc.collect, after every run; with TensorFlow's
    objects frozen out of the collector's sight that costs milliseconds instead of a tenth of a second.
    """
    so = core.preset("so-question")
    core.tf_jacobians(so.T, so.B)
    gc.collect()
    gc.freeze()
    yield
    gc.unfreeze()


@pytest.fixture(scope="module")
def app() -> Iterator[RealApp]:
    with pytest.MonkeyPatch.context() as monkeypatch:
        pin_navigation_mode(monkeypatch)
        skip_component_discovery(monkeypatch)
        yield RealApp(spy_navigation(monkeypatch))


@pytest.fixture(scope="module")
def content_errors(app: RealApp) -> dict[str, set[str]]:
    """The ✋ errors each page shows as content for a plain visit (the frameworks page's
    "PyTorch refuses…"), so that they are not mistaken for messages about the link."""
    found = {}
    for page in READS:
        at = app.open_query(page, {})
        assert not [w.value for w in at.warning if w.icon == LINK_ICON]
        found[page] = {e.value for e in at.error if e.icon == INPUT_ICON}
        assert not main_content(at, page, stopped=False), page
    return found


# --- every case on every page -----------------------------------------------------------------


def structural(case: dict[str, Any]) -> bool:
    """A case whose harm does not depend on who reads it: a huge value, many or repeated parameters,
    odd parameter names, or no parameter at all."""
    query = case["query"]
    return (
        not query
        or len(query) > 20
        or any(isinstance(value, list) or len(value) > 1000 for value in query.values())
        or any(not re.fullmatch(r"\w+", key, re.ASCII) for key in query)
    )


def runs() -> list[Any]:
    """Each case on every page that reads one of its parameters, and structural cases on all pages.

    A page looks at no parameter it does not read (`st.query_params.get` of its own names,
    `core.problem.PARAMS` through the playground state); what it does with the rest of the link (keep
    it, or drop it while rewriting the URL) depends only on the link's size and shape, which the
    structural cases cover on every page. Running every case on every page would take half as long
    again and check the same code.
    """
    params = []
    for case in CASES:
        for page, reads in READS.items():
            if not (set(case["query"]) & reads or structural(case)):
                continue
            params.append(pytest.param(case, page, id=f"{page}:{case['name']}"))
    return params


@functools.cache
def fixed_scripts() -> frozenset[str]:
    """The st.html bodies a page may draw: ui/touch.py's, ui/link_hover.py's and ui/a11y.py's scripts, fixed in
    their source."""
    bodies: list[str] = []

    def draw(body: str, **_: Any) -> None:
        bodies.append(body)

    with mock.patch.object(st, "html", draw), mock.patch.object(st.sidebar, "html", draw):
        touch.hover_on_touch()
        link_hover.frame_links_on_hover()
        a11y.script()
    return frozenset(bodies)


@pytest.mark.parametrize(("case", "page"), runs())
def test_hostile_link(app: RealApp, content_errors: dict[str, set[str]], case: dict[str, Any], page: str) -> None:
    at = app.open_query(page, case["query"])  # checks: app.py's navigation ran, no exception element
    shown = [(element, element_text(element)) for element in elements(at)]

    for element, content in shown:
        assert "Traceback (most recent call last)" not in content, f"a traceback in {element.type}"
        assert element.type != "html" or element.proto.body in fixed_scripts(), "st.html with user input"
        if element.type == "markdown" and element.proto.allow_html:
            for value in values_of(case):
                assert len(value) < 4 or value not in content, "a link value rendered as HTML"

    warnings = [w.value for w in at.warning if w.icon == LINK_ICON]
    errors = [e.value for e in at.error if e.icon == INPUT_ICON and e.value not in content_errors[page]]
    messages = warnings + errors
    expected = EXPECTED_ON.get((page, case["name"]), case["param"] if case["param"] in READS[page] else None)
    if expected is None:
        assert messages == [], "a link the page ignores (or whose last value is fine) gave messages"
    else:
        assert messages, f"no message names “{expected}”"
        assert all(names(expected, m) for m in messages), f"a message that does not name “{expected}”: {messages}"
    for message in messages:
        assert len(message) <= MESSAGE_LIMIT, f"a message of {len(message)} characters"
        live = MARKDOWN_LINK.search(CODE_SPAN.sub("", message))
        assert not live, f"a value renders as markdown: {live.group(0) if live else ''} in {message}"

    for value in values_of(case):
        if len(value) > 100:
            assert not any(value[:100] in content for _, content in shown), "a long value is echoed into the page"
    page_text = sum(len(content) for element, content in shown if isinstance(getattr(element, "value", None), str))
    assert page_text <= PAGE_TEXT_LIMIT, f"the page shows {page_text} characters of text"

    assert not main_content(at, page, stopped=bool(errors))
    if not errors:  # a run stopped by an input error leaves the link as it came, for the student to fix
        assert not url_is_repaired(at, page)
