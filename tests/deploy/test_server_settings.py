"""The server settings a security reviewer looks for, read the way the server reads them.

tests/deploy/test_deploy.py checks the text of .streamlit/config.toml (the classroom values, and that each
key is a real option). This file asks Streamlit's own config machinery (`streamlit.config`), run
from the project root as serve.py, the Dockerfile and `make run` do, what the server ends up with,
defaults included; checks that no launch command or manifest overrides those values; and checks
that no page renders user text as HTML.
"""

from __future__ import annotations

import ast
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.paths import ROOT

SECURITY_OPTIONS = (
    "server.enableCORS",
    "server.corsAllowedOrigins",
    "server.enableXsrfProtection",
    "server.maxUploadSize",
    "server.maxMessageSize",
    "server.enableStaticServing",
    "server.cookieSecret",
    "server.trustedUserHeaders",
    "server.enableWebsocketCompression",
    "client.showErrorDetails",
    "client.toolbarMode",
    "browser.gatherUsageStats",
    "global.developmentMode",
)


def env_var(option: str) -> str:
    """Streamlit's environment variable for an option: server.enableCORS → STREAMLIT_SERVER_ENABLE_CORS."""
    section, name = option.split(".")
    snake = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name)
    return f"STREAMLIT_{section}_{snake}".upper()


@pytest.fixture(scope="module")
def options() -> Iterator[dict[str, Any]]:
    """Every option's value and where it was set, as the server sees them when started in the project root."""
    from streamlit import config

    saved_env = {name: os.environ.pop(name) for name in list(os.environ) if name.startswith("STREAMLIT_")}
    cwd = Path.cwd()
    os.chdir(ROOT)  # Streamlit reads ./.streamlit/config.toml from the working directory
    try:
        config.get_config_options(force_reparse=True)
        yield {
            key: {"value": config.get_option(key), "where": option.where_defined}
            for key, option in config._config_options.items()
        }
    finally:
        os.chdir(cwd)
        os.environ.update(saved_env)
        config.get_config_options(force_reparse=True)


def value(options: dict[str, Any], key: str) -> Any:
    return options[key]["value"]


def test_the_env_var_names_match_streamlit_s(options: dict[str, Any]) -> None:
    from streamlit import config

    for key in SECURITY_OPTIONS:
        assert config._config_options[key].env_var == env_var(key)


def test_the_settings_come_from_the_project_s_config_file(options: dict[str, Any]) -> None:
    config_file = str(ROOT / ".streamlit" / "config.toml")
    for key in ("server.enableXsrfProtection", "client.showErrorDetails", "client.toolbarMode"):
        assert options[key]["where"] == config_file, key


def test_xsrf_protection_is_on(options: dict[str, Any]) -> None:
    assert value(options, "server.enableXsrfProtection") is True


def test_cors_protection_is_on_and_opened_to_no_origin(options: dict[str, Any]) -> None:
    """`server.enableCORS = true` means CORS *protection* on: only the server's own origin is allowed."""
    assert value(options, "server.enableCORS") is True
    origins = value(options, "server.corsAllowedOrigins")
    assert not any("*" in origin for origin in origins), origins
    assert all(origin.startswith("https://") for origin in origins), origins


def test_students_never_see_tracebacks_or_the_developer_menu(options: dict[str, Any]) -> None:
    assert value(options, "client.showErrorDetails") == "none"
    assert value(options, "client.toolbarMode") == "viewer"
    assert value(options, "global.developmentMode") is False


def test_uploads_and_messages_are_small(options: dict[str, Any]) -> None:
    """The app takes no uploads; a page (an 8×8 problem's heatmaps and tables) is well under 1 MB."""
    assert value(options, "server.maxUploadSize") <= 1  # megabytes; Streamlit's default is 200
    assert value(options, "server.maxMessageSize") <= 20  # megabytes; Streamlit's default is 200


def test_no_usage_statistics_leave_the_classroom(options: dict[str, Any]) -> None:
    assert value(options, "browser.gatherUsageStats") is False


def test_nothing_else_is_opened(options: dict[str, Any]) -> None:
    """No static file serving, no trusted identity headers, no secret in the repository."""
    assert value(options, "server.enableStaticServing") is False
    assert value(options, "server.trustedUserHeaders") in ({}, None)
    assert value(options, "server.enableWebsocketCompression") is False
    assert options["server.cookieSecret"]["where"] != str(ROOT / ".streamlit" / "config.toml")


