"""Serve on several cores: worker processes sharing one port, each student kept on one worker.

One Streamlit server runs every script in one Python process, so the GIL keeps it on one core
however many the machine has: with a class rerunning at once, reruns queue. serve.py therefore
starts GRADFLOW_WORKERS whole servers (TensorFlow imported and warmed in each) that listen on the
same port with SO_REUSEPORT. The kernel hands each new connection to one of them.

A student must stay on one worker: the websocket's session lives in the process that accepted it,
and so do the files a download button serves over plain HTTP on other connections. A small
classic-BPF program (SO_ATTACH_REUSEPORT_CBPF) therefore picks the worker from the connection's
source address, the same for every connection of one machine: worker = address mod workers. Behind
a reverse proxy every connection comes from the proxy's address and lands on one worker, which is
still correct, only not spread; there, run one replica per core instead (docs/deployment.md, "Kubernetes").

Linux only (SO_REUSEPORT with a BPF program); elsewhere GRADFLOW_WORKERS must stay 1.
docs/server.md puts this in the whole server's story.
"""

from __future__ import annotations

import ctypes
import math
import os
import signal
import socket
import struct
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from types import FrameType

WORKERS_ENV = "GRADFLOW_WORKERS"
"""How many server processes share the port: a number from 1 (the default) to MAX_WORKERS, or `auto`
(one per CPU the process may use)."""
GROUP_ENV = "GRADFLOW_PORT_GROUP"
"""Set by serve.py in each worker it starts: the number of workers sharing the port."""
MAX_WORKERS = 16
CPU_MAX = "/sys/fs/cgroup/cpu.max"
"""cgroup v2's CPU quota of this process's group ("max 100000", or "200000 100000" for two CPUs)."""
CFS_QUOTA = "/sys/fs/cgroup/cpu/cpu.cfs_quota_us"
CFS_PERIOD = "/sys/fs/cgroup/cpu/cpu.cfs_period_us"
"""cgroup v1's quota and period (microseconds; a quota of -1: none), where v2 is not mounted."""

SO_ATTACH_REUSEPORT_CBPF = 51  # <asm-generic/socket.h>; Python's socket module does not name it
SKF_NET_OFF = -0x100000  # classic BPF: loads at this offset read the IP header, not the payload


def worker_count(value: str | None) -> int:
    """GRADFLOW_WORKERS read: 1 when unset; ValueError with a sentence when it is not usable."""
    if value is None or value.strip() == "":
        return 1
    if value.strip().lower() == "auto":
        return min(usable_cpus(), MAX_WORKERS)
    try:
        count = int(value)
    except ValueError:
        raise ValueError(f"{WORKERS_ENV}={value!r}: give a whole number of workers or 'auto'") from None
    if not 1 <= count <= MAX_WORKERS:
        raise ValueError(f"{WORKERS_ENV}={value!r}: give between 1 and {MAX_WORKERS} workers")
    if count > 1 and not hasattr(socket, "SO_REUSEPORT"):
        raise ValueError(f"{WORKERS_ENV}={value!r}: several workers need Linux (SO_REUSEPORT)")
    return count


def usable_cpus() -> int:
    """The CPUs this process may use: its affinity, lowered by a cgroup CPU quota (v2, else v1).

    A container started with `--cpus 2`, or a pod with a CPU limit of 2, sees all of the host's CPUs
    in its affinity; `auto` must count the quota, or a 64-core node would start 16 workers of
    ~600 MiB each in a pod sized for two.
    """
    count = len(os.sched_getaffinity(0))
    quota = _cpu_quota()
    if quota is not None:
        count = min(count, math.ceil(quota))
    return max(1, count)


def _cpu_quota() -> float | None:
    """The CPUs the cgroup's quota allows (cgroup v2, else v1), or None: no quota, or none readable."""
    try:
        quota, period = Path(CPU_MAX).read_text().split()[:2]
        return None if quota == "max" else int(quota) / int(period)
    except (OSError, ValueError, ZeroDivisionError):
        pass
    try:
        quota_us = int(Path(CFS_QUOTA).read_text())
        return None if quota_us < 0 else quota_us / int(Path(CFS_PERIOD).read_text())
    except (OSError, ValueError, ZeroDivisionError):
        return None


