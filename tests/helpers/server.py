"""A real server for a test or a benchmark: a free loopback port, the start, the health poll, the stop.

`Server` starts a command from the repository root with its output (stdout and stderr, merged) in a
log file, waits until `/_stcore/health` answers, and stops it with SIGTERM (what `docker stop` and
Kubernetes send), killing it if it does not exit. tests/deploy (serve.py, two workers), tests/e2e
(the browser tests' `streamlit run app.py`, a server without TensorFlow) and bench/ start theirs
with it. No pytest here, so that bench/ can import it: a server that exits or is not healthy in
time raises `ServerError`, whose message ends with what the server printed.
"""

from __future__ import annotations

import os
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from tests.helpers.paths import ROOT

HOST = "127.0.0.1"
HEALTH = "/_stcore/health"
START_TIMEOUT_S = 180.0
"""Bounds a hang only: a loaded CI machine has taken 20 s to import TensorFlow."""
STOP_TIMEOUT_S = 30.0
"""How long a server may take to exit after SIGTERM before it is killed."""

_LOCAL = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback: never through a proxy


class ServerError(RuntimeError):
    """The server exited, or did not answer its health check in time; the message ends with its output."""

    def __init__(self, command: Sequence[str], reason: str, output: str) -> None:
        super().__init__(f"`{shlex.join(command)}` {reason}:\n{output}")
        self.reason = reason  # "exited with code 1", "was not healthy after 90 s"


def free_port() -> int:
    """A TCP port nothing listens on now, on the loopback interface."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def local_url(port: int) -> str:
    return f"http://{HOST}:{port}"


def healthy(where: int | str, timeout: float = 2.0) -> bool:
    """Whether the server at `where` (a loopback port, or a base URL) answers its health check."""
    url = local_url(where) if isinstance(where, int) else where
    try:
        with _LOCAL.open(url + HEALTH, timeout=timeout) as response:
            return response.status == 200
    except OSError:  # urllib.error.URLError is an OSError
        return False


def streamlit_command(port: int, script: str = "app.py", python: str = sys.executable) -> list[str]:
    """`python -m streamlit run <script>` on `port` of the loopback interface, headless, no usage statistics."""
    return [
        python,
        "-m",
        "streamlit",
        "run",
        script,
        "--server.port",
        str(port),
        "--server.address",
        HOST,
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
    ]


def serve_command(port: int, *options: str, python: str = sys.executable) -> list[str]:
    """`python serve.py` (what `make run` and the Docker image start) on `port` of the loopback interface."""
    return [python, "serve.py", "--server.port", str(port), "--server.address", HOST, *options]


class Server:
    """A server process started in the repository root, its merged output kept in a log file.

    `env` is the process's whole environment (default: this one's), with PYTHONUNBUFFERED=1 added so
    that its lines arrive in order as they are printed. `log` is where its output goes; without
    one, a temporary file holds it until `stop`, after which `lines` still has it.
    """

    def __init__(
        self,
        command: Sequence[str],
        *,
        port: int | None = None,
        env: Mapping[str, str] | None = None,
        log: Path | None = None,
        cwd: Path = ROOT,
    ) -> None:
        self.command = list(command)
        self.port = port
        self.url = local_url(port) if port is not None else ""
        if log is None:
            handle, name = tempfile.mkstemp(prefix="server_", suffix=".log")
            os.close(handle)
            self.log_path, self._temporary = Path(name), True
        else:
            self.log_path, self._temporary = log, False
        self._final: str | None = None
        self.started_at = time.monotonic()
        with open(self.log_path, "wb") as out:  # the child keeps its own handle
            self.process = subprocess.Popen(
                self.command,
                cwd=cwd,
                stdout=out,
                stderr=subprocess.STDOUT,
                env={**(os.environ if env is None else env), "PYTHONUNBUFFERED": "1"},
            )

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def output(self) -> str:
        """Everything the server has printed so far."""
        if self._final is not None:
            return self._final
        return self.log_path.read_bytes().decode(errors="replace")

    @property
    def lines(self) -> list[str]:
        return self.output.splitlines()

    def index(self, text: str) -> int | None:
        """The number of the first output line containing `text`, if one does."""
        return next((i for i, line in enumerate(self.lines) if text in line), None)

    def wait_for_line(self, text: str, timeout: float) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.index(text)
            if found is not None:
                return found
            time.sleep(0.1)
        raise AssertionError(f"no line with {text!r} within {timeout} s:\n{self.output}")

    def wait_healthy(
        self, timeout: float = START_TIMEOUT_S, poll_s: float = 0.25, until: Callable[[], bool] | None = None
    ) -> float:
        """Poll the health check every `poll_s` (not a settle delay) until it answers, and `until()` holds.

        Returns the seconds since the start. Raises ServerError, with the output, if the server
        exits first or `timeout` seconds pass.
        """
        assert self.port is not None, "a Server made without its port cannot be polled"
        deadline = time.monotonic() + timeout
        while not (healthy(self.port) and (until is None or until())):
            if self.process.poll() is not None:
                raise ServerError(self.command, f"exited with code {self.process.returncode}", self.output)
            if time.monotonic() > deadline:
                raise ServerError(self.command, f"was not healthy after {timeout:.0f} s", self.output)
            time.sleep(poll_s)
        return time.monotonic() - self.started_at

    def stop(self, timeout: float = STOP_TIMEOUT_S) -> int:
        """SIGTERM, then SIGKILL after `timeout` s; the exit status. A temporary log file is removed."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self._temporary and self._final is None:
            self._final = self.output
            self.log_path.unlink(missing_ok=True)
        return self.process.returncode

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()
