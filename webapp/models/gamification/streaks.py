"""Daily streaks, the days that counted, and streak freezes."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.models.core.base import Base
from webapp.models.core.enums import FreezeOrigin, FreezeStatus, StreakSource, str_enum
from webapp.models.core.mixins import utcnow
from webapp.models.core.types import UTCDateTime


class UserStreak(Base):
    """A learner's current and longest streak (derived state)."""

    __tablename__ = "user_streaks"
    __table_args__ = (
        CheckConstraint("current_length >= 0", name="current_non_negative"),
        CheckConstraint("longest_length >= current_length", name="longest_at_least_current"),
        CheckConstraint("freezes_equipped BETWEEN 0 AND 2", name="freezes_range"),
    )

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    current_length: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    longest_length: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    started_on: Mapped[date | None] = mapped_column()
    last_active_on: Mapped[date | None] = mapped_column()
    freezes_equipped: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    user: Mapped["User"] = relationship(back_populates="streak")  # noqa: F821


class StreakActivity(Base):
    """A local day on which the learner did something that counts for the streak."""

    __tablename__ = "streak_activities"
    __table_args__ = (UniqueConstraint("user_id", "day"), Index("ix_streak_activities_day", "day"))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(nullable=False)
    source: Mapped[StreakSource] = mapped_column(str_enum(StreakSource, "source"), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped["User"] = relationship()  # noqa: F821


class StreakFreeze(Base):
    """A freeze a learner holds; one is used up on a missed day."""

    __tablename__ = "streak_freezes"
    __table_args__ = (
        CheckConstraint("(status = 'used') = (used_on IS NOT NULL)", name="used_iff_used_on"),
        Index("ix_streak_freezes_user_status", "user_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    origin: Mapped[FreezeOrigin] = mapped_column(str_enum(FreezeOrigin, "origin"), nullable=False)
    status: Mapped[FreezeStatus] = mapped_column(
        str_enum(FreezeStatus, "status"),
        default=FreezeStatus.EQUIPPED,
        server_default=FreezeStatus.EQUIPPED.value,
    )
    acquired_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    used_on: Mapped[date | None] = mapped_column()

    user: Mapped["User"] = relationship()  # noqa: F821
