"""Drive a Streamlit server over its own websocket protocol, as the browser does; shared by the benches.

bench/rerun_bench.py and bench/soak_bench.py import this module: it starts a server on a free port
on 127.0.0.1 (Gradflow the way `make run` does, or a one-line script as the floor), opens sessions
on `/_stcore/stream`, sends `rerun_script` BackMsgs, times each to its final `script_finished`
ForwardMsg and counts the bytes received, and reads the server's memory, threads and CPU time from
/proc. It uses only what Streamlit itself depends on: its protobufs (streamlit.proto) and the
`websockets` package (Streamlit 1.67 serves with Starlette and uvicorn; Tornado is gone).

The handshake, as Streamlit 1.67's frontend performs it (static/js: WebsocketConnection) and its
server checks it (web/server/starlette/starlette_websocket.py):

- the browser first GETs /_stcore/health; with server.enableXsrfProtection on, the response sets
  the `_streamlit_xsrf` cookie;
- it opens ws://HOST/_stcore/stream with `Sec-WebSocket-Protocol: streamlit, TOKEN[, SESSION_ID]`:
  the first entry is the subprotocol the server selects, the second the XSRF cookie's value
  (`PLACEHOLDER_AUTH_TOKEN` when there is none), the third the previous session's id when it
  reconnects. The server only uses the token to trust an auth cookie: without it the connection
  still gets a session;
- `Origin` must be absent, name the same host as `Host`, or be an origin CORS allows (localhost
  is); otherwise the handshake is refused with HTTP 403 (the server closes with 1008 before it
  accepts). server.allowedHosts, when set, also checks `Host`. No subprotocol at all also works;
- nothing runs until the client sends a `rerun_script` BackMsg. Its ClientState carries the query
  string, the page (the first run names it by URL path in `page_name`; later runs send the
  current page's `page_script_hash`, learnt from the `new_session` and `navigation` ForwardMsgs),
  the widget states, and the hashes of the large messages the client has cached, which the
  server then sends as short `ref_hash` messages. This client keeps that cache as the browser
  does and sends no widget states: a student who only reloads, so every widget keeps its value.

A run ends with `script_finished`: FINISHED_EARLY_FOR_RERUN when `st.rerun()` starts another run
(the client keeps waiting for the next one), otherwise FINISHED_SUCCESSFULLY or
FINISHED_WITH_COMPILE_ERROR. An uncaught exception in the script still finishes "successfully":
it arrives as an `exception` element, which counts as an error here, as do a compile error, a
page-not-found message, a closed connection and a timeout.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import http.client
import http.cookies
import math
import os
import platform
import re
import shutil
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tests.helpers, when run as a script from bench/

from tests.helpers import server as served  # noqa: E402

CONFIG = ROOT / ".streamlit" / "config.toml"
REFERENCE_QUERY = "preset=so-question&seed=ones"
"""core.problem.to_query(default_problem()): the reference case as its share link carries it."""
PAGES = {
    "playground": "",
    "jacobian": "jacobian",
    "losses": "losses",
    "pitfalls": "pitfalls",
    "frameworks": "frameworks",
    "quiz": "quiz",
}
"""The URL path of each page of app.py's st.navigation. The playground is the default page, which
Streamlit serves at / whatever its url_path says: on a server that has run st.navigation once, a
request for /playground gets a page_not_found message (and the default page)."""
HELLO_SCRIPT = 'import streamlit as st\n\nst.write("hello")\n'
HEATMAP_SCRIPT = """import plotly.graph_objects as go
import streamlit as st

