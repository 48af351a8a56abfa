"""The delivery queue in the notifications table: claim, decide, record.

Every step is one short statement or transaction, committed by services/delivery
before anything leaves the app (see its docstring for the guarantee).
"""

import uuid
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from webapp.models import Notification, User
from webapp.models.core.enums import NotificationStatus
from webapp.services.delivery.channels import Outcome, Outgoing, Result

N = Notification
UNKNOWN_NOTE = "; not sent again, so that it is never sent twice"


def new_token() -> str:
    """Return a claim token, unique to one delivery run."""
    return uuid.uuid4().hex


def sweep_lost(session: Session, now: datetime) -> int:
    """Fail the messages whose sender's lease ran out mid-send: they may have gone, so never again."""
    stmt = (
        update(N)
        .where(N.status == NotificationStatus.SENDING, N.lease_until < now)
        .values(status=NotificationStatus.FAILED, attempts=N.attempts + 1, lease_until=None,
                failure_reason=("outcome unknown: the sender stopped during the send (lease expired)"
                                + UNKNOWN_NOTE)[:255])
    )  # fmt: skip
    return session.execute(stmt).rowcount or 0


def claim(session: Session, token: str, now: datetime, lease: timedelta, limit: int) -> list[int]:
    """Mark up to limit due messages as being sent under token; return their ids (the caller commits).

    On PostgreSQL concurrent claimers skip each other's rows (SKIP LOCKED); on SQLite the
    write lock serialises them. The status test in the UPDATE itself makes a row that
    another claimer took in the meantime stay theirs.
    """
    due = (
        select(N.id)
        .where(N.status == NotificationStatus.QUEUED, or_(N.scheduled_at.is_(None), N.scheduled_at <= now))
        .order_by(N.scheduled_at, N.id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    stmt = (
        update(N)
        .where(N.id.in_(due.scalar_subquery()), N.status == NotificationStatus.QUEUED)
        .values(status=NotificationStatus.SENDING, claimed_by=token, lease_until=now + lease)
        .execution_options(synchronize_session=False)
    )
    session.execute(stmt)
    return list(
        session.scalars(select(N.id).where(N.claimed_by == token, N.status == NotificationStatus.SENDING))
    )


def claimed_rows(session: Session, ids: list[int]) -> list[tuple[Notification, User]]:
    """Return the claimed notifications with their recipients, oldest first."""
    query = select(N, User).join(User, User.id == N.recipient_id).where(N.id.in_(ids)).order_by(N.id)
    return [(n, u) for n, u in session.execute(query).tuples()]


def outgoing(n: Notification, user: User) -> Outgoing:
    """Return the plain values a channel needs, read while the row is at hand."""
    return Outgoing(
        id=n.id, channel=n.channel.value, category=n.category.value, recipient_id=user.id, address=user.email,
        subject=n.subject, body=n.body, body_html=n.body_html, unsubscribe_url=n.unsubscribe_url,
    )  # fmt: skip


def release(n: Notification, status: NotificationStatus, reason: str | None = None, at=None) -> None:
    """Hand a claimed row back (deferred: queued at `at`) or settle it without a send."""
    n.status, n.claimed_by, n.lease_until = status, None, None
    if status == NotificationStatus.QUEUED:
        n.scheduled_at = at
    else:
        n.failure_reason = reason[:255] if reason else None
        if status == NotificationStatus.SENT:
            n.sent_at, n.failure_reason = at, None


def backoff(attempt: int, base_seconds: int) -> timedelta:
    """Return the wait after a failed attempt: base, 2 x base, 4 x base... at most 6 hours."""
    return timedelta(seconds=min(base_seconds * 2 ** max(attempt - 1, 0), 6 * 3600))


def record(session: Session, item_id: int, token: str, outcome: Outcome, now: datetime, policy) -> int:
    """Record a send's outcome on the row this run claimed; return rows changed (the caller commits).

    The token (not the status) identifies the claim, so a send that outlived its lease and
    was swept as unknown is still recorded as sent when it did go.
    """
    row = session.scalars(select(N).where(N.id == item_id, N.claimed_by == token).with_for_update()).first()
    if row is None:
        return 0
    attempt = row.attempts + 1 if row.status == NotificationStatus.SENDING else row.attempts  # swept: counted
    row.attempts, row.claimed_by, row.lease_until = attempt, None, None
    if outcome.result == Result.SENT:
        row.status, row.sent_at, row.message_id, row.failure_reason = NotificationStatus.SENT, now, (
            outcome.message_id), None  # fmt: skip
    elif outcome.result == Result.RETRY and attempt < policy.max_attempts:
        row.status = NotificationStatus.QUEUED
        row.scheduled_at = now + backoff(attempt, policy.retry_base_seconds)
        row.failure_reason = f"attempt {attempt} failed: {outcome.reason}"[:255]
    elif outcome.result == Result.UNKNOWN:
        row.status, row.failure_reason = NotificationStatus.FAILED, f"outcome unknown: {outcome.reason}"[
            : 255 - len(UNKNOWN_NOTE)] + UNKNOWN_NOTE  # fmt: skip
    else:
        row.status = NotificationStatus.FAILED
        row.failure_reason = f"after {attempt} attempt(s): {outcome.reason}"[:255]
    return 1
