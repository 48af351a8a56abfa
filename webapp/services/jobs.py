"""Runs of the background jobs: the lock two workers share, and the record admins read.

- `start_run` inserts a running row. For an exclusive job it also sets `lock_key`
  (unique) to the job's name: a second run beside it fails the insert and is
  skipped. A run whose worker died keeps its lock until `lease_until`; the next
  `start_run` then marks it failed ("worker lost") and takes the lock.
- `finish_run` records the outcome: rows touched, details, the failure message.
- Each runs in its own short transaction (the caller commits), so the record
  survives whatever the job's own transaction does.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from webapp.models import JobRun
from webapp.models.core.enums import JobStatus, JobTrigger
from webapp.models.core.mixins import utcnow

MAX_MESSAGE = 4000
LOST = "worker lost: the run did not finish before its lease expired (the process died or was killed)"


@dataclass(frozen=True)
class RunSummary:
    """The figures of a job's latest runs, for the Jobs page and `flask jobs list`."""

    job: str
    last: JobRun | None
    last_success: JobRun | None
    last_failure: JobRun | None
    failures_24h: int
    running: JobRun | None


def reap_lost(session: Session, job: str, now: datetime | None = None) -> int:
    """Mark the job's running rows whose lease expired as failed; return how many."""
    now = now or utcnow()
    stmt = (
        update(JobRun)
        .where(JobRun.job == job, JobRun.status == JobStatus.RUNNING, JobRun.lease_until < now)
        .values(status=JobStatus.FAILED, finished_at=now, lock_key=None, message=LOST)
    )
    return session.execute(stmt).rowcount or 0


def start_run(
    session: Session,
    job: str,
    *,
    lease: timedelta,
    exclusive: bool = True,
    trigger: JobTrigger = JobTrigger.SCHEDULE,
    worker: str | None = None,
    task_id: str | None = None,
    now: datetime | None = None,
) -> int | None:
    """Record a running run and take the job's lock; return its id, or None when another run holds it.

    Commits: the lock must be visible to other workers before the job's work begins.
    """
    now = now or utcnow()
    reap_lost(session, job, now)
    session.commit()
    run = JobRun(
        job=job, status=JobStatus.RUNNING, trigger=trigger, started_at=now, lease_until=now + lease,
        lock_key=job if exclusive else None, worker=worker, task_id=task_id,
    )  # fmt: skip
    session.add(run)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        return None
    return run.id


def finish_run(
    session: Session,
    run_id: int,
    *,
    rows: int = 0,
    details: dict[str, Any] | None = None,
    error: str | None = None,
    now: datetime | None = None,
) -> None:
    """Record a run's outcome and release its lock (the caller commits)."""
    now = now or utcnow()
    run = session.get(JobRun, run_id)
    if run is None:
        return
    run.finished_at = max(now, run.started_at)
    run.lock_key = None
    run.rows_touched = max(int(rows), 0)
    run.details = details
    run.status = JobStatus.FAILED if error else JobStatus.SUCCEEDED
    run.message = error[:MAX_MESSAGE] if error else None


def running(session: Session, job: str) -> JobRun | None:
    """Return the job's current running run (the lock holder, or any, for a non-exclusive job)."""
    query = select(JobRun).where(JobRun.job == job, JobRun.status == JobStatus.RUNNING)
    return session.scalars(query.order_by(JobRun.started_at.desc()).limit(1)).first()


def _latest(session: Session, job: str, *status: JobStatus) -> JobRun | None:
    query = select(JobRun).where(JobRun.job == job)
    if status:
        query = query.where(JobRun.status.in_(status))
    return session.scalars(query.order_by(JobRun.started_at.desc(), JobRun.id.desc()).limit(1)).first()


def summary(session: Session, job: str, now: datetime | None = None) -> RunSummary:
    """Return a job's last run, last success, last failure and failures in the last 24 hours."""
    now = now or utcnow()
    failures = (
        select(func.count())
        .select_from(JobRun)
        .where(
            JobRun.job == job,
            JobRun.status == JobStatus.FAILED,
            JobRun.started_at >= now - timedelta(hours=24),
        )
    )
    return RunSummary(
        job=job,
        last=_latest(session, job, JobStatus.SUCCEEDED, JobStatus.FAILED),
        last_success=_latest(session, job, JobStatus.SUCCEEDED),
        last_failure=_latest(session, job, JobStatus.FAILED),
        failures_24h=session.scalar(failures) or 0,
        running=running(session, job),
    )


def recent_runs(session: Session, job: str, limit: int = 50) -> list[JobRun]:
    """Return the job's latest runs, newest first."""
    query = select(JobRun).where(JobRun.job == job).order_by(JobRun.started_at.desc(), JobRun.id.desc())
    return list(session.scalars(query.limit(limit)))


def last_started(session: Session, job: str) -> datetime | None:
    """Return when the job last started (any outcome), or None."""
    return session.scalar(select(func.max(JobRun.started_at)).where(JobRun.job == job))


def prune_runs(session: Session, older_than: timedelta, now: datetime | None = None) -> int:
    """Delete finished runs that started before now - older_than; return how many."""
    cutoff = (now or utcnow()) - older_than
    stmt = delete(JobRun).where(JobRun.status != JobStatus.RUNNING, JobRun.started_at < cutoff)
    return session.execute(stmt).rowcount or 0
