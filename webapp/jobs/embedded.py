"""The embedded scheduler: without a broker, `make run` runs every job in a thread of the web process.

Why a thread, and not Celery over kombu's SQLAlchemy transport on SQLite:
- `make run` stays one process: Ctrl-C stops the jobs with the server, and nothing is
  left behind (no broker file, no orphaned worker or beat);
- that transport is experimental, polls, and deletes a message when a worker takes it,
  so it would not exercise what matters in production (late acknowledgement and
  redelivery after a worker dies): the test suite does that with real Redis and real
  Celery workers instead;
- SQLite has one writer at a time, so a pool of workers would only queue on its lock.
The thread runs the very same task objects (runner, locks, run records, services) on
the same schedule table as beat; only the transport differs. It starts with the first
request, so `flask db upgrade` and the other commands never start it, and only when
JOBS_EMBEDDED is on (the development default when CELERY_BROKER_URL is unset).
"""

import logging
import threading

from flask import Flask

from webapp.extensions import db
from webapp.jobs.schedule import JOBS
from webapp.models.core.mixins import utcnow
from webapp.services.jobs import last_started

log = logging.getLogger("webapp.jobs")
TICK_SECONDS = 5.0


class EmbeddedScheduler(threading.Thread):
    """Runs each job when its schedule says it is due, one at a time."""

    def __init__(self, app: Flask, tick: float = TICK_SECONDS) -> None:
        super().__init__(name="embedded-jobs", daemon=True)
        self.app, self.tick = app, tick
        self.stopped = threading.Event()
        self.requested: set[str] = set()
        self._lock = threading.Lock()

    def request(self, name: str) -> None:
        """Ask for a job to run at the next tick ("Run now")."""
        with self._lock:
            self.requested.add(name)

    def stop(self) -> None:
        """Stop after the job at hand."""
        self.stopped.set()

    def run(self) -> None:
        with self.app.app_context():
            last = {job.name: last_started(db.session, job.name) for job in JOBS}
            db.session.remove()
        log.info("embedded job scheduler started: %d jobs (no CELERY_BROKER_URL)", len(JOBS))
        while not self.stopped.wait(self.tick):
            for job in JOBS:
                with self._lock:
                    manual = job.name in self.requested
                    self.requested.discard(job.name)
                if manual or job.is_due(last[job.name]):
                    last[job.name] = utcnow()
                    self._run(job.name, "manual" if manual else "schedule")

    def _run(self, name: str, trigger: str) -> None:
        from webapp.jobs.tasks import TASKS

        with self.app.app_context():
            try:
                TASKS[name].apply(kwargs={"trigger": trigger}, throw=False)
            finally:
                db.session.remove()


def start_with_first_request(app: Flask) -> None:
    """Start the app's embedded scheduler when it serves its first request."""
    started = threading.Lock()

    @app.before_request
    def _start_embedded_jobs() -> None:
        if "embedded_jobs" in app.extensions or not started.acquire(blocking=False):
            return
        scheduler = EmbeddedScheduler(app)
        app.extensions["embedded_jobs"] = scheduler
        scheduler.start()
