"""Start-up: seconds from `make run` (and, where a Docker engine answers, `docker run`) to healthy.

    .venv/bin/python bench/startup_bench.py [--runs 3] [--image gradflow] [--goal-make 10] [--goal-docker 15]

Runs what a teacher runs, `make run PORT=…` with the venv already installed, `--runs` times on a
free port of 127.0.0.1, and polls /_stcore/health every 50 ms until it answers 200; the first run
may make the trial TensorFlow import that later starts skip (server/warmup.py), so the median of
the runs is the figure. Then, when `docker info` answers and the image `--image` exists (build it
with `DOCKER_BUILDKIT=0 docker build --network host -t gradflow .`), the same for
`docker run --rm -p PORT:8501 IMAGE`. The floor, measured in the same run: a one-line Streamlit
script started the same way (`streamlit run` of `st.write(1)`, no TensorFlow), which is what
Streamlit itself costs. Prints the figures and exits 1 when a median misses its goal.
A benchmark, not a test: `make test` never runs it.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT_S = 180


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as reply:
            return reply.status == 200
    except OSError:
        return False


def time_to_healthy(command: list[str], port: int, stop: list[str] | None = None) -> float:
    """Seconds from starting `command` until its health endpoint answers; stops it afterwards."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    try:
        while not healthy(port):
            if process.poll() is not None:
                raise SystemExit(f"{' '.join(command)} exited with {process.returncode}")
            if time.perf_counter() - started > TIMEOUT_S:
                raise SystemExit(f"{' '.join(command)} not healthy after {TIMEOUT_S} s")
            time.sleep(0.05)
        return time.perf_counter() - started
    finally:
        if stop:
            subprocess.run(stop, capture_output=True, check=False)
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(60)


def floor_command(port: int, script: Path) -> list[str]:
    python = ROOT / ".venv" / "bin" / "python"
    return [str(python), "-m", "streamlit", "run", str(script), f"--server.port={port}", "--server.headless=true"]


def docker_ready(image: str) -> bool:
    if shutil.which("docker") is None:
        return False
    info = subprocess.run(["docker", "image", "inspect", image], capture_output=True, check=False)
    return info.returncode == 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--image", default="gradflow")
    parser.add_argument("--goal-make", type=float, default=10.0)
    parser.add_argument("--goal-docker", type=float, default=15.0)
    args = parser.parse_args()
    failed = False
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "floor.py"
        script.write_text("import streamlit as st\nst.write(1)\n")
        floor = [time_to_healthy(floor_command(port, script), port) for port in [free_port()] * args.runs]
    print(f"floor: one-line Streamlit script until healthy, median {statistics.median(floor):.1f} s ({seconds(floor)})")
    made = []
    for _ in range(args.runs):
        port = free_port()
        made.append(time_to_healthy(["make", "--no-print-directory", "run", f"PORT={port}"], port))
    median = statistics.median(made)
    verdict = "met" if median <= args.goal_make else "MISSED"
    failed |= median > args.goal_make
    print(f"make run until healthy: median {median:.1f} s ({seconds(made)}); goal ≤ {args.goal_make:g} s: {verdict}")
    if docker_ready(args.image):
        runs = []
        for k in range(args.runs):
            port, name = free_port(), f"gradflow-startup-bench-{os.getpid()}-{k}"
            command = ["docker", "run", "--rm", "--name", name, "-p", f"127.0.0.1:{port}:8501", args.image]
            runs.append(time_to_healthy(command, port, stop=["docker", "stop", "-t", "5", name]))
        median = statistics.median(runs)
        verdict = "met" if median <= args.goal_docker else "MISSED"
        failed |= median > args.goal_docker
        goal = f"goal ≤ {args.goal_docker:g} s: {verdict}"
        print(f"docker run until healthy: median {median:.1f} s ({seconds(runs)}); {goal}")
    else:
        print(f"docker run: skipped (no Docker engine, or no image {args.image!r})")
    sys.exit(1 if failed else 0)


def seconds(values: list[float]) -> str:
    return ", ".join(f"{v:.1f}" for v in values)


if __name__ == "__main__":
    main()
