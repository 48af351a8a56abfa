"""A learner's in-app notifications, as the learner apps read them through the API.

A message appears in the inbox once delivery made it `sent` (after the learner's
quiet hours); reading it makes it `read`. Marking read is idempotent: a message
read twice keeps its first read time.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from webapp.models import Notification
from webapp.models.core.enums import Channel, NotificationStatus
from webapp.models.core.mixins import utcnow

VISIBLE = (NotificationStatus.SENT, NotificationStatus.READ)
MAX_PER_PAGE = 100


class InboxError(LookupError):
    """No such in-app notification for this learner."""


@dataclass(frozen=True)
class InboxPage:
    """One page of a learner's inbox, newest first."""

    items: list[dict]
    page: int
    per_page: int
    total: int
    unread: int

    @property
    def pages(self) -> int:
        """How many pages there are."""
        return max(1, -(-self.total // self.per_page))


def _mine(learner_id: int):
    n = Notification
    return (n.recipient_id == learner_id, n.channel == Channel.IN_APP, n.status.in_(VISIBLE))


def _item(n: Notification) -> dict:
    return {
        "id": n.id, "category": n.category.value, "subject": n.subject, "body": n.body,
        "sent_at": n.sent_at, "read_at": n.read_at, "is_read": n.status == NotificationStatus.READ,
    }  # fmt: skip


def list_inbox(
    session: Session, learner_id: int, page: int = 1, per_page: int = 20, unread_only: bool = False
) -> InboxPage:
    """Return one page of the learner's delivered in-app notifications, newest first."""
    page, per_page = max(int(page), 1), min(max(int(per_page), 1), MAX_PER_PAGE)
    where = list(_mine(learner_id))
    unread_where = [*where, Notification.status == NotificationStatus.SENT]
    if unread_only:
        where = unread_where
    total = session.scalar(select(func.count()).select_from(Notification).where(*where)) or 0
    unread = session.scalar(select(func.count()).select_from(Notification).where(*unread_where)) or 0
    query = (
        select(Notification).where(*where)
        .order_by(Notification.sent_at.desc(), Notification.id.desc())
        .offset((page - 1) * per_page).limit(per_page)
    )  # fmt: skip
    return InboxPage([_item(n) for n in session.scalars(query)], page, per_page, total, unread)


def mark_read(session: Session, learner_id: int, notification_id: int, now: datetime | None = None) -> dict:
    """Mark one of the learner's in-app notifications read (again: no change); return it."""
    n = session.scalars(
        select(Notification).where(Notification.id == notification_id, *_mine(learner_id))
    ).first()
    if n is None:
        raise InboxError(f"learner {learner_id} has no in-app notification {notification_id}")
    if n.status == NotificationStatus.SENT:
        n.status, n.read_at = NotificationStatus.READ, now or utcnow()
        session.flush()
    return _item(n)


def mark_all_read(session: Session, learner_id: int, now: datetime | None = None) -> int:
    """Mark every unread in-app notification of the learner read; return how many changed."""
    stmt = (
        update(Notification)
        .where(*_mine(learner_id), Notification.status == NotificationStatus.SENT)
        .values(status=NotificationStatus.READ, read_at=now or utcnow())
        .execution_options(synchronize_session=False)
    )
    return session.execute(stmt).rowcount or 0
