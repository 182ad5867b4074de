"""The playground with the page's size known (ui/viewport.py), in AppTest: the browser's report is set
as the session's Viewport, as its callback would set it."""

from __future__ import annotations

import json

from tests.helpers.apptest import start
from ui import viewport
from ui.viewport import Size, Viewport

LESSON = ("B (3×3) and its row sums Σ", "dL/dT (5×3)", "dL/dB (3×3)")


def fonts(at) -> dict[str, int]:
    """Each chart's title and the font size of its numbers."""
    found = {}
    for chart in at.get("plotly_chart"):
        figure = json.loads(chart.proto.spec)
        title = figure["layout"].get("title", {}).get("text")
        cells = [t for t in figure["data"] if t.get("type") == "scatter"]
        if title and cells:
            found[title] = cells[0]["textfont"]["size"]
    return found


def report(at, size: Size) -> None:
    """What the measuring component's callback does when the browser sends `size`, then the run it starts."""
    state = at.session_state[viewport.STATE]
    assert isinstance(state, Viewport)
    state.size, state.redraw_next = size, True
    at.session_state[viewport.STATE] = state
    at.run()


def test_before_the_browser_reports_a_size_the_numbers_have_their_base_size() -> None:
    at = start(preset="so-question")
    assert not at.exception
    assert {title: fonts(at)[title] for title in LESSON} == dict.fromkeys(LESSON, 16)


def test_a_wide_page_draws_the_lesson_bigger_and_the_forward_pass_no_bigger() -> None:
    at = start(preset="so-question")
    report(at, Size(1092, 900))
    assert not at.exception
    drawn = fonts(at)
    assert {drawn[title] for title in LESSON} == {20}  # the 1440×900 laptop, as docs/playground.png shows
    assert max(drawn.values()) == 20


def test_a_redraw_shows_the_link_warnings_again() -> None:
    at = start(preset="nope", seed="entry:9,9")
    warnings = [w.value for w in at.warning]
    assert len(warnings) >= 2
    report(at, Size(1092, 900))
    assert [w.value for w in at.warning] == warnings  # a redraw is not the user's doing
    at.run()  # nor is the run it brings (the resized clickable charts' empty selections)
    assert [w.value for w in at.warning] == warnings
    at.run()
    assert [w.value for w in at.warning] == []  # the user's next run drops them, as before
