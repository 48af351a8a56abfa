"""Rollups that break a day down further: by content type, by points reason, by cohort.

Written by `analytics refresh` beside the daily metrics, keyed like them on
(day, scope, ...) so that a refresh can rewrite a day in one transaction.
"""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Float, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from webapp.models.core.base import Base
from webapp.models.core.mixins import utcnow
from webapp.models.core.types import UTCDateTime, big_id


class ContentTypeMetric(Base):
    """Sessions, minutes and focus of one day and scope for one content type."""

    __tablename__ = "content_type_metrics"
    __table_args__ = (
        UniqueConstraint("day", "scope", "content_type"),
        Index("ix_content_type_metrics_scope_day", "scope", "day"),
    )

    id: Mapped[int] = mapped_column(big_id, primary_key=True)
    day: Mapped[date] = mapped_column(nullable=False)
    scope: Mapped[str] = mapped_column(String(32), nullable=False)
    content_type: Mapped[str] = mapped_column(String(24), nullable=False)
    sessions: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    learning_minutes: Mapped[float] = mapped_column(Float, default=0, server_default="0")
    focus_score_sum: Mapped[float] = mapped_column(Float, default=0, server_default="0")
    focus_sessions: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class PointsReasonMetric(Base):
    """Net points of the ledger on one day and scope for one reason."""

    __tablename__ = "points_reason_metrics"
    __table_args__ = (
        UniqueConstraint("day", "scope", "reason"),
        Index("ix_points_reason_metrics_scope_day", "scope", "day"),
    )

    id: Mapped[int] = mapped_column(big_id, primary_key=True)
    day: Mapped[date] = mapped_column(nullable=False)
    scope: Mapped[str] = mapped_column(String(32), nullable=False)
    reason: Mapped[str] = mapped_column(String(24), nullable=False)
    points: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    transactions: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class RetentionCohort(Base):
    """Of the learners first active in a week, how many were active `week_offset` weeks later."""

    __tablename__ = "retention_cohorts"
    __table_args__ = (
        UniqueConstraint("scope", "cohort_week", "week_offset"),
        CheckConstraint("week_offset >= 0", name="offset_non_negative"),
        CheckConstraint("retained_learners <= cohort_size", name="retained_within_cohort"),
    )

    id: Mapped[int] = mapped_column(big_id, primary_key=True)
    scope: Mapped[str] = mapped_column(String(32), nullable=False)
    # The Monday of the week in which the cohort's learners were first active.
    cohort_week: Mapped[date] = mapped_column(nullable=False)
    # The last local day the figures cover: the week holding it is not over yet when it is
    # not a Sunday. NULL only on rows written before this column existed.
    as_of: Mapped[date | None] = mapped_column()
    week_offset: Mapped[int] = mapped_column(Integer, nullable=False)
    cohort_size: Mapped[int] = mapped_column(Integer, nullable=False)
    retained_learners: Mapped[int] = mapped_column(Integer, nullable=False)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
