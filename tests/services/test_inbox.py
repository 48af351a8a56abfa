"""The in-app inbox the learner apps read through the API: delivered only, paged, read once."""

from datetime import UTC, datetime, timedelta

import pytest

from tests import factories as f
from webapp.models.core.enums import Channel, NotificationStatus
from webapp.models.notifications.schemas import InboxPageRead
from webapp.services.inbox import InboxError, list_inbox, mark_all_read, mark_read

T0 = datetime(2024, 6, 3, 9, 0, tzinfo=UTC)


def inbox(session, learner, n=5):
    made = [
        f.make_notification(
            session,
            recipient=learner,
            channel=Channel.IN_APP,
            status=NotificationStatus.SENT,
            subject=f"Message {i}",
            sent_at=T0 + timedelta(minutes=i),
        )
        for i in range(n)
    ]
    f.make_notification(session, recipient=learner, channel=Channel.IN_APP)  # queued: not delivered yet
    f.make_notification(
        session, recipient=learner, channel=Channel.PUSH, status=NotificationStatus.SENT, sent_at=T0
    )
    return made


def test_pages_hold_the_delivered_in_app_messages_newest_first(session) -> None:
    learner = f.make_learner(session)
    made = inbox(session, learner)
    first = list_inbox(session, learner.id, page=1, per_page=2)
    assert [i["subject"] for i in first.items] == ["Message 4", "Message 3"]
    assert (first.total, first.unread, first.pages) == (5, 5, 3)
    last = list_inbox(session, learner.id, page=3, per_page=2)
    assert [i["id"] for i in last.items] == [made[0].id]
    page = InboxPageRead(**{**vars(first), "pages": first.pages})
    assert page.items[0].is_read is False


def test_marking_read_is_idempotent_and_private(session) -> None:
    learner, other = f.make_learner(session), f.make_learner(session)
    made = inbox(session, learner)
    once = mark_read(session, learner.id, made[0].id, now=T0 + timedelta(hours=1))
    twice = mark_read(session, learner.id, made[0].id, now=T0 + timedelta(hours=2))
    assert once["is_read"]
    assert twice["read_at"] == once["read_at"] == T0 + timedelta(hours=1)
    with pytest.raises(InboxError):
        mark_read(session, other.id, made[1].id)
    assert mark_all_read(session, learner.id) == 4
    assert mark_all_read(session, learner.id) == 0
    assert list_inbox(session, learner.id, unread_only=True).total == 0
    assert list_inbox(session, learner.id).unread == 0
