"""Every background job and its schedule: the one table that beat, the embedded scheduler,
`flask jobs` and the admin Jobs page read.

Times are UTC. Jobs that act at a local time (the evening streak reminder, Monday 07:00
digests) run often and pick the learners or teachers whose local clock has reached it.
`lease` bounds a run: a run still holding its lock after it is taken for lost (its
worker died), and the task's hard time limit is the same. An exclusive job never runs
twice at once; delivery is not exclusive, since each notification is claimed on its own.
"""

import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from celery.schedules import crontab, schedule


@dataclass(frozen=True)
class Job:
    """One background job: what it does, when, and for how long it may hold its lock."""

    name: str
    title: str
    does: str
    every: str
    timing: Any  # a celery schedule (interval) or crontab
    lease: timedelta
    exclusive: bool = True

    @property
    def task(self) -> str:
        """The Celery task name."""
        return f"jobs.{self.name}"

    @property
    def interval(self) -> float | None:
        """Seconds between runs of an interval job (None for a crontab)."""
        return self.timing.run_every.total_seconds() if isinstance(self.timing, schedule) else None

    def next_run(self, last_started: datetime | None, now: datetime | None = None) -> datetime:
        """Return when the job is next due after a run that started at last_started."""
        now = now or datetime.now(UTC)
        if last_started is None:
            return now
        return max(now, now + self.timing.remaining_estimate(last_started))

    def is_due(self, last_started: datetime | None) -> bool:
        """Whether the job should run now."""
        return last_started is None or self.timing.is_due(last_started).is_due


def _every(seconds: int) -> schedule:
    return schedule(run_every=timedelta(seconds=seconds))


MINUTE = 60
JOBS: tuple[Job, ...] = (
    Job("engine_update", "Engine update after ingest",
        "Streaks, points, badges, leaderboards, mastery and engagement profiles of the learners "
        "whose activity ingest marked; notifies the badges and milestones it awards.",
        "every 30 s", _every(30), timedelta(minutes=30)),
    Job("analytics_refresh", "Analytics refresh",
        "Rollups of the marked days, the trailing window and any missing day; retention cohorts "
        "and at-risk flags; clears the report cache.",
        "every 15 min", _every(15 * MINUTE), timedelta(minutes=60)),
    Job("deliver_notifications", "Notification delivery",
        "Sends due notifications by email, push and in-app, after quiet hours, within the daily cap; "
        "retries with back-off.",
        "every 30 s", _every(30), timedelta(minutes=10), exclusive=False),
    Job("notify_triggers", "Notification triggers",
        "Streak at risk (evening, learner-local time), duels received, weekly summaries.",
        "every 5 min", _every(5 * MINUTE), timedelta(minutes=15)),
    Job("teacher_digest", "Teachers' weekly digest",
        "Monday 07:00 in each teacher's time zone: per group, the week's figures against the week "
        "before and the learners newly at risk.",
        "every 15 min", _every(15 * MINUTE), timedelta(minutes=30)),
    Job("expire_duels", "Duel expiry", "Expires pending and active duels past their expiry time.",
        "every 5 min", _every(5 * MINUTE), timedelta(minutes=10)),
    Job("grant_freezes", "Streak freezes earned",
        "Grants the freeze each 7th day of a running streak earns (while fewer than 2 are held).",
        "every 15 min", _every(15 * MINUTE), timedelta(minutes=15)),
    Job("streak_rollover", "Streaks past local midnight",
        "Uses a freeze or ends the streak of learners whose local day passed without activity.",
        "hourly at :01", crontab(minute=1), timedelta(minutes=30)),
    Job("daily_rollover", "New UTC day",
        "Leaderboards' current periods (a new week or month starts) and every learner's engagement "
        "profile as of the new day.",
        "daily at 00:05 UTC", crontab(minute=5, hour=0), timedelta(minutes=60)),
    Job("housekeeping", "Housekeeping", "Deletes job runs older than 30 days.",
        "daily at 03:00 UTC", crontab(minute=0, hour=3), timedelta(minutes=30)),
    Job("raw_partitions", "Raw activity partitions",
        "PostgreSQL: creates the monthly partitions of the raw event tables for this month and the "
        "next 3 (idempotent), so that new rows never land in the default partition.",
        "daily at 03:10 UTC", crontab(minute=10, hour=3), timedelta(minutes=30)),
)  # fmt: skip
BY_NAME = {job.name: job for job in JOBS}


def lease_for(job: Job) -> timedelta:
    """Return the job's lease; JOB_LEASE_SECONDS overrides every lease (the tests shorten it)."""
    value = os.environ.get("JOB_LEASE_SECONDS", "").strip()
    return timedelta(seconds=int(value)) if value.isdigit() else job.lease


def beat_schedule() -> dict[str, dict]:
    """Return Celery beat's schedule: one entry per job; a message not taken in time expires."""
    return {
        job.name: {
            "task": job.task,
            "schedule": job.timing,
            # A stale message (workers were down) is dropped: the next tick brings a fresh one.
            "options": {"expires": job.interval or 3600},
        }
        for job in JOBS
    }
