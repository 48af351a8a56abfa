"""Real processes for the job tests: redis-server and Celery workers on free ports, stopped afterwards."""

import os
import shutil
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis
from celery import Celery

from tests.dbutil import in_ci
from tests.serving.live import BIN, ROOT, free_port, production_env


def require_redis_server() -> str:
    """Return the redis-server binary, or skip (fail in CI) without one."""
    found = shutil.which("redis-server")
    if found:
        return found
    if in_ci():
        pytest.fail("CI=true but redis-server is missing (scripts/ensure-redis.sh installs it)")
    pytest.skip("redis-server is not installed (scripts/ensure-redis.sh installs it)")


def wait_for(check: Callable[[], object], what: str, timeout: float = 90, every: float = 0.2):
    """Poll check() until it returns something true; fail with `what` after timeout seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"timed out waiting for {what}")


@contextmanager
def redis_server(tmp_path: Path) -> Iterator[str]:
    """Run a private redis-server on a free loopback port; yield its URL."""
    binary = require_redis_server()
    port = free_port()
    log = (tmp_path / f"redis-{port}.log").open("w")
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(tmp_path)], stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    try:
        wait_for(lambda: _pings(client), "redis-server to answer", timeout=30)
        yield url
    finally:
        client.close()
        process.terminate()
        process.wait(timeout=10)
        log.close()


def _pings(client: redis.Redis) -> bool:
    try:
        return bool(client.ping())
    except redis.ConnectionError:
        return False


class Worker:
    """One `celery worker` process (its own process group), and its log."""

    def __init__(self, name: str, env: dict, log: Path) -> None:
        self.name, self.log = name, log
        with log.open("w") as sink:
            self.process = subprocess.Popen(
                [str(BIN / "celery"), "-A", "webapp.jobs.worker", "worker", "--loglevel=INFO",
                 "--concurrency=1", "-n", f"{name}@%h", "--without-gossip", "--without-mingle",
                 "--without-heartbeat"],
                cwd=ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_ready(self) -> None:
        def ready() -> bool:
            if self.process.poll() is not None:
                raise AssertionError(f"worker {self.name} exited:\n{self.output()}")
            return " ready." in self.output()

        wait_for(ready, f"worker {self.name} to be ready", timeout=120)

    def kill(self) -> None:
        """SIGKILL the worker and its pool: no warm shutdown, as when a host dies."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        """Warm shutdown (finish the task at hand), then kill if it lingers."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


def worker_env(database_url: str, broker: str, **extra: str) -> dict[str, str]:
    """Production settings for a worker against a test database and broker."""
    return production_env(database_url, CELERY_BROKER_URL=broker, APP_BASE_URL="https://admin.example.org",
                          MAIL_SMTP_STARTTLS="0", **extra)  # fmt: skip


@contextmanager
def workers(names: list[str], env: dict, tmp_path: Path) -> Iterator[list[Worker]]:
    """Start workers, wait until each is ready; stop them on the way out."""
    started = [Worker(name, env, tmp_path / f"{name}.log") for name in names]
    try:
        for worker in started:
            worker.wait_ready()
        yield started
    finally:
        for worker in started:
            worker.stop()


def sender(broker: str) -> Celery:
    """A bare Celery client that only sends tasks by name."""
    return Celery("tests", broker=broker, set_as_current=False)


def queue_length(broker: str) -> int:
    """Messages waiting in the default queue."""
    client = redis.Redis.from_url(broker)
    try:
        return int(client.llen("celery"))
    finally:
        client.close()
