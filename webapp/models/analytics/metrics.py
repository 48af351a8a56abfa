"""Daily rollups, computed by `analytics refresh` from raw activity.

A scope is the whole platform (`PLATFORM_SCOPE`) or one study group
(`group:<id>`); rows are keyed on (day, scope) so that a refresh is an upsert.
Days are local days of each learner, as the learner's timezone says.
"""

from datetime import date, datetime
from typing import Any

from sqlalchemy import CheckConstraint, Float, ForeignKey, Index, Integer, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from webapp.models.core.base import Base
from webapp.models.core.mixins import utcnow
from webapp.models.core.types import JSONType, UTCDateTime, big_id

PLATFORM_SCOPE = "all"


def group_scope(group_id: int) -> str:
    """Return the scope key of a study group."""
    return f"group:{group_id}"


class DailyMetric(Base):
    """What the dashboards chart, for one day and one scope."""

    __tablename__ = "daily_metrics"
    __table_args__ = (
        UniqueConstraint("day", "scope"),
        CheckConstraint(
            "active_learners >= 0 AND weekly_active_learners >= active_learners"
            " AND monthly_active_learners >= weekly_active_learners",
            name="actives_nested",
        ),
        CheckConstraint("sessions >= 0 AND learning_minutes >= 0", name="volumes_non_negative"),
        CheckConstraint("avg_focus_score IS NULL OR avg_focus_score BETWEEN 0 AND 100", name="focus_range"),
        Index("ix_daily_metrics_scope_day", "scope", "day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(nullable=False)
    scope: Mapped[str] = mapped_column(String(32), nullable=False)
    study_group_id: Mapped[int | None] = mapped_column(
        ForeignKey("study_groups.id", ondelete="CASCADE"), index=True
    )
    active_learners: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    weekly_active_learners: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    monthly_active_learners: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    new_learners: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    sessions: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    learning_minutes: Mapped[float] = mapped_column(Float, default=0, server_default="0")
    avg_session_minutes: Mapped[float | None] = mapped_column(Float)
    median_session_minutes: Mapped[float | None] = mapped_column(Float)
    avg_focus_score: Mapped[float | None] = mapped_column(Float)
    focus_buckets: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    span_buckets: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    avg_span_seconds: Mapped[float | None] = mapped_column(Float)
    interruptions: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    quiz_attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    avg_quiz_score: Mapped[float | None] = mapped_column(Float)
    points_earned: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    badges_awarded: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    streak_holders: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class HourlyMetric(Base):
    """Sessions and minutes per local hour of a day, for the hour x weekday heatmap."""

    __tablename__ = "hourly_metrics"
    __table_args__ = (
        UniqueConstraint("day", "scope", "hour"),
        CheckConstraint("hour BETWEEN 0 AND 23", name="hour_range"),
        Index("ix_hourly_metrics_scope_day", "scope", "day"),
    )

    id: Mapped[int] = mapped_column(big_id, primary_key=True)
    day: Mapped[date] = mapped_column(nullable=False)
    scope: Mapped[str] = mapped_column(String(32), nullable=False)
    hour: Mapped[int] = mapped_column(Integer, nullable=False)
    sessions: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    learning_minutes: Mapped[float] = mapped_column(Float, default=0, server_default="0")
    focus_score_sum: Mapped[float] = mapped_column(Float, default=0, server_default="0")
    focus_sessions: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class LearnerDay(Base):
    """One learner's activity on one local day: the base of distinct counts and risk rules."""

    __tablename__ = "learner_days"
    __table_args__ = (
        UniqueConstraint("user_id", "day"),
        CheckConstraint("sessions >= 0 AND learning_minutes >= 0", name="volumes_non_negative"),
        Index("ix_learner_days_day", "day"),
    )

    id: Mapped[int] = mapped_column(big_id, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(nullable=False)
    sessions: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    learning_minutes: Mapped[float] = mapped_column(Float, default=0, server_default="0")
    focus_score_sum: Mapped[float] = mapped_column(Float, default=0, server_default="0")
    focus_sessions: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    quiz_attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    quiz_percent_sum: Mapped[float] = mapped_column(Float, default=0, server_default="0")
    points_earned: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Added by the analytics refresh (issue 5): what the rules and distinct counts need.
    is_active: Mapped[bool] = mapped_column(default=False, server_default=false())
    quiz_correct: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    quiz_questions: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    span_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    span_seconds_sum: Mapped[float] = mapped_column(Float, default=0, server_default="0")
    interruptions: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    badges_awarded: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # A streak day (StreakActivity) or a used freeze kept the learner's streak alive.
    kept_streak: Mapped[bool] = mapped_column(default=False, server_default=false())
