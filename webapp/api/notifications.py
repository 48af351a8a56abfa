"""/api/v1/learners/{learner}/notifications: a learner's in-app inbox, as the learner apps read it."""

from webapp.api.errors import ApiError
from webapp.api.responses import json_response
from webapp.api.spec import operation
from webapp.extensions import db
from webapp.models.core.enums import ApiScope
from webapp.models.notifications.schemas import (
    InAppNotificationRead,
    InboxPageRead,
    InboxQuery,
    LearnerPath,
    NotificationPath,
    ReadAllResult,
)
from webapp.services import inbox
from webapp.services.ingest import refs

NO_LEARNER = "No learner has this id."
NOT_THEIRS = "No learner has this id, or the notification is not one of their delivered in-app messages."


def _learner_id(external_id: str) -> int:
    """Return the row id of the learner with this platform id; 404 when there is none."""
    found = refs.learners(db.session, [external_id]).get(external_id)
    if found is None:
        raise ApiError(404, f"No learner has the id {external_id!r}.")
    return found.id


@operation("GET", "/learners/{learner}/notifications", tag="notifications", response=InboxPageRead,
           path_params=LearnerPath, query=InboxQuery, scope=ApiScope.NOTIFICATIONS_READ,
           not_found=NO_LEARNER)  # fmt: skip
def list_notifications(path: LearnerPath, query: InboxQuery):
    """List a learner's in-app notifications, newest first, a page at a time.

    Only messages already delivered are listed (a message waits out the learner's quiet
    hours). `total` counts what the filter lists (`unread=true`: the unread ones only);
    `unread` always counts every unread message, for the app's badge.
    """
    learner_id = _learner_id(path.learner)
    page = inbox.list_inbox(db.session, learner_id, query.page, query.per_page, query.unread)
    return json_response(InboxPageRead.model_validate({**vars(page), "pages": page.pages}))


@operation("POST", "/learners/{learner}/notifications/{id}/read", tag="notifications",
           response=InAppNotificationRead, path_params=NotificationPath,
           scope=ApiScope.NOTIFICATIONS_WRITE, not_found=NOT_THEIRS)  # fmt: skip
def read_notification(path: NotificationPath):
    """Mark one of a learner's notifications read, and return it.

    Marking it again changes nothing: it keeps the time it was first read.
    """
    learner_id = _learner_id(path.learner)
    try:
        item = inbox.mark_read(db.session, learner_id, path.id)
    except inbox.InboxError:
        raise ApiError(404, f"Learner {path.learner!r} has no in-app notification {path.id}.") from None
    db.session.commit()
    return json_response(InAppNotificationRead.model_validate(item))


@operation("POST", "/learners/{learner}/notifications/read-all", tag="notifications",
           response=ReadAllResult, path_params=LearnerPath, scope=ApiScope.NOTIFICATIONS_WRITE,
           not_found=NO_LEARNER)  # fmt: skip
def read_all_notifications(path: LearnerPath):
    """Mark every unread notification of a learner read; say how many changed."""
    marked = inbox.mark_all_read(db.session, _learner_id(path.learner))
    db.session.commit()
    return json_response(ReadAllResult(marked=marked))
