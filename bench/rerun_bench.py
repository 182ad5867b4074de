"""Rerun latency over Streamlit's own websocket protocol: Gradflow against a one-line floor.

    .venv/bin/python bench/rerun_bench.py [--sessions 20] [--reruns 50] [--flat-reruns 1000]
        [--time-limit 240] [--python PATH] [--server-option=--runner.postScriptGC=false ...]

Starts two servers, one after the other, each on a free port on 127.0.0.1 with the settings of
.streamlit/config.toml: the floor, a script that is only `st.write("hello")` (what any rerun costs
on this machine), and Gradflow the way `make run` does (`python serve.py --server.port P
--server.headless true`, which imports TensorFlow before it serves). Each `--server-option` is
appended to both command lines, so runner settings can be compared from the command line; write
it with `=`, e.g. `--server-option=--runner.postScriptGC=false`.

Sessions are driven by bench/ws_client.py, which speaks the browser's protocol on /_stcore/stream
(XSRF cookie, `streamlit` subprotocol, `rerun_script` BackMsgs carrying the query string and the
page). A rerun is timed from sending its BackMsg to receiving its final `script_finished`; an
exception element, a compile error, a missing page or a timeout counts as an error. For each
server, in this order:

1. first page: from /_stcore/health first answering to the first session's first script_finished
   (the handshake included; on a fresh server the first visit to a page other than the playground
   takes 2 script runs, ui.common.ensure_app_navigation's one-time `st.rerun()`);
2. one session: 5 warm-up reruns, then `--reruns` back to back: p50 / p95 / max, payload bytes
   received per rerun and the server's CPU time per rerun (/proc/PID/stat);
3. idle sessions: server RSS (/proc/PID/status VmRSS) before and after `--sessions` - 1 further
   sessions have each loaded the page and gone idle: MiB per additional idle session;
4. concurrency: all `--sessions` sessions rerun back to back at once until `--flat-reruns`
   reruns are done: p50 / p95 / max, and the RSS after them against the RSS after step 3
   (the warm server): flat means within 5 %.

Gradflow's page is `--page` (default the playground, which Streamlit serves at /) at `--query`
(default the reference case's share link, `preset=so-question&seed=ones`); the floor is its own
single page. Targets (judged on
Gradflow): one-session p50 <= 60 ms, 20-session p95 <= 600 ms, first page <= 2 s, <= 1 MiB per
idle session, RSS within 5 % over 1000 reruns. The whole run is capped by `--time-limit` (the floor
gets a quarter of it); a phase cut short says how many reruns it got (a rerun still running
15 s after its phase's end is dropped, not counted as an error), and a flatness verdict needs all
`--flat-reruns`. The servers are always stopped. Exits 1 if a target is missed. A benchmark,
not a test: `make test` never runs it. Linux only (/proc).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from ws_client import (
    GRACE_S,
    PAGES,
    REFERENCE_QUERY,
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

RUN_LIMIT_S = 240.0
FLOOR_SHARE = 0.25  # of the time limit, for the floor server
WARMUP_RERUNS = 5
SETTLE_S = 2.0  # before each reading of /proc, so the last run's clean-up is over
OPEN_WAVE = 5  # idle sessions opened at once
TARGETS = {
    "p50_1": 60.0,  # ms, one session
    "p95_n": 600.0,  # ms, --sessions sessions at once
    "first_page": 2.0,  # s
    "idle_mib": 1.0,  # MiB per additional idle session
    "flat": 5.0,  # % RSS growth over --flat-reruns reruns
}


@dataclass
class Figures:
    """What one server measured; NaN or empty where a phase did not get to run."""

    label: str
    command: list[str]
    healthy_s: float = float("nan")
    first_page_s: float = float("nan")
    first: Rerun | None = None
    single: list[Rerun] = field(default_factory=list)
    single_cpu_s: float = float("nan")
    sessions: int = 0  # open after the idle phase (the first included)
    rss_one: float = float("nan")  # after one session per worker (each worker's first run imports once)
    baseline_sessions: int = 1
    rss_idle: float = float("nan")
    concurrent: list[Rerun] = field(default_factory=list)
    concurrent_wall_s: float = float("nan")
    rss_end: float = float("nan")
    threads_idle: float = float("nan")
    threads_end: float = float("nan")
    peak_mib: float = float("nan")
    all_reruns: list[Rerun] = field(default_factory=list)
    tracebacks: list[str] = field(default_factory=list)

    def ms(self, reruns: list[Rerun], q: float) -> float:
        return percentile([r.seconds * 1000 for r in reruns], q)

    @property
    def idle_mib(self) -> float:
        extra = self.sessions - self.baseline_sessions
        return (self.rss_idle - self.rss_one) / extra if extra > 0 else float("nan")

    @property
    def growth_pct(self) -> float:
        return (self.rss_end - self.rss_idle) / self.rss_idle * 100


async def measure(server: Server, page: str, query: str, options: argparse.Namespace, deadline: float) -> Figures:
    """Run the four phases against `server` (started here, stopped by the caller) until `deadline`."""
    figures = Figures(server.kind, server.command)
    figures.healthy_s = server.start(timeout=max(10.0, deadline - time.monotonic()))
    session, first = await open_session(server.url, page, query, source=client_address(0))
    figures.first_page_s = time.monotonic() - server.healthy_at
    figures.first = first
    figures.all_reruns.append(first)
    if session.ws is None:  # no session at all: nothing further to measure
        return figures
    budget = deadline - time.monotonic()

    # 2. One session, back to back.
    phase_end = time.monotonic() + 0.3 * budget
    figures.all_reruns += await rerun_back_to_back(session, WARMUP_RERUNS, phase_end)
    cpu = server.cpu()
    figures.single = timed(await rerun_back_to_back(session, options.reruns, phase_end))
    figures.single_cpu_s = server.cpu() - cpu
    figures.all_reruns += figures.single

    # 3. Idle sessions: each loads the page once, then stays connected without a rerun. The baseline
    # has one session per worker, since a worker's first run makes its one-time imports.
    sessions = [session] if session.ws is not None else []
    for i in range(1, server.workers):
        other, first_run = await open_session(server.url, page, query, source=client_address(i))
        figures.all_reruns.append(first_run)
        if other.ws is not None:
            sessions.append(other)
    figures.baseline_sessions = max(1, len(sessions))
    await asyncio.sleep(SETTLE_S)
    figures.rss_one = server.status()["VmRSS"]
    phase_end = time.monotonic() + 0.25 * budget
    while len(sessions) < options.sessions and time.monotonic() < phase_end:
        wave = min(OPEN_WAVE, options.sessions - len(sessions))
        opened = await asyncio.gather(
            *(open_session(server.url, page, query, phase_end, client_address(len(sessions) + i)) for i in range(wave))
        )
        for new, first_run in opened:
            figures.all_reruns.append(first_run)
            if new.ws is not None:
                sessions.append(new)
    await asyncio.sleep(SETTLE_S)
    status = server.status()
    figures.sessions, figures.rss_idle, figures.threads_idle = len(sessions), status["VmRSS"], status["Threads"]

    # 4. Every session reruns back to back at once, until --flat-reruns reruns are done.
    phase_end = deadline - GRACE_S - SETTLE_S
    each = -(-options.flat_reruns // max(1, len(sessions)))
    started = time.monotonic()
    results = await asyncio.gather(*(rerun_back_to_back(s, each, phase_end) for s in sessions))
    figures.concurrent_wall_s = time.monotonic() - started
    figures.concurrent = timed([r for rs in results for r in rs])
    figures.all_reruns += figures.concurrent
    await asyncio.sleep(SETTLE_S)
    status = server.status()
    figures.rss_end, figures.threads_end, figures.peak_mib = status["VmRSS"], status["Threads"], status["VmHWM"]
    await asyncio.gather(*(s.close() for s in sessions))
    return figures


async def run_server(kind: str, page: str, query: str, options: argparse.Namespace, deadline: float) -> Figures:
    server = Server(kind, options.python, options.server_option, options.workers)
    try:
        figures = await measure(server, page, query, options, deadline)
    finally:
        server.stop()
    figures.tracebacks = server.tracebacks()
    return figures


def verdict(value: float, limit: float, complete: bool = True) -> str:
    if value != value:  # NaN: the phase did not run
        return "n/a"
    if value > limit:
        return "FAIL"
    return "PASS" if complete else "n/a"


def report(floor: Figures | None, app: Figures, options: argparse.Namespace) -> bool:
    """Print the table; True when every target is met."""
    columns = [f for f in (floor, app) if f is not None]
    n = options.sessions

    def cells(fn: Callable[[Figures], str]) -> str:
        return "".join(f"{fn(f):>24}" for f in columns)

    def lat(f: Figures, reruns: list[Rerun]) -> str:
        if not reruns:
            return "-"
        return f"{f.ms(reruns, 50):.0f}/{f.ms(reruns, 95):.0f}/{f.ms(reruns, 100):.0f} n={len(reruns)}"

    def per_rerun_bytes(f: Figures) -> str:
        if not f.single:
            return "-"
        return f"{sum(r.bytes for r in f.single) / len(f.single) / 1024:.1f} KiB, {f.single[-1].messages} msgs"

    def flat(f: Figures) -> str:
        if f.rss_end != f.rss_end:
            return "-"
        return f"{f.rss_idle:.0f}->{f.rss_end:.0f} {f.growth_pct:+.1f}% n={len(f.concurrent)}"

    def throughput(f: Figures) -> str:
        if not f.concurrent:
            return "-"
        return f"{len(f.concurrent) / f.concurrent_wall_s:.1f}/s"

    labels = {"hello": "floor (st.write)", "app": f"Gradflow /{PAGES[options.page]}"}
    print(f"{'':<34}" + "".join(f"{labels[f.label]:>24}" for f in columns) + f"{'target':>12}  verdict")
    flat_done = len(app.concurrent) >= options.flat_reruns
    first_runs = app.first.runs if app.first else 0
    rows = [
        ("server healthy after (s)", cells(lambda f: f"{f.healthy_s:.1f}"), "", ""),
        (
            "first page (s)",
            cells(lambda f: f"{f.first_page_s:.2f}" + (f" ({f.first.runs} runs)" if f.first else "")),
            f"<= {TARGETS['first_page']:g}",
            verdict(app.first_page_s if app.first and app.first.ok else float("inf"), TARGETS["first_page"]),
        ),
        (
            "1 session p50/p95/max ms",
            cells(lambda f: lat(f, f.single)),
            f"p50 <= {TARGETS['p50_1']:g}",
            verdict(app.ms(app.single, 50), TARGETS["p50_1"]),
        ),
        ("  payload received per rerun", cells(per_rerun_bytes), "", ""),
        (
            "  server CPU per rerun (ms)",
            cells(lambda f: f"{f.single_cpu_s / len(f.single) * 1000:.0f}" if f.single else "-"),
            "",
            "",
        ),
        (
            f"{n} sessions p50/p95/max ms",
            cells(lambda f: lat(f, f.concurrent)),
            f"p95 <= {TARGETS['p95_n']:g}",
            verdict(app.ms(app.concurrent, 95), TARGETS["p95_n"], app.sessions >= n),
        ),
        (f"  reruns per second, {n} sessions", cells(throughput), "", ""),
        (
            "MiB per idle session",
            cells(
                lambda f: (
                    f"{f.idle_mib:.2f} ({f.sessions - f.baseline_sessions} sessions)"
                    if f.sessions > f.baseline_sessions
                    else "-"
                )
            ),
            f"<= {TARGETS['idle_mib']:g}",
            verdict(app.idle_mib, TARGETS["idle_mib"]),
        ),
        (
            "RSS MiB warm -> after reruns",
            cells(flat),
            f"<= +{TARGETS['flat']:g}%",
            verdict(app.growth_pct if app.rss_end == app.rss_end else float("nan"), TARGETS["flat"], flat_done),
        ),
        ("  threads warm -> after", cells(lambda f: f"{f.threads_idle:.0f}->{f.threads_end:.0f}"), "", ""),
        ("  peak RSS (VmHWM) MiB", cells(lambda f: f"{f.peak_mib:.0f}"), "", ""),
        (
            "reruns with errors",
            cells(lambda f: f"{sum(not r.ok for r in f.all_reruns)} of {len(timed(f.all_reruns))}"),
            "0",
            "PASS" if all(r.ok for r in app.all_reruns) else "FAIL",
        ),
    ]
    for label, values, target, result in rows:
        print(f"{label:<34}{values}{target:>12}  {result}")
    if first_runs > 1:
        print(f"(Gradflow's first page took {first_runs} script runs: the one-time st.rerun() of a fresh server)")
    if not flat_done:
        print(f"(flatness needs {options.flat_reruns} reruns after warm-up; raise --time-limit to judge it)")
    for f in columns:
        if cut := sum(r.cut for r in f.all_reruns):
            print(f"{labels[f.label]}: {cut} reruns still running when their phase's time was up (not counted)")
        for line in error_summary(f.all_reruns):
            print(f"{labels[f.label]} error: {line}")
        for line in f.tracebacks[:5]:
            print(f"{labels[f.label]} server log traceback: {line}")
    return not any(result == "FAIL" for *_, result in rows)


async def main_async(options: argparse.Namespace) -> int:
    started = time.monotonic()
    deadline = started + options.time_limit
    print(machine_line("Gradflow rerun bench") + " (other work on the machine skews the figures)")
    print(
        f"server options: {' '.join(options.server_option) or '(none)'}; Gradflow workers: {options.workers}; "
        f"page /{PAGES[options.page]}?{options.query}"
    )
    try:
        floor = None
        if not options.no_floor:
            floor = await run_server("hello", "", "", options, started + FLOOR_SHARE * options.time_limit)
        cpu = time.process_time()
        app = await run_server("app", PAGES[options.page], options.query, options, deadline)
    except RuntimeError as e:  # a server that did not start
        print(e, file=sys.stderr)
        return 2
    print(f"server: {' '.join(app.command)}")
    print("ms: send rerun_script -> final script_finished; n = reruns measured")
    print()
    ok = report(floor, app, options)
    client_cpu = (time.process_time() - cpu) / max(1, len(app.all_reruns)) * 1000
    print()
    print(f"client CPU per Gradflow rerun: {client_cpu:.1f} ms (this process, on the same machine)")
    print(load_line(started))
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", type=int, default=20, help="sessions open at once (default 20)")
    parser.add_argument("--reruns", type=int, default=50, help="reruns of the one session (default 50)")
    parser.add_argument(
        "--flat-reruns", type=int, default=1000, help="reruns of all sessions for the flatness check (default 1000)"
    )
    parser.add_argument(
        "--time-limit", type=float, default=RUN_LIMIT_S, help=f"seconds for the whole run (default {RUN_LIMIT_S:.0f})"
    )
    add_server_arguments(parser)
    parser.add_argument(
        "--page", default="playground", choices=list(PAGES), help="Gradflow's page (default playground)"
    )
    parser.add_argument("--query", default=REFERENCE_QUERY, help=f"its query string (default {REFERENCE_QUERY})")
    parser.add_argument("--no-floor", action="store_true", help="measure Gradflow only")
    options = parser.parse_args()
    if options.sessions < 2 or options.reruns < 1 or options.flat_reruns < 1:
        parser.error("--sessions must be at least 2, --reruns and --flat-reruns at least 1")
    if not has_proc():
        print("needs Linux /proc", file=sys.stderr)
        return 2
    return asyncio.run(main_async(options))


if __name__ == "__main__":
    sys.exit(main())
