"""Running the real app.py under Streamlit's AppTest, as a server runs it: st.navigation, then the page.

A Streamlit quirk shapes this. With a `pages/` folder next to app.py, Streamlit runs in legacy
"MPA v1" mode (it runs `pages/jacobian.py` directly, without app.py) until some run has called
`st.navigation` in the process, and AppTest resets that switch before every run. So a plain
`AppTest` that switches to /jacobian never executes app.py. `pin_navigation_mode` pins the switch
the way a server is after app.py has run once (tests/app/test_teaching_pages.py shows what happens
without it), and `spy_navigation` records what each run's `st.navigation` registered. The fixtures
that use them (`navigation_calls`, `app_navigation`, `app`) are in tests/app/conftest.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from tests.helpers.apptest import TIMEOUT
from tests.helpers.paths import APP

if TYPE_CHECKING:
    import pytest


def pin_navigation_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep Streamlit's pages/-folder switch off, as app.py's first st.navigation call leaves it."""
    original_init = PagesManager.__init__

    def init(self: PagesManager, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)


def spy_navigation(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The titles of the pages each `st.navigation` call of app.py registered, run by run."""
    calls: list[list[str]] = []
    real = st.navigation

    def spy(pages: Any, **kwargs: Any) -> Any:
        calls.append([page.title for page in pages])
        return real(pages, **kwargs)

    monkeypatch.setattr(st, "navigation", spy)
    return calls


def skip_component_discovery(monkeypatch: pytest.MonkeyPatch) -> None:
    """Skip the scan for installed custom components that every new AppTest makes (~0.3 s each).

    The app uses only Streamlit's own elements, so the scan finds nothing it needs; tests that open
    hundreds of fresh sessions run about twice as fast without it.
    """
    from streamlit.components.v2.component_manager import BidiComponentManager

    monkeypatch.setattr(BidiComponentManager, "discover_and_register_components", lambda self, **kwargs: None)


class RealApp:
    """Opens pages of app.py as a link `/<page>?query…` would, and reruns them, checking every run."""

    def __init__(self, navigation_calls: list[list[str]]) -> None:
        self.navigation_calls = navigation_calls

    def open(self, page: str, **query: str | list[str]) -> AppTest:
        return self.open_query(page, query)

    def open_query(self, page: str, query: Mapping[str, str | list[str]]) -> AppTest:
        """A fresh session at `/<page>?query`; a list value is a repeated parameter (`?T=a&T=b`)."""
        at = AppTest.from_file(APP, default_timeout=TIMEOUT)
        for key, value in query.items():
            at.query_params[key] = value
        at.switch_page(f"pages/{page}.py")
        return self.run(at)

    def run(self, at: AppTest) -> AppTest:
        """Rerun, and check that app.py's navigation ran the page and nothing raised."""
        del self.navigation_calls[:]
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        assert len(self.navigation_calls) == 1, "app.py's st.navigation did not run"
        return at
