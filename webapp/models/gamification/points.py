"""The points ledger and each learner's balance."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.models.core.base import Base
from webapp.models.core.enums import PointsReason, str_enum
from webapp.models.core.mixins import LocalTimeMixin, utcnow
from webapp.models.core.types import UTCDateTime, big_id


class UserPoints(Base):
    """A learner's balance: always the sum of their ledger transactions."""

    __tablename__ = "user_points"
    __table_args__ = (CheckConstraint("lifetime_earned >= 0", name="lifetime_non_negative"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    balance: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    lifetime_earned: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    user: Mapped["User"] = relationship(back_populates="points")  # noqa: F821


class PointsTransaction(LocalTimeMixin, Base):
    """One append-only entry of the points ledger."""

    __tablename__ = "points_transactions"
    __table_args__ = (
        CheckConstraint("amount != 0", name="amount_non_zero"),
        Index("ix_points_transactions_user_created", "user_id", "created_at"),
        Index("ix_points_transactions_created_at", "created_at"),
    )
    local_time_source = "created_at"

    id: Mapped[int] = mapped_column(big_id, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    amount: Mapped[int] = mapped_column(Integer, nullable=False)
    reason: Mapped[PointsReason] = mapped_column(str_enum(PointsReason, "reason"), nullable=False)
    source_type: Mapped[str | None] = mapped_column(String(32))
    source_id: Mapped[str | None] = mapped_column(String(64))
    idempotency_key: Mapped[str] = mapped_column(String(128), unique=True, nullable=False)
    note: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)

    user: Mapped["User"] = relationship(foreign_keys=[user_id])  # noqa: F821
    created_by: Mapped["User | None"] = relationship(foreign_keys=[created_by_id])  # noqa: F821
