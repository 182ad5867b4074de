"""A class in a real browser: a teacher creates it, three students answer, the dashboard follows live.

One right answer and two students typing the same wrong value (a known mistake): the teacher's
dashboard, left open, shows "3 answers, 1 right" and that wrong value with what it reveals within
3 s of the last Check, without anyone reloading it. A wrong key shows none of it; a server restart
loses nothing. Once on SQLite in a temporary GRADFLOW_DATA_DIR (the embedded default), once on a
throwaway PostgreSQL cluster (GRADFLOW_DATABASE_URL), skipped without PostgreSQL unless CI=true.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from core import classroom, quiz
from core.explain import fmt
from tests.helpers import postgres
from tests.helpers.browser import new_context, query, rerun, snap, wait_for_app
from tests.helpers.server import Server, free_port, streamlit_command
from ui import classes
from ui.text import text

HEALTH_TIMEOUT_S = 90
DASHBOARD_TIMEOUT_MS = 3000  # the bound: the dashboard shows an answer within 3 s


def problem_with_a_mistake() -> tuple[quiz.QuizProblem, float, str]:
    """A one-entry problem, a wrong value a known mistake gives, and that mistake's name."""
    for q in range(1, 1000):
        p = quiz.make_problem(q)
        if p.cell is not None:
            right = float(p.answer[p.cell])
            for name, value in classroom.mistake_values(p, p.cell).items():
                if abs(value - right) > 1e-9 and value == int(value):
                    return p, value, name
    raise AssertionError


@pytest.fixture(params=["sqlite", "postgresql"])
def data_dir(request: pytest.FixtureRequest) -> Iterator[tuple[Path, str | None]]:
    """A temporary folder (server logs, SQLite's file) and the PostgreSQL URL, or None for SQLite."""
    folder = Path(tempfile.mkdtemp(prefix="class-e2e-", dir="/tmp"))
    try:
        if request.param == "sqlite":
            yield folder, None
        else:
            postgres.require()
            with postgres.running() as cluster:
                yield folder, postgres.fresh_database(cluster.url)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def start(where: tuple[Path, str | None]) -> Server:
    data_dir, url = where
    port = free_port()
    env = {**os.environ, "GRADFLOW_DATA_DIR": str(data_dir)}
    env.pop("GRADFLOW_DATABASE_URL", None)
    if url is not None:
        env["GRADFLOW_DATABASE_URL"] = url
    server = Server(streamlit_command(port), port=port, env=env, log=data_dir / f"server-{port}.log")
    server.wait_healthy(HEALTH_TIMEOUT_S)
    return server


def open_page(page: Page, url: str) -> None:
    page.goto(url.split("/teacher")[0].split("/quiz")[0] + "/")  # the first load of a fresh server registers the pages
    wait_for_app(page)
    page.goto(url)
    wait_for_app(page)


def student(browser: Browser, url: str, typed: float, nickname: str) -> BrowserContext:
    """A student opens the student link, gives a nickname, types a value and presses Check."""
    context = new_context(browser)
    page = context.new_page()
    open_page(page, url)
    p = quiz.make_problem(int(query(page)["q"]))
    page.get_by_role("textbox", name=text("quiz.nickname"), exact=True).fill(nickname)
    page.get_by_role("textbox", name=text("quiz.nickname"), exact=True).press("Enter")
    wait_for_app(page)
    page.get_by_role("textbox", name=f"Your {p.label(*p.cell)}", exact=True).fill(fmt(typed).replace("−", "-"))
    rerun(page, lambda: page.get_by_role("button", name="Check").click(), charts=None)
    expect(page.get_by_text(text("quiz.saved"))).to_be_visible()
    return context


