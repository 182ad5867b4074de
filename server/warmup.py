"""What serve.py does before Streamlit starts: TensorFlow tried, imported and warmed, then frozen.

serve.py calls these in order, in the server's own process (docs/server.md tells the whole story):

1. `probe_tensorflow`: import TensorFlow in a child process first. When that fails (a broken
   install, or a CPU without the instructions its wheels are built for, where the import dies of
   SIGILL, which no `except` can catch), serve.py puts the reason into GRADFLOW_TENSORFLOW_ERROR
   (core.engine.TENSORFLOW_ERROR_ENV); the app then says so on every page and serves the formulas'
   results (core.tensorflow_problem). This costs a second TensorFlow import (~5 s) at start-up,
   so `probe_tensorflow_once` remembers a success (PROBE_FILE), keyed by the interpreter, the
   TensorFlow files and the CPU's instruction sets: the next start of the same install on the same
   kind of CPU imports TensorFlow once. A failure is never remembered, and a changed key probes again.
2. `warm_up`: import TensorFlow (`core.tensorflow()`, cached per process) and run the reference
   preset through `core.tf_gradients` and `core.tf_jacobians` once, so the first student waits
   for neither the ~5 s import nor the first trace. It returns the line serve.py prints: READY,
   or UNAVAILABLE in the degraded mode.
3. `freeze_imports`: `gc.freeze()` over everything imported so far, so that no garbage
   collection walks TensorFlow's ~300k objects again.
"""

from __future__ import annotations

import hashlib
import importlib.util
import platform
import signal
import subprocess
import sys
import time
from pathlib import Path

READY = "TensorFlow ready"
"""Printed, and flushed, after the warm-up and before Streamlit starts; tests/deploy/test_deploy.py checks."""
UNAVAILABLE = "TensorFlow unavailable"
"""Printed instead of READY when the trial import failed: the server starts in the degraded mode."""


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


PROBE_FILE = "gradflow/tensorflow-probe"
"""Where a successful trial import is remembered: under the Python install (the venv of `make run`;
the image, where the build runs the probe), else under the user's cache folder."""


def probe_places() -> list[Path]:
    """The files a success may be remembered in, the install's first (the image's user cannot write it)."""
    return [Path(sys.prefix) / "share" / PROBE_FILE, Path.home() / ".cache" / PROBE_FILE]


def probe_key() -> str | None:
    """What a trial import's success depends on, hashed; None when TensorFlow is not installed.

    The interpreter, the TensorFlow package found first on the path (its location, size and time:
    a reinstall changes them), the machine and its CPU's instruction-set flags (the image may start
    on another CPU than the one it was built or first run on, and SIGILL is about those flags).
    """
    try:
        spec = importlib.util.find_spec("tensorflow")
    except (ImportError, ValueError):
        return None
    if spec is None or spec.origin is None:
        return None
    origin = Path(spec.origin)
    stat = origin.stat()
    flags = ""
    try:
        info = Path("/proc/cpuinfo").read_text(errors="replace")
        flags = next((line for line in info.splitlines() if line.startswith(("flags", "Features"))), "")
    except OSError:
        flags = platform.processor()
    parts = [sys.executable, str(origin.resolve()), str(stat.st_size), str(stat.st_mtime_ns), platform.machine(), flags]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def probe_tensorflow_once(timeout_s: float = 600) -> str | None:
    """`probe_tensorflow`, skipped when a success with the same `probe_key` is remembered."""
    key = probe_key()
    for place in probe_places():
        try:
            if key and place.read_text().strip() == key:
                return None
        except OSError:
            continue
    problem = probe_tensorflow(timeout_s)
    if problem is None and key:
        for place in probe_places():
            try:
                place.parent.mkdir(parents=True, exist_ok=True)
                place.write_text(key + "\n")
                break
            except OSError:
                continue
    return problem


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
    import ui.playground
    import ui.url  # noqa: F401

    gc.collect()
    gc.freeze()