z = [[0.1, -1.2, 2.3], [1.4, 0.5, -0.6], [-1.7, 2.8, 0.9]]
st.plotly_chart(go.Figure(go.Heatmap(z=z, text=z, texttemplate="%{text}")))
"""
FLOORS = {"hello": HELLO_SCRIPT, "heatmap": HEATMAP_SCRIPT}
"""The floors: the one-line script (a rerun's floor) and one heatmap (a first chart's floor)."""
START_TIMEOUT_S = 120.0  # serve.py imports and warms TensorFlow before it listens
RERUN_TIMEOUT_S = 60.0
GRACE_S = 15.0  # a rerun in flight at a phase's end may finish this much later; after that it is cut
MAX_MESSAGE_BYTES = 64 * 1024 * 1024  # above the server's own server.maxMessageSize (20 MB)
XSRF_COOKIE = "_streamlit_xsrf"
NO_XSRF_TOKEN = "PLACEHOLDER_AUTH_TOKEN"  # what the frontend sends when it has no XSRF cookie
MI = 1024 * 1024
_LOCAL = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never through a proxy
_FINISHED = ForwardMsg.ScriptFinishedStatus


# --- numbers ----------------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) of `values`, interpolating between ranks; NaN when empty."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def process_tree(pid: int) -> list[int]:
    """`pid` and its descendants (serve.py's workers when GRADFLOW_WORKERS > 1), from /proc."""
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        with contextlib.suppress(OSError):
            queue += [int(c) for c in Path(f"/proc/{current}/task/{current}/children").read_text().split()]
    return found


def proc_status(pid: int) -> dict[str, float]:
    """VmRSS and VmHWM in MiB and the thread count of `pid` and its descendants, summed (/proc/PID/status)."""
    values: dict[str, float] = {"VmRSS": 0.0, "VmHWM": 0.0, "Threads": 0}
    for member in process_tree(pid):
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{member}/status").read_text().splitlines():
                key, _, value = line.partition(":")
                if key in ("VmRSS", "VmHWM"):
                    values[key] += int(value.split()[0]) / 1024
                elif key == "Threads":
                    values[key] += int(value)
    return values


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time `pid` and its descendants have used so far."""
    total = 0.0
    for member in process_tree(pid):
        with contextlib.suppress(OSError):
            after_name = Path(f"/proc/{member}/stat").read_text().rpartition(")")[2].split()
            total += (int(after_name[11]) + int(after_name[12])) / os.sysconf("SC_CLK_TCK")
    return total


def client_address(index: int) -> str:
    """The loopback source address of simulated student `index`: 127.0.0.2, 127.0.0.3, …

    serve.py's workers keep each client address on one worker, so students on different machines
    spread over the workers while one machine's connections stay together; on loopback every
    address of 127.0.0.0/8 is this machine.
    """
    return f"127.0.{2 + index // 250}.{2 + index % 250}"


def machine_line(title: str) -> str:
    """`title` with the machine, the Python version and the load average other work puts on it."""
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    return f"{title}: {platform.machine()}, Python {platform.python_version()}, {os.cpu_count()} CPUs, load {load}"


def load_line(started: float) -> str:
    """The load average now and the seconds since `started` (time.monotonic())."""
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    return f"load average at the end: {load}; bench time {time.monotonic() - started:.0f} s"


def add_server_arguments(parser: argparse.ArgumentParser) -> None:
    """--python and the repeatable --server-option, the same in every bench that starts servers."""
    parser.add_argument("--python", default=sys.executable, help="the server's interpreter (default: this one)")
    parser.add_argument(
        "--server-option",
        action="append",
        default=[],
        metavar="OPTION",
        help="a Streamlit option added to the server's command line, written with '=' "
        "(e.g. --server-option=--runner.postScriptGC=false); repeatable",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1,
        help="Gradflow's GRADFLOW_WORKERS: server processes sharing the port (default: one per usable CPU)",
    )


def has_proc() -> bool:
    """True on Linux, where the server's memory, threads and CPU time can be read from /proc."""
    return Path("/proc/self/status").exists()


# --- the server -------------------------------------------------------------------------------


class Server:
    """A Streamlit server on a free loopback port: Gradflow (`kind="app"`) or a floor (FLOORS).

    `app` runs `python serve.py --server.port P --server.headless true` from the repository, as
    `make run` does (serve.py imports TensorFlow, prints "TensorFlow ready", then serves app.py).
    `hello` runs `python -m streamlit run hello.py` (`heatmap`: heatmap.py) in a temporary
    directory holding a copy of .streamlit/config.toml, so both servers run with the same settings. `options` (e.g.
    ["--runner.postScriptGC=false"]) are appended to both command lines. The server's output goes
    to a file under /tmp/wsb_*; after `stop`, `log` holds it and the file is gone.
    """

    def __init__(
        self, kind: str, python: str = sys.executable, options: list[str] | None = None, workers: int = 1
    ) -> None:
        if kind != "app" and kind not in FLOORS:
            raise ValueError(f"unknown server kind {kind!r}")
        self.kind = kind
        self.workers = workers if kind == "app" else 1  # GRADFLOW_WORKERS; the floor is one plain process
        self.port = served.free_port()
        self.url = served.local_url(self.port)
        self.options = list(options or [])
        self.workdir = Path(tempfile.mkdtemp(prefix=f"wsb_{kind}_"))
        common = ["--server.port", str(self.port), "--server.address", "127.0.0.1", "--server.headless", "true"]
        if kind == "app":
            self.command = [python, "serve.py", *common, *self.options]
            self.cwd = ROOT
        else:
            (self.workdir / ".streamlit").mkdir()
            shutil.copy(CONFIG, self.workdir / ".streamlit" / "config.toml")
            (self.workdir / f"{kind}.py").write_text(FLOORS[kind])
            self.command = [python, "-m", "streamlit", "run", f"{kind}.py", *common, *self.options]
            self.cwd = self.workdir
        self.process: served.Server | None = None
        self.log = ""
        self.healthy_at = math.nan  # time.monotonic() when /_stcore/health first answered
        self.started_at = math.nan

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def start(self, timeout: float = START_TIMEOUT_S) -> float:
        """Start the server and wait for /_stcore/health; return the seconds that took."""
        env = {**os.environ, "GRADFLOW_WORKERS": str(self.workers)}
        self.process = served.Server(
            self.command, port=self.port, env=env, log=self.workdir / "server.log", cwd=self.cwd
        )
        self.started_at = self.process.started_at
        try:
            took = self.process.wait_healthy(timeout, poll_s=0.1)
        except served.ServerError as error:
            self.stop()
            raise RuntimeError(f"the {self.kind} server {error.reason}:\n{self.log[-3000:]}") from None
        self.healthy_at = self.started_at + took
        return took

    def status(self) -> dict[str, float]:
        return proc_status(self.pid)

    def cpu(self) -> float:
        return cpu_seconds(self.pid)

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL after 15 s), keep its output in `log`, remove files."""
        if self.process is not None and self.workdir.exists():
            self.process.stop(timeout=15)
            self.log = self.process.output
        shutil.rmtree(self.workdir, ignore_errors=True)

    def tracebacks(self) -> list[str]:
        """The distinct last lines of the tracebacks in the server's output (after `stop`)."""
        found = []
        for block in re.split(r"\n(?=\S)", self.log):
            if block.startswith("Traceback") or "Traceback (most recent call last)" in block:
                lines = [line for line in block.strip().splitlines() if line.strip()]
                found.append(lines[-1].strip())
        return list(dict.fromkeys(found))

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()


