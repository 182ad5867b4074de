"""Serve Gradflow with TensorFlow already imported: the entry of `make run` and of the Docker image.

    python serve.py [STREAMLIT OPTIONS]      e.g. python serve.py --server.port=8501

`streamlit run app.py` would import TensorFlow inside the first visitor's script run, so the first
student to open the page waits the ~5 s import. This script imports it first, in the server's own
process (`core.tensorflow()`, cached per process), runs the reference preset through
`core.tf_gradients` and `core.tf_jacobians` once so their first call is paid too, prints
`TensorFlow ready`, and only then starts Streamlit in the same process: `streamlit run app.py`
followed by the options given here. /_stcore/health (Docker's HEALTHCHECK, Kubernetes' readiness
probe) therefore answers only once TensorFlow is loaded.

If TensorFlow cannot be imported (a broken install, or a CPU without the instructions its wheels
are built for, where the import dies of SIGILL, which no `except` can catch), the server must still
teach: a child process tries the import first, and when it fails the reason goes into
GRADFLOW_TENSORFLOW_ERROR (core.engine.TENSORFLOW_ERROR_ENV). The app then says so on every page
and serves the formulas' results (core.tensorflow_problem). The trial import costs a few seconds
at start-up, never per visitor.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import FrameType

ROOT = Path(__file__).resolve().parent
APP = "app.py"
"""The script Streamlit serves, relative to this file; its .streamlit/config.toml applies."""
READY = "TensorFlow ready"
"""Printed, and flushed, after the warm-up and before Streamlit starts; tests/test_deploy.py checks."""
UNAVAILABLE = "TensorFlow unavailable"
"""Printed instead of READY when the trial import failed: the server starts in the degraded mode."""


def _stop(signum: int, _frame: FrameType | None) -> None:
    # As PID 1 in a container, a process without a handler ignores SIGTERM: without this, `docker
    # stop` during the warm-up would wait its 10 s and then kill. Nothing is open yet, so exit at
    # once (an exception raised here could surface mid-import as a misleading ImportError).
    # Streamlit installs its own handler, which shuts the server down cleanly, once it has started.
    print(f"Gradflow: signal {signum} during the warm-up, exiting", flush=True)
    os._exit(128 + signum)


def probe_tensorflow(timeout_s: float = 600) -> str | None:
    """Import TensorFlow in a child process; None when that works, else why not, in one line."""
    try:
        child = subprocess.run(
            [sys.executable, "-c", "import tensorflow"], capture_output=True, text=True, timeout=timeout_s, check=False
        )
    except subprocess.TimeoutExpired:
        return f"importing TensorFlow took more than {timeout_s:.0f} s"
    if child.returncode == 0:
        return None
    if child.returncode < 0:
        name = signal.Signals(-child.returncode).name
        cpu = " (this CPU lacks instructions TensorFlow's build needs)" if name == "SIGILL" else ""
        return f"importing TensorFlow was killed by {name}{cpu}"
    lines = [line for line in child.stderr.splitlines() if line.strip()]
    return lines[-1][:300] if lines else f"importing TensorFlow exited with status {child.returncode}"


def warm_up() -> str:
    """Import TensorFlow and make each compiled path the app uses run once; return a log line."""
    started = time.perf_counter()
    import core
    from core.figures import matrix_figure

    if core.tensorflow_problem():
        reference = core.preset(core.DEFAULT_PRESET)
        matrix_figure(reference.T, "T").to_plotly_json()
        return f"{UNAVAILABLE}: {core.tensorflow_problem()}; serving the formulas' results"
    tf = core.tensorflow()
    reference = core.preset(core.DEFAULT_PRESET)
    for dtype in ("float32", "float64"):  # the page's precision switch
        core.tf_gradients(reference.T, reference.B, dtype=dtype)
    core.tf_jacobians(reference.T, reference.B)  # traces its tf.function for this shape
    matrix_figure(reference.T, "T").to_plotly_json()  # Plotly imports its validators on first use
    return f"{READY}: TensorFlow {tf.__version__} imported and warmed in {time.perf_counter() - started:.1f} s"


def freeze_imports() -> None:
    """Move every object alive now (TensorFlow's ~300k, Streamlit's, the app's) out of the collector's sight.

    After each script run Streamlit calls `gc.collect(2)` (runner.postScriptGC) and, because
    importing TensorFlow loads keras, `keras.backend.clear_session()`, which collects again. Each
    full collection walks every tracked object: ~200 ms with TensorFlow loaded, twice per rerun.
    The imported modules live as long as the process, so `gc.freeze()` moves them to a permanent
    generation that collections skip; what a script run creates is still collected as before.
    bench/rerun_bench.py measures the difference (README, "Speed").
    """
    import gc

    # The server's modules and the app's (which bring pandas and plotly), imported before the freeze.
    import streamlit.web.bootstrap  # noqa: F401

    import ui.common
    import ui.playground_state  # noqa: F401

    gc.collect()
    gc.freeze()


def reply_without_delay() -> bool:
    """Make the server's connections send each message at once (TCP_NODELAY); True when in force.

    asyncio turns Nagle's algorithm off for every TCP connection it serves, but recognises TCP by
    the socket's protocol number, and Streamlit 1.67 creates its listening socket with protocol 0
    (`socket.socket(family)`), so each accepted connection keeps Nagle on. A rerun's small messages
    then wait for the browser's delayed ACK, ~40 ms on Linux (uvicorn issue #3149). Re-wrapping the
    bound socket lets the kernel report its real protocol (IPPROTO_TCP); nothing else changes.
    bench/rerun_bench.py measures it (README, "Speed"); tests/test_server_settings.py checks it.
    """
    import socket

    from streamlit.web.server.starlette import starlette_server

    bind = getattr(starlette_server, "_bind_socket", None)
    if bind is None or getattr(bind, "gradflow_nodelay", False):
        return bind is not None

    def bind_tcp(address: str, port: int, backlog: int) -> socket.socket:
        sock = bind(address, port, backlog)
        tcp = socket.socket(fileno=sock.detach())  # family, type and protocol read from the kernel
        tcp.setblocking(False)
        return tcp

    bind_tcp.gradflow_nodelay = True  # type: ignore[attr-defined]
    starlette_server._bind_socket = bind_tcp
    return True


def streamlit_args(options: list[str]) -> list[str]:
    """The argument list of `streamlit run app.py OPTIONS`, without the program name."""
    return ["run", str(ROOT / APP), *options]


def main(options: list[str] | None = None) -> None:
    signal.signal(signal.SIGTERM, _stop)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    if str(ROOT) not in sys.path:  # `import core` from any working directory, as Streamlit does for app.py
        sys.path.insert(0, str(ROOT))
    print(f"Gradflow: importing TensorFlow before the server starts (pid {os.getpid()})", flush=True)
    problem = probe_tensorflow()
    if problem:
        from core.engine import TENSORFLOW_ERROR_ENV

        os.environ[TENSORFLOW_ERROR_ENV] = problem  # core reads it and never imports TensorFlow here
    print(warm_up(), flush=True)
    freeze_imports()
    if not reply_without_delay():
        print("Gradflow: Streamlit's socket setup has changed; replies may wait for delayed ACKs", flush=True)

    from streamlit.web import cli

    cli.main(args=streamlit_args(sys.argv[1:] if options is None else options), prog_name="streamlit")


if __name__ == "__main__":
    main()
