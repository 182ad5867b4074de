"""/teacher driven through AppTest: a new class, its links and QR code, the dashboard, controls, both languages.

Class data goes to a temporary SQLite folder (tests/app/conftest.py `class_data_dir`); answers are
put in through `store` directly, as the quiz would write them (tests/app/test_quiz_class.py drives that).
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

import store
from core import classroom, quiz
from core.explain import fmt
from tests.helpers.apptest import APP, TIMEOUT, values
from ui.text import text

pytestmark = pytest.mark.usefixtures("app_navigation")


def open_teacher(**query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in query.items():
        at.query_params[key] = value
    at.switch_page("pages/teacher.py")
    return at.run()


def no_exception(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def button(at: AppTest, label: str):
    (found,) = [b for b in at.button if b.label == label]
    return found


def link(at: AppTest, name: str) -> str:
    """The last value of a parameter the page wrote into the address bar."""
    value = at.query_params[name]
    return value[-1] if isinstance(value, list) else value


def db() -> store.ClassStore:
    """The store the app uses (migrated first: a test may run before any page did)."""
    store.migrate(store.database_url())
    return store.ClassStore(store.database_url())


def page_text(at: AppTest) -> str:
    return "\n".join(values(at.markdown) + values(at.caption) + values(at.info) + values(at.error) + values(at.code))


def one_entry_problem() -> tuple[quiz.QuizProblem, str, float]:
    """A one-entry problem, a known mistake and the wrong value it gives."""
    for q in range(500):
        p = quiz.make_problem(q)
        if p.cell is not None:
            right = float(p.answer[p.cell])
            for name, value in classroom.mistake_values(p, p.cell).items():
                if abs(value - right) > 1e-9:
                    return p, name, value
    raise AssertionError


def test_a_plain_visit_offers_a_new_class():
    at = open_teacher()
    no_exception(at)
    assert at.title[0].value == "Teacher: the class at a glance"
    assert button(at, "New class")
    assert not at.error and not at.metric


def test_new_class_shows_the_student_link_its_qr_code_and_the_teacher_link():
    at = open_teacher()
    at = button(at, "New class").click().run()
    no_exception(at)
    code, key = link(at, "class"), link(at, "key")
    assert classroom.parse_code(code) == code and len(key) * 6 >= 128
    links = values(at.code)
    assert f"/quiz?class={code}" in links
    assert f"/teacher?class={code}&key={key}" in links
    assert len(at.get("image")) == 1  # the QR code
    assert "No answers yet" in page_text(at)
    assert [m.value for m in at.metric] == [0, 0] or [str(m.value) for m in at.metric] == ["0", "0"]
    assert db().open_class(code, key) is not None


def test_the_dashboard_shows_answers_rights_and_the_common_wrong_value_with_its_diagnosis():
    p, mistake, wrong = one_entry_problem()
    s = db()
    code, key = s.create_class()
    right = float(p.answer[p.cell])
    for n, (value, ok) in enumerate([(right, True), (wrong, False), (wrong, False)]):
        s.record_answer(
            code, answer_id=f"{code}-{n}", anon_id=f"s{n}", problem=p.q, entered=[(*p.cell, value)], right=ok
        )
    s.join(code, "s9", "<b>Ada</b>")
    at = open_teacher(**{"class": code, "key": key})
    no_exception(at)
    shown = page_text(at)
    assert f"**Problem {p.q}**: 3 answers, 1 right (33% right)" in shown
    assert f"{p.label(*p.cell)} = {fmt(right)}: 1 of 3 right" in shown
    (table,) = [d.value for d in at.table]
    assert table.index[0] == fmt(wrong) and table.iloc[0, 0] == 2
    assert text(f"class.diag.{mistake}") in table.iloc[0, 1]
    assert "\\<b\\>Ada\\</b\\>" in shown  # a nickname is shown escaped
    assert [str(m.value) for m in at.metric] == ["4", "3"]
    assert [b.label for b in at.get("download_button")] == ["Download every answer (CSV)"]


@pytest.mark.parametrize("case", ["wrong key", "unknown class", "no key"])
def test_a_wrong_key_and_an_unknown_class_show_the_same_message_and_no_data(case):
    s = db()
    code, key = s.create_class()
    s.record_answer(code, answer_id=f"{code}-x", anon_id="s1", problem=7, entered=[(0, 0, 1.0)], right=False)
    other = next(c for c in iter(classroom.new_code, None) if s.class_info(c) is None)
    query = {
        "wrong key": {"class": code, "key": classroom.new_key()},
        "unknown class": {"class": other, "key": key},
        "no key": {"class": code},
    }[case]
    at = open_teacher(**query)
    no_exception(at)
    assert [e.value for e in at.error] == [text("teacher.no_class", days=30)]
    assert not at.metric and not at.table and not at.get("image") and not at.get("download_button")
    assert code not in page_text(at).replace(f"class={code}", "")


def test_put_a_problem_in_front_of_the_class_and_end_it():
    s = db()
    code, key = s.create_class()
    at = open_teacher(**{"class": code, "key": key})
    at.number_input(key="teacher_q").set_value(4242)
    at = button(at, "Put in front of the class").click().run()
    no_exception(at)
    assert s.class_info(code).problem == 4242
    assert "In front of the class: problem **4242**." in page_text(at)
    at = button(at, "Let students choose").click().run()
    assert s.class_info(code).problem is None
    at = button(at, "End class").click().run()
    no_exception(at)
    assert s.class_info(code).ended is not None
    assert "This class has ended: it takes no more answers." in page_text(at)


def test_the_dashboard_in_chinese():
    p, _, wrong = one_entry_problem()
    s = db()
    code, key = s.create_class()
    s.record_answer(code, answer_id=f"{code}-z", anon_id="s1", problem=p.q, entered=[(*p.cell, wrong)], right=False)
    at = open_teacher(**{"class": code, "key": key, "lang": "zh"})
    no_exception(at)
    assert at.title[0].value == "教师：全班一览"
    assert f"**第 {p.q} 题**：1 个答案，0 个正确（正确率 0%）" in page_text(at)
    assert button(at, "新建班级") and button(at, "结束班级")
    wrong_link = open_teacher(**{"class": code, "key": classroom.new_key(), "lang": "zh"})
    assert [e.value for e in wrong_link.error] == [text("teacher.no_class", "zh", days=30)]


def test_new_classes_are_rate_limited(monkeypatch):
    from ui import classes

    monkeypatch.setattr(classes.NEW_CLASSES, "capacity", 1)
    monkeypatch.setattr(classes.NEW_CLASSES, "rate", 0.0)
    monkeypatch.setattr(classes.NEW_CLASSES, "buckets", type(classes.NEW_CLASSES.buckets)())
    at = open_teacher()
    at = button(at, "New class").click().run()
    first = link(at, "class")
    at = button(at, "New class").click().run()  # the same client (here: session) again
    no_exception(at)
    assert link(at, "class") == first
    assert [w.value for w in at.warning] == [text("teacher.rate_limited")]
