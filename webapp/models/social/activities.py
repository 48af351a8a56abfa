"""What learners did, and the feed items it produced for others."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.models.core.base import Base
from webapp.models.core.mixins import utcnow
from webapp.models.core.types import UTCDateTime, big_id


class SocialActivity(Base):
    """An action worth sharing: actor, verb, object ("Asha earned Streak 7")."""

    __tablename__ = "social_activities"
    __table_args__ = (
        Index("ix_social_activities_actor_created", "actor_id", "created_at"),
        Index("ix_social_activities_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(big_id, primary_key=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    verb: Mapped[str] = mapped_column(String(32), nullable=False)
    object_type: Mapped[str] = mapped_column(String(32), nullable=False)
    object_id: Mapped[str | None] = mapped_column(String(64))
    summary: Mapped[str] = mapped_column(String(255), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)

    actor: Mapped["User"] = relationship()  # noqa: F821


class ActivityFeed(Base):
    """An activity delivered to one recipient's feed."""

    __tablename__ = "activity_feeds"
    __table_args__ = (
        UniqueConstraint("recipient_id", "activity_id"),
        Index("ix_activity_feeds_recipient_created", "recipient_id", "created_at"),
        Index("ix_activity_feeds_activity_id", "activity_id"),
    )

    id: Mapped[int] = mapped_column(big_id, primary_key=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    activity_id: Mapped[int] = mapped_column(ForeignKey("social_activities.id", ondelete="CASCADE"))
    is_read: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    recipient: Mapped["User"] = relationship()  # noqa: F821
    activity: Mapped[SocialActivity] = relationship()
