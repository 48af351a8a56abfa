"""Generic clickstream events and the derived engagement profile."""

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.models.core.base import Base
from webapp.models.core.mixins import IngestKeyMixin, LocalTimeMixin, utcnow
from webapp.models.core.partitioning import (
    default_partition_ddl,
    partitioned_args,
    partitioned_ingest_key_indexes,
)
from webapp.models.core.types import JSONType, UTCDateTime, big_id


class BehaviorEvent(IngestKeyMixin, LocalTimeMixin, Base):
    """One named clickstream event with free-form properties (append-only)."""

    __tablename__ = "behavior_events"
    __table_args__ = (
        Index("ix_behavior_events_user_occurred", "user_id", "occurred_at"),
        Index("ix_behavior_events_occurred_at", "occurred_at"),
        Index("ix_behavior_events_name", "name"),
        *partitioned_ingest_key_indexes("behavior_events"),
        partitioned_args("behavior_events"),
    )
    local_time_source = "occurred_at"

    id: Mapped[int] = mapped_column(big_id, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    session_id: Mapped[int | None] = mapped_column(ForeignKey("learning_sessions.id", ondelete="SET NULL"))
    name: Mapped[str] = mapped_column(String(64), nullable=False)
    properties: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)

    user: Mapped["User"] = relationship(back_populates="behavior_events")  # noqa: F821


default_partition_ddl(BehaviorEvent.__table__)


class UserEngagementProfile(Base):
    """Derived engagement summary of one learner, recomputed by the engine."""

    __tablename__ = "user_engagement_profiles"
    __table_args__ = (
        CheckConstraint("avg_session_minutes >= 0", name="avg_minutes_non_negative"),
        CheckConstraint("preferred_hour IS NULL OR preferred_hour BETWEEN 0 AND 23", name="hour_range"),
        CheckConstraint("active_days_30 BETWEEN 0 AND 30", name="active_days_range"),
        CheckConstraint("sessions_30 >= 0", name="sessions_non_negative"),
        CheckConstraint("churn_risk BETWEEN 0 AND 1", name="churn_risk_range"),
    )

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    avg_session_minutes: Mapped[float] = mapped_column(Float, default=0, server_default="0")
    preferred_hour: Mapped[int | None] = mapped_column(Integer)
    active_days_30: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    sessions_30: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    churn_risk: Mapped[float] = mapped_column(Float, default=0, server_default="0")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    user: Mapped["User"] = relationship(back_populates="engagement_profile")  # noqa: F821
