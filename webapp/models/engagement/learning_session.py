"""Learning sessions and the events recorded inside them."""

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.models.core.base import Base
from webapp.models.core.enums import ContentType, Device, SessionEventType, str_enum
from webapp.models.core.mixins import IngestKeyMixin, LocalTimeMixin, ingest_key_index
from webapp.models.core.partitioning import (
    default_partition_ddl,
    partitioned_args,
    partitioned_ingest_key_indexes,
)
from webapp.models.core.types import JSONType, UTCDateTime, big_id


class LearningSession(IngestKeyMixin, LocalTimeMixin, Base):
    """One sitting of a learner with some content, from start to end."""

    __tablename__ = "learning_sessions"
    __table_args__ = (
        CheckConstraint("duration_seconds IS NULL OR duration_seconds >= 0", name="duration_non_negative"),
        CheckConstraint("ended_at IS NULL OR ended_at >= started_at", name="ends_after_start"),
        Index("ix_learning_sessions_user_started", "user_id", "started_at"),
        Index("ix_learning_sessions_started_at", "started_at"),
        ingest_key_index("learning_sessions"),
    )
    local_time_source = "started_at"

    id: Mapped[int] = mapped_column(big_id, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    duration_seconds: Mapped[int | None] = mapped_column(Integer)
    device: Mapped[Device] = mapped_column(
        str_enum(Device, "device"), default=Device.WEB, server_default=Device.WEB.value
    )
    content_type: Mapped[ContentType] = mapped_column(str_enum(ContentType, "content_type"), nullable=False)
    skill_id: Mapped[int | None] = mapped_column(ForeignKey("skills.id", ondelete="SET NULL"), index=True)
    path_module_id: Mapped[int | None] = mapped_column(
        ForeignKey("path_modules.id", ondelete="SET NULL"), index=True
    )
    is_completed: Mapped[bool] = mapped_column(default=False, server_default=false())

    user: Mapped["User"] = relationship(back_populates="sessions")  # noqa: F821
    skill: Mapped["Skill | None"] = relationship()  # noqa: F821
    path_module: Mapped["PathModule | None"] = relationship()  # noqa: F821
    events: Mapped[list["SessionEvent"]] = relationship(
        back_populates="session", passive_deletes=True, order_by="SessionEvent.occurred_at"
    )
    focus: Mapped["FocusMetrics | None"] = relationship(  # noqa: F821
        back_populates="session", uselist=False, passive_deletes=True
    )

    def __str__(self) -> str:
        return f"session {self.id} ({self.content_type}, {self.started_at:%Y-%m-%d %H:%M})"


class SessionEvent(IngestKeyMixin, LocalTimeMixin, Base):
    """Something that happened inside a session (append-only clickstream)."""

    __tablename__ = "session_events"
    __table_args__ = (
        Index("ix_session_events_session_id", "session_id"),
        Index("ix_session_events_occurred_at", "occurred_at"),
        Index("ix_session_events_user_occurred", "user_id", "occurred_at"),
        # The admin list sorted by event type: an index walk, not a sort of every row.
        Index("ix_session_events_event_type_occurred", "event_type", "occurred_at"),
        *partitioned_ingest_key_indexes("session_events"),
        partitioned_args("session_events"),
    )
    local_time_source = "occurred_at"

    id: Mapped[int] = mapped_column(big_id, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("learning_sessions.id", ondelete="CASCADE"))
    # Denormalised from the session so that a learner's events filter without a join.
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    event_type: Mapped[SessionEventType] = mapped_column(
        str_enum(SessionEventType, "event_type"), nullable=False
    )
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    payload: Mapped[dict[str, Any] | None] = mapped_column(JSONType)

    session: Mapped[LearningSession] = relationship(back_populates="events")
    user: Mapped["User"] = relationship()  # noqa: F821


default_partition_ddl(SessionEvent.__table__)
