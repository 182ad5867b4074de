"""The room the page has: the width of the main column and the height of the window, from the browser.

Streamlit tells the server nothing about the screen, yet a heatmap's cells can only grow into the
space there is (issue 18: at 1440 px the lesson's charts left a third of the row empty). So a tiny
`st.components.v2` component, mounted by app.py on every page and hidden, measures the main
column's content width and the window's height and sends them as its state. The first visit of a
session therefore runs twice: once with no size (the charts at their base size, which fit every
screen), then once more when the size arrives. After that it reports only a change of at least
`STEP` pixels (a window resized, the sidebar folded), so a scroll bar coming and going (about 15 px)
cannot make the charts grow and shrink in a loop.

The server's last known size goes back to the script as the component's `data`, and the script
marks the page `data-gf-viewport="settled"` on the root element once the size it measures is the
one the server drew with: the browser tests wait for that before they act (tests/helpers/browser.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple, TypeVar

import numpy as np
import streamlit as st

from core.figures import fit_font, matrix_extent

T = TypeVar("T")

KEY = "gf_viewport"  # the measuring component's key
STATE = "viewport"  # this module's session state: one `Viewport`, kept apart from the component's own state
STEP = 40
"""Pixels a size must change by before it is sent again (more than a scroll bar's width)."""
ROW_GAP = 32
"""Pixels between the charts of a row: Streamlit 1.67 draws `gap="medium"` 2rem apart, as the pages' chart rows use."""
DESIGN_HEIGHT = 768
"""The window height the base layout is made for: the lesson fits a 1024×768 projector at the base
font, so only height beyond this may be spent on bigger cells (`core.figures.fit_font`)."""

_JS = """
export default function ({ data, setStateValue }) {
  const STEP = __STEP__;
  const root = document.documentElement;
  const far = (a, b) => !b || Math.abs(a.width - b.width) >= STEP || Math.abs(a.height - b.height) >= STEP;
  window.__gfViewportCheck = () => {
    const main = document.querySelector('[data-testid="stMainBlockContainer"]');
    if (!main) return;
    const style = getComputedStyle(main);
    const now = {
      width: Math.round(main.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight)),
      height: Math.round(window.innerHeight),
    };
    if (!far(now, data)) {  // the server drew with this size
      root.dataset.gfViewport = 'settled';
      return;
    }
    root.dataset.gfViewport = 'pending';
    // Sent only between runs: a report in the middle of a run would stop it half drawn, and that run's
    // one-shot messages (a bad link's warnings) with it.
    if (!document.querySelector('[data-testid="stApp"][data-test-script-state="notRunning"]')) {
      clearTimeout(window.__gfViewportLater);
      window.__gfViewportLater = setTimeout(() => window.__gfViewportCheck(), 100);
      return;
    }
    if (!data || far(now, window.__gfViewportSent)) {  // not sent yet (a rerun with it may be on its way)
      window.__gfViewportSent = now;
      setStateValue('size', now);
    }
  };
  window.__gfViewportCheck();
  if (!window.__gfViewportWatch) {  // one observer per tab; it calls the latest check, with the latest data
    let timer = null;
    const later = () => { clearTimeout(timer); timer = setTimeout(() => window.__gfViewportCheck(), 150); };
    window.__gfViewportWatch = new ResizeObserver(later);
    window.addEventListener('resize', later);
  }
  const main = document.querySelector('[data-testid="stMainBlockContainer"]');
  if (main) window.__gfViewportWatch.observe(main);
}
""".replace("__STEP__", str(STEP))

_COMPONENT = st.components.v2.component("gradflow.viewport", js=_JS)


class Size(NamedTuple):
    """The main column's content width and the window's height, in CSS pixels."""

    width: int
    height: int


@dataclass
class Viewport:
    """What the server knows of the page's room, and whether the current run only redraws for it."""

    size: Size | None = None  # the last size the browser reported (None before the first report)
    redraw_next: bool = False  # set by the report's callback: the run about to start is a redraw
    redraw: bool = False  # this full run redraws for a new size, or is the run such a redraw brings (`begin_run`)
    follow_up: bool = False  # the next full run may be the one a redraw brings
    shown: dict[str, Any] = field(default_factory=dict)  # one-shot messages the last user's run showed


def _state() -> Viewport:
    if not isinstance(st.session_state.get(STATE), Viewport):
        st.session_state[STATE] = Viewport()
    return st.session_state[STATE]


def _on_size() -> None:
    reported = st.session_state[KEY].get("size") if KEY in st.session_state else None
    size = _parse(reported)
    if size is not None:
        state = _state()
        state.size, state.redraw_next = size, True


def begin_run() -> None:
    """Note whether this full run is a redraw for a new size (app.py, first thing in every run).

    A redraw is not something the user did, so it must not look like one: what the last run showed
    once (a bad link's warnings, a notice) is shown again (`once`), and the cells the last edit
    changed stay marked while the same numbers are drawn (ui/playground.py). The same holds for the
    one full run after a redraw (see below); a user's action that happens to be that run shows a
    link's warnings once more, nothing worse.
    """
    state = _state()
    # A redraw gives the clickable charts new sizes, so Streamlit sees new chart widgets, and the browser
    # answers with their empty selections: one more full run that is not the user's doing either.
    state.redraw = state.redraw_next or state.follow_up
    state.follow_up, state.redraw_next = state.redraw_next, False
    if not state.redraw:
        state.shown = {}


def end_run() -> None:
    """The full run is over (app.py): the fragment runs that follow answer clicks, they never redraw."""
    _state().redraw = False


def redrawing() -> bool:
    """True during a full run the browser's new size started, or the one run such a redraw brings."""
    return _state().redraw


def once(name: str, value: T) -> T:
    """What a one-shot message called `name` shows in this run: `value`, taken from the session this run
    (None or [] for nothing); in a redraw, where nothing new was taken, what the run before showed, so
    the message stays on screen."""
    state = _state()
    if value is not None and value != []:
        state.shown[name] = value
        return value
    return state.shown.get(name, value) if state.redraw else value


def _parse(value: object) -> Size | None:
    """A Size from the browser's report, or None for anything else (the state can be tampered with)."""
    if not isinstance(value, dict):
        return None
    try:
        width, height = int(value["width"]), int(value["height"])
    except (KeyError, TypeError, ValueError, OverflowError):
        return None
    return Size(width, height) if 0 < width <= 100_000 and 0 < height <= 100_000 else None


def watch() -> None:
    """Mount the hidden measuring component (app.py, once per run, on every page)."""
    known = size()
    st.html("<style>.st-key-gf_viewport { display: none; }</style>")  # KEY's element measures; it shows nothing
    _COMPONENT(
        key=KEY,
        data=known._asdict() if known else None,
        default={"size": None},
        on_size_change=_on_size,
        height=0,
    )


def size() -> Size | None:
    """The last size the browser reported for this session, or None before the first report (and in AppTest)."""
    return _state().size


def chart_font(
    charts: Sequence[tuple[np.ndarray, str, str | None]],
    base: int,
    *,
    first_screen: bool = True,
    most: int | None = None,
) -> int:
    """The font a row of matrix charts (values, name, title) fills the main column's width with.

    `base` before the browser has said how wide the page is. `first_screen`: the row is on the
    first screen, so it may only grow by the window's height beyond DESIGN_HEIGHT. `most` caps it
    (a row below the lesson is never drawn bigger than the lesson).
    """
    room = size()
    if room is None:
        return base

    sized = [matrix_extent(M, name, title=title) for M, name, title in charts]

    def extents(font: int) -> list[tuple[int, int]]:
        return [extent(font) for extent in sized]

    spare = max(room.height - DESIGN_HEIGHT, 0) if first_screen else room.height
    return fit_font(extents, room.width, gap=ROW_GAP, base=base, most=most, spare_height=spare)
