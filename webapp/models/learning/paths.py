"""Learning paths: ordered modules, each practising a skill; learners' enrolments and progress."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.models.core.base import Base
from webapp.models.core.enums import ContentType, PathStatus, str_enum
from webapp.models.core.mixins import ActiveFlagMixin, TimestampMixin
from webapp.models.core.types import UTCDateTime


class LearningPath(TimestampMixin, ActiveFlagMixin, Base):
    """A course: an ordered list of modules for a subject and grade."""

    __tablename__ = "learning_paths"
    __table_args__ = (
        CheckConstraint("grade_level IS NULL OR grade_level BETWEEN 1 AND 12", name="grade_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    subject: Mapped[str] = mapped_column(String(64), nullable=False)
    description: Mapped[str | None] = mapped_column(Text)
    grade_level: Mapped[int | None] = mapped_column(Integer)

    modules: Mapped[list["PathModule"]] = relationship(
        back_populates="path", order_by="PathModule.position", passive_deletes=True
    )

    def __str__(self) -> str:
        return self.name


class PathModule(Base):
    """One step of a learning path."""

    __tablename__ = "path_modules"
    __table_args__ = (
        UniqueConstraint("path_id", "position"),
        CheckConstraint("position >= 1", name="position_positive"),
        CheckConstraint("estimated_minutes > 0", name="minutes_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    path_id: Mapped[int] = mapped_column(ForeignKey("learning_paths.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    title: Mapped[str] = mapped_column(String(160), nullable=False)
    skill_id: Mapped[int | None] = mapped_column(ForeignKey("skills.id", ondelete="SET NULL"), index=True)
    content_type: Mapped[ContentType] = mapped_column(str_enum(ContentType, "content_type"), nullable=False)
    estimated_minutes: Mapped[int] = mapped_column(Integer, default=10, server_default="10")

    path: Mapped[LearningPath] = relationship(back_populates="modules")
    skill: Mapped["Skill | None"] = relationship()  # noqa: F821

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class PathEnrolment(TimestampMixin, Base):
    """A learner's enrolment in a learning path and their progress through its modules.

    Written by the platform's apps through the API (one row per learner and path, updated
    as they progress); `modules_completed` counts finished modules, `current_module_id` is
    the one they are on.
    """

    __tablename__ = "path_enrolments"
    __table_args__ = (
        UniqueConstraint("user_id", "path_id"),
        CheckConstraint("modules_completed >= 0", name="modules_completed_non_negative"),
        CheckConstraint(
            "completed_at IS NULL OR completed_at >= enrolled_at", name="completed_after_enrolled"
        ),
        Index("ix_path_enrolments_path_id", "path_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    path_id: Mapped[int] = mapped_column(ForeignKey("learning_paths.id", ondelete="CASCADE"))
    status: Mapped[PathStatus] = mapped_column(
        str_enum(PathStatus, "status"), default=PathStatus.ENROLLED, server_default=PathStatus.ENROLLED.value
    )
    enrolled_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    modules_completed: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    current_module_id: Mapped[int | None] = mapped_column(ForeignKey("path_modules.id", ondelete="SET NULL"))
    last_activity_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped["User"] = relationship(back_populates="learning_paths")  # noqa: F821
    path: Mapped[LearningPath] = relationship()
    current_module: Mapped[PathModule | None] = relationship()

    def __str__(self) -> str:
        return f"enrolment of user {self.user_id} in path {self.path_id}"
