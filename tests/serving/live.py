"""Run the app the way production does: `flask` commands and gunicorn in subprocesses."""

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

from tests.helpers import csrf_token_from

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
SECRET = "serving-tests-not-secret"


def production_env(database_url: str, **extra: str) -> dict[str, str]:
    """Return an environment for a production process against database_url."""
    env = {k: v for k, v in os.environ.items() if k not in {"CACHE_REDIS_URL", "RATELIMIT_STORAGE_URI"}}
    env.update(APP_ENV="production", SECRET_KEY=SECRET, DATABASE_URL=database_url, PYTHONUNBUFFERED="1")
    env.update(extra)
    return env


def flask(env: dict[str, str], *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run `flask --app wsgi ARGS` in the repository; return the finished process."""
    command = [str(BIN / "flask"), "--app", "wsgi", *args]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)


def free_port() -> int:
    """Return a loopback TCP port that was free a moment ago."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """A gunicorn process serving wsgi:app on a loopback port."""

    def __init__(self, process: subprocess.Popen, port: int, log: Path) -> None:
        self.process, self.port, self.log = process, port, log

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        """Send one request; return (status, headers as a dict of lists, body text)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=15)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            found: dict[str, list[str]] = {}
            for name, value in response.getheaders():
                found.setdefault(name.lower(), []).append(value)
            return response.status, found, response.read().decode("utf-8", "replace")
        finally:
            conn.close()

    def output(self) -> str:
        """Return everything the server wrote so far."""
        return self.log.read_text(errors="replace")


def start_gunicorn(env: dict[str, str], log: Path, port: int, workers: int = 1) -> subprocess.Popen:
    """Start gunicorn with gunicorn.conf.py on a loopback port, its output going to log."""
    env = {**env, "BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": str(workers)}
    with log.open("w") as sink:
        return subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "wsgi:app"],
            cwd=ROOT,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )


@contextmanager
def gunicorn(env: dict, log: Path, *, workers: int = 1, ready: str = "/healthz") -> Iterator[Server]:
    """Start gunicorn; wait (bounded) until the ready path answers; stop it on the way out."""
    port = free_port()
    server = Server(start_gunicorn(env, log, port, workers), port, log)
    try:
        _wait_until_ready(server, ready, deadline=time.monotonic() + 60)
        yield server
    finally:
        stop(server.process)


def _wait_until_ready(server: Server, path: str, deadline: float) -> None:
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise AssertionError(f"gunicorn exited with {server.process.returncode}:\n{server.output()}")
        try:
            server.request("GET", path)
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"gunicorn did not answer within the deadline:\n{server.output()}")


def stop(process: subprocess.Popen, grace: float = 20) -> int:
    """Stop a server gracefully (SIGTERM), killing it after grace seconds; return its exit code."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
    return process.returncode


_COOKIE = re.compile(r"^([^=;\s]+)=([^;]*)")


class Browser:
    """Just enough of a browser: cookies (secure ones too, as behind TLS) and form posts."""

    def __init__(self, server: Server, headers: dict[str, str] | None = None) -> None:
        self.server, self.cookies, self.headers = server, {}, headers or {}

    def request(self, method: str, path: str, form: dict | None = None, referer: str | None = None):
        """Send a request with our cookies; keep any cookie the server sets."""
        headers = dict(self.headers)
        if referer:
            # As a browser does for a form post (the app sends Referrer-Policy: same-origin);
            # over https Flask-WTF requires it to match the host.
            scheme = self.headers.get("X-Forwarded-Proto", "http")
            headers["Referer"] = f"{scheme}://127.0.0.1:{self.server.port}{referer}"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        status, found, text = self.server.request(method, path, body, headers)
        for line in found.get("set-cookie", []):
            match = _COOKIE.match(line)
            if match:
                self.cookies[match.group(1)] = match.group(2)
        return status, found, text

    def login(self, email: str, password: str):
        """Log in through the real form, CSRF token included."""
        _, _, page = self.request("GET", "/login")
        form = {"email": email, "password": password, "csrf_token": csrf_token_from(page)}
        return self.request("POST", "/login", form, referer="/login")
