"""A throwaway PostgreSQL cluster for tests that stop and start the database (never the shared one).

initdb and pg_ctl come from the PostgreSQL server packages (/usr/lib/postgresql/*/bin, or
the PATH). PostgreSQL refuses to run as root: as root the cluster runs as the `postgres` user.
"""

import glob
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.dbutil import in_ci
from tests.serving.live import free_port


def _bindir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


class PostgresProcess:
    """One cluster in a temporary directory, listening on a free loopback port."""

    def __init__(self, bindir: Path, root: Path, as_user: list[str]) -> None:
        self.bindir, self.root, self.as_user = bindir, root, as_user
        self.port = free_port()
        self.data = root / "data"

    @property
    def url(self) -> str:
        """The URL of the cluster's `postgres` database."""
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> None:
        command = [*self.as_user, str(self.bindir / args[0]), *args[1:]]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr or result.stdout

    def init(self) -> None:
        """Create the cluster (trust authentication, no fsync: it is thrown away)."""
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")

    def start(self) -> None:
        """Start the server and wait until it accepts connections."""
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.root / "log"), "-w", "start")

    def stop(self) -> None:
        """Stop the server at once (clients are disconnected, new connections refused)."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def running(self) -> bool:
        """Whether the server is up."""
        command = [*self.as_user, str(self.bindir / "pg_ctl"), "-D", str(self.data), "status"]
        return subprocess.run(command, capture_output=True, timeout=30).returncode == 0


@contextmanager
def postgres_server() -> Iterator[PostgresProcess]:
    """Start a private cluster (skip, or fail in CI, without the server binaries); remove it after."""
    bindir = _bindir()
    if bindir is None:
        if in_ci():
            pytest.fail("initdb is not installed: the database fault tests cannot run")
        pytest.skip("initdb is not installed (PostgreSQL server packages)")
    as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    root = Path(tempfile.mkdtemp(prefix="shiksha-pg-"))
    if as_user:
        shutil.chown(root, "postgres", "postgres")
    server = PostgresProcess(bindir, root, as_user)
    try:
        server.init()
        server.start()
        yield server
    finally:
        if server.data.exists() and server.running():
            server.stop()
        shutil.rmtree(root, ignore_errors=True)


@contextmanager
def standby_of(primary: PostgresProcess) -> Iterator[PostgresProcess]:
    """A streaming replica of a running cluster: `pg_basebackup -R` into a second cluster, started
    on another free port (initdb's trust rules already admit replication from 127.0.0.1)."""
    root = Path(tempfile.mkdtemp(prefix="shiksha-pg-standby-"))
    if primary.as_user:
        shutil.chown(root, "postgres", "postgres")
    standby = PostgresProcess(primary.bindir, root, primary.as_user)
    try:
        standby._run(
            "pg_basebackup", "-D", str(standby.data), "-R", "-X", "stream", "-c", "fast", "--no-sync",
            "-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres",
        )  # fmt: skip
        standby.start()
        yield standby
    finally:
        if standby.data.exists() and standby.running():
            standby.stop()
        shutil.rmtree(root, ignore_errors=True)
