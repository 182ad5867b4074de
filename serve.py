"""Serve Gradflow with TensorFlow already imported: the entry of `make run` and of the Docker image.

    python serve.py [STREAMLIT OPTIONS]      e.g. python serve.py --server.port=8501

`streamlit run app.py` would import TensorFlow inside the first visitor's script run, so the first
student to open the page waits the ~5 s import. This script imports it first, in the server's own
process (`core.tensorflow()`, cached per process), runs the reference preset through
`core.tf_gradients` and `core.tf_jacobians` once so their first call is paid too, prints
`TensorFlow ready`, and only then starts Streamlit in the same process: `streamlit run app.py`
followed by the options given here. /_stcore/health (Docker's HEALTHCHECK, Kubernetes' readiness
probe) therefore answers only once TensorFlow is loaded. An import error stops the process before
any port is opened, so a broken image fails its health check instead of failing its first visitor.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path
from types import FrameType

ROOT = Path(__file__).resolve().parent
APP = "app.py"
"""The script Streamlit serves, relative to this file; its .streamlit/config.toml applies."""
READY = "TensorFlow ready"
"""Printed, and flushed, after the warm-up and before Streamlit starts; tests/test_deploy.py checks."""


def _stop(signum: int, _frame: FrameType | None) -> None:
    # As PID 1 in a container, a process without a handler ignores SIGTERM: without this, `docker
    # stop` during the warm-up would wait its 10 s and then kill. Nothing is open yet, so exit at
    # once (an exception raised here could surface mid-import as a misleading ImportError).
    # Streamlit installs its own handler, which shuts the server down cleanly, once it has started.
    print(f"Gradflow: signal {signum} during the warm-up, exiting", flush=True)
    os._exit(128 + signum)


def warm_up() -> str:
    """Import TensorFlow and make each compiled path the app uses run once; return a log line."""
    started = time.perf_counter()
    import core

    tf = core.tensorflow()
    reference = core.preset(core.DEFAULT_PRESET)
    for dtype in ("float32", "float64"):  # the page's precision switch
        core.tf_gradients(reference.T, reference.B, dtype=dtype)
    core.tf_jacobians(reference.T, reference.B)  # traces its tf.function for this shape
    return f"{READY}: TensorFlow {tf.__version__} imported and warmed in {time.perf_counter() - started:.1f} s"


def streamlit_args(options: list[str]) -> list[str]:
    """The argument list of `streamlit run app.py OPTIONS`, without the program name."""
    return ["run", str(ROOT / APP), *options]


def main(options: list[str] | None = None) -> None:
    signal.signal(signal.SIGTERM, _stop)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    if str(ROOT) not in sys.path:  # `import core` from any working directory, as Streamlit does for app.py
        sys.path.insert(0, str(ROOT))
    print(f"Gradflow: importing TensorFlow before the server starts (pid {os.getpid()})", flush=True)
    print(warm_up(), flush=True)

    from streamlit.web import cli

    cli.main(args=streamlit_args(sys.argv[1:] if options is None else options), prog_name="streamlit")


if __name__ == "__main__":
    main()
