"""store: every function of the class-data API, on SQLite and on a real throwaway PostgreSQL cluster.

The PostgreSQL half starts a cluster once per run (tests/helpers/postgres.py) and gives each test a
fresh database; it is skipped when PostgreSQL is missing, and fails instead with CI=true.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import inspect, text

import store
from core import classroom, quiz
from store.classes import ClassStore
from tests.helpers import postgres


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """One cluster for the whole run."""
    if postgres.binaries() is None:
        if os.environ.get("CI") == "true":
            pytest.fail(postgres.MISSING)
        pytest.skip(postgres.MISSING)
    with postgres.cluster() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path) -> str:
    """A migrated, empty database of each kind."""
    if request.param == "sqlite":
        url = store.sqlite_url(tmp_path)
    else:
        url = store.normalize_url(postgres.fresh_database(request.getfixturevalue("pg_server")))
    store.migrate(url)
    return url


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def db(url: str, clock: Clock) -> Iterator[ClassStore]:
    s = ClassStore(url, clock=clock)
    yield s
    s.dispose()


def one_entry_problem() -> quiz.QuizProblem:
    """A problem asking for one entry, for which a known mistake gives a wrong value."""
    for q in range(500):
        p = quiz.make_problem(q)
        if p.cell is not None and any(
            abs(v - p.answer[p.cell]) > 1e-9 for v in classroom.mistake_values(p, p.cell).values()
        ):
            return p
    raise AssertionError("no such problem")


def answer(db: ClassStore, code: str, student: str, q: int, cell, value: float, right: bool, n: int = 0, **kw) -> bool:
    return db.record_answer(
        code, answer_id=f"{student}-{q}-{n}", anon_id=student, problem=q, entered=[(*cell, value)], right=right, **kw
    )


# --- configuration ----------------------------------------------------------------------------------


def test_urls_and_days_from_the_environment(tmp_path):
    assert store.normalize_url("postgresql://u:p@h:5432/d") == "postgresql+psycopg://u:p@h:5432/d"
    assert store.normalize_url("postgres://u@h/d") == "postgresql+psycopg://u@h/d"
    assert store.normalize_url("sqlite:///x.db") == "sqlite:///x.db"
    assert store.database_url({"GRADFLOW_DATABASE_URL": "postgresql://a@b/c"}) == "postgresql+psycopg://a@b/c"
    assert store.database_url({"GRADFLOW_DATA_DIR": str(tmp_path)}) == f"sqlite:///{tmp_path}/gradflow.db"
    assert store.database_url({}).endswith("/data/gradflow.db")
    assert store.class_days({}) == 30
    assert store.class_days({"GRADFLOW_CLASS_DAYS": "7"}) == 7
    assert store.class_days({"GRADFLOW_CLASS_DAYS": "-1"}) == 30
    assert store.class_days({"GRADFLOW_CLASS_DAYS": "soon"}) == 30


# --- schema -----------------------------------------------------------------------------------------


def test_the_migration_creates_the_schema_and_runs_again_harmlessly(url):
    store.migrate(url)
    engine = store.make_engine(url)
    try:
        tables = set(inspect(engine).get_table_names())
        assert {"classes", "students", "answers", "alembic_version"} <= tables
        uniques = {tuple(u["column_names"]) for u in inspect(engine).get_unique_constraints("answers")}
        indexes = {tuple(i["column_names"]) for i in inspect(engine).get_indexes("answers") if i.get("unique")}
        assert ("answer_id",) in uniques | indexes
        columns = {c["name"] for t in ("classes", "students", "answers") for c in inspect(engine).get_columns(t)}
        assert not {"ip", "ip_address", "email", "user_agent"} & columns  # no personal data
    finally:
        engine.dispose()


def test_sqlite_runs_in_wal_mode(tmp_path):
    url = store.sqlite_url(tmp_path / "nested")
    store.migrate(url)  # creates the folder
    engine = store.make_engine(url)
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    engine.dispose()


# --- classes and keys -------------------------------------------------------------------------------


def test_create_and_open_a_class(db, url):
    code, key = db.create_class()
    assert classroom.parse_code(code) == code
    info = db.open_class(code, key)
    assert info is not None and info.code == code and info.ended is None and info.problem is None
    assert db.open_class(code.lower(), key) == info
    engine = store.make_engine(url)
    with engine.connect() as connection:
        dump = repr(connection.execute(text("SELECT * FROM classes")).all())
    engine.dispose()
    assert key not in dump  # only the salted hash


@pytest.mark.parametrize("case", ["wrong key", "unknown class", "bad code", "no key"])
def test_a_wrong_key_and_an_unknown_class_give_the_same_none(db, case):
    code, key = db.create_class()
    other = next(c for c in iter(classroom.new_code, None) if c != code)
    args = {
        "wrong key": (code, key[:-1] + ("A" if key[-1] != "A" else "B")),
        "unknown class": (other, key),
        "bad code": ("'; DROP TABLE classes; --", key),
        "no key": (code, None),
    }[case]
    assert db.open_class(*args) is None
    assert db.open_class(code, key) is not None


def test_set_problem_and_end_class(db):
    code, _ = db.create_class()
    db.set_problem(code, 42)
    assert db.class_info(code).problem == 42
    db.set_problem(code, None)
    assert db.class_info(code).problem is None
    db.end_class(code)
    ended = db.class_info(code).ended
    assert ended is not None
    db.end_class(code)
    assert db.class_info(code).ended == ended
    with pytest.raises(store.UnknownClassError):
        db.set_problem("ACDEFG" if code != "ACDEFG" else "CDEFGH", 1)
    assert db.class_info("nope") is None


# --- students and answers ---------------------------------------------------------------------------


def test_join_cleans_the_nickname_and_counts_a_student_once(db):
    code, _ = db.create_class()
    db.join(code, "s1", "  Ada\x00 Lovelace  ")
    db.join(code, "s1", "")
    db.join(code, "s2")
    summary = db.class_summary(code)
    assert summary.students == 2 and summary.nicknames == ("Ada Lovelace",)
    with pytest.raises(store.UnknownClassError):
        db.join("QQQQQQ", "s1")
    db.end_class(code)
    with pytest.raises(store.ClassEndedError):
        db.join(code, "s3")


def test_record_answer_is_idempotent_and_refused_after_the_end(db):
    code, _ = db.create_class()
    assert answer(db, code, "s1", 7, (0, 0), 3.0, False)
    assert not answer(db, code, "s1", 7, (0, 0), 3.0, False)  # the same answer id again
    assert answer(db, code, "s1", 7, (0, 0), 4.0, True, n=1)  # a recheck is a new answer
    assert db.count_answers(code) == 2
    db.end_class(code)
    assert not answer(db, code, "s1", 7, (0, 0), 4.0, True, n=1)  # already stored: still fine
    with pytest.raises(store.ClassEndedError):
        answer(db, code, "s2", 7, (0, 0), 4.0, True)
    with pytest.raises(store.UnknownClassError):
        answer(db, "QQQQQQ", "s2", 7, (0, 0), 4.0, True)
    with pytest.raises(ValueError):
        answer(db, code, "s3", 7, (0, 0), float("inf"), False)
    assert db.count_answers(code) == 2


def test_the_summary_counts_first_answers_and_names_the_mistakes(db):
    p = one_entry_problem()
    right = float(p.answer[p.cell])
    mistake, wrong = next((n, v) for n, v in classroom.mistake_values(p, p.cell).items() if abs(v - right) > 1e-9)
    code, _ = db.create_class()
    answer(db, code, "s1", p.q, p.cell, right, True)
    answer(db, code, "s2", p.q, p.cell, wrong, False)
    answer(db, code, "s3", p.q, p.cell, wrong, False)
    answer(db, code, "s3", p.q, p.cell, right, True, n=1)  # a recheck after seeing the answer
    answer(db, code, "s4", p.q, p.cell, 1234.0, False)
    summary = db.class_summary(code)
    assert summary.students == 4
    (problem,) = summary.problems
    assert (problem.q, problem.answers, problem.right) == (p.q, 4, 1)
    assert problem.share_right == 0.25
    (entry,) = problem.entries
    assert (
        entry.cell == p.cell
        and entry.label == p.label(*p.cell)
        and entry.answer == right
        and (entry.answers, entry.right) == (4, 1)
    )
    assert entry.wrong[0].value == wrong and entry.wrong[0].count == 2 and mistake in entry.wrong[0].mistakes
    assert entry.wrong[1].value == 1234.0 and entry.wrong[1].mistakes == ()


def test_the_summary_of_a_whole_gradient_question_has_every_entry(db):
    p = quiz.make_problem(42)
    assert p.cell is None
    code, _ = db.create_class()
    entered = [(i, j, float(p.answer[i, j])) for i, j in p.cells()]
    db.record_answer(code, answer_id="a", anon_id="s1", problem=42, entered=entered, right=True)
    (problem,) = db.class_summary(code).problems
    assert [e.cell for e in problem.entries] == p.cells()
    assert all(e.answers == 1 and e.right == 1 and e.wrong == () for e in problem.entries)


def test_answers_csv(db, clock):
    code, _ = db.create_class()
    answer(db, code, "s1", 5, (0, 1), -2.5, False, nickname="=HYPERLINK(1)")
    clock.now += timedelta(seconds=3)
    answer(db, code, "s2", 5, (0, 1), 4.0, True)
    rows = list(csv.reader(io.StringIO(db.answers_csv(code))))
    assert rows[0] == ["time_utc", "problem", "student", "nickname", "entries", "right"]
    assert rows[1][0] == "2026-12-01T09:00:00+00:00"
    assert rows[1][1:] == ["5", rows[1][2], "'=HYPERLINK(1)", "[0,1]=-2.5", "no"]
    assert rows[2][3:] == ["", "[0,1]=4", "yes"]
    assert len(rows) == 3


def test_purge_deletes_old_classes_with_their_answers(db, clock):
    old, _ = db.create_class()
    answer(db, old, "s1", 5, (0, 0), 1.0, True)
    clock.now += timedelta(days=20)
    new, key = db.create_class()
    answer(db, new, "s1", 5, (0, 0), 1.0, True, n=1)  # answer ids are unique across classes
    clock.now += timedelta(days=11)
    assert db.purge_older_than(30) == 1
    assert db.class_info(old) is None and db.class_info(new) is not None
    assert db.count_answers(new) == 1
    assert db.purge_older_than(30) == 0
    clock.now += timedelta(days=30)
    assert db.purge_older_than(30) == 1
    assert db.open_class(new, key) is None


def test_an_unreachable_database_raises_unavailable():
    port = postgres.free_port()
    db = ClassStore(store.normalize_url(f"postgresql://nobody@127.0.0.1:{port}/none"))
    with pytest.raises(store.UnavailableError):
        db.create_class()
    with pytest.raises(store.UnavailableError):
        db.record_answer("ACDEFG", answer_id="x", anon_id="s", problem=1, entered=[(0, 0, 1.0)], right=True)
    with pytest.raises(store.UnavailableError):
        store.migrate(db.url)
    db.dispose()
