"""What `flask jobs` and the admin Jobs page show and do: every job's state, and "run now"."""

from dataclasses import dataclass
from datetime import datetime

from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from webapp.jobs.schedule import BY_NAME, JOBS, Job
from webapp.models import Notification
from webapp.models.core.enums import NotificationStatus
from webapp.models.core.mixins import utcnow
from webapp.services import marks
from webapp.services.jobs import RunSummary, summary


@dataclass(frozen=True)
class JobState:
    """A job of the schedule table with its latest runs and its next run."""

    job: Job
    runs: RunSummary
    next_run: datetime

    @property
    def failing(self) -> bool:
        """Whether its last finished run failed."""
        return self.runs.last is not None and self.runs.last.status == "failed"


def overview(session: Session, now: datetime | None = None) -> list[JobState]:
    """Return every job's state, in the schedule table's order."""
    now = now or utcnow()
    states = []
    for job in JOBS:
        runs = summary(session, job.name, now)
        started = runs.running.started_at if runs.running else (runs.last.started_at if runs.last else None)
        states.append(JobState(job, runs, job.next_run(started, now)))
    return states


def backlog(session: Session) -> dict[str, int]:
    """Return the work waiting: change marks per consumer, notifications queued and failed."""
    counts = dict(session.execute(
        select(Notification.status, func.count()).group_by(Notification.status)).tuples().all())  # fmt: skip
    return {
        "engine marks": marks.backlog(session, marks.ENGINE),
        "refresh marks": marks.backlog(session, marks.REFRESH),
        "notifications queued": counts.get(NotificationStatus.QUEUED, 0),
        "notifications being sent": counts.get(NotificationStatus.SENDING, 0),
        "notifications failed": counts.get(NotificationStatus.FAILED, 0),
    }


QUICK_RETRY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 1}


def dispatch(app: Flask, name: str) -> str:
    """Start a job now, where jobs run here; return what happened, in words."""
    from webapp.jobs.tasks import TASKS

    if name not in BY_NAME:
        raise KeyError(name)
    if app.config.get("CELERY_BROKER_URL"):
        try:
            TASKS[name].apply_async(kwargs={"trigger": "manual"}, retry=True, retry_policy=QUICK_RETRY)
        except Exception as exc:  # the broker is down: say so rather than fail the page
            return f"not queued: the broker did not answer ({type(exc).__name__})"
        return "queued for the Celery workers"
    scheduler = app.extensions.get("embedded_jobs")
    if scheduler is not None and scheduler.is_alive():
        scheduler.request(name)
        return "will run within seconds (embedded scheduler)"
    result = TASKS[name].apply(kwargs={"trigger": "manual"}, throw=False)
    return "failed: see the run's message" if result.failed() else "ran"
