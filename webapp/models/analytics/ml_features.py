"""The feature store: per-learner feature snapshots as of a date."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.models.core.base import Base
from webapp.models.core.mixins import utcnow
from webapp.models.core.types import JSONType, UTCDateTime, big_id


class LearnerFeatureSnapshot(Base):
    """Features of one learner computed only from data up to `as_of`."""

    __tablename__ = "learner_feature_snapshots"
    __table_args__ = (
        UniqueConstraint("user_id", "feature_set", "as_of"),
        CheckConstraint("version >= 1", name="version_positive"),
        Index("ix_learner_feature_snapshots_set_as_of", "feature_set", "as_of"),
    )

    id: Mapped[int] = mapped_column(big_id, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    as_of: Mapped[date] = mapped_column(nullable=False)
    feature_set: Mapped[str] = mapped_column(String(64), nullable=False)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    features: Mapped[dict[str, Any]] = mapped_column(JSONType, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)

    user: Mapped["User"] = relationship()  # noqa: F821
