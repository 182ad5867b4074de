"""Run inside a network namespace with no outside network: start serve.py, time it, knock on it.

    unshare -n -m sh -c 'ip link set lo up && mount --bind RESOLV /etc/resolv.conf && python offline_check.py PORT'

tests/deploy/test_offline.py runs this. RESOLV names a DNS server on 127.0.0.53 that this script
plays: it takes every query and never answers, as a school network without DNS does (an
unreachable resolver would fail at once; a silent one makes a lookup wait for its timeouts,
about 20 s). It prints one JSON line:

- `healthy_s`: seconds from starting `python serve.py` (as the image does: a wildcard address,
  headless) until /_stcore/health answers;
- `websocket_s`: seconds until the server answers a WebSocket upgrade from another origin (a page
  on a stranger's site, or a proxy that rewrites Host), and `websocket_status`, its status line;
- `dns_queries`: the names the server tried to look up (none, when nothing asks for its address).
"""

from __future__ import annotations

import base64
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DNS = ("127.0.0.53", 53)
HEALTH_TIMEOUT_S = 120


def silent_dns(seen: list[str]) -> None:
    """Take DNS queries on DNS and answer none; note each queried name."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(DNS)
        while True:
            data, _ = sock.recvfrom(4096)
            labels, i = [], 12
            while i < len(data) and data[i]:
                labels.append(data[i + 1 : i + 1 + data[i]].decode(errors="replace"))
                i += 1 + data[i]
            seen.append(".".join(labels))


def wait_healthy(port: int, started: float, server: subprocess.Popen) -> float:
    while time.perf_counter() - started < HEALTH_TIMEOUT_S:
        if server.poll() is not None:
            raise SystemExit(f"serve.py exited with {server.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=30) as reply:
                if reply.status == 200:
                    return time.perf_counter() - started
        except OSError:
            time.sleep(0.1)
    raise SystemExit("serve.py never became healthy")


def knock(port: int) -> tuple[float, str]:
    """A WebSocket upgrade from another origin; seconds until the status line, and the line."""
    key = base64.b64encode(os.urandom(16)).decode()
    request = (
        "GET /_stcore/stream HTTP/1.1\r\n"
        "Host: gradflow.school.example\r\n"
        "Origin: https://elsewhere.example\r\n"
        "Upgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
    )
    started = time.perf_counter()
    with socket.create_connection(("127.0.0.1", port), timeout=60) as sock:
        sock.sendall(request.encode())
        line = sock.recv(4096).split(b"\r\n", 1)[0].decode(errors="replace")
    return time.perf_counter() - started, line


def resolver_check() -> None:
    """Ask the silent DNS server for example.com once: prints whether it answered, and what it saw."""
    seen: list[str] = []
    threading.Thread(target=silent_dns, args=(seen,), daemon=True).start()
    time.sleep(0.2)
    query = bytes(12) + b"\x07example\x03com\x00\x00\x01\x00\x01"
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(1)
        sock.sendto(query, DNS)
        try:
            sock.recv(512)
            answered = True
        except OSError:
            answered = False
    time.sleep(0.2)
    print(json.dumps({"answered": answered, "seen": seen}))


def main(port: int) -> None:
    seen: list[str] = []
    threading.Thread(target=silent_dns, args=(seen,), daemon=True).start()
    command = [sys.executable, str(ROOT / "serve.py"), f"--server.port={port}", "--server.address=0.0.0.0"]
    command += sys.argv[2:]  # the settings a deployment adds (tests/deploy/test_offline.py)
    log = open(os.environ.get("OFFLINE_LOG", os.devnull), "w")  # noqa: SIM115 - closed with the server
    started = time.perf_counter()
    server = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    try:
        healthy = wait_healthy(port, started, server)
        waited, status = knock(port)
        figures = {"healthy_s": healthy, "websocket_s": waited, "websocket_status": status, "dns_queries": seen}
        print(json.dumps(figures))
    finally:
        server.terminate()
        server.wait(30)
        log.close()


if __name__ == "__main__":
    resolver_check() if sys.argv[1] == "resolver" else main(int(sys.argv[1]))
