"""Notifications and per-learner notification preferences."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.models.core.base import Base
from webapp.models.core.enums import Channel, NotificationCategory, NotificationStatus, str_enum
from webapp.models.core.mixins import utcnow
from webapp.models.core.types import UTCDateTime, big_id


class Notification(Base):
    """One message to a learner (or a teacher's digest), on one channel.

    Delivery state (services/delivery): `scheduled_at` is the earliest time it may
    go out (quiet hours, retry back-off); `sending` rows carry the worker's claim
    (`claimed_by`) and its lease; `idempotency_key` makes a trigger that fires twice
    create one row per channel.
    """

    __tablename__ = "notifications"
    __table_args__ = (
        CheckConstraint("status != 'read' OR read_at IS NOT NULL", name="read_has_read_at"),
        CheckConstraint("status != 'sending' OR lease_until IS NOT NULL", name="sending_has_lease"),
        CheckConstraint("attempts >= 0", name="attempts_non_negative"),
        UniqueConstraint("idempotency_key", "channel", name="uq_notifications_idempotency_key_channel"),
        Index("ix_notifications_recipient_created", "recipient_id", "created_at"),
        Index("ix_notifications_status_scheduled", "status", "scheduled_at"),
        Index("ix_notifications_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(big_id, primary_key=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    template_id: Mapped[int | None] = mapped_column(
        ForeignKey("notification_templates.id", ondelete="SET NULL"), index=True
    )
    channel: Mapped[Channel] = mapped_column(str_enum(Channel, "channel"), nullable=False)
    category: Mapped[NotificationCategory] = mapped_column(
        str_enum(NotificationCategory, "category"), nullable=False
    )
    subject: Mapped[str | None] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, nullable=False)
    status: Mapped[NotificationStatus] = mapped_column(
        str_enum(NotificationStatus, "status"),
        default=NotificationStatus.QUEUED,
        server_default=NotificationStatus.QUEUED.value,
    )
    failure_reason: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    scheduled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # What triggered it, e.g. "streak_risk:42:2026-12-01": one row per key and channel.
    idempotency_key: Mapped[str | None] = mapped_column(String(160))
    locale: Mapped[str | None] = mapped_column(String(16))
    body_html: Mapped[str | None] = mapped_column(Text)
    unsubscribe_url: Mapped[str | None] = mapped_column(String(500))
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0", nullable=False)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The SMTP Message-ID or the push gateway's id of what was handed over.
    message_id: Mapped[str | None] = mapped_column(String(255))

    recipient: Mapped["User"] = relationship(back_populates="notifications")  # noqa: F821
    template: Mapped["NotificationTemplate | None"] = relationship()  # noqa: F821


class NotificationPreference(Base):
    """Whether a learner wants a category of messages on a channel, and when not."""

    __tablename__ = "notification_preferences"
    __table_args__ = (
        UniqueConstraint("user_id", "channel", "category"),
        CheckConstraint(
            "quiet_hours_start IS NULL OR quiet_hours_start BETWEEN 0 AND 23", name="quiet_start_range"
        ),
        CheckConstraint(
            "quiet_hours_end IS NULL OR quiet_hours_end BETWEEN 0 AND 23", name="quiet_end_range"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    channel: Mapped[Channel] = mapped_column(str_enum(Channel, "channel"), nullable=False)
    category: Mapped[NotificationCategory] = mapped_column(
        str_enum(NotificationCategory, "category"), nullable=False
    )
    is_enabled: Mapped[bool] = mapped_column(default=True, server_default=true())
    quiet_hours_start: Mapped[int | None] = mapped_column(Integer)
    quiet_hours_end: Mapped[int | None] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    user: Mapped["User"] = relationship()  # noqa: F821
