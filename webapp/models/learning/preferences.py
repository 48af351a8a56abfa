"""How and what a learner prefers to study."""

from datetime import datetime

from sqlalchemy import CheckConstraint, Float, ForeignKey, Integer, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.models.core.base import Base
from webapp.models.core.enums import ContentType, Difficulty, StudyTime, str_enum
from webapp.models.core.mixins import utcnow
from webapp.models.core.types import UTCDateTime


class LearningPreference(Base):
    """A learner's study habits and goal, one per learner."""

    __tablename__ = "learning_preferences"
    __table_args__ = (CheckConstraint("daily_goal_minutes BETWEEN 1 AND 600", name="daily_goal_range"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    preferred_study_time: Mapped[StudyTime | None] = mapped_column(
        str_enum(StudyTime, "preferred_study_time")
    )
    daily_goal_minutes: Mapped[int] = mapped_column(Integer, default=20, server_default="20")
    difficulty: Mapped[Difficulty] = mapped_column(
        str_enum(Difficulty, "difficulty"), default=Difficulty.MEDIUM, server_default=Difficulty.MEDIUM.value
    )
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    user: Mapped["User"] = relationship()  # noqa: F821


class ContentPreference(Base):
    """A learner's affinity for one type of content, 0 to 1."""

    __tablename__ = "content_preferences"
    __table_args__ = (
        UniqueConstraint("user_id", "content_type"),
        CheckConstraint("affinity >= 0 AND affinity <= 1", name="affinity_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    content_type: Mapped[ContentType] = mapped_column(str_enum(ContentType, "content_type"), nullable=False)
    affinity: Mapped[float] = mapped_column(Float, default=0.5, server_default="0.5")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    user: Mapped["User"] = relationship()  # noqa: F821
