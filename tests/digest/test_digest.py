"""The teachers' weekly digest: due Monday 07:00 in the teacher's zone, true figures, links, unsubscribe."""

import re
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from tests import factories as f
from tests.mailserver import smtp_server
from webapp.extensions import db
from webapp.jobs.tasks import TASKS
from webapp.models import JobRun, Notification
from webapp.models.core.enums import GroupRole, NotificationCategory
from webapp.services.analytics.rollups import refresh
from webapp.services.delivery import DeliverySettings, deliver_due
from webapp.services.digest import is_subscribed, week_figures

MONDAY = date(2024, 6, 3)
KOLKATA = ZoneInfo("Asia/Kolkata")
SEVEN_AM = datetime.combine(MONDAY, time(7), tzinfo=KOLKATA).astimezone(UTC)  # 01:30 UTC
BASE = "https://admin.example.org"


@pytest.fixture
def world(app, session):
    """A teacher in Kolkata with one group: two weeks of sessions and quizzes, flags a week apart."""
    app.config["APP_BASE_URL"] = BASE
    group = f.make_group(session, name="Grade 7 Science")
    teacher = f.make_teacher(session, timezone="Asia/Kolkata", email="asha@school.example")
    f.make_member(session, group=group, user=teacher, role=GroupRole.TEACHER)
    ann, bob, cat = (
        f.make_learner(session, timezone="Asia/Kolkata", display_name=n) for n in ("Ann", "Bob", "Cat")
    )
    for learner in (ann, bob, cat):
        f.make_member(session, group=group, user=learner)
    # (learner, days before MONDAY, minutes): last week Ann twice and Bob once; the week before Ann once.
    for learner, back, minutes in [(ann, 1, 30), (ann, 3, 20), (bob, 6, 40), (ann, 10, 25)]:
        start = datetime.combine(MONDAY - timedelta(days=back), time(18), tzinfo=KOLKATA).astimezone(UTC)
        f.make_session(
            session,
            user=learner,
            started_at=start,
            ended_at=start + timedelta(minutes=minutes),
            duration_seconds=minutes * 60,
        )
    quiz_at = datetime.combine(MONDAY - timedelta(days=2), time(17), tzinfo=KOLKATA).astimezone(UTC)
    f.make_quiz_attempt(
        session, user=cat, started_at=quiz_at, submitted_at=quiz_at + timedelta(minutes=5), score=70.0
    )
    session.commit()
    refresh(
        db.engine, MONDAY - timedelta(days=15), MONDAY - timedelta(days=1), today=MONDAY - timedelta(days=1)
    )
    f.make_risk_flag(session, user=ann, as_of=MONDAY - timedelta(days=7), rule="minutes_down", detail="old")
    f.make_risk_flag(session, user=ann, as_of=MONDAY, rule="minutes_down", detail="still down")
    f.make_risk_flag(session, user=bob, as_of=MONDAY, rule="went_quiet", detail="idle 6 days")
    f.make_teacher(session, timezone="America/New_York")  # a teacher without groups, and still Sunday there
    session.commit()
    yield {"teacher": teacher, "group": group, "ann": ann, "bob": bob}
    app.config["APP_BASE_URL"] = "http://127.0.0.1:5000"


def run_digest(now: datetime):
    from webapp.digest.mail import queue_due_digests

    counts = queue_due_digests(db.session, now)
    db.session.commit()
    return counts


def test_the_week_against_the_week_before_comes_from_the_raw_rows(session, world) -> None:
    figures = week_figures(session, world["group"].id, MONDAY)
    assert figures["active_learners"] == (3, 1)  # Ann, Bob and Cat (a quiz); then Ann alone
    assert figures["sessions"] == (3, 1)
    assert figures["learning_minutes"] == (90, 25)
    assert figures["quiz_attempts"] == (1, 0)
    assert figures["avg_quiz_score"] == (70.0, None)


def test_due_at_seven_in_the_teachers_zone_once(session, world) -> None:
    assert run_digest(SEVEN_AM - timedelta(minutes=1))["digests_queued"] == 0
    assert run_digest(SEVEN_AM)["digests_queued"] == 1
    assert run_digest(SEVEN_AM + timedelta(minutes=15))["digests_queued"] == 0
    (n,) = session.scalars(select(Notification)).all()
    assert (n.recipient_id, n.category, n.idempotency_key) == (
        world["teacher"].id,
        NotificationCategory.DIGEST,
        f"digest:{world['teacher'].id}:{MONDAY}",
    )
    text, html = n.body, n.body_html
    assert "Grade 7 Science" in text
    assert "Learning sessions: 3 (+200% on the week before: 1)" in text
    assert "Learners newly at risk (as of 3 June 2024): 1" in text
    assert "Bob" in text
    assert "Went quiet: idle 6 days" in text  # a detail of another shape is shown as stored
    assert "Ann" not in text
    assert f"{BASE}/reports/learners/{world['bob'].id}" in text
    assert f"{BASE}/reports/at-risk?group=" in text
    assert "<h2" in html
    assert "Bob</a>" in html
    assert "idle 6 days" in html
    assert n.unsubscribe_url.startswith(f"{BASE}/digest/unsubscribe/")


def test_sent_as_html_and_text_with_a_working_unsubscribe_link(app, session, client, world, tmp_path) -> None:
    run_digest(SEVEN_AM)
    config = {**app.config, "MAIL_SMTP_STARTTLS": False}
    with smtp_server() as (mail, port):
        config["MAIL_SMTP_HOST"], config["MAIL_SMTP_PORT"] = "127.0.0.1", port
        assert deliver_due(session, DeliverySettings.from_config(config), now=SEVEN_AM)["sent"] == 1
    (message,) = mail.messages
    assert message["To"] == "asha@school.example"
    assert message.get_content_type() == "multipart/alternative"
    parts = {p.get_content_type(): p.get_content() for p in message.iter_parts()}
    assert "Bob" in parts["text/plain"]
    assert "Bob</a>" in parts["text/html"]
    link = re.fullmatch(r"\s*<([^>]+)>\s*", str(message["List-Unsubscribe"])).group(1)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    path = urlsplit(link).path
    page = client.get(path)
    assert page.status_code == 200
    assert b"Unsubscribe from the weekly digest" in page.data
    assert is_subscribed(session, world["teacher"].id)  # opening the link changes nothing
    done = client.post(path, data={"List-Unsubscribe": "One-Click"})  # what a mail client's one click sends
    assert done.status_code == 200
    assert b"will not get the weekly digest" in done.data
    session.expire_all()
    assert not is_subscribed(session, world["teacher"].id)
    assert run_digest(SEVEN_AM + timedelta(days=7))["digests_queued"] == 0  # next Monday: nothing
    assert client.get(path[:-3] + "xyz").status_code == 404  # a forged token


def test_the_job_records_its_run_and_fails_visibly_without_a_base_url(app, session, world) -> None:
    app.config["APP_BASE_URL"] = None
    result = TASKS["teacher_digest"].apply(kwargs={"trigger": "manual"}, throw=False)
    assert result.failed()
    run = session.scalars(select(JobRun).where(JobRun.job == "teacher_digest")).one()
    assert run.status == "failed"
    assert "APP_BASE_URL is not set" in run.message
