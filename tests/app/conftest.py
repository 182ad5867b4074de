"""AppTest page tests: the real app.py under Streamlit's AppTest, its pages run through its `st.navigation`.

The fixtures below build on tests/helpers/real_app.py, whose docstring explains the Streamlit quirk
they work around (with a pages/ folder next to app.py, AppTest would otherwise run a page on its
own after `switch_page`, without app.py):

- `navigation_calls`: the titles of the pages each run's `st.navigation` registered, run by run
  (the switch left alone: tests/app/test_teaching_pages.py shows the quirk with it);
- `app_navigation`: the same list, with the switch pinned the way app.py's first `st.navigation`
  call leaves it on a server (a module uses it for all its tests with
  `pytestmark = pytest.mark.usefixtures("app_navigation")`);
- `app`: a `RealApp` that opens pages as a link does and checks that every run went through app.py.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator

import pytest

from tests.helpers.real_app import RealApp, pin_navigation_mode, spy_navigation


@pytest.fixture
def navigation_calls(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The titles of the pages each `st.navigation` call of app.py registered, run by run."""
    return spy_navigation(monkeypatch)


@pytest.fixture
def app_navigation(monkeypatch: pytest.MonkeyPatch, navigation_calls: list[list[str]]) -> list[list[str]]:
    """Run pages through app.py's st.navigation, as a server does, and record the pages it registers."""
    pin_navigation_mode(monkeypatch)
    return navigation_calls


@pytest.fixture
def app(app_navigation: list[list[str]]) -> RealApp:
    """The real app.py, with Streamlit's pages/-folder switch pinned the way app.py's st.navigation leaves it."""
    return RealApp(app_navigation)


@pytest.fixture(scope="session", autouse=True)
def class_data_dir() -> Iterator[str]:
    """Class data of AppTest runs in a temporary SQLite folder, never the app's own data/ (store.config)."""
    with tempfile.TemporaryDirectory(prefix="class-apptest-", dir="/tmp") as folder:
        old = os.environ.get("GRADFLOW_DATA_DIR"), os.environ.pop("GRADFLOW_DATABASE_URL", None)
        os.environ["GRADFLOW_DATA_DIR"] = folder
        yield folder
        if old[0] is None:
            os.environ.pop("GRADFLOW_DATA_DIR", None)
        else:
            os.environ["GRADFLOW_DATA_DIR"] = old[0]
        if old[1] is not None:
            os.environ["GRADFLOW_DATABASE_URL"] = old[1]
