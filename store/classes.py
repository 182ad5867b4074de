"""The one module that reads and writes class data; pages call these methods and never write SQL.

Every write is one transaction. A database that cannot be reached raises `UnavailableError` (the quiz
keeps the answer in the session and writes it later); an answer written twice (same `answer_id`)
is stored once. Teacher methods take the code of a class the page has opened with its key
(`open_class`); a wrong key and an unknown class give the same None.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, delete, event, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from core import classroom
from store.models import AnswerRow, ClassRow, StudentRow

TOP_WRONG = 5  # the most common wrong values shown per entry
CSV_UNSAFE = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet would run a cell starting so as a formula


class StoreError(Exception):
    """Base of the errors a page shows in words."""


class UnavailableError(StoreError):
    """The database cannot be reached now (stopped, network, pool timeout): try again later."""


class UnknownClassError(StoreError):
    """No class has this code (or it was purged)."""


class ClassEndedError(StoreError):
    """The teacher ended the class: it takes no more answers."""


@dataclass(frozen=True)
class ClassInfo:
    """What anyone with the code may know: whether the class is open and its current problem."""

    code: str
    created: datetime
    ended: datetime | None
    problem: int | None


@dataclass(frozen=True)
class WrongValue:
    """A wrong value typed for one entry, how many typed it, and the known mistakes it matches."""

    value: float
    count: int
    mistakes: tuple[str, ...]


@dataclass(frozen=True)
class EntrySummary:
    """The answers to one asked entry: how many, how many right, the most common wrong values."""

    cell: tuple[int, int]
    label: str
    answer: float  # the right value
    answers: int
    right: int
    wrong: tuple[WrongValue, ...]


@dataclass(frozen=True)
class ProblemSummary:
    """One problem: N answers (each student's first), K right, and each entry's distribution."""

    q: int
    answers: int
    right: int
    entries: tuple[EntrySummary, ...]

    @property
    def share_right(self) -> float:
        """K / N (0 when nobody answered)."""
        return self.right / self.answers if self.answers else 0.0


@dataclass(frozen=True)
class ClassSummary:
    """The dashboard's data: the class, its students' nicknames, and every problem answered."""

    info: ClassInfo
    students: int
    nicknames: tuple[str, ...]
    problems: tuple[ProblemSummary, ...]


def _utc(moment: datetime | None) -> datetime | None:
    """A stored time as an aware UTC datetime (SQLite gives it back naive)."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _now() -> datetime:
    return datetime.now(UTC)


def make_engine(url: str) -> Engine:
    """An engine for `url`: SQLite in WAL mode with foreign keys and a busy timeout, or a pre-pinged pool."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 15})

        @event.listens_for(engine, "connect")
        def _pragmas(connection: Any, _record: Any) -> None:
            cursor = connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")  # readers (the dashboard) never block the writers
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        return engine
    return create_engine(
        url, pool_pre_ping=True, pool_size=5, max_overflow=10, pool_timeout=5, connect_args={"connect_timeout": 5}
    )


def migrate(url: str) -> None:
    """Bring the database at `url` to the newest schema (Alembic `upgrade head`); safe to run again."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).with_name("migrations")))
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except (OperationalError, DBAPIError) as error:
        raise UnavailableError(str(error)) from error
    finally:
        engine.dispose()


@lru_cache(maxsize=64)
def _problem(q: int) -> Any:
    from core import quiz

    return quiz.make_problem(q)


def _entered(values: Sequence[tuple[int, int, float]]) -> str:
    """The asked entries' values as JSON text, checked: [[i, j, value], …] with finite values."""
    rows = []
    for i, j, value in values:
        number = float(value)
        if not math.isfinite(number):
            raise ValueError("an entered value must be finite")
        rows.append([int(i), int(j), number])
    return json.dumps(rows)


class ClassStore:
    """Class data in the database at `url` (see store.config.database_url)."""

    def __init__(self, url: str, clock: Callable[[], datetime] = _now) -> None:
        self.url = url
        self.clock = clock
        self.engine = make_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    def dispose(self) -> None:
        """Close the pool's connections (tests, shutdown)."""
        self.engine.dispose()

    @contextmanager
    def _session(self) -> Iterator[Session]:
        """One transaction; a connection failure becomes `UnavailableError`."""
        try:
            with self._sessions.begin() as session:
                yield session
        except IntegrityError:
            raise
        except (OperationalError, DBAPIError) as error:
            raise UnavailableError(str(error).splitlines()[0]) from error

    @staticmethod
    def _class(session: Session, code: str) -> ClassRow | None:
        parsed = classroom.parse_code(code)
        if parsed is None:
            return None
        return session.scalars(select(ClassRow).where(ClassRow.code == parsed)).one_or_none()

    @staticmethod
    def _info(row: ClassRow) -> ClassInfo:
        return ClassInfo(row.code, _utc(row.created), _utc(row.ended), row.problem)

    # --- a teacher's class -------------------------------------------------------------------------

    def create_class(self) -> tuple[str, str]:
        """A new class: (code, teacher key). Only the key's salted hash is stored."""
        key = classroom.new_key()
        digest, salt = classroom.hash_key(key)
        for _ in range(20):  # 25**6 codes: a collision is rare, and simply drawn again
            code = classroom.new_code()
            try:
                with self._session() as session:
                    session.add(ClassRow(code=code, key_hash=digest, key_salt=salt, created=self.clock()))
                return code, key
            except IntegrityError:
                continue
        raise StoreError("no free class code")  # pragma: no cover - 20 collisions in a row

    def open_class(self, code: object, key: object) -> ClassInfo | None:
        """The class if `key` is its teacher key; None for a wrong key and an unknown class alike."""
        with self._session() as session:
            row = self._class(session, code) if isinstance(code, str) else None
        if row is None:
            classroom.spend_like_a_check()  # the same work as a wrong key
            return None
        return self._info(row) if classroom.verify_key(key, row.key_hash, row.key_salt) else None

    def class_info(self, code: object) -> ClassInfo | None:
        """What a student link needs: is there such a class, is it open, its problem (no answers)."""
        with self._session() as session:
            row = self._class(session, code) if isinstance(code, str) else None
            return None if row is None else self._info(row)

    def set_problem(self, code: str, q: int | None) -> None:
        """Put problem `q` in front of the class (None: each student's own)."""
        with self._session() as session:
            row = self._class(session, code)
            if row is None:
                raise UnknownClassError(code)
            row.problem = q

    def end_class(self, code: str) -> None:
        """End the class: from now on it takes no answers (already ended: nothing changes)."""
        with self._session() as session:
            row = self._class(session, code)
            if row is None:
                raise UnknownClassError(code)
            if row.ended is None:
                row.ended = self.clock()

    # --- students ----------------------------------------------------------------------------------

    def _student(self, session: Session, row: ClassRow, anon_id: str, nickname: str) -> StudentRow:
        student = session.scalars(
            select(StudentRow).where(StudentRow.class_id == row.id, StudentRow.anon_id == anon_id)
        ).one_or_none()
        name = classroom.clean_nickname(nickname)
        if student is None:
            student = StudentRow(class_id=row.id, anon_id=anon_id[:64], nickname=name, joined=self.clock())
            session.add(student)
            session.flush()
        elif name and name != student.nickname:
            student.nickname = name
        return student

    def join(self, code: str, anon_id: str, nickname: str = "") -> ClassInfo:
        """Add (or rename) the student `anon_id` in the class; raises UnknownClassError, ClassEndedError."""
        with self._session() as session:
            row = self._class(session, code)
            if row is None:
                raise UnknownClassError(code)
            if row.ended is not None:
                raise ClassEndedError(code)
            try:
                with session.begin_nested():
                    self._student(session, row, anon_id, nickname)
            except IntegrityError:  # the same student joined from another run at the same moment
                pass
            return self._info(row)

    def record_answer(
        self,
        code: str,
        *,
        answer_id: str,
        anon_id: str,
        problem: int,
        entered: Sequence[tuple[int, int, float]],
        right: bool,
        nickname: str = "",
        at: datetime | None = None,
    ) -> bool:
        """Store one Check; True if written now, False if this `answer_id` was already stored.

        `at` is when the student checked (an answer written late, after an outage, keeps its time).
        Raises UnknownClassError, ClassEndedError (an answer already stored stays stored), UnavailableError.
        """
        values = _entered(entered)
        try:
            with self._session() as session:
                if session.scalar(select(AnswerRow.id).where(AnswerRow.answer_id == answer_id)) is not None:
                    return False
                row = self._class(session, code)
                if row is None:
                    raise UnknownClassError(code)
                if row.ended is not None:
                    raise ClassEndedError(code)
                student = self._student(session, row, anon_id, nickname)
                session.add(
                    AnswerRow(
                        answer_id=answer_id[:64],
                        class_id=row.id,
                        student_id=student.id,
                        problem=int(problem),
                        entered=values,
                        right=bool(right),
                        created=at or self.clock(),
                    )
                )
            return True
        except IntegrityError:  # written by a concurrent retry of the same answer (or the same student joining)
            with self._session() as session:
                if session.scalar(select(AnswerRow.id).where(AnswerRow.answer_id == answer_id)) is not None:
                    return False
            return self.record_answer(
                code,
                answer_id=answer_id,
                anon_id=anon_id,
                problem=problem,
                entered=entered,
                right=right,
                nickname=nickname,
                at=at,
            )

    # --- what the teacher sees ---------------------------------------------------------------------

    def _first_answers(self, session: Session, row: ClassRow) -> list[tuple[AnswerRow, StudentRow]]:
        """Every answer of the class with its student, oldest first."""
        return list(
            session.execute(
                select(AnswerRow, StudentRow)
                .join(StudentRow, AnswerRow.student_id == StudentRow.id)
                .where(AnswerRow.class_id == row.id)
                .order_by(AnswerRow.created, AnswerRow.id)
            ).tuples()
        )

    def class_summary(self, code: str) -> ClassSummary:
        """Students joined and, per problem, each student's first answer: N, K right, each entry's distribution.

        The first answer counts (as the quiz's own score does): a recheck after the answer was
        shown says nothing about what the student believed.
        """
        with self._session() as session:
            row = self._class(session, code)
            if row is None:
                raise UnknownClassError(code)
            info = self._info(row)
            nicknames = tuple(
                session.scalars(
                    select(StudentRow.nickname).where(StudentRow.class_id == row.id).order_by(StudentRow.joined)
                )
            )
            answers = self._first_answers(session, row)
        first: dict[tuple[int, int], AnswerRow] = {}
        for answer, student in answers:
            first.setdefault((answer.problem, student.id), answer)
        by_problem: dict[int, list[AnswerRow]] = {}
        for answer in first.values():
            by_problem.setdefault(answer.problem, []).append(answer)
        problems = tuple(self._problem_summary(q, rows) for q, rows in sorted(by_problem.items()))
        return ClassSummary(info, len(nicknames), tuple(n for n in nicknames if n), problems)

    @staticmethod
    def _problem_summary(q: int, rows: list[AnswerRow]) -> ProblemSummary:
        problem = _problem(q)
        typed: dict[tuple[int, int], list[float]] = {}
        for answer in rows:
            for i, j, value in json.loads(answer.entered):
                typed.setdefault((int(i), int(j)), []).append(float(value))
        entries = []
        for cell in problem.cells():
            values = typed.get(cell, [])
            right_value = float(problem.answer[cell])
            right = sum(abs(v - right_value) <= 1e-9 for v in values)
            wrong = Counter(v for v in values if abs(v - right_value) > 1e-9)
            common = tuple(
                WrongValue(value, count, classroom.diagnose(problem, cell, value))
                for value, count in sorted(wrong.items(), key=lambda item: (-item[1], item[0]))[:TOP_WRONG]
            )
            entries.append(EntrySummary(cell, problem.label(*cell), right_value, len(values), right, common))
        return ProblemSummary(q, len(rows), sum(a.right for a in rows), tuple(entries))

    def answers_csv(self, code: str) -> str:
        """Every answer of the class as CSV: time (UTC), problem, student, nickname, entries, right."""
        with self._session() as session:
            row = self._class(session, code)
            if row is None:
                raise UnknownClassError(code)
            answers = self._first_answers(session, row)
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["time_utc", "problem", "student", "nickname", "entries", "right"])
        for answer, student in answers:
            nickname = student.nickname
            if nickname.startswith(CSV_UNSAFE):
                nickname = "'" + nickname
            entries = "; ".join(f"[{i},{j}]={value:g}" for i, j, value in json.loads(answer.entered))
            writer.writerow(
                [
                    _utc(answer.created).isoformat(timespec="seconds"),
                    answer.problem,
                    f"s{student.id}",
                    nickname,
                    entries,
                    "yes" if answer.right else "no",
                ]
            )
        return out.getvalue()

    # --- retention ----------------------------------------------------------------------------------

    def purge_older_than(self, days: int) -> int:
        """Delete the classes created more than `days` days ago, with their students and answers; how many."""
        cutoff = self.clock() - timedelta(days=days)
        with self._session() as session:
            old = select(ClassRow.id).where(ClassRow.created < cutoff)
            session.execute(delete(AnswerRow).where(AnswerRow.class_id.in_(old)))
            session.execute(delete(StudentRow).where(StudentRow.class_id.in_(old)))
            gone = session.execute(delete(ClassRow).where(ClassRow.created < cutoff)).rowcount
        return int(gone or 0)

    def count_answers(self, code: str) -> int:
        """How many answers the class has stored (every Check, not only first ones)."""
        with self._session() as session:
            row = self._class(session, code)
            if row is None:
                raise UnknownClassError(code)
            return int(session.scalar(select(func.count()).where(AnswerRow.class_id == row.id)) or 0)