# --- a session --------------------------------------------------------------------------------


@dataclass
class Rerun:
    """What one `rerun_script` request cost and produced, up to its final `script_finished`."""

    seconds: float
    bytes: int = 0  # websocket payload bytes received (the server sends no compression by default)
    messages: int = 0
    runs: int = 0  # script runs started (new_session messages): 2 when the script called st.rerun()
    refs: int = 0  # large messages the server replaced by a ref_hash to the client's cache
    status: str = ""
    errors: list[str] = field(default_factory=list)
    alerts: Counter[str] = field(default_factory=Counter)  # st.error/warning/info/success shown
    cut: bool = False  # unfinished when the bench's time was up: neither a latency nor an error

    @property
    def ok(self) -> bool:
        return not self.errors


def timed(reruns: list[Rerun]) -> list[Rerun]:
    """The reruns that finished (with or without errors): the ones whose time means something."""
    return [r for r in reruns if not r.cut]


class Session:
    """One browser tab's connection: `await connect()`, then `await rerun(...)` as often as wanted.

    `page` is the URL path the tab opened ("" for /, or e.g. "jacobian"); `query` its query
    string. Later reruns keep the page and the query string the server last wrote (st.query_params
    changes arrive as `page_info_changed`), unless given new ones, as the browser's address bar does.
    """

    def __init__(self, url: str, page: str = "", query: str = "", source: str | None = None) -> None:
        self.url = url
        self.source = source  # the client's own address (client_address), None: the system's choice
        self.page = page
        self.query = query
        self.ws: ClientConnection | None = None
        self.session_id = ""
        self.page_script_hash = ""
        self.pages: dict[str, str] = {}  # url_pathname -> page_script_hash, from `navigation`
        self.subprotocol: str | None = None
        self.extensions: list[str] = []
        self._cache: dict[str, int] = {}  # hash -> the run count when it was last used
        self._runs_finished = 0
        self._max_cached_age = 2

    async def connect(self, timeout: float = 30.0) -> None:
        """GET /_stcore/health for the XSRF cookie, then open the websocket the way the browser does."""
        xsrf = await asyncio.to_thread(self._xsrf_cookie)
        headers = {"Cookie": f"{XSRF_COOKIE}={xsrf}"} if xsrf else None
        self.ws = await connect(
            self.url.replace("http://", "ws://", 1) + "/_stcore/stream",
            subprotocols=["streamlit", xsrf or NO_XSRF_TOKEN],  # type: ignore[list-item]
            origin=self.url,  # type: ignore[arg-type]
            additional_headers=headers,
            max_size=MAX_MESSAGE_BYTES,
            open_timeout=timeout,
            proxy=None,
            **({"local_addr": (self.source, 0)} if self.source else {}),
        )
        self.subprotocol = self.ws.subprotocol
        self.extensions = [type(e).__name__ for e in self.ws.protocol.extensions]

    def _xsrf_cookie(self) -> str | None:
        """GET /_stcore/health from the session's own address, as its browser would; the XSRF cookie."""
        host, port = urllib.parse.urlsplit(self.url).netloc.rsplit(":", 1)
        source = (self.source, 0) if self.source else None
        connection = http.client.HTTPConnection(host, int(port), timeout=10, source_address=source)
        try:
            connection.request("GET", "/_stcore/health")
            response = connection.getresponse()
            response.read()
            for header in response.headers.get_all("Set-Cookie") or []:
                cookie = http.cookies.SimpleCookie()
                cookie.load(header)
                if XSRF_COOKIE in cookie:
                    return cookie[XSRF_COOKIE].value
        finally:
            connection.close()
        return None

    def _back_msg(self, query: str, page: str | None) -> BackMsg:
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = query
        if page is not None and page in self.pages:  # a page change, as the sidebar link does it
            state.page_script_hash = self.pages[page]
        elif page is not None or not self.page_script_hash:  # the first run: the page is the URL path
            state.page_name = self.page if page is None else page
        else:
            state.page_script_hash = self.page_script_hash
        state.cached_message_hashes.extend(self._cache)
        path = page if page is not None else self.page
        info = state.context_info
        info.timezone, info.timezone_offset, info.locale = "UTC", 0, "en-US"
        info.url = f"{self.url}/{path}" + (f"?{query}" if query else "")
        info.is_embedded, info.color_scheme = False, "light"
        return msg

    async def rerun(
        self,
        query: str | None = None,
        page: str | None = None,
        timeout: float = RERUN_TIMEOUT_S,
        cut_at: float = math.inf,
    ) -> Rerun:
        """Ask for a script run and wait for its final `script_finished`; never raises for the app's faults.

        Waiting longer than `timeout` is an error. Waiting past `cut_at` (time.monotonic(), the
        bench's own limit) instead ends the rerun as `cut`. Either way the connection is closed,
        since the server may still answer.
        """
        if self.ws is None:
            return Rerun(0.0, errors=["not connected"])
        if query is not None:
            self.query = query
        payload = self._back_msg(self.query, page).SerializeToString()
        if page is not None:
            self.page = page
        started = time.perf_counter()
        result = Rerun(0.0)
        cut = cut_at - time.monotonic() < timeout
        try:
            async with asyncio.timeout(min(timeout, cut_at - time.monotonic())):
                await self.ws.send(payload)
                while not await self._receive(result):
                    pass
        except TimeoutError:
            if cut:
                result.cut = True
            else:
                result.errors.append(f"no script_finished within {timeout:.0f} s")
            await self.close()
        except ConnectionClosed as e:
            result.errors.append(f"connection closed: {e}")
            self.ws = None
        result.seconds = time.perf_counter() - started
        return result

    async def _receive(self, result: Rerun) -> bool:
        """Read one ForwardMsg into `result`; True once it was the final `script_finished`."""
        assert self.ws is not None
        data = await self.ws.recv(decode=False)
        result.bytes += len(data)
        result.messages += 1
        msg = ForwardMsg.FromString(data)
        kind = msg.WhichOneof("type")
        if kind == "delta":
            if msg.metadata.cacheable and msg.hash:
                self._cache[msg.hash] = self._runs_finished
            if msg.delta.WhichOneof("type") == "new_element":
                element = msg.delta.new_element
                what = element.WhichOneof("type")
                if what == "exception":
                    e = element.exception
                    result.errors.append(f"exception {e.type}: {e.message}".strip())
                elif what == "alert":
                    result.alerts[element.alert.Format.Name(element.alert.format).lower()] += 1
        elif kind == "ref_hash":
            result.refs += 1
            if msg.ref_hash in self._cache:
                self._cache[msg.ref_hash] = self._runs_finished
            else:
                result.errors.append(f"ref_hash {msg.ref_hash} not in the client's cache")
        elif kind == "new_session":
            result.runs += 1
            session = msg.new_session
            self.session_id = session.initialize.session_id or self.session_id
            self.page_script_hash = session.page_script_hash or self.page_script_hash
            self._max_cached_age = session.config.max_cached_message_age or self._max_cached_age
        elif kind == "navigation":
            self.pages = {p.url_pathname: p.page_script_hash for p in msg.navigation.app_pages}
            self.page_script_hash = msg.navigation.page_script_hash or self.page_script_hash
        elif kind == "page_info_changed":
            self.query = msg.page_info_changed.query_string
        elif kind == "page_not_found":
            result.errors.append(f"page not found: {msg.page_not_found.page_name!r}")
        elif kind == "session_event" and msg.session_event.HasField("script_compilation_exception"):
            e = msg.session_event.script_compilation_exception
            result.errors.append(f"compile error {e.type}: {e.message}")
        elif kind == "script_finished":
            status = msg.script_finished
            result.status = _FINISHED.Name(status)
            if status == _FINISHED.FINISHED_EARLY_FOR_RERUN:
                return False
            if status == _FINISHED.FINISHED_WITH_COMPILE_ERROR:
                result.errors.append("script finished with a compile error")
            self._expire_cache()
            return True
        return False

    def _expire_cache(self) -> None:
        """Age the message cache by one run and drop what is older than max_cached_message_age."""
        self._runs_finished += 1
        self._cache = {h: run for h, run in self._cache.items() if self._runs_finished - run <= self._max_cached_age}

    async def close(self) -> None:
        if self.ws is not None:
            ws, self.ws = self.ws, None
            with contextlib.suppress(Exception):
                await asyncio.wait_for(ws.close(), 5)


