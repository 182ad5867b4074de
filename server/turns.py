"""Script runs of one server process take turns, in the order they arrive.

Streamlit runs every session's script in its own thread, and Python lets one thread run at a
time: when a class clicks at once, ten runs share the interpreter in 5 ms slices and all of them
finish late, in an order left to the scheduler. Taking turns, first come first served, each run
keeps the interpreter until it is done: the first student waits one run, the tenth ten, so the
average wait is about half as long and the slowest no longer wait beyond the tenth
(bench/rerun_bench.py, docs/speed.md). The work is the same; TensorFlow's own threads are
unaffected, and a run never waits for anything but earlier runs.

A turn is handed directly to the next waiting run (no race to take it), and a run that is
already in its turn (a fragment called by the page's own run) does not queue again. app.py takes
the turn around every full run; a fragment's rerun skips app.py, so pages decorate fragments with
`in_turn` (docs/server.md).
"""

from __future__ import annotations

import functools
import threading
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


class Turns:
    """A first-come-first-served, reentrant turn for the runs of one process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._waiting: deque[tuple[int, threading.Event]] = deque()  # (thread, its wake-up), in order
        self._owner: int | None = None
        self._depth = 0

    @contextmanager
    def turn(self) -> Iterator[None]:
        """Wait for this thread's turn (at once when nobody runs), and pass it on afterwards."""
        me = threading.get_ident()
        with self._lock:
            if self._owner == me:
                self._depth += 1
                woken = None
            elif self._owner is None:
                self._owner, self._depth = me, 1
                woken = None
            else:
                woken = threading.Event()
                self._waiting.append((me, woken))
        if woken is not None:
            woken.wait()  # the run before us has already made us the owner
        try:
            yield
        finally:
            self._leave()

    def _leave(self) -> None:
        with self._lock:
            self._depth -= 1
            if self._depth:
                return
            if not self._waiting:
                self._owner = None
                return
            # Handed over, not released: nobody arriving now can take the turn before the next run wakes.
            self._owner, woken = self._waiting.popleft()
            self._depth = 1
            woken.set()

    @property
    def waiting(self) -> int:
        """How many runs are waiting now."""
        return len(self._waiting)


TURNS = Turns()
"""The one queue of this process (the module is imported once, not on every rerun)."""


def in_turn(function: Callable[P, R]) -> Callable[P, R]:
    """Run `function` in the process's turn: for an `st.fragment`, whose reruns skip app.py."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with TURNS.turn():
            return function(*args, **kwargs)

    return wrapper
