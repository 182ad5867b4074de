"""server/workers.py: several server processes on one port, every connection of a machine on one of them.

The socket options are checked against the kernel (a listening group on loopback, connections
from different source addresses of 127.0.0.0/8), and serve.py is started for real with
GRADFLOW_WORKERS=2: both workers answer, each client address always reaches the same worker, and
stopping the server stops both.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import pytest

from server import workers
from tests.helpers.paths import ROOT
from tests.helpers.server import HEALTH, START_TIMEOUT_S, Server, free_port, serve_command

CLIENTS = [f"127.0.0.{last}" for last in range(2, 10)]  # eight machines of a classroom, on loopback


def tcp_sockets() -> list[list[str]]:
    """The rows of /proc/net/tcp: local and remote address at 1 and 2, the state at 3, the inode at 9."""
    return [line.split() for line in Path("/proc/net/tcp").read_text().splitlines()[1:]]


def socket_inodes(pid: int) -> set[str]:
    """The inodes of the sockets process `pid` holds open (its /proc/PID/fd links `socket:[inode]`)."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    return inodes


def serving_pid(pids: list[int], client: socket.socket) -> int:
    """Which of `pids` holds the server end of `client`'s connection (Linux /proc)."""
    local_ip, local_port = client.getsockname()
    remote = f"{_hex_address(local_ip)}:{local_port:04X}"
    inodes = {row[9] for row in tcp_sockets() if row[2] == remote}  # the server end's remote is the client
    assert inodes, f"no server end found for {local_ip}:{local_port}"
    for pid in pids:
        if socket_inodes(pid) & inodes:
            return pid
    raise AssertionError(f"no worker holds the connection from {local_ip}:{local_port}")


def _hex_address(ip: str) -> str:
    return socket.inet_aton(ip)[::-1].hex().upper()  # /proc/net/tcp: little-endian hex


