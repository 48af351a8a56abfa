"""Focused stretches inside sessions and per-session focus metrics."""

from datetime import datetime

from sqlalchemy import CheckConstraint, Float, ForeignKey, Index, Integer
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.models.core.base import Base
from webapp.models.core.mixins import IngestKeyMixin, LocalTimeMixin, ingest_key_index, utcnow
from webapp.models.core.types import UTCDateTime, big_id


class AttentionSpan(IngestKeyMixin, LocalTimeMixin, Base):
    """A stretch of focused work inside a session, ended by an interruption."""

    __tablename__ = "attention_spans"
    __table_args__ = (
        CheckConstraint("ended_at >= started_at", name="ends_after_start"),
        CheckConstraint("focus_seconds >= 0", name="focus_non_negative"),
        CheckConstraint("interruptions >= 0", name="interruptions_non_negative"),
        Index("ix_attention_spans_session_id", "session_id"),
        Index("ix_attention_spans_user_started", "user_id", "started_at"),
        Index("ix_attention_spans_local_day", "local_day"),
        ingest_key_index("attention_spans"),
    )
    local_time_source = "started_at"

    id: Mapped[int] = mapped_column(big_id, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("learning_sessions.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    ended_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    focus_seconds: Mapped[int] = mapped_column(Integer, nullable=False)
    interruptions: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    session: Mapped["LearningSession"] = relationship()  # noqa: F821
    user: Mapped["User"] = relationship()  # noqa: F821


class FocusMetrics(IngestKeyMixin, Base):
    """Focus summary of one session, derived from its attention spans."""

    __tablename__ = "focus_metrics"
    __table_args__ = (
        CheckConstraint("focus_score BETWEEN 0 AND 100", name="focus_score_range"),
        CheckConstraint("avg_span_seconds >= 0", name="avg_span_non_negative"),
        CheckConstraint("longest_span_seconds >= 0", name="longest_span_non_negative"),
        CheckConstraint("distraction_count >= 0", name="distractions_non_negative"),
        Index("ix_focus_metrics_user_id", "user_id"),
        ingest_key_index("focus_metrics"),
    )

    id: Mapped[int] = mapped_column(big_id, primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("learning_sessions.id", ondelete="CASCADE"), unique=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    focus_score: Mapped[float] = mapped_column(Float, nullable=False)
    avg_span_seconds: Mapped[float] = mapped_column(Float, nullable=False)
    longest_span_seconds: Mapped[int] = mapped_column(Integer, nullable=False)
    distraction_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    session: Mapped["LearningSession"] = relationship(back_populates="focus")  # noqa: F821
    user: Mapped["User"] = relationship()  # noqa: F821
