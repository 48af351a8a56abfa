"""Leaderboards and their per-period ranked snapshots."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.models.core.base import Base
from webapp.models.core.enums import (
    LeaderboardMetric,
    LeaderboardPeriod,
    LeaderboardScope,
    str_enum,
)
from webapp.models.core.mixins import ActiveFlagMixin, TimestampMixin, utcnow
from webapp.models.core.types import UTCDateTime


class Leaderboard(TimestampMixin, ActiveFlagMixin, Base):
    """A ranking over a period, for everyone or for one study group."""

    __tablename__ = "leaderboards"
    __table_args__ = (
        CheckConstraint(
            "(scope = 'global' AND study_group_id IS NULL)"
            " OR (scope = 'study_group' AND study_group_id IS NOT NULL)",
            name="scope_matches_group",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True, nullable=False)
    period: Mapped[LeaderboardPeriod] = mapped_column(str_enum(LeaderboardPeriod, "period"), nullable=False)
    scope: Mapped[LeaderboardScope] = mapped_column(str_enum(LeaderboardScope, "scope"), nullable=False)
    study_group_id: Mapped[int | None] = mapped_column(
        ForeignKey("study_groups.id", ondelete="CASCADE"), index=True
    )
    metric: Mapped[LeaderboardMetric] = mapped_column(
        str_enum(LeaderboardMetric, "metric"),
        default=LeaderboardMetric.POINTS,
        server_default=LeaderboardMetric.POINTS.value,
    )

    study_group: Mapped["StudyGroup | None"] = relationship()  # noqa: F821

    def __str__(self) -> str:
        return self.name


class LeaderboardEntry(Base):
    """A learner's score and rank on a leaderboard for one period."""

    __tablename__ = "leaderboard_entries"
    __table_args__ = (
        UniqueConstraint("leaderboard_id", "period_start", "user_id"),
        CheckConstraint("rank >= 1", name="rank_positive"),
        CheckConstraint("previous_rank IS NULL OR previous_rank >= 1", name="previous_rank_positive"),
        Index("ix_leaderboard_entries_board_period_rank", "leaderboard_id", "period_start", "rank"),
        Index("ix_leaderboard_entries_user_id", "user_id"),
        # The admin list's default sort (newest period first) over every board.
        Index("ix_leaderboard_entries_period_start", "period_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    leaderboard_id: Mapped[int] = mapped_column(ForeignKey("leaderboards.id", ondelete="CASCADE"))
    period_start: Mapped[date] = mapped_column(nullable=False)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    score: Mapped[int] = mapped_column(Integer, nullable=False)
    rank: Mapped[int] = mapped_column(Integer, nullable=False)
    previous_rank: Mapped[int | None] = mapped_column(Integer)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    leaderboard: Mapped[Leaderboard] = relationship()
    user: Mapped["User"] = relationship()  # noqa: F821
