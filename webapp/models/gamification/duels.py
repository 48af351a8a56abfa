"""One-to-one quiz duels between learners."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.models.core.base import Base
from webapp.models.core.enums import DuelOutcome, DuelStatus, str_enum
from webapp.models.core.mixins import utcnow
from webapp.models.core.types import UTCDateTime


class Duel(Base):
    """A challenge from one learner to another on a skill."""

    __tablename__ = "duels"
    __table_args__ = (
        CheckConstraint("challenger_id != opponent_id", name="no_self_duel"),
        CheckConstraint(
            "winner_id IS NULL OR winner_id = challenger_id OR winner_id = opponent_id",
            name="winner_is_participant",
        ),
        CheckConstraint(
            "ended_at IS NULL OR started_at IS NULL OR ended_at >= started_at", name="ends_after_start"
        ),
        Index("ix_duels_challenger_id", "challenger_id"),
        Index("ix_duels_opponent_id", "opponent_id"),
        Index("ix_duels_status", "status"),
        Index("ix_duels_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    challenger_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    opponent_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    skill_id: Mapped[int | None] = mapped_column(ForeignKey("skills.id", ondelete="SET NULL"))
    status: Mapped[DuelStatus] = mapped_column(
        str_enum(DuelStatus, "status"), default=DuelStatus.PENDING, server_default=DuelStatus.PENDING.value
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    winner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    challenger: Mapped["User"] = relationship(foreign_keys=[challenger_id])  # noqa: F821
    opponent: Mapped["User"] = relationship(foreign_keys=[opponent_id])  # noqa: F821
    winner: Mapped["User | None"] = relationship(foreign_keys=[winner_id])  # noqa: F821
    skill: Mapped["Skill | None"] = relationship()  # noqa: F821
    participants: Mapped[list["DuelParticipant"]] = relationship(back_populates="duel", passive_deletes=True)


class DuelParticipant(Base):
    """One side of a duel: the learner's score and outcome."""

    __tablename__ = "duel_participants"
    __table_args__ = (
        UniqueConstraint("duel_id", "user_id"),
        CheckConstraint("score >= 0", name="score_non_negative"),
        Index("ix_duel_participants_user_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    duel_id: Mapped[int] = mapped_column(ForeignKey("duels.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    score: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    outcome: Mapped[DuelOutcome] = mapped_column(
        str_enum(DuelOutcome, "outcome"),
        default=DuelOutcome.PENDING,
        server_default=DuelOutcome.PENDING.value,
    )

    duel: Mapped[Duel] = relationship(back_populates="participants")
    user: Mapped["User"] = relationship(back_populates="duels")  # noqa: F821
