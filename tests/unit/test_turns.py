"""server.turns: runs take turns one at a time, first come first served, and never get stuck."""

from __future__ import annotations

import threading
import time

import pytest

from server.turns import TURNS, Turns, in_turn


def wait_until(condition, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.001)


def test_runs_go_one_at_a_time_in_the_order_they_arrived():
    turns = Turns()
    order: list[int] = []
    inside = []
    release = threading.Event()

    def run(i: int) -> None:
        with turns.turn():
            inside.append(i)
            assert len(inside) == 1, "two runs at once"
            order.append(i)
            if i == 0:
                release.wait(5)
            inside.remove(i)

    first = threading.Thread(target=run, args=(0,))
    first.start()
    wait_until(lambda: order == [0])
    others = []
    for i in range(1, 8):  # each queues behind the ones before it
        others.append(threading.Thread(target=run, args=(i,)))
        others[-1].start()
        wait_until(lambda i=i: turns.waiting == i)
    release.set()
    for thread in [first, *others]:
        thread.join(5)
    assert order == list(range(8))
    assert turns.waiting == 0


def test_a_run_already_in_its_turn_does_not_queue_again():
    turns = TURNS  # the one in_turn uses

    @in_turn
    def fragment() -> str:
        return "drawn"

    with turns.turn(), turns.turn():  # a fragment called by the page's own run
        assert fragment() == "drawn"
    with turns.turn():  # and the turn is free again afterwards
        pass


def test_an_exception_passes_the_turn_on():
    turns = Turns()
    with pytest.raises(RuntimeError), turns.turn():
        raise RuntimeError("st.stop() or a bug")
    done = threading.Event()

    def next_run() -> None:
        with turns.turn():
            done.set()

    thread = threading.Thread(target=next_run)
    thread.start()
    assert done.wait(5)
    thread.join(5)


def test_a_turn_handed_over_cannot_be_taken_by_a_newcomer():
    turns = Turns()
    order: list[str] = []
    hold = threading.Event()

    def run(name: str, wait: threading.Event | None = None) -> None:
        with turns.turn():
            order.append(name)
            if wait is not None:
                wait.wait(5)

    first = threading.Thread(target=run, args=("first", hold))
    first.start()
    wait_until(lambda: order == ["first"])
    queued = threading.Thread(target=run, args=("queued",))
    queued.start()
    wait_until(lambda: turns.waiting == 1)
    hold.set()
    first.join(5)
    late = threading.Thread(target=run, args=("late",))
    late.start()
    queued.join(5)
    late.join(5)
    assert order == ["first", "queued", "late"]
