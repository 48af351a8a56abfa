"""Job runs: the lock, lost workers, failures that show, the JSON line, the CLI and the embedded scheduler."""

import json
import logging
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from tests import factories as f
from webapp.jobs import control
from webapp.jobs.embedded import EmbeddedScheduler
from webapp.jobs.runner import run_job
from webapp.jobs.schedule import BY_NAME, JOBS, beat_schedule
from webapp.models import JobRun
from webapp.models.core.enums import JobStatus
from webapp.services.jobs import LOST, finish_run, start_run

T0 = datetime(2024, 6, 3, 12, 0, tzinfo=UTC)


def test_an_exclusive_job_runs_once_at_a_time_and_a_lost_run_frees_it(session) -> None:
    first = start_run(session, "engine_update", lease=timedelta(minutes=5), worker="a:1", now=T0)
    assert first is not None
    assert start_run(session, "engine_update", lease=timedelta(minutes=5), worker="b:2", now=T0) is None
    assert start_run(session, "deliver_notifications", lease=timedelta(minutes=5), exclusive=False, now=T0)
    assert start_run(session, "deliver_notifications", lease=timedelta(minutes=5), exclusive=False, now=T0)
    second = start_run(
        session, "engine_update", lease=timedelta(minutes=5), worker="b:2", now=T0 + timedelta(minutes=6)
    )
    assert second is not None  # the first worker died: its lease ran out
    lost = session.get(JobRun, first)
    assert (lost.status, lost.message, lost.lock_key) == (JobStatus.FAILED, LOST, None)
    finish_run(session, second, rows=7, details={"learners": 2}, now=T0 + timedelta(minutes=7))
    session.commit()
    assert start_run(session, "engine_update", lease=timedelta(minutes=5), now=T0 + timedelta(minutes=8))


def test_a_failing_job_is_recorded_with_its_message_and_logged(session, caplog) -> None:
    def broken(_session):
        raise ValueError("the district has no learners")

    caplog.set_level(logging.INFO, logger="webapp.jobs")
    with pytest.raises(ValueError, match="no learners"):
        run_job("grant_freezes", broken)
    run_job("expire_duels", lambda s: {"duels_expired": 3, "candidates": 10})
    runs = {r.job: r for r in session.scalars(select(JobRun))}
    assert runs["grant_freezes"].status == JobStatus.FAILED
    assert runs["grant_freezes"].message == "ValueError: the district has no learners"
    assert (runs["expire_duels"].status, runs["expire_duels"].rows_touched) == (JobStatus.SUCCEEDED, 3)
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "webapp.jobs"]
    assert [(line["job"], line["status"]) for line in lines] == [("grant_freezes", "failed"),
                                                                 ("expire_duels", "succeeded")]  # fmt: skip
    assert lines[1]["rows"] == 3
    assert lines[1]["details"] == {"duels_expired": 3, "candidates": 10}
    failing = [s.job.name for s in control.overview(session) if s.failing]
    assert failing == ["grant_freezes"]


def test_every_job_has_a_task_and_a_beat_entry() -> None:
    from webapp.jobs.tasks import TASKS

    assert set(TASKS) == set(BY_NAME) == set(beat_schedule())
    assert all(task.acks_late for task in TASKS.values())
    assert [j.name for j in JOBS if not j.exclusive] == ["deliver_notifications"]


def test_flask_jobs_list_run_and_status(runner, session) -> None:
    result = runner.invoke(args=["jobs", "run", "expire_duels"])
    assert result.exit_code == 0
    assert '"status": "succeeded"' in result.output
    listing = runner.invoke(args=["jobs", "list"])
    assert listing.exit_code == 0
    row = next(line for line in listing.output.splitlines() if line.startswith("expire_duels"))
    assert "succeeded" in row
    assert "every 5 min" in row
    assert runner.invoke(args=["jobs", "status"]).exit_code == 0
    f.make_job_run(session, job="teacher_digest", status=JobStatus.FAILED, message="APP_BASE_URL is not set")
    session.commit()
    status = runner.invoke(args=["jobs", "status"])
    assert status.exit_code == 1
    assert "FAILING teacher_digest: APP_BASE_URL is not set" in status.output
    unknown = runner.invoke(args=["jobs", "run", "nope"])
    assert unknown.exit_code == 1
    assert "no job 'nope'" in unknown.output


def test_the_embedded_scheduler_runs_due_jobs_and_run_now(app, session) -> None:
    scheduler = EmbeddedScheduler(app, tick=0.05)
    scheduler.request("expire_duels")
    scheduler.start()
    try:
        from tests.jobs.live import wait_for

        wait_for(lambda: _jobs_run(session) >= {"expire_duels", "engine_update"}, "the scheduler to run jobs")
    finally:
        scheduler.stop()
        scheduler.join(timeout=60)
    assert not scheduler.is_alive()


def _jobs_run(session) -> set[str]:
    session.expire_all()
    return set(session.scalars(select(JobRun.job).where(JobRun.status != JobStatus.RUNNING)))
