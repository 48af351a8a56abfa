"""Throughput under load: gunicorn (2 workers) on loopback, driven by wrk (or a Python client).

The load generator sends a logged-in session cookie; every response status is
then read back from the app's own request log, so a redirect to the login page
or any non-200 counts as an error even where wrk would call it a success.
"""

import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from bench.apps import CSRF, PASSWORDS

ROOT = Path(__file__).resolve().parent.parent
USER_AGENT = "shikshadisha-bench"


@dataclass(frozen=True)
class LoadResult:
    """What one load run achieved."""

    requests: int
    errors: int
    rps: float
    p50_ms: float | None
    p99_ms: float | None
    tool: str


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn -c gunicorn.conf.py wsgi:app with 2 workers, logging into a file."""

    def __init__(self, url: str, log: Path, workers: int = 2) -> None:
        self.port, self.log = free_port(), log
        env = {**os.environ, "APP_ENV": "production", "SECRET_KEY": "bench-not-secret", "DATABASE_URL": url}
        env.update(BIND=f"127.0.0.1:{self.port}", WEB_CONCURRENCY=str(workers), PYTHONUNBUFFERED="1")
        env.pop("CACHE_REDIS_URL", None)
        with log.open("w") as sink:
            self.process = subprocess.Popen(
                [str(Path(sys.executable).parent / "gunicorn"), "-c", "gunicorn.conf.py", "wsgi:app"],
                cwd=ROOT,
                env=env,
                stdout=sink,
                stderr=subprocess.STDOUT,
            )
        self._wait()

    def _wait(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {self.log.read_text()[-500:]}")
            try:
                status, _, _ = self.request("GET", "/healthz")
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError("gunicorn did not become healthy in 60 s")

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request(method, path, body=body, headers={"User-Agent": USER_AGENT, **(headers or {})})
            response = conn.getresponse()
            return response.status, response.getheaders(), response.read().decode("utf-8", "replace")
        finally:
            conn.close()

    def login(self, who: str) -> str:
        """Log in as a demo staff member over HTTP; return the Cookie header value."""
        email, password = PASSWORDS[who]
        cookies: dict[str, str] = {}
        status, headers, page = self.request("GET", "/login")
        _keep(cookies, headers)
        match = CSRF.search(page)
        form = {"email": email, "password": password, "csrf_token": (match.group(1) or match.group(2))}
        status, headers, _ = self.request(
            "POST",
            "/login",
            urlencode(form).encode(),
            {"Cookie": _cookie(cookies), "Content-Type": "application/x-www-form-urlencoded"},
        )
        _keep(cookies, headers)
        if status != 302:
            raise RuntimeError(f"login as {who} over HTTP failed: {status}")
        return _cookie(cookies)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def _keep(cookies: dict, headers) -> None:
    for name, value in headers:
        if name.lower() == "set-cookie":
            key, _, rest = value.partition("=")
            cookies[key] = rest.split(";", 1)[0]


def _cookie(cookies: dict) -> str:
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def run_load(server: Server, path: str, cookie: str, seconds: int, connections: int) -> LoadResult:
    """Drive path for seconds at connections; count errors from the app's own log."""
    status, _, _ = server.request("GET", path, headers={"Cookie": cookie})
    if status != 200:
        raise RuntimeError(f"{path} answers {status} before the load run")
    mark = server.log.stat().st_size
    if shutil.which("wrk"):
        result = _wrk(server.port, path, cookie, seconds, connections)
    else:
        result = _threads(server, path, cookie, seconds, connections)
    time.sleep(0.5)
    statuses = _logged_statuses(server.log, mark, path)
    errors = sum(count for code, count in statuses.items() if code != 200) + result.errors
    return LoadResult(result.requests, errors, result.rps, result.p50_ms, result.p99_ms, result.tool)


def _logged_statuses(log: Path, offset: int, path: str) -> dict[int, int]:
    counts: dict[int, int] = {}
    with log.open("rb") as handle:
        handle.seek(offset)
        for raw in handle:
            if raw.startswith(b'{"event"'):
                line = json.loads(raw)
                if line["path"] == path.split("?")[0]:
                    counts[line["status"]] = counts.get(line["status"], 0) + 1
    return counts


_RPS = re.compile(r"Requests/sec:\s+([\d.]+)")
_TOTAL = re.compile(r"(\d+) requests in")
_NON2XX = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")
_SOCKET = re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")
_PCT = re.compile(r"^\s+(50|99)(?:\.000)?%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)


def _wrk(port: int, path: str, cookie: str, seconds: int, connections: int) -> LoadResult:
    threads = min(connections, os.cpu_count() or 2)
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    command += [
        "-H",
        f"Cookie: {cookie}",
        "-H",
        f"User-Agent: {USER_AGENT}",
        f"http://127.0.0.1:{port}{path}",
    ]
    out = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=True).stdout
    errors = int(m.group(1)) if (m := _NON2XX.search(out)) else 0
    if m := _SOCKET.search(out):
        errors += sum(int(x) for x in m.groups())
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    pct = {p: float(v) * scale[u] for p, v, u in _PCT.findall(out)}
    total = int(m.group(1)) if (m := _TOTAL.search(out)) else 0
    return LoadResult(total, errors, float(_RPS.search(out).group(1)), pct.get("50"), pct.get("99"), "wrk")


def _threads(server: Server, path: str, cookie: str, seconds: int, connections: int) -> LoadResult:
    """A plain client: connections threads, each with a keep-alive connection."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds
    headers = {"Cookie": cookie, "User-Agent": USER_AGENT}

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        mine, bad = [], 0
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                bad += response.status != 200
            except OSError:
                bad += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
            mine.append((time.perf_counter() - started) * 1000)
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    started = time.monotonic()
    pool = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    elapsed = time.monotonic() - started
    ordered = sorted(latencies) or [0.0]
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return LoadResult(
        len(latencies), errors[0], len(latencies) / elapsed, pick(0.5), pick(0.99), "python threads"
    )