def source_address_program(workers: int) -> bytes:
    """The BPF program choosing a worker: source address mod `workers`, for IPv4 and IPv6.

    Each instruction is a `struct sock_filter` (code, jt, jf, k). IPv4 uses the whole source
    address, IPv6 its last four bytes (the host part, in a classroom network).
    """
    net = SKF_NET_OFF & 0xFFFFFFFF
    instructions = [
        (0x30, 0, 0, net),  # ldb [net+0]     the byte holding the IP version
        (0x74, 0, 0, 4),  # rsh #4
        (0x15, 2, 0, 6),  # jeq #6          IPv6: skip to its source address
        (0x20, 0, 0, net + 12),  # ld [net+12]   IPv4 source address
        (0x05, 0, 0, 1),  # ja +1
        (0x20, 0, 0, net + 20),  # ld [net+20]   last 4 bytes of the IPv6 source address
        (0x94, 0, 0, workers),  # mod #workers
        (0x16, 0, 0, 0),  # ret a           the index of the worker's socket in the group
    ]
    return b"".join(struct.pack("HBBI", *instruction) for instruction in instructions)


def keep_clients_on_one_worker(sock: socket.socket, workers: int) -> None:
    """Attach the source-address program to the port's SO_REUSEPORT group (one socket suffices)."""
    program = source_address_program(workers)
    buffer = ctypes.create_string_buffer(program, len(program))
    fprog = struct.pack("HP", len(program) // 8, ctypes.addressof(buffer))  # struct sock_fprog
    try:
        sock.setsockopt(socket.SOL_SOCKET, SO_ATTACH_REUSEPORT_CBPF, fprog)
    except OSError as error:
        raise OSError(
            error.errno, f"{WORKERS_ENV} > 1 needs a Linux kernel that takes SO_ATTACH_REUSEPORT_CBPF: {error.strerror}"
        ) from error


def bind_tcp_socket(address: str, port: int, backlog: int, workers: int = 1) -> socket.socket:
    """Streamlit 1.67's `_bind_socket`, with two changes for a classroom server.

    The socket is created as IPPROTO_TCP: asyncio turns Nagle's algorithm off (TCP_NODELAY) only
    for sockets that say they are TCP, and Streamlit's own is created with protocol 0, so every
    rerun's small messages waited for the browser's delayed ACK, ~40 ms (uvicorn issue #3149).
    With `workers` > 1 it joins the port's SO_REUSEPORT group and keeps each client on one worker.
    """
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        if os.name != "nt":  # as Streamlit: on Windows SO_REUSEADDR would hide a port conflict
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if family == socket.AF_INET6:
            sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)  # IPv4 clients too
        if workers > 1:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind((address, port))
        sock.listen(backlog)
        if workers > 1:
            keep_clients_on_one_worker(sock, workers)
        sock.setblocking(False)
        sock.set_inheritable(True)
        return sock
    except BaseException:
        sock.close()
        raise


def use_gradflow_socket(workers: int = 1) -> bool:
    """Make Streamlit bind its port with `bind_tcp_socket`; False if Streamlit's code has moved.

    Replaces the private `starlette_server._bind_socket` (Streamlit is pinned;
    tests/deploy/test_server_settings.py checks both effects against the real server code).
    """
    from streamlit.web.server.starlette import starlette_server

    if not callable(getattr(starlette_server, "_bind_socket", None)):
        return False

    def bind(address: str, port: int, backlog: int) -> socket.socket:
        return bind_tcp_socket(address, port, backlog, workers)

    starlette_server._bind_socket = bind
    return True


def run_workers(command: list[str], workers: int, log: Callable[[str], None]) -> int:
    """Start `workers` copies of `command` sharing the port; return when one has exited.

    The first worker to exit ends the others (SIGTERM, then SIGKILL after 10 s) and gives the exit
    status: a container's restart policy or Kubernetes then restarts the whole server, which is
    simpler to reason about than a half-served class. SIGTERM and SIGINT are passed on.
    """
    env = {**os.environ, GROUP_ENV: str(workers), WORKERS_ENV: "1"}
    children = [subprocess.Popen(command, env=env) for _ in range(workers)]
    log(f"{workers} workers share the port: pids {' '.join(str(c.pid) for c in children)}")

    def pass_on(signum: int, _frame: FrameType | None) -> None:
        for child in children:
            if child.poll() is None:
                child.send_signal(signum)

    signal.signal(signal.SIGTERM, pass_on)
    signal.signal(signal.SIGINT, pass_on)
    while all(child.poll() is None for child in children):
        time.sleep(0.2)
    first = next(child for child in children if child.returncode is not None)
    log(f"worker {first.pid} exited with status {first.returncode}; stopping the others")
    pass_on(signal.SIGTERM, None)
    deadline = time.monotonic() + 10
    for child in children:
        try:
            child.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
    return first.returncode if first.returncode >= 0 else 128 - first.returncode
