"""A private redis-server for tests that stop, pause or kill it (never the machine's shared one)."""

import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.serving.live import free_port


class RedisProcess:
    """A redis-server on a free loopback port, with the faults tests need."""

    def __init__(self, process: subprocess.Popen, port: int) -> None:
        self.process, self.port = process, port

    @property
    def url(self) -> str:
        """The URL of database 0."""
        return f"redis://127.0.0.1:{self.port}/0"

    def pause(self) -> None:
        """Freeze the server (SIGSTOP): connections open, nothing answers: a hung Redis."""
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        """Let a paused server run again."""
        self.process.send_signal(signal.SIGCONT)

    def kill(self) -> None:
        """Kill the server: connections are refused from now on."""
        self.resume()
        self.process.kill()
        self.process.wait(timeout=10)


@contextmanager
def redis_server(directory: Path) -> Iterator[RedisProcess]:
    """Start redis-server (skip when it is not installed); stop it on the way out."""
    binary = shutil.which("redis-server")
    if not binary:
        pytest.skip("redis-server is not installed")
    port = free_port()
    command = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", str(directory)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    server = RedisProcess(process, port)
    try:
        _wait_until_up(port)
        yield server
    finally:
        if process.poll() is None:
            server.resume()
            process.terminate()
            process.wait(timeout=10)


def _wait_until_up(port: int) -> None:
    import redis

    client = redis.Redis(port=port, socket_timeout=2)
    deadline = time.monotonic() + 10
    try:
        while True:
            try:
                client.ping()
                return
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
    finally:
        client.close()
