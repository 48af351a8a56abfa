"""Badges, who holds them, and the streak milestones that award them."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.models.core.base import Base
from webapp.models.core.enums import BadgeMetric, BadgeTier, str_enum
from webapp.models.core.mixins import ActiveFlagMixin, LocalTimeMixin, TimestampMixin, utcnow
from webapp.models.core.types import UTCDateTime


class Badge(TimestampMixin, ActiveFlagMixin, Base):
    """An achievement with a rule: a metric that must reach a threshold."""

    __tablename__ = "badges"
    __table_args__ = (
        CheckConstraint("criteria_threshold > 0", name="threshold_positive"),
        CheckConstraint("points_reward >= 0", name="points_reward_non_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    description: Mapped[str | None] = mapped_column(Text)
    icon: Mapped[str | None] = mapped_column(String(64))
    tier: Mapped[BadgeTier] = mapped_column(
        str_enum(BadgeTier, "tier"), default=BadgeTier.BRONZE, server_default=BadgeTier.BRONZE.value
    )
    criteria_metric: Mapped[BadgeMetric] = mapped_column(
        str_enum(BadgeMetric, "criteria_metric"), nullable=False
    )
    criteria_threshold: Mapped[int] = mapped_column(Integer, nullable=False)
    points_reward: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    holders: Mapped[list["UserBadge"]] = relationship(back_populates="badge", passive_deletes=True)

    def __str__(self) -> str:
        return self.name


class UserBadge(LocalTimeMixin, Base):
    """A badge held by a learner; awarded once."""

    __tablename__ = "user_badges"
    __table_args__ = (
        UniqueConstraint("user_id", "badge_id"),
        Index("ix_user_badges_awarded_at", "awarded_at"),
        Index("ix_user_badges_badge_id", "badge_id"),
    )
    local_time_source = "awarded_at"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    badge_id: Mapped[int] = mapped_column(ForeignKey("badges.id", ondelete="RESTRICT"))
    awarded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    # What awarded it: "rule", "milestone:<days>", "manual"; and which staff member, if any.
    awarded_via: Mapped[str] = mapped_column(String(64), default="rule", server_default="rule")
    awarded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    user: Mapped["User"] = relationship(foreign_keys=[user_id], back_populates="badges")  # noqa: F821
    badge: Mapped[Badge] = relationship(back_populates="holders")
    awarded_by: Mapped["User | None"] = relationship(foreign_keys=[awarded_by_id])  # noqa: F821


class StreakMilestone(ActiveFlagMixin, Base):
    """Reaching a streak of N days awards a badge and points, once."""

    __tablename__ = "streak_milestones"
    __table_args__ = (
        CheckConstraint("days > 0", name="days_positive"),
        CheckConstraint("points >= 0", name="points_non_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    days: Mapped[int] = mapped_column(Integer, unique=True, nullable=False)
    badge_id: Mapped[int | None] = mapped_column(ForeignKey("badges.id", ondelete="SET NULL"))
    points: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    badge: Mapped[Badge | None] = relationship()

    def __str__(self) -> str:
        return f"{self.days}-day streak"
