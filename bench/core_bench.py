"""Per-call time of Gradflow's core functions, as quoted in docs/speed.md.

    .venv/bin/python bench/core_bench.py        (or `make bench`)

Times `core.tf_gradients`, `core.tf_jacobians` and `core.analytic_gradients` for square products
m = k = n from 2 to 8 (the app's whole range), for 32 and 64 as headroom, and for the reference
case `core.preset("so-question")` (5×3 @ 3×3), whose medians are held to the targets below. Each
cell is the median and 95th percentile of repeated calls after warm-up calls (which also trace
`tf_jacobians`' tf.function for that shape). Every cell has a time budget and the run a 50 s
cut-off, so it finishes within a minute. Exits 1 if a target is missed. A benchmark, not a
test: `make test` never runs it.
"""

from __future__ import annotations

import contextlib
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from unittest import mock

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from anywhere as a script

import core
import core.limits
import core.validate

SQUARE_SIZES = [2, 3, 4, 5, 6, 7, 8]
HEADROOM_SIZES = [32, 64]  # beyond core.MAX_DIM: measured with the size check lifted, see below
TARGETS_MS = {"tf_gradients": 2.0, "tf_jacobians": 5.0}  # reference case, median per call
FUNCTIONS: dict[str, Callable[[np.ndarray, np.ndarray], object]] = {
    "tf_gradients": core.tf_gradients,
    "tf_jacobians": core.tf_jacobians,
    "analytic_gradients": core.analytic_gradients,
}
WARMUP_CALLS = 5  # untimed; the first one also traces tf_jacobians' tf.function for the shape
MIN_CALLS = 20
MAX_CALLS = 2000
BUDGET_S = 0.4  # timed seconds per cell once MIN_CALLS are done
REFERENCE_BUDGET_S = 1.5  # more samples for the row the targets judge
CELL_CAP_S = 3.0  # a slow cell (64×64 Jacobians, about a second a call) stops here after FLOOR_CALLS
FLOOR_CALLS = 5
RUN_LIMIT_S = 50.0  # past this, remaining cells are skipped (only ever the headroom rows, which run last)
COLUMN = 26


@contextlib.contextmanager
def size_limit_lifted(limit: int) -> Iterator[None]:
    """Let core accept matrices up to `limit`×`limit` inside this block, for the headroom rows only.

    core refuses anything larger than MAX_DIM (8) in `core.validate._check_shape`, which reads
    the module global `core.validate.MAX_DIM` (a copy of `core.limits.MAX_DIM` made at import).
    Raising both globals for the duration of the block, and restoring them after, lets the bench
    call the very same public functions, so 32×32 and 64×64 go through the same validation,
    tf.constant, GradientTape and tf.function code as the app. core's limit is not changed.
    """
    with mock.patch.object(core.validate, "MAX_DIM", limit), mock.patch.object(core.limits, "MAX_DIM", limit):
        yield


def time_calls(
    fn: Callable[[np.ndarray, np.ndarray], object],
    T: np.ndarray,
    B: np.ndarray,
    budget: float,
    deadline: float,
) -> list[float]:
    """Milliseconds per call, after up to WARMUP_CALLS untimed calls (at most a second of them).

    Timed calls go on until MIN_CALLS are done and `budget` seconds are spent, but stop early
    at CELL_CAP_S (or at the run's deadline) once FLOOR_CALLS are done.
    """
    warmup_end = time.perf_counter() + 1.0
    fn(T, B)
    for _ in range(WARMUP_CALLS - 1):
        if time.perf_counter() > warmup_end:
            break
        fn(T, B)
    times: list[float] = []
    begin = time.perf_counter()
    while len(times) < MAX_CALLS:
        now = time.perf_counter()
        if len(times) >= MIN_CALLS and now - begin >= budget:
            break
        if len(times) >= FLOOR_CALLS and (now - begin >= CELL_CAP_S or now >= deadline):
            break
        start = time.perf_counter_ns()
        fn(T, B)
        times.append((time.perf_counter_ns() - start) / 1e6)
    return times


def cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.partition(":")[2].strip()
    return platform.processor() or platform.machine()


def main() -> int:
    started = time.perf_counter()
    deadline = started + RUN_LIMIT_S
    limit = core.MAX_DIM
    tf = core.tensorflow()
    # The sweep retraces tf_jacobians' tf.function for every new shape, on purpose; TensorFlow's
    # "excessive retracing" warning about that would break up the table.
    tf.get_logger().setLevel("ERROR")

    cpus = os.cpu_count()
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cpus
    print("Gradflow core benchmark")
    print(f"machine: {cpus} CPUs ({usable} usable), {cpu_model()}, {platform.system()} {platform.machine()}")
    print(f"python {platform.python_version()}, tensorflow {tf.__version__}, numpy {np.__version__}")
    print("ms per call: median / p95 over n timed calls, after warm-up; float32 (the app's default), seed ones")
    print()

    def row(label: str, T: np.ndarray, B: np.ndarray, budget: float) -> dict[str, float]:
        medians, cells = {}, []
        for name, fn in FUNCTIONS.items():
            if time.perf_counter() >= deadline:
                cells.append(f"skipped: over {RUN_LIMIT_S:g} s")
                continue
            times = time_calls(fn, T, B, budget, deadline)
            medians[name] = statistics.median(times)
            p95 = float(np.percentile(times, 95))
            cells.append(f"{medians[name]:9.3f} / {p95:8.3f} n={len(times):<4}")
        print(f"{label:<22}" + "".join(f"{cell:>{COLUMN}}" for cell in cells), flush=True)
        return medians

    print(f"{'case':<22}" + "".join(f"{name:>{COLUMN}}" for name in FUNCTIONS))
    # The reference case runs first, before the big headroom products churn memory and caches.
    ref = core.preset("so-question")
    (m, k), n = ref.T.shape, ref.B.shape[1]
    reference = row(f"reference {m}×{k} @ {k}×{n}", ref.T, ref.B, REFERENCE_BUDGET_S)
    print()
    rng = np.random.default_rng(0)
    for size in SQUARE_SIZES + HEADROOM_SIZES:
        T, B = rng.uniform(-1, 1, (size, size)), rng.uniform(-1, 1, (size, size))
        beyond = size > limit
        with size_limit_lifted(size) if beyond else contextlib.nullcontext():
            row(f"{size}×{size} @ {size}×{size}" + (" *" if beyond else ""), T, B, BUDGET_S)
    assert core.validate.MAX_DIM == core.limits.MAX_DIM == limit, "core's size limit was not restored"
    print(f"* beyond core.MAX_DIM = {limit}, which the app refuses: measured with the size check lifted")

    print()
    ok = True
    for name, target in TARGETS_MS.items():
        passed = reference[name] <= target
        ok &= passed
        verdict = "PASS" if passed else "FAIL"
        print(f"target {name} ≤ {target:g} ms (reference case, median): {reference[name]:.3f} ms  {verdict}")
    print(f"total run time {time.perf_counter() - started:.1f} s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
