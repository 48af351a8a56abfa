"""Real Redis, Celery workers and an SMTP server: no double work; a killed worker leaves no half work."""

import itertools
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import func, select, text

from tests import factories as f
from tests.conftest import make_config
from tests.jobs.live import queue_length, redis_server, sender, wait_for, worker_env, workers
from tests.mailserver import smtp_server
from webapp import create_app
from webapp.extensions import db
from webapp.models import (
    JobRun,
    LeaderboardEntry,
    Notification,
    PointsTransaction,
    StreakActivity,
    UserEngagementProfile,
    UserPoints,
    UserStreak,
)
from webapp.models.core.enums import JobStatus, LeaderboardPeriod, NotificationStatus
from webapp.services import marks
from webapp.services.recompute import recompute_all

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore::DeprecationWarning")]
DERIVED = (PointsTransaction, UserPoints, UserStreak, StreakActivity, LeaderboardEntry, UserEngagementProfile)


@contextmanager
def database(url: str) -> Iterator[Flask]:
    """An app on the test's database, with an app context pushed."""
    app = create_app(make_config(url))
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def learners_with_new_sessions(session, count: int) -> list[int]:
    """Learners with yesterday's session counted, and a new one today that ingest marked."""
    f.make_leaderboard(session, period=LeaderboardPeriod.WEEKLY)
    now = datetime.now(UTC)
    # Today's session starts today even in the first half hour of a UTC day (it may then end a
    # few minutes from now); yesterday's starts a day before it.
    midnight = datetime.combine(now.date(), datetime.min.time(), tzinfo=UTC)
    today_at = max(now - timedelta(minutes=30), midnight + timedelta(seconds=1))
    ids = []
    for _ in range(count):
        learner = f.make_learner(session, timezone="UTC")
        f.make_session(session, user=learner, started_at=today_at - timedelta(days=1))
        ids.append(learner.id)
    session.commit()
    recompute_all(session)
    for user_id in ids:
        f.make_session(session, user_id=user_id, started_at=today_at)
    marks.mark(session, [(user_id, now.date()) for user_id in ids])
    session.commit()
    return ids


def derived(session) -> dict:
    session.expire_all()
    return {m.__tablename__: sorted(map(tuple, session.execute(select(*m.__table__.c)).all()), key=repr)
            for m in DERIVED}  # fmt: skip


def assert_equals_a_full_recompute(session) -> None:
    before = derived(session)
    counts = recompute_all(session)
    session.commit()
    assert set(counts.values()) == {0}, counts
    assert derived(session) == before


def runs(session, job: str) -> list[JobRun]:
    session.expire_all()
    return list(session.scalars(select(JobRun).where(JobRun.job == job).order_by(JobRun.started_at)))


def test_two_workers_share_the_work_and_never_do_it_twice(migrated_url, tmp_path) -> None:
    with database(migrated_url), smtp_server() as (mail, smtp_port), redis_server(tmp_path) as broker:
        session = db.session
        learners = learners_with_new_sessions(session, 4)
        due = datetime.now(UTC) - timedelta(minutes=1)
        emails = [
            f.make_notification(
                session, recipient_id=learners[i % 4], channel="email", subject=f"N{i}", scheduled_at=due
            )
            for i in range(24)
        ]
        session.commit()
        mail.stall_seconds = 0.2  # sends overlap across the two workers
        env = worker_env(migrated_url, broker, MAIL_SMTP_HOST="127.0.0.1", MAIL_SMTP_PORT=str(smtp_port),
                         NOTIFY_BATCH="3", NOTIFY_DAILY_CAP="100")  # fmt: skip
        with workers(["w1", "w2"], env, tmp_path):
            client = sender(broker)
            for i in range(12):
                client.send_task("jobs.deliver_notifications", kwargs={"trigger": "manual"})
                if i % 2 == 0:
                    client.send_task("jobs.engine_update", kwargs={"trigger": "manual"})
            wait_for(lambda: queue_length(broker) == 0 and not _running(session) and _sent(session) == 24,
                     "the workers to finish every task", timeout=180)  # fmt: skip
        assert sorted(mail.ids()) == sorted(f"<notification-{n.id}@shikshadisha.invalid>" for n in emails)
        delivering = {run.worker for run in runs(session, "deliver_notifications")}
        assert len(delivering) == 2, delivering  # both workers delivered, each message once
        engine = [r for r in runs(session, "engine_update") if r.status == JobStatus.SUCCEEDED]
        for earlier, later in itertools.pairwise(engine):
            assert earlier.finished_at <= later.started_at  # the lock: never two engine runs at once
        assert marks.backlog(session, marks.ENGINE) == 0
        assert sum(r.details.get("learners", 0) for r in engine) == 4  # each learner recomputed once
        assert_equals_a_full_recompute(session)


def _running(session) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(JobRun).where(JobRun.status == JobStatus.RUNNING))


def _sent(session) -> int:
    session.expire_all()
    query = (
        select(func.count()).select_from(Notification).where(Notification.status == NotificationStatus.SENT)
    )
    return session.scalar(query)


