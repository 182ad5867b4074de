"""A throwaway PostgreSQL cluster for tests: initdb in a temporary folder, a free port on 127.0.0.1.

Debian's server binaries live in /usr/lib/postgresql/<version>/bin (not on PATH). PostgreSQL refuses
to run as root, so as root the cluster belongs to the `postgres` user (`runuser`); otherwise to the
current user. `make postgres` installs the server when it is missing. The cluster is stopped and its
folder removed afterwards, whatever happened.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

MISSING = "PostgreSQL is missing (make postgres installs it): the PostgreSQL half of these tests is skipped"


def binaries() -> Path | None:
    """The newest installed server's bin folder, or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parent.parent.name))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_owner(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


class Cluster:
    """A cluster in a temporary folder on a free port; `stop` and `start` again (a database outage)."""

    def __init__(self) -> None:
        bin_dir = binaries()
        if bin_dir is None:
            raise FileNotFoundError(MISSING)
        self.bin = bin_dir
        self.folder = Path(tempfile.mkdtemp(prefix="class-pg-", dir="/tmp"))
        self.data = self.folder / "data"
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        self.port = free_port()
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"
        self._run(["initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"])

    def _run(self, command: list[str], check: bool = True) -> None:
        subprocess.run(
            _as_owner([str(self.bin / command[0]), *command[1:]]),
            check=check,
            capture_output=True,
            text=True,
            timeout=120,
        )

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder} -c fsync=off"
        self._run(["pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.folder / "log"), "-w", "start"])

    def stop(self) -> None:
        self._run(["pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop"], check=False)

    def remove(self) -> None:
        if self.data.exists():
            self._run(["pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop"], check=False)
        shutil.rmtree(self.folder, ignore_errors=True)


@contextlib.contextmanager
def running() -> Iterator[Cluster]:
    """A started cluster, removed afterwards whatever happened."""
    cluster = None
    try:
        cluster = Cluster()
        cluster.start()
        yield cluster
    finally:
        if cluster is not None:
            cluster.remove()


@contextlib.contextmanager
def cluster() -> Iterator[str]:
    """Start a cluster; yield the URL of its `postgres` database (user `postgres`, trust auth on loopback)."""
    with running() as started:
        yield started.url


def fresh_database(server_url: str) -> str:
    """A new empty database on the cluster at `server_url`; its URL."""
    import psycopg

    name = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(server_url, autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {name}")
    return server_url.rsplit("/", 1)[0] + "/" + name


def require() -> None:
    """Skip the calling test when PostgreSQL is missing; fail instead with CI=true (as Chromium does)."""
    if binaries() is None:
        import pytest

        if os.environ.get("CI") == "true":
            pytest.fail(MISSING)
        pytest.skip(MISSING)