def test_three_students_and_a_live_dashboard_that_survives_a_restart(
    browser: Browser, data_dir: tuple[Path, str | None]
) -> None:
    p, wrong, mistake = problem_with_a_mistake()
    right = float(p.answer[p.cell])
    server = start(data_dir)
    contexts = []
    try:
        teacher = new_context(browser)
        contexts.append(teacher)
        dashboard = teacher.new_page()
        open_page(dashboard, f"{server.url}/teacher")
        rerun(dashboard, lambda: dashboard.get_by_role("button", name=text("teacher.new")).click(), charts=None)
        link = query(dashboard)
        code, key = link["class"], link["key"]
        assert classroom.parse_code(code) == code
        expect(dashboard.get_by_text(f"/quiz?class={code}")).to_be_visible()
        expect(dashboard.get_by_role("img")).not_to_have_count(0)  # the QR code

        number = dashboard.get_by_label(text("teacher.put_label"))
        number.fill(str(p.q))
        number.press("Enter")
        wait_for_app(dashboard)
        put = dashboard.get_by_role("button", name=text("teacher.put"))
        rerun(dashboard, put.click, charts=None)
        expect(dashboard.get_by_text(f"In front of the class: problem {p.q}.")).to_be_visible()

        student_link = f"{server.url}/quiz?class={code}"
        for n, typed in enumerate([right, wrong, wrong]):
            contexts.append(student(browser, student_link, typed, f"student {n}"))

        expect(dashboard.get_by_text("3 answers, 1 right")).to_be_visible(timeout=DASHBOARD_TIMEOUT_MS)
        table = dashboard.get_by_test_id("stTable")
        expect(table).to_contain_text(fmt(wrong), timeout=DASHBOARD_TIMEOUT_MS)
        expect(table).to_contain_text(text(f"class.diag.{mistake}"))
        expect(dashboard.get_by_text(f"{p.label(*p.cell)} = {fmt(right)}: 1 of 3 right")).to_be_visible()
        snap(dashboard, f"class_dashboard_{'postgresql' if data_dir[1] else 'sqlite'}")

        intruder = new_context(browser)
        contexts.append(intruder)
        other = intruder.new_page()
        open_page(other, f"{server.url}/teacher?class={code}&key={classroom.new_key()}")
        expect(other.get_by_text(text("teacher.no_class", days=30))).to_be_visible()
        expect(other.get_by_text("3 answers")).to_have_count(0)
        expect(other.get_by_test_id("stTable")).to_have_count(0)
    finally:
        for context in contexts:
            context.close()
        server.stop()

    server = start(data_dir)  # a restart: the answers are in the database, not in the process
    try:
        context = new_context(browser)
        page = context.new_page()
        open_page(page, f"{server.url}/teacher?class={code}&key={key}")
        expect(page.get_by_text("3 answers, 1 right")).to_be_visible(timeout=DASHBOARD_TIMEOUT_MS)
        context.close()
    finally:
        server.stop()
    folder, url = data_dir
    assert (url is None) == (folder / "gradflow.db").exists()  # the database the run was meant to use


def test_a_students_page_follows_the_teachers_problem_and_the_end_of_the_class(browser: Browser) -> None:
    """Without touching their page, a student gets the problem the teacher puts, then the end of the class."""
    folder = Path(tempfile.mkdtemp(prefix="class-follow-", dir="/tmp"))
    server = start((folder, None))
    contexts = [new_context(browser), new_context(browser)]
    try:
        dashboard, page = contexts[0].new_page(), contexts[1].new_page()
        open_page(dashboard, f"{server.url}/teacher")
        rerun(dashboard, lambda: dashboard.get_by_role("button", name=text("teacher.new")).click(), charts=None)
        code = query(dashboard)["class"]
        open_page(page, f"{server.url}/quiz?class={code}")
        first = int(query(page)["q"])
        expect(page.get_by_text(text("quiz.class_problem"))).to_have_count(0)  # the student's own problem

        put_q = first % 900 + 7  # another problem
        number = dashboard.get_by_label(text("teacher.put_label"))
        number.fill(str(put_q))
        number.press("Enter")
        wait_for_app(dashboard)
        rerun(dashboard, dashboard.get_by_role("button", name=text("teacher.put")).click, charts=None)

        follow_ms = (classes.FOLLOW_SECONDS + 4) * 1000
        expect(page.get_by_text(text("quiz.class_problem"))).to_be_visible(timeout=follow_ms)
        assert query(page)["q"] == str(put_q)
        m, k, n = quiz.make_problem(put_q).shape
        expect(page.get_by_text(f"Problem {put_q}: T is {m}×{k}, B is {k}×{n}")).to_be_visible()

        rerun(dashboard, dashboard.get_by_role("button", name=text("teacher.end")).click, charts=None)
        expect(page.get_by_text(text("quiz.class_ended"))).to_be_visible(timeout=follow_ms)
        snap(page, "class_student_followed")
    finally:
        for context in contexts:
            context.close()
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)
