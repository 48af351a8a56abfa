"""The skill tree and each learner's mastery of it."""

from datetime import datetime

from sqlalchemy import CheckConstraint, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.models.core.base import Base
from webapp.models.core.enums import Difficulty, str_enum
from webapp.models.core.mixins import ActiveFlagMixin, TimestampMixin, utcnow
from webapp.models.core.types import UTCDateTime


class Skill(TimestampMixin, ActiveFlagMixin, Base):
    """A skill of a subject; skills nest under a parent skill."""

    __tablename__ = "skills"
    __table_args__ = (
        CheckConstraint("parent_id IS NULL OR parent_id != id", name="not_own_parent"),
        Index("ix_skills_subject", "subject"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    subject: Mapped[str] = mapped_column(String(64), nullable=False)
    description: Mapped[str | None] = mapped_column(Text)
    difficulty: Mapped[Difficulty] = mapped_column(
        str_enum(Difficulty, "difficulty"), default=Difficulty.MEDIUM, server_default=Difficulty.MEDIUM.value
    )
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("skills.id", ondelete="SET NULL"))

    parent: Mapped["Skill | None"] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list["Skill"]] = relationship(back_populates="parent")

    def __str__(self) -> str:
        return self.name


class SkillMastery(Base):
    """How well a learner has mastered a skill, 0 to 1 (derived from quizzes)."""

    __tablename__ = "skill_masteries"
    __table_args__ = (
        UniqueConstraint("user_id", "skill_id"),
        CheckConstraint("mastery >= 0 AND mastery <= 1", name="mastery_range"),
        CheckConstraint("attempts >= 0", name="attempts_non_negative"),
        Index("ix_skill_masteries_skill_id", "skill_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    skill_id: Mapped[int] = mapped_column(ForeignKey("skills.id", ondelete="CASCADE"))
    mastery: Mapped[float] = mapped_column(Float, default=0, server_default="0")
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_practiced_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    user: Mapped["User"] = relationship(back_populates="skill_mastery")  # noqa: F821
    skill: Mapped[Skill] = relationship()