LAUNCHERS = (
    "Dockerfile",
    "Makefile",
    "compose.yaml",
    "serve.py",
    ".ci/run",
    *(f"deploy/{p.name}" for p in (ROOT / "deploy").glob("*.yaml")),
)


@pytest.mark.parametrize("launcher", LAUNCHERS)
def test_no_launch_command_or_manifest_overrides_a_security_setting(launcher: str) -> None:
    path = ROOT / launcher
    if not path.exists():
        pytest.skip(f"{launcher} does not exist")
    source = path.read_text()
    for key in SECURITY_OPTIONS:
        assert f"--{key}" not in source, f"{launcher} passes --{key}"
        assert env_var(key) not in source, f"{launcher} sets {env_var(key)}"


# --- no user text rendered as HTML ----------------------------------------------------------------

HTML_CALLS = {"html"}  # st.html, components.html: raw HTML whatever the argument
APP_SOURCES = sorted([ROOT / "app.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "ui").glob("*.py")])


def constant_text(node: ast.expr) -> bool:
    """A string the source fixes completely (no name, call or f-string field inside)."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.JoinedStr):
        return all(isinstance(part, ast.Constant) for part in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return constant_text(node.left) and constant_text(node.right)
    return False


def html_calls(path: Path) -> Iterator[tuple[int, str, bool]]:
    """(line, what, body is constant) for every call that renders HTML in `path`."""
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        unsafe = [k for k in node.keywords if k.arg == "unsafe_allow_html"]
        body = [*node.args, *(k.value for k in node.keywords if k.arg in ("body", "html"))]
        if unsafe and not (isinstance(unsafe[0].value, ast.Constant) and unsafe[0].value.value is False):
            yield node.lineno, f"{name}(unsafe_allow_html=…)", all(constant_text(arg) for arg in body)
        elif name in HTML_CALLS:
            yield node.lineno, f"{name}()", all(constant_text(arg) for arg in body)


def test_the_html_scan_sees_what_it_must(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import streamlit as st\n"
        "st.markdown(x, unsafe_allow_html=True)\n"
        "st.markdown('<br>', unsafe_allow_html=True)\n"
        "st.markdown(x, unsafe_allow_html=False)\n"
        "st.markdown(f'<b>{name}</b>', unsafe_allow_html=flag)\n"
        "st.html(body=t('key'))\n"
        "st.html('<hr>' + f'<hr>')\n"
    )
    assert [(line, constant) for line, _, constant in html_calls(sample)] == [
        (2, False),
        (3, True),
        (5, False),
        (6, False),
        (7, True),
    ]


@pytest.mark.parametrize("path", APP_SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_page_renders_anything_but_constant_text_as_html(path: Path) -> None:
    """unsafe_allow_html=True or st.html only ever with a string fixed in the source (ui/touch.py's script)."""
    bad = [(line, what) for line, what, constant in html_calls(path) if not constant]
    assert bad == [], f"{path.relative_to(ROOT)} renders non-constant text as HTML at {bad}"


def _nodelay_of_accepted_connection(bind: Any) -> int:
    """Serve one connection with asyncio on a socket made by `bind`, as uvicorn does; its TCP_NODELAY."""
    import asyncio
    import concurrent.futures
    import socket

    async def serve() -> int:
        accepted: asyncio.Future[int] = asyncio.get_running_loop().create_future()

        class Probe(asyncio.Protocol):
            def connection_made(self, transport: asyncio.BaseTransport) -> None:
                sock = transport.get_extra_info("socket")
                accepted.set_result(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
                transport.close()

        listening = bind("127.0.0.1", 0, 8)
        server = await asyncio.get_running_loop().create_server(Probe, sock=listening)
        port = listening.getsockname()[1]
        _, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            return await asyncio.wait_for(accepted, 10)
        finally:
            writer.close()
            server.close()

    # In a thread of its own: after the browser tests, Playwright's sync API keeps a loop running here.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, serve()).result(timeout=30)


def test_serve_makes_the_server_reply_without_waiting_for_delayed_acks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Streamlit's own listening socket leaves Nagle on for every connection (the first assert shows
    it, so a Streamlit that fixes this makes the replacement unneeded); serve.py's turns it off."""
    from streamlit.web.server.starlette import starlette_server

    from server import workers

    original = starlette_server._bind_socket
    monkeypatch.setattr(starlette_server, "_bind_socket", original)  # restored after the test
    assert _nodelay_of_accepted_connection(original) == 0
    assert workers.use_gradflow_socket()
    assert starlette_server._bind_socket is not original
    assert _nodelay_of_accepted_connection(starlette_server._bind_socket) != 0
