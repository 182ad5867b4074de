"""Serve Gradflow with TensorFlow already imported: the entry of `make run` and of the Docker image.

    python serve.py [STREAMLIT OPTIONS]      e.g. python serve.py --server.port=8501

`streamlit run app.py` would import TensorFlow inside the first visitor's script run, so the first
student to open the page waits the ~5 s import. This script imports it first, in the server's own
process, and only then starts Streamlit in the same process: `streamlit run app.py` followed by the
options given here. /_stcore/health (Docker's HEALTHCHECK, Kubernetes' readiness probe) therefore
answers only once TensorFlow is loaded. In order:

1. a trial import of TensorFlow in a child process (server.warmup.probe_tensorflow_once: skipped
   when this install already passed it on this kind of CPU); when it fails
   the reason goes into GRADFLOW_TENSORFLOW_ERROR (core.engine.TENSORFLOW_ERROR_ENV), and the app
   says so on every page and serves the formulas' results instead of stopping;
2. with GRADFLOW_WORKERS=N (or `auto`, one per usable CPU), N copies of this script on the same
   port instead, each importing TensorFlow itself (server/workers.py: the kernel keeps each client
   address on one worker); the default is one process;
3. the warm-up (server.warmup.warm_up): TensorFlow imported and the reference preset run through
   `core.tf_gradients` and `core.tf_jacobians` once; `TensorFlow ready` printed;
4. `gc.freeze()` over the imports (server.warmup.freeze_imports);
5. Streamlit's listening socket replaced by server.workers.bind_tcp_socket (TCP_NODELAY, and the
   port shared between workers); Streamlit told its own address (server.network), so that it never
   looks it up on the internet; then Streamlit's own command line.

docs/server.md explains each step and the rest of the server package.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path
from types import FrameType

ROOT = Path(__file__).resolve().parent
APP = "app.py"
"""The script Streamlit serves, relative to this file; its .streamlit/config.toml applies."""


def _stop(signum: int, _frame: FrameType | None) -> None:
    # As PID 1 in a container, a process without a handler ignores SIGTERM: without this, `docker
    # stop` during the warm-up would wait its 10 s and then kill. Nothing is open yet, so exit at
    # once (an exception raised here could surface mid-import as a misleading ImportError).
    # Streamlit installs its own handler, which shuts the server down cleanly, once it has started.
    print(f"Gradflow: signal {signum} during the warm-up, exiting", flush=True)
    os._exit(128 + signum)


def streamlit_args(options: list[str]) -> list[str]:
    """The argument list of `streamlit run app.py OPTIONS`, without the program name."""
    return ["run", str(ROOT / APP), *options]


def main(options: list[str] | None = None) -> None:
    signal.signal(signal.SIGTERM, _stop)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    if str(ROOT) not in sys.path:  # `import core` from any working directory, as Streamlit does for app.py
        sys.path.insert(0, str(ROOT))
    from server import network, warmup, workers

    options = sys.argv[1:] if options is None else options
    group = os.environ.get(workers.GROUP_ENV)
    if group is None:  # the process started by `make run` or the image, not a worker it started
        try:
            count = workers.worker_count(os.environ.get(workers.WORKERS_ENV))
        except ValueError as error:
            sys.exit(f"Gradflow: {error}")
        print(f"Gradflow: importing TensorFlow before the server starts (pid {os.getpid()})", flush=True)
        problem = warmup.probe_tensorflow_once()
        if problem:
            from core.engine import TENSORFLOW_ERROR_ENV

            os.environ[TENSORFLOW_ERROR_ENV] = problem  # core reads it and never imports TensorFlow here
        _migrate()
        if count > 1:  # each worker imports TensorFlow itself: its threads do not survive a fork
            sys.exit(workers.run_workers([sys.executable, str(ROOT / "serve.py"), *options], count, _log))
    print(warmup.warm_up(), flush=True)
    warmup.freeze_imports()
    if not workers.use_gradflow_socket(int(group or 1)):
        _log("Streamlit's socket setup has changed: replies may wait for delayed ACKs, workers cannot share")

    if not network.answer_own_address_from_settings(options):
        _log("Streamlit no longer caches its external address: a network without DNS may stall it")
    from streamlit.web import cli

    cli.main(args=streamlit_args(options), prog_name="streamlit")


def _migrate() -> None:
    """Bring the class database to the newest schema once, before any worker serves (docs/classes.md).

    An unreachable database is no reason to refuse the quiz: it is logged, and the pages migrate
    again when they first need the database.
    """
    import store

    try:
        store.migrate(store.database_url())
    except store.StoreError as error:
        _log(f"class database not ready ({error}); classes wait for it")


def _log(line: str) -> None:
    print(f"Gradflow: {line}", flush=True)


if __name__ == "__main__":
    main()
