"""The quiz opened with a student link (?class=CODE), through AppTest: answers stored, the teacher's
problem, a nickname, a database that is away (the verdict still shows, the answer waits and is
written once when it is back), an ended or unknown class, both languages."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

import store
from core import quiz
from core.explain import fmt
from tests.helpers.apptest import APP, TIMEOUT, values
from tests.helpers.postgres import free_port
from ui import classes
from ui.text import text

pytestmark = pytest.mark.usefixtures("app_navigation")


def db() -> store.ClassStore:
    """The store the app uses (migrated first: a test may run before any page did)."""
    store.migrate(store.database_url())
    return store.ClassStore(store.database_url())


def one_entry_q() -> int:
    return next(q for q in range(1000) if quiz.make_problem(q).cell is not None)


def open_quiz(**query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in query.items():
        at.query_params[key] = value
    at.switch_page("pages/quiz.py")
    at = at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def current_q(at: AppTest) -> int:
    value = at.query_params["q"]
    return int(value[-1] if isinstance(value, list) else value)


def answer(at: AppTest, right: bool, label: str = "Check") -> AppTest:
    """Type the right (or a wrong) value for the one asked entry, then press Check."""
    q = current_q(at)
    p = quiz.make_problem(q)
    value = float(p.answer[p.cell]) + (0 if right else 1)
    at.text_input(key=f"quiz_entry_{q}").input(fmt(value).replace("−", "-"))
    (check,) = [b for b in at.button if b.label == label]
    at = check.click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def shown(at: AppTest) -> str:
    return "\n".join(values(at.markdown) + values(at.caption) + values(at.warning) + values(at.info))


def test_every_check_is_stored_with_the_nickname():
    s = db()
    code, _ = s.create_class()
    q = one_entry_q()
    at = open_quiz(**{"class": code, "q": str(q)})
    assert f"You are in class **{code}**" in shown(at)
    at.text_input(key="class_nickname").input("  Ada\x07 ").run()
    at = answer(at, right=True)
    assert at.success  # the verdict
    assert "✔️ " + text("quiz.saved") in values(at.caption)
    at = answer(at, right=False)  # a recheck is stored too
    assert s.count_answers(code) == 2
    summary = s.class_summary(code)
    assert summary.students == 1 and summary.nicknames == ("Ada",)
    (problem,) = summary.problems
    assert (problem.q, problem.answers, problem.right) == (q, 1, 1)  # the first answer counts


def test_the_teacher_s_problem_is_the_student_s_problem():
    s = db()
    code, _ = s.create_class()
    s.set_problem(code, 4242)
    at = open_quiz(**{"class": code, "q": "7"})
    assert current_q(at) == 4242
    assert text("quiz.class_problem") in values(at.caption)


def test_the_verdict_shows_while_the_database_is_away_and_the_answer_is_written_once_when_it_is_back(monkeypatch):
    s = db()
    code, _ = s.create_class()
    q = one_entry_q()
    away = store.ClassStore(store.normalize_url(f"postgresql://nobody@127.0.0.1:{free_port()}/none"))
    monkeypatch.setattr(classes, "class_store", lambda: away)
    at = open_quiz(**{"class": code, "q": str(q)})
    assert text("quiz.class_unavailable") in values(at.warning)
    at = answer(at, right=True)
    assert at.success  # the verdict, whatever the database does
    assert text("quiz.pending", count=1) in values(at.warning)
    at = answer(at, right=False)
    assert text("quiz.pending", count=2) in values(at.warning)
    assert s.count_answers(code) == 0
    monkeypatch.undo()  # the database is back
    at.run()
    assert s.count_answers(code) == 2
    assert "✔️ " + text("quiz.saved") in values(at.caption)
    at.run()
    assert s.count_answers(code) == 2  # written once
    away.dispose()


def test_an_ended_class_takes_no_answers():
    s = db()
    code, _ = s.create_class()
    s.end_class(code)
    at = open_quiz(**{"class": code, "q": str(one_entry_q())})
    assert text("quiz.class_ended") in values(at.info)
    at = answer(at, right=True)
    assert at.success
    assert s.count_answers(code) == 0


def test_an_unknown_or_malformed_class_leaves_a_working_quiz():
    at = open_quiz(**{"class": "QQQQQQ", "q": str(one_entry_q())})
    assert text("quiz.class_unknown", code="QQQQQQ") in values(at.warning)
    at = answer(at, right=True)
    assert at.success
    bad = open_quiz(**{"class": "<script>", "q": "5"})
    (warning,) = [w.value for w in bad.warning if w.icon == "🔗"]
    assert "class" in warning and "<script>" not in warning
    assert "class_nickname" not in [w.key for w in bad.text_input]


def test_class_mode_in_chinese():
    s = db()
    code, _ = s.create_class()
    at = open_quiz(**{"class": code, "q": str(one_entry_q()), "lang": "zh"})
    assert f"你在班级 **{code}** 中" in shown(at)
    at = answer(at, right=True, label="检验")
    assert "✔️ " + text("quiz.saved", "zh") in values(at.caption)
    assert s.count_answers(code) == 1


def test_too_many_checks_at_once_wait_and_are_sent_later(monkeypatch):
    s = db()
    code, _ = s.create_class()
    monkeypatch.setattr(classes.ANSWERS, "capacity", 0)  # every check over the limit
    monkeypatch.setattr(classes.ANSWERS, "buckets", type(classes.ANSWERS.buckets)())
    at = open_quiz(**{"class": code, "q": str(one_entry_q())})
    at = answer(at, right=True)
    assert at.success
    assert text("quiz.rate_limited", count=1) in values(at.warning)
    assert s.count_answers(code) == 0
    monkeypatch.undo()
    at.run()
    assert s.count_answers(code) == 1
    assert "✔️ " + text("quiz.saved") in values(at.caption)