async def open_session(
    url: str, page: str = "", query: str = "", cut_at: float = math.inf, source: str | None = None
) -> tuple[Session, Rerun]:
    """Connect a new session and run its first page; the Rerun's time includes the handshake.

    A session whose first page is not done by `cut_at` (time.monotonic()) is closed and its
    Rerun marked `cut`.
    """
    session = Session(url, page, query, source)
    started = time.perf_counter()
    try:
        await asyncio.wait_for(session.connect(), max(0.1, min(RERUN_TIMEOUT_S, cut_at - time.monotonic())))
    except (OSError, TimeoutError, ConnectionClosed) as e:
        failed = Rerun(time.perf_counter() - started, cut=time.monotonic() >= cut_at)
        if not failed.cut:
            failed.errors.append(f"could not connect: {e!r}")
        return session, failed
    first = await session.rerun(cut_at=cut_at)
    first.seconds = time.perf_counter() - started
    return session, first


async def rerun_back_to_back(
    session: Session, count: int, deadline: float, queries: list[str] | None = None, pages: list[str] | None = None
) -> list[Rerun]:
    """Up to `count` reruns of `session`, each sent as soon as the previous one finished.

    Starts none after `deadline` (time.monotonic()), and cuts the one in flight GRACE_S after
    it; stops early when the connection is gone. Rerun i uses `queries[i % len(queries)]` and
    `pages[i % len(pages)]` when given, else the session's current ones.
    """
    done: list[Rerun] = []
    for i in range(count):
        if time.monotonic() >= deadline or session.ws is None:
            break
        query = queries[i % len(queries)] if queries else None
        page = pages[i % len(pages)] if pages else None
        done.append(await session.rerun(query, page, cut_at=deadline + GRACE_S))
    return done


def error_summary(reruns: list[Rerun], limit: int = 5) -> list[str]:
    """The most frequent errors among `reruns`, each with its count."""
    counts = Counter(error for r in reruns for error in r.errors)
    return [f"{n} x {error[:200]}" for error, n in counts.most_common(limit)]
