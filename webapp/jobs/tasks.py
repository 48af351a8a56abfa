"""The Celery tasks: one per job of the schedule table, each calling one service with plain values.

Every task is acknowledged late and given back if its worker dies, runs under its
job's lock (webapp/jobs/runner.py) and is safe to run twice: the services work
from change marks, idempotency keys and upserts.
"""

from celery import shared_task
from flask import current_app

from webapp.jobs.runner import run_job
from webapp.jobs.schedule import BY_NAME, lease_for


def _task(name: str):
    """Declare the task of a job: its name, late acks, and a time limit within its lease."""
    seconds = lease_for(BY_NAME[name]).total_seconds()
    return shared_task(
        name=BY_NAME[name].task, bind=True, acks_late=True, reject_on_worker_lost=True,
        ignore_result=True, time_limit=seconds, soft_time_limit=max(seconds - 30, seconds * 0.9),
    )  # fmt: skip


@_task("engine_update")
def engine_update(self, trigger: str = "schedule") -> dict:
    """Recompute the derived state of the learners ingest marked."""
    from webapp.services.engine_update import run_engine

    return run_job("engine_update", run_engine, trigger, self.request.id)


@_task("analytics_refresh")
def analytics_refresh(self, trigger: str = "schedule") -> dict:
    """Refresh the rollups of the marked days and the trailing window."""
    from webapp.services.refresh_job import refresh_marked

    return run_job("analytics_refresh", refresh_marked, trigger, self.request.id)


@_task("deliver_notifications")
def deliver_notifications(self, trigger: str = "schedule") -> dict:
    """Send the notifications that are due."""
    from webapp.services.delivery import DeliverySettings, deliver_due

    settings = DeliverySettings.from_config(current_app.config, current_app.instance_path)
    return run_job("deliver_notifications", lambda s: deliver_due(s, settings), trigger, self.request.id)


@_task("notify_triggers")
def notify_triggers(self, trigger: str = "schedule") -> dict:
    """Create the streak-at-risk, duel and weekly-summary notifications that are due."""
    from webapp.services.notify import run_triggers

    return run_job("notify_triggers", run_triggers, trigger, self.request.id)


@_task("teacher_digest")
def teacher_digest(self, trigger: str = "schedule") -> dict:
    """Queue the weekly digest of every teacher whose Monday 07:00 has come."""
    from webapp.digest.mail import queue_due_digests

    return run_job("teacher_digest", queue_due_digests, trigger, self.request.id)


@_task("expire_duels")
def expire_duels(self, trigger: str = "schedule") -> dict:
    """Expire the duels past their expiry time."""
    from webapp.services.duels import expire_due

    return run_job("expire_duels", lambda s: {"duels_expired": expire_due(s)}, trigger, self.request.id)


@_task("grant_freezes")
def grant_freezes(self, trigger: str = "schedule") -> dict:
    """Grant the streak freezes that running streaks earned."""
    from webapp.services.freezes import grant_earned

    return run_job("grant_freezes", grant_earned, trigger, self.request.id)


@_task("streak_rollover")
def streak_rollover(self, trigger: str = "schedule") -> dict:
    """Use a freeze or end the streaks of learners whose local day passed without activity."""
    from webapp.services.rollover import roll_streaks

    return run_job("streak_rollover", roll_streaks, trigger, self.request.id)


@_task("daily_rollover")
def daily_rollover(self, trigger: str = "schedule") -> dict:
    """Start the new UTC day: leaderboards' current periods, engagement profiles."""
    from webapp.services.rollover import new_day

    return run_job("daily_rollover", new_day, trigger, self.request.id)


@_task("housekeeping")
def housekeeping(self, trigger: str = "schedule") -> dict:
    """Delete old job runs."""
    from webapp.services.rollover import housekeeping as work

    return run_job("housekeeping", work, trigger, self.request.id)


@_task("raw_partitions")
def raw_partitions(self, trigger: str = "schedule") -> dict:
    """Create the coming months' partitions of the raw tables."""
    from webapp.services.partitions import create_partitions

    return run_job("raw_partitions", create_partitions, trigger, self.request.id)


TASKS = {
    task.name.removeprefix("jobs."): task
    for task in (engine_update, analytics_refresh, deliver_notifications, notify_triggers, teacher_digest,
                 expire_duels, grant_freezes, streak_rollover, daily_rollover, housekeeping,
                 raw_partitions)
}  # fmt: skip
