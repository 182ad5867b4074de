"""Load on a class: 60 students press Check at once over Streamlit's websocket protocol.

    .venv/bin/python bench/class_bench.py [--students 60] [--python PATH]

Starts Gradflow as `make run` does (`python serve.py`, bench/ws_client.py) with class data in a
temporary GRADFLOW_DATA_DIR (SQLite, the embedded default; set GRADFLOW_DATABASE_URL to measure
PostgreSQL instead), creates a class and puts a one-entry problem in front of it. `--students`
sessions open the student link, then all send their Check within the same instant, the way the
browser sends a form: the answer box's text and the submit button's trigger. Then a teacher
session opens the dashboard. Prints the time until every Check's run finished, how many rows were
stored, the dashboard's run time, and PASS/FAIL against the issue's targets (every row stored
exactly once, no error, all checks within 5 s, the dashboard within 3 s). A benchmark, not a test:
`make test` never runs it.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from ws_client import ROOT, Server, Session, error_summary, machine_line

sys.path.insert(0, str(ROOT))

CHECKS_TARGET_S = 5.0
DASHBOARD_TARGET_S = 3.0


class Student(Session):
    """A session that remembers the quiz form's widgets and can send a Check with a typed value."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.widgets: dict[str, str] = {}  # label -> widget id (text inputs and buttons)
        self.typed: tuple[str, str, str] | None = None  # (text input id, value, submit button id)

    async def connect(self, timeout: float = 30.0) -> None:
        await super().connect(timeout)
        inner = self.ws
        outer = self

        class Spy:
            """The websocket, reading each message's widgets on the way."""

            def __getattr__(self, name: str) -> object:
                return getattr(inner, name)

            async def recv(self, decode: bool = False) -> bytes:
                data = await inner.recv(decode=decode)
                msg = ForwardMsg.FromString(data)
                if msg.WhichOneof("type") == "delta" and msg.delta.WhichOneof("type") == "new_element":
                    element = msg.delta.new_element
                    kind = element.WhichOneof("type")
                    if kind == "text_input":
                        outer.widgets[element.text_input.label] = element.text_input.id
                    elif kind == "button":
                        outer.widgets[element.button.label] = element.button.id
                return data

        self.ws = Spy()  # type: ignore[assignment]

    def _back_msg(self, query: str, page: str | None) -> BackMsg:
        msg = super()._back_msg(query, page)
        if self.typed is not None:
            text_id, value, button_id = self.typed
            states = msg.rerun_script.widget_states.widgets
            typed = states.add()
            typed.id, typed.string_value = text_id, value
            pressed = states.add()
            pressed.id, pressed.trigger_value = button_id, True
            self.typed = None
        return msg


async def run(server: Server, students: int) -> bool:
    import store
    from core import quiz
    from core.explain import fmt

    db = store.ClassStore(store.database_url())
    code, key = db.create_class()
    q = next(q for q in range(1, 1000) if quiz.make_problem(q).cell is not None)
    p = quiz.make_problem(q)
    db.set_problem(code, q)
    label = f"Your {p.label(*p.cell)}"

    opened = []
    for _ in range(students):
        session = Student(server.url, "quiz", f"class={code}&q={q}")
        await session.connect()
        first = await session.rerun()
        opened.append((session, first))
    errors = [r for _, r in opened if not r.ok]
    sessions = [s for s, _ in opened]
    missing = [s for s in sessions if label not in s.widgets or "Check" not in s.widgets]
    if missing:
        print(f"FAIL  {len(missing)} sessions saw no answer box or Check button")
        return False
    value = fmt(float(p.answer[p.cell])).replace("−", "-")
    for n, s in enumerate(sessions):
        s.typed = (s.widgets[label], value if n % 3 == 0 else value + "1", s.widgets["Check"])
    started = time.perf_counter()
    checks = await asyncio.gather(*(s.rerun() for s in sessions))
    checks_s = time.perf_counter() - started
    errors += [r for r in checks if not r.ok]
    stored = db.count_answers(code)

    teacher = Session(server.url, "teacher", f"class={code}&key={key}")
    started = time.perf_counter()
    await teacher.connect()
    dashboard = await teacher.rerun()
    dashboard_s = time.perf_counter() - started
    errors += [] if dashboard.ok else [dashboard]
    summary = db.class_summary(code)
    for s in [*sessions, teacher]:
        await s.close()

    ok_rows = stored == students and summary.problems[0].answers == students
    print(f"{students} checks sent at once: all finished in {checks_s:.2f} s (target {CHECKS_TARGET_S:.0f} s)")
    print(f"rows stored: {stored} (expected {students}); right: {summary.problems[0].right}")
    print(f"dashboard opened and drawn in {dashboard_s:.2f} s (target {DASHBOARD_TARGET_S:.0f} s)")
    print(f"errors: {len(errors)} {error_summary(errors)}")
    verdicts = {
        "every answer stored once": ok_rows,
        "no error": not errors,
        f"checks within {CHECKS_TARGET_S:.0f} s": checks_s <= CHECKS_TARGET_S,
        f"dashboard within {DASHBOARD_TARGET_S:.0f} s": dashboard_s <= DASHBOARD_TARGET_S,
    }
    for name, passed in verdicts.items():
        print(f"{'PASS' if passed else 'FAIL'}  {name}")
    return all(verdicts.values())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=60)
    parser.add_argument("--python", default=sys.executable)
    options = parser.parse_args()
    print(machine_line("class_bench"))
    with tempfile.TemporaryDirectory(prefix="class-bench-") as folder:
        os.environ.setdefault("GRADFLOW_DATA_DIR", folder)  # the server inherits it
        import store

        store.migrate(store.database_url())
        with Server("app", python=options.python) as server:
            server.start()
            ok = asyncio.run(run(server, options.students))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