def connect_from(source: str, port: int) -> socket.socket:
    client = socket.create_connection(("127.0.0.1", port), timeout=5, source_address=(source, 0))
    client.sendall(f"GET {HEALTH} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
    assert client.recv(100).startswith(b"HTTP/1.1 200"), f"no health answer for {source}"
    return client


# --- GRADFLOW_WORKERS ---------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "count"), [(None, 1), ("", 1), ("1", 1), (" 2 ", 2), ("16", 16)])
def test_worker_count(value, count):
    assert workers.worker_count(value) == count


def test_worker_count_auto_is_the_usable_cpus_capped():
    assert workers.worker_count("auto") == min(workers.usable_cpus(), workers.MAX_WORKERS)
    assert 1 <= workers.usable_cpus() <= len(os.sched_getaffinity(0))


@pytest.mark.parametrize(
    ("cpu_max", "quota"),
    [("max 100000\n", None), ("200000 100000\n", 2), ("150000 100000", 2), ("50000 100000", 1), ("garbage", None)],
)
def test_usable_cpus_counts_a_containers_cpu_quota(tmp_path, monkeypatch, cpu_max, quota):
    """`docker run --cpus 2` or a pod's CPU limit of 2 on a big machine: auto starts 2 workers, not 16."""
    affinity = len(os.sched_getaffinity(0))
    path = tmp_path / "cpu.max"
    path.write_text(cpu_max)
    monkeypatch.setattr(workers, "CPU_MAX", str(path))
    assert workers.usable_cpus() == (affinity if quota is None else min(affinity, quota))
    monkeypatch.setattr(workers, "CPU_MAX", str(tmp_path / "missing"))
    monkeypatch.setattr(workers, "CFS_QUOTA", str(tmp_path / "missing"))
    assert workers.usable_cpus() == affinity


@pytest.mark.parametrize(
    ("quota_us", "period_us", "quota"), [("-1", "100000", None), ("100000", "100000", 1), ("250000", "100000", 3)]
)
def test_usable_cpus_counts_a_cgroup_v1_quota(tmp_path, monkeypatch, quota_us, period_us, quota):
    """Docker on a cgroup v1 host (this machine's, for one) writes `--cpus` as cpu.cfs_quota_us."""
    affinity = len(os.sched_getaffinity(0))
    (tmp_path / "quota").write_text(quota_us + "\n")
    (tmp_path / "period").write_text(period_us + "\n")
    monkeypatch.setattr(workers, "CPU_MAX", str(tmp_path / "missing"))
    monkeypatch.setattr(workers, "CFS_QUOTA", str(tmp_path / "quota"))
    monkeypatch.setattr(workers, "CFS_PERIOD", str(tmp_path / "period"))
    assert workers.usable_cpus() == (affinity if quota is None else min(affinity, quota))


@pytest.mark.parametrize("value", ["0", "-1", "17", "two", "1.5", "2 workers"])
def test_worker_count_refuses_what_it_cannot_use_with_a_sentence(value):
    with pytest.raises(ValueError, match=r"GRADFLOW_WORKERS=.*(whole number|between 1 and 16)"):
        workers.worker_count(value)


def test_serve_refuses_a_bad_worker_count_before_importing_anything():
    env = {**os.environ, workers.WORKERS_ENV: "lots"}
    run = subprocess.run([sys.executable, "serve.py"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert run.returncode == 1
    assert "GRADFLOW_WORKERS='lots': give a whole number of workers or 'auto'" in run.stderr
    assert "importing TensorFlow" not in run.stdout


# --- the socket ---------------------------------------------------------------------------------


def test_the_program_is_eight_bpf_instructions_ending_in_mod_and_return():
    program = workers.source_address_program(3)
    assert len(program) == 8 * 8
    assert program[-16:] == bytes.fromhex("9400000003000000") + bytes.fromhex("1600000000000000")


def test_a_group_keeps_each_source_address_on_one_socket():
    """Two listening sockets in one group, as two workers: the kernel follows the program."""
    first = workers.bind_tcp_socket("127.0.0.1", 0, 16, workers=2)
    port = first.getsockname()[1]
    second = workers.bind_tcp_socket("127.0.0.1", port, 16, workers=2)
    listeners = {first: "first", second: "second"}
    try:
        landed: dict[str, set[str]] = {}
        for source in CLIENTS:
            for _ in range(3):
                with socket.create_connection(("127.0.0.1", port), timeout=5, source_address=(source, 0)):
                    ready = [s for s in listeners if _accept_ready(s)]
                    assert len(ready) == 1
                    conn, _ = ready[0].accept()
                    conn.close()
                    landed.setdefault(source, set()).add(listeners[ready[0]])
        assert all(len(where) == 1 for where in landed.values()), landed  # always the same worker
        assert {w for where in landed.values() for w in where} == {"first", "second"}  # both used
        # address mod 2: neighbouring addresses alternate
        assert landed["127.0.0.2"] != landed["127.0.0.3"]
    finally:
        first.close()
        second.close()


def _accept_ready(sock: socket.socket) -> bool:
    import select

    readable, _, _ = select.select([sock], [], [], 0.5)
    return bool(readable)


def test_a_single_worker_socket_is_tcp_and_not_shared():
    sock = workers.bind_tcp_socket("127.0.0.1", 0, 8)
    try:
        assert sock.proto == socket.IPPROTO_TCP
        assert sock.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT) == 0
        with pytest.raises(OSError):
            workers.bind_tcp_socket("127.0.0.1", sock.getsockname()[1], 8, workers=2)
    finally:
        sock.close()


# --- serve.py with two workers ------------------------------------------------------------------


def children(pid: int) -> list[int]:
    return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def serve_with_two_workers(port: int) -> Server:
    """serve.py on `port` with GRADFLOW_WORKERS=2 (set for its start only)."""
    with mock.patch.dict(os.environ, {workers.WORKERS_ENV: "2"}):
        return Server(serve_command(port), port=port)


@pytest.fixture(scope="module")
def two_workers() -> Iterator[tuple[Server, int]]:
    port = free_port()
    with serve_with_two_workers(port) as server:
        server.wait_healthy(2 * START_TIMEOUT_S, poll_s=0.3, until=lambda: both_listening(server.pid, port))
        yield server, port


def both_listening(parent: int, port: int) -> bool:
    """Whether both workers of `parent` listen on `port` (each binds after its own warm-up)."""
    listening = {row[9] for row in tcp_sockets() if row[1].endswith(f":{port:04X}") and row[3] == "0A"}
    pids = children(parent)
    try:
        return len(pids) == 2 and all(socket_inodes(pid) & listening for pid in pids)
    except OSError:  # a worker gone meanwhile: the fixture's next check reports it
        return False


def test_two_workers_each_import_tensorflow_and_keep_every_client_on_one(two_workers):
    server, port = two_workers
    pids = children(server.process.pid)
    assert len(pids) == 2
    assert server.index("2 workers share the port") is not None
    assert sum("TensorFlow ready" in line for line in server.lines) == 2  # one warm-up per worker
    landed: dict[str, set[int]] = {}
    for source in CLIENTS:
        for _ in range(3):
            with connect_from(source, port) as client:
                landed.setdefault(source, set()).add(serving_pid(pids, client))
    assert all(len(where) == 1 for where in landed.values()), landed
    assert {pid for where in landed.values() for pid in where} == set(pids)


def test_the_page_is_served_by_either_worker(two_workers):
    _, port = two_workers
    for source in CLIENTS[:2]:
        request = urllib.request.Request(f"http://127.0.0.1:{port}/")
        opener = urllib.request.build_opener(_SourceHandler(source))
        with opener.open(request, timeout=10) as response:
            assert response.status == 200
            assert b"<noscript>" in response.read()


class _SourceHandler(urllib.request.HTTPHandler):
    def __init__(self, source: str) -> None:
        super().__init__()
        self.source = source

    def http_open(self, req):  # type: ignore[no-untyped-def]
        import http.client

        return self.do_open(
            lambda host, **kw: http.client.HTTPConnection(host, source_address=(self.source, 0), **kw), req
        )


def test_stopping_the_server_stops_both_workers():
    server = serve_with_two_workers(free_port())
    try:
        server.wait_for_line("2 workers share the port", 60)
        pids = children(server.process.pid)
        assert len(pids) == 2
    finally:
        status = server.stop()
    assert status in (0, 128 + signal.SIGTERM, -signal.SIGTERM)
    time.sleep(0.5)
    assert not [pid for pid in pids if Path(f"/proc/{pid}").exists() and "zombie" not in _state(pid)]


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/status").read_text().split("State:")[1].splitlines()[0].lower()
    except (OSError, IndexError):
        return "zombie"


def test_students_on_different_machines_run_the_playground_on_both_workers(two_workers):
    """Streamlit's own protocol (bench/ws_client.py) from four client addresses: every session runs
    the reference case to the end, shows the check's green message, and both workers serve some."""
    import asyncio
    import concurrent.futures

    from bench.ws_client import REFERENCE_QUERY, client_address, open_session

    server, port = two_workers
    pids = children(server.process.pid)

    async def students() -> list[tuple[int, int, str, list[str]]]:
        seen = []
        for index in range(4):
            session, first = await open_session(
                f"http://127.0.0.1:{port}", "", REFERENCE_QUERY, source=client_address(index)
            )
            assert session.ws is not None, first.errors
            rerun = await session.rerun()
            sock = session.ws.transport.get_extra_info("socket")
            with socket.socket(fileno=os.dup(sock.fileno())) as copy:
                pid = serving_pid(pids, copy)
            seen.append((index, pid, rerun.status, rerun.errors + first.errors, rerun.alerts["success"]))
            await session.close()
        return seen

    # In a thread of its own: after the browser tests, Playwright's sync API keeps a loop running here.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        seen = pool.submit(asyncio.run, students()).result(timeout=120)
    assert [errors for *_, errors, _ in seen] == [[]] * 4
    assert all(status == "FINISHED_SUCCESSFULLY" and successes >= 1 for _, _, status, _, successes in seen), seen
    assert {pid for _, pid, *_ in seen} == set(pids)
