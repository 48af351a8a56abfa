"""Schemas of notifications, notification preferences and templates."""

from typing import Annotated

from jinja2 import TemplateSyntaxError
from jinja2.sandbox import SandboxedEnvironment
from pydantic import AfterValidator, Field, model_validator

from webapp.models.core.enums import Channel, NotificationCategory, NotificationStatus
from webapp.models.core.schemas import (
    ExternalId,
    Hour,
    Locale,
    NonNegInt,
    ReadSchema,
    RowId,
    Schema,
    UpdateSchema,
    Url,
    UTCDatetime,
    WriteSchema,
    check_order,
    text,
)

_jinja = SandboxedEnvironment()
MAX_PER_PAGE = 100  # messages a page of an inbox, at most
MAX_PAGE = 1_000_000  # keeps the offset of any page within what a database can take
MAX_BIG_ID = 2**63 - 1  # PostgreSQL's BIGINT: a larger id is nobody's, not a database error


def _jinja_syntax(value: str | None) -> str | None:
    if value is not None:
        try:
            _jinja.parse(value)
        except TemplateSyntaxError as exc:
            raise ValueError(f"template syntax error on line {exc.lineno}: {exc.message}") from exc
    return value


TemplateKey = Annotated[str, Field(max_length=64, pattern=r"^[a-z0-9][a-z0-9_.-]*$")]
TemplateBody = Annotated[text(20000), AfterValidator(_jinja_syntax)]
TemplateSubject = Annotated[text(200), AfterValidator(_jinja_syntax)]


class NotificationFields(Schema):
    recipient_id: RowId
    template_id: RowId | None = None
    channel: Channel
    category: NotificationCategory
    subject: text(200) | None = None
    body: text(20000)
    status: NotificationStatus = NotificationStatus.QUEUED
    failure_reason: text(255) | None = None
    scheduled_at: UTCDatetime | None = None
    sent_at: UTCDatetime | None = None
    read_at: UTCDatetime | None = None
    idempotency_key: text(160) | None = None
    locale: Locale | None = None
    body_html: text(200_000) | None = None
    unsubscribe_url: Url | None = None
    expires_at: UTCDatetime | None = None
    attempts: NonNegInt = 0
    claimed_by: text(64) | None = None
    lease_until: UTCDatetime | None = None
    message_id: text(255) | None = None

    @model_validator(mode="after")
    def _status_matches_times(self):
        if self.status == NotificationStatus.READ and self.read_at is None:
            raise ValueError("a read notification needs read_at")
        if self.status == NotificationStatus.SENDING and self.lease_until is None:
            raise ValueError("a notification being sent needs a lease")
        check_order(self.sent_at, self.read_at, "read before it was sent")
        return self


class NotificationCreate(NotificationFields, WriteSchema):
    created_at: UTCDatetime | None = None


class NotificationRead(NotificationFields, ReadSchema):
    id: RowId
    created_at: UTCDatetime


class NotificationPreferenceFields(Schema):
    user_id: RowId
    channel: Channel
    category: NotificationCategory
    is_enabled: bool = True
    quiet_hours_start: Hour | None = None
    quiet_hours_end: Hour | None = None

    @model_validator(mode="after")
    def _quiet_hours_paired(self):
        if (self.quiet_hours_start is None) != (self.quiet_hours_end is None):
            raise ValueError("quiet hours need both a start and an end")
        return self


class NotificationPreferenceCreate(NotificationPreferenceFields, WriteSchema):
    pass


class NotificationPreferenceRead(NotificationPreferenceFields, ReadSchema):
    id: RowId
    updated_at: UTCDatetime


class NotificationTemplateFields(Schema):
    key: TemplateKey
    channel: Channel
    locale: Locale = "en"
    category: NotificationCategory = NotificationCategory.SYSTEM
    subject: TemplateSubject | None = None
    body: TemplateBody
    is_active: bool = True
    updated_by_id: RowId | None = None

    @model_validator(mode="after")
    def _email_has_subject(self):
        if self.channel == Channel.EMAIL and not self.subject:
            raise ValueError("an email template needs a subject")
        return self


class NotificationTemplateCreate(NotificationTemplateFields, WriteSchema):
    pass


class NotificationTemplateUpdate(UpdateSchema):
    clearable = frozenset({"subject", "updated_by_id"})

    category: NotificationCategory | None = None
    subject: TemplateSubject | None = None
    body: TemplateBody | None = None
    is_active: bool | None = None
    updated_by_id: RowId | None = None


class NotificationTemplateRead(NotificationTemplateFields, ReadSchema):
    id: RowId
    created_at: UTCDatetime
    updated_at: UTCDatetime


class InAppNotificationRead(Schema):
    """One message of a learner's in-app inbox, as the API returns it."""

    id: RowId
    category: NotificationCategory
    subject: str | None = None
    body: str
    sent_at: UTCDatetime | None = None
    read_at: UTCDatetime | None = None
    is_read: bool


class InboxPageRead(Schema):
    """A page of a learner's inbox, newest first."""

    items: list[InAppNotificationRead]
    page: NonNegInt
    per_page: NonNegInt
    pages: NonNegInt
    total: NonNegInt
    unread: NonNegInt


class ReadAllResult(Schema):
    """What marking every message of an inbox read changed."""

    marked: NonNegInt = Field(description="How many unread messages were marked read (0 when none were).")


# Parameters of the inbox endpoints (paths and queries of /api/v1) ---------------------------


class LearnerPath(Schema):
    """A learner named in the path."""

    learner: ExternalId = Field(description="The learner's id on the platform: the `id` the roster sent.")


class NotificationPath(LearnerPath):
    """One of a learner's notifications named in the path."""

    id: Annotated[RowId, Field(le=MAX_BIG_ID, description="The notification's `id`, as listed.")]


class InboxQuery(Schema):
    """Which page of an inbox, and whether only its unread messages."""

    page: int = Field(1, ge=1, le=MAX_PAGE, description="The page, from 1.")
    per_page: int = Field(20, ge=1, le=MAX_PER_PAGE, description="Messages a page.")
    unread: bool = Field(False, description="Only the messages not yet read.")
