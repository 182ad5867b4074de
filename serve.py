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

GRADFLOW_WORKERS=N (or `auto`, one per usable CPU) starts N such servers on the same port instead,
each importing TensorFlow itself, so that a class rerunning at once uses every core (workers.py:
the kernel keeps each client address on one worker). The default is one process.
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

    Every full collection walks every tracked object: ~200 ms with TensorFlow loaded, whether
    Python's own generational collector starts it or Streamlit does (runner.postScriptGC, off in
    .streamlit/config.toml). The imported modules live as long as the process, so `gc.freeze()`
    moves them to a permanent generation that collections skip; what a script run creates is still
    collected as before. bench/rerun_bench.py measures the difference (docs/speed.md).
    """
    import gc

    # The server's modules and the app's (which bring pandas and plotly), imported before the freeze.
    import streamlit.web.bootstrap  # noqa: F401

    import ui.common
    import ui.playground_state  # noqa: F401

    gc.collect()
    gc.freeze()


def streamlit_args(options: list[str]) -> list[str]:
    """The argument list of `streamlit run app.py OPTIONS`, without the program name."""
    return ["run", str(ROOT / APP), *options]


def main(options: list[str] | None = None) -> None:
    signal.signal(signal.SIGTERM, _stop)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    if str(ROOT) not in sys.path:  # `import core` from any working directory, as Streamlit does for app.py
        sys.path.insert(0, str(ROOT))
    import workers

    options = sys.argv[1:] if options is None else options
    group = os.environ.get(workers.GROUP_ENV)
    if group is None:  # the process started by `make run` or the image, not a worker it started
        try:
            count = workers.worker_count(os.environ.get(workers.WORKERS_ENV))
        except ValueError as error:
            sys.exit(f"Gradflow: {error}")
        print(f"Gradflow: importing TensorFlow before the server starts (pid {os.getpid()})", flush=True)
        problem = probe_tensorflow()
        if problem:
            from core.engine import TENSORFLOW_ERROR_ENV

            os.environ[TENSORFLOW_ERROR_ENV] = problem  # core reads it and never imports TensorFlow here
        if count > 1:  # each worker imports TensorFlow itself: its threads do not survive a fork
            sys.exit(workers.run_workers([sys.executable, str(ROOT / "serve.py"), *options], count, _log))
    print(warm_up(), flush=True)
    freeze_imports()
    if not workers.use_gradflow_socket(int(group or 1)):
        _log("Streamlit's socket setup has changed: replies may wait for delayed ACKs, workers cannot share")

    from streamlit.web import cli

    cli.main(args=streamlit_args(options), prog_name="streamlit")


def _log(line: str) -> None:
    print(f"Gradflow: {line}", flush=True)


if __name__ == "__main__":
    main()
