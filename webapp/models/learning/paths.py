"""Learning paths: ordered modules, each practising a skill."""

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.models.core.base import Base
from webapp.models.core.enums import ContentType, str_enum
from webapp.models.core.mixins import ActiveFlagMixin, TimestampMixin


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
