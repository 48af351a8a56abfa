"""Ingest throughput: gunicorn (production config) on a fresh database, several clients at once,
each sending batches of session events to /api/v1/activity over a keep-alive connection.

Set-up (not timed): `flask db upgrade`, an API client from `flask api-clients create`, the
learners in one roster batch, and each client's sessions. Timed: every client sending its
batches at once; events per second is all events over the wall time, and each batch's
round trip gives the p50 and p99. Every batch must come back 200 with every item accepted.
"""

import http.client
import json
import random
import statistics
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.datasets import Builder, flask
from bench.load import Server
from webapp.services.roster_import import NAMES

LEARNERS = 400
SESSIONS = 100  # per client


@dataclass(frozen=True)
class IngestResult:
    """One ingest run."""

    backend: str
    workers: int
    clients: int
    batch: int
    events: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int

    @property
    def events_per_second(self) -> float:
        return self.events / self.seconds if self.seconds else 0.0


def _post(conn: http.client.HTTPConnection, token: str, items: list[dict] | bytes, path: str = "activity"):
    """POST a batch (items, or its body already encoded); return (status, answer)."""
    body = items if isinstance(items, bytes) else json.dumps({"items": items}).encode()
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    conn.request("POST", f"/api/v1/{path}", body, headers)
    response = conn.getresponse()
    return response.status, json.loads(response.read())


def _events(client: int, batch_no: int, size: int, now: datetime) -> list[dict]:
    rng = random.Random(f"{client}:{batch_no}")
    kinds = (
        "video_play",
        "video_pause",
        "quiz_answer",
        "hint",
        "tab_hidden",
        "tab_visible",
        "idle",
        "resume",
    )
    items = []
    for n in range(size):
        session = rng.randrange(SESSIONS)
        items.append(
            {
                "type": "session_event",
                "id": f"e{client}-{batch_no}-{n}",
                "learner": f"L{(client * SESSIONS + session) % LEARNERS}",
                "session": f"s{client}-{session}",
                "event_type": rng.choice(kinds),
                "occurred_at": (now - timedelta(seconds=rng.randrange(1, 86_000))).isoformat(),
                "payload": {"n": n},
            }
        )
    return items


def _prepare(server: Server, token: str, clients: int, now: datetime) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
    learners = [
        {"type": "learner", "id": f"L{n}", "name": f"Learner {n}", "timezone": "Asia/Kolkata"}
        for n in range(LEARNERS)
    ]
    if _post(conn, token, learners, "roster")[0] != 200:
        raise RuntimeError("the ingest set-up's learners were refused")
    for client in range(clients):
        sessions = [
            {
                "type": "session",
                "id": f"s{client}-{n}",
                "learner": f"L{(client * SESSIONS + n) % LEARNERS}",
                "started_at": (now - timedelta(days=1)).isoformat(),
                "content_type": "video",
            }
            for n in range(SESSIONS)
        ]
        status, body = _post(conn, token, sessions)
        if status != 200 or body["accepted"] != SESSIONS:
            raise RuntimeError(f"the ingest set-up was refused: {status} {body}")
    conn.close()


def _drive(server: Server, token: str, clients: int, batches: int, size: int, now: datetime):
    """Send every client's batches at once; return (seconds, latencies in ms, errors)."""
    # Encoded before the clock starts: the clients' own work must not take the server's CPU.
    payloads = {
        c: [json.dumps({"items": _events(c, b, size, now)}).encode() for b in range(batches)]
        for c in range(clients)
    }
    latencies: list[float] = []
    errors = [0]
    lock, start = threading.Lock(), threading.Barrier(clients + 1)

    def client(number: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=300)
        mine, bad = [], 0
        start.wait()
        for items in payloads[number]:
            began = time.perf_counter()
            status, body = _post(conn, token, items)
            mine.append((time.perf_counter() - began) * 1000)
            bad += status != 200 or body.get("accepted") != size
        conn.close()
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    threads = [threading.Thread(target=client, args=(c,)) for c in range(clients)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    return time.perf_counter() - began, latencies, errors[0]


def run(
    builder: Builder,
    backend: str,
    log: Path,
    workers: int,
    clients: int = 4,
    batches: int = 40,
    size: int = 500,
) -> IngestResult:
    """Measure one backend on a fresh database (dropped afterwards)."""
    url = builder._url(backend, "ingest")
    builder._drop(url)
    builder._create(url)
    try:
        flask(url, "db", "upgrade")
        created = flask(
            url,
            "api-clients",
            "create",
            "bench",
            "--scope",
            "activity:write",
            "--scope",
            "roster:write",
            "--rate-limit",
            "1000000",
        )
        token = created.stdout.strip().splitlines()[-1]
        server = Server(url, log, workers=workers)
        try:
            now = datetime.now(UTC)
            _prepare(server, token, clients, now)
            seconds, latencies, errors = _drive(server, token, clients, batches, size, now)
        finally:
            server.stop()
    finally:
        builder._drop(url)
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]
    return IngestResult(
        backend,
        workers,
        clients,
        size,
        clients * batches * size,
        seconds,
        statistics.median(ordered),
        p99,
        errors,
    )


def roster_csv(rows: int = 10_000, per_group: int = 40) -> bytes:
    """A roster file: rows learners, per_group to a group, half with an email."""
    lines = [",".join(NAMES)]
    for n in range(rows):
        group = n // per_group
        email = f"learner{n}@school.example" if n % 2 else ""
        lines.append(
            f"L{n},Learner {n},{email},Asia/Kolkata,en,{1 + n % 12},School {group % 7},yes,"
            f"G{group},Group {group},2026-06-01,"
        )
    return ("\n".join(lines) + "\n").encode()


def roster_import(builder: Builder, backend: str) -> dict:
    """Time a 10,000-row import on a fresh database: dry run, apply, apply again."""
    from bench.apps import make_app
    from webapp.extensions import db
    from webapp.services.roster_import import run_import

    url = builder._url(backend, "roster")
    builder._drop(url)
    builder._create(url)
    try:
        flask(url, "db", "upgrade")
        app, data, timings = make_app(url), roster_csv(), {}
        with app.app_context():
            for step, apply in (("dry", False), ("apply", True), ("again", True)):
                began = time.perf_counter()
                report = run_import(db.session, data, apply=apply)
                db.session.commit()
                timings[step] = time.perf_counter() - began
                timings.setdefault("created", report.count("create"))
            timings["unchanged"] = report.count("unchanged")
            db.session.remove()
            db.engine.dispose()
    finally:
        builder._drop(url)
    return timings
