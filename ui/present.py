"""The presenter view: `present=1` in the URL lays the playground out for a projector.

Bigger numbers on the cells, the sidebar collapsed at load, and the sections a class does not need
to read the lesson (the check, the code, the numbers) folded. It is a URL parameter, like the
language, so a teacher's bookmark or share link opens straight into it; the sidebar's switch turns
it on and off and writes the parameter back.
"""

from __future__ import annotations

import streamlit as st

from core.strings import clip
from ui import viewport
from ui.language import inert, t

PARAM = "present"
VALUES = ("0", "1")
FONT = 19
"""Numbers on cells in the presenter view (16 px otherwise): readable from the back of a room, and
still the editors, the seed, the sentence and all five rows of dL/dT on a 1024×768 projector."""


def presenting() -> bool:
    """True while this session shows the presenter view."""
    return bool(st.session_state.get("present", False))


def settle() -> bool:
    """Read `present=` once per run (a bad value is named in a warning and dropped); True if on.

    Called by app.py before the page config, whose sidebar state depends on it.
    """
    raw = st.query_params.get(PARAM)
    if raw in VALUES:
        st.session_state.present = raw == "1"
    elif raw is not None:
        st.session_state.present_error = raw
        del st.query_params[PARAM]
    return presenting()


def warn_bad_value() -> None:
    """The warning for a `present=` value that is neither 0 nor 1 (after the page config)."""
    raw = viewport.once("present_error", st.session_state.pop("present_error", None))
    if raw is not None:
        message = t("err.choice", text=inert(clip(raw)), choices=", ".join(VALUES))
        st.warning(t("err.url_param", param=PARAM, message=message), icon="🔗")


def _on_switch() -> None:
    st.session_state.present = st.session_state.w_present
    if st.session_state.present:
        st.query_params[PARAM] = "1"
    elif PARAM in st.query_params:
        del st.query_params[PARAM]


def switch() -> None:
    """The sidebar's presenter-view switch."""
    st.session_state.w_present = presenting()
    st.sidebar.toggle(t("present.label"), key="w_present", on_change=_on_switch, help=t("present.help"))


def url_param() -> dict[str, str]:
    """`{"present": "1"}` while presenting, so share links and the address bar keep the view."""
    return {PARAM: "1"} if presenting() else {}
