"""Soak: thousands of Gradflow reruns with changing inputs; does the server's memory or thread count grow?

    .venv/bin/python bench/soak_bench.py [--reruns 3000] [--sessions 4] [--sample-every 50]
        [--time-limit 600] [--bad-share 0.1] [--pages playground] [--seed 0] [--python PATH]
        [--server-option=--runner.postScriptGC=false ...]

Starts Gradflow the way `make run` does (`python serve.py`, see bench/rerun_bench.py; each
`--server-option` is appended) on a free port on 127.0.0.1 and opens `--sessions` sessions over
Streamlit's websocket protocol (bench/ws_client.py). Every session then reruns back to back, all
at once, each rerun with a new share-link query string, as if a student pasted a new link each
time: random small integer matrices T (m×k) and B (k×n) with m, k, n from 1 to core/limits.py's
MAX_DIM, a random seed (ones, entry, entries, row, col or weights), dtype float32 or float64,
sometimes a picked gradient entry (focus) or a preset; a `--bad-share` of the reruns get a bad
input instead (too large, not a number, shapes that do not chain, an index out of range, an
unknown dtype, seed or preset, text over the length limit, NaN, ...), which the app should answer
with a warning. `--pages` spreads the reruns over several pages (default: the playground only).

Every `--sample-every` reruns all sessions pause, and the server's VmRSS and thread count are read
from /proc/PID/status. After the warm-up (the first 20 % of the reruns done), the RSS must stay
within 5 % of its value at the end of the warm-up and the thread count must not end above it.
A rerun counts as an error when it shows an exception, does not finish, or loses its connection.
The run stops after `--reruns` reruns or `--time-limit` seconds, whichever comes first, and always
stops the server; when it stops early, the RSS check also projects the least-squares trend of the
samples to `--reruns` reruns, and a projection beyond 5 % fails too. Prints PASS/FAIL per check
and exits 1 on a FAIL. A benchmark, not a test: `make test` never runs it. Linux only (/proc).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import runpy
import sys
import time
from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlencode

from ws_client import (
    GRACE_S,
    PAGES,
    REFERENCE_QUERY,
    ROOT,
    Rerun,
    Server,
    add_server_arguments,
    client_address,
    error_summary,
    has_proc,
    load_line,
    machine_line,
    open_session,
    percentile,
    rerun_back_to_back,
    timed,
)

RUN_LIMIT_S = 600.0
WARMUP_SHARE = 0.2
RSS_TOLERANCE_PCT = 5.0
STOP_S = 5.0  # to stop the server at the end
SAMPLE_SETTLE_S = 0.5  # after a round, so the runs' threads have finished their clean-up
_LIMITS = runpy.run_path(str(ROOT / "core" / "limits.py"))  # the app's limits, without importing core
MAX_DIM: int = _LIMITS["MAX_DIM"]
MAX_TEXT_LENGTH: int = _LIMITS["MAX_TEXT_LENGTH"]
PRESET_NAMES = ("so-question", "identity", "small-integers", "random")


# --- inputs -----------------------------------------------------------------------------------


def matrix(rng: random.Random, rows: int, cols: int, low: int = -9, high: int = 9) -> str:
    """A random integer matrix in the share-link form `1,2;3,4`."""
    return ";".join(",".join(str(rng.randint(low, high)) for _ in range(cols)) for _ in range(rows))


def seed_text(rng: random.Random, m: int, n: int) -> str:
    """A random seed for an m×n Y, in each of the forms a link can carry."""
    kind = rng.choice(("ones", "entry", "entries", "row", "col", "weights"))
    if kind == "entry":
        return f"entry:{rng.randrange(m)},{rng.randrange(n)}"
    if kind == "entries":
        cells = {(rng.randrange(m), rng.randrange(n)) for _ in range(rng.randint(1, 4))}
        return "entries:" + ";".join(f"{i},{j}" for i, j in sorted(cells))
    if kind == "row":
        return f"row:{rng.randrange(m)}"
    if kind == "col":
        return f"col:{rng.randrange(n)}"
    if kind == "weights":
        return "weights:" + matrix(rng, m, n, -3, 3)
    return "ones"


def good_query(rng: random.Random) -> dict[str, str]:
    """A valid problem: random matrices within MAX_DIM, a seed, a dtype, sometimes a focus or a preset."""
    if rng.random() < 0.1:
        return {"preset": rng.choice(PRESET_NAMES), "seed": "ones"}
    m, k, n = (rng.randint(1, MAX_DIM) for _ in range(3))
    query = {"T": matrix(rng, m, k), "B": matrix(rng, k, n), "seed": seed_text(rng, m, n)}
    query["dtype"] = rng.choice(("float32", "float64"))
    if rng.random() < 0.3:
        query["focus"] = rng.choice(
            (f"dT:{rng.randrange(m)},{rng.randrange(k)}", f"dB:{rng.randrange(k)},{rng.randrange(n)}")
        )
    return query


def bad_query(rng: random.Random) -> tuple[str, dict[str, str]]:
    """A link with one bad parameter, and a name for the kind of fault."""
    query = good_query(rng)
    query.pop("preset", None)
    query.setdefault("T", matrix(rng, 2, 3))
    query.setdefault("B", matrix(rng, 3, 2))
    big = MAX_DIM + 1
    faults = {
        "too large": ("T", matrix(rng, big, big)),
        "not a number": ("T", "1,x;3,4"),
        "ragged rows": ("B", "1,2;3"),
        "empty": ("T", ""),
        "NaN and inf": ("B", "nan,1;2,inf"),
        "overflow": ("T", "1e400,1;2,3"),
        "over the length limit": ("T", ",".join(["1"] * (MAX_TEXT_LENGTH // 2 + 10))),
        "shapes do not chain": ("B", matrix(rng, len(query["T"].split(";")[0].split(",")) % MAX_DIM + 1, 2)),
        "seed index out of range": ("seed", "entry:99,0"),
        "unknown seed": ("seed", "diag"),
        "weights of the wrong shape": ("seed", "weights:1,2,3,4,5,6,7,8,9"),
        "unknown dtype": ("dtype", "float16"),
        "unknown preset": ("preset", "nope"),
        "bad focus": ("focus", "dX:0,0"),
        "focus out of range": ("focus", "dT:99,99"),
    }
    name = rng.choice(sorted(faults))
    key, value = faults[name]
    query[key] = value
    return name, query


def link(query: dict[str, str]) -> str:
    return urlencode(query, safe=",;:")


# --- the run ----------------------------------------------------------------------------------


@dataclass
class Sample:
    reruns: int
    seconds: float
    rss: float
    threads: int


@dataclass
class Soak:
    samples: list[Sample]
    reruns: list[Rerun]  # the sessions' first pages first
    faults: Counter[str]  # bad inputs sent, by kind
    warned: Counter[str]  # of those, the reruns that showed a warning or an error message


async def soak(server: Server, options: argparse.Namespace, deadline: float) -> Soak:
    """Open the sessions, then rerun them in rounds with new links until done; sample between rounds."""
    rng = random.Random(options.seed)
    pages = [PAGES[p] for p in options.pages]
    opened = await asyncio.gather(
        *(
            open_session(server.url, pages[0], REFERENCE_QUERY, source=client_address(i))
            for i in range(options.sessions)
        )
    )
    sessions = [s for s, _ in opened if s.ws is not None]
    reruns: list[Rerun] = [first for _, first in opened]
    faults: Counter[str] = Counter()
    warned: Counter[str] = Counter()
    started = time.monotonic()
    samples: list[Sample] = []
    per_round = max(1, -(-options.sample_every // max(1, len(sessions))))
    done = 0
    while sessions and done < options.reruns and time.monotonic() < deadline:
        plans = []
        for _ in sessions:
            queries, kinds = [], []
            for _ in range(min(per_round, -(-(options.reruns - done) // len(sessions)))):
                if rng.random() < options.bad_share:
                    kind, query = bad_query(rng)
                else:
                    kind, query = "", good_query(rng)
                queries.append(link(query))
                kinds.append(kind)
            plans.append((queries, kinds, [rng.choice(pages) for _ in queries] if len(pages) > 1 else None))
        results = await asyncio.gather(
            *(rerun_back_to_back(s, len(q), deadline, q, p) for s, (q, _, p) in zip(sessions, plans, strict=True))
        )
        for result, (_, kinds, _) in zip(results, plans, strict=True):
            for rerun, kind in zip(result, kinds, strict=False):
                if kind and not rerun.cut:
                    faults[kind] += 1
                    warned[kind] += bool(rerun.alerts["warning"] or rerun.alerts["error"])
            reruns += timed(result)
            done += len(timed(result))
        sessions = [s for s in sessions if s.ws is not None]
        await asyncio.sleep(SAMPLE_SETTLE_S)
        status = server.status()
        samples.append(Sample(done, time.monotonic() - started, status["VmRSS"], int(status["Threads"])))
        if options.verbose:
            last = samples[-1]
            print(f"{last.reruns} reruns, {last.seconds:.0f} s: {last.rss:.0f} MiB, {last.threads} threads")
    await asyncio.gather(*(s.close() for s, _ in opened))
    return Soak(samples, reruns, faults, warned)


def slope_per_1000(samples: list[Sample]) -> float:
    """Least-squares RSS growth in MiB per 1000 reruns over `samples`."""
    if len(samples) < 2:
        return float("nan")
    xs, ys = [s.reruns for s in samples], [s.rss for s in samples]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx * 1000 if sxx else float("nan")


async def main_async(options: argparse.Namespace) -> int:
    started = time.monotonic()
    deadline = started + options.time_limit - GRACE_S - STOP_S  # the last reruns and the stop fit in
    print(machine_line("Gradflow soak bench"))
    server = Server("app", options.python, options.server_option, options.workers)
    try:
        healthy = server.start(timeout=max(10.0, deadline - time.monotonic()))
        print(f"server: {' '.join(server.command)}, healthy after {healthy:.1f} s")
        result = await soak(server, options, deadline)
    except RuntimeError as e:  # the server did not start
        print(e, file=sys.stderr)
        return 2
    finally:
        server.stop()

    samples, reruns = result.samples, result.reruns
    done = samples[-1].reruns if samples else 0
    print(
        f"{done} reruns in {samples[-1].seconds if samples else 0:.0f} s over {options.sessions} sessions, "
        f"pages {', '.join(options.pages)}, {options.bad_share:.0%} bad inputs (seed {options.seed})"
    )
    if len(samples) < 3:
        print("too few samples to judge: raise --time-limit or lower --sample-every")
        return 1
    times = [r.seconds * 1000 for r in reruns[options.sessions :]]
    print(
        f"rerun ms p50 {percentile(times, 50):.0f}, p95 {percentile(times, 95):.0f}, max {percentile(times, 100):.0f}; "
        f"payload {sum(r.bytes for r in reruns) / len(reruns) / 1024:.1f} KiB per rerun"
    )
    warm = next(s for s in samples if s.reruns >= WARMUP_SHARE * done)
    after = [s for s in samples if s.reruns > warm.reruns]
    if not after:
        print("no sample after the warm-up: raise --reruns or lower --sample-every")
        return 1
    print()
    print(f"{'reruns':>8}{'s':>7}{'VmRSS MiB':>11}{'threads':>9}")
    step = max(1, len(samples) // 12)
    for s in sorted({id(s): s for s in [*samples[::step], warm, samples[-1]]}.values(), key=lambda s: s.reruns):
        mark = "  <- end of warm-up" if s is warm else ""
        print(f"{s.reruns:>8}{s.seconds:>7.0f}{s.rss:>11.1f}{s.threads:>9}{mark}")
    print()

    peak = max(s.rss for s in after)
    growth = (peak - warm.rss) / warm.rss * 100
    rss_ok = all(abs(s.rss - warm.rss) / warm.rss * 100 <= RSS_TOLERANCE_PCT for s in after)
    threads_ok = after[-1].threads <= warm.threads
    errors = [r for r in reruns if not r.ok]
    short = done < options.reruns
    print(
        f"RSS after warm-up {warm.rss:.0f} MiB (at {warm.reruns} reruns), "
        f"highest after {peak:.0f} MiB ({growth:+.1f}%), last {after[-1].rss:.0f} MiB; "
        f"trend {slope_per_1000([warm, *after]):+.1f} MiB per 1000 reruns"
    )
    rss_verdict = "PASS" if rss_ok else "FAIL"
    if short and rss_ok:  # judge the trend too: a steady leak can stay within 5 % of a short run
        projected = slope_per_1000([warm, *after]) * (options.reruns - warm.reruns) / 1000 / warm.rss * 100
        print(f"  at this trend, {options.reruns} reruns would end {projected:+.1f}% from the warm value")
        if abs(projected) > RSS_TOLERANCE_PCT:
            rss_ok, rss_verdict = False, "FAIL (projected)"
    print(f"  within {RSS_TOLERANCE_PCT:g}% of the warm value: {rss_verdict}")
    print(
        f"threads after warm-up {warm.threads}, highest after {max(s.threads for s in after)}, last {after[-1].threads}"
    )
    print(f"  not growing: {'PASS' if threads_ok else 'FAIL'}")
    print(f"reruns with errors: {len(errors)} of {len(reruns)}: {'PASS' if not errors else 'FAIL'}")
    for line in error_summary(errors):
        print(f"  {line}")
    for line in server.tracebacks()[:5]:
        print(f"  server log traceback: {line}")
    if result.faults:
        warned = sum(result.warned.values())
        print(f"bad inputs answered with a warning: {warned} of {sum(result.faults.values())}")
        for kind, n in sorted(result.faults.items()):
            if result.warned[kind] < n:
                print(f"  {kind}: only {result.warned[kind]} of {n}")
    if short:
        print(f"(stopped after {done} of {options.reruns} reruns at the time limit)")
    print(load_line(started))
    return 0 if rss_ok and threads_ok and not errors else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reruns", type=int, default=3000, help="reruns in all (default 3000)")
    parser.add_argument("--sessions", type=int, default=4, help="sessions rerunning at once (default 4)")
    parser.add_argument("--sample-every", type=int, default=50, help="reruns between /proc samples (default 50)")
    parser.add_argument(
        "--time-limit", type=float, default=RUN_LIMIT_S, help=f"seconds for the whole run (default {RUN_LIMIT_S:.0f})"
    )
    parser.add_argument("--bad-share", type=float, default=0.1, help="share of reruns with a bad input (default 0.1)")
    parser.add_argument(
        "--pages",
        type=lambda text: text.split(","),
        default=["playground"],
        help=f"comma-separated pages to rerun, of {', '.join(PAGES)} (default playground)",
    )
    parser.add_argument("--seed", type=int, default=0, help="random seed of the inputs (default 0)")
    add_server_arguments(parser)
    parser.add_argument("--verbose", action="store_true", help="print every sample as it is taken")
    options = parser.parse_args()
    if unknown := [p for p in options.pages if p not in PAGES]:
        parser.error(f"unknown page {', '.join(unknown)}: choose from {', '.join(PAGES)}")
    if options.sessions < 1 or options.reruns < 1 or options.sample_every < 1 or not 0 <= options.bad_share <= 1:
        parser.error("--sessions, --reruns and --sample-every must be positive, --bad-share within 0..1")
    if not has_proc():
        print("needs Linux /proc", file=sys.stderr)
        return 2
    return asyncio.run(main_async(options))


if __name__ == "__main__":
    sys.exit(main())
