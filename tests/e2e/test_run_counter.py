"""The browser tests' run counter recognises Streamlit's script_finished message, and only that.

Every browser test waits for the run an action starts through `tests.helpers.browser.RUN_COUNTER_JS`. A
fragment rerun can finish before React ever shows "running", so the `script_finished` message is
then the only sign that it ran: a parser that misreads it makes a test wait for a run that has
long finished, and time out at random (the message carries fresh run and fragment ids each run).
Here the parser runs in Chromium on real ForwardMsg serialisations, made by Streamlit's protobuf
classes, with ids and lengths that vary like the real ones.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from tests.helpers.browser import FINISHES_JS


@pytest.fixture(scope="module")
def blank(browser: Browser) -> Iterator[Page]:
    """A page with nothing loaded: the parser needs no server."""
    page = browser.new_page()
    yield page
    page.close()


def detected(page: Page, messages: list[bytes]) -> list[bool]:
    """What the browser-side parser says about each serialised message."""
    return page.evaluate(
        f"(all) => all.map((bytes) => ({FINISHES_JS})(new Uint8Array(bytes).buffer))",
        [list(message) for message in messages],
    )


def finished(rng: random.Random, fragment: bool) -> ForwardMsg:
    """The last message of a run, with fresh ids like a real one."""
    message = ForwardMsg()
    message.metadata.run.script_run_id = str(uuid.UUID(int=rng.getrandbits(128)))
    if fragment:
        message.metadata.run.fragment_ids.append(uuid.UUID(int=rng.getrandbits(128)).hex)
        message.script_finished = ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY
    else:
        message.script_finished = ForwardMsg.FINISHED_SUCCESSFULLY
    return message


def others(rng: random.Random) -> list[ForwardMsg]:
    """Messages of a run that are not its end, with payloads full of bytes that look like tags."""
    status = ForwardMsg()
    status.session_status_changed.script_is_running = True
    idle = ForwardMsg()
    idle.session_status_changed.SetInParent()
    page_info = ForwardMsg()
    page_info.page_info_changed.query_string = "preset=so-question&seed=row%3A" + str(rng.randrange(100))
    delta = ForwardMsg()
    delta.hash = uuid.UUID(int=rng.getrandbits(128)).hex
    delta.metadata.delta_path.extend([0, 3, rng.randrange(300)])
    delta.delta.new_element.markdown.body = "0" * rng.randrange(1, 400)  # "0" is 0x30, field 6's tag
    return [status, idle, page_info, delta]


def test_every_script_finished_is_recognised_whatever_its_ids(blank: Page) -> None:
    rng = random.Random(20261128)
    messages: list[ForwardMsg] = []
    for _ in range(200):
        messages.append(finished(rng, fragment=rng.random() < 0.5))
        messages.extend(others(rng))
    expected = [message.HasField("script_finished") for message in messages]
    assert sum(expected) == 200
    assert detected(blank, [message.SerializeToString() for message in messages]) == expected


def test_parser_reads_lengths_of_more_than_one_byte(blank: Page) -> None:
    """A metadata field longer than 127 bytes has a two-byte length, as real runs with many fragments do."""
    message = ForwardMsg()
    message.metadata.run.script_run_id = "x" * 300
    message.script_finished = ForwardMsg.FINISHED_SUCCESSFULLY
    plain = ForwardMsg()
    plain.metadata.run.script_run_id = "0" * 300
    assert detected(blank, [message.SerializeToString(), plain.SerializeToString()]) == [True, False]


def test_text_frames_are_not_runs(blank: Page) -> None:
    assert blank.evaluate(f"({FINISHES_JS})('0')") is False
