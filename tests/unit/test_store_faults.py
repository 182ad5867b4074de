"""store under stress: a PostgreSQL server stopped in the middle of a class, and 60 students at once.

The fault test plays the quiz's part (ui.classes.flush): each answer keeps its client-made id and is
sent again until it is written; some are sent again after they were written (a reply lost on the
way). When the server is back, every answer is stored exactly once.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

import store
from store.classes import ClassStore
from tests.helpers import postgres


@pytest.fixture(scope="module")
def cluster() -> Iterator[postgres.Cluster]:
    """A cluster of this module's own: the fault test stops and starts it."""
    postgres.require()
    with postgres.running() as started:
        yield started


def new_store(url: str) -> ClassStore:
    store.migrate(url)
    return ClassStore(url)


def send(db: ClassStore, code: str, pending: list[dict]) -> None:
    """Write the waiting answers in order; stop at the first the database cannot take now."""
    while pending:
        answer = pending[0]
        try:
            db.record_answer(code, **answer)
        except store.UnavailableError:
            return
        pending.pop(0)


def answer(student: int, n: int) -> dict:
    return {
        "answer_id": uuid.uuid4().hex,
        "anon_id": f"student-{student}",
        "problem": 42,
        "entered": [(0, 0, float(n))],
        "right": n % 2 == 0,
    }


def test_a_database_stopped_during_answers_loses_none_and_stores_none_twice(cluster):
    db = new_store(store.normalize_url(postgres.fresh_database(cluster.url)))
    code, _ = db.create_class()
    queues: list[list[dict]] = [[] for _ in range(5)]
    written: list[dict] = []
    for n in range(30):
        if n == 10:
            cluster.stop()
        if n == 20:
            cluster.start()
        for student, queue in enumerate(queues):
            queue.append(answer(student, n))
            written.append(queue[-1])
            send(db, code, queue)
        if n == 15:
            assert all(len(queue) >= 5 for queue in queues)  # waiting while the server is down
    for queue in queues:
        send(db, code, queue)
        assert queue == []
    for again in written[::7]:  # replies lost on the way: the same answers sent again
        assert db.record_answer(code, **again) is False
    assert db.count_answers(code) == len(written) == 150
    (problem,) = db.class_summary(code).problems
    assert problem.answers == 5  # each student's first answer
    db.dispose()


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_sixty_students_checking_at_once(kind, tmp_path, request):
    if kind == "sqlite":
        url = store.sqlite_url(tmp_path)
    else:
        url = store.normalize_url(postgres.fresh_database(request.getfixturevalue("cluster").url))
    db = new_store(url)
    code, _ = db.create_class()
    answers = [answer(student, 0) for student in range(60)]
    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(lambda a: db.record_answer(code, **a), answers))
    assert results == [True] * 60
    assert db.count_answers(code) == 60
    summary = db.class_summary(code)
    assert summary.students == 60 and summary.problems[0].answers == 60
    db.dispose()
