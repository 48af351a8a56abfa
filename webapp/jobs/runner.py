"""Run one job: take its lock, record the run, do the work, log one JSON line.

Every way of starting a job (a Celery worker, the embedded scheduler of `make run`,
`flask jobs run`, the admin's "Run now") comes through `run_job`, so a run is
recorded, locked and logged the same way wherever it runs. Lines go to the
``webapp.jobs`` logger, e.g.::

    {"event": "job", "job": "engine_update", "run_id": 812, "status": "succeeded",
     "trigger": "schedule", "seconds": 0.41, "rows": 37, "details": {"learners": 3, ...},
     "worker": "worker-2:4411", "message": null}
"""

import json
import logging
import os
import socket
import sys
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from webapp.extensions import db
from webapp.jobs.schedule import BY_NAME, lease_for
from webapp.models.core.enums import JobTrigger
from webapp.services.jobs import finish_run, start_run

log = logging.getLogger("webapp.jobs")
# Counts a job reports that are not rows written (how much it looked at).
NOT_ROWS = frozenset({"marks", "learners", "days", "chunks", "claimed", "candidates", "batches"})

Work = Callable[[Session], dict[str, Any] | None]


def worker_id() -> str:
    """Return this process's identity: host and pid."""
    return f"{socket.gethostname()}:{os.getpid()}"


def rows_of(counts: dict[str, Any]) -> int:
    """Return the rows a job wrote: the sum of its integer counts, less those that only count input."""
    return sum(
        v for k, v in counts.items() if isinstance(v, int) and not isinstance(v, bool) and k not in NOT_ROWS
    )


def run_job(name: str, work: Work, trigger: str = JobTrigger.SCHEDULE, task_id: str | None = None) -> dict:
    """Run a job under its lock and record it; return the run's log record (status skipped when locked)."""
    job = BY_NAME[name]
    session = db.session
    run_id = start_run(session, name, lease=lease_for(job), exclusive=job.exclusive,
                       trigger=JobTrigger(trigger), worker=worker_id(), task_id=task_id)  # fmt: skip
    record: dict[str, Any] = {"event": "job", "job": name, "run_id": run_id, "trigger": str(trigger),
                              "worker": worker_id(), "task_id": task_id}  # fmt: skip
    if run_id is None:
        record.update(status="skipped", message="another run of this job holds its lock")
        _emit(record)
        return record
    started = time.perf_counter()
    try:
        counts = work(session) or {}
        session.commit()
    except Exception as exc:
        _abandon(session)
        message = f"{type(exc).__name__}: {exc}"
        finish_run(session, run_id, error=message)
        session.commit()
        record.update(status="failed", seconds=round(time.perf_counter() - started, 3), message=message[:500])
        _emit(record, logging.ERROR)
        raise
    rows = rows_of(counts)
    finish_run(session, run_id, rows=rows, details=_plain(counts))
    session.commit()
    record.update(status="succeeded", seconds=round(time.perf_counter() - started, 3), rows=rows,
                  details=_plain(counts), message=None)  # fmt: skip
    _emit(record)
    return record


def _abandon(session: Session) -> None:
    """Roll the job's work back; a connection broken mid-statement (a time limit) is dropped instead."""
    try:
        session.rollback()
    except Exception:  # the rollback itself failed: the connection is unusable
        session.invalidate()


def _plain(counts: dict[str, Any]) -> dict[str, Any]:
    return {
        k: v if isinstance(v, int | float | str | bool) or v is None else str(v) for k, v in counts.items()
    }


def init_logging(testing: bool) -> None:
    """Write job lines to stderr (tests read them through caplog instead)."""
    if not testing and not log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        log.addHandler(handler)
        log.propagate = False  # one plain JSON line, not a second copy in Celery's own format
    log.setLevel(logging.INFO)


def _emit(record: dict, level: int = logging.INFO) -> None:
    log.log(level, json.dumps(record, separators=(", ", ": "), default=str))