def test_a_worker_killed_mid_send_never_sends_twice(migrated_url, tmp_path) -> None:
    with database(migrated_url), smtp_server() as (mail, smtp_port), redis_server(tmp_path) as broker:
        session = db.session
        learner = f.make_learner(session)
        stuck = f.make_notification(session, recipient=learner, channel="email", subject="stuck",
                                    scheduled_at=datetime.now(UTC) - timedelta(minutes=1))  # fmt: skip
        session.commit()
        mail.stall_seconds = 60  # the message arrives; the answer never does before the kill
        env = worker_env(migrated_url, broker, MAIL_SMTP_HOST="127.0.0.1", MAIL_SMTP_PORT=str(smtp_port),
                         NOTIFY_SEND_LEASE_SECONDS="4", JOB_LEASE_SECONDS="20")  # fmt: skip
        client = sender(broker)
        with workers(["doomed"], env, tmp_path) as (doomed,):
            client.send_task("jobs.deliver_notifications", kwargs={"trigger": "manual"})
            wait_for(mail.received.is_set, "the message to reach the SMTP server")
            doomed.kill()
        session.expire_all()
        assert session.get(Notification, stuck.id).status == NotificationStatus.SENDING
        mail.stall_seconds = 0
        fresh = f.make_notification(session, recipient=learner, channel="email", subject="fresh",
                                    scheduled_at=datetime.now(UTC) - timedelta(minutes=1))  # fmt: skip
        session.commit()
        time.sleep(4.5)  # past the send lease (a sleep for a lease, not a timing assertion)
        with workers(["survivor"], env, tmp_path):
            client.send_task("jobs.deliver_notifications", kwargs={"trigger": "manual"})
            wait_for(lambda: _status(session, fresh.id) == NotificationStatus.SENT, "the fresh message to go")
            client.send_task("jobs.deliver_notifications", kwargs={"trigger": "manual"})
            wait_for(lambda: queue_length(broker) == 0 and not _running_by_live(session), "the second run")
        row = session.get(Notification, stuck.id)
        assert row.status == NotificationStatus.FAILED
        assert row.failure_reason.startswith("outcome unknown")
        subjects = [m["Subject"] for m in mail.messages]
        assert subjects.count("stuck") == 1
        assert subjects.count("fresh") == 1


def _status(session, notification_id: int):
    session.expire_all()
    return session.get(Notification, notification_id).status


def _running_by_live(session) -> int:
    session.expire_all()
    query = (
        select(func.count())
        .select_from(JobRun)
        .where(JobRun.status == JobStatus.RUNNING, JobRun.lease_until > datetime.now(UTC))
    )
    return session.scalar(query)  # fmt: skip


def test_a_worker_killed_mid_engine_update_leaves_nothing_half_done(migrated_url, tmp_path) -> None:
    if not migrated_url.startswith("postgresql"):
        pytest.skip(
            "holding a row lock to stop the job mid-way needs PostgreSQL (SQLite locks the whole file)"
        )
    with database(migrated_url), redis_server(tmp_path) as broker:
        session = db.session
        learners = learners_with_new_sessions(session, 3)
        today_rows = select(func.count()).select_from(StreakActivity).where(
            StreakActivity.day == datetime.now(UTC).date())  # fmt: skip
        env = worker_env(migrated_url, broker, JOB_LEASE_SECONDS="12")
        client = sender(broker)
        blocker = db.engine.connect()
        blocker.begin()
        # The engine writes streaks and activity points first, then waits here for the balances.
        blocker.execute(text("SELECT 1 FROM user_points WHERE user_id = :u FOR UPDATE"), {"u": learners[-1]})
        with workers(["doomed"], env, tmp_path) as (doomed,):
            client.send_task("jobs.engine_update", kwargs={"trigger": "manual"})
            wait_for(lambda: _waiting_on_a_lock(), "the engine to wait on the row lock, mid-way")
            doomed.kill()
        blocker.rollback()
        blocker.close()
        assert session.scalar(today_rows) == 0  # nothing of the killed run's work was kept
        assert marks.backlog(session, marks.ENGINE) == 3  # its marks wait for the next run
        (lost,) = runs(session, "engine_update")
        assert lost.status == JobStatus.RUNNING
        time.sleep(12.5)  # past the job's lease
        with workers(["survivor"], env, tmp_path):
            client.send_task("jobs.engine_update", kwargs={"trigger": "manual"})
            wait_for(lambda: any(r.status == JobStatus.SUCCEEDED for r in runs(session, "engine_update")),
                     "the engine update to run again")  # fmt: skip
        session.expire_all()
        assert session.get(JobRun, lost.id).status == JobStatus.FAILED
        assert "worker lost" in session.get(JobRun, lost.id).message
        assert session.scalar(today_rows) == 3
        assert marks.backlog(session, marks.ENGINE) == 0
        assert_equals_a_full_recompute(session)


def _waiting_on_a_lock() -> int:
    # A fresh connection each time: pg_stat_activity is a snapshot taken once per transaction.
    with db.engine.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                                 " AND datname = current_database()")).scalar()  # fmt: skip
