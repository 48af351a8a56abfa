"""Delivery against a real SMTP server and an HTTP push gateway: statuses, retries, never twice."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from tests import factories as f
from tests.mailserver import push_gateway, smtp_server
from webapp.models import Notification
from webapp.models.core.enums import Channel, NotificationCategory, NotificationStatus
from webapp.services.delivery import DeliverySettings, deliver_due
from webapp.services.delivery.channels import MailSettings, PushSettings

NOW = datetime(2024, 6, 3, 12, 0, tzinfo=UTC)  # 17:30 in Kolkata


def settings(smtp_port: int | None = None, push_url: str | None = None, outbox: Path | None = None, **kw):
    mail = MailSettings(
        "127.0.0.1" if smtp_port else None,
        smtp_port or 25,
        None,
        None,
        False,
        False,
        kw.pop("timeout", 10.0),
        "ShikshaDisha <no-reply@shiksha.test>",
        outbox,
    )
    return DeliverySettings(mail, PushSettings(push_url, "gw-token", 5.0, outbox), **kw)


def queued(session, learner, channel=Channel.EMAIL, **kw) -> Notification:
    defaults = {
        "recipient": learner,
        "channel": channel,
        "category": NotificationCategory.BADGE,
        "subject": "New badge",
        "body": "You earned the Week Warrior badge.",
        "scheduled_at": NOW - timedelta(minutes=1),
        "created_at": NOW - timedelta(minutes=1),
    }
    return f.make_notification(session, **{**defaults, **kw})


def state(session, n: Notification) -> Notification:
    session.expire_all()
    return session.get(Notification, n.id)


def test_email_push_and_in_app_are_each_sent_once(session) -> None:
    learner = f.make_learner(session, email="asha@example.org", timezone="Asia/Kolkata")
    email, push, in_app = (queued(session, learner, c) for c in (Channel.EMAIL, Channel.PUSH, Channel.IN_APP))
    session.commit()
    with smtp_server() as (mail, port), push_gateway() as (gateway, url):
        counts = deliver_due(session, settings(port, url), now=NOW)
        assert counts["sent"] == 2
        assert counts["in_app"] == 1
        assert deliver_due(session, settings(port, url), now=NOW + timedelta(minutes=5))["claimed"] == 0
    (message,) = mail.messages
    assert message["To"] == "asha@example.org"
    assert message["Subject"] == "New badge"
    assert message["Message-ID"] == f"<notification-{email.id}@shiksha.test>"
    assert message.get_content().strip() == "You earned the Week Warrior badge."
    ((headers, body),) = gateway.requests
    assert headers["Idempotency-Key"] == f"notification-{push.id}"
    assert headers["Authorization"] == "Bearer gw-token"
    assert body == {
        "id": f"notification-{push.id}",
        "user_id": learner.id,
        "category": "badge",
        "title": "New badge",
        "body": "You earned the Week Warrior badge.",
    }
    for n, message_id in ((email, message["Message-ID"]), (push, "gw-1"), (in_app, None)):
        row = state(session, n)
        assert (row.status, row.attempts, row.claimed_by, row.lease_until) == (
            NotificationStatus.SENT,
            1,
            None,
            None,
        )
        assert row.sent_at is not None
        assert row.message_id == message_id


def test_a_refused_recipient_is_retried_with_back_off_then_sent(session) -> None:
    n = queued(session, f.make_learner(session))
    session.commit()
    with smtp_server() as (mail, port):
        mail.rcpt_answer = "451 4.3.0 mailbox busy, try again later"
        deliver_due(session, settings(port, retry_base_seconds=60), now=NOW)
        row = state(session, n)
        assert (row.status, row.attempts) == (NotificationStatus.QUEUED, 1)
        assert row.scheduled_at == NOW + timedelta(seconds=60)
        assert "451" in row.failure_reason
        assert (
            deliver_due(session, settings(port), now=NOW + timedelta(seconds=30))["claimed"] == 0
        )  # not yet
        deliver_due(session, settings(port), now=NOW + timedelta(seconds=61))
        assert state(session, n).scheduled_at == NOW + timedelta(seconds=61 + 120)  # 2 x the base
        mail.rcpt_answer = None
        deliver_due(session, settings(port), now=NOW + timedelta(minutes=10))
    row = state(session, n)
    assert (row.status, row.attempts, row.failure_reason) == (NotificationStatus.SENT, 3, None)
    assert len(mail.messages) == 1


def test_a_permanent_refusal_or_the_last_attempt_fails_with_the_reason(session) -> None:
    learner = f.make_learner(session)
    refused, tired = queued(session, learner), queued(session, learner, attempts=4)
    session.commit()
    with smtp_server() as (mail, port):
        mail.rcpt_answer = "550 5.1.1 no such mailbox"
        deliver_due(session, settings(port, max_attempts=5), now=NOW)
    for n in (refused, tired):
        row = state(session, n)
        assert row.status == NotificationStatus.FAILED
        assert "550 5.1.1 no such mailbox" in row.failure_reason
    assert state(session, tired).attempts == 5
    assert not mail.messages


def test_a_connection_broken_after_data_is_never_sent_again(session) -> None:
    n = queued(session, f.make_learner(session))
    session.commit()
    with smtp_server() as (mail, port):
        mail.stall_seconds = 5  # the client gives up first, not knowing whether it went
        deliver_due(session, settings(port, timeout=1.0), now=NOW)
        row = state(session, n)
        assert row.status == NotificationStatus.FAILED
        assert row.failure_reason.startswith("outcome unknown")
        assert "never sent twice" in row.failure_reason
        mail.stall_seconds = 0
        assert deliver_due(session, settings(port), now=NOW + timedelta(hours=1))["claimed"] == 0
    assert mail.ids() == [f"<notification-{n.id}@shiksha.test>"]


def test_a_send_whose_worker_died_is_failed_when_its_lease_ends_and_never_resent(session) -> None:
    n = queued(
        session,
        f.make_learner(session),
        status=NotificationStatus.SENDING,
        claimed_by="dead-worker",
        lease_until=NOW + timedelta(minutes=5),
    )
    session.commit()
    with smtp_server() as (mail, port):
        assert deliver_due(session, settings(port), now=NOW)["lost_swept"] == 0  # still within its lease
        assert state(session, n).status == NotificationStatus.SENDING
        assert deliver_due(session, settings(port), now=NOW + timedelta(minutes=6))["lost_swept"] == 1
        deliver_due(session, settings(port), now=NOW + timedelta(hours=2))
    row = state(session, n)
    assert row.status == NotificationStatus.FAILED
    assert "lease expired" in row.failure_reason
    assert not mail.messages


def test_quiet_hours_defer_to_their_end_in_the_learners_zone(session) -> None:
    learner = f.make_learner(session, timezone="Asia/Kolkata")
    f.make_notification_preference(
        session,
        user=learner,
        channel=Channel.PUSH,
        category=NotificationCategory.BADGE,
        quiet_hours_start=17,
        quiet_hours_end=7,
    )
    n = queued(session, learner, Channel.PUSH)
    session.commit()
    with push_gateway() as (gateway, url):
        assert deliver_due(session, settings(push_url=url), now=NOW)["deferred"] == 1
        assert state(session, n).scheduled_at == datetime(2024, 6, 4, 1, 30, tzinfo=UTC)  # 07:00 IST
        assert not gateway.requests
        deliver_due(session, settings(push_url=url), now=datetime(2024, 6, 4, 1, 30, tzinfo=UTC))
    assert state(session, n).status == NotificationStatus.SENT
    assert len(gateway.requests) == 1


def test_preferences_expiry_and_the_daily_cap_skip_with_a_reason(session, tmp_path) -> None:
    learner = f.make_learner(session, timezone="Asia/Kolkata")
    f.make_notification_preference(
        session,
        user=learner,
        channel=Channel.EMAIL,
        category=NotificationCategory.DUEL,
        is_enabled=False,
        quiet_hours_start=None,
        quiet_hours_end=None,
    )
    off = queued(session, learner, category=NotificationCategory.DUEL)
    stale = queued(session, learner, expires_at=NOW - timedelta(seconds=1))
    pushes = [queued(session, learner, Channel.PUSH) for _ in range(3)]
    inbox = [queued(session, learner, Channel.IN_APP) for _ in range(3)]
    session.commit()
    deliver_due(session, settings(outbox=tmp_path, daily_cap=2), now=NOW)
    assert "turned off duel messages by email" in state(session, off).failure_reason
    assert state(session, stale).failure_reason == "expired before it could be sent"
    statuses = [state(session, n).status for n in pushes]
    assert statuses == [NotificationStatus.SENT, NotificationStatus.SENT, NotificationStatus.SKIPPED]
    assert "daily cap of 2" in state(session, pushes[2]).failure_reason
    assert {state(session, n).status for n in inbox} == {NotificationStatus.SENT}  # the inbox is not capped
    assert len(list(tmp_path.glob("*.push.json"))) == 2


def test_without_smtp_or_gateway_nothing_is_pretended(session) -> None:
    n = queued(session, f.make_learner(session))
    session.commit()
    deliver_due(session, settings(), now=NOW)
    row = state(session, n)
    assert row.status == NotificationStatus.FAILED
    assert "MAIL_SMTP_HOST" in row.failure_reason


@pytest.mark.parametrize("status", [500, 429])
def test_gateway_overload_is_retried_and_a_bad_request_is_not(session, status) -> None:
    learner = f.make_learner(session)
    n = queued(session, learner, Channel.PUSH)
    session.commit()
    with push_gateway() as (gateway, url):
        gateway.status = status
        deliver_due(session, settings(push_url=url), now=NOW)
        assert state(session, n).status == NotificationStatus.QUEUED
        gateway.status = 400
        deliver_due(session, settings(push_url=url), now=NOW + timedelta(hours=1))
    row = state(session, n)
    assert row.status == NotificationStatus.FAILED
    assert "400" in row.failure_reason
    assert session.scalar(select(Notification.attempts).where(Notification.id == n.id)) == 2


def test_a_message_refused_after_data_is_not_taken_for_sent(session) -> None:
    learner = f.make_learner(session)
    spam, busy = queued(session, learner), queued(session, learner, body="x" * 5000)  # long lines travel too
    session.commit()
    with smtp_server() as (mail, port):
        mail.data_answer = "554 5.7.1 rejected as spam"
        deliver_due(session, settings(port), now=NOW)
    assert state(session, spam).status == NotificationStatus.FAILED
    assert "554 5.7.1 rejected as spam" in state(session, spam).failure_reason
    assert len(mail.messages) == 2
    assert mail.messages[1].get_content().strip() == "x" * 5000
    assert state(session, busy).status == NotificationStatus.FAILED
