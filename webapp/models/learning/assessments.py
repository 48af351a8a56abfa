"""Quiz attempts and graded assessment results."""

from datetime import datetime

from sqlalchemy import CheckConstraint, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.models.core.base import Base
from webapp.models.core.enums import Difficulty, str_enum
from webapp.models.core.mixins import IngestKeyMixin, LocalTimeMixin, ingest_key_index, utcnow
from webapp.models.core.types import UTCDateTime


class QuizAttempt(IngestKeyMixin, LocalTimeMixin, Base):
    """One attempt by a learner at a quiz on a skill or module."""

    __tablename__ = "quiz_attempts"
    __table_args__ = (
        CheckConstraint("max_score > 0", name="max_score_positive"),
        CheckConstraint("score >= 0 AND score <= max_score", name="score_range"),
        CheckConstraint("total_questions > 0", name="total_positive"),
        CheckConstraint("correct_count >= 0 AND correct_count <= total_questions", name="correct_range"),
        CheckConstraint("time_spent_seconds >= 0", name="time_non_negative"),
        CheckConstraint("submitted_at IS NULL OR submitted_at >= started_at", name="submitted_after_start"),
        Index("ix_quiz_attempts_user_started", "user_id", "started_at"),
        Index("ix_quiz_attempts_started_at", "started_at"),
        # The analytics refresh reads submitted attempts by the time they were submitted.
        Index("ix_quiz_attempts_submitted_at", "submitted_at"),
        Index("ix_quiz_attempts_skill_id", "skill_id"),
        # Quizzes count on the local day they were submitted, which may come days after the start.
        Index("ix_quiz_attempts_local_day", "local_day"),
        ingest_key_index("quiz_attempts"),
    )
    local_time_source = "started_at"  # until submitted: see local_moment()

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    skill_id: Mapped[int | None] = mapped_column(ForeignKey("skills.id", ondelete="SET NULL"))
    path_module_id: Mapped[int | None] = mapped_column(ForeignKey("path_modules.id", ondelete="SET NULL"))
    session_id: Mapped[int | None] = mapped_column(ForeignKey("learning_sessions.id", ondelete="SET NULL"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    score: Mapped[float] = mapped_column(Float, default=0, server_default="0")
    max_score: Mapped[float] = mapped_column(Float, default=100, server_default="100")
    correct_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    total_questions: Mapped[int] = mapped_column(Integer, nullable=False)
    time_spent_seconds: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    difficulty: Mapped[Difficulty] = mapped_column(
        str_enum(Difficulty, "difficulty"), default=Difficulty.MEDIUM, server_default=Difficulty.MEDIUM.value
    )

    user: Mapped["User"] = relationship(back_populates="quiz_attempts")  # noqa: F821
    skill: Mapped["Skill | None"] = relationship()  # noqa: F821
    path_module: Mapped["PathModule | None"] = relationship()  # noqa: F821
    result: Mapped["AssessmentResult | None"] = relationship(
        back_populates="attempt", uselist=False, passive_deletes=True
    )

    def local_moment(self) -> datetime | None:
        """An attempt belongs to the local day it was submitted on (its start, until then)."""
        return self.submitted_at or self.started_at

    @classmethod
    def local_time_fields(cls) -> tuple[str, ...]:
        """Both times: submitting an attempt moves it to the day it was submitted on."""
        return ("started_at", "submitted_at")

    @property
    def percent(self) -> float:
        """Score as a percentage of the maximum."""
        return 100.0 * self.score / self.max_score if self.max_score else 0.0


class AssessmentResult(Base):
    """The graded outcome of a quiz attempt or of a named assessment."""

    __tablename__ = "assessment_results"
    __table_args__ = (
        CheckConstraint("percent BETWEEN 0 AND 100", name="percent_range"),
        Index("ix_assessment_results_user_graded", "user_id", "graded_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    quiz_attempt_id: Mapped[int | None] = mapped_column(
        ForeignKey("quiz_attempts.id", ondelete="CASCADE"), unique=True
    )
    assessment_name: Mapped[str] = mapped_column(String(160), nullable=False)
    percent: Mapped[float] = mapped_column(Float, nullable=False)
    passed: Mapped[bool] = mapped_column(nullable=False)
    feedback: Mapped[str | None] = mapped_column(Text)
    graded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    graded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    user: Mapped["User"] = relationship(foreign_keys=[user_id])  # noqa: F821
    attempt: Mapped[QuizAttempt | None] = relationship(back_populates="result")
    graded_by: Mapped["User | None"] = relationship(foreign_keys=[graded_by_id])  # noqa: F821
